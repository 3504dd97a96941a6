"""A page as the page shell receives it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class Page(Protocol):
    """What the shell reads of a page: where it lives (``""`` for the front page, else a
    folder such as ``incidents/<id>/``), its title (plain text), its HTML content, whether
    it is in the nav, and ``tab``, what a browser's tab names it (plain text), where not
    "TITLE - SITE". A page's content may be rendered when it is read: a shell reads it
    once, and keeps it no longer than it needs it."""

    @property
    def path(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def content(self) -> str: ...

    @property
    def in_nav(self) -> bool: ...

    @property
    def tab(self) -> str: ...


@dataclass(frozen=True)
class SitePage:
    """One finished page (a :class:`Page` whose content is rendered already)."""

    path: str
    title: str
    content: str
    in_nav: bool = False
    tab: str = ""

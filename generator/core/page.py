"""A finished page as the page shell receives it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SitePage:
    """One page: where it lives, its title (plain text) and its HTML content; ``tab``, what
    a browser's tab names it (plain text), where not "TITLE - SITE"."""

    path: str  # "" for the front page, else a folder such as "incidents/<id>/"
    title: str
    content: str
    in_nav: bool = False
    tab: str = ""

"""The page shell: what wraps page contents into the pages of the site.

The build hands a shell every page as a :class:`~generator.core.page.Page` (its path,
title and HTML content, rendered as the shell reads it) and asks for nothing else. A shell
adds the page around them (header, footer, light and dark schemes, its assets).
mkdocs-material is the one implementation (``mkdocs_material.py``, the only module that
imports mkdocs or material); another (Zensical, say) is another module with the same four
members.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Protocol

from generator.core.model import SiteConfig
from generator.core.page import Page


class Shell(Protocol):
    #: What the shell is made of (its libraries' versions); part of every page's cache key.
    version: str

    def page_file(self, path: str) -> str:
        """Where the finished page of ``path`` lies in a rendered folder."""
        ...

    def render(
        self,
        site: SiteConfig,
        pages: Iterable[Page],
        out: Path,
        *,
        base_url: str,
        now: datetime,
        theme_dirs: Sequence[Path],
        footer: str,
        progress: Callable[[int], None] | None = None,
        languages: Sequence[tuple[str, str]] = (),
        keep: Path | None = None,
        shell_files: bool = True,
    ) -> None:
        """Write ``pages`` into the empty folder ``out``, each at :meth:`page_file`, beside
        the shell's own files (assets, the 404 page). Every call writes the same shell
        files for the same site, so a build that splits the pages between processes
        asks one of them for them. ``languages`` are the site's, with the URL of each one's
        root, when it has more than one: each page links its translations. ``footer`` is the
        HTML of the line at the foot of every page, written by the build. ``keep`` is a
        folder the shell may keep what it reuses from one build to the next in (compiled
        templates), or None: nothing outside ``out``. Without ``shell_files``, only the
        pages are written (another call of the same build writes the shell's own). Raises
        ThemeError for a broken template, ShellError for anything else the shell refuses."""
        ...

    def serve(
        self,
        rebuild: Callable[[], object],
        site_dir: Path,
        watched: Iterable[Path],
        *,
        host: str,
        port: int,
        announce: Callable[[str], None],
    ) -> None:
        """Serve ``site_dir`` with live reload, calling ``rebuild`` when ``watched`` change;
        blocks until interrupted. Raises ServeError when it cannot listen."""
        ...


def default() -> Shell:
    """The shell statusgen builds with."""
    from generator.shell.mkdocs_material import MkdocsMaterial

    return MkdocsMaterial()

"""Stamping: a page of the shell rendered once per kind of page, each page's own path,
title and content put into its slots (``mkdocs_material.py`` makes the stamps from two
samples of each kind that mkdocs renders, and falls back on mkdocs where they disagree).
No mkdocs here: a stamp is text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator.core.page import Page, SitePage


def kind(path: str) -> tuple[str, int]:
    """What a page's relative links depend on: its first folder (a link to the history
    from inside it is shorter) and how many folders deep it is (the others climb as
    many)."""
    return path.split("/", 1)[0], path.count("/")


def stampable(page: Page) -> bool:
    """Whether a page can be stamped: one out of the nav, which a browser's tab names by
    its title (every page but the front page and the history). Its content is not read
    here: it must also have its own heading (:func:`headed`)."""
    return not page.in_nav and not page.tab


def headed(content: str) -> bool:
    """Whether a content has its own heading, as the samples have theirs: material writes
    one where the content has none, so a page without one cannot be stamped."""
    return "<h1" in content


def remove_page(out: Path, file: str) -> None:
    """A sample page's file and the folders that held only it."""
    (out / file).unlink(missing_ok=True)
    folder = (out / file).parent
    while folder != out:
        try:
            folder.rmdir()
        except OSError:  # not empty: another page's
            break
        folder = folder.parent


@dataclass(frozen=True)
class Stamp:
    """A page of the shell with slots for what differs from one page to the next.

    mkdocs renders material's whole page template for every page, with its whole context,
    though the pages out of the nav differ only in their path, their title and their
    content: rendering that template once per kind of page (:func:`kind`: the links of a
    page are relative) and stamping each page's own into its slots costs a string join.
    Two samples of each kind are rendered, with different paths, titles (one with every
    character HTML escapes) and contents; the stamp made of the first must give the
    second, byte for byte, or there is no stamp (a theme that prints something else of
    each page): then every page goes through mkdocs."""

    #: The page's text between its slots.
    pieces: tuple[str, ...]
    #: What goes into each slot: "path", "title" or "content".
    slots: tuple[str, ...]

    @staticmethod
    def samples(of: tuple[str, int]) -> tuple[SitePage, SitePage]:
        """Two pages of a kind (:func:`kind`): in the same first folder, as deep."""
        folder, deep = of

        def sample(name: str, title: str) -> SitePage:
            path = folder + "/" + "".join(f"{SAMPLE}{name}{level}/" for level in range(1, deep))
            return SitePage(path, title, f"<h1>{SAMPLE}{name}content</h1>")

        return sample("a", f"{SAMPLE}atitle"), sample("b", f"{SAMPLE}btitle<&>\"'")

    @classmethod
    def made(
        cls, out: Path, page_file: Callable[[str], str], pair: tuple[SitePage, SitePage]
    ) -> Stamp | None:
        """The stamp of one kind from its two samples, rendered in ``out`` (and removed
        from it), or None when the first does not give the second."""
        first, second = pair
        texts = []
        for sample in pair:
            texts.append((out / page_file(sample.path)).read_text(encoding="utf-8"))
            remove_page(out, page_file(sample.path))
        slots = {first.path: "path", html.escape(first.title): "title", first.content: "content"}
        pattern = re.compile("|".join(re.escape(value) for value in slots if value))
        pieces = pattern.split(texts[0])
        stamp = cls(tuple(pieces), tuple(slots[m] for m in pattern.findall(texts[0])))
        return stamp if stamp.page(second, second.content) == texts[1] else None

    def page(self, page: Page, content: str) -> str:
        """``page``, whose content is ``content``, in the shell."""
        values = {"path": page.path, "title": html.escape(page.title), "content": content}
        said = [self.pieces[0]]
        for slot, piece in zip(self.slots, self.pieces[1:], strict=True):
            said += (values[slot], piece)
        return "".join(said)


#: What the samples' paths, titles and contents are made of: no page has it.
SAMPLE = "statusgen-sample-"

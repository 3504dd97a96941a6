"""Markdown from incident files, rendered and made safe.

Python-Markdown passes raw ``<script>``, ``onerror=`` and ``javascript:`` links through, so
every rendering is cleaned by nh3 against an allow-list: a handful of text tags, links with
http, https and mailto only, and no attribute that runs or styles anything. Whatever an
incident file contains, the output runs nothing.
"""

from __future__ import annotations

import html
import itertools
import re
from functools import lru_cache

import markdown
import nh3

ALLOWED_TAGS = {
    "p", "br", "hr", "a", "strong", "em", "b", "i", "code", "pre", "kbd",
    "ul", "ol", "li", "blockquote", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td", "del", "sub", "sup",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "td": {"align"}, "th": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}

_HEADING = re.compile(r"<(/?)h([12])>")
_TAG = re.compile(r"<[^>]+>")


@lru_cache(maxsize=1)
def _converter() -> markdown.Markdown:
    return markdown.Markdown(extensions=["sane_lists", "tables"], output_format="html")


#: Renderings from an earlier build (see remember()); and those of this one.
_known: dict[str, str] = {}
_used: dict[str, str] = {}


def remember(renderings: dict[str, str]) -> None:
    """Take renderings made by an earlier build, so that unchanged text is not converted
    again (the build cache keeps them). Starts a new build's record of what it used."""
    _known.clear()
    _known.update(renderings)
    _used.clear()


def renderings(since: int = 0) -> dict[str, str]:
    """The renderings this process used, to keep for the next build; with ``since`` (a
    :func:`count` taken earlier), only those it used after that."""
    if not since:
        return dict(_used)
    return dict(itertools.islice(_used.items(), since, None))


def count() -> int:
    """How many renderings this process used so far (a forked process reports only what
    it used after the count its parent took before forking)."""
    return len(_used)


def to_html(text: str) -> str:
    """Markdown rendered to HTML that is safe to put in a page. Pages and feeds render the
    same messages, and builds the same files: each text is converted once."""
    found = _used.get(text)
    if found is None:
        found = _known.get(text)
        if found is None:
            found = _convert(text)
        _used[text] = found
    return found


#: What makes a text more than plain prose to Markdown and to the sanitizer: a character
#: that may start markup or an entity or that either writes otherwise (a tab, expanded; a
#: no-break space, written &nbsp;; line breaks other than \n; control characters).
_MARKUP = re.compile("[`*_\\[\\]<>&\\\\|~\t\r\u00a0\u0085\u2028\u2029\x00-\x09\x0b-\x1f\x7f-\x9f]")
#: A line that may start a block (indented code, a list, a quote, a heading, a table, a
#: rule, a setext underline) or end in a line break (trailing spaces).
_BLOCK = re.compile(r"^(?:[ \-+*>#=|]|\d+[.)])| $", re.MULTILINE)


def _plain(text: str) -> str | None:
    """The rendering of a text that is plain prose, without running Markdown: its
    paragraphs, each in ``<p>``, as Python-Markdown and nh3 write them (a property test
    holds the two equal). Most status updates are such prose; None for any other."""
    if _MARKUP.search(text) or _BLOCK.search(text):
        return None
    paragraphs = [part for part in text.strip("\n").split("\n\n") if part]
    if any(part.startswith("\n") or part.endswith("\n") for part in paragraphs):
        return None  # more than one blank line between two paragraphs
    return "\n".join(f"<p>{part}</p>" for part in paragraphs)


def _convert(text: str) -> str:
    plain = _plain(text)
    if plain is not None:
        return plain
    converter = _converter()
    rendered = converter.reset().convert(text)
    # page structure owns h1 and h2; headings in messages start at h3
    rendered = _HEADING.sub(r"<\1h3>", rendered)
    return nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


_BREAKS = re.compile(r"\s*\n\s*")
#: Japanese and Chinese: kana, ideographs, their punctuation and full-width forms.
CJK = "\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
#: A line break between two of them, which is no space (CSS Text's rule for segment
#: breaks): a Japanese sentence written over two lines is one sentence, without a gap.
CJK_BREAK = re.compile(rf"(?<=[{CJK}])[ \t]*\n\s*(?=[{CJK}])")
_BLOCK_END = re.compile(r"</(?:p|li|h[3-6]|blockquote|pre|tr)>|<br\s*/?>")


#: A "<" that an HTML parser would read as the start of a tag, a comment or a declaration.
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
#: What stands for it in plain text: FULLWIDTH LESS-THAN SIGN, which reads the same.
INERT_LESS_THAN = "\uff1c"


def to_text(text: str) -> str:
    """Markdown rendered, sanitized and stripped of tags: plain text for the API and the
    calendar. Line breaks inside a paragraph become spaces (none between two Japanese or
    Chinese characters); paragraphs stay apart.

    The text is also inert as HTML, for clients that show it as HTML: a "<" that would
    start a tag (a code span such as `<script>`, or ``&lt;img&gt;`` unescaped) is written
    as U+FF1C (FULLWIDTH LESS-THAN SIGN), so that no client ever finds a tag in it."""
    rendered = _BREAKS.sub(" ", CJK_BREAK.sub("", to_html(text)))
    rendered = _BLOCK_END.sub("\n", rendered)
    lines = (html.unescape(_TAG.sub("", line)).strip() for line in rendered.split("\n"))
    return _TAG_START.sub(INERT_LESS_THAN, "\n".join(line for line in lines if line))

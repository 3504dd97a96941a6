"""Plain prose skips Markdown: what ``markup._plain`` writes is what Python-Markdown and
nh3 write for the same text, for any text it takes (and it declines every other)."""

from __future__ import annotations

import nh3
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator.outputs import markup

#: Letters, digits and every character that means something to Markdown, HTML or the
#: sanitizer, with the line breaks and spaces that change a rendering.
ALPHABET = st.sampled_from(
    [
        *"aZ9 .,;:'\"!?()/-+*_#=>|<&`~[]\\\n\n\n\t\r",
        *("\u00a0", "\u2028", "\u0085", "\x00", "\x0b", "é", "日", "ش", "—", "1.", "2)"),
    ]
)


def full(text: str) -> str:
    """The rendering through Python-Markdown and nh3, without the plain path."""
    converter = markup._converter()
    rendered = markup._HEADING.sub(r"<\1h3>", converter.reset().convert(text))
    return str(
        nh3.clean(
            rendered,
            tags=markup.ALLOWED_TAGS,
            attributes=markup.ALLOWED_ATTRIBUTES,
            url_schemes=markup.URL_SCHEMES,
            link_rel="noopener noreferrer nofollow",
            strip_comments=True,
        )
    )


@settings(max_examples=3000, deadline=None)
@given(st.lists(ALPHABET, max_size=40).map("".join))
@example("We are looking into it.\nMore soon.\n\nSecond paragraph.")
@example("Café 日本語 ok — \"quoted\" 'too' (5:00)!")
@example("2026 was fine.\n10 customers")
@example("")
def test_plain_prose_is_written_as_markdown_would(text: str) -> None:
    plain = markup._plain(text)
    if plain is not None:
        assert plain == full(text)


#: Prose: mostly what _plain takes, so that the comparison is made often.
PROSE = st.sampled_from([*"aZ9 .,;:'\"!?()/-\n\n", "é", "日", "ش", "—", "2.", "1)", "-", " "])


@settings(max_examples=3000, deadline=None)
@given(st.lists(PROSE, max_size=40).map("".join))
def test_prose_is_written_as_markdown_would(text: str) -> None:
    plain = markup._plain(text)
    if plain is not None:
        assert plain == full(text)


def test_most_prose_takes_the_plain_path() -> None:
    """The comparison above is not vacuous: prose is taken."""
    assert markup._plain("One.\nTwo - three (4).\n\nFive: \"six\", 'seven'?") is not None


@pytest.mark.parametrize(
    "text",
    [
        "*bold*",
        "a  \nb",  # a line break
        "- item",
        "1. step",
        "> quote",
        "    code",
        "Title\n===",
        "a & b",
        "a\tb",
        "a\u00a0b",
        "a\n\n\nb",
    ],
)
def test_anything_else_goes_through_markdown(text: str) -> None:
    assert markup._plain(text) is None
    assert markup._convert(text) == full(text)

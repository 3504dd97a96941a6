"""The one rule of what text statusgen accepts, anywhere a person writes it.

Text is any Unicode except control characters (C0 but tab and line feed, DEL, C1),
noncharacters (U+FDD0 to U+FDEF, and the last two code points of every plane, U+FFFE and
U+FFFF among them), lone surrogates and direction controls. The first three cannot be
written in XML (feeds, sitemap), break terminals and JSON consumers, and never mean anything
on a status page: they arrive by accident, such as terminal colours pasted with an error
message.

Direction controls are the embeddings and overrides (U+202A to U+202E) and the isolates
(U+2066 to U+2069). An override reorders what follows it, beyond the text it stands in
when it is left open: a title ending in U+202E (RIGHT-TO-LEFT OVERRIDE) shows the status
drawn after it backwards, a fake status. They are refused in every text, one line or
Markdown, so that no output has to contain them; isolates too, since a status page needs
none and one left open reorders what follows as well. The marks U+200E (LEFT-TO-RIGHT
MARK), U+200F (RIGHT-TO-LEFT MARK) and U+061C (ARABIC LETTER MARK) stay allowed: they open
nothing, act only on the neutral characters beside them, and right-to-left writers need
them to place punctuation and numbers. YAML lets a
double-quoted string spell them as escapes (``"\\e[31m"``), and lets some of them stand in
a file as they are; the reader refuses both with the place and a fix, so that whatever
``check`` accepts, every output can carry.

In a file, a carriage return is a line break (Windows line endings), which YAML turns into
a line feed; in a value, it is refused like any control character.
"""

from __future__ import annotations

import re
import unicodedata

#: The noncharacters beyond the first plane: the last two code points of planes 1 to 16.
_ASTRAL_NONCHARACTERS = "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(1, 17)
)
_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f"
_BMP_NONCHARACTERS = "\ufdd0-\ufdef\ufffe\uffff"
#: The embeddings and overrides (LRE, RLE, PDF, LRO, RLO), then the isolates (LRI, RLI,
#: FSI, PDI); not the marks (LRM U+200E, RLM U+200F, ALM U+061C).
_DIRECTION_CONTROLS = "\u202a-\u202e\u2066-\u2069"
#: What a value may not hold (one class of the first plane is fast; the rest is checked
#: only for text that has characters beyond it).
_FORBIDDEN = re.compile(f"[{_CONTROLS}\ud800-\udfff{_BMP_NONCHARACTERS}{_DIRECTION_CONTROLS}]")
_DIRECTION = re.compile(f"[{_DIRECTION_CONTROLS}]")
#: What a file may not hold: the same, but for the carriage returns of its line breaks
#: (a decoded file holds no surrogate); direction controls in comments too, where they
#: would make the file read otherwise in review than it is.
_FORBIDDEN_IN_FILES = re.compile(
    f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BMP_NONCHARACTERS}{_DIRECTION_CONTROLS}]"
)
_FORBIDDEN_BEYOND = re.compile(f"[{_ASTRAL_NONCHARACTERS}]")


#: The bytes that can be part of the UTF-8 of a character a value may not hold: the C0
#: controls (but tab and line feed) and DEL themselves, and the first byte of the C1
#: controls (C2), direction controls (E2), surrogates (ED, as "surrogatepass" writes
#: them) and noncharacters (EF, F0 to F4). Text whose UTF-8 has none of them is
#: acceptable: a test of every byte at C speed, where the patterns below, exact but far
#: slower, name what is wrong and where.
_SUSPECT = frozenset([*range(0x09), *range(0x0B, 0x20), 0x7F, 0xC2, 0xE2, 0xED, 0xEF])
_SUSPECT |= frozenset(range(0xF0, 0xF5))
_INNOCENT = bytes(b for b in range(256) if b not in _SUSPECT)
#: The same for a file, whose line breaks may be carriage returns.
_INNOCENT_IN_FILES = _INNOCENT + b"\r"


def _clean(text: str, innocent: bytes) -> bool:
    """Whether ``text`` surely holds no character of its pattern (False: maybe it does)."""
    return not text.encode("utf-8", "surrogatepass").translate(None, innocent)


def _search(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    found = pattern.search(text)
    if not text.isascii():
        beyond = _FORBIDDEN_BEYOND.search(text)
        if beyond is not None and (found is None or beyond.start() < found.start()):
            return beyond
    return found


_NAMES = {"\x1b": "ESC", "\x00": "NUL", "\x07": "BEL", "\x08": "BACKSPACE"}

HINT = "remove it: control characters (such as pasted terminal colours) cannot be shown"


def describe(character: str) -> str:
    """``U+001B (ESC)``: a character as a message names it."""
    name = _NAMES.get(character) or unicodedata.name(character, "")
    code = f"U+{ord(character):04X}"
    if _DIRECTION.match(character):
        return f"{code} ({name}, a direction control that can show the text after it reversed)"
    return f"{code} ({name})" if name else code


def text_problem(text: str) -> str | None:
    """What is wrong with the value ``text``, or None when it is acceptable text."""
    if text.isprintable() or _clean(text, _INNOCENT):
        return None  # (every character it refuses is unprintable: Cc, Cf, Cs or Cn)
    found = _search(_FORBIDDEN, text)
    if found is None:
        return None
    return f"{_kind(found.group(0))} {describe(found.group(0))} at character {found.start() + 1}"


def without_forbidden(text: str) -> str:
    """``text`` with every character text may not hold taken out (for imported text, which
    is repaired rather than refused)."""
    if text_problem(text) is None:
        return text
    return _FORBIDDEN_BEYOND.sub("", _FORBIDDEN.sub("", text))


def first_forbidden(text: str) -> int | None:
    """Where the first character a file may not hold stands in its text, or None."""
    if _clean(text, _INNOCENT_IN_FILES):
        return None
    found = _search(_FORBIDDEN_IN_FILES, text)
    return None if found is None else found.start()


def _kind(character: str) -> str:
    return "the control character" if unicodedata.category(character) == "Cc" else "the character"

"""The one rule of what text statusgen accepts, anywhere a person writes it.

Text is any Unicode except control characters (U+0000 to U+001F but tab, line feed and
carriage return), the non-characters U+FFFE and U+FFFF, and lone surrogates. Those cannot
be written in XML (feeds, sitemap), break terminals and JSON consumers, and never mean
anything on a status page: they arrive by accident, such as terminal colours pasted with
an error message. YAML lets a double-quoted string spell them as escapes (``"\\e[31m"``);
the reader refuses them there with the place and a fix, so that whatever ``check``
accepts, every output can carry.
"""

from __future__ import annotations

import re
import unicodedata

_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

_NAMES = {"\x1b": "ESC", "\x00": "NUL", "\x07": "BEL", "\x08": "BACKSPACE"}

HINT = "remove it: control characters (such as pasted terminal colours) cannot be shown"


def describe(character: str) -> str:
    """``U+001B (ESC)``: a character as a message names it."""
    name = _NAMES.get(character) or unicodedata.name(character, "")
    code = f"U+{ord(character):04X}"
    return f"{code} ({name})" if name else code


def text_problem(text: str) -> str | None:
    """What is wrong with ``text``, or None when it is acceptable text."""
    found = _FORBIDDEN.search(text)
    if found is None:
        return None
    return f"the control character {describe(found.group(0))} at character {found.start() + 1}"

"""GSM-7, the alphabet of SMS: a text written in it, and its size as an SMS counts it.

An SMS in GSM-7 holds 160 characters; one character outside it (``…``, a curly quote, the
narrow no-break space CLDR puts in "5:15 AM") sends the whole message in UCS-2, in
segments of 70. So the text of a message to an SMS service is written in GSM-7 where it
can be without changing what it says: typographic punctuation and spaces become their
plain forms, a Latin letter GSM-7 lacks loses its accent (``ç`` -> ``c``, ``ő`` -> ``o``).
Letters of other scripts stay as they are: a Japanese or Arabic message is sent in UCS-2,
which is still better than no words at all, and a text that cannot be GSM-7 keeps its own
punctuation too. The characters of GSM-7's extension table
(``€``, ``[``, ``~``…) are kept; they take two places each (:func:`size`).

A length is read as a number of SMS: 160 places of GSM-7 are one SMS, and one SMS of
UCS-2 holds 70 (:func:`ucs2_room`). A message that goes in UCS-2 is counted as UCS-2 counts
it, in UTF-16 units (:func:`ucs2_size`): an emoji takes two.
"""

from __future__ import annotations

import unicodedata

#: GSM 03.38's basic character set (line feed and carriage return included).
BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡"
    "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
#: Its extension table: each is sent as an escape and the character, two places.
EXTENDED = frozenset("^{}\\[]~|€\f")

#: What stands for a character GSM-7 lacks: the plain form of punctuation and spaces.
_PLAIN = {
    "\u2026": "...",  # horizontal ellipsis
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"', "\u2039": "<", "\u203a": ">",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
    "\u2015": "-", "\u2212": "-", "\u00ad": "",
    "\u2022": "-", "\u00b7": "-", "\u2027": "-",
    "\u00d7": "x", "\u2044": "/", "\u2215": "/",
    "\u00a9": "(c)", "\u00ae": "(R)", "\u2122": "TM",
    "\t": " ", "\u00a0": " ", "\u202f": " ", "\u205f": " ", "\u3000": " ",
    **{chr(c): " " for c in range(0x2000, 0x200B)},  # en quad .. hair space
    "\u200b": "", "\u200c": "", "\u200d": "", "\u2060": "", "\ufeff": "",
}  # fmt: skip


def _letter(character: str) -> str:
    """A Latin letter GSM-7 lacks without its accent, when that is in GSM-7."""
    bare = "".join(
        c for c in unicodedata.normalize("NFKD", character) if not unicodedata.combining(c)
    )
    return bare if bare and all(c in BASIC for c in bare) else character


def plain(text: str) -> str:
    """``text`` in GSM-7 wherever a character has a plain form that says the same; as it
    is when it would not be GSM-7 even so (Japanese, Arabic): it goes in UCS-2 anyway, and
    keeps its own punctuation (調査中：, not 調査中:)."""
    out = []
    for character in text:
        if character in BASIC or character in EXTENDED:
            out.append(character)
        elif character in _PLAIN:
            out.append(_PLAIN[character])
        else:
            out.append(_letter(character))
    said = "".join(out)
    return said if fits(said) else text


def size(text: str) -> int:
    """How many places ``text`` takes in an SMS in GSM-7: an extension character two."""
    return len(text) + sum(1 for character in text if character in EXTENDED)


def fits(text: str) -> bool:
    """Whether ``text`` is all GSM-7, so that an SMS of it holds 160 characters."""
    return all(character in BASIC or character in EXTENDED for character in text)


#: What one SMS holds, alone and as a part of a longer message (the rest of a part carries
#: the header that joins the parts again): in GSM-7 places and in UCS-2 units.
GSM7_SINGLE, GSM7_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67


def segments(length: int) -> int:
    """How many SMS a text of ``length`` GSM-7 places takes."""
    return 1 if length <= GSM7_SINGLE else -(-length // GSM7_PART)


def ucs2_room(length: int) -> int:
    """How many UCS-2 units the SMS that ``length`` GSM-7 places take hold: 70 for one
    SMS of 160, 134 for the two of 306."""
    count = segments(length)
    return UCS2_SINGLE if count == 1 else count * UCS2_PART


def ucs2_size(text: str) -> int:
    """How many places ``text`` takes in an SMS in UCS-2: a UTF-16 unit each."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2

"""The values of a saved Statuspage response, read with the place they stand: every wrong
type, missing key or bad time is a MigrationError naming the file and the value's JSON path
(``incidents[3].incident_updates[0].display_at``), never a traceback deeper in.

Text is returned with what text may not hold taken out (imported text is repaired, not
refused); times must have an offset, as Statuspage writes them, and lie within the times
statusgen accepts.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from generator.core.times import RANGE_HINT, TimeError, parse_time
from generator.input.formats import ID_LENGTH, ID_PATTERN
from generator.input.text import without_forbidden
from generator.migrate.history import MigrationError

_ID = re.compile(ID_PATTERN)
#: A time of day followed by an offset: what makes a time mean one moment.
_ZONED = re.compile(r"[Tt ]\d\d:\d\d(?::\d\d(?:[.,]\d+)?)? ?(?:[Zz]|UTC|[+-]\d\d(?::?\d\d)?)$")
_EXAMPLE = "2023-01-10T18:14:45.860Z"


def kind(value: Any) -> str:
    """What a JSON value is, in words."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"the number {value}" if len(str(value)) < 40 else "a number"
    if isinstance(value, str):
        shown = without_forbidden(value)
        return f"'{shown}'" if len(shown) < 60 else "a long text"
    return "a list" if isinstance(value, list) else "an object"


class Value:
    """One value of a response (``None`` where the key is missing) and where it stands."""

    def __init__(self, value: Any, where: str, path: str = "") -> None:
        self.value = value
        self.where = where
        self.path = path

    def error(self, problem: str, fix: str) -> MigrationError:
        """What is wrong with this value, naming the file and the value's path."""
        place = f"{self.path}: " if self.path else ""
        return MigrationError(f"{self.where}: {place}{problem}; {fix}")

    def __getitem__(self, key: str) -> Value:
        """The value under ``key`` of this object (``None`` when it has no such key)."""
        if not isinstance(self.value, dict):
            raise self.error(
                f"expected an object, found {kind(self.value)}", "check the saved response"
            )
        return Value(self.value.get(key), self.where, f"{self.path}.{key}" if self.path else key)

    def has(self, key: str) -> bool:
        return isinstance(self.value, dict) and self.value.get(key) is not None

    def objects(self) -> list[Value]:
        """The objects of this list; none for null or a missing key."""
        if self.value is None:
            return []
        if not isinstance(self.value, list):
            raise self.error(
                f"expected a list, found {kind(self.value)}", "check the saved response"
            )
        items = [Value(item, self.where, f"{self.path}[{n}]") for n, item in enumerate(self.value)]
        for item in items:
            if not isinstance(item.value, dict):
                raise item.error(f"expected an object, found {kind(item.value)}", "remove the item")
        return items

    def text(self) -> str | None:
        """Text, repaired; ``None`` for null or a missing key."""
        if self.value is None:
            return None
        if not isinstance(self.value, str):
            raise self.error(f"expected text, found {kind(self.value)}", "check the saved response")
        return without_forbidden(self.value)

    def identifier(self) -> str:
        """A required id that can name a file and a page of the site."""
        value = self.value
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if value is None:
            raise self.error(
                "the id is missing", "every Statuspage record has an id: save it again"
            )
        if not isinstance(value, str) or not _ID.fullmatch(value):
            raise self.error(
                f"{kind(self.value)} is not an id",
                f"an id is 1 to {ID_LENGTH} letters, digits, '-' and '_', as Statuspage makes them",
            )
        return value

    def flag(self) -> bool:
        if self.value is None:
            return False
        if not isinstance(self.value, bool):
            raise self.error(
                f"expected true or false, found {kind(self.value)}", "check the response"
            )
        return self.value

    def time(self) -> datetime | None:
        """A time with its offset; ``None`` for null, a missing key or an empty text."""
        if self.value is None or self.value == "":
            return None
        if not isinstance(self.value, str):
            raise self.error(
                f"expected a time, found {kind(self.value)}", f"write it like {_EXAMPLE}"
            )
        text = self.value.strip()
        try:
            moment = parse_time(text, UTC)
        except TimeError as error:
            fix = error.hint if error.hint == RANGE_HINT else f"Statuspage writes {_EXAMPLE}"
            raise self.error(error.message, fix) from None
        if not _ZONED.search(text):
            raise self.error(
                f"{kind(self.value)} has no offset",
                f"Statuspage writes {_EXAMPLE}: add the offset the time was saved with",
            )
        return moment

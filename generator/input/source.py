"""Reading YAML files into plain data, remembering where every key and value stands.

The files are read as YAML 1.2 (core schema): ``NO``, ``on`` and ``yes`` stay strings and
times stay strings too (the validator parses them with the site's time zone). Anchors,
aliases, explicit tags, duplicate keys and several documents in one file are errors, so an
alias bomb fails at its first anchor, before anything is expanded.

Parsing works on libyaml's event stream rather than its constructor: the events carry the
marks we need, and no Python object is ever built from a tag.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn, Protocol

import yaml

from generator.core.diagnostics import Mark
from generator.input.text import HINT as TEXT_HINT
from generator.input.text import describe, first_forbidden, text_problem

try:
    from yaml import CSafeLoader as _EventSource
except ImportError:  # pragma: no cover - PyYAML wheels ship libyaml
    from yaml import SafeLoader as _EventSource  # type: ignore[assignment]

#: A place in a document: mapping keys and list indexes from the root.
Loc = tuple[str | int, ...]

MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 32
#: The most digits of a whole number: more than any range of the formats needs.
MAX_NUMBER_LENGTH = 30

#: Every plain scalar that is not text: one match tells a time or a word from them all.
_NOT_TEXT = re.compile(
    r"^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+]?[0-9]+|0o[0-7]+"
    r"|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|)$"
)
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_TRUE = re.compile(r"^(?:true|True|TRUE)$")
_FALSE = re.compile(r"^(?:false|False|FALSE)$")
_INT = re.compile(r"^[-+]?[0-9]+$")
_INT_OCT = re.compile(r"^0o[0-7]+$")
_INT_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")


class SourceError(Exception):
    """A file that cannot be read as the YAML we accept."""

    def __init__(self, message: str, mark: Mark, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark
        self.hint = hint


class Place(Protocol):
    """Where a key or a value starts, 0-based: the mark libyaml gave its event."""

    @property
    def line(self) -> int: ...

    @property
    def column(self) -> int: ...


@dataclass(frozen=True)
class Document:
    """The data of one YAML file and the position of each of its keys and values."""

    path: Path
    data: Any
    #: where each value and each key starts, kept as the parser's marks: most are never
    #: asked for (a Mark is made for those that are)
    values: dict[Loc, Place]
    keys: dict[Loc, Place]
    #: sha256 of the text, so that what is derived from the file can be cached by it
    digest: str = ""

    def value_mark(self, loc: Loc) -> Mark:
        """Where the value at ``loc`` starts, or its nearest known enclosing value."""
        while loc not in self.values and loc:
            loc = loc[:-1]
        place = self.values.get(loc)
        return Mark(1, 1) if place is None else Mark(place.line + 1, place.column + 1)

    def key_mark(self, loc: Loc) -> Mark:
        """Where the key of ``loc`` stands, falling back to its value."""
        place = self.keys.get(loc)
        if place is None:
            return self.value_mark(loc)
        return Mark(place.line + 1, place.column + 1)


def read_text(path: Path) -> str:
    """Read a file as UTF-8 text, naming the place of the first bad byte."""
    return decode(path.read_bytes())


def decode(raw: bytes) -> str:
    """The UTF-8 text of a file's bytes, or SourceError naming the first bad byte."""
    if len(raw) > MAX_FILE_BYTES:
        raise SourceError(
            f"the file is larger than {MAX_FILE_BYTES // 1024} KiB",
            Mark(1, 1),
            "split it, or move long text such as a postmortem to a linked page",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        raise SourceError(
            f"the file is not valid UTF-8 (byte 0x{raw[error.start]:02X})",
            Mark(line, col),
            "save the file as UTF-8",
        ) from None
    return text.removeprefix("\ufeff")


def load(path: Path) -> Document:
    """Read and parse one file; raise :class:`SourceError` on anything we do not accept."""
    return parse(read_text(path), path)


def parse(text: str, path: Path) -> Document:
    """Parse YAML text into a :class:`Document`."""
    position = first_forbidden(text)
    if position is not None:
        _refuse_character(text, position)
    parser = _EventSource(text)
    builder = _Builder(parser.get_event)
    try:
        data = builder.build()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = error.problem or "invalid YAML"
        hint = None
        if "tab" in problem:
            hint = "indent with spaces, not tabs"
        elif "mapping values are not allowed" in problem:
            hint = "put text that contains ': ' in quotes"
        elif (
            error.context
            and error.context_mark
            and re.match(r"while parsing an? (?:block|flow) (?:mapping|sequence)", error.context)
        ):
            what = re.sub(r"^while parsing (?:an? )?", "", error.context)
            hint = f"check the {what} that starts at line {error.context_mark.line + 1}"
        raise SourceError(
            f"YAML syntax error: {problem}",
            Mark(mark.line + 1, mark.column + 1) if mark else Mark(1, 1),
            hint,
        ) from None
    except yaml.reader.ReaderError as error:  # what libyaml refuses, the check above does too
        _refuse_character(text, error.position)
    except yaml.YAMLError as error:
        raise SourceError(f"YAML syntax error: {error}", Mark(1, 1)) from None
    finally:
        parser.dispose()
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Document(path, data, builder.values, builder.keys, digest)


def _refuse_character(text: str, position: int) -> NoReturn:
    before = text[:position]
    line = before.count("\n") + 1
    col = len(before) - (before.rfind("\n") + 1) + 1
    raise SourceError(
        f"the file contains {describe(text[position])}, which is not allowed in text",
        Mark(line, col),
        TEXT_HINT,
    )


def _ended() -> NoReturn:  # pragma: no cover - libyaml ends every stream with StreamEndEvent
    raise SourceError("unexpected end of the YAML document", Mark(1, 1))


def start_of(event: yaml.Event) -> tuple[int, int]:
    """The 0-based line and column where an event starts."""
    mark = event.start_mark
    return (mark.line, mark.column) if mark is not None else (0, 0)


def end_of(event: yaml.Event) -> tuple[int, int]:
    """The 0-based line and column where an event ends."""
    mark = event.end_mark
    return (mark.line, mark.column) if mark is not None else (0, 0)


def _mark(event: yaml.Event) -> Mark:
    line, col = start_of(event)
    return Mark(line + 1, col + 1)


_MAYBE_NOT_TEXT = frozenset("-+.0123456789~nNtTfF")


def _is_text(event: yaml.ScalarEvent) -> bool:
    """Whether a scalar is surely text without the patterns: quoted or a block, or plain
    and starting with no character a number, a bool or null can start with, or holding a
    colon, which none of them holds (a time: 2026-11-20T09:30:00Z)."""
    value: str = event.value
    return bool(event.style) or (bool(value) and value[0] not in _MAYBE_NOT_TEXT) or ":" in value


def _scalar(event: yaml.ScalarEvent) -> Any:
    value: str = event.value
    if _is_text(event) or not _NOT_TEXT.match(value):
        return value  # quoted, block, or plain text that is not a number, bool or null
    if _NULL.match(value):
        return None
    if _TRUE.match(value):
        return True
    if _FALSE.match(value):
        return False
    if _INT.match(value) or _INT_OCT.match(value) or _INT_HEX.match(value):
        if len(value) > MAX_NUMBER_LENGTH:  # (Python refuses to read or print longer ones)
            raise SourceError(
                f"the number {value[:12]}... has more than {MAX_NUMBER_LENGTH} digits",
                _mark(event),
                "every number statusgen reads is small: see the range the key allows, "
                "or put the value in quotes if it is text",
            )
        base = {"0o": 8, "0x": 16}.get(value[:2], 10)
        return int(value[2:] if base != 10 else value, base)
    if _FLOAT.match(value):
        return float(value)
    if _INF.match(value):
        return float("-inf") if value.startswith("-") else float("inf")
    if _NAN.match(value):
        return float("nan")
    return value


def _check_text(event: yaml.ScalarEvent) -> None:
    problem = text_problem(event.value)
    if problem is not None:
        raise SourceError(f"the text contains {problem}", _mark(event), TEXT_HINT)


def _refuse(event: yaml.Event) -> None:
    """Raise for an alias, an anchor or a tag: the YAML features we do not accept."""
    if isinstance(event, yaml.AliasEvent):
        raise SourceError(
            f"aliases (*{event.anchor}) are not allowed",
            _mark(event),
            "write the value out in full",
        )
    if isinstance(event, yaml.NodeEvent) and event.anchor is not None:
        raise SourceError(
            f"anchors (&{event.anchor}) are not allowed",
            _mark(event),
            "write each value out in full",
        )
    tag = getattr(event, "tag", None)
    if tag is not None:
        raise SourceError(
            f"YAML tags ({tag}) are not allowed",
            _mark(event),
            "remove the tag; put the value in quotes if it must stay text",
        )


class _Builder:
    """The data of a document from its events, and where each key and value stands.

    The loops are the hot path of ``check`` (hundreds of thousands of events): a scalar
    value of a mapping, most of every file, is read in place, without a call per value."""

    def __init__(self, get_event: Callable[[], Any]) -> None:
        self.values: dict[Loc, Place] = {}
        self.keys: dict[Loc, Place] = {}
        #: libyaml's events (or None past the end), untyped: read in the hot loops below
        self.get_event = get_event

    def build(self) -> Any:
        get_event = self.get_event
        data: Any = None
        documents = 0
        while True:
            event = get_event()
            if isinstance(event, yaml.StreamEndEvent):
                return data
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise SourceError(
                        "a file holds one YAML document, this one has several",
                        _mark(event),
                        "remove the '---' line and everything after it, or split the file",
                    )
                data = self._node(get_event(), (), 0)
            elif event is None:  # pragma: no cover - see _ended
                _ended()

    def _node(self, event: Any, loc: Loc, depth: int) -> Any:
        kind = type(event)  # (compared as a variable, the event stays untyped)
        if kind is yaml.ScalarEvent:
            if event.anchor is not None or event.tag is not None:
                _refuse(event)
            self.values[loc] = event.start_mark  # libyaml marks every event
            if event.style == '"':  # only escapes in double quotes can spell a control character
                _check_text(event)
            return _scalar(event)
        if event is None:  # pragma: no cover - see _ended
            _ended()
        if getattr(event, "anchor", None) is not None or getattr(event, "tag", None) is not None:
            _refuse(event)
        self.values[loc] = event.start_mark
        if isinstance(event, yaml.AliasEvent):
            _refuse(event)
        if depth >= MAX_DEPTH:
            raise SourceError(f"values are nested more than {MAX_DEPTH} levels deep", _mark(event))
        get_event = self.get_event
        if isinstance(event, yaml.SequenceStartEvent):
            items: list[Any] = []
            while True:
                item = get_event()
                if type(item) is yaml.SequenceEndEvent:
                    return items
                items.append(self._node(item, (*loc, len(items)), depth + 1))
        return self._mapping(loc, depth)

    def _mapping(self, loc: Loc, depth: int) -> dict[str, Any]:
        get_event = self.get_event
        values, keys = self.values, self.keys
        mapping: dict[str, Any] = {}
        while True:
            key = get_event()
            kind = type(key)
            if kind is yaml.MappingEndEvent:
                return mapping
            if kind is not yaml.ScalarEvent:
                if key is None:  # pragma: no cover - see _ended
                    _ended()
                _refuse(key)
                raise SourceError("a key must be plain text, not a list or mapping", _mark(key))
            if key.anchor is not None or key.tag is not None:
                _refuse(key)
            if key.style == '"':
                _check_text(key)
            name = key.value
            key_loc = (*loc, name)
            if name in mapping:
                first = keys[key_loc].line + 1
                raise SourceError(
                    f"duplicate key '{name}' (first at line {first})",
                    _mark(key),
                    "keep one of them",
                )
            keys[key_loc] = key.start_mark  # libyaml marks every event
            event = get_event()
            kind = type(event)
            if kind is not yaml.ScalarEvent or event.anchor is not None or event.tag is not None:
                mapping[name] = self._node(event, key_loc, depth + 1)
                continue
            # a scalar value, as _node reads it
            values[key_loc] = event.start_mark
            style = event.style
            if style == '"':
                _check_text(event)
            text: str = event.value
            if style or (text and text[0] not in _MAYBE_NOT_TEXT) or ":" in text:
                mapping[name] = text  # text, as _is_text tells
            else:
                mapping[name] = _scalar(event)

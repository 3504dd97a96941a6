"""Pydantic's errors as diagnostics: each names the key, its place in the file and a fix.

The shape of each file is checked by the models of ``formats.py``; this module turns what
they report into :class:`Diagnostic` lines, and holds the few helpers that name a place."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, cast, get_args, get_origin

from annotated_types import Ge, Gt, Le, Lt
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from generator.core.diagnostics import Diagnostic, Mark, did_you_mean, one_of
from generator.core.times import EXAMPLE
from generator.core.vocabulary import (
    INCIDENT_STATUSES,
    MAINTENANCE_STATUSES,
)
from generator.input.formats import (
    ID_LENGTH,
    ID_PATTERN,
)
from generator.input.source import Document, Loc

#: What to add when a required key is missing.
_MISSING_HINTS = {
    "site": "add a 'site:' section with name and url",
    "name": "add the name customers know, e.g. name: Acme Cloud Status",
    "url": "add the address the site is published at, e.g. url: https://status.acme.example/",
    "id": "add an id of letters, digits, '-' and '_'",
    "title": "add a title that says what customers experience, "
    "e.g. title: Some customers cannot sign in",
    "impact": "add impact: none, minor, major or critical",
    "updates": "add updates: with at least one '- at: ... message: ...'",
    "at": f"add the time of the update, e.g. at: {EXAMPLE}",
    "message": "add what customers should know, e.g. message: We are investigating.",
    "scheduled": "a maintenance needs its window: scheduled: {start: ..., end: ...}",
    "start": f"add the start of the window, e.g. start: {EXAMPLE}",
    "end": f"add the end of the window, e.g. end: {EXAMPLE}",
}

#: The tags of the union of ``components:`` that pydantic puts into an error's place.
_UNION_TAGS = frozenset({"<mapping>", "<list>"})

#: What the values of these keys are called in messages.
_VALUE_NOUNS = {
    "status": "status",
    "impact": "impact",
    "type": "type",
    "ignore": "lint rule",
    "disable": "lint rule",
    "min_impact": "impact",
    "events": "event",
    "language": "language",
    "languages": "language",
}

#: What to add when a channel of ``notify.channels`` misses a key.
_CHANNEL_HINTS = {
    "id": "add an id of letters, digits, '-' and '_', e.g. id: customers-email",
    "url": "add its Apprise URL, with secrets as variables, e.g. url: ${NOTIFY_EMAIL_URL}",
}


def not_a_mapping(document: Document) -> list[Diagnostic]:
    path = document.path
    if not isinstance(document.data, dict):
        found = "empty" if document.data is None else describe(document.data)
        mark = document.value_mark(())
        return [
            Diagnostic(
                path,
                mark.line,
                mark.col,
                f"the file must be a mapping of keys to values, but it is {found}",
                "start with 'title: ...' (or 'site: ...' in site_config.yml) at the left margin",
            )
        ]
    return []


def problem_at(document: Document, loc: Loc, message: str, hint: str | None = None) -> Diagnostic:
    mark = document.value_mark(loc)
    return Diagnostic(document.path, mark.line, mark.col, message, hint)


def describe(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"the yes/no value {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"the text '{value}'"


def key_name(loc: Loc) -> str:
    """How a message names the place of a value."""
    if not loc:
        return "the file"
    last = loc[-1]
    if isinstance(last, int):
        return f"item {last + 1} of '{key_name(loc[:-1]).strip(chr(39))}'"
    if len(loc) >= 2 and loc[-2] == "components":
        return f"the status of component '{last}'"
    return f"'{last}'"


def _annotation_at(model: type[BaseModel], loc: Loc) -> Any:
    """The type the model expects at ``loc``, or None where it expects nothing."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            info = current.model_fields.get(str(part))
            if info is None:
                return None
            current = info.annotation
        elif get_origin(current) is list:
            current = get_args(current)[0]
        elif get_origin(current) is dict:
            current = get_args(current)[1]
        else:
            return None
    return current


def _fields_at(model: type[BaseModel], loc: Loc) -> list[str]:
    """The keys the model allows in the mapping at ``loc``."""
    current = _unwrap(_annotation_at(model, loc))
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _bounds_at(model: type[BaseModel], loc: Loc) -> str:
    """The whole numbers the model allows at ``loc``: "from 1 to 3650", or "at least 1"."""
    parent = _unwrap(_annotation_at(model, loc[:-1]))
    low: int | None = None
    high: int | None = None
    if loc and isinstance(parent, type) and issubclass(parent, BaseModel):
        info = parent.model_fields.get(str(loc[-1]))
        for bound in _constraints([*info.metadata, info.annotation] if info else []):
            # the formats bound whole numbers only (ints, as the schema's integers)
            if isinstance(bound, Ge):
                low = cast(int, bound.ge)
            elif isinstance(bound, Gt):
                low = cast(int, bound.gt) + 1
            elif isinstance(bound, Le):
                high = cast(int, bound.le)
            elif isinstance(bound, Lt):
                high = cast(int, bound.lt) - 1
    if low is not None and high is not None:
        return f"from {low} to {high}"
    return f"at least {low}" if low is not None else f"at most {high}"


def _constraints(annotations: Iterable[Any]) -> Iterator[Any]:
    """Every bound (Ge, Gt, Le, Lt) inside these annotations, however nested."""
    for annotation in annotations:
        if isinstance(annotation, Ge | Gt | Le | Lt):
            yield annotation
        elif isinstance(annotation, FieldInfo):
            yield from _constraints(annotation.metadata)
        else:
            yield from _constraints(get_args(annotation))


def _unwrap(annotation: Any) -> Any:
    """The model, list or dict inside Annotated[...] and X | None."""
    while True:
        args = get_args(annotation)
        if hasattr(annotation, "__metadata__"):
            annotation = args[0]
        elif args and get_origin(annotation) not in (list, dict):
            candidates = [a for a in args if a is not type(None)]
            if len(candidates) != 1:
                return annotation
            annotation = candidates[0]
        else:
            return annotation


def explain(
    document: Document, errors: Sequence[ErrorDetails], model: type[BaseModel]
) -> list[Diagnostic]:
    problems = [_explain_one(document, error, model) for error in errors]
    # one line per place: pydantic can report a value twice (e.g. both union members)
    unique = {(d.line, d.col, d.message): d for d in problems}
    return list(unique.values())


def _explain_one(document: Document, error: ErrorDetails, model: type[BaseModel]) -> Diagnostic:
    loc: Loc = tuple(part for part in error["loc"] if part not in _UNION_TAGS)
    kind = error["type"]
    name = key_name(loc)
    mark: Mark | None = None
    if loc and loc[-1] == "[key]":
        loc = loc[:-1]
        mark = document.key_mark(loc)
        name = f"the key '{loc[-1]}'"
    if kind == "missing":
        mark = document.value_mark(loc[:-1])
    elif kind == "extra_forbidden":
        mark = document.key_mark(loc)
    message, hint = _key_error(kind, loc, error, model) or _value_error(
        kind, name, loc, error, model
    )
    place = mark if mark is not None else document.value_mark(loc)
    return Diagnostic(document.path, place.line, place.col, message, hint)


def _key_error(
    kind: str, loc: Loc, error: ErrorDetails, model: type[BaseModel]
) -> tuple[str, str | None] | None:
    """A key missing or unknown, or a value not among those allowed; None for other errors."""
    value = error.get("input")
    if kind == "missing":
        key = str(loc[-1])
        hints = _CHANNEL_HINTS if "channels" in loc else _MISSING_HINTS
        return f"missing required key '{key}'", hints.get(key)
    if kind == "extra_forbidden":
        key = str(loc[-1])
        hint: str | None
        if key == "scheduled" and len(loc) == 1:
            hint = "only a maintenance has a window: add 'type: maintenance'"
        elif key == "internal" and len(loc) > 1:
            hint = "'internal:' belongs at the top level of the incident file"
        else:
            hint = did_you_mean(key, _fields_at(model, loc[:-1]))
        return f"unknown key '{key}'", hint
    if kind != "literal_error":
        return None
    allowed = re.findall(r"'([^']*)'", dict(error.get("ctx") or {}).get("expected", ""))
    noun = _VALUE_NOUNS.get(str(loc[-1]), "value") if loc else "value"
    if len(loc) >= 2 and loc[-2] == "components":
        noun = "component status"
    if len(loc) >= 2 and isinstance(loc[-1], int):
        noun = _VALUE_NOUNS.get(str(loc[-2]), "value")
    if noun == "status" and value in INCIDENT_STATUSES and "scheduled" in allowed:
        return (
            f"'{value}' is not a maintenance status",
            f"a maintenance uses {one_of(MAINTENANCE_STATUSES)}",
        )
    if noun == "status" and value in MAINTENANCE_STATUSES and "resolved" in allowed:
        return (
            f"'{value}' is not an incident status",
            f"use {one_of(INCIDENT_STATUSES)}, or add 'type: maintenance' for a maintenance",
        )
    return f"unknown {noun} {_shown(value)}", did_you_mean(str(value), allowed) or (
        f"use {one_of(allowed)}"
    )


def _value_error(
    kind: str, name: str, loc: Loc, error: ErrorDetails, model: type[BaseModel]
) -> tuple[str, str | None]:
    """A value of the wrong type, form or size, named ``name``."""
    context: dict[str, Any] = dict(error.get("ctx") or {})
    value = error.get("input")
    hint: str | None = context.get("hint")
    if kind == "string_pattern_mismatch":
        if context.get("pattern") == ID_PATTERN:
            message = f"{_shown(value)} is not a valid id"
            hint = f"use at most {ID_LENGTH} letters, digits, '-' and '_'"
        elif context.get("pattern", "").startswith("^#[0-9a-fA-F]"):
            message = f"{_shown(value)} is not a colour"
            hint = "write it as #rrggbb, e.g. #0b5fff"
        else:
            message = f"{name} must not be empty"
    elif kind == "string_type":
        message = f"{name} must be text, not {describe(value)}"
        if value is None:
            hint = "write the text after the colon, or remove the key"
        elif isinstance(value, bool | int | float):
            hint = "put it in quotes to keep it as text"
    elif kind in ("dict_type", "model_type", "model_attributes_type", "mapping_type"):
        message = f"{name} must be a mapping of keys to values, not {describe(value)}"
        hint = "write 'key: value' pairs, indented under it"
    elif kind == "list_type":
        message = f"{name} must be a list, not {describe(value)}"
        hint = "write [a, b], or one '- item' per line"
    elif kind == "too_short":
        message = f"{name} must not be empty"
        if loc == ("updates",):
            message = "an incident needs at least one update"
            hint = _MISSING_HINTS["updates"]
    elif kind in ("bool_type", "bool_parsing"):
        message = f"{name} must be true or false, not {describe(value)}"
        hint = "write true or false, without quotes (YAML 1.2 reads yes and on as text)"
    elif kind in ("int_type", "int_parsing", "int_from_float"):
        message = f"{name} must be a whole number, not {describe(value)}"
    elif kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        message = f"{name} must be a whole number {_bounds_at(model, loc)}, not {value}"
    elif kind == "datetime_type":
        message = f"{name} must be a time, not {describe(value)}"
        hint = f"write it like {EXAMPLE}"
    elif kind in ("time", "timezone", "url", "components"):
        message = f"{name}: {error['msg']}" if kind == "time" else error["msg"]
        if kind == "components":
            message = f"{name} must be a mapping of component ids to statuses, or a list of ids"
            hint = "write 'components: {api: partial_outage}' or 'components: [api]'"
    else:  # pragma: no cover - a pydantic error type this module does not know yet
        message = f"{name}: {error['msg']}"

    return message, hint


def _shown(value: Any) -> str:
    return f"'{value}'" if isinstance(value, str) else describe(value)

"""What ``statusgen apply`` reads: one action (new, update, resolve) as JSON, from a file,
standard input or a GitHub event payload, with every value allowed as a string, as a form
sends it.

A GitHub event holds the action where GitHub puts the fields: ``inputs`` for
``workflow_dispatch`` (the *Run workflow* form), ``client_payload`` for
``repository_dispatch`` (the API). Every problem is found in one pass and named by field
(``event.json: components: unknown component 'auht'; did you mean 'auth'?``); nothing is
written unless the whole action is valid.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from generator.core.diagnostics import did_you_mean, one_of
from generator.core.model import SiteConfig
from generator.core.times import TimeError, parse_time
from generator.core.vocabulary import (
    COMPONENT_STATUSES,
    IMPACTS,
    INCIDENT_STATUSES,
    MAINTENANCE_STATUSES,
)
from generator.input.formats import ID_LENGTH, ID_PATTERN
from generator.input.text import text_problem

ACTIONS = ("new", "update", "resolve")
#: The fields each action takes, as the commands of the same name do.
FIELDS: dict[str, tuple[str, ...]] = {
    "new": (
        "title", "impact", "components", "regions", "status", "message", "next_update", "at",
        "maintenance", "start", "end",
    ),
    "update": ("id", "status", "message", "next_update", "at"),
    "resolve": ("id", "message", "at"),
}  # fmt: skip
#: Fields every action takes.
COMMON = ("action", "key", "review")
#: What the incident workflow's form calls a field.
ALIASES = {"incident": "id"}
#: A form's choice that leaves the value to statusgen (GitHub needs a default for each).
AUTOMATIC = "auto"
KEY_LENGTH = 100

_DURATION = re.compile(r"(?:(\d+)\s*d)?\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?", re.IGNORECASE)
_ID = re.compile(ID_PATTERN)
_TRUE, _FALSE = ("true", "yes", "1"), ("false", "no", "0", "")


class ActionError(Exception):
    """The action is not valid: one ``(field, message)`` per problem."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{where}: {what}" for where, what in problems))
        self.problems = problems


@dataclass(frozen=True)
class Action:
    """One valid action; times in the site's time zone where they were naive."""

    action: str
    message: str
    id: str | None = None
    title: str | None = None
    impact: str | None = None
    components: dict[str, str | None] = field(default_factory=dict)
    regions: tuple[str, ...] = ()
    status: str | None = None
    #: A time, or a duration from the update's own time (``30m``).
    next_update: datetime | timedelta | None = None
    at: datetime | None = None
    key: str | None = None
    review: bool = False
    maintenance: bool = False
    start: datetime | None = None
    end: datetime | None = None


def load_payload(text: str) -> dict[str, Any]:
    """The action in ``text``: an action object, or a GitHub event payload holding one.
    ActionError when it is not JSON or holds no action."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ActionError(
            [("JSON", f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}")]
        ) from None
    if not isinstance(data, dict):
        raise ActionError([("JSON", 'expected an object such as {"action": "new", ...}')])
    for holder in ("client_payload", "inputs"):  # repository_dispatch, workflow_dispatch
        if isinstance(data.get(holder), dict):
            found: dict[str, Any] = data[holder]
            return found
    return data


def read_action(data: dict[str, Any], config: SiteConfig) -> Action:
    """The action ``data`` describes, checked field by field against ``config``."""
    values = {ALIASES.get(name, name): value for name, value in data.items()}
    values = {name: value for name, value in values.items() if not _blank(name, value)}
    problems: list[tuple[str, str]] = []
    kind = values.get("action")
    if kind is None:
        raise ActionError([("action", f"missing; say which action: {one_of(ACTIONS)}")])
    if kind not in ACTIONS:
        hint = did_you_mean(str(kind), ACTIONS) or f"use {one_of(ACTIONS)}"
        raise ActionError([("action", f"unknown action {json.dumps(kind)}; {hint}")])
    allowed = (*COMMON, *FIELDS[kind])
    for name in values:
        if name in allowed:
            continue
        others = [a for a in ACTIONS if name in FIELDS[a]]
        if others:
            problems.append((name, f"'{name}' is not a field of {kind}; only of {one_of(others)}"))
        else:
            hint = did_you_mean(name, allowed) or f"use {one_of(allowed)}"
            problems.append((name, f"unknown field; {hint}"))
    reader = _Reader({n: v for n, v in values.items() if n in allowed}, config, problems)
    action = Action(
        action=kind,
        message=reader.text("message", required=True) or "",
        id=reader.identifier("id"),
        title=reader.text("title", required=kind == "new"),
        impact=reader.choice("impact", (*IMPACTS, "maintenance")),
        components=reader.components("components"),
        regions=reader.listed("regions"),
        status=reader.choice("status", (*INCIDENT_STATUSES, *MAINTENANCE_STATUSES)),
        next_update=reader.promise("next_update"),
        at=reader.time("at"),
        key=reader.key("key"),
        review=reader.flag("review"),
        maintenance=reader.flag("maintenance"),
        start=reader.time("start"),
        end=reader.time("end"),
    )
    if action.maintenance and (action.start is None or action.end is None):
        problems.append(("maintenance", "a maintenance needs start and end: its window"))
    if not action.maintenance and (action.start or action.end):
        problems.append(("start", "start and end go with maintenance: true"))
    if problems:
        raise ActionError(problems)
    return action


def _blank(name: str, value: Any) -> bool:
    """A field a form left empty, or a choice left to statusgen, is no field at all."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return True
    return name in _CHOICES and isinstance(value, str) and value.strip() == AUTOMATIC


class _Reader:
    """Reads each field from its string (or JSON) form, noting problems instead of raising."""

    def __init__(
        self, values: dict[str, Any], config: SiteConfig, problems: list[tuple[str, str]]
    ) -> None:
        self.values = values
        self.config = config
        self.problems = problems

    def _string(self, name: str) -> str | None:
        value = self.values.get(name)
        if value is None:
            return None
        if not isinstance(value, str):
            self.problems.append((name, f"expected text, not {json.dumps(value)}"))
            return None
        problem = text_problem(value)
        if problem is not None:
            self.problems.append((name, f"contains {problem}"))
            return None
        return value.strip()

    def text(self, name: str, required: bool = False) -> str | None:
        value = self._string(name)
        if value is None and required and name not in self.values:
            self.problems.append((name, f"missing; {_NEEDS[name]}"))
        return value

    def identifier(self, name: str) -> str | None:
        value = self._string(name)
        if value is not None and not _ID.match(value):
            self.problems.append(
                (name, f"'{value}' is not an id: at most {ID_LENGTH} letters, digits, - and _")
            )
            return None
        return value

    def choice(self, name: str, allowed: tuple[str, ...]) -> str | None:
        value = self._string(name)
        if value is not None and value not in allowed:
            hint = did_you_mean(value, allowed) or f"use {one_of(allowed)}"
            self.problems.append((name, f"unknown {name} '{value}'; {hint}"))
            return None
        return value

    def listed(self, name: str) -> tuple[str, ...]:
        value = self.values.get(name)
        items = value if isinstance(value, list) else None
        if items is None:
            text = self._string(name)
            items = [] if text is None else text.split(",")
        found: list[str] = []
        for item in items:
            if not isinstance(item, str) or text_problem(item) is not None:
                self.problems.append((name, f"{json.dumps(item)} is not usable text"))
            elif item.strip():
                found.append(item.strip())
        return tuple(found)

    def components(self, name: str) -> dict[str, str | None]:
        known = [component.id for component in self.config.components]
        parsed: dict[str, str | None] = {}
        for item in self.listed(name):
            component, _, status = (part.strip() for part in item.partition("="))
            if component not in known:
                hint = did_you_mean(component, known) or (
                    f"use {one_of(known)}" if known else "add components to site_config.yml"
                )
                self.problems.append((name, f"unknown component '{component}'; {hint}"))
            elif status and status not in COMPONENT_STATUSES:
                hint = did_you_mean(status, COMPONENT_STATUSES) or (
                    f"use {one_of(COMPONENT_STATUSES)}"
                )
                self.problems.append((name, f"unknown component status '{status}'; {hint}"))
            else:
                parsed[component] = status or None
        return parsed

    def time(self, name: str) -> datetime | None:
        value = self._string(name)
        if value is None:
            return None
        try:
            return parse_time(value, self.config.timezone)
        except TimeError as error:
            self.problems.append((name, f"{error.message}; {error.hint}"))
            return None

    def promise(self, name: str) -> datetime | timedelta | None:
        value = self._string(name)
        if value is None:
            return None
        match = _DURATION.fullmatch(value)
        if match is not None and any(match.groups()):
            days, hours, minutes = (int(part or 0) for part in match.groups())
            duration = timedelta(days=days, hours=hours, minutes=minutes)
            if duration > timedelta(0):
                return duration
        try:
            return parse_time(value, self.config.timezone)
        except TimeError as error:
            self.problems.append(
                (name, f"{error.message}; or give a duration from now such as 30m, 2h or 1h30m")
            )
            return None

    def key(self, name: str) -> str | None:
        value = self._string(name)
        if value is not None and (len(value) > KEY_LENGTH or "\n" in value):
            self.problems.append((name, f"a key is one line of at most {KEY_LENGTH} characters"))
            return None
        return value

    def flag(self, name: str) -> bool:
        value = self.values.get(name)
        if value is None or isinstance(value, bool):
            return bool(value)
        if isinstance(value, str) and value.strip().lower() in (*_TRUE, *_FALSE):
            return value.strip().lower() in _TRUE
        self.problems.append((name, f"expected true or false, not {json.dumps(value)}"))
        return False


#: The fields the incident workflow's form offers as choices, with "auto" among them.
_CHOICES = ("impact", "status")

_NEEDS = {
    "message": "say what customers should know now (Markdown)",
    "title": "a new incident needs a title that says what customers experience",
}

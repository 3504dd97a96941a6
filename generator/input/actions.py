"""What ``statusgen apply`` reads: one action (new, update, resolve) as JSON, from a file,
standard input or a GitHub event payload, with every value allowed as a string, as a form
sends it.

A GitHub event holds the action where GitHub puts the fields: ``inputs`` for
``workflow_dispatch`` (the *Run workflow* form), ``client_payload`` for
``repository_dispatch`` (the API). Every problem is found in one pass and named by field
(``event.json: components: unknown component 'auht'; did you mean 'auth'?``); nothing is
written unless the whole action is valid.

What comes from outside is bounded before it is used: the text's size, how deeply its
JSON nests (an action is an object of texts and lists of texts; a GitHub event wraps it in
a few levels more), and every number, so that each time computed from an action stays
within the times statusgen handles.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from generator.core.diagnostics import did_you_mean, one_of
from generator.core.model import SiteConfig
from generator.core.times import Promise, TimeError, parse_promise, parse_time
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
        "maintenance", "start", "end", "lang", "force",
    ),
    "update": (
        "id", "incident_key", "status", "message", "next_update", "at", "components", "impact",
        "title", "lang", "force",
    ),
    "resolve": ("id", "incident_key", "message", "at", "lang", "force"),
}  # fmt: skip
#: Fields every action takes.
COMMON = ("action", "key", "review")
#: What the incident workflow's form calls a field.
ALIASES = {"incident": "id"}
#: A form's choice that leaves the value to statusgen (GitHub needs a default for each).
AUTOMATIC = "auto"
KEY_LENGTH = 100
#: The largest action file or event payload (GitHub's own payloads are far smaller).
MAX_PAYLOAD_BYTES = 1024 * 1024
#: How deeply a payload's JSON may nest: a GitHub event holds its fields up to 5 levels
#: deep (``repository.owner...``), an action 2 (an object, a list of texts).
MAX_DEPTH = 8

_ID = re.compile(ID_PATTERN)
_FIELD_NAME = re.compile(r"[A-Za-z0-9_-]{1,40}")
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
    #: The incident whose file records this key (the key of the action that opened it).
    incident_key: str | None = None
    title: str | None = None
    impact: str | None = None
    components: dict[str, str | None] = field(default_factory=dict)
    regions: tuple[str, ...] = ()
    status: str | None = None
    #: A time, a time of day (the next such moment) or a duration from the update's own
    #: time (``30m``).
    next_update: Promise | None = None
    at: datetime | None = None
    key: str | None = None
    review: bool = False
    maintenance: bool = False
    start: datetime | None = None
    end: datetime | None = None
    #: The language of the texts: one other than the default writes a translation.
    lang: str | None = None
    force: bool = False


def load_payload(text: str) -> dict[str, Any]:
    """The action in ``text``: an action object, or a GitHub event payload holding one.
    ActionError when it is not JSON, nests deeper than an event, or holds no action."""
    if len(text) > MAX_PAYLOAD_BYTES:
        raise ActionError([("JSON", f"larger than {MAX_PAYLOAD_BYTES // 1024} KiB; {_SMALL}")])
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ActionError(
            [("JSON", f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}")]
        ) from None
    except RecursionError:  # json's parser recurses once per level
        raise ActionError([("JSON", _TOO_DEEP)]) from None
    except ValueError:  # a number of more digits than Python reads (4300)
        raise ActionError([("JSON", f"a number has thousands of digits; {_SMALL}")]) from None
    if _depth(data) > MAX_DEPTH:
        raise ActionError([("JSON", _TOO_DEEP)])
    if not isinstance(data, dict):
        raise ActionError([("JSON", 'expected an object such as {"action": "new", ...}')])
    for holder in ("client_payload", "inputs"):  # repository_dispatch, workflow_dispatch
        if isinstance(data.get(holder), dict):
            found: dict[str, Any] = data[holder]
            return found
    return data


_SMALL = 'an action is an object of a few short texts, such as {"action": "new", ...}'
_TOO_DEEP = (
    f"nested more than {MAX_DEPTH} levels deep; an action is an object of texts and lists "
    'of texts, such as {"action": "new", "components": ["api"], ...}'
)


def _depth(data: Any) -> int:
    """How many levels of objects and lists ``data`` nests, counted without recursion."""
    deepest, pending = 0, [(data, 1)]
    while pending:
        value, level = pending.pop()
        if isinstance(value, dict):
            value = list(value.values())
        if isinstance(value, list):
            deepest = max(deepest, level)
            if level <= MAX_DEPTH:  # deeper is too deep already
                pending.extend((item, level + 1) for item in value)
    return deepest


def _shown(value: Any) -> str:
    """A value as a message quotes it: JSON, escaped, and short."""
    text = json.dumps(value, ensure_ascii=False)
    text = text if text.isprintable() else text.encode("unicode_escape").decode("ascii")
    return text if len(text) <= 60 else text[:57] + "..."


def _where(name: str) -> str:
    """A field's name as a message names it: as written when it looks like a name."""
    return name if _FIELD_NAME.fullmatch(name) else _shown(name)


def read_action(data: dict[str, Any], config: SiteConfig) -> Action:
    """The action ``data`` describes, checked field by field against ``config``."""
    values = {ALIASES.get(name, name): value for name, value in data.items()}
    values = {name: value for name, value in values.items() if not _blank(name, value)}
    problems: list[tuple[str, str]] = []
    kind = values.get("action")
    if kind is None:
        raise ActionError([("action", f"missing; say which action: {one_of(ACTIONS)}")])
    if kind not in ACTIONS:
        hint = (isinstance(kind, str) and did_you_mean(kind, ACTIONS)) or f"use {one_of(ACTIONS)}"
        raise ActionError([("action", f"unknown action {_shown(kind)}; {hint}")])
    allowed = (*COMMON, *FIELDS[kind])
    for name in values:
        if name in allowed:
            continue
        others = [a for a in ACTIONS if name in FIELDS[a]]
        if others:
            problems.append((name, f"'{name}' is not a field of {kind}; only of {one_of(others)}"))
        else:
            hint = did_you_mean(name, allowed) or f"use {one_of(allowed)}"
            problems.append((_where(name), f"unknown field; {hint}"))
    reader = _Reader({n: v for n, v in values.items() if n in allowed}, config, problems)
    action = Action(
        action=kind,
        message=reader.text("message", required=True) or "",
        id=reader.identifier("id"),
        incident_key=reader.key("incident_key"),
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
        lang=reader.choice("lang", config.languages),
        force=reader.flag("force"),
    )
    if kind == "update" and any(status is None for status in action.components.values()):
        problems.append(("components", "an update gives each component's status: auth=operational"))
    if action.maintenance and (action.start is None or action.end is None):
        problems.append(("maintenance", "a maintenance needs start and end: its window"))
    if not action.maintenance and (action.start or action.end):
        problems.append(("start", "start and end go with maintenance: true"))
    if action.id is not None and action.incident_key is not None:
        problems.append(("incident_key", "name the incident by id or by incident_key; not both"))
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
            self.problems.append((name, f"expected text, not {_shown(value)}"))
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
                self.problems.append((name, f"{_shown(item)} is not usable text"))
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

    def promise(self, name: str) -> Promise | None:
        value = self._string(name)
        if value is None:
            return None
        try:
            return parse_promise(value, self.config.timezone)
        except TimeError as error:
            self.problems.append((name, f"{error.message}; {error.hint}"))
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
        self.problems.append((name, f"expected true or false, not {_shown(value)}"))
        return False


#: The fields the incident workflow's form offers as choices, with "auto" among them.
_CHOICES = ("impact", "status")

_NEEDS = {
    "message": "say what customers should know now (Markdown)",
    "title": "a new incident needs a title that says what customers experience",
}


def draft_name(key: str | None, run: str) -> str:
    """The name of the branch a review's pull request comes from (``incident/<name>``):
    the action's key, so that the same action sent again finds its draft open, made a valid
    ref name where it is not one (with a hash of the key, so that two keys never share a
    branch); without a key, the workflow run's id."""
    if key is None:
        return re.sub(r"[^0-9A-Za-z-]", "-", run) or "draft"
    if re.fullmatch(r"[a-z0-9][a-z0-9-]*", key):
        return key
    slug = re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")[:60]
    digest = hashlib.sha256(key.encode()).hexdigest()[:12]
    return f"{slug}-{digest}" if slug else digest

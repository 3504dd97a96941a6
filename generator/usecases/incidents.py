"""Writing incidents: a new one, an update, the all clear. The terminal and ``apply``
(the form, bots, the relay) arrive here with the same requests."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from generator.core import rules
from generator.core.diagnostics import did_you_mean, display_path, one_of
from generator.core.model import Incident, SiteConfig
from generator.core.times import RANGE_HINT, TimeError, check_range, to_utc_seconds
from generator.core.vocabulary import (
    COMPONENT_STATUSES,
    INCIDENT_STATUSES,
    MAINTENANCE_STATUSES,
    component_statuses,
    impact_from_statuses,
)
from generator.input.authoring import (
    NewIncident,
    append_update,
    locked,
    new_incident_path,
    next_time,
    update_entry,
    write_new,
)
from generator.input.schemas import INCIDENT_SCHEMA, SCHEMA_DIR
from generator.input.text import HINT as TEXT_HINT
from generator.input.text import text_problem
from generator.input.validate import CONFIG_NAME, incident_index
from generator.usecases.errors import InvalidInput, authoring
from generator.usecases.workspace import Workspace

Promise = datetime | timedelta | None
"""A promised next update: a time, or a duration from the update's own time."""


@dataclass(frozen=True, kw_only=True)
class Post:
    """What every update says, and when (default: now); ``key`` names the action that
    made it, so that it is applied once."""

    message: str
    at: datetime | None = None
    key: str | None = None


@dataclass(frozen=True, kw_only=True)
class NewRequest(Post):
    """A new incident, or a maintenance when it has a ``window``."""

    title: str
    impact: str | None = None
    components: Mapping[str, str | None] = field(default_factory=dict)
    regions: tuple[str, ...] = ()
    status: str | None = None
    window: tuple[datetime, datetime] | None = None
    next_update: Promise = None


@dataclass(frozen=True, kw_only=True)
class UpdateRequest(Post):
    """An update to the incident ``incident_id``; its status unchanged when ``None``."""

    incident_id: str
    status: str | None = None
    next_update: Promise = None


@dataclass(frozen=True, kw_only=True)
class ResolveRequest(Post):
    """The all clear for ``incident_id``: resolved, or completed for a maintenance."""

    incident_id: str


def new_incident(workspace: Workspace, request: NewRequest) -> Path:
    """Write a new incident file; its path."""
    config = workspace.config
    check_components(request.components.items(), config)
    check_message(request.message)
    maintenance = request.window is not None
    if not request.title.strip():
        raise InvalidInput("the title is empty", hint="say what customers experience")
    _check_text(request.title, "the title")
    status = request.status or rules.default_status("maintenance" if maintenance else "incident")
    _check_status(status, maintenance)
    impact = request.impact
    if impact == "maintenance" and not maintenance:
        raise InvalidInput("'maintenance' is the impact of a maintenance", hint="add --maintenance")
    if impact is None and not maintenance:
        impact = impact_from_statuses(request.components.values())
    moment = to_utc_seconds(request.at or datetime.now(UTC))
    window = request.window
    if window is not None:
        window = (to_utc_seconds(window[0]), to_utc_seconds(window[1]))
    record = NewIncident(
        title=request.title.strip(),
        message=request.message,
        at=moment,
        status=status,
        impact=impact,
        components=component_statuses(request.components, impact),
        regions=request.regions,
        window=window,
        next_update=_promise(moment, request.next_update),
        key=request.key,
    )
    root = workspace.root
    taken = set(incident_index(root))
    path = new_incident_path(root, config, window[0] if window else moment, request.title, taken)
    schema = root / SCHEMA_DIR / INCIDENT_SCHEMA
    with authoring():
        write_new(path, record, config, schema if schema.is_file() else None)
    return path


def update_incident(workspace: Workspace, request: UpdateRequest) -> Path:
    """Add an update to an incident's file, keeping its comments and layout; its path."""

    def status(incident: Incident) -> str | None:
        if request.status is not None:
            _check_status(request.status, incident.is_maintenance)
        return request.status

    return _lock_and_append(workspace, request, status)


def resolve_incident(workspace: Workspace, request: ResolveRequest) -> Path:
    """Post the all clear for an incident; its file's path."""
    update = UpdateRequest(
        incident_id=request.incident_id, message=request.message, at=request.at, key=request.key
    )
    return _lock_and_append(workspace, update, closing_status)


def closing_status(incident: Incident) -> str:
    """The status of an all clear: a maintenance completes, an incident is resolved."""
    return rules.closing_status(incident.kind)


def _lock_and_append(
    workspace: Workspace, request: UpdateRequest, status: Callable[[Incident], str | None]
) -> Path:
    """Lock the incident's file, read it again as it now is, choose the status, append."""
    with _writing(workspace.incident(request.incident_id).path):
        incident = workspace.incident(request.incident_id)  # now that no one else writes
        chosen = status(incident)
        moment = next_time(incident, request.at or datetime.now(UTC))
        check_message(request.message)
        promised = _promise(moment, request.next_update)
        entry = update_entry(moment, request.message, chosen, promised, request.key)
        with authoring():
            append_update(incident.path, entry, workspace.config)
    return incident.path


@contextlib.contextmanager
def _writing(path: Path) -> Iterator[None]:
    """The incident file to this use case alone, while it reads and writes it."""
    try:
        with locked(path):
            yield
    except TimeoutError:
        raise InvalidInput(
            f"another statusgen command is writing {display_path(path)}",
            hint="wait for it to finish, then run this one again",
        ) from None


def check_message(message: str) -> None:
    """A message customers can read: not empty, only characters text may hold."""
    if not message.strip():
        raise InvalidInput("the message is empty", hint="say what customers experience")
    _check_text(message, "the message")


def _check_text(text: str, what: str) -> None:
    problem = text_problem(text)
    if problem is not None:
        raise InvalidInput(f"{what} contains {problem}", hint=TEXT_HINT)


def _check_status(status: str, maintenance: bool) -> None:
    allowed = MAINTENANCE_STATUSES if maintenance else INCIDENT_STATUSES
    if status not in allowed:
        kind = "a maintenance" if maintenance else "an incident"
        raise InvalidInput(f"'{status}' is not a status of {kind}", hint=f"use {one_of(allowed)}")


def check_components(pairs: Iterable[tuple[str, str | None]], config: SiteConfig) -> None:
    """Each component one of the site's, each status one a component can have (each of the
    pairs given, also a component given twice)."""
    for component, status in pairs:
        if component not in config.component_ids:
            hint = did_you_mean(component, config.component_ids) or (
                f"use one of {one_of(sorted(config.component_ids))}"
                if config.component_ids
                else f"add components to {CONFIG_NAME} first"
            )
            raise InvalidInput(f"unknown component '{component}'", hint=hint)
        if status and status not in COMPONENT_STATUSES:
            hint = did_you_mean(status, COMPONENT_STATUSES) or f"use {one_of(COMPONENT_STATUSES)}"
            raise InvalidInput(f"unknown component status '{status}'", hint=hint)


def _promise(moment: datetime, next_update: Promise) -> datetime | None:
    """The promised next update as a time after the update's own, or ``InvalidInput``."""
    if next_update is None:
        return None
    promised = moment + next_update if isinstance(next_update, timedelta) else next_update
    promised = to_utc_seconds(promised)
    try:
        check_range(promised)
    except TimeError:
        raise InvalidInput(
            f"the next update would be at {promised:%Y-%m-%d %H:%M} UTC, "
            "outside the supported range of times",
            hint=RANGE_HINT,
        ) from None
    if promised <= moment:
        raise InvalidInput(
            "the next update is not after the update itself",
            hint="promise the time the next update will really come",
        )
    return promised

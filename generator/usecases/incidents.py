"""Writing incidents: a new one, an update, the all clear. The terminal and ``apply``
(the form, bots, the relay) arrive here with the same requests."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from generator.core import rules, times
from generator.core.diagnostics import did_you_mean, display_path, one_of
from generator.core.model import Incident, SiteConfig
from generator.core.times import RANGE_HINT, TimeError, check_range, to_utc_seconds
from generator.core.vocabulary import (
    COMPONENT_STATUSES,
    IMPACTS,
    INCIDENT_STATUSES,
    MAINTENANCE_STATUSES,
    component_statuses,
    impact_from_statuses,
    label,
)
from generator.input.authoring import (
    AuthoringError,
    NewIncident,
    append_update,
    locked,
    new_incident_path,
    next_time,
    translate,
    update_entry,
    write_new,
)
from generator.input.schemas import INCIDENT_SCHEMA, SCHEMA_DIR
from generator.input.text import HINT as TEXT_HINT
from generator.input.text import text_problem
from generator.input.validate import CONFIG_NAME, incident_index, read_incident
from generator.language import words
from generator.usecases.errors import InvalidInput
from generator.usecases.workspace import Workspace

Promise = times.Promise | None
"""A promised next update: a time, a time of day (the next such moment), or a duration
from the update's own time."""


#: How far ahead of now an update may be dated without --force: a clock a little ahead.
FUTURE_SLACK = timedelta(minutes=5)


@dataclass(frozen=True, kw_only=True)
class Post:
    """What every update says, and when (default: now); ``key`` names the action that
    made it, so that it is applied once. ``at`` more than 5 minutes after the clock, or
    before the incident's first update, is refused unless ``force``. ``now`` decides which
    incident is the open one when none is named (default: the clock). With ``lang`` (one
    of the site's languages other than the default), the texts are that language's
    translation of the latest update's (see :func:`translate`)."""

    message: str
    at: datetime | None = None
    key: str | None = None
    now: datetime | None = None
    force: bool = False
    lang: str | None = None


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
    """An update to the incident ``incident_id`` (an id, its file's path or a unique prefix;
    None: the only open incident); its status unchanged when ``None``. ``components`` set
    their statuses from this update on; ``impact`` and ``title`` change the incident's."""

    incident_id: str | None = None
    status: str | None = None
    next_update: Promise = None
    components: Mapping[str, str] = field(default_factory=dict)
    impact: str | None = None
    title: str | None = None


@dataclass(frozen=True, kw_only=True)
class ResolveRequest(Post):
    """The all clear for ``incident_id`` (as :class:`UpdateRequest` names it): resolved,
    or completed for a maintenance."""

    incident_id: str | None = None


def new_incident(workspace: Workspace, request: NewRequest) -> Path:
    """Write a new incident file; its path."""
    config = workspace.config
    _check_language(request, config, new=True)
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
    moment = _checked_time(request, config, first=None)
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
        next_update=_promise(moment, request.next_update, config),
        key=request.key,
    )
    root = workspace.root
    taken = set(incident_index(root))
    path = new_incident_path(root, config, window[0] if window else moment, request.title, taken)
    schema = root / SCHEMA_DIR / INCIDENT_SCHEMA
    with _authoring():
        write_new(path, record, config, schema if schema.is_file() else None)
    return path


def update_incident(workspace: Workspace, request: UpdateRequest) -> Path:
    """Add an update to an incident's file, keeping its comments and layout; its path.
    With ``lang``, add that language's text to the latest update instead."""
    config = workspace.config
    check_components(request.components.items(), config)
    if request.title is not None:
        if not request.title.strip():
            raise InvalidInput("the title is empty", hint="say what customers experience")
        _check_text(request.title, "the title")
    if _check_language(request, config):
        return _translate(workspace, request)
    if request.impact == "maintenance":
        raise InvalidInput(
            "'maintenance' is the impact a maintenance has by default",
            hint=f"use {one_of(IMPACTS)}",
        )

    def status(incident: Incident) -> str | None:
        if request.status is not None:
            _check_status(request.status, incident.is_maintenance)
        return request.status

    return _lock_and_append(workspace, request, status)


def resolve_incident(workspace: Workspace, request: ResolveRequest) -> Path:
    """Post the all clear for an incident; its file's path. With ``lang``, add that
    language's text to the all clear already posted instead."""
    update = UpdateRequest(
        incident_id=request.incident_id,
        message=request.message,
        at=request.at,
        key=request.key,
        now=request.now,
        force=request.force,
        lang=request.lang,
    )
    if _check_language(update, workspace.config):
        return _translate(workspace, update, closing=True)
    return _lock_and_append(workspace, update, closing_status)


def closing_status(incident: Incident) -> str:
    """The status of an all clear: a maintenance completes, an incident is resolved."""
    return rules.closing_status(incident.kind)


def summary(workspace: Workspace, path: Path, action: str) -> str:
    """One line saying what ``action`` (new, update, resolve) did, from the file as it now
    is: "update to <id> (Identified, major): <title>"."""
    incident, _ = read_incident(path, workspace.config)
    assert incident is not None  # written only after it was found valid
    latest = incident.latest_update
    said = {"new": "new", "update": "update to", "resolve": "all clear for"}[action]
    state = label("status", latest.status)
    if not incident.is_maintenance:
        state += f", {label('impact', incident.impact).lower()}"
    # One line, whatever the title holds: a title from a monitor's annotation may hold line
    # breaks, and a line of it that begins with "::" is a command to GitHub's runner, which
    # reads the workflow's log (this line is printed there) as they come.
    title = " ".join(incident.title.splitlines())
    return f"{said} {incident.id} ({state}): {title}"


def incident_id(workspace: Workspace, given: str | None, now: datetime | None = None) -> str:
    """The id of the incident ``given`` names (an id, its file's path, a unique prefix of
    an id), or without one the only open incident at ``now`` (default: the clock)."""
    if given is None:
        return workspace.only_open(now or datetime.now(UTC))
    return workspace.find(given)


def _lock_and_append(
    workspace: Workspace, request: UpdateRequest, status: Callable[[Incident], str | None]
) -> Path:
    """Lock the incident's file, read it again as it now is, choose the status, append."""
    found = incident_id(workspace, request.incident_id, request.now)
    config = workspace.config
    with _writing(workspace.incident(found).path):
        incident = workspace.incident(found)  # now that no one else writes
        chosen = status(incident)
        moment = next_time(incident, _checked_time(request, config, first=incident))
        check_message(request.message)
        promised = _promise(moment, request.next_update, config)
        entry = update_entry(
            moment, request.message, chosen, promised, request.key, request.components
        )
        changes = {"title": request.title, "impact": request.impact}
        with _authoring():
            append_update(incident.path, entry, config, changes)
    return incident.path


def _translate(workspace: Workspace, request: UpdateRequest, closing: bool = False) -> Path:
    """Add ``request.lang``'s text to the latest update (and the title), as translations
    beside the default language's: a plain text becomes a mapping by language. Without an
    incident named, the one updated last (a translation follows what was just posted,
    the all clear too)."""
    found = request.incident_id and workspace.find(request.incident_id)
    found = found or workspace.latest()  # the one just written, open or not
    with _writing(workspace.incident(found).path):
        incident = workspace.incident(found)
        if closing and not incident.is_resolved:
            raise InvalidInput(
                f"{incident.id} has no all clear to translate yet",
                hint="post the all clear in the default language first, then its translation",
            )
        check_message(request.message)
        assert request.lang is not None
        with _authoring():
            translate(incident, workspace.config, request.lang, request.message, request.title)
    return incident.path


def _check_language(request: Post, config: SiteConfig, new: bool = False) -> bool:
    """Whether the request is a translation: ``lang`` one of the site's languages other
    than the default. Only the texts go with it."""
    lang = request.lang
    if lang is None or lang == config.default_language:
        return False
    if lang not in config.languages:
        raise InvalidInput(
            f"'{lang}' is not one of the site's languages",
            hint=f"use {one_of(config.languages)} (site.languages in {CONFIG_NAME})",
        )
    if new:
        raise InvalidInput(
            f"a new incident is written in the site's default language "
            f"({config.default_language}) first",
            hint=f"then add its {lang} text with: statusgen update ID --lang {lang} "
            "--message TEXT --title TEXT",
        )
    if isinstance(request, UpdateRequest) and (
        request.status or request.components or request.impact or request.next_update
    ):
        raise InvalidInput(
            f"--lang {lang} adds a translation to the latest update; it takes only the texts",
            hint="post the update in the default language first (status, components, impact, "
            "next update), then its translation",
        )
    return True


def _checked_time(request: Post, config: SiteConfig, first: Incident | None) -> datetime:
    """``request.at`` (default: now) in whole seconds, refused unless ``force`` when more
    than 5 minutes after now, or before the first update of the incident ``first``."""
    now = datetime.now(UTC)  # the clock, whatever --now says of the page
    moment = to_utc_seconds(request.at or now)
    if request.force:
        return moment
    said = words(config.default_language)
    zone = config.timezone
    if moment > now + FUTURE_SLACK:
        raise InvalidInput(
            f"the update would be dated {said.when(moment, zone)}, after now "
            f"({said.when(now, zone)}): readers would not see it until then",
            hint="check the date of --at, or add --force to schedule it",
        )
    if first is not None and moment < first.first_update.at:
        raise InvalidInput(
            f"the update would be dated {said.when(moment, zone)}, before the incident's "
            f"first update ({said.when(first.first_update.at, zone)})",
            hint="check the date of --at; a time before the first moves the page's 'Since' "
            "(--force to write it anyway, or set started: for when impact began)",
        )
    return moment


@contextlib.contextmanager
def _authoring() -> Iterator[None]:
    """A file that could not be written, as invalid input (nothing was changed)."""
    try:
        yield
    except AuthoringError as error:
        raise InvalidInput(error.message, error.diagnostics, error.hint) from None


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


def _promise(moment: datetime, next_update: Promise, config: SiteConfig) -> datetime | None:
    """The promised next update as a time after the update's own, or ``InvalidInput``
    naming both."""
    if next_update is None:
        return None
    promised = to_utc_seconds(times.promised_at(moment, next_update, config.timezone))
    try:
        check_range(promised)
    except TimeError:
        raise InvalidInput(
            f"the next update would be at {promised:%Y-%m-%d %H:%M} UTC, "
            "outside the supported range of times",
            hint=RANGE_HINT,
        ) from None
    if promised <= moment:
        said = words(config.default_language)
        raise InvalidInput(
            f"the next update ({said.when(promised, config.timezone)}) is not after the "
            f"update itself ({said.when(moment, config.timezone)})",
            hint="promise the time the next update will really come, or a duration such as 30m",
        )
    return promised

"""Incident files: one file's rules, and the record of ``model.py`` it becomes."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from generator.core import rules
from generator.core.diagnostics import Diagnostic, Mark, did_you_mean, one_of
from generator.core.model import (
    TRANSLATED_FIELDS,
    ComponentChange,
    Incident,
    SiteConfig,
    Update,
    Window,
)
from generator.core.times import format_utc
from generator.core.vocabulary import (
    OPERATIONAL,
    STATUS_FROM_IMPACT,
    ComponentStatus,
)
from generator.input.explain import explain, key_name, not_a_mapping, problem_at
from generator.input.formats import (
    ID_LENGTH,
    ID_PATTERN,
    IncidentFile,
    IncidentUpdate,
    MaintenanceFile,
    MaintenanceUpdate,
    record_model,
)
from generator.input.site_config import CONFIG_NAME
from generator.input.source import Document, Loc, SourceError, decode, parse

_ID = re.compile(ID_PATTERN)


def read_incident(
    path: Path, config: SiteConfig | None
) -> tuple[Incident | None, list[Diagnostic]]:
    """Validate one incident file against the site's config (when that is valid)."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        return None, [Diagnostic(path, 1, 1, f"cannot read the file: {error.strerror}")]
    return incident_from_bytes(path, raw, config)


def check_incident_document(
    document: Document, config: SiteConfig | None
) -> tuple[Incident | None, list[Diagnostic]]:
    """Validate the parsed text of one incident file."""
    problems = not_a_mapping(document)
    if problems:
        return None, problems
    model = record_model(document.data)
    zone = config.timezone if config is not None else ZoneInfo("UTC")
    if config is not None:
        problems += _unknown_components(document, config)
    stem = document.path.stem
    if "id" not in document.data and not _ID.fullmatch(stem):
        problems.append(
            Diagnostic(
                document.path,
                1,
                1,
                f"the file name '{stem}' is not a valid incident id",
                f"rename the file using at most {ID_LENGTH} letters, digits, '-' and '_', "
                "or set id: in the file",
            )
        )
    try:
        raw = model.model_validate(document.data, context={"zone": zone})
    except ValidationError as error:
        return None, problems + explain(document, error.errors(), model)
    incident, more = _build_incident(document, raw, config.languages if config else ("en",))
    problems += more
    return (None if problems else incident), problems


def _build_incident(
    document: Document, raw: IncidentFile | MaintenanceFile, languages: Sequence[str]
) -> tuple[Incident, list[Diagnostic]]:
    texts = _Texts(document, languages)
    # the translated fields are named once, in the model; each is split by language alike
    translated: dict[str, Any] = {
        name: texts.split((name,), getattr(raw, name)) for name in TRANSLATED_FIELDS
    }
    translated["title"] = translated["title"] or ""
    default_status = STATUS_FROM_IMPACT["maintenance" if raw.type == "maintenance" else raw.impact]
    problems: list[Diagnostic] = []
    if isinstance(raw.components, list):
        base = dict.fromkeys(raw.components, default_status)
        problems += _listed_twice(document, raw.components)
    else:
        base = dict(raw.components)
    window, more = _window(document, raw)
    problems += more + _promises_in_the_past(document, raw)
    incident_id = raw.id or document.path.stem
    updates = _timeline(incident_id, document, raw, base, texts)
    problems += texts.problems
    incident = Incident(
        id=incident_id,
        path=document.path,
        kind=raw.type,
        impact=raw.impact,
        updates=updates,
        components=base,
        regions=tuple(raw.regions),
        started=raw.started,
        scheduled=window,
        translations=texts.translations,
        lint_ignore=frozenset(raw.lint.ignore if raw.lint else ()),
        marks=_top_marks(document),
        keys=tuple(
            (entry.key, document.value_mark(("updates", index, "key")))
            for index, entry in enumerate(raw.updates)
            if entry.key is not None
        ),
        source_digest=document.digest,
        **translated,
    )
    return incident, problems + _started_problems(document, raw, incident)


def _top_marks(document: Document) -> dict[str, Mark]:
    """Where each top-level key of the file stands (``key_mark``, read directly)."""
    keys = document.keys
    marks: dict[str, Mark] = {}
    for key in document.data:
        place = keys.get((key,))
        marks[key] = (
            Mark(place.line + 1, place.column + 1)
            if place is not None
            else document.key_mark((key,))
        )
    return marks


def _window(
    document: Document, raw: IncidentFile | MaintenanceFile
) -> tuple[Window | None, list[Diagnostic]]:
    """A maintenance's window, which ends after it starts."""
    if not isinstance(raw, MaintenanceFile):
        return None, []
    window = Window(raw.scheduled.start, raw.scheduled.end)
    if window.end > window.start:
        return window, []
    when = "when" if window.end == window.start else "before"
    return window, [
        problem_at(
            document,
            ("scheduled", "end"),
            f"the maintenance window ends {when} it starts",
            "check the dates and times of start and end",
        )
    ]


def _promises_in_the_past(
    document: Document, raw: IncidentFile | MaintenanceFile
) -> list[Diagnostic]:
    """An update's next_update comes after the update itself."""
    return [
        problem_at(
            document,
            ("updates", index, "next_update"),
            "next_update is not after the update itself",
            "promise a time after 'at', when the next update will really come",
        )
        for index, entry in enumerate(raw.updates)
        if entry.next_update is not None and entry.next_update <= entry.at
    ]


def _started_problems(
    document: Document, raw: IncidentFile | MaintenanceFile, incident: Incident
) -> list[Diagnostic]:
    """'started' comes before the first update and before the resolution."""
    if raw.started is None:
        return []
    first = incident.first_update.at
    if not incident.is_maintenance and raw.started > first:
        return [
            problem_at(
                document,
                ("started",),
                f"'started' is after the first update ({format_utc(first)})",
                "impact begins before anyone can report it: check the date of 'started', "
                "or remove it to start with the first update",
            )
        ]
    resolved_at = incident.resolved_at
    if resolved_at is not None and resolved_at < raw.started:
        return [
            problem_at(
                document,
                ("started",),
                "the incident is resolved before it started",
                "check 'started' against the time of the resolving update",
            )
        ]
    return []


class _Texts:
    """The texts of one incident file split by language: the default language's text,
    and the others of the site's languages kept apart. A mapping without the default
    language's text is a problem; a text in a language the site does not list is kept in
    the file but not published (a language can come and go without editing history)."""

    def __init__(self, document: Document, languages: Sequence[str]) -> None:
        self.document = document
        self.languages = languages
        self.problems: list[Diagnostic] = []
        #: the incident's texts in the other languages, by language and field
        self.translations: dict[str, dict[str, str]] = {}

    def split(self, loc: Loc, value: str | dict[str, str] | None) -> str | None:
        """A field of the incident: its default text; the others kept by language."""
        default, others = self.by_language(loc, value)
        for language, text in others.items():
            self.translations.setdefault(language, {})[str(loc[0])] = text
        return default

    def by_language(
        self, loc: Loc, value: str | dict[str, str] | None
    ) -> tuple[str | None, dict[str, str]]:
        """A text: the default language's, and the others by language."""
        if not isinstance(value, dict):
            return value, {}
        default = self.languages[0]
        name = key_name(loc)
        if default not in value:
            self.problems.append(
                problem_at(
                    self.document,
                    loc,
                    f"{name} has no {default} text, the site's default language",
                    f"add '{default}: ...': it is shown wherever a translation is missing",
                )
            )
            return None, {}
        others = {k: v for k, v in value.items() if k != default and k in self.languages}
        return value[default], others


def _timeline(
    incident_id: str,
    document: Document,
    raw: IncidentFile | MaintenanceFile,
    base: Mapping[str, ComponentStatus],
    texts: _Texts,
) -> tuple[Update, ...]:
    """The updates in time order, with statuses carried over and component transitions.

    Every update of every file passes here: ``check`` at 10,000 incidents runs this loop
    40,000 times, so it reads the document's positions directly."""
    written: list[IncidentUpdate | MaintenanceUpdate] = list(raw.updates)
    entries = sorted(enumerate(written), key=lambda pair: pair[1].at)  # stable
    kind = raw.type
    status = rules.default_status(kind)
    declared = dict(base)
    previous: dict[str, ComponentStatus] = {}
    updates: list[Update] = []
    taken: dict[str, int] = {}
    for index, entry in entries:
        status = entry.status or status
        if entry.components:
            declared.update(entry.components)
        statuses: dict[str, ComponentStatus] = (
            dict(declared)
            if rules.affects_components(kind, status)
            else dict.fromkeys(declared, OPERATIONAL)
        )
        changes = _changes(previous, statuses) if statuses != previous else ()
        previous = statuses
        at = entry.at
        update_id = f"{incident_id}-{_stamp(at)}Z"
        repeated = taken[update_id] = taken.get(update_id, 0) + 1
        if repeated > 1:
            update_id += f"-{repeated}"
        if isinstance(entry.message, dict):
            message, translations = texts.by_language(("updates", index, "message"), entry.message)
        else:
            message, translations = entry.message, {}
        updates.append(
            Update(
                id=update_id,
                at=at,
                status=status,
                status_given=entry.status is not None,
                message=message or "",
                translations=translations,
                next_update=entry.next_update,
                declared=dict(entry.components or {}),
                statuses=statuses,
                changes=changes,
                mark=_update_mark(document, index),
            )
        )
    return tuple(updates)


def _update_mark(document: Document, index: int) -> Mark:
    """Where an update starts in its file: libyaml's mark of it, read directly."""
    place = document.values.get(("updates", index))
    if place is None:
        return document.value_mark(("updates", index))
    return Mark(place.line + 1, place.column + 1)


def _changes(
    previous: Mapping[str, ComponentStatus], statuses: Mapping[str, ComponentStatus]
) -> tuple[ComponentChange, ...]:
    """Each component whose status an update changes, from what it was before."""
    return tuple(
        ComponentChange(component, previous.get(component, OPERATIONAL), new)
        for component, new in statuses.items()
        if previous.get(component, OPERATIONAL) != new
    )


def _stamp(at: datetime) -> str:
    """An update's moment in its id: 20261120T093000, with its microseconds if any (by
    hand: twice as fast as strftime, 40,000 times in a check of 10,000 incidents)."""
    utc = at.astimezone(UTC)
    stamp = "%04d%02d%02dT%02d%02d%02d" % (  # noqa: UP031
        utc.year,
        utc.month,
        utc.day,
        utc.hour,
        utc.minute,
        utc.second,
    )
    return stamp + f"{at.microsecond:06d}" if at.microsecond else stamp


def _unknown_components(document: Document, config: SiteConfig) -> list[Diagnostic]:
    """Component ids that the config does not know, wherever the file names one.

    Works on the raw data, so that it reports even when other keys of the file are wrong.
    """
    data = document.data
    places: list[tuple[Any, Mark]] = []
    listed = data.get("components")
    if isinstance(listed, list):
        places += [(c, document.value_mark(("components", i))) for i, c in enumerate(listed)]
    elif isinstance(listed, dict):
        places += [(c, document.key_mark(("components", c))) for c in listed]
    updates = data.get("updates")
    for index, entry in enumerate(updates if isinstance(updates, list) else ()):
        changed = entry.get("components") if isinstance(entry, dict) else None
        if isinstance(changed, dict):
            places += [(c, document.key_mark(("updates", index, "components", c))) for c in changed]
    known = config.component_ids
    return [
        Diagnostic(
            document.path,
            mark.line,
            mark.col,
            f"unknown component '{component}'",
            did_you_mean(component, known)
            or f"use a component id from {CONFIG_NAME}: {one_of(sorted(known)) or '(none)'}",
        )
        for component, mark in places
        if isinstance(component, str) and component not in known
    ]


def _listed_twice(document: Document, components: Sequence[str]) -> list[Diagnostic]:
    seen: set[str] = set()
    problems = []
    for index, component in enumerate(components):
        if component in seen:
            problems.append(
                problem_at(
                    document, ("components", index), f"component '{component}' is listed twice"
                )
            )
        seen.add(component)
    return problems


def incident_from_bytes(
    path: Path, raw: bytes, config: SiteConfig | None
) -> tuple[Incident | None, list[Diagnostic]]:
    try:
        document = parse(decode(raw), path)
    except SourceError as error:
        return None, [Diagnostic(path, error.mark.line, error.mark.col, error.message, error.hint)]
    return check_incident_document(document, config)

"""The validated status site: frozen records with tz-aware times and their derived state.

Everything downstream of validation reads these classes and nothing else. ``internal:``
never gets here: an :class:`Incident` has no field for it, so no output can leak it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import Any, Generic, TypeVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from generator.core import rules
from generator.core.dependencies import Dependency, Reading
from generator.core.diagnostics import Mark
from generator.core.routes import is_link
from generator.core.state import reader_state
from generator.core.vocabulary import (
    IMPACT_ORDER,
    NOTIFY_EVENTS,
    ComponentStatus,
    EventImpact,
    EventKind,
    Impact,
    NotifyEvent,
    Phase,
    Status,
    worst,
)

T = TypeVar("T")
#: How far ahead a build tells what its pages will show: every state they pass through in
#: the next 7 days (a maintenance window opening and closing, a promised update falling
#: due) is rendered, each marked with when it holds, and the reader's browser picks one.
HORIZON = timedelta(days=7)
#: The fields of an incident that may be written in several languages (and ``message``
#: of each update).
TRANSLATED_FIELDS = ("title", "workaround", "compensation", "postmortem")


class Untranslated(str):
    """Text shown in a language it is not written in: the default language's, as a
    fallback. It is the text itself, and knows its language (``lang``), so that a page
    can mark it as such."""

    lang: str

    def __new__(cls, text: str, lang: str) -> Untranslated:
        made = super().__new__(cls, text)
        made.lang = lang
        return made

    def __getnewargs__(self) -> tuple[str, str]:  # type: ignore[override]
        return (str(self), self.lang)


@dataclass(frozen=True)
class Component:
    id: str
    name: str
    description: str | None = None
    group: str | None = None
    #: The id the Statuspage API v2 shows instead of ``id`` (kept from an imported page).
    api_id: str | None = None


@dataclass(frozen=True)
class LintSettings:
    disable: frozenset[str] = frozenset()
    acknowledge_minutes: int = 30
    update_every_minutes: int = 60
    people: tuple[str, ...] = ()


@dataclass(frozen=True)
class Channel:
    """Where ``statusgen notify`` sends, and what: ``notify.channels`` of the site config."""

    id: str
    #: The Apprise URL as written: ``${VAR}`` is expanded only when sending.
    url: str
    name: str | None = None
    #: Where customers subscribe themselves; listed on the page under "Subscribe".
    join: str | None = None
    #: Only incidents naming one of these (None: every incident).
    components: frozenset[str] | None = None
    min_impact: Impact | None = None
    events: frozenset[NotifyEvent] = frozenset(NOTIFY_EVENTS)
    #: The whole message fits in this many characters.
    length: int | None = None
    #: The language of its messages (None: the site's default language).
    language: str | None = None
    #: How long before a maintenance window it is reminded of (its own ``reminders``,
    #: else ``notify.reminders``; none without maintenance events), longest first.
    reminders: tuple[timedelta, ...] = ()


@dataclass(frozen=True)
class NotifySettings:
    max_age_minutes: int = 360
    channels: tuple[Channel, ...] = ()
    #: ``notify.reminders``: what every channel without its own is reminded with.
    reminders: tuple[timedelta, ...] = ()


@dataclass(frozen=True)
class SiteConfig:
    path: Path
    name: str
    url: str
    timezone: ZoneInfo
    components: tuple[Component, ...]
    description: str | None = None
    #: The language of the pages built now (BCP 47).
    language: str = "en"
    #: Every language of the site, the default first (``site.languages``; else ``language``).
    languages: tuple[str, ...] = ("en",)
    support_url: str | None = None
    uptime_days: int = 90
    lint: LintSettings = LintSettings()
    notify: NotifySettings = NotifySettings()
    #: Files of the repository, relative to its root (posix), or None.
    logo: str | None = None
    favicon: str | None = None
    #: The brand's colours, as #rrggbb.
    primary: str | None = None
    accent: str | None = None
    #: (name, url) of each link of the header and the footer.
    links: tuple[tuple[str, str], ...] = ()
    #: How often the site is rebuilt (``site.refresh``), or None when nobody said.
    refresh: timedelta | None = None
    #: How old a page may be before it warns that it may not be current (with refresh).
    stale_after: timedelta | None = None
    #: Whether the site publishes a report of every finished month (``site.reports``).
    reports: bool = False
    #: The services the site depends on (``dependencies:``), shown beside its own status.
    dependencies: tuple[Dependency, ...] = ()

    @property
    def default_language(self) -> str:
        return self.languages[0]

    def prefix(self, language: str) -> str:
        """Where a language's pages are, from the site's root: "" for the default, "de/"."""
        return "" if language == self.default_language else f"{language}/"

    @cached_property
    def component_ids(self) -> frozenset[str]:
        return frozenset(component.id for component in self.components)

    @cached_property
    def host(self) -> str:
        """The host of ``url``: the page's id in the API, the authority of feed ids and
        calendar UIDs (kept by a preview built with another base URL)."""
        return urlsplit(self.url).hostname or ""


@dataclass(frozen=True)
class ComponentChange:
    """One component's status moving with an update."""

    component: str
    old: ComponentStatus
    new: ComponentStatus


@dataclass(frozen=True)
class Update:
    """One entry of a timeline, with the status it carries (given or carried over)."""

    id: str
    at: datetime
    status: Status
    status_given: bool
    message: str
    next_update: datetime | None
    #: The component statuses this update declares (``components:`` of the update).
    declared: Mapping[str, ComponentStatus]
    #: The statuses of the incident's components in effect from this update on.
    statuses: Mapping[str, ComponentStatus]
    #: What moved with this update, as Statuspage's ``affected_components`` lists it.
    changes: tuple[ComponentChange, ...]
    mark: Mark = field(default=Mark(1, 1))
    #: ``message`` in the site's other languages, by language.
    translations: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Incident:
    """An incident or a maintenance, its updates in time order.

    Made by validation with every update; :meth:`as_of` gives the one a site shows at a
    moment: updates dated later hidden, and for maintenance, the phase of its window.
    """

    id: str
    path: Path
    kind: EventKind
    title: str
    impact: EventImpact
    updates: tuple[Update, ...]
    components: Mapping[str, ComponentStatus]
    regions: tuple[str, ...] = ()
    started: datetime | None = None
    scheduled: Window | None = None
    workaround: str | None = None
    compensation: str | None = None
    postmortem: str | None = None
    lint_ignore: frozenset[str] = frozenset()
    marks: Mapping[str, Mark] = field(default_factory=dict)
    #: The idempotency keys its updates were posted with (statusgen apply), each with
    #: where it is written; never published.
    keys: tuple[tuple[str, Mark], ...] = ()
    phase: Phase | None = None
    #: Whether the next update its latest update promised is due at the moment it is seen.
    overdue: bool = False
    #: sha256 of the file's text: what a page of this incident can be cached by
    source_digest: str = ""
    #: The TRANSLATED_FIELDS in the site's other languages: {language: {field: text}}.
    translations: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def in_language(self, language: str, default: str) -> Incident:
        """This incident in ``language``: each text in it where written, else the
        ``default`` language's, as :class:`Untranslated`."""
        if language == default:
            return self
        mine = self.translations.get(language, {})

        def text(name: str, value: str | None) -> str | None:
            if value is None or is_link(value):
                return value  # a link (a postmortem's) reads the same in every language
            return mine.get(name) or Untranslated(value, default)

        updates = tuple(
            replace(
                update,
                message=update.translations.get(language) or Untranslated(update.message, default),
            )
            for update in self.updates
        )
        texts: dict[str, Any] = {
            name: text(name, getattr(self, name)) for name in TRANSLATED_FIELDS
        }
        texts["title"] = texts["title"] or self.title
        return replace(self, updates=updates, **texts)

    def as_of(self, now: datetime) -> Incident | None:
        """This incident as a site built at ``now`` shows it, or None before its first update."""
        shown = tuple(update for update in self.updates if update.at <= now)
        if not shown:
            return None
        if len(shown) == len(self.updates):  # every update: itself (a copy is equal)
            return self.at(now)
        return replace(self, updates=shown).at(now)

    def at(self, moment: datetime) -> Incident:
        """This incident as a reader sees it at ``moment`` without a rebuild: the same
        updates; the phase of its window and its promise as they stand at ``moment``."""
        window = self.scheduled
        phase = None if window is None else rules.phase(window.start, window.end, moment)
        promise = self.latest_update.next_update
        overdue = promise is not None and moment >= promise
        if phase == self.phase and overdue == self.overdue:
            return self
        return replace(self, phase=phase, overdue=overdue)

    def turns(self, start: datetime, end: datetime) -> tuple[datetime, ...]:
        """The moments after ``start`` and up to ``end`` at which what this incident shows
        changes with no new update: a scheduled window opening or closing, a promised
        update falling due."""
        moments: set[datetime] = set()
        if self.scheduled is not None and rules.is_scheduled(self.written_status):
            moments |= {self.scheduled.start, self.scheduled.end}
        promise = self.latest_update.next_update
        if promise is not None and not self.at(start).is_resolved:
            moments.add(promise)
        return tuple(sorted(moment for moment in moments if start < moment <= end))

    @property
    def promise_late(self) -> bool:
        """Whether a promised next update is due and the incident still open."""
        return self.overdue and not self.is_resolved

    @property
    def is_maintenance(self) -> bool:
        return self.kind == "maintenance"

    @property
    def first_update(self) -> Update:
        return self.updates[0]

    @property
    def latest_update(self) -> Update:
        return self.updates[-1]

    @property
    def start(self) -> datetime:
        """When impact began: ``started``, the maintenance window, or the first update."""
        if self.started is not None:
            return self.started
        if self.scheduled is not None:
            return self.scheduled.start
        return self.first_update.at

    @property
    def written_status(self) -> Status:
        """The status of the latest update, as the file says it."""
        return self.latest_update.status

    @property
    def status(self) -> Status:
        """The status shown: the latest update's, or a maintenance's automatic transition."""
        return rules.shown_status(self.written_status, self.phase)

    @property
    def status_is_automatic(self) -> bool:
        """True when the shown status comes from the window, not from an update."""
        return self.status != self.written_status

    @property
    def is_resolved(self) -> bool:
        return rules.is_resolved(self.status)

    @property
    def resolved_at(self) -> datetime | None:
        """When it was resolved: the latest all clear of its final closed stretch."""
        if not self.is_resolved:
            return None
        if self.status_is_automatic and self.scheduled is not None:
            return self.scheduled.end
        stretch: list[Update] = []
        for update in reversed(self.updates):
            if not rules.is_resolved(update.status):
                break
            stretch.insert(0, update)
        closing = [update for update in stretch if rules.is_all_clear(update.status)]
        return (closing[-1] if closing else stretch[0]).at

    @property
    def affects_components(self) -> bool:
        """Whether this incident counts towards its components' current status."""
        return rules.affects_components(self.kind, self.status)

    @property
    def current_statuses(self) -> Mapping[str, ComponentStatus]:
        """The statuses this incident gives its components now (empty when it gives none)."""
        if not self.affects_components:
            return {}
        if self.is_maintenance:
            declared: dict[str, ComponentStatus] = dict(self.components)
            for update in self.updates:
                declared.update(update.declared)
            return declared
        return self.latest_update.statuses

    @property
    def affected_component_ids(self) -> tuple[str, ...]:
        """Every component this incident names, in file order."""
        seen = dict.fromkeys(self.components)
        for update in self.updates:
            seen.update(dict.fromkeys(update.declared))
        return tuple(seen)


@dataclass(frozen=True)
class Span(Generic[T]):
    """What something shows from ``start`` until ``end`` (None: since before the build;
    until a later build says otherwise)."""

    start: datetime | None
    end: datetime | None
    value: T


def spans(
    moments: tuple[datetime, ...], now: datetime, value: Callable[[datetime], T]
) -> tuple[Span[T], ...]:
    """``value`` at ``now`` and at each moment after it, as spans, neighbours with equal
    values joined."""
    found: list[Span[T]] = []
    starts: list[datetime | None] = [None, *moments]
    for start, end in zip(starts, [*moments, None], strict=True):
        shown = value(now if start is None else start)
        if found and found[-1].value == shown:
            found[-1] = replace(found[-1], end=end)
        else:
            found.append(Span(start, end, shown))
    return tuple(found)


@dataclass(frozen=True)
class Group:
    """A row of the page: a component on its own, or a named group and its members."""

    name: str | None
    members: tuple[Component, ...]

    @property
    def component(self) -> Component | None:
        """The component of a row without a group."""
        return self.members[0] if self.name is None else None


@dataclass(frozen=True)
class StatusPage:
    """The whole site as it stands at ``now``, and the index of what its outputs ask.

    Every list an output needs (open incidents, maintenance, groups, incidents per
    component) is computed here once per build, not again by each output.
    """

    config: SiteConfig
    now: datetime
    #: Every incident with an update at or before ``now``, most recently started first.
    incidents: tuple[Incident, ...]
    #: The site in its default language, when this is another language's view of it.
    default: StatusPage | None = field(default=None, compare=False, repr=False)
    #: What ``statusgen dependencies sync`` read of each dependency, by id (never part of
    #: the site's own status).
    readings: Mapping[str, Reading] = field(default_factory=dict)

    @classmethod
    def at(
        cls,
        config: SiteConfig,
        incidents: Iterable[Incident],
        now: datetime,
        readings: Mapping[str, Reading] | None = None,
    ) -> StatusPage:
        shown = [i for i in (incident.as_of(now) for incident in incidents) if i is not None]
        shown.sort(key=lambda i: (i.start, i.id), reverse=True)
        return cls(config, now, tuple(shown), readings=dict(readings or {}))

    def in_language(self, language: str) -> StatusPage:
        """The site as its pages in ``language`` show it."""
        if language == self.config.language:
            return self
        default = self.config.default_language
        return StatusPage(
            replace(self.config, language=language),
            self.now,
            tuple(incident.in_language(language, default) for incident in self.incidents),
            self.default or self,
            self.readings,
        )

    def later(self, moment: datetime) -> StatusPage:
        """The site as its pages show it at a later ``moment`` without a rebuild: the same
        incidents and updates, seen at ``moment`` (:meth:`Incident.at`)."""
        return StatusPage(
            self.config,
            moment,
            tuple(i.at(moment) for i in self.incidents),
            readings=self.readings,
        )

    @cached_property
    def turns(self) -> tuple[datetime, ...]:
        """Every moment within :data:`HORIZON` at which what the site shows changes by
        itself (:meth:`Incident.turns`), in time order."""
        end = self.now + HORIZON
        return tuple(sorted({t for i in self.incidents for t in i.turns(self.now, end)}))

    @cached_property
    def views(self) -> dict[datetime, StatusPage]:
        """The site now and at each of its :attr:`turns`."""
        return {self.now: self} | {moment: self.later(moment) for moment in self.turns}

    def spans(self, value: Callable[[StatusPage], T]) -> tuple[Span[T], ...]:
        """``value`` of the site now and as it will stand at each of its :attr:`turns`."""
        views = self.views
        return spans(self.turns, self.now, lambda moment: value(views[moment]))

    @cached_property
    def state(self) -> str:
        """A digest of everything a reader can see, whatever the moment: it changes when
        a text, a status, an update or an incident does, never by rebuilding alone (time
        passing changes only what :meth:`later` derives, which the pages carry already).
        Every language's view of the site has the default language's state, which covers
        the texts of every language."""
        if self.default is not None:
            return self.default.state
        return reader_state(self.config, self.incidents)

    @cached_property
    def latest_news(self) -> dict[str, datetime]:
        """The time of the latest update of every incident open now or updated within
        :data:`HORIZON` before now, the most recent first."""
        since = self.now - HORIZON
        found = [
            (incident.latest_update.at, incident.id)
            for incident in self.incidents
            if not incident.is_resolved or incident.latest_update.at >= since
        ]
        return {key: at for at, key in sorted(found, reverse=True)}

    @cached_property
    def components(self) -> dict[str, Component]:
        """Every component by id, in the site's order."""
        return {component.id: component for component in self.config.components}

    @cached_property
    def names(self) -> dict[str, str]:
        """Every component's name by id."""
        return {component.id: component.name for component in self.config.components}

    @cached_property
    def groups(self) -> tuple[Group, ...]:
        """The rows of the page in the site's order: a group where its first member is."""
        rows: list[Group] = []
        seen: set[str] = set()
        components = self.config.components
        for component in components:
            if component.group is None:
                rows.append(Group(None, (component,)))
            elif component.group not in seen:
                seen.add(component.group)
                members = tuple(c for c in components if c.group == component.group)
                rows.append(Group(component.group, members))
        return tuple(rows)

    @cached_property
    def open_incidents(self) -> tuple[Incident, ...]:
        """Incidents (not maintenance) that are not resolved, most recently started first."""
        return tuple(i for i in self.incidents if not i.is_maintenance and not i.is_resolved)

    @cached_property
    def active_maintenance(self) -> tuple[Incident, ...]:
        """Maintenance in progress now (its components are under maintenance)."""
        return tuple(i for i in self.incidents if i.is_maintenance and i.affects_components)

    @cached_property
    def upcoming_maintenance(self) -> tuple[Incident, ...]:
        """Maintenance still scheduled, the soonest first."""
        return tuple(
            sorted(
                (i for i in self.incidents if i.is_maintenance and rules.is_scheduled(i.status)),
                key=lambda i: i.start,
            )
        )

    @cached_property
    def by_component(self) -> dict[str, list[Incident]]:
        """The incidents that name each component, in the site's order."""
        found: dict[str, list[Incident]] = {c.id: [] for c in self.config.components}
        for incident in self.incidents:
            for component in incident.affected_component_ids:
                found.setdefault(component, []).append(incident)
        return found

    @cached_property
    def component_statuses(self) -> dict[str, str]:
        """The current status of every component."""
        found: dict[str, list[str]] = {c.id: [] for c in self.config.components}
        for incident in self.incidents:
            for component, status in incident.current_statuses.items():
                found.setdefault(component, []).append(status)
        return {component: worst(statuses) for component, statuses in found.items()}

    def group_status(self, group: str) -> str:
        """A group's status: its worst member's."""
        return worst(
            self.component_statuses[c.id] for c in self.config.components if c.group == group
        )

    @cached_property
    def indicator(self) -> str:
        """Statuspage's indicator: the worst impact of open incidents, or maintenance."""
        if self.open_incidents:
            return max((i.impact for i in self.open_incidents), key=IMPACT_ORDER.index)
        if self.active_maintenance:
            return "maintenance"
        return "none"

"""Reports: what a period was like for the site's readers, and how the team told them.

A report covers whole calendar days of the site's time zone (a month, or any run of days)
and counts, per component, per group (the mean of its members) and overall (the mean of
every component):

- uptime, with the very function the uptime bars use (:func:`uptimes_over`), so that a
  report and the bars agree for the same days: major outage counts fully, partial outage
  at 30%, degraded performance and maintenance not at all;
- the minutes in each status, as the page showed it (the worst of the incidents and the
  maintenance in progress at each moment; operational the rest);
- the incidents by impact, and their time to resolve (first update to all clear);
- the maintenance, which never lowers uptime (a cancelled window counts no minute).

And how the team told its readers, per incident and in total: the time from ``started``
to the first update, the longest time without an update while open, the next updates
promised and kept (an update at or before the promised time), and the all clear.

An incident counts in every period it overlaps (its minutes are split at midnight); what is
known of it at ``now`` is what the report says (an incident of November resolved on 1
December has its time to resolve in November's report). Every figure names the incidents
behind it. This module computes; ``outputs/reports.py`` writes the report's forms.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from generator.core import rules
from generator.core.model import Incident, StatusPage
from generator.core.uptime import (
    WEIGHTS,
    Day,
    Uptime,
    maintenance_segments,
    midnight,
    shown,
    uptimes_over,
)
from generator.core.vocabulary import COMPONENT_STATUSES, IMPACTS, OPERATIONAL

#: The order of the statuses in every form of a report: operational first, then by severity.
STATUSES = (OPERATIONAL, "degraded_performance", "partial_outage", "major_outage",
            "under_maintenance")  # fmt: skip
assert set(STATUSES) == set(COMPONENT_STATUSES)


@dataclass(frozen=True)
class Period:
    """Whole calendar days of the site's time zone, ``first`` to ``last`` included."""

    first: date
    last: date
    #: When the first day begins and the day after the last begins, in UTC.
    start: datetime
    end: datetime
    #: Whether it is one calendar month.
    month: bool

    @classmethod
    def of_days(cls, first: date, last: date, zone: ZoneInfo) -> Period:
        whole = first.day == 1 and (last + timedelta(days=1)).day == 1 and (
            first.year, first.month) == (last.year, last.month)  # fmt: skip
        return cls(first, last, midnight(first, zone),
                   midnight(last + timedelta(days=1), zone), whole)  # fmt: skip

    @classmethod
    def of_month(cls, year: int, month: int, zone: ZoneInfo) -> Period:
        first = date(year, month, 1)
        following = date(year + month // 12, month % 12 + 1, 1)
        return cls.of_days(first, following - timedelta(days=1), zone)

    @property
    def dates(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]

    @property
    def name(self) -> str:
        """2026-11 for a month, else 2026-11-01..2026-11-15."""
        if self.month:
            return f"{self.first.year:04d}-{self.first.month:02d}"
        return f"{self.first.isoformat()}..{self.last.isoformat()}"


@dataclass(frozen=True)
class Resolution:
    """Time to resolve (first update to all clear) of some incidents."""

    #: (seconds, incident id) of each resolved incident, in the report's order.
    times: tuple[tuple[float, str], ...]
    #: The incidents without an all clear at the report's ``now``.
    unresolved: tuple[str, ...]

    @property
    def mean(self) -> float | None:
        return sum(t for t, _ in self.times) / len(self.times) if self.times else None

    @property
    def longest(self) -> tuple[float, str] | None:
        return max(self.times, key=lambda item: item[0]) if self.times else None


@dataclass(frozen=True)
class Figures:
    """A component, a group (the mean of its members) or the whole site (the mean of every
    component) over a period."""

    #: "component", "group" or "overall".
    scope: str
    #: The component's id, the group's name, or "" for the whole site.
    key: str
    name: str
    group: str | None
    members: tuple[str, ...]
    #: The seconds counted (the period, until the report's now) and the weighted downtime.
    seconds: float
    downtime: float
    #: The uptime: 1 - downtime / seconds (for a group, the mean of its members').
    ratio: float
    #: Seconds in each status of STATUSES (operational: the rest).
    durations: Mapping[str, float]
    #: The incidents and maintenance behind each status's seconds.
    behind: Mapping[str, tuple[str, ...]]
    #: The incidents that lowered the uptime.
    down: tuple[str, ...]
    #: The incidents that name it, by impact (every impact of IMPACTS, maybe empty).
    by_impact: Mapping[str, tuple[str, ...]]
    resolution: Resolution
    #: The maintenance that names it.
    maintenance: tuple[str, ...]

    @property
    def shown(self) -> float:
        """The uptime as the pages show it: never rounded up to 100%."""
        return shown(self.ratio)

    @property
    def incidents(self) -> tuple[str, ...]:
        return tuple(i for impact in IMPACTS for i in self.by_impact[impact])


@dataclass(frozen=True)
class Promise:
    """A next update promised by one update."""

    made_at: datetime
    due: datetime
    #: When the next update came (None: not yet).
    kept_by: datetime | None
    #: "kept", "broken" or "pending" (not due yet at the report's now).
    outcome: str


@dataclass(frozen=True)
class Telling:
    """How the team told its readers about one incident."""

    #: From ``started`` (else the first update) to the first update.
    to_first_update: float
    #: The longest time without an update while the incident was open, and its end
    #: (the next update, or the report's now while it is still open).
    silence: float
    silence_from: datetime | None
    silence_until: datetime | None
    promises: tuple[Promise, ...]
    all_clear: bool

    def count(self, outcome: str) -> int:
        return sum(1 for promise in self.promises if promise.outcome == outcome)


@dataclass(frozen=True)
class IncidentFigures:
    incident: Incident
    #: Its components' ids, in the file's order.
    components: tuple[str, ...]
    #: Seconds from the first update to the all clear (None while open).
    to_resolve: float | None
    telling: Telling


@dataclass(frozen=True)
class MaintenanceFigures:
    maintenance: Incident
    components: tuple[str, ...]
    #: Its status at the report's now: completed, cancelled, in_progress, verifying...
    status: str
    #: Seconds in progress within the period (a cancelled window: none).
    seconds: float


@dataclass(frozen=True)
class Communication:
    """The team's telling over every incident of the period."""

    incidents: tuple[str, ...]
    #: (seconds, id) to the first update of each incident.
    first_updates: tuple[tuple[float, str], ...]
    #: (seconds, id) of the longest silence of each incident.
    silences: tuple[tuple[float, str], ...]
    #: Ids of the incidents by what became of their promises (an id once per promise).
    made: tuple[str, ...]
    kept: tuple[str, ...]
    broken: tuple[str, ...]
    pending: tuple[str, ...]
    all_clear: tuple[str, ...]
    no_all_clear: tuple[str, ...]

    @property
    def mean_first_update(self) -> float | None:
        times = self.first_updates
        return sum(t for t, _ in times) / len(times) if times else None

    @property
    def longest_first_update(self) -> tuple[float, str] | None:
        return max(self.first_updates, key=lambda item: item[0]) if self.first_updates else None

    @property
    def longest_silence(self) -> tuple[float, str] | None:
        return max(self.silences, key=lambda item: item[0]) if self.silences else None


@dataclass(frozen=True)
class Report:
    """A period of the site, as :func:`report` counts it at ``now``."""

    period: Period
    now: datetime
    #: When counting stops: the end of the period, or ``now`` within it.
    until: datetime
    components: tuple[Figures, ...]
    groups: tuple[Figures, ...]
    overall: Figures
    incidents: tuple[IncidentFigures, ...]
    maintenance: tuple[MaintenanceFigures, ...]
    communication: Communication

    @property
    def complete(self) -> bool:
        """Whether the whole period is behind ``now``."""
        return self.until >= self.period.end


def report(page: StatusPage, period: Period) -> Report:
    """The report of ``period`` as the site stands at its ``now``."""
    return _report(page, period, uptimes_over(page, period.dates), _Known.of(page))


def finished_months(page: StatusPage) -> list[tuple[int, int]]:
    """Every calendar month that is over at the site's ``now``, from the month of its
    earliest incident or maintenance, the newest first."""
    zone = page.config.timezone
    if not page.incidents:
        return []
    earliest = min(i.start for i in page.incidents).astimezone(zone)
    current = page.now.astimezone(zone)
    months = []
    year, month = earliest.year, earliest.month
    while (year, month) < (current.year, current.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months[::-1]


def monthly(page: StatusPage) -> list[Report]:
    """The report of every finished month (:func:`finished_months`), newest first,
    counted in one pass over the incidents."""
    months = finished_months(page)
    if not months:
        return []
    zone = page.config.timezone
    periods = [Period.of_month(year, month, zone) for year, month in months]
    first = periods[-1].first
    counted = uptimes_over(page, Period.of_days(first, periods[0].last, zone).dates)
    known = _Known.of(page)
    reports = []
    for period in periods:
        offset = (period.first - first).days
        part = {
            component: Uptime(uptime.days[offset : offset + len(period.dates)])
            for component, uptime in counted.items()
        }
        reports.append(_settled(_report(page, period, part, known)))
    return reports


#: What a maintenance's status is once nothing more can happen to it.
_OVER = frozenset({"completed", "cancelled"})


def _settled(report: Report) -> Report:
    """A finished month's report, made at the moment its figures stopped changing: the
    month's end, or its incidents' and maintenance's last update after it (an all clear
    on the 2nd), rather than at the build's ``now``. A site that publishes its reports is
    rebuilt every few minutes; a month whose incidents are all over then keeps its bytes
    from one build to the next. One still open (an incident without its all clear, a
    promise not yet due, a maintenance not over) keeps ``now``: its figures still grow."""
    told = report.communication
    if told.no_all_clear or told.pending or any(m.status not in _OVER for m in report.maintenance):
        return report
    moments = [report.period.end]
    moments += [u.at for figures in report.incidents for u in figures.incident.updates]
    moments += [u.at for figures in report.maintenance for u in figures.maintenance.updates]
    return replace(report, now=min(report.now, max(moments)))


@dataclass(frozen=True)
class _Known:
    """What a report needs of each incident, found once for every period of a site: when
    an incident's impact began and ended (its all clear, or now), when each maintenance
    was in progress, and each incident's figures."""

    #: (incident, start, end), the earliest first.
    incidents: tuple[tuple[Incident, datetime, datetime], ...]
    #: (maintenance, its window or None, its stretches in progress), the earliest first.
    maintenance: tuple[tuple[Incident, tuple[datetime, datetime] | None,
                             tuple[tuple[datetime, datetime], ...]], ...]  # fmt: skip
    figures: Mapping[str, IncidentFigures]

    @classmethod
    def of(cls, page: StatusPage) -> _Known:
        earliest_first = page.incidents[::-1]
        incidents = tuple(
            (i, i.start, i.resolved_at or page.now) for i in earliest_first if not i.is_maintenance
        )
        maintenance = tuple(
            (
                m,
                None if m.scheduled is None else (m.scheduled.start, m.scheduled.end),
                tuple((s, e) for s, e, _ in maintenance_segments(m, page.now)),
            )
            for m in earliest_first
            if m.is_maintenance
        )
        figures = {i.id: _incident_figures(i, page) for i, _, _ in incidents}
        return cls(incidents, maintenance, figures)

    def incidents_in(self, start: datetime, until: datetime) -> list[Incident]:
        """The incidents whose impact overlaps the period (one without a length: begins in it)."""
        return [i for i, began, ended in self.incidents
                if began < until and (ended > start or began >= start)]  # fmt: skip

    def maintenance_in(self, start: datetime, until: datetime) -> list[Incident]:
        """The maintenance whose window overlaps the period, or which was in progress in
        it (a window that overran)."""
        return [m for m, window, stretches in self.maintenance
                if (window is not None and window[0] < until and window[1] > start)
                or any(s < until and e > start for s, e in stretches)]  # fmt: skip


def _report(
    page: StatusPage, period: Period, uptimes: Mapping[str, Uptime], known: _Known
) -> Report:
    now = page.now
    until = min(period.end, now)
    incidents = known.incidents_in(period.start, until)
    maintenance = known.maintenance_in(period.start, until)
    figures = tuple(known.figures[i.id] for i in incidents)
    resolved = {f.incident.id: f.to_resolve for f in figures}
    components = []
    for component in page.config.components:
        days = uptimes[component.id].days
        named = [i for i in incidents if component.id in i.affected_component_ids]
        works = [m.id for m in maintenance if component.id in m.affected_component_ids]
        components.append(
            _figures(
                "component",
                component.id,
                component.name,
                component.group,
                (component.id,),
                days,
                named,
                works,
                resolved,
            )
        )
    by_id = {f.key: f for f in components}
    groups = tuple(
        _mean(
            "group",
            group.name,
            group.name,
            [by_id[c.id] for c in group.members],
            incidents,
            maintenance,
            resolved,
        )
        for group in page.groups
        if group.name is not None
    )
    overall = _mean("overall", "", page.config.name, components, incidents, maintenance, resolved)
    return Report(
        period,
        now,
        until,
        tuple(components),
        groups,
        overall,
        figures,
        tuple(_maintenance_figures(m, period.start, until, now) for m in maintenance),
        _communication(figures),
    )


def _ids(incidents: Iterable[Incident]) -> tuple[str, ...]:
    """The ids of some incidents, each once, the earliest first."""
    found = {incident.id: incident for incident in incidents}
    return tuple(sorted(found, key=lambda i: (found[i].start, i)))


def _figures(
    scope: str,
    key: str,
    name: str,
    group: str | None,
    members: tuple[str, ...],
    days: Sequence[Day],
    incidents: Sequence[Incident],
    maintenance: Sequence[str],
    resolved: Mapping[str, float | None],
) -> Figures:
    seconds = sum(day.seconds for day in days)
    downtime = sum(day.downtime for day in days)
    durations = {status: sum(day.durations.get(status, 0.0) for day in days) for status in STATUSES}
    durations[OPERATIONAL] = max(seconds - sum(durations.values()), 0.0)
    behind = {
        status: _ids(i for day in days for i in day.behind.get(status, ())) for status in STATUSES
    }
    down = _ids(
        i
        for day in days
        for status in WEIGHTS
        for i in day.behind.get(status, ())
        if not i.is_maintenance
    )
    return Figures(
        scope,
        key,
        name,
        group,
        members,
        seconds,
        downtime,
        1.0 - downtime / seconds if seconds else 1.0,
        durations,
        behind,
        down,
        _by_impact(incidents),
        _resolution(incidents, resolved),
        tuple(maintenance),
    )


def _by_impact(incidents: Sequence[Incident]) -> dict[str, tuple[str, ...]]:
    return {impact: _ids(i for i in incidents if i.impact == impact) for impact in IMPACTS}


def _resolution(incidents: Sequence[Incident], resolved: Mapping[str, float | None]) -> Resolution:
    times = tuple((t, i.id) for i in incidents if (t := resolved[i.id]) is not None)
    return Resolution(times, tuple(i.id for i in incidents if resolved[i.id] is None))


def _mean(
    scope: str,
    key: str,
    name: str,
    members: Sequence[Figures],
    incidents: Sequence[Incident],
    maintenance: Sequence[Incident],
    resolved: Mapping[str, float | None],
) -> Figures:
    """A group's or the site's figures: the mean of its members' uptime, downtime and
    seconds in each status; the incidents and maintenance of any of them (the site's: all)."""
    count = len(members) or 1
    ids = {m.key for m in members}
    if scope != "overall":
        incidents = [i for i in incidents if ids & set(i.affected_component_ids)]
        maintenance = [m for m in maintenance if ids & set(m.affected_component_ids)]
    return Figures(
        scope,
        key,
        name,
        None,
        tuple(m.key for m in members),
        sum(m.seconds for m in members) / count,
        sum(m.downtime for m in members) / count,
        sum(m.ratio for m in members) / count if members else 1.0,
        {s: sum(m.durations[s] for m in members) / count for s in STATUSES},
        {s: tuple(dict.fromkeys(i for m in members for i in m.behind[s])) for s in STATUSES},
        tuple(dict.fromkeys(i for m in members for i in m.down)),
        _by_impact(incidents),
        _resolution(incidents, resolved),
        _ids(maintenance),
    )


def _seconds(start: datetime, end: datetime) -> float:
    return (end.astimezone(UTC) - start.astimezone(UTC)).total_seconds()


def _incident_figures(incident: Incident, page: StatusPage) -> IncidentFigures:
    resolved = incident.resolved_at
    first = incident.first_update.at
    return IncidentFigures(
        incident,
        incident.affected_component_ids,
        _seconds(first, resolved) if resolved is not None else None,
        telling(incident, page.now),
    )


def telling(incident: Incident, now: datetime) -> Telling:
    """How the team told its readers about ``incident``, as known at ``now``."""
    updates = incident.updates
    silence, silence_from, silence_until = 0.0, None, None
    gaps = [(u.at, after.at) for u, after in pairwise(updates)
            if not rules.is_resolved(u.status)]  # fmt: skip
    if not incident.is_resolved:
        gaps.append((incident.latest_update.at, now))
    for start, end in gaps:
        if _seconds(start, end) > silence:
            silence, silence_from, silence_until = _seconds(start, end), start, end
    promises = []
    for index, update in enumerate(updates):
        if update.next_update is None:
            continue
        after = updates[index + 1].at if index + 1 < len(updates) else None
        if after is not None:
            outcome = "kept" if after <= update.next_update else "broken"
        else:
            outcome = "broken" if update.next_update <= now else "pending"
        promises.append(Promise(update.at, update.next_update, after, outcome))
    all_clear = incident.is_resolved and any(rules.is_all_clear(u.status) for u in updates)
    return Telling(
        max(_seconds(incident.start, incident.first_update.at), 0.0),
        silence,
        silence_from,
        silence_until,
        tuple(promises),
        all_clear,
    )


def _maintenance_figures(
    maintenance: Incident, start: datetime, until: datetime, now: datetime
) -> MaintenanceFigures:
    stretches = sorted(
        (max(s, start), min(e, until))
        for s, e, _ in maintenance_segments(maintenance, now)
        if s < until and e > start
    )
    seconds, reached = 0.0, start
    for s, e in stretches:  # their union: two stretches in a row count their time once
        s = max(s, reached)
        if e > s:
            seconds += _seconds(s, e)
            reached = e
    return MaintenanceFigures(
        maintenance, maintenance.affected_component_ids, maintenance.status, seconds
    )


def _communication(figures: Sequence[IncidentFigures]) -> Communication:
    promises = [(f.incident.id, p.outcome) for f in figures for p in f.telling.promises]
    return Communication(
        tuple(f.incident.id for f in figures),
        tuple((f.telling.to_first_update, f.incident.id) for f in figures),
        tuple((f.telling.silence, f.incident.id) for f in figures),
        tuple(i for i, _ in promises),
        tuple(i for i, outcome in promises if outcome == "kept"),
        tuple(i for i, outcome in promises if outcome == "broken"),
        tuple(i for i, outcome in promises if outcome == "pending"),
        tuple(f.incident.id for f in figures if f.telling.all_clear),
        tuple(f.incident.id for f in figures if not f.telling.all_clear),
    )

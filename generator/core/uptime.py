"""Uptime per component and calendar day, counted as Statuspage counts it.

A day is a calendar day in the site's time zone (23 or 25 hours across a daylight-saving
change). Time in major outage counts fully, partial outage at 30%, degraded performance and
maintenance not at all. Only incidents count; maintenance never lowers uptime. At each
moment a component is in one status, the worst that the incidents open then give it: two
incidents that overlap count their common time once.

The uptime bars count the site's last ``uptime_days``; ``statusgen report`` and the
published reports count any run of days with the same function (:func:`uptimes_over`), so
that a report and the bars agree for the same days.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from generator.core import rules
from generator.core.model import Incident, StatusPage
from generator.core.vocabulary import OPERATIONAL, ComponentStatus, worst

WEIGHTS = {"major_outage": 1.0, "partial_outage": 0.3}


@dataclass
class Day:
    """One component on one day: its worst status, weighted downtime and incidents."""

    date: date
    seconds: float
    downtime: float = 0.0
    statuses: set[str] = field(default_factory=set)
    incidents: list[Incident] = field(default_factory=list)
    #: Seconds in each status but operational, as the page showed it at each moment (the
    #: worst of the incidents and the maintenance in progress then).
    durations: dict[str, float] = field(default_factory=dict)
    #: The maintenance in progress on the component that day.
    maintenance: list[Incident] = field(default_factory=list)
    #: The incidents and maintenance behind each of ``durations``, by status.
    behind: dict[str, list[Incident]] = field(default_factory=dict)

    @property
    def status(self) -> str:
        return worst(self.statuses)

    @property
    def ratio(self) -> float:
        return 1.0 - self.downtime / self.seconds if self.seconds else 1.0


@dataclass(frozen=True)
class Uptime:
    """A component's days, oldest first, and its uptime over all of them."""

    days: tuple[Day, ...]

    @property
    def ratio(self) -> float:
        total = sum(day.seconds for day in self.days)
        return 1.0 - sum(day.downtime for day in self.days) / total if total else 1.0

    @property
    def shown(self) -> float:
        """The uptime as people read it, to two decimals of a percent: never rounded up to
        100% by accident."""
        return shown(self.ratio)

    @property
    def percent(self) -> str:
        """The uptime in English figures: 99.95%."""
        return f"{self.shown * 100:.2f}%"


def shown(ratio: float) -> float:
    """An uptime as people read it, to two decimals of a percent: 99.99% at most unless
    nothing at all was down."""
    return ratio if ratio >= 1 else min(ratio, 0.9999)


def midnight(day: date, zone: ZoneInfo) -> datetime:
    """The start of a calendar day in ``zone``, in UTC: Python subtracts two times of the
    same zone by their wall clocks, which makes every day 24 hours long."""
    return datetime(day.year, day.month, day.day, tzinfo=zone).astimezone(UTC)


Segment = tuple[datetime, datetime, dict[str, ComponentStatus]]


def _segments(incident: Incident, now: datetime) -> Iterator[Segment]:
    """Stretches of time with the component statuses the incident gave them."""
    updates = incident.updates
    for index, update in enumerate(updates):
        start = incident.start if index == 0 else update.at
        end = updates[index + 1].at if index + 1 < len(updates) else now
        statuses: dict[str, ComponentStatus] = {
            c: s for c, s in update.statuses.items() if s != OPERATIONAL
        }
        if statuses and end > start:
            yield start.astimezone(UTC), min(end, now).astimezone(UTC), statuses


def maintenance_segments(maintenance: Incident, now: datetime) -> Iterator[Segment]:
    """Stretches of time in which a maintenance was in progress (or being verified), with
    the statuses it gave its components: from its updates, and from its window where it
    was still ``scheduled`` when the window opened (the automatic transition)."""
    window = maintenance.scheduled
    moments = {update.at for update in maintenance.updates}
    if window is not None:
        moments |= {window.start, window.end}
    ordered = sorted(m.astimezone(UTC) for m in moments if m < now)
    declared: dict[str, ComponentStatus] = dict(maintenance.components)
    given = 0
    updates = maintenance.updates
    for index, start in enumerate(ordered):
        while given < len(updates) and updates[given].at <= start:
            declared.update(updates[given].declared)
            given += 1
        if not given:
            continue
        end = ordered[index + 1] if index + 1 < len(ordered) else now.astimezone(UTC)
        written = updates[given - 1].status
        phase = None if window is None else rules.phase(window.start, window.end, start)
        if not rules.affects_components("maintenance", rules.shown_status(written, phase)):
            continue
        statuses: dict[str, ComponentStatus] = {
            c: s for c, s in declared.items() if s != OPERATIONAL
        }
        if statuses and end > start:
            yield start, end, statuses


def uptimes(page: StatusPage) -> dict[str, Uptime]:
    """The uptime of every component over the site's ``uptime_days``, ending today."""
    config = page.config
    today = page.now.astimezone(config.timezone).date()
    return uptimes_over(
        page, [today - timedelta(days=n) for n in reversed(range(config.uptime_days))]
    )


def uptimes_over(page: StatusPage, dates: Sequence[date]) -> dict[str, Uptime]:
    """The uptime of every component over consecutive ``dates`` (oldest first), each day
    counted until the site's ``now`` at most."""
    zone = page.config.timezone
    bounds = [midnight(day, zone) for day in dates]
    bounds.append(midnight(dates[-1] + timedelta(days=1), zone))
    first, last = bounds[0], min(bounds[-1], page.now)
    lengths = [
        max((min(bounds[n + 1], page.now) - bounds[n]).total_seconds(), 0.0)
        for n in range(len(dates))
    ]
    # every stretch of each component's status, from incidents and from maintenance
    pieces: dict[str, list[tuple[datetime, datetime, str, int, bool]]] = {
        c.id: [] for c in page.config.components
    }
    for order, incident in enumerate(page.incidents):
        resolved = incident.resolved_at
        over = incident.start >= last or (resolved is not None and resolved < first)
        if over and not incident.is_maintenance:
            continue
        found = (
            maintenance_segments(incident, page.now)
            if incident.is_maintenance
            else _segments(incident, page.now)
        )
        for start, end, statuses in found:
            start, end = max(start, first), min(end, last)
            if end <= start:
                continue
            for component, status in statuses.items():
                if component in pieces:
                    pieces[component].append((start, end, status, order, incident.is_maintenance))
    table: dict[str, Uptime] = {}
    for component, stretches in pieces.items():
        days = [Day(day, lengths[n]) for n, day in enumerate(dates)]
        _count(stretches, bounds, days, page.incidents)
        table[component] = Uptime(tuple(days))
    return table


def _count(
    stretches: list[tuple[datetime, datetime, str, int, bool]],
    bounds: list[datetime],
    days: list[Day],
    incidents: Sequence[Incident],
) -> None:
    """Add one component's stretches to its days: at each moment the worst status of the
    incidents open then (downtime), the worst of everything shown then (durations)."""
    events: list[tuple[datetime, int, int]] = []
    for number, (start, end, *_rest) in enumerate(stretches):
        events += [(start, 1, number), (end, -1, number)]
    events.sort(key=lambda event: (event[0], event[1]))
    active: Counter[int] = Counter()
    seen: list[dict[int, None]] = [{} for _ in days]
    causes: list[dict[str, dict[int, None]]] = [{} for _ in days]
    for position, (moment, step, number) in enumerate(events):
        active[number] += step
        if not active[number]:
            del active[number]
        following = events[position + 1][0] if position + 1 < len(events) else moment
        if following <= moment or not active:
            continue
        current = [stretches[n] for n in active]
        down = worst(s[2] for s in current if not s[4])
        either = worst(s[2] for s in current)
        start = moment
        index = bisect_right(bounds, start) - 1
        while start < following and index < len(days):
            end = min(following, bounds[index + 1])
            overlap = (end - start).total_seconds()
            day = days[index]
            for stretch in current:
                seen[index][stretch[3]] = None
                if not stretch[4]:
                    day.statuses.add(stretch[2])
            day.downtime += overlap * WEIGHTS.get(down, 0.0)
            if either != OPERATIONAL:
                day.durations[either] = day.durations.get(either, 0.0) + overlap
                cause = causes[index].setdefault(either, {})
                cause.update((s[3], None) for s in current if s[2] == either)
            start, index = end, index + 1
    for index, day in enumerate(days):
        for order in sorted(seen[index]):
            incident = incidents[order]
            (day.maintenance if incident.is_maintenance else day.incidents).append(incident)
        for status, orders in causes[index].items():
            day.behind[status] = [incidents[order] for order in sorted(orders)]

"""Uptime per component and calendar day, counted as Statuspage counts it.

A day is a calendar day in the site's time zone (23 or 25 hours across a daylight-saving
change). Time in major outage counts fully, partial outage at 30%, degraded performance and
maintenance not at all. Only incidents count; maintenance never lowers uptime.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

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
        return self.ratio if self.ratio >= 1 else min(self.ratio, 0.9999)

    @property
    def percent(self) -> str:
        """The uptime in English figures: 99.95%."""
        return f"{self.shown * 100:.2f}%"


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    """The start of a calendar day in ``zone``, in UTC: Python subtracts two times of the
    same zone by their wall clocks, which makes every day 24 hours long."""
    return datetime(day.year, day.month, day.day, tzinfo=zone).astimezone(UTC)


def _segments(
    incident: Incident, now: datetime
) -> Iterator[tuple[datetime, datetime, dict[str, ComponentStatus]]]:
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


def uptimes(page: StatusPage) -> dict[str, Uptime]:
    """The uptime of every component over the site's ``uptime_days``, ending today."""
    config = page.config
    zone = config.timezone
    today = page.now.astimezone(zone).date()
    dates = [today - timedelta(days=n) for n in reversed(range(config.uptime_days))]
    first = _midnight(dates[0], zone)
    index = {day: n for n, day in enumerate(dates)}

    def day_length(day: date) -> float:
        end = min(_midnight(day + timedelta(days=1), zone), page.now)
        return max((end - _midnight(day, zone)).total_seconds(), 0.0)

    lengths = [day_length(day) for day in dates]
    table = {c.id: [Day(day, lengths[n]) for n, day in enumerate(dates)] for c in config.components}
    for incident in page.incidents:
        if incident.is_maintenance or (
            incident.resolved_at is not None and incident.resolved_at < first
        ):
            continue
        for start, end, statuses in _segments(incident, page.now):
            if end <= first:
                continue
            start = max(start, first)
            day = start.astimezone(zone).date()
            while day in index and _midnight(day, zone) < end:
                day_start = max(start, _midnight(day, zone))
                day_end = min(end, _midnight(day + timedelta(days=1), zone))
                overlap = (day_end - day_start).total_seconds()
                for component, status in statuses.items():
                    cell = table.get(component)
                    if cell is None or overlap <= 0:
                        continue
                    entry = cell[index[day]]
                    entry.statuses.add(status)
                    entry.downtime += overlap * WEIGHTS.get(status, 0.0)
                    if not entry.incidents or entry.incidents[-1] is not incident:
                        entry.incidents.append(incident)
                day += timedelta(days=1)
    return {component: Uptime(tuple(days)) for component, days in table.items()}

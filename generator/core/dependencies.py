"""The services a site depends on: what ``site_config.yml`` names (``dependencies:``), what
``statusgen dependencies sync`` read of each vendor's status page, and the one rule of what
a page shows of it at a moment.

A vendor's status is shown beside the site's own and never changes it: nothing here is read
by the site's status, its API, its feeds or its badges. What was read is kept in the
repository (``dependencies/<id>.json``), so that a build stays a function of the
repository; a reading is trusted for :data:`STALE_AFTER` only, after which the page says
the status is unknown (in the browser too, without a rebuild).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Literal

from generator.core.vocabulary import STATUS_FROM_IMPACT, ComponentStatus, worst

#: How long a reading is shown as the vendor's status: after that the page says "Status
#: unknown, last read ..." (SPEC: data older than 2 hours shows as unknown).
STALE_AFTER = timedelta(hours=2)
#: How old a reading may be before ``sync`` writes it again although nothing but the time
#: read changed: half of :data:`STALE_AFTER`, so that a vendor whose status stays the same
#: for days is never shown as unknown while the sync runs (every 15 minutes), at the cost of
#: one commit an hour.
REFRESH_AFTER = STALE_AFTER / 2
#: Where the readings are, from the repository's root: one ``<id>.json`` per dependency.
DEPENDENCIES_DIR = "dependencies"
#: What a page shows of a dependency whose status it does not know.
UNKNOWN: Literal["unknown"] = "unknown"

#: Where a reading stands at a moment: shown, too old to be shown, or none to show (never
#: read, read from another page, or read after that moment).
Freshness = Literal["fresh", "stale", "unread"]


def page_url(url: str) -> str:
    """A status page's address as statusgen compares and links it: without a final slash."""
    return url.rstrip("/")


@dataclass(frozen=True)
class Dependency:
    """A service the site depends on: ``dependencies:`` of the site config."""

    id: str
    name: str
    #: The vendor's status page (Statuspage-compatible), as written.
    url: str
    #: The vendor's component names that matter (empty: the whole page's indicator).
    components: tuple[str, ...] = ()

    @property
    def summary_url(self) -> str:
        """The page's Statuspage API v2 summary, which ``sync`` reads."""
        return page_url(self.url) + "/api/v2/summary.json"


@dataclass(frozen=True)
class VendorComponent:
    """One chosen component of a vendor's page and its status as read."""

    name: str
    status: ComponentStatus


@dataclass(frozen=True)
class VendorIncident:
    """An incident open on a vendor's page: its name, and where the vendor tells it."""

    name: str
    url: str
    impact: str


@dataclass(frozen=True)
class Reading:
    """What ``sync`` read of one vendor's page at ``read_at``."""

    #: The page read (``Dependency.url`` without a final slash): a reading of another page
    #: than the one configured now is not shown.
    page: str
    #: Statuspage's indicator of the whole page: none, minor, major, critical, maintenance.
    indicator: str
    #: The chosen components the vendor has, in the order of the config.
    components: tuple[VendorComponent, ...]
    #: The incidents open on the vendor's page.
    incidents: tuple[VendorIncident, ...]
    read_at: datetime
    #: Chosen component names the vendor's page does not have.
    missing: tuple[str, ...] = ()

    def same_as(self, other: Reading) -> bool:
        """Whether both say the same, whenever they were read."""
        return replace(self, read_at=other.read_at) == other

    def changes(self, newer: Reading) -> list[str]:
        """What ``newer`` says differently, in words for the sync's output."""
        said: list[str] = []
        if newer.page != self.page:
            said.append(f"page {self.page} -> {newer.page}")
        if newer.indicator != self.indicator:
            said.append(f"indicator {self.indicator} -> {newer.indicator}")
        before = {c.name: c.status for c in self.components}
        for component in newer.components:
            old = before.pop(component.name, None)
            if old != component.status:
                said.append(f"{component.name}: {old or 'not read'} -> {component.status}")
        said += [f"{name}: no longer read" for name in before]
        old_incidents = {(i.name, i.url) for i in self.incidents}
        new_incidents = {(i.name, i.url) for i in newer.incidents}
        said += [f"incident open: {name}" for name, _ in sorted(new_incidents - old_incidents)]
        said += [f"incident over: {name}" for name, _ in sorted(old_incidents - new_incidents)]
        if newer.incidents != self.incidents and new_incidents == old_incidents:
            said.append("open incidents changed impact")
        if newer.missing != self.missing:
            said.append(f"components not found: {', '.join(newer.missing) or 'none'}")
        return said


@dataclass(frozen=True)
class DependencyView:
    """A dependency as a page shows it at one moment."""

    dependency: Dependency
    freshness: Freshness
    #: A component status, or "unknown" unless fresh.
    status: str
    #: The chosen components, each with its status or "unknown" (none unless fresh).
    components: tuple[tuple[str, str], ...] = ()
    incidents: tuple[VendorIncident, ...] = ()
    #: When the reading shown (fresh) or too old to be shown (stale) was made.
    read_at: datetime | None = None


def view(dependency: Dependency, reading: Reading | None, moment: datetime) -> DependencyView:
    """What a page shows of ``dependency`` at ``moment``, from its ``reading``: the status of
    the chosen components (the worst of those read), else of the whole page (its indicator
    as a component status); unknown once the reading is :data:`STALE_AFTER` old, or when
    there is no reading of this page made by then."""
    if reading is None or reading.page != page_url(dependency.url) or reading.read_at > moment:
        return DependencyView(dependency, "unread", UNKNOWN)
    if moment >= reading.read_at + STALE_AFTER:
        return DependencyView(dependency, "stale", UNKNOWN, read_at=reading.read_at)
    read: Mapping[str, ComponentStatus] = {c.name: c.status for c in reading.components}
    components = tuple((name, read.get(name, UNKNOWN)) for name in dependency.components)
    known = [read[name] for name in dependency.components if name in read]
    status = worst(known) if known else STATUS_FROM_IMPACT[reading.indicator]
    return DependencyView(
        dependency, "fresh", status, components, reading.incidents, reading.read_at
    )


def turns(reading: Reading | None) -> tuple[datetime, ...]:
    """The moments at which what a page shows of a reading changes by itself: when it was
    made (a page built before shows it from then) and when it grows too old."""
    if reading is None:
        return ()
    return (reading.read_at, reading.read_at + STALE_AFTER)


def needs_writing(old: Reading | None, new: Reading) -> bool:
    """Whether ``sync`` writes ``new`` over ``old``: when it says something else, or when
    ``old`` is :data:`REFRESH_AFTER` old (else a page would call an unchanged vendor
    unknown after :data:`STALE_AFTER`)."""
    if old is None or not old.same_as(new):
        return True
    return new.read_at - old.read_at >= REFRESH_AFTER


def utc(moment: datetime) -> datetime:
    """``moment`` in UTC, to whole seconds: how a reading keeps the time it was made."""
    return moment.astimezone(UTC).replace(microsecond=0)

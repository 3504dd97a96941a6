"""What there is to send: every published update as an event, and what each channel takes.

An event is an update visible at "now" (its id is the update's id, as in the feeds and the
API), or a maintenance's automatic start or end (``<incident id>#started``, ``#ended``),
which the page shows without any update being written, or a reminder before a maintenance
window opens (``<incident id>#reminder-24h``, due at the window's start minus the reminder;
``core/reminders.py`` says when one is due). Events come oldest first.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from generator.core import rules
from generator.core.model import Channel, Incident, Update
from generator.core.reminders import reminder_due, reminder_id
from generator.core.vocabulary import IMPACT_ORDER, NotifyEvent

#: The automatic transitions of a maintenance: its window opening and closing.
Transition = Literal["started", "ended"]


@dataclass(frozen=True)
class Event:
    id: str
    kind: NotifyEvent
    at: datetime
    #: The incident as known at ``now`` (title, impact, workaround: the current text).
    incident: Incident
    #: The update sent; None for a maintenance's automatic start or end.
    update: Update | None
    #: The status the page shows from this event on.
    status: str
    #: "started" or "ended" for the automatic transitions of a maintenance.
    transition: Transition | None = None
    #: For a reminder: how long before the window it is due (its name is in ``id``).
    reminder: timedelta | None = None

    @property
    def starts(self) -> datetime | None:
        """When the window a reminder is about opens (None for any other event)."""
        window = self.incident.scheduled
        return None if self.reminder is None or window is None else window.start

    @property
    def impact(self) -> str:
        """The impact filters compare: maintenance counts as none."""
        return "none" if self.incident.is_maintenance else self.incident.impact

    @property
    def first(self) -> bool:
        return self.update is not None and self.update is self.incident.updates[0]


def events(
    incidents: Iterable[Incident],
    now: datetime,
    since: datetime,
    reminders: Iterable[timedelta] = (),
) -> list[Event]:
    """Every event published at ``now`` whose time is ``since`` or later, oldest first,
    with the maintenance reminders due for any of ``reminders``."""
    found: list[Event] = []
    before = sorted(set(reminders), reverse=True)
    for incident in incidents:
        if _latest(incident) < since:
            continue  # everything it has to send is older than ``since``
        shown = incident.as_of(now)
        if shown is not None:
            found.extend(event for event in _events(shown, now) if event.at >= since)
            found.extend(event for event in _reminders(shown, now, before) if event.at >= since)
    found.sort(key=lambda event: (event.at, event.id))
    return found


def _latest(incident: Incident) -> datetime:
    latest = incident.latest_update.at
    if incident.scheduled is not None:
        return max(latest, incident.scheduled.end)
    return latest


def _events(incident: Incident, now: datetime) -> Iterator[Event]:
    kind: NotifyEvent
    for update in incident.updates:
        if incident.is_maintenance:
            kind = "maintenance"
        elif update is incident.updates[0]:
            kind = "created"
        elif rules.is_all_clear(update.status):
            kind = "resolved"
        else:
            kind = "updated"
        status = _shown_status(incident, update.status, update.at)
        yield Event(update.id, kind, update.at, incident, update, status)
    window = incident.scheduled
    if window is None:
        return
    moments: tuple[tuple[Transition, datetime], ...] = (
        ("started", window.start),
        ("ended", window.end),
    )
    for transition, moment in moments:
        written = _written_status(incident, moment)
        if moment <= now and written is not None and rules.is_scheduled(written):
            status = _shown_status(incident, written, moment)
            yield Event(
                f"{incident.id}#{transition}",
                "maintenance",
                moment,
                incident,
                None,
                status,
                transition,
            )


def _reminders(incident: Incident, now: datetime, reminders: list[timedelta]) -> Iterator[Event]:
    """The reminders of a maintenance that are due at ``now``, as it shows at ``now``."""
    window = incident.scheduled
    if window is None:
        return
    for reminder in reminders:
        due = reminder_due(incident.status, window.start, incident.first_update.at, reminder, now)
        if due is not None:
            yield Event(
                reminder_id(incident.id, reminder),
                "maintenance",
                due,
                incident,
                None,
                incident.status,
                reminder=reminder,
            )


def _written_status(incident: Incident, moment: datetime) -> str | None:
    """The status the updates give at ``moment`` (None before the first)."""
    status = None
    for update in incident.updates:
        if update.at > moment:
            break
        status = update.status
    return status


def _shown_status(incident: Incident, written: str, moment: datetime) -> str:
    """A maintenance still ``scheduled`` shows the phase of its window, as the page does."""
    window = incident.scheduled
    when = None if window is None else rules.phase(window.start, window.end, moment)
    return rules.shown_status(written, when)


def takes(channel: Channel, event: Event) -> bool:
    """Whether ``channel``'s filters let ``event`` through (a reminder, only to a channel
    reminded that long before)."""
    if event.reminder is not None and event.reminder not in channel.reminders:
        return False
    if event.kind not in channel.events:
        first_all_clear = event.first and rules.is_resolved(event.status)
        if not (first_all_clear and "resolved" in channel.events):
            return False
    if channel.min_impact is not None and IMPACT_ORDER.index(event.impact) < IMPACT_ORDER.index(
        channel.min_impact
    ):
        return False
    if channel.components is not None:
        return not channel.components.isdisjoint(event.incident.affected_component_ids)
    return True

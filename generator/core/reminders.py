"""Reminders before a maintenance: how one is written, named, and when it is due.

A reminder is a length of time before a window opens (``notify.reminders: [72h, 24h,
1h]``). It is written as a duration of whole minutes (``30m``, ``1h``, ``1h30m``, ``2d``),
and named by one form whatever way it was written, so that ``1d`` and ``24h`` are one
reminder with one event id (``<incident id>#reminder-24h``): whole hours in hours
(``1d`` -> ``24h``, ``60m`` -> ``1h``), anything else in minutes (``1h30m`` -> ``90m``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from generator.core import rules
from generator.core.times import TimeError, parse_duration

#: The shortest and the longest reminder: a minute, and a year (the oldest event notify
#: can be told to send).
SHORTEST = timedelta(minutes=1)
LONGEST = timedelta(days=366)
REMINDER_HINT = "write a duration of whole minutes before the window, such as 30m, 1h, 24h or 2d"


def parse_reminder(text: str) -> timedelta:
    """A reminder as written (``24h``, ``1h30m``, ``2d``); TimeError with a hint when it is
    not a whole number of minutes from 1m to 366d."""
    try:
        duration = parse_duration(text)
    except TimeError as error:  # its hint offers seconds (30s), which no reminder takes
        raise TimeError(error.message, REMINDER_HINT) from None
    if duration % timedelta(minutes=1) or not SHORTEST <= duration <= LONGEST:
        raise TimeError(f"'{text}' is not a whole number of minutes from 1m to 366d", REMINDER_HINT)
    return duration


def reminder_name(reminder: timedelta) -> str:
    """The one name of a reminder, in its event's id: ``24h``, ``72h``, ``90m``."""
    minutes = reminder // timedelta(minutes=1)
    hours, rest = divmod(minutes, 60)
    return f"{hours}h" if not rest else f"{minutes}m"


def reminder_id(incident: str, reminder: timedelta) -> str:
    """The event id of a reminder: ``<incident id>#reminder-24h``."""
    return f"{incident}#reminder-{reminder_name(reminder)}"


def reminder_due(
    status: str,
    start: datetime,
    announced: datetime,
    reminder: timedelta,
    now: datetime,
) -> datetime | None:
    """When a reminder of a maintenance falls due, or None when it is not to be sent at
    ``now``: the window opening at ``start`` minus the reminder, once that time has come,
    only while the maintenance is still ``scheduled`` as shown at ``now`` (not cancelled,
    completed or begun) and its window has not opened, and only when the reminder falls
    after the maintenance was ``announced`` (its first update): an announcement made
    later than the reminder's time already told what the reminder would."""
    due = start - reminder
    if not rules.is_scheduled(status) or now >= start or due > now or due <= announced:
        return None
    return due

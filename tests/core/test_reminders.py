"""``core/reminders.py``: how a reminder is written, its one name, and when it is due."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from generator.core.reminders import parse_reminder, reminder_due, reminder_id, reminder_name
from generator.core.times import TimeError

START = datetime(2026, 11, 23, 9, tzinfo=UTC)
ANNOUNCED = datetime(2026, 11, 20, 8, tzinfo=UTC)
DAY = timedelta(hours=24)


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("24h", "24h"),
        ("1d", "24h"),
        ("72h", "72h"),
        ("3d", "72h"),
        ("60m", "1h"),
        ("1h30m", "90m"),
        ("2D", "48h"),
        (" 30m ", "30m"),
        ("366d", "8784h"),
    ],
)
def test_a_reminder_has_one_name_however_it_is_written(written: str, name: str) -> None:
    assert reminder_name(parse_reminder(written)) == name


@pytest.mark.parametrize("written", ["30s", "1m30s", "0m", "367d", "soon", "1h30", "24", ""])
def test_a_reminder_is_whole_minutes_from_a_minute_to_366_days(written: str) -> None:
    with pytest.raises(TimeError) as raised:
        parse_reminder(written)
    assert raised.value.hint
    assert "30s" not in raised.value.hint  # no example the same check would refuse


def test_a_reminders_id_names_its_incident_and_itself() -> None:
    assert reminder_id("2026-11-23-migration", parse_reminder("1d")) == (
        "2026-11-23-migration#reminder-24h"
    )


@pytest.mark.parametrize(
    ("status", "now", "due"),
    [
        ("scheduled", START - DAY, START - DAY),  # at its time
        ("scheduled", START - timedelta(hours=2), START - DAY),  # late, still before
        ("scheduled", START - DAY - timedelta(seconds=1), None),  # not yet
        ("scheduled", START, None),  # the window has opened
        ("in_progress", START - timedelta(hours=2), None),  # begun early
        ("cancelled", START - timedelta(hours=2), None),
        ("completed", START - timedelta(hours=2), None),
    ],
)
def test_a_reminder_is_due_only_while_the_window_is_to_come(
    status: str, now: datetime, due: datetime | None
) -> None:
    assert reminder_due(status, START, ANNOUNCED, DAY, now) == due


def test_a_reminder_whose_time_came_before_the_announcement_is_never_due() -> None:
    late_announcement = START - timedelta(hours=20)
    assert (
        reminder_due("scheduled", START, late_announcement, DAY, START - timedelta(hours=1)) is None
    )
    at_its_time = START - DAY
    assert reminder_due("scheduled", START, at_its_time, DAY, START - timedelta(hours=1)) is None

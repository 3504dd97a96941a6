"""maintenance.ics, read with icalendar as calendar apps read it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from icalendar import Calendar

from tests.example import REFERENCE_TIME
from tests.sites import render_outputs, write_repository


@pytest.fixture(scope="module")
def calendar(tmp_path_factory: pytest.TempPathFactory) -> Calendar:
    site = render_outputs(write_repository(tmp_path_factory.mktemp("repo")))
    return Calendar.from_ical((site / "maintenance.ics").read_bytes())


def test_every_maintenance_is_an_event(calendar: Calendar) -> None:
    assert str(calendar["version"]) == "2.0"
    assert str(calendar["prodid"]).startswith("-//statusgen ")
    events = calendar.walk("VEVENT")
    assert [str(e["summary"]) for e in events] == [
        "Sign-in maintenance",
        "Dashboard maintenance",
        "API upgrade",
    ]
    assert [str(e["status"]) for e in events] == ["CONFIRMED", "CANCELLED", "CONFIRMED"]


def test_an_event_in_detail(calendar: Calendar) -> None:
    event = calendar.walk("VEVENT")[2]
    assert str(event["uid"]) == "2026-11-28-upgrade@status.acme.example"
    assert event.decoded("dtstart") == datetime(2026, 11, 28, 1, tzinfo=UTC)
    assert event.decoded("dtend") == datetime(2026, 11, 28, 3, tzinfo=UTC)
    assert event.decoded("dtstamp") == REFERENCE_TIME  # --now
    assert str(event["url"]) == "https://status.acme.example/incidents/2026-11-28-upgrade/"
    assert str(event["description"]) == (
        "The API is read-only during the window.\n\n"
        "https://status.acme.example/incidents/2026-11-28-upgrade/"
    )
    assert event.decoded("sequence") == 0


def test_uids_are_stable_and_sequence_grows(tmp_path: Path) -> None:
    root = write_repository(tmp_path)
    first = Calendar.from_ical((render_outputs(root) / "maintenance.ics").read_bytes())
    path = root / "incidents/2026-11-28-upgrade.yml"
    path.write_text(
        path.read_text() + "  - at: 2026-11-23T09:00:00Z\n    message: Reminder.\n",
        encoding="utf-8",
    )
    second = Calendar.from_ical((render_outputs(root) / "maintenance.ics").read_bytes())
    before = {str(e["uid"]): e.decoded("sequence") for e in first.walk("VEVENT")}
    after = {str(e["uid"]): e.decoded("sequence") for e in second.walk("VEVENT")}
    assert before.keys() == after.keys()
    assert after["2026-11-28-upgrade@status.acme.example"] == 1


def test_a_site_name_of_several_lines_is_one_calendar_name(tmp_path: Path) -> None:
    """Found by the long fuzz profile: icalendar does not escape the X- properties."""
    root = write_repository(tmp_path)
    config = root / "site_config.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("name: Acme Cloud Status", 'name: "Acme\\nStatus"'))
    data = (render_outputs(root) / "maintenance.ics").read_bytes()
    assert b"X-WR-CALNAME:Acme\\nStatus: maintenance\r\n" in data  # escaped, one line
    assert Calendar.from_ical(data)["X-WR-TIMEZONE"] == "Europe/Berlin"

"""The rule of what a page shows of a service the site depends on, and when sync writes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from generator.core.dependencies import (
    REFRESH_AFTER,
    STALE_AFTER,
    Dependency,
    Reading,
    VendorComponent,
    VendorIncident,
    needs_writing,
    turns,
    view,
)

READ = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
GITHUB = Dependency("github", "GitHub", "https://www.githubstatus.com/", ("Actions", "Pages"))
READING = Reading(
    page="https://www.githubstatus.com",
    indicator="critical",
    components=(VendorComponent("Actions", "degraded_performance"),),
    incidents=(
        VendorIncident("Copilot down", "https://www.githubstatus.com/incidents/x", "critical"),
    ),
    read_at=READ,
    missing=("Pages",),
)


def test_the_chosen_components_decide_the_status_not_the_whole_page() -> None:
    shown_now = view(GITHUB, READING, READ + timedelta(minutes=5))
    assert shown_now.freshness == "fresh"
    assert shown_now.status == "degraded_performance"
    assert shown_now.components == (("Actions", "degraded_performance"), ("Pages", "unknown"))
    assert shown_now.incidents == READING.incidents


def test_without_chosen_components_the_indicator_is_the_status() -> None:
    whole = Dependency("github", "GitHub", "https://www.githubstatus.com")
    assert view(whole, READING, READ).status == "major_outage"
    maintenance = Reading("https://www.githubstatus.com", "maintenance", (), (), READ)
    assert view(whole, maintenance, READ).status == "under_maintenance"


@pytest.mark.parametrize(
    ("moment", "freshness"),
    [
        (READ - timedelta(seconds=1), "unread"),  # read after the moment shown
        (READ, "fresh"),
        (READ + STALE_AFTER - timedelta(seconds=1), "fresh"),
        (READ + STALE_AFTER, "stale"),
        (READ + timedelta(days=30), "stale"),
    ],
)
def test_a_reading_is_shown_for_two_hours_then_unknown(moment: datetime, freshness: str) -> None:
    seen = view(GITHUB, READING, moment)
    assert seen.freshness == freshness
    if freshness != "fresh":
        assert seen.status == "unknown"
        assert seen.components == () and seen.incidents == ()
    assert turns(READING) == (READ, READ + timedelta(hours=2))


def test_a_reading_of_another_page_or_none_is_unread() -> None:
    moved = Dependency("github", "GitHub", "https://status.github.example")
    assert view(moved, READING, READ).freshness == "unread"
    assert view(GITHUB, None, READ).freshness == "unread"
    assert turns(None) == ()


def test_sync_writes_what_is_new_or_an_hour_old_only() -> None:
    later = Reading(**{**READING.__dict__, "read_at": READ + timedelta(minutes=15)})
    assert not needs_writing(READING, later)
    assert needs_writing(None, later)
    old = Reading(**{**READING.__dict__, "read_at": READ + REFRESH_AFTER})
    assert needs_writing(READING, old)
    moved = Reading(**{**later.__dict__, "indicator": "none"})
    assert needs_writing(READING, moved)
    assert READING.changes(moved) == ["indicator critical -> none"]


def test_changes_say_what_differs_in_words() -> None:
    newer = Reading(
        page="https://www.githubstatus.com",
        indicator="none",
        components=(
            VendorComponent("Actions", "operational"),
            VendorComponent("Pages", "operational"),
        ),
        incidents=(),
        read_at=READ,
    )
    assert READING.changes(newer) == [
        "indicator critical -> none",
        "Actions: degraded_performance -> operational",
        "Pages: not read -> operational",
        "incident over: Copilot down",
        "components not found: none",
    ]

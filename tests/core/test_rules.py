"""The status rules, asked directly: each is one function, and every output asks it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from generator.core import rules
from generator.core.vocabulary import INCIDENT_STATUSES, MAINTENANCE_STATUSES, Phase

START = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
END = START + timedelta(hours=2)


def test_an_incident_starts_investigating_and_a_maintenance_scheduled() -> None:
    assert rules.default_status("incident") == "investigating"
    assert rules.default_status("maintenance") == "scheduled"


def test_an_incident_closes_resolved_and_a_maintenance_completed() -> None:
    assert rules.closing_status("incident") == "resolved"
    assert rules.closing_status("maintenance") == "completed"
    assert rules.is_all_clear(rules.closing_status("incident"))
    assert rules.is_all_clear(rules.closing_status("maintenance"))


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (START - timedelta(seconds=1), "before"),
        (START, "during"),
        (END - timedelta(seconds=1), "during"),
        (END, "after"),
    ],
)
def test_the_phase_of_a_window_opens_at_its_start_and_closes_at_its_end(
    moment: datetime, expected: Phase
) -> None:
    assert rules.phase(START, END, moment) == expected


def test_only_a_scheduled_maintenance_follows_its_window() -> None:
    assert rules.shown_status("scheduled", None) == "scheduled"
    assert rules.shown_status("scheduled", "before") == "scheduled"
    assert rules.shown_status("scheduled", "during") == "in_progress"
    assert rules.shown_status("scheduled", "after") == "completed"
    for written in ("in_progress", "verifying", "cancelled", "completed"):
        assert rules.shown_status(written, "after") == written


def test_over_means_resolved_postmortem_completed_or_cancelled() -> None:
    over = {s for s in (*INCIDENT_STATUSES, *MAINTENANCE_STATUSES) if rules.is_resolved(s)}
    assert over == {"resolved", "postmortem", "completed", "cancelled"}
    assert not rules.is_all_clear("postmortem")


def test_an_incident_affects_components_until_over_a_maintenance_while_active() -> None:
    incident = [s for s in INCIDENT_STATUSES if rules.affects_components("incident", s)]
    assert incident == ["investigating", "identified", "monitoring"]
    maintenance = [s for s in MAINTENANCE_STATUSES if rules.affects_components("maintenance", s)]
    assert maintenance == ["in_progress", "verifying"]


def test_the_api_shows_a_cancelled_maintenance_as_completed() -> None:
    assert rules.api_status("cancelled") == "completed"
    assert [rules.api_status(s) for s in INCIDENT_STATUSES] == list(INCIDENT_STATUSES)


def test_serious_is_a_major_or_critical_incident_never_a_maintenance() -> None:
    assert rules.is_serious("incident", "major")
    assert rules.is_serious("incident", "critical")
    assert not rules.is_serious("incident", "minor")
    assert not rules.is_serious("incident", "none")
    assert not rules.is_serious("maintenance", "critical")


def test_the_embed_shows_maintenance_in_progress_and_still_to_come() -> None:
    assert rules.embedded_maintenance() == (("in_progress", "verifying"), ("scheduled",))

"""Derived state: timelines, statuses, component statuses, maintenance phases, indicator."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from generator.core.model import Incident, StatusPage
from generator.core.vocabulary import label
from generator.input.validate import load_repository
from tests.conftest import Repo, dedent

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def build(repo: Repo, *texts: str) -> tuple[Incident, ...]:
    for number, text in enumerate(texts):
        repo.incident(f"i{number}", text)
    repository = load_repository(repo.root)
    assert repository.diagnostics == []
    return repository.incidents


def one(repo: Repo, text: str) -> Incident:
    return build(repo, text)[0]


def page(repo: Repo, *texts: str, now: datetime = NOW) -> StatusPage:
    incidents = build(repo, *texts)
    config = load_repository(repo.root).config
    assert config is not None
    return StatusPage.at(config, incidents, now)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_updates_are_ordered_by_time_and_statuses_carry_over(repo: Repo) -> None:
    incident = one(
        repo,
        """\
        title: t
        impact: major
        updates:
          - at: 2026-11-20T11:00:00Z
            message: c
          - at: 2026-11-20T09:00:00Z
            message: a
          - at: 2026-11-20T10:00:00Z
            status: identified
            message: b
        """,
    )
    assert [u.message for u in incident.updates] == ["a", "b", "c"]
    assert [u.status for u in incident.updates] == ["investigating", "identified", "identified"]
    assert [u.status_given for u in incident.updates] == [False, True, False]
    assert incident.status == "identified"
    assert incident.start == at("2026-11-20T09:00:00+00:00")


def test_equal_times_keep_file_order_and_get_suffixed_ids(repo: Repo) -> None:
    incident = one(
        repo,
        """\
        title: t
        impact: major
        updates:
          - at: 2026-11-20T10:00:00+01:00
            message: first
          - at: 2026-11-20T09:00:00Z
            message: second
        """,
    )
    assert [u.message for u in incident.updates] == ["first", "second"]
    assert [u.id for u in incident.updates] == ["i0-20261120T090000Z", "i0-20261120T090000Z-2"]


def test_updates_across_a_daylight_saving_change_are_ordered_by_instant(repo: Repo) -> None:
    # Berlin, 25 October 2026: 03:00 CEST becomes 02:00 CET. 02:40+02:00 is 00:40 UTC,
    # 02:10+01:00 is 01:10 UTC, so the wall-clock-earlier update is the later one.
    incident = one(
        repo,
        """\
        title: t
        impact: minor
        updates:
          - at: 2026-10-25T02:10:00+01:00
            status: identified
            message: second
          - at: 2026-10-25 01:30
            message: zeroth
          - at: 2026-10-25T02:40:00+02:00
            message: first
          - at: 2026-10-25 03:30
            status: resolved
            message: third
        """,
    )
    assert [u.message for u in incident.updates] == ["zeroth", "first", "second", "third"]
    assert [u.at.astimezone(UTC).strftime("%H:%M") for u in incident.updates] == [
        "23:30",
        "00:40",
        "01:10",
        "02:30",
    ]
    assert incident.resolved_at == at("2026-10-25T02:30:00+00:00")


def test_resolved_at_is_the_latest_all_clear_and_reopening_clears_it(repo: Repo) -> None:
    text = """\
        title: t
        impact: major
        updates:
          - at: 2026-11-20T09:00:00Z
            message: a
          - at: 2026-11-20T10:00:00Z
            status: resolved
            message: b
        """
    incident = one(repo, text)
    assert incident.is_resolved
    assert incident.resolved_at == at("2026-11-20T10:00:00+00:00")
    reopened = one(
        repo,
        dedent(text) + "  - at: 2026-11-20T11:00:00Z\n    status: investigating\n    message: c\n",
    )
    assert not reopened.is_resolved
    assert reopened.resolved_at is None
    closed = one(
        repo,
        dedent(text)
        + "  - at: 2026-11-20T11:00:00Z\n    status: investigating\n    message: c\n"
        + "  - at: 2026-11-20T12:00:00Z\n    status: resolved\n    message: d\n"
        + "  - at: 2026-11-21T12:00:00Z\n    status: postmortem\n    message: e\n",
    )
    assert closed.status == "postmortem"
    assert closed.is_resolved
    assert closed.resolved_at == at("2026-11-20T12:00:00+00:00")


def test_component_transitions_follow_updates_and_the_all_clear(repo: Repo) -> None:
    incident = one(
        repo,
        """\
        title: t
        impact: major
        components:
          auth: partial_outage
          dashboard: degraded_performance
        updates:
          - at: 2026-11-20T09:00:00Z
            message: a
          - at: 2026-11-20T10:00:00Z
            message: b
            components: {dashboard: operational, api: degraded_performance}
          - at: 2026-11-20T11:00:00Z
            status: resolved
            message: c
        """,
    )
    changes = [[(c.component, c.old, c.new) for c in u.changes] for u in incident.updates]
    assert changes == [
        [
            ("auth", "operational", "partial_outage"),
            ("dashboard", "operational", "degraded_performance"),
        ],
        [
            ("dashboard", "degraded_performance", "operational"),
            ("api", "operational", "degraded_performance"),
        ],
        [
            ("auth", "partial_outage", "operational"),
            ("api", "degraded_performance", "operational"),
        ],
    ]
    assert incident.affected_component_ids == ("auth", "dashboard", "api")
    assert incident.current_statuses == {}


@pytest.mark.parametrize(
    ("impact", "status"),
    [
        ("none", "operational"),
        ("minor", "degraded_performance"),
        ("major", "partial_outage"),
        ("critical", "major_outage"),
    ],
)
def test_listed_components_take_their_status_from_the_impact(
    repo: Repo, impact: str, status: str
) -> None:
    incident = one(
        repo,
        f"title: t\nimpact: {impact}\ncomponents: [api]\nupdates:\n"
        "  - at: 2026-11-20T09:00:00Z\n    message: m\n",
    )
    assert incident.components == {"api": status}
    assert incident.current_statuses == {"api": status}


MAINTENANCE = """\
    title: t
    type: maintenance
    components: [api]
    scheduled:
      start: 2026-11-25T02:00:00Z
      end: 2026-11-25T04:00:00Z
    updates:
      - at: 2026-11-20T10:00:00Z
        message: planned
    """


@pytest.mark.parametrize(
    ("now", "status", "automatic", "api"),
    [
        ("2026-11-24T12:00:00+00:00", "scheduled", False, "operational"),
        ("2026-11-25T02:00:00+00:00", "in_progress", True, "under_maintenance"),
        ("2026-11-25T03:59:59+00:00", "in_progress", True, "under_maintenance"),
        ("2026-11-25T04:00:00+00:00", "completed", True, "operational"),
    ],
)
def test_a_scheduled_maintenance_follows_its_window_without_updates(
    repo: Repo, now: str, status: str, automatic: bool, api: str
) -> None:
    site = page(repo, MAINTENANCE, now=at(now))
    (maintenance,) = site.incidents
    assert maintenance.status == status
    assert maintenance.status_is_automatic is automatic
    assert len(maintenance.updates) == 1  # the transition is shown, never written
    assert site.component_statuses["api"] == api
    assert site.indicator == ("maintenance" if api == "under_maintenance" else "none")
    if status == "completed":
        assert maintenance.resolved_at == at("2026-11-25T04:00:00+00:00")


def test_a_maintenance_in_progress_past_its_window_stays_in_progress(repo: Repo) -> None:
    text = dedent(MAINTENANCE) + (
        "  - at: 2026-11-25T02:01:00Z\n    status: in_progress\n    message: started\n"
    )
    site = page(repo, text, now=at("2026-11-25T05:00:00+00:00"))
    (maintenance,) = site.incidents
    assert maintenance.status == "in_progress"
    assert not maintenance.status_is_automatic
    assert site.component_statuses["api"] == "under_maintenance"


def test_a_cancelled_maintenance_changes_nothing(repo: Repo) -> None:
    text = dedent(MAINTENANCE) + (
        "  - at: 2026-11-21T10:00:00Z\n    status: cancelled\n    message: cancelled\n"
    )
    site = page(repo, text, now=at("2026-11-25T03:00:00+00:00"))
    (maintenance,) = site.incidents
    assert maintenance.status == "cancelled"
    assert maintenance.is_resolved
    assert site.component_statuses["api"] == "operational"


def test_component_status_is_the_most_severe_and_groups_roll_up(repo: Repo) -> None:
    site = page(
        repo,
        "title: a\nimpact: minor\ncomponents: {api: degraded_performance}\nupdates:\n"
        "  - at: 2026-11-20T09:00:00Z\n    message: m\n",
        "title: b\nimpact: critical\ncomponents: {api: major_outage, auth: partial_outage}\n"
        "updates:\n  - at: 2026-11-21T09:00:00Z\n    message: m\n",
        "title: c\nimpact: critical\ncomponents: {dashboard: major_outage}\nupdates:\n"
        "  - at: 2026-11-21T09:00:00Z\n    message: m\n"
        "  - at: 2026-11-21T10:00:00Z\n    status: resolved\n    message: m\n",
    )
    assert site.component_statuses == {
        "api": "major_outage",
        "dashboard": "operational",
        "auth": "partial_outage",
    }
    assert site.group_status("Platform") == "major_outage"
    assert site.indicator == "critical"
    assert label("indicator", site.indicator) == "Major System Outage"


def test_an_unresolved_incident_counts_whatever_its_status(repo: Repo) -> None:
    site = page(
        repo,
        "title: a\nimpact: minor\ncomponents: [api]\nupdates:\n"
        "  - at: 2026-11-20T09:00:00Z\n    status: monitoring\n    message: m\n",
    )
    assert site.component_statuses["api"] == "degraded_performance"
    assert (site.indicator, label("indicator", site.indicator)) == ("minor", "Minor Service Outage")


def test_updates_after_now_are_not_shown(repo: Repo) -> None:
    text = """\
        title: t
        impact: major
        components: [api]
        updates:
          - at: 2026-11-24T11:00:00Z
            message: a
          - at: 2026-11-24T13:00:00Z
            status: resolved
            message: b
        """
    site = page(repo, text)
    (incident,) = site.incidents
    assert [u.message for u in incident.updates] == ["a"]
    assert not incident.is_resolved
    assert site.indicator == "major"
    later = StatusPage.at(site.config, build(repo, text), NOW + timedelta(hours=2))
    assert later.incidents[0].is_resolved
    earlier = StatusPage.at(site.config, build(repo, text), NOW - timedelta(hours=2))
    assert earlier.incidents == ()
    assert label("indicator", earlier.indicator) == "All Systems Operational"


def test_started_defaults_to_the_first_update_or_the_window(repo: Repo) -> None:
    incident, maintenance = build(
        repo,
        "title: t\nimpact: none\nupdates:\n  - at: 2026-11-20T09:00:00Z\n    message: m\n",
        MAINTENANCE,
    )
    assert incident.start == at("2026-11-20T09:00:00+00:00")
    assert maintenance.start == at("2026-11-25T02:00:00+00:00")
    assert maintenance.impact == "maintenance"


def test_internal_never_reaches_the_model(repo: Repo) -> None:
    incident = one(
        repo,
        "title: t\nimpact: none\nupdates:\n  - at: 2026-11-20T09:00:00Z\n    message: m\n"
        "internal:\n  ticket: OPS-4242\n",
    )
    assert "OPS-4242" not in repr(incident)
    assert not hasattr(incident, "internal")


def test_times_are_always_timezone_aware(repo: Repo) -> None:
    incident = one(
        repo,
        "title: t\nimpact: none\nstarted: 2026-11-20 08:00\nupdates:\n"
        "  - at: 2026-11-20 09:00\n    message: m\n    next_update: 2026-11-20 10:00\n",
    )
    moments = [incident.start, incident.updates[0].at, incident.updates[0].next_update]
    assert all(m is not None and m.tzinfo is not None for m in moments)
    assert incident.updates[0].at == at("2026-11-20T08:00:00+00:00")


def test_marks_point_at_each_update(repo: Repo) -> None:
    incident = one(
        repo,
        "title: t\nimpact: none\nupdates:\n  - at: 2026-11-20T10:00:00Z\n    message: b\n"
        "  - at: 2026-11-20T09:00:00Z\n    message: a\n",
    )
    assert [(u.message, u.mark.line) for u in incident.updates] == [("a", 6), ("b", 4)]
    assert incident.path == Path(repo.root / "incidents/i0.yml")

"""api/v2/*.json against real Statuspage responses: same keys, types, value sets, order."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.sites import render_outputs, write_repository

REFERENCE = Path(__file__).resolve().parents[1] / "reference/statuspage"
FILES = [
    "summary.json",
    "status.json",
    "components.json",
    "incidents.json",
    "incidents/unresolved.json",
    "scheduled-maintenances.json",
    "scheduled-maintenances/upcoming.json",
    "scheduled-maintenances/active.json",
]
TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
COMPONENT_STATUSES = {
    "operational", "degraded_performance", "partial_outage", "major_outage", "under_maintenance"
}  # fmt: skip
INCIDENT_STATUSES = {"investigating", "identified", "monitoring", "resolved", "postmortem"}
MAINTENANCE_STATUSES = {"scheduled", "in_progress", "verifying", "completed"}


def reference(name: str) -> Any:
    return json.loads((REFERENCE / name).read_text(encoding="utf-8"))


SUMMARY = reference("githubstatus-summary-outage-2020-04-02.json")
INCIDENTS = reference("githubstatus-incidents-2024-09-17.json")
COMPONENTS = reference("githubstatus-components-2024-09-17.json")
MAINTENANCES = reference("statuspage-docs-example-scheduled-maintenances.json")


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    site = render_outputs(write_repository(tmp_path_factory.mktemp("repo")))
    return {name: json.loads((site / "api/v2" / name).read_text()) for name in FILES}


def kind(value: Any) -> str:
    return type(value).__name__


def same_shape(ours: dict[str, Any], theirs: dict[str, Any], where: str) -> None:
    """Every key of theirs is ours too, with a value of the same type (or both null)."""
    missing = set(theirs) - set(ours)
    assert not missing, f"{where}: missing {missing}"
    for key, value in theirs.items():
        if value is None or ours[key] is None:
            continue
        assert kind(ours[key]) == kind(value), f"{where}.{key}: {ours[key]!r} vs {value!r}"


def test_every_file_has_the_page(api: dict[str, Any]) -> None:
    for name, data in api.items():
        assert list(data["page"]) == list(SUMMARY["page"]), name
        same_shape(data["page"], SUMMARY["page"], f"{name} page")
    assert api["summary.json"]["page"] == {
        "id": "status.acme.example",
        "name": "Acme Cloud Status",
        "url": "https://status.acme.example",
        "time_zone": "Europe/Berlin",
        "updated_at": "2026-11-24T10:25:00.000Z",
    }


def test_summary_has_statuspages_keys_in_order(api: dict[str, Any]) -> None:
    assert list(api["summary.json"]) == list(SUMMARY)
    assert list(api["status.json"]) == ["page", "status"]
    assert api["summary.json"]["status"] == {
        "indicator": "major",
        "description": "Partial System Outage",
    }


def test_components_match_statuspage(api: dict[str, Any]) -> None:
    components = api["components.json"]["components"]
    for component in components:
        same_shape(component, COMPONENTS["components"][0], f"component {component['id']}")
        assert component["status"] in COMPONENT_STATUSES
        assert TIME.match(component["created_at"]) and TIME.match(component["updated_at"])
    assert [c["position"] for c in components] == list(range(1, len(components) + 1))
    assert [(c["id"], c["status"], c["group"], c["group_id"]) for c in components] == [
        ("group-platform", "partial_outage", True, None),
        ("api", "operational", False, "group-platform"),
        ("auth", "partial_outage", False, "group-platform"),
        ("dashboard", "operational", False, None),
    ]
    assert components[0]["components"] == ["api", "auth"]
    assert api["summary.json"]["components"] == components


def test_incidents_match_statuspage(api: dict[str, Any]) -> None:
    theirs = INCIDENTS["incidents"][0]
    incidents = api["incidents.json"]["incidents"]
    assert [i["id"] for i in incidents] == ["2026-11-24-sign-in", "2026-11-10-api"]
    for incident in incidents:
        assert list(incident) == list(theirs)
        same_shape(incident, theirs, incident["id"])
        assert incident["status"] in INCIDENT_STATUSES
        assert incident["impact"] in {"none", "minor", "major", "critical"}
        created = [u["created_at"] for u in incident["incident_updates"]]
        assert created == sorted(created, reverse=True)  # newest first, as Statuspage
        for update in incident["incident_updates"]:
            same_shape(update, theirs["incident_updates"][0], f"{incident['id']} update")
            assert list(update) == list(theirs["incident_updates"][0])
            assert TIME.match(update["created_at"])
            for change in update["affected_components"] or []:
                same_shape(change, theirs["incident_updates"][0]["affected_components"][0], "ac")
                assert change["new_status"] in COMPONENT_STATUSES
        for component in incident["components"]:
            same_shape(component, theirs["components"][0], "incident component")


def test_an_incident_in_detail(api: dict[str, Any]) -> None:
    resolved = api["incidents.json"]["incidents"][1]
    assert {k: resolved[k] for k in ("name", "status", "impact", "resolved_at", "started_at")} == {
        "name": "API requests fail",
        "status": "resolved",
        "impact": "critical",
        "resolved_at": "2026-11-10T15:10:00.000Z",
        "started_at": "2026-11-10T14:00:00.000Z",
    }
    assert resolved["monitoring_at"] == "2026-11-10T14:30:00.000Z"
    assert resolved["shortlink"] == "https://status.acme.example/incidents/2026-11-10-api/"
    assert [u["affected_components"] for u in resolved["incident_updates"]] == [
        [
            {"code": "api", "name": "Public API", "old_status": "major_outage",
             "new_status": "operational"},
        ],
        [
            {"code": "dashboard", "name": "Dashboard", "old_status": "major_outage",
             "new_status": "operational"},
        ],
        [
            {"code": "api", "name": "Public API", "old_status": "operational",
             "new_status": "major_outage"},
            {"code": "dashboard", "name": "Dashboard", "old_status": "operational",
             "new_status": "major_outage"},
        ],
    ]  # fmt: skip
    assert [c["id"] for c in resolved["components"]] == ["api", "dashboard"]


def test_bodies_are_plain_text(api: dict[str, Any]) -> None:
    bodies = [u["body"] for i in api["incidents.json"]["incidents"] for u in i["incident_updates"]]
    assert "Some customers in the EU cannot sign in." in bodies
    assert "We found the cause. We are undoing a change." in bodies
    assert not any("<" in body or "alert(" in body for body in bodies)


def test_unresolved_incidents(api: dict[str, Any]) -> None:
    unresolved = api["incidents/unresolved.json"]["incidents"]
    assert [i["id"] for i in unresolved] == ["2026-11-24-sign-in"]
    assert unresolved[0]["resolved_at"] is None
    assert api["summary.json"]["incidents"] == unresolved


def test_scheduled_maintenances_match_statuspage(api: dict[str, Any]) -> None:
    theirs = MAINTENANCES["scheduled_maintenances"][0]
    listed = api["scheduled-maintenances.json"]["scheduled_maintenances"]
    assert [(m["id"], m["status"]) for m in listed] == [
        ("2026-11-28-upgrade", "scheduled"),
        ("2026-11-14-cancelled", "completed"),  # cancelled shows as completed
        ("2026-10-01-done", "completed"),  # its window passed: completed, without an update
    ]
    for maintenance in listed:
        same_shape(maintenance, theirs, maintenance["id"])
        assert maintenance["status"] in MAINTENANCE_STATUSES
        assert maintenance["impact"] == "maintenance"
        for update in maintenance["incident_updates"]:
            assert update["status"] in MAINTENANCE_STATUSES
    assert listed[2]["incident_updates"][0]["status"] == "scheduled"  # nothing was written
    assert listed[2]["resolved_at"] == "2026-10-04T01:00:00.000Z"
    upcoming = api["scheduled-maintenances/upcoming.json"]["scheduled_maintenances"]
    assert [m["id"] for m in upcoming] == ["2026-11-28-upgrade"]
    assert upcoming[0]["scheduled_for"] == "2026-11-28T01:00:00.000Z"
    assert upcoming[0]["scheduled_until"] == "2026-11-28T03:00:00.000Z"
    assert api["scheduled-maintenances/active.json"]["scheduled_maintenances"] == []
    assert api["summary.json"]["scheduled_maintenances"] == upcoming


def test_active_maintenance_and_the_maintenance_indicator(tmp_path: Path) -> None:
    root = write_repository(tmp_path)
    (root / "incidents/2026-11-24-sign-in.yml").unlink()
    site = render_outputs(root, now="2026-11-28T02:00:00Z")
    summary = json.loads((site / "api/v2/summary.json").read_text())
    assert summary["status"] == {
        "indicator": "maintenance",
        "description": "Service Under Maintenance",
    }
    assert [(m["id"], m["status"]) for m in summary["scheduled_maintenances"]] == [
        ("2026-11-28-upgrade", "in_progress")
    ]
    api = {c["id"]: c["status"] for c in summary["components"]}
    assert api["api"] == "under_maintenance"
    active = json.loads((site / "api/v2/scheduled-maintenances/active.json").read_text())
    assert [m["id"] for m in active["scheduled_maintenances"]] == ["2026-11-28-upgrade"]


def test_lists_hold_the_50_most_recent(tmp_path: Path) -> None:
    files = {
        f"i{n:03d}": (
            f"title: Incident {n}\nimpact: minor\nupdates:\n"
            f"  - at: 2026-10-{1 + n % 28:02d}T{n % 24:02d}:{n % 60:02d}:00Z\n    message: a\n"
        )
        for n in range(55)
    }
    site = render_outputs(write_repository(tmp_path, files))
    listed = json.loads((site / "api/v2/incidents.json").read_text())["incidents"]
    assert len(listed) == 50
    created = [i["created_at"] for i in listed]
    assert created == sorted(created, reverse=True)
    unresolved = json.loads((site / "api/v2/incidents/unresolved.json").read_text())
    assert len(unresolved["incidents"]) == 55  # all unresolved, as Statuspage

"""``statusgen import statuspage`` on responses made here: malformed ones (a clear error, exit
1, nothing written), updates that share a time, components renamed between responses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Repo
from tests.migrate.importing import GITHUB, run
from tests.trees import snapshot

# Malformed sources: a clear error, exit 1, nothing written ------------------------------------

PAGE = {
    "id": "acme1",
    "name": "Acme",
    "url": "https://status.acme.example",
    "updated_at": "2026-11-20T12:00:00.000Z",
}


def _incident(**changes: Any) -> dict[str, Any]:
    """A single-incident response as Statuspage serves it, with ``changes`` to its incident."""
    incident: dict[str, Any] = {
        "id": "inc0001",
        "name": "Slow API",
        "status": "resolved",
        "impact": "minor",
        "created_at": "2026-11-20T09:00:00.000Z",
        "updated_at": "2026-11-20T10:00:00.000Z",
        "resolved_at": "2026-11-20T10:00:00.000Z",
        "components": [{"id": "api0001", "name": "API", "status": "operational"}],
        "incident_updates": [
            {
                "id": "upd2",
                "status": "resolved",
                "body": "It is fixed.",
                "created_at": "2026-11-20T10:00:00.000Z",
                "display_at": "2026-11-20T10:00:00.000Z",
                "affected_components": None,
            },
            {
                "id": "upd1",
                "status": "investigating",
                "body": "The API is slow.",
                "created_at": "2026-11-20T09:00:00.000Z",
                "display_at": "2026-11-20T09:00:00.000Z",
                "affected_components": [
                    {"code": "api0001", "old_status": "operational", "new_status": "major_outage"}
                ],
            },
        ],
    }
    incident.update(changes)
    return {"page": PAGE, "incident": incident}


def _update(number: int, **changes: Any) -> dict[str, Any]:
    """The incident of :func:`_incident` with ``changes`` to its update ``number``."""
    response = _incident()
    response["incident"]["incident_updates"][number].update(changes)
    return response


DEEP = '{"incident": ' + "[" * 100_000 + "]" * 100_000 + "}"
#: Malformed responses, and the JSON path (or words) the error names.
MALFORMED: list[tuple[str, Any, str]] = [
    ("missing id", _incident(id=None), "incident.id: the id is missing"),
    ("id a path", _incident(id="../../x"), "incident.id: '../../x' is not an id"),
    ("id an object", _incident(id={"a": 1}), "incident.id: an object is not an id"),
    (
        "display_at in words",
        _update(0, display_at="yesterday"),
        "incident.incident_updates[0].display_at: 'yesterday' is not a time",
    ),
    (
        "display_at a number",
        _update(1, display_at=1700000000),
        "incident.incident_updates[1].display_at: expected a time, found the number",
    ),
    (
        "naive time",
        _update(0, display_at="2026-11-20T10:00:00"),
        "incident.incident_updates[0].display_at: '2026-11-20T10:00:00' has no offset",
    ),
    (
        "year 1",
        _update(0, display_at="0001-01-01T00:00:00Z"),
        "incident.incident_updates[0].display_at: '0001-01-01T00:00:00Z' is outside the "
        "supported range",
    ),
    (
        "no day 45",
        _incident(created_at="2026-13-45T00:00:00Z"),
        "incident.created_at: '2026-13-45T00:00:00Z' is not a valid date",
    ),
    (
        "an update not an object",
        _incident(incident_updates=["It is fixed."]),
        "incident.incident_updates[0]: expected an object, found 'It is fixed.'",
    ),
    (
        "updates an object",
        _incident(incident_updates={"id": "x"}),
        "incident.incident_updates: expected a list, found an object",
    ),
    (
        "components a string",
        _incident(components="api0001"),
        "incident.components: expected a list, found 'api0001'",
    ),
    (
        "a component without id",
        {"page": PAGE, "components": [{"name": "API"}]},
        "components[0].id: the id is missing",
    ),
    (
        "affected_components a string",
        _update(1, affected_components="all"),
        "incident.incident_updates[1].affected_components: expected a list, found 'all'",
    ),
    (
        "a body a list",
        _update(1, body=["slow"]),
        "incident.incident_updates[1].body: expected text, found a list",
    ),
    ("a name a number", _incident(name=7), "incident.name: expected text, found the number 7"),
    (
        "incidents of numbers",
        {"page": PAGE, "incidents": [1]},
        "incidents[0]: expected an object, found the number 1",
    ),
    ("page a string", {"page": "Acme", "components": []}, "page: expected an object"),
    (
        "started_at a bool",
        _incident(started_at=True),
        "incident.started_at: expected a time, found true",
    ),
    (
        "a window in words",
        _incident(scheduled_for="tomorrow"),
        "incident.scheduled_for: 'tomorrow' is not a time",
    ),
    ("deeply nested", DEEP, "nested too deeply"),
    (
        "HTML nested deeply",
        _update(1, body="<div>" * 5000 + "slow"),
        "incident.incident_updates[1].body: its HTML is nested too deeply to become Markdown",
    ),
    ("a number of 5000 digits", '{"incident": {"id": ' + "7" * 5000 + "}}", "not JSON"),
]


@pytest.mark.parametrize(
    ("response", "said"),
    [pytest.param(response, said, id=name) for name, response, said in MALFORMED],
)
def test_a_malformed_response_names_the_file_and_the_value(
    target: Repo, tmp_path: Path, response: Any, said: str
) -> None:
    source = tmp_path / "saved.json"
    source.write_text(response if isinstance(response, str) else json.dumps(response))
    before = snapshot(target.root)
    result = run(target, "statuspage", str(source))
    assert result.exit_code == 1, result.output
    assert f"{source}: " in result.stderr
    assert said in result.stderr
    assert "nothing was written" in result.stderr
    assert "Traceback" not in result.output
    assert snapshot(target.root) == before


def test_a_well_formed_response_of_the_same_shape_imports(target: Repo, tmp_path: Path) -> None:
    """The base of the malformed responses above is fine: each error is its one change."""
    source = tmp_path / "saved.json"
    source.write_text(json.dumps(_incident()))
    result = run(target, "statuspage", str(source))
    assert result.exit_code == 0, result.output
    assert target.run("check").exit_code == 0


def test_an_incident_too_large_for_check_writes_nothing(target: Repo, tmp_path: Path) -> None:
    folder = tmp_path / "saved"
    folder.mkdir()
    (folder / "a.json").write_text(json.dumps(_incident()))
    huge = _update(1, body="The API is slow. " * 70_000)  # 1.1 MiB
    huge["incident"]["id"] = "inc0002"
    (folder / "b.json").write_text(json.dumps(huge))
    before = snapshot(target.root)
    result = run(target, "statuspage", str(folder))
    assert result.exit_code == 1, result.output
    assert "2026-11-20-inc0002.yml would not pass check: the file is larger than 1024 KiB" in (
        result.stderr
    )
    assert "nothing was written" in result.stderr
    assert snapshot(target.root) == before  # not the config, not the other incident


def test_two_incidents_of_one_file_name_are_both_written(target: Repo, tmp_path: Path) -> None:
    dated = _incident(id="2026-11-20-x")
    plain = _incident(id="x", name="Another incident")
    source = tmp_path / "incidents.json"
    source.write_text(
        json.dumps({"page": PAGE, "incidents": [dated["incident"], plain["incident"]]})
    )
    result = run(target, "statuspage", str(source))
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in (target.root / "incidents").rglob("*.yml"))
    assert files == ["2026-11-20-x-2.yml", "2026-11-20-x.yml"]
    assert target.run("check").exit_code == 0
    again = run(target, "statuspage", str(source))
    assert "0 files written, 2 unchanged" in again.stderr


def test_a_later_import_never_overwrites_another_incidents_file(
    target: Repo, tmp_path: Path
) -> None:
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    first.write_text(
        json.dumps({"page": PAGE, "incidents": [_incident(id="2026-11-20-x")["incident"]]})
    )
    plain = _incident(id="x", name="Another incident")["incident"]
    other = _incident(id="y", name="A third incident")["incident"]
    second.write_text(json.dumps({"page": PAGE, "incidents": [plain, other]}))
    assert run(target, "statuspage", str(first)).exit_code == 0
    hand = target.write("incidents/2026/2026-11-20-y.yml", "# written by hand\n")
    result = run(target, "statuspage", str(second))
    assert result.exit_code == 0, result.output
    folder = target.root / "incidents" / "2026"
    assert "id: 2026-11-20-x\n" in (folder / "2026-11-20-x.yml").read_text()
    assert "id: x\n" in (folder / "2026-11-20-x-2.yml").read_text()
    assert hand.read_text() == "# written by hand\n"
    assert "id: y\n" in (folder / "2026-11-20-y-2.yml").read_text()


# Updates that share a time --------------------------------------------------------------------


def _backdated() -> dict[str, Any]:
    """Monitoring, then resolved 20 minutes later, both shown at the time of the fix."""
    return _incident(
        incident_updates=[
            {
                "id": "upd3",
                "status": "resolved",
                "body": "All clear.",
                "created_at": "2026-11-20T10:20:00.000Z",
                "display_at": "2026-11-20T10:00:00.000Z",
            },
            {
                "id": "upd2",
                "status": "monitoring",
                "body": "A fix is out; we are watching.",
                "created_at": "2026-11-20T10:00:00.000Z",
                "display_at": "2026-11-20T10:00:00.000Z",
            },
            {
                "id": "upd1",
                "status": "investigating",
                "body": "The API is slow.",
                "created_at": "2026-11-20T09:00:00.000Z",
                "display_at": "2026-11-20T09:00:00.000Z",
            },
        ]
    )


def _open_after_import(target: Repo, tmp_path: Path, response: dict[str, Any]) -> list[Any]:
    source = tmp_path / "saved.json"
    source.write_text(json.dumps(response))
    result = run(target, "statuspage", str(source))
    assert result.exit_code == 0, result.output
    built = target.run("build", "--now", "2026-11-21T00:00:00Z")
    assert built.exit_code == 0, built.output
    summary = json.loads((target.root / "site/api/v2/summary.json").read_text())
    incidents: list[Any] = summary["incidents"]
    return incidents


def test_updates_of_one_time_keep_the_order_they_were_posted_in(
    target: Repo, tmp_path: Path
) -> None:
    assert _open_after_import(target, tmp_path, _backdated()) == []
    [path] = (target.root / "incidents").rglob("*inc0001.yml")
    text = path.read_text()
    assert text.index("status: monitoring") < text.index("status: resolved")


def test_an_incident_the_source_shows_resolved_is_resolved(target: Repo, tmp_path: Path) -> None:
    response = _backdated()
    # posted in this order, but the all clear back-dated before the monitoring update
    response["incident"]["incident_updates"][0]["display_at"] = "2026-11-20T09:59:00.000Z"
    assert _open_after_import(target, tmp_path, response) == []
    result = run(target, "statuspage", str(tmp_path / "saved.json"))
    assert "the source shows it resolved, but its last update says 'monitoring'" in (result.stderr)


# Components renamed between two responses ------------------------------------------------------


@pytest.mark.parametrize("order", [1, -1])
def test_the_latest_response_names_a_component(target: Repo, order: int) -> None:
    older = GITHUB / "components.2021-12-10.json"  # "GitHub Actions"
    newer = GITHUB / "summary.2022-11-25.json"  # "Actions"
    result = run(target, "statuspage", *[str(older), str(newer)][::order])
    assert result.exit_code == 0, result.output
    text = (target.root / "site_config.yml").read_text()
    assert "  - id: actions\n    name: Actions\n" in text
    assert "name: GitHub Actions" not in text


def test_the_latest_response_gives_description_and_group(target: Repo, tmp_path: Path) -> None:
    def components(updated: str, name: str, description: str, group: str) -> dict[str, Any]:
        return {
            "page": {**PAGE, "updated_at": updated},
            "components": [
                {"id": "grp0001", "name": group, "group": True, "components": ["api0001"]},
                {"id": "api0001", "name": name, "description": description, "group_id": "grp0001"},
            ],
        }

    # read first, and later as text, but earlier in time: 10:00 UTC
    (tmp_path / "a.json").write_text(
        json.dumps(components("2026-11-21T00:00:00+14:00", "API", "Old words", "Core"))
    )
    (tmp_path / "b.json").write_text(
        json.dumps(components("2026-11-20T13:00:00Z", "Public API", "REST", "Platform"))
    )
    # later still, an incident's component names its group by an id this response does not
    # list: the group stays the one the page said
    incident = _incident()
    incident["page"] = {**PAGE, "updated_at": "2026-11-20T14:00:00Z"}
    incident["incident"]["components"] = [
        {"id": "api0001", "name": "Public API", "description": "REST", "group_id": "grp0001"}
    ]
    (tmp_path / "c.json").write_text(json.dumps(incident))
    result = run(target, "statuspage", *(str(tmp_path / f"{n}.json") for n in "abc"))
    assert result.exit_code == 0, result.output
    text = (target.root / "site_config.yml").read_text()
    assert (
        "  - id: public-api\n    name: Public API\n    description: REST\n    group: Platform\n"
        "    api_id: api0001\n" in text
    )


def test_a_page_without_components_is_a_response(target: Repo, tmp_path: Path) -> None:
    source = tmp_path / "components.json"
    source.write_text(json.dumps({"page": PAGE, "components": []}))
    result = run(target, "statuspage", str(source))
    assert result.exit_code == 0, result.output
    assert "Imported 0 new components" in result.stderr

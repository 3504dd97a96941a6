"""``statusgen import``: real histories saved from real pages (../shared/reference/import,
vendored in tests/reference/import), imported, checked, built and read back."""

from __future__ import annotations

import json
import shutil
import tempfile
import threading
from collections.abc import Iterator
from datetime import datetime
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from hypothesis import given

from tests import example, fuzz_import
from tests.conftest import Repo
from tests.fuzzing import quick_profile
from tests.peers import serving
from tests.trees import snapshot

REFERENCE = Path(__file__).resolve().parents[1] / "reference" / "import"
GITHUB = REFERENCE / "statuspage" / "www.githubstatus.com"
CONFIG = """\
# Our status page, before the move
site:
  name: GitHub Status
  url: https://www.githubstatus.com/   # the old address
  timezone: UTC
components: []   # filled by the import
"""


@pytest.fixture
def target(repo: Repo) -> Repo:
    repo.write("site_config.yml", CONFIG)
    return repo


def run(repo: Repo, *args: str) -> Result:
    return repo.run("import", *args)


def _when(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


@pytest.mark.slow
def test_githubs_history_comes_back_through_our_api(target: Repo) -> None:
    result = run(target, "statuspage", str(GITHUB))
    assert result.exit_code == 0, result.output
    assert "1282 incidents, 0 maintenances, 2801 updates: 1282 files written" in result.stderr
    assert target.run("check").exit_code == 0
    built = target.run("build", "--now", "2023-10-07T00:00:00Z")
    assert built.exit_code == 0, built.output
    ours = json.loads((target.root / "site/api/v2/incidents.json").read_text())["incidents"]
    assert len(ours) == 50
    for incident in ours:
        [source] = GITHUB.glob(f"incidents/{incident['id']}.json")
        original = json.loads(source.read_text())["incident"]
        assert incident["name"] == original["name"]
        assert incident["impact"] == original["impact"]
        assert incident["status"] == original["status"]
        shown = sorted(
            _when(u["display_at"] or u["created_at"]) for u in original["incident_updates"]
        )
        assert sorted(_when(u["display_at"]) for u in incident["incident_updates"]) == shown


def test_comments_and_order_of_the_config_stay(target: Repo) -> None:
    run(target, "statuspage", str(GITHUB / "components.2021-12-10.json"))
    text = (target.root / "site_config.yml").read_text()
    assert text.startswith("# Our status page, before the move\nsite:\n")
    assert "url: https://www.githubstatus.com/   # the old address" in text
    assert "  - id: git-operations\n    name: Git Operations\n" in text


def test_groups_and_repeated_names(target: Repo) -> None:
    box = REFERENCE / "statuspage" / "status.box.com" / "components.2021-12-27.json"
    result = run(target, "statuspage", str(box))
    assert result.exit_code == 0, result.output
    source = json.loads(box.read_text())["components"]
    groups = {c["id"]: c["name"] for c in source if c.get("group")}
    members = [c for c in source if not c.get("group")]
    text = (target.root / "site_config.yml").read_text()
    for component in members:
        assert f"    api_id: {component['id']}\n" in text
        if component.get("group_id"):
            assert groups[component["group_id"]] in text
    assert target.run("check").exit_code == 0


@pytest.mark.slow
def test_importing_again_writes_the_same_bytes(target: Repo) -> None:
    assert run(target, "statuspage", str(GITHUB)).exit_code == 0
    before = snapshot(target.root)
    again = run(target, "statuspage", str(GITHUB))
    assert again.exit_code == 0
    assert "0 files written, 1282 unchanged" in again.stderr
    assert snapshot(target.root) == before


def test_a_file_edited_by_hand_is_kept_unless_forced(target: Repo) -> None:
    source = GITHUB / "incidents" / "00km0kwpz23b.json"
    assert run(target, "statuspage", str(source)).exit_code == 0
    [path] = (target.root / "incidents").rglob("*00km0kwpz23b.yml")
    edited = path.read_text().replace(
        "This incident has been resolved.", "Resolved: we rolled back."
    )
    path.write_text(edited)
    kept = run(target, "statuspage", str(source))
    assert kept.exit_code == 0
    assert "edited by hand since it was imported; kept (--force overwrites it)" in kept.stderr
    assert path.read_text() == edited
    forced = run(target, "statuspage", str(source), "--force")
    assert forced.exit_code == 0
    assert "This incident has been resolved." in path.read_text()


def test_since_limits_the_history(target: Repo) -> None:
    result = run(target, "statuspage", str(GITHUB), "--since", "2023-01-01")
    assert result.exit_code == 0, result.output
    files = list((target.root / "incidents").rglob("*.yml"))
    assert files and all(p.parent.name == "2023" for p in files)


def test_display_at_is_the_time_and_html_becomes_markdown(target: Repo) -> None:
    migrated = next(
        path
        for path in sorted((GITHUB / "incidents").glob("*.json"))
        if "<ul>" in path.read_text() and "display_at" in path.read_text()
    )
    data = json.loads(migrated.read_text())["incident"]
    assert run(target, "statuspage", str(migrated)).exit_code == 0
    [path] = (target.root / "incidents").rglob(f"*{data['id']}.yml")
    text = path.read_text()
    assert "<ul>" not in text and "<li>" not in text
    assert "- **" in text
    display = _when(data["incident_updates"][0]["display_at"])
    assert display.strftime("%Y-%m-%dT%H:%M:%S") in text
    assert "\r" not in text


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ("{not json", "not JSON"),
        ("<html><body>502 Bad Gateway</body></html>", "it looks like an HTML page"),
        ('{"hello": "world"}', "not a Statuspage API response"),
        ("[1, 2, 3]", "not a Statuspage API response (expected a JSON object)"),
    ],
)
def test_bad_sources_write_nothing(target: Repo, content: str, said: str) -> None:
    bad = target.root.parent / "bad.json"
    bad.write_text(content)
    before = snapshot(target.root)
    result = run(target, "statuspage", str(bad))
    assert result.exit_code == 1
    assert said in result.stderr and "nothing was written" in result.stderr
    assert "Traceback" not in result.output
    assert snapshot(target.root) == before


def test_a_missing_folder_or_an_unreachable_page(target: Repo) -> None:
    missing = run(target, "statuspage", str(target.root / "no-such-folder"))
    assert missing.exit_code == 1
    assert "no such file or folder" in missing.stderr
    unreachable = run(target, "statuspage", "http://127.0.0.1:9/")
    assert unreachable.exit_code == 1
    assert "cannot reach it" in unreachable.stderr
    assert not (target.root / "incidents").exists()


@pytest.fixture
def live_page(tmp_path: Path) -> Iterator[str]:
    """A page's public API v2 served on loopback from saved responses."""
    api = tmp_path / "served" / "api" / "v2"
    api.mkdir(parents=True)
    shutil.copy(GITHUB / "components.2021-12-10.json", api / "components.json")
    summary = json.loads((GITHUB / "summary.2022-11-25.json").read_text())
    (api / "incidents.json").write_text(
        json.dumps({"page": summary["page"], "incidents": summary["incidents"]})
    )
    (api / "scheduled-maintenances.json").write_text(
        json.dumps({"page": summary["page"], "scheduled_maintenances": []})
    )

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    handler = partial(Quiet, directory=str(tmp_path / "served"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_live_page_by_its_url(target: Repo, live_page: str) -> None:
    result = run(target, "statuspage", live_page)
    assert result.exit_code == 0, result.output
    assert "1 incident" in result.stderr
    assert target.run("check").exit_code == 0


# cState --------------------------------------------------------------------------------------

CSTATE = REFERENCE / "cstate"


@pytest.mark.parametrize("site", ["cstate-exampleSite", "status.sr.ht"])
def test_a_cstate_site_imports_checks_builds_and_reads_back(repo: Repo, site: str) -> None:
    (repo.root / "site_config.yml").unlink()  # made from the cState config
    result = run(repo, "cstate", str(CSTATE / site))
    assert result.exit_code == 0, result.output
    assert repo.run("check").exit_code == 0
    assert repo.run("build", "--now", example.REFERENCE).exit_code == 0
    issues = sorted((CSTATE / site / "content" / "issues").glob("*.md"))
    ours = json.loads((repo.root / "site/api/v2/incidents.json").read_text())["incidents"]
    maintenances = json.loads((repo.root / "site/api/v2/scheduled-maintenances.json").read_text())[
        "scheduled_maintenances"
    ]
    assert len(ours) + len(maintenances) == min(len(issues), 50) or len(ours) == 50
    titles = {i["name"] for i in ours} | {m["name"] for m in maintenances}
    for issue in issues:
        front = issue.read_text().split("---")[1]
        title = next(line for line in front.splitlines() if line.startswith("title:"))
        assert title.split(":", 1)[1].strip().strip("\"'") in titles


def test_cstate_quirks_are_repaired_and_reported(repo: Repo) -> None:
    result = run(repo, "cstate", str(CSTATE / "status.sr.ht"))
    assert result.exit_code == 0, result.output
    said = result.stderr
    assert "resolvedWhen is before date: resolved at the latest update instead" in said
    assert "'chat.sr.ht' is affected but is no system of config.yml: left out" in said
    assert "no all clear in the body: one was added at resolvedWhen" in said
    [outage] = (repo.root / "incidents").rglob("2020-06-28-unplanned-git-sr-ht-outage.yml")
    assert "type: maintenance" not in outage.read_text()  # "Unplanned" is no planned work
    [planned] = (repo.root / "incidents").rglob("2020-03-11-planned-outage.yml")
    text = planned.read_text()
    assert "type: maintenance" in text
    assert "scheduled:\n  start: 2020-03-11T16:00:00Z\n  end: 2020-03-11T18:00:00Z" in text
    assert "status: scheduled" in text and "status: completed" in text  # announced before
    [edge] = (repo.root / "incidents").rglob("2021-12-20-he-connectivity.yml")
    assert "affected_not_in_config:\n      - chat.sr.ht" in edge.read_text()


def test_cstate_times_without_a_zone_are_utc(repo: Repo) -> None:
    run(repo, "cstate", str(CSTATE / "cstate-exampleSite"))
    [east] = (repo.root / "incidents").rglob("2018-05-25-us-east-conn-issues.yml")
    text = east.read_text()
    assert "  - at: 2018-05-25T04:13:00Z\n    status: investigating" in text
    assert "  - at: 2018-05-25T05:54:00Z\n    status: resolved" in text
    assert "api: major_outage" in text  # severity: down


def test_cstate_again_is_the_same_bytes(repo: Repo) -> None:
    assert run(repo, "cstate", str(CSTATE / "status.sr.ht")).exit_code == 0
    before = snapshot(repo.root)
    again = run(repo, "cstate", str(CSTATE / "status.sr.ht"))
    assert "0 files written, 28 unchanged" in again.stderr
    assert snapshot(repo.root) == before


def test_not_a_cstate_site(repo: Repo, tmp_path: Path) -> None:
    before = snapshot(repo.root)
    for folder, said in ((tmp_path / "none", "no such folder"), (tmp_path, "no config.yml")):
        result = run(repo, "cstate", str(folder))
        assert result.exit_code == 1
        assert said in result.stderr and "nothing was written" in result.stderr
    assert snapshot(repo.root) == before


# Statuspage's REST API v1 ---------------------------------------------------------------------

KEY = "sp-key-0123456789abcdef"


@pytest.fixture
def api_v1(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The REST API v1 of a page, on loopback: 150 of GitHub's incidents in pages of at most
    100, a 429 with Retry-After on the first request of page 2, and the key checked."""
    from http.server import BaseHTTPRequestHandler
    from urllib.parse import parse_qs, urlsplit

    from generator.migrate import statuspage

    incidents = [
        json.loads(path.read_text())["incident"]
        for path in sorted((GITHUB / "incidents").glob("*.json"))[:150]
    ]
    components = json.loads((GITHUB / "components.2021-12-10.json").read_text())["components"]
    asked: list[str] = []

    class API(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            if self.headers.get("Authorization") != f"OAuth {KEY}":
                self.send(401, b"{}")
                return
            parts = urlsplit(self.path)
            query = parse_qs(parts.query)
            if parts.path == "/v1/pages/kctbh9vrtdwd/components":
                self.send(200, json.dumps(components).encode())
            elif parts.path == "/v1/pages/kctbh9vrtdwd/incidents":
                number, size = int(query["page"][0]), int(query["per_page"][0])
                if number == 2 and asked.count(self.path) == 1:
                    self.send(429, b"{}", {"Retry-After": "1"})
                    return
                chunk = incidents[(number - 1) * size : number * size]
                self.send(200, json.dumps(chunk).encode())
            else:
                self.send(404, b"{}")

        def send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    with serving(API) as port:
        monkeypatch.setenv("STATUSPAGE_API_URL", f"http://127.0.0.1:{port}/v1")
        monkeypatch.setattr(statuspage, "INTERVAL", 0.0)
        yield asked


def test_the_full_history_through_api_v1(
    target: Repo, api_v1: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STATUSPAGE_API_KEY", KEY)
    result = run(target, "statuspage", "api:kctbh9vrtdwd")
    assert result.exit_code == 0, result.output
    assert "150 incidents" in result.stderr
    incidents = [path for path in api_v1 if "/incidents" in path]
    assert incidents == [
        "/v1/pages/kctbh9vrtdwd/incidents?page=1&per_page=100",
        "/v1/pages/kctbh9vrtdwd/incidents?page=2&per_page=100",  # 429, Retry-After: 1
        "/v1/pages/kctbh9vrtdwd/incidents?page=2&per_page=100",
    ]
    assert KEY not in result.output
    assert target.run("check").exit_code == 0


def test_api_v1_without_a_key_or_with_a_wrong_one(
    target: Repo, api_v1: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("STATUSPAGE_API_KEY", raising=False)
    missing = run(target, "statuspage", "api:kctbh9vrtdwd")
    assert missing.exit_code == 1
    assert "set STATUSPAGE_API_KEY" in missing.stderr
    monkeypatch.setenv("STATUSPAGE_API_KEY", "wrong-" + KEY)
    refused = run(target, "statuspage", "api:kctbh9vrtdwd")
    assert refused.exit_code == 1
    assert "the API refused the key (401)" in refused.stderr
    assert KEY not in refused.output
    assert not (target.root / "incidents").exists()


@pytest.mark.parametrize(
    "source",
    sorted(str(p.relative_to(REFERENCE)) for p in REFERENCE.glob("statuspage/*/components.*.json")),
)
def test_every_pages_components_import(target: Repo, source: str) -> None:
    result = run(target, "statuspage", str(REFERENCE / source))
    assert result.exit_code == 0, result.output
    data = json.loads((REFERENCE / source).read_text())["components"]
    members = [c for c in data if not c.get("group")]
    assert f"Imported {len(members)} new component" in result.stderr
    assert target.run("check").exit_code == 0


def test_the_same_incident_twice_keeps_the_latest(target: Repo, tmp_path: Path) -> None:
    original = json.loads((GITHUB / "incidents" / "00km0kwpz23b.json").read_text())
    newer = json.loads(json.dumps(original))
    newer["incident"]["name"] = "Renamed later"
    newer["incident"]["updated_at"] = "2023-01-11T00:00:00.000Z"
    folder = tmp_path / "saved"
    folder.mkdir()
    (folder / "a-newer.json").write_text(json.dumps(newer))
    (folder / "b-older.json").write_text(json.dumps(original))
    assert run(target, "statuspage", str(folder)).exit_code == 0
    [path] = (target.root / "incidents").rglob("*00km0kwpz23b.yml")
    assert "title: Renamed later" in path.read_text()


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


# cState: statusgen's own reader, every bad value by file and line ------------------------------


def _cstate(tmp_path: Path, config: str, issue: str) -> Path:
    site = tmp_path / "cstate"
    (site / "content" / "issues").mkdir(parents=True)
    (site / "config.yml").write_text(config)
    (site / "content" / "issues" / "2026-11-20-outage.md").write_text(issue)
    return site


CSTATE_CONFIG = """\
title: Acme
baseURL: https://status.acme.example/
params:
  systems:
    - name: API
      category: Platform
  categories:
    - name: Platform
"""
ISSUE = """\
---
title: The API is down
date: 2026-11-20 09:00:00
resolved: true
resolvedWhen: 2026-11-20 10:00:00
severity: down
affected:
  - API
---
We are looking into it. {{< track "2026-11-20 09:10:00" >}}
"""


def test_a_cstate_site_of_the_shape_below_imports(repo: Repo, tmp_path: Path) -> None:
    (repo.root / "site_config.yml").unlink()
    result = run(repo, "cstate", str(_cstate(tmp_path, CSTATE_CONFIG, ISSUE)))
    assert result.exit_code == 0, result.output
    assert repo.run("check").exit_code == 0


def _bomb() -> str:
    """A billion laughs: ten levels of ten aliases, 10^10 strings once expanded."""
    lines = ["a: &a [" + ", ".join(["lol"] * 10) + "]"]
    for n in range(1, 10):
        name, below = chr(97 + n), chr(96 + n)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{below}"] * 10) + "]")
    return "\n".join(lines) + "\n"


BOMB = _bomb()


@pytest.mark.parametrize(
    ("config", "issue", "said"),
    [
        pytest.param(
            BOMB + CSTATE_CONFIG.replace("title: Acme", "title: *j"),
            ISSUE,
            "config.yml:1:4: anchors (&a) are not allowed",
            id="alias bomb",
        ),
        pytest.param(
            CSTATE_CONFIG.replace("title: Acme", "title: &t Acme\ndescription: *t"),
            ISSUE,
            "config.yml:1:8: anchors (&t) are not allowed",
            id="alias",
        ),
        pytest.param(
            CSTATE_CONFIG,
            ISSUE.replace("date: 2026-11-20 09:00:00", "date: 2026-13-45"),
            "2026-11-20-outage.md:3:7: '2026-13-45' is not a valid date and time",
            id="no month 13",
        ),
        pytest.param(
            CSTATE_CONFIG,
            ISSUE.replace("resolvedWhen: 2026-11-20 10:00:00", "resolvedWhen: 0001-01-01"),
            "2026-11-20-outage.md:5:15: '0001-01-01' is outside the supported range of times",
            id="year 1",
        ),
        pytest.param(
            CSTATE_CONFIG,
            ISSUE.replace("date: 2026-11-20 09:00:00", "date: 20261120"),
            "2026-11-20-outage.md:3:7: expected a time, found the number 20261120",
            id="date a number",
        ),
        pytest.param(
            CSTATE_CONFIG,
            ISSUE.replace("affected:\n  - API", "affected: API"),
            "2026-11-20-outage.md:7:11: expected a list of names, found 'API'",
            id="affected a string",
        ),
        pytest.param(
            CSTATE_CONFIG,
            ISSUE.replace("resolved: true", "resolved: maybe"),
            "2026-11-20-outage.md:4:11: expected true or false, found 'maybe'",
            id="resolved in words",
        ),
        pytest.param(
            CSTATE_CONFIG,
            ISSUE.replace("title: The API is down", "title: [The, API]"),
            "2026-11-20-outage.md:2:8: expected text, found a list",
            id="title a list",
        ),
        pytest.param(
            CSTATE_CONFIG,
            ISSUE.replace("severity: down", "severity: down\nseverity: notice"),
            "2026-11-20-outage.md:7:1: duplicate key 'severity' (first at line 6)",
            id="duplicate key",
        ),
        pytest.param(
            CSTATE_CONFIG.replace("- name: API", "- name: API\n      name: Web"),
            ISSUE,
            "config.yml:6:7: duplicate key 'name' (first at line 5)",
            id="duplicate key in config",
        ),
    ],
)
def test_a_bad_cstate_value_is_named_by_file_and_line(
    repo: Repo, tmp_path: Path, config: str, issue: str, said: str
) -> None:
    site = _cstate(tmp_path, config, issue)
    before = snapshot(repo.root)
    result = run(repo, "cstate", str(site))
    assert result.exit_code == 1, result.output
    assert said in result.stderr
    assert str(site) in result.stderr and "nothing was written" in result.stderr
    assert snapshot(repo.root) == before


@pytest.mark.parametrize("where", ["config.yml", "content/issues/2026-11-20-outage.md"])
def test_a_cstate_file_not_in_utf8_is_named_with_its_line(
    repo: Repo, tmp_path: Path, where: str
) -> None:
    site = _cstate(tmp_path, CSTATE_CONFIG, ISSUE)
    path = site / where
    path.write_bytes(path.read_bytes().replace(b"API", "\u00c4PI".encode("latin-1"), 1))
    before = snapshot(repo.root)
    result = run(repo, "cstate", str(site))
    assert result.exit_code == 1, result.output
    line = 5 if where == "config.yml" else 2
    assert f"{path}:{line}:" in result.stderr
    assert "the file is not valid UTF-8 (byte 0xC4)" in result.stderr
    assert snapshot(repo.root) == before


def test_a_bad_track_time_is_left_out_and_named_by_line(repo: Repo, tmp_path: Path) -> None:
    issue = ISSUE + 'Still down. {{< track "2026-11-20 25:00:00" >}}\n'
    result = run(repo, "cstate", str(_cstate(tmp_path, CSTATE_CONFIG, issue)))
    assert result.exit_code == 0, result.output
    assert (
        "content/issues/2026-11-20-outage.md:11: the track time '2026-11-20 25:00:00' is not "
        "a time: left out" in result.stderr
    )
    assert repo.run("check").exit_code == 0


def test_two_issues_of_one_slug_are_both_imported(repo: Repo, tmp_path: Path) -> None:
    site = _cstate(tmp_path, CSTATE_CONFIG, ISSUE)
    (site / "content" / "issues" / "2026-11-20-Outage.md").write_text(
        ISSUE.replace("The API is down", "The API is down again")
    )
    result = run(repo, "cstate", str(site))
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in (repo.root / "incidents").rglob("*.yml"))
    assert files == ["2026-11-20-outage-2.yml", "2026-11-20-outage.yml"]
    assert repo.run("check").exit_code == 0


def test_planned_work_without_a_window_starts_with_its_first_update(
    repo: Repo, tmp_path: Path
) -> None:
    issue = ISSUE.replace("The API is down", "Planned maintenance").replace(
        "resolvedWhen: 2026-11-20 10:00:00\n", ""
    )
    issue = issue.replace('track "2026-11-20 09:10:00"', 'track "2026-11-20 08:30:00"')
    result = run(repo, "cstate", str(_cstate(tmp_path, CSTATE_CONFIG, issue)))
    assert result.exit_code == 0, result.output
    assert "an update is dated before the issue: the issue starts with it" in result.stderr
    [path] = (repo.root / "incidents").rglob("*.yml")
    assert "started: 2026-11-20T08:30:00Z" in path.read_text()
    assert repo.run("check").exit_code == 0


def test_a_page_without_components_is_a_response(target: Repo, tmp_path: Path) -> None:
    source = tmp_path / "components.json"
    source.write_text(json.dumps({"page": PAGE, "components": []}))
    result = run(target, "statuspage", str(source))
    assert result.exit_code == 0, result.output
    assert "Imported 0 new components" in result.stderr


# Fuzzing: the laws of tests/fuzz_import.py on a quick profile ----------------------------------


@quick_profile(100)
@given(fuzz_import.INPUTS)
def _import_laws(source: fuzz_import.Source) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        fuzz_import.check(source, Path(scratch))


def test_no_traceback_nothing_written_on_error_and_every_import_passes_check() -> None:
    fuzz_import.OUTCOMES.clear()
    _import_laws()
    # both importers, both ends: refused sources and imported ones
    for kind in ("statuspage", "cstate"):
        assert fuzz_import.OUTCOMES[kind, 0] >= 5, fuzz_import.OUTCOMES
        assert fuzz_import.OUTCOMES[kind, 1] >= 5, fuzz_import.OUTCOMES

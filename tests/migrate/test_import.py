"""``statusgen import statuspage``: real histories saved from real pages, imported, checked,
built and read back; a live page by its URL, and the REST API v1 with its key."""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Repo
from tests.migrate.importing import GITHUB, REFERENCE, run, when
from tests.peers import serving
from tests.trees import snapshot


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
            when(u["display_at"] or u["created_at"]) for u in original["incident_updates"]
        )
        assert sorted(when(u["display_at"]) for u in incident["incident_updates"]) == shown


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
    display = when(data["incident_updates"][0]["display_at"])
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

"""statusgen dependencies sync against status pages on loopback: githubstatus.com's real
summaries, and pages that fail in every way the SPEC names (each changes nothing, and is
reported naming the dependency and why)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from generator import usecases
from generator.usecases import SyncRequest, Workspace
from tests.conftest import CONFIG, Repo
from tests.dependencies.vendors import OUTAGE, Vendors

T0 = "2026-12-07T07:00:00Z"
T15 = "2026-12-07T07:15:00Z"
T61 = "2026-12-07T08:01:00Z"


def configure(repo: Repo, *entries: str) -> None:
    repo.config(CONFIG + "dependencies:\n" + "".join(entries))


def entry(dependency_id: str, url: str, components: str = "") -> str:
    text = f"  - id: {dependency_id}\n    name: {dependency_id.title()}\n    url: {url}\n"
    return text + (f"    components: {components}\n" if components else "")


def sync(repo: Repo, now: str = T0, timeout: float = 10.0) -> tuple[list[str], list[str]]:
    """Run the use case (a short ``timeout`` where a page is slow): (stdout, stderr) lines."""
    out: list[str] = []
    err: list[str] = []
    request = SyncRequest(
        datetime.fromisoformat(now),
        lambda line, error: (err if error else out).append(line),
        timeout,
    )
    usecases.sync_dependencies(Workspace(repo.root), request)
    return out, err


def stamp(path: Path) -> tuple[bytes, int]:
    """A file's bytes and its modification time, set back an hour first so that a
    rewrite within the same second shows."""
    os.utime(path, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    return path.read_bytes(), path.stat().st_mtime_ns


def test_a_real_summary_is_written_in_one_stable_form(repo: Repo, served: Vendors) -> None:
    served.pages["github"] = OUTAGE
    configure(repo, entry("github", served.url("github"), "[GitHub Actions, Git Operations]"))
    result = repo.run("dependencies", "sync", "--now", T0)
    assert result.exit_code == 0, result.output
    assert result.stdout == "dependencies: github: first reading\n"
    assert result.stderr.splitlines()[-1] == ("dependencies: 1 page asked: 1 changed, 0 unchanged")
    written = (repo.root / "dependencies/github.json").read_text(encoding="utf-8")
    assert json.loads(written) == {
        "components": [
            {"name": "GitHub Actions", "status": "partial_outage"},
            {"name": "Git Operations", "status": "major_outage"},
        ],
        "incidents": [
            {
                "impact": "major",
                "name": "Incident on 2020-04-02 20:20 UTC",
                "url": f"{served.url('github')}/incidents/80d0cs6kpsps",
            }
        ],
        "indicator": "major",
        "missing": [],
        "page": served.url("github"),
        "read_at": T0,
    }
    assert written == json.dumps(json.loads(written), sort_keys=True, indent=2) + "\n"
    assert repo.run("check").exit_code == 0


def test_unchanged_data_leaves_the_file_as_it_was_mtime_too(repo: Repo, served: Vendors) -> None:
    configure(repo, entry("github", served.url("github")))
    sync(repo, T0)
    before = stamp(repo.root / "dependencies/github.json")
    out, err = sync(repo, T15)
    assert out == []
    assert err == ["dependencies: 1 page asked: 0 changed, 1 unchanged"]
    path = repo.root / "dependencies/github.json"
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    assert json.loads(before[0])["read_at"] == T0


def test_a_reading_an_hour_old_is_written_again(repo: Repo, served: Vendors) -> None:
    """Else the page would call a vendor whose status stays the same for 2 hours unknown."""
    configure(repo, entry("github", served.url("github")))
    sync(repo, T0)
    out, err = sync(repo, T61)
    assert out == ["dependencies: github: read again (nothing changed but the time read)"]
    assert err == [
        "dependencies: 1 page asked: 0 changed, 0 unchanged, 1 read again (only the time "
        "read changed)"
    ]
    assert json.loads((repo.root / "dependencies/github.json").read_bytes())["read_at"] == T61


def test_what_changed_is_written_and_printed(repo: Repo, served: Vendors) -> None:
    configure(repo, entry("github", served.url("github"), "[GitHub Actions, GitHub Pages]"))
    sync(repo, T0)
    served.pages["github"] = OUTAGE
    out, _ = sync(repo, T15)
    assert out == [
        "dependencies: github: indicator none -> major; GitHub Actions: operational -> "
        "partial_outage; incident open: Incident on 2020-04-02 20:20 UTC"
    ]
    reading = json.loads((repo.root / "dependencies/github.json").read_bytes())
    assert reading["read_at"] == T15
    assert reading["components"][1] == {"name": "GitHub Pages", "status": "operational"}


FAILURES = {
    "error": "answered HTTP 500 Internal Server Error",
    "slow": "did not answer within 0.5 s",
    "trickle": "did not answer within 0.5 s",
    "trickle-headers": "did not answer within 0.5 s",
    "slow-redirects": "did not answer within 0.5 s",
    "html": "answered a web page, not JSON",
    "html-as-json": "answered a web page, not JSON",
    "garbage": "answered something that is not JSON (application/json)",
    "deep": "answered JSON nested too deeply to be a summary",
    "not-a-summary": "answered JSON that is not a Statuspage summary (no status.indicator",
    "bad-component": "component 'Git Operations' has the status 'on_fire'",
    "away": "redirects to another host (http://localhost:",
    "huge": "answered more than 1 MiB, far more than a summary",
    "huge-unannounced": "answered more than 1 MiB, far more than a summary",
    "nowhere": "no connection",
}


@pytest.mark.parametrize("page", FAILURES)
def test_a_page_that_fails_changes_nothing_and_is_reported(
    repo: Repo, served: Vendors, page: str
) -> None:
    configure(repo, entry("github", served.url(page), "[Git Operations]"))
    if page == "nowhere":
        configure(repo, entry("github", "http://127.0.0.1:9/nowhere", "[Git Operations]"))
    kept = repo.write("dependencies/github.json", "{}\n")  # what it was, broken or not
    before = stamp(kept)
    started = datetime.now(UTC)
    out, err = sync(repo, T0, timeout=0.5)
    assert (datetime.now(UTC) - started).total_seconds() < 2.5
    assert out == []
    assert err[0].startswith("dependencies: github: http://127.0.0.1:"), err
    assert FAILURES[page] in err[0]
    assert err[0].endswith("; nothing changed")
    assert err[-1] == (
        "dependencies: 1 page asked: 0 changed, 0 unchanged, 1 failed (kept as they were)"
    )
    assert (kept.read_bytes(), kept.stat().st_mtime_ns) == before


def test_the_command_exits_1_only_when_every_page_failed(repo: Repo, served: Vendors) -> None:
    configure(repo, entry("broken", served.url("error")), entry("github", served.url("github")))
    both = repo.run("dependencies", "sync", "--now", T0)
    assert both.exit_code == 0, both.output
    assert "dependencies: broken: " in both.stderr
    configure(repo, entry("broken", served.url("error")), entry("html", served.url("html")))
    none = repo.run("dependencies", "sync", "--now", T0)
    assert none.exit_code == 1
    assert "2 failed" in none.stderr
    assert "Traceback" not in none.output


def test_a_redirect_on_the_same_host_is_followed(repo: Repo, served: Vendors) -> None:
    configure(repo, entry("github", served.url("moved")))
    out, err = sync(repo)
    assert out == ["dependencies: github: first reading"], err
    assert "/other/api/v2/summary.json" in served.asked
    assert json.loads((repo.root / "dependencies/github.json").read_bytes())["indicator"] == "major"


def test_no_credential_or_query_of_a_redirect_is_printed(repo: Repo, served: Vendors) -> None:
    configure(repo, entry("github", served.url("away-with-secrets")))
    result = repo.run("dependencies", "sync", "--now", T0)
    assert result.exit_code == 1
    assert "redirects to another host (https://elsewhere.example/login)" in result.stderr
    for secret in ("hunter2", "user", "s3cr3t", "token", "frag"):
        assert secret not in result.output


def test_a_component_the_vendor_lacks_is_a_warning(repo: Repo, served: Vendors) -> None:
    configure(repo, entry("github", served.url("github"), "[Actons, GitHub Pages]"))
    out, err = sync(repo)
    assert out == ["dependencies: github: first reading"]
    assert err[0] == (
        f"dependencies: github: warning: {served.url('github')}/api/v2/summary.json has no "
        f"component named 'Actons'; check its name on {served.url('github')}"
    )
    reading = json.loads((repo.root / "dependencies/github.json").read_bytes())
    assert reading["missing"] == ["Actons"]
    assert reading["components"] == [{"name": "GitHub Pages", "status": "operational"}]


def test_a_broken_file_is_written_again(repo: Repo, served: Vendors) -> None:
    configure(repo, entry("github", served.url("github")))
    repo.write("dependencies/github.json", '{"indicator": "sideways"}\n')
    assert repo.run("check").exit_code == 1
    out, _ = sync(repo)
    assert out == ["dependencies: github: first reading"]
    assert repo.run("check").exit_code == 0


def test_names_are_made_text_statusgen_shows(repo: Repo, served: Vendors, tmp_path: Path) -> None:
    """A vendor's incident name with a terminal colour, a direction override and line
    breaks is written as one clean line: the file passes check, so the build builds."""
    data = json.loads(OUTAGE.read_bytes())
    data["incidents"][0]["name"] = "\x1b[31mGit\u202e down\u2028now\n  " + "x" * 400
    page = tmp_path / "odd.json"
    page.write_text(json.dumps(data), encoding="utf-8")
    served.pages["odd"] = page
    configure(repo, entry("odd", served.url("odd")))
    sync(repo)
    name = json.loads((repo.root / "dependencies/odd.json").read_bytes())["incidents"][0]["name"]
    assert name.startswith("[31mGit down now xxx")
    assert len(name) == 300 and name.endswith("…")
    assert repo.run("check").exit_code == 0, repo.check()
    assert sync(repo, T15)[0] == []  # read back as written: unchanged


def test_without_dependencies_nothing_is_read(repo: Repo) -> None:
    result = repo.run("dependencies", "sync")
    assert result.exit_code == 0
    assert result.stderr == (
        "dependencies: none in site_config.yml (dependencies:); nothing to read\n"
    )
    assert not (repo.root / "dependencies").exists()


def test_an_invalid_config_reads_nothing(repo: Repo) -> None:
    configure(repo, entry("github", "ftp://example.com"))
    result = repo.run("dependencies", "sync")
    assert result.exit_code == 1
    assert "site_config.yml:" in result.stderr
    assert not (repo.root / "dependencies").exists()


def test_a_folder_linked_outside_is_not_written(
    repo: Repo, served: Vendors, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("outside")
    (repo.root / "dependencies").symlink_to(outside)
    configure(repo, entry("github", served.url("github")))
    result = repo.run("dependencies", "sync")
    assert result.exit_code == 1
    assert "outside the repository" in result.stderr
    assert list(outside.iterdir()) == []


def test_a_sync_killed_mid_way_leaves_each_file_whole(repo: Repo, served: Vendors) -> None:
    """Killed while it waits on its second vendor: the first file is written whole, the
    second is as it was, nothing else is in dependencies/; the next sync finishes."""
    configure(repo, entry("github", served.url("github")), entry("slow", served.url("slow")))
    kept = repo.write("dependencies/slow.json", "what it was\n")
    written = repo.root / "dependencies/github.json"
    command = [sys.executable, "-m", "generator", "dependencies", "sync", "--now", T0]
    process = subprocess.Popen(
        command, cwd=repo.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 20
        while not written.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert written.exists(), "the first vendor was not written in time"
        time.sleep(0.3)  # now it waits on the slow one (3 s)
        assert process.poll() is None
    finally:
        process.kill()
        process.wait(timeout=10)
    assert process.returncode == -signal.SIGKILL
    assert json.loads(written.read_bytes())["read_at"] == T0
    assert kept.read_text() == "what it was\n"
    assert sorted(path.name for path in kept.parent.iterdir()) == ["github.json", "slow.json"]
    served.pages["slow"] = served.pages["github"]  # it answers at last
    out, _ = sync(repo, T15)
    assert out == ["dependencies: slow: first reading"]

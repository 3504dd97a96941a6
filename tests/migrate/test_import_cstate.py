"""``statusgen import cstate``: real cState sites imported, checked, built and read back, and
statusgen's own reader of cState files naming every bad value by file and line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests import example
from tests.conftest import Repo
from tests.migrate.importing import CSTATE, run
from tests.trees import snapshot

# cState --------------------------------------------------------------------------------------


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

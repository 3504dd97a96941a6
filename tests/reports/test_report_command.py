"""`statusgen report` on the example: each form read as its reader reads it, the period
options and their errors, the same bytes for the same --now."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, Repo

NOW = "2026-12-07T00:00:00Z"
FORMATS = ("text", "csv", "json", "html")


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    return Repo.example(tmp_path_factory.mktemp("example"))


def run(repo: Repo, *args: str) -> str:
    result = repo.run("report", "--now", NOW, *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_csv_has_a_row_per_component_group_and_the_site(example: Repo) -> None:
    rows = list(csv.DictReader(io.StringIO(run(example, "--month", "2026-11", "--format", "csv"))))
    assert [(r["scope"], r["id"]) for r in rows] == [
        *(("component", c) for c in ("api", "webhooks", "auth", "dashboard", "payments",
                                      "notifications", "mobile")),
        ("group", "Platform"),
        ("overall", ""),
    ]  # fmt: skip
    api = rows[0]
    assert (api["period"], api["from"], api["to"]) == ("2026-11", "2026-11-01", "2026-11-30")
    assert api["uptime_percent"] == "99.95"
    assert float(api["minutes_partial_outage"]) == 66  # 19:03 to 20:09 UTC
    assert float(api["downtime_minutes"]) == pytest.approx(66 * 0.3)
    assert (api["incidents"], api["incidents_major"], api["mean_minutes_to_resolve"]) == (
        "1", "1", "66"
    )  # fmt: skip
    for row in rows:
        counted = sum(float(row[f"minutes_{s}"]) for s in (
            "operational", "degraded_performance", "partial_outage", "major_outage",
            "under_maintenance"))  # fmt: skip
        assert counted == pytest.approx(float(row["counted_minutes"])) == 30 * 1440
    assert rows[-1]["incidents"] == "3" and rows[-1]["maintenance"] == "1"
    assert rows[4]["maintenance"] == "1"  # payments: the cancelled window, which counts nothing


def test_json_names_the_incidents_behind_every_figure(example: Repo) -> None:
    data = json.loads(run(example, "--month", "2026-11", "--format", "json"))
    sso = "2026-11-24-single-sign-on-fails-in-the-eu"
    api_errors = "2026-11-18-api-errors-in-the-us"
    mobile = "2026-11-03-mobile-invoices"
    assert data["period"] | {"complete": True} == data["period"]
    assert data["overall"]["uptime"]["incidents"] == [api_errors, sso]
    assert data["overall"]["incidents_by_impact"] == {
        "none": [], "minor": [mobile], "major": [api_errors, sso], "critical": []
    }  # fmt: skip
    auth = next(c for c in data["components"] if c["id"] == "auth")
    assert auth["uptime"] == {"percent": 93.45, "downtime_minutes": 2828.4,
                              "counted_minutes": 43200, "incidents": [sso]}  # fmt: skip
    assert auth["minutes"]["partial_outage"] == {"minutes": 9428, "incidents": [sso]}
    assert auth["time_to_resolve"]["unresolved"] == [sso]
    assert data["groups"][0]["components"] == ["api", "webhooks", "auth"]
    every = {i["id"] for i in data["incidents"]}
    assert every == {mobile, api_errors, sso}
    told = data["communication"]
    assert told["promises"]["broken_by"] == [sso]
    assert (told["promises"]["made"], told["promises"]["kept"]) == (7, 6)
    assert told["all_clear"] == {"posted": [mobile, api_errors], "missing": [sso]}
    (cancelled,) = data["maintenance"]
    assert (cancelled["status"], cancelled["minutes_in_progress"]) == ("cancelled", 0)
    # every id named anywhere is an incident of the report
    named = set(re.findall(r'"(2026-[0-9]{2}-[0-9]{2}-[a-z][0-9a-z-]+)"', json.dumps(data)))
    assert named <= every | {cancelled["id"]}


def test_the_text_reads_as_a_closing_note(example: Repo) -> None:
    text = run(example, "--month", "2026-11")
    assert text.startswith("Acme Cloud Status: Report for November 2026\n")
    assert "Maintenance never lowers uptime" in text
    assert re.search(r"^    Public API +99\.95% ", text, re.M)
    assert "Cancelled; under maintenance for 0 min in this period." in text
    assert "Next updates promised and kept: 6 of 7." in text
    assert "Incidents with an all clear: 2 of 3." in text


def test_no_promise_is_said_as_none_not_as_nought_of_nought(repo: Repo) -> None:
    repo.incident("2026-11-20-sign-in")  # one update, no next update promised
    text = run(repo, "--month", "2026-11")
    assert "no next update promised; no all clear." in text
    assert "No next update was promised." in text
    assert "0 of 0" not in text
    repo.change_config("  timezone: Europe/Berlin\n", "  timezone: Europe/Berlin\n  language: fr\n")
    text = run(repo, "--month", "2026-11")
    assert "aucune prochaine mise à jour promise\u202f; pas de message de rétablissement." in text
    assert "Aucune prochaine mise à jour n\u2019a été promise." in text


def test_the_readme_shows_the_text_of_the_example() -> None:
    """The README's example is what the command prints (updated by hand when it changes)."""
    readme = (EXAMPLE / "README.md").read_text(encoding="utf-8")
    shown = readme.split("$ statusgen report --month 2026-11 --now 2026-12-07T00:00:00Z\n")[1]
    text = Repo(EXAMPLE).run("report", "--month", "2026-11", "--now", NOW).stdout
    assert shown.startswith(text)


@pytest.mark.parametrize("form", FORMATS)
def test_the_same_now_gives_the_same_bytes(example: Repo, form: str, tmp_path: Path) -> None:
    first = run(example, "--month", "2026-11", "--format", form)
    assert run(example, "--month", "2026-11", "--format", form) == first
    out = tmp_path / f"report.{form}"
    result = example.run("report", "--now", NOW, "--month", "2026-11", "--format", form,
                         "--out", str(out))  # fmt: skip
    assert result.exit_code == 0 and result.stdout == ""
    assert out.read_text(encoding="utf-8") == first


def test_the_default_period_is_the_previous_month(example: Repo) -> None:
    assert run(example, "--format", "csv") == run(example, "--month", "2026-11", "--format", "csv")
    january = example.run("report", "--now", "2027-01-15T12:00:00Z", "--format", "json")
    assert json.loads(january.stdout)["period"]["name"] == "2026-12"


def test_from_and_to_take_whole_days_both_included(example: Repo) -> None:
    data = json.loads(run(example, "--from", "2026-11-18", "--to", "2026-11-18", "--format",
                          "json"))  # fmt: skip
    assert data["period"]["start"] == "2026-11-17T23:00:00Z"
    assert data["overall"]["uptime"]["counted_minutes"] == 1440
    assert [i["id"] for i in data["incidents"]] == ["2026-11-18-api-errors-in-the-us"]


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--month", "2026-13"), "--month: '2026-13' is not a month: there is no month 13"),
        (("--month", "November"), "--month: 'November' is not a month; write the month as YYYY-MM"),
        (("--month", "1969-12"), "--month: '1969-12' is outside the supported range"),
        (("--from", "2026-11-01"), "Missing option '--to': give both --from and --to"),
        (("--to", "2026-11-01"), "Missing option '--from'"),
        (
            ("--from", "2026-11-31", "--to", "2026-12-01"),
            "--from: '2026-11-31' is not a day of the",
        ),
        (("--from", "1.11.2026", "--to", "2026-12-01"), "write the day as YYYY-MM-DD"),
        (("--from", "2026-11-10", "--to", "2026-11-01"), "--to: 2026-11-01 is before --from"),
        (("--from", "2000-01-01", "--to", "2026-11-01"), "longer than ten years"),
        (("--month", "2026-11", "--from", "2026-11-01"), "give one or the other"),
        (
            ("--month", "2027-01"),
            "--month: the period 2027-01 has not begun at 2026-12-07T00:00:00Z",
        ),
    ],
)
def test_a_wrong_period_is_wrong_usage_saying_what_to_write(
    example: Repo, args: tuple[str, ...], said: str
) -> None:
    """The period comes from the command line, not the repository: exit 2, as every
    option's wrong value."""
    result = example.run("report", "--now", NOW, *args)
    assert result.exit_code == 2
    assert said in result.stderr
    assert "Traceback" not in result.output and result.stdout == ""


def test_invalid_files_make_no_report(repo: Repo) -> None:
    repo.incident("2026-11-20-bad", "title: Bad\nimpact: major\nupdates: []\n")
    result = repo.run("report", "--now", NOW)
    assert result.exit_code == 1
    assert "2026-11-20-bad.yml:3:" in result.stderr
    assert "the report was not made: 1 error in the input" in result.stderr


def test_a_report_that_cannot_be_written_exits_1_and_leaves_nothing(
    example: Repo, tmp_path: Path
) -> None:
    out = tmp_path / "missing" / "report.csv"
    result = example.run("report", "--now", NOW, "--format", "csv", "--out", str(out))
    assert result.exit_code == 1
    assert "the report was not written to" in result.stderr
    assert not out.parent.exists()


def test_out_through_a_link_writes_the_file_it_names_and_keeps_the_link(
    example: Repo, tmp_path: Path
) -> None:
    target = tmp_path / "reports" / "2026-11.csv"
    target.parent.mkdir()
    target.write_text("last month's\n")
    link = tmp_path / "latest.csv"
    link.symlink_to(target)
    result = example.run("report", "--now", NOW, "--format", "csv", "--out", str(link))
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and link.resolve() == target
    assert target.read_text() == run(example, "--format", "csv")


def test_out_to_a_pipe_writes_into_it_and_leaves_it_a_pipe(example: Repo, tmp_path: Path) -> None:
    fifo = tmp_path / "report.pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a reader waits, as `cat` would
    try:
        result = example.run("report", "--now", NOW, "--format", "csv", "--out", str(fifo))
        assert result.exit_code == 0, result.output
        assert stat.S_ISFIFO(fifo.lstat().st_mode), "the pipe was replaced by a file"
        received = os.read(reader, 1 << 16).decode()
    finally:
        os.close(reader)
    assert received == run(example, "--format", "csv")


def test_out_to_dev_stdout_reaches_the_pipe_it_names(example: Repo) -> None:
    command = [sys.executable, "-m", "generator", "report", "--now", NOW, "--format", "csv"]
    piped = subprocess.run(
        [*command, "--out", "/dev/stdout"], cwd=example.root, capture_output=True, check=False
    )
    assert piped.returncode == 0, piped.stderr.decode()
    assert piped.stdout.decode() == run(example, "--format", "csv")


@pytest.mark.parametrize("out", ["", "reports/", "reports/2026/"])
def test_out_must_name_a_file(example: Repo, out: str) -> None:
    result = example.run("report", "--now", NOW, "--out", out)
    assert result.exit_code == 2
    assert "Invalid value for '--out'" in result.stderr
    assert "give a file's name" in result.stderr
    assert not (example.root / "reports").exists()


def test_the_command_has_help() -> None:
    result = Repo(EXAMPLE).run("report", "--help")
    assert "Report on a period" in result.stdout
    assert "maintenance never lowers it" in result.stdout.replace("\n", " ")

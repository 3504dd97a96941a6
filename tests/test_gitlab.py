"""GitLab: `check` and `lint` with `--format gitlab` (Code Quality reports), read as GitLab
reads them, and .gitlab-ci.yml, its jobs' own `script:` lines run here with bash in a copy
of the example, the CI variables set to local values.

What cannot run here is GitLab itself: its runner and cache, the upload of `public/` to
Pages (an HTTP server on loopback serves that folder instead), the merge request widget
that reads the reports, and the token's authentication (the ledger's remote is a bare
repository reached by a file:// URL, where git sends no header)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest

from generator.core.diagnostics import Diagnostic, gitlab_report
from tests.example import REFERENCE, ROOT
from tests.workflows import git

CI = ROOT / ".gitlab-ci.yml"
BROKEN = "incidents/2026/2026-11-18-api-errors-in-the-us.yml"
LATER = "2026-11-24T14:00:00Z"  # the example's promised 12:00 CET update is overdue then
SHA = "0123456789abcdef0123456789abcdef01234567"
TOKEN = "glpat-not-a-real-token"

#: GitLab's Code Quality report, as its documentation describes it ("Implement a custom
#: tool"): a list of objects with these properties; the line in `location.lines.begin` or
#: `location.positions.begin.line`; the path relative to the repository.
CODE_QUALITY: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "array",
    "items": {
        "type": "object",
        "required": ["description", "check_name", "fingerprint", "severity", "location"],
        "properties": {
            "description": {"type": "string", "minLength": 1},
            "check_name": {"type": "string", "minLength": 1},
            "fingerprint": {"type": "string", "minLength": 1},
            "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
            "location": {
                "type": "object",
                "required": ["path"],
                "properties": {
                    "path": {
                        "type": "string",
                        "minLength": 1,
                        # relative, with forward slashes, inside the repository
                        "not": {"pattern": r"^(/|\./|[A-Za-z]:)|\\|(^|/)\.\.(/|$)"},
                    },
                    "lines": {
                        "type": "object",
                        "required": ["begin"],
                        "properties": {"begin": {"type": "integer", "minimum": 1}},
                    },
                    "positions": {
                        "type": "object",
                        "required": ["begin"],
                        "properties": {
                            "begin": {
                                "type": "object",
                                "required": ["line"],
                                "properties": {"line": {"type": "integer", "minimum": 1}},
                            }
                        },
                    },
                },
                "anyOf": [{"required": ["lines"]}, {"required": ["positions"]}],
            },
        },
    },
}


def gitlab_valid(text: str) -> list[dict[str, Any]]:
    """The report in ``text``, checked as GitLab reads it: JSON without a byte order mark,
    valid against its documented format."""
    assert not text.startswith("\ufeff")
    report: list[dict[str, Any]] = json.loads(text)
    jsonschema.Draft202012Validator(CODE_QUALITY).validate(report)
    return report


def statusgen(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def example(folder: Path) -> Path:
    """A copy of the example site (as a repository made from the template holds it)."""
    folder.mkdir(parents=True)
    shutil.copy(ROOT / "site_config.yml", folder / "site_config.yml")
    shutil.copy(ROOT / "pyproject.toml", folder / "pyproject.toml")
    shutil.copytree(ROOT / "incidents", folder / "incidents")
    return folder


def break_it(root: Path) -> None:
    """Two errors in one file, on lines 7 and 12: an unknown component, a bad status."""
    path = root / BROKEN
    text = path.read_text(encoding="utf-8")
    text = text.replace("  api: partial_outage\n", "  apii: partial_outage\n", 1)
    text = text.replace("    status: investigating\n", "    status: investigatin\n", 1)
    path.write_text(text, encoding="utf-8")


# --- the report --------------------------------------------------------------------------


def test_the_schema_refuses_what_gitlab_cannot_read() -> None:
    good = {
        "description": "d",
        "check_name": "c",
        "fingerprint": "f",
        "severity": "minor",
        "location": {"path": "incidents/a.yml", "lines": {"begin": 1}},
    }
    gitlab_valid(json.dumps([good]))
    for bad in (
        {**good, "severity": "error"},
        {key: value for key, value in good.items() if key != "fingerprint"},
        {**good, "location": {"path": "/abs/incidents/a.yml", "lines": {"begin": 1}}},
        {**good, "location": {"path": "../a.yml", "lines": {"begin": 1}}},
        {**good, "location": {"path": "incidents/a.yml"}},
        {**good, "location": {"path": "incidents/a.yml", "lines": {"begin": "1"}}},
    ):
        with pytest.raises(jsonschema.ValidationError):
            gitlab_valid(json.dumps([bad]))


def test_a_clean_check_is_an_empty_report(tmp_path: Path) -> None:
    root = example(tmp_path / "status")
    result = statusgen("check", "--format", "gitlab", cwd=root)
    assert result.returncode == 0
    assert result.stdout == "[]\n"
    assert gitlab_valid(result.stdout) == []


def test_check_errors_point_at_their_file_and_line(tmp_path: Path) -> None:
    root = example(tmp_path / "status")
    break_it(root)
    result = statusgen("check", "--format", "gitlab", cwd=root)
    assert result.returncode == 1  # as with json: errors fail the job
    report = gitlab_valid(result.stdout)
    assert [(f["location"]["path"], f["location"]["lines"]["begin"]) for f in report] == [
        (BROKEN, 7),
        (BROKEN, 12),
    ]
    component, status = report
    assert component["severity"] == status["severity"] == "critical"
    assert component["check_name"] == status["check_name"] == "statusgen-check"
    assert "'apii'" in component["description"]
    assert "did you mean 'api'?" in component["description"]  # the hint is in it
    assert "investigatin" in status["description"]
    assert component["fingerprint"] != status["fingerprint"]


def test_paths_are_relative_to_the_git_repository_holding_the_files(tmp_path: Path) -> None:
    """A status site in a folder of a larger repository: GitLab matches paths from the
    repository's root, whatever folder the command runs in."""
    repository = tmp_path / "monorepo"
    root = example(repository / "ops" / "status")
    git("init", "-q", cwd=repository)
    break_it(root)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for cwd, args in ((root, ()), (elsewhere, ("--root", str(root))), (repository, ())):
        extra = ("--root", "ops/status") if cwd == repository else args
        result = statusgen("check", "--format", "gitlab", *extra, cwd=cwd)
        paths = {f["location"]["path"] for f in gitlab_valid(result.stdout)}
        assert paths == {f"ops/status/{BROKEN}"}, cwd


def test_fingerprints_are_the_same_from_any_checkout_and_folder(tmp_path: Path) -> None:
    first = example(tmp_path / "one" / "status")
    second = example(tmp_path / "two" / "deeper" / "status")
    for root in (first, second):
        break_it(root)
    a = statusgen("check", "--format", "gitlab", cwd=first)
    b = statusgen("check", "--format", "gitlab", "--root", str(second), cwd=tmp_path)
    assert a.stdout == b.stdout  # the whole report: same findings, same order, same bytes
    assert str(tmp_path) not in a.stdout
    again = statusgen("check", "--format", "gitlab", cwd=first)
    assert again.stdout == a.stdout


def test_lint_reports_each_rule_as_a_minor_finding(tmp_path: Path) -> None:
    root = example(tmp_path / "status")
    result = statusgen("lint", "--format", "gitlab", "--now", LATER, cwd=root)
    assert result.returncode == 0
    [stale] = gitlab_valid(result.stdout)
    assert stale["check_name"] == "stale"
    assert stale["severity"] == "minor"
    assert stale["location"] == {
        "path": "incidents/2026/2026-11-24-single-sign-on-fails-in-the-eu.yml",
        "lines": {"begin": 24},
    }
    assert "180 minutes ago; post an update now" in stale["description"]
    strict = statusgen("lint", "--format", "gitlab", "--now", LATER, "--strict", cwd=root)
    assert strict.returncode == 1
    assert strict.stdout == result.stdout
    quiet = statusgen("lint", "--format", "gitlab", "--now", REFERENCE, cwd=root)
    assert (quiet.returncode, quiet.stdout) == (0, "[]\n")


def test_a_lint_finding_keeps_its_fingerprint_as_time_passes(tmp_path: Path) -> None:
    """The merge request widget compares fingerprints with the target branch's report,
    made at another time: a finding whose text says "3 hours ago" is still the same one."""
    root = example(tmp_path / "status")
    [before] = json.loads(statusgen("lint", "--format", "gitlab", "--now", LATER, cwd=root).stdout)
    later = statusgen("lint", "--format", "gitlab", "--now", "2026-11-24T15:00:00Z", cwd=root)
    [after] = json.loads(later.stdout)
    assert before["description"] != after["description"]
    assert before["fingerprint"] == after["fingerprint"]


def test_findings_that_look_alike_still_have_their_own_fingerprints(tmp_path: Path) -> None:
    file = tmp_path / "site_config.yml"
    file.write_text("")
    same = Diagnostic(file, 3, 5, "too vague", rule="jargon", severity="warning")
    findings = [
        same,
        same,  # one rule, one place, twice
        Diagnostic(file, 3, 5, "other", rule="jargon", severity="warning"),
        Diagnostic(file, 4, 5, "too vague", rule="jargon", severity="warning"),
        Diagnostic(file, 3, 5, "bad key"),
        Diagnostic(file, 3, 5, "another bad key"),
    ]
    report = gitlab_report(findings)
    assert len({finding["fingerprint"] for finding in report}) == 6
    assert gitlab_report(reversed(findings)) == report  # the order they were found in

"""GitLab: `check` and `lint` with `--format gitlab` (Code Quality reports), read as GitLab
reads them, and .gitlab-ci.yml, its jobs' own `script:` lines run here with bash in a copy
of the example, the CI variables set to local values.

What cannot run here is GitLab itself: its runner and cache, the upload of `public/` to
Pages (an HTTP server on loopback serves that folder instead), the merge request widget
that reads the reports, and the token's authentication (the ledger's remote is a bare
repository reached by a file:// URL, where git sends no header)."""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
import yaml

from generator.core.diagnostics import Diagnostic, gitlab_report
from tests.conftest import Repo
from tests.example import REFERENCE, ROOT
from tests.peers import Mailbox, Receiver, http_receiver, serving, smtp_server
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
    return Repo.example(folder, "pyproject.toml").root


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


@pytest.mark.slow
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


@pytest.mark.slow
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
    assert "3 hours ago; post an update now" in stale["description"]
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


# --- .gitlab-ci.yml ----------------------------------------------------------------------


def pipeline() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(CI.read_text(encoding="utf-8"))
    return data


def variables(tmp_path: Path, pages_url: str = "https://acme.gitlab.io/status") -> dict[str, str]:
    """GitLab's predefined variables for a pipeline on the default branch, and the
    project's own, pointed at local places."""
    return {
        "CI_COMMIT_SHA": SHA,
        "CI_COMMIT_BRANCH": "main",
        "CI_DEFAULT_BRANCH": "main",
        "CI_PIPELINE_ID": "4242",
        "CI_PIPELINE_CREATED_AT": REFERENCE,
        "CI_PAGES_URL": pages_url,
        "CI_SERVER_URL": (tmp_path / "gitlab").as_uri(),
        "CI_SERVER_HOST": "gitlab.example",
        "CI_PROJECT_PATH": "acme/status",
        "STATUSGEN_NOTIFY": "true",
        "STATUSGEN_PUSH_TOKEN": TOKEN,
    }


def run_job(
    name: str, cwd: Path, values: dict[str, str], part: str = "script"
) -> subprocess.CompletedProcess[str]:
    """One job's ``script`` (or ``after_script``) as the runner runs it: its lines in one
    bash, stopping at the first failure; the job's ``before_script`` (the install) is this
    virtualenv's statusgen, first on PATH."""
    job = pipeline()[name]
    environment = {
        **{key: value for key, value in os.environ.items() if not key.startswith("GITHUB_")},
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        **values,
        **job.get("variables", {}),
    }
    result = subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", "\n".join(job[part])],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert TOKEN not in result.stdout + result.stderr
    return result


def test_gitlab_ci_follows_gitlabs_schema(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.gitlab-ci"]
    result = subprocess.run([*command, str(CI)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    wrong = tmp_path / ".gitlab-ci.yml"  # the schema does look: a mistake is refused
    wrong.write_text(CI.read_text().replace("when: always", "when: sometimes", 1))
    result = subprocess.run([*command, str(wrong)], capture_output=True, text=True, check=False)
    assert result.returncode == 1


def test_every_pipeline_reports_check_and_lint_and_only_the_default_branch_publishes() -> None:
    ci = pipeline()
    rules = [rule["if"] for rule in ci["workflow"]["rules"]]
    assert '$CI_PIPELINE_SOURCE == "merge_request_event"' in rules
    for name, report in (
        ("check", "gl-code-quality-report.json"),
        ("lint", "gl-code-quality-lint.json"),
    ):
        job = ci[name]
        assert "rules" not in job  # merge requests, and the target branch to compare with
        assert job["script"] == [f"statusgen {name} --format gitlab > {report}"]
        assert job["artifacts"]["reports"] == {"codequality": report}
    assert ci["check"]["artifacts"]["when"] == "always"  # a failing check still shows
    for name in ("pages", "verify"):
        assert ci[name]["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert ci["notify"]["rules"] == [
        {"if": '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH && $STATUSGEN_NOTIFY == "true"'}
    ]


def test_notify_comes_after_a_verified_deploy_one_at_a_time() -> None:
    ci = pipeline()
    stages = ci["stages"]
    order = [stages.index(ci[name]["stage"]) for name in ("check", "pages", "verify", "notify")]
    assert order == sorted(order) and len(set(order[1:])) == 3
    assert ci["pages"]["needs"] == []  # publishing waits for no report
    assert [need["job"] for need in ci["verify"]["needs"]] == ["pages"]
    assert [need["job"] for need in ci["notify"]["needs"]] == ["pages", "verify"]
    assert all(need["artifacts"] is False for need in ci["notify"]["needs"])
    assert ci["notify"]["resource_group"] == "statusgen-notify"
    assert ci["pages"]["resource_group"] == "statusgen-pages"
    # the ledger is saved by the script, and by after_script if the job did not get there
    assert ci["notify"]["after_script"] == [ci["notify"]["script"][-2]]
    assert "push -q" in ci["notify"]["after_script"][0]
    # one moment for the build and the messages, one build id for the build and verify
    assert '--now "$CI_PIPELINE_CREATED_AT"' in ci["pages"]["script"][0]
    assert '--now "$CI_PIPELINE_CREATED_AT"' in " ".join(ci["notify"]["script"])
    assert '"$CI_COMMIT_SHA-$CI_PIPELINE_ID"' in ci["pages"]["script"][0]
    assert '--build "$CI_COMMIT_SHA-$CI_PIPELINE_ID"' in ci["verify"]["script"][0]
    for name in ("check", "lint", "pages", "verify", "notify"):
        assert ci[name]["extends"] == ".statusgen"
    caches = {cache["paths"][0] for cache in ci["pages"]["cache"]}
    assert caches == {".venv", ".statusgen-cache"}


def test_the_check_job_writes_its_report_and_fails_on_a_bad_file(tmp_path: Path) -> None:
    checkout = example(tmp_path / "checkout")
    values = variables(tmp_path)
    assert run_job("check", checkout, values).returncode == 0
    report = checkout / "gl-code-quality-report.json"
    assert gitlab_valid(report.read_text()) == []
    lint = run_job("lint", checkout, values)
    assert lint.returncode == 0
    gitlab_valid((checkout / "gl-code-quality-lint.json").read_text())

    break_it(checkout)
    failed = run_job("check", checkout, values)
    assert failed.returncode == 1  # the job fails; artifacts: when: always uploads this
    found = [(f["location"]["path"], f["location"]["lines"]["begin"], f["severity"])
             for f in gitlab_valid(report.read_text())]  # fmt: skip
    assert found == [(BROKEN, 7, "critical"), (BROKEN, 12, "critical")]


@pytest.mark.slow
def test_the_pages_job_builds_public_and_verify_waits_for_pages_to_serve_it(
    tmp_path: Path,
) -> None:
    checkout = example(tmp_path / "checkout")
    served = tmp_path / "pages"  # what GitLab Pages serves: the last deploy, then this one
    (served / "status").mkdir(parents=True)
    live_json = served / "status" / "live.json"
    live_json.write_text('{"build": "the-last-one", "built_at": "x", "state": "s"}')
    seen: list[str] = []  # the build each request for live.json found
    public = checkout / "public"
    deploying = threading.Lock()

    def deploy() -> None:  # Pages' own deploy job, after `pages`
        shutil.copytree(public, served / "status", dirs_exist_ok=True)

    class Pages(SimpleHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path.startswith("/status/live.json"):
                seen.append(json.loads(live_json.read_text())["build"])
            super().do_GET()
            # the deploy lands once verify has found the last one (at whatever moment that
            # is on a busy machine), so that verify has to wait for it
            if seen and deploying.acquire(blocking=False):
                threading.Thread(target=deploy).start()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    with serving(functools.partial(Pages, directory=str(served))) as port:
        url = f"http://127.0.0.1:{port}/status/"
        values = variables(tmp_path, url)
        built = run_job("pages", checkout, values)
        assert built.returncode == 0, built.stderr
        live = json.loads((public / "live.json").read_text())
        assert live["build"] == f"{SHA}-4242"
        assert live["built_at"] == REFERENCE
        index = (public / "index.html").read_text(encoding="utf-8")
        assert f'<link rel="canonical" href="{url}">' in index
        verified = run_job("verify", checkout, values)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert seen[0] == "the-last-one"  # it waited for the deploy
    assert seen[-1] == f"{SHA}-4242"


# --- the notify job and its ledger ---------------------------------------------------------


@pytest.fixture
def peers() -> Iterator[tuple[Receiver, Mailbox]]:
    with http_receiver() as receiver, smtp_server() as mailbox:
        yield receiver, mailbox


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The project on "GitLab": a bare repository at $CI_SERVER_URL/$CI_PROJECT_PATH.git."""
    return on_gitlab(example(tmp_path / "source"), tmp_path)


def on_gitlab(source: Path, tmp_path: Path) -> Path:
    """``source`` committed and pushed to a bare repository at
    $CI_SERVER_URL/$CI_PROJECT_PATH.git (under ``tmp_path``)."""
    bare = tmp_path / "gitlab" / "acme" / "status.git"
    bare.parent.mkdir(parents=True)
    git("init", "-q", "--bare", "-b", "main", str(bare), cwd=tmp_path)
    git("init", "-q", "-b", "main", cwd=source)
    git("add", ".", cwd=source)
    git("-c", "user.name=Dana", "-c", "user.email=dana@example", "commit", "-qm", "start",
        cwd=source)  # fmt: skip
    git("push", "-q", str(bare), "main", cwd=source)
    return bare


def notify_job(
    project: Path, peers: tuple[Receiver, Mailbox], name: str, **changes: str
) -> tuple[int, str]:
    """One notify job in a fresh checkout, as the runner makes it: the script, then
    after_script; the script's exit code and both outputs."""
    receiver, mailbox = peers
    checkout = project.parent / name
    git("clone", "-q", str(project), str(checkout), cwd=project.parent)
    values = {
        **variables(project.parent.parent.parent),
        "NOTIFY_SLACK_URL": receiver.url("/slack"),
        "NOTIFY_EMAIL_URL": mailbox.url(to="customers@lists.acme.example"),
        "NTFY_TOPIC": f"127.0.0.1:{receiver.port}/acme-cloud-status",
        "CI_PIPELINE_ID": name,
        **changes,
    }
    script = run_job("notify", checkout, values)
    after = run_job("notify", checkout, values, part="after_script")
    assert after.returncode == 0, after.stderr
    return script.returncode, script.stdout + script.stderr + after.stdout + after.stderr


def ledger(project: Path) -> dict[str, dict[str, str]]:
    channels: dict[str, dict[str, str]] = json.loads(
        git("show", "statusgen-ledger:notified.json", cwd=project)
    )["channels"]
    return channels


@pytest.mark.slow
def test_each_update_goes_out_once_across_pipelines_and_failures(
    project: Path, peers: tuple[Receiver, Mailbox]
) -> None:
    receiver, mailbox = peers
    receiver.failing["/slack"] = 500
    code, output = notify_job(project, peers, "1")
    assert code == 1  # Slack is down: the job fails
    assert "first run" in output
    assert "team-chat" not in ledger(project)  # and what the others received is kept
    assert len(ledger(project)["phone-push"]) == 2
    assert len(mailbox.messages) == 1
    pushes = receiver.bodies("/")
    assert all("https://acme.gitlab.io/status/incidents/" in push["message"] for push in pushes)

    del receiver.failing["/slack"]
    assert notify_job(project, peers, "2")[0] == 0  # the next pipeline: only Slack's
    assert len(receiver.bodies("/slack")) == 1 + 2
    assert len(receiver.bodies("/")) == 2 and len(mailbox.messages) == 1
    assert list(ledger(project)["team-chat"]) == list(ledger(project)["phone-push"])

    commits = git("rev-list", "--count", "statusgen-ledger", cwd=project)
    code, output = notify_job(project, peers, "3")  # the schedule, nothing new
    assert code == 0
    assert "The ledger has not changed." in output
    assert len(receiver.received) == 5 and len(mailbox.messages) == 1
    assert git("rev-list", "--count", "statusgen-ledger", cwd=project) == commits
    assert git("log", "-1", "--format=%s", "statusgen-ledger", cwd=project) == (
        "Ledger after pipeline 2"
    )
    assert git("ls-tree", "--name-only", "statusgen-ledger", cwd=project) == "notified.json"


def test_without_the_push_token_nothing_is_sent(
    project: Path, peers: tuple[Receiver, Mailbox]
) -> None:
    receiver, mailbox = peers
    code, output = notify_job(project, peers, "1", STATUSGEN_PUSH_TOKEN="")
    assert code == 1
    assert "STATUSGEN_PUSH_TOKEN is not set" in output
    assert "Nothing was sent." in output
    assert receiver.received == [] and mailbox.messages == []
    assert "statusgen-ledger" not in git("branch", "--list", cwd=project)


@pytest.mark.slow
def test_a_ledger_that_cannot_be_read_stops_the_job_before_sending(
    project: Path, peers: tuple[Receiver, Mailbox]
) -> None:
    """Only a missing branch is a first run: a remote that fails (git's 128, as for a
    network error or a refused token) must not make the job send its history again."""
    receiver, mailbox = peers
    code, output = notify_job(project, peers, "1", CI_PROJECT_PATH="acme/nowhere")
    assert code == 1
    assert "could not read the ledger's branch statusgen-ledger" in output
    assert "git ls-remote exit 128" in output
    assert "first run" not in output
    assert receiver.received == [] and mailbox.messages == []

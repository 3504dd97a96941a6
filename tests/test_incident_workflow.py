"""incident.yml: its own shell steps, run here in a fresh clone against a local bare remote
that stands for GitHub, for a form (workflow_dispatch) and an API call
(repository_dispatch)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.workflows import WORKFLOWS, bare_remote, git, run_step, workflow

OPEN = "2026-11-24-single-sign-on-fails-in-the-eu"


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    """A bare repository holding the example repository, as GitHub would."""
    return bare_remote(tmp_path, ("site_config.yml", "incidents", "schemas", "pyproject.toml"))


class Run:
    """One run of the apply job: a fresh clone, an event file, the job's steps."""

    def __init__(self, remote: Path, name: str, event: dict[str, Any]) -> None:
        self.remote = remote
        self.checkout = remote.parent / name
        git("clone", "-q", str(remote), str(self.checkout), cwd=remote.parent)
        self.event = remote.parent / f"{name}.json"
        self.event.write_text(json.dumps(event), encoding="utf-8")
        tools = remote.parent / "bin"
        tools.mkdir(exist_ok=True)
        fake_gh = tools / "gh"  # GitHub's CLI, as far as this test needs it
        fake_gh.write_text('#!/bin/sh\nprintf "%s\\n" "$@" > "$(dirname "$0")/gh-args"\n')
        fake_gh.chmod(0o755)
        self.environment = {
            **os.environ,
            "PATH": os.pathsep.join(
                [str(tools), str(Path(sys.executable).parent), os.environ["PATH"]]
            ),
            "GITHUB_EVENT_PATH": str(self.event),
            "GITHUB_ACTOR": "dana",
            "GITHUB_ACTOR_ID": "4711",
            "GITHUB_RUN_ID": "99",
            "GIT_AUTHOR_NAME": "nobody",  # the workflow must set its own author
            "GIT_AUTHOR_EMAIL": "nobody@example",
        }
        self.environment.pop("GITHUB_OUTPUT", None)
        self.context = {
            "github.token": "not-a-real-token",
            "github.server_url": "https://github.com",
            "github.repository": "acme/status",
            "github.run_id": "99",
        }
        self.job = workflow("incident.yml")["jobs"]["apply"]
        self.steps = [
            s for s in self.job["steps"] if "run" in s and s["name"] != "Install statusgen"
        ]

    def step(self, name: str) -> subprocess.CompletedProcess[str]:
        step = next(s for s in self.steps if s["name"].startswith(name))
        result = run_step(step, self.checkout, self.environment, self.context)
        assert "not-a-real-token" not in result.stdout + result.stderr
        return result

    def all(self) -> None:
        for step in self.steps:
            result = self.step(step["name"])
            assert result.returncode == 0, step["name"] + result.stdout + result.stderr


def form(**inputs: str) -> dict[str, Any]:
    fields = dict.fromkeys(("incident", "title", "components", "next_update", "regions"), "") | {
        "impact": "auto",
        "status": "auto",
        "review": "false",
    }
    return {"inputs": fields | inputs, "ref": "refs/heads/main"}


def remote_file(remote: Path, relative: str) -> str:
    return git("show", f"main:{relative}", cwd=remote)


def test_a_form_update_lands_on_main_as_its_author_and_builds(remote: Path) -> None:
    run = Run(
        remote,
        "form",
        form(action="update", status="identified", message="We are rolling back the change."),
    )
    run.all()
    assert run.context["steps.apply.outputs.changed"] == "true"
    assert run.context["steps.push.outputs.published"] == "true"
    head = run.context["steps.push.outputs.sha"]
    assert git("rev-parse", "main", cwd=remote) == head
    author = git("log", "-1", "--format=%an <%ae>|%cn|%s|%b", "main", cwd=remote)
    name, committer, subject, body = author.split("|")
    assert name == "dana <4711+dana@users.noreply.github.com>"
    assert committer == "github-actions[bot]"
    assert subject == f"update to {OPEN} (Identified, major impact): " + (
        "Some customers in the EU cannot sign in with single sign-on"
    )
    assert (
        "Posted by @dana with the Incident workflow: https://github.com/acme/status/actions/runs/99"
        in body
    )
    assert "We are rolling back the change." in remote_file(remote, f"incidents/2026/{OPEN}.yml")
    site = remote.parent / "published"
    git("clone", "-q", str(remote), str(site), cwd=remote.parent)
    built = subprocess.run(
        [sys.executable, "-m", "generator", "build"], cwd=site, capture_output=True, text=True
    )
    assert built.returncode == 0, built.stderr
    assert (
        "We are rolling back the change."
        in (site / f"site/incidents/{OPEN}/index.html").read_text()
    )


def test_an_api_call_with_a_key_commits_once(remote: Path) -> None:
    payload = {
        "action": "statusgen",
        "client_payload": {
            "action": "new",
            "title": "Card payments fail",
            "components": "payments=major_outage",
            "message": "Card payments fail for some customers. We are investigating.",
            "next_update": "30m",
            "key": "grafana-payments-1",
        },
    }
    first = Run(remote, "api-1", payload)
    first.all()
    assert first.context["steps.push.outputs.published"] == "true"
    commits = git("rev-list", "--count", "main", cwd=remote)
    second = Run(remote, "api-2", payload)
    second.all()
    assert second.context["steps.apply.outputs.changed"] == "false"
    assert "steps.push.outputs.published" not in second.context
    assert git("rev-list", "--count", "main", cwd=remote) == commits


@pytest.mark.parametrize("same_file", [False, True])
def test_a_concurrent_push_is_kept(remote: Path, same_file: bool) -> None:
    run = Run(remote, "ours", form(action="update", message="Our update."))
    for name in ("Apply", "Check", "Lint"):
        assert run.step(name).returncode == 0
    other = remote.parent / "other"
    git("clone", "-q", str(remote), str(other), cwd=remote.parent)
    if same_file:
        theirs = subprocess.run(
            [sys.executable, "-m", "generator", "update", OPEN, "--message", "Their update.",
             "--at", "2026-11-24T10:40:00Z"],
            cwd=other, capture_output=True, text=True,
        )  # fmt: skip
        assert theirs.returncode == 0, theirs.stderr
    else:
        (other / "incidents" / "theirs.txt").write_text("their change\n")
    git("add", "-A", cwd=other)
    git(
        "-c", "user.name=Tomasz", "-c", "user.email=t@example", "commit", "-qm", "theirs", cwd=other
    )
    git("push", "-q", "origin", "main", cwd=other)

    result = run.step("Commit and push")
    assert result.returncode == 0, result.stdout + result.stderr
    log = git("log", "--format=%s", "main", cwd=remote).splitlines()
    assert log[1] == "theirs" and log[0].startswith("update to")
    text = remote_file(remote, f"incidents/2026/{OPEN}.yml")
    assert "Our update." in text
    if same_file:
        assert "Their update." in text
        assert text.index("Their update.") < text.index("Our update.")


def test_review_opens_a_pull_request_instead(remote: Path) -> None:
    run = Run(
        remote, "review", form(action="update", message="Draft from an alert.", review="true")
    )
    run.all()
    assert "steps.push.outputs.published" not in run.context
    assert git("rev-parse", "main", cwd=remote) != git("rev-parse", "incident/99", cwd=remote)
    assert "Draft from an alert." in git(
        "show", f"incident/99:incidents/2026/{OPEN}.yml", cwd=remote
    )
    arguments = (remote.parent / "bin" / "gh-args").read_text().splitlines()
    assert arguments[:6] == ["pr", "create", "--base", "main", "--head", "incident/99"]


def test_the_incident_workflow_is_safe_and_fits_githubs_limits() -> None:
    incident = workflow("incident.yml")
    inputs = incident["on"]["workflow_dispatch"]["inputs"]
    assert len(inputs) <= 10
    assert list(inputs)[:9] == [
        "action", "incident", "title", "components", "impact", "status", "message",
        "next_update", "regions",
    ]  # fmt: skip
    for name, spec in inputs.items():
        if spec["type"] == "choice":
            assert spec.get("default") in spec["options"], name  # GitHub Mobile needs it
    assert incident["on"]["repository_dispatch"] == {"types": ["statusgen"]}
    assert incident["permissions"] == {}
    assert incident["jobs"]["apply"]["permissions"] == {
        "contents": "write",
        "pull-requests": "write",
    }
    publish = incident["jobs"]["publish"]
    assert publish["uses"] == "./.github/workflows/publish.yml"
    assert publish["with"] == {"ref": "${{ needs.apply.outputs.sha }}"}
    assert "workflow_call" in workflow("publish.yml")["on"]


@pytest.mark.parametrize("name", ["check.yml", "publish.yml", "incident.yml"])
def test_no_expression_reaches_a_script(name: str) -> None:
    """${{ inputs.* }} or ${{ github.event.* }} inside run: is script injection."""
    text = (WORKFLOWS / name).read_text()
    assert "pull_request_target" not in text
    for job in workflow(name)["jobs"].values():
        for step in job.get("steps", []):
            assert "${{" not in step.get("run", ""), step.get("name")
    assert not re.search(r"run:[^\n]*\$\{\{", text)

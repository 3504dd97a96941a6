"""publish.yml's notify job: its own steps, run here against a local bare git remote
that stands for GitHub, with the example's channels pointed at peers on loopback."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.example import REFERENCE as NOW
from tests.peers import Mailbox, Receiver, http_receiver, smtp_server
from tests.workflows import bare_remote, git, run_step, workflow

BRANCH = "statusgen-ledger"


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    """A bare repository holding the example, as GitHub holds the template."""
    return bare_remote(tmp_path, ("site_config.yml", "incidents", "pyproject.toml"))


@pytest.fixture
def peers() -> Iterator[tuple[Receiver, Mailbox]]:
    with http_receiver() as receiver, smtp_server() as mailbox:
        yield receiver, mailbox


def notify_run(
    remote: Path,
    peers: tuple[Receiver, Mailbox],
    name: str,
    origin: str | None = None,
    logs: list[str] | None = None,
) -> list[str]:
    """One run of the notify job in a fresh checkout; each step's outcome, in order.
    ``origin`` points the checkout's remote elsewhere; ``logs`` gathers each step's output."""
    receiver, mailbox = peers
    checkout = remote.parent / name
    git("clone", "-q", str(remote), str(checkout), cwd=remote.parent)
    if origin is not None:
        git("remote", "set-url", "origin", origin, cwd=checkout)
    job = workflow("publish.yml")["jobs"]["notify"]
    context = {
        "needs.build.outputs.now": NOW,
        "needs.build.outputs.base_url": "https://acme.github.io/status",
        "github.token": "not-a-real-token",
        "secrets.NOTIFY_SLACK_URL": receiver.url("/slack"),
        "secrets.NOTIFY_EMAIL_URL": mailbox.url(to="customers@lists.acme.example"),
        "secrets.NTFY_TOPIC": f"127.0.0.1:{receiver.port}/acme-cloud-status",
    }
    environment = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "GITHUB_RUN_ID": name,
    }
    outcomes: list[str] = []
    failed = False
    for step in job["steps"]:
        if "run" not in step or step["name"] == "Install statusgen":
            continue  # checkout and setup-python: done above; the install: the venv's
        if failed and "always()" not in str(step.get("if", "")):
            continue
        result = run_step(step, checkout, environment, context, job["env"])
        outcomes.append(f"{step['name']}: {result.returncode}")
        if logs is not None:
            logs.append(result.stdout + result.stderr)
        failed = failed or result.returncode != 0
        assert "not-a-real-token" not in result.stdout + result.stderr
    return outcomes


def remote_ledger(remote: Path) -> dict[str, dict[str, str]]:
    text = git("show", f"{BRANCH}:notified.json", cwd=remote)
    channels: dict[str, dict[str, str]] = json.loads(text)["channels"]
    return channels


def test_the_notify_job_is_gated_ordered_and_least_privileged() -> None:
    job = workflow("publish.yml")["jobs"]["notify"]
    assert job["needs"] == ["build", "verify"]  # only once the page shows the update
    assert job["if"] == "vars.STATUSGEN_NOTIFY == 'true'"
    assert job["permissions"] == {"contents": "write"}
    assert job["concurrency"] == {"group": "statusgen-notify", "cancel-in-progress": False}
    checkout = job["steps"][0]
    assert checkout["with"] == {
        "persist-credentials": False,
        "ref": "${{ needs.build.outputs.sha }}",  # the commit the deployed page shows
    }
    save = next(step for step in job["steps"] if step.get("name") == "Save the ledger")
    assert save["if"] == "always()"
    for step in job["steps"]:
        assert "${{" not in step.get("run", "")  # values reach scripts through env only


@pytest.mark.slow
def test_each_update_goes_out_once_across_runs_failures_and_reruns(
    remote: Path, peers: tuple[Receiver, Mailbox]
) -> None:
    receiver, mailbox = peers
    receiver.failing["/slack"] = 500
    first = notify_run(remote, peers, "run-1")
    assert first == [
        "Fetch the ledger: 0",
        "Send the new updates: 1",  # Slack is down: the run is red
        "Save the ledger: 0",  # and what the others received is kept
    ]
    ledger = remote_ledger(remote)
    assert "team-chat" not in ledger
    assert list(ledger["customers-email"]) == [
        "2026-11-24-single-sign-on-fails-in-the-eu-20261124T100400Z"
    ]
    assert list(ledger["phone-push"]) == [
        "2026-11-24-single-sign-on-fails-in-the-eu-20261124T100400Z",
        "2026-11-24-single-sign-on-fails-in-the-eu-20261124T102500Z",
    ]
    assert len(mailbox.messages) == 1
    pushes = receiver.bodies("/")
    assert [push["topic"] for push in pushes] == ["acme-cloud-status"] * 2
    assert all(len(push["message"]) <= 300 for push in pushes)
    assert all("https://acme.github.io/status/incidents/" in push["message"] for push in pushes)

    del receiver.failing["/slack"]
    second = notify_run(remote, peers, "run-2")  # the re-run
    assert second == ["Fetch the ledger: 0", "Send the new updates: 0", "Save the ledger: 0"]
    assert len(receiver.bodies("/slack")) == 1 + 2  # the failed attempt, then both
    assert len(receiver.bodies("/")) == 2
    assert len(mailbox.messages) == 1
    assert list(remote_ledger(remote)["team-chat"]) == list(remote_ledger(remote)["phone-push"])

    history = git("rev-list", "--count", BRANCH, cwd=remote)
    third = notify_run(remote, peers, "run-3")  # the 15-minute schedule, nothing new
    assert third == ["Fetch the ledger: 0", "Send the new updates: 0", "Save the ledger: 0"]
    assert len(receiver.received) == 5
    assert git("rev-list", "--count", BRANCH, cwd=remote) == history  # nothing to commit
    assert git("ls-tree", "--name-only", BRANCH, cwd=remote).split() == ["notified.json"]


@pytest.mark.slow
def test_a_ledger_that_cannot_be_read_stops_the_job_before_sending(
    remote: Path, peers: tuple[Receiver, Mailbox]
) -> None:
    """Only a missing branch is a first run: origin failing (git's 128, as for a network
    error or GitHub's 5xx) must not make the job send max_age_minutes of history again."""
    receiver, mailbox = peers
    logs: list[str] = []
    outcomes = notify_run(
        remote, peers, "unreachable", origin=str(remote.parent / "nowhere.git"), logs=logs
    )
    assert outcomes == ["Fetch the ledger: 1", "Save the ledger: 0"]
    assert "::error::could not read the ledger's branch statusgen-ledger" in logs[0]
    assert "git ls-remote exit 128" in logs[0]
    assert "first run" not in logs[0]
    assert receiver.received == [] and mailbox.messages == []
    assert BRANCH not in git("branch", "--list", cwd=remote)

    # the branch that does not exist yet is the first run: the example's recent updates go out
    assert notify_run(remote, peers, "first")[0] == "Fetch the ledger: 0"
    assert receiver.received and mailbox.messages

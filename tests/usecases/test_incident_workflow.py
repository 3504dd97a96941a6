"""incident.yml: its own shell steps, run here in a fresh clone against a local bare remote
that stands for GitHub, for a form (workflow_dispatch) and an API call
(repository_dispatch)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Repo
from tests.workflows import WORKFLOWS, bare_remote, git, run_step, workflow

OPEN = "2026-11-24-single-sign-on-fails-in-the-eu"


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    """A bare repository holding the example repository, as GitHub would."""
    return bare_remote(tmp_path, ("site_config.yml", "incidents", "schemas", "pyproject.toml"))


class Run:
    """One run of the apply job: a fresh clone, an event file, the job's steps. Each run
    has a folder of its own (its step outputs beside its clone), so runs can go at once."""

    def __init__(self, remote: Path, name: str, event: dict[str, Any], run_id: str = "99") -> None:
        self.remote = remote
        folder = remote.parent / name
        folder.mkdir()
        self.checkout = folder / "repo"
        git("clone", "-q", str(remote), str(self.checkout), cwd=remote.parent)
        self.event = folder / "event.json"
        self.event.write_text(json.dumps(event), encoding="utf-8")
        tools = remote.parent / "bin"
        tools.mkdir(exist_ok=True)
        fake_gh = tools / "gh"  # GitHub's CLI, as far as this test needs it
        # pull requests of a branch: as many as the file pr-count says; the drafts'
        # pull requests, "STATE branch" a line: the file prs, where pr create adds one
        fake_gh.write_text(
            '#!/bin/sh\nhere=$(dirname "$0")\nif [ "$1 $2" = "pr list" ]; then\n'
            '  case " $* " in *" headRefName,state "*) cat "$here/prs" 2>/dev/null; exit 0;; esac\n'
            '  cat "$here/pr-count" 2>/dev/null || echo 1; exit 0\nfi\n'
            'printf "%s\\n" "$@" > "$here/gh-args"\n'
            'if [ "$1 $2" = "pr create" ]; then\n'
            "  while [ $# -gt 0 ]; do\n"
            '    [ "$1" = --head ] && echo "OPEN $2" >> "$here/prs"; shift\n'
            "  done\n"
            "fi\n"
        )
        fake_gh.chmod(0o755)
        self.environment = {
            **os.environ,
            "PATH": os.pathsep.join(
                [str(tools), str(Path(sys.executable).parent), os.environ["PATH"]]
            ),
            "GITHUB_EVENT_PATH": str(self.event),
            "GITHUB_ACTOR": "dana",
            "GITHUB_ACTOR_ID": "4711",
            "GITHUB_RUN_ID": run_id,
            "GIT_AUTHOR_NAME": "nobody",  # the workflow must set its own author
            "GIT_AUTHOR_EMAIL": "nobody@example",
        }
        self.environment.pop("GITHUB_OUTPUT", None)
        self.context = {
            "github.token": "not-a-real-token",
            "github.server_url": "https://github.com",
            "github.repository": "acme/status",
            "github.run_id": run_id,
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


@pytest.mark.slow
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


@pytest.mark.slow
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
@pytest.mark.slow
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


def api(**action: Any) -> dict[str, Any]:
    """A repository_dispatch event holding ``action``, as the relay or a bot sends it."""
    return {"action": "statusgen", "client_payload": action}


def commits_pass_check(remote: Path) -> list[str]:
    """The commits on main after the start, newest first, each checked out and checked."""
    verify = remote.parent / "verify"
    git("clone", "-q", str(remote), str(verify), cwd=remote.parent)
    commits = git("rev-list", "main", cwd=verify).splitlines()[:-1]
    for commit in commits:
        git("checkout", "-q", commit, cwd=verify)
        checked = subprocess.run(
            [sys.executable, "-m", "generator", "check"], cwd=verify, capture_output=True, text=True
        )
        assert checked.returncode == 0, (commit, checked.stdout + checked.stderr)
    return commits


def test_no_concurrency_group_can_cancel_a_waiting_run() -> None:
    """GitHub keeps one run waiting per concurrency group and cancels the one that waited
    before it, whatever cancel-in-progress says: an accepted action would be lost."""
    incident = workflow("incident.yml")
    assert "concurrency" not in incident
    for name, job in incident["jobs"].items():
        assert "concurrency" not in job, name


@pytest.mark.slow
def test_a_burst_of_five_runs_puts_every_action_on_main(remote: Path) -> None:
    """Five runs at once, as an alert storm starts them: three updates of one incident
    (their rebases conflict) and two new incidents with one title (one id: the second
    becomes -2). All five land; every commit on main passes check."""
    events = [
        form(action="update", incident=OPEN, message=f"Burst update {n}.") for n in (1, 2, 3)
    ] + [
        api(action="new", title="Card payments fail", components="payments=major_outage",
            message=f"Burst incident {n}.", key=f"burst-{n}")
        for n in (4, 5)
    ]  # fmt: skip
    runs = [
        Run(remote, f"burst-{n}", event, run_id=str(100 + n))
        for n, event in enumerate(events, start=1)
    ]
    ready = threading.Barrier(len(runs))

    def go(run: Run) -> subprocess.CompletedProcess[str]:
        for name in ("Apply", "Check", "Lint"):
            result = run.step(name)
            assert result.returncode == 0, name + result.stdout + result.stderr
        ready.wait(timeout=300)  # every run has applied on the same main: now all push
        return run.step("Commit and push")

    with ThreadPoolExecutor(len(runs)) as pool:
        results = list(pool.map(go, runs))
    for run, result in zip(runs, results, strict=True):
        assert result.returncode == 0, result.stdout + result.stderr
        assert run.context["steps.push.outputs.published"] == "true"
    assert len(commits_pass_check(remote)) == 5
    files = git("ls-tree", "-r", "--name-only", "main", "incidents", cwd=remote).splitlines()
    text = "".join(remote_file(remote, name) for name in files)
    for n in range(1, 6):
        assert text.count(f"Burst {'update' if n <= 3 else 'incident'} {n}.") == 1, n
    before = git("ls-tree", "-r", "--name-only", "main~5", "incidents", cwd=remote).split()
    opened = sorted(set(files) - set(before))
    assert [re.sub(r"\d{4}-\d\d-\d\d", "DATE", name) for name in opened] == [
        "incidents/DATE-card-payments-fail-2.yml",
        "incidents/DATE-card-payments-fail.yml",
    ]


@pytest.mark.slow
def test_a_clean_rebase_that_fails_check_is_applied_again(remote: Path) -> None:
    """The form's new and an engineer's file under incidents/2026/ with the same id
    rebase cleanly (two paths) into an invalid repository: it is never pushed."""
    run = Run(
        remote,
        "ours",
        api(action="new", title="Card payments fail", components="payments=major_outage",
            message="Some card payments fail. We are investigating.", key="alert-7"),
    )  # fmt: skip
    for name in ("Apply", "Check", "Lint"):
        assert run.step(name).returncode == 0
    ours = Path(run.context["steps.apply.outputs.path"])
    other = remote.parent / "other"
    git("clone", "-q", str(remote), str(other), cwd=remote.parent)
    theirs = subprocess.run(
        [sys.executable, "-m", "generator", "new", "Card payments fail", "--component",
         "payments=partial_outage", "--message", "Card payments fail; written by hand."],
        cwd=other, capture_output=True, text=True,
    )  # fmt: skip
    assert theirs.returncode == 0, theirs.stderr
    (other / theirs.stdout.strip()).rename(other / "incidents/2026" / ours.name)
    git("add", "-A", cwd=other)
    git("-c", "user.name=Tomasz", "-c", "user.email=t@example", "commit", "-qm", "theirs",
        cwd=other)  # fmt: skip
    git("push", "-q", "origin", "main", cwd=other)

    result = run.step("Commit and push")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "applying the action again" in result.stdout
    assert git("log", "-1", "--format=%s", "main~1", cwd=remote) == "theirs"
    commits_pass_check(remote)
    assert "written by hand" in remote_file(remote, f"incidents/2026/{ours.name}")
    again = f"{ours.parent}/{ours.stem}-2.yml"
    assert "We are investigating." in remote_file(remote, again)
    assert "key: alert-7" in remote_file(remote, again)


@pytest.mark.slow
def test_the_same_action_racing_itself_lands_once(remote: Path) -> None:
    """A bot retries while its first call still runs: two runs of one action (one key)
    whose files differ (one made just before midnight, one after) rebase cleanly; check
    finds the key twice, the action is applied again, and is then applied before."""
    action = {"action": "new", "title": "Card payments fail", "components": "payments",
                  "message": "Some card payments fail.", "key": "alert-8"}  # fmt: skip
    first = Run(remote, "first", api(**action, at="2026-11-24T10:20:00Z"), run_id="1")
    second = Run(remote, "second", api(**action, at="2026-11-25T00:05:00Z"), run_id="2")
    for run in (first, second):
        for name in ("Apply", "Check", "Lint"):
            assert run.step(name).returncode == 0
    assert first.step("Commit and push").returncode == 0
    result = second.step("Commit and push")
    assert result.returncode == 0, result.stdout + result.stderr
    commits_pass_check(remote)
    listed = git("ls-tree", "-r", "--name-only", "main", "incidents", cwd=remote)
    assert (
        len([name for name in listed.splitlines() if name.endswith("-card-payments-fail.yml")]) == 1
    )


def test_check_refuses_one_key_recorded_twice(tmp_path: Path) -> None:
    Repo.at(tmp_path)
    for day in ("2026-11-24", "2026-11-25"):
        (tmp_path / "incidents").mkdir(exist_ok=True)
        (tmp_path / "incidents" / f"{day}-x.yml").write_text(
            "title: X\nimpact: minor\ncomponents: [api]\nupdates:\n"
            f"  - at: {day}T00:05:00Z\n    message: Y\n    key: alert-8\n"
        )
    result = subprocess.run(
        [sys.executable, "-m", "generator", "check", "--root", str(tmp_path)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 1
    assert (
        "incidents/2026-11-25-x.yml:7:10: error: the key 'alert-8' is already recorded in "
        "2026-11-24-x.yml at line 7: the action that made this update was applied twice"
    ) in result.stdout


@pytest.mark.slow
def test_a_main_that_fails_check_gets_nothing_pushed(remote: Path) -> None:
    """Someone pushed a broken file: neither our rebased commit nor the action applied
    again passes check, so the run fails with check's messages and pushes nothing."""
    run = Run(remote, "ours", form(action="update", incident=OPEN, message="Our update."))
    for name in ("Apply", "Check", "Lint"):
        assert run.step(name).returncode == 0
    other = remote.parent / "other"
    git("clone", "-q", str(remote), str(other), cwd=remote.parent)
    (other / "incidents/2026/broken.yml").write_text(
        "title: Exports fail\nimpact: minor\ncomponents:\n  exprots: degraded_performance\n"
        "updates:\n  - at: 2026-11-20T09:00:00Z\n    status: investigating\n"
        "    message: Some exports fail.\n"
    )
    git("add", "-A", cwd=other)
    git("-c", "user.name=Tomasz", "-c", "user.email=t@example", "commit", "-qm", "broken",
        cwd=other)  # fmt: skip
    git("push", "-q", "origin", "main", cwd=other)
    theirs = git("rev-parse", "main", cwd=remote)

    result = run.step("Commit and push")
    assert result.returncode == 1, result.stdout + result.stderr
    assert git("rev-parse", "main", cwd=remote) == theirs
    assert "steps.push.outputs.published" not in run.context
    assert "::error file=incidents/2026/broken.yml" in result.stdout
    assert "exprots" in result.stdout
    assert "nothing was pushed" in result.stdout


@pytest.mark.slow
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


def branches(remote: Path) -> dict[str, str]:
    refs = git("for-each-ref", "--format=%(refname:short) %(objectname)", "refs/heads", cwd=remote)
    return dict(line.split() for line in refs.splitlines())


@pytest.mark.slow
def test_a_draft_is_named_after_its_key_and_opened_once(remote: Path) -> None:
    """The relay sends the same alert again while its draft waits for review: the second
    run finds the draft's branch, says so, and pushes nothing, opening no second PR."""
    draft = api(action="update", message="Draft from the relay.", review=True, key="am-3f2a9c")
    Run(remote, "draft-1", draft).all()
    before = branches(remote)
    assert set(before) == {"main", "incident/am-3f2a9c"}
    gh_args = remote.parent / "bin" / "gh-args"
    assert gh_args.read_text().splitlines()[:6] == [
        "pr", "create", "--base", "main", "--head", "incident/am-3f2a9c",
    ]  # fmt: skip
    gh_args.unlink()

    again = Run(remote, "draft-2", draft, run_id="100")
    for name in ("Apply", "Check", "Lint"):
        assert again.step(name).returncode == 0
    assert again.context["steps.apply.outputs.changed"] == "true"  # main does not hold it
    result = again.step("Commit and push")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Applied before (its draft is open: incident/am-3f2a9c)" in result.stdout
    assert branches(remote) == before
    assert not gh_args.exists()


@pytest.mark.slow
def test_a_draft_pushed_without_its_pull_request_gets_one(remote: Path) -> None:
    """A run pushed the draft's branch and then failed to open its pull request (Actions
    may not create pull requests yet): the same action again opens it."""
    draft = api(action="update", message="Draft from the relay.", review=True, key="am-77")
    Run(remote, "draft-1", draft).all()
    gh_args = remote.parent / "bin" / "gh-args"
    gh_args.unlink()
    (remote.parent / "bin" / "pr-count").write_text("0\n")
    again = Run(remote, "draft-2", draft, run_id="100")
    again.all()
    assert gh_args.read_text().splitlines()[:6] == [
        "pr", "create", "--base", "main", "--head", "incident/am-77",
    ]  # fmt: skip


@pytest.mark.slow
def test_an_all_clear_for_an_incident_still_in_draft_joins_the_draft(remote: Path) -> None:
    """An alert resolves before anyone merged its draft: the relay's all clear, keyed by
    the draft's action, goes onto the draft's branch, so the pull request holds both."""
    key = "am-1-20261124t1000z"
    opened = api(action="new", title="Card payments fail", components="payments",
                 message="Some card payments fail.", review=True, key=key)  # fmt: skip
    Run(remote, "fire", opened).all()
    before = git("rev-parse", "incident/am-1-20261124t1000z", cwd=remote)
    main = git("rev-parse", "main", cwd=remote)
    resolved = api(action="resolve", incident_key=key, review=True, key=f"{key}-resolved",
                   message="Card payments work again.")  # fmt: skip
    run = Run(remote, "resolve", resolved, run_id="101")
    apply = run.step("Apply")
    assert apply.returncode == 0, apply.stdout + apply.stderr
    assert "joins incident/am-1-20261124t1000z" in apply.stdout
    for name in ("Check", "Lint"):
        assert run.step(name).returncode == 0
    pushed = run.step("Commit and push")
    assert pushed.returncode == 0, pushed.stdout + pushed.stderr
    assert "Added to the draft incident/am-1-20261124t1000z" in pushed.stdout
    assert git("rev-parse", "main", cwd=remote) == main  # nothing published
    assert git("rev-parse", "incident/am-1-20261124t1000z~1", cwd=remote) == before
    files = git("show", "--name-only", "--format=", "incident/am-1-20261124t1000z", cwd=remote)
    (path,) = files.splitlines()
    text = git("show", f"incident/am-1-20261124t1000z:{path}", cwd=remote)
    assert "status: resolved" in text and "Card payments work again." in text


def test_a_follow_up_without_its_incident_or_draft_writes_nothing(remote: Path) -> None:
    run = Run(remote, "lost", api(action="resolve", incident_key="am-none", message="Fine."))
    result = run.step("Apply")
    assert result.returncode == 1
    assert "no incident and no open draft (incident/am-none) records that key" in result.stdout
    assert git("status", "--porcelain", cwd=run.checkout) == ""


@pytest.mark.slow
def test_any_key_makes_a_valid_branch_of_its_own(remote: Path) -> None:
    """Keys from other tools hold anything; two that differ only in case or punctuation
    keep branches of their own, each a valid ref name."""
    keys = ['Grafana/{alertname="Payments"}..lock', 'grafana/{alertname="payments"}..lock']
    for n, key in enumerate(keys):
        event = api(action="update", message=f"Draft {n}.", review=True, key=key)
        Run(remote, f"odd-{n}", event, run_id=str(200 + n)).all()
    drafts = sorted(set(branches(remote)) - {"main"})
    assert len(drafts) == 2
    for branch in drafts:
        assert re.fullmatch(r"incident/grafana-alertname-payments-lock-[0-9a-f]{12}", branch)
        git("check-ref-format", f"refs/heads/{branch}", cwd=remote)


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
    # the tip of main, which holds this run's commit: a publish that replaces this one
    # while it waits builds everything this one would have
    assert publish["with"] == {"ref": "main"}
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

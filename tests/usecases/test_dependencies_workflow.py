"""dependencies.yml: its own shell steps, run here in a fresh clone against a local bare
remote that stands for GitHub and a vendor's status page on loopback: a commit only when
something changed, pushed on top of whatever main became meanwhile."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.dependencies.vendors import OUTAGE, Vendors, vendors
from tests.workflows import bare_remote, git, run_step, workflow


@pytest.fixture
def vendor() -> Iterator[Vendors]:
    with vendors() as served:
        yield served


@pytest.fixture
def remote(tmp_path: Path, vendor: Vendors) -> Path:
    """The example repository with one dependency, on main of a bare repository."""
    bare = bare_remote(tmp_path, ("site_config.yml", "incidents", "schemas", "pyproject.toml"))
    edit = tmp_path / "edit"
    git("clone", "-q", str(bare), str(edit), cwd=tmp_path)
    config = edit / "site_config.yml"
    config.write_text(
        config.read_text(encoding="utf-8")
        + "dependencies:\n"
        + f"  - {{id: github, name: GitHub, url: '{vendor.url('github')}',"
        + " components: [GitHub Actions]}\n",
        encoding="utf-8",
    )
    commit_all(edit, "Depend on GitHub")
    return bare


def commit_all(checkout: Path, message: str) -> None:
    git("add", "-A", cwd=checkout)
    git("-c", "user.name=Dana", "-c", "user.email=dana@example", "commit", "-qm", message,
        cwd=checkout)  # fmt: skip
    git("push", "-q", "origin", "HEAD:main", cwd=checkout)


class Run:
    """One run of the sync job in a fresh clone: the job's own steps, as the runner runs them."""

    def __init__(self, remote: Path, name: str) -> None:
        folder = remote.parent / name
        folder.mkdir()
        self.checkout = folder / "repo"
        git("clone", "-q", str(remote), str(self.checkout), cwd=remote.parent)
        temp = folder / "runner-temp"
        temp.mkdir()
        self.environment = {
            **os.environ,
            "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]),
            "RUNNER_TEMP": str(temp),
            "GIT_AUTHOR_NAME": "nobody",  # the workflow must set its own author
            "GIT_AUTHOR_EMAIL": "nobody@example",
        }
        self.environment.pop("GITHUB_OUTPUT", None)
        self.context = {
            "github.token": "not-a-real-token",
            "github.server_url": "https://github.com",
            "github.repository": "acme/status",
            "github.run_id": "4711",
        }
        steps = workflow("dependencies.yml")["jobs"]["sync"]["steps"]
        self.steps = [s for s in steps if "run" in s and s["name"] != "Install statusgen"]

    def step(self, name: str) -> subprocess.CompletedProcess[str]:
        step = next(s for s in self.steps if s["name"] == name)
        result = run_step(step, self.checkout, self.environment, self.context)
        assert "not-a-real-token" not in result.stdout + result.stderr
        return result

    def all(self) -> list[subprocess.CompletedProcess[str]]:
        results = []
        for step in self.steps:
            result = self.step(step["name"])
            assert result.returncode == 0, step["name"] + result.stdout + result.stderr
            results.append(result)
        return results


def main_of(remote: Path) -> str:
    return git("rev-parse", "main", cwd=remote)


def test_the_job_reads_the_pages_then_commits_and_pushes_only_dependencies(
    remote: Path,
) -> None:
    job = workflow("dependencies.yml")["jobs"]["sync"]
    assert [s["name"] for s in job["steps"] if "run" in s] == [
        "Install statusgen",
        "Read the status pages",
        "Commit and push",
    ]
    assert job["permissions"] == {"contents": "write"}
    schedule = workflow("dependencies.yml")["on"]["schedule"]
    assert schedule == [{"cron": "*/15 * * * *"}]


@pytest.mark.slow
def test_a_commit_only_when_something_changed(remote: Path, vendor: Vendors) -> None:
    first = Run(remote, "first")
    read, push = first.all()
    assert read.stdout == "dependencies: github: first reading\n"
    assert first.context["steps.push.outputs.published"] == "true"
    head = main_of(remote)
    subject, author, body = git("log", "-1", "--format=%s|%an|%b", "main", cwd=remote).split("|")
    assert subject == "Services we depend on: github"
    assert author == "github-actions[bot]"
    assert "dependencies: github: first reading" in body
    assert (
        "Read by the Dependencies workflow: https://github.com/acme/status/actions/runs/4711"
        in body
    )
    changed = git("show", "--name-only", "--format=", "main", cwd=remote).splitlines()
    assert changed == ["dependencies/github.json"]

    again = Run(remote, "again")
    read, push = again.all()
    assert read.stdout == ""
    assert push.stdout == "Nothing changed: nothing to commit.\n"
    assert "steps.push.outputs.published" not in again.context
    assert main_of(remote) == head

    vendor.pages["github"] = OUTAGE
    later = Run(remote, "later")
    read, _ = later.all()
    assert "GitHub Actions: operational -> partial_outage" in read.stdout
    assert later.context["steps.push.outputs.published"] == "true"
    assert git("rev-parse", "main~1", cwd=remote) == head
    assert '"indicator": "major"' in git("show", "main:dependencies/github.json", cwd=remote)


@pytest.mark.slow
def test_a_push_that_lost_goes_on_top_of_the_new_main(remote: Path) -> None:
    run = Run(remote, "run")
    run.step("Read the status pages")
    meanwhile = remote.parent / "meanwhile"  # a person's commit lands first
    git("clone", "-q", str(remote), str(meanwhile), cwd=remote.parent)
    (meanwhile / "incidents/notes.txt").write_text("not an incident\n", encoding="utf-8")
    commit_all(meanwhile, "A note")
    theirs = main_of(remote)
    result = run.step("Commit and push")
    assert result.returncode == 0, result.stdout + result.stderr
    assert run.context["steps.push.outputs.published"] == "true"
    assert git("rev-parse", "main~1", cwd=remote) == theirs
    assert git("log", "-1", "--format=%s", "main", cwd=remote) == "Services we depend on: github"


@pytest.mark.slow
def test_a_run_where_no_page_answers_fails_and_commits_nothing(
    remote: Path, vendor: Vendors
) -> None:
    vendor.pages.pop("github")
    vendor.pages["error"] = OUTAGE  # not the page configured: github now answers 404
    head = main_of(remote)
    run = Run(remote, "run")
    result = run.step("Read the status pages")
    assert result.returncode == 1
    assert "dependencies: github: " in result.stderr
    assert "answered HTTP 404" in result.stderr
    push = run.step("Commit and push")
    assert push.returncode == 0
    assert push.stdout == "Nothing changed: nothing to commit.\n"
    assert main_of(remote) == head

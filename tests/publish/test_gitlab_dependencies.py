""".gitlab-ci.yml's dependencies job: its script run here with bash in a clone of a bare
repository that stands in for the project on GitLab (reached by a file:// URL, where git
sends no header), the vendors' status pages on loopback (tests/dependencies/vendors.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.dependencies.vendors import OUTAGE, Vendors
from tests.publish.test_gitlab import TOKEN, example, on_gitlab, pipeline, run_job, variables
from tests.workflows import git

#: When the job reads the pages: the pipeline's moment is not the reading's (sync takes the
#: clock, as the job runs it), so the tests fix it through SOURCE_DATE_EPOCH.
NOW = "1795510800"  # 2026-11-24T09:00:00Z
LATER = "1795512600"  # half an hour on


@pytest.fixture
def project(tmp_path: Path, served: Vendors) -> Path:
    """The project on "GitLab": the example, depending on GitHub's page on loopback, in a
    bare repository at $CI_SERVER_URL/$CI_PROJECT_PATH.git."""
    source = example(tmp_path / "source")
    with (source / "site_config.yml").open("a", encoding="utf-8") as config:
        config.write(
            "dependencies:\n"
            "  - id: github\n"
            "    name: GitHub\n"
            f"    url: {served.url('github')}\n"
            "    components: [Git Operations]\n"
        )
    return on_gitlab(source, tmp_path)


def clone(project: Path, name: str) -> Path:
    """A checkout of main, as the runner makes it for a pipeline."""
    checkout = project.parent / name
    git("clone", "-q", str(project), str(checkout), cwd=project.parent)
    return checkout


def job(
    project: Path, name: str, now: str = NOW, checkout: Path | None = None, **changes: str
) -> tuple[int, str]:
    """The job in ``checkout`` (a fresh one of main by default): its exit code and both
    outputs."""
    values = {
        **variables(project.parent.parent.parent),
        "CI_PIPELINE_SOURCE": "schedule",
        "CI_PIPELINE_URL": f"https://gitlab.example/acme/status/-/pipelines/{name}",
        "STATUSGEN_DEPENDENCIES": "true",
        "SOURCE_DATE_EPOCH": now,
        **changes,
    }
    result = run_job("dependencies", checkout or clone(project, name), values)
    return result.returncode, result.stdout + result.stderr


def commit_all(checkout: Path, message: str) -> None:
    git("-c", "user.name=Dana", "-c", "user.email=dana@example", "commit", "-qam", message,
        cwd=checkout)  # fmt: skip


def commits(project: Path) -> list[str]:
    return git("log", "--format=%an <%ae>|%s", "main", cwd=project).splitlines()


def test_the_job_runs_on_the_schedule_of_the_default_branch_when_asked_one_at_a_time() -> None:
    ci = pipeline()
    dependencies = ci["dependencies"]
    assert dependencies["rules"] == [
        {
            "if": '$CI_PIPELINE_SOURCE == "schedule" && $CI_COMMIT_BRANCH == '
            '$CI_DEFAULT_BRANCH && $STATUSGEN_DEPENDENCIES == "true"'
        }
    ]
    assert dependencies["extends"] == ".statusgen"
    assert dependencies["needs"] == []
    assert dependencies["resource_group"] == "statusgen-dependencies"
    assert dependencies["stage"] in ci["stages"]


def test_only_dependencies_is_pushed_and_only_when_it_changed(
    project: Path, served: Vendors
) -> None:
    code, output = job(project, "1")
    assert code == 0, output
    assert "dependencies: github: first reading" in output
    first = commits(project)
    assert first[0] == "statusgen <statusgen@gitlab.example>|Services we depend on: github"
    assert len(first) == 2
    assert git("show", "--name-only", "--format=", "main", cwd=project) == (
        "dependencies/github.json"
    )
    message = git("log", "-1", "--format=%b", "main", cwd=project)
    assert "dependencies: github: first reading" in message
    assert "Read by pipeline https://gitlab.example/acme/status/-/pipelines/1" in message

    code, output = job(project, "2", LATER)  # the vendor says the same: no commit
    assert code == 0, output
    assert "Nothing changed: nothing to commit." in output
    assert commits(project) == first

    served.pages["github"] = OUTAGE
    code, output = job(project, "3", LATER)
    assert code == 0, output
    assert len(commits(project)) == 3
    assert "Git Operations: operational -> major_outage" in git(
        "log", "-1", "--format=%b", "main", cwd=project
    )


def test_a_push_that_lost_reads_again_on_the_new_tip(project: Path) -> None:
    """The schedule's pipeline checked out main; a person pushed an incident since: the
    job's push is refused, it takes the new tip, reads again and pushes on top of it."""
    stale = clone(project, "pipeline")
    person = clone(project, "person")
    incident = next((person / "incidents").rglob("*.yml"))
    incident.write_text(incident.read_text(encoding="utf-8") + "# seen\n", encoding="utf-8")
    commit_all(person, "An incident's note")
    git("push", "-q", "origin", "HEAD:main", cwd=person)
    code, output = job(project, "1", checkout=stale)
    assert code == 0, output
    assert "main moved: reading the pages again on its new tip." in output
    assert [line.split("|")[1] for line in commits(project)] == [
        "Services we depend on: github",
        "An incident's note",
        "start",
    ]


def test_without_the_push_token_nothing_is_read(project: Path, served: Vendors) -> None:
    asked = len(served.asked)
    code, output = job(project, "1", STATUSGEN_PUSH_TOKEN="")
    assert code == 1
    assert "STATUSGEN_PUSH_TOKEN is not set" in output
    assert len(served.asked) == asked
    assert len(commits(project)) == 1


def test_when_no_page_answers_the_job_fails_and_pushes_nothing(project: Path) -> None:
    checkout = clone(project, "broken")
    config = checkout / "site_config.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("/github\n", "/error\n"), encoding="utf-8")
    commit_all(checkout, "GitHub's page at an address that fails")
    git("push", "-q", "origin", "HEAD:main", cwd=checkout)
    code, output = job(project, "1")
    assert code == 1
    assert "answered HTTP 500" in output
    assert len(commits(project)) == 2
    assert TOKEN not in output

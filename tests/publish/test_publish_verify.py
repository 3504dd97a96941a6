"""publish.yml's verify and mirror jobs: their own steps, run here against a built site
served on loopback, and a second host that is a real ``rclone serve webdav``."""

from __future__ import annotations

import functools
import os
import re
import sys
import tarfile
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from generator.cli import main
from tests.example import REFERENCE, ROOT
from tests.peers import obscured, rclone_serving, serving
from tests.workflows import run_step, workflow

BUILD = "0123456789abcdef0123456789abcdef01234567-4242-1"
#: The commit was made this long before the job runs.
AGO = 100
PASSWORD = "correct-horse-battery"
#: The mirror's options that are secrets; the others are repository variables.
SECRET_OPTIONS = {"ACCESS_KEY_ID", "SECRET_ACCESS_KEY", "ACCOUNT", "KEY", "USER", "PASS"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example, built as the build job builds it: stamped with the run's build id."""
    out = tmp_path_factory.mktemp("built") / "site"
    result = CliRunner().invoke(
        main,
        ["build", "--root", str(ROOT), "--out", str(out), "--now", REFERENCE, "--build-id", BUILD],
    )
    assert result.exit_code == 0, result.output
    return out


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def serve(folder: Path) -> AbstractContextManager[int]:
    """A static host of ``folder`` on loopback (a context manager: its port)."""
    return serving(functools.partial(Quiet, directory=str(folder)))


def job_runner(tmp_path: Path) -> tuple[Path, dict[str, str], Path]:
    """A checkout folder, the runner's environment (statusgen on PATH, as the install
    step leaves it) and the run summary file."""
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    summary = tmp_path / "summary.md"
    summary.write_text("")
    environment = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "GITHUB_STEP_SUMMARY": str(summary),
        "RUNNER_TEMP": str(tmp_path / "runner-temp"),
    }
    for name in list(environment):
        if name.startswith("RCLONE_"):
            del environment[name]
    return checkout, environment, summary


def own_steps(job: dict[str, Any], timeout: str = "") -> list[dict[str, Any]]:
    """The job's ``run:`` steps but installing statusgen (the test's virtualenv has it)
    and rclone (tests/run installs Debian's); with ``timeout``, verify's 10 minutes
    become that."""
    steps = []
    for step in job["steps"]:
        if "run" not in step or step["name"] in ("Install statusgen", "Install rclone"):
            continue
        if timeout and "statusgen verify" in step["run"]:
            assert step["run"].count("--timeout 10m") == 1
            step = {**step, "run": step["run"].replace("--timeout 10m", f"--timeout {timeout}")}
        steps.append(step)
    return steps


def test_notify_waits_for_verify_which_waits_for_the_deploy() -> None:
    jobs = workflow("publish.yml")["jobs"]
    assert jobs["deploy"]["needs"] == "build"
    assert jobs["verify"]["needs"] == ["build", "deploy"]
    assert jobs["notify"]["needs"] == ["build", "verify"]
    assert "always()" not in str(jobs["notify"]["if"])  # so a failed verify stops it
    assert jobs["mirror"]["needs"] == "build"  # the site the build made, not Pages
    assert jobs["mirror"]["if"] == "vars.STATUSGEN_MIRROR != ''"
    assert "mirror" not in str(jobs["notify"]["needs"])  # a mirror down holds back nothing
    assert jobs["deploy"]["outputs"]["page_url"] == "${{ steps.deployment.outputs.page_url }}"
    build = jobs["build"]["outputs"]
    assert build["build_id"] == "${{ steps.commit.outputs.build_id }}"
    assert build["committed"] == "${{ steps.commit.outputs.committed }}"


def test_verify_and_mirror_have_the_least_permissions() -> None:
    jobs = workflow("publish.yml")["jobs"]
    for name in ("verify", "mirror"):
        assert jobs[name]["permissions"] == {"contents": "read"}, name
        assert jobs[name]["steps"][0]["with"] == {
            "persist-credentials": False,
            "ref": "${{ needs.build.outputs.sha }}",
        }
        for step in jobs[name]["steps"]:
            assert "${{" not in step.get("run", "")  # values reach scripts through env only
    text = str(jobs["verify"])
    assert "secrets." not in text


def test_the_mirror_job_takes_the_pages_artifact_and_debians_rclone() -> None:
    steps = workflow("publish.yml")["jobs"]["mirror"]["steps"]
    download = next(s for s in steps if "download-artifact" in s.get("uses", ""))
    assert download["with"] == {"name": "github-pages", "path": "${{ runner.temp }}/pages"}
    install = next(s for s in steps if s.get("name") == "Install rclone")
    assert "sudo apt-get install -y -q rclone" in install["run"]
    publish = next(s for s in steps if s.get("name") == "Publish to the mirror")
    for name, value in publish["env"].items():
        if name == "STATUSGEN_MIRROR":
            continue
        assert name.startswith("RCLONE_CONFIG_MIRROR_"), name
        where = "secrets" if name.split("MIRROR_")[1] in SECRET_OPTIONS else "vars"
        assert value == f"${{{{ {where}.{name} }}}}", name


@pytest.mark.slow
def test_verify_writes_how_long_after_the_commit_the_page_went_live(
    site: Path, tmp_path: Path
) -> None:
    checkout, environment, summary = job_runner(tmp_path)
    job = workflow("publish.yml")["jobs"]["verify"]
    with serve(site) as port:
        page = f"http://127.0.0.1:{port}/"
        context = {
            "needs.deploy.outputs.page_url": page,
            "needs.build.outputs.build_id": BUILD,
            "needs.build.outputs.committed": str(int(time.time()) - AGO),
        }
        (step,) = own_steps(job)
        result = run_step(step, checkout, environment, context)
    assert result.returncode == 0, result.stdout + result.stderr
    match = re.fullmatch(
        rf"Live (\d+) s after the commit, at {page}: the deploy took (\d+) s to appear "
        rf"\(build {BUILD}\)\.\n",
        summary.read_text(),
    )
    assert match, summary.read_text()
    assert int(match.group(1)) >= AGO
    assert int(match.group(2)) >= 0


def test_verify_fails_the_job_when_the_page_never_serves_the_build(
    site: Path, tmp_path: Path
) -> None:
    checkout, environment, summary = job_runner(tmp_path)
    job = workflow("publish.yml")["jobs"]["verify"]
    with serve(site) as port:
        page = f"http://127.0.0.1:{port}/"
        context = {
            "needs.deploy.outputs.page_url": page,
            "needs.build.outputs.build_id": "fedcba-4243-1",  # a newer run's build
            "needs.build.outputs.committed": str(int(time.time())),
        }
        (step,) = own_steps(job, timeout="2s")
        result = run_step(step, checkout, environment, context)
    assert result.returncode == 1
    assert f"{page}live.json still serves build {BUILD}, not fedcba-4243-1" in result.stderr
    assert summary.read_text() == (
        f"Not live: {page} did not serve build fedcba-4243-1 within 10 minutes of the deploy "
        "(the verify step's log says what it served).\n"
    )


def pages_artifact(site: Path, runner_temp: Path) -> None:
    """What upload-pages-artifact stores and download-artifact gives back: the site as
    ``artifact.tar`` (its members ``./index.html``, ...) in the folder asked for."""
    folder = runner_temp / "pages"
    folder.mkdir(parents=True)
    with tarfile.open(folder / "artifact.tar", "w") as tar:
        tar.add(site, arcname=".")


@pytest.fixture
def webdav(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A second host: Debian's rclone serving a folder over WebDAV (with a password) on
    loopback: (its URL, the folder)."""
    folder = tmp_path / "mirror-host"
    with rclone_serving(tmp_path, "webdav", folder, "--user", "ops", "--pass", PASSWORD) as port:
        yield f"http://127.0.0.1:{port}", folder


def mirror_context(url: str, mirror_url: str) -> dict[str, str]:
    context = {
        "vars.STATUSGEN_MIRROR": "mirror:status",
        "vars.STATUSGEN_MIRROR_URL": mirror_url,
        "needs.build.outputs.build_id": BUILD,
        "needs.build.outputs.committed": str(int(time.time()) - AGO),
        "vars.RCLONE_CONFIG_MIRROR_TYPE": "webdav",
        "vars.RCLONE_CONFIG_MIRROR_URL": url,
        "secrets.RCLONE_CONFIG_MIRROR_USER": "ops",
        "secrets.RCLONE_CONFIG_MIRROR_PASS": obscured(PASSWORD),
    }
    # the options a WebDAV remote does not use: unset repository variables and secrets,
    # which GitHub gives as empty strings
    for name in ("PROVIDER", "ENDPOINT", "REGION", "HOST"):
        context[f"vars.RCLONE_CONFIG_MIRROR_{name}"] = ""
    for name in ("ACCESS_KEY_ID", "SECRET_ACCESS_KEY", "ACCOUNT", "KEY"):
        context[f"secrets.RCLONE_CONFIG_MIRROR_{name}"] = ""
    return context


@pytest.mark.slow
def test_the_mirror_job_publishes_the_built_site_and_verifies_it(
    site: Path, tmp_path: Path, webdav: tuple[str, Path]
) -> None:
    url, folder = webdav
    checkout, environment, summary = job_runner(tmp_path)
    pages_artifact(site, Path(environment["RUNNER_TEMP"]))
    job = workflow("publish.yml")["jobs"]["mirror"]
    steps = own_steps(job)
    assert [step["name"] for step in steps] == [
        "Unpack the site",
        "Publish to the mirror",
        "Wait until the mirror serves this build",
    ]
    (folder / "status").mkdir()
    with serve(folder / "status") as port:  # the mirror's public address
        context = mirror_context(url, f"http://127.0.0.1:{port}/")
        for step in steps:
            result = run_step(step, checkout, environment, context)
            assert result.returncode == 0, step["name"] + result.stdout + result.stderr
            assert PASSWORD not in result.stdout + result.stderr
            assert context["secrets.RCLONE_CONFIG_MIRROR_PASS"] not in result.stdout + result.stderr
    sent = sorted(p.relative_to(folder / "status") for p in (folder / "status").rglob("*"))
    built = sorted(p.relative_to(site) for p in site.rglob("*"))
    # all but the build's own marker of its folder, which publish leaves out
    assert sent == [path for path in built if path.name != ".statusgen-site"]
    assert (folder / "status/live.json").read_bytes() == (site / "live.json").read_bytes()
    match = re.fullmatch(
        r"Mirror live (\d+) s after the commit: it served the build (\d+) s after the upload\.\n",
        summary.read_text(),
    )
    assert match, summary.read_text()
    assert int(match.group(1)) >= AGO


@pytest.mark.slow
def test_a_mirror_without_an_address_is_published_and_said_unverified(
    site: Path, tmp_path: Path, webdav: tuple[str, Path]
) -> None:
    url, folder = webdav
    checkout, environment, summary = job_runner(tmp_path)
    pages_artifact(site, Path(environment["RUNNER_TEMP"]))
    context = mirror_context(url, "")
    results = [
        run_step(step, checkout, environment, context)
        for step in own_steps(workflow("publish.yml")["jobs"]["mirror"])
    ]
    assert [result.returncode for result in results] == [0, 0, 0]
    assert (folder / "status/live.json").is_file()
    assert "::warning::the mirror is published but not verified" in results[-1].stdout
    assert summary.read_text() == (
        "Mirror published, not verified (STATUSGEN_MIRROR_URL is not set).\n"
    )


@pytest.mark.slow
def test_a_mirror_that_does_not_serve_the_upload_fails_the_mirror_job(
    site: Path, tmp_path: Path, webdav: tuple[str, Path]
) -> None:
    """The address given serves something else (a stale copy, another folder): the job
    fails, and says so in the summary."""
    url, _folder = webdav
    checkout, environment, summary = job_runner(tmp_path)
    pages_artifact(site, Path(environment["RUNNER_TEMP"]))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "live.json").write_text('{"build": "older-4241-1"}', encoding="utf-8")
    with serve(elsewhere) as port:
        context = mirror_context(url, f"http://127.0.0.1:{port}/")
        results = [
            run_step(step, checkout, environment, context)
            for step in own_steps(workflow("publish.yml")["jobs"]["mirror"], timeout="2s")
        ]
    assert [result.returncode for result in results] == [0, 0, 1]
    assert f"still serves build older-4241-1, not {BUILD}" in results[-1].stderr
    assert summary.read_text().startswith(f"Mirror not live: it did not serve build {BUILD}")

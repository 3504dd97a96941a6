"""Running the steps of the GitHub workflows here: their own ``run:`` text, with the
``${{ }}`` expressions of their ``env:`` taken from a context the test gives."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import yaml

from tests.example import ROOT

WORKFLOWS = ROOT / ".github/workflows"
_EXPRESSION = re.compile(r"\$\{\{ (.+?) \}\}")


def workflow(name: str) -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    # PyYAML reads the key "on" as True (YAML 1.1); GitHub reads it as "on"
    data["on"] = data.pop(True)
    return data


def run_step(
    step: dict[str, Any],
    cwd: Path,
    environment: dict[str, str],
    context: dict[str, str],
    job_env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run one step as the runner does (bash -e), its env expressions read from
    ``context``; what it writes to $GITHUB_OUTPUT lands in ``context`` as
    ``steps.<id>.outputs.<name>``, and what it adds to $GITHUB_PATH goes in front of
    ``environment``'s PATH for the steps after it."""
    env = {**(job_env or {}), **step.get("env", {})}
    values = {
        name: _EXPRESSION.sub(lambda m: _value(context, m.group(1)), str(value))
        for name, value in env.items()
    }
    outputs = cwd.parent / f"output-{step.get('id', 'step')}"
    outputs.write_text("")
    paths = cwd.parent / "github-path"
    paths.write_text("")
    result = subprocess.run(
        ["bash", "-e", "-c", step["run"]],
        cwd=cwd,
        env={**environment, **values, "GITHUB_OUTPUT": str(outputs), "GITHUB_PATH": str(paths)},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    for line in outputs.read_text().splitlines():
        name, _, value = line.partition("=")
        context[f"steps.{step.get('id')}.outputs.{name}"] = value
    for folder in paths.read_text().splitlines():
        environment["PATH"] = folder + os.pathsep + environment["PATH"]
    return result


def _value(context: dict[str, str], expression: str) -> str:
    """An expression's value; a step output never set is empty, as on GitHub."""
    if expression.startswith("steps.") and ".outputs." in expression:
        return context.get(expression, "")
    return context[expression]


def git(*args: str, cwd: Path) -> str:
    result = subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True, timeout=60
    )
    return result.stdout.strip()


def bare_remote(folder: Path, parts: tuple[str, ...]) -> Path:
    """A bare repository holding ``parts`` of this repository on ``main``, as GitHub
    holds a repository made from the template."""
    bare = folder / "remote.git"
    git("init", "-q", "--bare", "-b", "main", str(bare), cwd=folder)
    source = folder / "source"
    source.mkdir()
    for name in parts:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name)
        else:
            shutil.copy(ROOT / name, source / name)
    git("init", "-q", "-b", "main", cwd=source)
    git("add", ".", cwd=source)
    git(
        "-c",
        "user.name=Dana",
        "-c",
        "user.email=dana@example",
        "commit",
        "-qm",
        "start",
        cwd=source,
    )
    git("push", "-q", str(bare), "main", cwd=source)
    return bare

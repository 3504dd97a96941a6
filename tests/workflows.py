"""Running the steps of the GitHub workflows here: their own ``run:`` text, with the
``${{ }}`` expressions of their ``env:`` taken from a context the test gives."""

from __future__ import annotations

import re
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
    ``steps.<id>.outputs.<name>``."""
    env = {**(job_env or {}), **step.get("env", {})}
    values = {
        name: _EXPRESSION.sub(lambda m: context[m.group(1)], str(value))
        for name, value in env.items()
    }
    outputs = cwd.parent / f"output-{step.get('id', 'step')}"
    outputs.write_text("")
    result = subprocess.run(
        ["bash", "-e", "-c", step["run"]],
        cwd=cwd,
        env={**environment, **values, "GITHUB_OUTPUT": str(outputs)},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    for line in outputs.read_text().splitlines():
        name, _, value = line.partition("=")
        context[f"steps.{step.get('id')}.outputs.{name}"] = value
    return result

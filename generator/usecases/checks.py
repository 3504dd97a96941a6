"""``check`` and ``lint``: what is wrong with the files, and advice on how they speak."""

from __future__ import annotations

from datetime import datetime

from generator.core.diagnostics import Diagnostic
from generator.lint import lint as lint_site
from generator.usecases.errors import valid
from generator.usecases.report import count
from generator.usecases.workspace import Workspace


def check_summary(workspace: Workspace) -> tuple[str, bool]:
    """The line ``check`` ends with, and whether the files have no error."""
    repository = workspace.checked
    errors = sum(d.severity == "error" for d in repository.diagnostics)
    if errors:
        files = len({d.file for d in repository.diagnostics})
        return f"{count(errors, 'error')} in {count(files, 'file')}", False
    return (
        f"{count(repository.files, 'file')} checked "
        f"({count(repository.valid, 'incident')}): no problems"
    ), True


def lint(workspace: Workspace, now: datetime) -> tuple[list[Diagnostic], str]:
    """Every finding of the lint rules at ``now``, and the line ``lint`` ends with."""
    repository = workspace.repository
    config = valid(repository, "fix these problems first: lint reads only valid files")
    findings = lint_site(config, repository.incidents, now)
    if findings:
        files = len({f.file for f in findings})
        return findings, f"{count(len(findings), 'warning')} in {count(files, 'file')}"
    return findings, f"{count(len(repository.incidents), 'incident')} checked: no advice"

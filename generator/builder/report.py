"""What a build says when it is done, or why it built nothing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.core.diagnostics import Diagnostic


class BuildError(Exception):
    """The site was not built; ``diagnostics`` says why when the input is at fault."""

    def __init__(self, message: str, diagnostics: list[Diagnostic] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.diagnostics = diagnostics or []


class UsageError(BuildError):
    """The build was asked for what it cannot do (an ``--out`` that would replace the
    repository or a folder statusgen did not make); no input file is at fault.

    A BuildError only until every caller tells the two apart: the CLI reports both alike
    today."""


@dataclass(frozen=True)
class BuildResult:
    out: Path
    pages: int
    feeds: int
    other_files: int  # API, calendar, badges
    incidents: int
    seconds: float
    rendered: int = 0  # pages rendered, not taken from the cache

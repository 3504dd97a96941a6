"""What a build says when it is done, or why it built nothing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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
    other_files: int  # API, calendar, badges, embed, short links: other_files()
    incidents: int
    seconds: float
    rendered: int = 0  # pages rendered, not taken from the cache


#: The outputs whose files the build summary counts as "other files (API, calendar,
#: badges, embed, short links)".
OTHER_OUTPUTS = ("api", "calendar", "badges", "embed", "redirects")


def other_files(written: Mapping[str, Sequence[str]]) -> int:
    """How many files the outputs of ``OTHER_OUTPUTS`` wrote, from the paths each output
    wrote (the embed's too: the summary named it and left its files out)."""
    return sum(len(written.get(name, ())) for name in OTHER_OUTPUTS)

"""Problems found in the input, and the four ways of printing them."""

from __future__ import annotations

import difflib
import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, NamedTuple


class Mark(NamedTuple):
    """A position in a file, 1-based like editors show it.

    A named tuple rather than a dataclass: there are many (one for every key and value of
    every file read), and a tuple compares, hashes and sorts without running Python code,
    where a dataclass's generated methods do; the incident cache keeps one as a JSON list
    of its two numbers.
    """

    line: int
    col: int


Severity = Literal["error", "warning"]
#: How diagnostics are printed (not channels.Format, the form of a message's body).
DiagnosticFormat = Literal["text", "github", "gitlab", "json"]
FORMATS: tuple[DiagnosticFormat, ...] = ("text", "github", "gitlab", "json")

#: GitLab Code Quality severities (info, minor, major, critical, blocker). A check error
#: fails the pipeline and keeps the site from being built, so no update reaches customers
#: until it is fixed: critical. Lint advice never stops anything: minor.
GITLAB_SEVERITY: dict[Severity, str] = {"error": "critical", "warning": "minor"}
#: check_name of check's errors (lint findings are named by their rule).
CHECK_NAME = "statusgen-check"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem at one place of one file."""

    file: Path
    line: int
    col: int
    message: str
    hint: str | None = None
    severity: Severity = "error"
    rule: str | None = None

    def shown_path(self) -> str:
        """The file relative to the current directory when it is under it."""
        return display_path(self.file)

    def text(self) -> str:
        kind = f"{self.severity}[{self.rule}]" if self.rule else self.severity
        hint = f"; {self.hint}" if self.hint else ""
        return f"{self.shown_path()}:{self.line}:{self.col}: {kind}: {self.message}{hint}"

    def github(self) -> str:
        command = "warning" if self.severity == "warning" else "error"
        title = f"statusgen {self.rule}" if self.rule else "statusgen check"
        properties = ",".join(
            f"{name}={_escape_property(value)}"
            for name, value in (
                ("file", self.shown_path()),
                ("line", str(self.line)),
                ("col", str(self.col)),
                ("title", title),
            )
        )
        hint = f"; {self.hint}" if self.hint else ""
        return f"::{command} {properties}::{_escape_data(self.message + hint)}"

    def as_json(self) -> dict[str, object]:
        return {
            "file": self.shown_path(),
            "line": self.line,
            "col": self.col,
            "severity": self.severity,
            "rule": self.rule,
            "message": self.message,
            "hint": self.hint,
        }


def display_path(path: Path) -> str:
    """``path`` relative to the current directory when it is under it, else absolute."""
    # normalise "..", but follow no link: a link is named as itself, not by its target
    absolute = Path(os.path.abspath(path))  # noqa: PTH100 - resolve() would follow links
    try:
        return absolute.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return os.fspath(absolute)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(diagnostics: Sequence[Diagnostic], fmt: DiagnosticFormat) -> str:
    """All diagnostics in one of the output formats, ending with a newline when not empty."""
    if fmt == "gitlab":
        return json.dumps(gitlab_report(diagnostics), indent=2) + "\n"
    ordered = sorted(diagnostics, key=lambda d: (d.shown_path(), d.line, d.col, d.message))
    if fmt == "json":
        return json.dumps([d.as_json() for d in ordered], indent=2) + "\n"
    lines = [d.github() if fmt == "github" else d.text() for d in ordered]
    return "".join(line + "\n" for line in lines)


def gitlab_report(diagnostics: Iterable[Diagnostic]) -> list[dict[str, object]]:
    """A GitLab Code Quality report: one issue per diagnostic, in a stable order.

    ``location.path`` is relative to the root of the git work tree that holds the file (what
    GitLab matches against the merge request's diff), whatever the current directory.

    The fingerprint is what GitLab compares between the target branch's report and the merge
    request's to tell new findings from fixed ones, so it is made of what identifies a
    finding and nothing that changes from run to run or checkout to checkout: the check name,
    the repository-relative path, the line and column, and for check's errors the message.
    A lint finding's message is left out: it holds times relative to now ("3 hours ago").
    Findings that would still share a fingerprint are numbered in order, so none collide.
    """
    tops: dict[tuple[Path, str], Path | None] = {}
    # everything a row shows is in its sort key: rows that sort equal print the same
    rows = sorted(
        (_repository_path(d.file, tops), d.line, d.col, d.rule or CHECK_NAME, d.message,
         d.hint or "", d.severity, d.rule is None)
        for d in diagnostics
    )  # fmt: skip
    seen: dict[tuple[str, ...], int] = {}
    report: list[dict[str, object]] = []
    for path, line, col, check_name, message, hint, severity, from_check in rows:
        identity: tuple[str, ...] = (check_name, path, str(line), str(col))
        if from_check:
            identity += (message,)
        repeat = seen.get(identity, 0)
        seen[identity] = repeat + 1
        if repeat:
            identity += (str(repeat),)
        report.append(
            {
                "description": message + (f"; {hint}" if hint else ""),
                "check_name": check_name,
                "fingerprint": hashlib.sha256("\0".join(identity).encode()).hexdigest()[:32],
                "severity": GITLAB_SEVERITY[severity],
                "location": {"path": path, "lines": {"begin": line}},
            }
        )
    return report


def _repository_path(path: Path, tops: dict[tuple[Path, str], Path | None]) -> str:
    """``path`` relative to the git work tree holding it (the nearest folder above with a
    ``.git``), else to the status root (the nearest with a ``site_config.yml``), else as
    ``display_path`` shows it; always with forward slashes. ``tops`` remembers the folders
    already looked at, for one report."""
    absolute = Path(os.path.abspath(path))  # noqa: PTH100 - a link is named as itself
    for marker in (".git", "site_config.yml"):
        top = _nearest_holding(absolute.parent, marker, tops)
        if top is not None:
            return absolute.relative_to(top).as_posix()
    return display_path(path)


def _nearest_holding(
    folder: Path, name: str, tops: dict[tuple[Path, str], Path | None]
) -> Path | None:
    """The nearest of ``folder`` and the folders above it that holds an entry ``name``."""
    key = (folder, name)
    if key not in tops:
        if os.path.lexists(folder / name):
            tops[key] = folder
        elif folder.parent == folder:
            tops[key] = None
        else:
            tops[key] = _nearest_holding(folder.parent, name, tops)
    return tops[key]


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    """A hint naming the candidate closest to a misspelt word, if any is close."""
    pool = sorted(set(candidates))
    close = difflib.get_close_matches(word, pool, n=1, cutoff=0.7)
    if not close:
        lowered = word.lower()
        close = [c for c in pool if c.lower() == lowered]
    if not close and len(word) >= 3:
        close = [c for c in pool if c.lower().startswith(word.lower())][:3]
    if not close:
        return None
    return "did you mean " + " or ".join(f"'{c}'" for c in close) + "?"


def one_of(values: Iterable[str]) -> str:
    """``a, b or c`` ("" for none)."""
    items = list(values)
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " or " + items[-1]

"""Problems found in the input, and the three ways of printing them."""

from __future__ import annotations

import difflib
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, NamedTuple


class Mark(NamedTuple):
    """A position in a file, 1-based like editors show it.

    A named tuple rather than a dataclass: there are many, and they pickle (for the build
    cache) as plain tuples, where a slotted dataclass runs Python code for each one.
    """

    line: int
    col: int


Severity = Literal["error", "warning"]
Format = Literal["text", "github", "json"]
FORMATS: tuple[Format, ...] = ("text", "github", "json")


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


def render(diagnostics: Sequence[Diagnostic], fmt: Format) -> str:
    """All diagnostics in one of the output formats, ending with a newline when not empty."""
    ordered = sorted(diagnostics, key=lambda d: (d.shown_path(), d.line, d.col, d.message))
    if fmt == "json":
        return json.dumps([d.as_json() for d in ordered], indent=2) + "\n"
    lines = [d.github() if fmt == "github" else d.text() for d in ordered]
    return "".join(line + "\n" for line in lines)


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

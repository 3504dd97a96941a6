"""The example site of this repository and the moment it describes."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner

from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent
#: The moment the example describes (the README's "reference time").
REFERENCE_TIME = datetime(2026, 11, 24, 10, 30, tzinfo=UTC)
REFERENCE = "2026-11-24T10:30:00Z"


def build_example(out: Path, now: str = REFERENCE) -> Path:
    """Build the example site into ``out`` at the reference time (or ``now``)."""
    result = CliRunner().invoke(
        main, ["build", "--root", str(ROOT), "--out", str(out), "--now", now]
    )
    if result.exit_code != 0:
        raise RuntimeError(result.output)
    return out

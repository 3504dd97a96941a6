"""The example site of this repository and the moment it describes."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner

from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent
#: The moment the example describes (the README's "reference time").
REFERENCE_TIME = datetime(2026, 11, 24, 10, 30, tzinfo=UTC)
REFERENCE = "2026-11-24T10:30:00Z"


def build_example(out: Path, now: str = REFERENCE, languages: list[str] | None = None) -> Path:
    """Build the example site into ``out`` at the reference time (or ``now``); with
    ``languages``, a copy of it in those languages (the first the default), beside ``out``."""
    root = ROOT
    if languages:
        root = out.parent / "example"
        shutil.copytree(ROOT / "incidents", root / "incidents")
        config = (ROOT / "site_config.yml").read_text(encoding="utf-8")
        given = f"  languages: [{', '.join(languages)}]\n"
        config = re.sub(r"^  languages: .*\n", given, config, count=1, flags=re.M)
        (root / "site_config.yml").write_text(config, "utf-8")
    result = CliRunner().invoke(
        main, ["build", "--root", str(root), "--out", str(out), "--now", now]
    )
    if result.exit_code != 0:
        raise RuntimeError(result.output)
    return out

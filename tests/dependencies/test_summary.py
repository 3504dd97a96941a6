"""A summary read as a reading: the same answer gives the same bytes, in any process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent

#: A page whose open incidents share a name and, having no id, the link to the page: only
#: their impacts tell them apart.
PROGRAM = """
import sys
from datetime import UTC, datetime
from generator.core.dependencies import Dependency
from generator.dependencies.summary import reading_of
from generator.input.dependencies import reading_json
data = {"status": {"indicator": "major"}, "components": [], "incidents": [
    {"name": "Degraded", "impact": impact, "status": "investigating"}
    for impact in ("minor", "major", "critical", "none")]}
page = Dependency("x", "X", "https://status.example.com")
sys.stdout.write(reading_json(reading_of(data, page, datetime(2026, 12, 7, tzinfo=UTC))).decode())
"""


def test_incidents_alike_but_for_impact_are_written_in_one_order_whatever_the_hash_seed() -> None:
    """Incidents are kept in a set, whose order follows the strings' hashes, which change
    with each process: the order written must not."""
    written = set()
    for seed in range(1, 9):
        environment = {**os.environ, "PYTHONHASHSEED": str(seed)}
        done = subprocess.run(
            [sys.executable, "-c", PROGRAM],
            cwd=ROOT, env=environment, capture_output=True, text=True, check=True,
        )  # fmt: skip
        written.add(done.stdout)
    assert len(written) == 1, written
    impacts = [line.split('"')[3] for line in written.pop().splitlines() if '"impact"' in line]
    assert impacts == ["critical", "major", "minor", "none"]

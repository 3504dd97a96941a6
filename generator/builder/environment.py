"""What a build takes from its environment: the moment (``SOURCE_DATE_EPOCH``), its id on
GitHub Actions, and whether to print the time of each phase (``STATUSGEN_TIMINGS``)."""

from __future__ import annotations

import os
import sys
import time
from datetime import UTC, datetime

from generator.builder.report import UsageError
from generator.core.times import TimeError, check_range


def build_id_from_environment() -> str | None:
    """The build's id on GitHub Actions: the commit and the run (``$GITHUB_SHA-$GITHUB_RUN_ID``),
    else None (the build then names itself by a digest of its inputs)."""
    commit, run = os.environ.get("GITHUB_SHA"), os.environ.get("GITHUB_RUN_ID")
    return f"{commit}-{run}" if commit and run else None


def now_from_environment() -> datetime:
    """``SOURCE_DATE_EPOCH`` when set, else the clock (as mkdocs does)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return datetime.now(UTC)
    try:
        moment = datetime.fromtimestamp(int(epoch), UTC)
        check_range(moment)
    except (ValueError, OverflowError, OSError, TimeError):
        raise UsageError(
            f"SOURCE_DATE_EPOCH is '{epoch}', not a whole number of seconds from 1970 to 2999"
        ) from None
    return moment


class Phases:
    """Wall time of each phase of a build, printed when STATUSGEN_TIMINGS is set."""

    def __init__(self) -> None:
        self.enabled = bool(os.environ.get("STATUSGEN_TIMINGS"))
        self.last = time.perf_counter()

    def __call__(self, name: str) -> None:
        now = time.perf_counter()
        if self.enabled:
            print(f"  {name:<34} {now - self.last:6.2f} s", file=sys.stderr)
        self.last = now

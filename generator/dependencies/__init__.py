"""``statusgen dependencies sync``: each vendor's status page read into the repository.

``fetch`` asks a page for its summary (bounded in time and size, no redirect to another
host), ``summary`` reads it as a :class:`~generator.core.dependencies.Reading`, and
:func:`sync` writes each reading to ``dependencies/<id>.json`` whole, only when it says
something new (or the file is :data:`~generator.core.dependencies.REFRESH_AFTER` old). A
vendor that fails changes nothing: its file stays as it was, and the failure is reported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from generator.core.dependencies import DEPENDENCIES_DIR, Dependency, Reading, needs_writing
from generator.core.files import write_atomically
from generator.core.model import SiteConfig
from generator.dependencies.fetch import TIMEOUT, FetchError, fetch_json, shown
from generator.dependencies.summary import NotASummary, reading_of
from generator.input.dependencies import read_reading, reading_json, reading_path
from generator.input.paths import Boundary

__all__ = ["TIMEOUT", "SyncError", "SyncReport", "sync"]


class SyncError(Exception):
    """The readings cannot be written at all (the folder leads outside the repository)."""


@dataclass
class SyncReport:
    """What one sync did, by dependency id."""

    #: What changed in each file written because its vendor says something new.
    changed: dict[str, list[str]] = field(default_factory=dict)
    #: Files written again only because they were getting old (nothing else changed).
    refreshed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    #: Why each failed dependency has no new reading.
    failed: dict[str, str] = field(default_factory=dict)

    @property
    def all_failed(self) -> bool:
        return bool(self.failed) and not (self.changed or self.refreshed or self.unchanged)


def sync(
    config: SiteConfig,
    root: Path,
    now: datetime,
    say: Callable[[str, bool], None],
    timeout: float = TIMEOUT,
) -> SyncReport:
    """Read every dependency's page at ``now`` and write what changed; ``say`` tells each
    change (``say(line, False)``) and each failure (``say(line, True)``) as it happens."""
    folder = root / DEPENDENCIES_DIR
    boundary = Boundary(root)
    if folder.is_symlink() and boundary.outside(folder):
        raise SyncError(
            f"{DEPENDENCIES_DIR}/ is a link to a folder outside the repository; "
            "nothing is written there: make it a folder of the repository"
        )
    report = SyncReport()
    for dependency in config.dependencies:
        _one(dependency, root, boundary, now, say, timeout, report)
    return report


def _one(
    dependency: Dependency,
    root: Path,
    boundary: Boundary,
    now: datetime,
    say: Callable[[str, bool], None],
    timeout: float,
    report: SyncReport,
) -> None:
    where = shown(dependency.summary_url)
    try:
        reading = reading_of(fetch_json(dependency.summary_url, timeout), dependency, now)
    except (FetchError, NotASummary) as error:
        report.failed[dependency.id] = str(error)
        say(f"dependencies: {dependency.id}: {where}: {error}; nothing changed", True)
        return
    for name in reading.missing:
        say(
            f"dependencies: {dependency.id}: warning: {where} has no component named "
            f"'{name}'; check its name on {shown(dependency.url)}",
            True,
        )
    path = reading_path(root, dependency.id)
    old = _old(path, boundary)
    if not needs_writing(old, reading):
        report.unchanged.append(dependency.id)
        return
    try:
        path.parent.mkdir(exist_ok=True)
        write_atomically(path, reading_json(reading), mode=0o644)
    except OSError as error:
        report.failed[dependency.id] = f"cannot write {path.name}: {error.strerror}"
        say(f"dependencies: {dependency.id}: cannot write {path}: {error.strerror}", True)
        return
    if old is None:
        report.changed[dependency.id] = ["first reading"]
    elif old.same_as(reading):
        report.refreshed.append(dependency.id)
        say(f"dependencies: {dependency.id}: read again (nothing changed but the time read)", False)
        return
    else:
        report.changed[dependency.id] = old.changes(reading)
    say(f"dependencies: {dependency.id}: {'; '.join(report.changed[dependency.id])}", False)


def _old(path: Path, boundary: Boundary) -> Reading | None:
    """The reading a file holds, or None when there is none to keep (missing, broken, or a
    link that leads outside the repository, never read: written again)."""
    if not path.is_file() or boundary.outside(path):
        return None
    reading, _ = read_reading(path)
    return reading

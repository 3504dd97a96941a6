"""``import``: another status tool's history, as files of this repository."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path

from generator.core.diagnostics import display_path
from generator.input.validate import CONFIG_NAME
from generator.migrate import History, MigrationError, cstate, statuspage, write
from generator.migrate import Report as ImportReport
from generator.usecases.errors import InvalidInput
from generator.usecases.report import count
from generator.usecases.workspace import Workspace


@dataclass(frozen=True)
class ImportRequest:
    """Import what ``read()`` gives: incidents started at or after ``since``; ``force``
    overwrites files edited by hand since they were imported."""

    read: Callable[[], History]
    since: datetime | None = None
    force: bool = False


def from_statuspage(sources: tuple[str, ...], merge: bool = False) -> Callable[[], History]:
    """A Statuspage history: a page's URL, saved API responses, folders of them, or
    ``api:PAGE_ID``; sources of different pages are refused unless ``merge``."""
    return lambda: statuspage.read(sources, merge)


def from_cstate(folder: Path) -> Callable[[], History]:
    """A cState site: its config.yml and content/issues/*.md."""
    return lambda: cstate.read(folder)


def import_zone(workspace: Workspace) -> tzinfo:
    """The time zone a date without one is in: the site's, else UTC."""
    return workspace.config.timezone if (workspace.root / CONFIG_NAME).is_file() else UTC


def import_history(workspace: Workspace, request: ImportRequest) -> ImportReport:
    """Write the history into the repository, or ``InvalidInput`` with nothing written."""
    try:
        return write(workspace.root, request.read(), request.since, request.force)
    except MigrationError as error:
        raise InvalidInput(f"{error}; nothing was written", details=error.details) from None


def import_lines(report: ImportReport) -> list[str]:
    """What an import says: each repair, each file kept, then what it did in all."""
    lines = [
        f"{display_path(path)}: repaired: {repair}"
        for path, repairs in sorted(report.repairs.items())
        for repair in repairs
    ]
    lines += [
        f"{display_path(path)}: edited by hand since it was imported; kept (--force overwrites it)"
        for path in report.kept
    ]
    lines.append(
        f"Imported {count(report.components, 'new component')} "
        f"({count(report.groups, 'group')}), {count(report.incidents, 'incident')}, "
        f"{count(report.maintenances, 'maintenance')}, {count(report.updates, 'update')}: "
        f"{count(report.written, 'file')} written, {report.unchanged} unchanged, "
        f"{len(report.kept)} kept; {count(len(report.repairs), 'file')} repaired, "
        f"{report.internal} keep more of the source under internal.imported."
    )
    lines.append("Look at it: statusgen check && statusgen build && statusgen serve")
    return lines

"""``dependencies sync``: the status of every service the site depends on, read into the
repository, so that a build shows it and stays a function of the repository."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from generator.dependencies import TIMEOUT, SyncError, SyncReport, sync
from generator.input.validate import CONFIG_NAME
from generator.usecases.errors import Failed
from generator.usecases.report import count
from generator.usecases.workspace import Workspace


@dataclass(frozen=True)
class SyncRequest:
    """Read every dependency's page at ``now``; ``say(line, error)`` tells what happens."""

    now: datetime
    say: Callable[[str, bool], None]
    #: How long a vendor has to answer, in seconds.
    timeout: float = TIMEOUT


def sync_dependencies(workspace: Workspace, request: SyncRequest) -> SyncReport | None:
    """Read each dependency and write what changed; the report, or None when the config
    names none. Only the config needs to be valid: an invalid incident does not keep the
    readings from being current."""
    config = workspace.config
    if not config.dependencies:
        request.say(f"dependencies: none in {CONFIG_NAME} (dependencies:); nothing to read", True)
        return None
    try:
        report = sync(config, workspace.root, request.now, request.say, request.timeout)
    except SyncError as error:
        raise Failed(str(error)) from None
    request.say(sync_summary(report), True)
    return report


def sync_summary(report: SyncReport) -> str:
    """The sync's last line: how many changed, stayed, were read again, failed."""
    parts = [f"{len(report.changed)} changed", f"{len(report.unchanged)} unchanged"]
    if report.refreshed:
        parts.append(f"{len(report.refreshed)} read again (only the time read changed)")
    if report.failed:
        parts.append(f"{len(report.failed)} failed (kept as they were)")
    read = len(report.changed) + len(report.unchanged) + len(report.refreshed)
    return f"dependencies: {count(read + len(report.failed), 'page')} asked: " + ", ".join(parts)

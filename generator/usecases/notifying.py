"""``notify``: every published update, sent once to each channel customers use."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from generator.core.diagnostics import did_you_mean, one_of
from generator.input.validate import CONFIG_NAME
from generator.notify import LEDGER, LedgerError
from generator.notify import Report as NotifyReport
from generator.notify import notify as notify_channels
from generator.usecases.errors import InvalidInput, WrongUsage, valid
from generator.usecases.report import count
from generator.usecases.workspace import Workspace


@dataclass(frozen=True)
class NotifyRequest:
    """Send what was published at ``now``; ``only`` these channels, when any is named."""

    now: datetime
    say: Callable[[str, bool], None]
    ledger: Path | None = None
    dry_run: bool = False
    only: tuple[str, ...] = ()
    base_url: str | None = None
    environ: Mapping[str, str] = field(default_factory=dict)


def notify(workspace: Workspace, request: NotifyRequest) -> NotifyReport | None:
    """Send each channel what it has not received; the report, or None without channels.

    The last line said is the summary; in GitHub Actions it also goes to the run's page.
    """
    repository = workspace.repository
    config = valid(repository, "fix these problems first: notify sends only from valid files")
    known = [channel.id for channel in config.notify.channels]
    for channel in request.only:
        if channel not in known:
            hint = did_you_mean(channel, known) or (
                f"use {one_of(known)}" if known else f"add channels to {CONFIG_NAME} (notify:)"
            )
            raise WrongUsage(f"no channel '{channel}'; {hint}", "--channel")
    if not known:
        request.say(
            f"notify: no channels in {CONFIG_NAME} (notify: channels:); nothing to send", True
        )
        return None
    try:
        report = notify_channels(
            config,
            repository.incidents,
            request.now,
            request.ledger if request.ledger is not None else workspace.root / LEDGER,
            request.say,
            dry_run=request.dry_run,
            only=request.only,
            base_url=request.base_url,
            environ=request.environ,
        )
    except LedgerError as error:
        raise InvalidInput(str(error)) from None
    summary = notify_summary(report, request.dry_run)
    request.say(summary, True)
    _step_summary(request.environ, summary, report.given_up)
    return report


def notify_summary(report: NotifyReport, dry_run: bool) -> str:
    """notify's last line: what was sent, what waits, what was recorded as failed."""
    sent = sum(len(ids) for ids in report.sent.values())
    verb = "would be sent" if dry_run else "sent"
    summary = f"notify: {count(sent, 'message')} {verb} to {count(len(report.sent), 'channel')}"
    if report.failed:
        waiting = sum(report.waiting.values())
        summary += (
            f"; {count(len(report.failed), 'channel')} would fail "
            f"({count(waiting, 'message')} would wait)"
            if dry_run
            else f"; {count(len(report.failed), 'channel')} failed "
            f"({count(waiting, 'message')} left for the next run)"
        )
    given_up = sum(len(events) for events in report.given_up.values())
    if given_up:
        summary += f"; {count(given_up, 'message')} refused for good, recorded as failed"
    before = sum(report.failed_before.values())
    if before:
        summary += (
            f"; {count(before, 'message')} recorded as failed by earlier runs (listed under "
            "'failed' in the ledger)"
        )
    return summary


def _code(text: str) -> str:
    """``text`` as the inside of a Markdown code span: a service's error, shown as it is."""
    return " ".join(text.replace("`", "'").split())


def _step_summary(
    environ: Mapping[str, str], summary: str, given_up: dict[str, dict[str, str]]
) -> None:
    """In GitHub Actions, the run's summary page says what notify did, and names each
    message recorded as failed (the errors are masked like every line notify prints)."""
    path = environ.get("GITHUB_STEP_SUMMARY")
    if not path:
        return
    lines = [f"### {summary}"]
    for channel, events in given_up.items():
        lines += [
            f"- **{channel}**: `{event}` failed for good: `{_code(error)}`"
            for event, error in events.items()
        ]
    with contextlib.suppress(OSError), Path(path).open("a", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")

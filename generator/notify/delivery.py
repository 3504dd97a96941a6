"""``statusgen notify``: every published update to every channel, once.

For each channel in turn: the events it has not received (oldest first, within
``max_age_minutes``, through its filters), each sent to that channel alone and recorded
in the ledger at once. A failure stops that channel (its later events wait behind the one
that failed, so that customers never read them out of order) and never the others; the
next run retries it. Channels are served one after another: Apprise reports a failure
through its logger, which is one for the whole process.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from generator.channels import (
    DeliveryError,
    Service,
    ServiceError,
    UnsetVariable,
    VariableError,
    expand,
    open_service,
)
from generator.core.model import Channel, Incident, SiteConfig
from generator.core.routes import Routes
from generator.notify.events import Event, events, takes
from generator.notify.ledger import Ledger, held
from generator.notify.messages import Composer, Message

#: Where a line goes: the standard output (what was sent), or the error output.
Say = Callable[[str, bool], None]


@dataclass
class Report:
    """What a run did, channel by channel."""

    sent: dict[str, list[str]] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)
    waiting: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.failed


def notify(
    config: SiteConfig,
    incidents: tuple[Incident, ...],
    now: datetime,
    ledger_path: Path,
    say: Say,
    *,
    dry_run: bool = False,
    only: tuple[str, ...] = (),
    base_url: str | None = None,
    environ: Mapping[str, str],
) -> Report:
    """Send what each channel has not received; with ``dry_run``, print it instead."""
    settings = config.notify
    channels = [c for c in settings.channels if not only or c.id in only]
    planned = events(incidents, now, now - timedelta(minutes=settings.max_age_minutes))
    composer = Composer(config, Routes(base_url or config.url))
    report = Report()
    # a dry run writes nothing, so it neither waits for nor blocks a run that sends
    with contextlib.nullcontext() if dry_run else held(ledger_path):
        ledger = Ledger.load(ledger_path)
        for channel in channels:
            _serve(channel, planned, ledger, composer, environ, say, report, dry_run=dry_run)
    return report


def _serve(
    channel: Channel,
    planned: list[Event],
    ledger: Ledger,
    composer: Composer,
    environ: Mapping[str, str],
    say: Say,
    report: Report,
    *,
    dry_run: bool,
) -> None:
    received = ledger.sent(channel.id)
    pending = [e for e in planned if e.id not in received and takes(channel, e)]
    if not pending:
        return
    service = _open(channel, environ, say, report)
    if service is None:
        report.waiting[channel.id] = len(pending)
        return
    length = channel.length if channel.length is not None else service.limit
    for position, event in enumerate(pending):
        message = composer.message(event, service.format, service.titled, length, channel.language)
        if dry_run:
            _preview(channel, service, event, message, say)
            report.sent.setdefault(channel.id, []).append(event.id)
            continue
        try:
            service.send(message.title, message.body, message.format, message.tone)
        except DeliveryError as error:
            report.failed[channel.id] = str(error)
            report.waiting[channel.id] = len(pending) - position
            say(
                f"notify: channel {channel.id}: {event.id} was not sent to {service.shown}: "
                f"{error}; it is sent again by the next run",
                True,
            )
            return
        ledger.record(channel.id, event.id, datetime.now(UTC))
        report.sent.setdefault(channel.id, []).append(event.id)
        say(f"notify: channel {channel.id}: sent {event.id} ({event.kind})", False)


def _open(channel: Channel, environ: Mapping[str, str], say: Say, report: Report) -> Service | None:
    """The channel's service, or None with the reason reported (its URL never shown)."""
    try:
        url, secrets = expand(channel.url, environ)
        return open_service(url, secrets)
    except UnsetVariable as missing:
        reason = (
            f"the variable {missing.name} is not set; set it in the environment "
            "(on GitHub: a repository secret, passed to the notify job)"
        )
    except VariableError as error:
        reason = f"{error}; write a variable as ${{NAME}}"
    except ServiceError as error:
        reason = error.message + (f"; {error.hint}" if error.hint else "")
        if "${" in channel.url:
            reason += " (the URL comes from a variable: check its value)"
    report.failed[channel.id] = reason
    say(f"notify: channel {channel.id}: {reason}", True)
    return None


def _preview(channel: Channel, service: Service, event: Event, message: Message, say: Say) -> None:
    say(
        f"== {channel.id} ({service.shown}; {message.format}): {event.id} ({event.kind})",
        False,
    )
    if message.title:
        say(f"Title: {message.title}", False)
    say(message.body, False)
    say("", False)

"""``statusgen notify``: every published update to every channel, once.

For each channel in turn: the events it has not received (oldest first, within
``max_age_minutes``, through its filters), each fitted to the service's own limit, sent to
that channel alone and recorded in the ledger at once. A failure stops that channel (its
later events wait behind the one that failed, so that customers never read them out of
order) and never the others; the next run retries it. An event the service refuses for
good (a permanent error) in ``GIVE_UP_AFTER`` runs is recorded as failed, reported, and
no longer holds the channel up. Channels are served one after another: Apprise reports a
failure through its logger, which is one for the whole process.
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
    written_form,
)
from generator.core import rules
from generator.core.model import Channel, Incident, SiteConfig
from generator.core.routes import Routes, short_ids
from generator.core.times import format_utc
from generator.notify.events import Event, events, takes
from generator.notify.ledger import GIVE_UP_AFTER, Ledger, held
from generator.notify.messages import Composer, Message

#: Where a line goes: the standard output (what was sent), or the error output.
Say = Callable[[str, bool], None]


@dataclass
class Report:
    """What a run did, channel by channel."""

    sent: dict[str, list[str]] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)
    waiting: dict[str, int] = field(default_factory=dict)
    #: Events recorded as failed in this run, per channel: event id -> the error.
    given_up: dict[str, dict[str, str]] = field(default_factory=dict)
    #: Events recorded as failed by earlier runs, per channel (reported, not retried).
    failed_before: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.failed and not self.given_up


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
    since = now - timedelta(minutes=settings.max_age_minutes)
    reminders = {reminder for channel in channels for reminder in channel.reminders}
    planned = events(incidents, now, since, reminders)
    # the short links the site publishes (outputs/redirects.py), the same ids whatever now
    ids = short_ids((incident.first_update.at, incident.id) for incident in incidents)
    shorts = {
        incident.id: ids[incident.id]
        for incident in incidents
        if rules.has_short_link(incident.status, incident.latest_update.at, now)
    }
    composer = Composer(config, Routes(base_url or config.url), shorts=shorts, now=now)
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
    given_up = ledger.given_up(channel.id)
    if given_up:
        report.failed_before[channel.id] = len(given_up)
    taken = _latest_reminders([e for e in planned if takes(channel, e)])
    pending = [
        e
        for e in taken
        if (e.id not in received and e.id not in given_up) or _moved(ledger, channel, e)
    ]
    if not pending and not dry_run:
        return
    # a dry run opens every channel, even one with nothing to send now: what would fail
    # for a reason known before sending (an unset variable, a URL Apprise cannot read)
    # fails it, as it would fail the run that has something to send
    service = _open(channel, environ, say, report)
    if dry_run:
        _introduce(channel, service, len(pending), say)
    if service is None:
        if pending:
            report.waiting[channel.id] = len(pending)
        return
    for position, event in enumerate(pending):
        message = _fitted(composer, event, service, channel)
        if dry_run:
            _preview(channel, service, event, message, say)
            report.sent.setdefault(channel.id, []).append(event.id)
            continue
        try:
            service.send(message.title, message.body, message.format, message.tone)
        except DeliveryError as error:
            if _goes_on(error, event, channel, service, composer, ledger, report, say):
                continue
            report.waiting[channel.id] = len(pending) - position
            return
        ledger.record(channel.id, event.id, _clock(), event.starts)
        report.sent.setdefault(channel.id, []).append(event.id)
        say(f"notify: channel {channel.id}: sent {event.id} ({event.kind})", False)


def _latest_reminders(taken: list[Event]) -> list[Event]:
    """``taken`` without the reminders a later one of the same maintenance supersedes: a
    channel that missed its 24h reminder (notify was down) and whose 1h reminder is due
    gets the 1h one alone, never both at once."""
    latest: dict[str, datetime] = {}
    for event in taken:
        if event.reminder is not None:
            key = event.incident.id
            latest[key] = max(latest.get(key, event.at), event.at)
    return [e for e in taken if e.reminder is None or e.at == latest[e.incident.id]]


def _moved(ledger: Ledger, channel: Channel, event: Event) -> bool:
    """Whether ``event`` is a reminder ``channel`` received for a window that has moved
    since: it is due again, for the new start."""
    if event.starts is None:
        return False
    announced = ledger.reminded_of(channel.id, event.id)
    return announced is not None and announced != format_utc(event.starts)


def _goes_on(
    error: DeliveryError,
    event: Event,
    channel: Channel,
    service: Service,
    composer: Composer,
    ledger: Ledger,
    report: Report,
    say: Say,
) -> bool:
    """After a failed send: whether the channel goes on with its next event. It does when
    the service refused this message for good in its last run, once its short form went
    out instead, or once it is recorded as failed; otherwise the event waits, and the
    events after it with it."""
    where = f"notify: channel {channel.id}: {event.id} was not sent to {service.shown}"
    last_try = error.permanent and ledger.runs(channel.id, event.id) + 1 >= GIVE_UP_AFTER
    if last_try and _send_short(composer, event, service, channel):
        ledger.record(channel.id, event.id, _clock(), event.starts)
        report.sent.setdefault(channel.id, []).append(event.id)
        say(
            f"{where}: {error}; refused in {GIVE_UP_AFTER} runs, it was sent in its "
            "short form (the headline and the link) instead",
            True,
        )
        return True
    if error.permanent and ledger.refused(channel.id, event.id, str(error), _clock()):
        report.given_up.setdefault(channel.id, {})[event.id] = str(error)
        say(
            f"{where}: {error}; the service refused it, even in its short form, in "
            f"{GIVE_UP_AFTER} runs, so it is recorded as failed in the ledger and the "
            "channel goes on with the next updates; check the channel's settings, and "
            "post it there by hand if customers still need it",
            True,
        )
        return True
    report.failed[channel.id] = str(error)
    say(f"{where}: {error}; it is sent again by the next run", True)
    return False


#: What the short form of a message fits in: the headline and the link, as an SMS.
SHORT_FORM = 160


def _send_short(composer: Composer, event: Event, service: Service, channel: Channel) -> bool:
    """The last try of a message a service refused for what it is: its short form, plain
    text that any service takes. False when that is refused too (then it is the channel)."""
    most = service.most if service.most > 0 else SHORT_FORM
    short = composer.message(
        event,
        "text",
        service.titled,
        min(SHORT_FORM, most),
        channel.language,
        _sms(service, channel),
    )
    try:
        service.send(short.title, short.body, short.format, short.tone)
    except DeliveryError:
        return False
    return True


def _clock() -> datetime:
    return datetime.now(UTC)


def _fitted(composer: Composer, event: Event, service: Service, channel: Channel) -> Message:
    """The event's message in the form the service shows, within the channel's ``length``
    and the service's own limit as the service counts it (after its own escaping): too
    long, it becomes plain text that fits, link whole."""
    language, sms = channel.language, _sms(service, channel)
    length = channel.length if channel.length is not None else service.limit
    message = composer.message(event, service.format, service.titled, length, language, sms)
    most = service.most
    if most <= 0 or service.measure(message.title, message.body, message.format) <= most:
        return message
    room = most if length is None else min(length, most)
    while room > 1:
        message = composer.message(event, service.format, service.titled, room, language, sms)
        over = service.measure(message.title, message.body, message.format) - most
        if over <= 0:
            break
        room -= over
    return message


#: A channel this short is read as an SMS, whatever service carries it (a webhook to an
#: SMS gateway Apprise does not know): one SMS holds 160 characters of GSM-7.
SMS_LENGTH = 160


def _sms(service: Service, channel: Channel) -> bool:
    """Whether the channel's messages are written in GSM-7: an SMS service's, and those of
    a channel whose ``length`` is at most an SMS's."""
    return service.sms or (channel.length is not None and channel.length <= SMS_LENGTH)


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


def _introduce(channel: Channel, service: Service | None, pending: int, say: Say) -> None:
    """A dry run's line for a channel: its URL as the site config writes it (each
    ``${VAR}`` as written, never its value; every part that may be secret masked), what
    service it is, and what it would get."""
    written = written_form(channel.url, service.host if service is not None else "")
    if service is None:
        say(f"-- {channel.id}: {written}: would fail (see the error)", False)
        return
    form: str = "text in GSM-7" if _sms(service, channel) else service.format
    length = channel.length if channel.length is not None else service.limit
    if length is not None:
        form += f", at most {length} characters"
    what = f"{pending} message{'s' if pending != 1 else ''}" if pending else "nothing to send"
    say(f"-- {channel.id}: {written} ({service.shown}; {form}): {what}", False)


def _preview(channel: Channel, service: Service, event: Event, message: Message, say: Say) -> None:
    say(
        f"== {channel.id} ({service.shown}; {message.format}): {event.id} ({event.kind})",
        False,
    )
    if message.title:
        say(f"Title: {message.title}", False)
    say(message.body, False)
    say("", False)

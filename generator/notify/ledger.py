"""The ledger: which events each channel has received, and when.

A JSON file, by default ``ROOT/.statusgen/notified.json``::

    {"format": 1,
     "channels": {"customers-email": {"<event id>": "<sent at, UTC>"}},
     "failed": {"team-chat": {"<event id>": {"runs": 3, "error": "…", "at": "<UTC>",
                                             "gave_up": "<UTC>"}}},
     "reminded": {"customers-email": {"<incident id>#reminder-24h": "<window start, UTC>"}}}

``failed`` counts, per channel and event, the runs in which the service refused that
message for good (a permanent error, such as HTTP 400): after ``GIVE_UP_AFTER`` of them the
event is recorded as failed (``gave_up``) and the channel goes on with the next ones. The
error is kept as the run printed it: masked, never a URL or a secret. Remove an entry to
send that event again.

``reminded`` keeps, for each reminder sent, the start of the window it announced: a
maintenance whose window is moved gets its reminders again, for the new start (each once),
while a reminder already sent for the same start is never sent twice. It is written in the
same atomic save as the send it belongs to.

It is rewritten whole and atomically after every successful send (a new file beside it,
flushed to disk, renamed over the old one), so a crash leaves either the ledger before
that send or the one after it: at most the one message in flight is sent again. It holds
channel ids, event ids and times, never a URL or a secret. A ledger that cannot be read
stops ``notify`` before anything is sent: sending the whole history again is never the
way out of a broken file.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from generator.core import locks
from generator.core.errors import cannot_write
from generator.core.files import write_atomically
from generator.core.times import format_utc

FORMAT = 1
#: Runs in which a service refuses one message for good before it is recorded as failed.
GIVE_UP_AFTER = 3
#: The most of a service's error kept in the ledger.
ERROR_LENGTH = 300
LEDGER = Path(".statusgen") / "notified.json"
#: How long a run waits for another one using the same ledger to finish.
WAIT_SECONDS = 600.0

_FIX = (
    "restore it from where the publish workflow keeps it (README: Notify your customers), "
    "or delete it: then only updates within notify.max_age_minutes are sent again"
)


#: One event a service refused: ``runs`` (int), ``error``, ``at`` and, once given up,
#: ``gave_up`` (UTC times as text).
Failure = dict[str, Any]


def _is_failure(value: object) -> bool:
    return (
        isinstance(value, dict)
        and isinstance(value.get("runs"), int)
        and all(isinstance(value.get(k, ""), str) for k in ("error", "at", "gave_up"))
    )


class LedgerError(Exception):
    """The ledger cannot be read or written; the message names the file and the fix."""


class Ledger:
    def __init__(
        self,
        path: Path,
        channels: dict[str, dict[str, str]] | None = None,
        failed: dict[str, dict[str, Failure]] | None = None,
        reminded: dict[str, dict[str, str]] | None = None,
    ) -> None:
        self.path = path
        self.channels: dict[str, dict[str, str]] = channels or {}
        self.failed: dict[str, dict[str, Failure]] = failed or {}
        self.reminded: dict[str, dict[str, str]] = reminded or {}

    @classmethod
    def load(cls, path: Path) -> Ledger:
        """The ledger at ``path``; an empty one when there is no file yet."""
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls(path)
        except (OSError, UnicodeDecodeError) as error:
            raise LedgerError(f"cannot read the ledger {path}: {error}") from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise LedgerError(
                f"the ledger {path} is not valid JSON (line {error.lineno}, column "
                f"{error.colno}: {error.msg}); nothing was sent; {_FIX}"
            ) from None
        except RecursionError:
            raise LedgerError(
                f"the ledger {path} is nested too deeply to be a statusgen ledger; nothing "
                f"was sent; {_FIX}"
            ) from None
        if not isinstance(data, dict) or "format" not in data:
            raise LedgerError(f"{path} is not a statusgen ledger; nothing was sent; {_FIX}")
        if data["format"] != FORMAT:
            raise LedgerError(
                f"the ledger {path} has format {data['format']!r}, and this statusgen reads "
                f"format {FORMAT}; nothing was sent; run the statusgen that wrote it, or {_FIX}"
            )
        channels = data.get("channels")
        if not isinstance(channels, dict) or not all(
            isinstance(sent, dict) and all(isinstance(v, str) for v in sent.values())
            for sent in channels.values()
        ):
            raise LedgerError(
                f"the ledger {path} does not list channels as it should; nothing was sent; {_FIX}"
            )
        failed = data.get("failed", {})
        if not isinstance(failed, dict) or not all(
            isinstance(events, dict) and all(_is_failure(f) for f in events.values())
            for events in failed.values()
        ):
            raise LedgerError(
                f"the ledger {path} does not list failed events as it should; nothing was "
                f"sent; {_FIX}"
            )
        reminded = data.get("reminded", {})
        if not isinstance(reminded, dict) or not all(
            isinstance(sent, dict) and all(isinstance(v, str) for v in sent.values())
            for sent in reminded.values()
        ):
            raise LedgerError(
                f"the ledger {path} does not list reminders as it should; nothing was sent; {_FIX}"
            )
        return cls(path, channels, failed, reminded)

    def sent(self, channel: str) -> dict[str, str]:
        """The events ``channel`` received: event id -> when it was sent."""
        return self.channels.get(channel, {})

    def given_up(self, channel: str) -> set[str]:
        """The events recorded as failed for ``channel``: never sent again by themselves."""
        return {e for e, f in self.failed.get(channel, {}).items() if "gave_up" in f}

    def reminded_of(self, channel: str, event: str) -> str | None:
        """The window start (UTC) that the reminder ``event`` sent to ``channel`` announced;
        None when it names none (not sent, or not a reminder)."""
        return self.reminded.get(channel, {}).get(event)

    def record(
        self, channel: str, event: str, when: datetime, starts: datetime | None = None
    ) -> None:
        """Note that ``channel`` received ``event`` (a reminder: of a window opening at
        ``starts``), and save the ledger at once."""
        self.channels.setdefault(channel, {})[event] = format_utc(when)
        if starts is not None:
            self.reminded.setdefault(channel, {})[event] = format_utc(starts)
        failures = self.failed.get(channel, {})
        if failures.pop(event, None) is not None and not failures:
            del self.failed[channel]
        self.save()

    def runs(self, channel: str, event: str) -> int:
        """In how many runs the service refused ``event`` for good so far."""
        return int(self.failed.get(channel, {}).get(event, {}).get("runs", 0))

    def refused(self, channel: str, event: str, error: str, when: datetime) -> bool:
        """Note a run in which the service refused ``event`` for good, and save the
        ledger; True when this was the last try: the event is now recorded as failed."""
        failure = self.failed.setdefault(channel, {}).setdefault(event, {"runs": 0})
        failure["runs"] = int(failure["runs"]) + 1
        failure["error"] = error[:ERROR_LENGTH]
        failure["at"] = format_utc(when)
        if failure["runs"] >= GIVE_UP_AFTER:
            failure["gave_up"] = format_utc(when)
        self.save()
        return "gave_up" in failure

    def save(self) -> None:
        data: dict[str, Any] = {"format": FORMAT, "channels": self.channels}
        if self.failed:
            data["failed"] = self.failed
        if self.reminded:
            data["reminded"] = self.reminded
        text = json.dumps(data, indent=1, ensure_ascii=False) + "\n"
        try:
            write_atomically(self.path, text.encode("utf-8"), mode=0o644, durable=True)
        except OSError as error:
            raise LedgerError(cannot_write(f"the ledger {self.path}", error)) from None


@contextlib.contextmanager
def held(path: Path, seconds: float = WAIT_SECONDS) -> Iterator[None]:
    """The ledger to this run alone: a second ``notify`` at the same time waits, then
    reads what the first one sent, so that nothing goes out twice."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise LedgerError(cannot_write(f"the ledger's folder {path.parent}", error)) from None
    with contextlib.ExitStack() as stack:
        try:
            stack.enter_context(locks.locked(path.parent, seconds))
        except TimeoutError:
            raise LedgerError(
                f"another statusgen notify has used the ledger {path} for {seconds:.0f} s; "
                "nothing was sent; run this again once it has finished"
            ) from None
        yield

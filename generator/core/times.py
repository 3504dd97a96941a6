"""The forms of time people write in incident files and on the command line.

A time with an offset (``Z``, ``+01:00``) means exactly that. A time without one is read in
the site's time zone; where that wall-clock time does not exist (the spring-forward gap) or
happens twice (the autumn fold), it is refused with a suggestion of the offsets that fit.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

#: Every form the loader accepts; the JSON Schemas use it as the pattern of a time.
TIME_PATTERN = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"(?:[Tt ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]{1,9})?)?)?"
    r"(?: ?(?:[Zz]|UTC|[+-][0-9]{2}(?::?[0-9]{2})?))?$"
)

_TIME = re.compile(
    r"^(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})"
    r"(?:[Tt ](?P<hour>[0-9]{2}):(?P<minute>[0-9]{2})"
    r"(?::(?P<second>[0-9]{2})(?:[.,](?P<fraction>[0-9]{1,9}))?)?)?"
    r"(?: ?(?P<offset>[Zz]|UTC|[+-][0-9]{2}(?::?[0-9]{2})?))?$"
)

#: What the authoring commands write (:func:`format_utc`), and most files hold: read
#: without the general pattern's groups, to the same moment.
_UTC_SECONDS = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")

EXAMPLE = "2026-11-20T09:30:00Z"

#: The times statusgen accepts, from 1970 to 2999 (UTC): every output can write them
#: (Unix timestamps, the calendar, JavaScript's dates), and no typo of a year gets past.
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(3000, 1, 1, tzinfo=UTC)  # the first moment that is too late
RANGE_HINT = "statusgen takes times from 1970 to 2999; check the year"
#: The last second a gzip header can hold (32 bits): a later moment is written as this one.
GZIP_LAST_SECOND = 2**32 - 1  # 2106-02-07T06:28:15Z


def gzip_time(moment: datetime) -> int:
    """``moment`` as a gzip header's time: the whole range from 1970 to 2999 builds."""
    return min(int(moment.timestamp()), GZIP_LAST_SECOND)


class TimeError(ValueError):
    """A time that cannot be read, with a suggestion."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def _offset(text: str) -> tzinfo:
    if text in ("Z", "z", "UTC"):
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if hours > 23 or minutes > 59:
        raise ValueError(text)
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def parse_time(text: str, zone: tzinfo) -> datetime:
    """Read a time as the files and the command line write it; naive ones are in ``zone``."""
    if _UTC_SECONDS.fullmatch(text) and "1970" <= text[:4] < "3000" and text[11:13] < "24":
        try:
            return datetime.fromisoformat(text)  # in UTC (the same object as below)
        except ValueError:
            pass  # no such day or time: the general reading below says so
    match = _TIME.match(text.strip())
    if match is None:
        raise TimeError(
            f"'{text}' is not a time",
            f"write it like {EXAMPLE}, or 2026-11-20 10:30 for a time in the site's time zone",
        )
    parts = match.groupdict()
    if not EARLIEST.year <= int(parts["year"]) < LATEST.year:
        raise TimeError(f"'{text}' is outside the supported range of times", RANGE_HINT)
    fraction = (parts["fraction"] or "").ljust(6, "0")[:6]
    try:
        naive = datetime(  # noqa: DTZ001 - the zone is attached below, checked for gaps
            int(parts["year"]),
            int(parts["month"]),
            int(parts["day"]),
            int(parts["hour"] or 0),
            int(parts["minute"] or 0),
            int(parts["second"] or 0),
            int(fraction or 0),
        )
        offset = _offset(parts["offset"]) if parts["offset"] else None
    except ValueError:
        raise TimeError(
            f"'{text}' is not a valid date and time",
            f"check the month, day, hour and minute; for example {EXAMPLE}",
        ) from None
    moment = naive.replace(tzinfo=offset) if offset is not None else localize(naive, zone)
    try:
        check_range(moment)
    except TimeError:
        raise TimeError(f"'{text}' is outside the supported range of times", RANGE_HINT) from None
    return moment


def check_range(moment: datetime) -> None:
    """TimeError unless ``moment`` is within the times statusgen accepts."""
    if not EARLIEST <= moment < LATEST:
        raise TimeError(f"{moment.isoformat()} is outside the supported range of times", RANGE_HINT)


def localize(naive: datetime, zone: tzinfo) -> datetime:
    """Attach ``zone`` to a wall-clock time, refusing gaps and folds."""
    first = naive.replace(tzinfo=zone, fold=0)
    second = naive.replace(tzinfo=zone, fold=1)
    shown = naive.strftime("%Y-%m-%d %H:%M")
    name = zone_name(zone)
    # a wall time in the spring-forward gap does not survive the trip through UTC
    if first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive:
        after = first.astimezone(UTC).astimezone(zone)
        raise TimeError(
            f"{shown} does not exist in {name} (the clocks skip forward)",
            f"add an offset, for example {_with_offset(after)}",
        )
    if first.utcoffset() != second.utcoffset():
        raise TimeError(
            f"{shown} happens twice in {name} (the clocks go back)",
            f"add an offset: {_with_offset(first)} for the first, "
            f"{_with_offset(second)} for the second",
        )
    return first


def _with_offset(moment: datetime) -> str:
    return moment.isoformat(timespec="minutes")


def zone_name(zone: tzinfo) -> str:
    """The IANA name of a zone, as the site config spells it."""
    return zone.key if isinstance(zone, ZoneInfo) else str(zone)


def format_utc(moment: datetime) -> str:
    """UTC, whole seconds, ``Z``: what the authoring commands write, and what
    ``<time datetime>`` carries (2026-11-24T10:25:00Z)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def elapsed(start: datetime, end: datetime) -> timedelta:
    """The real time from ``start`` to ``end``. Python subtracts two times of the same zone
    by their wall clocks (a night that loses an hour to daylight saving would keep it):
    in UTC, every hour counts once."""
    return end.astimezone(UTC) - start.astimezone(UTC)


def to_utc_seconds(moment: datetime) -> datetime:
    """``moment`` in UTC without its fraction of a second."""
    return moment.astimezone(UTC).replace(microsecond=0)


_DURATION = re.compile(r"(?:(\d{1,5})d)?(?:(\d{1,5})h)?(?:(\d{1,6})m)?(?:(\d{1,7})s)?")
DURATION_HINT = "write a duration such as 30s, 15m, 1h or 1h30m"


def parse_duration(text: str) -> timedelta:
    """A duration as people write it: ``30s``, ``15m``, ``1h``, ``1h30m``, ``2d``."""
    match = _DURATION.fullmatch(text.strip().lower())
    if match is None or not any(match.groups()):
        raise TimeError(f"'{text}' is not a duration", DURATION_HINT)
    days, hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)


# a promised next update ---------------------------------------------------------------------

#: A promised next update as written: a time, a time of day (the next such moment after the
#: update), or a duration from the update's own time.
Promise = datetime | time | timedelta

_PROMISE_DURATION = re.compile(
    r"(?:(\d+)\s*d)?\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?", re.IGNORECASE
)
_TIME_OF_DAY = re.compile(r"(\d{1,2}):(\d{2})(?:\s*([ap])\.?m\.?)?", re.IGNORECASE)
#: The longest wait a duration may promise for the next update: a year.
MAX_PROMISE = timedelta(days=365)
PROMISE_HINT = (
    "give a time (2026-11-20 11:15), a time of day (11:15, the next one) or a duration "
    "from the update (30m, 2h, 1h30m)"
)


def parse_promise(text: str, zone: tzinfo) -> Promise:
    """A promised next update as people write it: a duration (``30m``, ``2h``, ``1h30m``,
    ``1d``) of 1 minute to a year, a time of day (``11:15``, ``5:15 pm``) or a time; a
    naive time is in ``zone``. TimeError naming the three forms otherwise."""
    value = text.strip()
    shown = value if len(value) <= 40 else value[:37] + "..."
    match = _PROMISE_DURATION.fullmatch(value)
    if match is not None and any(match.groups()):
        digits = [part or "0" for part in match.groups()]
        # whole minutes first, from at most 9 digits: a timedelta of too many days overflows
        days, hours, minutes = (int(part) if len(part) <= 9 else -1 for part in digits)
        total = (days * 24 + hours) * 60 + minutes
        if min(days, hours, minutes) < 0 or not 1 <= total <= MAX_PROMISE // timedelta(minutes=1):
            raise TimeError(
                f"'{shown}' is not a duration from 1m to 365d", "promise a time within a year"
            )
        return timedelta(minutes=total)
    clock = _TIME_OF_DAY.fullmatch(value)
    if clock is not None:
        hour, minute, half = int(clock[1]), int(clock[2]), (clock[3] or "").lower()
        if half:
            hour = hour % 12 + (12 if half == "p" else 0) if 1 <= hour <= 12 else 99
        if hour > 23 or minute > 59:
            raise TimeError(f"'{shown}' is not a time of day", PROMISE_HINT)
        return time(hour, minute)
    try:
        return parse_time(value, zone)
    except TimeError as error:
        message = error.message if len(value) <= 40 else f"'{shown}' is not a time"
        raise TimeError(message, PROMISE_HINT) from None


def promised_at(moment: datetime, promise: Promise, zone: tzinfo) -> datetime:
    """The time a promise made at ``moment`` names, in UTC: a duration's end rounded up to a
    whole minute; a time of day's next occurrence after ``moment`` in ``zone`` (where the
    clocks skip it, the first moment after the gap)."""
    if isinstance(promise, timedelta):
        end = moment.astimezone(UTC) + promise
        if end.second or end.microsecond:
            end = end.replace(second=0, microsecond=0) + timedelta(minutes=1)
        return end
    if isinstance(promise, datetime):
        return promise.astimezone(UTC)
    local = moment.astimezone(zone)
    for days in range(3):
        wall = datetime.combine(local.date() + timedelta(days=days), promise)
        candidate = wall.replace(tzinfo=zone).astimezone(UTC)
        if candidate > moment:
            return candidate
    raise AssertionError("a time of day comes within two days")  # pragma: no cover

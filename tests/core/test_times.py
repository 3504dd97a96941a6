"""The forms of time people write, and the time zone rules."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from generator.core.times import TIME_PATTERN, TimeError, format_utc, parse_time

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-20T09:30:00Z", datetime(2026, 11, 20, 9, 30, tzinfo=UTC)),
        ("2026-11-20t09:30:00z", datetime(2026, 11, 20, 9, 30, tzinfo=UTC)),
        ("2026-11-20T09:30Z", datetime(2026, 11, 20, 9, 30, tzinfo=UTC)),
        ("2026-11-20 09:30 UTC", datetime(2026, 11, 20, 9, 30, tzinfo=UTC)),
        ("2026-11-20T10:30:00+01:00", datetime(2026, 11, 20, 9, 30, tzinfo=UTC)),
        ("2026-11-20T04:30:00-0500", datetime(2026, 11, 20, 9, 30, tzinfo=UTC)),
        ("2026-11-20T14:30+05", datetime(2026, 11, 20, 9, 30, tzinfo=UTC)),
        ("2026-11-20T09:30:00.250Z", datetime(2026, 11, 20, 9, 30, 0, 250000, tzinfo=UTC)),
        # naive: in the site's time zone (CET in November)
        ("2026-11-20 10:30", datetime(2026, 11, 20, 9, 30, tzinfo=UTC)),
        ("2026-11-20T10:30", datetime(2026, 11, 20, 9, 30, tzinfo=UTC)),
        ("2026-11-20 10:30:15", datetime(2026, 11, 20, 9, 30, 15, tzinfo=UTC)),
        ("2026-09-03 14:00", datetime(2026, 9, 3, 12, 0, tzinfo=UTC)),  # CEST
        ("2026-11-20", datetime(2026, 11, 19, 23, 0, tzinfo=UTC)),
    ],
)
def test_accepted_forms(text: str, expected: datetime) -> None:
    parsed = parse_time(text, BERLIN)
    assert parsed.tzinfo is not None
    assert parsed == expected
    assert re.match(TIME_PATTERN, text), "the schema pattern must accept every loader form"


@pytest.mark.parametrize(
    "text", ["yesterday", "2026-11-20T9:30", "20261120T093000Z", "2026-11-20T09:30+25:00", "12:00"]
)
def test_refused_forms(text: str) -> None:
    with pytest.raises(TimeError) as raised:
        parse_time(text, BERLIN)
    assert raised.value.message in (
        f"'{text}' is not a time",
        f"'{text}' is not a valid date and time",
    )
    if raised.value.message.endswith("is not a time"):
        assert not re.match(TIME_PATTERN, text)


def test_impossible_dates_are_named() -> None:
    with pytest.raises(TimeError) as raised:
        parse_time("2026-02-30 10:00", BERLIN)
    assert raised.value.message == "'2026-02-30 10:00' is not a valid date and time"


def test_time_in_the_spring_forward_gap_asks_for_an_offset() -> None:
    with pytest.raises(TimeError) as raised:
        parse_time("2026-03-29 02:30", BERLIN)
    assert raised.value.message == (
        "2026-03-29 02:30 does not exist in Europe/Berlin (the clocks skip forward)"
    )
    assert raised.value.hint == "add an offset, for example 2026-03-29T03:30+02:00"


def test_time_in_the_autumn_fold_asks_for_an_offset() -> None:
    with pytest.raises(TimeError) as raised:
        parse_time("2026-10-25 02:30", BERLIN)
    assert raised.value.message == (
        "2026-10-25 02:30 happens twice in Europe/Berlin (the clocks go back)"
    )
    assert raised.value.hint == (
        "add an offset: 2026-10-25T02:30+02:00 for the first, 2026-10-25T02:30+01:00 for the second"
    )


def test_offsets_make_fold_times_unambiguous() -> None:
    first = parse_time("2026-10-25T02:30+02:00", BERLIN)
    second = parse_time("2026-10-25T02:30+01:00", BERLIN)
    assert second - first == timedelta(hours=1)


def test_format_utc_writes_whole_seconds_with_z() -> None:
    moment = datetime(2026, 11, 20, 10, 30, 15, 999, tzinfo=timezone(timedelta(hours=1)))
    assert format_utc(moment) == "2026-11-20T09:30:15Z"

"""lint writes times as the site's pages do: dates in the CLDR style of the site's default
language, lengths of time rounded as the pages round relative times."""

from __future__ import annotations

from datetime import timedelta

import pytest

from generator.language import words
from tests.conftest import Repo
from tests.lint.test_lint import findings, incident


def test_a_missed_promise_is_dated_as_the_page_dates_it_and_said_in_days(repo: Repo) -> None:
    text = incident(
        "Customers cannot sign in.",
        times=("2026-11-24T10:30:00Z",),
        next_updates=("2026-11-24T11:00:00Z",),
    )
    repo.incident("x", text)
    lines = repo.run("lint", "--now", "2026-12-06T03:18:00Z").stdout.splitlines()
    stale = next(line for line in lines if "warning[stale]" in line)
    assert "promised for Nov 24, 2026, 12:00\u202fPM CET, 11 days ago;" in stale


def test_dates_follow_the_site_default_language(repo: Repo) -> None:
    config = repo.root / "site_config.yml"
    config.write_text(config.read_text().replace("site:\n", "site:\n  language: de\n", 1))
    text = incident(
        "Kunden können sich nicht anmelden.",
        times=("2026-11-20T11:30:00Z",),
        next_updates=("2026-11-20T11:50:00Z",),
    )
    stale = next(line for line in findings(repo, text) if "warning[stale]" in line)
    assert "promised for 20.11.2026, 12:50 MEZ, 10 minutes ago;" in stale


@pytest.mark.parametrize(
    ("length", "said"),
    [
        (timedelta(minutes=1), "1 minute"),
        (timedelta(minutes=119), "119 minutes"),
        (timedelta(hours=2), "2 hours"),
        (timedelta(hours=47, minutes=59), "47 hours"),
        (timedelta(days=2), "2 days"),
        (timedelta(minutes=16818), "11 days"),
    ],
)
def test_lengths_are_minutes_under_two_hours_hours_under_two_days_then_days(
    length: timedelta, said: str
) -> None:
    assert words("en").span(length) == said
    assert words("en").ago(length) == f"{said} ago"

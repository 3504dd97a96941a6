"""'Next update by 5:01 AM CET' when the promise falls on the day the page stands at (in the
site's time zone); the date stays when it is another day. The browser adds "(in 25 minutes)"
from ``data-sg="next"``."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from generator.language import words
from tests.conftest import Repo

BERLIN = ZoneInfo("Europe/Berlin")


def promise(at: str, next_update: str) -> str:
    return (
        "title: Some customers cannot sign in\nimpact: major\ncomponents:\n  auth: partial_outage\n"
        f"updates:\n  - at: {at}\n    status: investigating\n"
        f"    message: Some customers cannot sign in.\n    next_update: {next_update}\n"
    )


def front_page(repo: Repo, now: str) -> str:
    result = repo.run("build", "--now", now)
    assert result.exit_code == 0, result.output
    return (repo.root / "site" / "index.html").read_text(encoding="utf-8")


def test_a_promise_for_today_is_a_time_of_day(repo: Repo) -> None:
    repo.incident("x", promise("2026-12-06T03:30:00Z", "2026-12-06T04:01:00Z"))
    index = front_page(repo, "2026-12-06T03:36:00Z")
    assert (
        'Next update by <time datetime="2026-12-06T04:01:00Z" data-sg="next">'
        "5:01\u202fAM CET</time></p>"
    ) in index


def test_a_promise_for_another_day_keeps_its_date(repo: Repo) -> None:
    repo.incident("x", promise("2026-12-06T22:30:00Z", "2026-12-06T23:15:00Z"))
    index = front_page(repo, "2026-12-06T22:40:00Z")  # 23:40 CET; the promise is at 00:15
    assert ">Dec 7, 2026, 12:15\u202fAM CET</time></p>" in index


def test_today_is_the_day_in_the_site_time_zone() -> None:
    said = words("en")
    now = datetime(2026, 12, 6, 4, 30, tzinfo=UTC)  # Dec 6 in Berlin, Dec 5 in New York
    due = datetime(2026, 12, 6, 5, 30, tzinfo=UTC)  # Dec 6 in both
    assert said.when(due, BERLIN, now) == "6:30\u202fAM CET"
    assert said.when(due, ZoneInfo("America/New_York"), now) == "Dec 6, 2026, 12:30\u202fAM EST"
    assert said.when(due, BERLIN) == "Dec 6, 2026, 6:30\u202fAM CET"
    assert words("de").when(due, BERLIN, now) == "06:30 MEZ"

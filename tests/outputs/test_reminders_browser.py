"""A maintenance still to come says "Starts in 3 hours" in the browser (Chromium, with
Playwright's clock), on the front page and its own page, in every shipped language; nothing of
it once the window has opened, and nothing without JavaScript, where the window says when."""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from datetime import timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from generator.language import words
from tests.browser import axe_violations
from tests.conftest import CONFIG, Repo
from tests.outputs.test_freshness import MAINTENANCE  # Wednesday 25 November, 02:00 in Berlin
from tests.outputs.test_live_browser import open_at, served

BUILT = "2026-11-24T10:30:00Z"
#: Three hours before the window.
BEFORE = "2026-11-24T22:00:00Z"
INCIDENT = "incidents/upgrade/"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with pytest.MonkeyPatch.context() as monkeypatch:
        repo = Repo(tmp_path_factory.mktemp("starts"), monkeypatch)
        repo.config(CONFIG.replace("  timezone:", "  languages: [en, de]\n  timezone:"))
        repo.incident("upgrade", MAINTENANCE)
        result = repo.run("build", "--now", BUILT, "--out", "out")
        assert result.exit_code == 0, result.output
        with served(repo.root / "out") as (url, _):
            yield url


def starts(page: Page) -> list[str]:
    """The "Starts in ..." lines a reader sees."""
    return page.locator(".sg-starts:visible").all_inner_texts()


def test_the_page_says_how_soon_the_window_opens(browser: Browser, site: str) -> None:
    front = open_at(browser, site, BEFORE)
    expect(front.locator(".sg-card:visible .sg-starts")).to_have_text("Starts in 3 hours")
    assert starts(front) == ["Starts in 3 hours"]
    assert axe_violations(front) == []
    front.clock.fast_forward("02:30:00")  # 00:30 UTC: half an hour before
    expect(front.locator(".sg-card:visible .sg-starts")).to_have_text("Starts in 30 minutes")
    front.context.close()

    own = open_at(browser, site + INCIDENT, BEFORE)
    expect(own.locator(".sg-summary:visible .sg-starts")).to_have_text("Starts in 3 hours")
    assert axe_violations(own) == []
    own.context.close()


@pytest.mark.parametrize(
    ("at", "soon"),
    [
        ("2026-11-24T22:10:00Z", timedelta(hours=2, minutes=50)),
        ("2026-11-24T23:15:00Z", timedelta(hours=1, minutes=45)),
        ("2026-11-22T12:00:00Z", timedelta(days=2, hours=13)),
    ],
)
def test_the_page_and_the_reminder_say_as_soon(
    browser: Browser, site: str, at: str, soon: timedelta
) -> None:
    """The page rounds as the reminder's message does: at 2 h 50 min both say "in 3
    hours", not the page "in 2 hours" beside an e-mail's "in 3 hours"."""
    page = open_at(browser, site, at)
    said = words("en").within(soon)
    expect(page.locator(".sg-card:visible .sg-starts")).to_have_text(f"Starts {said}")
    page.context.close()


def test_the_page_says_it_in_its_language(browser: Browser, site: str) -> None:
    german = open_at(browser, site + "de/", BEFORE)
    expect(german.locator(".sg-card:visible .sg-starts")).to_have_text("Beginnt in 3 Stunden")
    german.context.close()


def test_nothing_of_it_once_the_window_has_opened(browser: Browser, site: str) -> None:
    page = open_at(browser, site, "2026-11-25T00:59:00Z")
    expect(page.locator(".sg-card:visible .sg-starts")).to_have_text("Starts in 1 minute")
    page.clock.fast_forward("01:00")  # the window opens while the page is open
    expect(page.get_by_role("heading", name="Maintenance in progress")).to_be_visible()
    assert starts(page) == []
    page.context.close()
    for at in ("2026-11-25T01:30:00Z", "2026-11-25T02:30:00Z"):
        for path in ("", INCIDENT):
            later = open_at(browser, site + path, at)
            later.wait_for_timeout(300)
            assert starts(later) == [], (at, path)
            assert "Starts" not in later.locator("main").inner_text()
            later.context.close()


def test_without_javascript_the_window_says_when(browser: Browser, site: str) -> None:
    for path in ("", INCIDENT):
        page = open_at(browser, site + path, BEFORE, javascript=False)
        assert starts(page) == []
        assert "Starts" not in page.locator("main").inner_text()
        main = page.locator("main").inner_text()
        assert "Nov 25, 2026, 2:00\u202fAM CET" in main
        page.context.close()


def test_the_line_is_built_hidden_with_the_start(site: str) -> None:
    """What the script reads: a hidden line whose time carries the start."""
    with urllib.request.urlopen(site) as response:
        html = response.read().decode()
    assert (
        '<p class="sg-starts" hidden>Starts <time datetime="2026-11-25T01:00:00Z" '
        'data-sg="in">' in html
    )


def test_showing_the_line_moves_nothing_below(browser: Browser, site: str) -> None:
    """The line keeps its place while hidden: what follows stands where it stands without
    the script (no layout shift when the script fills it in)."""
    for path, below in (("", ".sg-card:visible .sg-scope"), (INCIDENT, ".sg-summary:visible dl")):
        tops = []
        for javascript in (True, False):
            page = open_at(browser, site + path, BEFORE, javascript=javascript)
            page.set_viewport_size({"width": 390, "height": 844})
            box = page.locator(below).bounding_box()
            assert box is not None
            tops.append(box["y"])
            page.context.close()
        assert tops[0] == tops[1], path


#: What the line says three hours before the window, in every shipped language: the
#: catalog's sentence around the browser's own words for "in 3 hours".
IN_THREE_HOURS = {
    "en": "Starts in 3 hours",
    "de": "Beginnt in 3 Stunden",
    "fr": "Commence dans 3 heures",
    "es": "Comienza dentro de 3 horas",
    "pt-BR": "Começa em 3 horas",
    "it": "Inizia tra 3 ore",
    "nl": "Begint over 3 uur",
    "ja": "3時間後に開始",
    "zh-Hans": "3小时后开始",
    "ar": "تبدأ خلال 3 ساعات",
}


@pytest.fixture(scope="module")
def every_language(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with pytest.MonkeyPatch.context() as monkeypatch:
        repo = Repo(tmp_path_factory.mktemp("starts-everywhere"), monkeypatch)
        shipped = ", ".join(IN_THREE_HOURS)
        repo.config(CONFIG.replace("  timezone:", f"  languages: [{shipped}]\n  timezone:"))
        repo.incident("upgrade", MAINTENANCE)
        result = repo.run("build", "--now", BUILT, "--out", "out")
        assert result.exit_code == 0, result.output
        with served(repo.root / "out") as (url, _):
            yield url


@pytest.mark.parametrize("code", list(IN_THREE_HOURS))
def test_every_language_says_how_soon(browser: Browser, every_language: str, code: str) -> None:
    prefix = "" if code == "en" else f"{code}/"
    for path in ("", INCIDENT):
        page = open_at(browser, every_language + prefix + path, BEFORE)
        shown = page.locator(".sg-card:visible .sg-starts, .sg-summary:visible .sg-starts")
        expect(shown).to_have_text(IN_THREE_HOURS[code])
        page.context.close()

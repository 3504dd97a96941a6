"""The example site in a real browser: Debian's Chromium, driven by Playwright, with axe-core."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from benchmarks.weight import TARGET_BYTES, weigh
from tests.browser import AXE, axe_violations, new_page, serve
from tests.example import REFERENCE, build_example


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = build_example(tmp_path_factory.mktemp("example") / "site")
    with serve(site) as url:
        yield url


def open_page(
    browser: Browser,
    url: str,
    *,
    scheme: str = "light",
    javascript: bool = True,
    at: str = REFERENCE,
    width: int = 1280,
) -> Page:
    page = new_page(browser, scheme=scheme, javascript=javascript, at=at, width=width)
    page.goto(url)
    return page


def test_the_front_page_tells_the_status_without_javascript(
    browser: Browser, base_url: str
) -> None:
    page = open_page(browser, base_url, javascript=False)
    assert page.locator(".sg-banner h1").inner_text() == "Partial System Outage"
    card = page.locator("#sg-active ~ .sg-card").first
    assert card.locator("h3").inner_text() == (
        "Some customers in the EU cannot sign in with single sign-on"
    )
    assert card.is_visible()
    text = card.inner_text()
    assert "Affected: Sign-in (partial outage), Dashboard (degraded performance)" in text
    assert "Where: EU" in text
    assert "Next update by 12:00\u202fPM CET" in text  # today: the time alone
    assert "Sign in with your email and password instead" in text
    assert "(overdue)" not in text and "ago)" not in text  # those need the script
    assert page.get_by_text("Upcoming maintenance").is_visible()
    page.context.close()


def test_relative_times_and_overdue_promises_come_from_the_browser(
    browser: Browser, base_url: str
) -> None:
    """The build renders the promise before and after its time; the browser shows the one
    that holds now (and writes relative times)."""
    page = open_page(browser, base_url)
    card = page.locator(".sg-card:visible").first
    assert "Since Nov 24, 2026, 10:52\u202fAM CET (38 minutes ago)" in card.inner_text()
    assert "Next update by 12:00\u202fPM CET (in 30 minutes)" in card.inner_text()
    assert "(overdue)" not in card.inner_text()
    page.context.close()
    late = open_page(browser, base_url, at="2026-11-24T11:30:00Z")
    next_update = late.locator(".sg-card .sg-next:visible").first
    assert next_update.inner_text() == "Next update by 12:00\u202fPM CET (overdue)"
    assert "sg-overdue" in (next_update.get_attribute("class") or "")
    late.context.close()


def test_each_uptime_bar_tells_its_incidents_on_hover_and_focus(
    browser: Browser, base_url: str
) -> None:
    page = open_page(browser, base_url)
    link = page.locator(".sg-bars a").first
    tip = link.locator(".sg-tip")
    assert (tip.bounding_box() or {"width": 0})["width"] <= 1  # hidden until asked
    link.focus()
    box = tip.bounding_box()
    assert box is not None and box["width"] > 100
    assert tip.inner_text() == (
        "Nov 18, 2026: partial outage. Some API requests fail for customers in the US"
    )
    page.mouse.move(0, 0)
    page.context.close()


def test_the_dark_mode_toggle_switches_the_palette(browser: Browser, base_url: str) -> None:
    page = open_page(browser, base_url)
    body = page.locator("body")
    assert body.get_attribute("data-md-color-scheme") == "default"
    page.get_by_title("Switch to dark mode").click()
    assert body.get_attribute("data-md-color-scheme") == "slate"
    page.reload()
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    page.get_by_title("Switch to light mode").click()
    assert body.get_attribute("data-md-color-scheme") == "default"
    page.context.close()


def test_no_request_leaves_the_site(browser: Browser, base_url: str) -> None:
    page = open_page(browser, "about:blank")
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    for path in ("", "incidents/2026-10-06-sign-in-fails-for-everyone/", "history/"):
        page.goto(base_url + path)
        page.wait_for_load_state("networkidle")
    assert requests
    assert [url for url in requests if not url.startswith(base_url)] == []
    page.context.close()


PAGES = [
    "",
    "incidents/2026-11-24-single-sign-on-fails-in-the-eu/",
    "incidents/2026-10-06-sign-in-fails-for-everyone/",
    "incidents/2026-11-20-dashboard-maintenance/",
    "history/",
    "history/2026/10/",
    "components/auth/",
    "404.html",
]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_violations(browser: Browser, base_url: str, path: str, scheme: str) -> None:
    page = open_page(browser, base_url + path, scheme=scheme)
    expected = "slate" if scheme == "dark" else "default"
    assert page.locator("body").get_attribute("data-md-color-scheme") == expected
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=2)
    page.context.close()


def test_the_phone_layout_has_no_horizontal_scroll(browser: Browser, base_url: str) -> None:
    page = open_page(browser, base_url, width=360)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    visible = page.locator(".sg-bars").first.locator("li:visible").count()
    assert visible == 30  # the last 30 days on a phone
    page.context.close()


def test_axe_script_is_installed() -> None:
    assert AXE.is_file(), "run tests/run: it installs axe-core with npm"
    assert Path(AXE).stat().st_size > 100_000


def test_the_front_page_weighs_under_70_kb_on_first_view(browser: Browser, base_url: str) -> None:
    loaded, elsewhere = weigh(browser, base_url)
    assert elsewhere == []
    urls = [item.url for item in loaded]
    assert len(urls) == len(set(urls)), "a file was loaded twice"
    assert "/sitemap.xml" not in urls  # material fetches it for each link[rel=alternate]
    assert {item.url for item in loaded} >= {"/", "/assets/javascripts/statusgen.js"}
    assert "/assets/stylesheets/statusgen.css" not in urls  # in the page
    assert sum(item.gzipped for item in loaded) < TARGET_BYTES

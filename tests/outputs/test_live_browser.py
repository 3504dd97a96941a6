"""A built site read in Chromium at other moments than its build (Playwright's clock): it
shows what a build made at that moment shows, says how current it is, warns when stale,
and tells an open tab of news from live.json, without a request while hidden (SPEC:
Freshness and publishing)."""

from __future__ import annotations

import functools
import gzip
import http.server
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser import axe_violations
from tests.conftest import CONFIG, Repo
from tests.example import REFERENCE as NOW
from tests.example import ROOT
from tests.outputs.test_freshness import MAINTENANCE  # the same window, read in Chromium
from tests.peers import serving

CONFIG_LIVE = CONFIG.replace(
    "  timezone:", "  refresh: 15m\n  support_url: https://acme.example/help\n  timezone:"
)

OPEN = """\
title: Some customers cannot sign in
impact: major
components: {auth: partial_outage}
updates:
  - at: 2026-11-24T10:04:00Z
    status: identified
    message: Some customers cannot sign in. We are rolling back a change.
    next_update: 2026-11-24T11:00:00Z
"""

#: Moments the page passes through: before the promise, after it (overdue), in the
#: maintenance window, after the window.
MOMENTS = [
    "2026-11-24T10:45:00Z",
    "2026-11-24T11:30:00Z",
    "2026-11-25T01:30:00Z",
    "2026-11-25T02:30:00Z",
]


def write_site(repo: Repo) -> Repo:
    repo.config(CONFIG_LIVE)
    repo.incident("2026-11-24-sign-in", OPEN)
    repo.incident("2026-11-20-upgrade", MAINTENANCE)
    return repo


@pytest.fixture
def site(repo: Repo) -> Repo:
    return write_site(repo)


def build(repo: Repo, out: str, now: str = NOW) -> Path:
    result = repo.run("build", "--now", now, "--out", out)
    assert result.exit_code == 0, result.output
    return repo.root / out


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The site built at NOW and at each of MOMENTS, once for the tests that only read them."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        repo = write_site(Repo(tmp_path_factory.mktemp("live"), monkeypatch))
        moments = [NOW, *MOMENTS]
        return {moment: build(repo, f"at-{n}", moment) for n, moment in enumerate(moments)}


class _Logged(http.server.SimpleHTTPRequestHandler):
    """Serves a folder, keeping each request's path and status (with If-Modified-Since,
    an unchanged file is answered 304, as a CDN revalidates)."""

    log: list[tuple[str, int]]

    def log_request(self, code: Any = "-", size: Any = "-") -> None:
        self.log.append((self.path.split("?")[0], int(code)))

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def served(folder: Path) -> Iterator[tuple[str, list[tuple[str, int]]]]:
    """The site in ``folder`` over HTTP on loopback, and the log of requests."""
    log: list[tuple[str, int]] = []
    handler = type("Handler", (_Logged,), {"log": log})
    with serving(functools.partial(handler, directory=str(folder))) as port:
        yield f"http://127.0.0.1:{port}/", log


def replace_site(folder: Path, build: Path) -> None:
    """What a deploy does to the host: the new build's files in place of the old ones, each
    replaced whole (a request never reads a file half-copied). A changed file is dated at
    least a second after the one it replaces, as Last-Modified counts whole seconds: two
    deploys within one second must not look unchanged to a revalidating browser."""
    for source in sorted(build.rglob("*")):
        if not source.is_file():
            continue
        target = folder / source.relative_to(build)
        data = source.read_bytes()
        if target.is_file() and target.read_bytes() == data:
            continue  # unchanged: its date too, so that it is answered 304
        after = target.stat().st_mtime + 1 if target.is_file() else 0.0
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.new")
        temporary.write_bytes(data)
        moment = max(time.time(), after)
        os.utime(temporary, (moment, moment))
        temporary.replace(target)


def open_at(browser: Browser, url: str, at: str, *, javascript: bool = True) -> Page:
    """``url`` in a new tab whose clock reads ``at`` (and keeps running from there)."""
    page = browser.new_context(java_script_enabled=javascript).new_page()
    if javascript:
        page.clock.install(time=at)
    page.goto(url)
    return page


def seen(page: Page) -> dict[str, Any]:
    """What a reader sees of the time-dependent parts of a page."""
    return {
        "banner": page.locator(".sg-banner:visible h1").all_inner_texts(),
        "sections": page.locator("h2:visible").all_inner_texts(),
        "badges": page.locator(".sg-components .sg-badge:visible").all_inner_texts(),
        "labels": page.locator(".sg-card:visible .sg-label").all_inner_texts(),
        "next": page.locator(".sg-card:visible .sg-next").evaluate_all(AS_BUILT),
        "summary": page.locator(".sg-summary:visible .sg-meta").all_inner_texts(),
        "facts": page.locator(".sg-summary:visible dd.sg-next").evaluate_all(AS_BUILT),
    }  # fmt: skip


#: The texts of elements as the build wrote them: without the relative times the browser
#: adds ("(in 15 minutes)"), which a page seen without the script cannot have.
AS_BUILT = """elements => elements.map(element => {
    const copy = element.cloneNode(true);
    copy.querySelectorAll(".sg-rel").forEach(added => added.remove());
    return copy.textContent.trim();
})"""


PAGES = [
    "",
    "incidents/2026-11-20-upgrade/",
    "incidents/2026-11-24-sign-in/",
    "components/dashboard/",
]


@pytest.mark.parametrize("path", PAGES)
def test_at_each_moment_the_page_shows_what_a_build_then_would(
    builds: dict[str, Path], browser: Browser, path: str
) -> None:
    """The rules are in the model: the browser only picks the variant the build made for
    the moment, which equals what a build made at that moment shows without JavaScript."""
    for moment in MOMENTS:
        with served(builds[NOW]) as (url, _), served(builds[moment]) as (then_url, _):
            live = open_at(browser, url + path, moment)
            expected = open_at(browser, then_url + path, moment, javascript=False)
            assert seen(live) == seen(expected), moment
            live.context.close()
            expected.context.close()


def test_the_front_page_passes_through_each_state_of_the_window(
    builds: dict[str, Path], browser: Browser
) -> None:
    with served(builds[NOW]) as (url, _):
        states = []
        for moment in [NOW, *MOMENTS]:
            page = open_at(browser, url, moment)
            states.append(seen(page))
            page.context.close()
    assert [s["banner"] for s in states] == [["Partial System Outage"]] * 5
    maintenance = [s["sections"] for s in states]
    assert "Upcoming maintenance" in maintenance[0]
    assert "Maintenance in progress" in maintenance[3]
    assert "Upcoming maintenance" not in maintenance[3]
    assert "Maintenance in progress" not in maintenance[4]
    assert "Under maintenance" in states[3]["badges"]
    assert "Under maintenance" not in states[4]["badges"]
    assert states[1]["next"] == ["Next update by 12:00\u202fPM CET"]
    assert states[2]["next"] == ["Next update by 12:00\u202fPM CET (overdue)"]


def test_the_page_says_when_it_was_checked_and_warns_once_stale(
    builds: dict[str, Path], browser: Browser
) -> None:
    with served(builds[NOW]) as (url, _):
        fresh = open_at(browser, url, "2026-11-24T11:29:00Z")
        expect(fresh.locator(".sg-checked")).to_have_text("Checked 59 minutes ago")
        expect(fresh.locator(".sg-stale")).to_be_hidden()
        fresh.context.close()
        stale = open_at(browser, url + "components/api/", "2026-11-24T11:31:00Z")
        warning = stale.locator(".sg-stale")
        expect(warning).to_be_visible()  # 4 x 15 minutes: an hour, and a minute more
        expect(warning).to_contain_text(
            "This page may not be current: it was last checked 1 hour ago."
        )
        expect(warning.get_by_role("link", name="Contact support")).to_have_attribute(
            "href", "https://acme.example/help"
        )
        assert axe_violations(stale) == []
        stale.context.close()
        quiet = open_at(browser, url, "2026-11-24T11:31:00Z", javascript=False)
        expect(quiet.locator(".sg-stale")).to_be_hidden()  # without the script: as built
        expect(quiet.locator(".sg-checked")).to_be_hidden()
        quiet.context.close()


#: Hide the tab (true) or show it again (false), as switching tabs does; it is then not in
#: focus either (another window in front).
VISIBILITY = """(hidden) => {
  const define = (name, value) =>
    Object.defineProperty(document, name, {value, configurable: true});
  define("hidden", hidden);
  define("visibilityState", hidden ? "hidden" : "visible");
  document.hasFocus = () => false;
  document.dispatchEvent(new Event("visibilitychange"));
}"""


def live_requests(log: list[tuple[str, int]]) -> list[int]:
    return [status for path, status in log if path.endswith("/live.json")]


def poll(page: Page) -> None:
    """Run the tab's clock past its next poll of live.json, and wait for the answer: on a
    busy machine the answer can come after the next poll is due."""
    with page.expect_response(lambda response: "/live.json" in response.url):
        page.clock.run_for("01:01")


def test_an_open_tab_learns_of_news_within_two_polls(site: Repo, browser: Browser) -> None:
    host = site.root / "host"
    replace_site(host, build(site, "first"))
    with served(host) as (url, log):
        page = open_at(browser, url, "2026-11-24T10:31:00Z")
        notice = page.locator(".sg-news p")
        expect(notice).to_be_hidden()
        poll(page)
        page.wait_for_timeout(300)
        # a rebuild that changed nothing: no news; the page was checked again
        replace_site(host, build(site, "rebuilt", "2026-11-24T10:32:00Z"))
        poll(page)
        poll(page)
        page.wait_for_timeout(300)
        expect(notice).to_be_hidden()
        expect(page.locator(".sg-checked")).to_have_text("Checked 2 minutes ago")
        statuses = live_requests(log)
        assert len(statuses) >= 3 and 304 in statuses  # revalidated, not downloaded again
        # a new update is deployed
        site.incident(
            "2026-11-24-sign-in",
            OPEN + "  - {at: 2026-11-24T10:33:00Z, message: The rollback is done.}\n",
        )
        replace_site(host, build(site, "news", "2026-11-24T10:34:00Z"))
        poll(page)
        poll(page)
        expect(notice).to_be_visible(timeout=15_000)  # a busy machine answers late
        expect(notice).to_contain_text("There is news since you opened this page.")
        assert axe_violations(page) == []
        before = len(live_requests(log))
        page.evaluate("window.sgStillHere = true")
        page.clock.run_for("05:00")  # the notice stays; nothing reloads by itself
        page.wait_for_timeout(300)
        expect(notice).to_be_visible()
        assert page.evaluate("window.sgStillHere") is True
        assert len(live_requests(log)) > before
        with page.expect_navigation():
            notice.get_by_role("button", name="Show it").click()
        assert "The rollback is done." in page.content()
        page.context.close()


def test_no_request_while_the_tab_is_hidden_and_its_title_marks_the_news(
    site: Repo, browser: Browser
) -> None:
    host = site.root / "host"
    replace_site(host, build(site, "first"))
    with served(host) as (url, log):
        page = open_at(browser, url, "2026-11-24T10:31:00Z")
        page.wait_for_timeout(300)
        title = page.title()
        page.evaluate(VISIBILITY, True)
        before = len(live_requests(log))
        site.incident("2026-11-24-sign-in", OPEN.replace("rolling back", "reverting"))
        replace_site(host, build(site, "news"))
        page.clock.run_for("10:00")
        page.wait_for_timeout(500)
        assert len(live_requests(log)) == before
        assert page.title() == title
        page.evaluate(VISIBILITY, False)
        expect(page.locator(".sg-news p")).to_be_visible()
        assert len(live_requests(log)) == before + 1
        # visible but not in focus (another window in front): the title says so
        expect(page).to_have_title("\u25cf " + title)
        page.evaluate("window.dispatchEvent(new Event('focus'))")
        expect(page).to_have_title(title)
        page.context.close()


def test_an_incident_page_from_a_stale_cache_learns_of_its_own_news(
    site: Repo, browser: Browser
) -> None:
    """A page whose own copy is old (a CDN's, a browser's) but whose live.json is new:
    its incident's latest update is newer than the one it shows."""
    host = site.root / "host"
    replace_site(host, build(site, "first"))
    site.incident(
        "2026-11-24-sign-in", OPEN + "  - {at: 2026-11-24T10:33:00Z, message: Fixed soon.}\n"
    )
    newer = build(site, "news", "2026-11-24T10:34:00Z")
    shutil.copy(newer / "live.json", host / "live.json")
    with served(host) as (url, _):
        page = open_at(browser, url + "incidents/2026-11-24-sign-in/", "2026-11-24T10:35:00Z")
        expect(page.locator(".sg-news p")).to_be_visible()
        page.context.close()
        other = open_at(browser, url + "incidents/2026-11-20-upgrade/", "2026-11-24T10:35:00Z")
        other.wait_for_timeout(500)
        expect(other.locator(".sg-news p")).to_be_hidden()  # not its news
        other.context.close()


def test_the_script_stays_under_3_kb_gzipped() -> None:
    script = (ROOT / "theme/assets/javascripts/statusgen.js").read_bytes()
    assert len(gzip.compress(script, 9)) <= 3 * 1024

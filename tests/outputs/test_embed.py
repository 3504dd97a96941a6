"""embed.js in Chromium, from a page on another origin, and embed/index.html for iframes.

The site is served as GitHub Pages serves it (Access-Control-Allow-Origin: *); the host
page, the customer's product, on another port: another origin."""

from __future__ import annotations

import gzip
import http.server
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from generator.core.vocabulary import INCIDENT_STATUSES, MAINTENANCE_STATUSES
from generator.outputs.embed import _JS
from tests.browser import axe_violations, chromium, serve
from tests.example import REFERENCE, build_example
from tests.peers import serving

#: The example at a moment when nothing is open or in progress.
QUIET = "2026-11-20T12:00:00Z"
SSO = "Some customers in the EU cannot sign in with single sign-on"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as running:
        yield running


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The example during its incident, and when all is well, each on its own origin."""
    during = build_example(tmp_path_factory.mktemp("during") / "site")
    quiet = build_example(tmp_path_factory.mktemp("quiet") / "site", now=QUIET)
    with serve(during, shared=True) as during_url, serve(quiet, shared=True) as quiet_url:
        yield {"during": during_url, "quiet": quiet_url}


def host_page(tmp: Path, site: str, extra: str = "", script: str = "embed.js") -> Path:
    folder = tmp / "product"
    folder.mkdir(exist_ok=True)
    (folder / "index.html").write_text(
        "<!doctype html><html lang='en'><head><title>Acme dashboard</title>"
        "<link rel='icon' href='data:,'>"
        "<style>div{color:red !important;font-size:40px}button{display:none}</style></head>"
        "<body><main><h1>Your dashboard</h1></main>"
        f"<script src='{site}{script}' async {extra}></script></body></html>"
    )
    return folder


@contextmanager
def product(browser: Browser, tmp: Path, site: str, script: str = "embed.js") -> Iterator[Page]:
    """The customer's product, on its own origin, including the site's embed.js; no
    console error may happen while it is open."""
    errors: list[str] = []
    with serve(host_page(tmp, site, script=script)) as url:
        page = browser.new_context().new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.clock.set_fixed_time(REFERENCE)
        page.goto(url)
        yield page
        assert errors == []


BANNER = "div >> css=[role=status]"


def test_the_script_is_small_and_standalone(sites: dict[str, str], tmp_path: Path) -> None:
    site = Path(build_example(tmp_path / "site"))
    script = (site / "embed.js").read_bytes()
    assert len(gzip.compress(script, 9)) <= 3 * 1024
    assert b"import" not in script and b"document.cookie" not in script


def test_a_banner_shows_during_an_incident_and_closes(
    browser: Browser, sites: dict[str, str], tmp_path: Path
) -> None:
    with product(browser, tmp_path, sites["during"]) as page:
        banner = page.locator(BANNER)
        banner.wait_for()
        assert banner.get_attribute("aria-live") == "polite"
        link = banner.locator("a")
        assert link.inner_text() == SSO
        assert link.get_attribute("href") == (  # the incident page, beside the script
            sites["during"] + "incidents/2026-11-24-single-sign-on-fails-in-the-eu/"
        )
        assert banner.inner_text().startswith("Identified: ")
        assert banner.evaluate("e => getComputedStyle(e).color") == "rgb(255, 255, 255)"
        close = banner.get_by_role("button", name="Dismiss this notice")
        assert close.is_visible()  # the host page's CSS does not reach into the banner
        close.click()
        assert banner.count() == 0
        page.reload()
        page.wait_for_timeout(500)
        assert page.locator(BANNER).count() == 0  # dismissed stays dismissed
        assert page.context.cookies() == []
        assert page.evaluate("document.cookie") == ""


def test_the_script_decides_nothing_by_a_status_string() -> None:
    """Which maintenance it shows is the status rules', passed in with its words."""
    for status in (*INCIDENT_STATUSES, *MAINTENANCE_STATUSES):
        assert f'"{status}"' not in _JS, status


def test_a_maintenance_in_progress_shows_once_the_incident_is_dismissed(
    browser: Browser, tmp_path: Path
) -> None:
    # the example's dashboard maintenance, still "scheduled" in its file, in its window
    site = build_example(tmp_path / "site", now="2026-12-02T01:30:00Z")
    with serve(site, shared=True) as url, product(browser, tmp_path, url) as page:
        banner = page.locator(BANNER)
        banner.locator("a").wait_for()
        assert banner.inner_text().startswith(f"Identified: {SSO}")
        banner.get_by_role("button", name="Dismiss this notice").click()
        page.reload()
        page.locator(BANNER).locator("a").wait_for()
        assert (
            page.locator(BANNER)
            .inner_text()
            .startswith("In progress: Planned maintenance: the dashboard is read-only")
        )


def test_the_german_script_speaks_german_and_links_the_german_page(
    browser: Browser, sites: dict[str, str], tmp_path: Path
) -> None:
    with product(browser, tmp_path, sites["during"], "de/embed.js") as page:
        banner = page.locator(BANNER)
        banner.locator("a").wait_for()
        assert banner.inner_text().startswith("Ursache gefunden: Einige Kunden in der EU")
        assert banner.locator("a").get_attribute("href") == (
            sites["during"] + "de/incidents/2026-11-24-single-sign-on-fails-in-the-eu/"
        )
        assert banner.get_by_role("button", name="Hinweis schließen").is_visible()


def test_escape_closes_it_from_the_keyboard(
    browser: Browser, sites: dict[str, str], tmp_path: Path
) -> None:
    with product(browser, tmp_path, sites["during"]) as page:
        page.locator(BANNER).locator("a").wait_for()
        page.keyboard.press("Tab")  # the banner's link, then its button
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => document.activeElement.shadowRoot?.activeElement?.getAttribute('aria-label')"
        )
        assert focused == "Dismiss this notice"
        page.keyboard.press("Escape")
        assert page.locator(BANNER).count() == 0


def test_nothing_shows_when_all_is_well(
    browser: Browser, sites: dict[str, str], tmp_path: Path
) -> None:
    with product(browser, tmp_path, sites["quiet"]) as page:
        page.wait_for_load_state("networkidle")
        assert page.locator(BANNER).count() == 0
        summary = json.loads(page.evaluate(f"fetch('{sites['quiet']}api/v2/summary.json')"
                                           ".then(r => r.text())"))  # fmt: skip
        assert summary["incidents"] == []


def test_the_iframe_page_tells_the_status_without_script(
    browser: Browser, sites: dict[str, str], tmp_path: Path
) -> None:
    folder = tmp_path / "help"
    folder.mkdir()
    (folder / "index.html").write_text(
        "<!doctype html><html lang='en'><head><title>Help centre</title>"
        "<link rel='icon' href='data:,'></head><body><main>"
        f"<iframe title='Acme Cloud status' src='{sites['during']}embed/'></iframe>"
        "</main></body></html>"
    )
    with serve(folder) as help_centre:
        context = browser.new_context(java_script_enabled=False)
        page = context.new_page()
        page.goto(help_centre)
        frame = page.frame_locator("iframe")
        assert "Partial System Outage" in frame.locator(".overall").inner_text()
        assert frame.get_by_role("link", name=SSO).get_attribute("target") == "_blank"
        context.close()
    context = browser.new_context()
    page = context.new_page()
    page.goto(sites["during"] + "embed/")
    assert [v["id"] for v in axe_violations(page)] == []
    context.close()


def test_the_iframe_page_writes_a_status_after_a_colon_as_the_language_does(
    tmp_path: Path,
) -> None:
    # French goes on with a small letter after its colon (and its no-break space)
    site = build_example(tmp_path / "site", languages=["en", "fr"])
    page = (site / "fr" / "embed" / "index.html").read_text(encoding="utf-8")
    assert "</a>\u00a0: <strong>panne partielle des systèmes</strong></h1>" in page
    assert "</a>\u00a0: cause identifiée, depuis le <time" in page
    assert "<title>Acme Cloud Status\u00a0: panne partielle des systèmes</title>" in page


# where a host page puts the script ----------------------------------------------------------

#: How long the host page holds back its body: the script arrives and runs in the meantime,
#: as it does in a page that is slow to send (or long) with the script in its head.
HELD = 0.8


@contextmanager
def slow_host(head: str, body: str) -> Iterator[str]:
    """A host page on its own loopback origin, sent in two parts: up to ``</head>``, then,
    ``HELD`` seconds later, the body."""

    class Host(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path != "/":
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(
                "<!doctype html><html lang='en'><head><title>Acme dashboard</title>"
                f"<link rel='icon' href='data:,'>{head}</head>".encode()
            )
            self.wfile.flush()
            time.sleep(HELD)
            self.wfile.write(
                f"<body><main><h1>Your dashboard</h1></main>{body}</body></html>".encode()
            )

        def log_message(self, format: str, *args: Any) -> None:
            pass

    with serving(Host) as port:
        yield f"http://127.0.0.1:{port}/"


def errors_and_banner(browser: Browser, head: str, body: str = "") -> tuple[list[str], str]:
    """Open a host page; what went wrong in it, and the banner's text ("" for none)."""
    errors: list[str] = []
    with slow_host(head, body) as url:
        context = browser.new_context()
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.clock.set_fixed_time(REFERENCE)
        page.goto(url, wait_until="load")
        banner = page.locator(BANNER)
        try:
            banner.locator("a").wait_for(timeout=3000)
        except PlaywrightTimeout:
            page.wait_for_timeout(300)
        text = banner.inner_text() if banner.count() else ""
        context.close()
    return errors, text


@pytest.mark.parametrize(
    ("head", "body"),
    [
        ("<script async src='{site}embed.js'></script>", ""),  # as SPEC shows it, in the head
        ("<script src='{site}embed.js'></script>", ""),
        ("<script defer src='{site}embed.js'></script>", ""),
        ("", "<script async src='{site}embed.js'></script>"),
        ("", "<script src='{site}embed.js'></script>"),
    ],
    ids=["head-async", "head", "head-defer", "body-end-async", "body-end"],
)
def test_the_banner_shows_wherever_the_page_puts_the_script(
    browser: Browser, sites: dict[str, str], head: str, body: str
) -> None:
    site = sites["during"]
    errors, text = errors_and_banner(browser, head.format(site=site), body.format(site=site))
    assert errors == []
    assert text.startswith(f"Identified: {SSO}")


def test_a_copy_pasted_into_the_page_fails_quietly(browser: Browser, tmp_path: Path) -> None:
    """Inline, the script cannot know its site: no banner, and no error in the host page."""
    script = (Path(build_example(tmp_path / "site")) / "embed.js").read_text(encoding="utf-8")
    for head, body in ((f"<script>{script}</script>", ""), ("", f"<script>{script}</script>")):
        assert errors_and_banner(browser, head, body) == ([], "")

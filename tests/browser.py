"""A built site on a loopback HTTP server, and Debian's Chromium driven by Playwright.

Playwright's own browser download does not work here; it drives /usr/bin/chromium
(`apt-get install chromium`, done by tests/run). Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, sync_playwright

from tests.peers import serving

CHROMIUM = Path(os.environ.get("STATUSGEN_CHROMIUM", "/usr/bin/chromium"))
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = Path(__file__).resolve().parent.parent / "node_modules/axe-core/axe.min.js"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Shared(_Quiet):
    """As GitHub Pages serves: every response readable from any origin."""

    def end_headers(self) -> None:
        self.send_header("Access-Control-Allow-Origin", "*")
        super().end_headers()


class _Gzipped(_Quiet):
    """As a CDN serves: a file's body gzipped (level 6) to a browser that accepts it."""

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?", 1)[0].endswith("/"):
            path = path / "index.html"
        if "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file():
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@contextmanager
def serve(folder: Path, shared: bool = False, gzipped: bool = False) -> Iterator[str]:
    """Serve ``folder`` on a free loopback port; yields the base URL (ending in /). With
    ``shared``, responses carry Access-Control-Allow-Origin: *, as GitHub Pages sends; with
    ``gzipped``, bodies are gzipped, as a CDN sends them."""
    kind = _Gzipped if gzipped else _Shared if shared else _Quiet
    handler = functools.partial(kind, directory=str(folder))
    with serving(handler) as port:
        yield f"http://127.0.0.1:{port}/"


@contextmanager
def chromium() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        raise RuntimeError(
            f"no Chromium at {CHROMIUM}: run tests/run (it installs Debian's chromium), "
            "or set STATUSGEN_CHROMIUM"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


#: What axe-core checks in every page a test opens: WCAG 2.1 A and AA, and best practice.
AXE_RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def new_page(
    browser: Browser,
    *,
    scheme: str = "light",
    javascript: bool = True,
    at: str | None = None,
    width: int = 1280,
    height: int = 900,
) -> Page:
    """A page of a context of its own: colour scheme, script or not, a viewport, and the
    clock fixed ``at`` a moment when the page runs script."""
    context = browser.new_context(
        java_script_enabled=javascript,
        color_scheme=scheme,  # type: ignore[arg-type]
        viewport={"width": width, "height": height},
    )
    page = context.new_page()
    if javascript and at is not None:
        page.clock.set_fixed_time(at)
    return page


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """What axe-core finds wrong in the open page: each rule's id, help and first nodes."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (rules) => await axe.run(document, {resultTypes: ['violations'], runOnly: rules})",
        AXE_RULES,
    )
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["html"][:160] for n in v["nodes"][:3]]}
        for v in result["violations"]
    ]

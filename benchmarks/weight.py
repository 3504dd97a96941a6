"""Weigh the example site's front page as a first-time visitor's browser loads it.

    python benchmarks/weight.py

Builds the example at its reference time, serves it on loopback, opens the front page in
Chromium and takes the browser's own list of requests. Each response body is gzipped at
level 6, as a static host or CDN would serve it, and the sizes are summed. Target: under
75 KB, with no request to any other host. (It was 70 KB until the first paint stopped
waiting for stylesheets: a first view now carries material's rules that the pages use
twice, in the page, about 6 KB gzipped, and in material's stylesheets, which load
without blocking and are cached for every later page.)
"""

from __future__ import annotations

import gzip
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import Browser, Response

from tests.browser import chromium, serve
from tests.example import REFERENCE, build_example

TARGET_BYTES = 75 * 1024


@dataclass(frozen=True)
class Loaded:
    url: str
    raw: int
    gzipped: int


def weigh(browser: Browser, base: str) -> tuple[list[Loaded], list[str]]:
    """What the browser loads for the page at ``base`` with an empty cache, and any request
    to another host."""
    loaded: list[Loaded] = []
    elsewhere: list[str] = []
    context = browser.new_context()
    page = context.new_page()
    page.clock.set_fixed_time(REFERENCE)

    def record(response: Response) -> None:
        if not response.url.startswith(base):
            elsewhere.append(response.url)
            return
        body = response.body()
        loaded.append(Loaded(response.url[len(base) - 1 :], len(body), len(gzip.compress(body, 6))))

    page.on("response", record)
    page.on("requestfailed", lambda request: elsewhere.append(request.url))
    page.goto(base)
    page.wait_for_load_state("networkidle")
    context.close()
    return loaded, elsewhere


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        site = build_example(Path(folder) / "site")
        with serve(site) as base, chromium() as browser:
            loaded, elsewhere = weigh(browser, base)
    total = sum(item.gzipped for item in loaded)
    print(f"Front page of the example site at {REFERENCE}, first view, gzip -6:")
    for item in sorted(loaded, key=lambda i: -i.gzipped):
        print(f"  {item.gzipped / 1024:6.1f} KB  ({item.raw / 1024:6.1f} KB raw)  {item.url}")
    print(
        f"  {total / 1024:6.1f} KB in {len(loaded)} requests; target under "
        f"{TARGET_BYTES // 1024} KB: {'met' if total < TARGET_BYTES else 'MISSED'}"
    )
    print(f"  requests to other hosts: {len(elsewhere)}")
    for url in elsewhere:
        print(f"    {url}")


if __name__ == "__main__":
    main()

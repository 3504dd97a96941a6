"""Vendors' status pages on loopback: the real Statuspage summaries of
``tests/reference/statuspage/`` (githubstatus.com, operational and during an outage), and
every way a page can misbehave: an HTTP error, no answer in time, a trickle (of the body,
of the headers, of redirects), a web page, a redirect to another host or on the same one,
a huge body, JSON that is no summary."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest

from tests.peers import serving

REFERENCE = Path(__file__).resolve().parent.parent / "reference/statuspage"
OPERATIONAL = REFERENCE / "githubstatus-summary-operational-2019-12-30.json"
OUTAGE = REFERENCE / "githubstatus-summary-outage-2020-04-02.json"
SUMMARY = "/api/v2/summary.json"
#: How long the slow pages wait before they answer (tests give sync a shorter timeout).
SLOW = 3.0
MIB = 1024 * 1024


@dataclass
class Vendors:
    """Status pages, each under its own path prefix: ``url("github")`` is a page's root."""

    port: int = 0
    #: The file each page serves as its summary, by prefix; a test changes them.
    pages: dict[str, Path] = field(default_factory=dict)
    #: Paths asked for, in order.
    asked: list[str] = field(default_factory=list)

    def url(self, prefix: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}/{prefix}"


@contextmanager
def vendors() -> Iterator[Vendors]:
    """The pages: ``github`` (the file of ``pages["github"]``, the operational one at
    first), and the misbehaving ones named by what they do."""
    served = Vendors(pages={"github": OPERATIONAL, "other": OUTAGE})
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            with lock:
                served.asked.append(self.path)
            path, _, self.query = self.path.partition("?")
            prefix, _, rest = path.lstrip("/").partition("/")
            if "/" + rest != SUMMARY:
                self.answer(404, b"not found", "text/plain")
            elif prefix in served.pages:
                self.answer(200, served.pages[prefix].read_bytes())
            else:
                getattr(self, "page_" + prefix.replace("-", "_"), self.missing)()

        def missing(self) -> None:
            self.answer(404, b"no such page", "text/plain")

        def answer(
            self, status: int, body: bytes, kind: str = "application/json", **headers: str
        ) -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                for name, value in headers.items():
                    self.send_header(name.replace("_", "-"), value)
                self.end_headers()
                self.wfile.write(body)
            except OSError:
                pass  # a reader that gave up (a timeout) closed the connection

        def page_error(self) -> None:
            self.answer(500, b'{"error": "internal"}')

        def page_slow(self) -> None:
            time.sleep(SLOW)
            self.answer(200, OPERATIONAL.read_bytes())

        def page_trickle(self) -> None:
            """Headers at once, then a byte every 0.1 s: every read answers in time, the
            whole answer does not."""
            body = OPERATIONAL.read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                for byte in body[: int(SLOW * 10)]:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(0.1)
            except OSError:
                pass  # the reader gave up, as it should

        def page_trickle_headers(self) -> None:
            """The status line at once, then a byte of headers every 0.1 s: the answer
            never starts within the time, though every read does."""
            try:
                self.wfile.write(b"HTTP/1.1 200 OK\r\n")
                self.wfile.flush()
                for byte in b"X-Padding: " + b"a" * int(SLOW * 10):
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(0.1)
            except OSError:
                pass  # the reader gave up, as it should
            self.close_connection = True

        def page_slow_redirects(self) -> None:
            """Redirects on the same host, each after 0.3 s, to a new address each time:
            every hop answers in time, the whole chain does not."""
            hop = int(self.query.removeprefix("hop=") or "0")
            time.sleep(0.3)
            target = f"/slow-redirects{SUMMARY}?hop={hop + 1}"
            self.answer(302, b"", "text/plain", Location=target)

        def page_html(self) -> None:
            self.answer(200, b"<!doctype html><title>Status</title><p>All good", "text/html")

        def page_html_as_json(self) -> None:
            self.answer(200, b"<!doctype html><title>Maintenance</title>")

        def page_garbage(self) -> None:
            self.answer(200, b"{'not': json")

        def page_deep(self) -> None:
            self.answer(200, b"[" * 200_000 + b"]" * 200_000)

        def page_not_a_summary(self) -> None:
            self.answer(200, json.dumps({"hello": "world", "status": "ok"}).encode())

        def page_bad_component(self) -> None:
            data = json.loads(OUTAGE.read_bytes())
            data["components"][0]["status"] = "on_fire"
            self.answer(200, json.dumps(data).encode())

        def page_away(self) -> None:
            """To the same server under another host name: another host."""
            target = f"http://localhost:{served.port}/github{SUMMARY}"
            self.answer(302, b"", "text/plain", Location=target)

        def page_away_with_secrets(self) -> None:
            target = "https://user:hunter2@elsewhere.example/login?token=s3cr3t-t0ken#frag"
            self.answer(302, b"", "text/plain", Location=target)

        def page_moved(self) -> None:
            """To another path of the same host: followed."""
            self.answer(301, b"", "text/plain", Location=f"/other{SUMMARY}")

        def page_huge(self) -> None:
            """A body of 2 MiB, announced by its Content-Length."""
            self.answer(200, b"[" + b"0," * MIB + b"0]")

        def page_huge_unannounced(self) -> None:
            """2 MiB and more with no length: the reader must stop on its own."""
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            try:
                self.wfile.write(b"[")
                for _ in range(64):
                    self.wfile.write(b"0," * (32 * 1024))
            except OSError:
                pass

        def log_message(self, format: str, *args: Any) -> None:
            pass

    with serving(Handler) as port:
        served.port = port
        yield served


# fixtures (registered in tests/conftest.py, for every test that reads vendors' pages) ----------


@pytest.fixture(scope="module")
def vendor_pages() -> Iterator[Vendors]:
    with vendors() as served:
        yield served


@pytest.fixture
def served(vendor_pages: Vendors) -> Iterator[Vendors]:
    """The pages, as they were again after each test (github operational)."""
    before = dict(vendor_pages.pages)
    yield vendor_pages
    vendor_pages.pages.clear()
    vendor_pages.pages.update(before)

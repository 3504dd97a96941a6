"""statusgen verify: polling a host's live.json until it names the build, against HTTP
servers on loopback that switch builds late, fail, answer nonsense or never switch."""

from __future__ import annotations

import base64
import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner, Result

from generator.cli import main
from tests.example import REFERENCE
from tests.peers import free_port, serving

#: An answer: an HTTP status and a body (a dict is sent as JSON).
Answer = tuple[int, "dict[str, Any] | bytes"]


def live(build: str) -> Answer:
    return 200, {"build": build, "built_at": REFERENCE, "state": "s"}


@dataclass
class Host:
    """A static host on loopback whose answer to the n-th request (from 1) the test
    decides, and what each request carried."""

    port: int = 0
    answer: Callable[[int], Answer] = lambda _n: live("A")
    #: Seconds to wait before answering.
    delay: float = 0.0
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def paths(self) -> list[str]:
        return [urlsplit(path).path for path, _ in self.requests]


@pytest.fixture
def host() -> Iterator[Host]:
    host = Host()
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            with lock:
                host.requests.append((self.path, dict(self.headers)))
                count = len(host.requests)
            time.sleep(host.delay)
            status, body = host.answer(count)
            data = json.dumps(body).encode() if isinstance(body, dict) else body
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except OSError:
                pass  # the client gave up waiting: what a request timeout looks like

        def log_message(self, format: str, *args: Any) -> None:
            pass

    with serving(Handler) as port:
        host.port = port
        yield host


def verify(*args: str) -> Result:
    return CliRunner().invoke(main, ["verify", *args], catch_exceptions=False)


def waited(lines: list[str], timeout: int) -> list[str]:
    """``lines`` with the seconds waited (at least ``timeout``; more on a busy machine)
    written as N."""
    found = [int(s) for line in lines for s in re.findall(r"after (\d+) s;", line)]
    assert found and all(seconds >= timeout for seconds in found), lines
    return [re.sub(r"after \d+ s;", "after N s;", line) for line in lines]


def test_a_build_that_appears_late_is_waited_for_and_timed(host: Host) -> None:
    first: list[float] = []

    def answer(_n: int) -> Answer:
        first[:] = first or [time.monotonic()]
        return live("B" if time.monotonic() - first[0] >= 2.5 else "A")

    host.answer = answer
    result = verify(host.url(), "--build", "B", "--timeout", "30s", "--interval", "1s")
    assert result.exit_code == 0, result.output
    seconds = float(result.stdout)
    assert seconds >= 2
    assert len(host.requests) >= 3
    assert result.stderr.splitlines() == [
        f"verify: {host.url('/live.json')}: serves build A; "
        "asking every 1 s until it serves build B"
    ]


@pytest.mark.parametrize(
    ("failure", "told"),
    [
        ((404, b"<h1>Not Found</h1>"), "HTTP 404 Not Found"),
        ((500, b"oops"), "HTTP 500 Internal Server Error"),
        ((503, b""), "HTTP 503 Service Unavailable"),
        ((200, b"<html>a page, not live.json</html>"), "the answer is not valid JSON"),
        ((200, {"built_at": REFERENCE}), 'the answer names no "build"'),
        ((200, b"[1, 2]"), 'the answer names no "build"'),
        ((200, b"\xff\xfe"), "the answer is not valid JSON"),
    ],
)
def test_each_failure_is_retried_and_told_once(host: Host, failure: Answer, told: str) -> None:
    host.answer = lambda n: failure if n <= 2 else live("B")
    result = verify(host.url(), "--build", "B", "--timeout", "1m", "--interval", "1s")
    assert result.exit_code == 0, result.output
    assert float(result.stdout) >= 2
    assert len(host.requests) == 3
    assert result.stderr.splitlines() == [
        f"verify: {host.url('/live.json')}: {told}; asking every 1 s until it serves build B"
    ]


@pytest.mark.slow
def test_every_kind_of_failure_is_told_once_in_the_order_seen(host: Host) -> None:
    script: list[Answer] = [
        (404, b""), (404, b""), (502, b""), live("A"), (404, b""), (502, b""), live("A"),
        (200, b"{"), (200, b"{"), live("B"),
    ]  # fmt: skip
    host.answer = lambda n: script[n - 1]
    result = verify(host.url(), "--build", "B", "--timeout", "1m", "--interval", "1s")
    assert result.exit_code == 0, result.output
    assert len(host.requests) == len(script)
    told = [line.split(": ")[2].split(";")[0] for line in result.stderr.splitlines()]
    assert told == [
        "HTTP 404 Not Found",
        "HTTP 502 Bad Gateway",
        "serves build A",
        "the answer is not valid JSON",
    ]


def test_a_host_that_never_switches_fails_naming_what_it_serves(host: Host) -> None:
    started = time.monotonic()
    result = verify(host.url("/status"), "--build", "B", "--timeout", "3s", "--interval", "1s")
    assert time.monotonic() - started < 60  # gave up, long before a default ten minutes
    assert result.exit_code == 1
    assert result.stdout == ""
    shown = host.url("/status/live.json")
    assert waited(result.stderr.splitlines()[-1:], 3) == [
        f"Error: {shown} still serves build A, not B, after N s; "
        "look at the deploy, or wait longer with --timeout"
    ]
    assert 2 <= len(host.requests) <= 4  # every second, the last one at the timeout
    assert sum("serves build A" in line for line in result.stderr.splitlines()) == 2


def test_a_failure_until_the_timeout_is_named_in_the_error(host: Host) -> None:
    host.answer = lambda _n: (500, b"")
    result = verify(host.url(), "--build", "B", "--timeout", "2s", "--interval", "1s")
    assert result.exit_code == 1
    assert waited(result.stderr.splitlines(), 2) == [
        f"verify: {host.url('/live.json')}: HTTP 500 Internal Server Error; "
        "asking every 1 s until it serves build B",
        f"Error: {host.url('/live.json')} did not serve build B "
        "(last: HTTP 500 Internal Server Error) after N s; "
        "look at the deploy, or wait longer with --timeout",
    ]


def test_nothing_listening_is_retried_until_the_timeout() -> None:
    url = f"http://127.0.0.1:{free_port()}/"
    result = verify(url, "--build", "B", "--timeout", "3s", "--interval", "1s")
    assert result.exit_code == 1
    assert waited(result.stderr.splitlines(), 3) == [
        f"verify: {url}live.json: no connection: Connection refused; "
        "asking every 1 s until it serves build B",
        f"Error: {url}live.json did not serve build B (last: no connection: Connection "
        "refused) after N s; look at the deploy, or wait longer with --timeout",
    ]


def test_a_host_that_does_not_answer_in_time_is_a_timeout(host: Host) -> None:
    """Each request waits no longer than what is left of --timeout."""
    host.delay = 5
    result = verify(host.url(), "--build", "B", "--timeout", "2s", "--interval", "1s")
    assert result.exit_code == 1
    assert waited(result.stderr.splitlines()[-1:], 2) == [
        f"Error: {host.url('/live.json')} did not serve build B (last: no answer within 2 s) "
        "after N s; look at the deploy, or wait longer with --timeout"
    ]


def test_the_host_that_answers_after_a_while_is_waited_for(host: Host) -> None:
    host.delay = 1.5
    host.answer = lambda _n: live("B")
    result = verify(host.url(), "--build", "B", "--timeout", "10s", "--interval", "1s")
    assert result.exit_code == 0, result.output
    assert float(result.stdout) >= 1
    assert result.stderr == ""


def test_every_request_goes_past_the_caches(host: Host) -> None:
    host.answer = lambda n: live("A") if n < 3 else live("B-1 2/3")
    result = verify(host.url("/status/"), "--build", "B-1 2/3", "--interval", "1s")
    assert result.exit_code == 0, result.output
    assert host.paths() == ["/status/live.json"] * 3
    tokens = []
    for path, headers in host.requests:
        query = parse_qs(urlsplit(path).query)
        assert query["build"] == ["B-1 2/3"]
        tokens.append(query["t"][0])
        assert headers["Cache-Control"] == "no-cache"
        assert headers["User-Agent"].startswith("statusgen/")
        assert "Authorization" not in headers
    assert len(set(tokens)) == 3  # a CDN keyed by URL has none of them in its cache


@pytest.mark.parametrize("path", ["/status", "/status/", "/status/live.json"])
def test_the_site_root_is_read_with_or_without_its_slash(host: Host, path: str) -> None:
    result = verify(host.url(path), "--build", "A")
    assert result.exit_code == 0, result.output
    assert host.paths() == ["/status/live.json"]


def test_credentials_in_the_url_are_sent_and_never_shown(host: Host) -> None:
    host.answer = lambda _n: live("A")
    url = f"http://ops:s3cr%40t@127.0.0.1:{host.port}/"
    result = verify(url, "--build", "B", "--timeout", "1s", "--interval", "1s")
    assert result.exit_code == 1
    assert "s3cr" not in result.output and "ops" not in result.output
    assert result.stderr.splitlines()[-1].startswith(f"Error: {host.url('/live.json')} still")
    _, headers = host.requests[0]
    assert headers["Authorization"] == "Basic " + base64.b64encode(b"ops:s3cr@t").decode()


@pytest.mark.parametrize(
    "url",
    [
        "ftp://ops:hunter2@files.example/site/",
        "acme.github.io/status",
        "https://",
        "http://ops:hunter2@host.example:port/",
        "file:///srv/site",
    ],
)
def test_an_address_that_is_not_a_site_is_refused(url: str) -> None:
    result = verify(url, "--build", "B")
    assert result.exit_code == 1
    assert "is not the address of a site; give its root as http(s)://host/path" in result.stderr
    assert "hunter2" not in result.output


def test_an_interval_of_nothing_is_refused(host: Host) -> None:
    """A wrong option value is wrong usage (exit 2), like any other option's."""
    result = verify(host.url(), "--build", "B", "--interval", "0s")
    assert result.exit_code == 2
    assert "Invalid value for '--interval': must be at least 1s" in result.stderr
    assert host.requests == []


def test_without_build_it_waits_for_the_last_build_made_here(host: Host, tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "live.json").write_text(json.dumps({"build": "A"}), encoding="utf-8")
    result = verify(host.url(), "--root", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert parse_qs(urlsplit(host.requests[0][0]).query)["build"] == ["A"]

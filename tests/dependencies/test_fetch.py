"""One GET of a vendor's summary: the addresses it names, the redirects it follows, TLS for
https, and one deadline for the whole answer."""

from __future__ import annotations

import socket
import threading
import time
import urllib.request

import pytest

from generator.dependencies.fetch import FetchError, _Redirect, _SameHost, fetch_json, shown
from tests.dependencies.vendors import SUMMARY, vendors


def test_messages_name_an_address_without_credentials_query_or_fragment() -> None:
    assert shown("https://bot:pa55@status.example.com:8443/api/v2/summary.json?key=k#x") == (
        "https://status.example.com:8443/api/v2/summary.json"
    )
    assert shown("http://[::1]:80/a") == "http://[::1]:80/a"


@pytest.mark.parametrize(
    ("start", "target", "followed"),
    [
        ("https://status.example.com/api", "https://status.example.com/v2/api", True),
        ("https://status.example.com/api", "https://STATUS.example.com/api", True),
        ("http://status.example.com/api", "https://status.example.com/api", True),
        ("https://status.example.com/api", "http://status.example.com/api", False),
        ("https://status.example.com/api", "https://evil.example/api", False),
        ("https://status.example.com/api", "ftp://status.example.com/api", False),
    ],
)
def test_a_redirect_is_followed_on_the_same_host_and_never_to_http(
    start: str, target: str, followed: bool
) -> None:
    handler = _SameHost(start)
    request = urllib.request.Request(start)
    if followed:
        assert handler.redirect_request(request, None, 302, "Found", {}, target) is not None
    else:
        with pytest.raises(_Redirect):
            handler.redirect_request(request, None, 302, "Found", {}, target)


def test_an_https_page_is_asked_over_tls() -> None:
    """A plain HTTP server at an https address: the client speaks TLS, which it refuses."""
    with vendors() as served:
        url = served.url("github").replace("http://", "https://") + SUMMARY
        with pytest.raises(FetchError, match=r"^no connection: .*(SSL|TLS|ssl|tls)"):
            fetch_json(url, 2.0)


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_a_silent_server_is_left_at_the_deadline_and_not_left_open(scheme: str) -> None:
    """A server that accepts and never says a word (not even TLS's handshake): the fetch
    gives up at its deadline, and the server sees the request (or TLS's hello), then the
    connection's end."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        accepted: list[socket.socket] = []
        threading.Thread(target=lambda: accepted.append(listener.accept()[0]), daemon=True).start()
        url = f"{scheme}://127.0.0.1:{listener.getsockname()[1]}{SUMMARY}"
        started = time.monotonic()
        with pytest.raises(FetchError, match=r"^did not answer within 0.5 s$"):
            fetch_json(url, 0.5)
        assert time.monotonic() - started < 1.6
        peer = accepted[0]
        peer.settimeout(2.0)
        request = b""
        while chunk := peer.recv(65536):  # what the client sent, then its end
            request += chunk
        peer.close()
        assert request.startswith(b"GET " if scheme == "http" else b"\x16\x03")


def _answering(raw: bytes) -> tuple[socket.socket, str]:
    """A server that answers every request with ``raw``, as it is: the summary's address."""
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        while True:
            try:
                peer, _ = listener.accept()
            except OSError:
                return  # closed: the test is over
            with peer:
                peer.recv(65536)
                peer.sendall(raw.replace(b"PORT", str(listener.getsockname()[1]).encode()))

    threading.Thread(target=serve, daemon=True).start()
    return listener, f"http://127.0.0.1:{listener.getsockname()[1]}{SUMMARY}"


@pytest.mark.parametrize(
    "location",
    [
        b"gopher://bot:hunter2@127.0.0.1:PORT/x?token=s3cr3t#frag",
        b"file:///etc/passwd?token=s3cr3t",
        b"ftp://bot:hunter2@127.0.0.1:PORT/x?token=s3cr3t",
    ],
)
def test_a_redirect_to_another_scheme_is_named_without_its_secrets(location: bytes) -> None:
    """urllib refuses a scheme other than http(s) and ftp itself, in words that quote the
    whole address: the redirect is refused before, named as every other address is."""
    listener, url = _answering(
        b"HTTP/1.1 302 Found\r\nLocation: " + location + b"\r\nContent-Length: 0\r\n\r\n"
    )
    with listener, pytest.raises(FetchError) as caught:
        fetch_json(url, 2.0)
    message = str(caught.value)
    assert message.startswith("redirects to"), message
    assert "hunter2" not in message
    assert "s3cr3t" not in message
    assert "frag" not in message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            b"HTTP/1.1 500 \x1b[31mOops\x1b]0;pwned\x07\r\nContent-Length: 0\r\n\r\n",
            "answered HTTP 500 ?[31mOops?]0;pwned?",
        ),
        (
            b"HTTP/1.1 200 OK\r\nContent-Type: text\x1b[2J/x\r\nContent-Length: 3\r\n\r\nabc",
            "answered something that is not JSON (text?[2j/x)",
        ),
        (
            b"HTTP/1.1 503 " + b"Down " * 100 + b"\r\nContent-Length: 0\r\n\r\n",
            "answered HTTP 503 " + "Down " * 11 + "Down…",
        ),
    ],
)
def test_the_vendors_words_reach_no_terminal_as_escapes(raw: bytes, expected: str) -> None:
    """A status line's reason and a content type are the vendor's: printed without the
    escapes a terminal or a CI log acts on, and short."""
    listener, url = _answering(raw)
    with listener, pytest.raises(FetchError) as caught:
        fetch_json(url, 2.0)
    assert str(caught.value) == expected

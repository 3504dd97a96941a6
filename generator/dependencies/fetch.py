"""Asking a vendor's status page for its summary: one GET, bounded in time and size.

A status page is someone else's server: it may be down, slow, answer a web page instead of
JSON, redirect to a login or a parking page on another host, or send far more than a
summary. Each of these is a :class:`FetchError` that says what happened, in words that name
the address without credentials or query (a redirect's ``Location`` may carry a token).
Nothing is read past :data:`MOST_BYTES` and one more byte, and nothing after the time is
up: the whole answer (connection, redirects, headers and body) gets :data:`TIMEOUT`, and
a page that sends its headers or its redirects a little at a time has its connections
shut once it is over.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
import threading
import time
import urllib.error
import urllib.request
from functools import partial
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from generator import __version__

#: The longest a vendor may take to answer (SPEC: 10 s).
TIMEOUT = 10.0
#: The largest answer read: a summary is a few kilobytes; a page that sends more than a
#: mebibyte sends something else.
MOST_BYTES = 1024 * 1024
#: How much is read at a time, so that the clock is looked at while a slow body trickles in.
CHUNK = 64 * 1024
USER_AGENT = f"statusgen/{__version__} (dependencies sync)"


class FetchError(Exception):
    """No usable answer: the message says why, naming no credentials."""


def shown(url: str) -> str:
    """``url`` as messages name it: scheme, host, port and path; never user, password,
    query or fragment."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return "an address that is not a URL"
    if ":" in host:
        host = f"[{host}]"
    netloc = host if port is None else f"{host}:{port}"
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


class _Redirect(Exception):
    """A redirect that is not followed."""


class _SameHost(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to the same host (and never from https to http): a status
    page that moved to another host is not trusted to be the vendor's."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.host = (parts.hostname or "").lower()
        self.secure = parts.scheme == "https"

    def http_error_302(
        self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any
    ) -> Any:
        """urllib refuses a redirect to a scheme other than http(s) or ftp before it asks
        :meth:`redirect_request`, in a message that quotes the whole address (a token in
        its query too): the target is judged here first, and named as :func:`shown` names
        it."""
        target = headers.get("location") or headers.get("uri")
        if target:
            try:
                self._judge(urljoin(req.full_url, target))
            except _Redirect:
                fp.close()
                raise
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302

    def _judge(self, newurl: str) -> None:
        parts = urlsplit(newurl)
        if (parts.hostname or "").lower() != self.host:
            raise _Redirect(f"redirects to another host ({shown(newurl)})")
        if self.secure and parts.scheme == "http":
            raise _Redirect(f"redirects from https to http ({shown(newurl)})")
        if parts.scheme not in ("http", "https"):
            raise _Redirect(f"redirects to an address that is not http(s) ({shown(newurl)})")

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: Any,
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        self._judge(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class _Connections:
    """The sockets of one fetch, so that they can be shut when its time is up: a read that
    waits on a shut socket ends at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._shut = False

    def create(self, *args: Any, **kwargs: Any) -> socket.socket:
        """A connected socket, as ``socket.create_connection`` makes it, kept here."""
        sock = socket.create_connection(*args, **kwargs)
        with self._lock:
            self._sockets.append(sock)
            if self._shut:
                _shut(sock)
        return sock

    def shut(self) -> None:
        with self._lock:
            self._shut = True
            for sock in self._sockets:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed
        sock.shutdown(socket.SHUT_RDWR)


# http.client makes each socket with the connection's _create_connection (set in its
# __init__): these connections make theirs with _Connections.create, before TLS's
# handshake, which a shut socket cuts short too.
class _KeptHTTP(http.client.HTTPConnection):
    def __init__(self, host: str, *, connections: _Connections, **options: Any) -> None:
        super().__init__(host, **options)
        self._create_connection = connections.create


class _KeptHTTPS(http.client.HTTPSConnection):
    def __init__(self, host: str, *, connections: _Connections, **options: Any) -> None:
        super().__init__(host, **options)
        self._create_connection = connections.create


class _HTTP(urllib.request.HTTPHandler):
    def __init__(self, connections: _Connections) -> None:
        super().__init__()
        self.connections = connections

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(partial(_KeptHTTP, connections=self.connections), req)


class _HTTPS(urllib.request.HTTPSHandler):
    def __init__(self, connections: _Connections) -> None:
        super().__init__()
        self.connections = connections

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(partial(_KeptHTTPS, connections=self.connections), req)


def fetch_json(url: str, timeout: float = TIMEOUT) -> Any:
    """The JSON that ``url`` answers with, or FetchError saying why there is none: no whole
    answer within ``timeout`` seconds (connection, redirects, headers and body, not each
    read), an HTTP error, a redirect to another host, a body over :data:`MOST_BYTES`, or a
    body that is not JSON."""
    kind, data = _within(url, timeout)
    if kind == "text/html" or data.lstrip()[:1] == b"<":
        raise FetchError(
            "answered a web page, not JSON: is the URL the root of a Statuspage-compatible page?"
        )
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise FetchError(f"answered something that is not JSON ({kind})") from None
    except RecursionError:  # [[[[...]]]]: a summary is a few levels deep
        raise FetchError("answered JSON nested too deeply to be a summary") from None


def _within(url: str, timeout: float) -> tuple[str, bytes]:
    """The answer's content type and body, asked for in a thread of its own that is given
    ``timeout`` seconds: after that its connections are shut, which ends it."""
    connections = _Connections()
    outcome: list[tuple[str, bytes] | BaseException] = []

    def ask() -> None:
        try:
            outcome.append(_answer(url, timeout, connections))
        except BaseException as error:  # handed to the caller, whatever it is
            outcome.append(error)

    asking = threading.Thread(target=ask, name="statusgen-dependency-fetch", daemon=True)
    asking.start()
    asking.join(timeout)
    if asking.is_alive():
        connections.shut()
        asking.join(1.0)  # the shut sockets end its reads; a moment to close them
        raise FetchError(_timed_out(timeout))
    answer = outcome[0]
    if isinstance(answer, BaseException):
        raise answer
    return answer


def _answer(url: str, timeout: float, connections: _Connections) -> tuple[str, bytes]:
    """One GET of ``url``, following redirects on its host only: the content type and the
    body, or FetchError."""
    opener = urllib.request.build_opener(_SameHost(url), _HTTP(connections), _HTTPS(connections))
    request = urllib.request.Request(
        url,
        headers={"Accept": "application/json", "User-Agent": USER_AGENT},
    )
    deadline = time.monotonic() + timeout
    try:
        with opener.open(request, timeout=timeout) as response:
            kind = _printable(response.headers.get_content_type())
            length = response.headers.get("Content-Length")
            if length is not None and length.strip().isdigit() and int(length) > MOST_BYTES:
                raise FetchError(_too_large())
            data = _read(response, deadline, timeout)
    except _Redirect as error:
        raise FetchError(str(error)) from None
    except urllib.error.HTTPError as error:
        error.close()
        raise FetchError(
            f"answered HTTP {error.code} {_printable(str(error.reason))}".rstrip()
        ) from None
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise FetchError(_timed_out(timeout)) from None
        reason = error.reason
        text = reason.strerror if isinstance(reason, OSError) and reason.strerror else reason
        raise FetchError(f"no connection: {text}") from None
    except TimeoutError:
        raise FetchError(_timed_out(timeout)) from None
    except (OSError, http.client.HTTPException) as error:
        text = getattr(error, "strerror", None) or type(error).__name__
        raise FetchError(f"the answer broke off: {text}") from None
    return kind, data


def _read(response: Any, deadline: float, timeout: float) -> bytes:
    """The body, read a chunk at a time until its end, :data:`MOST_BYTES` and one more
    byte, or the deadline."""
    chunks: list[bytes] = []
    size = 0
    while size <= MOST_BYTES:
        if time.monotonic() > deadline:
            raise FetchError(_timed_out(timeout))
        # read1: what one read of the socket gives, so a trickle cannot outlast the deadline
        chunk = response.read1(min(CHUNK, MOST_BYTES + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > MOST_BYTES:
        raise FetchError(_too_large())
    return b"".join(chunks)


def _printable(text: str, most: int = 60) -> str:
    """Words of the vendor's (a status line's reason, a content type) as a message shows
    them: printable characters only, so that no terminal escape or line of the vendor's
    reaches a terminal or a CI log, and at most ``most`` of them."""
    text = "".join(c if c.isprintable() else "?" for c in text)
    return text if len(text) <= most else text[: most - 1] + "…"


def _too_large() -> str:
    return f"answered more than {MOST_BYTES // (1024 * 1024)} MiB, far more than a summary"


def _timed_out(timeout: float) -> str:
    return f"did not answer within {timeout:g} s"

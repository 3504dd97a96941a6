"""Knowing when a deploy is live: poll a host's ``live.json`` until it names the build.

A deploy job that says "success" only says the host accepted the files: GitHub Pages has
been measured serving the old site for 14 minutes after, and a CDN in front of any host may
keep an old ``live.json`` for as long as its cache time. ``verify`` asks the way a reader's
browser would, past every cache, and measures how long the new build took to appear.
"""

from __future__ import annotations

import base64
import http.client
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote, urlencode, urlsplit, urlunsplit

from generator import __version__

#: The longest one request may take; less when less time is left.
REQUEST_TIMEOUT = 10.0
#: Even the last request of a run gets this long (a --timeout of 0s asks once).
SHORTEST_REQUEST = 1.0
#: live.json is at most 4 KB (SPEC); an answer past this is something else.
MOST_BYTES = 64 * 1024
LIVE = "live.json"
USER_AGENT = f"statusgen/{__version__} (verify)"


class VerifyError(Exception):
    """The host did not serve the build in time: the message says what it served last."""


@dataclass(frozen=True)
class _Target:
    """Where live.json is, how to ask for it, and how to name it without credentials."""

    scheme: str
    netloc: str
    path: str
    query: str
    shown: str
    authorization: str | None

    def url(self, build: str, attempt: int) -> str:
        # A query of its own for every request: a CDN keys its cache by the whole URL, so
        # it cannot answer with a copy it kept; static hosts ignore the query.
        busting = urlencode({"build": build, "t": f"{time.time_ns()}-{attempt}"})
        query = f"{self.query}&{busting}" if self.query else busting
        return urlunsplit((self.scheme, self.netloc, self.path, query, ""))


@dataclass(frozen=True)
class _Seen:
    """One answer: the build live.json named, or why there was none (``kind``, reported
    once, and ``detail``, the latest of that kind)."""

    build: str | None = None
    kind: str = ""
    detail: str = ""


def verify_live(
    url: str, build: str, timeout: float, interval: float, say: Callable[[str], None]
) -> float:
    """Poll ``URL/live.json`` every ``interval`` seconds until its ``build`` is ``build``;
    the seconds that took. After ``timeout`` seconds, VerifyError with what it saw last.

    Every failure (an HTTP error such as 404 or 5xx, no connection, a request that timed
    out, an answer that is not live.json) is retried until the timeout, as is another
    build: a deploy appears in its own time. Each kind of failure, and each other build
    served, is told through ``say`` once, not at every poll.
    """
    if not build:
        raise VerifyError("the build to wait for is empty; give the build id with --build ID")
    if interval <= 0:
        raise VerifyError("the interval between two requests must be at least 1s (--interval)")
    target = _target(url)
    started = time.monotonic()
    deadline = started + max(timeout, 0.0)
    told: set[str] = set()
    attempt = 0
    while True:
        attempt += 1
        left = deadline - time.monotonic()
        seen = _ask(target, build, attempt, max(min(REQUEST_TIMEOUT, left), SHORTEST_REQUEST))
        if seen.build == build:
            return time.monotonic() - started
        left = deadline - time.monotonic()
        if left <= 0:
            waited = time.monotonic() - started
            raise VerifyError(
                f"{target.shown} {_last(seen, build)} after {waited:.0f} s; "
                "look at the deploy, or wait longer with --timeout"
            )
        if seen.kind not in told:
            told.add(seen.kind)
            say(
                f"verify: {target.shown}: {seen.detail}; "
                f"asking every {interval:g} s until it serves build {build}"
            )
        time.sleep(min(interval, left))


def _target(url: str) -> _Target:
    """live.json under the site's root ``url`` (with or without its trailing slash; the
    address of live.json itself is taken as is). Credentials in it (``user:pass@``) are
    sent as HTTP basic authentication, to that host only, and never shown."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        parts, port = None, None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise VerifyError(
            f"'{_without_credentials(url)}' is not the address of a site; "
            "give its root as http(s)://host/path, such as https://acme.github.io/status/"
        )
    host = parts.hostname
    if ":" in host:
        host = f"[{host}]"
    netloc = host if port is None else f"{host}:{port}"
    path = parts.path if parts.path.endswith("/" + LIVE) else parts.path.rstrip("/") + "/" + LIVE
    authorization = None
    if parts.username is not None or parts.password is not None:
        pair = f"{unquote(parts.username or '')}:{unquote(parts.password or '')}"
        authorization = "Basic " + base64.b64encode(pair.encode()).decode("ascii")
    shown = urlunsplit((parts.scheme, netloc, path, parts.query, ""))
    return _Target(parts.scheme, netloc, path, parts.query, shown, authorization)


def _without_credentials(url: str) -> str:
    """The URL as given, minus anything between ``//`` and an ``@`` (for messages)."""
    scheme, slashes, rest = url.partition("//")
    if not slashes:
        return url
    authority, slash, path = rest.partition("/")
    return scheme + slashes + authority.rpartition("@")[2] + slash + path


def _ask(target: _Target, build: str, attempt: int, timeout: float) -> _Seen:
    request = urllib.request.Request(
        target.url(build, attempt),
        headers={
            "Cache-Control": "no-cache",
            "Pragma": "no-cache",
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
        },
    )
    if target.authorization is not None:
        # Unredirected: a redirect to another host never carries the credentials along.
        request.add_unredirected_header("Authorization", target.authorization)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read(MOST_BYTES + 1)
    except urllib.error.HTTPError as error:
        error.close()
        kind = f"HTTP {error.code}"
        return _Seen(kind=kind, detail=f"{kind} {error.reason}".rstrip())
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, TimeoutError):
            return _timed_out(timeout)
        text = reason.strerror if isinstance(reason, OSError) and reason.strerror else reason
        return _Seen(kind=f"no connection: {text}", detail=f"no connection: {text}")
    except TimeoutError:
        return _timed_out(timeout)
    except (OSError, http.client.HTTPException) as error:
        text = getattr(error, "strerror", None) or type(error).__name__
        return _Seen(kind=f"broken answer: {text}", detail=f"the answer broke off: {text}")
    return _read(data)


def _timed_out(timeout: float) -> _Seen:
    return _Seen(kind="timeout", detail=f"no answer within {timeout:.0f} s")


def _read(data: bytes) -> _Seen:
    """The build a live.json names, or why this answer is not one."""
    if len(data) > MOST_BYTES:
        return _Seen(kind="too large", detail=f"the answer is over {MOST_BYTES // 1024} KB")
    try:
        live = json.loads(data.decode("utf-8"))
    except ValueError:
        return _Seen(kind="invalid JSON", detail="the answer is not valid JSON")
    built = live.get("build") if isinstance(live, dict) else None
    if not isinstance(built, str) or not built:
        return _Seen(kind="no build", detail='the answer names no "build"')
    return _Seen(build=built, kind=f"build {built}", detail=f"serves build {built}")


def _last(seen: _Seen, build: str) -> str:
    """What the timeout's message says was seen last."""
    if seen.build is not None:
        return f"still serves build {seen.build}, not {build},"
    return f"did not serve build {build} (last: {seen.detail})"

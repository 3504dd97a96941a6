"""Structure-aware fuzzing of contrib/relay.py: hostile HTTP requests against one relay
and one fake GitHub on loopback, shared by every call in a process.

Requests are mostly well formed (POST to ``/alertmanager`` with Alertmanager's webhook, to
``/grafana``, ``/uptime-kuma`` and ``/gatus`` with their monitors' documented payloads
(tests/alert_payloads.py), to ``/slack`` with a slash command's form, the right token (as
a bearer token, or Grafana's basic authentication) or signature, an exact
``Content-Length``) with hostile values (tests/fuzzing.py's PAYLOADS, the relay's own
secrets, odd times, other JSON types); now and then a part is wrong: the method, path or
version, the token or signature, the length, extra headers, the body as raw bytes.

The laws ``check`` applies to each:

1. An HTTP answer, at once, with a 2xx, 4xx or 5xx status; never 500 (the relay's answer
   to a failure of its own) and never a traceback in its log.
2. No dispatch without the secret: only a request bearing the relay's token (for a
   monitor's path) or Slack's valid signature (for ``/slack``) reaches GitHub.
3. What reaches GitHub is an action ``statusgen apply`` accepts (but for ids of components
   a monitor's payload names, which only the site knows), keyed (for drafts) by a key safe
   in a branch name, with the monitor's source first; a failure of GitHub is answered 502
   to a monitor.
4. No secret (the relay's token, the GitHub token, Slack's signing secret) in any answer
   or log line.

``INPUTS`` and ``check`` are what tests/test_relay.py's quick profile and the long profile
(benchmarks/fuzz.py) run.
"""

from __future__ import annotations

import atexit
import base64
import copy
import functools
import hashlib
import hmac
import importlib.util
import json
import re
import socket
import sys
import threading
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlencode

from hypothesis import strategies as st

from generator.core.model import SiteConfig
from generator.input.actions import ActionError, read_action
from generator.input.validate import read_config
from tests import alert_payloads
from tests.fuzzing import ODD_TIMES, PAYLOADS, SCALARS, mostly
from tests.peers import Receiver, http_receiver

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "fuzz-relay-token-5f2d8c01a9"
GITHUB_TOKEN = "github_pat_fuzz_7c41e09b3d"
SLACK_SECRET = "fuzz-slack-signing-secret-0b9e"
SECRETS = (TOKEN, GITHUB_TOKEN, SLACK_SECRET)
DISPATCHES = "/repos/acme/status/dispatches"
#: Small enough that the fuzz reaches the limit, large enough for every generated body.
MAX_BODY = 16 * 1024

#: Values that should never come back: markup, control characters, and the secrets.
HOSTILE = st.one_of(st.sampled_from(PAYLOADS), st.sampled_from([*SECRETS, f"x {TOKEN} y"]))
TEXT = mostly(st.text(max_size=40), HOSTILE)


def often(valid: st.SearchStrategy[Any], hostile: st.SearchStrategy[Any]) -> Any:
    """``valid`` 3 times in 4, else ``hostile``: for the parts the laws turn on (the secret,
    the signature, the path, the action), so that even the quick profile tries each."""
    return st.integers(0, 3).flatmap(lambda n: hostile if n == 3 else valid)


VALUES = st.one_of(TEXT, SCALARS, st.lists(st.integers(), max_size=2))


@dataclass(frozen=True)
class Request:
    """One HTTP request, described; ``check`` writes it out (signing it at that moment)."""

    method: str
    path: str
    version: str
    auth: str
    signature: str
    length: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()
    blank_lines: int = 0
    github: int = 200


@dataclass
class _Peers:
    relay: ModuleType
    port: int
    github: Receiver
    log: list[str]
    config: SiteConfig
    keep: ExitStack = field(default_factory=ExitStack)


@functools.cache
def _peers() -> _Peers:
    """One relay and one fake GitHub for the whole process (each check is sequential)."""
    spec = importlib.util.spec_from_file_location("relay_fuzzed", ROOT / "contrib" / "relay.py")
    assert spec is not None and spec.loader is not None
    relay = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = relay  # (as an import does: dataclasses look their module up)
    spec.loader.exec_module(relay)
    keep = ExitStack()
    github = keep.enter_context(http_receiver())
    log: list[str] = []
    settings = relay.Settings(
        repository="acme/status",
        github_token=GITHUB_TOKEN,
        relay_token=TOKEN,
        slack_secret=SLACK_SECRET,
        github_api=f"http://127.0.0.1:{github.port}",
        max_body=MAX_BODY,
        read_timeout=2.0,
        log=log.append,
    )
    server = relay.RelayServer(("127.0.0.1", 0), settings)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    keep.callback(server.server_close)
    keep.callback(server.shutdown)
    atexit.register(keep.close)  # (while the servers' threads still run, or shutdown waits)
    config, problems = read_config(ROOT / "site_config.yml")
    assert config is not None, problems
    return _Peers(relay, server.server_address[1], github, log, config, keep)


# inputs --------------------------------------------------------------------------------------


@st.composite
def _starts(draw: st.DrawFn) -> Any:
    """``startsAt`` as Alertmanager writes it (nanoseconds, an offset), or an odd value."""
    if draw(st.integers(0, 7)) == 7:
        return draw(st.one_of(ODD_TIMES, TEXT))
    moment = datetime(2026, 11, 1, tzinfo=UTC) + timedelta(seconds=draw(st.integers(0, 10**7)))
    fraction = draw(st.sampled_from(["", ".1", ".123456", ".123456789"]))
    zone = draw(st.sampled_from(["Z", "+00:00", "+05:30", "-07:00"]))
    if zone == "Z":
        return moment.strftime("%Y-%m-%dT%H:%M:%S") + fraction + "Z"
    sign, hours, minutes = (-1 if zone[0] == "-" else 1), int(zone[1:3]), int(zone[4:6])
    local = moment + sign * timedelta(hours=hours, minutes=minutes)
    return local.strftime("%Y-%m-%dT%H:%M:%S") + fraction + zone


def _maybe(draw: st.DrawFn, record: dict[str, Any]) -> dict[str, Any]:
    """``record``, now and then with a key missing or of another type."""
    if record and draw(st.integers(0, 5)) == 0:
        name = draw(st.sampled_from(sorted(record)))
        if draw(st.booleans()):
            del record[name]
        else:
            record[name] = draw(VALUES)
    return record


@st.composite
def _notification(draw: st.DrawFn) -> bytes:
    status = draw(often(st.sampled_from(["firing", "resolved"]), VALUES))
    alerts = [
        _maybe(
            draw,
            {
                "status": status,
                "labels": {"alertname": draw(TEXT), "instance": draw(TEXT)},
                "annotations": {"summary": draw(TEXT)},
                "startsAt": draw(_starts()),
                "endsAt": "0001-01-01T00:00:00Z",
                "fingerprint": "c0ffee",
            },
        )
        for _ in range(draw(mostly(st.integers(1, 3), st.just(0))))
    ]
    group = _maybe(
        draw,
        {
            "version": "4",
            "groupKey": draw(mostly(st.sampled_from(['{}:{alertname="X"}', "{}/{}:{a=b}"]), TEXT)),
            "status": status,
            "receiver": "statusgen",
            "groupLabels": {"alertname": draw(TEXT)},
            "commonLabels": draw(mostly(st.fixed_dictionaries({"alertname": TEXT}), VALUES)),
            "commonAnnotations": draw(
                mostly(st.fixed_dictionaries({"summary": VALUES, "description": VALUES}), VALUES)
            ),
            "externalURL": "http://alertmanager:9093",
            "alerts": alerts,
        },
    )
    text = json.dumps(group, ensure_ascii=draw(st.booleans()))
    return text.encode("utf-8", "surrogatepass")


@st.composite
def _grafana(draw: st.DrawFn) -> bytes:
    """Grafana's documented payload with hostile values where a rule may use them."""
    group = copy.deepcopy(alert_payloads.GRAFANA_FIRING)
    group["status"] = draw(often(st.sampled_from(["firing", "resolved"]), VALUES))
    group["groupKey"] = draw(mostly(st.sampled_from(["{}:{}", '{}:{team="blue"}']), TEXT))
    group["commonLabels"] = draw(mostly(st.fixed_dictionaries({"alertname": TEXT}), VALUES))
    group["commonAnnotations"] = draw(
        mostly(
            st.fixed_dictionaries({"summary": VALUES, "description": VALUES, "components": VALUES}),
            VALUES,
        )
    )
    group["alerts"] = [
        _maybe(draw, alert | {"startsAt": draw(_starts())})
        for alert in group["alerts"][: draw(mostly(st.integers(1, 2), st.just(0)))]
    ]
    text = json.dumps(_maybe(draw, group), ensure_ascii=draw(st.booleans()))
    return text.encode("utf-8", "surrogatepass")


@st.composite
def _kuma_time(draw: st.DrawFn) -> Any:
    """A heartbeat's time as Uptime Kuma writes it (UTC, no zone), or an odd value."""
    if draw(st.integers(0, 7)) == 7:
        return draw(st.one_of(ODD_TIMES, TEXT))
    moment = datetime(2026, 11, 1, tzinfo=UTC) + timedelta(seconds=draw(st.integers(0, 10**7)))
    return moment.strftime("%Y-%m-%d %H:%M:%S.") + f"{draw(st.integers(0, 999)):03d}"


@st.composite
def _uptime_kuma(draw: st.DrawFn) -> bytes:
    """Uptime Kuma's webhook body, from its source, with hostile values."""
    if draw(st.integers(0, 15)) == 0:
        return json.dumps(alert_payloads.UPTIME_KUMA_TEST).encode()
    payload = alert_payloads.uptime_kuma(
        draw(often(st.sampled_from([0, 1]), st.sampled_from([2, 3, -1, "0", None]))),
        draw(_kuma_time()),
        important=draw(st.booleans()),
        last_down=draw(st.one_of(st.none(), _kuma_time())),
        monitor=draw(st.integers(1, 4)),
        name=draw(TEXT),
    )
    payload["heartbeat"] = _maybe(draw, payload["heartbeat"])
    payload["monitor"] = _maybe(draw, payload["monitor"])
    text = json.dumps(_maybe(draw, payload), ensure_ascii=draw(st.booleans()))
    return text.encode("utf-8", "surrogatepass")


_GATUS = (
    '{"gatus": "[ALERT_TRIGGERED_OR_RESOLVED]", "endpoint": "[ENDPOINT_NAME]", '
    '"group": "[ENDPOINT_GROUP]", "description": "[ALERT_DESCRIPTION]", '
    '"errors": "[RESULT_ERRORS]"}'
)


@st.composite
def _gatus(draw: st.DrawFn) -> bytes:
    """Gatus' custom alert, rendered as custom.go renders it (values unescaped)."""
    if draw(st.integers(0, 5)) == 0:
        record = {
            "gatus": draw(often(st.sampled_from(["TRIGGERED", "RESOLVED"]), VALUES)),
            "endpoint": draw(TEXT),
            "group": draw(TEXT),
            "components": draw(VALUES),
        }
        text = json.dumps(_maybe(draw, record), ensure_ascii=draw(st.booleans()))
        return text.encode("utf-8", "surrogatepass")
    return alert_payloads.gatus_body(
        _GATUS,
        resolved=draw(st.booleans()),
        name=draw(mostly(st.sampled_from(["website", "api"]), TEXT)),
        group=draw(mostly(st.sampled_from(["core", ""]), TEXT)),
        description=draw(TEXT),
        errors=tuple(draw(st.lists(TEXT, max_size=2))),
    )


@st.composite
def _command(draw: st.DrawFn) -> bytes:
    verb = draw(
        often(
            st.sampled_from(["new", "update", "resolve", "help", "Update"]),
            st.sampled_from(["udpate", "", "#", "delete", *SECRETS]),
        )
    )
    target = draw(st.sampled_from(["", "", "#api-1 ", "# ", "#../x ", f"#{TOKEN} "]))
    words = draw(TEXT)
    if verb == "new":
        words = f"{words} | {draw(TEXT)}"
    form = {"command": draw(mostly(st.just("/status"), TEXT)), "text": f"{verb} {target}{words}"}
    body = urlencode(form, encoding="utf-8", errors="surrogatepass").encode()
    garbage = [b"text=%ff%fe", b"a=1&" * 60, b"\xff\xfe", b"text=new+%00|x"]
    chosen: bytes = draw(mostly(st.just(body), st.sampled_from(garbage)))
    return chosen


#: A monitor's notification, as one of the four sends it, with hostile values: what
#: tests/fuzz_apply.py gives ``statusgen apply`` too.
MONITOR_BODIES: st.SearchStrategy[bytes] = st.one_of(
    _notification(), _grafana(), _uptime_kuma(), _gatus()
)

_ROUTES = ["/alertmanager", "/grafana", "/uptime-kuma", "/gatus", "/slack"]
#: What each path's sender sends.
_BODIES = {
    "/alertmanager": _notification(),
    "/grafana": _grafana(),
    "/uptime-kuma": _uptime_kuma(),
    "/gatus": _gatus(),
    "/slack": _command(),
}
_ODD_PATHS = [
    "/",
    "/alertmanager/",
    f"/alertmanager?token={TOKEN}",
    f"/uptime-kuma?token={TOKEN}",
    "/gatus/",
    "/slack?x=1",
    "//alertmanager",
    "/ALERTMANAGER",
    "/%2e%2e/",
    "*",
    "/é",
    "/a b",
    "/" + "a" * 300,
]
_ODD_HEADERS = st.sampled_from(
    [
        ("Expect", "100-continue"),
        ("Connection", "keep-alive"),
        ("Content-Type", "application/json"),
        ("X-Slack-Signature", "v0=\u00e9"),
        ("Authorization", f"Bearer {GITHUB_TOKEN}"),
        ("Transfer-Encoding", "chunked"),
        ("X-Long", "x" * 70000),
        ("No colon here", ""),
        ("X-Many", "\r\n".join(f"X-{n}: {n}" for n in range(110))),
    ]
)


@st.composite
def _requests(draw: st.DrawFn) -> Request:
    route = draw(often(st.sampled_from(_ROUTES), st.sampled_from(_ODD_PATHS)))
    sent = _BODIES.get(route.split("?", 1)[0], _notification())
    body = draw(
        mostly(
            sent,
            st.one_of(
                st.binary(max_size=64),
                st.sampled_from(
                    [b"", b"{", b"[" * 10000, b'{"groupKey": 1}', b"null", b'{"gatus": 1}']
                ),
                st.sampled_from(list(_BODIES.values())).flatmap(lambda other: other),
            ),
        )
    )
    return Request(
        method=draw(
            mostly(st.just("POST"), st.sampled_from(["GET", "HEAD", "PUT", "FOO", "post"]))
        ),
        path=route,
        version=draw(
            mostly(st.just("HTTP/1.1"), st.sampled_from(["HTTP/1.0", "HTTP/2.0", "", "HTTP/x"]))
        ),
        auth=draw(
            often(
                st.sampled_from(["right", "right", "lower", "spaces", "basic-right"]),
                st.sampled_from(
                    [
                        "none",
                        "wrong",
                        "basic",
                        "basic-user",
                        "github",
                        "non-ascii",
                        "prefix",
                        "twice",
                    ]
                ),
            )
        ),
        signature=draw(
            often(
                st.just("valid"),
                st.sampled_from(["none", "wrong", "stale", "non-ascii", "superscript", "other"]),
            )
        ),
        length=draw(
            mostly(
                st.just("exact"),
                st.sampled_from(["missing", "-1", "abc", "huge", "over", "under", "twice", " +5"]),
            )
        ),
        body=body,
        headers=tuple(
            draw(st.lists(_ODD_HEADERS, max_size=2)) if draw(st.integers(0, 7)) == 0 else ()
        ),
        blank_lines=draw(mostly(st.just(0), st.integers(1, 10))),
        github=draw(st.sampled_from([200, 200, 200, 401, 404, 500, 503])),
    )


#: Generated requests: mostly valid shapes with hostile values, plus garbage.
INPUTS: st.SearchStrategy[Request] = _requests()

_AUTHORIZED = ("right", "lower", "spaces", "basic-right")


def _authorization(mode: str) -> list[bytes]:
    return {
        "right": [f"Bearer {TOKEN}".encode()],
        "lower": [f"bearer {TOKEN}".encode()],
        "spaces": [f"Bearer   {TOKEN}  ".encode()],
        "none": [],
        "wrong": [b"Bearer not-the-relay-token-at-all"],
        "basic": [f"Basic {TOKEN}".encode()],
        "basic-right": [b"Basic " + base64.b64encode(f"grafana:{TOKEN}".encode())],
        "basic-user": [b"Basic " + base64.b64encode(f"{TOKEN}:".encode())],
        "github": [f"Bearer {GITHUB_TOKEN}".encode()],
        "non-ascii": ["Bearer tökén-ünïcödé-0123456789".encode()],
        "prefix": [f"Bearer {TOKEN[:-1]}".encode()],
        "twice": [f"Bearer {TOKEN}".encode(), b"Bearer other"],
    }[mode]


def _signature(mode: str, body: bytes) -> list[tuple[bytes, bytes]]:
    now = int(time.time())
    stamp = str(now - 3600 if mode == "stale" else now).encode()
    signed = body if mode != "other" else body + b"&x=1"
    digest = hmac.new(SLACK_SECRET.encode(), b"v0:" + stamp + b":" + signed, hashlib.sha256)
    value = b"v0=" + digest.hexdigest().encode()
    if mode == "none":
        return []
    if mode == "wrong":
        value = b"v0=" + b"0" * 64
    if mode == "non-ascii":
        value = "v0=é".encode()
    if mode == "superscript":
        stamp = "²".encode()
    return [(b"X-Slack-Request-Timestamp", stamp), (b"X-Slack-Signature", value)]


def _length(mode: str, body: bytes) -> list[bytes]:
    size = len(body)
    return {
        "exact": [str(size).encode()],
        "missing": [],
        "-1": [b"-1"],
        "abc": [b"abc"],
        "huge": [b"99999999999999999999"],
        "over": [str(size + 10).encode()],
        "under": [str(max(size - 1, 0)).encode()],
        "twice": [str(size).encode(), str(size + 1).encode()],
        " +5": [b" +5"],
    }[mode]


def render(request: Request) -> bytes:
    """The bytes of ``request``, signed now."""
    line = " ".join(part for part in (request.method, request.path, request.version) if part)
    head = [b"\r\n" * request.blank_lines + line.encode("utf-8", "surrogatepass")]
    head += [b"Authorization: " + value for value in _authorization(request.auth)]
    head += [name + b": " + value for name, value in _signature(request.signature, request.body)]
    head += [b"Content-Length: " + value for value in _length(request.length, request.body)]
    head += [f"{name}: {value}".encode() for name, value in request.headers]
    return b"\r\n".join(head) + b"\r\n\r\n" + request.body


def _exchange(port: int, data: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        try:
            connection.sendall(data)
            connection.shutdown(socket.SHUT_WR)
        except OSError:
            pass  # (the relay may refuse before the whole request is sent)
        received = b""
        try:
            while chunk := connection.recv(65536):
                received += chunk
        except TimeoutError:
            raise AssertionError("law 1: no answer within 10 s") from None
        except ConnectionResetError:
            pass
        return received


# the laws ------------------------------------------------------------------------------------


def check(value: Request, scratch: Path) -> None:
    """Send ``value`` to the shared relay and assert the four laws; ``scratch`` is unused
    (the relay writes nothing)."""
    peers = _peers()
    peers.log.clear()
    peers.github.failing[DISPATCHES] = value.github
    before = len(peers.github.received)
    data = render(value)
    answer = _exchange(peers.port, data)
    where = f"{data[:300]!r}"
    found = re.match(rb"HTTP/1\.[01] (\d{3}) ", answer)
    assert found is not None, f"law 1: no HTTP answer to {where}: {answer[:200]!r}"
    status = int(found.group(1))
    assert status // 100 in (2, 4, 5) and status != 500, f"law 1: {status} for {where}: {answer!r}"
    log = "\n".join(peers.log)
    assert "Traceback" not in log, f"law 1: {log}"
    for secret in SECRETS:
        assert secret.encode() not in answer, f"law 4: a secret in the answer to {where}"
        assert secret not in log, f"law 4: a secret in the log for {where}: {log}"
    sent = [body for _, body in peers.github.received[before:]]
    if not sent:
        return
    assert len(sent) == 1, f"law 2: {len(sent)} dispatches for one request {where}"
    route = value.path.split("?", 1)[0]
    slack = route == "/slack"
    assert value.signature == "valid" if slack else value.auth in _AUTHORIZED, (
        f"law 2: a dispatch without the secret: {where}"
    )
    payload = sent[0]["client_payload"]
    try:
        read_action(payload, peers.config)
    except ActionError as error:
        # A monitor's payload may name components (a Grafana annotation, Gatus' body)
        # that this site has not: the relay cannot know the site's, apply says so.
        unknown = all(
            (where, what.split("'")[0]) == ("components", "unknown component ")
            for where, what in error.problems
        )
        if slack or not unknown:
            raise AssertionError(f"law 3: apply refuses {payload}: {error}") from None
    if not slack:
        assert re.fullmatch(r"[a-z0-9-]{1,100}", payload["key"]), f"law 3: key {payload['key']}"
        assert payload["key"].startswith(route.strip("/") + "-"), f"law 3: key {payload['key']}"
        assert payload["review"] is True, f"law 3: not a draft: {payload}"
        assert (status == 200) == (value.github == 200), (
            f"law 3: {status} for GitHub's {value.github}"
        )
        if status != 200:
            assert status == 502, f"law 3: GitHub's {value.github} answered {status}"

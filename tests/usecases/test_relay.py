"""contrib/relay.py: Alertmanager's webhook and a Slack slash command, turned into the
repository_dispatch calls the Incident workflow reads, checked by statusgen's own reader.

Most tests run the relay as its users do (``python contrib/relay.py PORT`` with its
environment) against a fake GitHub on loopback, and read its log when it stops: no
traceback and no secret in it, ever."""

from __future__ import annotations

import hashlib
import hmac
import importlib.util
import json
import os
import re
import select
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.core.vocabulary import COMPONENT_STATUSES, IMPACTS
from generator.input import actions, formats, text
from generator.input.actions import Action, ActionError, load_payload, read_action
from generator.input.validate import read_config
from tests.example import ROOT
from tests.fuzz_relay import INPUTS, check
from tests.fuzzing import PAYLOADS, quick_profile
from tests.peers import Receiver, free_port, http_receiver, serving

RELAY = ROOT / "contrib" / "relay.py"
TOKEN = "relay-token-0123456789abcdef"
GITHUB_TOKEN = "github_pat_test_0123456789"
SECRET = "slack-signing-secret"
DISPATCHES = "/repos/acme/status/dispatches"


def _relay() -> ModuleType:
    spec = importlib.util.spec_from_file_location("relay", RELAY)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # (as an import does: dataclasses look their module up)
    spec.loader.exec_module(module)
    return module


@dataclass
class Running:
    """A relay started from its command line, and the fake GitHub it posts to."""

    port: int
    github: Receiver
    process: subprocess.Popen[str]
    log: str = ""
    printed: str = ""
    lines: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def environment(github: str, **extra: str) -> dict[str, str]:
    names = ("GITHUB_API", "GITHUB_REPOSITORY", "GITHUB_TOKEN", "RELAY_TOKEN", "RELAY_HOST")
    env = {name: value for name, value in os.environ.items() if name not in names}
    env |= {
        "GITHUB_API": github,
        "GITHUB_REPOSITORY": "acme/status",
        "GITHUB_TOKEN": GITHUB_TOKEN,
        "RELAY_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "no_proxy": "*",
    }
    return {name: value for name, value in (env | extra).items() if value}


@contextmanager
def running(github: str, *args: str, **extra: str) -> Iterator[Running]:
    """The relay on a free port of 127.0.0.1, until the block ends; then its log is read
    and held to the laws: no traceback, no secret. It works in a folder of its own, where
    its state file (relay-state.json unless RELAY_STATE says) stays out of the checkout."""
    port = free_port()
    folder = tempfile.TemporaryDirectory(prefix="relay-")
    process = subprocess.Popen(
        [sys.executable, str(RELAY), str(port), *args],
        env=environment(github, **extra),
        cwd=folder.name,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    started = time.monotonic()
    while time.monotonic() - started < 10 and process.poll() is None:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.02)
    relay = Running(port, Receiver(), process)
    try:
        yield relay
    finally:
        process.terminate()
        relay.printed, relay.log = process.communicate(timeout=10)
        folder.cleanup()
    assert "Traceback" not in relay.log, relay.log
    for secret in (TOKEN, GITHUB_TOKEN, SECRET):
        assert secret not in relay.log + relay.printed


@pytest.fixture
def relay() -> Iterator[Running]:
    with http_receiver() as github, running(f"http://127.0.0.1:{github.port}") as started:
        started.github = github
        yield started


def post(url: str, body: bytes, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, headers=headers or {}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def raw(port: int, data: bytes, *, close: bool = True, wait: float = 5) -> tuple[int, bytes]:
    """Send ``data`` as it is (and nothing more when ``close``); the status and body of the
    answer. AssertionError when none comes within ``wait`` seconds."""
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as connection:
        connection.sendall(data)
        if close:
            connection.shutdown(socket.SHUT_WR)
        received = b""
        try:
            while chunk := connection.recv(65536):
                received += chunk
        except TimeoutError:
            raise AssertionError(f"no answer within {wait} s to {data[:80]!r}") from None
        except ConnectionResetError:
            pass
    found = re.match(rb"HTTP/1\.[01] (\d{3}) ", received)
    assert found is not None, f"no HTTP answer to {data[:80]!r}: {received[:200]!r}"
    return int(found.group(1)), received.partition(b"\r\n\r\n")[2]


def as_action(body: dict[str, Any]) -> Action:
    assert body["event_type"] == "statusgen"
    config, problems = read_config(ROOT / "site_config.yml")
    assert config is not None, problems
    return read_action(load_payload(json.dumps(body)), config)


BEARER = {"Authorization": f"Bearer {TOKEN}"}


def notification(
    status: str = "firing", *starts: str, group: str = '{}:{alertname="PaymentsDown"}'
) -> bytes:
    """One notification of Alertmanager's webhook (version 4) for ``group``."""
    alerts = [
        {
            "status": status,
            "labels": {"alertname": "PaymentsDown", "instance": f"pay-{number}"},
            "annotations": {"summary": "Card payments fail"},
            "startsAt": start,
            "endsAt": "0001-01-01T00:00:00Z",
        }
        for number, start in enumerate(starts or ["2026-11-24T10:15:48.123456789Z"])
    ]
    return json.dumps(
        {
            "version": "4",
            "groupKey": group,
            "status": status,
            "receiver": "statusgen",
            "commonLabels": {"alertname": "PaymentsDown"},
            "commonAnnotations": {
                "summary": "Card payments fail",
                "description": "Card payments fail for some customers. We are investigating.",
            },
            "alerts": alerts,
        }
    ).encode()


def test_a_firing_alert_group_becomes_a_draft_for_review(relay: Running) -> None:
    assert post(f"{relay.url}/alertmanager", notification(), BEARER)[0] == 200
    [(path, body)] = relay.github.received
    assert path == DISPATCHES
    action = as_action(body)
    assert (action.action, action.title, action.review) == ("new", "Card payments fail", True)
    assert action.message == "Card payments fail for some customers. We are investigating."
    assert action.key is not None and action.key.startswith("alertmanager-")


def test_each_episode_of_an_alert_group_is_a_draft_of_its_own(relay: Running) -> None:
    """Finding 4: keyed by the group alone, a group firing again weeks after its first
    episode was "applied before" forever."""
    first = "2026-11-24T10:15:48.123456789Z"
    for body in (
        notification("firing", first),
        notification("firing", first),  # Alertmanager's repeat
        notification("firing", "2026-11-24T10:19:00Z", "2026-11-24T11:15:48+01:00"),  # joined
        notification("firing", "2026-12-15T08:00:00Z"),  # the same group, weeks later
        notification("firing", first, group='{}:{alertname="SignInDown"}'),
    ):
        assert post(f"{relay.url}/alertmanager", body, BEARER)[0] == 200
    keys = [as_action(body).key for _, body in relay.github.received]
    assert keys[0] == keys[1] == keys[2], "every notification of one episode has one key"
    assert len({keys[0], keys[3], keys[4]}) == 3, "another episode, another group: new keys"
    for key in keys:
        # the incident workflow names a draft's branch after its key
        assert key is not None and re.fullmatch(r"[a-z0-9-]{1,100}", key), key


def test_a_resolved_group_proposes_the_all_clear_for_review(relay: Running) -> None:
    started = "2026-11-24T10:15:48.123456789Z"
    assert post(f"{relay.url}/alertmanager", notification("firing", started), BEARER)[0] == 200
    assert post(f"{relay.url}/alertmanager", notification("resolved", started), BEARER)[0] == 200
    [(_, firing), (_, resolved)] = relay.github.received
    key = firing["client_payload"]["key"]
    assert resolved == {
        "event_type": "statusgen",
        "client_payload": {
            "action": "resolve",
            "incident_key": key,
            "key": f"{key}-resolved",
            "review": True,
            "message": "This is resolved: everything works as usual again.",
        },
    }
    action = as_action(resolved)
    assert (action.action, action.incident_key, action.review) == ("resolve", key, True)
    assert re.fullmatch(r"[a-z0-9-]{1,100}", f"{key}-resolved")


def test_alertmanager_needs_the_relays_token(relay: Running) -> None:
    """Finding 8: anyone who reached the relay could open drafts with any title."""
    url = f"{relay.url}/alertmanager"
    for headers in (
        {},
        {"Authorization": "Bearer wrong-token-0123456789"},
        {"Authorization": f"Bearer {GITHUB_TOKEN}"},
        {"Authorization": f"Basic {TOKEN}"},
        {"Authorization": f"Bearer {TOKEN[:-1]}"},
    ):
        status, answer = post(url, notification(), headers)
        assert status == 401, headers
        assert b"Authorization: Bearer RELAY_TOKEN" in answer
    # a token that is not ASCII is refused too, not a traceback
    request = b"POST /alertmanager HTTP/1.1\r\nAuthorization: Bearer t\xc3\xb6ken\r\n"
    assert raw(relay.port, request + b"Content-Length: 2\r\n\r\n{}")[0] == 401
    assert relay.github.received == []
    assert post(url, notification(), {"Authorization": f"bearer  {TOKEN} "})[0] == 200


def test_the_relay_refuses_to_start_without_its_token() -> None:
    for token in ("", "short"):
        result = subprocess.run(
            [sys.executable, str(RELAY), str(free_port())],
            env=environment("http://127.0.0.1:9", RELAY_TOKEN=token),
            capture_output=True,
            text=True,
            timeout=20,
        )
        assert result.returncode == 1, result
        assert result.stderr.startswith("relay: RELAY_TOKEN: "), result.stderr
        assert "secrets.token_urlsafe(32)" in result.stderr
        assert "Traceback" not in result.stderr


def first_line(process: subprocess.Popen[str], wait: float = 10) -> str:
    """The first line ``process`` prints, or "" when it prints none within ``wait`` s."""
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], wait)
    return process.stdout.readline() if ready else ""


def test_the_relay_listens_on_this_machine_unless_told(relay: Running) -> None:
    """Finding 8: the relay listened on every address of its machine."""
    assert f"listening on http://127.0.0.1:{relay.port}:" in first_line(relay.process)
    with (
        http_receiver() as github,
        running(f"http://127.0.0.1:{github.port}", "--host", "localhost") as elsewhere,
    ):
        assert f"listening on http://localhost:{elsewhere.port}:" in first_line(elsewhere.process)


def _signed(text: str, stamp: int | None = None) -> tuple[bytes, dict[str, str]]:
    body = urlencode({"command": "/status", "text": text}).encode()
    moment = str(stamp if stamp is not None else int(time.time()))
    signature = hmac.new(SECRET.encode(), f"v0:{moment}:".encode() + body, hashlib.sha256)
    headers = {
        "X-Slack-Request-Timestamp": moment,
        "X-Slack-Signature": "v0=" + signature.hexdigest(),
        "Content-Type": "application/x-www-form-urlencoded",
    }
    return body, headers


def test_slash_commands_post_each_action(relay: Running) -> None:
    for command in (
        "new Sign-in fails | Some customers cannot sign in.",
        "update We found the cause.",
        "Resolve #2026-11-24-single-sign-on-fails-in-the-eu Sign-in works again.",
    ):
        status, answer = post(f"{relay.url}/slack", *_signed(command))
        assert status == 200 and answer.startswith(b"Posted"), answer
    actions = [as_action(body) for _, body in relay.github.received]
    assert [a.action for a in actions] == ["new", "update", "resolve"]
    assert actions[0].title == "Sign-in fails"
    assert actions[1].message == "We found the cause."
    assert actions[2].id == "2026-11-24-single-sign-on-fails-in-the-eu"


def test_a_slash_command_that_cannot_succeed_is_answered_with_its_mistake(
    relay: Running,
) -> None:
    """Finding 8: ``/status udpate …`` or a bare ``resolve`` were answered "Posted" and
    failed later, out of sight."""
    for command, expected in (
        ("udpate We found the cause.", "action: unknown action \"udpate\"; did you mean 'update'?"),
        ("resolve", "message: missing; say what customers should know now"),
        ("new | Some customers cannot sign in.", "title: missing; a new incident needs a title"),
        ("update #../etc/passwd We found it.", "id: '../etc/passwd' is not an id"),
        ("update # We found it.", "id: missing after '#'"),
        ("update \x1b[31mHTTP 502\x1b[0m", "message: contains the control character U+001B"),
        ("help", "/status new TITLE | MESSAGE"),
        ("", "/status update [#ID] [COMPONENT=STATUS...] [impact=I]"),
    ):
        status, answer = post(f"{relay.url}/slack", *_signed(command))
        assert status == 200, (command, status)
        assert expected in answer.decode(), (command, answer)
        assert answer.startswith(b"Not posted: ") == (command not in ("help", "")), answer
    assert relay.github.received == []


def test_an_unsigned_or_stale_slash_command_is_refused(relay: Running) -> None:
    body, headers = _signed("update Someone else's words.")
    assert post(f"{relay.url}/slack", body, headers | {"X-Slack-Signature": "v0=00"})[0] == 403
    stale = _signed("update Old.", stamp=int(time.time()) - 3600)
    assert post(f"{relay.url}/slack", *stale)[0] == 403
    for stamp in (b"\xc2\xb2", b"-1", b"99999999999999999999"):  # "²" is a digit to isdigit()
        request = b"POST /slack HTTP/1.1\r\nX-Slack-Request-Timestamp: " + stamp
        request += b"\r\nX-Slack-Signature: v0=\xc3\xa9\r\nContent-Length: 0\r\n\r\n"
        assert raw(relay.port, request)[0] == 403
    assert relay.github.received == []


def test_every_request_gets_an_answer_at_once(relay: Running) -> None:
    """Finding 8: ``Content-Length: -1`` held a thread forever; invalid JSON, a missing
    groupKey or a non-ASCII signature gave tracebacks and no answer."""
    auth = f"Authorization: Bearer {TOKEN}\r\n".encode()

    def alertmanager(headers: bytes, body: bytes = b"") -> bytes:
        return b"POST /alertmanager HTTP/1.1\r\n" + auth + headers + b"\r\n" + body

    for request, status, reason in (
        (alertmanager(b"Content-Length: -1\r\n", b"{}"), 400, b"Content-Length"),
        (alertmanager(b"Content-Length: abc\r\n"), 400, b"Content-Length"),
        (alertmanager(b"Content-Length: 2\r\nContent-Length: 3\r\n", b"{}"), 400, b"one number"),
        (alertmanager(b"Content-Length: 99999999999\r\n"), 413, b"at most 1048576"),
        (alertmanager(b"Transfer-Encoding: chunked\r\n", b"0\r\n\r\n"), 411, b"Content-Length"),
        (alertmanager(b""), 411, b"Content-Length"),
        (alertmanager(b"Content-Length: 10\r\n", b"{}"), 400, b"ended after 2 of 10 bytes"),
        (alertmanager(b"Content-Length: 5\r\n", b"{oops"), 400, b"not JSON"),
        (alertmanager(b"Content-Length: 3\r\n", b"\xff{}"), 400, b"not JSON"),
        (alertmanager(b"Content-Length: 2\r\n", b"[]"), 400, b"expected a JSON object"),
        (alertmanager(b"Content-Length: 20\r\n", b'{"status": "firing"}'), 400, b"groupKey"),
        (b"GET /alertmanager HTTP/1.1\r\n\r\n", 405, b"POST only"),
        (b"POST /elsewhere HTTP/1.1\r\nContent-Length: 0\r\n\r\n", 404, b"POST /alertmanager"),
        (b"POST /alertmanager\r\n\r\n", 400, b""),
        (b"POST /alertmanager HTTP/2.0\r\n\r\n", 505, b""),
        (b"   \r\n\r\n", 400, b"METHOD PATH"),
    ):
        answered, answer = raw(relay.port, request)
        assert (answered, reason in answer) == (status, True), (request, answered, answer)
    # a length the body never reaches is not waited for: the relay reads what it says
    request = alertmanager(b"Content-Length: -1\r\n", notification())
    assert raw(relay.port, request, close=False)[0] == 400
    deep = b"[" * 100_000
    request = alertmanager(f"Content-Length: {len(deep)}\r\n".encode(), deep)
    assert raw(relay.port, request)[1].startswith(b"the body is not JSON (nested too deeply)")
    assert relay.github.received == []


def test_a_request_that_stops_arriving_is_answered_408() -> None:
    log: list[str] = []
    module = _relay()
    config = module.Settings(
        repository="acme/status",
        github_token=GITHUB_TOKEN,
        relay_token=TOKEN,
        slack_secret=SECRET,
        read_timeout=0.3,
        log=log.append,
    )
    server = module.RelayServer(("127.0.0.1", 0), config)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        port = server.server_address[1]
        head = f"POST /alertmanager HTTP/1.1\r\nAuthorization: Bearer {TOKEN}\r\n".encode()
        assert raw(port, head + b"Content-Length: 10\r\n\r\n{", close=False)[0] == 408
        assert raw(port, b"POST /alertmanager HT", close=False)[0] == 408
    finally:
        server.shutdown()
        server.server_close()
    assert not any(TOKEN in line or "Traceback" in line for line in log), log


def test_a_failure_to_reach_github_is_answered_502(relay: Running) -> None:
    relay.github.failing[DISPATCHES] = 401
    status, answer = post(f"{relay.url}/alertmanager", notification(), BEARER)
    assert status == 502
    assert answer.startswith(b"GitHub refused the dispatch (HTTP 401): check GITHUB_TOKEN")
    status, answer = post(f"{relay.url}/slack", *_signed("update We found the cause."))
    assert (status, answer[:40]) == (200, b"Not posted: GitHub refused the dispatch ")
    with running(f"http://127.0.0.1:{free_port()}") as unreachable:
        status, answer = post(f"{unreachable.url}/alertmanager", notification(), BEARER)
        assert status == 502
        assert answer.startswith(b"could not reach GitHub at http://127.0.0.1:"), answer


def test_the_dispatch_follows_no_redirect_with_githubs_token(tmp_path: Path) -> None:
    """urllib would follow a 307 with every header, the token included, to any host: a
    GITHUB_API that redirects is refused (502 saying why), and nothing reaches the host
    it names."""
    with http_receiver() as elsewhere:

        class Redirecting(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.send_response(307)
                self.send_header("Location", f"http://127.0.0.1:{elsewhere.port}/stolen")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        with serving(Redirecting) as port, running(f"http://127.0.0.1:{port}") as relay:
            status, answer = post(f"{relay.url}/alertmanager", notification(), BEARER)
        assert status == 502
        assert b"(HTTP 307): a redirect is not followed" in answer, answer
        assert elsewhere.received == []


# the rules are apply's --------------------------------------------------------------------


def test_the_relays_rules_are_applys() -> None:
    module = _relay()
    assert module.ACTIONS == actions.ACTIONS
    assert (module.ID_PATTERN, module.ID_LENGTH) == (formats.ID_PATTERN, formats.ID_LENGTH)
    assert module.KEY_LENGTH == actions.KEY_LENGTH
    assert (module.IMPACTS, module.COMPONENT_STATUSES) == (IMPACTS, COMPONENT_STATUSES)
    for value in (*PAYLOADS, "\u202e", "a\u2066b", "\U0001fffe", "\ufdd0", "\x85", "ok\n\t"):
        assert module.text_problem(value) == text.text_problem(value), repr(value)


SLACK_WORDS = st.sampled_from(["new", "update", "resolve", "udpate", "NEW", "help", "", "#"])
SLACK_SETTINGS = st.sampled_from(
    ["", "api=operational ", "auth=partial_outage api=down ", "impact=minor ", "impact=huge ",
     'title="Slow sign-in" ', 'title="" ', "api=operational impact=none "]
)  # fmt: skip
SLACK_TEXTS = st.builds(
    lambda verb, ident, settings, words: f"{verb} {ident}{settings}{words}",
    SLACK_WORDS,
    st.sampled_from(["", "#", "#api-1 ", "#a/b ", "#" + "x" * 129 + " "]),
    SLACK_SETTINGS,
    st.one_of(st.sampled_from(PAYLOADS), st.text(max_size=30), st.just("Title | Message")),
)


@settings(max_examples=150, derandomize=True, database=None, deadline=None)
@given(SLACK_TEXTS)
@pytest.mark.slow
def test_what_the_relay_posts_from_slack_apply_accepts(command: str) -> None:
    module = _relay()
    config, _ = read_config(ROOT / "site_config.yml")
    assert config is not None
    payload = module.parse_slack(command)
    if payload is None:
        return
    posted, answer = module.from_slack(command)
    try:
        read_action(payload, config)
    except ActionError as error:
        assert posted is None, (command, str(error))
    else:
        blank_id = payload.get("id", "x").strip() == ""  # (apply ignores it; the relay asks)
        assert posted == payload or blank_id, (command, answer)


# the standing defence ----------------------------------------------------------------------


@quick_profile(100)
@given(INPUTS)
def test_no_request_breaks_the_relays_laws(request: Any) -> None:
    check(request, Path())


def test_the_relay_is_named_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "contrib/relay.py" in readme
    assert "RELAY_TOKEN" in readme and "authorization:" in readme
    assert Path(RELAY).is_file()


def test_the_readmes_curl_example_is_a_valid_action(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text()
    block = readme.split("```sh\ncurl -fsS -X POST https://api.github.com", 1)[1].split("```")[0]
    with http_receiver() as github:
        command = f"curl -fsS -X POST http://127.0.0.1:{github.port}" + block
        result = subprocess.run(
            ["bash", "-c", command.replace("OWNER/REPO", "acme/status")],
            env={**os.environ, "STATUS_TOKEN": "github_pat_test"},
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert result.returncode == 0, result.stderr
        [(path, body)] = github.received
    assert path == DISPATCHES
    action = as_action(body)
    assert (action.action, action.key) == ("new", "payments-2026-11-20")

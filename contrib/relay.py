"""Post to the status page from Alertmanager and from a Slack slash command.

Alertmanager's webhook and Slack's slash commands send payloads of their own; GitHub's
repository_dispatch takes a different one. This relay, in Python's standard library alone
(3.11 or newer), turns one into the other and answers at once (Slack waits at most 3
seconds):

- ``POST /alertmanager``: each episode of an alert group (the group, and the earliest
  ``startsAt`` of its alerts) becomes a draft incident opened as a pull request
  (``review: true``) for a person to read first, keyed by the episode: Alertmanager's
  retries and repeats post it once, the next episode posts again. The group's
  ``resolved`` notification proposes the all clear, a draft too. Requests must carry the
  relay's token, ``Authorization: Bearer RELAY_TOKEN`` (Alertmanager's
  ``http_config.authorization``).
- ``POST /slack``: ``/status new Title | message``, ``/status update message``,
  ``/status resolve message``; ``update`` and ``resolve`` take ``#id`` first to name an
  incident other than the only open one; ``/status help`` answers the usage. Commands are
  checked with the rules ``statusgen apply`` uses before anything is posted, and a mistake
  is answered in Slack. Requests not signed with Slack's signing secret are refused.

    GITHUB_REPOSITORY=acme/status GITHUB_TOKEN=github_pat_... RELAY_TOKEN=... \\
    SLACK_SIGNING_SECRET=... python contrib/relay.py 8080 [--host 0.0.0.0]

GITHUB_TOKEN is a fine-grained token for this one repository with Contents: read and write.
RELAY_TOKEN is a secret of your own (``python3 -c "import secrets;
print(secrets.token_urlsafe(32))"``); the relay does not start without it. It listens on
127.0.0.1 unless ``--host`` (or RELAY_HOST) says otherwise. Without SLACK_SIGNING_SECRET,
``/slack`` is off.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import hmac
import http.client
import json
import os
import re
import socket
import sys
import time
import unicodedata
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, NoReturn
from urllib.parse import parse_qs

# The rules of ``statusgen apply`` (generator/input/actions.py, formats.py, text.py) that need
# no repository, repeated here because the relay runs without statusgen installed;
# tests/test_relay.py holds them equal.
ACTIONS = ("new", "update", "resolve")
ID_LENGTH = 128
ID_PATTERN = rf"^[A-Za-z0-9_-]{{1,{ID_LENGTH}}}$"
KEY_LENGTH = 100
IMPACTS = ("none", "minor", "major", "critical")
COMPONENT_STATUSES = (
    "operational", "degraded_performance", "partial_outage", "major_outage", "under_maintenance",
)  # fmt: skip
_ID = re.compile(ID_PATTERN)
#: Direction controls (embeddings, overrides, isolates) can show the text after them reversed.
_DIRECTION_CONTROLS = "\u202a-\u202e\u2066-\u2069"
_DIRECTION = re.compile(f"[{_DIRECTION_CONTROLS}]")
_FORBIDDEN = re.compile(
    f"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff{_DIRECTION_CONTROLS}]"
)
_ASTRAL_NONCHARACTERS = "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(1, 17)
)
_FORBIDDEN_BEYOND = re.compile(f"[{_ASTRAL_NONCHARACTERS}]")
_NAMES = {"\x1b": "ESC", "\x00": "NUL", "\x07": "BEL", "\x08": "BACKSPACE"}
_NEEDS = {
    "message": "say what customers should know now (Markdown)",
    "title": "a new incident needs a title that says what customers experience",
}

#: What the relay takes at most: bodies (Alertmanager's largest groups are far smaller), and
#: seconds for a request to arrive.
MAX_BODY = 1024 * 1024
READ_TIMEOUT = 10.0
#: Seconds the relay keeps reading what a client still sends after its answer, so that the
#: client reads the answer instead of a reset connection.
LINGER = 1.0
#: Characters of a value quoted in an error message.
QUOTED = 60
#: RFC 6750's b64token: what a bearer token may hold.
_TOKEN = re.compile(r"[A-Za-z0-9._~+/-]+=*")
TOKEN_LENGTH = 16
_RFC3339 = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)[Tt ](\d\d):(\d\d):(\d\d)(?:\.(\d+))?(?:([Zz])|([+-])(\d\d):(\d\d))",
    re.ASCII,
)
_STAMP = re.compile(r"[0-9]{1,12}", re.ASCII)
_LENGTH = re.compile(r"[0-9]{1,15}", re.ASCII)
_COMMAND = re.compile(r"/[A-Za-z0-9_-]{1,32}", re.ASCII)
_SLACK_ID = re.compile(r"#(\S*)\s*(.*)", re.DOTALL)
#: What an update may say before its message: api=operational, impact=minor, title="..."
_SLACK_SETTING = re.compile(r'([A-Za-z0-9_-]{1,128})=("[^"\n]*"|[^\s"]+)\s*')
#: Control characters as a log line shows them (so that no request can forge log lines).
_CONTROLS_TABLE = str.maketrans({c: f"\\x{c:02x}" for c in (*range(0x20), *range(0x7F, 0xA0))})


class SettingsError(Exception):
    """The relay's environment cannot work: one line per problem."""


class Refusal(Exception):
    """A request the relay answers with an error: the status and what to do."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Settings:
    """What the relay needs, read once at start (``from_environment``)."""

    repository: str
    github_token: str = field(repr=False)
    relay_token: str = field(repr=False)
    slack_secret: str | None = field(default=None, repr=False)
    github_api: str = "https://api.github.com"
    max_body: int = MAX_BODY
    read_timeout: float = READ_TIMEOUT
    log: Callable[[str], None] = _stderr

    @classmethod
    def from_environment(cls, environ: Mapping[str, str]) -> Settings:
        """The settings in ``environ``; SettingsError naming every variable that is wrong."""
        problems = []
        repository = environ.get("GITHUB_REPOSITORY", "").strip()
        if not re.fullmatch(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+", repository):
            problems.append(
                "GITHUB_REPOSITORY: "
                + ("not set" if not repository else "not OWNER/REPO")
                + "; set it to your status repository, such as acme/status"
            )
        github_token = environ.get("GITHUB_TOKEN", "").strip()
        if not github_token:
            problems.append(
                "GITHUB_TOKEN: not set; give it a fine-grained token for the repository "
                "with Contents: read and write"
            )
        relay_token = environ.get("RELAY_TOKEN", "").strip()
        if len(relay_token) < TOKEN_LENGTH or not _TOKEN.fullmatch(relay_token):
            problems.append(
                "RELAY_TOKEN: "
                + ("not set" if not relay_token else "not a usable token")
                + f"; the relay refuses requests without this secret: at least {TOKEN_LENGTH}"
                " letters, digits and -._~+/, such as the output of"
                ' python3 -c "import secrets; print(secrets.token_urlsafe(32))"; give'
                " Alertmanager the same as http_config.authorization.credentials"
            )
        slack_secret = environ.get("SLACK_SIGNING_SECRET", "").strip() or None
        if problems:
            raise SettingsError("\n".join(problems))
        return cls(
            repository=repository,
            github_token=github_token,
            relay_token=relay_token,
            slack_secret=slack_secret,
            github_api=environ.get("GITHUB_API", "https://api.github.com").rstrip("/"),
        )

    def redact(self, text: str) -> str:
        """``text`` with every secret the relay knows replaced by ``[secret]``."""
        for secret in (self.relay_token, self.github_token, self.slack_secret):
            if secret:
                text = text.replace(secret, "[secret]")
        return text


# what apply would say ------------------------------------------------------------------------


def text_problem(text: str) -> str | None:
    """What is wrong with ``text`` for statusgen (control characters, noncharacters, lone
    surrogates, direction controls), or None: generator/input/text.py's rule."""
    found = _FORBIDDEN.search(text)
    if not text.isascii():
        beyond = _FORBIDDEN_BEYOND.search(text)
        if beyond is not None and (found is None or beyond.start() < found.start()):
            found = beyond
    if found is None:
        return None
    character = found.group(0)
    kind = "the control character" if unicodedata.category(character) == "Cc" else "the character"
    name = _NAMES.get(character, unicodedata.name(character, ""))
    code = f"U+{ord(character):04X}"
    if _DIRECTION.match(character):
        name += ", a direction control that can show the text after it reversed"
    described = f"{code} ({name})" if name else code
    return f"{kind} {described} at character {found.start() + 1}"


def without_forbidden(text: str) -> str:
    """``text`` without the characters statusgen refuses (for machine text, repaired)."""
    return _FORBIDDEN_BEYOND.sub("", _FORBIDDEN.sub("", text))


def did_you_mean(word: str, candidates: tuple[str, ...]) -> str | None:
    close = difflib.get_close_matches(word, sorted(candidates), n=1, cutoff=0.7)
    if not close:
        close = [c for c in candidates if c.lower() == word.lower()]
    if not close and len(word) >= 3:
        close = [c for c in candidates if c.startswith(word.lower())][:3]
    return ("did you mean " + " or ".join(f"'{c}'" for c in close) + "?") if close else None


def problems_of(payload: Mapping[str, Any]) -> list[str]:
    """What ``statusgen apply`` would refuse in ``payload`` without reading the repository
    (the relay's own actions hold only action, title, message, id and key), as
    ``field: message`` lines; empty when it is valid."""
    kind = payload.get("action")
    if kind not in ACTIONS:
        hint = did_you_mean(str(kind), ACTIONS) or "use new, update or resolve"
        return [f"action: unknown action {json.dumps(kind)}; {hint}"]
    problems = []
    for name, value in payload.items():
        if not isinstance(value, str):
            continue
        problem = text_problem(value)
        if problem is not None:
            problems.append(f"{name}: contains {problem}")
        elif name == "id" and not _ID.match(value.strip()):
            problems.append(
                f"id: '{value}' is not an id: at most {ID_LENGTH} letters, digits, - and _"
                if value.strip()
                else "id: missing after '#'; write #ID, the incident's file name without .yml"
            )
        elif name == "key" and (len(value.strip()) > KEY_LENGTH or "\n" in value):
            problems.append(f"key: a key is one line of at most {KEY_LENGTH} characters")
    impact = payload.get("impact")
    if impact is not None and impact not in IMPACTS:
        problems.append(f"impact: unknown impact {json.dumps(impact)}; use {', '.join(IMPACTS)}")
    for item in payload.get("components", "").split(", ") if payload.get("components") else ():
        status = item.partition("=")[2]
        if status not in COMPONENT_STATUSES:
            hint = did_you_mean(status, COMPONENT_STATUSES) or "use " + ", ".join(
                COMPONENT_STATUSES
            )
            problems.append(f"components: unknown component status {json.dumps(status)}; {hint}")
    for name in ("title", "message"):
        if name == "message" or kind == "new":
            value = payload.get(name)
            if not isinstance(value, str) or not value.strip():
                problems.append(f"{name}: missing; {_NEEDS[name]}")
    return problems


# Slack ---------------------------------------------------------------------------------------


def usage(command: str = "/status") -> str:
    return (
        f"{command} new TITLE | MESSAGE\n"
        f'{command} update [#ID] [COMPONENT=STATUS...] [impact=I] [title="T"] MESSAGE\n'
        f"{command} resolve [#ID] MESSAGE\n"
        "update and resolve apply to the only open incident, or to the one #ID names "
        "(its file name without .yml, or the start of it). An update may set components' "
        "statuses (api=operational), the impact and a corrected title before its message."
    )


def parse_slack(text: str) -> dict[str, Any] | None:
    """The action ``text`` asks for, unchecked; None for ``help`` (or nothing)."""
    words = text.strip().split(None, 1)
    if not words or words[0].lower() in ("help", "usage", "?"):
        return None
    action = words[0].lower()
    rest = words[1] if len(words) > 1 else ""
    payload: dict[str, Any] = {"action": action}
    if action == "new":
        title, _, message = rest.partition("|")
        payload |= {"title": title.strip(), "message": message.strip() or "We are investigating."}
    else:
        given = _SLACK_ID.fullmatch(rest)
        if given is not None:
            payload["id"] = given.group(1)
            rest = given.group(2)
        if action == "update":
            rest = _settings(rest, payload)
        payload["message"] = rest.strip()
    return payload


def _settings(text: str, payload: dict[str, Any]) -> str:
    """Put what an update sets before its message (``api=operational impact=minor
    title="..."``) into ``payload``; the rest of ``text``, the message."""
    components = []
    while (found := _SLACK_SETTING.match(text)) is not None:
        name, value = found.group(1), found.group(2).strip('"')
        if name in ("impact", "title"):
            payload[name] = value
        else:
            components.append(f"{name}={value}")
        text = text[found.end() :]
    if components:
        payload["components"] = ", ".join(components)
    return text


def from_slack(text: str, command: str = "/status") -> tuple[dict[str, Any] | None, str]:
    """The action to post for ``text`` and nothing to say, or no action and the answer."""
    if not _COMMAND.fullmatch(command):
        command = "/status"
    payload = parse_slack(text)
    if payload is None:
        return None, usage(command)
    problems = problems_of(payload)
    if problems:
        return None, "Not posted: " + "; ".join(problems) + ".\n\n" + usage(command)
    return payload, ""


def signed_by_slack(headers: Any, body: bytes, secret: str, now: float) -> bool:
    """Whether Slack signed ``body`` with ``secret`` in the last five minutes."""
    stamp = headers.get("X-Slack-Request-Timestamp", "").strip()
    if not _STAMP.fullmatch(stamp) or abs(now - int(stamp)) > 300:
        return False
    base = b"v0:" + stamp.encode() + b":" + body
    expected = b"v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest().encode()
    given = headers.get("X-Slack-Signature", "").strip().encode("latin-1", "replace")
    return hmac.compare_digest(expected, given)


# Alertmanager --------------------------------------------------------------------------------


def _quoted(value: Any, settings: Settings) -> str:
    """A hostile value, safe and short enough to name in an answer."""
    if isinstance(value, str):
        value = settings.redact(value)
    text = json.dumps(value, ensure_ascii=True, default=str)
    return text if len(text) <= QUOTED else text[: QUOTED - 3] + "..."


def _moment(value: Any) -> datetime | None:
    """An RFC 3339 time as Alertmanager writes it (nanoseconds and all), in UTC."""
    found = _RFC3339.fullmatch(value) if isinstance(value, str) else None
    if found is None:
        return None
    year, month, day, hour, minute, second, fraction, _, sign, hours, minutes = found.groups()
    try:
        offset = timedelta(hours=int(hours or 0), minutes=int(minutes or 0))
        zone = timezone(-offset if sign == "-" else offset)
        moment = datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second),
            int((fraction or "0")[:6].ljust(6, "0")), tzinfo=zone,
        )  # fmt: skip
        return moment.astimezone(UTC)
    except (ValueError, OverflowError):
        return None


def _text(*candidates: Any) -> str | None:
    """The first candidate that is text statusgen can show, repaired of control characters."""
    for candidate in candidates:
        if isinstance(candidate, str):
            repaired = without_forbidden(candidate).strip()
            if repaired:
                return repaired
    return None


def episode_key(group_key: str, started: datetime) -> str:
    """The key of one episode of an alert group: safe in a git branch name
    ([a-z0-9-], at most 100 characters), the same for every notification of the episode."""
    digest = hashlib.sha256(group_key.encode("utf-8", "surrogatepass")).hexdigest()[:24]
    t = started
    stamp = f"{t.year:04d}{t.month:02d}{t.day:02d}t{t.hour:02d}{t.minute:02d}{t.second:02d}z"
    return f"alertmanager-{digest}-{stamp}"


def from_alertmanager(body: bytes, settings: Settings) -> dict[str, Any]:
    """The draft for one notification of Alertmanager's webhook: ``new`` for a firing
    group, ``resolve`` (of the incident its firing draft opened) for a resolved one.
    Refusal (400) when the body is not such a notification."""
    try:
        group = json.loads(body)
    except (ValueError, RecursionError) as error:
        reason = (
            error.msg
            if isinstance(error, json.JSONDecodeError)
            else "nested too deeply"
            if isinstance(error, RecursionError)
            else "not UTF-8"
        )
        raise Refusal(
            400, f"the body is not JSON ({reason}): send Alertmanager's webhook"
        ) from None
    if not isinstance(group, dict):
        raise Refusal(400, "the body is not Alertmanager's webhook: expected a JSON object")
    group_key = group.get("groupKey")
    if not isinstance(group_key, str) or not group_key:
        raise Refusal(400, "groupKey: missing; send Alertmanager's webhook (version 4)")
    status = group.get("status")
    if status not in ("firing", "resolved"):
        raise Refusal(400, f"status: expected firing or resolved, not {_quoted(status, settings)}")
    alerts = group.get("alerts")
    if not isinstance(alerts, list) or not alerts:
        raise Refusal(400, "alerts: missing; a notification lists its alerts")
    starts = []
    for number, alert in enumerate(alerts):
        value = alert.get("startsAt") if isinstance(alert, dict) else None
        moment = _moment(value)
        if moment is None:
            raise Refusal(
                400,
                f"alerts[{number}].startsAt: {_quoted(value, settings)} is not an RFC 3339 time",
            )
        starts.append(moment)
    key = episode_key(group_key, min(starts))
    if status == "resolved":
        return {
            "action": "resolve", "incident_key": key, "key": f"{key}-resolved", "review": True,
            "message": "This is resolved: everything works as usual again.",
        }  # fmt: skip
    annotations = group.get("commonAnnotations")
    annotations = annotations if isinstance(annotations, dict) else {}
    labels = group.get("commonLabels")
    labels = labels if isinstance(labels, dict) else {}
    title = _text(annotations.get("summary"), labels.get("alertname")) or "An alert fired"
    message = _text(annotations.get("description")) or "We are investigating."
    return {"action": "new", "title": title, "message": message, "review": True, "key": key}


def authorized(headers: Any, token: str) -> bool:
    """Whether the request carries ``Authorization: Bearer TOKEN`` (compared in constant
    time, whatever bytes it holds)."""
    given = headers.get_all("Authorization") or []
    if len(given) != 1:
        return False
    scheme, _, credentials = given[0].strip().partition(" ")
    offered = credentials.strip().encode("latin-1", "replace")
    return scheme.lower() == "bearer" and hmac.compare_digest(offered, token.encode())


# GitHub --------------------------------------------------------------------------------------


def dispatch(settings: Settings, payload: dict[str, Any]) -> None:
    """Start the Incident workflow with ``payload`` as its action; Refusal (502) saying
    why when GitHub cannot be reached or refuses."""
    request = urllib.request.Request(
        f"{settings.github_api}/repos/{settings.repository}/dispatches",
        data=json.dumps({"event_type": "statusgen", "client_payload": payload}).encode(),
        headers={
            "Authorization": f"Bearer {settings.github_token}",
            "Accept": "application/vnd.github+json",
            "Content-Type": "application/json",
        },
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10):
            pass
    except urllib.error.HTTPError as error:
        hint = (
            "check GITHUB_TOKEN (a fine-grained token with Contents: read and write) and "
            f"GITHUB_REPOSITORY ({settings.repository})"
            if error.code in (401, 403, 404, 422)
            else "GitHub may be down; the sender may retry"
        )
        raise Refusal(502, f"GitHub refused the dispatch (HTTP {error.code}): {hint}") from None
    except (OSError, ValueError, http.client.HTTPException) as error:  # (URLError too)
        reason = getattr(error, "reason", None) or error
        raise Refusal(
            502, f"could not reach GitHub at {settings.github_api} ({reason}); the sender may retry"
        ) from None


# HTTP ----------------------------------------------------------------------------------------


class Relay(BaseHTTPRequestHandler):
    """One connection: one request, always answered with a status and a plain-text reason."""

    server: RelayServer
    server_version = "statusgen-relay"
    sys_version = ""

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(self.server.settings.read_timeout)
        self.answered = False
        self.requestline = self.command = ""
        self.request_version = "HTTP/1.0"

    def handle_one_request(self) -> None:
        try:
            self.raw_requestline = self.rfile.readline(65537)
            for _ in range(8):  # (RFC 9112: ignore empty lines before a request line)
                if self.raw_requestline not in (b"\r\n", b"\n"):
                    break
                self.raw_requestline = self.rfile.readline(65537)
            if not self.raw_requestline:
                self.close_connection = True
                return
            if len(self.raw_requestline) > 65536:
                raise Refusal(414, "the request line is longer than 65,536 bytes")
            if not self.parse_request():
                raise Refusal(400, "the request line is not METHOD PATH HTTP/1.1")
            if self.request_version == "HTTP/0.9":
                raise Refusal(400, "send HTTP/1.0 or HTTP/1.1")
            self.route()
        except Refusal as refusal:
            self.answer(refusal.status, refusal.message)
        except TimeoutError:
            seconds = self.server.settings.read_timeout
            self.answer(408, f"the request did not arrive within {seconds:g} seconds")
        except OSError as error:  # the client went away
            self.log_message("connection lost: %s", type(error).__name__)
        except Exception as error:  # an answer, never a traceback: the log says what broke
            self.log_message("failed: %s: %s", type(error).__name__, error)
            self.answer(500, "the relay failed on this request; its log says why")
        finally:
            self.close_connection = True

    def route(self) -> None:
        path = self.path.split("?", 1)[0]
        routes = {"/alertmanager": self.alertmanager, "/slack": self.slack}
        if path not in routes:
            raise Refusal(404, "no such path: the relay takes POST /alertmanager and POST /slack")
        if self.command != "POST":
            raise Refusal(405, f"{path} takes POST only")
        routes[path]()

    def alertmanager(self) -> None:
        settings = self.server.settings
        if not authorized(self.headers, settings.relay_token):
            raise Refusal(
                401,
                "send the relay's token: Authorization: Bearer RELAY_TOKEN (in Alertmanager, "
                "the receiver's http_config: authorization: credentials)",
            )
        draft = from_alertmanager(self.body(), settings)
        dispatch(settings, draft)
        self.answer(200, f"Posted: a draft to {draft['action']} ({draft['key']}) for review.")

    def slack(self) -> None:
        settings = self.server.settings
        if settings.slack_secret is None:
            raise Refusal(404, "Slack is off on this relay: set SLACK_SIGNING_SECRET")
        body = self.body()
        if not signed_by_slack(self.headers, body, settings.slack_secret, time.time()):
            raise Refusal(
                403, "not signed with this Slack app's signing secret in the last 5 minutes"
            )
        try:
            form = parse_qs(body.decode("utf-8"), max_num_fields=50)
        except ValueError:  # (UnicodeDecodeError too)
            raise Refusal(400, "the body is not a UTF-8 form, as Slack sends") from None
        text = form.get("text", [""])[0]
        payload, answer = from_slack(text, form.get("command", ["/status"])[0])
        if payload is not None:
            try:
                dispatch(settings, payload)
            except Refusal as refusal:  # Slack shows the text of 200 answers only
                answer = f"Not posted: {refusal.message}"
            else:
                answer = "Posted: the status page shows it within a few minutes."
        self.answer(200, answer)

    def body(self) -> bytes:
        """The request's body, read within the size and time limits; Refusal otherwise."""
        settings = self.server.settings
        if self.headers.get("Transfer-Encoding") is not None:
            raise Refusal(411, "send the body with a Content-Length, not Transfer-Encoding")
        lengths = {value.strip() for value in self.headers.get_all("Content-Length") or []}
        if not lengths:
            raise Refusal(411, "send a Content-Length")
        length = lengths.pop()
        if lengths or not _LENGTH.fullmatch(length):
            raise Refusal(400, "the Content-Length is not one number of bytes")
        size = int(length)
        if size > settings.max_body:
            raise Refusal(
                413,
                f"the body is {size} bytes; the relay takes at most {settings.max_body}"
                " (in Alertmanager, lower max_alerts in the webhook_config)",
            )
        deadline = time.monotonic() + settings.read_timeout
        chunks: list[bytes] = []
        remaining = size
        while remaining:
            if time.monotonic() > deadline:
                raise TimeoutError
            chunk = self.rfile.read1(min(remaining, 65536))
            if not chunk:
                raise Refusal(400, f"the body ended after {size - remaining} of {size} bytes")
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """http.server's own refusals (a bad request line, too many headers), as plain
        text with a status line, whatever version the request named."""
        self.answer(code, message or self.responses.get(code, ("", ""))[0])

    def answer(self, status: int, text: str) -> None:
        """Answer once, in plain text without any secret; a client gone is no error."""
        if self.answered:
            return
        self.answered = True
        if self.request_version not in ("HTTP/1.0", "HTTP/1.1"):
            self.request_version = "HTTP/1.0"  # (http.server sends 0.9 answers without status)
        data = self.server.settings.redact(text).encode("utf-8", "replace") + b"\n"
        line = self.requestline if len(self.requestline) <= 200 else self.requestline[:200] + "..."
        self.log_message('"%s" %d %s', line, status, text.partition("\n")[0][:300])
        try:
            self.send_response(status)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Connection", "close")
            if status == 401:
                self.send_header("WWW-Authenticate", 'Bearer realm="statusgen-relay"')
            if status == 405:
                self.send_header("Allow", "POST")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)
            self.wfile.flush()
        except OSError as error:
            self.log_message("connection lost: %s", type(error).__name__)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """(``answer`` logs each request once, with its reason.)"""

    def log_message(self, format: str, *args: Any) -> None:
        """One line per event, without secrets or control characters (no log injection)."""
        text = self.server.settings.redact(format % args)
        text = text.translate(_CONTROLS_TABLE)
        self.server.settings.log(f"relay: {self.client_address[0]} {text}")


class RelayServer(ThreadingHTTPServer):
    """The relay's server: its settings for every request, no traceback for any failure,
    and a lingering close so that a client still sending reads its answer."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], settings: Settings) -> None:
        self.settings = settings
        super().__init__(address, Relay)

    def handle_error(self, request: Any, client_address: Any) -> None:
        error = sys.exc_info()[1]
        self.settings.log(f"relay: {client_address[0]} failed: {type(error).__name__}")

    def shutdown_request(self, request: Any) -> None:
        try:
            request.shutdown(socket.SHUT_WR)
            request.settimeout(LINGER)
            drained = 0
            while drained <= self.settings.max_body:
                chunk = request.recv(65536)
                if not chunk:
                    break
                drained += len(chunk)
        except OSError:
            pass
        self.close_request(request)


class _Arguments(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(1, f"{self.prog}: {message}\n{self.format_usage()}")


def main(argv: list[str] | None = None, environ: Mapping[str, str] = os.environ) -> int:
    parser = _Arguments(prog="relay.py", description=__doc__.splitlines()[0])
    parser.add_argument("port", nargs="?", type=int, default=8080)
    parser.add_argument(
        "--host",
        default=environ.get("RELAY_HOST", "127.0.0.1"),
        help="the address to listen on (RELAY_HOST; default 127.0.0.1: this machine only)",
    )
    arguments = parser.parse_args(argv)
    if not 0 <= arguments.port <= 65535:
        parser.error(f"port {arguments.port} is not between 0 and 65535")
    try:
        settings = Settings.from_environment(environ)
    except SettingsError as error:
        for line in str(error).splitlines():
            print(f"relay: {line}", file=sys.stderr)
        return 1
    try:
        server = RelayServer((arguments.host, arguments.port), settings)
    except (OSError, OverflowError) as error:
        print(
            f"relay: cannot listen on {arguments.host}:{arguments.port} ({error}); "
            "choose another --host or port",
            file=sys.stderr,
        )
        return 1
    host, port = arguments.host, server.server_port
    slack = "and POST /slack" if settings.slack_secret else "(/slack off: no SLACK_SIGNING_SECRET)"
    print(
        f"relay: listening on http://{host}:{port}: POST /alertmanager {slack}, "
        f"for {settings.repository}",
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

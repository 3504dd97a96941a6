"""Post to the status page from Alertmanager, Grafana, Uptime Kuma, Gatus and Slack.

Monitors' webhooks and Slack's slash commands send payloads of their own; GitHub's
repository_dispatch takes a different one. This relay, in Python's standard library alone
(3.11 or newer), turns one into the other and answers at once (Slack waits at most 3
seconds):

- ``POST /alertmanager``: each episode of an alert group (the group, and the earliest
  ``startsAt`` of its alerts) becomes a draft incident opened as a pull request
  (``review: true``) for a person to read first, keyed by the episode: Alertmanager's
  retries and repeats post it once, the next episode posts again (an episode goes on
  while an alert seen in it fires, though an alert that resolved leaves the group). The
  group's ``resolved`` notification proposes the all clear, a draft too. Requests must
  carry the relay's token, ``Authorization: Bearer RELAY_TOKEN`` (Alertmanager's
  ``http_config.authorization``).
- ``POST /grafana`` (Grafana's webhook contact point, Alertmanager's shape),
  ``POST /uptime-kuma`` (its Webhook notification, body application/json) and
  ``POST /gatus`` (its custom alerting provider, with the body the README gives): the
  same, one draft per episode and its all clear, with the same token (Grafana may send it
  as the password of basic authentication). Uptime Kuma and Gatus do not always say, on
  recovery, when the episode started: the relay remembers each open episode in
  RELAY_STATE (default ``relay-state.json``), a file it rewrites whole after each change.
  RELAY_COMPONENTS maps monitor names to the components their drafts affect, as a JSON
  object: ``{"Public API": "api=major_outage", "Sign-in page": "auth, dashboard"}``.
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
import base64
import difflib
import hashlib
import hmac
import http.client
import json
import os
import re
import socket
import sys
import threading
import time
import unicodedata
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import parse_qs

# The rules of ``statusgen apply`` (generator/input/actions.py, formats.py, text.py) that need
# no repository, repeated here because the relay runs without statusgen installed;
# tests/usecases/test_relay.py holds them equal.
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
#: Where the relay remembers open episodes unless RELAY_STATE says otherwise.
STATE = "relay-state.json"
#: RFC 6750's b64token: what a bearer token may hold.
_TOKEN = re.compile(r"[A-Za-z0-9._~+/-]+=*")
TOKEN_LENGTH = 16
_RFC3339 = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)[Tt ](\d\d):(\d\d):(\d\d)(?:\.(\d+))?(?:([Zz])|([+-])(\d\d):?(\d\d))?",
    re.ASCII,
)
_STAMP = re.compile(r"[0-9]{1,12}", re.ASCII)
_EPISODE = re.compile(r"-[0-9]{8}t[0-9]{6}z", re.ASCII)
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
    #: Monitor names (Alertmanager's and Grafana's alertname, Uptime Kuma's monitor name,
    #: Gatus' endpoint name) to the components their drafts affect, ``ID[=STATUS], ...``.
    components: Mapping[str, str] = field(default_factory=dict)
    #: The file that remembers open episodes (``Memory``); None: the process's memory only.
    state: str | None = None

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
        components = _component_mapping(environ.get("RELAY_COMPONENTS", ""), problems)
        state = environ.get("RELAY_STATE", "").strip() or STATE
        folder = Path(state).absolute().parent
        if not os.access(folder, os.W_OK | os.X_OK):
            problems.append(
                f"RELAY_STATE: cannot write into {folder}; set RELAY_STATE to a file in a "
                "folder the relay may write (it remembers open episodes of Uptime Kuma and Gatus)"
            )
        if problems:
            raise SettingsError("\n".join(problems))
        return cls(
            repository=repository,
            github_token=github_token,
            relay_token=relay_token,
            slack_secret=slack_secret,
            github_api=environ.get("GITHUB_API", "https://api.github.com").rstrip("/"),
            components=components,
            state=state,
        )

    def redact(self, text: str) -> str:
        """``text`` with every secret the relay knows replaced by ``[secret]``."""
        for secret in (self.relay_token, self.github_token, self.slack_secret):
            if secret:
                text = text.replace(secret, "[secret]")
        return text


def _component_mapping(text: str, problems: list[str]) -> dict[str, str]:
    """RELAY_COMPONENTS: a JSON object of monitor names to ``ID[=STATUS], ...``."""
    if not text.strip():
        return {}
    example = ' such as {"Checkout": "payments=major_outage", "Sign-in page": "auth, dashboard"}'
    try:
        mapping = json.loads(text)
    except (ValueError, RecursionError):
        problems.append("RELAY_COMPONENTS: not JSON; give a JSON object of monitor names" + example)
        return {}
    if not isinstance(mapping, dict) or not all(isinstance(v, str) for v in mapping.values()):
        problems.append("RELAY_COMPONENTS: not an object of texts;" + example)
        return {}
    for name, value in mapping.items():
        problems.extend(f"RELAY_COMPONENTS: {name}: {p}" for p in component_problems(value))
    return {name: ", ".join(i.strip() for i in value.split(",")) for name, value in mapping.items()}


def component_problems(value: str) -> list[str]:
    """What is wrong with ``ID[=STATUS], ...`` that the relay can see without the site's
    components (their ids apply checks): ids that cannot be ids, unknown statuses."""
    problems = []
    for item in value.split(","):
        component, _, status = (part.strip() for part in item.partition("="))
        if not _ID.fullmatch(component):
            problems.append(f"{json.dumps(component)} is not a component id of site_config.yml")
        elif status and status not in COMPONENT_STATUSES:
            hint = did_you_mean(status, COMPONENT_STATUSES) or "use " + ", ".join(
                COMPONENT_STATUSES
            )
            problems.append(f"unknown component status {json.dumps(status)}; {hint}")
    return problems


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


# Monitors: the rules of generator/input/alerts.py -------------------------------------------

SOURCES = ("alertmanager", "grafana", "uptime-kuma", "gatus")
#: The monitors whose recovery may not say when the episode started: the relay remembers
#: their open episodes (``Memory``).
REMEMBERING = ("uptime-kuma", "gatus")
#: The monitors whose notifications list their alerts (each with its fingerprint and start):
#: their open episodes are remembered with the alerts seen in them, and go on only while a
#: notification lists one of those (so that a resolved notification the relay never got
#: cannot swallow the next episode).
GROUPED = ("alertmanager", "grafana")
NAMES = {
    "alertmanager": "Alertmanager",
    "grafana": "Grafana",
    "uptime-kuma": "Uptime Kuma",
    "gatus": "Gatus",
}
INVESTIGATING = "We are investigating."
ALL_CLEAR = "This is resolved: everything works as usual again."
#: Uptime Kuma's heartbeat states (server/model/heartbeat.js).
DOWN, UP = 0, 1
_KUMA_STATES = {2: "pending", 3: "maintenance"}
#: What Gatus' [ALERT_TRIGGERED_OR_RESOLVED] placeholder is replaced with by default.
TRIGGERED, RESOLVED = "TRIGGERED", "RESOLVED"
#: How each monitor sends the relay's token, for the answer to a request without it.
_SENDS_TOKEN = {
    "alertmanager": "in Alertmanager, the receiver's http_config: authorization: credentials",
    "grafana": "in Grafana's webhook contact point, Authorization header: scheme Bearer, "
    "credentials RELAY_TOKEN; or basic authentication with RELAY_TOKEN as the password",
    "uptime-kuma": 'in Uptime Kuma\'s webhook, Additional Headers: {"Authorization": '
    '"Bearer RELAY_TOKEN"}',
    "gatus": "in Gatus' custom alerting provider, headers: Authorization: Bearer RELAY_TOKEN",
}
#: What to send instead of a body that is not the monitor's notification.
_SEND = {
    "alertmanager": "send Alertmanager's webhook",
    "grafana": "send Grafana's webhook",
    "uptime-kuma": "send Uptime Kuma's webhook with its request body application/json",
    "gatus": 'send the body the README gives under "From Gatus"',
}


class AlertError(Refusal):
    """The body is not the monitor's notification (400), or its recovery names no episode
    the relay knows (409): ``where: what``, as generator/input/alerts.py says it."""

    def __init__(self, where: str, what: str, unknown: bool = False) -> None:
        super().__init__(409 if unknown else 400, f"{where}: {what}")
        self.where = where
        self.what = what
        self.unknown = unknown


@dataclass(frozen=True)
class Draft:
    """What one notification asks for: ``payload``, the action to post (without its
    components, which the mapping adds), or None and ``said``, why nothing is to post."""

    source: str
    series: str
    name: str
    payload: dict[str, Any] | None = None
    said: str = ""
    declared: str | None = None

    @property
    def key(self) -> str:
        return str(self.payload["key"]) if self.payload else ""

    @property
    def opens(self) -> bool:
        return self.payload is not None and self.payload["action"] == "new"

    @property
    def closes(self) -> bool:
        return self.payload is not None and self.payload["action"] == "resolve"


def _quoted(value: Any, redact: Callable[[str], str] = str) -> str:
    """A hostile value, safe and short enough to name in an answer (secrets taken out
    before it is shortened, so that no part of one is left)."""
    if isinstance(value, str):
        value = redact(value)
    text = json.dumps(value, ensure_ascii=True, default=str)
    return text if len(text) <= QUOTED else text[: QUOTED - 3] + "..."


def moment(value: Any) -> datetime | None:
    """An RFC 3339 time (nanoseconds and all), or Uptime Kuma's ``YYYY-MM-DD HH:MM:SS.mmm``
    (UTC, without a zone), in UTC; None when it is neither."""
    found = _RFC3339.fullmatch(value.strip()) if isinstance(value, str) else None
    if found is None:
        return None
    year, month, day, hour, minute, second, fraction, _, sign, hours, minutes = found.groups()
    try:
        offset = timedelta(hours=int(hours or 0), minutes=int(minutes or 0))
        zone = timezone(-offset if sign == "-" else offset)
        when = datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second),
            int((fraction or "0")[:6].ljust(6, "0")), tzinfo=zone,
        )  # fmt: skip
        return when.astimezone(UTC)
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


def series(source: str, identity: str) -> str:
    digest = hashlib.sha256(identity.encode("utf-8", "surrogatepass")).hexdigest()[:24]
    return f"{source}-{digest}"


def episode_key(prefix: str, started: datetime) -> str:
    """The key of the episode of ``prefix`` (a series) that started at ``started``: safe in
    a git branch name ([a-z0-9-], at most 100 characters)."""
    t = started.astimezone(UTC)
    stamp = f"{t.year:04d}{t.month:02d}{t.day:02d}t{t.hour:02d}{t.minute:02d}{t.second:02d}z"
    return f"{prefix}-{stamp}"


def draft(
    source: str,
    data: Mapping[str, Any],
    now: datetime,
    remembered: Callable[[str], str | None],
    redact: Callable[[str], str] = str,
) -> Draft:
    """The draft for one notification of ``source``; ``remembered`` gives the key of the
    episode open for a series, if one is known; ``now`` is when the notification arrived
    (Gatus' episodes start then). AlertError when it is not such a notification."""
    if source in GROUPED:
        return _grouped(source, data, remembered, redact)
    if source == "uptime-kuma":
        return _uptime_kuma(data, remembered, redact)
    if source == "gatus":
        return _gatus(data, now, remembered, redact)
    raise AlertError("source", f"unknown monitor {_quoted(source)}; use {', '.join(SOURCES)}")


def _new(title: str, message: str, key: str) -> dict[str, Any]:
    return {"action": "new", "title": title, "message": message, "review": True, "key": key}


def _resolve(key: str) -> dict[str, Any]:
    return {
        "action": "resolve", "incident_key": key, "key": f"{key}-resolved", "review": True,
        "message": ALL_CLEAR,
    }  # fmt: skip


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def _grouped(
    source: str,
    group: Mapping[str, Any],
    remembered: Callable[[str], str | None],
    redact: Callable[[str], str],
) -> Draft:
    """Alertmanager's webhook (version 4), or Grafana's, which has its shape."""
    name = NAMES[source]
    group_key = group.get("groupKey")
    if not isinstance(group_key, str) or not group_key:
        version = " (version 4)" if source == "alertmanager" else ""
        raise AlertError("groupKey", f"missing; send {name}'s webhook{version}")
    status = group.get("status")
    if status not in ("firing", "resolved"):
        raise AlertError("status", f"expected firing or resolved, not {_quoted(status, redact)}")
    alerts = group.get("alerts")
    if not isinstance(alerts, list) or not alerts:
        raise AlertError("alerts", "missing; a notification lists its alerts")
    starts = []
    for number, alert in enumerate(alerts):
        value = alert.get("startsAt") if isinstance(alert, dict) else None
        started = moment(value)
        if started is None:
            raise AlertError(
                f"alerts[{number}].startsAt", f"{_quoted(value, redact)} is not an RFC 3339 time"
            )
        starts.append(started)
    prefix = series(source, group_key)
    key = _going_on(prefix, min(starts), remembered(prefix))
    first = _mapping(alerts[0])
    labels, annotations = (
        _mapping(group.get("commonLabels")),
        _mapping(group.get("commonAnnotations")),
    )
    first_labels, first_annotations = (
        _mapping(first.get("labels")),
        _mapping(first.get("annotations")),
    )
    monitor = _text(labels.get("alertname"), first_labels.get("alertname")) or ""
    declared = _text(annotations.get("components"))
    if status == "resolved":
        return Draft(source, prefix, monitor, _resolve(key), declared=declared)
    title = (
        _text(annotations.get("summary"), labels.get("alertname"))
        or _text(first_annotations.get("summary"), first_labels.get("alertname"))
        or "An alert fired"
    )
    message = (
        _text(annotations.get("description"), first_annotations.get("description")) or INVESTIGATING
    )
    return Draft(source, prefix, monitor, _new(title, message, key), declared=declared)


def alerts_listed(group: Mapping[str, Any]) -> tuple[str, ...]:
    """The alerts a grouped notification lists, each as ``FINGERPRINT@START`` (its
    labels' digest where it has no fingerprint): an alert's identity in one episode."""
    listed = []
    alerts = group.get("alerts")
    for alert in alerts if isinstance(alerts, list) else ():
        if not isinstance(alert, dict) or (started := moment(alert.get("startsAt"))) is None:
            continue
        fingerprint = alert.get("fingerprint")
        if not isinstance(fingerprint, str) or not re.fullmatch(r"[0-9a-f]{1,64}", fingerprint):
            labels = json.dumps(alert.get("labels"), sort_keys=True, default=str)
            fingerprint = hashlib.sha256(labels.encode("utf-8", "surrogatepass")).hexdigest()[:16]
        listed.append(f"{fingerprint}@{started.strftime('%Y%m%dT%H%M%S.%fZ')}")
    return tuple(listed)


def is_episode_of(key: str, prefix: str) -> bool:
    """Whether ``key`` is the key of an episode of the series ``prefix``."""
    return key.startswith(prefix) and _EPISODE.fullmatch(key[len(prefix) :]) is not None


def _going_on(prefix: str, earliest: datetime, open_key: str | None) -> str:
    """The key of a group's episode: the one open for the group if it began no later than
    the notification's earliest alert, else the episode of that alert (Alertmanager drops
    an alert from its group once a notification told it resolved: while others still
    fire, a later notification's earliest ``startsAt`` is later than the episode's)."""
    key = episode_key(prefix, earliest)
    if open_key is not None and is_episode_of(open_key, prefix) and open_key <= key:
        return open_key  # (the keys of a series differ only in their stamps, in order)
    return key


def _uptime_kuma(
    data: Mapping[str, Any], remembered: Callable[[str], str | None], redact: Callable[[str], str]
) -> Draft:
    """Uptime Kuma's webhook notification (``server/notification-providers/webhook.js``:
    ``{"heartbeat", "monitor", "msg"}``, with the body *application/json*)."""
    heartbeat, monitor = data.get("heartbeat"), data.get("monitor")
    if heartbeat is None and monitor is None:
        return Draft(
            "uptime-kuma", "", "", said="Test received: the token is right; nothing to post"
        )
    if not isinstance(heartbeat, dict):
        raise AlertError("heartbeat", "expected an object: send Uptime Kuma's webhook as JSON")
    if not isinstance(monitor, dict):
        raise AlertError("monitor", "expected an object: send Uptime Kuma's webhook as JSON")
    identity = monitor.get("id", heartbeat.get("monitorID"))
    if isinstance(identity, bool) or not isinstance(identity, int | str) or str(identity) == "":
        raise AlertError("monitor.id", f"{_quoted(identity, redact)} is not a monitor's id")
    name = _text(monitor.get("name")) or f"Monitor {identity}"
    prefix = series("uptime-kuma", str(identity))
    state = heartbeat.get("status")
    open_key = remembered(prefix)
    if state == UP:
        if open_key is not None:
            return Draft("uptime-kuma", prefix, name, _resolve(open_key))
        down = moment(heartbeat.get("lastDownTime"))
        if down is None:
            raise AlertError(
                "heartbeat.lastDownTime",
                f"missing, and no episode of monitor {_quoted(name, redact)} is open here: its "
                "draft was not posted from here; resolve that incident by hand (Uptime Kuma "
                "2.1 and newer send lastDownTime)",
                unknown=True,
            )
        return Draft("uptime-kuma", prefix, name, _resolve(episode_key(prefix, down)))
    if state != DOWN:
        said = _KUMA_STATES.get(state) if isinstance(state, int) else None
        if said is None:
            raise AlertError(
                "heartbeat.status", f"expected 0 (down) or 1 (up), not {_quoted(state, redact)}"
            )
        return Draft("uptime-kuma", prefix, name, said=f"Nothing to post: monitor is {said}")
    started = moment(heartbeat.get("time"))
    if started is None:
        raise AlertError(
            "heartbeat.time", f"{_quoted(heartbeat.get('time'), redact)} is not a time"
        )
    reminder = not heartbeat.get("important")
    key = open_key if reminder and open_key is not None else episode_key(prefix, started)
    title = f"{name} is unavailable"
    return Draft("uptime-kuma", prefix, name, _new(title, INVESTIGATING, key))


def _gatus(
    data: Mapping[str, Any],
    now: datetime,
    remembered: Callable[[str], str | None],
    redact: Callable[[str], str],
) -> Draft:
    """Gatus' custom alert with the body statusgen documents (README, "From Gatus")."""
    state = data.get("gatus")
    if state not in (TRIGGERED, RESOLVED):
        raise AlertError(
            "gatus",
            f"expected TRIGGERED or RESOLVED (the placeholder [ALERT_TRIGGERED_OR_RESOLVED], "
            f"without placeholders of its own), not {_quoted(state, redact)}",
        )
    endpoint = _text(data.get("endpoint"))
    if endpoint is None:
        raise AlertError("endpoint", 'missing; write "endpoint": "[ENDPOINT_NAME]" in the body')
    group = _text(data.get("group")) or ""
    prefix = series("gatus", f"{group}/{endpoint}")
    declared = _text(data.get("components"))
    open_key = remembered(prefix)
    if state == RESOLVED:
        if open_key is None:
            raise AlertError(
                "gatus",
                f"RESOLVED, but no episode of endpoint {_quoted(endpoint, redact)} is open here: "
                "its draft was not posted from here; resolve that incident by hand",
                unknown=True,
            )
        return Draft("gatus", prefix, endpoint, _resolve(open_key), declared=declared)
    key = open_key if open_key is not None else episode_key(prefix, now)
    title = f"{endpoint} is unavailable"
    message = _text(data.get("description")) or INVESTIGATING
    return Draft("gatus", prefix, endpoint, _new(title, message, key), declared=declared)


def json_object(body: bytes, source: str, strict: bool = True) -> dict[str, Any]:
    """The JSON object ``body`` holds; AlertError (400) saying what to send otherwise."""
    try:
        data = json.loads(body, strict=strict)
    except (ValueError, RecursionError) as error:
        reason = (
            error.msg
            if isinstance(error, json.JSONDecodeError)
            else "nested too deeply"
            if isinstance(error, RecursionError)
            else "not UTF-8"
        )
        raise Refusal(400, f"the body is not JSON ({reason}): {_SEND[source]}") from None
    if not isinstance(data, dict):
        raise Refusal(400, f"the body is not {NAMES[source]}'s webhook: expected a JSON object")
    return data


def with_components(found: Draft, mapping: Mapping[str, str]) -> dict[str, Any]:
    """The draft's action with the components it affects: those its payload names, else
    what the relay's mapping (RELAY_COMPONENTS) gives for the monitor's name (exactly, else
    in any case)."""
    assert found.payload is not None
    if found.payload["action"] != "new":
        return found.payload
    named = found.declared
    if named is None:
        named = mapping.get(found.name)
        if named is None:
            wanted = found.name.casefold()
            named = next((v for k, v in mapping.items() if k.casefold() == wanted), None)
    return found.payload if named is None else {**found.payload, "components": named}


def authorized(headers: Any, token: str) -> bool:
    """Whether the request carries ``Authorization: Bearer TOKEN`` (or basic
    authentication whose password is TOKEN, as Grafana can send), compared in constant
    time, whatever bytes it holds."""
    given = headers.get_all("Authorization") or []
    if len(given) != 1:
        return False
    scheme, _, credentials = given[0].strip().partition(" ")
    offered = credentials.strip().encode("latin-1", "replace")
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(offered, validate=True)
        except ValueError:  # (binascii.Error)
            return False
        offered = decoded.partition(b":")[2]
        if b":" not in decoded:
            return False
    elif scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(offered, token.encode())


# The relay's memory ---------------------------------------------------------------------------


class Memory:
    """The open episode of each monitor that may not say, on recovery, when its episode
    started (Uptime Kuma, Gatus): ``{series: {"key", "monitor", "since"}}``, kept in the
    state file (RELAY_STATE) and rewritten whole and atomically after each change, so that
    neither a restart nor a kill forgets an episode the relay posted. It holds no secret.
    Without a file (``path`` None) it lasts as long as the process."""

    #: Open episodes kept at most (the oldest are forgotten first).
    LIMIT = 10_000

    def __init__(self, path: str | None) -> None:
        self.path = path
        self.lock = threading.Lock()
        self.open: dict[str, dict[str, str]] = self._load()

    def _load(self) -> dict[str, dict[str, str]]:
        if self.path is None or not Path(self.path).exists():
            return {}
        fix = (
            f"RELAY_STATE: {self.path} is not the relay's state ({{}}); move it away, and the "
            "relay starts with no open episode (their recoveries then need an all clear by hand)"
        )
        try:
            data = json.loads(Path(self.path).read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError) as error:
            reason = error.strerror if isinstance(error, OSError) else "not JSON"
            raise SettingsError(fix.format(reason)) from None
        episodes = data.get("open") if isinstance(data, dict) else None
        if (
            not isinstance(data, dict)
            or data.get("version") != 1
            or not isinstance(episodes, dict)
            or not all(
                isinstance(e, dict) and isinstance(e.get("key"), str) for e in episodes.values()
            )
        ):
            raise SettingsError(fix.format('expected {"version": 1, "open": {...}}'))
        return {str(s): {k: str(v) for k, v in e.items()} for s, e in episodes.items()}

    def get(self, prefix: str) -> str | None:
        episode = self.open.get(prefix)
        return episode["key"] if episode else None

    def saw_any(self, prefix: str, listed: tuple[str, ...]) -> bool:
        """Whether the episode open for ``prefix`` saw one of the alerts ``listed``."""
        episode = self.open.get(prefix)
        return episode is not None and not set(listed).isdisjoint(episode.get("alerts", "").split())

    def remember(
        self, prefix: str, key: str, monitor: str, now: datetime, listed: tuple[str, ...] = ()
    ) -> None:
        """``key`` as the episode open for ``prefix``, with the alerts ``listed`` in its
        notifications (those of the episode remembered before too, if it is the same)."""
        since = now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        before = self.open.get(prefix)
        if before is not None and before["key"] == key:
            since = before.get("since", since)
            listed = (*before.get("alerts", "").split(), *listed)
        self.open[prefix] = {"key": key, "monitor": monitor, "since": since}
        if listed:  # the newest last; a group lists far fewer
            self.open[prefix]["alerts"] = " ".join(list(dict.fromkeys(listed))[-1000:])
        while len(self.open) > self.LIMIT:
            oldest = min(self.open, key=lambda s: self.open[s].get("since", ""))
            del self.open[oldest]
        self._write()

    def forget(self, prefix: str) -> None:
        if self.open.pop(prefix, None) is not None:
            self._write()

    def _write(self) -> None:
        """Write the file whole beside itself, then put it in place (OSError when not)."""
        if self.path is None:
            return
        path = Path(self.path).absolute()
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        data = json.dumps({"version": 1, "open": self.open}, indent=1, sort_keys=True)
        try:
            with temporary.open("w", encoding="utf-8") as stream:
                stream.write(data + "\n")
                stream.flush()
                os.fsync(stream.fileno())
            temporary.replace(path)
        finally:
            temporary.unlink(missing_ok=True)
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


# GitHub --------------------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """urllib follows a redirect with every header of the request, Authorization too,
    to whatever host it names: the dispatch follows none (a 3xx is an answer)."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_NOT_REDIRECTED = urllib.request.build_opener(_NoRedirect)


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
        with _NOT_REDIRECTED.open(request, timeout=10):
            pass
    except urllib.error.HTTPError as error:
        if 300 <= error.code < 400:
            hint = (
                "a redirect is not followed, as it would take GITHUB_TOKEN elsewhere: set "
                f"GITHUB_API to the API's own address (now {settings.github_api})"
            )
        elif error.code in (401, 403, 404, 422):
            hint = (
                "check GITHUB_TOKEN (a fine-grained token with Contents: read and write) and "
                f"GITHUB_REPOSITORY ({settings.repository})"
            )
        else:
            hint = "GitHub may be down; the sender may retry"
        raise Refusal(502, f"GitHub refused the dispatch (HTTP {error.code}): {hint}") from None
    except (OSError, ValueError, http.client.HTTPException) as error:  # (URLError too)
        reason = getattr(error, "reason", None) or error
        raise Refusal(
            502, f"could not reach GitHub at {settings.github_api} ({reason}); the sender may retry"
        ) from None


# HTTP ----------------------------------------------------------------------------------------

#: The relay's paths, and who sends to each.
ROUTES = {
    "/alertmanager": "alertmanager",
    "/grafana": "grafana",
    "/uptime-kuma": "uptime-kuma",
    "/gatus": "gatus",
    "/slack": "slack",
}


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
        if path not in ROUTES:
            raise Refusal(404, "no such path: the relay takes POST " + ", POST ".join(ROUTES))
        if self.command != "POST":
            raise Refusal(405, f"{path} takes POST only")
        source = ROUTES[path]
        if source == "slack":
            self.slack()
        else:
            self.alert(source)

    def alert(self, source: str) -> None:
        """A monitor's notification: its draft posted, its episode remembered or forgotten
        once GitHub took the draft (one notification at a time, so that two of a monitor
        never race for its episode)."""
        settings = self.server.settings
        if not authorized(self.headers, settings.relay_token):
            raise Refusal(
                401,
                "send the relay's token: Authorization: Bearer RELAY_TOKEN "
                f"({_SENDS_TOKEN[source]})",
            )
        # (Gatus puts its placeholders' values into its JSON as they are: a description
        # may hold a line break, which strict JSON refuses.)
        data = json_object(self.body(), source, strict=source != "gatus")
        memory = self.server.memory
        listed = alerts_listed(data) if source in GROUPED else ()

        def remembered(prefix: str) -> str | None:
            if source in GROUPED and not memory.saw_any(prefix, listed):
                return None
            return memory.get(prefix)

        with memory.lock:
            now = datetime.now(UTC)
            found = draft(source, data, now, remembered, settings.redact)
            if found.payload is None:
                self.answer(200, found.said + ".")
                return
            payload = with_components(found, settings.components)
            problems = component_problems(payload.get("components") or "x")
            if problems:  # (only the payload's own: the mapping was checked at start)
                raise Refusal(
                    400,
                    f"components: {'; '.join(problems)}: name the components as "
                    "ID[=STATUS], ... with the ids of site_config.yml",
                )
            dispatch(settings, payload)
            said = f"Posted: a draft to {payload['action']} ({payload['key']}) for review."
            try:
                if source in (*REMEMBERING, *GROUPED) and found.opens:
                    memory.remember(found.series, found.key, found.name, now, listed)
                elif source in (*REMEMBERING, *GROUPED) and found.closes:
                    memory.forget(found.series)
            except OSError as error:
                self.log_message("cannot write %s: %s", memory.path, error.strerror)
                said += (
                    f" But the relay could not write {memory.path} ({error.strerror}): after a"
                    " restart it will not know this episode."
                )
        self.answer(200, said)

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
        said = self.server.settings.redact(text).partition("\n")[0][:300]  # (no part of one)
        self.log_message('"%s" %d %s', line, status, said)
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
        self.memory = Memory(settings.state)  # (SettingsError when its file is not usable)
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
    except SettingsError as error:
        print(f"relay: {error}", file=sys.stderr)
        return 1
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
        f"relay: listening on http://{host}:{port}: POST /alertmanager, /grafana, "
        f"/uptime-kuma, /gatus {slack}, for {settings.repository}; open episodes in "
        f"{settings.state}",
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

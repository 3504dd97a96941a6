"""Monitors' webhooks as the draft actions ``statusgen apply`` performs: Alertmanager's,
Grafana's (unified alerting's webhook contact point), Uptime Kuma's and Gatus' (its
custom alerting provider, with the body statusgen documents).

A firing alert is a draft ``new`` (``review: true``) keyed by its episode: the monitor's
identity (digested) and when this episode started, ``<source>-<24 hex>-<YYYYMMDDtHHMMSSz>``,
so that the monitor's repeats post once and its next episode posts again; its recovery is
a draft ``resolve`` of the incident the firing draft opened (``incident_key``).

Alertmanager and Grafana name the episode's start in every notification, recovery included
(the earliest ``startsAt`` of the group's alerts), as long as that alert stays in the
group: one that resolved leaves it once a notification told so, and the group's episode,
open for it, goes on while the others fire. Uptime Kuma and Gatus do not always:

- Uptime Kuma's down notification carries the heartbeat that changed the state (its
  ``time``, ``important``); a reminder ("resend every N beats") carries a later heartbeat,
  not important; the up notification carries ``lastDownTime`` since 2.1 only.
- Gatus' custom alert has no time at all.

So the episode that is open for a monitor is *remembered*: by the relay in its state file,
by ``apply`` in the repository (the open incident whose file records a key of that
monitor, else the newest of its drafts still open for review, which the incident workflow
names). What is remembered wins over what a notification says, because it is the key of
the draft that was actually posted. Without either, a reminder starts its own episode, and
a recovery with no start is refused with what to do.

contrib/relay.py repeats these rules (it runs without statusgen installed);
tests/usecases/test_alert_sources.py holds the two equal.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from generator.input.text import without_forbidden

SOURCES = ("alertmanager", "grafana", "uptime-kuma", "gatus")
#: The monitors whose recovery may not say when the episode started: their open episodes
#: are remembered.
REMEMBERING = ("uptime-kuma", "gatus")
#: The monitors whose notifications group alerts, each with its start (Alertmanager's
#: shape): an episode open for a group goes on while later alerts of it fire.
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
#: Characters of a value quoted in a message.
QUOTED = 60

_RFC3339 = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)[Tt ](\d\d):(\d\d):(\d\d)(?:\.(\d+))?(?:([Zz])|([+-])(\d\d):?(\d\d))?",
    re.ASCII,
)
_EPISODE = re.compile(r"-[0-9]{8}t[0-9]{6}z", re.ASCII)


class AlertError(Exception):
    """The payload is not the monitor's notification, or its recovery names no episode
    that is known (``unknown``): where and what, as one message."""

    def __init__(self, where: str, what: str, unknown: bool = False) -> None:
        super().__init__(f"{where}: {what}")
        self.where = where
        self.what = what
        self.unknown = unknown


@dataclass(frozen=True)
class Draft:
    """What one notification asks for: ``payload``, the action to post (without its
    components, which the mapping adds), or None and ``said``, why nothing is to post."""

    source: str
    #: The monitor's episodes' common prefix: ``<source>-<digest of its identity>``.
    series: str
    #: The monitor's name, as the component mapping is keyed.
    name: str
    payload: dict[str, Any] | None = None
    said: str = ""
    #: Components the payload itself names (``ID[=STATUS], ...``), before any mapping.
    declared: str | None = None

    @property
    def key(self) -> str:
        return str(self.payload["key"]) if self.payload else ""

    @property
    def opens(self) -> bool:
        """Whether the draft opens an episode, to remember until its recovery."""
        return self.payload is not None and self.payload["action"] == "new"

    @property
    def closes(self) -> bool:
        return self.payload is not None and self.payload["action"] == "resolve"


def source_of(data: Mapping[str, Any]) -> str | None:
    """Which monitor's notification ``data`` is, or None for an action."""
    if "heartbeat" in data and "monitor" in data:
        return "uptime-kuma"
    if "gatus" in data:
        return "gatus"
    if "groupKey" in data and "alerts" in data:
        return "grafana" if "orgId" in data else "alertmanager"
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


def is_episode_of(key: str, prefix: str) -> bool:
    """Whether ``key`` is the key of an episode of the series ``prefix``."""
    return key.startswith(prefix) and _EPISODE.fullmatch(key[len(prefix) :]) is not None


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


def quoted(value: Any) -> str:
    """A hostile value, safe and short enough to name in a message."""
    text = json.dumps(value, ensure_ascii=True, default=str)
    return text if len(text) <= QUOTED else text[: QUOTED - 3] + "..."


def text_of(*candidates: Any) -> str | None:
    """The first candidate that is text statusgen can show, repaired of control characters."""
    for candidate in candidates:
        if isinstance(candidate, str):
            repaired = without_forbidden(candidate).strip()
            if repaired:
                return repaired
    return None


def draft(
    source: str,
    data: Mapping[str, Any],
    now: datetime,
    remembered: Callable[[str], str | None],
) -> Draft:
    """The draft for one notification of ``source``; ``remembered`` gives the key of the
    episode open for a series, if one is known; ``now`` is when the notification arrived
    (Gatus' episodes start then). AlertError when it is not such a notification."""
    if source in GROUPED:
        return _grouped(source, data, remembered)
    if source == "uptime-kuma":
        return _uptime_kuma(data, remembered)
    if source == "gatus":
        return _gatus(data, now, remembered)
    raise AlertError("source", f"unknown monitor {quoted(source)}; use {', '.join(SOURCES)}")


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
    source: str, group: Mapping[str, Any], remembered: Callable[[str], str | None]
) -> Draft:
    """Alertmanager's webhook (version 4), or Grafana's, which has its shape."""
    name = NAMES[source]
    group_key = group.get("groupKey")
    if not isinstance(group_key, str) or not group_key:
        version = " (version 4)" if source == "alertmanager" else ""
        raise AlertError("groupKey", f"missing; send {name}'s webhook{version}")
    status = group.get("status")
    if status not in ("firing", "resolved"):
        raise AlertError("status", f"expected firing or resolved, not {quoted(status)}")
    alerts = group.get("alerts")
    if not isinstance(alerts, list) or not alerts:
        raise AlertError("alerts", "missing; a notification lists its alerts")
    starts = []
    for number, alert in enumerate(alerts):
        value = alert.get("startsAt") if isinstance(alert, dict) else None
        started = moment(value)
        if started is None:
            raise AlertError(
                f"alerts[{number}].startsAt", f"{quoted(value)} is not an RFC 3339 time"
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
    monitor = text_of(labels.get("alertname"), first_labels.get("alertname")) or ""
    declared = text_of(annotations.get("components"))
    if status == "resolved":
        return Draft(source, prefix, monitor, _resolve(key), declared=declared)
    title = (
        text_of(annotations.get("summary"), labels.get("alertname"))
        or text_of(first_annotations.get("summary"), first_labels.get("alertname"))
        or "An alert fired"
    )
    message = (
        text_of(annotations.get("description"), first_annotations.get("description"))
        or INVESTIGATING
    )
    return Draft(source, prefix, monitor, _new(title, message, key), declared=declared)


def _going_on(prefix: str, earliest: datetime, open_key: str | None) -> str:
    """The key of a group's episode: the one open for the group if it began no later than
    the notification's earliest alert, else the episode of that alert. Alertmanager (and
    Grafana's) drops an alert from its group once a notification told it resolved, so
    while others still fire, the earliest ``startsAt`` of a later notification is later
    than the episode's start: that is the same episode, not a new one."""
    key = episode_key(prefix, earliest)
    if open_key is not None and is_episode_of(open_key, prefix) and open_key <= key:
        return open_key  # (the keys of a series differ only in their stamps, in order)
    return key


def _uptime_kuma(data: Mapping[str, Any], remembered: Callable[[str], str | None]) -> Draft:
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
        raise AlertError("monitor.id", f"{quoted(identity)} is not a monitor's id")
    name = text_of(monitor.get("name")) or f"Monitor {identity}"
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
                f"missing, and no episode of monitor {quoted(name)} is open here: its draft "
                "was not posted from here; resolve that incident by hand (Uptime Kuma "
                "2.1 and newer send lastDownTime)",
                unknown=True,
            )
        return Draft("uptime-kuma", prefix, name, _resolve(episode_key(prefix, down)))
    if state != DOWN:
        said = _KUMA_STATES.get(state) if isinstance(state, int) else None
        if said is None:
            raise AlertError(
                "heartbeat.status", f"expected 0 (down) or 1 (up), not {quoted(state)}"
            )
        return Draft("uptime-kuma", prefix, name, said=f"Nothing to post: monitor is {said}")
    started = moment(heartbeat.get("time"))
    if started is None:
        raise AlertError("heartbeat.time", f"{quoted(heartbeat.get('time'))} is not a time")
    reminder = not heartbeat.get("important")
    key = open_key if reminder and open_key is not None else episode_key(prefix, started)
    title = f"{name} is unavailable"
    return Draft("uptime-kuma", prefix, name, _new(title, INVESTIGATING, key))


def _gatus(
    data: Mapping[str, Any], now: datetime, remembered: Callable[[str], str | None]
) -> Draft:
    """Gatus' custom alert with the body statusgen documents (README, "From Gatus"):
    ``{"gatus": "[ALERT_TRIGGERED_OR_RESOLVED]", "endpoint": "[ENDPOINT_NAME]", "group":
    "[ENDPOINT_GROUP]", "description": "[ALERT_DESCRIPTION]", ...}``."""
    state = data.get("gatus")
    if state not in (TRIGGERED, RESOLVED):
        raise AlertError(
            "gatus",
            f"expected TRIGGERED or RESOLVED (the placeholder [ALERT_TRIGGERED_OR_RESOLVED], "
            f"without placeholders of its own), not {quoted(state)}",
        )
    endpoint = text_of(data.get("endpoint"))
    if endpoint is None:
        raise AlertError("endpoint", 'missing; write "endpoint": "[ENDPOINT_NAME]" in the body')
    group = text_of(data.get("group")) or ""
    prefix = series("gatus", f"{group}/{endpoint}")
    declared = text_of(data.get("components"))
    open_key = remembered(prefix)
    if state == RESOLVED:
        if open_key is None:
            raise AlertError(
                "gatus",
                f"RESOLVED, but no episode of endpoint {quoted(endpoint)} is open here: its "
                "draft was not posted from here; resolve that incident by hand",
                unknown=True,
            )
        return Draft("gatus", prefix, endpoint, _resolve(open_key), declared=declared)
    key = open_key if open_key is not None else episode_key(prefix, now)
    title = f"{endpoint} is unavailable"
    message = text_of(data.get("description")) or INVESTIGATING
    return Draft("gatus", prefix, endpoint, _new(title, message, key), declared=declared)

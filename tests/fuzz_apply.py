"""Structure-aware fuzzing of ``statusgen apply``: hostile payloads against a small status
repository written afresh for each one.

Payloads are mostly actions of the right shape (``new``, ``update``, ``resolve``, with the
fields a form or a bot sends, as strings or JSON values) with hostile values
(tests/fuzzing.py's PAYLOADS, odd times and durations, huge numbers, wrong types, unknown
fields), bare or inside a GitHub event (``inputs``, ``client_payload``); a quarter are
monitors' notifications (``Notification``: Alertmanager's, Grafana's, Uptime Kuma's and
Gatus', with the relay fuzz's hostile values, tests/fuzz_relay.py), as a file or as a
repository_dispatch's ``client_payload``, meeting a repository where an episode of
Uptime Kuma and one of Gatus are open, and drafts of two others still under review; now
and then raw text or bytes, or JSON nested
thousands of levels deep.

The laws ``check`` applies to each:

1. No traceback: ``apply`` exits 0 or 1 with a message.
2. Nothing written on exit 1: the repository holds the same bytes as before.
3. On exit 0, ``check`` passes on the repository as ``apply`` left it.
4. A notification is never published as it is: what it writes is a draft for review
   (``review=true`` for the workflow), keyed by a key safe in a branch name that begins
   with its monitor's name.

``INPUTS`` and ``check`` are what tests/test_apply.py's quick profile and the long profile
(benchmarks/fuzz.py) run; ``TALLY`` counts the inputs ``apply`` accepted and refused.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from hypothesis import strategies as st

from generator.cli import main
from generator.input import alerts
from tests.example import REFERENCE as NOW
from tests.fuzz_relay import MONITOR_BODIES
from tests.fuzzing import IDS, ODD_TIMES, SCALARS, TEXT, mostly
from tests.trees import snapshot

#: How many inputs ``apply`` accepted (exit 0) and refused (exit 1).
TALLY: Counter[str] = Counter()

CONFIG = """\
site:
  name: Acme Cloud Status
  url: https://status.acme.example/
  timezone: Europe/Berlin
components:
  - {id: api, name: Public API}
  - {id: auth, name: Sign-in}
"""
#: The repository every payload meets: one open incident opened by a bot (its key is
#: alert-1), one resolved, one maintenance ahead.
INCIDENTS = {
    "sign-in.yml": """\
title: Some customers cannot sign in
impact: major
components: {auth: partial_outage}
updates:
  - at: 2026-11-20T09:41:00Z
    message: Some customers cannot sign in.
    key: alert-1
""",
    "slow-api.yml": """\
title: Slow API
impact: minor
components: [api]
updates:
  - {at: 2026-11-18T08:00:00Z, message: Slow.}
  - {at: 2026-11-18T09:00:00Z, status: resolved, message: Fast again.}
""",
    "db-upgrade.yml": """\
type: maintenance
title: Database upgrade
scheduled: {start: 2026-12-02T01:00:00Z, end: 2026-12-02T03:00:00Z}
updates:
  - {at: 2026-11-19T10:00:00Z, message: Planned.}
""",
}

#: The open episodes a notification may meet (what the relay would remember, apply finds
#: in the repository): Uptime Kuma's monitor 2 (tests/fuzz_relay.py's monitors are 1 to
#: 4) and Gatus' endpoint website of the group core.
_KUMA_DOWN = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
_GATUS_DOWN = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
EPISODES = {
    "public-api-down.yml": (
        _KUMA_DOWN,
        alerts.episode_key(alerts.series("uptime-kuma", "2"), _KUMA_DOWN),
    ),
    "website-down.yml": (
        _GATUS_DOWN,
        alerts.episode_key(alerts.series("gatus", "core/website"), _GATUS_DOWN),
    ),
}
#: The drafts still open for review that the incident workflow names to apply (episodes of
#: Uptime Kuma's monitor 3 and Gatus' endpoint api, and a draft of another kind).
DRAFTS = "\n".join(
    (
        alerts.episode_key(alerts.series("uptime-kuma", "3"), _KUMA_DOWN),
        alerts.episode_key(alerts.series("gatus", "core/api"), _GATUS_DOWN),
        "payments-2026-11-20",
    )
)
_EPISODE_FILE = """\
title: Public API is unavailable
impact: minor
components: [api]
updates:
  - at: {at}
    message: We are investigating.
    key: {key}
"""
_DRAFT_KEY = re.compile(r"(alertmanager|grafana|uptime-kuma|gatus)-[a-z0-9-]{1,80}")

KEYS = ["alert-1", "alert-2", "am-3f2a-20261120t0941z", "k" * 100]
ODD_KEYS = st.sampled_from(["k" * 101, "a\nb", " ", "alert-1\u202e"])


def _form(valid: st.SearchStrategy[Any]) -> Any:
    """A field's value: mostly valid, as a string or JSON; else anything hostile."""
    return mostly(valid, st.one_of(TEXT, SCALARS, st.lists(SCALARS, max_size=3)))


_TIMES = st.datetimes(
    min_value=datetime(2026, 11, 19),  # noqa: DTZ001 - written below as UTC
    max_value=datetime(2026, 12, 31),  # noqa: DTZ001
).map(lambda moment: moment.strftime("%Y-%m-%dT%H:%M:%SZ"))
TIMES = _form(st.one_of(_TIMES, st.sampled_from(["2026-11-24 11:00", "2026-11-21"]), ODD_TIMES))
PROMISES = _form(
    st.one_of(
        st.sampled_from(["30m", "2h", "1h30m", "1d", "365d", "2026-12-24 11:00"]),
        _TIMES,
        st.sampled_from(["999999999d", "0m", "366d", "9" * 5000 + "m", "-5m", "1e9m", "soon"]),
    )
)
COMPONENTS = _form(
    st.one_of(
        st.sampled_from(["auth=partial_outage, api", "api", "auth=down", "auht", ""]),
        st.lists(st.sampled_from(["api", "auth", "api=major_outage", "x"]), max_size=3),
    )
)
FLAGS = _form(st.sampled_from([True, False, "true", "false", "yes", "0", ""]))
#: Every field an action can have, and a few it cannot.
FIELDS: dict[str, Any] = {
    "title": TEXT,
    "message": TEXT,
    "impact": _form(st.sampled_from(["none", "minor", "major", "critical", "maintenance", "auto"])),
    "status": _form(
        st.sampled_from(["investigating", "identified", "resolved", "in_progress", "auto"])
    ),
    "components": COMPONENTS,
    "regions": _form(st.one_of(st.just("EU, US East"), st.lists(TEXT, max_size=2))),
    "next_update": PROMISES,
    "at": TIMES,
    "key": _form(st.one_of(st.sampled_from(KEYS), ODD_KEYS)),
    "incident_key": _form(st.one_of(st.sampled_from(KEYS), ODD_KEYS)),
    "id": _form(st.one_of(st.sampled_from(["sign-in", "slow-api", "db-upgrade", "nope"]), IDS)),
    "incident": _form(st.sampled_from(["sign-in", "db-upgrade", ""])),
    "review": FLAGS,
    "maintenance": FLAGS,
    "start": TIMES,
    "end": TIMES,
    "colour": TEXT,
}
FEW_FIELDS = st.lists(st.sampled_from(sorted(FIELDS)), max_size=6, unique=True)


@st.composite
def actions(draw: st.DrawFn) -> dict[str, Any]:
    """An action: its kind, what that kind needs, and a few other fields."""
    kind = draw(_form(st.sampled_from(["new", "update", "resolve"])))
    action: dict[str, Any] = {"action": kind, "message": draw(FIELDS["message"])}
    if kind == "new" or draw(st.integers(0, 7)) == 0:
        action["title"] = draw(FIELDS["title"])
    for name in draw(FEW_FIELDS):
        action[name] = draw(FIELDS[name])
    if draw(st.integers(0, 15)) == 0:
        del action["action"]
    return action


def _nested(depth: int, inner: str) -> str:
    return "[" * depth + inner + "]" * depth


EVENTS = actions().flatmap(
    lambda action: st.sampled_from(
        [
            action,
            {"inputs": action, "ref": "refs/heads/main", "workflow": "incident.yml"},
            {
                "action": "statusgen",
                "client_payload": action,
                "repository": {"owner": {"login": "acme", "type": "Organization"}},
            },
            {"inputs": json.dumps(action)},  # an action inside a string: no action at all
        ]
    )
)
#: Raw text and bytes: garbage, deep nesting, numbers of thousands of digits.
RAW = st.one_of(
    st.binary(max_size=64),
    st.text(max_size=64),
    st.sampled_from(["", "null", "[]", '"new"', "{", "\ufeff{}", "{}" * 3, "NaN", "1e999"]),
    st.integers(9, 5000).map(lambda depth: _nested(depth, "")),
    st.integers(2, 5000).map(
        lambda depth: (
            '{"action": "new", "title": "t", "message": "m", "regions": '
            + _nested(depth, '"EU"')
            + "}"
        )
    ),
    st.integers(2, 3000).map(lambda depth: '{"inputs": ' * depth + "{}" + "}" * depth),
    st.sampled_from([10, 4300, 4301, 6000]).map(
        lambda digits: '{"action": "new", "title": "t", "message": ' + "7" * digits + "}"
    ),
)


@dataclass(frozen=True)
class Notification:
    """A monitor's notification: its body as the monitor sends it, given to ``apply`` as
    a file or (``dispatched``, when it is JSON) as a repository_dispatch's payload."""

    body: bytes
    dispatched: bool

    def encoded(self) -> bytes:
        if self.dispatched:
            try:
                data = json.loads(self.body)
            except ValueError:
                return self.body
            event = {"action": "statusgen", "client_payload": data}
            return json.dumps(event, ensure_ascii=False).encode("utf-8", "surrogatepass")
        return self.body


NOTIFICATIONS = st.builds(Notification, MONITOR_BODIES, st.booleans())
#: What ``check`` takes: a JSON value to encode, raw text or bytes as they are, or a
#: monitor's notification.
INPUTS = mostly(st.one_of(EVENTS, EVENTS, EVENTS, NOTIFICATIONS), RAW)


def _encode(value: Any) -> bytes:
    if isinstance(value, Notification):
        return value.encoded()
    if isinstance(value, bytes):
        return value
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text.encode("utf-8", "surrogatepass")


def write_repository(root: Path, episodes: bool = False) -> None:
    """The small status repository every payload meets; with the open ``EPISODES`` for a
    notification."""
    (root / "incidents").mkdir(parents=True)
    (root / "site_config.yml").write_text(CONFIG, encoding="utf-8")
    incidents = dict(INCIDENTS)
    if episodes:
        for name, (at, key) in EPISODES.items():
            incidents[name] = _EPISODE_FILE.format(at=f"{at:%Y-%m-%dT%H:%M:%SZ}", key=key)
    for name, text in incidents.items():
        (root / "incidents" / name).write_text(text, encoding="utf-8")


def check(value: Any, scratch: Path) -> None:
    """Apply ``value`` to a fresh repository under ``scratch`` and hold the laws."""
    root = scratch / "repo"
    notification = isinstance(value, Notification)
    write_repository(root, episodes=notification)
    before = snapshot(root)
    payload = scratch / "action.json"
    payload.write_bytes(_encode(value))
    outputs = scratch / "github-output"
    result = CliRunner().invoke(
        main,
        ["apply", str(payload), "--root", str(root), "--now", NOW],
        env={"GITHUB_OUTPUT": str(outputs), "STATUSGEN_DRAFTS": DRAFTS if notification else ""},
        catch_exceptions=False,
    )
    shown = (value if len(repr(value)) < 2000 else f"{repr(value)[:2000]}...", result.output)
    assert result.exit_code in (0, 1), ("apply exited", result.exit_code, *shown)  # law 1
    assert "Traceback" not in result.output, shown
    if result.exit_code == 1:
        TALLY["refused"] += 1
        assert snapshot(root) == before, ("apply wrote on exit 1", *shown)  # law 2
        return
    TALLY["accepted"] += 1
    if notification:  # law 4
        said = dict(line.split("=", 1) for line in outputs.read_text("utf-8").splitlines())
        if said["changed"] == "true":
            assert said["review"] == "true", ("a notification published at once", *shown)
        added = [
            line.strip().removeprefix("key: ")
            for path, text in snapshot(root).items()
            if text != before.get(path)
            for line in text.decode("utf-8").splitlines()
            if line.strip().startswith("key: ")
        ]
        assert all(_DRAFT_KEY.fullmatch(key) for key in added), (added, *shown)
    checked = CliRunner().invoke(main, ["check", "--root", str(root)], catch_exceptions=False)
    assert checked.exit_code == 0, ("check refused what apply wrote", checked.output, *shown)

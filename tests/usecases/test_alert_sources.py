"""Alert sources: Grafana's, Uptime Kuma's and Gatus' webhooks (and Alertmanager's)
through the relay (a real HTTP request on loopback, a fake GitHub receiving the dispatch)
and through ``statusgen apply``, which make the same drafts with the same keys; the
payloads are those of each monitor's documentation and source (tests/alert_payloads.py)."""

from __future__ import annotations

import base64
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.cli import main
from generator.input import alerts
from tests import alert_payloads as payloads
from tests import fuzz_apply
from tests.conftest import Repo
from tests.example import ROOT
from tests.fuzzing import PAYLOADS, quick_profile
from tests.peers import free_port, http_receiver
from tests.usecases.test_incident_workflow import Run
from tests.usecases.test_relay import (
    BEARER,
    DISPATCHES,
    GITHUB_TOKEN,
    RELAY,
    SECRET,
    TOKEN,
    Running,
    _relay,
    as_action,
    environment,
    notification,
    post,
    raw,
    running,
)
from tests.workflows import bare_remote, git

README = (ROOT / "README.md").read_text(encoding="utf-8")
GATUS_CONFIG = yaml.safe_load(payloads.readme_block(README, "### From Gatus", "yaml"))
GATUS_TEMPLATE: str = GATUS_CONFIG["alerting"]["custom"]["body"]
MAPPING = {"Public API": "api=major_outage", "website": "dashboard"}
KEY = re.compile(r"[a-z0-9-]{1,100}")


@pytest.fixture
def state(tmp_path: Path) -> Path:
    return tmp_path / "state" / "relay-state.json"


@pytest.fixture
def relay(state: Path) -> Iterator[Running]:
    state.parent.mkdir()
    with (
        http_receiver() as github,
        running(
            f"http://127.0.0.1:{github.port}",
            RELAY_STATE=str(state),
            RELAY_COMPONENTS=json.dumps(MAPPING),
        ) as started,
    ):
        started.github = github
        yield started


def send(relay: Running, path: str, body: dict[str, Any] | bytes, **headers: str) -> bytes:
    """POST ``body`` to the relay's ``path`` with its token; its answer (200 expected)."""
    data = body if isinstance(body, bytes) else payloads.as_body(body)
    status, answer = post(f"{relay.url}{path}", data, {**BEARER, **headers})
    assert status == 200, (path, status, answer)
    return answer


def posted(relay: Running) -> list[dict[str, Any]]:
    """Every action the relay dispatched, each one as GitHub received it (``apply`` reads it)."""
    for where, body in relay.github.received:
        assert where == DISPATCHES
        as_action(body)  # (statusgen apply accepts it)
    return [body["client_payload"] for _, body in relay.github.received]


# Alertmanager --------------------------------------------------------------------------------


def test_alertmanagers_documented_payload_drafts_its_episode_and_proposes_its_all_clear(
    relay: Running, repo: Repo
) -> None:
    """Every field Alertmanager's documentation lists, through the relay and through apply:
    the same key (the group and its earliest startsAt), a repeat posted once, the resolved
    notification the all clear of that draft."""
    for body in (
        payloads.ALERTMANAGER_FIRING,
        payloads.ALERTMANAGER_FIRING,  # repeat_interval
        payloads.alertmanager("resolved"),
    ):
        send(relay, "/alertmanager", body)
    first, repeat, resolved = posted(relay)
    assert (
        first
        == repeat
        == {
            "action": "new",
            "title": "Checkout fails for some customers",
            "message": "5% of checkouts fail on checkout-1.",
            "review": True,
            "key": first["key"],
        }
    )
    assert first["key"].startswith("alertmanager-")
    assert first["key"].endswith(f"-{payloads.ALERTMANAGER_STARTED}")
    assert (resolved["action"], resolved["incident_key"]) == ("resolve", first["key"])
    assert apply(repo, payloads.ALERTMANAGER_FIRING).exit_code == 0
    assert apply(repo, payloads.alertmanager("resolved")).exit_code == 0
    [text] = written(repo).values()
    assert f"    key: {first['key']}\n" in text and "    status: resolved\n" in text


# Grafana -------------------------------------------------------------------------------------


def test_grafanas_documented_payload_becomes_a_draft_keyed_by_its_episode(
    relay: Running,
) -> None:
    answer = send(relay, "/grafana", payloads.GRAFANA_FIRING)
    [draft] = posted(relay)
    key = draft["key"]
    assert answer.decode() == f"Posted: a draft to new ({key}) for review.\n"
    assert KEY.fullmatch(key) and key.startswith("grafana-")
    assert key.endswith(f"-{payloads.GRAFANA_STARTED}")
    # no common summary or alertname: the first alert's
    assert draft == {
        "action": "new",
        "title": "This alert was triggered for zone us-1",
        "message": "The system has high memory usage",
        "review": True,
        "key": key,
    }


def test_grafanas_repeats_post_once_its_recovery_resolves_and_the_next_episode_posts_again(
    relay: Running,
) -> None:
    later = "2021-10-13T08:00:00.5+02:00"
    for body in (
        payloads.GRAFANA_FIRING,
        payloads.GRAFANA_FIRING,  # Grafana's repeat_interval
        payloads.grafana("resolved"),
        payloads.grafana("firing", later, later),
    ):
        send(relay, "/grafana", body)
    first, repeat, resolved, again = posted(relay)
    assert first == repeat
    assert resolved == {
        "action": "resolve",
        "incident_key": first["key"],
        "key": f"{first['key']}-resolved",
        "review": True,
        "message": "This is resolved: everything works as usual again.",
    }
    assert again["key"] != first["key"] and again["key"].endswith("-20211013t060000z")


def _first_resolved_and_dropped() -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """The documented group (two alerts, the first the earlier) as Alertmanager goes on
    telling it once its first alert resolved: that one listed as resolved once, then left
    out of the group (Alertmanager deletes the resolved alerts a notification told), the
    second still firing, then resolved."""
    told = payloads.grafana("firing")
    told["alerts"][0]["status"] = "resolved"
    told["alerts"][0]["endsAt"] = "2021-10-12T10:01:03.157076+02:00"
    left = payloads.grafana("firing")
    del left["alerts"][0]
    over = payloads.grafana("resolved")
    del over["alerts"][0]
    return told, left, over


def test_an_alert_leaving_its_group_does_not_split_the_episode(relay: Running) -> None:
    """The group's episode goes on while one of its alerts fires: a notification without
    its earliest alert (resolved and dropped) posts nothing new, and the group's resolved
    notification proposes the all clear of the incident its first draft opened."""
    told, left, over = _first_resolved_and_dropped()
    for body in (payloads.GRAFANA_FIRING, told, left, over):
        send(relay, "/grafana", body)
    first, *repeats, resolved = posted(relay)
    assert first["key"].endswith(f"-{payloads.GRAFANA_STARTED}")
    assert [r["key"] for r in repeats] == [first["key"], first["key"]]
    assert (resolved["action"], resolved["incident_key"]) == ("resolve", first["key"])


def test_an_episode_whose_resolved_notification_never_came_does_not_swallow_the_next(
    relay: Running,
) -> None:
    """An episode the relay still remembers (its resolved notification lost, or
    send_resolved off) is not the next one's: no alert of the next was seen in it."""
    later = "2021-10-13T08:00:00.5+02:00"
    send(relay, "/grafana", payloads.GRAFANA_FIRING)
    send(relay, "/grafana", payloads.grafana("firing", later, later))
    first, again = posted(relay)
    assert again["key"] != first["key"] and again["key"].endswith("-20211013t060000z")


def test_grafanas_basic_authentication_with_the_token_as_password_is_accepted(
    relay: Running,
) -> None:
    basic = base64.b64encode(f"grafana:{TOKEN}".encode()).decode()
    send(relay, "/grafana", payloads.GRAFANA_FIRING, Authorization=f"Basic {basic}")
    for wrong in (f"grafana:{TOKEN[:-1]}", TOKEN, f"{TOKEN}:x"):
        encoded = base64.b64encode(wrong.encode()).decode()
        status, _ = post(
            f"{relay.url}/grafana",
            payloads.as_body(payloads.GRAFANA_FIRING),
            {"Authorization": f"Basic {encoded}"},
        )
        assert status == 401, wrong
    assert len(posted(relay)) == 1


def test_a_components_annotation_names_the_drafts_components(relay: Running) -> None:
    body = payloads.grafana()
    body["commonAnnotations"] = {"summary": "Card payments fail", "components": "payments"}
    send(relay, "/grafana", body)
    body["commonAnnotations"] = {"summary": "The API is slow"}
    body["commonLabels"] = {"alertname": "public api"}  # the mapping's, in another case
    body["groupKey"] = "{}:{alertname=public api}"
    send(relay, "/grafana", body)
    declared, mapped = posted(relay)
    assert (declared["title"], declared["components"]) == ("Card payments fail", "payments")
    assert (mapped["title"], mapped["components"]) == ("The API is slow", "api=major_outage")


# Uptime Kuma ---------------------------------------------------------------------------------


def test_an_uptime_kuma_monitor_going_down_becomes_a_draft_with_its_components(
    relay: Running,
) -> None:
    send(relay, "/uptime-kuma", payloads.UPTIME_KUMA_DOWN)
    [draft] = posted(relay)
    assert draft["key"].startswith("uptime-kuma-")
    assert draft["key"].endswith(f"-{payloads.UPTIME_KUMA_STARTED}")
    assert draft == {
        "action": "new",
        "title": "Public API is unavailable",
        "message": "We are investigating.",
        "review": True,
        "key": draft["key"],
        "components": "api=major_outage",
    }
    assert KEY.fullmatch(f"{draft['key']}-resolved")


def test_uptime_kumas_reminders_post_once_recovery_resolves_the_next_episode_posts_again(
    relay: Running, state: Path
) -> None:
    for body in (
        payloads.UPTIME_KUMA_DOWN,
        # "Resend Notification if Down X times consecutively": a later beat, not important
        payloads.uptime_kuma(0, "2024-09-25 00:01:35.527", important=False),
        payloads.uptime_kuma(1, "2024-09-25 00:05:35.100"),  # 1.23: no lastDownTime
        payloads.uptime_kuma(0, "2024-09-26 07:00:00.000"),
    ):
        send(relay, "/uptime-kuma", body)
    down, reminder, up, again = posted(relay)
    assert reminder == down
    assert (up["action"], up["incident_key"]) == ("resolve", down["key"])
    assert again["key"].endswith("-20240926t070000z") and again["key"] != down["key"]
    remembered = json.loads(state.read_text(encoding="utf-8"))
    prefix = again["key"].removesuffix("-20240926t070000z")
    assert remembered["version"] == 1 and list(remembered["open"]) == [prefix]
    episode = remembered["open"][prefix]
    assert (episode["key"], episode["monitor"]) == (again["key"], "Public API")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", episode["since"])


def test_the_open_episode_survives_the_relay_being_killed(tmp_path: Path) -> None:
    state = tmp_path / "relay-state.json"
    with http_receiver() as github:
        api = f"http://127.0.0.1:{github.port}"
        with running(api, RELAY_STATE=str(state)) as first:
            first.github = github
            send(first, "/uptime-kuma", payloads.UPTIME_KUMA_DOWN)
            send(first, "/gatus", payloads.gatus_body(GATUS_TEMPLATE))
            first.process.send_signal(signal.SIGKILL)  # no shutdown of its own
            first.process.wait(timeout=10)
        assert not list(tmp_path.glob(".*.tmp")), "no temporary file left"
        for secret in (TOKEN, GITHUB_TOKEN, SECRET):
            assert secret not in state.read_text(encoding="utf-8")
        with running(api, RELAY_STATE=str(state)) as second:
            second.github = github
            send(second, "/uptime-kuma", payloads.uptime_kuma(1, "2024-09-25 00:05:35.100"))
            send(second, "/gatus", payloads.gatus_body(GATUS_TEMPLATE, resolved=True))
        kuma, gatus, kuma_up, gatus_resolved = posted(second)
    assert kuma_up["incident_key"] == kuma["key"]
    assert gatus_resolved["incident_key"] == gatus["key"]
    assert json.loads(state.read_text(encoding="utf-8")) == {"version": 1, "open": {}}


def test_uptime_kuma_21s_last_down_time_resolves_an_episode_the_relay_does_not_remember(
    relay: Running, tmp_path: Path
) -> None:
    """A recovery from 2.1 on says when the episode started: the key follows from it."""
    other = str(tmp_path / "other-state.json")
    with (
        http_receiver() as github,
        running(f"http://127.0.0.1:{github.port}", RELAY_STATE=other) as elsewhere,
    ):
        elsewhere.github = github
        send(elsewhere, "/uptime-kuma", payloads.UPTIME_KUMA_DOWN)
        [down] = posted(elsewhere)
    up = payloads.uptime_kuma(1, "2024-09-25 00:05:35.100", last_down="2024-09-24 23:51:35.527")
    send(relay, "/uptime-kuma", up)
    [resolved] = posted(relay)
    assert resolved["incident_key"] == down["key"]


def test_a_recovery_of_an_unknown_episode_is_refused_409(relay: Running) -> None:
    for path, body in (
        ("/uptime-kuma", payloads.as_body(payloads.uptime_kuma(1))),
        ("/gatus", payloads.gatus_body(GATUS_TEMPLATE, resolved=True)),
    ):
        status, answer = post(f"{relay.url}{path}", body, BEARER)
        assert status == 409, (path, answer)
        assert b"resolve that incident by hand" in answer
    assert posted(relay) == []


def test_uptime_kumas_test_button_posts_nothing(relay: Running) -> None:
    answer = send(relay, "/uptime-kuma", payloads.UPTIME_KUMA_TEST)
    assert answer == b"Test received: the token is right; nothing to post.\n"
    pending = payloads.uptime_kuma(2)
    assert send(relay, "/uptime-kuma", pending) == b"Nothing to post: monitor is pending.\n"
    assert posted(relay) == []


# Gatus ---------------------------------------------------------------------------------------


def test_gatus_with_the_readmes_configuration(relay: Running) -> None:
    custom = GATUS_CONFIG["alerting"]["custom"]
    assert custom["method"] == "POST" and custom["url"].endswith("/gatus")
    headers = {
        name: value.replace("${RELAY_TOKEN}", TOKEN) for name, value in custom["headers"].items()
    }
    endpoint = GATUS_CONFIG["endpoints"][0]
    description = endpoint["alerts"][0]["description"]

    def gatus(resolved: bool) -> None:
        body = payloads.gatus_body(
            GATUS_TEMPLATE,
            resolved=resolved,
            name=endpoint["name"],
            group=endpoint["group"],
            description=description,
        )
        status, answer = post(f"{relay.url}/gatus", body, headers)
        assert status == 200, answer

    gatus(resolved=False)
    gatus(resolved=False)  # sent again (a retry): the same episode
    gatus(resolved=True)
    [triggered, repeat, resolved] = posted(relay)
    assert triggered == repeat
    assert triggered == {
        "action": "new",
        "title": "website is unavailable",
        "message": description,
        "review": True,
        "key": triggered["key"],
        "components": "dashboard",
    }
    assert KEY.fullmatch(triggered["key"]) and triggered["key"].startswith("gatus-")
    assert (resolved["action"], resolved["incident_key"]) == ("resolve", triggered["key"])


def test_gatus_next_episode_posts_again(relay: Running) -> None:
    send(relay, "/gatus", payloads.gatus_body(GATUS_TEMPLATE))
    send(relay, "/gatus", payloads.gatus_body(GATUS_TEMPLATE, resolved=True))
    first = posted(relay)[0]["key"]
    while datetime.now(UTC).strftime("%Y%m%dt%H%M%Sz") in first:  # (keys count seconds)
        pass
    send(relay, "/gatus", payloads.gatus_body(GATUS_TEMPLATE))
    assert posted(relay)[2]["key"] != first


def test_gatus_descriptions_with_line_breaks_and_errors_with_quotes_are_taken(
    relay: Running,
) -> None:
    template = GATUS_TEMPLATE.replace("}", ', "errors": "[RESULT_ERRORS]"}')
    body = payloads.gatus_body(
        template, description="Pages fail.\nWe are on it.", errors=('status "502"', "timeout")
    )
    send(relay, "/gatus", body)
    [draft] = posted(relay)
    assert draft["message"] == "Pages fail.\nWe are on it."


# every monitor: the secret and malformed bodies ----------------------------------------------

MONITORS = {
    "/grafana": payloads.as_body(payloads.GRAFANA_FIRING),
    "/uptime-kuma": payloads.as_body(payloads.UPTIME_KUMA_DOWN),
    "/gatus": payloads.gatus_body(GATUS_TEMPLATE),
    "/alertmanager": notification(),
}


@pytest.mark.parametrize("path", sorted(MONITORS))
def test_every_monitor_needs_the_relays_token(relay: Running, path: str) -> None:
    how = {
        "/grafana": b"Grafana's webhook contact point",
        "/uptime-kuma": b"Additional Headers",
        "/gatus": b"Gatus' custom alerting provider",
        "/alertmanager": b"http_config",
    }
    url = f"{relay.url}{path}"
    for headers in (
        {},
        {"Authorization": "Bearer wrong-token-0123456789"},
        {"Authorization": f"Bearer {GITHUB_TOKEN}"},
        {"Authorization": f"Token {TOKEN}"},
        {"X-Token": TOKEN},
    ):
        status, answer = post(url, MONITORS[path], headers)
        assert status == 401, headers
        assert answer.startswith(b"send the relay's token: Authorization: Bearer RELAY_TOKEN (")
        assert how[path] in answer
        assert TOKEN.encode() not in answer
    # a token in the URL is no token: URLs are logged and shown
    for query in (f"?token={TOKEN}", f"?access_token={TOKEN}"):
        status, answer = post(url + query, MONITORS[path], {})
        assert status == 401 and TOKEN.encode() not in answer
    assert posted(relay) == []


@pytest.mark.parametrize(
    ("path", "body", "expected"),
    [
        ("/grafana", b"{oops", "the body is not JSON (Expecting property name"),
        ("/grafana", b"[]", "the body is not Grafana's webhook: expected a JSON object"),
        ("/grafana", b'{"status": "firing"}', "groupKey: missing; send Grafana's webhook"),
        (
            "/grafana",
            json.dumps({**payloads.GRAFANA_FIRING, "status": "alerting"}).encode(),
            'status: expected firing or resolved, not "alerting"',
        ),
        (
            "/grafana",
            json.dumps({**payloads.GRAFANA_FIRING, "alerts": [{"startsAt": "yesterday"}]}).encode(),
            'alerts[0].startsAt: "yesterday" is not an RFC 3339 time',
        ),
        (
            "/uptime-kuma",
            b'--boundary\r\nContent-Disposition: form-data; name="data"\r\n\r\n{}',
            "the body is not JSON (Expecting value): send Uptime Kuma's webhook with its "
            "request body application/json",
        ),
        (
            "/uptime-kuma",
            b'{"heartbeat": "down", "monitor": {}}',
            "heartbeat: expected an object: send Uptime Kuma's webhook as JSON",
        ),
        (
            "/uptime-kuma",
            json.dumps({**payloads.UPTIME_KUMA_DOWN, "monitor": {"id": [], "name": "x"}}).encode(),
            "monitor.id: [] is not a monitor's id",
        ),
        (
            "/uptime-kuma",
            payloads.as_body(payloads.uptime_kuma(7)),
            "heartbeat.status: expected 0 (down) or 1 (up), not 7",
        ),
        (
            "/uptime-kuma",
            payloads.as_body(payloads.uptime_kuma(0, "24/09/2024")),
            'heartbeat.time: "24/09/2024" is not a time',
        ),
        (
            "/gatus",
            b'{"text": "TRIGGERED: core - website"}',
            "gatus: expected TRIGGERED or RESOLVED (the placeholder "
            "[ALERT_TRIGGERED_OR_RESOLVED], without placeholders of its own), not null",
        ),
        (
            "/gatus",
            b'{"gatus": "partial_outage", "endpoint": "website"}',
            "gatus: expected TRIGGERED or RESOLVED",
        ),
        ("/gatus", b'{"gatus": "TRIGGERED"}', 'endpoint: missing; write "endpoint"'),
        (
            "/gatus",
            b'{"gatus": "TRIGGERED", "endpoint": "api", "components": "api=down, ../x"}',
            'components: unknown component status "down"; use operational, degraded_performance'
            ', partial_outage, major_outage, under_maintenance; "../x" is not a component id of '
            "site_config.yml: name the components as ID[=STATUS], ...",
        ),
        (
            "/gatus",
            payloads.gatus_body(GATUS_TEMPLATE, name='web "site"'),
            "the body is not JSON (Expecting ',' delimiter): send the body the README gives",
        ),
    ],
)
def test_a_malformed_notification_is_refused_400_with_what_to_send(
    relay: Running, path: str, body: bytes, expected: str
) -> None:
    status, answer = post(f"{relay.url}{path}", body, BEARER)
    assert (status, expected in answer.decode()) == (400, True), answer
    assert posted(relay) == []


def test_the_relay_lists_its_paths_and_refuses_other_methods(relay: Running) -> None:
    status, answer = raw(relay.port, b"POST /kuma HTTP/1.1\r\nContent-Length: 0\r\n\r\n")
    assert status == 404
    assert answer.startswith(b"no such path: the relay takes POST /alertmanager, POST /grafana,")
    for path in ("/grafana", "/uptime-kuma", "/gatus"):
        assert raw(relay.port, f"GET {path} HTTP/1.1\r\n\r\n".encode())[0] == 405


def test_the_relay_refuses_to_start_with_a_mapping_or_state_it_cannot_use(
    tmp_path: Path,
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    unwritable = tmp_path / "read-only"
    unwritable.mkdir(mode=0o500)
    for extra, expected in (
        ({"RELAY_COMPONENTS": "api"}, "relay: RELAY_COMPONENTS: not JSON; give a JSON object"),
        ({"RELAY_COMPONENTS": '["api"]'}, "relay: RELAY_COMPONENTS: not an object of texts"),
        (
            {"RELAY_COMPONENTS": '{"Public API": "api=down"}'},
            'relay: RELAY_COMPONENTS: Public API: unknown component status "down"; use',
        ),
        (
            {"RELAY_COMPONENTS": '{"Public API": "../api"}'},
            'relay: RELAY_COMPONENTS: Public API: "../api" is not a component id',
        ),
        (
            {"RELAY_STATE": str(broken)},
            f"relay: RELAY_STATE: {broken} is not the relay's state (not JSON); move it away",
        ),
        *(
            []
            if os.geteuid() == 0  # (root writes anywhere)
            else [
                (
                    {"RELAY_STATE": str(unwritable / "state.json")},
                    f"relay: RELAY_STATE: cannot write into {unwritable}",
                )
            ]
        ),
    ):
        result = subprocess.run(
            [sys.executable, str(RELAY), str(free_port())],
            env=environment("http://127.0.0.1:9", **extra),
            capture_output=True,
            text=True,
            timeout=20,
        )
        assert result.returncode == 1, result
        assert result.stderr.startswith(expected), result.stderr
        assert "Traceback" not in result.stderr


# apply ---------------------------------------------------------------------------------------

NOW = "2026-11-20T12:00:00Z"


def apply(repo: Repo, payload: dict[str, Any] | bytes, *args: str) -> Result:
    repo.monkeypatch.chdir(repo.root)
    data = payload if isinstance(payload, bytes) else payloads.as_body(payload)
    (repo.root / "alert.json").write_bytes(data)
    return CliRunner().invoke(
        main, ["apply", "alert.json", "--now", NOW, *args], catch_exceptions=False
    )


def written(repo: Repo) -> dict[str, str]:
    return {
        str(path.relative_to(repo.root)): path.read_text(encoding="utf-8")
        for path in sorted((repo.root / "incidents").rglob("*.yml"))
    }


def relays_draft(source: str, data: dict[str, Any], remembered: str | None = None) -> Any:
    now = datetime.fromisoformat(NOW)
    return _relay().draft(source, data, now, lambda _: remembered)


def test_apply_takes_grafanas_payload_as_the_relay_does(repo: Repo) -> None:
    result = apply(repo, payloads.GRAFANA_FIRING)
    assert result.exit_code == 0, result.output
    key = relays_draft("grafana", payloads.GRAFANA_FIRING).key
    [(path, text)] = written(repo).items()
    assert result.stdout == f"{path}\n"
    assert f"    key: {key}\n" in text
    assert "title: This alert was triggered for zone us-1\n" in text
    again = apply(repo, payloads.GRAFANA_FIRING)
    assert again.exit_code == 0
    assert again.stderr == f"apply: the action with key '{key}' was applied before; nothing to do\n"
    resolved = apply(repo, payloads.grafana("resolved"))
    assert resolved.exit_code == 0, resolved.output
    text = written(repo)[path]
    assert "    status: resolved\n" in text and f"    key: {key}-resolved\n" in text


def test_apply_goes_on_with_a_groups_open_episode_when_its_earliest_alert_left(
    repo: Repo,
) -> None:
    """Through apply too: the open incident of the group's episode is where a notification
    without its earliest alert goes, and what the group's all clear resolves."""
    assert apply(repo, payloads.GRAFANA_FIRING).exit_code == 0
    [(path, _)] = written(repo).items()
    key = relays_draft("grafana", payloads.GRAFANA_FIRING).key
    told, left, over = _first_resolved_and_dropped()
    for body in (told, left):
        again = apply(repo, body)
        assert again.stderr.endswith("was applied before; nothing to do\n"), again.output
    resolved = apply(repo, over)
    assert resolved.exit_code == 0, resolved.output
    assert list(written(repo)) == [path]
    assert f"    key: {key}-resolved\n" in written(repo)[path]


def test_apply_does_not_put_a_groups_new_episode_into_a_declined_draft(repo: Repo) -> None:
    """A draft branch left by a declined pull request is no open episode of its group:
    the group's next episode, which says when it started, is a draft of its own."""
    declined = relays_draft("grafana", payloads.GRAFANA_FIRING).key
    repo.monkeypatch.setenv("STATUSGEN_DRAFTS", declined)
    later = "2021-10-13T08:00:00.5+02:00"
    result = apply(repo, payloads.grafana("firing", later, later))
    assert result.exit_code == 0, result.output
    [text] = written(repo).values()
    assert f"    key: {declined[:-16]}20211013t060000z\n" in text


def test_apply_takes_uptime_kumas_payload_and_finds_the_open_episode_in_the_repository(
    repo: Repo,
) -> None:
    down = apply(repo, payloads.UPTIME_KUMA_DOWN)
    assert down.exit_code == 0, down.output
    key = relays_draft("uptime-kuma", payloads.UPTIME_KUMA_DOWN).key
    [(path, text)] = written(repo).items()
    assert f"    key: {key}\n" in text
    assert "impact: minor\ncomponents: [api]\n" in text  # the site's "Public API"
    reminder = apply(repo, payloads.uptime_kuma(0, "2024-09-25 00:01:35.527", important=False))
    assert reminder.stderr.endswith("was applied before; nothing to do\n"), reminder.output
    up = apply(repo, payloads.uptime_kuma(1, "2024-09-25 00:05:35.100"))  # no lastDownTime
    assert up.exit_code == 0, up.output
    assert f"    key: {key}-resolved\n" in written(repo)[path]
    # no open episode now: a second recovery cannot be placed
    before = written(repo)
    lost = apply(repo, payloads.uptime_kuma(1, "2024-09-25 00:09:00.000"))
    assert lost.exit_code == 1
    assert lost.stderr.startswith(
        "Error: alert.json: heartbeat.lastDownTime: missing, and no episode of monitor "
        '"Public API" is open here'
    ), lost.stderr
    assert "post its all clear by hand" in lost.stderr
    assert "Traceback" not in lost.output and written(repo) == before


def test_apply_takes_gatus_body_inside_a_repository_dispatch(repo: Repo) -> None:
    body = json.loads(payloads.gatus_body(GATUS_TEMPLATE, name="Dashboard", group=""))
    event = {"action": "statusgen", "client_payload": body, "repository": {"name": "status"}}
    triggered = apply(repo, event)
    assert triggered.exit_code == 0, triggered.output
    [(path, text)] = written(repo).items()
    expected = alerts.episode_key(alerts.series("gatus", "/Dashboard"), datetime.fromisoformat(NOW))
    assert f"    key: {expected}\n" in text
    assert "components: [dashboard]\n" in text
    assert apply(repo, event).stderr.endswith("was applied before; nothing to do\n")
    resolved = {**event, "client_payload": {**body, "gatus": "RESOLVED"}}
    assert apply(repo, resolved).exit_code == 0
    assert f"    key: {expected}-resolved\n" in written(repo)[path]


def test_apply_finds_an_episode_whose_draft_is_still_under_review(
    repo: Repo, tmp_path: Path
) -> None:
    """The incident workflow names the drafts still open (STATUSGEN_DRAFTS, their
    branches): a recovery that does not say when its episode started resolves the newest
    such draft of its monitor (the workflow then joins it, awaits); a draft that an
    incident records (merged) is open no more."""
    prefix = alerts.series("gatus", "core/website")
    older, newer = (alerts.episode_key(prefix, datetime(2026, 11, d, tzinfo=UTC)) for d in (18, 19))
    elsewhere = alerts.episode_key(alerts.series("gatus", "core/api"), datetime.fromisoformat(NOW))
    outputs = tmp_path / "outputs"
    repo.monkeypatch.setenv("GITHUB_OUTPUT", str(outputs))
    repo.monkeypatch.setenv("STATUSGEN_DRAFTS", f"{older}\n{newer}\n{elsewhere}\nslow-api")
    resolved = payloads.gatus_body(GATUS_TEMPLATE, resolved=True)
    refused = apply(repo, resolved)
    assert refused.exit_code == 1 and "no incident records the key" in refused.stderr
    assert outputs.read_text(encoding="utf-8").splitlines() == [f"awaits={newer}"]
    assert written(repo) == {}
    merged = repo.root / "incidents" / "2026-11-19-website-down.yml"
    merged.parent.mkdir(exist_ok=True)
    merged.write_text(
        "title: Website down\nimpact: minor\nupdates:\n"
        f"  - {{at: 2026-11-19T00:00:00Z, message: Down., key: {newer}}}\n"
        "  - {at: 2026-11-19T01:00:00Z, status: resolved, message: Up., "
        f"key: {newer}-resolved}}\n",
        encoding="utf-8",
    )
    outputs.write_text("", encoding="utf-8")
    assert apply(repo, resolved).exit_code == 1
    assert outputs.read_text(encoding="utf-8").splitlines() == [f"awaits={older}"]
    # the same TRIGGERED while the older draft is open: that draft, already applied there
    triggered = apply(repo, payloads.gatus_body(GATUS_TEMPLATE))
    assert triggered.exit_code == 0, triggered.output
    assert f"    key: {older}\n" in "".join(written(repo).values())


def test_apply_of_a_test_notification_writes_nothing(repo: Repo) -> None:
    result = apply(repo, payloads.UPTIME_KUMA_TEST)
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == "apply: Test received: the token is right; nothing to post\n"
    assert written(repo) == {}


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({"heartbeat": "x", "monitor": {}}, "Error: alert.json: heartbeat: expected an object"),
        ({"gatus": "FIRING"}, "Error: alert.json: gatus: expected TRIGGERED or RESOLVED"),
        (
            {"groupKey": "{}:{}", "alerts": [], "orgId": 1, "status": "firing"},
            "Error: alert.json: alerts: missing; a notification lists its alerts",
        ),
    ],
)
def test_apply_refuses_a_malformed_notification_naming_the_monitor(
    repo: Repo, payload: dict[str, Any], expected: str
) -> None:
    result = apply(repo, payload)
    assert result.exit_code == 1
    assert result.stderr.startswith(expected), result.stderr
    assert "notification; nothing was written" in result.stderr
    assert written(repo) == {}


def test_what_the_relay_posts_apply_writes_with_the_same_key(relay: Running, repo: Repo) -> None:
    """The relay's way and apply's way (a monitor calling GitHub itself) agree."""
    for path, body in (
        ("/grafana", payloads.as_body(payloads.GRAFANA_FIRING)),
        ("/uptime-kuma", payloads.as_body(payloads.UPTIME_KUMA_DOWN)),
        ("/alertmanager", notification()),
    ):
        send(relay, path, body)
        dispatched = posted(relay)[-1]
        assert apply(repo, body).exit_code == 0
        assert any(f"    key: {dispatched['key']}\n" in t for t in written(repo).values())


# the relay's rules are generator's -------------------------------------------------------------


def test_the_relays_monitor_rules_are_generators() -> None:
    module = _relay()
    for name in ("SOURCES", "REMEMBERING", "GROUPED", "NAMES", "INVESTIGATING", "ALL_CLEAR",
                 "QUOTED"):  # fmt: skip
        assert getattr(module, name) == getattr(alerts, name), name
    assert (module.DOWN, module.UP, module.TRIGGERED, module.RESOLVED) == (
        alerts.DOWN,
        alerts.UP,
        alerts.TRIGGERED,
        alerts.RESOLVED,
    )
    for value in (*PAYLOADS, "2024-09-24 23:51:35.527", "2021-10-12T09:51:03.157076+02:00",
                  "2026-11-24T10:15:48.123456789Z", "2026-02-30T00:00:00Z", "0001-01-01T00:00:00Z",
                  "2026-11-24T10:15:48+0530", " 2026-11-24 10:15:48 ", 17, None):  # fmt: skip
        assert module.moment(value) == alerts.moment(value), value


def same(source: str, data: Any, remembered: str | None, now: datetime) -> None:
    """The relay and generator make the same draft of ``data``, or refuse it alike."""
    module = _relay()
    try:
        mine = alerts.draft(source, data, now, lambda _: remembered)
    except alerts.AlertError as error:
        with pytest.raises(module.AlertError) as refused:
            module.draft(source, data, now, lambda _: remembered)
        assert (refused.value.where, refused.value.what, refused.value.unknown) == (
            error.where,
            error.what,
            error.unknown,
        )
        return
    theirs = module.draft(source, data, now, lambda _: remembered)
    for name in ("source", "series", "name", "payload", "said", "declared", "opens", "closes"):
        assert getattr(theirs, name) == getattr(mine, name), (name, data)


DOCUMENTED = [
    ("alertmanager", payloads.ALERTMANAGER_FIRING),
    ("alertmanager", payloads.alertmanager("resolved")),
    ("grafana", payloads.GRAFANA_FIRING),
    ("grafana", payloads.grafana("resolved")),
    ("uptime-kuma", payloads.UPTIME_KUMA_DOWN),
    ("uptime-kuma", payloads.UPTIME_KUMA_TEST),
    ("uptime-kuma", payloads.uptime_kuma(1, last_down="2024-09-24 23:51:35.527")),
    ("uptime-kuma", payloads.uptime_kuma(1)),
    ("uptime-kuma", payloads.uptime_kuma(0, important=False)),
    ("uptime-kuma", payloads.uptime_kuma(3)),
    ("gatus", json.loads(payloads.gatus_body(GATUS_TEMPLATE))),
    ("gatus", json.loads(payloads.gatus_body(GATUS_TEMPLATE, resolved=True))),
    ("alertmanager", json.loads(notification())),
    ("alertmanager", json.loads(notification("resolved"))),
]


@pytest.mark.parametrize(("source", "data"), DOCUMENTED)
@pytest.mark.parametrize(
    "remembered", [None, "uptime-kuma-0123456789abcdef01234567-20240924t000000z"]
)
def test_the_relay_drafts_each_documented_payload_as_apply_does(
    source: str, data: dict[str, Any], remembered: str | None
) -> None:
    same(source, data, remembered, datetime(2026, 11, 20, 12, tzinfo=UTC))


ODD = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-2, 4),
    st.sampled_from(PAYLOADS),
    st.text(max_size=20),
    st.sampled_from(["2024-09-24 23:51:35.527", "2021-10-12T09:51:03+02:00", "TRIGGERED"]),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.sampled_from(["startsAt", "name", "id"]), st.text(max_size=5)),
)


def _mutated(data: dict[str, Any], draw: st.DrawFn) -> dict[str, Any]:
    """``data`` with a few values (at any depth) replaced by odd ones, or removed."""
    data = json.loads(json.dumps(data))
    for _ in range(draw(st.integers(0, 3))):
        holder: Any = data
        while True:
            keys = list(holder) if isinstance(holder, dict) else list(range(len(holder)))
            if not keys:
                break
            key = draw(st.sampled_from(keys))
            inner = holder[key]
            if isinstance(inner, dict | list) and inner and draw(st.booleans()):
                holder = inner
                continue
            if isinstance(holder, dict) and draw(st.integers(0, 4)) == 0:
                del holder[key]
            else:
                holder[key] = draw(ODD)
            break
    return data


@st.composite
def _notifications(draw: st.DrawFn) -> tuple[str, dict[str, Any], str | None, datetime]:
    source, data = draw(st.sampled_from(DOCUMENTED))
    source = draw(st.sampled_from([source, source, source, *alerts.SOURCES]))
    remembered = draw(st.sampled_from([None, "gatus-00-20260101t000000z"]))
    now = datetime(2026, 11, 20, tzinfo=UTC) + timedelta(seconds=draw(st.integers(0, 10**6)))
    return source, _mutated(data, draw), remembered, now


@settings(max_examples=300, derandomize=True, database=None, deadline=None)
@given(_notifications())
def test_the_relay_and_apply_agree_on_any_notification(
    case: tuple[str, dict[str, Any], str | None, datetime],
) -> None:
    same(*case)


def test_the_readmes_monitor_settings_reach_the_relay(relay: Running) -> None:
    """Uptime Kuma's Additional Headers and Grafana's provisioned contact point, as the
    README gives them, carry the token the relay takes; its mapping is one it starts with."""
    headers = json.loads(payloads.readme_block(README, "### From Uptime Kuma", "json"))
    headers = {name: value.replace("RELAY_TOKEN", TOKEN) for name, value in headers.items()}
    status, _ = post(
        f"{relay.url}/uptime-kuma", payloads.as_body(payloads.UPTIME_KUMA_TEST), headers
    )
    assert status == 200
    provisioned = yaml.safe_load(payloads.readme_block(README, "### From Grafana", "yaml"))
    [receiver] = provisioned["contactPoints"][0]["receivers"]
    setting = receiver["settings"]
    assert (receiver["type"], setting["httpMethod"]) == ("webhook", "POST")
    assert setting["url"].endswith("/grafana") and receiver["disableResolveMessage"] is False
    credentials = setting["authorization_credentials"].replace("$RELAY_TOKEN", TOKEN)
    authorization = f"{setting['authorization_scheme']} {credentials}"
    send(relay, "/grafana", payloads.GRAFANA_FIRING, Authorization=authorization)
    assignment = payloads.readme_block(README, "### From Uptime Kuma", "sh").strip()
    name, _, quoted = assignment.partition("=")
    environ = environment("http://127.0.0.1:9", **{name: quoted.strip("'")})
    settings = _relay().Settings.from_environment(environ)
    assert settings.components["Public API"] == "api=major_outage"


# the incident workflow, for a monitor calling GitHub itself -----------------------------------


@pytest.mark.slow
def test_a_monitor_calling_github_itself_drafts_and_its_recovery_joins_the_draft(
    tmp_path: Path,
) -> None:
    """Uptime Kuma 2.1's custom body as a repository_dispatch: its down opens a draft
    named after the episode's key, its up (with lastDownTime) joins that draft, and its
    Test button commits nothing."""
    remote = bare_remote(tmp_path, ("site_config.yml", "incidents", "schemas", "pyproject.toml"))
    down = payloads.uptime_kuma(0, "2026-11-24 10:15:48.000")
    key = relays_draft("uptime-kuma", down).key
    Run(remote, "down", {"action": "statusgen", "client_payload": down}).all()
    draft = f"incident/{key}"
    before = git("rev-parse", draft, cwd=remote)
    up = payloads.uptime_kuma(1, "2026-11-24 10:40:00.000", last_down="2026-11-24 10:15:48.000")
    run = Run(remote, "up", {"action": "statusgen", "client_payload": up}, run_id="100")
    applied = run.step("Apply")
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert f"joins {draft}" in applied.stdout
    for name in ("Check", "Lint"):
        assert run.step(name).returncode == 0
    pushed = run.step("Commit and push")
    assert f"Added to the draft {draft}" in pushed.stdout, pushed.stdout + pushed.stderr
    assert git("rev-parse", f"{draft}~1", cwd=remote) == before
    (path,) = git("show", "--name-only", "--format=", draft, cwd=remote).splitlines()
    text = git("show", f"{draft}:{path}", cwd=remote)
    assert f"key: {key}\n" in text and f"key: {key}-resolved" in text
    test = Run(remote, "test", {"action": "statusgen", "client_payload": payloads.UPTIME_KUMA_TEST})
    main = git("rev-parse", "main", cwd=remote)
    test.all()
    assert git("rev-parse", "main", cwd=remote) == main
    assert "Nothing to commit: Test received" in test.step("Commit and push").stdout


def _ran(run: Run) -> str:
    """Run every step of ``run``'s job (each must succeed); what they printed."""
    printed = []
    for step in run.steps:
        result = run.step(step["name"])
        assert result.returncode == 0, step["name"] + result.stdout + result.stderr
        printed.append(result.stdout)
    return "".join(printed)


def _dispatched(payload: dict[str, Any]) -> dict[str, Any]:
    return {"action": "statusgen", "client_payload": payload}


def _drafts(remote: Path, source: str) -> list[str]:
    listed = git("for-each-ref", "--format=%(refname)", "refs/heads/incident/", cwd=remote)
    return [ref for ref in listed.splitlines() if ref.startswith(f"refs/heads/incident/{source}-")]


@pytest.mark.slow
def test_a_monitor_calling_github_itself_finds_its_draft_still_under_review(
    tmp_path: Path,
) -> None:
    """While a down's draft waits for review (not merged), Uptime Kuma 1.23's reminder
    pushes nothing more and its up (no lastDownTime: the episode is the open draft's)
    joins the draft; Gatus' TRIGGERED sent again opens no second draft and its RESOLVED
    (Gatus never says when an episode started) joins the first."""
    remote = bare_remote(tmp_path, ("site_config.yml", "incidents", "schemas", "pyproject.toml"))
    main = git("rev-parse", "main", cwd=remote)
    key = relays_draft("uptime-kuma", payloads.UPTIME_KUMA_DOWN).key
    _ran(Run(remote, "down", _dispatched(payloads.UPTIME_KUMA_DOWN), run_id="1"))
    draft = f"refs/heads/incident/{key}"
    assert _drafts(remote, "uptime-kuma") == [draft]
    opened = git("rev-parse", draft, cwd=remote)
    reminder = payloads.uptime_kuma(0, "2024-09-25 00:01:35.527", important=False)
    printed = _ran(Run(remote, "reminder", _dispatched(reminder), run_id="2"))
    assert f"Applied before (its draft is open: incident/{key})" in printed, printed
    assert git("rev-parse", draft, cwd=remote) == opened
    up = payloads.uptime_kuma(1, "2024-09-25 00:05:35.100")  # 1.23: no lastDownTime
    printed = _ran(Run(remote, "up", _dispatched(up), run_id="3"))
    assert f"Added to the draft incident/{key}" in printed, printed
    assert git("rev-parse", f"{draft}~1", cwd=remote) == opened
    (path,) = git("show", "--name-only", "--format=", draft, cwd=remote).splitlines()
    assert f"    key: {key}-resolved" in git("show", f"{draft}:{path}", cwd=remote)

    triggered = json.loads(payloads.gatus_body(GATUS_TEMPLATE))
    _ran(Run(remote, "triggered", _dispatched(triggered), run_id="4"))
    [gatus] = _drafts(remote, "gatus")
    again = datetime.now(UTC).strftime("%Y%m%dt%H%M%Sz")
    while datetime.now(UTC).strftime("%Y%m%dt%H%M%Sz") == again:  # (keys count seconds)
        pass
    printed = _ran(Run(remote, "again", _dispatched(triggered), run_id="5"))
    assert "Applied before (its draft is open" in printed, printed
    resolved = {**triggered, "gatus": "RESOLVED"}
    printed = _ran(Run(remote, "resolved", _dispatched(resolved), run_id="6"))
    assert f"Added to the draft {gatus.removeprefix('refs/heads/')}" in printed, printed
    assert _drafts(remote, "gatus") == [gatus]
    assert git("rev-parse", "main", cwd=remote) == main  # (drafts only: nothing published)


# fuzzing apply's new path ---------------------------------------------------------------------


@quick_profile(60)
@given(fuzz_apply.NOTIFICATIONS)
def _fuzz_notifications(value: fuzz_apply.Notification) -> None:
    with tempfile.TemporaryDirectory(prefix="fuzz-alerts-") as scratch:
        fuzz_apply.check(value, Path(scratch))


def test_fuzz_apply_takes_any_notification_as_a_draft_or_refuses_it_writing_nothing() -> None:
    """Monitors' notifications with hostile values (the relay fuzz's), as files and as
    repository_dispatch payloads, against a repository with open episodes: no traceback,
    nothing written on a refusal, ``check`` passes after, and only drafts for review."""
    fuzz_apply.TALLY.clear()
    _fuzz_notifications()
    assert fuzz_apply.TALLY["refused"] >= 10
    assert fuzz_apply.TALLY["accepted"] >= 10


@pytest.mark.slow
def test_a_declined_draft_does_not_swallow_the_monitors_next_episode(tmp_path: Path) -> None:
    """A draft whose pull request was closed without merging keeps its branch on GitHub:
    the Incident workflow no longer counts it as under review, so Gatus' next TRIGGERED
    opens a draft of its own instead of being "applied before" forever."""
    remote = bare_remote(tmp_path, ("site_config.yml", "incidents", "schemas", "pyproject.toml"))
    triggered = json.loads(payloads.gatus_body(GATUS_TEMPLATE))
    _ran(Run(remote, "triggered", _dispatched(triggered), run_id="1"))
    [declined] = _drafts(remote, "gatus")
    branch = declined.removeprefix("refs/heads/")
    prs = remote.parent / "bin" / "prs"
    assert prs.read_text() == f"OPEN {branch}\n"
    prs.write_text(f"CLOSED {branch}\n")  # declined: closed, its branch kept
    second = datetime.now(UTC).strftime("%Y%m%dt%H%M%Sz")
    while datetime.now(UTC).strftime("%Y%m%dt%H%M%Sz") == second:  # (keys count seconds)
        pass
    printed = _ran(Run(remote, "again", _dispatched(triggered), run_id="2"))
    assert "Applied before" not in printed, printed
    drafts = _drafts(remote, "gatus")
    assert len(drafts) == 2 and declined in drafts, drafts
    assert prs.read_text().splitlines()[-1] == f"OPEN {max(set(drafts) - {declined})[11:]}"


def test_the_incident_workflow_writes_nothing_when_it_cannot_read_the_drafts(
    tmp_path: Path,
) -> None:
    """GitHub's API failing (gh pr list) stops the run before apply writes anything: a
    draft is never guessed open or declined."""
    remote = bare_remote(tmp_path, ("site_config.yml", "incidents", "schemas", "pyproject.toml"))
    triggered = json.loads(payloads.gatus_body(GATUS_TEMPLATE))
    run = Run(remote, "triggered", _dispatched(triggered))
    gh = remote.parent / "bin" / "gh"
    gh.write_text("#!/bin/sh\necho 'HTTP 502: Bad Gateway' >&2\nexit 1\n")
    applied = run.step("Apply")
    assert applied.returncode == 1
    assert "could not read the drafts' pull requests" in applied.stdout, applied.stdout
    assert git("status", "--porcelain", cwd=run.checkout) == ""

"""Monitors' webhook payloads as their documentation and sources give them, for the tests
of the alert sources (tests/usecases/test_alert_sources.py) and the relay's fuzzing.

Each example names where it comes from. Variants (a recovery, a later episode) change only
the fields the monitor changes between notifications, as its source shows."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

# Alertmanager -------------------------------------------------------------------------------

#: Alertmanager's webhook (version 4) with every field its documentation lists:
#: prometheus/alertmanager, docs/configuration.md, ``<webhook_config>`` ("The Alertmanager
#: will send HTTP POST requests in the following JSON format"), which gives the fields and
#: types; the values are filled in as notify/webhook/webhook.go sends them (the group key
#: of a route grouped by alertname, times in RFC 3339 with nanoseconds, endsAt zero while
#: firing).
ALERTMANAGER_FIRING: dict[str, Any] = {
    "version": "4",
    "groupKey": '{}:{alertname="CheckoutErrors"}',
    "truncatedAlerts": 0,
    "status": "firing",
    "receiver": "statusgen",
    "groupLabels": {"alertname": "CheckoutErrors"},
    "commonLabels": {"alertname": "CheckoutErrors", "job": "checkout", "severity": "page"},
    "commonAnnotations": {"summary": "Checkout fails for some customers"},
    "externalURL": "http://alertmanager.acme.example:9093",
    "alerts": [
        {
            "status": "firing",
            "labels": {
                "alertname": "CheckoutErrors",
                "instance": f"checkout-{number}:8080",
                "job": "checkout",
                "severity": "page",
            },
            "annotations": {
                "summary": "Checkout fails for some customers",
                "description": f"5% of checkouts fail on checkout-{number}.",
            },
            "startsAt": started,
            "endsAt": "0001-01-01T00:00:00Z",
            "generatorURL": "http://prometheus.acme.example:9090/graph?g0.expr=checkout_errors",
            "fingerprint": fingerprint,
        }
        for number, started, fingerprint in (
            (1, "2026-11-24T10:15:48.123456789Z", "5f8b2c1e0d9a7b36"),
            (2, "2026-11-24T10:14:03.5+01:00", "a1c4e7f20b3d5968"),
        )
    ],
}
#: When the group's episode started: its earliest startsAt (the second alert's), in UTC.
ALERTMANAGER_STARTED = "20261124t091403z"


def alertmanager(status: str = "firing") -> dict[str, Any]:
    """The documented payload, or its resolved notification (each alert with its endsAt)."""
    payload = copy.deepcopy(ALERTMANAGER_FIRING)
    payload["status"] = status
    if status == "resolved":
        for alert in payload["alerts"]:
            alert["status"] = "resolved"
            alert["endsAt"] = "2026-11-24T10:40:00Z"
    return payload


# Grafana ------------------------------------------------------------------------------------

#: Grafana's documented webhook payload, verbatim: grafana/grafana,
#: docs/sources/alerting/configure-notifications/manage-contact-points/integrations/
#: webhook-notifier.md ("Webhook JSON payload"; the same in the docs of 9.x to 12.x).
GRAFANA_FIRING: dict[str, Any] = {
    "receiver": "My Super Webhook",
    "status": "firing",
    "orgId": 1,
    "alerts": [
        {
            "status": "firing",
            "labels": {"alertname": "High memory usage", "team": "blue", "zone": "us-1"},
            "annotations": {
                "description": "The system has high memory usage",
                "runbook_url": "https://myrunbook.com/runbook/1234",
                "summary": "This alert was triggered for zone us-1",
            },
            "startsAt": "2021-10-12T09:51:03.157076+02:00",
            "endsAt": "0001-01-01T00:00:00Z",
            "generatorURL": "https://play.grafana.org/alerting/1afz29v7z/edit",
            "fingerprint": "c6eadffa33fcdf37",
            "silenceURL": "https://play.grafana.org/alerting/silence/new?alertmanager=grafana&matchers=alertname%3DT2%2Cteam%3Dblue%2Czone%3Dus-1",
            "dashboardURL": "",
            "panelURL": "",
            "values": {"B": 44.23943737541908, "C": 1},
        },
        {
            "status": "firing",
            "labels": {"alertname": "High CPU usage", "team": "blue", "zone": "eu-1"},
            "annotations": {
                "description": "The system has high CPU usage",
                "runbook_url": "https://myrunbook.com/runbook/1234",
                "summary": "This alert was triggered for zone eu-1",
            },
            "startsAt": "2021-10-12T09:56:03.157076+02:00",
            "endsAt": "0001-01-01T00:00:00Z",
            "generatorURL": "https://play.grafana.org/alerting/d1rdpdv7k/edit",
            "fingerprint": "bc97ff14869b13e3",
            "silenceURL": "https://play.grafana.org/alerting/silence/new?alertmanager=grafana&matchers=alertname%3DT1%2Cteam%3Dblue%2Czone%3Deu-1",
            "dashboardURL": "",
            "panelURL": "",
            "values": {"B": 44.23943737541908, "C": 1},
        },
    ],
    "groupLabels": {},
    "commonLabels": {"team": "blue"},
    "commonAnnotations": {},
    "externalURL": "https://play.grafana.org/",
    "version": "1",
    "groupKey": "{}:{}",
    "truncatedAlerts": 0,
    "title": "[FIRING:2]  (blue)",
    "state": "alerting",
    "message": "**Firing**\n\nLabels:\n - alertname = T2\n - team = blue\n - zone = us-1\nAnnotations:\n - description = This is the alert rule checking the second system\n - runbook_url = https://myrunbook.com\n - summary = This is my summary\nSource: https://play.grafana.org/alerting/1afz29v7z/edit\nSilence: https://play.grafana.org/alerting/silence/new?alertmanager=grafana&matchers=alertname%3DT2%2Cteam%3Dblue%2Czone%3Dus-1\n\nLabels:\n - alertname = T1\n - team = blue\n - zone = eu-1\nAnnotations:\nSource: https://play.grafana.org/alerting/d1rdpdv7k/edit\nSilence: https://play.grafana.org/alerting/silence/new?alertmanager=grafana&matchers=alertname%3DT1%2Cteam%3Dblue%2Czone%3Deu-1\n",  # noqa: E501
}
#: When the documented group's episode started: its earliest startsAt, in UTC.
GRAFANA_STARTED = "20211012t075103z"


def grafana(status: str = "firing", *starts: str) -> dict[str, Any]:
    """The documented payload, resolved (each alert with its endsAt, as Grafana sends a
    resolved group) or with other start times (a later episode)."""
    payload = copy.deepcopy(GRAFANA_FIRING)
    payload["status"] = status
    for alert, start in zip(payload["alerts"], starts, strict=False):
        alert["startsAt"] = start
    if status == "resolved":
        payload["title"] = "[RESOLVED]  (blue)"
        payload["state"] = "ok"
        for alert in payload["alerts"]:
            alert["status"] = "resolved"
            alert["endsAt"] = "2021-10-12T10:20:03.157076+02:00"
    return payload


# Uptime Kuma ---------------------------------------------------------------------------------

#: Uptime Kuma's webhook body with "Request Body: application/json": louislam/uptime-kuma,
#: server/notification-providers/webhook.js (``{heartbeat, monitor, msg}``); the heartbeat
#: is server/model/heartbeat.js' toJSONAsync() plus what server/model/monitor.js'
#: sendNotification adds (timezone, timezoneOffset, localDateTime; lastDownTime on the way
#: up since 2.1); ``time`` is UTC without a zone (R.isoDateTimeMillis(dayjs.utc())); the
#: message is ``[NAME] [🔴 Down] MSG``. The monitor is the first fields of monitor.js'
#: toJSON(); the values are those of a captured notification (SuavecitoInc/
#: google-chat-notifications, src/lib/types/uptime.ts), the monitor renamed.
UPTIME_KUMA_DOWN: dict[str, Any] = {
    "heartbeat": {
        "monitorID": 29,
        "status": 0,
        "time": "2024-09-24 23:51:35.527",
        "msg": "getaddrinfo ENOTFOUND api.acme.example",
        "ping": None,
        "important": True,
        "duration": 0,
        "retries": 0,
        "timezone": "America/Los_Angeles",
        "timezoneOffset": "-07:00",
        "localDateTime": "2024-09-24 16:51:35",
    },
    "monitor": {
        "id": 29,
        "name": "Public API",
        "description": None,
        "path": ["Public API"],
        "pathName": "Public API",
        "parent": None,
        "childrenIDs": [],
        "url": "https://api.acme.example/health",
        "method": "GET",
        "hostname": None,
        "port": None,
        "maxretries": 0,
        "weight": 2000,
        "active": True,
        "forceInactive": False,
        "type": "http",
        "timeout": 48,
        "interval": 60,
        "retryInterval": 60,
        "resendInterval": 0,
        "keyword": None,
        "invertKeyword": False,
        "expiryNotification": False,
        "ignoreTls": False,
        "upsideDown": False,
        "maxredirects": 10,
        "accepted_statuscodes": ["200-299"],
        "notificationIDList": {"2": True},
        "tags": [],
        "maintenance": False,
    },
    "msg": "[Public API] [🔴 Down] getaddrinfo ENOTFOUND api.acme.example",
}
UPTIME_KUMA_STARTED = "20240924t235135z"
#: The notification of Uptime Kuma's "Test" button (server/server.js, testNotification:
#: ``Notification.send(notification, notification.name + " Testing")``).
UPTIME_KUMA_TEST: dict[str, Any] = {"heartbeat": None, "monitor": None, "msg": "statusgen Testing"}


def uptime_kuma(
    status: int = 0,
    time: str = "2024-09-24 23:51:35.527",
    *,
    important: bool = True,
    last_down: str | None = None,
    monitor: int = 29,
    name: str = "Public API",
) -> dict[str, Any]:
    """A notification of the documented shape: down (0) or up (1) at ``time``; a reminder
    ("Resend Notification if Down X times consecutively") is a down beat not important;
    ``last_down`` is 2.1's ``lastDownTime`` on the way up."""
    payload = copy.deepcopy(UPTIME_KUMA_DOWN)
    beat, watched = payload["heartbeat"], payload["monitor"]
    beat |= {"status": status, "time": time, "important": important, "monitorID": monitor}
    watched |= {"id": monitor, "name": name, "pathName": name, "path": [name]}
    if status == 1:
        beat |= {"msg": "200 - OK", "ping": 93}
        payload["msg"] = f"[{name}] [✅ Up] 200 - OK"
    else:
        payload["msg"] = f"[{name}] [🔴 Down] {beat['msg']}"
    if last_down is not None:
        beat["lastDownTime"] = last_down
    return payload


# Gatus ---------------------------------------------------------------------------------------

#: Gatus' custom alerting provider (TwiN/gatus, alerting/provider/custom/custom.go,
#: buildHTTPRequest): each placeholder of the body replaced by its value as it is (only
#: [RESULT_ERRORS] has its double quotes escaped); [ALERT_TRIGGERED_OR_RESOLVED] becomes
#: TRIGGERED or RESOLVED unless ``placeholders`` say otherwise.


def gatus_body(
    template: str,
    *,
    resolved: bool = False,
    name: str = "website",
    group: str = "core",
    url: str = "https://twin.sh/health",
    description: str = "health check failed",
    errors: tuple[str, ...] = (),
) -> bytes:
    """The body Gatus sends for ``template`` (README's alerting.custom.body), rendered as
    custom.go renders it; the endpoint and alert are those of Gatus' own README example."""
    values = {
        "[ALERT_DESCRIPTION]": description,
        "[ENDPOINT_NAME]": name,
        "[ENDPOINT_GROUP]": group,
        "[ENDPOINT_URL]": url,
        "[RESULT_ERRORS]": ",".join(errors).replace('"', '\\"'),
        "[ALERT_TRIGGERED_OR_RESOLVED]": "RESOLVED" if resolved else "TRIGGERED",
    }
    body = template
    for placeholder, value in values.items():
        body = body.replace(placeholder, value)
    return body.encode("utf-8", "surrogatepass")


def readme_block(readme: str, heading: str, language: str) -> str:
    """The first fenced block of ``language`` under ``heading`` of the README."""
    section = readme.split(f"\n{heading}\n", 1)[1].split("\n### ", 1)[0]
    found = re.search(rf"```{language}\n(.*?)```", section, re.DOTALL)
    assert found is not None, f"no {language} block under {heading}"
    return found.group(1)


def as_body(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False).encode()

"""Post to the status page from Alertmanager and from a Slack slash command.

Alertmanager's webhook and Slack's slash commands send payloads of their own; GitHub's
repository_dispatch takes a different one. This relay, in Python's standard library alone,
turns one into the other and answers at once (Slack waits at most 3 seconds):

- ``POST /alertmanager``: each firing alert group becomes a draft incident opened as a pull
  request (``review: true``) for a person to read first. Its key is the group's key, so
  Alertmanager's retries and repeats post it once.
- ``POST /slack``: ``/status new Title | message``, ``/status update message``,
  ``/status resolve message``; ``update`` and ``resolve`` take ``#id`` first to name an
  incident other than the only open one. Requests not signed with Slack's signing secret
  are refused.

    GITHUB_REPOSITORY=acme/status GITHUB_TOKEN=github_pat_... \\
    SLACK_SIGNING_SECRET=... python contrib/relay.py 8080

GITHUB_TOKEN is a fine-grained token for this one repository with Contents: read and write.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import sys
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs


def dispatch(payload: dict[str, Any]) -> None:
    """Start the Incident workflow with ``payload`` as its action."""
    api = os.environ.get("GITHUB_API", "https://api.github.com")
    request = urllib.request.Request(
        f"{api}/repos/{os.environ['GITHUB_REPOSITORY']}/dispatches",
        data=json.dumps({"event_type": "statusgen", "client_payload": payload}).encode(),
        headers={
            "Authorization": f"Bearer {os.environ['GITHUB_TOKEN']}",
            "Accept": "application/vnd.github+json",
            "Content-Type": "application/json",
        },
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10):
        pass


def from_alertmanager(body: bytes) -> list[dict[str, Any]]:
    """A draft incident for a firing alert group; nothing for a resolved one."""
    group = json.loads(body)
    if group.get("status") != "firing":
        return []
    annotations = group.get("commonAnnotations", {})
    labels = group.get("commonLabels", {})
    title = annotations.get("summary") or labels.get("alertname", "An alert fired")
    message = annotations.get("description") or "We are investigating."
    return [
        {"action": "new", "title": title, "message": message, "review": True,
         "key": f"alertmanager-{hashlib.sha256(group['groupKey'].encode()).hexdigest()[:32]}"}
    ]  # fmt: skip


def from_slack(text: str) -> dict[str, Any]:
    """``new Title | message``, ``update [#id] message`` or ``resolve [#id] message``."""
    action, _, rest = text.strip().partition(" ")
    payload: dict[str, Any] = {"action": action}
    if action == "new":
        title, _, message = rest.partition("|")
        payload |= {"title": title.strip(), "message": message.strip() or "We are investigating."}
    else:
        if rest.startswith("#"):
            incident, _, rest = rest[1:].partition(" ")
            payload["id"] = incident
        payload["message"] = rest.strip()
    return payload


def signed_by_slack(headers: Any, body: bytes) -> bool:
    stamp = headers.get("X-Slack-Request-Timestamp", "0")
    if not stamp.isdigit() or abs(time.time() - int(stamp)) > 300:
        return False
    secret = os.environ["SLACK_SIGNING_SECRET"].encode()
    base = b"v0:" + stamp.encode() + b":" + body
    expected = "v0=" + hmac.new(secret, base, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, headers.get("X-Slack-Signature", ""))


class Relay(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.path == "/alertmanager":
            for payload in from_alertmanager(body):
                dispatch(payload)
            self.answer(200, b"")
        elif self.path == "/slack" and signed_by_slack(self.headers, body):
            text = parse_qs(body.decode()).get("text", [""])[0]
            dispatch(from_slack(text))
            self.answer(200, b"Posted: the status page shows it within a few minutes.")
        else:
            self.answer(403 if self.path == "/slack" else 404, b"")

    def answer(self, status: int, text: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(text)))
        self.end_headers()
        self.wfile.write(text)


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8080
    ThreadingHTTPServer(("0.0.0.0", port), Relay).serve_forever()

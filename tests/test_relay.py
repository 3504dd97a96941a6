"""contrib/relay.py: Alertmanager's webhook and a Slack slash command, turned into the
repository_dispatch calls the Incident workflow reads, checked by statusgen's own reader."""

from __future__ import annotations

import hashlib
import hmac
import importlib.util
import json
import os
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlencode

import pytest

from generator.input.actions import Action, load_payload, read_action
from generator.input.validate import read_config
from tests.example import ROOT
from tests.peers import Receiver, http_receiver

SECRET = "slack-signing-secret"


def _relay() -> ModuleType:
    spec = importlib.util.spec_from_file_location("relay", ROOT / "contrib" / "relay.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def relay(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, Receiver]]:
    module = _relay()
    with http_receiver() as github:
        monkeypatch.setenv("GITHUB_API", f"http://127.0.0.1:{github.port}")
        monkeypatch.setenv("GITHUB_REPOSITORY", "acme/status")
        monkeypatch.setenv("GITHUB_TOKEN", "github_pat_test")
        monkeypatch.setenv("SLACK_SIGNING_SECRET", SECRET)
        server = ThreadingHTTPServer(("127.0.0.1", 0), module.Relay)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}", github
        finally:
            server.shutdown()
            server.server_close()


def post(url: str, body: bytes, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, headers=headers or {}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def as_action(body: dict[str, Any]) -> Action:
    assert body["event_type"] == "statusgen"
    config, problems = read_config(ROOT / "site_config.yml")
    assert config is not None, problems
    return read_action(load_payload(json.dumps(body)), config)


def test_a_firing_alert_group_becomes_a_draft_for_review(relay: tuple[str, Receiver]) -> None:
    url, github = relay
    group = {
        "status": "firing",
        "groupKey": '{}:{alertname="PaymentsDown"}',
        "commonLabels": {"alertname": "PaymentsDown"},
        "commonAnnotations": {
            "summary": "Card payments fail",
            "description": "Card payments fail for some customers. We are investigating.",
        },
    }
    assert post(f"{url}/alertmanager", json.dumps(group).encode())[0] == 200
    assert (
        post(f"{url}/alertmanager", json.dumps(group | {"status": "resolved"}).encode())[0] == 200
    )
    [(path, body)] = github.received
    assert path == "/repos/acme/status/dispatches"
    action = as_action(body)
    assert (action.action, action.title, action.review) == ("new", "Card payments fail", True)
    assert action.key is not None and action.key.startswith("alertmanager-")


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


def test_slash_commands_post_each_action(relay: tuple[str, Receiver]) -> None:
    url, github = relay
    for text in (
        "new Sign-in fails | Some customers cannot sign in.",
        "update We found the cause.",
        "resolve #2026-11-24-single-sign-on-fails-in-the-eu Sign-in works again.",
    ):
        status, answer = post(f"{url}/slack", *_signed(text))
        assert status == 200 and answer.startswith(b"Posted")
    actions = [as_action(body) for _, body in github.received]
    assert [a.action for a in actions] == ["new", "update", "resolve"]
    assert actions[0].title == "Sign-in fails"
    assert actions[1].message == "We found the cause."
    assert actions[2].id == "2026-11-24-single-sign-on-fails-in-the-eu"


def test_an_unsigned_or_stale_slash_command_is_refused(relay: tuple[str, Receiver]) -> None:
    url, github = relay
    body, headers = _signed("update Someone else's words.")
    assert post(f"{url}/slack", body, headers | {"X-Slack-Signature": "v0=00"})[0] == 403
    assert post(f"{url}/slack", *_signed("update Old.", stamp=int(time.time()) - 3600))[0] == 403
    assert github.received == []


def test_the_relay_is_named_in_the_readme() -> None:
    assert "contrib/relay.py" in (ROOT / "README.md").read_text()
    assert Path(ROOT / "contrib" / "relay.py").is_file()


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
    assert path == "/repos/acme/status/dispatches"
    action = as_action(body)
    assert (action.action, action.key) == ("new", "payments-2026-11-20")

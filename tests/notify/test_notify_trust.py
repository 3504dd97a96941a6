"""notify under stress: no secret or phone number printed, no message longer than its
service takes, no message a service refuses for good holding its channel up, no secret
written out in the site config (issue 20, findings 1, 2, 6 and the ledger's part of 15)."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest

from generator.channels import open_service, url_problem
from tests.conftest import Repo
from tests.notify.notifying import NOW, SIGN_IN, channels
from tests.peers import Receiver, Telegram, http_receiver, serving, telegram_api

TOKEN = "topsecretTOKEN"
PHONES = ("15551234567", "15557654321")
TWILIO = f"twilio://AC{'1' * 32}:{'7' * 32}@{PHONES[0]}/{PHONES[1]}"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with http_receiver() as peer:
        yield peer


@pytest.fixture
def telegram(monkeypatch: pytest.MonkeyPatch) -> Iterator[Telegram]:
    from apprise.plugins.telegram import NotifyTelegram

    with telegram_api() as peer:
        monkeypatch.setattr(NotifyTelegram, "notify_url", peer.api)
        monkeypatch.setenv("NOTIFY_TELEGRAM_URL", peer.url())
        yield peer


def _leaks(text: str) -> list[str]:
    """Every secret or phone number of this file's URLs that ``text`` shows, in any of the
    forms a URL is printed in."""
    found = [s for s in (TOKEN, "hunter22", "acme-status-8f3k2", "apikey-0123") if s in text]
    found += [p for p in PHONES if p[1:] in text]
    return found


# finding 1: nothing of a URL but its scheme and host is ever printed -----------------------


@pytest.mark.parametrize(
    ("url", "named"),
    [
        (f"json://127.0.0.1:9/?+Authorization=Bearer%20{TOKEN}", "JSON at json://127.0.0.1"),
        ("form://127.0.0.1:9/hook?-apikey=apikey-0123&:field=x", "Form at form://127.0.0.1"),
        ("ntfy://acme-status-8f3k2", "ntfy"),
        ("ntfys://bob:hunter22@ntfy.example.com/acme-status-8f3k2", "ntfy at ntfys://ntfy.example.com"),
        (TWILIO, "Twilio"),
    ],
)  # fmt: skip
def test_a_channel_is_shown_by_its_service_and_host_only(
    repo: Repo, monkeypatch: pytest.MonkeyPatch, url: str, named: str
) -> None:
    repo.incident("sign-in", SIGN_IN)
    monkeypatch.setenv("NOTIFY_URL", url)
    repo.config(channels("id: alerts\nurl: ${NOTIFY_URL}"))
    preview = repo.run("notify", "--now", NOW, "--dry-run")
    assert preview.exit_code == 0, preview.output
    assert f"== alerts ({named}; " in preview.stdout
    assert _leaks(preview.output) == []


def test_a_failed_send_names_no_secret_and_no_phone_number(
    repo: Repo, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.incident("sign-in", SIGN_IN)
    path = f"/hook/{PHONES[1]}"
    monkeypatch.setenv(
        "NOTIFY_URL", f"json://127.0.0.1:{receiver.port}{path}?+Authorization=Bearer%20{TOKEN}"
    )
    monkeypatch.setenv("NOTIFY_DOWN_URL", f"json://127.0.0.1:9/?+X-Token={TOKEN}")
    repo.write(
        "site_config.yml",
        channels("id: hook\nurl: ${NOTIFY_URL}", "id: down\nurl: ${NOTIFY_DOWN_URL}"),
    )
    receiver.failing[path] = 503
    result = repo.run("notify", "--now", NOW)
    assert result.exit_code == 1
    assert "channel hook: sign-in-20261120T094100Z was not sent to JSON at json://127.0.0.1:" in (
        result.stderr
    )
    assert "channel down: sign-in-20261120T094100Z was not sent to JSON at json://127.0.0.1:" in (
        result.stderr
    )
    assert _leaks(result.output) == []
    # the receiver did get the header: the secret is used, only never shown
    assert receiver.received


def test_a_service_answer_quoting_a_secret_is_masked() -> None:
    service = open_service(
        f"json://127.0.0.1:9/t/{PHONES[0]}?+Authorization=Bearer%20{TOKEN}",
        [f"json://127.0.0.1:9/t/{PHONES[0]}?+Authorization=Bearer%20{TOKEN}"],
    )
    for said in (
        f"refused Bearer {TOKEN}",
        f"refused Bearer%20{TOKEN}",
        f"refused %2B{PHONES[0]}",
        f"to +{PHONES[0]}: no",
        f"to 1-555-123-4567 and {PHONES[0][1:]}",
    ):
        assert _leaks(service.mask(said)) == [], said
    twilio = open_service(TWILIO, [])
    assert twilio.shown == "Twilio"
    assert _leaks(twilio.mask(f"Twilio refused +{PHONES[1]} from +{PHONES[0]}")) == []


@pytest.fixture
def echo() -> Iterator[int]:
    """An HTTP peer that refuses every request and echoes its credentials, path and
    query back in its error, as careless services do."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            said = json.dumps(
                {
                    "error": f"invalid credentials in {self.headers.get('Authorization')} "
                    f"for {self.path}"
                }
            ).encode()
            self.send_response(400)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(said)))
            self.end_headers()
            self.wfile.write(said)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    with serving(Handler) as port:
        yield port


def test_credentials_a_service_echoes_are_masked_in_every_form(
    repo: Repo, monkeypatch: pytest.MonkeyPatch, echo: int
) -> None:
    repo.incident("sign-in", SIGN_IN)
    monkeypatch.setenv("NTFY_USER", "Zq9user")
    monkeypatch.setenv("NTFY_PASSWORD", "hunter22")
    monkeypatch.setenv("NTFY_TOPIC", "acme-status-8f3k2")
    repo.write(
        "site_config.yml",
        channels(
            f"id: push\nurl: ntfy://${{NTFY_USER}}:${{NTFY_PASSWORD}}@127.0.0.1:{echo}/${{NTFY_TOPIC}}"
        ),
    )
    result = repo.run("notify", "--now", NOW)
    assert result.exit_code == 1
    basic = base64.b64encode(b"Zq9user:hunter22").decode()
    ledger = (repo.root / ".statusgen" / "notified.json").read_text()
    for text in (result.output, ledger):
        assert basic not in text
        assert _leaks(text) == []


def test_a_password_with_an_at_sign_never_becomes_the_shown_host(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.incident("sign-in", SIGN_IN)
    monkeypatch.setenv("HOOK_USER", "status")
    monkeypatch.setenv("HOOK_PASSWORD", "hunter22@home.lan")
    repo.write(
        "site_config.yml",
        channels("id: c0\nurl: json://${HOOK_USER}:${HOOK_PASSWORD}@hooks.example/"),
    )
    result = repo.run("notify", "--now", NOW, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "home.lan" not in result.output
    assert "== c0 (JSON; markdown)" in result.stdout


def test_customers_addresses_are_masked_with_their_display_names() -> None:
    to = '"Dana W" <dana2@customer.example>,Dana.Weber@Customer.EXAMPLE'
    service = open_service(f"mailto://127.0.0.1:2525?from=status@acme.example&to={to}", [to])
    said = service.mask(
        'Sending email to "dana2@customer.example" failed; Dana.Weber@Customer.EXAMPLE too'
    )
    assert "dana2" not in said and "Weber" not in said


# finding 2: every message fits its service, and one refused for good never blocks ----------


def _long_incident(repo: Repo, words: int = 900) -> None:
    text = " ".join(["Customers cannot update their billing_details"] * (words // 5))
    repo.incident(
        "billing",
        f"""\
title: Customers cannot update their details
impact: major
components: [api]
updates:
  - at: 2026-11-20T11:00:00Z
    status: investigating
    message: "{text} *now"
  - at: 2026-11-20T11:10:00Z
    status: identified
    message: The cause is a field_name with an _ and a * in it.
""",
    )


def test_a_long_update_fits_telegram_and_keeps_its_link(repo: Repo, telegram: Telegram) -> None:
    _long_incident(repo)
    repo.config(channels("id: tg\nurl: ${NOTIFY_TELEGRAM_URL}"))
    result = repo.run("notify", "--now", NOW)
    assert result.exit_code == 0, result.output
    assert telegram.refused == []
    assert len(telegram.accepted) == 2
    first = str(telegram.accepted[0]["text"])
    assert len(first) <= 4096
    assert first.rstrip().endswith("/incidents/billing/")
    assert "…" in first  # shortened, not cut


def test_markdown_is_valid_for_telegram(repo: Repo, telegram: Telegram) -> None:
    repo.incident(
        "odd",
        """\
title: The snake_case API * fails
impact: minor
components: [api]
updates:
  - at: 2026-11-20T11:00:00Z
    message: "Calls to user_id fail; 5*3 items_ are *slow and `broken."
""",
    )
    repo.config(channels("id: tg\nurl: ${NOTIFY_TELEGRAM_URL}"))
    result = repo.run("notify", "--now", NOW)
    assert result.exit_code == 0, result.output
    assert telegram.refused == []
    assert "user" in str(telegram.accepted[0]["text"])


def _refuse_marked(path: str, body: dict[str, Any]) -> int | None:
    """A service that refuses the first update of the billing incident in any form."""
    return (
        400
        if "billing_details" in json.dumps(body) or "Investigating" in json.dumps(body)
        else None
    )


def _refuse_long(path: str, body: dict[str, Any]) -> int | None:
    """A service that refuses the whole text of the first update, but not less of it."""
    return 400 if "*now" in json.dumps(body) else None


def test_a_message_refused_for_good_in_three_runs_is_recorded_and_the_channel_goes_on(
    repo: Repo, receiver: Receiver, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _long_incident(repo, words=50)
    receiver.refuse = _refuse_marked
    repo.config(channels(f"id: hook\nurl: {receiver.url('/hook')}"))
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    ledger = repo.root / ".statusgen" / "notified.json"
    for run in (1, 2):
        result = repo.run("notify", "--now", NOW)
        assert result.exit_code == 1
        assert "it is sent again by the next run" in result.stderr
        # the later update waits behind it, so that nobody reads them out of order
        assert len(receiver.received) == run
        assert (
            json.loads(ledger.read_text())["failed"]["hook"]["billing-20261120T110000Z"]["runs"]
            == run
        )
    third = repo.run("notify", "--now", NOW)
    assert third.exit_code == 1
    assert "even in its short form, in 3 runs, so it is recorded as failed" in third.stderr
    assert "1 message refused for good, recorded as failed" in third.stderr
    assert [p for p, _ in receiver.received] == ["/hook"] * 5  # its short form, then the next
    assert "The cause is a field_name" in receiver.received[-1][1]["message"]  # the next one
    data = json.loads(ledger.read_text())
    assert "billing-20261120T110000Z" not in data["channels"]["hook"]
    assert "gave_up" in data["failed"]["hook"]["billing-20261120T110000Z"]
    assert "error=400" in data["failed"]["hook"]["billing-20261120T110000Z"]["error"]
    assert "failed for good" in summary.read_text()
    # later runs neither send it again nor fail for it
    fourth = repo.run("notify", "--now", NOW)
    assert fourth.exit_code == 0
    assert "1 message recorded as failed by earlier runs" in fourth.stderr
    assert len(receiver.received) == 5


def test_a_message_refused_whole_goes_out_short_on_its_last_try(
    repo: Repo, receiver: Receiver
) -> None:
    _long_incident(repo, words=50)
    receiver.refuse = _refuse_long
    repo.config(channels(f"id: hook\nurl: {receiver.url('/hook')}"))
    for _ in (1, 2):
        assert repo.run("notify", "--now", NOW).exit_code == 1
    third = repo.run("notify", "--now", NOW)
    assert third.exit_code == 0, third.output
    assert "it was sent in its short form (the headline and the link) instead" in third.stderr
    short = receiver.received[3][1]
    assert len(short["title"]) + len(short["message"]) <= 160
    assert short["message"].rstrip().endswith("/incidents/billing/")
    data = json.loads((repo.root / ".statusgen" / "notified.json").read_text())
    assert "failed" not in data
    assert set(data["channels"]["hook"]) == {
        "billing-20261120T110000Z",
        "billing-20261120T111000Z",
    }


@pytest.mark.parametrize("status", [401, 404, 429, 500])
def test_a_channel_refused_as_a_whole_waits_and_never_drops_a_message(
    repo: Repo, receiver: Receiver, status: int
) -> None:
    _long_incident(repo, words=50)
    receiver.failing["/hook"] = status
    repo.config(channels(f"id: hook\nurl: {receiver.url('/hook')}"))
    for _ in range(4):
        assert repo.run("notify", "--now", NOW).exit_code == 1
    ledger = repo.root / ".statusgen" / "notified.json"
    assert not ledger.exists() or "failed" not in json.loads(ledger.read_text())
    del receiver.failing["/hook"]
    assert repo.run("notify", "--now", NOW).exit_code == 0
    assert len(receiver.bodies("/hook")) == 4 + 2


# finding 6: check refuses a secret written out in site_config.yml -------------------------


@pytest.mark.parametrize(
    ("url", "part"),
    [
        (f"json://hooks.example/?+Authorization=Bearer%20{TOKEN}", "the header 'Authorization'"),
        ("form://hooks.example/in?-apikey=apikey-0123", "the parameter 'apikey'"),
        ("json://hooks.example/in?:token=abc123", "the parameter 'token'"),
        ("json://hooks.example/in?token=abc123", "'token='"),
        ("ntfy://acme-status-8f3k2", "the ntfy topic"),
        ("ntfy://ntfy.sh/acme-status-8f3k2", "the ntfy topic"),
        ("mailtos://bob:hunter22@smtp.example.com?to=a@example.com", "the user and the password"),
        ("discord://123456789012345678/AbCdEfGhIjKlMnOpQrStUvWxYz", "a secret in its"),
        ("tgram://123456789:AAH-a-bot-token-0123456789abcdefghij/-100123/", "a secret in its"),
        ("slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ/#status", "a secret in its"),
        (f"twilio://${{SID}}:${{TOKEN}}@{PHONES[0]}/${{TO}}", "a phone number"),
        (f"twilio://${{SID}}:${{TOKEN}}@${{FROM}}/{PHONES[1]}", "a phone number"),
        (f"json://h.example/?+X-Key=${{KEY}}&+Authorization={TOKEN}", "the header 'Authorization'"),
        (f"mastodon://{TOKEN}@mastodon.social", "a secret in its user name"),
        ("opsgenie://0123456789abcdef0123456789abcdef", "a secret in its host"),
        ("slack://xoxb-1234-5678-abcdefghijklmnop/#general", "a secret in its"),
        ("tgram://${BOT_ID}:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/@chan", "a secret in its"),
        ("twilio://${SID}:${TOKEN}@${FROM}/1-555-765-4321", "a phone number"),
        ("twilio://${SID}:${TOKEN}@${FROM}/%2B1%20(555)%20765-4321", "a phone number"),
        ("twilio://${SID}:${TOKEN}@${FROM}/${TO}?to=+15557654321,+15551112222", "a phone number"),
        ("ntfy://ntfy.sh/?to=acme-status-8f3k2", "the ntfy topic"),
        ("rocket://${U}@chat.example.com/#status?token=Literal123", "'token='"),
    ],
)  # fmt: skip
def test_check_refuses_a_secret_written_out(url: str, part: str) -> None:
    problem = url_problem(url)
    assert problem is not None
    assert part in problem.message, problem.message
    assert problem.hint is not None and "${" in problem.hint


@pytest.mark.parametrize(
    "url",
    [
        "json://hooks.example/${NOTIFY_TOKEN}",
        "json://hooks.example/?+Authorization=${NOTIFY_AUTHORIZATION}",
        "json://127.0.0.1:9/hook?format=text",
        "mailto://localhost?to=status-list@example.com",
        "ntfy://${NTFY_TOPIC}",
        "ntfys://${NTFY_USER}:${NTFY_PASSWORD}@ntfy.example.com/status",
        "twilio://${TWILIO_SID}:${TWILIO_TOKEN}@${FROM}/${TO}",
        "tgram://${TELEGRAM_BOT}/${TELEGRAM_CHAT}",
        "${NOTIFY_URL}",
        "slack://${SLACK_A}/${SLACK_B}/${SLACK_C}/#status",
        "slack://${SLACK_A}/${SLACK_B}/${SLACK_C}/#status?footer=no",
        "slack://${SLACK_A}/${SLACK_B}/${SLACK_C}/#status/#alerts",
        "mailto://localhost?to=a@example.com,b@example.com",
        "mailto://localhost?to=Status%20List%3Clist@example.com%3E",
        "ntfy://${NTFY_TOPIC}?tags=warning,skull&priority=HIGH",
        "json://hooks.example/hook?format=TEXT&method=put",
        "json://hooks.example/hook?+Content-Type=application/json&+X-Source=statusgen",
        "form://hooks.example/hook?-channel=status",
        "mailgun://noreply@mg.acme.example/${MAILGUN_KEY}",
    ],
)
def test_check_accepts_secrets_in_variables(url: str) -> None:
    assert url_problem(url) is None


def test_check_names_the_part_and_where(repo: Repo) -> None:
    repo.write(
        "site_config.yml",
        channels(f"id: hook\nurl: json://hooks.example/?+Authorization=Bearer%20{TOKEN}"),
    )
    (line,) = repo.check()
    assert line.startswith("site_config.yml:18:12: error: this URL writes out the header ")
    assert "'Authorization' in the site config, which is public in the repository" in line


# the ledger's part of finding 15 ---------------------------------------------------------


def test_a_deeply_nested_ledger_is_refused_with_a_message(repo: Repo, receiver: Receiver) -> None:
    repo.incident("sign-in", SIGN_IN)
    repo.config(channels(f"id: hook\nurl: {receiver.url('/hook')}"))
    text = '{"format": 1, "channels": ' + "[" * 100_000 + "]" * 100_000 + "}"
    repo.write(".statusgen/notified.json", text)
    result = repo.run("notify", "--now", NOW)
    assert result.exit_code == 1
    assert "nested too deeply" in result.stderr
    assert "Traceback" not in result.output
    assert receiver.received == []

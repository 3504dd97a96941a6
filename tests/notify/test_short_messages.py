"""Short channels keep the message (issue 23, finding 5): an SMS is written in GSM-7 where
it can be, so that it holds 160 characters and not 70, and links the incident's short link
(``i/<short id>/``, which the built site publishes) where the incident's own link would
leave the update's text no room."""

from __future__ import annotations

import json
import tempfile
import urllib.parse
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any, ClassVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.channels import SMS_SCHEMES, open_service, scheme_problem
from generator.core.model import StatusPage
from generator.core.routes import Routes, short_ids
from generator.notify import gsm
from generator.notify.events import Event
from generator.notify.messages import MIN_TEXT, Composer
from tests.conftest import Repo
from tests.models import status_page
from tests.notify.notifying import CONFIG, channels
from tests.peers import Receiver, http_receiver, serving
from tests.sites import build

NOW = "2026-11-20T12:00:00Z"
#: As the engineer of the finding named it: a slug of the whole title.
LONG_ID = "2026-11-20-the-dashboard-and-the-api-return-errors-for-customers-in-every-region"
OUTAGE = """\
title: The dashboard and the API return errors for customers in every region
impact: critical
components:
  dashboard: major_outage
  api: major_outage
updates:
  - at: 2026-11-20T11:41:00Z
    status: investigating
    message: The dashboard and the API return errors for most requests. We are looking into it.
    next_update: 2026-11-20T12:15:00Z
"""
TWILIO = f"twilio://AC{'1' * 32}:{'7' * 32}@15551234567/15557654321"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with http_receiver() as peer:
        yield peer


@pytest.fixture
def outage(repo: Repo) -> Repo:
    repo.incident(LONG_ID, OUTAGE)
    return repo


#: The incident's short link: its short id depends only on its id (it has no rival here).
SHORT = f"https://status.acme.example/i/{short_ids([(datetime.now(UTC), LONG_ID)])[LONG_ID]}/"


def test_an_sms_length_message_links_the_short_link_and_keeps_the_text(
    outage: Repo, receiver: Receiver
) -> None:
    outage.write("site_config.yml", channels(f"id: sms\nurl: {receiver.url('/sms')}\nlength: 160"))
    result = outage.run("notify", "--now", NOW)
    assert result.exit_code == 0, result.output
    [body] = receiver.bodies("/sms")
    message = body["message"]
    lines = message.split("\n")
    assert lines[-1] == SHORT
    assert gsm.size(message) <= 160
    assert gsm.fits(message), [c for c in message if not gsm.fits(c)]
    said = lines[1]
    assert said.startswith("The dashboard and the API return errors")
    assert len(said) >= MIN_TEXT
    # the short link the message names is a page of the built site that leads to the incident
    site = build(outage.root, now=NOW)
    page = site / "i" / lines[-1].rsplit("/", 2)[1] / "index.html"
    assert f"url=../../incidents/{LONG_ID}/" in page.read_text(encoding="utf-8")


def test_a_channel_with_room_keeps_the_incidents_own_link(outage: Repo, receiver: Receiver) -> None:
    outage.write("site_config.yml", channels(f"id: push\nurl: {receiver.url('/p')}\nlength: 400"))
    outage.run("notify", "--now", NOW)
    [body] = receiver.bodies("/p")
    assert body["message"].endswith(f"https://status.acme.example/incidents/{LONG_ID}/")
    # longer than an SMS: written as it is, typographic characters kept
    assert "\u202f" in body["message"] or "Next update" in body["message"]


def test_gsm7_keeps_the_words_and_drops_only_typography() -> None:
    text = (
        "Next update by 5:15\u202fAM \u2014 \u201cwe\u2019re on it\u201d\u2026 "
        "\u00a0Ca\u00e7a, na\u00efve, Stra\u00dfe, \u20ac5"
    )
    plain = gsm.plain(text)
    assert plain == 'Next update by 5:15 AM - "we\'re on it"...  Caca, naive, Straße, €5'
    assert gsm.fits(plain)
    assert gsm.size("€[x]") == 7
    # Japanese has no GSM-7 form: the text goes in UCS-2 as it is, its own punctuation kept
    japanese = "調査中：一部のお客様がサインインできません（一部障害）\u2026"
    assert gsm.plain(japanese) == japanese
    assert gsm.plain(text + " 日本") == text + " 日本"


def test_a_length_counts_sms_and_ucs2_holds_70_in_one() -> None:
    assert [gsm.segments(n) for n in (1, 160, 161, 306, 307)] == [1, 1, 2, 2, 3]
    assert [gsm.ucs2_room(n) for n in (70, 160, 161, 306, 459)] == [70, 70, 134, 134, 201]
    assert gsm.ucs2_size("\u8abf\u67fb\u4e2d") == 3
    assert gsm.ucs2_size("\U0001f6a7 ok") == 5  # an emoji is two UTF-16 units


def test_a_japanese_sms_fits_one_sms_of_ucs2_with_the_link_whole(
    outage: Repo, receiver: Receiver
) -> None:
    # Japanese cannot be GSM-7: its SMS goes in UCS-2, where one SMS holds 70 characters,
    # not 160, and the message is fitted to those
    config = channels(f"id: sms\nurl: {receiver.url('/sms')}\nlength: 160\nlanguage: ja")
    outage.write("site_config.yml", config.replace("site:\n", "site:\n  languages: [en, ja]\n"))
    result = outage.run("notify", "--now", NOW)
    assert result.exit_code == 0, result.output
    [body] = receiver.bodies("/sms")
    message = body["message"]
    assert not gsm.fits(message)
    assert gsm.ucs2_size(message) <= 70, (gsm.ucs2_size(message), message)
    assert message.split("\n")[-1] == SHORT.replace(".example/", ".example/ja/")


class _Twilio(BaseHTTPRequestHandler):
    """Twilio's Messages API on loopback: each SMS it is asked to send, as a form."""

    sent: ClassVar[list[dict[str, list[str]]]] = []

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        self.sent.append(urllib.parse.parse_qs(self.rfile.read(length).decode()))
        answer = json.dumps({"sid": "SM1"}).encode()
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def test_an_sms_service_gets_gsm7_without_any_length_set(
    outage: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    from apprise.plugins.twilio import NotifyTwilio

    _Twilio.sent = []
    with serving(_Twilio) as port:
        api = f"http://127.0.0.1:{port}/2010-04-01/Accounts/{{sid}}/Messages.json"
        monkeypatch.setattr(NotifyTwilio, "notify_sms_url", api)
        monkeypatch.setenv("NOTIFY_SMS_URL", TWILIO)
        outage.write("site_config.yml", channels("id: sms\nurl: ${NOTIFY_SMS_URL}"))
        result = outage.run("notify", "--now", NOW)
    assert result.exit_code == 0, result.output
    [form] = _Twilio.sent
    [message] = form["Body"]
    assert gsm.fits(message) and gsm.size(message) <= 160
    assert message.endswith(SHORT)
    assert "The dashboard and the API return errors" in message


def test_the_sms_services_are_apprise_schemes() -> None:
    assert [s for s in sorted(SMS_SCHEMES) if scheme_problem(f"{s}://x") is not None] == []
    assert open_service(TWILIO, []).sms
    assert not open_service("ntfy://acme-status-8f3k2", []).sms


@settings(max_examples=40, deadline=None)
@given(
    length=st.integers(min_value=60, max_value=200),
    words=st.lists(
        st.sampled_from(
            [
                "errors",
                "\u2026",
                "we\u2019re",
                "5:15\u202fAM",
                "\u201cAPI\u201d",
                "\u20ac",
                "[x]",
                "ok",
                "\u8abf\u67fb\u4e2d",
                "\U0001f6a7",
            ]
        ),
        min_size=1,
        max_size=60,
    ),
)
@pytest.mark.slow
def test_an_sms_fits_as_an_sms_counts_and_the_link_is_whole(length: int, words: list[str]) -> None:
    page = _page(" ".join(words))
    [incident] = page.incidents
    shorts = short_ids([(incident.first_update.at, incident.id)])
    composer = Composer(page.config, Routes(page.config.url), shorts=shorts)
    full = f"https://status.acme.example/incidents/{LONG_ID}/"
    short = f"https://status.acme.example/i/{shorts[LONG_ID]}/"
    for update in incident.updates:
        event = Event(update.id, "updated", update.at, incident, update, update.status)
        body = composer.message(event, "text", False, length, sms=True).body
        # as many SMS as the length makes, counted as the alphabet the SMS goes in counts
        if gsm.fits(body):
            assert gsm.size(body) <= length
        else:
            assert gsm.ucs2_size(body) <= gsm.ucs2_room(length)
        assert body.split("\n")[-1] in (full, short)
        plain_text = gsm.plain(" ".join(words))
        assert gsm.fits(body) or not gsm.fits(plain_text)


def _page(text: str) -> StatusPage:
    incident = {
        "title": "The dashboard and the API return errors",
        "impact": "major",
        "components": {"api": "partial_outage"},
        "updates": [{"at": "2026-11-20T09:41:00Z", "message": text}],
    }
    with tempfile.TemporaryDirectory() as folder:
        return status_page(
            Path(folder),
            CONFIG.replace("  channels:\n", ""),
            {LONG_ID: json.dumps(incident, ensure_ascii=False)},
            NOW,
        )

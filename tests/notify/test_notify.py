"""``statusgen notify``: delivered through Apprise to real peers on loopback (an HTTP
receiver for json://, an SMTP server for mailto://), with the ledger, the filters, the
message forms (sending once, filters, length); its faults and check are beside it."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.core.routes import Routes
from generator.notify.events import Event
from generator.notify.messages import Composer
from tests.conftest import Repo
from tests.notify.notifying import (
    ALL,
    NOW,
    SIGN_IN,
    UPGRADE,
    channels,
    ledger,
    one_incident,
    titles,
)
from tests.peers import Mailbox, Receiver

# sending, once ------------------------------------------------------------------------------


def test_every_event_reaches_a_channel_once_oldest_first(site: Repo, receiver: Receiver) -> None:
    site.config(channels(f"id: hook\nurl: {receiver.url('/hook')}"))
    result = site.run("notify", "--now", NOW)
    assert result.exit_code == 0, result.output
    bodies = receiver.bodies("/hook")
    assert titles(bodies) == [
        "Scheduled: Database upgrade - Acme Cloud Status",
        "Investigating: Some customers cannot sign in - Acme Cloud Status",
        "In progress: Database upgrade - Acme Cloud Status",
        "Identified: Some customers cannot sign in - Acme Cloud Status",
        "Completed: Database upgrade - Acme Cloud Status",
        "Resolved: Some customers cannot sign in - Acme Cloud Status",
        "Investigating: The API is slow - Acme Cloud Status",
    ]
    assert list(ledger(site)["hook"]) == ALL
    assert "7 messages sent to 1 channel" in result.stderr

    again = site.run("notify", "--now", NOW)
    assert again.exit_code == 0
    assert len(receiver.received) == 7
    assert "0 messages sent" in again.stderr


def test_a_message_says_what_a_customer_needs(site: Repo, receiver: Receiver) -> None:
    site.config(channels(f"id: hook\nurl: {receiver.url('/hook')}?format=text"))
    site.run("notify", "--now", NOW)
    first = receiver.bodies("/hook")[1]
    assert first["type"] == "failure"  # a major incident
    text = first["message"]
    for said in (
        "Major impact.",
        "Affected: Sign-in (partial outage). Where: EU",
        "Some customers in the EU cannot sign in.",
        "Workaround: Use an API token while sign-in is down.",
        "Next update by 11:15\u202fAM CET",  # the update's own day: no date
        "https://status.acme.example/incidents/sign-in/",
    ):
        assert said in text
    resolved = receiver.bodies("/hook")[5]
    assert resolved["type"] == "success"
    assert "Compensation: Affected customers receive a 10% credit." in resolved["message"]
    assert "Workaround" not in resolved["message"]
    assert "Next update" not in resolved["message"]
    started = receiver.bodies("/hook")[2]["message"]
    assert "The planned maintenance has started." in started
    assert "Affected: Dashboard (under maintenance)" in started


@pytest.mark.slow
def test_internal_never_reaches_a_message(site: Repo, receiver: Receiver, mailbox: Mailbox) -> None:
    site.write(
        "site_config.yml",
        channels(
            f"id: hook\nurl: {receiver.url('/hook')}",
            f"id: sms\nurl: {receiver.url('/sms')}\nlength: 160",
            f"id: mail\nurl: {mailbox.url()}\ncomponents: [auth]",
        ),
    )
    assert site.run("notify", "--now", NOW).exit_code == 0
    assert len(mailbox.messages) == 3
    sent = json.dumps(receiver.received) + "".join(m.as_string() for m in mailbox.messages)
    assert "Some customers" in sent
    assert "INTERNAL-ROOT-CAUSE" not in sent
    assert "failover" not in sent


def test_email_has_a_subject_an_html_body_and_a_text_part(site: Repo, mailbox: Mailbox) -> None:
    site.incident(
        "sign-in", SIGN_IN.replace("cannot sign in.", "cannot sign in. <script>alert(1)</script>")
    )
    config = channels(f"id: mail\nurl: {mailbox.url()}\nevents: [created]\ncomponents: [auth]")
    site.config(config)
    result = site.run("notify", "--now", NOW)
    assert result.exit_code == 0, result.output
    assert len(mailbox.messages) == 1
    message = mailbox.messages[0]
    assert message["Subject"] == "Investigating: Some customers cannot sign in - Acme Cloud Status"
    assert message["To"] == "ops@acme.example"
    html = message.get_body(("html",))
    text = message.get_body(("plain",))
    assert html is not None and text is not None
    html_content = html.get_content()
    assert "<script" not in html_content  # sanitized as on the page
    assert '<a href="https://status.acme.example/incidents/sign-in/"' in html_content
    assert "<h3>Workaround</h3>" in html_content
    assert "Some customers in the EU cannot sign in." in text.get_content()


# filters -----------------------------------------------------------------------------------


def test_filters_choose_what_each_channel_gets(site: Repo, receiver: Receiver) -> None:
    site.write(
        "site_config.yml",
        channels(
            f"id: api-only\nurl: {receiver.url('/api')}\ncomponents: [api]",
            f"id: serious\nurl: {receiver.url('/serious')}\nmin_impact: major",
            f"id: news\nurl: {receiver.url('/news')}\nevents: [created, resolved]",
            f"id: planned\nurl: {receiver.url('/planned')}\nevents: [maintenance]",
        ),
    )
    assert site.run("notify", "--now", NOW).exit_code == 0
    sent = ledger(site)
    assert list(sent["api-only"]) == ["slow-api-20261120T113000Z"]
    assert list(sent["serious"]) == [  # maintenance counts as impact none
        "sign-in-20261120T094100Z",
        "sign-in-20261120T100500Z",
        "sign-in-20261120T110200Z",
    ]
    assert list(sent["news"]) == [
        "sign-in-20261120T094100Z",
        "sign-in-20261120T110200Z",
        "slow-api-20261120T113000Z",
    ]
    assert list(sent["planned"]) == ["upgrade-20261120T080000Z", "upgrade#started", "upgrade#ended"]


def test_max_age_keeps_history_from_a_first_setup(site: Repo, receiver: Receiver) -> None:
    config = channels(f"id: hook\nurl: {receiver.url('/hook')}")
    site.config(config.replace("max_age_minutes: 600", "max_age_minutes: 60"))
    assert site.run("notify", "--now", NOW).exit_code == 0
    assert list(ledger(site)["hook"]) == [  # 11:00 and later
        "upgrade#ended",
        "sign-in-20261120T110200Z",
        "slow-api-20261120T113000Z",
    ]


def test_an_update_appears_once_published(site: Repo, receiver: Receiver) -> None:
    site.config(channels(f"id: hook\nurl: {receiver.url('/hook')}"))
    site.run("notify", "--now", "2026-11-20T09:50:00Z")
    assert list(ledger(site)["hook"]) == ["upgrade-20261120T080000Z", "sign-in-20261120T094100Z"]
    site.run("notify", "--now", "2026-11-20T10:30:00Z")
    assert list(ledger(site)["hook"])[2:] == ["upgrade#started", "sign-in-20261120T100500Z"]
    site.run("notify", "--now", "2026-11-20T13:30:00Z")
    assert "later-20261120T130000Z" in ledger(site)["hook"]
    assert len(receiver.received) == len({json.dumps(b) for _, b in receiver.received})


def test_a_cancelled_maintenance_neither_starts_nor_ends(repo: Repo, receiver: Receiver) -> None:
    repo.incident(
        "upgrade",
        UPGRADE + "  - at: 2026-11-20T09:00:00Z\n    status: cancelled\n    message: Postponed.\n",
    )
    repo.config(channels(f"id: hook\nurl: {receiver.url('/hook')}"))
    repo.run("notify", "--now", NOW)
    assert list(ledger(repo)["hook"]) == ["upgrade-20261120T080000Z", "upgrade-20261120T090000Z"]


# length ------------------------------------------------------------------------------------


def test_a_short_channel_gets_plain_text_that_fits(site: Repo, receiver: Receiver) -> None:
    site.config(channels(f"id: sms\nurl: {receiver.url('/sms')}\nlength: 160"))
    site.run("notify", "--now", NOW)
    bodies = receiver.bodies("/sms")
    assert len(bodies) == len(ALL)
    for body in bodies:
        assert body["title"] == ""  # the title is in the body, and counts
        assert len(body["message"]) <= 160
        assert body["message"].split("\n")[-1].startswith("https://status.acme.example/incidents/")
        assert "Acme Cloud Status" in body["message"]
    assert "Some customers in the EU cannot" in bodies[1]["message"]


@settings(max_examples=60, deadline=None)
@given(
    length=st.integers(min_value=60, max_value=400),
    title=st.text(st.characters(categories=["L", "N", "P", "Zs"]), min_size=1, max_size=300),
    text=st.text(st.characters(categories=["L", "N", "P", "Zs"]), min_size=1, max_size=900),
    regions=st.lists(st.sampled_from(["EU", "US East", "Asia Pacific"]), max_size=3),
)
@pytest.mark.slow
def test_length_is_kept_and_the_link_never_cut(
    length: int, title: str, text: str, regions: list[str]
) -> None:
    page = one_incident(title, text, regions)
    composer = Composer(page.config, Routes(page.config.url))
    link = "https://status.acme.example/incidents/x/"
    for incident in page.incidents:
        for update in incident.updates:
            event = Event(update.id, "updated", update.at, incident, update, update.status)
            body = composer.message(event, "markdown", True, length).body
            assert body.split("\n")[-1] == link
            assert len(body) <= length

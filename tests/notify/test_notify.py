"""``statusgen notify``: delivered through Apprise to real peers on loopback (an HTTP
receiver for json://, an SMTP server for mailto://), with the ledger, the filters, the
message forms and every fault the SPEC names."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.channels import (
    UnsetVariable,
    VariableError,
    expand,
    open_service,
    variables,
)
from generator.core.model import StatusPage
from generator.core.routes import Routes
from generator.notify.events import Event
from generator.notify.messages import Composer
from tests.conftest import CONFIG as BASE_CONFIG
from tests.conftest import Repo, dedent
from tests.models import status_page
from tests.peers import Mailbox, Receiver, http_receiver, smtp_server

NOW = "2026-11-20T12:00:00Z"
SECRET = "s3cr3t-Pa55word"

CONFIG = (
    BASE_CONFIG
    + """\
notify:
  max_age_minutes: 600
  channels:
"""
)

SIGN_IN = """\
title: Some customers cannot sign in
impact: major
components:
  auth: partial_outage
regions: [EU]
workaround: Use an API token while sign-in is down.
compensation: Affected customers receive a 10% credit.
internal:
  notes: INTERNAL-ROOT-CAUSE the database failover script
updates:
  - at: 2026-11-20T09:41:00Z
    status: investigating
    message: Some customers in the EU cannot sign in.
    next_update: 2026-11-20T10:15:00Z
  - at: 2026-11-20T10:05:00Z
    status: identified
    message: We found the cause and are rolling out a fix.
  - at: 2026-11-20T11:02:00Z
    status: resolved
    message: Sign-in works again for everyone. We are sorry.
"""

SLOW_API = """\
title: The API is slow
impact: minor
components: [api]
updates:
  - at: 2026-11-20T11:30:00Z
    message: Some API calls take several seconds.
"""

UPGRADE = """\
type: maintenance
title: Database upgrade
components: [dashboard]
scheduled: {start: 2026-11-20T10:00:00Z, end: 2026-11-20T11:00:00Z}
updates:
  - at: 2026-11-20T08:00:00Z
    message: The dashboard will be read-only during the upgrade.
"""

LATER = """\
title: Not yet published
impact: critical
components: [api]
updates:
  - at: 2026-11-20T13:00:00Z
    message: This update is dated after now.
"""

OLD = """\
title: Yesterday's outage
impact: critical
components: [api]
updates:
  - at: 2026-11-19T08:00:00Z
    message: The API was down.
  - at: 2026-11-19T09:00:00Z
    status: resolved
    message: The API works again.
"""

#: Every event at NOW within max_age, oldest first.
ALL = [
    "upgrade-20261120T080000Z",
    "sign-in-20261120T094100Z",
    "upgrade#started",
    "sign-in-20261120T100500Z",
    "upgrade#ended",
    "sign-in-20261120T110200Z",
    "slow-api-20261120T113000Z",
]


def channels(*entries: str) -> str:
    return CONFIG + "".join(
        "    - " + dedent(entry).rstrip().replace("\n", "\n      ") + "\n" for entry in entries
    )


@pytest.fixture
def site(repo: Repo) -> Repo:
    repo.incident("sign-in", SIGN_IN)
    repo.incident("slow-api", SLOW_API)
    repo.incident("upgrade", UPGRADE)
    repo.incident("later", LATER)
    repo.incident("old", OLD)
    return repo


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with http_receiver() as peer:
        yield peer


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    with smtp_server() as peer:
        yield peer


def ledger(repo: Repo) -> dict[str, dict[str, str]]:
    data = json.loads((repo.root / ".statusgen" / "notified.json").read_text())
    assert data["format"] == 1
    channels: dict[str, dict[str, str]] = data["channels"]
    return channels


def titles(bodies: list[dict[str, str]]) -> list[str]:
    return [body["title"] for body in bodies]


# sending, once ------------------------------------------------------------------------------


def test_every_event_reaches_a_channel_once_oldest_first(site: Repo, receiver: Receiver) -> None:
    site.write("site_config.yml", channels(f"id: hook\nurl: {receiver.url('/hook')}"))
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
    site.write("site_config.yml", channels(f"id: hook\nurl: {receiver.url('/hook')}?format=text"))
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
    site.write("site_config.yml", config)
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
    site.write("site_config.yml", config.replace("max_age_minutes: 600", "max_age_minutes: 60"))
    assert site.run("notify", "--now", NOW).exit_code == 0
    assert list(ledger(site)["hook"]) == [  # 11:00 and later
        "upgrade#ended",
        "sign-in-20261120T110200Z",
        "slow-api-20261120T113000Z",
    ]


def test_an_update_appears_once_published(site: Repo, receiver: Receiver) -> None:
    site.write("site_config.yml", channels(f"id: hook\nurl: {receiver.url('/hook')}"))
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
    repo.write("site_config.yml", channels(f"id: hook\nurl: {receiver.url('/hook')}"))
    repo.run("notify", "--now", NOW)
    assert list(ledger(repo)["hook"]) == ["upgrade-20261120T080000Z", "upgrade-20261120T090000Z"]


# length ------------------------------------------------------------------------------------


def test_a_short_channel_gets_plain_text_that_fits(site: Repo, receiver: Receiver) -> None:
    site.write("site_config.yml", channels(f"id: sms\nurl: {receiver.url('/sms')}\nlength: 160"))
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
def test_length_is_kept_and_the_link_never_cut(
    length: int, title: str, text: str, regions: list[str]
) -> None:
    page = _page(title, text, regions)
    composer = Composer(page.config, Routes(page.config.url))
    link = "https://status.acme.example/incidents/x/"
    for incident in page.incidents:
        for update in incident.updates:
            event = Event(update.id, "updated", update.at, incident, update, update.status)
            body = composer.message(event, "markdown", True, length).body
            assert body.split("\n")[-1] == link
            assert len(body) <= length


def _page(title: str, text: str, regions: list[str]) -> StatusPage:
    if not title.strip() or not text.strip():
        title, text = "x" + title, "x" + text
    incident = {
        "title": title,
        "impact": "major",
        "components": {"api": "partial_outage", "auth": "degraded_performance"},
        "regions": regions,
        "workaround": text[::-1] or "x",
        "updates": [
            {"at": "2026-11-20T09:41:00Z", "message": text, "next_update": "2026-11-20T10:15:00Z"},
            {"at": "2026-11-20T10:41:00Z", "status": "resolved", "message": text + text},
        ],
    }
    with tempfile.TemporaryDirectory() as folder:
        return status_page(
            Path(folder),
            CONFIG.replace("  channels:\n", ""),
            {"x": json.dumps(incident, ensure_ascii=False)},
            NOW,
        )


# faults ------------------------------------------------------------------------------------


def test_a_failing_channel_is_retried_and_never_blocks_the_others(
    site: Repo, receiver: Receiver
) -> None:
    site.write(
        "site_config.yml",
        channels(f"id: down\nurl: {receiver.url('/down')}", f"id: up\nurl: {receiver.url('/up')}"),
    )
    receiver.failing["/down"] = 500
    result = site.run("notify", "--now", NOW)
    assert result.exit_code == 1
    assert (
        f"notify: channel down: {ALL[0]} was not sent to JSON at json://127.0.0.1: "
        in result.stderr
    )
    assert "500" in result.stderr
    assert "1 channel failed (7 messages left for the next run)" in result.stderr
    assert len(receiver.bodies("/down")) == 1  # later events wait behind the first
    assert len(receiver.bodies("/up")) == 7
    assert "down" not in ledger(site)

    del receiver.failing["/down"]
    result = site.run("notify", "--now", NOW)
    assert result.exit_code == 0, result.output
    assert list(ledger(site)["down"]) == ALL
    assert len(receiver.bodies("/up")) == 7
    assert titles(receiver.bodies("/down")[1:]) == titles(receiver.bodies("/up"))


def _notify_process(
    root: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "generator", "notify", "--now", NOW, *args],
        cwd=root,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_process_killed_between_sends_loses_nothing(site: Repo, receiver: Receiver) -> None:
    site.write("site_config.yml", channels(f"id: hook\nurl: {receiver.url('/hook')}"))
    process: list[subprocess.Popen[str]] = []

    def kill_on_the_third(_path: str, count: int) -> None:
        if count == 3:
            os.kill(process[0].pid, signal.SIGKILL)
            process[0].wait()

    receiver.hook = kill_on_the_third
    process.append(_notify_process(site.root))
    process[0].communicate(timeout=60)
    assert process[0].returncode == -signal.SIGKILL
    assert list(ledger(site)["hook"]) == ALL[:2]  # the third was received, not recorded

    receiver.hook = None
    again = _notify_process(site.root)
    again.communicate(timeout=60)
    assert again.returncode == 0
    received = titles(receiver.bodies("/hook"))
    assert len(received) == len(ALL) + 1  # the one documented duplicate
    assert received[2] == received[3]
    assert list(ledger(site)["hook"]) == ALL


def test_two_runs_at_once_send_each_event_once(site: Repo, receiver: Receiver) -> None:
    site.write("site_config.yml", channels(f"id: hook\nurl: {receiver.url('/hook')}"))

    def slowly(_path: str, _count: int) -> None:
        threading.Event().wait(0.1)

    receiver.hook = slowly
    runs = [_notify_process(site.root) for _ in range(2)]
    for run in runs:
        run.communicate(timeout=120)
        assert run.returncode == 0
    assert sorted(titles(receiver.bodies("/hook"))) == sorted(set(titles(receiver.bodies("/hook"))))
    assert len(receiver.bodies("/hook")) == len(ALL)


def test_an_unset_variable_is_named_and_skips_only_its_channel(
    site: Repo, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("STATUS_HOOK_PORT", raising=False)
    site.write(
        "site_config.yml",
        channels(
            "id: later\nurl: json://127.0.0.1:${STATUS_HOOK_PORT}/later",
            f"id: now\nurl: {receiver.url('/now')}",
        ),
    )
    result = site.run("notify", "--now", NOW)
    assert result.exit_code == 1
    assert "notify: channel later: the variable STATUS_HOOK_PORT is not set" in result.stderr
    assert len(receiver.bodies("/now")) == 7

    monkeypatch.setenv("STATUS_HOOK_PORT", str(receiver.port))
    assert site.run("notify", "--now", NOW).exit_code == 0
    assert len(receiver.bodies("/later")) == 7


def test_a_malformed_url_in_a_variable_is_reported_without_its_value(
    site: Repo, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NOTIFY_BROKEN_URL", f"jsn://u:{SECRET}@127.0.0.1/x")
    monkeypatch.setenv("NOTIFY_EMPTY_URL", "json://")
    site.write(
        "site_config.yml",
        channels(
            "id: broken\nurl: ${NOTIFY_BROKEN_URL}",
            "id: empty\nurl: ${NOTIFY_EMPTY_URL}",
            f"id: fine\nurl: {receiver.url('/fine')}",
        ),
    )
    result = site.run("notify", "--now", NOW)
    assert result.exit_code == 1
    assert "notify: channel broken: Apprise knows no service 'jsn://'" in result.stderr
    assert "notify: channel empty: Apprise cannot read this URL" in result.stderr
    assert SECRET not in result.output
    assert len(receiver.bodies("/fine")) == 7


def test_no_secret_in_any_output_or_the_ledger(
    site: Repo, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NOTIFY_HOOK_URL", f"json://bot:{SECRET}@127.0.0.1:{receiver.port}/hook")
    monkeypatch.setenv("NOTIFY_TOKEN", SECRET + "-token")
    site.write(
        "site_config.yml",
        channels(
            "id: hook\nurl: ${NOTIFY_HOOK_URL}",
            f"id: token\nurl: json://127.0.0.1:{receiver.port}/t/${{NOTIFY_TOKEN}}",
        ),
    )
    preview = site.run("notify", "--now", NOW, "--dry-run")
    assert preview.exit_code == 0
    assert "== hook (JSON at json://127.0.0.1; markdown)" in preview.stdout
    assert "bot:" not in preview.stdout
    receiver.failing["/hook"] = 500
    receiver.failing[f"/t/{SECRET}-token"] = 503
    failed = site.run("notify", "--now", NOW)
    assert failed.exit_code == 1
    del receiver.failing["/hook"]
    sent = site.run("notify", "--now", NOW)
    assert sent.exit_code == 1
    ledger_text = (site.root / ".statusgen" / "notified.json").read_text()
    for text in (preview.output, failed.output, sent.output, ledger_text):
        assert SECRET not in text
    assert "127.0.0.1" not in ledger_text


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("{not json", "is not valid JSON (line 1, column 2"),
        ("[]", "is not a statusgen ledger"),
        ('{"format": 0, "channels": {}}', "has format 0, and this statusgen reads format 1"),
        ('{"format": 2, "channels": {}}', "has format 2, and this statusgen reads format 1"),
        ('{"format": 1, "channels": {"hook": ["a"]}}', "does not list channels as it should"),
    ],
)
def test_a_ledger_that_cannot_be_read_stops_everything(
    site: Repo, receiver: Receiver, text: str, said: str
) -> None:
    site.write("site_config.yml", channels(f"id: hook\nurl: {receiver.url('/hook')}"))
    path = site.write(".statusgen/notified.json", text)
    result = site.run("notify", "--now", NOW)
    assert result.exit_code == 1
    assert said in result.stderr
    assert "nothing was sent" in result.stderr
    assert "Traceback" not in result.output
    assert receiver.received == []
    assert path.read_text() == text


def test_dry_run_sends_nothing_and_writes_nothing(site: Repo, receiver: Receiver) -> None:
    site.write(
        "site_config.yml",
        channels(
            f"id: hook\nurl: {receiver.url('/hook')}",
            f"id: sms\nurl: {receiver.url('/s')}\nlength: 160",
        ),
    )
    result = site.run("notify", "--now", NOW, "--dry-run")
    assert result.exit_code == 0
    assert receiver.received == []
    assert not (site.root / ".statusgen").exists()
    assert "== hook (JSON at json://127.0.0.1; markdown): " in result.stdout
    assert "/hook" not in result.stdout
    assert "; markdown): sign-in-20261120T094100Z (created)" in result.stdout
    assert (
        "Title: Investigating: Some customers cannot sign in - Acme Cloud Status" in result.stdout
    )
    assert "14 messages would be sent to 2 channels" in result.stderr


def test_the_channel_option_and_its_mistakes(site: Repo, receiver: Receiver) -> None:
    site.write(
        "site_config.yml",
        channels(f"id: one\nurl: {receiver.url('/1')}", f"id: two\nurl: {receiver.url('/2')}"),
    )
    wrong = site.run("notify", "--now", NOW, "--channel", "twoo")
    assert wrong.exit_code == 2
    assert "no channel 'twoo'; did you mean 'two'?" in wrong.stderr
    assert site.run("notify", "--now", NOW, "--channel", "two").exit_code == 0
    assert list(ledger(site)) == ["two"]


def test_without_channels_there_is_nothing_to_send(site: Repo) -> None:
    result = site.run("notify", "--now", NOW)
    assert result.exit_code == 0
    assert "no channels" in result.stderr


def test_an_invalid_repository_sends_nothing(site: Repo, receiver: Receiver) -> None:
    site.write("site_config.yml", channels(f"id: hook\nurl: {receiver.url('/hook')}"))
    site.incident("broken", "title: x\n")
    result = site.run("notify", "--now", NOW)
    assert result.exit_code == 1
    assert "incidents/broken.yml:1:1: error: missing required key 'impact'" in result.stderr
    assert receiver.received == []


# check -------------------------------------------------------------------------------------


def test_check_names_each_mistake_in_the_shape_of_a_channel(repo: Repo) -> None:
    repo.write(
        "site_config.yml",
        channels(
            "id: chat\nurl: slack://T0/B0/abc\nevents: [created, resolvd]",
            "id: teams\nurl: workflow://a/b/c\nlength: 20\nmin_impact: minr",
            "id: web\nurl: json://x\nshout: yes",
            "url: json://y",
        ),
    )
    assert repo.check() == [
        "site_config.yml:19:25: error: unknown event 'resolvd'; did you mean 'resolved'?",
        "site_config.yml:22:15: error: 'length' must be a whole number from 60 to 100000, not 20",
        "site_config.yml:23:19: error: unknown impact 'minr'; did you mean 'minor'?",
        "site_config.yml:26:7: error: unknown key 'shout'",
        "site_config.yml:27:7: error: missing required key 'id'; add an id of letters, digits, "
        "'-' and '_', e.g. id: customers-email",
    ]


def test_check_names_each_mistake_of_a_channel(repo: Repo) -> None:
    repo.write(
        "site_config.yml",
        channels(
            "id: chat\nurl: slak://T0/B0/abc",
            "id: chat\nurl: ntfys://bob:hunter22@ntfy.example/status",
            "id: mail\nurl: ${NOTIFY_EMAIL_URL\ncomponents: [api, auht]",
            "id: push\nurl: ntfy://${NTFY_TOPIC}\njoin: https://ntfy.sh/acme-status",
            "id: teams\nurl: msteams://a/b/c",
            "id: web\nurl: json://",
            "id: fine\nurl: json://hooks.example/${NOTIFY_TOKEN}",
        ),
    )
    assert repo.check() == [
        "site_config.yml:18:12: error: Apprise knows no service 'slak://'; did you mean 'slack'?",
        "site_config.yml:19:11: error: channel id 'chat' is used twice (first at line 17); "
        "give each channel its own id: the ledger of what was sent is kept by id",
        "site_config.yml:20:12: error: this URL writes out the user and the password in the "
        "site config, which is public in the repository; write a variable in its place, e.g. "
        "${NOTIFY_TOKEN}, or the whole URL as url: ${NOTIFY_URL}, and set the variable from a "
        "secret (on GitHub: a repository secret passed to the notify job)",
        "site_config.yml:22:12: error: '${' is not closed by '}'; write a variable as ${NAME} "
        "(letters, digits and _), and $$ for a $",
        "site_config.yml:23:25: error: unknown component 'auht'; did you mean 'auth'?",
        "site_config.yml:26:13: error: a channel customers can join needs a name; add the name "
        "customers see under Subscribe, e.g. name: Push notifications (ntfy app)",
        "site_config.yml:28:12: error: Apprise no longer has 'msteams://'; Microsoft retired "
        "Teams webhooks: use workflow:// (Power Automate)",
        "site_config.yml:30:12: error: Apprise cannot read this URL; see "
        "https://github.com/caronc/apprise/wiki for the URL of each service",
    ]


def test_the_built_site_names_no_channel_url(site: Repo, receiver: Receiver) -> None:
    site.write(
        "site_config.yml",
        channels(
            f"id: hook\nurl: {receiver.url('/private-hook-path')}",
            "id: push\nurl: ntfy://${NTFY_TOPIC}\nname: Push (ntfy)\njoin: https://ntfy.sh/acme",
        ),
    )
    assert site.run("build", "--now", NOW).exit_code == 0
    built = b"".join(p.read_bytes() for p in (site.root / "site").rglob("*") if p.is_file())
    assert b"private-hook-path" not in built
    assert b"NTFY_TOPIC" not in built
    assert b'Push (ntfy): <a href="https://ntfy.sh/acme" rel="noopener">subscribe</a>' in built


# the channels part, without sending --------------------------------------------------------


def test_variables_expand_from_the_environment_only_as_written() -> None:
    assert variables("json://${HOST}:${PORT}/a$$b$c") == ["HOST", "PORT"]
    assert expand("json://${HOST}/a$$b$c", {"HOST": "h"}) == ("json://h/a$b$c", ["h"])
    with pytest.raises(UnsetVariable) as unset:
        expand("${HOST}/${MISSING}", {"HOST": "h"})
    assert unset.value.name == "MISSING"
    with pytest.raises(UnsetVariable):
        expand("${EMPTY}", {"EMPTY": ""})  # an empty secret is a mistake
    for wrong in ("${", "${1X}", "${A B}", "${}"):
        with pytest.raises(VariableError):
            variables(wrong)


@pytest.mark.parametrize(
    ("url", "form", "limit", "titled"),
    [
        ("mailto://127.0.0.1:2525?from=a@b.example&to=c@d.example", "html", None, True),
        ("slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ", "markdown", None, True),
        ("json://127.0.0.1:9/hook?format=text", "text", None, True),
        ("ntfy://acme-status", "text", None, True),
        (f"twilio://AC{'1' * 32}:{'t' * 32}@15551234567/15557654321", "text", 160, False),
        ("mastodon://accesskey@mastodon.social", "text", 500, False),
    ],
)  # fmt: skip
def test_each_service_gets_the_form_it_shows(
    url: str, form: str, limit: int | None, titled: bool
) -> None:
    service = open_service(url, [])
    assert (service.format, service.limit, service.titled) == (form, limit, titled)


def test_what_is_shown_of_a_url_hides_its_secrets() -> None:
    service = open_service(f"json://bot:{SECRET}@127.0.0.1:9/t/{SECRET}x", [f"{SECRET}x"])
    assert SECRET not in service.shown
    assert service.mask(f"error at /t/{SECRET}x") == "error at /t/****"
    assert service.holds_secret
    assert not open_service("ntfy://acme-status", []).holds_secret


def test_the_headline_is_said_once_with_or_without_a_title() -> None:
    page = _page("Sign-in fails", "Some customers cannot sign in.", [])
    composer = Composer(page.config, Routes(page.config.url))
    incident = page.incidents[0]
    update = incident.updates[0]
    event = Event(update.id, "created", update.at, incident, update, update.status)
    untitled = composer.message(event, "text", titled=False, length=None)
    assert untitled.title == ""
    assert untitled.body.count("Sign-in fails") == 1
    titled = composer.message(event, "text", titled=True, length=None)
    assert titled.title == "Investigating: Sign-in fails - Acme Cloud Status"
    assert "Sign-in fails" not in titled.body


def test_check_refuses_a_channel_that_can_never_receive_anything(repo: Repo) -> None:
    repo.write(
        "site_config.yml",
        channels(
            "id: planned\nurl: ntfy://${NTFY_TOPIC}\nevents: [maintenance]\nmin_impact: major"
        ),
    )
    assert repo.check() == [
        "site_config.yml:20:19: error: this channel would never receive anything: maintenance "
        "counts as impact none; remove min_impact, or add the incident events it should receive"
    ]

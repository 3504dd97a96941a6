"""``statusgen notify`` and every fault the SPEC names: failing channels, killed processes,
two runs at once, unset variables, secrets, an unreadable ledger, dry runs."""

from __future__ import annotations

import threading

import pytest

from tests.conftest import Repo
from tests.notify.notifying import (
    ALL,
    NOW,
    SECRET,
    channels,
    killed_on_receiving,
    ledger,
    notify_process,
    titles,
)
from tests.peers import Receiver

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


def test_a_process_killed_between_sends_loses_nothing(site: Repo, receiver: Receiver) -> None:
    site.config(channels(f"id: hook\nurl: {receiver.url('/hook')}"))
    killed_on_receiving(receiver, 3, site.root, NOW)
    assert list(ledger(site)["hook"]) == ALL[:2]  # the third was received, not recorded

    again = notify_process(site.root, NOW)
    again.communicate(timeout=60)
    assert again.returncode == 0
    received = titles(receiver.bodies("/hook"))
    assert len(received) == len(ALL) + 1  # the one documented duplicate
    assert received[2] == received[3]
    assert list(ledger(site)["hook"]) == ALL


def test_two_runs_at_once_send_each_event_once(site: Repo, receiver: Receiver) -> None:
    site.config(channels(f"id: hook\nurl: {receiver.url('/hook')}"))

    def slowly(_path: str, _count: int) -> None:
        threading.Event().wait(0.1)

    receiver.hook = slowly
    runs = [notify_process(site.root, NOW) for _ in range(2)]
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
    site.config(channels(f"id: hook\nurl: {receiver.url('/hook')}"))
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
    site.config(channels(f"id: hook\nurl: {receiver.url('/hook')}"))
    site.incident("broken", "title: x\n")
    result = site.run("notify", "--now", NOW)
    assert result.exit_code == 1
    assert "incidents/broken.yml:1:1: error: missing required key 'impact'" in result.stderr
    assert receiver.received == []

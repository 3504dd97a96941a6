"""``notify --dry-run`` (issue 23, finding 7): it fails as the real run would for every
reason known before sending, after printing all it can, and shows each channel as the
site config writes it: never Apprise's expanded form, never a secret."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from generator.channels import written_form
from tests.conftest import Repo
from tests.notify.notifying import NOW, SIGN_IN, channels
from tests.peers import Receiver, http_receiver

SECRET = "s3cr3t-Topic-8f3k2"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with http_receiver() as peer:
        yield peer


@pytest.fixture
def four(repo: Repo, receiver: Receiver, monkeypatch: pytest.MonkeyPatch) -> Repo:
    """Four channels, as the finding had them: three of their variables unset."""
    repo.incident("sign-in", SIGN_IN)
    for name in ("NOTIFY_SLACK_URL", "NOTIFY_EMAIL_URL", "NOTIFY_SMS_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NTFY_TOPIC", SECRET)
    repo.write(
        "site_config.yml",
        channels(
            "id: team-chat\nurl: ${NOTIFY_SLACK_URL}",
            "id: customers-email\nurl: ${NOTIFY_EMAIL_URL}\nmin_impact: major",
            "id: sms\nurl: ${NOTIFY_SMS_URL}\nlength: 160",
            "id: phone-push\nurl: ntfy://${NTFY_TOPIC}\nlength: 300",
        ),
    )
    return repo


def test_unset_variables_fail_the_dry_run_as_they_fail_the_run(four: Repo) -> None:
    preview = four.run("notify", "--now", NOW, "--dry-run")
    assert preview.exit_code == 1
    for name in ("NOTIFY_SLACK_URL", "NOTIFY_EMAIL_URL", "NOTIFY_SMS_URL"):
        assert f"the variable {name} is not set" in preview.stderr
    # everything it can print is printed: the channel that works, each message it would get
    assert "-- phone-push: ntfy://${NTFY_TOPIC} (ntfy; text, at most 300 characters): " in (
        preview.stdout
    )
    assert "== phone-push (ntfy; text): sign-in-20261120T094100Z (created)" in preview.stdout
    assert "-- team-chat: ${NOTIFY_SLACK_URL}: would fail (see the error)" in preview.stdout
    assert "3 channels would fail" in preview.stderr
    assert SECRET not in preview.output
    assert not (four.root / ".statusgen").exists()


def test_the_header_shows_no_default_of_apprise_and_keeps_the_scheme(four: Repo) -> None:
    preview = four.run("notify", "--now", NOW, "--dry-run")
    assert "ntfys://" not in preview.output
    for default in ("image=", "footer=", "retry=", "wait=", "optional=", "verify="):
        assert default not in preview.output


def test_a_channel_with_nothing_to_send_still_fails_the_dry_run(
    repo: Repo, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NOTIFY_SLACK_URL", raising=False)
    repo.write(
        "site_config.yml",
        channels(
            f"id: hook\nurl: {receiver.url('/hook')}",
            "id: team-chat\nurl: ${NOTIFY_SLACK_URL}",
        ),
    )
    preview = repo.run("notify", "--now", NOW, "--dry-run")
    assert preview.exit_code == 1
    assert "notify: channel team-chat: the variable NOTIFY_SLACK_URL is not set" in preview.stderr
    assert "-- hook: json://127.0.0.1:" in preview.stdout
    assert "/****" in preview.stdout and "/hook" not in preview.stdout
    assert "(JSON at json://127.0.0.1; markdown): nothing to send" in preview.stdout
    # the real run has nothing to send, so nothing fails there
    assert repo.run("notify", "--now", NOW).exit_code == 0


@pytest.mark.parametrize(
    ("value", "said"),
    [
        (f"jsn://127.0.0.1/{SECRET}", "Apprise knows no service 'jsn://'"),
        ("msteams://abc/def/ghi", "Apprise no longer has 'msteams://'"),
        (f"json://[{SECRET}", "Apprise cannot read this URL"),
        ("not a url", "this is not an Apprise URL"),
    ],
)
def test_a_bad_url_in_a_variable_fails_the_dry_run(
    repo: Repo, receiver: Receiver, monkeypatch: pytest.MonkeyPatch, value: str, said: str
) -> None:
    repo.incident("sign-in", SIGN_IN)
    monkeypatch.setenv("NOTIFY_URL", value)
    repo.write(
        "site_config.yml",
        channels("id: bad\nurl: ${NOTIFY_URL}", f"id: fine\nurl: {receiver.url('/fine')}"),
    )
    preview = repo.run("notify", "--now", NOW, "--dry-run")
    assert preview.exit_code == 1
    assert f"notify: channel bad: {said}" in preview.stderr
    assert "== fine (JSON at json://127.0.0.1; markdown): sign-in-" in preview.stdout
    assert SECRET not in preview.output
    assert receiver.received == []


def test_a_dry_run_with_every_channel_ready_exits_0(
    repo: Repo, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.incident("sign-in", SIGN_IN)
    monkeypatch.setenv("HOOK_PATH", SECRET)
    repo.write("site_config.yml", channels(f"id: hook\nurl: {receiver.url('/${HOOK_PATH}')}"))
    preview = repo.run("notify", "--now", NOW, "--dry-run")
    assert preview.exit_code == 0, preview.output
    assert f"-- hook: json://127.0.0.1:{receiver.port}/${{HOOK_PATH}} (JSON at " in preview.stdout
    assert SECRET not in preview.output


@pytest.mark.parametrize(
    ("url", "host", "shown"),
    [
        ("${NOTIFY_URL}", "", "${NOTIFY_URL}"),
        ("ntfy://${NTFY_TOPIC}", "", "ntfy://${NTFY_TOPIC}"),
        ("ntfy://acme-status-8f3k2", "", "ntfy://****"),
        ("slack://T000/B000/XXXX/#status", "", "slack://****/****/****/#****"),
        (
            "mailtos://${USER}:${PASS}@smtp.example.com:587?from=me@acme.example&to=${TO}&format=text",
            "smtp.example.com",
            "mailtos://${USER}:${PASS}@smtp.example.com:587?from=****&to=${TO}&format=text",
        ),
        (
            "json://hooks.example/?+Authorization=Bearer%20${TOKEN}",
            "hooks.example",
            "json://hooks.example/?+Authorization=****${TOKEN}",
        ),
        ("json://${U}:${P}@home.lan/", "", "json://${U}:${P}@****/"),
    ],
)
def test_a_channel_is_shown_as_written_with_every_literal_part_masked(
    url: str, host: str, shown: str
) -> None:
    assert written_form(url, host) == shown

"""Reminders before a maintenance window (``notify.reminders``): sent once each, through
real peers on loopback, only while the window has not opened, never for a cancelled or
completed maintenance, within ``max_age_minutes`` of their due time; a channel's own list;
a moved window; a kill between sends; and ``check`` of what is written."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from generator.core.model import Channel
from generator.core.reminders import reminder_name
from generator.input.site_config import read_config
from generator.language import words
from tests.conftest import CONFIG, Repo
from tests.notify.notifying import channels, killed_on_receiving, ledger, notify_process, titles
from tests.peers import Mailbox, Receiver

#: Announced on Friday 20 November for Monday 23 November, 10:00 to 12:00 in Berlin.
MIGRATION = """\
type: maintenance
title: Database migration
components: [dashboard]
scheduled: {start: 2026-11-23T09:00:00Z, end: 2026-11-23T11:00:00Z}
updates:
  - at: 2026-11-20T08:00:00Z
    message: The dashboard will be read-only while we move its database.
"""
#: Another one, announced later for later: Tuesday 24 November, 10:00 in Berlin.
UPGRADE = """\
type: maintenance
title: API upgrade
components: [api]
scheduled: {start: 2026-11-24T09:00:00Z, end: 2026-11-24T10:00:00Z}
updates:
  - at: 2026-11-20T08:30:00Z
    message: API calls may be retried once during the upgrade.
"""
ANNOUNCED = "migration-20261120T080000Z"
#: When each reminder of MIGRATION falls due.
DUE_72H = "2026-11-20T09:00:00Z"
DUE_24H = "2026-11-22T09:00:00Z"
DUE_1H = "2026-11-23T08:00:00Z"
START = "2026-11-23T09:00:00Z"


def reminding(*entries: str, reminders: str = "[72h, 24h, 1h]", max_age: int = 600) -> str:
    """The channels' config with ``notify.reminders``."""
    return (
        channels(*entries)
        .replace("  channels:\n", f"  reminders: {reminders}\n  channels:\n")
        .replace("max_age_minutes: 600", f"max_age_minutes: {max_age}")
    )


@pytest.fixture
def planned(repo: Repo) -> Repo:
    repo.incident("migration", MIGRATION)
    return repo


def notify(repo: Repo, now: str, *args: str) -> str:
    result = repo.run("notify", "--now", now, *args)
    assert result.exit_code == 0, result.output
    return result.output


# sent once, when due ------------------------------------------------------------------------


def test_each_reminder_is_sent_once_when_it_falls_due(planned: Repo, receiver: Receiver) -> None:
    planned.config(reminding(f"id: hook\nurl: {receiver.url('/hook')}?format=text"))
    notify(planned, "2026-11-20T08:30:00Z")  # the announcement; no reminder due yet
    assert list(ledger(planned)["hook"]) == [ANNOUNCED]
    for due in (DUE_72H, DUE_24H, DUE_1H):
        notify(planned, due)
        notify(planned, due)  # a second run at the same moment sends nothing
    assert list(ledger(planned)["hook"]) == [
        ANNOUNCED,
        "migration#reminder-72h",
        "migration#reminder-24h",
        "migration#reminder-1h",
    ]
    assert titles(receiver.bodies("/hook")) == [
        "Scheduled: Database migration - Acme Cloud Status",
        "Starts in 3 days: Database migration - Acme Cloud Status",
        "Starts in 24 hours: Database migration - Acme Cloud Status",
        "Starts in 1 hour: Database migration - Acme Cloud Status",
    ]
    data = json.loads((planned.root / ".statusgen" / "notified.json").read_text())
    assert data["reminded"] == {
        "hook": {f"migration#reminder-{r}": START for r in ("72h", "24h", "1h")}
    }


def test_a_reminder_says_when_what_and_where(planned: Repo, receiver: Receiver) -> None:
    planned.config(reminding(f"id: hook\nurl: {receiver.url('/hook')}?format=text"))
    notify(planned, "2026-11-22T09:10:00Z")  # ten minutes late: still "in 24 hours"
    reminder = receiver.bodies("/hook")[-1]
    assert reminder["title"] == "Starts in 24 hours: Database migration - Acme Cloud Status"
    assert reminder["type"] == "info"
    text = reminder["message"]
    for said in (
        "The planned maintenance starts in 24 hours: Nov 23, 2026, 10:00\u202fAM CET.",
        "The dashboard will be read-only while we move its database.",
        "Planned: Nov 23, 2026, 10:00\u202fAM CET to Nov 23, 2026, 12:00\u202fPM CET.",
        "Affected: Dashboard (under maintenance)",
        "https://status.acme.example/incidents/migration/",
    ):
        assert said in text


def test_a_reminder_counts_from_the_moment_it_is_sent(planned: Repo, receiver: Receiver) -> None:
    planned.config(reminding(f"id: hook\nurl: {receiver.url('/hook')}?format=text"))
    notify(planned, "2026-11-23T08:25:00Z")  # 35 minutes before the start
    assert titles(receiver.bodies("/hook"))[-1] == (
        "Starts in 35 minutes: Database migration - Acme Cloud Status"
    )


def test_an_email_reminder_has_the_subject_and_the_text(planned: Repo, mailbox: Mailbox) -> None:
    planned.config(reminding(f"id: mail\nurl: {mailbox.url()}", reminders="[1h]"))
    notify(planned, DUE_1H)
    [reminder] = mailbox.messages  # the announcement is older than max_age_minutes
    assert reminder["Subject"] == "Starts in 1 hour: Database migration - Acme Cloud Status"
    html = reminder.get_body(("html",))
    assert html is not None
    content = html.get_content()
    assert "The planned maintenance starts in 1 hour" in content
    assert '<a href="https://status.acme.example/incidents/migration/"' in content


def test_a_short_channel_gets_a_reminder_that_fits(planned: Repo, receiver: Receiver) -> None:
    planned.config(reminding(f"id: sms\nurl: {receiver.url('/sms')}\nlength: 160"))
    notify(planned, DUE_24H)
    body = receiver.bodies("/sms")[-1]["message"]
    assert len(body) <= 160
    assert body.startswith("Starts in 24 hours: Database migration - Acme Cloud Status\n")
    assert body.endswith("\nhttps://status.acme.example/incidents/migration/")


def test_reminders_speak_the_channels_language(planned: Repo, receiver: Receiver) -> None:
    config = reminding(
        f"id: de\nurl: {receiver.url('/de')}?format=text\nlanguage: de",
        f"id: ja\nurl: {receiver.url('/ja')}?format=text\nlanguage: ja",
        reminders="[24h]",
    )
    planned.config(config.replace("  timezone:", "  languages: [en, de, ja]\n  timezone:"))
    notify(planned, DUE_24H)
    german = receiver.bodies("/de")[-1]
    assert german["title"] == "Beginnt in 24 Stunden: Database migration \u2013 Acme Cloud Status"
    assert (
        "Die geplanten Wartungsarbeiten beginnen in 24 Stunden: 23.11.2026, 10:00 MEZ."
        in (german["message"])
    )
    japanese = receiver.bodies("/ja")[-1]
    assert japanese["title"].startswith("24時間後に開始：Database migration")
    assert "予定しているメンテナンスは24時間後（" in japanese["message"]


# only while it is to come --------------------------------------------------------------------


def test_no_reminder_once_the_window_has_opened(planned: Repo, receiver: Receiver) -> None:
    planned.config(reminding(f"id: hook\nurl: {receiver.url('/hook')}"))
    notify(planned, "2026-11-23T09:01:00Z")  # the 1h reminder is due, but too late
    assert list(ledger(planned)["hook"]) == ["migration#started"]


@pytest.mark.parametrize("status", ["cancelled", "completed", "in_progress"])
def test_no_reminder_for_a_maintenance_cancelled_completed_or_begun(
    planned: Repo, receiver: Receiver, status: str
) -> None:
    planned.incident(
        "migration",
        MIGRATION + f"  - at: 2026-11-21T10:00:00Z\n    status: {status}\n    message: Changed.\n",
    )
    planned.config(reminding(f"id: hook\nurl: {receiver.url('/hook')}", max_age=10_000))
    notify(planned, DUE_24H)
    # the 72h reminder was due before the change, but a reminder is never sent for a
    # maintenance that is no longer to come
    assert list(ledger(planned)["hook"]) == [ANNOUNCED, "migration-20261121T100000Z"]
    notify(planned, DUE_1H)
    assert len(ledger(planned)["hook"]) == 2


def test_a_reminder_due_before_the_announcement_is_not_sent(
    planned: Repo, receiver: Receiver
) -> None:
    planned.config(reminding(f"id: hook\nurl: {receiver.url('/hook')}", reminders="[96h]"))
    notify(planned, "2026-11-20T08:30:00Z")  # 96h before the start was before 08:00
    assert list(ledger(planned)["hook"]) == [ANNOUNCED]


def test_max_age_counts_from_the_due_time(planned: Repo, receiver: Receiver) -> None:
    planned.config(reminding(f"id: hook\nurl: {receiver.url('/hook')}", max_age=60))
    notify(planned, "2026-11-22T10:30:00Z")  # the 24h reminder is 90 minutes old
    assert not (planned.root / ".statusgen" / "notified.json").exists()
    notify(planned, "2026-11-23T08:59:00Z")  # the 1h reminder is 59 minutes old
    assert list(ledger(planned)["hook"]) == ["migration#reminder-1h"]


def test_a_missed_reminder_gives_way_to_the_next_one(planned: Repo, receiver: Receiver) -> None:
    planned.config(reminding(f"id: hook\nurl: {receiver.url('/hook')}", max_age=10_000))
    notify(planned, "2026-11-23T08:10:00Z")  # notify did not run since Friday
    assert list(ledger(planned)["hook"]) == [ANNOUNCED, "migration#reminder-1h"]
    assert titles(receiver.bodies("/hook"))[-1].startswith("Starts in 50 minutes:")


# per channel ----------------------------------------------------------------------------------


def test_a_channel_may_set_its_own_reminders_or_none(planned: Repo, receiver: Receiver) -> None:
    planned.config(
        reminding(
            f"id: all\nurl: {receiver.url('/all')}",
            f"id: late\nurl: {receiver.url('/late')}\nreminders: [1h]",
            f"id: never\nurl: {receiver.url('/never')}\nreminders: []",
            f"id: incidents\nurl: {receiver.url('/incidents')}\nevents: [created, resolved]",
            f"id: written\nurl: {receiver.url('/written')}\nreminders: [1d]",
        )
    )
    for due in (DUE_72H, DUE_24H, DUE_1H):
        notify(planned, due)
    sent = ledger(planned)
    assert list(sent["all"]) == [
        ANNOUNCED,
        "migration#reminder-72h",
        "migration#reminder-24h",
        "migration#reminder-1h",
    ]
    assert list(sent["late"]) == [ANNOUNCED, "migration#reminder-1h"]
    assert list(sent["never"]) == [ANNOUNCED]
    assert "incidents" not in sent
    assert list(sent["written"]) == [ANNOUNCED, "migration#reminder-24h"]  # 1d is 24h


def test_without_reminders_nothing_is_reminded(planned: Repo, receiver: Receiver) -> None:
    planned.config(channels(f"id: hook\nurl: {receiver.url('/hook')}"))
    for due in (DUE_72H, DUE_24H, DUE_1H):
        notify(planned, due)
    assert list(ledger(planned)["hook"]) == [ANNOUNCED]


# a moved window -----------------------------------------------------------------------------


def test_a_moved_window_is_reminded_again_for_its_new_start(
    planned: Repo, receiver: Receiver
) -> None:
    planned.config(reminding(f"id: hook\nurl: {receiver.url('/hook')}?format=text"))
    notify(planned, DUE_24H)
    moved = MIGRATION.replace("2026-11-23T09", "2026-11-25T09").replace(
        "2026-11-23T11", "2026-11-25T11"
    )
    planned.incident(
        "migration",
        moved + "  - at: 2026-11-22T12:00:00Z\n    message: We moved it to Wednesday.\n",
    )
    notify(planned, "2026-11-22T12:05:00Z")
    notify(planned, "2026-11-24T09:00:00Z")  # 24 hours before the new start
    notify(planned, "2026-11-24T09:30:00Z")
    bodies = receiver.bodies("/hook")
    assert titles(bodies) == [
        "Starts in 24 hours: Database migration - Acme Cloud Status",  # for Monday
        # for Wednesday: its 72h reminder fell due at 09:00, before the update
        "Starts in 3 days: Database migration - Acme Cloud Status",
        "Scheduled: Database migration - Acme Cloud Status",
        "Starts in 24 hours: Database migration - Acme Cloud Status",  # again, once
    ]
    assert "Nov 25, 2026, 10:00\u202fAM CET." in bodies[-1]["message"]
    data = json.loads((planned.root / ".statusgen" / "notified.json").read_text())
    assert data["reminded"]["hook"]["migration#reminder-24h"] == "2026-11-25T09:00:00Z"


# faults -----------------------------------------------------------------------------------


def test_a_process_killed_between_reminders_loses_none(planned: Repo, receiver: Receiver) -> None:
    planned.incident("upgrade", UPGRADE)
    planned.config(
        reminding(f"id: hook\nurl: {receiver.url('/hook')}", reminders="[72h]", max_age=10_000)
    )
    expected = [
        ANNOUNCED,
        "upgrade-20261120T083000Z",
        "migration#reminder-72h",  # due 2026-11-20T09:00Z
        "upgrade#reminder-72h",  # due 2026-11-21T09:00Z
    ]
    killed_on_receiving(receiver, 3, planned.root, "2026-11-21T09:30:00Z")
    assert list(ledger(planned)["hook"]) == expected[:2]  # the third was received, not recorded

    again = notify_process(planned.root, "2026-11-21T09:30:00Z")
    again.communicate(timeout=60)
    assert again.returncode == 0
    received = titles(receiver.bodies("/hook"))
    assert len(received) == len(expected) + 1  # the one documented duplicate
    assert (
        received[2] == received[3] == ("Starts in 2 days: Database migration - Acme Cloud Status")
    )
    assert received[4] == "Starts in 3 days: API upgrade - Acme Cloud Status"
    assert list(ledger(planned)["hook"]) == expected
    third = notify_process(planned.root, "2026-11-21T09:45:00Z")
    third.communicate(timeout=60)
    assert len(receiver.bodies("/hook")) == len(expected) + 1


def test_a_failing_channel_sends_its_reminder_on_the_next_run(
    planned: Repo, receiver: Receiver
) -> None:
    planned.config(reminding(f"id: hook\nurl: {receiver.url('/hook')}", reminders="[24h]"))
    notify(planned, "2026-11-20T08:30:00Z")
    receiver.failing["/hook"] = 503
    failed = planned.run("notify", "--now", DUE_24H)
    assert failed.exit_code == 1
    assert "notify: channel hook: migration#reminder-24h was not sent" in failed.stderr
    del receiver.failing["/hook"]
    notify(planned, "2026-11-22T09:15:00Z")
    assert list(ledger(planned)["hook"]) == [ANNOUNCED, "migration#reminder-24h"]


def test_a_ledger_with_broken_reminders_stops_everything(planned: Repo, receiver: Receiver) -> None:
    planned.config(reminding(f"id: hook\nurl: {receiver.url('/hook')}"))
    text = '{"format": 1, "channels": {}, "reminded": {"hook": ["x"]}}'
    planned.write(".statusgen/notified.json", text)
    result = planned.run("notify", "--now", DUE_24H)
    assert result.exit_code == 1
    assert "does not list reminders as it should; nothing was sent" in result.stderr
    assert receiver.received == []


def test_a_dry_run_shows_the_reminder(planned: Repo, receiver: Receiver) -> None:
    planned.config(reminding(f"id: hook\nurl: {receiver.url('/hook')}"))
    result = planned.run("notify", "--now", DUE_1H, "--dry-run")
    assert result.exit_code == 0
    assert "== hook (JSON at json://127.0.0.1; markdown): migration#reminder-1h (maintenance)" in (
        result.stdout
    )
    assert "Title: Starts in 1 hour: Database migration - Acme Cloud Status" in result.stdout
    assert receiver.received == []


# what is written ------------------------------------------------------------------------------


def test_check_names_each_mistake_in_reminders(repo: Repo) -> None:
    config = reminding(
        "id: chat\nurl: json://hooks.example/chat\nevents: [created]\nreminders: [1h]",
        "id: big\nurl: json://hooks.example/big\nmin_impact: major\nreminders: [1h]",
        "id: fine\nurl: json://hooks.example/fine\nreminders: [2h, 120m]",
        reminders="[24, 30s, 1d, 24h, 0m]",
    )
    repo.config(config)
    assert repo.check() == [
        "site_config.yml:16:15: error: item 1 of 'reminders': '24' is not a duration; "
        "give the unit: 24h, or 24m for minutes",
        "site_config.yml:16:19: error: item 2 of 'reminders': '30s' is not a whole number of "
        "minutes from 1m to 366d; write a duration of whole minutes before the window, such "
        "as 30m, 1h, 24h or 2d",
        "site_config.yml:16:33: error: item 5 of 'reminders': '0m' is not a whole number of "
        "minutes from 1m to 366d; write a duration of whole minutes before the window, such "
        "as 30m, 1h, 24h or 2d",
    ]
    repo.config(config.replace("[24, 30s, 1d, 24h, 0m]", "[1d, 24h]"))
    assert repo.check() == [
        "site_config.yml:16:19: error: the reminder 24h is listed twice (1d and 24h are one); "
        "list each reminder once",
        "site_config.yml:21:18: error: this channel's reminders would never be sent: reminders "
        "are maintenance events, and its events leave maintenance out; add maintenance to its "
        "events, or remove its reminders",
        "site_config.yml:25:18: error: this channel's reminders would never be sent: "
        "maintenance counts as impact none, below its min_impact major; remove min_impact, "
        "or remove its reminders",
        "site_config.yml:28:23: error: the reminder 2h is listed twice (2h and 120m are one); "
        "list each reminder once",
    ]


def test_the_readmes_example_is_valid(repo: Repo) -> None:
    text = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = text.split("### Reminders\n", 1)[1].split("\n### ", 1)[0]
    example = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    repo.config(CONFIG + example)
    assert repo.check() == []
    reminders = {"customers-email": ("72h", "24h", "1h"), "phone-push": ("1h",), "team-chat": ()}
    assert repo.run("notify", "--now", DUE_1H, "--dry-run").exit_code == 1  # no secrets here
    for channel, names in reminders.items():
        assert tuple(reminder_name(r) for r in _channel(repo, channel).reminders) == names


def _channel(repo: Repo, id: str) -> Channel:
    config, problems = read_config(repo.root / "site_config.yml")
    assert config is not None, problems
    return next(channel for channel in config.notify.channels if channel.id == id)


@pytest.mark.parametrize(
    ("code", "left", "said"),
    [
        ("en", timedelta(hours=71, minutes=50), "in 3 days"),
        ("en", timedelta(hours=47, minutes=40), "in 2 days"),
        ("en", timedelta(hours=23, minutes=50), "in 24 hours"),
        ("en", timedelta(minutes=90), "in 90 minutes"),
        ("en", timedelta(minutes=60), "in 1 hour"),
        ("en", timedelta(seconds=20), "in 1 minute"),
        ("de", timedelta(hours=72), "in 3 Tagen"),
        ("fr", timedelta(hours=24), "dans 24 heures"),
        ("ja", timedelta(hours=24), "24時間後"),
        ("zh-Hans", timedelta(minutes=30), "30分钟后"),
    ],
)
def test_how_soon_reads_as_each_language_says_it(code: str, left: timedelta, said: str) -> None:
    assert words(code).within(left) == said


def test_the_schema_takes_what_check_takes(tmp_path: Path) -> None:
    """Editors check reminders with schemas/site_config.schema.json as check does (through
    check-jsonschema, as the schema tests of the example do)."""
    schema = Path(__file__).resolve().parents[2] / "schemas" / "site_config.schema.json"
    site = "site: {name: Acme, url: https://status.acme.example/}\n"

    def checked(*lists: str) -> subprocess.CompletedProcess[str]:
        files = []
        for number, reminders in enumerate(lists):
            config = tmp_path / f"config-{number}.yml"
            config.write_text(f"{site}notify:\n  reminders: {reminders}\n", encoding="utf-8")
            files.append(str(config))
        return subprocess.run(
            [sys.executable, "-m", "check_jsonschema", "--schemafile", str(schema), *files],
            capture_output=True,
            text=True,
            check=False,
        )

    assert checked("[72h, 24h, 1h, 1h30m, 2d, 2D]").returncode == 0
    wrong = checked("[30s]", "[24]", "['']", "[soon]")
    assert wrong.returncode == 1
    for number in range(4):
        assert f"config-{number}.yml::$.notify.reminders[0]" in wrong.stdout, wrong.stdout

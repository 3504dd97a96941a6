"""Authoring that never makes an engineer look twice (issue 23): which incident a command
means, promises in any form, times that would hide an update, components, impact and
title that change as the incident does, and translations."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from generator.core.times import format_utc
from generator.input.validate import load_repository
from tests.conftest import CONFIG, INCIDENT, Repo

SIGN_IN = INCIDENT  # open, 2026-11-20T09:41:00Z, auth partial_outage
BILINGUAL = CONFIG.replace("  timezone:", "  languages: [en, de]\n  timezone:")


def incident(repo: Repo, name: str = "2026-11-20-sign-in"):  # type: ignore[no-untyped-def]
    (found,) = [i for i in load_repository(repo.root).incidents if i.id == name]
    return found


def test_an_incident_is_named_by_id_path_or_the_start_of_its_id(repo: Repo) -> None:
    repo.incident("2026-11-20-sign-in", SIGN_IN)
    repo.incident("2026-11-21-api-errors", SIGN_IN.replace("sign in", "call the API"))
    at = ["--at", "2026-11-21T10:00:00Z"]
    by_path = repo.run("update", "incidents/2026-11-20-sign-in.yml", "--message", "a", *at)
    assert by_path.exit_code == 0, by_path.output
    assert by_path.stdout == "incidents/2026-11-20-sign-in.yml\n"
    by_start = repo.run("update", "2026-11-20", "--message", "b", *at)
    assert by_start.exit_code == 0, by_start.output
    assert by_start.stderr.startswith("update to 2026-11-20-sign-in (Investigating, major")
    both = repo.run("update", "2026-11-2", "--message", "c", *at)
    assert both.exit_code == 1
    assert "'2026-11-2' is the start of 2 ids: 2026-11-20-sign-in, 2026-11-21-api-errors" in (
        both.stderr
    )
    several = repo.run("update", "--message", "d", *at)
    assert several.exit_code == 1
    assert "2 incidents are open: " in several.stderr
    elsewhere = repo.run("update", "other/x.yml", "--message", "e", *at)
    assert elsewhere.exit_code == 1
    assert "other/x.yml is not an incident file of this repository" in elsewhere.stderr
    assert [u.message for u in incident(repo).updates][1:] == ["a", "b"]


def test_the_only_open_incident_needs_no_name_and_new_prints_what_it_did(repo: Repo) -> None:
    made = repo.run(
        "new", "The dashboard and the API return errors for many customers right now",
        "--component", "dashboard=major_outage", "--message", "Errors.",
        "--at", "2026-11-20T09:00:00Z",
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    path = made.stdout.strip()
    assert path == "incidents/2026-11-20-the-dashboard-and-the-api-return.yml"  # 6 words
    assert made.stderr == (
        "new 2026-11-20-the-dashboard-and-the-api-return (Investigating, critical impact): "
        "The dashboard and the API return errors for many customers right now\n"
    )
    again = repo.run("update", path, "--message", "Still.", "--at", "2026-11-20T09:10:00Z")
    assert again.exit_code == 0, again.output
    done = repo.run("resolve", "--message", "Works again.", "--at", "2026-11-20T09:30:00Z")
    assert done.exit_code == 0, done.output
    assert done.stderr.startswith("all clear for 2026-11-20-the-dashboard-and-the-api-return")


@pytest.mark.parametrize(
    ("given", "written"),
    [
        ("30m", "2026-11-20T10:36:00Z"),  # from 10:05:37, rounded up to a whole minute
        ("1h30m", "2026-11-20T11:36:00Z"),
        ("11:15", "2026-11-20T10:15:00Z"),  # Berlin's next 11:15
        ("05:15", "2026-11-21T04:15:00Z"),  # already past today: tomorrow's
        ("2026-11-20 11:15", "2026-11-20T10:15:00Z"),
    ],
)
def test_a_promise_is_a_time_a_time_of_day_or_a_duration(
    repo: Repo, given: str, written: str
) -> None:
    path = repo.incident("2026-11-20-sign-in", SIGN_IN)
    result = repo.run(
        "update", "--message", "m", "--at", "2026-11-20T10:05:37Z", "--next-update", given
    )
    assert result.exit_code == 0, result.output
    assert f"next_update: {written}\n" in path.read_text(encoding="utf-8")


def test_a_promise_before_the_update_names_both_times(repo: Repo) -> None:
    repo.incident("2026-11-20-sign-in", SIGN_IN)
    result = repo.run(
        "update", "--message", "m", "--at", "2026-11-20T10:05:00Z",
        "--next-update", "2026-11-20 10:00",
    )  # fmt: skip
    assert result.exit_code == 1
    assert (
        "the next update (Nov 20, 2026, 10:00\u202fAM CET) is not after the update itself "
        "(Nov 20, 2026, 11:05\u202fAM CET)"
    ) in result.stderr
    wrong = repo.run("update", "--message", "m", "--next-update", "soon")
    assert wrong.exit_code == 2
    assert "a time of day (11:15, the next one) or a duration" in wrong.stderr


def test_a_mistyped_time_is_refused_unless_forced(repo: Repo) -> None:
    path = repo.incident("2026-11-20-sign-in", SIGN_IN)
    tomorrow = format_utc(datetime.now(UTC) + timedelta(days=1))
    ahead = repo.run("update", "--message", "m", "--at", tomorrow)
    assert ahead.exit_code == 1
    assert "after now" in ahead.stderr and "readers would not see it until then" in ahead.stderr
    early = repo.run("update", "--message", "m", "--at", "2026-11-20T09:00:00Z")
    assert early.exit_code == 1
    assert "before the incident's first update (Nov 20, 2026, 10:41\u202fAM CET)" in (early.stderr)
    before = path.read_text(encoding="utf-8")
    assert repo.run("update", "--message", "m", "--at", tomorrow, "--force").exit_code == 0
    assert path.read_text(encoding="utf-8") != before
    lint = repo.run("lint")
    assert "warning[future-update]: this update is dated" in lint.stdout


def test_an_update_changes_components_impact_and_title_from_then_on(repo: Repo) -> None:
    path = repo.incident("2026-11-20-sign-in", "# the team's note stays\n" + SIGN_IN)
    result = repo.run(
        "update", "--status", "monitoring", "--message", "Sign-in works again.",
        "--component", "auth=operational", "--component", "api=degraded_performance",
        "--impact", "minor", "--title", "Sign-in was slow", "--at", "2026-11-20T10:00:00Z",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# the team's note stays\ntitle: Sign-in was slow\nimpact: minor\n")
    found = incident(repo)
    assert found.latest_update.declared == {"auth": "operational", "api": "degraded_performance"}
    assert found.updates[0].statuses == {"auth": "partial_outage"}  # the past stays as it was
    no_status = repo.run("update", "--message", "m", "--component", "auth")
    assert no_status.exit_code == 2
    assert "give the status of auth: auth=operational" in no_status.stderr
    maintenance = repo.run("update", "--message", "m", "--impact", "maintenance")
    assert maintenance.exit_code == 2  # not a choice of update


def test_a_translation_is_added_beside_the_default_language(repo: Repo) -> None:
    repo.config(BILINGUAL)
    path = repo.incident("2026-11-20-sign-in", SIGN_IN)
    result = repo.run(
        "update", "--lang", "de",
        "--message", "Einige Kunden in der EU können sich nicht anmelden.",
        "--title", "Einige Kunden können sich nicht anmelden",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = path.read_text(encoding="utf-8")
    assert "title:\n  en: Some customers cannot sign in\n  de: Einige Kunden können" in text
    found = incident(repo)
    assert len(found.updates) == 1  # no new update: the latest one, translated
    assert found.latest_update.translations["de"].startswith("Einige Kunden in der EU")
    assert repo.run("lint").stdout.count("missing-translation") == 0
    refused = {
        ("new", "T", "--lang", "de", "--message", "m"): "a new incident is written in the site's",
        ("update", "--lang", "fr", "--message", "m"): "'fr' is not one of the site's languages",
        ("update", "--lang", "de", "--status", "identified", "--message", "m"): "only the texts",
        ("resolve", "--lang", "de", "--message", "m"): "has no all clear to translate yet",
    }
    for args, said in refused.items():
        result = repo.run(*args)
        assert result.exit_code == 1, args
        assert said in result.stderr, (args, result.stderr)


def test_apply_updates_components_impact_title_and_translations(repo: Repo) -> None:
    repo.config(BILINGUAL)
    repo.incident("2026-11-20-sign-in", SIGN_IN)
    actions = [
        {"action": "update", "id": "2026-11-20", "message": "Back.", "status": "monitoring",
         "components": "auth=operational", "impact": "minor", "title": "Sign-in was slow",
         "at": "2026-11-20T10:00:00Z", "next_update": "11:30"},
        {"action": "update", "lang": "de", "message": "Wieder da.", "title": "Anmeldung langsam"},
    ]  # fmt: skip
    for number, action in enumerate(actions):
        (repo.root / "action.json").write_text(json.dumps(action), encoding="utf-8")
        result = repo.run("apply", "action.json", "--now", "2026-11-20T10:00:00Z")
        assert result.exit_code == 0, (number, result.output)
    found = incident(repo)
    assert (found.title, found.impact) == ("Sign-in was slow", "minor")
    assert found.latest_update.declared == {"auth": "operational"}
    assert found.latest_update.translations == {"de": "Wieder da."}
    assert found.updates[1].next_update is not None
    assert format_utc(found.updates[1].next_update) == "2026-11-20T10:30:00Z"

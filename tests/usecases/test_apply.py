"""``statusgen apply``: one action as JSON, from a file, stdin or a GitHub event payload."""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import given

from generator.cli import main
from tests import fuzz_apply
from tests.conftest import INCIDENT, Repo
from tests.fuzzing import quick_profile
from tests.trees import snapshot

NOW = "2026-11-20T12:00:00Z"


def apply(repo: Repo, action: object, *args: str, stdin: bool = False) -> Result:
    repo.monkeypatch.chdir(repo.root)
    text = json.dumps(action) if not isinstance(action, str) else action
    if stdin:
        return CliRunner().invoke(main, ["apply", "-", *args], input=text, catch_exceptions=False)
    (repo.root / "action.json").write_text(text, encoding="utf-8")
    return CliRunner().invoke(main, ["apply", "action.json", *args], catch_exceptions=False)


def incident_text(repo: Repo, relative: str) -> str:
    return (repo.root / relative).read_text(encoding="utf-8")


def test_new_from_form_strings(repo: Repo) -> None:
    result = apply(
        repo,
        {
            "action": "new",
            "title": "Some customers cannot sign in",
            "components": "auth=partial_outage, dashboard",
            "regions": "EU, US East",
            "message": "Some customers in the EU cannot sign in. We are investigating.",
            "next_update": "30m",
            "at": "2026-11-20T09:41:00Z",
            "key": "alert-4711",
        },
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == "incidents/2026-11-20-some-customers-cannot-sign-in.yml\n"
    assert result.stderr == (
        "new 2026-11-20-some-customers-cannot-sign-in (Investigating, major impact): "
        "Some customers cannot sign in\n"
    )
    text = incident_text(repo, "incidents/2026-11-20-some-customers-cannot-sign-in.yml")
    assert "impact: major\n" in text  # from the worst component status
    assert "  auth: partial_outage\n  dashboard: partial_outage\n" in text
    assert "regions: [EU, US East]\n" in text
    assert "    next_update: 2026-11-20T10:11:00Z\n" in text
    assert "    key: alert-4711\n" in text
    assert repo.run("check").exit_code == 0


def test_a_maintenance_with_json_values(repo: Repo) -> None:
    result = apply(
        repo,
        {
            "action": "new",
            "title": "Database upgrade",
            "maintenance": True,
            "start": "2026-12-02 02:00",
            "end": "2026-12-02 04:00",
            "components": ["dashboard"],
            "message": "The dashboard is read-only during the upgrade.",
            "at": "2026-11-20T09:00:00Z",
        },
    )
    assert result.exit_code == 0, result.output
    text = incident_text(repo, "incidents/2026-12-02-database-upgrade.yml")
    assert "type: maintenance\n" in text
    assert "  start: 2026-12-02T01:00:00Z\n" in text  # 02:00 in Europe/Berlin


def test_update_and_resolve_the_only_open_incident(repo: Repo) -> None:
    repo.incident("sign-in", INCIDENT)
    event = {
        "inputs": {
            "action": "update",
            "incident": "",
            "title": "",
            "components": "",
            "impact": "auto",
            "status": "identified",
            "message": "We found the cause and are rolling back.",
            "next_update": "2026-11-20 12:00",
            "regions": "",
            "review": "false",
            "at": "2026-11-20T10:05:00Z",
        },
        "ref": "refs/heads/main",
    }
    updated = apply(repo, event, "--now", NOW)
    assert updated.exit_code == 0, updated.output
    assert updated.stdout == "incidents/sign-in.yml\n"
    assert "update to sign-in (Identified, major impact)" in updated.stderr
    text = incident_text(repo, "incidents/sign-in.yml")
    assert "    status: identified\n    message: We found the cause and are rolling back.\n" in text
    assert "    next_update: 2026-11-20T11:00:00Z\n" in text  # 12:00 in Europe/Berlin

    dispatch = {
        "action": "statusgen",  # repository_dispatch's own "action" is the event type
        "client_payload": {
            "action": "resolve",
            "message": "Sign-in works again.",
            "at": "2026-11-20T11:02:00Z",
        },
    }
    resolved = apply(repo, dispatch, "--now", NOW, stdin=True)
    assert resolved.exit_code == 0, resolved.output
    assert "all clear for sign-in (Resolved, major impact)" in resolved.stderr
    assert "    status: resolved\n    message: Sign-in works again.\n" in incident_text(
        repo, "incidents/sign-in.yml"
    )


def test_without_an_id_there_must_be_exactly_one_open_incident(repo: Repo) -> None:
    action = {"action": "update", "message": "More news."}
    none_open = apply(repo, action, "--now", NOW)
    assert none_open.exit_code == 1
    assert "there is no open incident to update" in none_open.stderr
    repo.incident("one")
    repo.incident("two")
    two_open = apply(repo, action, "--now", NOW)
    assert two_open.exit_code == 1
    assert "2 incidents are open: one, two" in two_open.stderr or (
        "2 incidents are open: two, one" in two_open.stderr
    )


def test_a_key_makes_an_action_happen_once(repo: Repo) -> None:
    repo.incident("sign-in", INCIDENT)
    action = {"action": "update", "id": "sign-in", "message": "Still on it.", "key": "retry-1"}
    assert apply(repo, action).exit_code == 0
    before = snapshot(repo.root / "incidents")
    again = apply(repo, action)
    assert again.exit_code == 0
    assert again.stdout == "incidents/sign-in.yml\n"
    assert "the action with key 'retry-1' was applied before; nothing to do" in again.stderr
    assert snapshot(repo.root / "incidents") == before
    new = {"action": "new", "title": "Slow API", "message": "Slow.", "key": "alert-9"}
    assert apply(repo, new).exit_code == 0
    assert apply(repo, new).exit_code == 0
    assert len(list((repo.root / "incidents").glob("*slow-api*"))) == 1


def test_the_key_is_never_published(repo: Repo) -> None:
    repo.incident("sign-in", INCIDENT)
    action = {"action": "update", "id": "sign-in", "message": "m", "key": "SECRET-KEY-42"}
    assert apply(repo, action, "--now", NOW).exit_code == 0
    assert "SECRET-KEY-42" in incident_text(repo, "incidents/sign-in.yml")
    assert repo.run("build", "--now", "2026-12-01T00:00:00Z").exit_code == 0
    for path in (repo.root / "site").rglob("*"):
        if path.is_file():
            assert b"SECRET-KEY-42" not in path.read_bytes(), path


@pytest.mark.parametrize(
    ("action", "said"),
    [
        ("{not json", "<stdin>: JSON: not valid JSON: Expecting property name"),
        ("[1, 2]", "<stdin>: JSON: expected an object"),
        ({"title": "x", "message": "m"}, "<stdin>: action: missing; say which action"),
        ({"inputs": {"message": "m"}}, "<stdin>: action: missing"),
        ({"action": "updat", "message": "m"}, "unknown action \"updat\"; did you mean 'update'?"),
        ({"action": "new", "message": "m"}, "<stdin>: title: missing; a new incident needs"),
        ({"action": "update", "message": "m", "colour": "red"}, "<stdin>: colour: unknown field"),
        ({"action": "update", "message": "m", "regions": "EU"},
         "'regions' is not a field of update"),
        ({"action": "new", "title": "t", "message": "m", "components": "auht"},
         "<stdin>: components: unknown component 'auht'; did you mean 'auth'?"),
        ({"action": "new", "title": "t", "message": "m", "components": "auth=down"},
         "unknown component status 'down'"),
        ({"action": "new", "title": "t", "message": "m", "impact": "huge"},
         "<stdin>: impact: unknown impact 'huge'"),
        ({"action": "new", "title": "t", "message": "m", "status": "fixing"},
         "<stdin>: status: unknown status 'fixing'"),
        ({"action": "new", "title": "t", "message": "m", "next_update": "soon"},
         "<stdin>: next_update: 'soon' is not a time"),
        ({"action": "new", "title": "t", "message": "m", "at": "yesterday"},
         "<stdin>: at: 'yesterday' is not a time"),
        ({"action": "update", "id": "no such/id", "message": "m"}, "<stdin>: id: 'no such/id'"),
        ({"action": "new", "title": "t", "message": "bad \x07 bell"}, "<stdin>: message: contains"),
        ({"action": "new", "title": "t", "message": "m", "key": "k" * 101},
         "<stdin>: key: a key is one line of at most 100 characters"),
        ({"action": "new", "title": "t", "message": "m", "review": "maybe"},
         "<stdin>: review: expected true or false"),
        ({"action": "new", "title": "t", "message": "m", "maintenance": "true"},
         "<stdin>: maintenance: a maintenance needs start and end"),
        ({"action": "new", "title": "t", "message": 42}, "<stdin>: message: expected text, not 42"),
        # numbers: each has a range, said where it is read (finding 14)
        ({"action": "new", "title": "t", "message": "m", "next_update": "999999999d"},
         "<stdin>: next_update: '999999999d' is not a duration from 1m to 365d"),
        ({"action": "new", "title": "t", "message": "m", "next_update": "9" * 5000 + "m"},
         "<stdin>: next_update: '9999999999999999999999999999999999999...' is not a duration"),
        ({"action": "new", "title": "t", "message": "m", "next_update": "366d"},
         "is not a duration from 1m to 365d; promise a time within a year"),
        ({"action": "new", "title": "t", "message": "m", "next_update": "0m"},
         "<stdin>: next_update: '0m' is not a duration from 1m to 365d"),
        ({"action": "new", "title": "t", "message": "m", "next_update": "365d",
          "at": "2999-12-31T00:00:00Z", "force": "true"},
         "the next update would be at 3000-12-31 00:00 UTC, outside the supported range"),
        ('{"action": "new", "title": "t", "message": ' + "1" * 5000 + "}",
         "<stdin>: JSON: a number has thousands of digits"),
        # nesting: deeper than an event needs is refused, never a RecursionError (finding 15)
        ("[" * 100_000 + "]" * 100_000, "<stdin>: JSON: nested more than 8 levels deep"),
        ('{"inputs": ' * 5000 + "{}" + "}" * 5000, "<stdin>: JSON: nested more than 8 levels"),
        ('{"action": "new", "title": "t", "message": "m", "regions": ' + "[" * 8 + "]" * 8 + "}",
         "<stdin>: JSON: nested more than 8 levels deep; an action is an object of texts"),
        ({"action": "new", "title": "t", "message": "m", "regions": [["EU"]]},
         '<stdin>: regions: ["EU"] is not usable text'),
        ({"action": "new", "title": "t", "message": {"a": [1] * 100}},
         '<stdin>: message: expected text, not {"a": [' + "1, " * 16 + "1,...\n"),
        ({"action": "new", "title": "t", "message": "m", "\x1b[31mred": "x"},
         '<stdin>: "\\u001b[31mred": unknown field'),
        ('{"action": "new", "title": "t", "message": "' + "x" * (1024 * 1024) + '"}',
         "<stdin>: larger than 1024 KiB; nothing was written"),
        # incident_key names the incident by the key of the action that opened it
        ({"action": "update", "id": "sign-in", "incident_key": "alert-1", "message": "m"},
         "<stdin>: incident_key: name the incident by id or by incident_key; not both"),
        ({"action": "new", "title": "t", "message": "m", "incident_key": "alert-1"},
         "'incident_key' is not a field of new; only of update or resolve"),
        ({"action": "resolve", "incident_key": "k" * 101, "message": "m"},
         "<stdin>: incident_key: a key is one line of at most 100 characters"),
    ],
)  # fmt: skip
def test_bad_input_writes_nothing(repo: Repo, action: object, said: str) -> None:
    repo.incident("sign-in", INCIDENT)
    before = snapshot(repo.root)
    result = apply(repo, action, stdin=True)
    assert result.exit_code == 1
    assert said in result.stderr
    assert "Traceback" not in result.output
    assert snapshot(repo.root) == before


def test_update_and_resolve_by_the_key_of_the_action_that_opened_it(repo: Repo) -> None:
    opened = {"action": "new", "title": "Slow API", "message": "Slow.", "key": "am-1-20261120"}
    assert apply(repo, opened).exit_code == 0
    repo.incident("sign-in", INCIDENT)  # two open: only the key says which
    path = next((repo.root / "incidents").glob("*-slow-api.yml"))
    relative = path.relative_to(repo.root).as_posix()
    update = {"action": "update", "incident_key": "am-1-20261120", "message": "Faster now."}
    updated = apply(repo, update)
    assert updated.exit_code == 0, updated.output
    assert updated.stdout == f"{relative}\n"
    assert "    message: Faster now.\n" in path.read_text(encoding="utf-8")
    resolve = {
        "action": "resolve",
        "incident_key": "am-1-20261120",
        "key": "am-1-20261120-resolved",
        "review": True,
        "message": "Fast again.",
    }
    resolved = apply(repo, {"client_payload": resolve})
    assert resolved.exit_code == 0, resolved.output
    assert resolved.stdout == f"{relative}\n"
    assert "all clear for" in resolved.stderr
    again = apply(repo, resolve)
    assert again.exit_code == 0
    assert "was applied before; nothing to do" in again.stderr
    assert path.read_text(encoding="utf-8").count("status: resolved") == 1
    assert "Slow API" not in (repo.root / "incidents/sign-in.yml").read_text(encoding="utf-8")
    assert repo.run("check").exit_code == 0


def test_an_incident_key_no_file_records_writes_nothing(repo: Repo) -> None:
    repo.incident("sign-in", INCIDENT)
    before = snapshot(repo.root)
    action = {"action": "resolve", "incident_key": "am-2-20261120", "message": "Fixed."}
    result = apply(repo, action, stdin=True)
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: no incident records the key 'am-2-20261120'; has its draft been merged? "
        "Until then there is no incident to update\n"
    )
    assert snapshot(repo.root) == before


def test_refusals_that_need_the_files_write_nothing(repo: Repo) -> None:
    repo.incident("sign-in", INCIDENT)
    before = snapshot(repo.root / "incidents")
    unknown = apply(repo, {"action": "update", "id": "sign-on", "message": "m"})
    assert unknown.exit_code == 1
    assert "there is no incident with the id 'sign-on'" in unknown.stderr
    wrong_kind = apply(
        repo, {"action": "update", "id": "sign-in", "status": "completed", "message": "m"}
    )
    assert wrong_kind.exit_code == 1
    assert "'completed' is not a status of an incident" in wrong_kind.stderr
    early = apply(
        repo,
        {"action": "update", "id": "sign-in", "message": "m", "at": "2026-11-20T12:00:00Z",
         "next_update": "2026-11-20T11:00:00Z"},
    )  # fmt: skip
    assert early.exit_code == 1
    assert (
        "the next update (Nov 20, 2026, 12:00\u202fPM CET) is not after the update itself "
        "(Nov 20, 2026, 1:00\u202fPM CET)"
    ) in early.stderr
    assert snapshot(repo.root / "incidents") == before


def test_github_outputs_for_the_next_steps(repo: Repo, tmp_path: Path) -> None:
    outputs = tmp_path / "github-output"
    repo.monkeypatch.setenv("GITHUB_OUTPUT", str(outputs))
    action = {"action": "new", "title": "Slow API", "message": "Slow.", "review": "true"}
    assert apply(repo, action).exit_code == 0
    lines = dict(line.split("=", 1) for line in outputs.read_text().splitlines())
    assert lines["changed"] == "true"
    assert lines["review"] == "true"
    assert lines["path"].startswith("incidents/") and lines["path"].endswith("-slow-api.yml")
    assert lines["summary"].startswith("new ")
    assert lines["draft"] == "draft"  # no key, no run id: a name all the same


def test_the_summary_is_one_line_whatever_the_title_holds(repo: Repo) -> None:
    """A monitor's summary annotation becomes the title as it is, line breaks too; the
    summary printed to the workflow's log stays one line, so that no line of the title can
    be a command to GitHub's runner ("::set-output name=review::false")."""
    title = "Checkout fails\n::set-output name=review::false\u2028::error::forged\nline"
    result = apply(
        repo,
        {"action": "new", "title": title, "message": "We are investigating.", "key": "k-1"},
    )
    assert result.exit_code == 0, result.output
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("new ")
    assert result.stderr.endswith(
        "Checkout fails ::set-output name=review::false ::error::forged line\n"
    )
    assert not any(line.startswith("::") for line in result.output.splitlines())


@pytest.mark.parametrize(
    ("key", "draft"),
    [
        ("alertmanager-3f2a9c", "alertmanager-3f2a9c"),
        ("Alert 4711/EU", "alert-4711-eu-" + hashlib.sha256(b"Alert 4711/EU").hexdigest()[:12]),
        ("日本", hashlib.sha256("日本".encode()).hexdigest()[:12]),
    ],
)
def test_a_review_is_drafted_on_a_branch_named_after_its_key(
    repo: Repo, tmp_path: Path, key: str, draft: str
) -> None:
    outputs = tmp_path / "github-output"
    repo.monkeypatch.setenv("GITHUB_OUTPUT", str(outputs))
    repo.monkeypatch.setenv("GITHUB_RUN_ID", "99")
    action = {"action": "new", "title": "Slow API", "message": "Slow.", "key": key}
    assert apply(repo, action).exit_code == 0
    assert apply(repo, action).exit_code == 0  # applied before: the same name
    names = [line for line in outputs.read_text().splitlines() if line.startswith("draft=")]
    assert names == [f"draft={draft}"] * 2


@quick_profile(80)
@given(fuzz_apply.INPUTS)
def _fuzz(value: object) -> None:
    with tempfile.TemporaryDirectory(prefix="fuzz-apply-") as scratch:
        fuzz_apply.check(value, Path(scratch))


def test_fuzz_no_traceback_nothing_written_on_refusal_check_passes_on_success() -> None:
    fuzz_apply.TALLY.clear()
    _fuzz()
    # the payloads reach both ends: refusals, and actions written and checked
    assert fuzz_apply.TALLY["refused"] >= 20
    assert fuzz_apply.TALLY["accepted"] >= 5

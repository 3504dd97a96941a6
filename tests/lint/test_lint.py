"""statusgen lint: each rule fires on what it is for, and stays quiet on close variants."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.core.vocabulary import LINT_RULES
from generator.lint.rules import WORDLISTS, word_lists
from tests.conftest import CONFIG, Repo

NOW = "2026-11-20T12:00:00Z"


def incident(
    *messages: str,
    impact: str = "minor",
    statuses: tuple[str, ...] = (),
    times: tuple[str, ...] = (),
    extra: str = "",
    next_updates: tuple[str | None, ...] = (),
) -> str:
    """An incident file whose updates say ``messages`` (10:00, 10:20, 10:40...)."""
    lines = ["title: Some customers cannot sign in", f"impact: {impact}", "components: [auth]"]
    lines.append("updates:")
    for number, message in enumerate(messages):
        at = times[number] if number < len(times) else f"2026-11-20T10:{20 * number:02d}:00Z"
        lines.append(f"  - at: {at}")
        if number < len(statuses):
            lines.append(f"    status: {statuses[number]}")
        lines.append(f"    message: {json.dumps(message)}")
        if number < len(next_updates) and next_updates[number]:
            lines.append(f"    next_update: {next_updates[number]}")
    return "\n".join(lines) + "\n" + extra


def findings(repo: Repo, text: str, *args: str) -> list[str]:
    repo.incident("x", text)
    result = repo.run("lint", "--now", NOW, *args)
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


def rules(repo: Repo, text: str) -> list[str]:
    return [line.split("warning[")[1].split("]")[0] for line in findings(repo, text)]


RESOLVED = ("investigating", "resolved")
GOOD_ALL_CLEAR = "Sign-in works again for everyone. We are sorry for the trouble this morning."


def test_a_good_incident_gets_no_advice(repo: Repo) -> None:
    text = incident(
        "Some customers cannot sign in. We are investigating.",
        GOOD_ALL_CLEAR,
        impact="major",
        statuses=RESOLVED,
    )
    result = repo.run("lint", "--now", NOW) if repo.incident("x", text) else None
    assert result is not None
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == "1 incident checked: no advice\n"


RECENT = ("2026-11-20T11:30:00Z",)  # open, and not stale at NOW


def test_the_output_format(repo: Repo) -> None:
    text = incident("We expect this to be fixed shortly.", times=RECENT)
    assert findings(repo, text) == [
        "incidents/x.yml:5:5: warning[overpromise]: 'shortly' promises what nobody can know "
        "yet; promise the time of the next update instead of a fix time"
    ]
    repo.incident("x", text)
    github = repo.run("lint", "--now", NOW, "--format", "github").stdout
    assert github == (
        "::warning file=incidents/x.yml,line=5,col=5,title=statusgen overpromise::'shortly' "
        "promises what nobody can know yet; promise the time of the next update instead of "
        "a fix time\n"
    )
    (item,) = json.loads(repo.run("lint", "--now", NOW, "--format", "json").stdout)
    assert item == {
        "file": "incidents/x.yml",
        "line": 5,
        "col": 5,
        "severity": "warning",
        "rule": "overpromise",
        "message": "'shortly' promises what nobody can know yet",
        "hint": "promise the time of the next update instead of a fix time",
    }


def test_strict_fails_on_any_finding(repo: Repo) -> None:
    repo.incident("x", incident("Back up in 5 minutes; see OPS-7.", times=RECENT))
    assert repo.run("lint", "--now", NOW).exit_code == 0
    result = repo.run("lint", "--now", NOW, "--strict")
    assert result.exit_code == 1
    assert result.stderr == "2 warnings in 1 file\n"
    repo.incident("x", incident("Customers cannot sign in. We are investigating.", times=RECENT))
    assert repo.run("lint", "--now", NOW, "--strict").exit_code == 0


def test_lint_refuses_invalid_files(repo: Repo) -> None:
    repo.incident("x", "title: t\nimpact: huge\n")
    result = repo.run("lint", "--now", NOW)
    assert result.exit_code == 1
    assert "unknown impact 'huge'" in result.stderr
    assert "Error: fix these problems first" in result.stderr


@pytest.mark.parametrize(
    ("message", "found"),
    [
        ("Our cloud provider has an outage; customers cannot sign in.", True),
        ("A third-party service fails, so customers cannot sign in.", True),
        ("This is not our fault: customers cannot sign in.", True),
        ("Caused by AWS. Customers cannot sign in.", True),
        ("We found a problem with our database; customers cannot sign in.", False),
        ("Customers cannot sign in with their identity provider; we are on it.", False),
        ("We made a change that broke sign-in. We are undoing it.", False),
    ],
)
def test_blame(repo: Repo, message: str, found: bool) -> None:
    assert ("blame" in rules(repo, incident(message))) is found


@pytest.mark.parametrize(
    ("message", "found"),
    [
        ("It will be fixed in 5 minutes.", True),
        ("We will be back shortly.", True),
        ("Fixed within the next 10 minutes, guaranteed.", True),
        ("ETA: 20 minutes.", True),
        ("We will post the next update by 11:00 UTC.", False),
        ("The fix takes effect for each customer within an hour of signing in again.", False),
        ("We are working on a fix and will update this page in 30 minutes.", False),
    ],
)
def test_overpromise(repo: Repo, message: str, found: bool) -> None:
    assert ("overpromise" in rules(repo, incident(message))) is found


@pytest.mark.parametrize(
    ("message", "impact", "found"),
    [
        ("A minor glitch stops sign-in for some customers.", "major", True),
        ("All good now, customers can sign in.", "critical", True),
        ("Just a blip, customers may see errors.", "major", True),
        ("A minor glitch stops sign-in for some customers.", "minor", False),
        ("Sign-in fails for all customers in the EU.", "critical", False),
    ],
)
def test_downplay(repo: Repo, message: str, impact: str, found: bool) -> None:
    assert ("downplay" in rules(repo, incident(message, impact=impact))) is found


@pytest.mark.parametrize(
    ("message", "found"),
    [
        ("The database cluster is failing over.", True),
        ("Pods crash with a stack trace in the auth service.", True),
        ("We see HTTP 503 from api.eu.internal.", True),
        ("We found a problem with our database; customers cannot sign in.", False),
        ("A database failover makes sign-in slow for you.", False),
        ("We are investigating.", False),
    ],
)
def test_jargon(repo: Repo, message: str, found: bool) -> None:
    assert ("jargon" in rules(repo, incident(message))) is found


@pytest.mark.parametrize(
    ("message", "found"),
    [
        ("We apologize for any inconvenience.", True),
        ("Sorry for the inconvenience.", True),
        ("Thank you for your patience.", True),
        ("We are sorry that you could not sign in for an hour.", False),
    ],
)
def test_cliche(repo: Repo, message: str, found: bool) -> None:
    assert ("cliche" in rules(repo, incident(message))) is found


@pytest.mark.parametrize(
    ("all_clear", "impact", "found"),
    [
        ("Sign-in works again for everyone since 11:02.", "major", True),
        ("Sign-in works again for everyone since 11:02.", "critical", True),
        ("Sign-in works again for everyone. We are sorry for the trouble.", "major", False),
        ("Sign-in works again for everyone. We apologise.", "critical", False),
        ("Sign-in works again for everyone since 11:02.", "minor", False),
    ],
)
def test_no_apology(repo: Repo, all_clear: str, impact: str, found: bool) -> None:
    text = incident("Customers cannot sign in.", all_clear, impact=impact, statuses=RESOLVED)
    assert ("no-apology" in rules(repo, text)) is found


def test_no_apology_counts_any_update(repo: Repo) -> None:
    text = incident(
        "Customers cannot sign in. We are sorry.",
        "Sign-in works again for everyone since 11:02.",
        impact="major",
        statuses=RESOLVED,
    )
    assert "no-apology" not in rules(repo, text)


@pytest.mark.parametrize(
    ("message", "found"),
    [
        ("Customers cannot sign in; see OPS-1234.", True),
        ("@alice is looking into why customers cannot sign in.", True),
        ("Customers cannot sign in: db-prod-03 is down.", True),
        ("Customers cannot reach auth.eu.internal.", True),
        ("Dana Weber is on it; customers cannot sign in.", True),
        ("Customers cannot sign in with UTF-8 passwords; mail support@acme.example.", False),
        ("Customers cannot sign in. We are on it.", False),
    ],
)
def test_overshare(repo: Repo, message: str, found: bool) -> None:
    config = repo.root / "site_config.yml"
    config.write_text(config.read_text() + "lint:\n  people: [Dana Weber]\n")
    assert ("overshare" in rules(repo, incident(message))) is found


def test_overshare_in_the_title_and_workaround(repo: Repo) -> None:
    text = (
        incident("Customers cannot sign in.", times=RECENT).replace(
            "title: Some customers cannot sign in", "title: Sign-in fails (INC-42)"
        )
        + "workaround: Ask @bob for a token.\n"
    )
    lines = findings(repo, text)
    assert [line.split(": warning")[0] for line in lines] == [
        "incidents/x.yml:1:1",
        "incidents/x.yml:7:1",
    ]
    assert "'INC-42' is a ticket key; move it under 'internal:'" in lines[0]


@pytest.mark.parametrize(
    ("all_clear", "found"),
    [
        ("Resolved.", True),
        ("This incident has been resolved.", True),
        ("We deployed a change.", True),
        ("Sign-in works again for everyone since 11:02.", False),
        ("Payments are back to normal in all regions.", False),
    ],
)
def test_weak_all_clear(repo: Repo, all_clear: str, found: bool) -> None:
    text = incident("Customers cannot sign in.", all_clear, statuses=RESOLVED)
    assert ("weak-all-clear" in rules(repo, text)) is found


@pytest.mark.parametrize(
    ("times", "impact", "extra", "found"),
    [
        (("2026-11-20T10:00:00Z", "2026-11-20T11:30:00Z"), "major", "", True),
        (("2026-11-20T10:00:00Z", "2026-11-20T10:50:00Z"), "major", "", False),
        (("2026-11-20T10:00:00Z", "2026-11-20T11:30:00Z"), "minor", "", False),
        (("2026-11-20T10:00:00Z", "2026-11-20T11:30:00Z"), "critical",
         "workaround: Use an API token.\n", False),
    ],
)  # fmt: skip
def test_no_workaround(
    repo: Repo, times: tuple[str, ...], impact: str, extra: str, found: bool
) -> None:
    text = incident(
        "Customers cannot sign in.", GOOD_ALL_CLEAR, impact=impact, statuses=RESOLVED,
        times=times, extra=extra,
    )  # fmt: skip
    assert ("no-workaround" in rules(repo, text)) is found


def test_no_workaround_counts_a_workaround_in_a_message(repo: Repo) -> None:
    text = incident(
        "Customers cannot sign in. Meanwhile, API tokens work.",
        GOOD_ALL_CLEAR,
        impact="critical",
        statuses=RESOLVED,
        times=("2026-11-20T10:00:00Z", "2026-11-20T11:30:00Z"),
    )
    assert "no-workaround" not in rules(repo, text)


def test_an_open_serious_incident_needs_a_workaround_after_an_hour(repo: Repo) -> None:
    text = incident("Customers cannot sign in.", impact="major", times=("2026-11-20T10:40:00Z",),
                    next_updates=("2026-11-20T12:30:00Z",))  # fmt: skip
    assert "no-workaround" in rules(repo, text)  # 80 minutes at NOW


@pytest.mark.parametrize(
    ("started", "found"),
    [("2026-11-20T09:20:00Z", True), ("2026-11-20T09:40:00Z", False), (None, False)],
)
def test_late_acknowledgement(repo: Repo, started: str | None, found: bool) -> None:
    extra = f"started: {started}\n" if started else ""
    text = incident("Customers cannot sign in.", GOOD_ALL_CLEAR, statuses=RESOLVED, extra=extra)
    assert ("late-acknowledgement" in rules(repo, text)) is found


def test_late_acknowledgement_follows_the_config(repo: Repo) -> None:
    config = repo.root / "site_config.yml"
    config.write_text(config.read_text() + "lint:\n  acknowledge_minutes: 10\n")
    text = incident("Customers cannot sign in.", extra="started: 2026-11-20T09:45:00Z\n")
    lines = findings(repo, text)
    assert any(
        "warning[late-acknowledgement]: the first update came 15 minutes after the incident "
        "started (more than 10 minutes)" in line
        for line in lines
    )


@pytest.mark.parametrize(
    ("latest", "next_update", "found"),
    [
        ("2026-11-20T10:30:00Z", None, True),  # 90 minutes without an update at NOW
        ("2026-11-20T11:30:00Z", None, False),
        ("2026-11-20T11:30:00Z", "2026-11-20T11:50:00Z", True),  # the promise has passed
        ("2026-11-20T11:30:00Z", "2026-11-20T12:15:00Z", False),
    ],
)
def test_stale(repo: Repo, latest: str, next_update: str | None, found: bool) -> None:
    text = incident("Customers cannot sign in.", times=(latest,), next_updates=(next_update,))
    assert ("stale" in rules(repo, text)) is found


def test_a_resolved_incident_is_never_stale(repo: Repo) -> None:
    text = incident(
        "Customers cannot sign in.", GOOD_ALL_CLEAR, statuses=RESOLVED,
        next_updates=("2026-11-20T10:10:00Z",),
    )  # fmt: skip
    assert "stale" not in rules(repo, text)


def test_stale_uses_now_from_the_environment(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    repo.incident("x", incident("Customers cannot sign in.", times=("2026-11-20T10:30:00Z",)))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795168800")  # 2026-11-20T10:40:00Z
    assert "stale" not in repo.run("lint").stdout
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795176000")  # 2026-11-20T12:40:00Z
    assert "warning[stale]" in repo.run("lint").stdout


@pytest.mark.parametrize(
    ("second", "found"),
    [("2026-11-20T10:50:00Z", True), ("2026-11-20T10:30:00Z", False)],
)
def test_missed_promise(repo: Repo, second: str, found: bool) -> None:
    text = incident(
        "Customers cannot sign in.", GOOD_ALL_CLEAR, statuses=RESOLVED,
        times=("2026-11-20T10:00:00Z", second), next_updates=("2026-11-20T10:30:00Z",),
    )  # fmt: skip
    assert ("missed-promise" in rules(repo, text)) is found


def test_rules_can_be_disabled_for_the_site_and_ignored_for_an_incident(repo: Repo) -> None:
    text = incident("It will be fixed shortly; see OPS-1.", times=RECENT)
    assert sorted(rules(repo, text)) == ["overpromise", "overshare"]
    assert rules(repo, text + "lint: {ignore: [overshare]}\n") == ["overpromise"]
    config = repo.root / "site_config.yml"
    config.write_text(config.read_text() + "lint:\n  disable: [overpromise]\n")
    assert rules(repo, text) == ["overshare"]


def test_updates_after_now_are_not_judged(repo: Repo) -> None:
    text = incident("Customers cannot sign in.", "Fixed shortly.", times=(
        "2026-11-20T11:30:00Z", "2026-11-20T13:00:00Z"))  # fmt: skip
    assert "overpromise" not in rules(repo, text)


@pytest.mark.parametrize(
    ("second", "found"),
    # lint's now is 2026-11-20T12:00:00Z here: a day ahead is a typo, four minutes a clock
    [("2026-11-21T11:40:00Z", True), ("2026-11-20T12:04:00Z", False)],
)
def test_future_update(repo: Repo, second: str, found: bool) -> None:
    text = incident("Customers cannot sign in.", "Still looking.", times=(
        "2026-11-20T11:30:00Z", second))  # fmt: skip
    assert ("future-update" in rules(repo, text)) is found


def test_every_rule_has_words_or_logic_and_a_test() -> None:
    source = Path(__file__).read_text(encoding="utf-8")
    for rule in LINT_RULES:
        assert f"test_{rule.replace('-', '_')}" in source, rule
    english = word_lists("en")
    for kind in (
        "blame",
        "overpromise",
        "downplay",
        "jargon",
        "experience",
        "cliche",
        "apology",
        "workaround",
        "works_again",
        "tickets",
        "mentions",
        "hostnames",
    ):
        assert english.lists[kind], kind  # fmt: skip


def test_word_lists_come_from_the_site_language(tmp_path: Path) -> None:
    assert word_lists("en-GB") is word_lists("en")
    assert word_lists("de-AT") is word_lists("de")
    # a language without word lists keeps only the patterns, which need no words
    assert word_lists("fr").lists.keys() == {"tickets", "mentions", "hostnames"}
    assert sorted(p.name for p in WORDLISTS.glob("*.yml")) == ["de.yml", "en.yml"]
    for found in WORDLISTS.glob("*.yml"):  # every language has every list
        language = found.stem
        assert word_lists(language).lists.keys() == word_lists("en").lists.keys(), language
        assert all(word_lists(language).lists.values()), language


def test_the_example_lints_clean_at_its_reference_time() -> None:
    from click.testing import CliRunner

    from generator.cli import main
    from tests.example import REFERENCE, ROOT

    result = CliRunner().invoke(main, ["lint", "--root", str(ROOT), "--now", REFERENCE,
                                       "--strict"])  # fmt: skip
    assert (result.exit_code, result.stdout) == (0, "")


BILINGUAL = CONFIG.replace("site:\n", "site:\n  languages: [en, de]\n")


def test_missing_translation(repo: Repo) -> None:
    repo.config(BILINGUAL)
    text = """\
        title: {en: Some customers cannot sign in, de: Einige Kunden können sich nicht anmelden}
        impact: minor
        components: [auth]
        workaround: Use the mobile app.
        updates:
          - at: 2026-11-20T11:30:00Z
            message: {en: We are investigating., de: Wir untersuchen das Problem.}
          - at: 2026-11-20T11:40:00Z
            message: We know the cause.
        """
    found = [line for line in findings(repo, text) if "missing-translation" in line]
    assert found == [
        "incidents/x.yml:4:1: warning[missing-translation]: 'workaround' has no de text: the de "
        "pages show it in en; write it as a mapping by language, with 'de: ...' beside "
        "'en: ...'",
        "incidents/x.yml:8:5: warning[missing-translation]: 'message' has no de text: the de "
        "pages show it in en; write it as a mapping by language, with 'de: ...' beside "
        "'en: ...'",
    ]
    # translated all through: nothing to say; one language only: the rule never runs
    done = text.replace("Use the mobile app.", "{en: Use the mobile app., de: Nutzen Sie die App.}")
    done = done.replace("We know the cause.", "{en: We know the cause., de: Die Ursache ist klar.}")
    assert not [line for line in findings(repo, done) if "missing-translation" in line]
    repo.config(CONFIG)
    plain = "title: Some customers cannot sign in\nimpact: minor\ncomponents: [auth]\n"
    plain += "updates:\n  - {at: 2026-11-20T11:30:00Z, message: We are investigating.}\n"
    assert not [line for line in findings(repo, plain) if "missing-translation" in line]


def test_each_language_is_judged_with_its_own_words(repo: Repo) -> None:
    repo.config(BILINGUAL)
    text = """\
        title: Some customers cannot sign in
        impact: minor
        components: [auth]
        updates:
          - at: 2026-11-20T11:30:00Z
            message:
              en: We are investigating.
              de: Das wird in Kürze behoben.
        """
    found = findings(repo, text)
    assert any("warning[overpromise]: 'in Kürze'" in line for line in found), found
    # the German text is not judged by the English lists, nor the English by the German
    assert sum("overpromise" in line for line in found) == 1


def test_a_language_without_word_lists_gets_only_the_rules_without_words(repo: Repo) -> None:
    repo.change_config("site:\n", "site:\n  language: fr\n")
    text = incident(
        "Certains clients ne peuvent pas se connecter. Voir JIRA-123.",
        "C'est réparé.",
        impact="major",
        statuses=RESOLVED,
    )
    assert rules(repo, text) == ["overshare"]

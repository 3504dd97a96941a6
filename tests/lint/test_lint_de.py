"""statusgen lint in German (site.language: de): each word list fires on what it is for,
and stays quiet on close variants. Rules without words (times, overshare patterns) are
tested once, in English: they do not depend on the language."""

from __future__ import annotations

import pytest

from tests.conftest import CONFIG, Repo
from tests.lint.test_lint import RESOLVED, incident, rules


@pytest.fixture
def german(repo: Repo) -> Repo:
    repo.write(
        "site_config.yml",
        CONFIG.replace(
            "  timezone: Europe/Berlin\n", "  timezone: Europe/Berlin\n  language: de\n"
        ),
    )
    return repo


@pytest.mark.parametrize(
    ("message", "found"),
    [
        ("Unser Cloud-Anbieter hat eine Störung; Kunden können sich nicht anmelden.", True),
        ("Ein Drittanbieter fällt aus, daher schlägt die Anmeldung fehl.", True),
        ("Das ist nicht unsere Schuld: die Anmeldung ist nicht möglich.", True),
        ("Verursacht durch AWS. Kunden können sich nicht anmelden.", True),
        ("Die Ursache liegt außerhalb unserer Kontrolle.", True),
        (
            "Wir haben einen Fehler gemacht, der die Anmeldung verhindert. "
            "Wir machen ihn rückgängig.",
            False,
        ),
        ("Kunden, die sich über ihren Identitätsanbieter anmelden, sehen einen Fehler.", False),
    ],
)
def test_blame(german: Repo, message: str, found: bool) -> None:
    assert ("blame" in rules(german, incident(message))) is found


@pytest.mark.parametrize(
    ("message", "found"),
    [
        ("Das Problem ist in 5 Minuten behoben.", True),
        ("Wir sind in Kürze wieder für Sie da.", True),
        ("Innerhalb der nächsten 10 Minuten wieder verfügbar, garantiert.", True),
        ("Die Anmeldung ist jeden Moment wieder möglich.", True),
        ("Wir melden uns spätestens um 11:00 Uhr mit dem nächsten Update.", False),
        ("Das nächste Update folgt in 30 Minuten.", False),
        ("Der Fehler betrifft nur Anmeldungen der letzten 10 Minuten.", False),
    ],
)
def test_overpromise(german: Repo, message: str, found: bool) -> None:
    assert ("overpromise" in rules(german, incident(message))) is found


@pytest.mark.parametrize(
    ("message", "impact", "found"),
    [
        ("Eine kleine Störung verhindert die Anmeldung für einige Kunden.", "major", True),
        ("Nur ein kurzer Aussetzer, kein Grund zur Sorge.", "critical", True),
        ("Es gibt einen kurzen Schluckauf bei Zahlungen.", "major", True),
        ("Eine kleine Störung verhindert die Anmeldung für einige Kunden.", "minor", False),
        ("Die Anmeldung schlägt für alle Kunden in der EU fehl.", "critical", False),
    ],
)
def test_downplay(german: Repo, message: str, impact: str, found: bool) -> None:
    assert ("downplay" in rules(german, incident(message, impact=impact))) is found


@pytest.mark.parametrize(
    ("message", "found"),
    [
        ("Der Datenbank-Cluster schaltet auf das Replikat um.", True),
        ("Pods stürzen mit einem Stack-Trace im Auth-Dienst ab.", True),
        ("Wir sehen HTTP 503 von api.eu.internal.", True),
        ("Ein Serverausfall im Rechenzentrum.", True),
        ("Wegen eines Datenbankfehlers können sich Kunden nicht anmelden.", False),
        ("Ein Serverausfall macht die Anmeldung für Sie langsam.", False),
        ("Wir untersuchen das Problem.", False),
    ],
)
def test_jargon(german: Repo, message: str, found: bool) -> None:
    assert ("jargon" in rules(german, incident(message))) is found


@pytest.mark.parametrize(
    ("message", "found"),
    [
        ("Wir entschuldigen uns für etwaige Unannehmlichkeiten.", True),
        ("Entschuldigen Sie die Unannehmlichkeiten.", True),
        ("Vielen Dank für Ihre Geduld.", True),
        ("Wir bitten um Ihr Verständnis.", True),
        ("Es tut uns leid, dass Sie eine Stunde lang keine Zahlungen annehmen konnten.", False),
    ],
)
def test_cliche(german: Repo, message: str, found: bool) -> None:
    assert ("cliche" in rules(german, incident(message))) is found


@pytest.mark.parametrize(
    ("all_clear", "impact", "found"),
    [
        ("Die Anmeldung funktioniert seit 11:02 Uhr wieder für alle.", "major", True),
        ("Die Anmeldung funktioniert wieder für alle. Es tut uns leid.", "major", False),
        (
            "Die Anmeldung funktioniert wieder. Wir entschuldigen uns für den Ausfall am Morgen.",
            "critical",
            False,
        ),
        ("Die Anmeldung funktioniert seit 11:02 Uhr wieder für alle.", "minor", False),
    ],
)
def test_no_apology(german: Repo, all_clear: str, impact: str, found: bool) -> None:
    text = incident(
        "Kunden können sich nicht anmelden.", all_clear, impact=impact, statuses=RESOLVED
    )
    assert ("no-apology" in rules(german, text)) is found


@pytest.mark.parametrize(
    ("all_clear", "found"),
    [
        ("Behoben.", True),
        ("Die Störung wurde behoben.", True),
        ("Wir haben eine Änderung ausgerollt.", True),
        ("Die Anmeldung funktioniert seit 11:02 Uhr wieder für alle.", False),
        ("Zahlungen laufen in allen Regionen wieder normal.", False),
        ("Der Dienst ist für alle Kunden wiederhergestellt.", False),
    ],
)
def test_weak_all_clear(german: Repo, all_clear: str, found: bool) -> None:
    text = incident("Kunden können sich nicht anmelden.", all_clear, statuses=RESOLVED)
    assert ("weak-all-clear" in rules(german, text)) is found


@pytest.mark.parametrize(
    ("message", "found"),
    [
        (
            "Kunden können sich nicht anmelden. "
            "Melden Sie sich in der Zwischenzeit mit einem API-Token an.",
            False,
        ),
        ("Kunden können sich nicht anmelden. Nutzen Sie stattdessen die App.", False),
        ("Kunden können sich nicht anmelden.", True),
    ],
)
def test_no_workaround(german: Repo, message: str, found: bool) -> None:
    text = incident(
        message,
        "Wir arbeiten daran.",
        impact="major",
        times=("2026-11-20T10:00:00Z", "2026-11-20T11:30:00Z"),
    )
    assert ("no-workaround" in rules(german, text)) is found


def test_an_english_word_list_does_not_judge_german(german: Repo) -> None:
    # "shortly" is an English overpromise; in a German site it is no word of the language
    assert "overpromise" not in rules(
        german, incident("Kunden können sich nicht anmelden (shortly).")
    )

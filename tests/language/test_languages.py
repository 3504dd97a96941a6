"""Languages: complete catalogs, CLDR's formats, and sites in several languages.

The catalogs are checked against the words the code and the templates use now (extracted
as ``pybabel extract`` does); the formats against what the browser's own CLDR (ICU, in
Chromium) writes for the same moment; a site with ``site.languages`` is built and read
back as its readers read it: pages, feeds, calendar, badges, notifications.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import feedparser  # type: ignore[import-untyped]
import icalendar
import pytest
from babel.messages.catalog import Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from playwright.sync_api import Browser

from generator.core.vocabulary import COMPONENT_STATUSES, IMPACTS, INCIDENT_STATUSES, label
from generator.language import SHIPPED, SOURCE, TEMPLATE, catalog_path, locale_id, words
from generator.outputs.markup import CJK
from tests.browser import axe_violations, serve
from tests.conftest import CONFIG, Repo

ROOT = Path(__file__).resolve().parents[2]
OTHERS = [code for code in SHIPPED if code != SOURCE]


KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}


def extracted() -> set[str]:
    """Every message the code and the templates use, as babel.cfg extracts them."""
    method_map = [("generator/**.py", "python"), ("theme/**.html", "jinja2")]
    options = {"theme/**.html": {"extensions": "jinja2.ext.i18n"}}
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT),
        method_map,
        options,
        keywords={"_": None, "gettext": None, "ngettext": (1, 2), "N_": None},
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def message_id(message: Message) -> str:
    """A message's id; a plural one's by its singular."""
    return str(message.id[0] if isinstance(message.id, tuple | list) else message.id)


def ids(path: Path, code: str | None = None) -> set[str]:
    with path.open("rb") as po:
        catalog = read_po(po, locale=locale_id(code) if code else None)
    return {message_id(m) for m in catalog if m.id}


def test_the_template_holds_every_message_in_use() -> None:
    assert ids(TEMPLATE) == extracted(), (
        "run: pybabel extract -F babel.cfg --no-location --sort-output -k N_ --omit-header "
        "-o generator/language/statusgen.pot . && pybabel update ... (README, Languages)"
    )


@pytest.mark.parametrize("code", OTHERS)
def test_every_catalog_translates_every_message(code: str) -> None:
    with catalog_path(code).open("rb") as po:
        catalog = read_po(po, locale=locale_id(code))
    assert {message_id(m) for m in catalog if m.id} == ids(TEMPLATE)
    for message in catalog:
        if not message.id:
            continue
        string = message.string
        forms = tuple(string) if isinstance(string, tuple | list) else (string or "",)
        assert len(forms) == (catalog.num_plurals if message.pluralizable else 1), message.id
        assert all(form.strip() for form in forms), f"{code}: {message.id!r} is untranslated"
        assert not message.fuzzy, f"{code}: {message.id!r} is fuzzy"
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalog.check()]
    assert problems == []  # the placeholders of each message are the English ones


@pytest.mark.parametrize("code", OTHERS)
def test_names_customers_know_are_translated_not_copied(code: str) -> None:
    said = words(code)
    for kind, values in (
        ("indicator", ("none", "minor", "major", "critical", "maintenance")),
        ("component", COMPONENT_STATUSES),
        ("status", INCIDENT_STATUSES),
        ("impact", IMPACTS),
    ):
        for value in values:
            english = label(kind, value)  # type: ignore[arg-type]
            if english not in ("Maintenance", "Monitoring"):  # French and Dutch say so too
                assert said.label(kind, value) != english, (code, kind, value)  # type: ignore[arg-type]


# CLDR, as the browser has it ------------------------------------------------------------

MOMENT = datetime(2026, 11, 24, 10, 25, tzinfo=UTC)
ZONE = "Europe/Berlin"
#: Three locales, each with its own ways: day-month order and a 12-hour clock (en),
#: dots and a 24-hour clock (de), no spaces and other scripts (ja).
CLDR_LOCALES = ["en", "de", "ja"]


#: How the browser joins two units of a duration, as statusgen does (DURATIONS): CLDR's
#: list of short units for Japanese (1 時間 6 分, which statusgen writes without the spaces,
#: as Japanese is written: 1時間6分), its "and" list elsewhere.
LIST_TYPES = {"ja": ["unit", "short"]}


def intl(browser: Browser, code: str) -> dict[str, str]:
    page = browser.new_page()
    page.set_content(f'<html lang="{code}"></html>')
    said: dict[str, str] = page.evaluate(
        """([code, at, zone, list]) => {
          const moment = new Date(at);
          const unit = (unit, n, width) => new Intl.NumberFormat(code,
            {style: "unit", unit, unitDisplay: width}).format(n);
          return {
            when: new Intl.DateTimeFormat(code, {dateStyle: "medium", timeStyle: "short",
              timeZone: zone}).format(moment),
            day: new Intl.DateTimeFormat(code, {dateStyle: "medium", timeZone: zone})
              .format(moment),
            month: new Intl.DateTimeFormat(code, {year: "numeric", month: "long",
              timeZone: zone}).format(moment),
            hours: new Intl.ListFormat(code, {type: list[0], style: list[1]}).format(
              [unit("hour", 2, "short"), unit("minute", 5, "short")]),
            days: new Intl.ListFormat(code, {type: list[0], style: list[1]}).format(
              [unit("day", 3, "long"), unit("hour", 4, "short")]),
            percent: new Intl.NumberFormat(code, {style: "percent",
              minimumFractionDigits: 2, maximumFractionDigits: 2}).format(0.99984),
          };
        }""",
        [code, MOMENT.isoformat(), ZONE, LIST_TYPES.get(code, ["conjunction", "long"])],
    )
    page.close()
    return said


@pytest.mark.parametrize("code", CLDR_LOCALES)
def test_dates_durations_and_numbers_are_cldrs(browser: Browser, code: str) -> None:
    """Babel and the browser's ICU both carry CLDR: the page writes what the browser
    would (not a string written by hand here)."""
    cldr = {key: spaced(value) for key, value in intl(browser, code).items()}
    said = words(code)
    zone = ZoneInfo(ZONE)
    assert spaced(said.when(MOMENT, zone)) == f"{cldr['when']} {ZONE_NAMES[code]}"
    assert spaced(said.day(MOMENT.astimezone(zone).date())) == cldr["day"]
    assert spaced(said.month(date(2026, 11, 1))) == cldr["month"]
    start = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
    gap = "" if code == "ja" else " "  # Japanese is written without CLDR's spaces
    hours = said.duration(start, start.replace(hour=10, minute=5))
    assert spaced(hours) == cldr["hours"].replace(" ", gap)
    days = said.duration(start, start.replace(day=27, hour=12))
    assert spaced(days) == cldr["days"].replace(" ", gap)
    assert spaced(said.percent(0.99984)) == cldr["percent"]


#: Berlin's zone in November: CLDR's short name where it has one (German), else the
#: offset; English keeps the time zone database's abbreviation.
ZONE_NAMES = {"en": "CET", "de": "MEZ", "ja": "UTC+1"}


def spaced(text: str) -> str:
    """Chromium writes a plain space where CLDR has a narrow or a no-break one (a change
    of its own, for old scripts that parse dates): the kind of space is not compared."""
    return re.sub("[\u202f\u00a0 ]", " ", text)


@pytest.mark.parametrize(
    ("code", "zone", "month", "name"),
    [
        ("de", "Europe/Berlin", 11, "MEZ"),
        ("de", "Europe/Berlin", 7, "MESZ"),
        ("ja", "Asia/Tokyo", 11, "JST"),
        ("pt-BR", "America/Sao_Paulo", 11, "BRT"),
        ("fr", "Europe/Paris", 11, "UTC+1"),
        ("fr", "Europe/Paris", 7, "UTC+2"),
        ("es", "America/New_York", 11, "UTC-5"),
        ("nl", "Asia/Kolkata", 11, "UTC+5:30"),
        # Chinese readers say Beijing time, and name Hong Kong's and Taipei's zones by
        # their city; elsewhere Chinese has the offset
        ("zh-Hans", "Asia/Shanghai", 11, "北京时间"),
        ("zh-Hans", "PRC", 7, "北京时间"),
        ("zh-Hans", "Asia/Hong_Kong", 11, "香港时间"),
        ("zh-Hans", "Asia/Taipei", 11, "台北时间"),
        ("zh-Hans", "Europe/Berlin", 11, "UTC+1"),
        ("ja", "Asia/Shanghai", 11, "UTC+8"),
        ("it", "Europe/London", 11, "UTC"),
        ("fr", "UTC", 11, "UTC"),
        ("ar", "Europe/Berlin", 11, "\u2066UTC+1\u2069"),
        ("ar", "UTC", 11, "\u2066UTC\u2069"),
        ("en", "Europe/Berlin", 7, "CEST"),
        ("en", "America/New_York", 11, "EST"),
        ("en", "America/Sao_Paulo", 11, "UTC-3"),
        ("en", "Pacific/Guam", 11, "ChST"),
        ("en", "Etc/GMT", 11, "GMT"),
        # every name of UTC is UTC (not French "TU", not Arabic's long name)
        *[("fr", zone, 11, "UTC") for zone in ("Zulu", "Etc/UCT", "Universal", "GMT0")],
        ("ar", "Etc/Greenwich", 11, "\u2066UTC\u2069"),
        # CLDR counts Morocco in the Western European zone (UTC+0), it keeps UTC+1
        ("de", "Africa/Casablanca", 11, "UTC+1"),
        ("es", "Africa/El_Aaiun", 11, "UTC+1"),
        ("nl", "America/St_Johns", 11, "UTC-3:30"),
    ],
)
def test_a_zone_is_named_in_the_pages_language(code: str, zone: str, month: int, name: str) -> None:
    """CLDR's short name in the language (MEZ, not CET, in German); where it has none, the
    offset from UTC, never another language's abbreviation; in Arabic, isolated left to
    right, so that its sign stays before its number."""
    moment = datetime(2026, month, 24, 10, 25, tzinfo=UTC)
    assert words(code).when(moment, ZoneInfo(zone)).endswith(f" {name}")
    assert words(code).when(moment, ZoneInfo(zone), today=moment).endswith(f" {name}")


@pytest.mark.parametrize(
    ("code", "short", "long"),
    [
        ("en", "1 hr and 6 min", "3 days and 4 hr"),
        ("de", "1 Std. und 6 Min.", "3 Tage und 4 Std."),
        ("ja", "1時間6分", "3日4時間"),
        ("zh-Hans", "1小时6分钟", "3天4小时"),
        ("ar", "ساعة و6 دقائق", "3 أيام و4 ساعات"),
        ("ar", "ساعتان ودقيقتان", "يومان وساعتان"),
    ],
)
def test_a_duration_reads_as_its_language_writes_it(code: str, short: str, long: str) -> None:
    """Long units where the short ones are cryptic (Arabic's are single letters), the
    units side by side where the language joins them so (Japanese, Chinese)."""
    start = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
    said = words(code)
    dual = "ساعتان" in short  # Arabic's dual: two hours and two minutes, two days
    end = start.replace(hour=10, minute=2) if dual else start.replace(hour=9, minute=6)
    assert spaced(said.duration(start, end)) == short
    end = start.replace(day=26, hour=10) if dual else start.replace(day=27, hour=12)
    assert spaced(said.duration(start, end)) == long
    assert said.duration(start, start.replace(hour=10, minute=2)) != said.duration(
        start, start.replace(hour=10)
    )


def test_a_duration_has_no_empty_part() -> None:
    start = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
    said = words("en")
    assert said.duration(start, start) == "0 min"
    assert said.duration(start, start.replace(hour=9)) == "1 hr"
    assert said.duration(start, start.replace(minute=45)) == "45 min"
    assert said.duration(start, start.replace(day=27)) == "3 days"


def test_right_to_left_is_arabics() -> None:
    assert [code for code in SHIPPED if words(code).rtl] == ["ar"]
    assert words("zh-Hans").material == "zh" and words("pt-BR").material == "pt-BR"


# configuration ---------------------------------------------------------------------------

BILINGUAL = CONFIG.replace("site:\n", "site:\n  languages: [en, de]\n")


@pytest.mark.parametrize(
    ("config", "said"),
    [
        (
            CONFIG.replace("site:\n", "site:\n  language: fr\n  languages: [en, fr]\n"),
            "site_config.yml:2:13: error: site.language is fr, but site.languages starts with "
            "en; the first of site.languages is the default: remove site.language, or put it "
            "first in site.languages",
        ),
        (
            CONFIG.replace("site:\n", "site:\n  languages: [en, de, en]\n"),
            "site_config.yml:2:23: error: en is listed twice in site.languages; list each "
            "language once",
        ),
        (
            CONFIG.replace("site:\n", "site:\n  languages: [en, klingon]\n"),
            "site_config.yml:2:19: error: unknown language 'klingon'; use en, de, fr, es, "
            "pt-BR, it, nl, ja, zh-Hans or ar",
        ),
        (
            BILINGUAL + "notify:\n  channels:\n    - {id: x, url: 'json://h/', language: fr}\n",
            "site_config.yml:17:43: error: fr is not a language of this site; use en or de, "
            "or add it to site.languages",
        ),
    ],
    ids=["default disagrees", "twice", "unknown", "channel"],
)
def test_check_names_each_language_mistake(repo: Repo, config: str, said: str) -> None:
    repo.config(config)
    assert repo.check()[0] == said


def test_a_language_the_site_does_not_list_is_kept_but_not_published(repo: Repo) -> None:
    repo.config(BILINGUAL)
    repo.incident(
        "x",
        "title: {en: Sign-in fails, de: Anmeldung gestört, fr: La connexion échoue}\n"
        "impact: minor\ncomponents: [auth]\n"
        "updates:\n  - {at: 2026-11-20T10:00:00Z, message: We are looking into it.}\n",
    )
    assert repo.check() == []
    assert repo.run("build", "--now", NOW).exit_code == 0
    site = repo.root / "site"
    assert "La connexion" not in "".join(
        p.read_text(errors="replace") for p in site.rglob("*") if p.is_file()
    )
    assert not (site / "fr").exists()


@pytest.mark.parametrize(
    ("config", "title", "said"),
    [
        (
            BILINGUAL,
            "{de: Anmeldung gestört}",
            "'title' has no en text, the site's default language; add 'en: ...': it is shown "
            "wherever a translation is missing",
        ),
        (
            BILINGUAL,
            "{en: Sign-in fails, xx: Nope}",
            "'title': unknown language 'xx'; use en, de, fr, es, pt-BR, it, nl, ja, zh-Hans or ar",
        ),
        (BILINGUAL, "{en: Sign-in fails, de: ''}", "'title': the de text is empty or not text"),
        (BILINGUAL, "{}", "'title': the mapping by language is empty"),
    ],
    ids=["no default", "unknown", "empty text", "empty"],
)
def test_check_names_each_translation_mistake(
    repo: Repo, config: str, title: str, said: str
) -> None:
    repo.config(config)
    repo.incident(
        "x",
        f"title: {title}\nimpact: minor\ncomponents: [auth]\n"
        "updates:\n  - {at: 2026-11-20T10:00:00Z, message: We are looking into it.}\n",
    )
    lines = repo.check()
    assert any(said in line and line.startswith("incidents/x.yml:1:8: error:") for line in lines), (
        lines
    )


# a site in two languages ----------------------------------------------------------------

INCIDENT = """\
title:
  en: Some customers cannot sign in
  de: Einige Kunden können sich nicht anmelden
impact: major
components: {auth: partial_outage}
workaround: Use the mobile app.
updates:
  - at: 2026-11-20T09:41:00Z
    status: investigating
    message:
      en: Some customers in the EU cannot sign in.
      de: Einige Kunden in der EU können sich nicht anmelden.
    next_update: 2026-11-20T10:30:00Z
"""
MAINTENANCE = """\
type: maintenance
title: Database upgrade
scheduled: {start: 2026-11-28T01:00:00Z, end: 2026-11-28T02:00:00Z}
components: [api]
updates:
  - {at: 2026-11-19T09:00:00Z, message: {en: The API is read-only., de: Die API ist nur lesbar.}}
"""
NOW = "2026-11-20T10:00:00Z"


@pytest.fixture
def bilingual(repo: Repo) -> Path:
    repo.config(BILINGUAL)
    repo.incident("sign-in", INCIDENT)
    repo.incident("upgrade", MAINTENANCE)
    result = repo.run("build", "--now", NOW)
    assert result.exit_code == 0, result.output
    return repo.root / "site"


def test_each_language_has_its_pages_at_its_place(bilingual: Path) -> None:
    english = (bilingual / "incidents/sign-in/index.html").read_text()
    german = (bilingual / "de/incidents/sign-in/index.html").read_text()
    assert '<html lang="en"' in english and '<html lang="de"' in german
    assert "<h1>Some customers cannot sign in</h1>" in english
    assert "<h1>Einige Kunden können sich nicht anmelden</h1>" in german
    assert "Nächste Aktualisierung" in german and "Next update" not in german
    for page in (english, german):
        for code, url in (("en", ""), ("de", "de/"), ("x-default", "")):
            link = (
                f'<link rel="alternate" hreflang="{code}" '
                f'href="https://status.acme.example/{url}incidents/sign-in/">'
            )
            assert link in page
    # the menu leads to this very page in the other language, and says which one is shown
    assert re.search(
        r'<a href="../../../incidents/sign-in/" hreflang="en" lang="en" '
        r'class="md-select__link">\s*English',
        german,
    )
    assert 'hreflang="de" lang="de" class="md-select__link" aria-current="true">' in german


def test_a_missing_translation_shows_the_default_text_marked(bilingual: Path) -> None:
    german = (bilingual / "de/incidents/sign-in/index.html").read_text()
    assert (
        '<div lang="en" dir="ltr" class="sg-untranslated"><p>Use the mobile app.</p></div>'
        '<p class="sg-quiet sg-note">Noch nicht übersetzt; in der Originalsprache angezeigt.</p>'
    ) in german
    front = (bilingual / "de/index.html").read_text()
    assert '<span lang="en" dir="ltr" class="sg-untranslated">Database upgrade</span>' in front
    english = (bilingual / "index.html").read_text()
    assert "sg-untranslated" not in english


def test_feeds_calendar_badges_and_embed_speak_each_language(bilingual: Path) -> None:
    english = feedparser.parse((bilingual / "history.atom").read_bytes())
    german = feedparser.parse((bilingual / "de/history.atom").read_bytes())
    assert german.feed.language == "de" and english.feed.language == "en"
    assert german.feed.title == "Acme Cloud Status \u2013 Störungsverlauf"
    assert german.entries[0].link.startswith("https://status.acme.example/de/incidents/")
    # another language's feed is another feed: no id is shared with the default one
    assert {e.id for e in german.entries}.isdisjoint(e.id for e in english.entries)
    assert german.feed.id != english.feed.id
    calendar = icalendar.Calendar.from_ical((bilingual / "de/maintenance.ics").read_bytes())
    assert str(calendar["X-WR-CALNAME"]) == "Acme Cloud Status: Wartungsarbeiten"
    event = next(iter(calendar.walk("VEVENT")))
    assert "Die API ist nur lesbar." in str(event["DESCRIPTION"])
    assert str(event["URL"]) == "https://status.acme.example/de/incidents/upgrade/"
    assert "Teilweise Systemstörung" in (bilingual / "de/badge.svg").read_text()
    endpoint = json.loads((bilingual / "de/api/badge.json").read_text())
    assert endpoint["label"] == "Status"
    script = (bilingual / "de/embed.js").read_text()
    assert script.isascii()  # served cross-origin, perhaps without a charset
    assert '"close":"Hinweis schlie\\u00dfen"' in script
    # the Statuspage API keeps Statuspage's English values, once, at the root
    assert not (bilingual / "de/api/v2").exists()
    summary = json.loads((bilingual / "api/v2/summary.json").read_text())
    assert summary["status"]["description"] == "Partial System Outage"
    assert summary["incidents"][0]["name"] == "Some customers cannot sign in"


def test_the_sitemap_lists_every_language(bilingual: Path) -> None:
    sitemap = (bilingual / "sitemap.xml").read_text()
    assert "<loc>https://status.acme.example/incidents/sign-in/</loc>" in sitemap
    assert "<loc>https://status.acme.example/de/incidents/sign-in/</loc>" in sitemap


def test_a_second_build_renders_nothing_again(repo: Repo, bilingual: Path) -> None:
    again = repo.run("build", "--now", NOW)
    assert "(0 rendered," in again.stderr + again.stdout, again.output
    (repo.root / "incidents/sign-in.yml").write_text(
        INCIDENT.replace("Einige Kunden können", "Manche Kunden können"), encoding="utf-8"
    )
    changed = repo.run("build", "--now", NOW)
    assert changed.exit_code == 0
    german = (bilingual / "de/incidents/sign-in/index.html").read_text()
    assert "<h1>Manche Kunden können sich nicht anmelden</h1>" in german


def test_the_incident_cache_keeps_the_translations(repo: Repo, bilingual: Path) -> None:
    from generator.builder.cache import decode_incident, encode_incident
    from generator.input.validate import load_repository

    incidents = load_repository(repo.root).incidents
    assert all(incident.translations or incident.updates[0].translations for incident in incidents)
    for incident in incidents:
        assert decode_incident(json.loads(json.dumps(encode_incident(incident)))) == incident


def test_a_channel_speaks_its_language(repo: Repo) -> None:
    config = BILINGUAL + (
        "notify:\n  channels:\n"
        "    - {id: team, url: 'json://127.0.0.1:9/'}\n"
        "    - {id: kunden, url: 'json://127.0.0.1:9/', language: de}\n"
    )
    repo.config(config)
    repo.incident("sign-in", INCIDENT)
    result = repo.run("notify", "--dry-run", "--now", NOW)
    assert result.exit_code == 0, result.output
    english, german = result.stdout.split("== kunden")
    assert "Investigating: Some customers cannot sign in - Acme Cloud Status" in english
    assert "Wird untersucht: Einige Kunden können sich nicht anmelden \u2013 Acme Cloud Status" in (
        german
    )
    assert "Betroffen: Sign-in (teilweise Störung)" in german
    assert "Einige Kunden in der EU können sich nicht anmelden." in german
    assert "https://status.acme.example/de/incidents/sign-in/" in german


JAPANESE = CONFIG.replace("site:\n", "site:\n  languages: [en, ja]\n") + (
    "notify:\n  channels:\n    - {id: kokyaku, url: 'json://127.0.0.1:9/', language: ja}\n"
)
#: A space Japanese would not write: between two of its characters, or beside its
#: full-width punctuation.
CJK_SPACE = re.compile(rf"(?<=[{CJK}]) | (?=[{CJK}])")


def test_a_japanese_message_has_no_space_between_words(repo: Repo) -> None:
    """The facts of a message, the promise of the next update and the link are written
    as Japanese is: full-width punctuation, no spaces between words."""
    repo.config(JAPANESE)
    repo.incident(
        "sign-in",
        INCIDENT.replace(
            "  de: Einige Kunden können sich nicht anmelden\n",
            "  ja: 一部のお客様がサインインできません\n",
        ).replace(
            "      de: Einige Kunden in der EU können sich nicht anmelden.\n",
            "      ja: EU の一部のお客様がサインインできません。\n",
        ),
    )
    result = repo.run("notify", "--dry-run", "--now", NOW)
    assert result.exit_code == 0, result.output
    said = result.stdout.split("== kokyaku", 1)[1]
    assert "一部のお客様がサインインできません" in said
    assert "影響：大。影響範囲：Sign-in（一部障害）\n" in said, said
    assert "**回避策**：Use the mobile app." in said
    assert "次回の更新：11:30 UTC+1までに" in said
    told = [line.removeprefix("Title: ").replace("EU の", "") for line in said.splitlines()]
    lines = [line for line in told if CJK_SPACE.search(line)]
    assert lines == []


def test_chinese_pages_say_simplified_chinese_and_name_themselves_in_its_way(repo: Repo) -> None:
    """The root's lang is zh-Hans, not material's zh (a browser would pick a Traditional or
    a Japanese font); the menu names it 简体中文; every tab joins the page's and the site's
    names as the language does, the 404 page's included."""
    repo.config(CONFIG.replace("site:\n", "site:\n  languages: [en, zh-Hans]\n"))
    repo.incident("sign-in", INCIDENT)
    assert repo.run("build", "--now", NOW).exit_code == 0
    site = repo.root / "site"
    history = (site / "zh-Hans/history/index.html").read_text()
    assert '<html lang="zh-Hans" class="no-js">' in history
    assert "<title>历史记录｜Acme Cloud Status</title>" in history
    assert re.search(r'lang="zh-Hans" class="md-select__link"[^>]*>\s*简体中文', history)
    missing = (site / "zh-Hans/404.html").read_text()
    assert '<html lang="zh-Hans" class="no-js">' in missing
    assert "<title>找不到页面｜Acme Cloud Status</title>" in missing
    english = (site / "history/index.html").read_text()
    assert '<html lang="en" class="no-js">' in english
    assert "<title>History - Acme Cloud Status</title>" in english
    assert "<title>Page not found - Acme Cloud Status</title>" in (site / "404.html").read_text()


# in the browser ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def languages_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from tests.example import build_example

    site = build_example(
        tmp_path_factory.mktemp("languages") / "site", languages=["en", "ar", "de", "ja"]
    )
    with serve(site) as url:
        yield url


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(
    "path",
    ["de/", "ar/", "ar/incidents/2026-11-24-single-sign-on-fails-in-the-eu/", "ja/"],
)
def test_axe_finds_no_violations_in_other_languages(
    browser: Browser, languages_site: str, path: str, scheme: str
) -> None:
    context = browser.new_context(color_scheme=scheme)  # type: ignore[arg-type]
    page = context.new_page()
    page.goto(languages_site + path)
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=2)
    context.close()


def test_arabic_reads_right_to_left(browser: Browser, languages_site: str) -> None:
    page = browser.new_page()
    page.goto(languages_site + "ar/")
    assert page.locator("html").get_attribute("lang") == "ar"
    # on the root as well as the body (W3C's advice; material sets only the body's)
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("body").get_attribute("dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.querySelector('.sg-banner h1')).direction") == (
        "rtl"
    )
    banner = page.locator(".sg-banner h1").inner_text()
    assert banner == "انقطاع جزئي في النظام"
    page.close()


def test_japanese_remarks_are_in_its_own_brackets(browser: Browser, languages_site: str) -> None:
    """The script's "(5 minutes ago)" is "（5分前）" in Japanese: full-width brackets, no
    space before them or in them (the browser's narrow form); an English page keeps its
    own."""
    page = browser.new_page()
    page.goto(languages_site + "ja/incidents/2026-11-24-single-sign-on-fails-in-the-eu/")
    remarks = page.locator(".sg-rel").evaluate_all("slots => slots.map(s => s.textContent)")
    remarks = [remark for remark in remarks if remark]  # a promise that is due says nothing
    assert remarks and all(re.fullmatch("（[^ ]+）", remark) for remark in remarks), remarks
    page.goto(languages_site + "incidents/2026-11-24-single-sign-on-fails-in-the-eu/")
    remarks = page.locator(".sg-rel").evaluate_all("slots => slots.map(s => s.textContent)")
    remarks = [remark for remark in remarks if remark]
    assert remarks and all(re.fullmatch(r" \(.+ ago\)", remark) for remark in remarks), remarks
    page.close()


def test_the_language_menu_keeps_the_page(browser: Browser, languages_site: str) -> None:
    page = browser.new_page()
    path = "incidents/2026-11-24-single-sign-on-fails-in-the-eu/"
    page.goto(languages_site + "de/" + path)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.locator(".md-select__link[hreflang=en]").evaluate("link => link.click()")
    page.wait_for_url(languages_site + path)
    assert page.locator("html").get_attribute("lang") == "en"
    # material would fetch sitemap.xml beside every translation link: it never sees them
    assert not [url for url in requested if url.endswith("sitemap.xml")]
    page.close()


@pytest.mark.parametrize(
    ("code", "label", "inside"),
    [
        ("fr", "Tous les systèmes sont opérationnels", "tous les systèmes sont opérationnels"),
        ("es", "Investigando", "investigando"),
        ("nl", "Opgelost", "opgelost"),
        ("pt-BR", "Em andamento", "em andamento"),
        ("it", "Risolto", "risolto"),
        # an acronym keeps its capitals; English, German's nouns and Japanese are as they are
        ("fr", "API en panne", "API en panne"),
        ("en", "All Systems Operational", "All Systems Operational"),
        ("de", "Alle Systeme betriebsbereit", "Alle Systeme betriebsbereit"),
        ("ja", "調査中", "調査中"),
        ("fr", "", ""),
    ],
)
def test_a_label_after_a_colon_takes_the_languages_case(code: str, label: str, inside: str) -> None:
    assert words(code).after_colon(label) == inside

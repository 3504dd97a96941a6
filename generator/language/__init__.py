"""Every word statusgen writes, in the site's language, and every date as its locale writes it.

The only module that imports Babel. Words go through gettext catalogs: ``statusgen.pot``
is extracted from the Python code and the theme's templates (``babel.cfg``), and each
shipped language has its ``locales/<locale>/LC_MESSAGES/statusgen.po``, compiled when it
is first needed (no compiled file to forget). English is the source language. Dates,
times, durations and percentages come from CLDR, through Babel, in the site's time zone;
"12 minutes ago" is the browser's (``Intl``, the same CLDR), since a page is static.
"""

from __future__ import annotations

import functools
import io
import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import (
    format_date,
    format_skeleton,
    format_time,
    format_timedelta,
    get_timezone_name,
)
from babel.lists import format_list
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import parse_pattern
from babel.support import NullTranslations, Translations
from babel.units import format_unit

from generator.core.times import elapsed
from generator.core.vocabulary import LabelKind, label

#: The languages statusgen speaks (BCP 47), the source language first.
SHIPPED = ("en", "de", "fr", "es", "pt-BR", "it", "nl", "ja", "zh-Hans", "ar")
SOURCE = "en"
DOMAIN = "statusgen"
HERE = Path(__file__).resolve().parent
LOCALES = HERE / "locales"
TEMPLATE = HERE / f"{DOMAIN}.pot"
#: mkdocs-material's name of each language, where it is not the tag itself.
MATERIAL = {"zh-Hans": "zh"}
#: A language's name for itself where CLDR's is not what its readers call it: CLDR's
#: "中文 (简体)" has ASCII brackets and a space.
NAMES = {"zh-Hans": "简体中文"}
#: Languages written without spaces between words: pieces of a sentence are joined with
#: nothing between them (影響範囲：Sign-in, not 影響範囲： Sign-in).
UNSPACED = frozenset({"ja", "zh-Hans"})
#: How each language writes a duration of two units (CLDR's unit lengths and list style),
#: where the short units and "and" are not what its readers expect: Arabic's short units
#: are single letters (1 س و6 د), Japanese and Chinese join the units with nothing, as
#: CLDR's list of short units does (1時間6分, 1小时6分钟; Japanese without the spaces CLDR
#: puts between a number and its unit, :data:`UNSPACED`).
DURATIONS: dict[str, tuple[Literal["short", "long"], Literal["standard", "unit-short"]]] = {
    "ar": ("long", "standard"),
    "ja": ("short", "unit-short"),
    "zh-Hans": ("short", "unit-short"),
}
#: A zone name that is a numeric offset (+0100): CLDR has no name for the zone here.
_NO_NAME = re.compile(r"[+-]\d{4}")
#: The zone that is UTC itself, by all its names in the time zone database.
_UTC = frozenset(
    prefix + name
    for prefix in ("", "Etc/")
    for name in ("UTC", "UCT", "Universal", "Zulu", "GMT", "GMT0", "GMT+0", "GMT-0", "Greenwich")
)
#: Zones CLDR names wrongly: it counts Morocco's in the Western European zone (UTC+0,
#: "WEZ" in German), but they keep UTC+1 all year but Ramadan.
_MISNAMED = frozenset({"Africa/Casablanca", "Africa/El_Aaiun"})
#: Names a language's readers use for a zone CLDR has no short name for: Chinese readers
#: say 北京时间 (Beijing time) for China's one zone, and name Hong Kong's, Macau's and
#: Taipei's by their city, where CLDR would leave the offset (UTC+8).
_READERS_NAMES: dict[str, dict[str, str]] = {
    "zh-Hans": {
        **dict.fromkeys(
            ("Asia/Shanghai", "Asia/Chongqing", "Asia/Chungking", "Asia/Harbin", "PRC"),
            "北京时间",
        ),
        "Asia/Hong_Kong": "香港时间",
        "Hongkong": "香港时间",
        "Asia/Macau": "澳门时间",
        "Asia/Macao": "澳门时间",
        "Asia/Taipei": "台北时间",
        "ROC": "台北时间",
    },
}
#: Languages that go on with a small letter after a colon, where the words after it are no
#: sentence of their own (a status after a name).
_SMALL_AFTER_COLON = frozenset({"fr", "es", "it", "pt-BR", "nl"})
#: A time zone database abbreviation that is a word (CET, EST, ChST), not an offset (-03).
_ABBREVIATION = re.compile(r"[A-Za-z]{2,5}")
#: A space CLDR puts between a number and a Japanese unit, or after it (1 時間 6 分).
_UNIT_SPACE = re.compile(
    r"(?<=\d)[ \u00a0\u202f](?=[\u3040-\u30ff\u4e00-\u9fff])"
    r"|(?<=[\u3040-\u30ff\u4e00-\u9fff])[ \u00a0\u202f](?=\d)"
)


def locale_id(code: str) -> str:
    """Babel's identifier of a language tag: pt-BR is pt_BR, zh-Hans is zh_Hans."""
    return str(Locale.parse(code, sep="-"))


def catalog_path(code: str) -> Path:
    return LOCALES / locale_id(code) / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def _translations(code: str) -> NullTranslations:
    if code == SOURCE:
        return NullTranslations()
    with catalog_path(code).open("rb") as po:
        catalog = read_po(po, locale=locale_id(code), domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


@dataclass(frozen=True)
class Words:
    """What one language says: its catalog, and CLDR's formats of its locale."""

    code: str

    @functools.cached_property
    def locale(self) -> Locale:
        return Locale.parse(self.code, sep="-")

    @property
    def translations(self) -> NullTranslations:
        return _translations(self.code)

    def gettext(self, message: str, **values: object) -> str:
        """``message`` in this language, with ``%(name)s`` filled from ``values``."""
        said = self.translations.gettext(message)
        return said % values if values else said

    def label(self, kind: LabelKind, value: str) -> str:
        """The word for a value (``label("component", "partial_outage")``) in this language."""
        return self.translations.gettext(label(kind, value))

    def after_colon(self, text: str) -> str:
        """A label as it reads after a colon, inside a sentence: with a small first letter
        where the language writes one there (« Acme : tous les systèmes sont
        opérationnels »), unless the word is all capitals (API); as it is in English,
        German (its nouns keep their capital) and the languages without letter case."""
        if self.code not in _SMALL_AFTER_COLON or not text[:1].isupper() or text[1:2].isupper():
            return text
        return text[:1].lower() + text[1:]

    @property
    def name(self) -> str:
        """The language's own name for itself (Deutsch, 日本語)."""
        return NAMES.get(self.code) or str(self.locale.get_display_name(self.locale))

    @property
    def rtl(self) -> bool:
        return bool(self.locale.text_direction == "rtl")

    @property
    def material(self) -> str:
        """mkdocs-material's language, for its own words and the text direction."""
        return MATERIAL.get(self.code, self.code)

    def percent(self, ratio: float) -> str:
        """A share to two decimals, as the locale writes it (99.95%, 99,95 %)."""
        pattern = parse_pattern(self.locale.percent_formats[None].pattern)
        pattern.frac_prec = (2, 2)
        return str(pattern.apply(ratio, self.locale))

    @property
    def gap(self) -> str:
        """What goes between two pieces of a sentence: a space, or nothing in a language
        written without spaces (Japanese, Chinese)."""
        return "" if self.code in UNSPACED else " "

    def when(self, moment: datetime, zone: ZoneInfo, today: datetime | None = None) -> str:
        """A moment as pages and messages show it: the date, the time and the zone's name
        (24.11.2026, 11:25 MEZ); the time alone (11:25 MEZ) when it falls on the day of
        ``today`` in ``zone``."""
        local = moment.astimezone(zone)
        # a site's pages name tens of thousands of moments, in few days, times of day and
        # zones: each is written once (Babel takes a tenth of a millisecond a call)
        clock = _clock(self.code, local.hour, local.minute)
        named = self.zone_name(local)
        if today is not None and today.astimezone(zone).date() == local.date():
            return f"{clock} {named}"
        joined = str(self.locale.datetime_formats["medium"]).format(clock, self.day(local.date()))
        return f"{joined} {named}"

    def zone_name(self, local: datetime) -> str:
        """The short name of ``local``'s zone at that moment (see :meth:`_zone_name`)."""
        key = (self.code, str(local.tzinfo), local.utcoffset(), local.dst(), local.tzname())
        named = _ZONE_NAMES.get(key)
        if named is None:
            named = _ZONE_NAMES[key] = self._zone_name(local)
        return named

    def _zone_name(self, local: datetime) -> str:
        """The short name of ``local``'s zone at that moment, as CLDR has it in this
        language (MEZ, MESZ in German; JST in Japanese), or the name its readers use where
        CLDR has none (北京时间 in Chinese); else the offset from UTC (UTC+1, UTC+5:30),
        never another language's abbreviation.

        English, the source language, has few short names in CLDR: there the time zone
        database's abbreviation (CET, BST, ChST), when it is a word, is what its readers
        know. UTC itself is UTC in every language, by any of its names (not CLDR's "TU" in
        French or its long Arabic name), and so is the offset's prefix (not Babel's "+1 UTC"
        in Portuguese)."""
        abbreviation = local.tzname() or ""
        if self.code == SOURCE and _ABBREVIATION.fullmatch(abbreviation):
            return abbreviation
        key = str(local.tzinfo)
        known = _READERS_NAMES.get(self.code, {}).get(key)
        if known is not None:
            return known
        if key in _UTC:
            shown = ""
        else:
            named = get_timezone_name(local, width="short", locale=self.locale)
            if key not in _MISNAMED and not _NO_NAME.fullmatch(named):
                return str(named)
            offset = local.utcoffset() or timedelta(0)
            minutes = round(offset.total_seconds() / 60)
            hours, rest = divmod(abs(minutes), 60)
            shown = f"{'-' if minutes < 0 else '+'}{hours}" + (f":{rest:02d}" if rest else "")
            shown = shown if minutes else ""
        if self.rtl:  # read left to right, its sign first, in a right-to-left text
            return f"\u2066UTC{shown}\u2069"
        return f"UTC{shown}"

    def day(self, value: date) -> str:
        """A day (24 Nov 2026; 24.11.2026)."""
        return _day(self.code, value)

    def month(self, value: date, *, inside: bool = False) -> str:
        """A month and its year as a heading, a title or a link shows it, its first letter
        a capital (November 2026; Octobre 2026; 2026年11月); ``inside`` a sentence, as CLDR
        writes it (l'archive d'octobre 2026)."""
        named = format_skeleton("yMMMM", value, locale=self.locale)
        return named if inside else named[:1].upper() + named[1:]

    def span(self, length: timedelta) -> str:
        """A length of time in one unit, for a sentence about it: minutes under two
        hours, hours under two days, then days, each whole (90 minutes; 11 days)."""
        amount, unit = _rounded(length)
        return str(format_unit(amount, f"duration-{unit}", length="long", locale=self.locale))

    def ago(self, length: timedelta) -> str:
        """How long ago, rounded as :meth:`span` (11 days ago; vor 11 Tagen)."""
        amount, unit = _rounded(length)
        return format_timedelta(
            -timedelta(**{f"{unit}s": amount}),
            threshold=math.inf,  # no larger unit than the one chosen
            granularity=unit,
            add_direction=True,
            format="long",
            locale=self.locale,
        )

    def within(self, length: timedelta) -> str:
        """How long until a moment, for a sentence about it ("in 24 hours"; "in 24 Stunden";
        "24 時間後" without its space in Japanese): minutes under an hour and under two
        hours unless whole (in 90 minutes), hours under two days, then days, each rounded
        to the nearest (a reminder sent a few minutes late still says "in 24 hours")."""
        minutes = max(1, round(length.total_seconds() / 60))
        unit: Literal["minute", "hour", "day"]
        if minutes < 60 or (minutes < 120 and minutes % 60):
            amount, unit = minutes, "minute"
        elif round(minutes / 60) < 48:
            amount, unit = round(minutes / 60), "hour"
        else:
            amount, unit = round(minutes / (24 * 60)), "day"
        said = format_timedelta(
            timedelta(**{f"{unit}s": amount}),
            threshold=math.inf,  # no larger unit than the one chosen
            granularity=unit,
            add_direction=True,
            format="long",
            locale=self.locale,
        )
        return _UNIT_SPACE.sub("", said) if self.code in UNSPACED else said

    def duration(self, start: datetime, end: datetime) -> str:
        """How long from ``start`` to ``end``, to the minute under two days, to the hour
        after (45 min; 2 hr and 5 min; 3 days and 4 hr), in the form the language's
        readers expect (:data:`DURATIONS`)."""
        return _duration(self.code, max(0, round(elapsed(start, end).total_seconds() / 60)))

    def _duration(self, minutes: int) -> str:
        hours, minutes = divmod(minutes, 60)
        length, style = DURATIONS.get(self.code, ("short", "standard"))
        parts: list[tuple[str, int, Literal["short", "long"]]]
        if hours >= 48:
            days, hours = divmod(hours, 24)
            parts = [("duration-day", days, "long"), ("duration-hour", hours, length)]
        else:
            parts = [("duration-hour", hours, length), ("duration-minute", minutes, length)]
        shown = [
            format_unit(amount, unit, length=width, locale=self.locale)
            for unit, amount, width in parts
            if amount
        ] or [format_unit(0, "duration-minute", length=length, locale=self.locale)]
        said = format_list(shown, style=style, locale=self.locale)
        return _UNIT_SPACE.sub("", said) if self.code in UNSPACED else said


@functools.lru_cache(maxsize=4096)
def _clock(code: str, hour: int, minute: int) -> str:
    """A time of day, as the language writes it (11:25 AM; 11:25)."""
    return format_time(time(hour, minute), "short", locale=words(code).locale)


@functools.lru_cache(maxsize=16384)
def _duration(code: str, minutes: int) -> str:
    return words(code)._duration(minutes)


@functools.lru_cache(maxsize=16384)
def _day(code: str, value: date) -> str:
    return format_date(value, "medium", locale=words(code).locale)


#: Each zone's name at a moment, by what tells its moments apart: its offset, its daylight
#: saving and its abbreviation then.
_ZONE_NAMES: dict[tuple[str, str, timedelta | None, timedelta | None, str | None], str] = {}


def _rounded(length: timedelta) -> tuple[int, Literal["minute", "hour", "day"]]:
    minutes = max(0, round(length.total_seconds() / 60))
    if minutes < 120:
        return minutes, "minute"
    hours = minutes // 60
    if hours < 48:
        return hours, "hour"
    return hours // 24, "day"


@functools.cache
def words(code: str) -> Words:
    """The words of a shipped language (KeyError for another)."""
    if code not in SHIPPED:
        raise KeyError(code)
    return Words(code)

"""The catalogs read as their languages are written: one word per concept (each language's
glossary), plurals written per form, and each script's own punctuation and spacing.

A reviewer's findings that a machine can keep found: Brazilian Portuguese once said
"Falha" and "Interrupção" for the same outage; Arabic wrote one string for its six plural
forms; Japanese and Chinese carried ASCII colons and spaces a native reader would not write.
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from generator.language import LOCALES, SHIPPED, SOURCE, catalog_path, locale_id

OTHERS = [code for code in SHIPPED if code != SOURCE]
#: A glossary: for each concept, its term, the forms a message may use, a note, and the
#: messages excepted.
Glossary = Mapping[str, Mapping[str, Any]]

#: Each concept of the glossaries, and how the English says it.
CONCEPTS = {
    "outage": r"\boutages?\b",
    "partial outage": r"\bpartial (system )?outage",
    "major outage": r"\bmajor (system )?outage",
    "minor outage": r"\bminor (service )?outage",
    "degraded": r"\bdegraded\b",
    "maintenance": r"\bmaintenance\b",
    "update": r"\bupdates?\b",
    "incident": r"\bincidents?\b",
    "resolved": r"\bresolved\b",
    "component": r"\bcomponents?\b",
}
#: Scripts with punctuation of their own: ASCII , ; ? : is a slip there. Arabic has no
#: colon of its own (U+003A is its colon), so only , ; ? are its slips.
OWN_PUNCTUATION = {"ja": ",;?:", "zh-Hans": ",;?:", "ar": ",;?"}
#: Languages written without spaces between words.
UNSPACED = ("ja", "zh-Hans")
#: Arabic's marks that a glossary's forms are written without: harakat, shadda, the
#: superscript alef, and the tatweel that only stretches a word.
_ARABIC_MARKS = re.compile("[\u064b-\u0652\u0670\u0640]")


@cache
def catalog(code: str) -> Catalog:
    with catalog_path(code).open("rb") as po:
        return read_po(po, locale=locale_id(code))


def glossary_path(code: str) -> Path:
    return LOCALES / locale_id(code) / "glossary.yml"


@cache
def glossary(code: str) -> Glossary:
    loaded = yaml.safe_load(glossary_path(code).read_text(encoding="utf-8"))
    assert isinstance(loaded, dict), glossary_path(code)
    return loaded


def forms_of(message: Message) -> tuple[str, ...]:
    string = message.string
    return tuple(string) if isinstance(string, tuple | list) else (string or "",)


def english(message: Message) -> tuple[str, ...]:
    return tuple(message.id) if isinstance(message.id, tuple | list) else (message.id,)


def normalized(text: str) -> str:
    return _ARABIC_MARKS.sub("", unicodedata.normalize("NFC", text)).casefold()


def messages(code: str) -> list[Message]:
    return [m for m in catalog(code) if m.id]


@pytest.mark.parametrize("code", OTHERS)
def test_each_language_has_a_glossary_of_every_concept(code: str) -> None:
    terms = glossary(code)
    assert list(terms) == list(CONCEPTS), glossary_path(code)
    for concept, entry in terms.items():
        assert isinstance(entry, dict)
        assert set(entry) <= {"term", "forms", "note", "except", "avoid"}
        forms = entry["forms"]
        assert isinstance(forms, list) and all(isinstance(f, str) and f for f in forms)
        assert normalized(str(entry["term"])) in map(normalized, forms), (code, concept)


def strays(messages: list[Message], glossary: Glossary) -> list[str]:
    """Where the English says a concept and a form of the translation does not say it with
    the glossary's word (or one of its inflections), or says a word the glossary avoids
    for it (pt-BR's "falha" beside "interrupção")."""
    found = []
    for concept, entry in glossary.items():
        said = re.compile(CONCEPTS[concept], re.IGNORECASE)
        forms = [normalized(str(f)) for f in entry["forms"]]
        avoided = [normalized(str(word)) for word in entry.get("avoid") or []]
        excepted = set(entry.get("except") or [])
        for message in messages:
            # a placeholder's name is no word of the sentence: %(component)s
            says = [_PLACEHOLDER.sub("", text) for text in english(message)]
            if english(message)[0] in excepted or not any(map(said.search, says)):
                continue
            for form in forms_of(message):
                if not any(word in normalized(form) for word in forms):
                    found.append(f"{concept}: {english(message)[0]!r} -> {form!r}")
                found += [
                    f"{concept}: {english(message)[0]!r} -> {form!r} says {word!r}"
                    for word in avoided
                    if word in normalized(form)
                ]
    return found


def plural_faults(messages: list[Message], plural_forms: str) -> list[str]:
    """Where the English singular and plural differ but the language's do not (when it
    has more than one form); where the language has a dual (Arabic), one, two and three
    that are not three different strings, and where the English forms differ, three and
    eleven that are the same (Arabic counts 3 to 10 with a plural, 11 to 99 with a
    singular: 3 أيام, 11 يومًا)."""
    count = int(re.search(r"nplurals=(\d+)", plural_forms).group(1))  # type: ignore[union-attr]
    rule = re.search(r"plural=(.*?);?$", plural_forms).group(1)  # type: ignore[union-attr]
    pick = gettext.c2py(rule)
    dual = len({pick(1), pick(2), pick(3)}) == 3
    found = []
    for message in messages:
        if not message.pluralizable or count == 1:
            continue
        forms = forms_of(message)
        one, two, three, eleven = (forms[pick(n)] for n in (1, 2, 3, 11))
        differs = message.id[0] != message.id[1]
        if (dual and (len({one, two, three}) < 3 or (differs and three == eleven))) or (
            not dual and differs and one == two
        ):
            found.append(f"{english(message)[0]!r}: {forms}")
    return found


def punctuation_slips(messages: list[Message], slips: str) -> list[str]:
    return [form for m in messages for form in forms_of(m) if any(s in form for s in slips)]


#: A space with an ASCII letter or digit on both sides: "Statuspage v2".
_LATIN_SPACE = re.compile(r"(?<=[A-Za-z0-9]) (?=[A-Za-z0-9])")
_PLACEHOLDER = re.compile(r"%\([a-z_]+\)s")


def space_slips(messages: list[Message]) -> list[str]:
    """A space that is not between two Latin words: none beside a placeholder, whose
    value may be Japanese or Chinese itself (2026年11月, 1小时6分钟)."""
    return [
        form
        for m in messages
        for form in forms_of(m)
        if " " in _LATIN_SPACE.sub("", _PLACEHOLDER.sub("\0", form))
    ]


@pytest.mark.parametrize("code", OTHERS)
def test_every_message_uses_the_glossarys_word(code: str) -> None:
    """One word for one thing, in every message that speaks of it."""
    assert strays(messages(code), glossary(code)) == [], glossary_path(code)


@pytest.mark.parametrize("code", OTHERS)
def test_an_exception_names_a_message_that_exists(code: str) -> None:
    known = {english(m)[0] for m in messages(code)}
    for entry in glossary(code).values():
        assert set(entry.get("except") or []) <= known


@pytest.mark.parametrize("code", OTHERS)
def test_plurals_are_written_per_form(code: str) -> None:
    assert plural_faults(messages(code), catalog(code).plural_forms) == []


@pytest.mark.parametrize("code", list(OWN_PUNCTUATION))
def test_each_script_has_its_own_punctuation(code: str) -> None:
    assert punctuation_slips(messages(code), OWN_PUNCTUATION[code]) == []


@pytest.mark.parametrize("code", UNSPACED)
def test_japanese_and_chinese_have_no_space_between_words(code: str) -> None:
    assert space_slips(messages(code)) == []


def made(
    locale: str, *entries: tuple[str | tuple[str, str], str | tuple[str, ...]]
) -> list[Message]:
    built = Catalog(locale=locale)
    for msgid, string in entries:
        built.add(msgid, string)
    return [m for m in built if m.id]


def test_the_checks_catch_what_the_review_found() -> None:
    """Each check fails on the fault it was written for (a check that cannot fail is no
    check), and passes its fix."""
    outage = {"term": "Interrupção", "forms": ["Interrupção"]}
    glossary = {"outage": outage}
    assert strays(made("pt_BR", ("Partial outage", "Falha parcial")), glossary)
    assert not strays(made("pt_BR", ("Partial outage", "Interrupção parcial")), glossary)
    avoided = {"outage": {**outage, "avoid": ["falha"]}}
    assert strays(made("pt_BR", ("Partial outage", "Falha parcial (interrupção)")), avoided)
    component = {"component": {"term": "Komponente", "forms": ["Komponente"]}}
    assert not strays(made("de", ("%(component)s: %(condition)s", "%(component)s: x")), component)
    arabic = {"resolved": {"term": "حُلّ", "forms": ["حُلّ", "يُحَلّ"]}}
    assert not strays(made("ar", ("Nothing resolved yet.", "لم يحل أي عطل بعد.")), arabic)

    ar = catalog("ar").plural_forms
    more = ("; and %(num)s more", "; and %(num)s more")
    assert plural_faults(made("ar", (more, ("و%(num)s أخرى",) * 6)), ar)
    written = ("و%(num)s أخرى", "وواحد آخر", "واثنان آخران") + ("و%(num)s أخرى",) * 3
    assert not plural_faults(made("ar", (more, written)), ar)
    ago = ("%(num)s day ago", "%(num)s days ago")
    days = ("اليوم", "قبل يوم", "قبل يومين") + ("قبل %(num)s أيام",) * 3
    assert plural_faults(made("ar", (ago, days)), ar)  # "قبل 11 أيام"
    counted = ("اليوم", "قبل يوم", "قبل يومين", "قبل %(num)s أيام", "قبل %(num)s يومًا", "x")
    assert not plural_faults(made("ar", (ago, counted)), ar)
    de = catalog("de").plural_forms
    assert plural_faults(made("de", (ago, ("vor %(num)s Tag",) * 2)), de)
    assert not plural_faults(made("de", (more, ("; und %(num)s weitere",) * 2)), de)

    assert punctuation_slips(made("ja", ("Where:", "地域:")), ",;?:")
    assert not punctuation_slips(made("ja", ("Where:", "地域：")), ",;?:")
    assert space_slips(made("ja", ("%(num)s entry", "%(num)s 件")))
    assert not space_slips(made("ja", ("Tools: %(api)s", "ツール：Statuspage v2")))

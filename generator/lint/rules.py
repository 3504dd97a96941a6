"""``statusgen lint``: advice on outage communication, rule by rule.

Valid YAML can still be a bad status update. Each rule looks for one habit that fails
customers during an outage: a late first word, a silence past a promise, blame, a fix time
nobody can know, jargon, an empty formula where an apology belongs, internal detail in
public, an all clear that does not say what works. Words are matched from the word list of
the site's language (``wordlists/<language>.yml``), not from code.

Every finding is a warning; ``--strict`` makes any of them fail. Rules can be turned off
for the site (``lint.disable``) or for one incident (``lint: {ignore: [...]}``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

import yaml

from generator.core import rules
from generator.core.diagnostics import Diagnostic, Mark
from generator.core.model import TRANSLATED_FIELDS, Incident, SiteConfig, Untranslated, Update
from generator.core.times import elapsed
from generator.language import SOURCE, words

WORDLISTS = Path(__file__).resolve().parent / "wordlists"
#: A serious incident lasting longer than this should mention a workaround.
WORKAROUND_AFTER = timedelta(hours=1)
#: An all clear shorter than this many words cannot say what works again.
ALL_CLEAR_WORDS = 6


#: Rules that fire on a phrase of their word list: rule, message and suggestion. Jargon
#: fires only without words of the customers' experience, downplay only when it is serious.
PHRASE_RULES = (
    (
        "blame",
        "'{found}' puts the blame on someone else",
        "take responsibility: say what you are doing about it, not whose fault it is",
    ),
    (
        "overpromise",
        "'{found}' promises what nobody can know yet",
        "promise the time of the next update instead of a fix time",
    ),
    (
        "downplay",
        "'{found}' makes a {impact} incident sound small",
        "say plainly what does not work and for whom",
    ),
    (
        "jargon",
        "'{found}' speaks of internal causes without saying what customers experience",
        'say what customers see first ("customers cannot sign in"), the cause after',
    ),
    (
        "cliche",
        "'{found}' is a formula, not an apology",
        'apologise for what happened to them: "we are sorry that you could not take payments '
        'for an hour"',
    ),
)


@dataclass(frozen=True)
class WordLists:
    """The compiled word lists of one language."""

    lists: dict[str, tuple[re.Pattern[str], ...]]

    def knows(self, kind: str) -> bool:
        """Whether this language has the list ``kind`` (rules that need it are skipped
        where it has none)."""
        return kind in self.lists

    def find(self, kind: str, text: str) -> str | None:
        """The first phrase of the list ``kind`` found in ``text``."""
        for pattern in self.lists.get(kind, ()):
            match = pattern.search(text)
            if match:
                return match.group(0)
        return None


#: The lists that are patterns, not words: they apply to every language.
PATTERNS = ("tickets", "mentions", "hostnames")


def word_lists(language: str) -> WordLists:
    """The word lists of a BCP 47 language tag; for a language without any, only the
    patterns that need no words (English's)."""
    path = WORDLISTS / f"{language.split('-')[0].lower()}.yml"
    if path.is_file():
        return _load(path)
    english = _load(WORDLISTS / "en.yml")
    return WordLists({kind: english.lists[kind] for kind in PATTERNS})


@cache
def _load(path: Path) -> WordLists:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return WordLists(
        {
            kind: tuple(re.compile(pattern, re.IGNORECASE) for pattern in patterns)
            for kind, patterns in data.items()
        }
    )


@dataclass(frozen=True)
class Finding:
    rule: str
    mark: Mark
    message: str
    hint: str


#: How far ahead of now an update may be dated before lint asks (a clock a little ahead).
FUTURE_SLACK = timedelta(minutes=5)
#: The language lint's messages are written in; a date in them is the site's.
SPEAKS = words(SOURCE)


def _span(length: timedelta) -> str:
    """A length of time in the messages' words, rounded as pages round relative times."""
    return SPEAKS.span(length)


class _Linter:
    """The rules, judging one language of the site: the default one every rule, another
    one the rules of words (with its own lists) on the texts written in it, and whether
    any text lacks it."""

    def __init__(self, config: SiteConfig, now: datetime, language: str) -> None:
        self.config = config
        self.now = now
        self.language = language
        self.default = language == config.default_language
        self.lists = word_lists(language)
        # dates as the site's pages write them (its default language's CLDR formats)
        self.dates = words(config.default_language)
        self.people = [
            re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.IGNORECASE)
            for name in config.lint.people
        ]

    def findings(self, incident: Incident) -> Iterator[Finding]:
        checks: list[Callable[[Incident], Iterator[Finding]]] = (
            [
                self.late_acknowledgement,
                self.stale,
                self.missed_promise,
                self.message_rules,
                self.no_apology,
                self.overshare_fields,
                self.weak_all_clear,
                self.no_workaround,
            ]
            if self.default
            else [
                self.message_rules,
                self.overshare_fields,
                self.weak_all_clear,
                self.missing_translation,
            ]
        )
        shown = incident.in_language(self.language, self.config.default_language)
        for check in checks:
            yield from check(shown)

    def missing_translation(self, incident: Incident) -> Iterator[Finding]:
        language, default = self.language, self.config.default_language
        fields = [
            (name, incident.marks.get(name, Mark(1, 1)))
            for name in TRANSLATED_FIELDS
            if isinstance(getattr(incident, name), Untranslated)
        ]
        fields += [
            ("message", update.mark)
            for update in incident.updates
            if isinstance(update.message, Untranslated)
        ]
        for name, mark in fields:
            yield Finding(
                "missing-translation",
                mark,
                f"'{name}' has no {language} text: the {language} pages show it in {default}",
                f"write it as a mapping by language, with '{language}: ...' beside "
                f"'{default}: ...'",
            )

    # time --------------------------------------------------------------------------------

    def late_acknowledgement(self, incident: Incident) -> Iterator[Finding]:
        if incident.is_maintenance:
            return
        allowed = timedelta(minutes=self.config.lint.acknowledge_minutes)
        first = incident.first_update
        if elapsed(incident.start, first.at) > allowed:
            yield Finding(
                "late-acknowledgement",
                first.mark,
                f"the first update came {_span(elapsed(incident.start, first.at))} after the "
                f"incident started (more than {_span(allowed)})",
                "post a short first update at once, even before the cause is known",
            )

    def stale(self, incident: Incident) -> Iterator[Finding]:
        if incident.is_maintenance or incident.is_resolved:
            return
        latest = incident.latest_update
        every = timedelta(minutes=self.config.lint.update_every_minutes)
        if latest.next_update is not None and latest.next_update < self.now:
            yield Finding(
                "stale",
                latest.mark,
                "the next update was promised for "
                f"{self.dates.when(latest.next_update, self.config.timezone)}, "
                f"{SPEAKS.ago(elapsed(latest.next_update, self.now))}",
                "post an update now, even if there is no news, and promise the next one",
            )
        elif elapsed(latest.at, self.now) > every:
            yield Finding(
                "stale",
                latest.mark,
                f"the latest update is {_span(elapsed(latest.at, self.now))} old (more than "
                f"{_span(every)}) and the incident is still open",
                "post an update, even if there is no news, and promise the next one",
            )

    def missed_promise(self, incident: Incident) -> Iterator[Finding]:
        for previous, update in zip(incident.updates, incident.updates[1:], strict=False):
            promised = previous.next_update
            if promised is not None and update.at > promised:
                yield Finding(
                    "missed-promise",
                    update.mark,
                    f"this update came {_span(elapsed(promised, update.at))} after the time the "
                    "previous one promised",
                    "keep promises of the next update, or post a short one on time",
                )

    # words -------------------------------------------------------------------------------

    def message_rules(self, incident: Incident) -> Iterator[Finding]:
        serious = rules.is_serious(incident.kind, incident.impact)
        for update in incident.updates:
            text = update.message
            if isinstance(text, Untranslated):
                continue  # judged in its own language
            for rule, message, hint in PHRASE_RULES:
                if rule == "downplay" and not serious:
                    continue
                found = self.lists.find(rule, text)
                if found is None or (rule == "jargon" and self.lists.find("experience", text)):
                    continue
                yield Finding(
                    rule, update.mark, message.format(found=found, impact=incident.impact), hint
                )
            yield from self._overshare(text, update.mark)

    def _overshare(self, text: str, mark: Mark) -> Iterator[Finding]:
        hint = "move it under 'internal:', which is never published"
        for kind, what in (
            ("tickets", "a ticket key"),
            ("mentions", "an @mention"),
            ("hostnames", "an internal hostname"),
        ):
            found = self.lists.find(kind, text)
            if found:
                yield Finding("overshare", mark, f"'{found}' is {what}", hint)
        for person in self.people:
            match = person.search(text)
            if match:
                yield Finding(
                    "overshare",
                    mark,
                    f"'{match.group(0)}' is a name listed in lint.people",
                    "speak as the company (\"we\"); move names under 'internal:'",
                )

    def overshare_fields(self, incident: Incident) -> Iterator[Finding]:
        for name in TRANSLATED_FIELDS:
            text = getattr(incident, name)
            if text and not isinstance(text, Untranslated):
                yield from self._overshare(text, incident.marks.get(name, Mark(1, 1)))

    def no_apology(self, incident: Incident) -> Iterator[Finding]:
        if not rules.is_serious(incident.kind, incident.impact) or not incident.is_resolved:
            return
        if not self.lists.knows("apology"):
            return
        if not any(self.lists.find("apology", u.message) for u in incident.updates):
            yield Finding(
                "no-apology",
                self._all_clear(incident).mark,
                f"this {incident.impact} incident is resolved without an apology",
                "say you are sorry, for what it did to customers",
            )

    def weak_all_clear(self, incident: Incident) -> Iterator[Finding]:
        if incident.is_maintenance or not incident.is_resolved:
            return
        if not self.lists.knows("works_again"):
            return
        update = self._all_clear(incident)
        text = update.message
        if isinstance(text, Untranslated):
            return
        bare = self.lists.find("bare_all_clear", text)
        if bare or len(text.split()) < ALL_CLEAR_WORDS or not self.lists.find("works_again", text):
            yield Finding(
                "weak-all-clear",
                update.mark,
                "the all clear does not say what works again",
                'name it: "Sign-in works again for everyone since 11:02"',
            )

    def no_workaround(self, incident: Incident) -> Iterator[Finding]:
        if not rules.is_serious(incident.kind, incident.impact) or incident.workaround:
            return
        if not self.lists.knows("workaround"):
            return
        end = incident.resolved_at or self.now
        if elapsed(incident.start, end) <= WORKAROUND_AFTER:
            return
        if not any(self.lists.find("workaround", u.message) for u in incident.updates):
            yield Finding(
                "no-workaround",
                incident.marks.get("title", Mark(1, 1)),
                f"this {incident.impact} incident lasted {_span(elapsed(incident.start, end))} "
                "and never mentions a workaround",
                "add 'workaround:' with what customers can do meanwhile, or say there is none",
            )

    @staticmethod
    def _all_clear(incident: Incident) -> Update:
        """The update that resolved the incident: the latest resolved one."""
        return next(
            (u for u in reversed(incident.updates) if u.status == "resolved"),
            incident.latest_update,
        )


def _future_updates(incident: Incident, now: datetime) -> Iterator[Finding]:
    """Updates dated more than a few minutes after ``now``: a typo of a day or a month
    hides them until then."""
    for update in incident.updates:
        ahead = elapsed(now, update.at)
        if ahead > FUTURE_SLACK:
            yield Finding(
                "future-update",
                update.mark,
                f"this update is dated {_span(ahead)} after now: readers will not see it "
                "until then",
                "check its date (a day or a month too far?); a maintenance announces its "
                "window with scheduled:, not with a future update",
            )


def lint(config: SiteConfig, incidents: tuple[Incident, ...], now: datetime) -> list[Diagnostic]:
    """Every finding of every enabled rule, in each of the site's languages, as warnings."""
    linters = [_Linter(config, now, language) for language in config.languages]
    disabled = config.lint.disable
    found = []
    for original in incidents:
        incident = original.as_of(now)
        findings = list(_future_updates(original, now))  # the rest judge what shows at now
        if incident is not None:
            findings += [f for linter in linters for f in linter.findings(incident)]
        for finding in findings:
            if finding.rule in disabled or finding.rule in original.lint_ignore:
                continue
            found.append(
                Diagnostic(
                    original.path,
                    finding.mark.line,
                    finding.mark.col,
                    finding.message,
                    finding.hint,
                    severity="warning",
                    rule=finding.rule,
                )
            )
    return found

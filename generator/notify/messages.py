"""What a customer reads in a notification, in the form each service takes.

A message holds what the page answers in one glance: the site, the incident, its status
and impact, what is affected and where, the update's text, the workaround, the next
promised update (the all clear: the compensation) and the link to the incident page.
Email gets HTML (the Markdown rendered and sanitized as on the page), chat gets the
Markdown, SMS and push get plain text. With a length (the channel's, or a short service's
own, such as an SMS), the whole message is plain text that fits: the update's text is
shortened first, then the least needed lines go; the link is never cut, but where the
incident's own link would leave the update's text less than MIN_TEXT characters, the
incident's short link (``i/<short id>/``) stands in for it. A message to an SMS is written
in GSM-7 where it can be (``gsm.py``), and counted as an SMS counts it.

A reminder before a maintenance window says how soon it starts in its headline ("Starts
in 24 hours: Database upgrade - Acme Cloud Status"), then the start in the site's zone
and the maintenance's latest text, the window and what is affected, and the link.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from markupsafe import Markup

from generator.channels import Format, Tone
from generator.core import rules
from generator.core.model import Incident, SiteConfig, Update
from generator.core.routes import Routes
from generator.input.theme import theme_dirs
from generator.language import Words
from generator.notify import gsm
from generator.notify.events import Event, Transition
from generator.outputs.markup import to_text
from generator.outputs.writing import Affected, Writing, text

#: The update's text is not shortened below this before other lines make room for it.
MIN_TEXT = 40
ELLIPSIS = "\u2026"


@dataclass(frozen=True)
class Alphabet:
    """How a length-limited message is written and counted."""

    plain: Callable[[str], str]
    size: Callable[[str], int]
    ellipsis: str


#: Any character, each counted once.
UNICODE = Alphabet(lambda text: text, len, ELLIPSIS)
#: An SMS's: GSM-7 where a plain form says the same, its extension characters counted twice.
GSM7 = Alphabet(gsm.plain, gsm.size, "...")
#: An SMS's that cannot be GSM-7 (Japanese, Arabic): every character as it is, in UTF-16 units.
UCS2 = Alphabet(lambda text: text, gsm.ucs2_size, ELLIPSIS)


def transition_text(transition: Transition | None, said: Words) -> str:
    """What a maintenance's automatic start or end says, as the page shows it."""
    if transition == "started":
        return said.gettext("The planned maintenance has started.")
    return said.gettext("The planned maintenance window has ended.")


@dataclass(frozen=True)
class Message:
    """One message for one service: the title (empty where the body holds it)."""

    title: str
    body: str
    format: Format
    tone: Tone


@dataclass(frozen=True)
class _Parts:
    writing: Writing
    headline: str
    #: The impact, the window, what is affected and where, in the page's sentences (HTML).
    facts: str
    #: The update's text as written (Markdown), or a transition's sentence.
    text: str
    workaround: str | None
    #: The promise of the next update, in the page's sentence (HTML).
    next_update: str | None
    compensation: str | None
    link: str
    #: The incident's short link, where the site publishes one.
    short_link: str | None = None

    @property
    def said(self) -> Words:
        return self.writing.said

    @property
    def facts_text(self) -> str:
        return text(self.facts)


class Composer:
    """Messages of a site's events."""

    def __init__(
        self,
        config: SiteConfig,
        routes: Routes,
        theme: Sequence[Path] | None = None,
        shorts: Mapping[str, str] | None = None,
        now: datetime | None = None,
    ) -> None:
        self.config = config
        self.routes = routes
        #: the moment messages are sent at, which a reminder counts from (None: its due time)
        self.now = now
        #: each incident's short id (``routes.short_ids``), for its short link
        self.shorts = dict(shorts or {})
        self.names = {component.id: component.name for component in config.components}
        #: the templates messages are written in: the site's theme, then statusgen's
        self.theme = list(theme) if theme is not None else theme_dirs(config.path.parent)
        self._writing: dict[str, Writing] = {}

    def writing(self, language: str) -> Writing:
        if language not in self._writing:
            self._writing[language] = Writing(self.config, self.theme, language)
        return self._writing[language]

    def message(
        self,
        event: Event,
        form: Format,
        titled: bool,
        length: int | None,
        language: str | None = None,
        sms: bool = False,
    ) -> Message:
        """The message ``event`` makes for a service that shows ``form``, in ``language``
        (the site's default when None); with ``length``, plain text that fits in it, title
        included; for an ``sms``, plain text in GSM-7 where it can be."""
        parts = self._parts(event, language or self.config.default_language)
        tone = _tone(event)
        if length is not None and sms:
            return Message("", _fit_sms(parts, length), "text", tone)
        if length is not None:
            return Message("", _fit(parts, length, UNICODE), "text", tone)
        if sms:
            return Message("", gsm.plain(_text(parts, with_headline=True)), "text", tone)
        # A service that shows no title apart gets the headline in the body, once, in the
        # body's own markup: Apprise would put the title there as it is, where a title's
        # "_" or "*" breaks a strict service's Markdown (Telegram refuses the message).
        if form == "html":
            if titled:
                return Message(parts.headline, _html(parts), "html", tone)
            return Message("", _html(parts, headline=parts.headline), "html", tone)
        if form == "markdown":
            body = _markdown(parts)
            if titled:
                return Message(parts.headline, body, "markdown", tone)
            return Message("", f"{_literal(parts.headline)}\n\n{body}", "markdown", tone)
        if not titled:
            return Message("", _text(parts, with_headline=True), "text", tone)
        return Message(parts.headline, _text(parts, with_headline=False), "text", tone)

    def _parts(self, event: Event, language: str) -> _Parts:
        writing = self.writing(language)
        said = writing.said
        incident = event.incident.in_language(language, self.config.default_language)
        update = None
        if event.update is not None:
            update = next(u for u in incident.updates if u.id == event.update.id)
        over = event.kind == "resolved" or event.transition == "ended"
        facts = writing.macros.facts(incident, self._affected(incident, update, over))
        next_update = None
        if update is not None and update.next_update is not None and not over:
            # a message is dated by its channel and read about when it is sent: a promise
            # for the update's own day is a time of day, as on the page
            next_update = str(writing.macros.next_update(update.next_update, update.at))
        compensation = incident.compensation if event.kind == "resolved" else None
        routes = Routes(self.routes.base_url + self.config.prefix(language))
        short = self.shorts.get(incident.id)
        if event.starts is not None:
            headline, said_text = self._reminder(event, incident, said)
        else:
            headline = said.gettext(
                "%(status)s: %(title)s - %(site)s",
                status=said.label("status", event.status),
                title=incident.title,
                site=self.config.name,
            )
            said_text = (
                update.message if update is not None else transition_text(event.transition, said)
            )
        return _Parts(
            writing=writing,
            headline=headline,
            facts=str(facts),
            text=said_text,
            workaround=None if over else incident.workaround,
            next_update=next_update,
            compensation=compensation,
            link=routes.incident(incident.id),
            short_link=routes.short(short) if short else None,
        )

    def _reminder(self, event: Event, incident: Incident, said: Words) -> tuple[str, str]:
        """A reminder's headline and text: how soon the window opens (counted from the
        moment it is sent), when, in the site's zone, and what the maintenance's latest
        update says of it."""
        starts = event.starts
        assert starts is not None
        within = said.within(starts - (self.now or event.at))
        headline = said.gettext(
            "Starts %(when)s: %(title)s - %(site)s",
            when=within,
            title=incident.title,
            site=self.config.name,
        )
        sentence = said.gettext(
            "The planned maintenance starts %(when)s: %(time)s.",
            when=within,
            time=said.when(starts, self.config.timezone),
        )
        return headline, f"{_literal(sentence)}\n\n{incident.latest_update.message}"

    def _affected(self, incident: Incident, update: Update | None, over: bool) -> Affected:
        """Each component it names, with its condition while it is not over (as the page
        tells it: "Public API (operational)" once the API is back, the incident still open)."""
        if update is not None:
            statuses = dict(update.statuses)
        else:  # a maintenance's start: what its updates declare
            statuses = dict(incident.components)
            for earlier in incident.updates:
                statuses.update(earlier.declared)
        return [
            (self.names.get(component, component), None if over else status)
            for component, status in statuses.items()
        ]


_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]])")


def _literal(text: str) -> str:
    """``text`` as CommonMark that reads as the text itself: every punctuation mark that
    could start markup escaped with a backslash."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", text)


def _tone(event: Event) -> Tone:
    if event.kind == "resolved" or event.transition == "ended":
        return "success"
    incident = event.incident
    if rules.is_serious(incident.kind, incident.impact):
        return "failure"
    return "warning" if not incident.is_maintenance and incident.impact == "minor" else "info"


def _text(parts: _Parts, with_headline: bool) -> str:
    lines = [parts.headline] if with_headline else []
    lines += [parts.facts_text, to_text(parts.text)]
    if parts.workaround:
        lines.append(parts.said.gettext("Workaround: %(text)s", text=to_text(parts.workaround)))
    if parts.next_update:
        lines.append(text(parts.next_update))
    if parts.compensation:
        lines.append(parts.said.gettext("Compensation: %(text)s", text=to_text(parts.compensation)))
    lines.append(parts.link)
    return "\n\n".join(lines)


def _markdown(parts: _Parts) -> str:
    said = parts.said

    def headed(heading: str, body: str) -> str:  # **Workaround:** text; **回避策**：text
        return said.gettext("**%(label)s:** %(text)s", label=heading, text=body.strip())

    blocks = [parts.facts_text, parts.text.strip()]
    if parts.workaround:
        blocks.append(headed(said.gettext("Workaround"), parts.workaround))
    if parts.next_update:
        blocks.append(text(parts.next_update))
    if parts.compensation:
        blocks.append(headed(said.gettext("Compensation"), parts.compensation))
    blocks.append(parts.link)
    return "\n\n".join(blocks)


def _html(parts: _Parts, headline: str = "") -> str:
    return parts.writing.render(
        "email.html",
        headline=headline,
        facts=Markup(parts.facts),
        text=parts.text,
        workaround=parts.workaround,
        next_update=Markup(parts.next_update) if parts.next_update else None,
        compensation=parts.compensation,
        link=parts.link,
    )


def _fit_sms(parts: _Parts, length: int) -> str:
    """Plain text in as many SMS as ``length`` places of GSM-7 make: in GSM-7 when it
    can be; otherwise it goes in UCS-2, where the same SMS hold fewer characters (70 in
    one), and it is fitted again to those."""
    fitted = _fit(parts, length, GSM7)
    if gsm.fits(fitted):
        return fitted
    return _fit(parts, gsm.ucs2_room(length), UCS2)


def _fit(parts: _Parts, length: int, alphabet: Alphabet = UNICODE) -> str:
    """Plain text of at most ``length`` characters (as ``alphabet`` counts them) with the
    link whole: the update's text is shortened first; when it would drop under MIN_TEXT,
    the least needed line goes (compensation, workaround, next update, then the facts),
    then the headline is shortened (to no less than MIN_TEXT) to leave the text MIN_TEXT.
    Only a link longer than ``length`` makes a longer message: the link alone."""
    plain, size = alphabet.plain, alphabet.size
    headline = plain(parts.headline)
    body = plain(to_text(parts.text).replace("\n", " "))
    extras = [plain(parts.facts_text)]
    if parts.next_update:
        extras.append(plain(text(parts.next_update)))
    if parts.workaround:
        workaround = to_text(parts.workaround).replace("\n", " ")
        extras.append(plain(parts.said.gettext("Workaround: %(text)s", text=workaround)))
    if parts.compensation:
        compensation = to_text(parts.compensation).replace("\n", " ")
        extras.append(plain(parts.said.gettext("Compensation: %(text)s", text=compensation)))
    needed = min(MIN_TEXT, size(body))
    link = _link(parts, length - size(headline) - 2, needed, size)

    def joined(headline: str, said: str, kept: list[str]) -> str:
        return "\n".join(line for line in (headline, said, *kept, link) if line)

    for keep in range(len(extras), -1, -1):
        kept = extras[:keep]
        room = length - size(joined(headline, "", kept)) - 1
        if size(body) <= room:
            return joined(headline, body, kept)
        if room >= MIN_TEXT:
            return joined(headline, _shorten(body, room, alphabet), kept)
    return _squeezed(headline, body, link, length - size(link) - 1, needed, alphabet)


def _squeezed(
    headline: str, body: str, link: str, room: int, needed: int, alphabet: Alphabet
) -> str:
    """The headline and the text in ``room`` (a line each, then the link) when the whole
    headline leaves the text less than ``needed``: the headline shortened to leave it
    ``needed`` where the headline keeps MIN_TEXT; else the text what is left; else the
    headline alone."""
    size, least = alphabet.size, alphabet.size(alphabet.ellipsis) + 1
    if room - 1 - needed >= MIN_TEXT and needed > 0:
        headline = _shorten(headline, room - 1 - needed, alphabet)
    left = room - size(headline) - 1
    if body and left >= min(least, size(body)):
        return "\n".join((headline, _shorten(body, left, alphabet), link))
    if room >= least:
        return "\n".join((_shorten(headline, room, alphabet), link))
    return link


def _link(parts: _Parts, room: int, needed: int, size: Callable[[str], int]) -> str:
    """The incident's link, or its short link where the link would leave the update's
    text less than ``needed`` of the ``room`` beside the headline."""
    if parts.short_link is None or room - size(parts.link) >= needed:
        return parts.link
    return parts.short_link


def _shorten(text: str, room: int, alphabet: Alphabet = UNICODE) -> str:
    """``text`` in at most ``room`` characters, cut at a word where one is near, with an
    ellipsis."""
    size, ellipsis = alphabet.size, alphabet.ellipsis
    if size(text) <= room:
        return text
    cut = text[: room - size(ellipsis)]
    while cut and size(cut) + size(ellipsis) > room:
        cut = cut[:-1]
    space = cut.rfind(" ")
    if space > room // 2:
        cut = cut[:space]
    return cut.rstrip(" ,.;:") + ellipsis

"""One way to write for readers: the Jinja environment every text a reader sees is made in.

The pages, the feed entries, the embed page, the emails and the page's footer are rendered
from the templates in ``theme/statusgen/``, and the sentences they share are written once,
as macros of ``macros.html``: a time, a status, the affected components and where, an
update. A feed entry carries the update as the incident page shows it; an email is made of
the same sentences as the page; a message that takes no markup (chat, SMS, push) is their
text (:func:`text`). So the same sentence reads the same everywhere, in every language.

Everything is escaped (mkdocs' own Jinja does not escape); incident text is Markdown made
safe by ``markup.py``. This is the only module that imports jinja2 (the page shell renders
its own templates in mkdocs' environment).
"""

from __future__ import annotations

import html as html_module
import re
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from types import BuiltinFunctionType, FunctionType, MethodType
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError
from jinja2.runtime import Context, Macro
from jinja2.utils import internalcode
from markupsafe import Markup, escape

from generator.core import routes
from generator.core.errors import ThemeError
from generator.core.model import SiteConfig, Untranslated, Update
from generator.core.times import format_utc
from generator.core.vocabulary import ComponentStatus, short_status
from generator.language import Words, words
from generator.outputs.markup import CJK_BREAK, to_html

#: What the affected components are, as (name, status), the status None where only the
#: name is told (a component back to operational, an incident that is over).
Affected = Sequence[tuple[str, ComponentStatus | None]]


def _marked(value: Any) -> Any:
    """Every value a template prints: a text shown in place of a missing translation
    carries its language, for screen readers and for the reader's own eyes."""
    if isinstance(value, Untranslated):
        return _in_its_language("span", value.lang, str(value))
    return value


def _in_its_language(tag: str, language: str, content: str) -> Markup:
    """``content`` (escaped unless Markup) marked with its own language and direction,
    inside a text of another language."""
    direction = "rtl" if words(language).rtl else "ltr"
    return Markup('<{0} lang="{1}" dir="{2}" class="sg-untranslated">{3}</{0}>').format(
        Markup(tag), language, direction, content
    )


def markdown(text: str, said: Words) -> Markup:
    """Incident text (Markdown) as safe HTML; a text shown in place of a missing
    translation says so, and is marked with its own language."""
    html = Markup(to_html(text))
    if isinstance(text, Untranslated):
        note = said.gettext("Not yet translated; shown in its original language.")
        return _in_its_language("div", text.lang, html) + Markup(
            '<p class="sg-quiet sg-note">{}</p>'
        ).format(note)
    return html


class _Context(Context):
    """Jinja's context, with a shorter way to call a plain function or macro.

    A template calls through :meth:`Context.call`, which asks each callable three times
    whether it wants the context, the environment or the evaluation context passed: a
    page makes some seventy calls (``_``, ``label``, ``time``, macros), a build at 10,000
    incidents a million. A plain function, method or macro that asks for none of them is
    called at once, as ``Context.call`` would call it."""

    @internalcode
    def call(
        __self,  # Jinja's own names: a template may pass "self" or "obj" as a keyword
        __obj: Callable[..., Any],
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        if type(__obj) not in _PLAIN or hasattr(__obj, "jinja_pass_arg"):
            return super().call(__obj, *args, **kwargs)
        kwargs.pop("_block_vars", None)
        kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return __self.environment.undefined(
                "value was undefined because a callable raised a StopIteration exception"
            )


#: What :class:`_Context` calls at once (a callable object's ``__call__`` may ask for the
#: context: those go through Jinja's own call).
_PLAIN = frozenset({FunctionType, MethodType, BuiltinFunctionType, Macro})


def environment(
    dirs: Sequence[Path], said: Words, zone: ZoneInfo, names: dict[str, str]
) -> Environment:
    """The environment of one language and zone, with what every template may use: the
    language's words (``_``, ``ngettext``, ``label``), its formats (``when``, ``time``, ``day``,
    ``month_name``, ``percent``, ``duration``), ``md`` for incident text, the components'
    ``names`` and the ``routes``."""
    env = Environment(
        loader=FileSystemLoader([str(d) for d in dirs]),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
        finalize=_marked,
        extensions=["jinja2.ext.i18n"],
        # a build renders each template thousands of times and never changes one meanwhile:
        # no look at the file's time on each use
        auto_reload=False,
    )
    env.context_class = _Context
    env.install_gettext_translations(  # type: ignore[attr-defined]
        said.translations, newstyle=True
    )
    gettext, ngettext = _words(said)
    env.globals.update(_=gettext, gettext=gettext, ngettext=ngettext)

    def when(moment: datetime, today: datetime | None = None) -> str:
        return said.when(moment, zone, today)

    def time(moment: datetime, kind: str = "", today: datetime | None = None) -> Markup:
        """A moment in a ``<time>`` element; the browser adds how long ago it was (kind
        "ago", "since") or how long until it comes ("next"). The date is left out when it
        is the day of ``today``. A function, not a macro: pages call it thousands of
        times, and calling a macro costs five times as much. Each value goes through
        markupsafe's escape, as autoescape would send it (Markup's own % costs four
        times as much)."""
        shown = f' data-sg="{escape(kind)}"' if kind else ""
        told = escape(said.when(moment, zone, today))
        return Markup(f'<time datetime="{escape(format_utc(moment))}"{shown}>{told}</time>')

    env.globals.update(
        routes=routes,
        label=said.label,
        after_colon=said.after_colon,
        names=names,
        iso=format_utc,
        when=when,
        time=time,
        day=said.day,
        month_name=said.month,
        percent=said.percent,
        duration=said.duration,
        md=lambda text: markdown(text, said),
        is_url=routes.is_link,
        short_status=short_status,
        gap=said.gap,
        lang=said.code,
        rtl=said.rtl,
    )
    return env


def _words(said: Words) -> tuple[Callable[..., Markup], Callable[..., Markup]]:
    """``_`` and ``ngettext`` for the templates, as Jinja's own "new style" ones (the
    translation as markup, its ``%(name)s`` filled with escaped values, always formatted
    when it names one), each message looked up once: a page names thirty, a build renders
    thousands of pages."""
    translated: dict[str, Markup] = {}

    def gettext(message: str, **values: Any) -> Markup:
        said_here = translated.get(message)
        if said_here is None:
            said_here = translated[message] = Markup(said.translations.gettext(message))
        return said_here % values if "%" in said_here else said_here

    def ngettext(singular: str, plural: str, count: int, **values: Any) -> Markup:
        values.setdefault("num", count)
        return Markup(said.translations.ngettext(singular, plural, count)) % values

    return gettext, ngettext


def render(env: Environment, template: str, **context: Any) -> str:
    """``statusgen/<template>`` rendered; a broken template is a ThemeError naming the
    file and line (a site's own theme can override any of them)."""
    name = f"statusgen/{template}"
    try:
        return env.get_template(name).render(**context)
    except TemplateError as error:
        line = getattr(error, "lineno", None)
        where = f"{name}:{line}" if line else name
        raise ThemeError(f"theme template {where}: {error.message or error}") from error


_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"[ \t\r\n]+")


def text(html: str) -> str:
    """What a sentence rendered here says, for a reader that takes no markup: its tags
    left out, its entities read, its line breaks and runs of spaces one space, except a
    line break between two Japanese or Chinese characters, which is none (a template's
    ``<br>`` between two sentences of a Japanese message). (Not markupsafe's striptags,
    which also turns the narrow no-break space CLDR writes in "11:15 AM" into a space
    that may break.)"""
    spaced = _SPACE.sub(" ", CJK_BREAK.sub("", _TAG.sub("", html)))
    return html_module.unescape(spaced).strip()


class Writing:
    """The shared sentences and the small documents (the embed page, an email, the
    footer) of one site, in one language."""

    def __init__(self, config: SiteConfig, dirs: Sequence[Path], language: str | None = None):
        self.config = config
        self.said = words(language or config.language)
        names = {component.id: component.name for component in config.components}
        self.env = environment(dirs, self.said, config.timezone, names)
        self.env.globals["config"] = config
        self._macros: Any = None

    @property
    def macros(self) -> Any:
        """The macros of ``macros.html``, for texts that are not whole templates; ``url``
        is the identity there, as these texts link with absolute URLs."""
        if self._macros is None:
            template = self.env.get_template("statusgen/macros.html")
            self._macros = template.make_module({"url": lambda target: target})
        return self._macros

    def update(self, update: Update, first: bool) -> str:
        """One update as the incident page's timeline shows it (``first``: the
        incident's first update, which names its status)."""
        return str(self.macros.update(update, first))

    def render(self, template: str, **context: Any) -> str:
        return render(self.env, template, **context)

    def footer(self) -> str:
        """The line at the foot of every page: the site's links, support, statusgen."""
        return self.render("footer.html")

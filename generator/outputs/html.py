"""The pages of the site, as HTML content that any renderer can wrap in its page shell.

Each page is rendered from a template in ``theme/statusgen/``, in the environment every
reader's text is written in (``writing.py``), with what pages add to it: the site, the
spans of time, the affected components. An incident page depends only on its incident
(its file, and what time does to it in the next 7 days), the config and the theme: it
never says "3 hours ago", which the browser adds from ``<time datetime>``, nor the
build's id or moment, which it reads from ``live.json``.

What a page shows changes with time alone (a maintenance window opening, a promised update
falling due): :meth:`_Templates.timed` renders each such part once for every state it passes
through in the next 7 days (the model's :meth:`StatusPage.spans`), each marked with the
interval it holds for. Without JavaScript the state at the build shows; ``statusgen.js``
shows the one whose interval holds now, comparing times and nothing else.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from markupsafe import Markup

from generator.core import routes
from generator.core.dependencies import Dependency, DependencyView, turns, view
from generator.core.model import HORIZON, Component, Incident, Span, StatusPage
from generator.core.model import spans as spans_of
from generator.core.page import SitePage
from generator.core.reporting import Report, monthly
from generator.core.times import format_utc
from generator.core.uptime import Uptime, uptimes
from generator.core.vocabulary import OPERATIONAL, ComponentStatus, worst
from generator.language import words
from generator.outputs import writing
from generator.outputs.report_words import html_context

#: Incidents on one page of a component's list, and of one month of the archive.
COMPONENT_PAGE_SIZE = 20
MONTH_PAGE_SIZE = 50
#: Days of history on the front page.
RECENT_DAYS = 15


@dataclass(frozen=True)
class PageSpec:
    """A page before it is rendered: what its content depends on, and how to render it.

    ``inputs`` name everything the content shows besides the config and the theme, so a
    build can tell an unchanged page without rendering it. It is a
    :class:`~generator.core.page.Page` whose content is rendered each time it is read: a
    shell that takes the pages one by one holds one content at a time.
    """

    path: str
    title: str
    inputs: tuple[str, ...]
    render: Callable[[], str]
    in_nav: bool = False
    tab: str = ""

    @property
    def content(self) -> str:
        return self.render()


def signature(incident: Incident, now: datetime) -> tuple[str, ...]:
    """What a page shows of an incident depends on: its file, what is visible now, and
    when that changes within the horizon."""
    turns = incident.turns(now, now + HORIZON)
    return (
        incident.id,
        incident.source_digest,
        incident.phase or "",
        str(incident.overdue),
        str(len(incident.updates)),
        *(format_utc(turn) for turn in turns),
    )


class _Templates:
    def __init__(self, site: StatusPage, dirs: Sequence[Path]) -> None:
        self.site = site
        self.zone = site.config.timezone
        self.names = site.names
        self.words = words(site.config.language)
        env = writing.environment(dirs, self.words, self.zone, self.names)
        env.globals.update(
            site=site,
            config=site.config,
            affected_of=self.affected,
            timed=self.timed,
            moments=site.spans(lambda view: view),
            incident_spans=self.incident_spans,
            component_spans=self.component_spans,
            group_spans=self.group_spans,
            dependency_spans=self.dependency_spans,
            elsewhere=self.elsewhere,
            # where statusgen.js writes "4 minutes ago"
            ago_slot=Markup('<span class="sg-ago"></span>'),
            # from a page to the site's root, above its language's root ("de/")
            up="../" * site.config.prefix(site.config.language).count("/"),
        )
        self.env = env
        self._bars: dict[tuple[str, int], Markup] = {}

    def render(self, template: str, path: str, **context: Any) -> str:
        def url(target: str) -> str:
            return routes.relative(path, target)

        return writing.render(self.env, template, url=url, **context)

    def bars(self, component: Component, uptime: Uptime, path: str) -> Markup:
        """A component's uptime bars, rendered once for every page at the same depth."""
        key = (component.id, path.count("/"))
        if key not in self._bars:
            module = self.env.get_template("statusgen/macros.html").make_module(
                {"url": lambda target: routes.relative(path, target)}
            )
            rendered: str = module.bars(component, uptime)  # type: ignore[attr-defined]
            self._bars[key] = Markup(rendered)
        return self._bars[key]

    def elsewhere(self) -> list[tuple[str, str]]:
        """Where readers can look when this page may not be current: the site's own
        links, support, and the channels they can subscribe to themselves."""
        config = self.site.config
        places = list(config.links)
        if config.support_url:
            places.append((self.words.gettext("Contact support"), config.support_url))
        places += [(c.name or c.id, c.join) for c in config.notify.channels if c.join]
        return places

    def incident_spans(self, incident: Incident) -> tuple[Span[Incident], ...]:
        """``incident`` now, and as it will be seen at each of its turns."""
        now = self.site.now
        return spans_of(incident.turns(now, now + HORIZON), now, incident.at)

    def component_spans(self, component: str) -> tuple[Span[str], ...]:
        return self.site.spans(lambda view: view.component_statuses[component])

    def group_spans(self, group: str) -> tuple[Span[str], ...]:
        return self.site.spans(lambda view: view.group_status(group))

    def dependency_spans(self, dependency: Dependency) -> tuple[Span[DependencyView], ...]:
        """What the page shows of a service the site depends on now, and from each moment
        its reading turns (shown from when it was made, unknown once too old)."""
        reading = self.site.readings.get(dependency.id)
        now = self.site.now
        moments = tuple(t for t in turns(reading) if now < t <= now + HORIZON)
        return spans_of(moments, now, lambda moment: view(dependency, reading, moment))

    def timed(self, spans: Sequence[Span[Any]], tag: str = "div", *, caller: Any) -> Markup:
        """What ``caller(value, suffix)`` renders for each span, neighbours that render
        alike joined. One rendering is returned as it is; several are each wrapped in
        ``tag`` with the interval it holds for (data-sg-from, data-sg-until), all but the
        one at the build hidden. ``suffix`` keeps ids unique: "" for the first, "-2"..."""
        shown: list[tuple[Span[Any], str]] = []
        for span in spans:
            html = str(caller(span.value, ""))
            if shown and shown[-1][1] == html:
                shown[-1] = (replace(shown[-1][0], end=span.end), html)
            else:
                shown.append((span, html))
        if len(shown) == 1:
            return Markup(shown[0][1])
        wrapped = []
        for number, (span, html) in enumerate(shown):
            content = caller(span.value, f"-{number + 1}") if number else Markup(html)
            start = f' data-sg-from="{format_utc(span.start)}"' if span.start else ""
            end = f' data-sg-until="{format_utc(span.end)}"' if span.end else ""
            hidden = " hidden" if number else ""
            wrapped.append(
                Markup("<{0}{1}>{2}</{0}>").format(
                    Markup(tag), Markup(start + end + hidden), content
                )
            )
        return Markup("").join(wrapped)

    def affected(self, incident: Incident) -> list[tuple[str, ComponentStatus]]:
        """(name, status) of each component it names: the status it gives now while it
        is open, else the worst it gave (the planned one for maintenance)."""
        current = incident.current_statuses
        result = []
        for component in incident.affected_component_ids:
            if current:
                status = current.get(component, OPERATIONAL)
            elif incident.is_maintenance:
                status = incident.components.get(component, "under_maintenance")
            else:
                status = worst(u.statuses.get(component, OPERATIONAL) for u in incident.updates)
            result.append((self.names.get(component, component), status))
        return result


class Renderer:
    """Renders the pages of one site."""

    def __init__(self, site: StatusPage, dirs: Sequence[Path]) -> None:
        self.site = site
        self.templates = _Templates(site, dirs)

    def incident_page(self, incident: Incident) -> SitePage:
        """The page of one incident; it depends on nothing but the incident, the config and
        the theme."""
        path = routes.incident(incident.id)
        content = self.templates.render("incident.html", path, incident=incident)
        return SitePage(path, incident.title, content)

    def specs(self) -> Iterator[PageSpec]:
        """Every page of the site, not yet rendered (the front page and the archive's index,
        which depend on everything, are)."""
        bars = uptimes(self.site)
        front = _front_page(self.site, self.templates, bars)
        yield PageSpec(front.path, front.title, ("front", front.content),
                       lambda: front.content, in_nav=True, tab=front.tab)  # fmt: skip
        yield from _component_pages(self.site, self.templates, bars)
        reports = monthly(self.site) if self.site.config.reports else []
        yield from _archive_pages(self.site, self.templates, reports)
        yield from _report_pages(self.site, self.templates, reports)
        for incident in self.site.incidents:
            yield PageSpec(
                routes.incident(incident.id),
                incident.title,
                ("incident", *signature(incident, self.site.now)),
                functools.partial(self._incident_content, incident),
            )

    def _incident_content(self, incident: Incident) -> str:
        return self.incident_page(incident).content


def _front_page(site: StatusPage, templates: _Templates, bars: dict[str, Uptime]) -> SitePage:
    content = templates.render(
        "index.html",
        routes.index(),
        rows=site.groups,
        bars=bars,
        recent=functools.partial(
            _recent, zone=templates.zone, today=site.now.astimezone(templates.zone).date()
        ),
    )
    # a background tab tells the status: "Partial System Outage · Acme Cloud Status"
    status = templates.words.label("indicator", site.indicator)
    tab = templates.words.gettext("%(status)s · %(site)s", status=status, site=site.config.name)
    return SitePage(routes.index(), site.config.name, content, in_nav=True, tab=tab)


def _recent(site: StatusPage, zone: Any, today: date) -> list[tuple[date, list[Incident]]]:
    """The incidents of the :data:`RECENT_DAYS` days up to the build's ``today`` by the day
    they started, the latest day first (maintenance once it is finished)."""
    recent: dict[date, list[Incident]] = {today - timedelta(days=n): [] for n in range(RECENT_DAYS)}
    for incident in site.incidents:
        if incident.is_maintenance and not incident.is_resolved:
            continue
        started = incident.start.astimezone(zone).date()
        if started in recent:
            recent[started].append(incident)
    return list(recent.items())


def _paginated(
    base: str, items: Sequence[Incident], size: int
) -> Iterator[tuple[str, Sequence[Incident], dict[str, Any]]]:
    """The pages of a long list, ``base``, ``base/page/2/``..., with their neighbours."""
    count = max(1, math.ceil(len(items) / size))

    def path(number: int) -> str:
        return routes.numbered(base, number)

    for number in range(1, count + 1):
        pager = {
            "number": number,
            "count": count,
            "newer": path(number - 1) if number > 1 else None,
            "older": path(number + 1) if number < count else None,
        }
        yield path(number), items[(number - 1) * size : number * size], pager


def _component_pages(
    site: StatusPage, templates: _Templates, bars: dict[str, Uptime]
) -> Iterator[PageSpec]:
    for component in site.config.components:
        mine = site.by_component[component.id]
        base = routes.component(component.id)
        statuses = repr(templates.component_spans(component.id))
        for path, chunk, pager in _paginated(base, mine, COMPONENT_PAGE_SIZE):
            shown = templates.bars(component, bars[component.id], path)
            context = {
                "component": component,
                "bars": shown,
                "incidents": chunk,
                "pager": pager,
            }
            inputs = ("component", component.id, statuses, str(shown), repr(pager))
            yield PageSpec(
                path,
                component.name,
                (*inputs, *(part for i in chunk for part in signature(i, site.now))),
                functools.partial(templates.render, "component.html", path, **context),
            )


def _archive_pages(
    site: StatusPage, templates: _Templates, reports: Sequence[Report] = ()
) -> Iterator[PageSpec]:
    reported = [report.period.first for report in reports]  # newest first
    months: dict[tuple[int, int], list[Incident]] = {}
    for incident in site.incidents:  # newest first
        if incident.is_resolved:
            local = incident.start.astimezone(templates.zone)
            months.setdefault((local.year, local.month), []).append(incident)
    ordered = sorted(months, reverse=True)
    index = [(date(year, month, 1), len(months[(year, month)])) for year, month in ordered]
    home = routes.history()
    content = templates.render("history.html", home, months=index, reports=reported)
    said = templates.words
    yield PageSpec(home, said.gettext("History"), ("history", content), lambda: content,
                   in_nav=True)  # fmt: skip
    for position, (year, month) in enumerate(ordered):
        base = routes.month(year, month)
        newer = date(*ordered[position - 1], 1) if position > 0 else None
        older = date(*ordered[position + 1], 1) if position + 1 < len(ordered) else None
        title = said.month(date(year, month, 1))
        report = date(year, month, 1) if date(year, month, 1) in reported else None
        for path, chunk, pager in _paginated(base, months[(year, month)], MONTH_PAGE_SIZE):
            context = {
                "month": date(year, month, 1),
                "incidents": chunk,
                "pager": pager,
                "newer_month": newer,
                "older_month": older,
                "report": report,
            }
            number = pager["number"]
            yield PageSpec(
                path,
                title
                if number == 1
                else said.gettext("%(month)s, page %(number)s", month=title, number=number),
                (
                    "month",
                    path,
                    repr(pager),
                    repr(newer),
                    repr(older),
                    repr(report),
                    *(part for i in chunk for part in signature(i, site.now)),
                ),
                functools.partial(templates.render, "month.html", path, **context),
            )


def _report_pages(
    site: StatusPage, templates: _Templates, reports: Sequence[Report]
) -> Iterator[PageSpec]:
    """The page of each finished month's report (``site.reports``), with its data beside it
    (``report.csv`` and ``report.json``, written once at the site's root)."""
    up = str(templates.env.globals["up"])
    for position, report in enumerate(reports):  # newest first
        first = report.period.first
        path = routes.report(first.year, first.month)
        newer = reports[position - 1].period.first if position > 0 else None
        older = reports[position + 1].period.first if position + 1 < len(reports) else None
        data = {
            extension: up + routes.report_file(first.year, first.month, extension)
            for extension in ("csv", "json")
        }
        context = html_context(report, site.config, templates.words)
        content = templates.render("report.html", path, standalone=False, data=data,
                                   newer=newer, older=older, **context)  # fmt: skip
        title = context["say"].title()
        yield PageSpec(path, title, ("report", content), functools.partial(str, content))

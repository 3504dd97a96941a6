"""The pages of the site, as HTML content that any renderer can wrap in its page shell.

Each page is rendered from a template in ``theme/statusgen/`` by a Jinja environment that
escapes everything (mkdocs' own does not). Incident text is Markdown made safe by
``markup.py``. An incident page depends only on its incident (its file, and for maintenance
the phase of its window), the config and the theme: it never says "3 hours ago" or
"overdue"; the browser adds those from ``<time datetime>``.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError
from markupsafe import Markup

from generator.markup import is_url, to_html
from generator.model import OPERATIONAL, Component, Incident, StatusPage, worst
from generator.times import format_iso, format_local
from generator.uptime import Uptime, uptimes

#: Incidents on one page of a component's list, and of one month of the archive.
COMPONENT_PAGE_SIZE = 20
MONTH_PAGE_SIZE = 50
#: Days of history on the front page.
RECENT_DAYS = 15

STATUS_LABELS = {
    "investigating": "Investigating",
    "identified": "Identified",
    "monitoring": "Monitoring",
    "resolved": "Resolved",
    "postmortem": "Postmortem",
    "scheduled": "Scheduled",
    "in_progress": "In progress",
    "verifying": "Verifying",
    "completed": "Completed",
    "cancelled": "Cancelled",
}
COMPONENT_LABELS = {
    "operational": "Operational",
    "degraded_performance": "Degraded performance",
    "partial_outage": "Partial outage",
    "major_outage": "Major outage",
    "under_maintenance": "Under maintenance",
}
IMPACT_LABELS = {
    "none": "No impact",
    "minor": "Minor impact",
    "major": "Major impact",
    "critical": "Critical impact",
    "maintenance": "Maintenance",
}


class RenderError(Exception):
    """A page could not be rendered: a theme template is broken."""


@dataclass(frozen=True)
class SitePage:
    """One page: where it lives, its title (plain text) and its HTML content."""

    path: str  # "" for the front page, else a folder such as "incidents/<id>/"
    title: str
    content: str
    in_nav: bool = False


@dataclass(frozen=True)
class PageSpec:
    """A page before it is rendered: what its content depends on, and how to render it.

    ``inputs`` name everything the content shows besides the config and the theme, so a
    build can tell an unchanged page without rendering it.
    """

    path: str
    title: str
    inputs: tuple[str, ...]
    render: Callable[[], str]
    in_nav: bool = False

    def page(self) -> SitePage:
        return SitePage(self.path, self.title, self.render(), self.in_nav)


def signature(incident: Incident) -> tuple[str, ...]:
    """What a page shows of an incident depends on: its file, and what is visible now."""
    return (incident.id, incident.source_digest, incident.phase or "", str(len(incident.updates)))


def packaged_theme() -> Path:
    """The theme that ships with statusgen.

    An installed wheel carries it as ``generator/theme``; in a checkout (and an editable
    install) it is the repository's ``theme/`` beside the package.
    """
    here = Path(__file__).resolve().parent
    for candidate in (here / "theme", here.parent / "theme"):
        if (candidate / "statusgen").is_dir():
            return candidate
    raise FileNotFoundError("statusgen's theme is missing from this installation")


def theme_dirs(root: Path) -> list[Path]:
    """Where theme files are looked up: the root's ``theme/`` first, file by file."""
    packaged = packaged_theme()
    local = (root / "theme").resolve()
    return [local, packaged] if local.is_dir() and local != packaged else [packaged]


def relative(source: str, target: str) -> str:
    """The link from the page at ``source`` to ``target`` (both site-root folder paths)."""
    return "../" * source.count("/") + target or "./"


class _Templates:
    def __init__(self, site: StatusPage, dirs: Sequence[Path]) -> None:
        self.site = site
        self.zone = site.config.timezone
        self.names = {c.id: c.name for c in site.config.components}
        env = Environment(
            loader=FileSystemLoader([str(d) for d in dirs]),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            undefined=StrictUndefined,
        )
        env.globals.update(
            site=site,
            config=site.config,
            status_labels=STATUS_LABELS,
            component_labels=COMPONENT_LABELS,
            impact_labels=IMPACT_LABELS,
            names=self.names,
            iso=format_iso,
            when=self.when,
            day=self.day,
            duration=self.duration,
            md=self.markdown,
            is_url=is_url,
            affected=self.affected,
            short_status=lambda s: s.split("_")[0][0] if s != OPERATIONAL else "o",
        )
        self.env = env
        self._bars: dict[tuple[str, int], Markup] = {}

    def render(self, template: str, path: str, **context: Any) -> str:
        def url(target: str) -> str:
            return relative(path, target)

        name = f"statusgen/{template}"
        try:
            return self.env.get_template(name).render(url=url, **context)
        except TemplateError as error:
            line = getattr(error, "lineno", None)
            where = f"{name}:{line}" if line else name
            raise RenderError(f"theme template {where}: {error.message or error}") from error

    def bars(self, component: Component, uptime: Uptime, path: str) -> Markup:
        """A component's uptime bars, rendered once for every page at the same depth."""
        key = (component.id, path.count("/"))
        if key not in self._bars:
            module = self.env.get_template("statusgen/macros.html").make_module(
                {"url": lambda target: relative(path, target)}
            )
            rendered: str = module.bars(component, uptime)  # type: ignore[attr-defined]
            self._bars[key] = Markup(rendered)
        return self._bars[key]

    def when(self, moment: datetime) -> str:
        return format_local(moment, self.zone)

    def day(self, value: date) -> str:
        return f"{value.day} {value:%b %Y}"

    @staticmethod
    def duration(start: datetime, end: datetime) -> str:
        minutes = max(0, round((end - start).total_seconds() / 60))
        if minutes < 60:
            return f"{minutes} min"
        hours, minutes = divmod(minutes, 60)
        if hours < 48:
            return f"{hours} h {minutes} min" if minutes else f"{hours} h"
        days, hours = divmod(hours, 24)
        return f"{days} days {hours} h" if hours else f"{days} days"

    @staticmethod
    def markdown(text: str) -> Markup:
        return Markup(to_html(text))

    def affected(self, incident: Incident) -> list[tuple[str, str]]:
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


@dataclass(frozen=True)
class _Row:
    """A component, or a group with its members, in page order."""

    component: Component | None
    group: str | None = None
    members: tuple[Component, ...] = ()


def _rows(components: Sequence[Component]) -> list[_Row]:
    rows: list[_Row] = []
    seen: set[str] = set()
    for component in components:
        if component.group is None:
            rows.append(_Row(component))
        elif component.group not in seen:
            seen.add(component.group)
            members = tuple(c for c in components if c.group == component.group)
            rows.append(_Row(None, component.group, members))
    return rows


class Renderer:
    """Renders the pages of one site."""

    def __init__(self, site: StatusPage, dirs: Sequence[Path]) -> None:
        self.site = site
        self.templates = _Templates(site, dirs)

    def incident_page(self, incident: Incident) -> SitePage:
        """The page of one incident; it depends on nothing but the incident, the config and
        the theme."""
        path = incident_path(incident)
        content = self.templates.render("incident.html", path, incident=incident)
        return SitePage(path, incident.title, content)

    def specs(self) -> Iterator[PageSpec]:
        """Every page of the site, not yet rendered (the front page and the archive's index,
        which depend on everything, are)."""
        bars = uptimes(self.site)
        front = _front_page(self.site, self.templates, bars)
        yield PageSpec(front.path, front.title, ("front", front.content),
                       lambda: front.content, in_nav=True)  # fmt: skip
        yield from _component_pages(self.site, self.templates, bars)
        yield from _archive_pages(self.site, self.templates)
        for incident in self.site.incidents:
            yield PageSpec(
                incident_path(incident),
                incident.title,
                ("incident", *signature(incident)),
                functools.partial(self._incident_content, incident),
            )

    def _incident_content(self, incident: Incident) -> str:
        return self.incident_page(incident).content


def incident_path(incident: Incident) -> str:
    return f"incidents/{incident.id}/"


def _front_page(site: StatusPage, templates: _Templates, bars: dict[str, Uptime]) -> SitePage:
    incidents = site.incidents
    today = site.now.astimezone(templates.zone).date()
    recent: dict[date, list[Incident]] = {today - timedelta(days=n): [] for n in range(RECENT_DAYS)}
    for incident in incidents:
        if incident.is_maintenance and not incident.is_resolved:
            continue
        started = incident.start.astimezone(templates.zone).date()
        if started in recent:
            recent[started].append(incident)
    content = templates.render(
        "index.html",
        "",
        active=[i for i in incidents if not i.is_maintenance and not i.is_resolved],
        maintenance_now=[i for i in incidents if i.is_maintenance and i.affects_components],
        upcoming=sorted(
            (i for i in incidents if i.is_maintenance and i.status == "scheduled"),
            key=lambda i: i.start,
        ),
        rows=_rows(site.config.components),
        bars=bars,
        recent=list(recent.items()),
    )
    return SitePage("", site.config.name, content, in_nav=True)


def _paginated(
    base: str, items: Sequence[Incident], size: int
) -> Iterator[tuple[str, Sequence[Incident], dict[str, Any]]]:
    """The pages of a long list, ``base``, ``base/page/2/``..., with their neighbours."""
    count = max(1, math.ceil(len(items) / size))

    def path(number: int) -> str:
        return base if number == 1 else f"{base}page/{number}/"

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
        base = f"components/{component.id}/"
        status = site.component_statuses[component.id]
        for path, chunk, pager in _paginated(base, mine, COMPONENT_PAGE_SIZE):
            shown = templates.bars(component, bars[component.id], path)
            context = {
                "component": component,
                "status": status,
                "bars": shown,
                "incidents": chunk,
                "pager": pager,
            }
            inputs = ("component", component.id, status, str(shown), repr(pager))
            yield PageSpec(
                path,
                component.name,
                (*inputs, *(part for i in chunk for part in signature(i))),
                functools.partial(templates.render, "component.html", path, **context),
            )


def _archive_pages(site: StatusPage, templates: _Templates) -> Iterator[PageSpec]:
    months: dict[tuple[int, int], list[Incident]] = {}
    for incident in site.incidents:  # newest first
        if incident.is_resolved:
            local = incident.start.astimezone(templates.zone)
            months.setdefault((local.year, local.month), []).append(incident)
    ordered = sorted(months, reverse=True)
    index = [(date(year, month, 1), len(months[(year, month)])) for year, month in ordered]
    content = templates.render("history.html", "history/", months=index)
    yield PageSpec("history/", "History", ("history", content), lambda: content, in_nav=True)
    for position, (year, month) in enumerate(ordered):
        base = f"history/{year:04d}/{month:02d}/"
        newer = date(*ordered[position - 1], 1) if position > 0 else None
        older = date(*ordered[position + 1], 1) if position + 1 < len(ordered) else None
        title = f"{date(year, month, 1):%B %Y}"
        for path, chunk, pager in _paginated(base, months[(year, month)], MONTH_PAGE_SIZE):
            context = {
                "month": date(year, month, 1),
                "incidents": chunk,
                "pager": pager,
                "newer_month": newer,
                "older_month": older,
            }
            number = pager["number"]
            yield PageSpec(
                path,
                title if number == 1 else f"{title}, page {number}",
                (
                    "month",
                    path,
                    repr(pager),
                    repr(newer),
                    repr(older),
                    *(part for i in chunk for part in signature(i)),
                ),
                functools.partial(templates.render, "month.html", path, **context),
            )

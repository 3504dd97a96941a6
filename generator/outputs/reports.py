"""Reports in their forms: text for a terminal or a closing note, CSV for spreadsheets, JSON
for tools, HTML as a standalone page; and the published ``reports/YYYY/MM/report.csv`` and
``report.json`` of every finished month (``site.reports``; the page is ``html.py``'s).

The data forms (CSV, JSON) use values, ids and figures, never words, so they read the same
whatever the site's language: they are written once, at the site's root. JSON names the
incidents behind every figure. The text and HTML forms say everything in the site's
language, through the same words and the same template (``statusgen/report.html``) as the
published page.
"""

from __future__ import annotations

import csv
import io
import json
import textwrap
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from markupsafe import Markup

from generator.core import routes
from generator.core.model import SiteConfig
from generator.core.reporting import (
    STATUSES,
    Figures,
    IncidentFigures,
    MaintenanceFigures,
    Report,
    monthly,
)
from generator.core.times import format_utc, zone_name
from generator.core.uptime import WEIGHTS
from generator.core.vocabulary import IMPACTS, OPERATIONAL
from generator.language import words
from generator.outputs import Context, File
from generator.outputs.report_words import (
    Sayings,
    html_context,
    incident_lines,
    maintenance_lines,
    ordered,
    table,
    telling_parts,
)
from generator.outputs.writing import environment, render

#: The forms of ``statusgen report --format``.
FORMATS = ("text", "csv", "json", "html")

CSV_COLUMNS = (
    "period", "from", "to", "scope", "id", "name", "group", "uptime_percent",
    "downtime_minutes", "counted_minutes",
    *(f"minutes_{status}" for status in STATUSES),
    "incidents", *(f"incidents_{impact}" for impact in IMPACTS), "unresolved",
    "mean_minutes_to_resolve", "longest_minutes_to_resolve", "maintenance",
)  # fmt: skip


def _minutes(seconds: float | None) -> float | int | None:
    """Seconds as minutes to two decimals (a whole number as an integer)."""
    if seconds is None:
        return None
    minutes = round(seconds / 60, 2)
    return int(minutes) if minutes == int(minutes) else minutes


def _percent(figures: Figures) -> float:
    """The uptime in percent as the pages show it: two decimals, never rounded up to 100."""
    return float(f"{figures.shown * 100:.2f}")


def _scopes(report: Report) -> list[Figures]:
    return [*report.components, *report.groups, report.overall]


def to_csv(report: Report) -> str:
    """One row per component, group and the whole site, with the period on every row (so
    that the reports of several months make one table)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    period = report.period
    for figures in _scopes(report):
        resolution = figures.resolution
        longest = resolution.longest
        writer.writerow(
            [
                period.name,
                period.first.isoformat(),
                period.last.isoformat(),
                figures.scope,
                figures.key,
                figures.name,
                figures.group or "",
                f"{_percent(figures):.2f}",
                _minutes(figures.downtime),
                _minutes(figures.seconds),
                *(_minutes(figures.durations[status]) for status in STATUSES),
                len(figures.incidents),
                *(len(figures.by_impact[impact]) for impact in IMPACTS),
                len(resolution.unresolved),
                _blank(_minutes(resolution.mean)),
                _blank(_minutes(longest[0]) if longest else None),
                len(figures.maintenance),
            ]
        )
    return out.getvalue()


def _blank(value: object) -> object:
    return "" if value is None else value


def _figures_json(figures: Figures) -> dict[str, Any]:
    resolution = figures.resolution
    longest = resolution.longest
    return {
        "uptime": {
            "percent": _percent(figures),
            "downtime_minutes": _minutes(figures.downtime),
            "counted_minutes": _minutes(figures.seconds),
            "incidents": list(figures.down),
        },
        "minutes": {
            status: {
                "minutes": _minutes(figures.durations[status]),
                "incidents": list(figures.behind[status]),
            }
            for status in STATUSES
        },
        "incidents_by_impact": {impact: list(figures.by_impact[impact]) for impact in IMPACTS},
        "time_to_resolve": {
            "mean_minutes": _minutes(resolution.mean),
            "longest_minutes": _minutes(longest[0]) if longest else None,
            "longest": longest[1] if longest else None,
            "incidents": [i for _, i in resolution.times],
            "unresolved": list(resolution.unresolved),
        },
        "maintenance": list(figures.maintenance),
    }


def _time(moment: datetime | None) -> str | None:
    return None if moment is None else format_utc(moment)


def _incident_json(figures: IncidentFigures) -> dict[str, Any]:
    incident, telling = figures.incident, figures.telling
    return {
        "id": incident.id,
        "title": str(incident.title),
        "impact": incident.impact,
        "components": list(figures.components),
        "started": _time(incident.start),
        "first_update": _time(incident.first_update.at),
        "resolved_at": _time(incident.resolved_at),
        "minutes_to_resolve": _minutes(figures.to_resolve),
        "communication": {
            "minutes_to_first_update": _minutes(telling.to_first_update),
            "longest_silence_minutes": _minutes(telling.silence),
            "longest_silence_from": _time(telling.silence_from),
            "longest_silence_until": _time(telling.silence_until),
            "promises": [
                {
                    "made_at": _time(p.made_at),
                    "due": _time(p.due),
                    "next_update": _time(p.kept_by),
                    "outcome": p.outcome,
                }
                for p in telling.promises
            ],
            "promises_made": len(telling.promises),
            "promises_kept": telling.count("kept"),
            "all_clear": telling.all_clear,
        },
    }


def _maintenance_json(figures: MaintenanceFigures) -> dict[str, Any]:
    window = figures.maintenance.scheduled
    return {
        "id": figures.maintenance.id,
        "title": str(figures.maintenance.title),
        "components": list(figures.components),
        "window": None
        if window is None
        else {"start": _time(window.start), "end": _time(window.end)},
        "status": figures.status,
        "minutes_in_progress": _minutes(figures.seconds),
    }


def _communication_json(report: Report) -> dict[str, Any]:
    told = report.communication
    first, silence = told.longest_first_update, told.longest_silence
    return {
        "incidents": list(told.incidents),
        "mean_minutes_to_first_update": _minutes(told.mean_first_update),
        "longest_minutes_to_first_update": _minutes(first[0]) if first else None,
        "longest_to_first_update": first[1] if first else None,
        "longest_silence_minutes": _minutes(silence[0]) if silence else None,
        "longest_silence": silence[1] if silence else None,
        "promises": {
            "made": len(told.made),
            "kept": len(told.kept),
            "broken": len(told.broken),
            "pending": len(told.pending),
            # an id once per promise, so that the counts can be traced
            "made_by": list(told.made),
            "kept_by": list(told.kept),
            "broken_by": list(told.broken),
            "pending_by": list(told.pending),
        },
        "all_clear": {"posted": list(told.all_clear), "missing": list(told.no_all_clear)},
    }


def to_json(report: Report, config: SiteConfig, url: str | None = None) -> str:
    """The report as JSON: every figure with the ids of the incidents behind it; the
    site's ``url`` is the build's (``--base-url``), else ``site.url``."""
    period = report.period
    data = {
        "site": {
            "name": config.name,
            "url": url or config.url,
            "timezone": zone_name(config.timezone),
        },
        "period": {
            "name": period.name,
            "from": period.first.isoformat(),
            "to": period.last.isoformat(),
            "start": format_utc(period.start),
            "end": format_utc(period.end),
            "counted_until": format_utc(report.until),
            "complete": report.complete,
        },
        "now": format_utc(report.now),
        "counting": {
            "weights": {status: WEIGHTS.get(status, 0.0) for status in STATUSES},
            "maintenance": "never lowers uptime; its minutes count as under_maintenance",
            "days": f"calendar days in {zone_name(config.timezone)}",
        },
        "overall": _figures_json(report.overall),
        "groups": [
            {"name": g.key, "components": list(g.members), **_figures_json(g)}
            for g in report.groups
        ],
        "components": [
            {"id": c.key, "name": c.name, "group": c.group, **_figures_json(c)}
            for c in report.components
        ],
        "incidents": [_incident_json(f) for f in report.incidents],
        "maintenance": [_maintenance_json(f) for f in report.maintenance],
        "communication": _communication_json(report),
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# the forms in words ---------------------------------------------------------------------------


def to_text(report: Report, config: SiteConfig, language: str | None = None) -> str:
    """The report for a terminal or a closing note, in the site's language: sentences
    wrapped at :data:`TEXT_WIDTH`, figures in aligned columns; a status or an impact that
    no row has takes no column (the HTML form shows every one)."""
    said = words(language or config.language)
    say = Sayings(report, config, said)
    _ = said.gettext
    heading = said.gettext("%(label)s: %(text)s", label=config.name, text=say.title())
    lines = [heading, say.period(), say.made(), "", *_wrapped(say.counting()), ""]
    lines.append(_("Uptime and time in each status"))
    rows = ordered(report)
    figures = [row for row, _depth in rows]
    statuses = [s for s in STATUSES if s == OPERATIONAL or any(f.durations[s] for f in figures)]
    grid = [["", _("Uptime"), *(said.label("component", s) for s in statuses)]]
    for row, depth in rows:
        name = _("Overall") if row.scope == "overall" else row.name
        grid.append(
            ["  " * depth + name, said.percent(row.shown)]
            + [say.length(row.durations[s]) for s in statuses]
        )
    lines += table(grid)
    lines += ["", _("Incidents by impact")]
    impacts = [i for i in IMPACTS if any(f.by_impact[i] for f in figures)]
    grid = [["", *(said.label("impact", i) for i in impacts), _("Mean time to resolve"),
             _("Longest time to resolve")]]  # fmt: skip
    for row, depth in rows:
        name = _("Overall") if row.scope == "overall" else row.name
        counts = [str(len(row.by_impact[i])) for i in impacts]
        grid.append(["  " * depth + name, *counts, *say.resolution(row)])
    lines += table(grid)
    lines += ["", _("Incidents")]
    if not report.incidents:
        lines += _wrapped(_("No incidents in this period."), "  ")
    for found in report.incidents:
        lines.append("")
        for line in incident_lines(found, say):
            lines += _wrapped(line, "  ")
        parts = telling_parts(found, say)
        lines += _joined(parts, said.gettext("; "), said.gettext("."), "  ")
    lines += ["", _("Maintenance")]
    if not report.maintenance:
        lines += _wrapped(_("No maintenance in this period."), "  ")
    for work in report.maintenance:
        lines.append("")
        for line in maintenance_lines(work, say):
            lines += _wrapped(line, "  ")
    lines += ["", _("Communication")]
    for line in say.communication():
        lines += _wrapped(line, "  ")
    return "\n".join(lines) + "\n"


#: Where the text form wraps its sentences (its tables are as wide as their figures).
TEXT_WIDTH = 92


def _joined(parts: list[str], separator: str, end: str, indent: str) -> list[str]:
    """Parts of a sentence joined by ``separator``, lines broken only between them."""
    lines = [indent + parts[0]]
    for part in parts[1:]:
        if len(lines[-1]) + len(separator) + len(part) <= TEXT_WIDTH:
            lines[-1] += separator + part
        else:
            lines[-1] += separator.rstrip()
            lines.append(indent + "  " + part)
    return [*lines[:-1], lines[-1] + end]


def _wrapped(sentence: str, indent: str = "") -> list[str]:
    """A sentence wrapped at spaces (a language written without them stays one line), its
    following lines indented two more."""
    return textwrap.wrap(sentence, TEXT_WIDTH, initial_indent=indent,
                         subsequent_indent=indent + "  " if indent else "",
                         break_long_words=False, break_on_hyphens=False)  # fmt: skip


# HTML -------------------------------------------------------------------------------------------


def to_html(report: Report, config: SiteConfig, dirs: Sequence[Path]) -> str:
    """The report as a standalone page: no script, no other file, links to the site."""
    said = words(config.language)
    names = {c.id: c.name for c in config.components}
    env = environment(dirs, said, config.timezone, names)
    env.globals["config"] = config

    def url(target: str) -> str:
        return config.url + target

    content = render(env, "report.html", url=url, standalone=True, data=None,
                     **html_context(report, config, said))  # fmt: skip
    title = f"{Sayings(report, config, said).title()} · {config.name}"
    return render(env, "standalone.html", url=url, title=title, content=Markup(content))


# the published data ------------------------------------------------------------------------------


def files(context: Context) -> Iterator[File]:
    """report.csv and report.json of every finished month, when the site publishes reports."""
    site = context.site
    if not site.config.reports:
        return
    for made in monthly(site):
        first = made.period.first
        yield routes.report_file(first.year, first.month, "csv"), to_csv(made).encode()
        json_text = to_json(made, site.config, context.routes.base_url)
        yield routes.report_file(first.year, first.month, "json"), json_text.encode()


def by_month(reports: Sequence[Report]) -> Mapping[tuple[int, int], Report]:
    return {(r.period.first.year, r.period.first.month): r for r in reports}

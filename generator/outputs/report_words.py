"""The words of a report, in one language: the sentences its text form (``reports.py``)
and its pages (the published one, ``html.py``, and the standalone one) share."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from generator.core.model import SiteConfig
from generator.core.reporting import STATUSES, Figures, IncidentFigures, MaintenanceFigures, Report
from generator.core.times import zone_name
from generator.core.vocabulary import IMPACTS
from generator.language import Words


class Sayings:
    """What the words of a report are, in one language: the sentences the text and the
    HTML forms share."""

    def __init__(
        self, report: Report, config: SiteConfig, said: Words, *, titles: bool = False
    ) -> None:
        #: How a sentence names an incident: by its title (a page), else by its id (the
        #: text form, for a closing note that people search for the file).
        self.titles = (
            {f.incident.id: str(f.incident.title) for f in report.incidents} if titles else {}
        )
        self.report = report
        self.config = config
        self.said = said

    def name(self, incident_id: str) -> str:
        return self.titles.get(incident_id, incident_id)

    def length(self, seconds: float) -> str:
        """A length of time to the minute (45 min; 2 hr and 5 min; 3 days and 4 hr)."""
        start = self.report.period.start
        return self.said.duration(start, start + timedelta(seconds=round(seconds)))

    def title(self) -> str:
        period = self.report.period
        if period.month:
            return self.said.gettext(
                "Report for %(month)s", month=self.said.month(period.first, inside=True)
            )
        return self.said.gettext(
            "Report for %(start)s to %(end)s",
            start=self.said.day(period.first),
            end=self.said.day(period.last),
        )

    def period(self) -> str:
        """The days, their zone, and until when they are counted."""
        period, said = self.report.period, self.said
        zone = zone_name(self.config.timezone)
        text = said.gettext(
            "%(start)s to %(end)s, whole days in %(zone)s.",
            start=said.day(period.first),
            end=said.day(period.last),
            zone=zone,
        )
        if not self.report.complete:
            counted = said.when(self.report.until, self.config.timezone)
            text += said.gap + said.gettext("Counted until %(time)s.", time=counted)
        return text

    def made(self) -> str:
        return self.said.gettext(
            "Made %(time)s.", time=self.said.when(self.report.now, self.config.timezone)
        )

    def counting(self) -> str:
        # "%%" is a percent sign: the message is formatted, though it names no value
        said = self.said.translations.gettext(
            "Uptime counts time in major outage fully and partial outage at 30%%; degraded "
            "performance does not lower it. Maintenance never lowers uptime: its time is "
            "shown as under maintenance, and a cancelled window counts no time. An incident "
            "that spans two periods counts in both."
        )
        return said % {}

    def promises(self, kept: int, made: int) -> str:
        return self.said.gettext("promises kept: %(kept)s of %(made)s", kept=kept, made=made)

    def telling(self, figures: IncidentFigures) -> str:
        """How the team told its readers about one incident, in one sentence."""
        return _telling(figures, self)

    def communication(self) -> list[str]:
        """The team's telling over the whole period, a sentence each."""
        return _communication_lines(self.report, self)

    def resolution(self, figures: Figures) -> tuple[str, str]:
        """The mean and the longest time to resolve, or a dash each where none was."""
        resolution = figures.resolution
        longest = resolution.longest
        if longest is None:
            return "\u2013", "\u2013"  # en dashes: nothing to tell
        return self.length(resolution.mean or 0.0), self.length(longest[0])


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def table(rows: Sequence[Sequence[str]], right: int = 1) -> list[str]:
    """Rows as aligned columns: the first ``right`` columns to the left, the rest to the
    right (figures)."""
    widths = [max(width(row[n]) for row in rows) for n in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = []
        for n, cell in enumerate(row):
            pad = " " * (widths[n] - width(cell))
            cells.append(cell + pad if n < right else pad + cell)
        lines.append("  " + "  ".join(cells).rstrip())
    return lines


def ordered(report: Report) -> list[tuple[Figures, int]]:
    """The rows of a report's tables: the site, then each group with its members indented,
    and the components without a group, in the site's order."""
    rows: list[tuple[Figures, int]] = [(report.overall, 0)]
    groups = {g.key: g for g in report.groups}
    done: set[str] = set()
    for component in report.components:
        if component.group is None:
            rows.append((component, 0))
        elif component.group not in done:
            done.add(component.group)
            group = groups[component.group]
            rows.append((group, 0))
            rows += [(c, 1) for c in report.components if c.group == component.group]
    return rows


def incident_lines(figures: IncidentFigures, say: Sayings) -> list[str]:
    said, incident = say.said, figures.incident
    zone = say.config.timezone
    names = {c.id: c.name for c in say.config.components}
    components = said.gettext(", ").join(names.get(c, c) for c in figures.components)
    lines = [f"{incident.title} ({incident.id})"]
    facts = said.gettext("%(impact)s.", impact=said.label("impact", incident.impact))
    if components:
        facts += said.gap + said.gettext("Affected: %(components)s.", components=components)
    lines.append(facts)
    started = said.when(incident.start, zone)
    if figures.to_resolve is not None:
        lines.append(
            said.gettext(
                "Started %(time)s; resolved %(length)s after its first update.",
                time=started,
                length=say.length(figures.to_resolve),
            )
        )
    else:
        lines.append(said.gettext("Started %(time)s; not resolved.", time=started))
    return lines


def _telling(figures: IncidentFigures, say: Sayings) -> str:
    said = say.said
    return said.gettext("; ").join(telling_parts(figures, say)) + said.gettext(".")


def telling_parts(figures: IncidentFigures, say: Sayings) -> list[str]:
    """The pieces of :meth:`Sayings.telling`, for a text that breaks lines between them."""
    said, telling = say.said, figures.telling
    return [
        said.gettext("First update after %(length)s", length=say.length(telling.to_first_update)),
        said.gettext("longest without an update %(length)s", length=say.length(telling.silence)),
        say.promises(telling.count("kept"), len(telling.promises))
        if telling.promises
        else said.gettext("no next update promised"),
        said.gettext("all clear posted") if telling.all_clear else said.gettext("no all clear"),
    ]


def maintenance_lines(work: MaintenanceFigures, say: Sayings) -> list[str]:
    said = say.said
    zone = say.config.timezone
    maintenance = work.maintenance
    lines = [f"{maintenance.title} ({maintenance.id})"]
    window = maintenance.scheduled
    status = said.label("status", work.status)
    if window is not None:
        lines.append(
            said.gettext(
                "Planned: %(start)s to %(end)s.",
                start=said.when(window.start, zone),
                end=said.when(window.end, zone),
            )
        )
    lines.append(
        said.gettext(
            "%(status)s; under maintenance for %(length)s in this period.",
            status=status,
            length=say.length(work.seconds),
        )
    )
    return lines


def _communication_lines(report: Report, say: Sayings) -> list[str]:
    said, told = say.said, report.communication
    if not told.incidents:
        return [said.gettext("No incidents in this period.")]
    first, silence = told.longest_first_update, told.longest_silence
    mean = told.mean_first_update or 0.0
    lines = []
    if first is not None:
        lines.append(
            said.gettext(
                "Time to first update: %(mean)s on average, longest %(longest)s (%(id)s).",
                mean=say.length(mean),
                longest=say.length(first[0]),
                id=say.name(first[1]),
            )
        )
    if silence is not None:
        lines.append(
            said.gettext(
                "Longest time without an update while open: %(length)s (%(id)s).",
                length=say.length(silence[0]),
                id=say.name(silence[1]),
            )
        )
    lines.append(
        said.gettext(
            "Next updates promised and kept: %(kept)s of %(made)s.",
            kept=len(told.kept),
            made=len(told.made),
        )
        if told.made
        else said.gettext("No next update was promised.")
    )
    lines.append(
        said.gettext(
            "Incidents with an all clear: %(posted)s of %(count)s.",
            posted=len(told.all_clear),
            count=len(told.incidents),
        )
    )
    return lines


def html_context(report: Report, config: SiteConfig, said: Words) -> dict[str, Any]:
    """What ``statusgen/report.html`` shows, for the published page and the standalone one."""
    return {
        "report": report,
        "say": Sayings(report, config, said, titles=True),
        "rows": ordered(report),
        "statuses": STATUSES,
        "impacts": IMPACTS,
    }

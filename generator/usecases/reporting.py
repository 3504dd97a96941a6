"""``report``: a period of the site in figures, as text, CSV, JSON or a standalone page."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from generator.core.diagnostics import display_path
from generator.core.errors import ThemeError
from generator.core.files import write_out
from generator.core.model import StatusPage
from generator.core.reporting import Period, report
from generator.core.times import EARLIEST, LATEST, format_utc
from generator.input.theme import theme_dirs
from generator.outputs import reports
from generator.usecases.errors import Failed, WrongUsage, valid
from generator.usecases.workspace import Workspace

#: The forms of a report.
REPORT_FORMATS = reports.FORMATS
#: The longest period a report covers: ten years, as the longest uptime bars.
MAX_DAYS = 3660

_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True)
class ReportRequest:
    """A report at ``now`` of ``month`` (YYYY-MM), or of the days ``start`` to ``end``
    (YYYY-MM-DD, both included), or else of the previous calendar month; in ``form``
    (text, csv, json, html), written to ``out`` (whole or not at all) or returned."""

    now: datetime
    month: str | None = None
    start: str | None = None
    end: str | None = None
    form: str = "text"
    out: Path | None = None


def report_period(request: ReportRequest, workspace: Workspace) -> Period:
    """The period a request asks for, or ``WrongUsage`` naming the option and saying what
    to write instead (a command line's mistake, not the repository's: exit 2)."""
    zone = workspace.config.timezone
    if request.month is not None and (request.start is not None or request.end is not None):
        raise WrongUsage("--month and --from/--to both give the period; give one or the other")
    if request.month is not None:
        year, month = _month(request.month)
        period = Period.of_month(year, month, zone)
    elif request.start is not None or request.end is not None:
        if request.start is None or request.end is None:
            missing = "--from" if request.start is None else "--to"
            raise WrongUsage(
                f"Missing option '{missing}': give both --from and --to, e.g. --from "
                "2026-11-01 --to 2026-11-15 (both days included)"
            )
        first, last = _date(request.start, "--from"), _date(request.end, "--to")
        if last < first:
            raise WrongUsage(
                f"{request.end} is before --from {request.start}: --to is the last day of "
                "the period",
                "--to",
            )
        if (last - first).days >= MAX_DAYS:
            raise WrongUsage(
                f"the period from {request.start} to {request.end} is longer than ten "
                "years; make a report of ten years or less",
                "--from",
            )
        period = Period.of_days(first, last, zone)
    else:
        local = request.now.astimezone(zone)
        year, month = (local.year - 1, 12) if local.month == 1 else (local.year, local.month - 1)
        period = Period.of_month(year, month, zone)
    if period.start >= request.now:
        raise WrongUsage(
            f"the period {period.name} has not begun at {format_utc(request.now)}; report "
            "on a period that has begun, or give --now",
            "--month" if request.month is not None else "--from",
        )
    return period


def _month(text: str) -> tuple[int, int]:
    match = _MONTH.fullmatch(text.strip())
    hint = "write the month as YYYY-MM, for example 2026-11"
    if match is None:
        raise WrongUsage(f"'{text}' is not a month; {hint}", "--month")
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12:
        raise WrongUsage(f"'{text}' is not a month: there is no month {month}; {hint}", "--month")
    if not EARLIEST.year <= year < LATEST.year:
        raise WrongUsage(
            f"'{text}' is outside the supported range of times: statusgen takes times from "
            "1970 to 2999; check the year",
            "--month",
        )
    return year, month


def _date(text: str, option: str) -> date:
    hint = "write the day as YYYY-MM-DD, for example 2026-11-01"
    if _DATE.fullmatch(text.strip()) is None:
        raise WrongUsage(f"'{text}' is not a day; {hint}", option)
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise WrongUsage(f"'{text}' is not a day of the calendar; {hint}", option) from None
    if not EARLIEST.year <= day.year < LATEST.year or day + timedelta(days=1) > LATEST.date():
        raise WrongUsage(
            f"'{text}' is outside the supported range of times: statusgen takes times from "
            "1970 to 2999; check the year",
            option,
        )
    return day


def make_report(workspace: Workspace, request: ReportRequest) -> str:
    """The report as the request asks, from valid files; written to ``request.out`` when
    given (whole or not at all), and returned."""
    period = report_period(request, workspace)
    repository = workspace.repository
    config = valid(repository, "the report was not made: {errors} in the input")
    site = StatusPage.at(config, repository.incidents, request.now)
    made = report(site, period)
    if request.form == "csv":
        text = reports.to_csv(made)
    elif request.form == "json":
        text = reports.to_json(made, config)
    elif request.form == "html":
        try:
            text = reports.to_html(made, config, theme_dirs(workspace.root))
        except ThemeError as error:
            raise Failed(f"the report was not made: {error}") from None
    else:
        text = reports.to_text(made, config)
    if request.out is not None:
        try:
            write_out(request.out, text.encode(), mode=0o644)
        except OSError as error:
            raise Failed(
                f"the report was not written to {display_path(request.out)}: "
                f"{error.strerror or error}"
            ) from None
    return text

"""Values an interface was given as text (times, URLs, a maintenance window), parsed, or
``WrongUsage`` naming the option at fault."""

from __future__ import annotations

from datetime import datetime, tzinfo

from generator.builder import BuildError, now_from_environment
from generator.core.routes import site_url
from generator.core.times import Promise, TimeError, parse_duration, parse_promise, parse_time
from generator.usecases.errors import WrongUsage
from generator.usecases.workspace import Workspace


def time_in(zone: tzinfo, value: str | None, option: str) -> datetime | None:
    """A time given as ``option``; one without a zone is in ``zone``."""
    if value is None:
        return None
    try:
        return parse_time(value, zone)
    except TimeError as error:
        raise WrongUsage(f"{error.message}; {error.hint}", option) from None


def site_time(workspace: Workspace, value: str | None, option: str) -> datetime | None:
    """A time given as ``option``; one without a zone is in the site's time zone."""
    if value is None:
        return None
    return time_in(workspace.config.timezone, value, option)


def promise(workspace: Workspace, value: str | None, option: str) -> Promise | None:
    """A promised next update given as ``option``: a time, a time of day or a duration."""
    if value is None:
        return None
    try:
        return parse_promise(value, workspace.config.timezone)
    except TimeError as error:
        raise WrongUsage(f"{error.message}; {error.hint}", option) from None


def now(workspace: Workspace, value: str | None) -> datetime:
    """``--now``, else $SOURCE_DATE_EPOCH, else the clock."""
    moment = site_time(workspace, value, "--now")
    if moment is not None:
        return moment
    try:
        return now_from_environment()
    except BuildError as error:
        raise WrongUsage(error.message) from None


def base_url(value: str | None) -> str | None:
    """``--base-url`` checked by the URL rule, ending in a slash."""
    if value is None:
        return None
    try:
        return site_url(value)
    except ValueError as error:
        raise WrongUsage(str(error), "--base-url") from None


def duration_seconds(value: str) -> float:
    """A duration (30s, 15m, 1h, 1h30m) of at least a second, in seconds; the
    ``WrongUsage`` names no option, as the interface knows which one it parses."""
    try:
        total = parse_duration(value).total_seconds()
    except TimeError as error:
        raise WrongUsage(f"{error.message}; {error.hint}") from None
    if total < 1:
        raise WrongUsage("must be at least 1s")
    return total


def window(
    workspace: Workspace, maintenance: bool, start: str | None, end: str | None
) -> tuple[datetime, datetime] | None:
    """The planned window of a maintenance (``--start``, ``--end``); None for an incident."""
    if maintenance and (start is None or end is None):
        raise WrongUsage("--maintenance needs --start and --end: the planned window.")
    if not maintenance and (start is not None or end is not None):
        raise WrongUsage("--start and --end go with --maintenance.")
    if not maintenance:
        return None
    window_start = site_time(workspace, start, "--start")
    window_end = site_time(workspace, end, "--end")
    assert window_start is not None and window_end is not None
    return window_start, window_end


def component_pairs(values: tuple[str, ...]) -> list[tuple[str, str | None]]:
    """``ID[=STATUS]`` values as (component, status or None) pairs, in their order."""
    return [(c, s or None) for c, _, s in (value.partition("=") for value in values)]

"""The ``statusgen`` command.

Exit codes: 0 success, 1 invalid input (the message names the file, the line and a fix),
2 wrong usage. Bad input never shows a traceback.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from generator import __version__
from generator.builder import (
    BuildError,
    build_id_from_environment,
    build_site,
    now_from_environment,
    serve_site,
)
from generator.builder.serve import WATCHED
from generator.core import routes
from generator.core.diagnostics import (
    FORMATS,
    Diagnostic,
    Format,
    did_you_mean,
    display_path,
    one_of,
    render,
)
from generator.core.errors import ServeError, ShellError, ThemeError, WriteError
from generator.core.model import Incident, SiteConfig, StatusPage
from generator.core.routes import site_url
from generator.core.times import (
    RANGE_HINT,
    TimeError,
    check_range,
    parse_duration,
    parse_time,
    to_utc_seconds,
)
from generator.core.vocabulary import (
    COMPONENT_STATUSES,
    IMPACTS,
    INCIDENT_STATUSES,
    MAINTENANCE_STATUSES,
    component_statuses,
    impact_from_statuses,
    label,
)
from generator.input.actions import (
    MAX_PAYLOAD_BYTES,
    Action,
    ActionError,
    draft_name,
    load_payload,
    read_action,
)
from generator.input.authoring import (
    AuthoringError,
    NewIncident,
    append_update,
    find_key,
    locked,
    new_incident_path,
    next_time,
    update_entry,
    write_new,
)
from generator.input.schemas import INCIDENT_SCHEMA, SCHEMA_DIR, write_schemas
from generator.input.text import HINT as TEXT_HINT
from generator.input.text import text_problem
from generator.input.validate import (
    CONFIG_NAME,
    Repository,
    incident_files,
    incident_index,
    load_repository,
    read_config,
    read_incident,
)
from generator.lint import lint as lint_site
from generator.migrate import SourceError, write
from generator.migrate import cstate as cstate_source
from generator.migrate import statuspage as statuspage_source
from generator.notify import LEDGER, LedgerError
from generator.notify import Report as NotifyReport
from generator.notify import notify as notify_channels
from generator.publish.mirror import PublishError, publish_site
from generator.publish.verify import VerifyError, verify_live

F = TypeVar("F", bound=Callable[..., Any])


class InputError(click.ClickException):
    """Invalid input: exit 1, with the problems printed one per line before the message."""

    exit_code = 1

    def __init__(
        self, message: str, diagnostics: list[Diagnostic] | None = None, hint: str | None = None
    ) -> None:
        super().__init__(message + (f"; {hint}" if hint else ""))
        self.diagnostics = diagnostics or []

    def show(self, file: Any = None) -> None:
        click.echo(render(self.diagnostics, "text"), nl=False, err=True)
        super().show(file)


class Project:
    """The status repository a command works on, read lazily."""

    def __init__(self) -> None:
        self.root = Path()

    @cached_property
    def repository(self) -> Repository:
        return load_repository(self.root)

    @cached_property
    def config(self) -> SiteConfig:
        """The site config, or exit 1 naming what is wrong with it."""
        path = self.root / CONFIG_NAME
        if not path.is_file():
            raise InputError(
                f"there is no {CONFIG_NAME} in {self.root.resolve()}",
                hint="run statusgen in your status repository, or pass --root",
            )
        config, problems = read_config(path)
        if config is None:
            raise InputError(f"{display_path(path)} is not valid", problems)
        return config

    def time(self, value: str | None, option: str) -> datetime | None:
        """A time given on the command line; naive ones are in the site's time zone."""
        if value is None:
            return None
        try:
            return parse_time(value, self.config.timezone)
        except TimeError as error:
            raise click.BadParameter(f"{error.message}; {error.hint}", param_hint=option) from None

    def incident(self, incident_id: str) -> Incident:
        """The incident with this id, valid, or exit 1 naming the closest ids."""
        config = self.config
        index = incident_index(self.root)
        path = index.get(incident_id)
        if path is None:
            containing = sorted(i for i in index if incident_id in i)
            hint = did_you_mean(incident_id, index)
            if hint is None and 0 < len(containing) <= 3:
                hint = "did you mean " + " or ".join(f"'{i}'" for i in containing) + "?"
            if hint is None and index:
                newest = sorted(index, reverse=True)[:3]
                hint = "the newest ids are " + ", ".join(f"'{i}'" for i in newest)
            raise InputError(f"there is no incident with the id '{incident_id}'", hint=hint)
        incident, problems = read_incident(path, config)
        if incident is None:
            raise InputError(f"fix {display_path(path)} before adding an update to it", problems)
        return incident


pass_project = click.make_pass_decorator(Project, ensure=True)


def _set_root(ctx: click.Context, _param: click.Parameter, value: Path) -> None:
    ctx.ensure_object(Project).root = value


def root_option(command: F) -> F:
    return click.option(
        "--root",
        type=click.Path(file_okay=False, path_type=Path),
        default=".",
        show_default=True,
        expose_value=False,
        is_eager=True,
        callback=_set_root,
        help=f"The folder that holds {CONFIG_NAME}.",
    )(command)


def format_option(command: F) -> F:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default="text",
        show_default=True,
        help="text for people, github for GitHub Actions annotations, gitlab for a GitLab Code "
        "Quality report, json for tools.",
    )(command)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="statusgen")
def main() -> None:
    """Static status pages from incident files in git.

    Incidents are YAML files under incidents/; site_config.yml describes the site and its
    components. Every command takes --root, the folder that holds site_config.yml.
    """


@main.command()
@root_option
@format_option
@pass_project
@click.pass_context
def check(ctx: click.Context, project: Project, fmt: Format) -> None:
    """Validate site_config.yml and every incident file.

    Prints one line per problem, FILE:LINE:COL: error: MESSAGE, and exits 1 if there is any.
    """
    repository = project.repository
    click.echo(render(repository.diagnostics, fmt), nl=False)
    errors = sum(d.severity == "error" for d in repository.diagnostics)
    if errors:
        if fmt != "json":
            files = len({d.file for d in repository.diagnostics})
            click.echo(f"{_count(errors, 'error')} in {_count(files, 'file')}", err=True)
        ctx.exit(1)
    if fmt != "json":
        click.echo(
            f"{_count(repository.files, 'file')} checked "
            f"({_count(len(repository.incidents), 'incident')}): no problems",
            err=True,
        )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _usage(message: str) -> NoReturn:
    raise click.UsageError(message)


def _check_status(status: str, maintenance: bool) -> None:
    allowed = MAINTENANCE_STATUSES if maintenance else INCIDENT_STATUSES
    if status not in allowed:
        kind = "a maintenance" if maintenance else "an incident"
        raise InputError(f"'{status}' is not a status of {kind}", hint=f"use {one_of(allowed)}")


def _components(values: tuple[str, ...], config: SiteConfig) -> dict[str, str | None]:
    parsed: dict[str, str | None] = {}
    for value in values:
        component, _, status = value.partition("=")
        if component not in config.component_ids:
            hint = did_you_mean(component, config.component_ids) or (
                f"use one of {one_of(sorted(config.component_ids))}"
                if config.component_ids
                else f"add components to {CONFIG_NAME} first"
            )
            raise InputError(f"unknown component '{component}'", hint=hint)
        if status and status not in COMPONENT_STATUSES:
            hint = did_you_mean(status, COMPONENT_STATUSES) or f"use {one_of(COMPONENT_STATUSES)}"
            raise InputError(f"unknown component status '{status}'", hint=hint)
        parsed[component] = status or None
    return parsed


def _message(message: str | None) -> str:
    if message is None:
        if not sys.stdin.isatty():
            _usage("Missing option '--message': what customers should read.")
        message = click.prompt("Message (what customers should read)")
    if not message.strip():
        raise InputError("the message is empty", hint="say what customers experience")
    _check_text(message, "the message")
    return message


def _check_text(text: str, what: str) -> None:
    problem = text_problem(text)
    if problem is not None:
        raise InputError(f"{what} contains {problem}", hint=TEXT_HINT)


@main.command()
@click.argument("title")
@click.option(
    "--impact",
    type=click.Choice([*IMPACTS, "maintenance"]),
    help="none, minor, major or critical. Default: from the worst component status, else minor.",
)
@click.option(
    "--component",
    "components",
    multiple=True,
    metavar="ID[=STATUS]",
    help="An affected component, with its status (default: from the impact). Repeatable.",
)
@click.option("--region", "regions", multiple=True, help="A region in scope. Repeatable.")
@click.option(
    "--status",
    type=click.Choice([*INCIDENT_STATUSES, *MAINTENANCE_STATUSES]),
    help="Status of the first update (default: investigating, or scheduled).",
)
@click.option("--message", help="The first update customers read (Markdown).")
@click.option("--maintenance", is_flag=True, help="Announce a maintenance (needs --start, --end).")
@click.option("--start", metavar="TIME", help="Start of the maintenance window.")
@click.option("--end", metavar="TIME", help="End of the maintenance window.")
@click.option("--at", metavar="TIME", help="Time of the first update (default: now).")
@click.option("--next-update", metavar="TIME", help="When the next update is promised.")
@root_option
@pass_project
def new(
    project: Project,
    title: str,
    impact: str | None,
    components: tuple[str, ...],
    regions: tuple[str, ...],
    status: str | None,
    message: str | None,
    maintenance: bool,
    start: str | None,
    end: str | None,
    at: str | None,
    next_update: str | None,
) -> None:
    """Write a new incident (or maintenance) file and print its path.

    The file is incidents/<date>-<slug>.yml, dated by the start in the site's time zone.
    """
    if maintenance and (start is None or end is None):
        _usage("--maintenance needs --start and --end: the planned window.")
    if not maintenance and (start is not None or end is not None):
        _usage("--start and --end go with --maintenance.")
    window = None
    if maintenance:
        window_start, window_end = project.time(start, "--start"), project.time(end, "--end")
        assert window_start is not None and window_end is not None
        window = (window_start, window_end)
    path = _create(
        project,
        title,
        impact,
        _components(components, project.config),
        regions,
        status,
        _message(message),
        window,
        project.time(at, "--at"),
        project.time(next_update, "--next-update"),
    )
    click.echo(display_path(path))


def _create(
    project: Project,
    title: str,
    impact: str | None,
    named: dict[str, str | None],
    regions: Sequence[str],
    status: str | None,
    message: str,
    window: tuple[datetime, datetime] | None,
    at: datetime | None,
    next_update: datetime | timedelta | None,
    key: str | None = None,
) -> Path:
    """Write a new incident file (what new and apply's new do); its path."""
    maintenance = window is not None
    if not title.strip():
        raise InputError("the title is empty", hint="say what customers experience")
    _check_text(title, "the title")
    config = project.config
    status = status or ("scheduled" if maintenance else "investigating")
    _check_status(status, maintenance)
    if impact == "maintenance" and not maintenance:
        raise InputError("'maintenance' is the impact of a maintenance", hint="add --maintenance")
    if impact is None and not maintenance:
        impact = impact_from_statuses(named.values())
    affected = component_statuses(named, impact)
    moment = to_utc_seconds(at or datetime.now(UTC))
    promised = _promise(moment, next_update)
    if window is not None:
        window = (to_utc_seconds(window[0]), to_utc_seconds(window[1]))
    record = NewIncident(
        title=title.strip(),
        message=message,
        at=moment,
        status=status,
        impact=impact,
        components=affected,
        regions=tuple(regions),
        window=window,
        next_update=promised,
        key=key,
    )
    path = new_incident_path(
        project.root,
        config,
        window[0] if window else moment,
        title,
        set(incident_index(project.root)),
    )
    schema = project.root / SCHEMA_DIR / INCIDENT_SCHEMA
    _write(lambda: write_new(path, record, config, schema if schema.is_file() else None))
    return path


def _promise(moment: datetime, next_update: datetime | timedelta | None) -> datetime | None:
    """The promised next update: a time, or a duration from the update's own time."""
    if next_update is None:
        return None
    promised = moment + next_update if isinstance(next_update, timedelta) else next_update
    promised = to_utc_seconds(promised)
    try:
        check_range(promised)
    except TimeError:
        raise InputError(
            f"the next update would be at {promised:%Y-%m-%d %H:%M} UTC, "
            "outside the supported range of times",
            hint=RANGE_HINT,
        ) from None
    if promised <= moment:
        raise InputError(
            "the next update is not after the update itself",
            hint="promise the time the next update will really come",
        )
    return promised


def _write(action: Callable[[], None]) -> None:
    try:
        action()
    except AuthoringError as error:
        raise InputError(error.message, error.diagnostics, error.hint) from None


@main.command()
@click.argument("incident_id", metavar="ID")
@click.option(
    "--status",
    type=click.Choice([*INCIDENT_STATUSES, *MAINTENANCE_STATUSES]),
    help="The new status (default: unchanged).",
)
@click.option("--message", required=True, help="What customers should know now (Markdown).")
@click.option("--next-update", metavar="TIME", help="When the next update is promised.")
@click.option("--at", metavar="TIME", help="Time of the update (default: now).")
@root_option
@pass_project
def update(
    project: Project,
    incident_id: str,
    status: str | None,
    message: str,
    next_update: str | None,
    at: str | None,
) -> None:
    """Add an update to the incident ID, keeping the file's comments and layout."""
    promised = project.time(next_update, "--next-update")
    moment = project.time(at, "--at")
    with _writing(project.incident(incident_id).path):
        incident = project.incident(incident_id)  # as it is now that no one else writes
        if status is not None:
            _check_status(status, incident.is_maintenance)
        _append(project, incident, message, status, moment, promised)
    click.echo(display_path(incident.path))


@main.command()
@click.argument("incident_id", metavar="ID")
@click.option("--message", required=True, help="The all clear: what works again (Markdown).")
@click.option("--at", metavar="TIME", help="Time of the all clear (default: now).")
@root_option
@pass_project
def resolve(project: Project, incident_id: str, message: str, at: str | None) -> None:
    """Post the all clear for the incident ID (a maintenance is marked completed)."""
    moment = project.time(at, "--at")
    with _writing(project.incident(incident_id).path):
        incident = project.incident(incident_id)  # as it is now that no one else writes
        status = "completed" if incident.is_maintenance else "resolved"
        _append(project, incident, message, status, moment, None)
    click.echo(display_path(incident.path))


@contextlib.contextmanager
def _writing(path: Path) -> Iterator[None]:
    """The incident file to this command alone, while it reads and writes it."""
    try:
        with locked(path):
            yield
    except TimeoutError:
        raise InputError(
            f"another statusgen command is writing {display_path(path)}",
            hint="wait for it to finish, then run this one again",
        ) from None


def _append(
    project: Project,
    incident: Incident,
    message: str,
    status: str | None,
    at: datetime | None,
    next_update: datetime | timedelta | None,
    key: str | None = None,
) -> None:
    """Add an update to ``incident``'s file (what update, resolve and apply do)."""
    moment = next_time(incident, at or datetime.now(UTC))
    entry = update_entry(moment, _message(message), status, _promise(moment, next_update), key)
    _write(lambda: append_update(incident.path, entry, project.config))


def _base_url(value: str | None) -> str | None:
    """``--base-url`` checked by the URL rule, ending in a slash; usage error otherwise."""
    if value is None:
        return None
    try:
        return site_url(value)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--base-url") from None


def _now(project: Project, value: str | None) -> datetime:
    moment = project.time(value, "--now")
    if moment is not None:
        return moment
    try:
        return now_from_environment()
    except BuildError as error:
        raise click.UsageError(error.message) from None


@main.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to write the site (default: ROOT/site). Replaced whole, only once complete.",
)
@click.option(
    "--now",
    metavar="TIME",
    help="The moment the site describes (default: $SOURCE_DATE_EPOCH, else the clock).",
)
@click.option(
    "--base-url",
    metavar="URL",
    help="Use this URL instead of site.url in every absolute link (feed ids never change).",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Render every page again instead of reusing ROOT/.statusgen-cache.",
)
@click.option(
    "--build-id",
    metavar="ID",
    help="What live.json names this build, for statusgen verify (default: "
    "$GITHUB_SHA-$GITHUB_RUN_ID, else a digest of the inputs).",
)
@root_option
@pass_project
def build(
    project: Project,
    out: Path | None,
    now: str | None,
    base_url: str | None,
    no_cache: bool,
    build_id: str | None,
) -> None:
    """Check everything, then build the site (nothing is written if the check fails).

    The same inputs and the same --now give byte-identical output.
    """
    base_url = _base_url(base_url)
    moment = _now(project, now)
    target = out if out is not None else project.root / "site"
    step = 1000

    def progress(done: int, total: int) -> None:
        if total >= 2 * step and done % step == 0:
            click.echo(f"  {done} of {total} pages rendered", err=True)

    try:
        result = build_site(
            project.root,
            target,
            moment,
            base_url,
            progress,
            cache=not no_cache,
            build_id=_build_id(build_id),
        )
    except BuildError as error:
        raise InputError(error.message, error.diagnostics) from None
    except ThemeError as error:
        raise click.ClickException(f"the site was not built: {error}") from None
    except ShellError as error:
        raise click.ClickException(f"the page shell failed: {error}") from None
    except WriteError as error:
        raise click.ClickException(f"the site was not built: {error}") from None
    click.echo(
        f"Built {display_path(result.out)}: {_count(result.pages, 'page')} "
        f"({result.rendered} rendered, {result.pages - result.rendered} from the cache), "
        f"{_count(result.feeds, 'feed')} and {_count(result.other_files, 'other file')} "
        f"(API, calendar, badges, embed) for {_count(result.incidents, 'incident')} "
        f"in {result.seconds:.1f} s",
        err=True,
    )


def _duration(_ctx: click.Context, param: click.Parameter, value: str) -> float:
    """A duration option (30s, 15m, 1h, 1h30m), in seconds."""
    try:
        seconds = parse_duration(value).total_seconds()
    except TimeError as error:
        raise click.BadParameter(f"{error.message}; {error.hint}", param=param) from None
    if seconds < 1:
        raise click.BadParameter("must be at least 1s", param=param)
    return seconds


@main.command()
@click.argument("url")
@click.option(
    "--build",
    "build_id",
    metavar="ID",
    help="The build to wait for (default: the one in ROOT/site/live.json, the last build).",
)
@click.option(
    "--timeout",
    metavar="DURATION",
    callback=_duration,
    default="10m",
    show_default=True,
    help="Give up after this long (exit 1, saying what the host served last).",
)
@click.option(
    "--interval",
    metavar="DURATION",
    callback=_duration,
    default="5s",
    show_default=True,
    help="How long to wait between two requests.",
)
@root_option
@pass_project
def verify(
    project: Project, url: str, build_id: str | None, timeout: float, interval: float
) -> None:
    """Wait until the site at URL serves the build ID, and print how long that took.

    Polls URL/live.json (URL is the site's root). Exits 0 once it names the build, 1 after
    --timeout; a 404, a 5xx, invalid JSON or a timeout is retried, and reported once.
    """
    if build_id is None:
        build_id = _last_build(project.root / "site")
    try:
        seconds = verify_live(url, build_id, timeout, interval, say=_say)
    except VerifyError as error:
        raise InputError(str(error)) from None
    click.echo(f"{seconds:.0f}")


def _last_build(site: Path) -> str:
    try:
        build_id = json.loads((site / routes.live()).read_text(encoding="utf-8"))["build"]
    except (OSError, ValueError, KeyError, TypeError):
        _usage(f"Missing option '--build': {display_path(site / routes.live())} names no build.")
    if not isinstance(build_id, str):
        _usage(f"Missing option '--build': {display_path(site / routes.live())} names no build.")
    return build_id


def _say(line: str) -> None:
    click.echo(line, err=True)


@main.command()
@click.argument("dest")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="The built site to upload (default: ROOT/site).",
)
@click.option("--dry-run", is_flag=True, help="List what would change; send nothing.")
@root_option
@pass_project
def publish(project: Project, dest: str, out: Path | None, dry_run: bool) -> None:
    """Upload the built site to DEST, an rclone remote path, sending only what changed.

    DEST is a remote from rclone's environment variables (RCLONE_CONFIG_<NAME>_TYPE=s3, ...)
    or a connection string such as ":webdav,url='https://dav.example':site". New and changed
    files go first (assets, then feeds and JSON, then pages), deletions last, so that no
    page ever links a missing file; a run that was killed converges when run again.
    """
    site = out if out is not None else project.root / "site"
    try:
        publish_site(site, dest, dry_run=dry_run, say=_say)
    except PublishError as error:
        raise InputError(str(error)) from None


def _build_id(given: str | None) -> str | None:
    """``--build-id`` checked (it is written into live.json and compared by verify), else
    the one GitHub Actions gives."""
    if given is None:
        return build_id_from_environment()
    if not re.fullmatch(r"[A-Za-z0-9._:+-]{1,100}", given):
        raise click.BadParameter(
            f"'{given}' is not a build id: use up to 100 letters, digits and . _ : + -",
            param_hint="--build-id",
        )
    return given


def _interrupt(_signal: int, _frame: object) -> None:
    raise KeyboardInterrupt


@main.command()
@click.option("--port", type=int, default=8000, show_default=True, help="Port to listen on.")
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback)."
)
@root_option
@pass_project
def serve(project: Project, port: int, host: str) -> None:
    """Preview the site, rebuilt and reloaded in the browser whenever an incident file, the
    config or the theme changes. Stop with Ctrl+C.
    """
    root = project.root
    signal.signal(signal.SIGTERM, _interrupt)  # stop as on Ctrl+C, cleaning up

    def rebuild(out: Path) -> bool:
        try:
            # no second process: forking beside the server's threads is unsafe
            result = build_site(root, out, _now(project, None), parallel=False)
        except BuildError as error:
            click.echo(render(error.diagnostics, "text"), nl=False, err=True)
            click.echo(f"Not rebuilt: {error.message}", err=True)
            return False
        except (ThemeError, ShellError, WriteError) as error:
            click.echo(f"Not rebuilt: {error}", err=True)
            return False
        click.echo(f"Rebuilt: {_count(result.pages, 'page')} in {result.seconds:.1f} s", err=True)
        return True

    names = [f"{name}/" if "." not in name else name for name in WATCHED]
    watching = ", ".join(names[:-1]) + " and " + names[-1]
    try:
        served = serve_site(
            root,
            rebuild,
            host=host,
            port=port,
            announce=lambda url: click.echo(
                f"Serving on {url} (Ctrl+C to stop); watching {watching}", err=True
            ),
        )
    except ServeError as error:
        raise click.ClickException(str(error)) from None
    except OSError as error:
        raise click.ClickException(f"cannot serve: {error.strerror or error}") from None
    if not served:
        raise InputError("fix the problems above, then run statusgen serve again")


@main.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to write them (default: ROOT/schemas).",
)
@root_option
@pass_project
def schema(project: Project, out: Path | None) -> None:
    """Write the JSON Schemas of incident files and site_config.yml, for editors.

    Name one in the first line of a file to get completion and checks as you type:
    # yaml-language-server: $schema=schemas/incident.schema.json
    """
    for path in write_schemas(out if out is not None else project.root / SCHEMA_DIR):
        click.echo(display_path(path))


@main.command("lint")
@format_option
@click.option("--strict", is_flag=True, help="Exit 1 when anything is found.")
@click.option(
    "--now",
    metavar="TIME",
    help="The moment to judge timeliness at (default: $SOURCE_DATE_EPOCH, else the clock).",
)
@root_option
@pass_project
@click.pass_context
def lint_command(
    ctx: click.Context, project: Project, fmt: Format, strict: bool, now: str | None
) -> None:
    """Advice on how the status updates speak to customers.

    Prints FILE:LINE:COL: warning[RULE]: MESSAGE; SUGGESTION for each finding and exits 0,
    or 1 with --strict when there is any. Turn rules off in site_config.yml (lint.disable)
    or for one incident (lint: {ignore: [RULE]}).
    """
    repository = project.repository
    if not repository.ok or repository.config is None:
        raise InputError(
            "fix these problems first: lint reads only valid files", repository.diagnostics
        )
    findings = lint_site(repository.config, repository.incidents, _now(project, now))
    click.echo(render(findings, fmt), nl=False)
    if fmt != "json":
        if findings:
            files = len({f.file for f in findings})
            click.echo(f"{_count(len(findings), 'warning')} in {_count(files, 'file')}", err=True)
        else:
            click.echo(
                f"{_count(len(repository.incidents), 'incident')} checked: no advice", err=True
            )
    if strict and findings:
        ctx.exit(1)


@main.command()
@click.option(
    "--now",
    metavar="TIME",
    help="The moment whose published updates are sent (default: $SOURCE_DATE_EPOCH, "
    "else the clock); give the publishing build's.",
)
@click.option(
    "--ledger",
    type=click.Path(dir_okay=False, path_type=Path),
    help=f"The record of what each channel received (default: ROOT/{LEDGER}).",
)
@click.option("--dry-run", is_flag=True, help="Print what each channel would get; send nothing.")
@click.option(
    "--channel",
    "channels",
    metavar="ID",
    multiple=True,
    help="Serve only this channel. Repeatable.",
)
@click.option(
    "--base-url",
    metavar="URL",
    help="Link to the site at this URL instead of site.url (as the build was given).",
)
@root_option
@pass_project
@click.pass_context
def notify(
    ctx: click.Context,
    project: Project,
    now: str | None,
    ledger: Path | None,
    dry_run: bool,
    channels: tuple[str, ...],
    base_url: str | None,
) -> None:
    """Send every published update to the channels of site_config.yml (notify:).

    Each channel gets, oldest first, each update it has not received yet, within
    notify.max_age_minutes, through its filters; the ledger records each send at once.
    A failed channel is retried by the next run and never stops the others (exit 1).
    """
    base_url = _base_url(base_url)
    moment = _now(project, now)
    repository = project.repository
    if not repository.ok or repository.config is None:
        raise InputError(
            "fix these problems first: notify sends only from valid files", repository.diagnostics
        )
    config = repository.config
    known = [channel.id for channel in config.notify.channels]
    for channel in channels:
        if channel not in known:
            hint = did_you_mean(channel, known) or (
                f"use {one_of(known)}" if known else f"add channels to {CONFIG_NAME} (notify:)"
            )
            raise click.BadParameter(f"no channel '{channel}'; {hint}", param_hint="--channel")
    if not known:
        click.echo(
            f"notify: no channels in {CONFIG_NAME} (notify: channels:); nothing to send", err=True
        )
        return

    def say(line: str, error: bool) -> None:
        click.echo(line, err=error)

    try:
        report = notify_channels(
            config,
            repository.incidents,
            moment,
            ledger if ledger is not None else project.root / LEDGER,
            say,
            dry_run=dry_run,
            only=channels,
            base_url=base_url,
            environ=os.environ,
        )
    except LedgerError as error:
        raise InputError(str(error)) from None
    summary = _notify_summary(report, dry_run)
    click.echo(summary, err=True)
    _step_summary(summary, report.given_up)
    if not report.ok:
        ctx.exit(1)


def _notify_summary(report: NotifyReport, dry_run: bool) -> str:
    """notify's last line: what was sent, what waits, what was recorded as failed."""
    sent = sum(len(ids) for ids in report.sent.values())
    verb = "would be sent" if dry_run else "sent"
    summary = f"notify: {_count(sent, 'message')} {verb} to {_count(len(report.sent), 'channel')}"
    if report.failed:
        waiting = sum(report.waiting.values())
        summary += (
            f"; {_count(len(report.failed), 'channel')} failed "
            f"({_count(waiting, 'message')} left for the next run)"
        )
    given_up = sum(len(events) for events in report.given_up.values())
    if given_up:
        summary += f"; {_count(given_up, 'message')} refused for good, recorded as failed"
    before = sum(report.failed_before.values())
    if before:
        summary += (
            f"; {_count(before, 'message')} recorded as failed by earlier runs (listed under "
            "'failed' in the ledger)"
        )
    return summary


def _code(text: str) -> str:
    """``text`` as the inside of a Markdown code span: a service's error, shown as it is."""
    return " ".join(text.replace("`", "'").split())


def _step_summary(summary: str, given_up: dict[str, dict[str, str]]) -> None:
    """In GitHub Actions, the run's summary page says what notify did, and names each
    message recorded as failed (the errors are masked like every line notify prints)."""
    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if not path:
        return
    lines = [f"### {summary}"]
    for channel, events in given_up.items():
        lines += [
            f"- **{channel}**: `{event}` failed for good: `{_code(error)}`"
            for event, error in events.items()
        ]
    with contextlib.suppress(OSError), Path(path).open("a", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")


@main.command()
@click.argument("source", metavar="FILE|-", type=click.File("rb"))
@click.option(
    "--now",
    metavar="TIME",
    help="The moment that decides which incident is open (default: $SOURCE_DATE_EPOCH, "
    "else the clock).",
)
@root_option
@pass_project
def apply(project: Project, source: Any, now: str | None) -> None:
    """Perform one action described as JSON: new, update or resolve.

    FILE is an action ({"action": "new", "title": ...}) or a GitHub event payload holding
    one (workflow_dispatch inputs, repository_dispatch client_payload); - reads it from
    the standard input. Values may be strings, as forms send them: components as
    "auth=partial_outage, dashboard", next_update as a time or a duration (30m, 2h). Nothing
    is written unless the whole action is valid. In GitHub Actions, path, summary,
    changed and review are also written to $GITHUB_OUTPUT for the next steps.
    """
    action = _read_action(project, source)
    if action.key is not None:
        done = find_key(incident_files(project.root), action.key)
        if done is not None:
            click.echo(display_path(done))
            click.echo(
                f"apply: the action with key '{action.key}' was applied before; nothing to do",
                err=True,
            )
            _github_outputs(done, changed=False, review=action.review, key=action.key)
            return
    path = _perform(project, action, now)
    summary = _summary(project, path, action.action)
    click.echo(display_path(path))
    click.echo(summary, err=True)
    _github_outputs(path, summary, changed=True, review=action.review, key=action.key)


def _read_action(project: Project, source: Any) -> Action:
    """The action ``source`` holds, or exit 1 naming each problem (nothing written)."""
    given = getattr(source, "name", "-")
    name = "<stdin>" if given in ("<stdin>", "-") else display_path(Path(given))
    raw = source.read(MAX_PAYLOAD_BYTES + 1)
    if len(raw) > MAX_PAYLOAD_BYTES:
        raise InputError(
            f"{name}: larger than {MAX_PAYLOAD_BYTES // 1024} KiB; nothing was written",
            hint="an action is an object of a few short texts",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{name}: not UTF-8 text", hint="save the action as UTF-8 JSON") from None
    config = project.config
    try:
        action = read_action(load_payload(text), config)
    except ActionError as error:
        for where, what in error.problems:
            click.echo(f"{name}: {where}: {what}", err=True)
        raise InputError(f"{name}: nothing was written") from None
    return action


def _perform(project: Project, action: Action, now: str | None) -> Path:
    """Write a valid action's change; the incident file it changed."""
    if action.action == "new":
        return _create(
            project,
            action.title or "",
            action.impact,
            action.components,
            action.regions,
            action.status,
            action.message,
            (action.start, action.end) if action.start and action.end else None,
            action.at,
            action.next_update,
            action.key,
        )
    target = _target(project, action, now)
    with _writing(project.incident(target).path):
        incident = project.incident(target)
        status = action.status
        if action.action == "resolve":
            status = "completed" if incident.is_maintenance else "resolved"
        elif status is not None:
            _check_status(status, incident.is_maintenance)
        _append(
            project, incident, action.message, status, action.at, action.next_update, action.key
        )
    return incident.path


def _target(project: Project, action: Action, now: str | None) -> str:
    """The id of the incident an update or an all clear is for: by id, by the key of the
    action that opened it, or the only open one."""
    if action.id is not None:
        return action.id
    if action.incident_key is None:
        return _only_open(project, _now(project, now))
    path = find_key(incident_files(project.root), action.incident_key)
    if path is None:
        # the incident workflow then looks for that draft, and adds this action to it
        _github_output(awaits=draft_name(action.incident_key, _run_id()))
        raise InputError(
            f"no incident records the key '{action.incident_key}'",
            hint="has its draft been merged? Until then there is no incident to update",
        )
    ids = [
        incident_id for incident_id, found in incident_index(project.root).items() if found == path
    ]
    if not ids:
        raise InputError(
            f"{display_path(path)} records the key '{action.incident_key}', "
            "but another file has its id",
            hint="give each incident its own id (statusgen check names them)",
        )
    return ids[0]


def _only_open(project: Project, now: datetime) -> str:
    """The id of the only open incident (not maintenance) at ``now``, or exit 1 listing them."""
    repository = project.repository
    if not repository.ok or repository.config is None:
        raise InputError(
            "fix these problems first: apply finds the open incident in valid files",
            repository.diagnostics,
        )
    page = StatusPage.at(repository.config, repository.incidents, now)
    open_ids = [incident.id for incident in page.open_incidents]
    if len(open_ids) == 1:
        return open_ids[0]
    if not open_ids:
        raise InputError(
            "there is no open incident to update", hint="give its id, or start one with new"
        )
    raise InputError(
        f"{len(open_ids)} incidents are open: {', '.join(open_ids)}",
        hint="say which one with id (the form's incident field)",
    )


def _summary(project: Project, path: Path, action: str) -> str:
    """One line saying what ``apply`` did, from the file as it now is."""
    incident, _ = read_incident(path, project.config)
    assert incident is not None  # written only after it was found valid
    latest = incident.latest_update
    said = {"new": "new", "update": "update to", "resolve": "all clear for"}[action]
    state = label("status", latest.status)
    if not incident.is_maintenance:
        state += f", {label('impact', incident.impact).lower()}"
    return f"{said} {incident.id} ({state}): {incident.title}"


def _github_outputs(
    path: Path, summary: str = "", *, changed: bool, review: bool, key: str | None
) -> None:
    """What the next steps of a GitHub workflow need, where GitHub asks for it: ``draft``
    names the branch of a review (``incident/<draft>``)."""
    _github_output(
        path=display_path(path),
        summary=summary,
        changed="true" if changed else "false",
        review="true" if review else "false",
        draft=draft_name(key, _run_id()),
    )


def _github_output(**values: str) -> None:
    """Each value as an output of this step, where GitHub asks for it (one line each)."""
    outputs = os.environ.get("GITHUB_OUTPUT")
    if not outputs:
        return
    lines = "".join(f"{name}={' '.join(value.splitlines())}\n" for name, value in values.items())
    with open(outputs, "a", encoding="utf-8") as stream:  # noqa: PTH123 - a path from GitHub
        stream.write(lines)


def _run_id() -> str:
    return os.environ.get("GITHUB_RUN_ID", "draft")


@main.group("import")
def import_() -> None:
    """Move a history from another status tool into this repository."""


def _import_options(command: F) -> F:
    command = click.option(
        "--force", is_flag=True, help="Overwrite imported files edited by hand since."
    )(command)
    return click.option(
        "--since", metavar="DATE", help="Only incidents that started at or after DATE."
    )(command)


@import_.command("statuspage")
@click.argument("sources", metavar="SOURCE...", nargs=-1, required=True)
@_import_options
@root_option
@pass_project
def import_statuspage(
    project: Project, sources: tuple[str, ...], since: str | None, force: bool
) -> None:
    """Import a Statuspage history: a page's URL, saved API responses, or folders of them.

    Components (and groups) are added to site_config.yml; each incident or maintenance
    becomes incidents/YYYY/YYYY-MM-DD-<id>.yml with its Statuspage id, so its page keeps
    its address. Importing again writes the same bytes.
    """
    _import(project, lambda: statuspage_source.read(sources), since, force)


@import_.command("cstate")
@click.argument("folder", metavar="DIR", type=click.Path(path_type=Path))
@_import_options
@root_option
@pass_project
def import_cstate(project: Project, folder: Path, since: str | None, force: bool) -> None:
    """Import a cState site: its config.yml and content/issues/*.md.

    Systems become components (categories become groups), each issue an incident, or a
    maintenance where it is planned work with a window. Times without a zone are UTC.
    Importing again writes the same bytes.
    """
    _import(project, lambda: cstate_source.read(folder), since, force)


def _import(project: Project, reader: Callable[[], Any], since: str | None, force: bool) -> None:
    config_path = project.root / CONFIG_NAME
    zone = project.config.timezone if config_path.is_file() else UTC
    moment = None
    if since is not None:
        try:
            moment = parse_time(since, zone)
        except TimeError as error:
            raise click.BadParameter(
                f"{error.message}; {error.hint}", param_hint="--since"
            ) from None
    try:
        history = reader()
        report = write(project.root, history, moment, force)
    except SourceError as error:
        raise InputError(f"{error}; nothing was written") from None
    for path, repairs in sorted(report.repairs.items()):
        for repair in repairs:
            click.echo(f"{display_path(path)}: repaired: {repair}", err=True)
    for path in report.kept:
        click.echo(
            f"{display_path(path)}: edited by hand since it was imported; kept "
            "(--force overwrites it)",
            err=True,
        )
    click.echo(
        f"Imported {_count(report.components, 'new component')} "
        f"({_count(report.groups, 'group')}), {_count(report.incidents, 'incident')}, "
        f"{_count(report.maintenances, 'maintenance')}, {_count(report.updates, 'update')}: "
        f"{_count(report.written, 'file')} written, {report.unchanged} unchanged, "
        f"{len(report.kept)} kept; {_count(len(report.repairs), 'file')} repaired, "
        f"{report.internal} keep more of the source under internal.imported.",
        err=True,
    )
    click.echo("Look at it: statusgen check && statusgen build && statusgen serve", err=True)

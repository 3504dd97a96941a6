"""The ``statusgen`` command: Click wiring over the use cases (``generator/usecases``).

Exit codes: 0 success, 1 invalid input (the message names the file, the line and a fix),
2 wrong usage. Bad input never shows a traceback.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

import click

from generator import __version__, usecases
from generator.core.diagnostics import FORMATS, DiagnosticFormat, display_path, render
from generator.core.vocabulary import IMPACTS, INCIDENT_STATUSES, MAINTENANCE_STATUSES
from generator.usecases import CONFIG_NAME, LEDGER, UseCaseError, Workspace, WrongUsage

F = TypeVar("F", bound=Callable[..., Any])


class InputError(click.ClickException):
    """Invalid input: exit 1, with the problems printed one per line before the message."""

    exit_code = 1

    def __init__(self, error: UseCaseError) -> None:
        super().__init__(error.text)
        self.error = error

    def show(self, file: Any = None) -> None:
        for line in self.error.details:
            click.echo(line, err=True)
        click.echo(render(self.error.diagnostics, "text"), nl=False, err=True)
        super().show(file)


class _Command(click.Command):
    """A command whose use case's errors leave as exit codes: 2 wrong usage, else 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except WrongUsage as error:
            if error.option is None:
                raise click.UsageError(error.message, ctx) from None
            raise click.BadParameter(error.message, ctx, param_hint=error.option) from None
        except UseCaseError as error:
            raise InputError(error) from None


class _Group(click.Group):
    command_class = _Command
    group_class = type


pass_workspace = click.make_pass_decorator(Workspace, ensure=True)


def _set_root(ctx: click.Context, _param: click.Parameter, value: Path) -> None:
    ctx.ensure_object(Workspace).root = value


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


def in_workspace(command: F) -> F:
    """--root, and the workspace it names as the command's first argument."""
    return cast("F", root_option(pass_workspace(command)))


def now_option(what: str, then: str = "") -> Callable[[F], F]:
    """--now: ``what`` the moment is for; by default the build's (``_now``)."""
    return click.option(
        "--now", metavar="TIME", help=f"{what} (default: $SOURCE_DATE_EPOCH, else the clock){then}."
    )


def out_option(help_text: str) -> Callable[[F], F]:
    """--out: a folder."""
    return click.option("--out", type=click.Path(file_okay=False, path_type=Path), help=help_text)


next_update_option = click.option(
    "--next-update", metavar="TIME", help="When the next update is promised."
)


def status_option(help_text: str) -> Callable[[F], F]:
    """--status: an incident's or a maintenance's."""
    return click.option(
        "--status", type=click.Choice([*INCIDENT_STATUSES, *MAINTENANCE_STATUSES]), help=help_text
    )


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


def _message(message: str | None) -> str:
    """``--message``, else asked for at a terminal; wrong usage without one."""
    if message is not None:
        return message
    if not sys.stdin.isatty():
        raise click.UsageError("Missing option '--message': what customers should read.")
    return str(click.prompt("Message (what customers should read)"))


def _say(line: str, error: bool = True) -> None:
    click.echo(line, err=error)


def _duration(_ctx: click.Context, param: click.Parameter, value: str) -> float:
    """A duration option (30s, 15m, 1h, 1h30m), in seconds."""
    try:
        return usecases.duration_seconds(value)
    except WrongUsage as error:
        raise click.BadParameter(error.message, param=param) from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="statusgen")
def main() -> None:
    """Static status pages from incident files in git.

    Incidents are YAML files under incidents/; site_config.yml describes the site and its
    components. Every command takes --root, the folder that holds site_config.yml.
    """


@main.command()
@root_option
@format_option
@pass_workspace
@click.pass_context
def check(ctx: click.Context, workspace: Workspace, fmt: DiagnosticFormat) -> None:
    """Validate site_config.yml and every incident file.

    Prints one line per problem, FILE:LINE:COL: error: MESSAGE, and exits 1 if there is any.
    """
    click.echo(render(workspace.repository.diagnostics, fmt), nl=False)
    summary, ok = usecases.check_summary(workspace)
    if fmt != "json":
        click.echo(summary, err=True)
    if not ok:
        ctx.exit(1)


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
@status_option("Status of the first update (default: investigating, or scheduled).")
@click.option("--message", help="The first update customers read (Markdown).")
@click.option("--maintenance", is_flag=True, help="Announce a maintenance (needs --start, --end).")
@click.option("--start", metavar="TIME", help="Start of the maintenance window.")
@click.option("--end", metavar="TIME", help="End of the maintenance window.")
@click.option("--at", metavar="TIME", help="Time of the first update (default: now).")
@next_update_option
@in_workspace
def new(
    workspace: Workspace,
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
    window = usecases.window(workspace, maintenance, start, end)
    pairs = usecases.component_pairs(components)
    usecases.check_components(pairs, workspace.config)  # before asking for the message
    request = usecases.NewRequest(
        title=title,
        message=_message(message),
        impact=impact,
        components=dict(pairs),
        regions=regions,
        status=status,
        window=window,
        at=usecases.site_time(workspace, at, "--at"),
        next_update=usecases.site_time(workspace, next_update, "--next-update"),
    )
    click.echo(display_path(usecases.new_incident(workspace, request)))


@main.command()
@click.argument("incident_id", metavar="ID")
@status_option("The new status (default: unchanged).")
@click.option("--message", required=True, help="What customers should know now (Markdown).")
@next_update_option
@click.option("--at", metavar="TIME", help="Time of the update (default: now).")
@in_workspace
def update(
    workspace: Workspace,
    incident_id: str,
    status: str | None,
    message: str,
    next_update: str | None,
    at: str | None,
) -> None:
    """Add an update to the incident ID, keeping the file's comments and layout."""
    promised = usecases.site_time(workspace, next_update, "--next-update")
    moment = usecases.site_time(workspace, at, "--at")
    request = usecases.UpdateRequest(
        incident_id=incident_id, message=message, status=status, at=moment, next_update=promised
    )
    click.echo(display_path(usecases.update_incident(workspace, request)))


@main.command()
@click.argument("incident_id", metavar="ID")
@click.option("--message", required=True, help="The all clear: what works again (Markdown).")
@click.option("--at", metavar="TIME", help="Time of the all clear (default: now).")
@in_workspace
def resolve(workspace: Workspace, incident_id: str, message: str, at: str | None) -> None:
    """Post the all clear for the incident ID (a maintenance is marked completed)."""
    moment = usecases.site_time(workspace, at, "--at")
    request = usecases.ResolveRequest(incident_id=incident_id, message=message, at=moment)
    click.echo(display_path(usecases.resolve_incident(workspace, request)))


@main.command()
@click.argument("source", metavar="FILE|-", type=click.File("rb"))
@now_option("The moment that decides which incident is open")
@in_workspace
def apply(workspace: Workspace, source: Any, now: str | None) -> None:
    """Perform one action described as JSON: new, update or resolve.

    FILE is an action ({"action": "new", "title": ...}) or a GitHub event payload holding
    one (workflow_dispatch inputs, repository_dispatch client_payload); - reads it from
    the standard input. Values may be strings, as forms send them: components as
    "auth=partial_outage, dashboard", next_update as a time or a duration (30m, 2h). Nothing
    is written unless the whole action is valid. In GitHub Actions, path, summary,
    changed and review are also written to $GITHUB_OUTPUT for the next steps.
    """
    given = getattr(source, "name", "-")
    name = "<stdin>" if given in ("<stdin>", "-") else display_path(Path(given))
    payload = source.read(usecases.MAX_PAYLOAD_BYTES + 1)
    request = usecases.ApplyRequest(name, payload, lambda: usecases.now(workspace, now), os.environ)
    applied = usecases.apply(workspace, request)
    click.echo(display_path(applied.path))
    click.echo(applied.said, err=True)


@main.command()
@out_option("Where to write the site (default: ROOT/site). Replaced whole, only once complete.")
@now_option("The moment the site describes")
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
@in_workspace
def build(
    workspace: Workspace,
    out: Path | None,
    now: str | None,
    base_url: str | None,
    no_cache: bool,
    build_id: str | None,
) -> None:
    """Check everything, then build the site (nothing is written if the check fails).

    The same inputs and the same --now give byte-identical output.
    """
    base_url = usecases.base_url(base_url)
    moment = usecases.now(workspace, now)
    step = 1000

    def progress(done: int, total: int) -> None:
        if total >= 2 * step and done % step == 0:
            click.echo(f"  {done} of {total} pages rendered", err=True)

    request = usecases.BuildRequest(
        workspace.root,
        out if out is not None else workspace.root / "site",
        moment,
        base_url,
        cache=not no_cache,
        build_id=build_id,
        progress=progress,
    )
    click.echo(usecases.build_summary(usecases.build(request)), err=True)


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
@in_workspace
def verify(
    workspace: Workspace, url: str, build_id: str | None, timeout: float, interval: float
) -> None:
    """Wait until the site at URL serves the build ID, and print how long that took.

    Polls URL/live.json (URL is the site's root). Exits 0 once it names the build, 1 after
    --timeout; a 404, a 5xx, invalid JSON or a timeout is retried, and reported once.
    """
    if build_id is None:
        build_id = usecases.last_build(workspace.root / "site")
    seconds = usecases.verify(url, build_id, timeout, interval, say=_say)
    click.echo(f"{seconds:.0f}")


@main.command()
@click.argument("dest")
@out_option("The built site to upload (default: ROOT/site).")
@click.option("--dry-run", is_flag=True, help="List what would change; send nothing.")
@in_workspace
def publish(workspace: Workspace, dest: str, out: Path | None, dry_run: bool) -> None:
    """Upload the built site to DEST, an rclone remote path, sending only what changed.

    DEST is a remote from rclone's environment variables (RCLONE_CONFIG_<NAME>_TYPE=s3, ...)
    or a connection string such as ":webdav,url='https://dav.example':site". New and changed
    files go first (assets, then feeds and JSON, then pages), deletions last, so that no
    page ever links a missing file; a run that was killed converges when run again.
    """
    site = out if out is not None else workspace.root / "site"
    usecases.publish(site, dest, dry_run=dry_run, say=_say)


def _interrupt(_signal: int, _frame: object) -> None:
    raise KeyboardInterrupt


@main.command()
@click.option("--port", type=int, default=8000, show_default=True, help="Port to listen on.")
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback)."
)
@in_workspace
def serve(workspace: Workspace, port: int, host: str) -> None:
    """Preview the site, rebuilt and reloaded in the browser whenever an incident file, the
    config or the theme changes. Stop with Ctrl+C.
    """
    signal.signal(signal.SIGTERM, _interrupt)  # stop as on Ctrl+C, cleaning up
    usecases.preview(workspace.root, host, port, lambda: usecases.now(workspace, None), _say)


@main.command()
@out_option("Where to write them (default: ROOT/schemas).")
@in_workspace
def schema(workspace: Workspace, out: Path | None) -> None:
    """Write the JSON Schemas of incident files and site_config.yml, for editors.

    Name one in the first line of a file to get completion and checks as you type:
    # yaml-language-server: $schema=schemas/incident.schema.json
    """
    for path in usecases.schemas(workspace.root, out):
        click.echo(display_path(path))


@main.command("lint")
@format_option
@click.option("--strict", is_flag=True, help="Exit 1 when anything is found.")
@now_option("The moment to judge timeliness at")
@in_workspace
@click.pass_context
def lint_command(
    ctx: click.Context, workspace: Workspace, fmt: DiagnosticFormat, strict: bool, now: str | None
) -> None:
    """Advice on how the status updates speak to customers.

    Prints FILE:LINE:COL: warning[RULE]: MESSAGE; SUGGESTION for each finding and exits 0,
    or 1 with --strict when there is any. Turn rules off in site_config.yml (lint.disable)
    or for one incident (lint: {ignore: [RULE]}).
    """
    findings, summary = usecases.lint(workspace, usecases.now(workspace, now))
    click.echo(render(findings, fmt), nl=False)
    if fmt != "json":
        click.echo(summary, err=True)
    if strict and findings:
        ctx.exit(1)


@main.command()
@now_option("The moment whose published updates are sent", "; give the publishing build's")
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
@in_workspace
@click.pass_context
def notify(
    ctx: click.Context,
    workspace: Workspace,
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
    base_url = usecases.base_url(base_url)
    request = usecases.NotifyRequest(
        usecases.now(workspace, now), _say, ledger, dry_run, channels, base_url, os.environ
    )
    report = usecases.notify(workspace, request)
    if report is not None and not report.ok:
        ctx.exit(1)


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
@in_workspace
def import_statuspage(
    workspace: Workspace, sources: tuple[str, ...], since: str | None, force: bool
) -> None:
    """Import a Statuspage history: a page's URL, saved API responses, or folders of them.

    Components (and groups) are added to site_config.yml; each incident or maintenance
    becomes incidents/YYYY/YYYY-MM-DD-<id>.yml with its Statuspage id, so its page keeps
    its address. Importing again writes the same bytes.
    """
    _import(workspace, usecases.from_statuspage(sources), since, force)


@import_.command("cstate")
@click.argument("folder", metavar="DIR", type=click.Path(path_type=Path))
@_import_options
@in_workspace
def import_cstate(workspace: Workspace, folder: Path, since: str | None, force: bool) -> None:
    """Import a cState site: its config.yml and content/issues/*.md.

    Systems become components (categories become groups), each issue an incident, or a
    maintenance where it is planned work with a window. Times without a zone are UTC.
    Importing again writes the same bytes.
    """
    _import(workspace, usecases.from_cstate(folder), since, force)


def _import(workspace: Workspace, read: Callable[[], Any], since: str | None, force: bool) -> None:
    moment = None
    if since is not None:
        moment = usecases.time_in(usecases.import_zone(workspace), since, "--since")
    report = usecases.import_history(workspace, usecases.ImportRequest(read, moment, force))
    for line in usecases.import_lines(report):
        click.echo(line, err=True)

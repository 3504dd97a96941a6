"""The commands about the site: check and lint it, build, serve, publish and verify it,
write its schemas."""

from __future__ import annotations

import signal
from pathlib import Path

import click

from generator import usecases
from generator.cli.wiring import (
    Command,
    duration,
    format_option,
    in_workspace,
    now_option,
    out_option,
    pass_workspace,
    root_option,
    say,
)
from generator.core.diagnostics import DiagnosticFormat, display_path, render
from generator.usecases import Workspace


@click.command(cls=Command)
@root_option
@format_option
@pass_workspace
@click.pass_context
def check(ctx: click.Context, workspace: Workspace, fmt: DiagnosticFormat) -> None:
    """Validate site_config.yml and every incident file.

    Prints one line per problem, FILE:LINE:COL: error: MESSAGE, and exits 1 if there is any.
    """
    click.echo(render(workspace.checked.diagnostics, fmt), nl=False)
    summary, ok = usecases.check_summary(workspace)
    if fmt != "json":
        click.echo(summary, err=True)
    if not ok:
        ctx.exit(1)


@click.command(cls=Command)
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


@click.command(cls=Command)
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
    callback=duration,
    default="10m",
    show_default=True,
    help="Give up after this long (exit 1, saying what the host served last).",
)
@click.option(
    "--interval",
    metavar="DURATION",
    callback=duration,
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
    seconds = usecases.verify(url, build_id, timeout, interval, say=say)
    click.echo(f"{seconds:.0f}")


@click.command(cls=Command)
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
    usecases.publish(site, dest, dry_run=dry_run, say=say)


def _interrupt(_signal: int, _frame: object) -> None:
    raise KeyboardInterrupt


@click.command(cls=Command)
@click.option("--port", type=int, default=8000, show_default=True, help="Port to listen on.")
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback)."
)
@now_option("The moment the site describes, the same for every rebuild")
@in_workspace
def serve(workspace: Workspace, port: int, host: str, now: str | None) -> None:
    """Preview the site, rebuilt and reloaded in the browser whenever an incident file, the
    config or the theme changes. Stop with Ctrl+C.
    """
    # --now is read once, before anything starts; else each rebuild takes its own moment
    fixed = usecases.now(workspace, now) if now is not None else None
    signal.signal(signal.SIGTERM, _interrupt)  # stop as on Ctrl+C, cleaning up
    usecases.preview(
        workspace.root, host, port, lambda: fixed or usecases.now(workspace, None), say
    )


@click.command(cls=Command)
@out_option("Where to write them (default: ROOT/schemas).")
@in_workspace
def schema(workspace: Workspace, out: Path | None) -> None:
    """Write the JSON Schemas of incident files and site_config.yml, for editors.

    Name one in the first line of a file to get completion and checks as you type:
    # yaml-language-server: $schema=schemas/incident.schema.json
    """
    for path in usecases.schemas(workspace.root, out):
        click.echo(display_path(path))


@click.command("lint", cls=Command)
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

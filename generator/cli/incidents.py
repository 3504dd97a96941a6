"""The commands that write incident files: new, update, resolve and apply."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

from generator import usecases
from generator.cli.wiring import (
    Command,
    ask_message,
    in_workspace,
    next_update_option,
    now_option,
    status_option,
)
from generator.core.diagnostics import display_path
from generator.core.vocabulary import IMPACTS
from generator.usecases import Workspace


@click.command(cls=Command)
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
        message=ask_message(message),
        impact=impact,
        components=dict(pairs),
        regions=regions,
        status=status,
        window=window,
        at=usecases.site_time(workspace, at, "--at"),
        next_update=usecases.site_time(workspace, next_update, "--next-update"),
    )
    click.echo(display_path(usecases.new_incident(workspace, request)))


@click.command(cls=Command)
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


@click.command(cls=Command)
@click.argument("incident_id", metavar="ID")
@click.option("--message", required=True, help="The all clear: what works again (Markdown).")
@click.option("--at", metavar="TIME", help="Time of the all clear (default: now).")
@in_workspace
def resolve(workspace: Workspace, incident_id: str, message: str, at: str | None) -> None:
    """Post the all clear for the incident ID (a maintenance is marked completed)."""
    moment = usecases.site_time(workspace, at, "--at")
    request = usecases.ResolveRequest(incident_id=incident_id, message=message, at=moment)
    click.echo(display_path(usecases.resolve_incident(workspace, request)))


@click.command(cls=Command)
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

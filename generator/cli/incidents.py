"""The commands that write incident files: new, update, resolve and apply."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from generator import usecases
from generator.cli.wiring import (
    Command,
    ask_message,
    in_workspace,
    now_option,
    say,
)
from generator.core.diagnostics import display_path
from generator.core.vocabulary import IMPACTS, INCIDENT_STATUSES, MAINTENANCE_STATUSES
from generator.usecases import Workspace

F = TypeVar("F", bound=Callable[..., Any])

_STATUSES = (
    f"An incident's: {', '.join(INCIDENT_STATUSES)}. "
    f"A maintenance's: {', '.join(MAINTENANCE_STATUSES)}."
)
_INCIDENT = (
    "INCIDENT is its id, its file's path (as new prints it) or the start of its id; "
    "without it, the only open incident."
)


def _status(help_text: str) -> Callable[[F], F]:
    return click.option(
        "--status",
        metavar="STATUS",
        type=click.Choice([*INCIDENT_STATUSES, *MAINTENANCE_STATUSES]),
        show_choices=False,
        help=f"{help_text} {_STATUSES}",
    )


def _texts(what: str) -> Callable[[F], F]:
    """--message (asked for at a terminal when left out), --lang and --force."""

    def decorate(command: F) -> F:
        for option in reversed(
            (
                click.option(
                    "--message",
                    help=f"{what} (Markdown). Required; asked for at a terminal when left out.",
                ),
                click.option(
                    "--lang",
                    metavar="LANG",
                    help="The language of the texts: another than the site's default adds "
                    "them as that language's translation of the latest update (and title).",
                ),
                click.option(
                    "--force",
                    is_flag=True,
                    help="Write an --at more than 5 minutes ahead, or before the first update.",
                ),
            )
        ):
            command = option(command)
        return command

    return decorate


_next_update = click.option(
    "--next-update",
    metavar="WHEN",
    help="When the next update is promised: a time, a time of day (11:15, the next one) or "
    "a duration from the update (30m, 2h).",
)


def _done(workspace: Workspace, path: Path, action: str) -> None:
    """The file's path (for a script: `statusgen update $(statusgen new ...)`), and a line
    saying what was done."""
    click.echo(display_path(path))
    say(usecases.summary(workspace, path, action))


@click.command(cls=Command)
@click.argument("title")
@click.option(
    "--impact",
    type=click.Choice([*IMPACTS, "maintenance"]),
    show_choices=False,
    help="none, minor, major or critical; maintenance with --maintenance. Default: from the "
    "worst component status, else minor (a maintenance: maintenance).",
)
@click.option(
    "--component",
    "components",
    multiple=True,
    metavar="ID[=STATUS]",
    help="An affected component, with its status (default: from the impact). Repeatable.",
)
@click.option("--region", "regions", multiple=True, help="A region in scope. Repeatable.")
@_status("Status of the first update (default: investigating, or scheduled).")
@_texts("The first update customers read")
@click.option("--maintenance", is_flag=True, help="Announce a maintenance (needs --start, --end).")
@click.option("--start", metavar="TIME", help="Start of the maintenance window.")
@click.option("--end", metavar="TIME", help="End of the maintenance window.")
@click.option("--at", metavar="TIME", help="Time of the first update (default: now).")
@_next_update
@in_workspace
def new(
    workspace: Workspace,
    title: str,
    impact: str | None,
    components: tuple[str, ...],
    regions: tuple[str, ...],
    status: str | None,
    message: str | None,
    lang: str | None,
    force: bool,
    maintenance: bool,
    start: str | None,
    end: str | None,
    at: str | None,
    next_update: str | None,
) -> None:
    """Write a new incident (or maintenance) file; print its path and what it says.

    The file is incidents/<date>-<slug>.yml, dated by the start in the site's time zone;
    its id (the file name) names at most 6 words of the title.
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
        next_update=usecases.promise(workspace, next_update, "--next-update"),
        lang=lang,
        force=force,
    )
    _done(workspace, usecases.new_incident(workspace, request), "new")


@click.command(cls=Command, epilog=_INCIDENT)
@click.argument("incident_id", metavar="[INCIDENT]", required=False)
@_status("The new status (default: unchanged).")
@_texts("What customers should know now")
@_next_update
@click.option(
    "--component",
    "components",
    multiple=True,
    metavar="ID=STATUS",
    help="A component's status from this update on (operational once it is back). Repeatable.",
)
@click.option(
    "--impact",
    type=click.Choice(IMPACTS),
    help="The incident's impact from now on.",
)
@click.option("--title", help="A corrected title (with --lang: its translation).")
@click.option("--at", metavar="TIME", help="Time of the update (default: now).")
@in_workspace
def update(
    workspace: Workspace,
    incident_id: str | None,
    status: str | None,
    message: str | None,
    lang: str | None,
    force: bool,
    next_update: str | None,
    components: tuple[str, ...],
    impact: str | None,
    title: str | None,
    at: str | None,
) -> None:
    """Add an update to an incident, keeping the file's comments and layout."""
    pairs = usecases.component_pairs(components)
    usecases.check_components(pairs, workspace.config)
    missing = [component for component, status in pairs if status is None]
    if missing:
        raise usecases.WrongUsage(
            f"give the status of {missing[0]}: {missing[0]}=operational, for example",
            "--component",
        )
    request = usecases.UpdateRequest(
        incident_id=incident_id,
        message=ask_message(message),
        status=status,
        at=usecases.site_time(workspace, at, "--at"),
        next_update=usecases.promise(workspace, next_update, "--next-update"),
        components={component: status for component, status in pairs if status},
        impact=impact,
        title=title,
        lang=lang,
        force=force,
    )
    _done(workspace, usecases.update_incident(workspace, request), "update")


@click.command(cls=Command, epilog=_INCIDENT)
@click.argument("incident_id", metavar="[INCIDENT]", required=False)
@_texts("The all clear: what works again")
@click.option("--at", metavar="TIME", help="Time of the all clear (default: now).")
@in_workspace
def resolve(
    workspace: Workspace,
    incident_id: str | None,
    message: str | None,
    lang: str | None,
    force: bool,
    at: str | None,
) -> None:
    """Post the all clear for an incident (a maintenance is marked completed)."""
    request = usecases.ResolveRequest(
        incident_id=incident_id,
        message=ask_message(message),
        at=usecases.site_time(workspace, at, "--at"),
        lang=lang,
        force=force,
    )
    _done(workspace, usecases.resolve_incident(workspace, request), "resolve")


@click.command(cls=Command)
@click.argument("source", metavar="FILE|-", type=click.File("rb"))
@now_option("The moment that decides which incident is open")
@in_workspace
def apply(workspace: Workspace, source: Any, now: str | None) -> None:
    """Perform one action described as JSON: new, update or resolve.

    FILE is an action ({"action": "new", "title": ...}) or a GitHub event payload holding
    one (workflow_dispatch inputs, repository_dispatch client_payload); - reads it from
    the standard input. Values may be strings, as forms send them: components as
    "auth=partial_outage, dashboard", next_update as a time, a time of day or a duration
    (30m, 2h). Nothing is written unless the whole action is valid. In GitHub Actions,
    path, summary, changed and review are also written to $GITHUB_OUTPUT for the next
    steps.

    FILE may also be a monitor's notification (Alertmanager's, Grafana's or Uptime Kuma's
    webhook, Gatus' custom alert as the README shows it): a firing alert opens a draft
    incident for review, keyed by its episode, and its recovery drafts the all clear, as
    contrib/relay.py does.
    """
    given = getattr(source, "name", "-")
    name = "<stdin>" if given in ("<stdin>", "-") else display_path(Path(given))
    payload = source.read(usecases.MAX_PAYLOAD_BYTES + 1)
    request = usecases.ApplyRequest(name, payload, lambda: usecases.now(workspace, now), os.environ)
    applied = usecases.apply(workspace, request)
    if applied.path is not None:
        click.echo(display_path(applied.path))
    click.echo(applied.said, err=True)

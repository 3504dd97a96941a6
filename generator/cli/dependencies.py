"""statusgen dependencies: the status of the services the site depends on."""

from __future__ import annotations

import click

from generator import usecases
from generator.cli.wiring import Group, in_workspace, now_option, say
from generator.usecases import Workspace


@click.group("dependencies", cls=Group)
def dependencies() -> None:
    """The services the site depends on (dependencies: in site_config.yml)."""


@dependencies.command("sync")
@now_option("The moment the readings are dated")
@in_workspace
@click.pass_context
def sync(ctx: click.Context, workspace: Workspace, now: str | None) -> None:
    """Read each dependency's status page (URL/api/v2/summary.json) into
    dependencies/<id>.json, which the front page shows under "Services we depend on".

    A file is written only when the vendor says something new (or its reading is an hour
    old), and each change is printed. A vendor that does not answer within 10 s, answers
    something other than a Statuspage summary, redirects to another host or sends more
    than 1 MiB changes nothing and is reported; the exit code is 1 only when every one
    failed.
    """
    request = usecases.SyncRequest(usecases.now(workspace, now), say)
    report = usecases.sync_dependencies(workspace, request)
    if report is not None and report.all_failed:
        ctx.exit(1)

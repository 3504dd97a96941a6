"""statusgen notify: the published updates, sent to the channels."""

from __future__ import annotations

import os
from pathlib import Path

import click

from generator import usecases
from generator.cli.wiring import Command, in_workspace, now_option, say
from generator.usecases import LEDGER, Workspace


@click.command(cls=Command)
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
        usecases.now(workspace, now), say, ledger, dry_run, channels, base_url, os.environ
    )
    report = usecases.notify(workspace, request)
    if report is not None and not report.ok:
        ctx.exit(1)

"""statusgen report: a period of the site in figures."""

from __future__ import annotations

import os
from pathlib import Path

import click

from generator import usecases
from generator.cli.wiring import Command, in_workspace, now_option
from generator.usecases import Workspace


def _file_name(ctx: click.Context, param: click.Parameter, value: str | None) -> Path | None:
    """--out names a file: an empty name or one ending in a slash names a folder, which
    Path would quietly turn into "." or into a file of the folder's name."""
    if value is None:
        return None
    if not value or value.endswith(("/", os.sep)):
        raise click.BadParameter(
            f"'{value}' is not a file; give a file's name, such as reports/2026-11.txt",
            ctx,
            param,
        )
    return Path(value)


@click.command(cls=Command)
@click.option("--month", metavar="YYYY-MM", help="The calendar month to report on.")
@click.option("--from", "start", metavar="DATE", help="The first day to report on (YYYY-MM-DD).")
@click.option("--to", "end", metavar="DATE", help="The last day to report on, included.")
@click.option(
    "--format",
    "form",
    type=click.Choice(usecases.REPORT_FORMATS),
    default="text",
    show_default=True,
    help="text for a terminal or a closing note, csv for spreadsheets (a row per component), "
    "json for tools (with the incidents behind every figure), html for a page of its own.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False),
    callback=_file_name,
    help="Write the report to this file (whole or not at all) instead of the terminal.",
)
@now_option("The moment the report is made at")
@in_workspace
def report(
    workspace: Workspace,
    month: str | None,
    start: str | None,
    end: str | None,
    form: str,
    out: Path | None,
    now: str | None,
) -> None:
    """Report on a period: uptime, minutes in each status, incidents by impact and time to
    resolve, per component, per group and overall; and how readers were told (time to the
    first update, the longest silence, next updates promised and kept, the all clear).

    The period is --month, or --from and --to (whole days in site.timezone), else the
    previous calendar month. Uptime is counted as the uptime bars count it; maintenance
    never lowers it.
    """
    request = usecases.ReportRequest(usecases.now(workspace, now), month, start, end, form, out)
    text = usecases.make_report(workspace, request)
    if out is None:
        click.echo(text, nl=False)
    else:
        click.echo(f"Wrote {out}", err=True)

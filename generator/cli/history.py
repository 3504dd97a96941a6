"""statusgen import: a history from another status tool."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from generator import usecases
from generator.cli.wiring import Group, in_workspace
from generator.usecases import Workspace

F = TypeVar("F", bound=Callable[..., Any])


@click.group("import", cls=Group)
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
@click.option(
    "--merge", is_flag=True, help="Make one site of sources from different Statuspage pages."
)
@_import_options
@in_workspace
def import_statuspage(
    workspace: Workspace, sources: tuple[str, ...], merge: bool, since: str | None, force: bool
) -> None:
    """Import a Statuspage history. Each SOURCE is a page's URL (its public API: the latest
    50 incidents), a saved API response, a folder of them, or api:PAGE_ID (the whole history
    through the REST API, with the key in $STATUSPAGE_API_KEY).

    Components (and groups) are added to site_config.yml with readable ids (a slug of the
    name) and their Statuspage id as api_id, which the site's API shows. Each incident or
    maintenance becomes incidents/YYYY/YYYY-MM-DD-<id>.yml with its Statuspage id, so its
    page keeps its address. Sources from different pages are refused unless --merge.
    Importing again writes the same bytes.
    """
    _import(workspace, usecases.from_statuspage(sources, merge), since, force)


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

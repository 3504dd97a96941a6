"""What every command shares: the use cases' errors as exit codes, --root and the
workspace it names, the options several commands take, and the terminal."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping, MutableMapping
from pathlib import Path
from typing import Any, TypeVar, cast

import click

from generator import usecases
from generator.core.diagnostics import FORMATS, render
from generator.usecases import CONFIG_NAME, UseCaseError, Workspace, WrongUsage

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


class Command(click.Command):
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


class Group(click.Group):
    """A group whose commands (and groups) are of these classes."""

    command_class = Command
    group_class = type


class LazyGroup(Group):
    """A group whose commands are imported when one is asked for, each from where
    ``lazy`` says (``"module:attribute"``): running ``check`` imports what check needs,
    not notify's channels and templates. ``--help``, a mistyped command's suggestions and
    ``commands`` (every command by name, as ``click.Group`` has it) import them all."""

    def __init__(self, *args: Any, lazy: Mapping[str, str], **kwargs: Any) -> None:
        self._lazy = dict(lazy)
        self._loaded: dict[str, click.Command] = {}
        super().__init__(*args, **kwargs)

    @property
    def commands(self) -> MutableMapping[str, click.Command]:
        for name in list(self._lazy):
            self._load(name)
        return self._loaded

    @commands.setter
    def commands(self, value: MutableMapping[str, click.Command]) -> None:
        self._loaded = dict(value)

    def _load(self, name: str) -> click.Command | None:
        where = self._lazy.pop(name, None)
        if where is not None:
            module, _, attribute = where.partition(":")
            command = getattr(importlib.import_module(module), attribute)
            if not isinstance(command, click.Command) or command.name != name:
                raise TypeError(f"{where} is not the command {name}")  # a wiring bug
            self._loaded[name] = command
        return self._loaded.get(name)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return self._load(cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self._loaded, *self._lazy})


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


def ask_message(message: str | None) -> str:
    """``--message``, else asked for at a terminal; wrong usage without one."""
    if message is not None:
        return message
    if not sys.stdin.isatty():
        raise click.UsageError("Missing option '--message': what customers should read.")
    return str(click.prompt("Message (what customers should read)"))


def say(line: str, error: bool = True) -> None:
    click.echo(line, err=error)


def duration(_ctx: click.Context, param: click.Parameter, value: str) -> float:
    """A duration option (30s, 15m, 1h, 1h30m), in seconds."""
    try:
        return usecases.duration_seconds(value)
    except WrongUsage as error:
        raise click.BadParameter(error.message, param=param) from None

"""Why a use case stopped, typed: the interface (the CLI) chooses the exit code."""

from __future__ import annotations

from collections.abc import Sequence

from generator.core.diagnostics import Diagnostic
from generator.core.model import SiteConfig
from generator.input.guard import InvalidRepository, valid_config
from generator.input.validate import Repository


class UseCaseError(Exception):
    """A use case did nothing: ``message`` (with its ``hint``) says why, after the
    ``diagnostics`` and the ``details`` (lines said before it, one per problem)."""

    def __init__(
        self,
        message: str,
        diagnostics: Sequence[Diagnostic] = (),
        hint: str | None = None,
        details: Sequence[str] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.diagnostics = list(diagnostics)
        self.hint = hint
        self.details = tuple(details)

    @property
    def text(self) -> str:
        """The message and its hint, as one sentence."""
        return self.message + (f"; {self.hint}" if self.hint else "")


class InvalidInput(UseCaseError):
    """The files or the request are not valid (the CLI exits 1)."""


class Failed(UseCaseError):
    """Valid input, but the work could not be done: a theme, a disk (the CLI exits 1)."""


class WrongUsage(UseCaseError):
    """The request itself is wrong, e.g. a value a command line option gave (exit 2);
    ``option`` names the option at fault, if one is."""

    def __init__(self, message: str, option: str | None = None) -> None:
        super().__init__(message)
        self.option = option


class UnknownKey(InvalidInput):
    """No incident records the key an action names: its draft may still await review."""

    def __init__(self, key: str) -> None:
        super().__init__(
            f"no incident records the key '{key}'",
            hint="has its draft been merged? Until then there is no incident to update",
        )
        self.key = key


def valid(repository: Repository, message: str) -> SiteConfig:
    """The config of a repository without errors, or ``InvalidInput`` listing them."""
    try:
        return valid_config(repository, message)
    except InvalidRepository as error:
        raise InvalidInput(error.message, error.diagnostics) from None

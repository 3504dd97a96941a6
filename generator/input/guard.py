"""The one guard before anything reads the model: a valid repository, or its diagnostics."""

from __future__ import annotations

from generator.core.diagnostics import Diagnostic
from generator.core.model import SiteConfig
from generator.input.validate import Repository


class InvalidRepository(Exception):
    """The repository has errors; ``diagnostics`` names each one."""

    def __init__(self, message: str, diagnostics: list[Diagnostic]) -> None:
        super().__init__(message)
        self.message = message
        self.diagnostics = diagnostics


def valid_config(repository: Repository, message: str) -> SiteConfig:
    """The config of a repository without errors, or ``InvalidRepository`` with ``message``
    (where ``{errors}`` stands for how many there are: "1 error", "3 errors")."""
    if repository.ok and repository.config is not None:
        return repository.config
    errors = sum(d.severity == "error" for d in repository.diagnostics)
    counted = f"{errors} error{'s' if errors != 1 else ''}"
    raise InvalidRepository(message.format(errors=counted), repository.diagnostics)

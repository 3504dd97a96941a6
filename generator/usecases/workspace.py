"""The status repository a use case works on, read lazily and at most once."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from generator.core.diagnostics import did_you_mean, display_path
from generator.core.model import Incident, SiteConfig
from generator.input.validate import (
    CONFIG_NAME,
    Repository,
    incident_index,
    load_repository,
    read_config,
    read_incident,
)
from generator.usecases.errors import InvalidInput


class Workspace:
    """A status repository: the folder that holds site_config.yml."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root if root is not None else Path()

    @cached_property
    def repository(self) -> Repository:
        """Every file, read and validated."""
        return load_repository(self.root)

    @cached_property
    def config(self) -> SiteConfig:
        """The site config, or ``InvalidInput`` naming what is wrong with it."""
        path = self.root / CONFIG_NAME
        if not path.is_file():
            raise InvalidInput(
                f"there is no {CONFIG_NAME} in {self.root.resolve()}",
                hint="run statusgen in your status repository, or pass --root",
            )
        config, problems = read_config(path)
        if config is None:
            raise InvalidInput(f"{display_path(path)} is not valid", problems)
        return config

    def incident(self, incident_id: str) -> Incident:
        """The incident with this id, valid, or ``InvalidInput`` naming the closest ids."""
        config = self.config
        index = incident_index(self.root)
        path = index.get(incident_id)
        if path is None:
            raise InvalidInput(
                f"there is no incident with the id '{incident_id}'",
                hint=_closest(incident_id, sorted(index)),
            )
        incident, problems = read_incident(path, config)
        if incident is None:
            raise InvalidInput(f"fix {display_path(path)} before adding an update to it", problems)
        return incident


def _closest(incident_id: str, ids: list[str]) -> str | None:
    """The ids someone who typed ``incident_id`` may have meant, else the newest ones."""
    hint = did_you_mean(incident_id, ids)
    containing = [i for i in ids if incident_id in i]
    if hint is None and 0 < len(containing) <= 3:
        hint = "did you mean " + " or ".join(f"'{i}'" for i in containing) + "?"
    if hint is None and ids:
        hint = "the newest ids are " + ", ".join(f"'{i}'" for i in sorted(ids, reverse=True)[:3])
    return hint

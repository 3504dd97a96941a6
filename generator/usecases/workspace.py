"""The status repository a use case works on, read lazily and at most once."""

from __future__ import annotations

import os
from datetime import datetime
from functools import cached_property
from pathlib import Path

from generator.core.diagnostics import did_you_mean, display_path
from generator.core.model import Incident, SiteConfig, StatusPage
from generator.input.validate import (
    CONFIG_NAME,
    INCIDENTS_DIR,
    Repository,
    incident_index,
    load_repository,
    read_config,
    read_incident,
)
from generator.usecases.errors import InvalidInput, valid


class Workspace:
    """A status repository: the folder that holds site_config.yml."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root if root is not None else Path()

    @cached_property
    def repository(self) -> Repository:
        """Every file, read and validated."""
        return load_repository(self.root)

    @cached_property
    def checked(self) -> Repository:
        """Every file, read and validated, as ``check`` needs it: its problems and counts,
        without the incidents (each is dropped once validated), unless they were read."""
        if "repository" in self.__dict__:
            return self.repository
        return load_repository(self.root, keep=False)

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

    def find(self, given: str) -> str:
        """The id of the incident ``given`` names: its id, its file's path (as ``new``
        prints it) or a prefix of one id; ``InvalidInput`` naming the candidates."""
        index = incident_index(self.root)
        if given in index:
            return given
        if given.endswith((".yml", ".yaml")) or "/" in given or os.sep in given:
            # as the shell gives it (from the current folder), or from the repository's root
            wanted = {Path(given).resolve(), (self.root / given).resolve()}
            for found, path in index.items():
                if path.resolve() in wanted:
                    return found
            raise InvalidInput(
                f"{given} is not an incident file of this repository",
                hint=f"incident files are under {display_path(self.root / INCIDENTS_DIR)}/",
            )
        starting = sorted(i for i in index if i.startswith(given))
        if len(starting) == 1:
            return starting[0]
        if starting:
            shown = ", ".join(starting[:5]) + (", ..." if len(starting) > 5 else "")
            raise InvalidInput(
                f"'{given}' is the start of {len(starting)} ids: {shown}",
                hint="give more of the id",
            )
        raise InvalidInput(
            f"there is no incident with the id '{given}'", hint=_closest(given, sorted(index))
        )

    def only_open(self, now: datetime) -> str:
        """The id of the only open incident (not maintenance) at ``now``."""
        repository = self.repository
        config = valid(
            repository, "fix these problems first: the open incident is found in valid files"
        )
        page = StatusPage.at(config, repository.incidents, now)
        open_ids = [incident.id for incident in page.open_incidents]
        if len(open_ids) == 1:
            return open_ids[0]
        if not open_ids:
            raise InvalidInput(
                "there is no open incident to update", hint="give its id, or start one with new"
            )
        raise InvalidInput(
            f"{len(open_ids)} incidents are open: {', '.join(open_ids)}",
            hint="say which one: its id, or the start of it",
        )

    def latest(self) -> str:
        """The id of the incident whose latest update is the newest."""
        repository = self.repository
        valid(repository, "fix these problems first: the latest incident is found in valid files")
        if not repository.incidents:
            raise InvalidInput("there is no incident yet", hint="start one with new")
        newest = max(repository.incidents, key=lambda i: (i.latest_update.at, i.id))
        return newest.id

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

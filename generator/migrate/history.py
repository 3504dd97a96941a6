"""A status history read from another tool, before it becomes files: what every importer
makes, and what the writer writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


class MigrationError(Exception):
    """The history cannot be imported: its source cannot be read, or the files it would
    make would not pass check; the message names the source or the file and says what
    to do. (input/source.py's SourceError is a YAML file of this repository that cannot be
    read.) ``details`` are lines said before the message, one per thing it names."""

    def __init__(self, message: str, details: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.details = details


@dataclass
class Component:
    id: str
    name: str
    description: str | None = None
    group: str | None = None
    #: Whether the source said the group (a member of a group it did not list names none).
    group_known: bool = True
    #: The source's own id, kept as ``api_id`` (Statuspage's), while ``id`` is what the
    #: history's incidents name it by: the writer gives such a component a readable id.
    api_id: str | None = None


@dataclass
class Update:
    at: datetime
    status: str
    message: str
    #: Component statuses from this update on (Statuspage's affected_components).
    components: dict[str, str] = field(default_factory=dict)


@dataclass
class Incident:
    id: str
    title: str
    maintenance: bool
    impact: str
    updates: list[Update]
    #: The affected components and their status from the first update on.
    components: dict[str, str] = field(default_factory=dict)
    started: datetime | None = None
    window: tuple[datetime, datetime] | None = None
    postmortem: str | None = None
    #: What the source says that our format has no place for: internal.imported.
    kept: dict[str, Any] = field(default_factory=dict)
    #: What was repaired, in words, for the report.
    repairs: list[str] = field(default_factory=list)

    @property
    def start(self) -> datetime:
        if self.window is not None:
            return self.window[0]
        return self.started or min(update.at for update in self.updates)


@dataclass
class History:
    """Everything one import read."""

    source: str
    name: str | None = None
    url: str | None = None
    components: list[Component] = field(default_factory=list)
    incidents: dict[str, Incident] = field(default_factory=dict)
    #: The source's own time of each incident's record (``None``: it gives none).
    seen: dict[str, datetime | None] = field(default_factory=dict)
    #: The time of the response that said each component's name and description (``"name"``)
    #: and group (``"group"``), by component id.
    said: dict[tuple[str, str], datetime | None] = field(default_factory=dict)

    def add_component(self, component: Component, updated_at: datetime | None = None) -> None:
        """Add ``component``; of one seen before, the latest response wins for the name and
        description, and for the group where it says one (the page renamed it since)."""
        known = next((c for c in self.components if c.id == component.id), None)
        if known is None:
            known = Component(
                component.id, component.name, group_known=False, api_id=component.api_id
            )
            self.components.append(known)
        if self._says(component.id, "name", updated_at):
            known.name, known.description = component.name, component.description
        if component.group_known and self._says(component.id, "group", updated_at):
            known.group, known.group_known = component.group, True

    def _says(self, component_id: str, part: str, updated_at: datetime | None) -> bool:
        """Whether a response of ``updated_at`` says this part of a component: it is the
        first to, or later than the one that did."""
        key = (component_id, part)
        if key in self.said and not _later(updated_at, self.said[key]):
            return False
        self.said[key] = updated_at
        return True

    def add_incident(self, incident: Incident, updated_at: datetime | None) -> None:
        """Keep ``incident`` unless the same one was seen with a later ``updated_at``."""
        if incident.id in self.seen and not _later(updated_at, self.seen[incident.id]):
            return
        self.incidents[incident.id] = incident
        self.seen[incident.id] = updated_at


def _later(new: datetime | None, old: datetime | None) -> bool:
    """Whether a record of time ``new`` replaces one of time ``old``: a record without a
    time replaces none, and one with a time replaces one without."""
    return new is not None and (old is None or new > old)


def unique_id(candidate: str, taken: set[str]) -> str:
    """``candidate``, or with ``-2``, ``-3``… the first that is not taken."""
    found, number = candidate, 1
    while found in taken:
        number += 1
        found = f"{candidate}-{number}"
    return found

"""A status history read from another tool, before it becomes files: what every importer
makes, and what the writer writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


class SourceError(Exception):
    """A source cannot be read; the message names it and says what to do."""


@dataclass
class Component:
    id: str
    name: str
    description: str | None = None
    group: str | None = None


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
    #: The source's own time of each incident's record: the latest one wins.
    seen: dict[str, str] = field(default_factory=dict)

    def add_component(self, component: Component) -> None:
        if all(known.id != component.id for known in self.components):
            self.components.append(component)

    def add_incident(self, incident: Incident, updated_at: str) -> None:
        """Keep ``incident`` unless the same one was seen with a later ``updated_at``."""
        if incident.id in self.seen and self.seen[incident.id] >= updated_at:
            return
        self.incidents[incident.id] = incident
        self.seen[incident.id] = updated_at

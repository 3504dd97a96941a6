"""Every rule of the file formats, over every file, with all problems gathered in one run.

The face of four modules, one per job: ``repository.py`` (which files, read into one run),
``site_config.py`` (the config's rules), ``incidents.py`` (an incident file's rules and the
record it becomes) and ``explain.py`` (pydantic's errors as diagnostics).
"""

from __future__ import annotations

from generator.input.incidents import check_incident_document, read_incident
from generator.input.repository import (
    INCIDENTS_DIR,
    IncidentMemo,
    Repository,
    incident_files,
    incident_index,
    load_repository,
)
from generator.input.site_config import CONFIG_NAME, PORTS, read_config

__all__ = [
    "CONFIG_NAME",
    "INCIDENTS_DIR",
    "PORTS",
    "IncidentMemo",
    "Repository",
    "check_incident_document",
    "incident_files",
    "incident_index",
    "load_repository",
    "read_config",
    "read_incident",
]

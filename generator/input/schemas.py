"""JSON Schemas of the two file formats, derived from the models of ``formats.py``.

Editors use them to complete and check files as they are typed (the example files name
them in a ``# yaml-language-server: $schema=...`` first line). Times are strings with the
pattern of every form the loader accepts, not ``format: date-time``, which would refuse
``2026-09-03 14:00``. The schemas check shape only; ``statusgen check`` remains the judge
(unknown components, windows that end before they start, duplicate ids).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from generator.input.formats import IncidentFile, MaintenanceFile, SiteConfigFile

DRAFT = "http://json-schema.org/draft-07/schema#"
INCIDENT_SCHEMA = "incident.schema.json"
CONFIG_SCHEMA = "site_config.schema.json"
SCHEMA_DIR = "schemas"


def _parts(model: type[BaseModel]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The model's own schema and its $defs."""
    schema = model.model_json_schema(ref_template="#/$defs/{model}")
    return schema, schema.pop("$defs", {})


def incident_schema() -> dict[str, Any]:
    incident, defs = _parts(IncidentFile)
    maintenance, more = _parts(MaintenanceFile)
    defs.update(more)
    defs["IncidentFile"] = incident
    defs["MaintenanceFile"] = maintenance
    return {
        "$schema": DRAFT,
        "title": "statusgen incident file",
        "description": "One incident or maintenance (type: maintenance) of a statusgen "
        "status repository, under incidents/.",
        "if": {"properties": {"type": {"const": "maintenance"}}, "required": ["type"]},
        "then": {"$ref": "#/$defs/MaintenanceFile"},
        "else": {"$ref": "#/$defs/IncidentFile"},
        "$defs": dict(sorted(defs.items())),
    }


def config_schema() -> dict[str, Any]:
    config, defs = _parts(SiteConfigFile)
    return {
        "$schema": DRAFT,
        **config,
        "title": "statusgen site_config.yml",
        "$defs": dict(sorted(defs.items())),
    }


def write_schemas(folder: Path) -> list[Path]:
    """Write both schemas into ``folder``; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in ((INCIDENT_SCHEMA, incident_schema()), (CONFIG_SCHEMA, config_schema())):
        path = folder / name
        path.write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(path)
    return written

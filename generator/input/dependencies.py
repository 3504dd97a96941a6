"""``dependencies/<id>.json``: what ``statusgen dependencies sync`` read of each service the
site depends on, the one format it is written in and read back (by the build, ``check``
and the next sync).

The file is JSON written by statusgen, with sorted keys, two spaces of indent and a final
line break, so that the same reading gives the same bytes and a change reads well in a
diff. It is read as JSON, then as any file of the repository is: through the YAML 1.2 reader
(JSON is YAML), which knows where each value stands, so a hand-edited mistake is an error
at its line and column, with a fix.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError

from generator.core.dependencies import (
    DEPENDENCIES_DIR,
    Reading,
    VendorComponent,
    VendorIncident,
)
from generator.core.diagnostics import Diagnostic, Mark
from generator.core.model import SiteConfig
from generator.core.times import format_utc
from generator.core.vocabulary import ComponentStatus, Impact, Indicator
from generator.input.explain import explain, not_a_mapping
from generator.input.formats import AbsoluteURL, Text, Time
from generator.input.paths import Boundary
from generator.input.source import SourceError, parse, read_text

#: The longest name kept of a vendor's component or incident.
NAME_LENGTH = 300

Name = Annotated[str, StringConstraints(pattern=r"\S", max_length=NAME_LENGTH)]
#: What fixes a broken file: it is statusgen's to write.
_FIX = f"run statusgen dependencies sync to write it again (or delete {DEPENDENCIES_DIR}/<id>.json)"


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid", strict=True, frozen=True, use_attribute_docstrings=True
    )


class ComponentRead(_Model):
    """One chosen component of the vendor's page."""

    name: Text
    """Its name on the vendor's page, as site_config.yml chooses it."""
    status: ComponentStatus
    """Its status: operational, degraded_performance, partial_outage, major_outage or
    under_maintenance."""


class IncidentRead(_Model):
    """An incident open on the vendor's page."""

    name: Name
    """Its title on the vendor's page."""
    url: AbsoluteURL
    """Where the vendor tells it."""
    impact: Impact
    """Its impact: none, minor, major or critical."""


class DependencyFile(_Model):
    """dependencies/<id>.json: what statusgen dependencies sync read of one service."""

    page: AbsoluteURL
    """The status page read."""
    indicator: Indicator
    """The page's overall indicator: none, minor, major, critical or maintenance."""
    components: list[ComponentRead] = []
    """The chosen components the vendor's page has."""
    incidents: list[IncidentRead] = []
    """The incidents open on the vendor's page."""
    missing: list[Text] = []
    """Chosen component names the vendor's page does not have."""
    read_at: Time
    """When it was read."""


def reading_path(root: Path, dependency_id: str) -> Path:
    return root / DEPENDENCIES_DIR / f"{dependency_id}.json"


def reading_json(reading: Reading) -> bytes:
    """The bytes of a reading's file: the same reading, the same bytes."""
    data: dict[str, Any] = {
        "page": reading.page,
        "indicator": reading.indicator,
        "components": [{"name": c.name, "status": c.status} for c in reading.components],
        "incidents": [
            {"name": i.name, "url": i.url, "impact": i.impact} for i in reading.incidents
        ],
        "missing": list(reading.missing),
        "read_at": format_utc(reading.read_at),
    }
    return (json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode()


def read_reading(path: Path) -> tuple[Reading | None, list[Diagnostic]]:
    """A reading's file, validated, or what is wrong with it (each with the fix)."""
    try:
        text = read_text(path)
        _json(text, path)  # JSON, not any YAML: what sync writes and tools read
        document = parse(text, path)
    except json.JSONDecodeError as error:
        message = f"not valid JSON: {error.msg}"
        return None, [Diagnostic(path, error.lineno, error.colno, message, _FIX)]
    except SourceError as error:
        return None, [Diagnostic(path, error.mark.line, error.mark.col, error.message, _FIX)]
    except OSError as error:
        return None, [Diagnostic(path, 1, 1, f"cannot read the file: {error.strerror}", _FIX)]
    problems = not_a_mapping(document)
    if problems:
        return None, [_with_fix(d, "the file must be a JSON object") for d in problems]
    try:
        raw = DependencyFile.model_validate(document.data)
    except ValidationError as error:
        return None, [_with_fix(d) for d in explain(document, error.errors(), DependencyFile)]
    return _reading(raw), []


def _json(text: str, path: Path) -> None:
    """JSONDecodeError unless ``text`` is JSON. JSON that Python's reader cannot hold
    (arrays nested past its recursion limit, a number of thousands of digits) is refused
    by the YAML reader too, at its line and column, as a SourceError: never a traceback."""
    try:
        json.loads(text)
    except json.JSONDecodeError:
        raise
    except (RecursionError, ValueError):
        parse(text, path)  # raises, naming where
        raise SourceError("JSON that Python cannot read", Mark(1, 1)) from None


def _with_fix(problem: Diagnostic, message: str | None = None) -> Diagnostic:
    """The problem, its hint, then the fix: the file is statusgen's to write."""
    hint = f"{problem.hint}; {_FIX}" if problem.hint and message is None else _FIX
    return Diagnostic(problem.file, problem.line, problem.col, message or problem.message, hint)


def _reading(raw: DependencyFile) -> Reading:
    read_at: datetime = raw.read_at
    return Reading(
        page=raw.page,
        indicator=raw.indicator,
        components=tuple(VendorComponent(c.name, c.status) for c in raw.components),
        incidents=tuple(VendorIncident(i.name, i.url, i.impact) for i in raw.incidents),
        read_at=read_at,
        missing=tuple(raw.missing),
    )


def reading_files(root: Path) -> list[Path]:
    """Every ``dependencies/*.json`` (not below it, nothing named with a leading dot)."""
    folder = root / DEPENDENCIES_DIR
    if not folder.is_dir():
        return []
    with os.scandir(folder) as listing:
        names = sorted(
            entry.name
            for entry in listing
            if entry.name.endswith(".json") and not entry.name.startswith(".")
        )
    return [folder / name for name in names]


def read_readings(
    root: Path, config: SiteConfig | None, boundary: Boundary
) -> tuple[dict[str, Reading], list[Diagnostic], int]:
    """Every reading of a dependency of ``config`` by id, the problems of every file in
    ``dependencies/`` and how many files there are. A file of no configured dependency
    is a warning: it is shown nowhere."""
    readings: dict[str, Reading] = {}
    problems: list[Diagnostic] = []
    files = reading_files(root)
    folder = root / DEPENDENCIES_DIR
    if files and boundary.outside(folder):
        return {}, [_outside(folder)], 0
    known = {d.id for d in config.dependencies} if config is not None else None
    for path in files:
        outside = boundary.problem(path)
        if outside is not None:
            problems.append(outside)
            continue
        reading, found = read_reading(path)
        problems += found
        if reading is None:
            continue
        if known is not None and path.stem not in known:
            problems.append(
                Diagnostic(
                    path,
                    1,
                    1,
                    f"no dependency '{path.stem}' in site_config.yml: this file is shown nowhere",
                    f"remove it, or add a dependency with id: {path.stem}",
                    severity="warning",
                )
            )
            continue
        readings[path.stem] = reading
    return readings, problems, len(files)


def _outside(folder: Path) -> Diagnostic:
    return Diagnostic(
        folder,
        1,
        1,
        "this is a link to a folder outside the repository; statusgen reads nothing there",
        "make dependencies/ a folder of the repository, or remove the link",
    )

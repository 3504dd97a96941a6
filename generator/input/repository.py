"""The repository index: which files are incidents, and reading them all into one run."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple, Protocol

from generator.core.dependencies import Reading
from generator.core.diagnostics import Diagnostic, Mark
from generator.core.model import (
    Incident,
    SiteConfig,
)
from generator.input.dependencies import read_readings
from generator.input.incidents import incident_from_bytes
from generator.input.paths import Boundary
from generator.input.site_config import CONFIG_NAME, read_config
from generator.input.source import SourceError, load
from generator.input.theme import theme_problems

INCIDENTS_DIR = "incidents"


class IncidentMemo(Protocol):
    """Incidents validated by an earlier run, found again by the bytes they were made from
    (the build's cache is one); validation never depends on how they are kept."""

    def get(self, path: Path, raw: bytes, config: bytes) -> Incident | None: ...

    def put(self, path: Path, raw: bytes, config: bytes, incident: Incident) -> None: ...


@dataclass
class Repository:
    """A status repository as read: its config and incidents, or what is wrong with them."""

    root: Path
    config: SiteConfig | None = None
    #: every valid incident, in path order (none when they were not kept: ``valid``)
    incidents: tuple[Incident, ...] = ()
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: int = 0
    #: how many incident files are valid (``len(incidents)`` when they were kept)
    valid: int = 0
    #: what ``statusgen dependencies sync`` read of each dependency, by id
    readings: dict[str, Reading] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.config is not None and not any(d.severity == "error" for d in self.diagnostics)


def incident_files(root: Path) -> list[Path]:
    """Every incident file under ``root/incidents``, subfolders included, in path order.

    A file is an incident file when its name ends in .yml or .yaml and it is a file (a
    link to one counts, and is judged by the path rule later); folders are searched but
    for linked ones, and nothing named with a leading dot is read, nor anything below it.
    One ``os.scandir`` per folder: its entries know their kind without a ``stat``."""
    return [path for path, _ in _incident_entries(root)]


def _incident_entries(root: Path) -> list[tuple[Path, bool | None]]:
    """Each incident file (as :func:`incident_files`), and whether it is a link (None:
    its entry could not tell)."""
    folder = root / INCIDENTS_DIR
    if not folder.is_dir():
        return []
    found: list[tuple[str, str, bool | None]] = []
    _search(os.fspath(folder), "", found)
    found.sort()
    return [(Path(path), link) for _, path, link in found]


def _search(folder: str, relative: str, found: list[tuple[str, str, bool | None]]) -> None:
    """Add (posix path below ``incidents/``, path, link or not) of each incident file
    below ``folder``."""
    try:
        with os.scandir(folder) as listing:
            entries = list(listing)
    except PermissionError:
        return  # as Path.rglob does
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue
        link: bool | None = None
        try:
            link = entry.is_symlink()
            below = not link and entry.is_dir()
        except OSError:
            below = False
        if below:
            _search(entry.path, f"{relative}{name}/", found)
        elif name.endswith((".yml", ".yaml")) and _is_file(entry):
            found.append((relative + name, entry.path, link))


def _is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


def incident_index(root: Path) -> dict[str, Path]:
    """The id of every incident file, read cheaply: its ``id:`` key, else its file name."""
    index: dict[str, Path] = {}
    boundary = Boundary(root)
    for path in incident_files(root):
        if boundary.outside(path):
            continue
        incident_id = path.stem
        try:
            data = load(path).data
        except (SourceError, OSError):
            data = None
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            incident_id = data["id"]
        index.setdefault(incident_id, path)
    return index


def load_repository(
    root: Path, memo: IncidentMemo | None = None, *, keep: bool = True
) -> Repository:
    """Read and validate the config and every incident file below ``root``.

    With a ``memo``, files whose bytes (and config) are unchanged since it was saved are
    not parsed again. Without ``keep`` (``check``: only what is wrong matters), each
    incident is dropped once validated, but for what the rules across files ask of it;
    the repository counts them (``valid``) and holds none, so that memory stays flat.

    The records of thousands of incidents hold no reference cycles: collecting garbage
    while they load only rescans them, again and again. So no collection runs while they
    load, and once loaded they are frozen out of every later collection.
    """
    gc.disable()
    try:
        return _load_repository(root, memo, keep)
    finally:
        gc.freeze()
        gc.enable()


def _load_repository(root: Path, memo: IncidentMemo | None, keep: bool) -> Repository:
    repository = Repository(root)
    config_path = root / CONFIG_NAME
    if not config_path.is_file():
        repository.diagnostics.append(
            Diagnostic(
                config_path,
                1,
                1,
                f"there is no {CONFIG_NAME} in {root.resolve()}",
                "run statusgen in your status repository, or pass --root",
            )
        )
        return repository
    boundary = Boundary(root)
    outside = boundary.problem(config_path)
    if outside is not None:
        repository.diagnostics.append(outside)
        return repository
    config, problems = read_config(config_path)
    repository.config = config
    repository.diagnostics += problems
    repository.diagnostics += theme_problems(root, boundary)
    try:
        config_bytes = config_path.read_bytes()
    except OSError:
        config_bytes = b""  # read_config said why
    incidents: list[Incident] = []
    found: list[_Found] = []
    entries = _incident_entries(root)
    for path, link in entries:
        outside = boundary.problem(path, link)
        if outside is not None:
            repository.diagnostics.append(outside)
            continue
        incident, problems = _incident(path, config, config_bytes, memo)
        repository.diagnostics += problems
        if incident is not None:
            found.append(
                _Found(incident.id, incident.path, incident.marks.get("id"), incident.keys)
            )
            if keep:
                incidents.append(incident)
    repository.diagnostics += _duplicate_ids(found)
    repository.diagnostics += _duplicate_keys(found)
    readings, problems, reading_files = read_readings(root, config, boundary)
    repository.readings = readings
    repository.diagnostics += problems
    repository.incidents = tuple(incidents)
    repository.files = len(entries) + 1 + reading_files
    repository.valid = len(found)
    return repository


def _incident(
    path: Path, config: SiteConfig | None, config_bytes: bytes, memo: IncidentMemo | None
) -> tuple[Incident | None, list[Diagnostic]]:
    """One incident file, validated, or taken from the memo when neither it nor the
    config changed (the memo holds incidents of a config only)."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        return None, [Diagnostic(path, 1, 1, f"cannot read the file: {error.strerror}")]
    memo = memo if config is not None else None
    incident = memo.get(path, raw, config_bytes) if memo is not None else None
    if incident is not None:
        return incident, []
    incident, problems = incident_from_bytes(path, raw, config)
    if incident is not None and memo is not None:
        memo.put(path, raw, config_bytes, incident)
    return incident, problems


class _Found(NamedTuple):
    """What the rules across files ask of a valid incident."""

    id: str
    path: Path
    #: where its ``id:`` key stands, if it has one
    id_mark: Mark | None
    keys: tuple[tuple[str, Mark], ...]


def _duplicate_ids(incidents: Iterable[_Found]) -> list[Diagnostic]:
    first: dict[str, _Found] = {}
    problems = []
    for incident in incidents:
        if incident.id in first:
            mark = incident.id_mark or Mark(1, 1)
            problems.append(
                Diagnostic(
                    incident.path,
                    mark.line,
                    mark.col,
                    f"the id '{incident.id}' is already used by {first[incident.id].path.name}",
                    "rename one of the files, or set a different id:",
                )
            )
        else:
            first[incident.id] = incident
    return problems


def _duplicate_keys(incidents: Iterable[_Found]) -> list[Diagnostic]:
    """An action's key recorded twice: the same action applied twice, as two runs of the
    incident workflow that raced each other can leave it (the later one must yield)."""
    first: dict[str, tuple[_Found, Mark]] = {}
    problems = []
    for incident in incidents:
        for key, mark in incident.keys:
            if key not in first:
                first[key] = (incident, mark)
                continue
            other, where = first[key]
            problems.append(
                Diagnostic(
                    incident.path,
                    mark.line,
                    mark.col,
                    f"the key '{key}' is already recorded in {other.path.name} at line "
                    f"{where.line}: the action that made this update was applied twice",
                    "remove the update that repeats it (an action with a key is applied "
                    "once; statusgen apply does this when the incident workflow retries)",
                )
            )
    return problems

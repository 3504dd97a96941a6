"""Writing an imported history into a status repository, the same bytes every time.

Components are added to ``site_config.yml`` through ruamel's round trip, so its comments
and order stay. Each incident becomes ``incidents/YYYY/YYYY-MM-DD-<source id>.yml`` with
the source's id as ``id:`` (its page keeps its address), or goes back to the file that
already has that id. What the format has no place for goes to ``internal: {imported: …}``,
with a digest of the file as written: a file whose digest no longer matches was edited by
hand, and is kept (``--force`` overwrites it). Everything is checked before anything is
written.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from generator.core.files import write_atomically
from generator.core.vocabulary import STATUS_FROM_IMPACT
from generator.input.authoring import file_text, load_round_trip, slugify, text_value, time_value
from generator.input.source import MAX_FILE_BYTES, SourceError, decode, load, parse
from generator.input.validate import (
    CONFIG_NAME,
    INCIDENTS_DIR,
    check_incident_document,
    incident_index,
    read_config,
)
from generator.migrate.history import History, Incident, MigrationError, unique_id

_DIGEST = re.compile(r"^(    digest: )sha256:([0-9a-f]{64})$", re.M)
_DATED = re.compile(r"\d{4}-\d\d-\d\d-")
SCHEMA_LINE = "# yaml-language-server: $schema=../../schemas/incident.schema.json\n"
#: The longest readable id an imported component gets (a few words of its name).
COMPONENT_ID_LENGTH = 40


@dataclass
class Report:
    components: int = 0
    groups: int = 0
    incidents: int = 0
    maintenances: int = 0
    updates: int = 0
    written: int = 0
    unchanged: int = 0
    config_changed: bool = False
    #: Files edited by hand since their import, kept as they are.
    kept: list[Path] = field(default_factory=list)
    #: What was repaired, by file.
    repairs: dict[Path, list[str]] = field(default_factory=dict)
    #: How many files keep something under internal.imported beyond the source's times.
    internal: int = 0


def write(root: Path, history: History, since: datetime | None, force: bool) -> Report:
    report = Report()
    config_path = root / CONFIG_NAME
    config_text = _config_text(config_path, history, report)
    staging = _check_config(config_text, config_path)
    known = _known(staging.components)
    index = incident_index(root)
    schema = (root / "schemas" / "incident.schema.json").is_file()
    planned: list[tuple[Path, str]] = []
    taken: set[Path] = set()
    for incident in sorted(history.incidents.values(), key=lambda i: (i.start, i.id)):
        if since is not None and incident.start < since:
            continue
        path = index.get(incident.id) or _path(root, incident, staging.timezone, taken)
        taken.add(path)
        if _texts_size(incident) > MAX_FILE_BYTES:  # (before ruamel takes seconds over them)
            raise MigrationError(f"{path} would not pass check: {_TOO_LARGE}")
        text = _incident_text(incident, known, schema)
        _check_incident(text, path, staging)
        report.maintenances += incident.maintenance
        report.incidents += not incident.maintenance
        report.updates += len(incident.updates)
        report.internal += len(incident.kept) > 1
        if incident.repairs:
            report.repairs[path] = incident.repairs
        if path.exists():
            current = path.read_bytes().decode("utf-8", "replace")  # not UTF-8: by hand
            if current == text:
                report.unchanged += 1
                continue
            if not force and not _as_imported(current):
                report.kept.append(path)
                continue
        planned.append((path, text))
    if report.config_changed:
        write_atomically(config_path, config_text.encode("utf-8"), mode=0o644)
    for path, text in planned:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, text.encode("utf-8"), mode=0o644)
        report.written += 1
    return report


def _config_text(path: Path, history: History, report: Report) -> str:
    """``site_config.yml`` with the history's components added (comments and order kept);
    one that is there already (by its ``api_id``, else its id) is left as it is."""
    if path.is_file():
        original = path.read_text(encoding="utf-8")
        data = load_round_trip(original)
    else:
        if not history.url:
            raise MigrationError(
                f"there is no {CONFIG_NAME} and the source names no page address; "
                f"write a {CONFIG_NAME} with site.name and site.url first"
            )
        original = ""
        data = CommentedMap()
        site = CommentedMap()
        site["name"] = history.name or "Status"
        site["url"] = history.url if history.url.endswith("/") else history.url + "/"
        data["site"] = site
    components = data.get("components")
    if components is None:
        components = data["components"] = CommentedSeq()
    _add_components(components, history, report)
    report.groups = len({c.group for c in history.components if c.group})
    text = file_text(data)
    report.config_changed = text != original
    return text


def _add_components(components: CommentedSeq, history: History, report: Report) -> None:
    """Add the history's components that are not there yet. One with a source id (``api_id``)
    gets a readable id, a slug of its name (``-2``, ``-3`` where taken), and keeps the source's
    id as ``api_id``; it is there already when a component has that ``api_id``, or has it
    as its id (imported before components got readable ids): it keeps the id it has."""
    present = {str(entry.get("id")) for entry in components}
    there = present | {str(e["api_id"]) for e in components if e.get("api_id") is not None}
    taken = set(there)
    for component in history.components:
        if component.api_id is None and component.id in present:
            continue
        if component.api_id is not None and component.api_id in there:
            continue
        entry = CommentedMap()
        entry["id"] = component.id
        if component.api_id is not None:
            readable = slugify(component.name, COMPONENT_ID_LENGTH, "component")
            entry["id"] = unique_id(readable, taken)
        taken.add(entry["id"])
        entry["name"] = component.name
        if component.description:
            entry["description"] = component.description
        if component.group:
            entry["group"] = component.group
        if component.api_id is not None:
            entry["api_id"] = component.api_id
        components.append(entry)
        report.components += 1


def _known(components: Any) -> dict[str, str]:
    """The id in this repository of each component id an imported incident may name: its
    own, or its ``api_id`` (the source's id, of a component the import added or found)."""
    known = {c.id: c.id for c in components}
    known |= {c.api_id: c.id for c in components if c.api_id is not None}
    return known


def _check_config(text: str, path: Path) -> Any:
    """The site config ``text`` would make, or MigrationError naming its problems."""
    from tempfile import TemporaryDirectory

    with TemporaryDirectory() as folder:
        trial = Path(folder) / CONFIG_NAME
        trial.write_text(text, encoding="utf-8")
        config, problems = read_config(trial)
    if config is None:
        said = "; ".join(f"line {p.line}: {p.message}" for p in problems)
        raise MigrationError(f"{path} would not be valid with the imported components: {said}")
    return config


def _check_incident(text: str, path: Path, config: Any) -> None:
    """MigrationError unless ``text`` passes ``check`` as the file ``path``, its size included:
    what an import writes, check accepts."""
    try:
        document = parse(decode(text.encode("utf-8")), path)
    except SourceError as error:
        said = _TOO_LARGE if error.message.startswith("the file is larger") else error.message
        raise MigrationError(f"{path} would not pass check: {said}") from None
    checked, problems = check_incident_document(document, config)
    if checked is None:
        said = "; ".join(f"line {p.line}: {p.message}" for p in problems)
        raise MigrationError(f"{path} would not pass check: {said}")


_TOO_LARGE = (
    f"the file is larger than {MAX_FILE_BYTES // 1024} KiB (its texts are too long for one "
    "file: shorten them at the source, or leave the incident out with --since)"
)


def _texts_size(incident: Incident) -> int:
    """The bytes of an incident's texts: its file holds each of them at least once."""
    texts = [incident.title, incident.postmortem or "", *(u.message for u in incident.updates)]
    return sum(len(text.encode("utf-8", "surrogatepass")) for text in texts)


def _path(root: Path, incident: Incident, zone: Any, taken: set[Path]) -> Path:
    """A new incident's file: ``YYYY-MM-DD-<id>.yml``, or with ``-2`` where another incident
    of this import took that name (ids ``x`` and ``2026-11-20-x`` on one day), or a file is
    there already: another incident's, imported before or written by hand."""
    day = incident.start.astimezone(zone)
    name = incident.id if _DATED.match(incident.id) else f"{day:%Y-%m-%d}-{incident.id}"
    folder = root / INCIDENTS_DIR / f"{day:%Y}"
    path, number = folder / f"{name}.yml", 1
    while path in taken or _anothers(path, incident.id):
        number += 1
        path = folder / f"{name}-{number}.yml"
    return path


def _anothers(path: Path, incident_id: str) -> bool:
    """Whether ``path`` is the file of another incident (its ``id:``, else its name, says
    so). A file that cannot be read as one is this incident's, edited by hand: it is kept
    unless --force, as any edited file is."""
    if not path.exists():
        return False
    try:
        data = load(path).data
    except (SourceError, OSError):
        return False
    found = data.get("id") if isinstance(data, dict) else None
    return (found if isinstance(found, str) else path.stem) != incident_id


def _incident_text(incident: Incident, known: dict[str, str], schema: bool) -> str:
    gone = sorted(
        {c for c in incident.components if c not in known}
        | {c for u in incident.updates for c in u.components if c not in known}
    )
    kept = dict(incident.kept)
    if gone:
        kept["components_no_longer_on_the_page"] = gone
        incident.repairs.append(
            "components no longer on the page were left out: " + ", ".join(gone)
        )
    data = CommentedMap()
    data["id"] = incident.id
    if incident.maintenance:
        data["type"] = "maintenance"
    data["title"] = incident.title
    data["impact"] = incident.impact
    components = {known[c]: s for c, s in incident.components.items() if c in known}
    if components and all(components.values()):
        data["components"] = CommentedMap(components)
    elif components:
        derived = STATUS_FROM_IMPACT[incident.impact]
        data["components"] = CommentedMap({c: s or derived for c, s in components.items()})
    if incident.started is not None:
        data["started"] = time_value(incident.started)
    if incident.window is not None:
        window = CommentedMap()
        window["start"] = time_value(incident.window[0])
        window["end"] = time_value(incident.window[1])
        data["scheduled"] = window
    updates = CommentedSeq()
    for update in incident.updates:
        entry = CommentedMap()
        entry["at"] = time_value(update.at)
        entry["status"] = update.status
        entry["message"] = text_value(update.message)
        statuses = {known[c]: s for c, s in update.components.items() if c in known}
        if statuses:
            entry["components"] = CommentedMap(statuses)
        updates.append(entry)
    data["updates"] = updates
    if incident.postmortem:
        data["postmortem"] = text_value(incident.postmortem)
    imported = CommentedMap(kept)
    imported["digest"] = "sha256:" + "0" * 64
    data["internal"] = CommentedMap({"imported": imported})
    return _sealed((SCHEMA_LINE if schema else "") + file_text(data))


def _sealed(text: str) -> str:
    """``text`` with its digest: of itself, the digest's value blanked."""
    blank = _DIGEST.sub(r"\g<1>sha256:" + "0" * 64, text)
    digest = hashlib.sha256(blank.encode("utf-8")).hexdigest()
    return _DIGEST.sub(r"\g<1>sha256:" + digest, blank)


def _as_imported(text: str) -> bool:
    """Whether a file is exactly as an import wrote it (its digest still matches)."""
    return _DIGEST.search(text) is not None and _sealed(text) == text

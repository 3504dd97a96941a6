"""What a rebuild can reuse from the previous build: validated incidents, Markdown
renderings and finished pages.

All live in ``ROOT/.statusgen-cache/`` (never committed) and are keyed by digests of
everything their entries depend on, **statusgen's own code included** (:func:`code_digest`:
its Python files, theme and word lists, and the versions of the libraries that render), so
an edited or upgraded statusgen never finds an old entry. A stale entry is never found,
only left behind; each build prunes what it did not use.

The cache holds data only: JSON and finished HTML, never pickles, so a cache folder that
arrives with a pull request cannot run code. An entry that cannot be read, or that does
not decode to a well-formed record, is a miss.

- Incidents: the validated record of an incident file, keyed by the file's bytes, its
  path, the config's bytes and the code. A rebuild reads every file but parses and
  validates only the changed ones.
- Markdown: every text's safe HTML, so unchanged messages are not converted again.
- Pages: the final HTML of a page, keyed by what it shows (see ``pipeline.py``). A hit
  skips both the content templates and the page shell; the file is hard-linked into the
  new site (entries are written once and never changed, so a link is as good as a copy).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sys
from datetime import datetime
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from generator.core.diagnostics import Mark
from generator.core.files import replacing, write_atomically
from generator.core.model import ComponentChange, Incident, Update, Window
from generator.core.vocabulary import (
    COMPONENT_STATUSES,
    EVENT_KINDS,
    INCIDENT_STATUSES,
    INDICATORS,
    MAINTENANCE_STATUSES,
)
from generator.input.text import text_problem

CACHE_DIR = ".statusgen-cache"

#: The libraries whose output ends up in the site: an upgrade of any is a new code digest.
RENDERING_LIBRARIES = (
    "babel",
    "mkdocs",
    "mkdocs-material",
    "jinja2",
    "markupsafe",
    "markdown",
    "nh3",
    "feedgen",
    "lxml",
    "icalendar",
    "pydantic",
    "pydantic-core",
    "pyyaml",
    "ruamel.yaml",
)


def digest(*parts: bytes | str) -> str:
    """A hex digest of the parts, each length-prefixed so that no two lists collide."""
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "big"))
        hasher.update(data)
    return hasher.hexdigest()


def tree_digest(folders: list[Path]) -> str:
    """A digest of every file below some folders: their paths and bytes."""
    parts: list[bytes | str] = []
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            if "__pycache__" in path.parts:
                continue
            parts += [path.relative_to(folder).as_posix(), path.read_bytes()]
    return digest(*parts)


@cache
def code_digest(theme: Path) -> str:
    """statusgen itself: its Python files, word lists and shipped ``theme``, and the
    versions of Python and of the libraries that render. Part of every cache key."""
    package = Path(__file__).resolve().parent.parent
    versions = []
    for name in RENDERING_LIBRARIES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} -")
    return digest(sys.version, *versions, tree_digest([package, theme]))


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, data)


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None


# incidents as JSON ---------------------------------------------------------------------------


class _Malformed(Exception):
    """A cache entry that is not a record this version writes."""


def _time(moment: datetime) -> list[Any]:
    zone = moment.tzinfo
    return [moment.isoformat(), zone.key if isinstance(zone, ZoneInfo) else None]


def _untime(value: Any) -> datetime:
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], str)):
        raise _Malformed
    moment = datetime.fromisoformat(value[0])
    if moment.tzinfo is None:
        raise _Malformed
    if isinstance(value[1], str):
        moment = moment.astimezone(ZoneInfo(value[1]))
    return moment


def _text(value: Any) -> str:
    if not isinstance(value, str) or text_problem(value) is not None:
        raise _Malformed
    return value


def _optional_text(value: Any) -> str | None:
    return None if value is None else _text(value)


def _one_of(value: Any, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise _Malformed
    return str(value)


def _statuses(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise _Malformed
    return {_text(k): _one_of(v, COMPONENT_STATUSES) for k, v in value.items()}


def _texts(value: Any) -> dict[str, str]:
    """Texts by key (a field's translations by language, or an incident's by field)."""
    if not isinstance(value, dict):
        raise _Malformed
    return {_text(k): _text(v) for k, v in value.items()}


def _mark(value: Any) -> Mark:
    if not (isinstance(value, list) and len(value) == 2 and all(type(n) is int for n in value)):
        raise _Malformed
    return Mark(value[0], value[1])


def encode_incident(incident: Incident) -> dict[str, Any]:
    return {
        "id": incident.id,
        "path": str(incident.path),
        "kind": incident.kind,
        "title": incident.title,
        "impact": incident.impact,
        "components": dict(incident.components),
        "regions": list(incident.regions),
        "started": _time(incident.started) if incident.started else None,
        "scheduled": [_time(incident.scheduled.start), _time(incident.scheduled.end)]
        if incident.scheduled
        else None,
        "workaround": incident.workaround,
        "compensation": incident.compensation,
        "postmortem": incident.postmortem,
        "lint_ignore": sorted(incident.lint_ignore),
        "marks": {key: list(mark) for key, mark in incident.marks.items()},
        "keys": [[key, list(mark)] for key, mark in incident.keys],
        "source_digest": incident.source_digest,
        "translations": {k: dict(v) for k, v in incident.translations.items()},
        "updates": [
            [
                u.id,
                _time(u.at),
                u.status,
                u.status_given,
                u.message,
                _time(u.next_update) if u.next_update else None,
                dict(u.declared),
                dict(u.statuses),
                [[c.component, c.old, c.new] for c in u.changes],
                list(u.mark),
                dict(u.translations),
            ]
            for u in incident.updates
        ],
    }


def decode_incident(data: Any) -> Incident:
    """The incident a cache entry holds, or _Malformed (never an unchecked value)."""
    if not isinstance(data, dict):
        raise _Malformed
    try:
        statuses = INCIDENT_STATUSES + MAINTENANCE_STATUSES
        updates = []
        for entry in data["updates"]:
            (uid, at, status, given, message, promised, declared, now, changes, mark, said) = entry
            updates.append(
                Update(
                    id=_text(uid),
                    at=_untime(at),
                    status=_one_of(status, statuses),
                    status_given=bool(given),
                    message=_text(message),
                    next_update=_untime(promised) if promised is not None else None,
                    declared=_statuses(declared),
                    statuses=_statuses(now),
                    changes=tuple(
                        ComponentChange(
                            _text(c),
                            _one_of(old, COMPONENT_STATUSES),
                            _one_of(new, COMPONENT_STATUSES),
                        )
                        for c, old, new in changes
                    ),
                    mark=_mark(mark),
                    translations=_texts(said),
                )
            )
        scheduled = data["scheduled"]
        regions = data["regions"]
        if not updates or not isinstance(regions, list):
            raise _Malformed
        return Incident(
            id=_text(data["id"]),
            path=Path(_text(data["path"])),
            kind=_one_of(data["kind"], EVENT_KINDS),  # type: ignore[arg-type]
            title=_text(data["title"]),
            impact=_one_of(data["impact"], INDICATORS),
            updates=tuple(updates),
            components=_statuses(data["components"]),
            regions=tuple(_text(r) for r in regions),
            started=_untime(data["started"]) if data["started"] is not None else None,
            scheduled=Window(_untime(scheduled[0]), _untime(scheduled[1]))
            if scheduled is not None
            else None,
            workaround=_optional_text(data["workaround"]),
            compensation=_optional_text(data["compensation"]),
            postmortem=_optional_text(data["postmortem"]),
            lint_ignore=frozenset(_text(r) for r in data["lint_ignore"]),
            marks={_text(k): _mark(v) for k, v in data["marks"].items()},
            keys=tuple((_text(k), _mark(v)) for k, v in data["keys"]),
            source_digest=_text(data["source_digest"]),
            translations={_text(k): _texts(v) for k, v in data["translations"].items()},
        )
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as error:
        raise _Malformed from error


class IncidentCache:
    """Validated incidents by the digest of their inputs, in 256 packs by the key's first
    two characters: a rebuild rewrites only the packs whose entries changed. Serves
    ``load_repository`` as its memo.

    A pack is read when one of its keys is first asked for; each entry is decoded into
    its record and dropped, so only the records stay in memory, and only the packs that
    changed are encoded again when saved."""

    def __init__(self, folder: Path | None, code: str) -> None:
        self.folder = folder / "incidents" if folder is not None else None
        self.code = code
        self.packs: dict[str, dict[str, Any]] = {}
        #: the keys each pack held when read, to tell a changed pack
        self.stored: dict[str, frozenset[str]] = {}
        self.used: dict[str, dict[str, Incident]] = {}

    def key(self, path: Path, raw: bytes, config: bytes) -> str:
        return digest(self.code, config, str(path), raw)

    def _pack(self, name: str) -> dict[str, Any]:
        pack = self.packs.get(name)
        if pack is None:
            found = _read_json(self.folder / f"{name}.json") if self.folder else None
            pack = found if isinstance(found, dict) else {}
            self.packs[name] = pack
            self.stored[name] = frozenset(pack)
        return pack

    def get(self, path: Path, raw: bytes, config: bytes) -> Incident | None:
        key = self.key(path, raw, config)
        found = self._pack(key[:2]).pop(key, None)
        if found is None:
            return None
        try:
            incident = decode_incident(found)
        except _Malformed:
            return None  # validated again, and written anew
        self.used.setdefault(key[:2], {})[key] = incident
        return incident

    def put(self, path: Path, raw: bytes, config: bytes, incident: Incident) -> None:
        key = self.key(path, raw, config)
        self.used.setdefault(key[:2], {})[key] = incident

    def save(self) -> None:
        """Write the packs whose entries changed; drop the entries this build did not use."""
        if self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        for stale in self.folder.glob("*.pickle"):  # what versions before 0.2 left
            stale.unlink(missing_ok=True)
        for path in self.folder.glob("*.json"):
            if path.stem not in self.used:
                path.unlink(missing_ok=True)
        for name, pack in self.used.items():
            if name in self.stored and pack.keys() == self.stored[name]:
                continue
            encoded = {key: encode_incident(incident) for key, incident in pack.items()}
            data = json.dumps(encoded, separators=(",", ":")).encode()
            _write_atomically(self.folder / f"{name}.json", data)


class MarkdownCache:
    """Markdown renderings of the previous build, by text, valid for one code digest.

    Each process of a build keeps what it used in a part of its own (``markdown/<part>.json``,
    written by that process), so that no rendering travels between processes; a build
    reads every part, and drops the parts it did not write."""

    def __init__(self, folder: Path | None, code: str) -> None:
        self.folder = folder / "markdown" if folder is not None else None
        self.code = code

    def load(self) -> dict[str, str]:
        found: dict[str, str] = {}
        if self.folder is None or not self.folder.is_dir():
            return found
        for path in sorted(self.folder.glob("*.json")):
            part = _read_json(path)
            if not isinstance(part, dict) or part.get("code") != self.code:
                continue
            renderings = part.get("renderings")
            if isinstance(renderings, dict):
                found.update(
                    (k, v)
                    for k, v in renderings.items()
                    if isinstance(k, str) and isinstance(v, str)
                )
        return found

    def save(self, part: str, renderings: dict[str, str]) -> None:
        """Keep one process's renderings, streamed to disk (never one string in memory)."""
        if self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        with (
            replacing(self.folder / f"{part}.json") as temporary,
            temporary.open("w", encoding="utf-8") as stream,
        ):
            json.dump({"code": self.code, "renderings": renderings}, stream)

    def keep_only(self, parts: set[str]) -> None:
        """Drop the parts this build did not write (and the single file of before 0.2)."""
        if self.folder is None:
            return
        for old in ("markdown.pickle", "markdown.json"):
            (self.folder.parent / old).unlink(missing_ok=True)
        for path in self.folder.iterdir():
            if path.is_file() and not (path.suffix == ".json" and path.stem in parts):
                path.unlink(missing_ok=True)


def copy(source: Path, target: Path) -> None:
    """Copy ``source`` to ``target`` through a temporary file beside the target, so that
    ``target`` is never seen half-written."""
    with replacing(target) as temporary:
        shutil.copyfile(source, temporary)


class PageCache:
    """Finished pages by key, in ``ROOT/.statusgen-cache/pages``; without it
    (``--no-cache``), in ``scratch``, a folder that lasts one build, made beside the site
    so that nothing crosses filesystems."""

    def __init__(self, folder: Path | None, scratch: Path | None = None) -> None:
        self._temporary = folder is None
        if folder is None:
            assert scratch is not None
            self.folder = scratch
        else:
            self.folder = folder / "pages"
        self.folder.mkdir(parents=True, exist_ok=True)

    def close(self) -> None:
        """Remove a folder that lasts one build."""
        if self._temporary:
            shutil.rmtree(self.folder, ignore_errors=True)

    def path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.html"

    def has(self, key: str) -> bool:
        return self.path(key).is_file()

    def store(self, key: str, rendered: Path) -> None:
        """Keep a freshly rendered page: a hard link to it (a copy across filesystems)."""
        target = self.path(key)
        target.parent.mkdir(exist_ok=True)
        try:
            os.link(rendered, target)
        except FileExistsError:
            pass  # the same page, rendered by an earlier build that was stopped
        except OSError:
            copy(rendered, target)

    def place(self, key: str, target: Path) -> None:
        """Put the page at ``target``: a hard link, or a copy where links cannot be made."""
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(self.path(key), target)
        except OSError:
            shutil.copyfile(self.path(key), target)

    def prune(self, keep: set[str]) -> None:
        """Forget every page this build did not use."""
        if self._temporary:
            return  # closed at the end of the build
        for entry in self.folder.glob("*/*.html"):
            if entry.stem not in keep:
                with contextlib.suppress(OSError):
                    entry.unlink()

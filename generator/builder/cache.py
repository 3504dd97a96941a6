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
- Markdown: every text's safe HTML, so unchanged messages are not converted again; one
  file per process of the build that rendered any.
- Pages: the final HTML of a page, keyed by what it shows (``pages.py``).
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Callable, Mapping
from dataclasses import MISSING, Field, fields, is_dataclass
from datetime import datetime
from functools import cache
from importlib import metadata
from pathlib import Path
from types import NoneType, UnionType
from typing import Any, Literal, Union, cast, get_args, get_origin, get_type_hints
from zoneinfo import ZoneInfo

from generator.core.files import replacing, write_atomically
from generator.core.model import ComponentChange, Incident, Update
from generator.core.vocabulary import (
    COMPONENT_STATUSES,
    INCIDENT_STATUSES,
    INDICATORS,
    MAINTENANCE_STATUSES,
)
from generator.input.text import text_problem
from generator.outputs import markup

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


#: The values a field may hold where the model types it as plain ``str`` (the statuses),
#: by record and field name; for a mapping, the values of its entries.
_ALLOWED: dict[tuple[type, str], frozenset[str]] = {
    (Incident, "impact"): frozenset(INDICATORS),
    (Incident, "components"): frozenset(COMPONENT_STATUSES),
    (Update, "status"): frozenset(INCIDENT_STATUSES + MAINTENANCE_STATUSES),
    (Update, "declared"): frozenset(COMPONENT_STATUSES),
    (Update, "statuses"): frozenset(COMPONENT_STATUSES),
    (ComponentChange, "old"): frozenset(COMPONENT_STATUSES),
    (ComponentChange, "new"): frozenset(COMPONENT_STATUSES),
}

Decoder = Callable[[Any], Any]


@cache
def encoder(hint: Any) -> Callable[[Any], Any]:
    """What turns a value of type ``hint`` into JSON, worked out once per type: a record as
    an object by field names (a field at its default left out), a time as ``[ISO 8601,
    zone]``, a named tuple and any collection as a list (a set sorted)."""
    hint = _joined(hint)
    origin, args = get_origin(hint), get_args(hint)
    if origin in (Union, UnionType):
        others = [arg for arg in args if arg is not NoneType]
        if len(others) != 1:
            raise TypeError(f"the cache cannot encode {hint}")
        inner = encoder(others[0])
        return lambda value: None if value is None else inner(value)
    if origin in (dict, Mapping):
        item = encoder(args[1])
        if item is _same:
            return dict
        return lambda value: {key: item(entry) for key, entry in value.items()}
    if origin is frozenset:
        return sorted
    if origin is tuple:
        items = [encoder(arg) for arg in args if arg is not Ellipsis]
        if len(args) == 2 and args[1] is Ellipsis:
            return list if items[0] is _same else lambda value: [items[0](e) for e in value]
        return lambda value: [item(entry) for item, entry in zip(items, value, strict=True)]
    if isinstance(hint, type) and is_dataclass(hint):
        return _record_encoder(hint)
    if hint is datetime:
        return _time
    if hint is Path:
        return str
    if isinstance(hint, type) and issubclass(hint, tuple) and hasattr(hint, "_fields"):
        return list  # a named tuple (Mark)
    if origin is Literal or hint in (str, bool, int, NoneType):
        return _same
    raise TypeError(f"the cache cannot encode {hint}")


def _record_encoder(kind: type) -> Callable[[Any], Any]:
    hints = get_type_hints(kind)
    required = [(f.name, encoder(hints[f.name])) for f in fields(kind) if not _has_default(f)]
    optional = [
        (f.name, encoder(hints[f.name]), _default(f)) for f in fields(kind) if _has_default(f)
    ]

    def encode_record(value: Any) -> dict[str, Any]:
        encoded = {name: item(getattr(value, name)) for name, item in required}
        for name, item, default in optional:
            found = getattr(value, name)
            if found is not default and found != default:
                encoded[name] = item(found)
        return encoded

    return encode_record


def _has_default(found: Field[Any]) -> bool:
    return found.default is not MISSING or found.default_factory is not MISSING


def _default(found: Field[Any]) -> Any:
    """A field's default: a field at its default is left out."""
    if found.default is not MISSING:
        return found.default
    factory = cast(Callable[[], Any], found.default_factory)
    return factory()


def _joined(hint: Any) -> Any:
    """A union of literals (``Impact | Literal["maintenance"]``) as the one literal of all
    their values, optional if the union is."""
    args = get_args(hint)
    if get_origin(hint) not in (Union, UnionType):
        return hint
    literals = [arg for arg in args if get_origin(arg) is Literal]
    if len(literals) < 2 or len(literals) + (NoneType in args) != len(args):
        return hint
    joined = Literal[tuple(value for literal in literals for value in get_args(literal))]  # type: ignore[valid-type]
    return joined | None if NoneType in args else joined


def _same(value: Any) -> Any:
    return value


def _time(moment: datetime) -> list[Any]:
    zone = moment.tzinfo
    return [moment.isoformat(), zone.key if isinstance(zone, ZoneInfo) else None]


@cache
def decoder(hint: Any, allowed: frozenset[str] | None = None) -> Decoder:
    """What turns the JSON of the :func:`encoder` back into a value of type ``hint``,
    checking every value on the way: _Malformed for anything this version would not have
    written. With ``allowed``, the texts it holds (a mapping's values) must be among them.

    Decoders are closures, not partials: Python calls a closure faster, and a rebuild
    decodes every incident."""
    hint = _joined(hint)
    origin, args = get_origin(hint), get_args(hint)
    if origin is Literal or (hint is str and allowed is not None):
        return _one_of(frozenset(args) if origin is Literal else cast(frozenset[str], allowed))
    if origin in (Union, UnionType):
        others = [arg for arg in args if arg is not NoneType]
        if len(others) != 1:
            raise TypeError(f"the cache cannot decode {hint}")
        inner = decoder(others[0], allowed)
        return lambda value: None if value is None else inner(value)
    if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
        return _fixed(tuple(decoder(arg) for arg in args))
    if origin in (tuple, frozenset):
        return _items(decoder(args[0]), origin)
    if origin in (dict, Mapping):
        return _entries(decoder(args[1], allowed))
    if isinstance(hint, type) and is_dataclass(hint):
        hints = get_type_hints(hint)
        return _record(
            hint,
            {f.name: decoder(hints[f.name], _ALLOWED.get((hint, f.name))) for f in fields(hint)},
        )
    if isinstance(hint, type) and issubclass(hint, tuple) and hasattr(hint, "_fields"):
        return _named(hint, tuple(decoder(arg) for arg in get_type_hints(hint).values()))
    simple: dict[Any, Decoder] = {str: _text, bool: _bool, int: _int, Path: _path}
    if hint in simple:
        return simple[hint]
    if hint is datetime:
        return _untime
    raise TypeError(f"the cache cannot decode {hint}")


def _record(kind: type, items: dict[str, Decoder]) -> Decoder:
    """A record from its fields by name, those left out at their defaults: an unknown name
    is a KeyError, a required one missing _Malformed.

    The record is made as pickle restores one, its fields set without ``__init__`` (a
    frozen dataclass's sets each through ``object.__setattr__``, the most of the time a
    rebuild spends decoding); what a cache entry holds was validated when it was written.
    A record with ``__post_init__`` or slots is made through ``__init__``."""
    every = fields(kind)
    required = frozenset(f.name for f in every if not _has_default(f))
    plain = {f.name: f.default for f in every if f.default is not MISSING}
    factories = [(f.name, f.default_factory) for f in every if f.default_factory is not MISSING]
    direct = not hasattr(kind, "__post_init__") and "__slots__" not in vars(kind)

    def decode(value: Any) -> Any:
        if type(value) is not dict:
            raise _Malformed
        found = {name: items[name](entry) for name, entry in value.items()}
        if not direct:
            return kind(**found)
        if not required <= found.keys():
            raise _Malformed
        made: Any = object.__new__(kind)
        state = vars(made)
        state.update(plain)
        for name, factory in factories:
            if name not in found:
                state[name] = factory()
        state.update(found)
        return made

    return decode


def _named(kind: type, items: tuple[Decoder, ...]) -> Decoder:
    """A named tuple; one of whole numbers (a Mark, of which there are many) in one step."""
    if any(item is not _int for item in items):
        fixed = _fixed(items)
        return lambda value: kind(*fixed(value))
    count = len(items)

    def decode(value: Any) -> Any:
        if type(value) is not list or len(value) != count:
            raise _Malformed
        for number in value:
            if type(number) is not int:
                raise _Malformed
        return tuple.__new__(kind, value)

    return decode


def _fixed(items: tuple[Decoder, ...]) -> Decoder:
    count = len(items)

    def decode(value: Any) -> tuple[Any, ...]:
        if type(value) is not list or len(value) != count:
            raise _Malformed
        return tuple([item(entry) for item, entry in zip(items, value, strict=True)])

    return decode


def _items(item: Decoder, made: type) -> Decoder:
    def decode(value: Any) -> Any:
        if type(value) is not list:
            raise _Malformed
        return made([item(entry) for entry in value])

    return decode


def _entries(item: Decoder) -> Decoder:
    def decode(value: Any) -> dict[str, Any]:
        if type(value) is not dict:
            raise _Malformed
        return {_text(key): item(entry) for key, entry in value.items()}

    return decode


def _one_of(allowed: frozenset[Any]) -> Decoder:
    def decode(value: Any) -> Any:
        if value not in allowed:  # a list or a mapping is a TypeError
            raise _Malformed
        return value

    return decode


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
    if type(value) is str and value.isprintable():
        return value  # what text_problem would accept at once, without the call
    if not isinstance(value, str) or text_problem(value) is not None:
        raise _Malformed
    return value


def _path(value: Any) -> Path:
    return Path(_text(value))


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _Malformed
    return value


def _int(value: Any) -> int:
    if type(value) is not int:
        raise _Malformed
    return value


def encode_incident(incident: Incident) -> dict[str, Any]:
    encoded: dict[str, Any] = encoder(Incident)(incident)
    return encoded


def decode_incident(data: Any) -> Incident:
    """The incident a cache entry holds, or _Malformed (never an unchecked value)."""
    decode = decoder(Incident)  # outside the try: a type it cannot decode is a bug, not a miss
    try:
        incident: Incident = decode(data)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as error:
        raise _Malformed from error
    if not incident.updates:
        raise _Malformed
    return incident


class IncidentCache:
    """Validated incidents by the digest of their inputs, in 256 packs by the key's first
    two characters: a rebuild rewrites only the packs whose entries changed. Serves
    ``load_repository`` as its memo.

    A pack is read when one of its keys is first asked for; each entry is decoded into
    its record and dropped, so only the records stay in memory, and only the packs that
    changed are encoded again when saved. A pack names the code and config its entries
    were made with (its scope): after an upgrade or a new config none of its entries can
    be asked for, and a pack of another scope is dropped as soon as it is read (held until
    the build ended, 10,000 stale entries were some 150 MB), then written anew."""

    def __init__(self, folder: Path | None, code: str) -> None:
        self.folder = folder / "incidents" if folder is not None else None
        self.code = code
        self.packs: dict[str, dict[str, Any]] = {}
        #: the keys each pack held when read, to tell a changed pack
        self.stored: dict[str, frozenset[str]] = {}
        self.used: dict[str, dict[str, Incident]] = {}
        self._config: bytes | None = None
        self.scope = ""

    def key(self, path: Path, raw: bytes, config: bytes) -> str:
        if config is not self._config:
            self._config, self.scope = config, digest(self.code, config)
        return digest(self.code, config, str(path), raw)

    def _pack(self, name: str) -> dict[str, Any]:
        pack = self.packs.get(name)
        if pack is None:
            found = _read_json(self.folder / f"{name}.json") if self.folder else None
            entries = None
            if isinstance(found, dict) and found.get("scope") == self.scope:
                entries = found.get("entries")
            pack = entries if isinstance(entries, dict) else {}
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
            data = json.dumps({"scope": self.scope, "entries": encoded}, separators=(",", ":"))
            _write_atomically(self.folder / f"{name}.json", data.encode())


class MarkdownCache:
    """Markdown renderings of the previous build, by text, valid for one code digest; the
    one owner of the Markdown memo (``outputs/markup.py``): it seeds it and collects it.

    Each process of a build keeps what it used in a file of its own
    (``markdown/<process>.json``, written by that process), so that no rendering travels
    between processes; a build reads every file, and drops those it did not write."""

    def __init__(self, folder: Path | None, code: str) -> None:
        self.folder = folder / "markdown" if folder is not None else None
        self.code = code

    def seed(self) -> None:
        """Start a build: the memo holds the renderings kept, and nothing used yet."""
        markup.remember(self.load())

    def mark(self) -> int:
        """How many renderings this process has used: taken before forking, so that the
        forked process keeps only what it used after (see :meth:`keep`)."""
        return markup.count()

    def keep(self, process: str, since: int = 0) -> None:
        """Keep the renderings this process used (after the :meth:`mark` ``since``)."""
        self.save(process, markup.renderings(since))

    def load(self) -> dict[str, str]:
        found: dict[str, str] = {}
        if self.folder is None or not self.folder.is_dir():
            return found
        for path in sorted(self.folder.glob("*.json")):
            kept = _read_json(path)
            if not isinstance(kept, dict) or kept.get("code") != self.code:
                continue
            renderings = kept.get("renderings")
            if isinstance(renderings, dict):
                found.update(
                    (k, v)
                    for k, v in renderings.items()
                    if isinstance(k, str) and isinstance(v, str)
                )
        return found

    def save(self, process: str, renderings: dict[str, str]) -> None:
        """Keep one process's renderings, streamed to disk (never one string in memory)."""
        if self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        with (
            replacing(self.folder / f"{process}.json") as temporary,
            temporary.open("w", encoding="utf-8") as stream,
        ):
            json.dump({"code": self.code, "renderings": renderings}, stream)

    def keep_only(self, processes: set[str]) -> None:
        """Drop the files of processes this build did not run (and the single file of
        before 0.2)."""
        if self.folder is None:
            return
        for old in ("markdown.pickle", "markdown.json"):
            (self.folder.parent / old).unlink(missing_ok=True)
        for path in self.folder.iterdir():
            if path.is_file() and not (path.suffix == ".json" and path.stem in processes):
                path.unlink(missing_ok=True)

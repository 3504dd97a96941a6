"""Writing incident files for ``statusgen new``, ``update`` and ``resolve``.

``new`` writes a whole file. ``update`` and ``resolve`` add one item at the end of the
``updates:`` list and leave every other byte of the file as the engineer wrote it: comments,
key order, quoting and indentation. The new file text is validated before it replaces the
old one, and the replacement is atomic, so a failure never leaves a half-written file.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.scalarstring import LiteralScalarString

from generator.core import locks
from generator.core.diagnostics import Diagnostic, display_path
from generator.core.errors import cannot_write
from generator.core.files import write_atomically
from generator.core.model import Incident, SiteConfig
from generator.core.times import format_utc, to_utc_seconds
from generator.input.source import (
    MAX_FILE_BYTES,
    Document,
    SourceError,
    end_of,
    parse,
    start_of,
)
from generator.input.validate import INCIDENTS_DIR, check_incident_document

SLUG_LENGTH = 60
#: A new incident's id names at most this many words of its title, in at most
#: ID_SLUG_LENGTH characters: short enough to type under stress and to fit in an SMS.
ID_WORDS = 6
ID_SLUG_LENGTH = 50


class AuthoringError(Exception):
    """The file could not be written; nothing was changed."""

    def __init__(
        self, message: str, diagnostics: Sequence[Diagnostic] = (), hint: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.diagnostics = list(diagnostics)
        self.hint = hint


class _UTCTime(str):
    """A time written as a YAML timestamp (plain, unquoted), e.g. 2026-11-20T09:41:00Z."""

    __slots__ = ()


def _represent_time(representer: RoundTripRepresenter, data: _UTCTime) -> Any:
    return representer.represent_scalar("tag:yaml.org,2002:timestamp", str(data))


def _yaml() -> YAML:
    writer = YAML()
    writer.width = 1 << 16  # never fold long messages
    writer.indent(mapping=2, sequence=4, offset=2)
    writer.representer.add_representer(_UTCTime, _represent_time)
    return writer


def _dump(data: Any) -> str:
    stream = io.StringIO()
    _yaml().dump(data, stream)
    return stream.getvalue()


def _text_value(text: str) -> str:
    """Multi-line text as a literal block, single lines as plain (or quoted) scalars."""
    text = text.strip("\n")
    return LiteralScalarString(text + "\n") if "\n" in text else text


def file_text(data: CommentedMap) -> str:
    """An incident file's text as the commands write it: ``data`` built with
    :func:`time_value` and :func:`text_value`."""
    return _dump(data)


def time_value(moment: datetime) -> str:
    """A time as the commands write it: UTC, ``Z``, its milliseconds when it has any."""
    utc = moment.astimezone(UTC)
    if utc.microsecond:
        return _UTCTime(utc.isoformat(timespec="milliseconds").replace("+00:00", "Z"))
    return _UTCTime(format_utc(utc))


def text_value(text: str) -> str:
    """Text as the commands write it: a literal block when it has several lines."""
    return _text_value(text)


def slugify(title: str, length: int = SLUG_LENGTH, empty: str = "incident") -> str:
    """An ASCII file-name slug of a title, of at most ``length`` characters."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    if len(slug) > length:
        slug = slug[:length].rsplit("-", 1)[0]
    return slug or empty


# new ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewIncident:
    """What ``statusgen new`` was asked to write."""

    title: str
    message: str
    at: datetime
    status: str
    impact: str | None = None
    components: Mapping[str, str | None] | None = None
    regions: Sequence[str] = ()
    window: tuple[datetime, datetime] | None = None
    next_update: datetime | None = None
    key: str | None = None

    def document(self) -> CommentedMap:
        data = CommentedMap()
        data["title"] = self.title
        if self.window is not None:
            data["type"] = "maintenance"
        if self.impact is not None:
            data["impact"] = self.impact
        if self.components:
            if all(status is None for status in self.components.values()):
                listed = CommentedSeq(self.components)
                listed.fa.set_flow_style()
                data["components"] = listed
            else:
                data["components"] = CommentedMap(self.components)
        if self.regions:
            regions = CommentedSeq(self.regions)
            regions.fa.set_flow_style()
            data["regions"] = regions
        if self.window is not None:
            window = CommentedMap()
            window["start"] = _UTCTime(format_utc(self.window[0]))
            window["end"] = _UTCTime(format_utc(self.window[1]))
            data["scheduled"] = window
        data["updates"] = CommentedSeq(
            [update_entry(self.at, self.message, self.status, self.next_update, self.key)]
        )
        return data


def update_entry(
    at: datetime,
    message: str,
    status: str | None = None,
    next_update: datetime | None = None,
    key: str | None = None,
    components: Mapping[str, str] | None = None,
) -> CommentedMap:
    """One item of ``updates:`` as the commands write it; ``components``: the statuses
    they have from this update on."""
    entry = CommentedMap()
    entry["at"] = _UTCTime(format_utc(at))
    if status is not None:
        entry["status"] = status
    entry["message"] = _text_value(message)
    if components:
        entry["components"] = CommentedMap(components)
    if next_update is not None:
        entry["next_update"] = _UTCTime(format_utc(next_update))
    if key is not None:
        entry["key"] = key
    return entry


def find_key(paths: Sequence[Path], key: str) -> Path | None:
    """The incident file among ``paths`` with an update made with idempotency ``key``."""
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # check reports it; it holds no key we could honour
        if key not in text:
            continue
        try:
            document = parse(text, path)
        except SourceError:
            continue
        updates = document.data.get("updates") if isinstance(document.data, dict) else None
        if isinstance(updates, list) and any(
            isinstance(u, dict) and u.get("key") == key for u in updates
        ):
            return path
    return None


def new_incident_path(
    root: Path, config: SiteConfig, start: datetime, title: str, taken: set[str]
) -> Path:
    """``incidents/<date>-<slug>.yml`` (the slug: at most 6 words of the title), with
    ``-2``, ``-3`` when the id is taken."""
    slug = "-".join(slugify(title, ID_SLUG_LENGTH).split("-")[:ID_WORDS])
    base = f"{start.astimezone(config.timezone):%Y-%m-%d}-{slug}"
    folder = root / INCIDENTS_DIR
    candidate, number = base, 1
    while (
        candidate in taken
        or (folder / f"{candidate}.yml").exists()
        or (folder / f"{candidate}.yaml").exists()
    ):
        number += 1
        candidate = f"{base}-{number}"
    return folder / f"{candidate}.yml"


def write_new(path: Path, new: NewIncident, config: SiteConfig, schema: Path | None) -> None:
    """Write a new incident file, refusing if what it would write is not valid.

    With ``schema`` (the repository's incident schema), the file's first line names it for
    editors.
    """
    text = _dump(new.document())
    if schema is not None:
        relative = Path(os.path.relpath(schema, path.parent)).as_posix()
        text = f"# yaml-language-server: $schema={relative}\n{text}"
    _check(text, path, config)
    path.parent.mkdir(parents=True, exist_ok=True)
    _replace(path, text)


# update and resolve ------------------------------------------------------------------------


def next_time(incident: Incident, at: datetime) -> datetime:
    """``at`` in whole seconds, one second later when it equals the latest update's time."""
    moment = to_utc_seconds(at)
    if moment == incident.latest_update.at:
        moment += timedelta(seconds=1)
    return moment


def append_update(
    path: Path,
    entry: CommentedMap,
    config: SiteConfig,
    changes: Mapping[str, str | None] | None = None,
) -> None:
    """Add ``entry`` at the end of the file's ``updates:`` list, keeping all else as it is;
    ``changes`` (``title``, ``impact``) given a value replace the incident's own (the
    default language's title, where it has translations)."""
    text = path.read_text(encoding="utf-8")
    document = parse(text, path)
    updated = _append_text(text, document, entry)
    if updated is None:  # a flow-style list: let ruamel write it back
        updated = _append_round_trip(text, entry)
    given = {key: value for key, value in (changes or {}).items() if value is not None}
    if given:
        data = load_round_trip(updated)
        for key, value in given.items():
            if key == "title" and isinstance(data.get("title"), dict):
                data["title"][config.default_language] = _text_value(value)
            elif key in data:
                data[key] = _text_value(value)
            else:  # after the title, where people look for it
                data.insert(list(data).index("title") + 1, key, value)
        updated = _dump(data)
    before = len(document.data["updates"])
    incident = _check(updated, path, config)
    if len(incident.updates) != before + 1:  # pragma: no cover - a guard, not a path
        raise AuthoringError(f"{path}: the update could not be added safely")
    _replace(path, updated)


def _append_text(text: str, document: Document, entry: CommentedMap) -> str | None:
    """The text with ``entry`` inserted after the last update, or None for a flow list."""
    list_mark = document.value_mark(("updates",))
    items = document.data["updates"]
    item_mark = document.value_mark(("updates", len(items) - 1))
    last_end: tuple[int, int] | None = None
    last_value = ""
    flows: list[bool] = []  # one entry per open collection inside the list
    inside = False
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):
        if not inside:
            line, col = start_of(event)
            if isinstance(event, yaml.SequenceStartEvent) and (line + 1, col + 1) == (
                list_mark.line,
                list_mark.col,
            ):
                if event.flow_style:
                    return None
                inside = True
            continue
        if isinstance(event, yaml.CollectionStartEvent):
            flows.append(bool(event.flow_style))
        elif isinstance(event, yaml.CollectionEndEvent):
            if not flows:
                break  # the end of the updates list
            if flows.pop():
                last_end = end_of(event)  # the closing bracket of a flow collection
        elif isinstance(event, yaml.ScalarEvent):
            last_end, last_value = end_of(event), event.value
    if last_end is None:  # pragma: no cover - a valid update has at least one scalar
        return None
    lines = text.splitlines(keepends=True)
    insert = last_end[0] if last_end[1] == 0 else last_end[0] + 1
    if not last_value.endswith("\n\n"):  # blank lines are not the scalar's, unless kept (|+)
        while insert > item_mark.line and not lines[insert - 1].strip():
            insert -= 1
    dash = list_mark.col - 1
    indent = item_mark.col - 1
    rendered = _dump([entry]).splitlines()
    # ruamel writes "  - at: ..." with our indent(); move it to this file's columns
    shifted = []
    for number, written in enumerate(rendered):
        body = written[4:]
        prefix = " " * dash + "-" + " " * (indent - dash - 1) if number == 0 else " " * indent
        shifted.append(prefix + body if body else "")
    head = lines[:insert]
    if head and not head[-1].endswith("\n"):
        head[-1] += "\n"
    return "".join(head) + "".join(item + "\n" for item in shifted) + "".join(lines[insert:])


def translate(
    incident: Incident, config: SiteConfig, lang: str, message: str, title: str | None = None
) -> None:
    """Add ``lang``'s text of the latest update (and of the title) beside the default
    language's in the file of ``incident`` (as just read from it): a plain text becomes a
    mapping by language, an existing ``lang`` text is replaced. The file is validated
    before it replaces the old one."""
    path = incident.path
    text = path.read_text(encoding="utf-8")
    document = parse(text, path)
    latest = incident.latest_update.mark
    index = next(
        number
        for number in range(len(document.data["updates"]))
        if document.value_mark(("updates", number)) == latest
    )
    data = load_round_trip(text)
    _set_translation(data["updates"][index], "message", config.default_language, lang, message)
    if title is not None:
        _set_translation(data, "title", config.default_language, lang, title.strip())
    updated = _dump(data)
    _check(updated, path, config)
    _replace(path, updated)


def _set_translation(data: CommentedMap, key: str, default: str, lang: str, text: str) -> None:
    value = data[key]
    if not isinstance(value, dict):
        mapping = CommentedMap()
        mapping[default] = value
        data[key] = value = mapping
    value[lang] = _text_value(text)


def _append_round_trip(text: str, entry: CommentedMap) -> str:
    data = load_round_trip(text)
    data["updates"].append(entry)
    return _dump(data)


def load_round_trip(text: str) -> Any:
    """A file people wrote, loaded so that dumping it (:func:`file_text`) keeps its
    comments, order and quotes."""
    reader = _yaml()
    reader.preserve_quotes = True
    return reader.load(text)


# shared ------------------------------------------------------------------------------------


def _check(text: str, path: Path, config: SiteConfig) -> Incident:
    size = len(text.encode("utf-8"))
    if size > MAX_FILE_BYTES:
        raise AuthoringError(
            f"{display_path(path)} would be {size // 1024} KiB, over the limit of "
            f"{MAX_FILE_BYTES // 1024} KiB; nothing was written",
            hint="start a new incident that links to this one, or shorten the messages",
        )
    try:
        document = parse(text, path)
    except SourceError as error:  # pragma: no cover - we wrote it, so it parses
        raise AuthoringError(f"{path}: {error.message}") from None
    incident, problems = check_incident_document(document, config)
    if incident is None:
        raise AuthoringError(f"{path} would not be valid; nothing was written", problems)
    return incident


def _replace(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically, keeping the file's permissions."""
    mode = path.stat().st_mode & 0o7777 if path.exists() else 0o644
    try:
        write_atomically(path, text.encode("utf-8"), mode=mode)
    except OSError as error:
        raise AuthoringError(_cannot_write(path, error)) from None


def _cannot_write(path: Path, error: OSError) -> str:
    return f"{cannot_write(display_path(path), error)}; the file was not changed"


#: How long a command waits for another one writing the same incident folder.
LOCK_SECONDS = 10.0


def locked(path: Path, seconds: float | None = None) -> contextlib.AbstractContextManager[None]:
    """The folder of ``path`` to this process alone while it reads and rewrites a file
    there: two commands updating one incident at once both keep their update, one after
    the other. TimeoutError (a LockTimeout) after ``seconds`` of waiting."""
    return locks.locked(path.parent, LOCK_SECONDS if seconds is None else seconds)

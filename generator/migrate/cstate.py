"""Reading a cState site: ``config.yml`` (``params.systems``, ``params.categories``) and
``content/issues/*.md`` (front matter, then the updates, each ending in
``{{< track "YYYY-MM-DD HH:MM:SS" >}}``). Times without a zone are UTC, cState's own rule.

cState has no maintenance type: an issue becomes a maintenance where its title or file name
says it is planned work ("Planned outage", "maintenance") and it has a window (``date`` to a
later ``resolvedWhen``). Severity gives the impact and the components' status: ``down`` is
critical (major outage), ``disrupted`` major (partial outage), ``notice`` and
``informational`` none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from generator.core.diagnostics import Mark
from generator.core.times import TimeError, parse_time
from generator.input.authoring import slugify
from generator.input.formats import ID_LENGTH
from generator.input.source import Document, Loc, SourceError, decode, parse
from generator.input.text import without_forbidden
from generator.migrate.history import (
    Component,
    History,
    Incident,
    MigrationError,
    Update,
    unique_id,
)
from generator.migrate.responses import kind

SEVERITY = {
    "down": ("critical", "major_outage"),
    "disrupted": ("major", "partial_outage"),
    "notice": ("none", "operational"),
}
_TRACK = re.compile(r"\{\{<\s*track\s+\"([^\"]+)\"\s*>\}\}")
_PLANNED = re.compile(r"\b(?:planned|maintenance|scheduled)\b", re.I)
_FRONT = re.compile(r"\A---\s*\n(.*?)\n---\s*\n?(.*)\Z", re.S)
_RULE = re.compile(r"^\s*(?:---+|\*\*\*+)\s*$", re.M)
_LABELS = (
    (re.compile(r"resolved|restored|complete|fixed|back to normal|recovered", re.I), "resolved"),
    (re.compile(r"monitoring", re.I), "monitoring"),
    (re.compile(r"identified|cause", re.I), "identified"),
)


def read(folder: Path) -> History:
    config_path = folder / "config.yml"
    if not folder.is_dir():
        raise MigrationError(f"{folder}: no such folder")
    if not config_path.is_file():
        raise MigrationError(f"{folder}: not a cState site (there is no config.yml)")
    config = _Yaml.read(config_path, _text(config_path), 0)
    systems = config.get("params", "systems")
    if not isinstance(systems, list):
        raise MigrationError(f"{config_path}: not a cState config (no params.systems)")
    history = History("cstate", config.text("title"), config.text("baseURL"))
    categories = config.get("params", "categories")
    untitled = {
        config.text("params", "categories", n, "name")
        for n, category in enumerate(categories if isinstance(categories, list) else [])
        if isinstance(category, dict) and category.get("untitled")
    }
    names: dict[str, str] = {}
    for n, system in enumerate(systems):
        if not isinstance(system, dict) or not system.get("name"):
            continue
        name = config.text("params", "systems", n, "name") or ""
        if not name.strip():
            raise config.error(
                ("params", "systems", n, "name"), "the name is blank", "name the system"
            )
        component_id = unique_id(_slug(name), set(names.values()))
        names[name] = component_id
        category = config.text("params", "systems", n, "category")
        description = config.text("params", "systems", n, "description")
        history.add_component(
            Component(
                component_id,
                name,
                description if description and description.strip() else None,
                category if category and category.strip() and category not in untitled else None,
            )
        )
    issues = folder / "content" / "issues"
    files = sorted(issues.glob("*.md")) if issues.is_dir() else []
    if not files:
        raise MigrationError(f"{folder}: there is no content/issues/*.md")
    for path in files:
        incident = _issue(path, folder, names, set(history.incidents))
        history.add_incident(incident, None)
    return history


def _text(path: Path) -> str:
    """A file's text: UTF-8, no larger than statusgen reads, its line breaks ``\\n``."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise MigrationError(f"{path}: cannot read it: {error.strerror}") from None
    try:
        text = decode(raw)
    except SourceError as error:
        raise MigrationError(_said(path, error.mark, error.message, error.hint)) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _said(path: Path, mark: Mark, problem: str, fix: str | None) -> str:
    return f"{path}:{mark.line}:{mark.col}: {problem}" + (f"; {fix}" if fix else "")


@dataclass(frozen=True)
class _Yaml:
    """YAML read as statusgen reads its own files (YAML 1.2, no aliases, anchors or tags,
    no duplicate keys, nesting and size limited), each bad value named by file and line."""

    path: Path
    document: Document

    @classmethod
    def read(cls, path: Path, text: str, offset: int) -> _Yaml:
        """``text``, which starts after ``offset`` lines of the file (a front matter's ``---``):
        those are read as blank lines, so that every line a message names is the file's."""
        try:
            document = parse("\n" * offset + text, path)
        except SourceError as error:
            raise MigrationError(_said(path, error.mark, error.message, error.hint)) from None
        return cls(path, document)

    def error(self, loc: Loc, problem: str, fix: str) -> MigrationError:
        """What is wrong with the value at ``loc``, at its line in the file."""
        return MigrationError(_said(self.path, self.document.value_mark(loc), problem, fix))

    def get(self, *loc: str | int) -> Any:
        value = self.document.data
        for key in loc:
            if isinstance(value, dict) and isinstance(key, str):
                value = value.get(key)
            elif isinstance(value, list) and isinstance(key, int) and key < len(value):
                value = value[key]
            else:
                return None
        return value

    def text(self, *loc: str | int) -> str | None:
        """Text (a number is its digits), repaired; ``None`` when missing or empty."""
        value = self.get(*loc)
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise self.error(loc, f"expected text, found {kind(value)}", "write text here")
        return without_forbidden(str(value))

    def names(self, *loc: str | int) -> list[str]:
        value = self.get(*loc)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.error(
                loc, f"expected a list of names, found {kind(value)}", "write [Name, ...]"
            )
        return [self.text(*loc, n) or "" for n in range(len(value))]

    def flag(self, *loc: str | int) -> bool:
        """true or false (YAML 1.1's yes and no too, as Hugo reads them)."""
        value = self.get(*loc)
        if isinstance(value, str) and value.lower() in _FLAGS:
            return _FLAGS[value.lower()]
        if value is None or isinstance(value, bool):
            return bool(value)
        raise self.error(loc, f"expected true or false, found {kind(value)}", "write true or false")

    def moment(self, *loc: str | int) -> datetime | None:
        """A time (without a zone, UTC); ``None`` when missing or empty."""
        value = self.get(*loc)
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            raise self.error(
                loc, f"expected a time, found {kind(value)}", f"write it like {_EXAMPLE}"
            )
        try:
            return parse_time(value, UTC)
        except TimeError as error:
            raise self.error(loc, error.message, error.hint) from None


_FLAGS = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}
_EXAMPLE = "2026-11-20 09:30:00"


def _slug(text: str) -> str:
    return slugify(text, ID_LENGTH, "item")


def _moment(value: str) -> datetime | None:
    """A track time (without a zone, UTC), or ``None`` when it is none."""
    try:
        return parse_time(value, UTC)
    except TimeError:
        return None


def _issue(path: Path, folder: Path, names: dict[str, str], taken: set[str]) -> Incident:
    front, body, body_line = _front(path)
    repairs: list[str] = []
    kept: dict[str, Any] = {"from": "cstate", "file": path.relative_to(folder).as_posix()}
    start = front.moment("date")
    if start is None:
        raise MigrationError(f"{path}: no date in its front matter; add date: {_EXAMPLE}")
    title = front.text("title") or ""
    title = title if title.strip() else path.stem
    severity = front.text("severity") or "disrupted"
    if severity not in SEVERITY:
        repairs.append(f"severity '{severity}' is unknown: read as disrupted")
        kept["severity"] = severity
        severity = "disrupted"
    impact, status = SEVERITY[severity]
    if front.flag("informational"):
        impact, status = "none", "operational"
    for key in ("severity", "section", "informational", "pin", "automated", "id"):
        value = front.get(key)
        if value not in (None, ""):
            kept.setdefault(key, value if isinstance(value, bool | int) else front.text(key))
    affected: list[str] = []
    for name in front.names("affected"):
        if name in names:
            affected.append(names[name])
        else:
            kept.setdefault("affected_not_in_config", []).append(name)
            repairs.append(f"'{name}' is affected but is no system of config.yml: left out")
    updates = _updates(body, body_line, start, repairs, path.relative_to(folder).as_posix())
    if not updates:
        message = without_forbidden(body.strip()) or title
        updates = [Update(start, "investigating", message)]
    planned = bool(_PLANNED.search(title) or _PLANNED.search(path.stem.replace("-", " ")))
    if start > updates[0].at and not planned:
        repairs.append("an update is dated before the issue: the issue starts with it")
        start = updates[0].at
    end = _close(front, updates, start, kept, repairs)
    window = (start, end) if planned and end is not None and end > start else None
    if window is None and start > updates[0].at:
        repairs.append("an update is dated before the issue: the issue starts with it")
        start = updates[0].at
    for update in updates if window else ():
        if update.at < start:
            update.status = "scheduled"
        elif update.status == "resolved":
            update.status = "completed"
        else:
            update.status = "in_progress"
    return Incident(
        id=unique_id(_slug(path.stem), taken),
        title=title,
        maintenance=window is not None,
        impact="maintenance" if window and impact == "none" else impact,
        updates=updates,
        components=dict.fromkeys(affected, "under_maintenance" if window else status),
        started=start if window is None else None,
        window=window,
        kept=kept,
        repairs=repairs,
    )


def _front(path: Path) -> tuple[_Yaml, str, int]:
    """An issue's front matter, its body, and the line the body starts after."""
    text = _text(path)
    match = _FRONT.match(text)
    if match is None:
        raise MigrationError(f"{path}: no front matter between --- lines")
    front = _Yaml.read(path, match.group(1), text[: match.start(1)].count("\n"))
    if not isinstance(front.document.data, dict):
        raise MigrationError(f"{path}: the front matter is not a mapping")
    return front, match.group(2), text[: match.start(2)].count("\n")


def _close(
    front: _Yaml, updates: list[Update], start: datetime, kept: dict[str, Any], repairs: list[str]
) -> datetime | None:
    """The last status as ``resolved`` says, and when it was resolved (``resolvedWhen``)."""
    resolved_when = front.moment("resolvedWhen")
    latest = updates[-1].at
    if not front.flag("resolved"):
        if updates[-1].status == "resolved":
            updates[-1].status = "monitoring"  # resolved: false says it is not over
        if resolved_when is not None:
            kept["resolvedWhen"] = front.text("resolvedWhen")
            repairs.append("resolvedWhen is set but resolved is not: it stays open")
        return resolved_when
    if resolved_when is not None and resolved_when < start:
        repairs.append("resolvedWhen is before date: resolved at the latest update instead")
        kept["resolvedWhen"] = front.text("resolvedWhen")
        resolved_when = latest
    if resolved_when is not None and resolved_when > latest:
        updates.append(Update(resolved_when, "resolved", "Resolved."))
        repairs.append("no all clear in the body: one was added at resolvedWhen")
    else:
        updates[-1].status = "resolved"
    return resolved_when


def _updates(body: str, line: int, start: datetime, repairs: list[str], name: str) -> list[Update]:
    """The updates of a body: each text up to a track shortcode, at the shortcode's time."""
    updates: list[Update] = []
    position = 0
    for match in _TRACK.finditer(body):
        segment = without_forbidden(_RULE.sub("", body[position : match.start()])).strip()
        position = match.end()
        moment = _moment(match.group(1))
        if moment is None:
            where = f"{name}:{line + body[: match.start()].count(chr(10)) + 1}"
            shown = without_forbidden(match.group(1))
            repairs.append(f"{where}: the track time '{shown}' is not a time: left out")
            continue
        if not segment:
            continue
        updates.append(Update(moment, _status(segment), segment))
    rest = without_forbidden(_RULE.sub("", body[position:])).strip()
    if updates and rest:
        updates.append(Update(max(start, updates[-1].at), "investigating", rest))
        repairs.append("text after the last track has no time: it is dated with the latest")
    updates.sort(key=lambda update: update.at)
    for update in updates[:-1]:
        if update.status == "resolved":  # an all clear that a later update took back
            update.status = "monitoring"
    return updates


def _status(segment: str) -> str:
    head = segment.split("\n", 1)[0][:80]
    for pattern, status in _LABELS:
        if pattern.search(head):
            return status
    return "investigating"

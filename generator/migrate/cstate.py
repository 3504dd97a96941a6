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
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import yaml

from generator.input.authoring import slugify
from generator.input.formats import ID_LENGTH
from generator.input.text import without_forbidden
from generator.migrate.history import Component, History, Incident, SourceError, Update

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
        raise SourceError(f"{folder}: no such folder")
    if not config_path.is_file():
        raise SourceError(f"{folder}: not a cState site (there is no config.yml)")
    config = _yaml(config_path.read_text(encoding="utf-8"), config_path)
    params = config.get("params") if isinstance(config, dict) else None
    if not isinstance(params, dict) or not isinstance(params.get("systems"), list):
        raise SourceError(f"{config_path}: not a cState config (no params.systems)")
    history = History("cstate", str(config.get("title") or "") or None, config.get("baseURL"))
    untitled = {
        str(c.get("name"))
        for c in params.get("categories") or []
        if isinstance(c, dict) and c.get("untitled")
    }
    names: dict[str, str] = {}
    for system in params["systems"]:
        if not isinstance(system, dict) or not system.get("name"):
            continue
        name = str(system["name"])
        component_id = _unique(_slug(name), set(names.values()))
        names[name] = component_id
        category = system.get("category")
        group = str(category) if category and str(category) not in untitled else None
        description = system.get("description")
        history.add_component(
            Component(component_id, name, str(description) if description else None, group)
        )
    issues = folder / "content" / "issues"
    files = sorted(issues.glob("*.md")) if issues.is_dir() else []
    if not files:
        raise SourceError(f"{folder}: there is no content/issues/*.md")
    for path in files:
        incident = _issue(path, folder, names)
        history.add_incident(incident, None)
    return history


def _yaml(text: str, where: Path) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise SourceError(f"{where}: not valid YAML: {error}") from None


def _slug(text: str) -> str:
    return slugify(text, ID_LENGTH, "item")


def _unique(candidate: str, taken: set[str]) -> str:
    found, number = candidate, 1
    while found in taken:
        number += 1
        found = f"{candidate}-{number}"
    return found


def _moment(value: Any) -> datetime | None:
    """A front matter or track time; without a zone, UTC."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time())
    else:
        try:
            moment = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _issue(path: Path, folder: Path, names: dict[str, str]) -> Incident:
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    match = _FRONT.match(text)
    if match is None:
        raise SourceError(f"{path}: no front matter between --- lines")
    front = _yaml(match.group(1), path)
    if not isinstance(front, dict):
        raise SourceError(f"{path}: the front matter is not a mapping")
    body = match.group(2)
    repairs: list[str] = []
    kept: dict[str, Any] = {"from": "cstate", "file": path.relative_to(folder).as_posix()}
    start = _moment(front.get("date"))
    if start is None:
        raise SourceError(f"{path}: no date in its front matter")
    title = without_forbidden(str(front.get("title") or path.stem))
    severity = str(front.get("severity") or "disrupted")
    if severity not in SEVERITY:
        repairs.append(f"severity '{severity}' is unknown: read as disrupted")
        kept["severity"] = severity
        severity = "disrupted"
    impact, status = SEVERITY[severity]
    if front.get("informational"):
        impact, status = "none", "operational"
    for key in ("severity", "section", "informational", "pin", "automated", "id"):
        if key in front and front[key] not in (None, ""):
            kept.setdefault(
                key, front[key] if isinstance(front[key], bool | int) else str(front[key])
            )
    affected: list[str] = []
    for name in front.get("affected") or []:
        if str(name) in names:
            affected.append(names[str(name)])
        else:
            kept.setdefault("affected_not_in_config", []).append(str(name))
            repairs.append(f"'{name}' is affected but is no system of config.yml: left out")
    resolved = bool(front.get("resolved"))
    resolved_when = _moment(front.get("resolvedWhen"))
    updates = _updates(body, start, repairs)
    if not updates:
        message = without_forbidden(body.strip()) or title
        updates = [Update(start, "investigating", message)]
    planned = bool(_PLANNED.search(title) or _PLANNED.search(path.stem.replace("-", " ")))
    if start > updates[0].at and not planned:
        repairs.append("an update is dated before the issue: the issue starts with it")
        start = updates[0].at
    latest = updates[-1].at
    if resolved:
        if resolved_when is not None and resolved_when < start:
            repairs.append("resolvedWhen is before date: resolved at the latest update instead")
            kept["resolvedWhen"] = str(front.get("resolvedWhen"))
            resolved_when = latest
        if resolved_when is not None and resolved_when > latest:
            updates.append(Update(resolved_when, "resolved", "Resolved."))
            repairs.append("no all clear in the body: one was added at resolvedWhen")
        else:
            updates[-1].status = "resolved"
    else:
        if updates[-1].status == "resolved":
            updates[-1].status = "monitoring"  # resolved: false says it is not over
        if resolved_when is not None:
            kept["resolvedWhen"] = str(front.get("resolvedWhen"))
            repairs.append("resolvedWhen is set but resolved is not: it stays open")
    window = None
    end = resolved_when if resolved_when is not None else None
    if planned and end is not None and end > start:
        window = (start, end)
        for update in updates:
            if update.at < start:
                update.status = "scheduled"
            elif update.status == "resolved":
                update.status = "completed"
            else:
                update.status = "in_progress"
    components = dict.fromkeys(affected, "under_maintenance" if window else status)
    return Incident(
        id=_slug(path.stem),
        title=title,
        maintenance=window is not None,
        impact="maintenance" if window and impact == "none" else impact,
        updates=updates,
        components=components,
        started=start if window is None else None,
        window=window,
        kept=kept,
        repairs=repairs,
    )


def _updates(body: str, start: datetime, repairs: list[str]) -> list[Update]:
    """The updates of a body: each text up to a track shortcode, at the shortcode's time."""
    updates: list[Update] = []
    position = 0
    for match in _TRACK.finditer(body):
        segment = without_forbidden(_RULE.sub("", body[position : match.start()])).strip()
        position = match.end()
        moment = _moment(match.group(1))
        if moment is None:
            repairs.append(f"a track time '{match.group(1)}' is not a time: left out")
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

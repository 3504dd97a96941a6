"""Reading a Statuspage history: saved responses of its public API v2 (files, folders) or
a live page's API, recognized by their content, never by their names.

What each response holds: ``{"page", "incident"}`` (one incident), ``incidents`` (incidents.json,
summary.json), ``scheduled_maintenances``, ``components``. An update's time is its
``display_at``, the time the page showed, else its ``created_at``. HTML bodies (the
migrated timelines of old pages) become Markdown with markdownify.
"""

from __future__ import annotations

import json
import os
import re
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from markdownify import markdownify

from generator.core.vocabulary import (
    COMPONENT_STATUSES,
    IMPACTS,
    INCIDENT_STATUSES,
    MAINTENANCE_STATUSES,
    label,
)
from generator.input.text import without_forbidden
from generator.migrate.history import Component, History, Incident, SourceError, Update

#: What the public API v2 of a page serves, read from a page's URL.
ENDPOINTS = (
    "components.json",
    "incidents.json",
    "scheduled-maintenances.json",
)
_TAG = re.compile(r"<(?:p|br|ul|ol|li|strong|b|em|i|a|div|span|code|pre|h\d)\b", re.I)
TIMEOUT = 30
#: The REST API v1, for the whole history of a page whose key you hold.
API = "https://api.statuspage.io/v1"
PER_PAGE = 100
#: Statuspage allows about one request a second per key.
INTERVAL = 1.0
ATTEMPTS = 6
_last = [0.0]


def read(sources: Iterable[str]) -> History:
    """Every incident, maintenance and component the sources hold."""
    history = History("statuspage")
    for source in sources:
        if source.startswith("api:"):
            _api(history, source.removeprefix("api:"))
            continue
        if source.startswith(("http://", "https://")):
            base = source.rstrip("/")
            if base.endswith(".json"):
                _take(history, _fetch(base), source)
                continue
            for endpoint in ENDPOINTS:
                _take(history, _fetch(f"{base}/api/v2/{endpoint}"), f"{base}/api/v2/{endpoint}")
            continue
        path = Path(source)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file())
            if not files:
                raise SourceError(f"{source}: the folder holds no files")
            for file in files:
                _take(history, _load(file), str(file))
        elif path.is_file():
            _take(history, _load(path), source)
        else:
            raise SourceError(f"{source}: no such file or folder, and not an http(s) URL")
    return history


def _load(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise SourceError(f"{path}: cannot read it: {error}") from None
    return _parse(text, str(path))


def _parse(text: str, where: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        looks = (
            " (it looks like an HTML page, not a saved API response)" if "<" in text[:200] else ""
        )
        raise SourceError(
            f"{where}: not JSON{looks}: {error.msg} at line {error.lineno}, column {error.colno}"
        ) from None


def _fetch(url: str) -> Any:
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            text = response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        raise SourceError(f"{url}: the server answered {error.code} {error.reason}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise SourceError(f"{url}: cannot reach it: {reason}") from None
    return _parse(text, url)


def _api(history: History, page_id: str) -> None:
    """The full history of a page through the REST API v1, page by page of results."""
    key = os.environ.get("STATUSPAGE_API_KEY", "")
    if not key:
        raise SourceError(
            f"api:{page_id}: set STATUSPAGE_API_KEY to an API key of the page's account "
            "(Statuspage: your avatar → API info)"
        )
    if not re.fullmatch(r"[a-z0-9]+", page_id):
        raise SourceError(f"api:{page_id}: a page id is letters and digits, as in its API info")
    base = f"{os.environ.get('STATUSPAGE_API_URL', API).rstrip('/')}/pages/{page_id}"
    components = _get(f"{base}/components", key)
    if not isinstance(components, list):
        raise SourceError(f"{base}/components: expected a list of components")
    for component in components:
        _component(history, component, components)
    number = 1
    while True:
        url = f"{base}/incidents?page={number}&per_page={PER_PAGE}"
        items = _get(url, key)
        if not isinstance(items, list):
            raise SourceError(f"{url}: expected a list of incidents")
        for item in items:
            _incident(history, item)
        if len(items) < PER_PAGE:
            return
        number += 1


def _get(url: str, key: str) -> Any:
    """One request of the API v1, paced as its rate limit asks, retried after a 429 or a
    server error as its Retry-After says (else with a growing pause). The key is sent in
    a header and never appears in a message."""
    for attempt in range(ATTEMPTS):
        time.sleep(max(0.0, _last[0] + INTERVAL - time.monotonic()))
        _last[0] = time.monotonic()
        request = urllib.request.Request(
            url, headers={"Authorization": f"OAuth {key}", "Accept": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                return _parse(response.read().decode("utf-8"), url)
        except urllib.error.HTTPError as error:
            if error.code in (401, 403):
                raise SourceError(
                    f"{url}: the API refused the key ({error.code}); check STATUSPAGE_API_KEY"
                ) from None
            if (error.code == 429 or error.code >= 500) and attempt < ATTEMPTS - 1:
                after = error.headers.get("Retry-After", "")
                time.sleep(min(float(after) if after.isdigit() else 2.0**attempt, 60.0))
                continue
            raise SourceError(f"{url}: the server answered {error.code} {error.reason}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise SourceError(
                f"{url}: cannot reach it: {getattr(error, 'reason', error)}"
            ) from None
    raise SourceError(f"{url}: no answer after {ATTEMPTS} attempts")  # pragma: no cover


def _take(history: History, data: Any, where: str) -> None:
    """Add what one response holds; SourceError when it is no Statuspage response."""
    if not isinstance(data, dict):
        raise SourceError(f"{where}: not a Statuspage API response (expected a JSON object)")
    page = data.get("page")
    if isinstance(page, dict):
        history.name = history.name or page.get("name")
        history.url = history.url or page.get("url")
    recognized = False
    for component in data.get("components") or []:
        recognized = True
        _component(history, component, data.get("components") or [])
    if isinstance(data.get("incident"), dict):
        recognized = True
        _incident(history, data["incident"])
    for key in ("incidents", "scheduled_maintenances"):
        if isinstance(data.get(key), list):
            recognized = True
            for incident in data[key]:
                _incident(history, incident)
    if not recognized:
        raise SourceError(
            f"{where}: not a Statuspage API response (no incident, incidents, "
            "scheduled_maintenances or components in it)"
        )


def _component(history: History, data: dict[str, Any], siblings: list[dict[str, Any]]) -> None:
    if data.get("group"):
        return  # a group is no component: its members name it
    group = None
    if data.get("group_id"):
        group = next((s.get("name") for s in siblings if s.get("id") == data["group_id"]), None)
    description = data.get("description") or None
    history.add_component(
        Component(
            str(data["id"]),
            without_forbidden(str(data.get("name") or data["id"])),
            description,
            group,
        )
    )


def _time(value: Any) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def _incident(history: History, data: dict[str, Any]) -> None:
    maintenance = bool(data.get("scheduled_for"))
    incident_id = str(data["id"])
    for component in data.get("components") or []:
        _component(history, component, [])
    repairs: list[str] = []
    allowed = MAINTENANCE_STATUSES if maintenance else INCIDENT_STATUSES
    updates: list[Update] = []
    for item in data.get("incident_updates") or []:
        at = _time(item.get("display_at")) or _time(item.get("created_at"))
        if at is None:
            repairs.append(f"an update without a time was left out: {item.get('id')}")
            continue
        status = str(item.get("status") or "")
        if status not in allowed:
            repairs.append(f"update {item.get('id')}: status '{status}' became 'investigating'")
            status = "scheduled" if maintenance else "investigating"
        statuses: dict[str, str] = {}
        for change in item.get("affected_components") or []:
            code, new = str(change.get("code")), str(change.get("new_status"))
            if new in COMPONENT_STATUSES:
                statuses[code] = new
        message = _markdown(str(item.get("body") or ""))
        if not message.strip():
            message = label("status", status) + "."
            repairs.append(f"update {item.get('id')} had no text: it says '{message}'")
        updates.append(Update(at, status, message, statuses))
    if not updates:
        repairs.append("it had no update: one was made from its status")
        at = _time(data.get("created_at")) or _time(data.get("updated_at"))
        if at is None:
            return
        status = str(data.get("status") or "")
        status = status if status in allowed else ("scheduled" if maintenance else "investigating")
        updates.append(Update(at, status, label("status", status) + "."))
    updates.sort(key=lambda update: update.at)
    impact = str(data.get("impact") or "none")
    if impact not in IMPACTS and not (maintenance and impact == "maintenance"):
        repairs.append(f"impact '{impact}' became 'none'")
        impact = "none"
    started = _time(data.get("started_at"))
    if started is not None and started > updates[0].at:
        repairs.append(
            "started_at was after the first update: the first update's time is the start"
        )
        started = None
    window = None
    if maintenance:
        start, end = _time(data.get("scheduled_for")), _time(data.get("scheduled_until"))
        if start is not None and end is not None and end > start:
            window = (start, end)
        else:
            repairs.append("its window was incomplete: it is imported as an incident")
            maintenance = False
    affected = {str(c["id"]): "" for c in data.get("components") or []}
    first_statuses = next((u.components for u in updates if u.components), {})
    components = {c: first_statuses.get(c, "") for c in affected}
    postmortem = _markdown(str(data.get("postmortem_body") or "")) or None
    kept: dict[str, Any] = {"from": "statuspage"}
    for key in ("shortlink", "created_at", "updated_at", "resolved_at", "postmortem_published_at"):
        if data.get(key):
            kept[key] = str(data[key])
    history.add_incident(
        Incident(
            id=incident_id,
            title=without_forbidden(str(data.get("name") or incident_id)),
            maintenance=maintenance,
            impact=impact,
            updates=updates,
            components=components,
            started=started,
            window=window,
            postmortem=postmortem,
            kept=kept,
            repairs=repairs,
        ),
        str(data.get("updated_at") or ""),
    )


def _markdown(body: str) -> str:
    """A body as Markdown: HTML converted, line endings normalized, control characters gone."""
    text = body.replace("\r\n", "\n").replace("\r", "\n")
    if _TAG.search(text):
        text = markdownify(text, heading_style="ATX", bullets="-", escape_misc=False)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return without_forbidden(text).strip()

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
    RESOLVED,
    label,
)
from generator.input.text import without_forbidden
from generator.migrate.history import Component, History, Incident, MigrationError, Update
from generator.migrate.responses import Value

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


def read(sources: Iterable[str], merge: bool = False) -> History:
    """Every incident, maintenance and component the sources hold; MigrationError when
    they come from different pages (by ``page.id``) unless ``merge``."""
    history = History("statuspage")
    pages = _Pages()
    for source in sources:
        if source.startswith("api:"):
            page_id = source.removeprefix("api:")
            _api(history, page_id)
            pages.saw(page_id, None, source)
            continue
        if source.startswith(("http://", "https://")):
            base = source.rstrip("/")
            if base.endswith(".json"):
                pages.saw(*_take(history, _fetch(base), source), source)
                continue
            for endpoint in ENDPOINTS:
                url = f"{base}/api/v2/{endpoint}"
                pages.saw(*_take(history, _fetch(url), url), source)
            continue
        path = Path(source)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file())
            if not files:
                raise MigrationError(f"{source}: the folder holds no files")
            for file in files:
                pages.saw(*_take(history, _load(file), str(file)), str(file))
        elif path.is_file():
            pages.saw(*_take(history, _load(path), source), source)
        else:
            raise MigrationError(f"{source}: no such file or folder, and not an http(s) URL")
    if not merge:
        pages.check()
    return history


class _Pages:
    """The pages the sources come from (by ``page.id``) and which sources said each."""

    #: How many sources of a page a message names before it counts the rest.
    SHOWN = 3

    def __init__(self) -> None:
        self.names: dict[str, str | None] = {}
        self.sources: dict[str, list[str]] = {}

    def saw(self, page_id: str | None, name: str | None, source: str) -> None:
        if page_id is None:
            return  # (a response without its page can be of any)
        if self.names.get(page_id) is None:
            self.names[page_id] = name
        said = self.sources.setdefault(page_id, [])
        if source not in said:
            said.append(source)

    def check(self) -> None:
        """MigrationError naming each page and its sources when there are several."""
        if len(self.names) < 2:
            return
        pages = tuple(
            f"page {page_id}" + (f" ({name})" if name else "") + f": {self._where(page_id)}"
            for page_id, name in self.names.items()
        )
        raise MigrationError(
            f"the sources come from {len(pages)} different Statuspage pages (above); import "
            "one page at a time, or add --merge to make one site of them all",
            pages,
        )

    def _where(self, page_id: str) -> str:
        """The sources of a page; of many files, the folder that holds them all."""
        said = self.sources[page_id]
        if len(said) <= self.SHOWN:
            return ", ".join(said)
        try:
            folder = os.path.commonpath(said)
        except ValueError:  # (absolute and relative paths, or URLs among them)
            folder = ""
        if folder and all(Path(source).is_file() for source in said):
            return f"{len(said)} files under {folder}"
        return f"{', '.join(said[: self.SHOWN])} and {len(said) - self.SHOWN} more"


def _load(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise MigrationError(f"{path}: cannot read it: {error}") from None
    return _parse(text, str(path))


def _parse(text: str, where: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        looks = (
            " (it looks like an HTML page, not a saved API response)" if "<" in text[:200] else ""
        )
        raise MigrationError(
            f"{where}: not JSON{looks}: {error.msg} at line {error.lineno}, column {error.colno}"
        ) from None
    except RecursionError:
        raise MigrationError(
            f"{where}: its values are nested too deeply to be a Statuspage API response"
        ) from None
    except ValueError as error:  # a number of more digits than Python reads
        raise MigrationError(f"{where}: not JSON Statuspage writes: {error}") from None


def _fetch(url: str) -> Any:
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            text = response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        raise MigrationError(f"{url}: the server answered {error.code} {error.reason}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise MigrationError(f"{url}: cannot reach it: {reason}") from None
    return _parse(text, url)


def _api(history: History, page_id: str) -> None:
    """The full history of a page through the REST API v1, page by page of results."""
    key = os.environ.get("STATUSPAGE_API_KEY", "")
    if not key:
        raise MigrationError(
            f"api:{page_id}: set STATUSPAGE_API_KEY to an API key of the page's account "
            "(Statuspage: your avatar → API info)"
        )
    if not re.fullmatch(r"[a-z0-9]+", page_id):
        raise MigrationError(f"api:{page_id}: a page id is letters and digits, as in its API info")
    base = f"{os.environ.get('STATUSPAGE_API_URL', API).rstrip('/')}/pages/{page_id}"
    components = _get(f"{base}/components", key)
    if not isinstance(components, list):
        raise MigrationError(f"{base}/components: expected a list of components")
    _components(history, Value(components, f"{base}/components").objects(), None)
    number = 1
    while True:
        url = f"{base}/incidents?page={number}&per_page={PER_PAGE}"
        items = _get(url, key)
        if not isinstance(items, list):
            raise MigrationError(f"{url}: expected a list of incidents")
        for item in Value(items, url).objects():
            _incident(history, item, None)
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
                raise MigrationError(
                    f"{url}: the API refused the key ({error.code}); check STATUSPAGE_API_KEY"
                ) from None
            if (error.code == 429 or error.code >= 500) and attempt < ATTEMPTS - 1:
                after = error.headers.get("Retry-After", "")
                time.sleep(min(float(after) if after.isdigit() else 2.0**attempt, 60.0))
                continue
            raise MigrationError(
                f"{url}: the server answered {error.code} {error.reason}"
            ) from None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise MigrationError(
                f"{url}: cannot reach it: {getattr(error, 'reason', error)}"
            ) from None
    raise MigrationError(f"{url}: no answer after {ATTEMPTS} attempts")  # pragma: no cover


def _take(history: History, data: Any, where: str) -> tuple[str | None, str | None]:
    """Add what one response holds, and say its page's id and name (``None`` where it does
    not); MigrationError when it is no Statuspage response, or when a value it holds is not
    what Statuspage writes there."""
    if not isinstance(data, dict):
        raise MigrationError(f"{where}: not a Statuspage API response (expected a JSON object)")
    response = Value(data, where)
    updated = None
    page_id = name = None
    if response.has("page"):
        page = response["page"]
        name, url = page["name"].text(), page["url"].text()
        name = name if name and name.strip() else None
        history.name = history.name or name
        history.url = history.url or (url.strip() if url and url.strip() else None)
        updated = page["updated_at"].time()
        page_id = _page_id(page["id"])
    recognized = response.has("components")  # components.json, of a page without any too
    _components(history, response["components"].objects(), updated)
    if response.has("incident"):
        recognized = True
        _incident(history, response["incident"], updated)
    for key in ("incidents", "scheduled_maintenances"):
        if response.has(key):
            recognized = True
            for incident in response[key].objects():
                _incident(history, incident, updated)
    if not recognized:
        raise MigrationError(
            f"{where}: not a Statuspage API response (no incident, incidents, "
            "scheduled_maintenances or components in it)"
        )
    return page_id, name


def _page_id(value: Value) -> str | None:
    """A page's id, to tell pages apart: any text or number (an odd one is no reason to
    refuse a response); ``None`` for none."""
    if isinstance(value.value, int | float) and not isinstance(value.value, bool):
        return str(value.value)
    if not isinstance(value.value, str) or not value.value.strip():
        return None
    return value.text()


def _components(history: History, items: list[Value], updated: datetime | None) -> None:
    """The components of one list; its groups name their members' group."""
    groups = {item["id"].text(): item["name"].text() for item in items if item["group"].flag()}
    for item in items:
        if item["group"].flag():
            continue  # a group is no component: its members name it
        component_id = item["id"].identifier()
        name = item["name"].text()
        description = item["description"].text()
        group_id = item["group_id"].text()
        group = groups.get(group_id) if group_id else None
        history.add_component(
            Component(
                component_id,
                name if name and name.strip() else component_id,
                description if description and description.strip() else None,
                group if group and group.strip() else None,
                group_known=not group_id or group_id in groups,
                api_id=component_id,
            ),
            updated,
        )


def _incident(history: History, item: Value, updated: datetime | None) -> None:
    incident_id = item["id"].identifier()
    listed = item["components"].objects()
    _components(history, listed, updated)
    repairs: list[str] = []
    window = _window(item, repairs)
    maintenance = window is not None
    updates = _updates(item, maintenance, repairs)
    if not updates:
        repairs.append("it had no update: one was made from its status")
        at = item["created_at"].time() or item["updated_at"].time()
        if at is None:
            return
        status = _status(item["status"].text(), maintenance)
        updates.append(Update(at, status, label("status", status) + "."))
    _close(item, updates, maintenance, repairs)
    impact = item["impact"].text() or "none"
    if impact not in IMPACTS and not (maintenance and impact == "maintenance"):
        repairs.append(f"impact '{impact}' became 'none'")
        impact = "none"
    started = item["started_at"].time()
    if started is not None and started > updates[0].at:
        repairs.append(
            "started_at was after the first update: the first update's time is the start"
        )
        started = None
    affected = dict.fromkeys(c["id"].identifier() for c in listed if not c["group"].flag())
    first_statuses = next((u.components for u in updates if u.components), {})
    kept: dict[str, Any] = {"from": "statuspage"}
    for key in ("shortlink", "created_at", "updated_at", "resolved_at", "postmortem_published_at"):
        # (a time the source gives must be one)
        value = item[key].text() if key == "shortlink" or item[key].time() else None
        if value:
            kept[key] = value
    title = item["name"].text()
    history.add_incident(
        Incident(
            id=incident_id,
            title=title if title and title.strip() else incident_id,
            maintenance=maintenance,
            impact=impact,
            updates=updates,
            components={c: first_statuses.get(c, "") for c in affected},
            started=started,
            window=window,
            postmortem=_markdown(item["postmortem_body"]) or None,
            kept=kept,
            repairs=repairs,
        ),
        item["updated_at"].time(),
    )


def _window(item: Value, repairs: list[str]) -> tuple[datetime, datetime] | None:
    """A maintenance's window; ``None`` for an incident, or a maintenance without one."""
    start, end = item["scheduled_for"].time(), item["scheduled_until"].time()
    if start is None:
        return None
    if end is not None and end > start:
        return (start, end)
    repairs.append("its window was incomplete: it is imported as an incident")
    return None


#: An incident's status for each of a maintenance's (a maintenance imported as an incident).
_AS_INCIDENT = {
    "scheduled": "investigating",
    "in_progress": "identified",
    "verifying": "monitoring",
    "completed": "resolved",
    "cancelled": "resolved",
}


def _status(status: str | None, maintenance: bool) -> str:
    """A status of the record's kind: the source's, else the nearest, else the first."""
    if maintenance:
        return status if status in MAINTENANCE_STATUSES else "scheduled"
    status = _AS_INCIDENT.get(status or "", status)
    return status if status in INCIDENT_STATUSES else "investigating"


def _updates(item: Value, maintenance: bool, repairs: list[str]) -> list[Update]:
    """The updates in time order: by the time the page showed, then by when they were
    posted (updates back-dated to one moment), then oldest first as the source lists them
    (Statuspage lists the newest first)."""
    timed: list[tuple[tuple[datetime, datetime, int], Update]] = []
    for number, entry in enumerate(item["incident_updates"].objects()):
        name = entry["id"].text() or f"#{number + 1}"
        created = entry["created_at"].time()
        at = entry["display_at"].time() or created
        if at is None:
            repairs.append(f"an update without a time was left out: {name}")
            continue
        given = entry["status"].text() or ""
        status = _status(given, maintenance)
        if status != given:
            repairs.append(f"update {name}: status '{given}' became '{status}'")
        statuses: dict[str, str] = {}
        for change in entry["affected_components"].objects():
            code, new = change["code"].text(), change["new_status"].text()
            if code and new in COMPONENT_STATUSES:
                statuses[code] = new
        message = _markdown(entry["body"])
        if not message.strip():
            message = label("status", status) + "."
            repairs.append(f"update {name} had no text: it says '{message}'")
        timed.append(((at, created or at, -number), Update(at, status, message, statuses)))
    timed.sort(key=lambda pair: pair[0])
    return [update for _, update in timed]


def _close(item: Value, updates: list[Update], maintenance: bool, repairs: list[str]) -> None:
    """An incident the source shows closed (its status, or a ``resolved_at``) ends closed,
    even where its updates' times put an earlier status last."""
    final = item["status"].text()
    resolved_at = item["resolved_at"].time()
    closed = final in RESOLVED or resolved_at is not None
    last = updates[-1]
    if not closed or last.status in RESOLVED:
        return
    if maintenance:
        status = final if final in ("completed", "cancelled") else "completed"
    else:
        status = "postmortem" if final == "postmortem" else "resolved"
    at = max(last.at, resolved_at or last.at)
    updates.append(Update(at, status, label("status", status) + "."))
    repairs.append(
        f"the source shows it {status}, but its last update says '{last.status}': "
        f"an update '{status}' was added at {at.isoformat()}"
    )


def _markdown(body: Value) -> str:
    """A body as Markdown: HTML converted, line endings normalized, control characters gone."""
    text = (body.text() or "").replace("\r\n", "\n").replace("\r", "\n")
    if _TAG.search(text):
        try:
            text = markdownify(text, heading_style="ATX", bullets="-", escape_misc=False)
        except RecursionError:
            raise body.error(
                "its HTML is nested too deeply to become Markdown",
                "no page nests its HTML a thousand levels deep: check the saved response",
            ) from None
    text = re.sub(r"\n{3,}", "\n\n", text)
    return without_forbidden(text).strip()

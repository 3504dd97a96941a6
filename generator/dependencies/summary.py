"""A Statuspage summary (``api/v2/summary.json``) read as a :class:`Reading` of one
dependency: the page's indicator, the chosen components' statuses, the open incidents.

Statuspage's own pages and every compatible one (statusgen's included) answer the same
shape: ``status.indicator``, ``components`` (each with ``name`` and ``status``; groups are
components too), ``incidents`` (the unresolved ones, each with ``id``, ``name``, ``impact``,
``status``). Anything else is
:class:`NotASummary`, and changes nothing. Names repeat on real pages (a component named
"API" in two groups): a chosen name stands for every component of that name, with the
worst status among them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlsplit

from generator.core.dependencies import (
    Dependency,
    Reading,
    VendorComponent,
    VendorIncident,
    page_url,
    utc,
)
from generator.core.routes import check_url
from generator.core.vocabulary import (
    COMPONENT_STATUSES,
    IMPACTS,
    INDICATORS,
    RESOLVED,
    ComponentStatus,
    worst,
)
from generator.input.dependencies import NAME_LENGTH
from generator.input.text import without_forbidden

#: An incident id that can stand in a path as it is.
_ID = re.compile(r"^[A-Za-z0-9_-]{1,128}$")


class NotASummary(Exception):
    """The answer is JSON, but not a Statuspage summary: the message says what is missing."""


def reading_of(data: Any, dependency: Dependency, now: datetime) -> Reading:
    """What ``data``, a page's summary, says of ``dependency`` at ``now``."""
    if not isinstance(data, dict):
        raise NotASummary("answered JSON that is not a Statuspage summary (not an object)")
    status = data.get("status")
    indicator = status.get("indicator") if isinstance(status, dict) else None
    if indicator not in INDICATORS:
        raise NotASummary(
            "answered JSON that is not a Statuspage summary (no status.indicator of "
            "none, minor, major, critical or maintenance)"
        )
    components = data.get("components", [])
    incidents = data.get("incidents", [])
    if not _objects(components) or not _objects(incidents):
        raise NotASummary(
            "answered JSON that is not a Statuspage summary (components and incidents "
            "are not lists of objects)"
        )
    chosen, missing = _chosen(components, dependency.components)
    return Reading(
        page=page_url(dependency.url),
        indicator=indicator,
        components=chosen,
        incidents=_incidents(incidents, dependency),
        read_at=utc(now),
        missing=missing,
    )


def _objects(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, dict) for item in value)


def _chosen(
    components: Sequence[dict[str, Any]], names: Sequence[str]
) -> tuple[tuple[VendorComponent, ...], tuple[str, ...]]:
    """The status of each chosen name (the worst of the components so named), in the
    order chosen, and the names the page does not have."""
    found: dict[str, list[ComponentStatus]] = {}
    for component in components:
        name, status = component.get("name"), component.get("status")
        if not isinstance(name, str) or name not in names:
            continue
        if status not in COMPONENT_STATUSES:
            raise NotASummary(
                f"answered a summary whose component '{name}' has the status "
                f"{str(status)[:40]!r}, which Statuspage does not have"
            )
        found.setdefault(name, []).append(status)
    chosen = tuple(VendorComponent(n, worst(found[n])) for n in names if n in found)
    return chosen, tuple(n for n in names if n not in found)


def _incidents(
    incidents: Sequence[dict[str, Any]], dependency: Dependency
) -> tuple[VendorIncident, ...]:
    """The open incidents, by name. All of them, chosen components or not: the components
    an incident names are often not those it breaks (GitHub's of 2 April 2020 named only
    "Visit www.githubstatus.com for more information" while Git Operations was down)."""
    found: set[VendorIncident] = set()
    for incident in incidents:
        if incident.get("status") in RESOLVED:
            continue
        impact = incident.get("impact")
        found.add(
            VendorIncident(
                name=_name(incident.get("name")) or _name(incident.get("id")) or "?",
                url=_link(incident, dependency),
                impact=impact if impact in IMPACTS else "none",
            )
        )
    # (impact too: two incidents of one name without an id share the link to the page)
    return tuple(sorted(found, key=lambda i: (i.name, i.url, i.impact)))


def _link(incident: dict[str, Any], dependency: Dependency) -> str:
    """Where the vendor tells an incident: its page under the vendor's own address (as
    Statuspage and statusgen place it), else its short link, else the vendor's page."""
    incident_id = incident.get("id")
    if isinstance(incident_id, str) and _ID.match(incident_id):
        return f"{page_url(dependency.url)}/incidents/{quote(incident_id)}"
    shortlink = incident.get("shortlink")
    if isinstance(shortlink, str) and len(shortlink) <= 2000:
        try:
            check_url(shortlink)
        except ValueError:
            pass
        else:
            if not urlsplit(shortlink).username and not urlsplit(shortlink).password:
                return shortlink
    return page_url(dependency.url)


def _name(value: Any) -> str:
    """A name from the vendor, as text statusgen accepts and shows: one line, without the
    characters text may not hold, at most :data:`NAME_LENGTH` characters."""
    if not isinstance(value, str):
        return ""
    text = " ".join(without_forbidden(value).split())
    return text if len(text) <= NAME_LENGTH else text[: NAME_LENGTH - 1] + "…"

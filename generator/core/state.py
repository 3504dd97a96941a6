"""The state of a site: a digest of everything a reader can see of it, whatever the moment
(``StatusPage.state``; live.json and the front page carry it, and a tab left open compares
them)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from generator.core.model import Incident, SiteConfig


def reader_state(config: SiteConfig, incidents: Sequence[Incident]) -> str:
    """The digest of the site's texts, components, links and every incident as a reader
    sees it: it changes when one of those does, never by rebuilding alone."""
    seen: dict[str, Any] = {
        "site": [config.name, config.url, config.description, config.languages],
        "components": [[c.id, c.name, c.description, c.group] for c in config.components],
        "links": [config.support_url, config.links],
        "incidents": [_public(incident) for incident in incidents],
    }
    text = json.dumps(seen, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _public(incident: Incident) -> list[Any]:
    """What a reader can see of an incident, whatever the moment (never ``internal``,
    never a comment of its file). Times are written as ``json.dumps(default=str)`` would
    write them, without its call back for each of the 60,000 of 10,000 incidents."""
    return [
        incident.id,
        incident.kind,
        incident.title,
        incident.impact,
        dict(incident.components),
        incident.regions,
        _as_text(incident.started),
        _as_text(incident.scheduled),
        incident.workaround,
        incident.compensation,
        incident.postmortem,
        {language: dict(texts) for language, texts in incident.translations.items()},
        [
            [
                u.id,
                str(u.at),
                u.status,
                u.message,
                _as_text(u.next_update),
                dict(u.declared),
                dict(u.translations),
            ]
            for u in incident.updates
        ],
    ]


def _as_text(value: object | None) -> str | None:
    return None if value is None else str(value)

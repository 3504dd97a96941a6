"""RSS 2.0 and Atom 1.0 feeds, for readers that want to be told.

The only module that imports feedgen. Three kinds of feed, each in both formats:

- ``history.atom``/``.rss``: the 50 most recently updated incidents and maintenances, one
  entry each with the whole timeline, newest update first. The entry id never changes; its
  updated time is the latest update's. Atom's ``published`` is the start, RSS's ``pubDate``
  the latest update (so RSS readers see a changed item).
- ``updates.atom``/``.rss``: the 100 most recent updates, one entry each, so that readers
  notify on every update.
- ``components/<id>/history.atom``/``.rss``: the history feed of one component.

Ids are ``tag:`` URIs from ``site.url``'s host and the incident id: a preview built with
``--base-url`` keeps them. feedgen's traps are avoided: entries are appended in order, the
RSS channel link is added last, and every date is set (feedgen would take the clock).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from feedgen.feed import FeedGenerator  # type: ignore[import-untyped]
from markupsafe import escape

from generator import __version__
from generator.markup import to_html
from generator.model import Incident, StatusPage, Update
from generator.pages import COMPONENT_LABELS, STATUS_LABELS
from generator.times import format_local

HISTORY_SIZE = 50
UPDATES_SIZE = 100
#: The date part of every tag: URI (RFC 4151); fixed forever, so that ids never change.
TAG_DATE = "2026"


@dataclass(frozen=True)
class _Entry:
    id: str
    title: str
    link: str
    published: datetime
    updated: datetime
    html: str


@dataclass(frozen=True)
class _Feed:
    path: str  # without the extension
    id: str
    title: str
    description: str
    entries: Sequence[_Entry]


def tag(site_url: str, *parts: str) -> str:
    """A tag: URI on the site's own host, e.g. tag:status.acme.example,2026:incidents/x."""
    host = urlsplit(site_url).hostname or "localhost"
    return f"tag:{host},{TAG_DATE}:" + "/".join(parts)


def _update_html(update: Update, zone: ZoneInfo, names: dict[str, str], first: bool) -> str:
    label = STATUS_LABELS[update.status] if update.status_given or first else "Update"
    changes = ""
    if update.changes:
        moved = ", ".join(
            f"{names.get(c.component, c.component)}: {COMPONENT_LABELS[c.new].lower()}"
            for c in update.changes
        )
        changes = f"<p><small>{escape(moved)}</small></p>"
    return (
        f"<p><small>{escape(format_local(update.at, zone))}</small><br>"
        f"<strong>{escape(label)}</strong></p>{to_html(update.message)}{changes}"
    )


class _Writer:
    def __init__(self, site: StatusPage, base_url: str) -> None:
        self.site = site
        self.base_url = base_url
        self.zone = site.config.timezone
        self.names = {c.id: c.name for c in site.config.components}

    def page(self, incident: Incident) -> str:
        return f"{self.base_url}incidents/{incident.id}/"

    def incident_entry(self, incident: Incident) -> _Entry:
        updates = incident.updates
        timeline = "".join(
            _update_html(u, self.zone, self.names, first=u is updates[0]) for u in reversed(updates)
        )
        return _Entry(
            id=tag(self.site.config.url, "incidents", incident.id),
            title=incident.title,
            link=self.page(incident),
            published=incident.start,
            updated=incident.latest_update.at,
            html=timeline,
        )

    def update_entry(self, incident: Incident, update: Update) -> _Entry:
        label = STATUS_LABELS[update.status]
        first = update is incident.updates[0]
        return _Entry(
            id=tag(self.site.config.url, "incidents", incident.id, "updates", update.id),
            title=f"{label}: {incident.title}",
            link=f"{self.page(incident)}#{update.id}",
            published=update.at,
            updated=update.at,
            html=_update_html(update, self.zone, self.names, first),
        )

    def feeds(self) -> Iterable[_Feed]:
        site = self.site
        name = site.config.name
        recent = sorted(site.incidents, key=lambda i: (i.latest_update.at, i.id), reverse=True)
        yield _Feed(
            "history",
            tag(site.config.url, "history"),
            f"{name} - Incident History",
            f"Incidents and maintenance of {name}",
            [self.incident_entry(i) for i in recent[:HISTORY_SIZE]],
        )
        updates = sorted(
            ((i, u) for i in site.incidents for u in i.updates),
            key=lambda pair: (pair[1].at, pair[1].id),
            reverse=True,
        )
        yield _Feed(
            "updates",
            tag(site.config.url, "updates"),
            f"{name} - Updates",
            f"Every update of every incident and maintenance of {name}",
            [self.update_entry(i, u) for i, u in updates[:UPDATES_SIZE]],
        )
        for component in site.config.components:
            mine = sorted(
                site.by_component[component.id],
                key=lambda i: (i.latest_update.at, i.id),
                reverse=True,
            )
            yield _Feed(
                f"components/{component.id}/history",
                tag(site.config.url, "components", component.id, "history"),
                f"{name} - {component.name}",
                f"Incidents and maintenance of {component.name} ({name})",
                [self.incident_entry(i) for i in mine[:HISTORY_SIZE]],
            )

    def generator(self, feed: _Feed, extension: str) -> FeedGenerator:
        site = self.site
        generator = FeedGenerator()
        generator.id(feed.id)
        generator.title(feed.title)
        generator.description(feed.description)
        generator.author({"name": site.config.name, "uri": self.base_url})
        generator.language(site.config.language)
        generator.generator("statusgen", __version__)
        # the RSS channel <link> is the last link added: self first, the page last
        kind = "application/atom+xml" if extension == "atom" else "application/rss+xml"
        generator.link(href=f"{self.base_url}{feed.path}.{extension}", rel="self", type=kind)
        generator.link(href=self.base_url, rel="alternate", type="text/html")
        latest = max((e.updated for e in feed.entries), default=site.now)
        generator.updated(latest)
        generator.lastBuildDate(latest)
        for entry in feed.entries:
            item = generator.add_entry(order="append")
            item.id(entry.id)
            item.guid(entry.id, permalink=False)
            item.title(entry.title)
            item.link(href=entry.link, rel="alternate", type="text/html")
            item.updated(entry.updated)
            item.published(entry.published if extension == "atom" else entry.updated)
            item.content(entry.html, type="html")
        return generator


def write_feeds(site: StatusPage, out: Path, base_url: str) -> list[Path]:
    """Write every feed under ``out``; return their paths."""
    writer = _Writer(site, base_url)
    written = []
    for feed in writer.feeds():
        for extension in ("atom", "rss"):
            path = out / f"{feed.path}.{extension}"
            path.parent.mkdir(parents=True, exist_ok=True)
            generator = writer.generator(feed, extension)
            data = (
                generator.atom_str(pretty=True)
                if extension == "atom"
                else generator.rss_str(pretty=True)
            )
            path.write_bytes(data)
            written.append(path)
    return written

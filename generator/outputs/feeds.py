"""RSS 2.0 and Atom 1.0 feeds, for readers that want to be told.

The only module that imports feedgen. Three kinds of feed, each in both formats:

- ``history.atom``/``.rss``: the 50 most recently updated incidents and maintenances, one
  entry each with the whole timeline, newest update first. The entry id never changes; its
  updated time is the latest update's. Atom's ``published`` is the first update's time
  (never after ``updated``, even for a maintenance announced ahead of its window), RSS's
  ``pubDate`` the latest update (so RSS readers see a changed item).
- ``updates.atom``/``.rss``: the 100 most recent updates, one entry each, so that readers
  notify on every update.

An update reads in an entry as on the incident page: the same fragment (``writing.py``).
- ``components/<id>/history.atom``/``.rss``: the history feed of one component.

Ids are ``tag:`` URIs from ``site.url``'s host and the incident id: a preview built with
``--base-url`` keeps them. feedgen's traps are avoided: entries are appended in order, the
RSS channel link is added last, and every date is set (feedgen would take the clock).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from feedgen.feed import FeedGenerator  # type: ignore[import-untyped]
from markupsafe import escape

from generator import __version__
from generator.core import routes
from generator.core.model import Incident, StatusPage, Update
from generator.core.routes import Routes
from generator.language import words
from generator.outputs import Context, File
from generator.outputs.writing import Writing

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
    route: Callable[[str], str]  # the feed's path, by extension
    id: str
    title: str
    description: str
    entries: Sequence[_Entry]


def tag(host: str, *parts: str) -> str:
    """A tag: URI on the site's own host, e.g. tag:status.acme.example,2026:incidents/x
    (empty parts left out)."""
    return f"tag:{host},{TAG_DATE}:" + "/".join(part for part in parts if part)


class _Writer:
    def __init__(self, site: StatusPage, urls: Routes, theme: Sequence[Path]) -> None:
        self.site = site
        self.urls = urls
        self.host = site.config.host
        #: the feeds of another language than the default are other feeds, with other ids
        self.language = site.config.prefix(site.config.language).rstrip("/")
        self.said = words(site.config.language)
        #: each update as the incident page shows it, rendered once for all the feeds
        self.writing = Writing(site.config, theme)
        self._updates: dict[tuple[str, str], str] = {}

    def page(self, incident: Incident) -> str:
        return self.urls.incident(incident.id)

    def incident_entry(self, incident: Incident) -> _Entry:
        updates = incident.updates
        timeline = "".join(self.update_html(incident, u) for u in reversed(updates))
        return _Entry(
            id=tag(self.host, self.language, "incidents", incident.id),
            title=incident.title,
            link=self.page(incident),
            published=incident.first_update.at,
            updated=incident.latest_update.at,
            html=timeline,
        )

    def update_html(self, incident: Incident, update: Update) -> str:
        """An update as its incident page shows it; the same update is in several feeds."""
        key = (incident.id, update.id)
        if key not in self._updates:
            self._updates[key] = self.writing.update(update, update is incident.updates[0])
        return self._updates[key]

    def update_entry(self, incident: Incident, update: Update) -> _Entry:
        return _Entry(
            id=tag(self.host, self.language, "incidents", incident.id, "updates", update.id),
            title=self.said.gettext(
                "%(status)s: %(title)s",
                status=self.said.label("status", update.status),
                title=incident.title,
            ),
            link=f"{self.page(incident)}#{update.id}",
            published=update.at,
            updated=update.at,
            html=self.update_html(incident, update),
        )

    def feeds(self) -> Iterable[_Feed]:
        site = self.site
        name = site.config.name
        said = self.said
        recent = sorted(site.incidents, key=lambda i: (i.latest_update.at, i.id), reverse=True)
        yield _Feed(
            functools.partial(routes.feed, "history"),
            tag(self.host, self.language, "history"),
            said.gettext("%(site)s - Incident History", site=name),
            said.gettext("Incidents and maintenance of %(site)s", site=name),
            [self.incident_entry(i) for i in recent[:HISTORY_SIZE]],
        )
        updates = sorted(
            ((i, u) for i in site.incidents for u in i.updates),
            key=lambda pair: (pair[1].at, pair[1].id),
            reverse=True,
        )
        yield _Feed(
            functools.partial(routes.feed, "updates"),
            tag(self.host, self.language, "updates"),
            said.gettext("%(site)s - Updates", site=name),
            said.gettext("Every update of every incident and maintenance of %(site)s", site=name),
            [self.update_entry(i, u) for i, u in updates[:UPDATES_SIZE]],
        )
        for component in site.config.components:
            mine = sorted(
                site.by_component[component.id],
                key=lambda i: (i.latest_update.at, i.id),
                reverse=True,
            )
            yield _Feed(
                functools.partial(routes.component_feed, component.id),
                tag(self.host, self.language, "components", component.id, "history"),
                said.gettext("%(site)s - %(component)s", site=name, component=component.name),
                said.gettext(
                    "Incidents and maintenance of %(component)s (%(site)s)",
                    component=component.name,
                    site=name,
                ),
                [self.incident_entry(i) for i in mine[:HISTORY_SIZE]],
            )

    def generator(self, feed: _Feed, extension: str) -> FeedGenerator:
        site = self.site
        generator = FeedGenerator()
        generator.id(feed.id)
        generator.title(feed.title)
        # RSS readers show a channel's description as HTML: give them its text escaped
        generator.description(escape(feed.description) if extension == "rss" else feed.description)
        generator.author({"name": site.config.name, "uri": self.urls.url(routes.index())})
        generator.language(site.config.language)
        generator.generator("statusgen", __version__)
        # the RSS channel <link> is the last link added: self first, the page last
        kind = "application/atom+xml" if extension == "atom" else "application/rss+xml"
        generator.link(href=self.urls.url(feed.route(extension)), rel="self", type=kind)
        generator.link(href=self.urls.url(routes.index()), rel="alternate", type="text/html")
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
            item.content(self.directed(entry.html), type="html")
        return generator

    def directed(self, html: str) -> str:
        """An entry's HTML in its direction, where it is right to left: a feed reader lays
        it out left to right otherwise, full stops and brackets on the wrong side."""
        if not self.said.rtl:
            return html
        return f'<div dir="rtl" lang="{self.said.code}">{html}</div>'


def files(context: Context) -> Iterator[File]:
    """Every feed, in both formats."""
    writer = _Writer(context.site, context.routes, context.theme)
    for feed in writer.feeds():
        for extension in routes.FEED_FORMATS:
            generator = writer.generator(feed, extension)
            data = (
                generator.atom_str(pretty=True)
                if extension == "atom"
                else generator.rss_str(pretty=True)
            )
            yield feed.route(extension), data

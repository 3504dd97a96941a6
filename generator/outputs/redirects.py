"""``i/<short id>/``: the short link of an incident, a page that sends the reader on to the
incident's page; published while the incident is open and for 30 days after its latest
update (``rules.has_short_link``), when text messages that carry it are read.

A text message whose incident URL would leave no room for the update's text links this
instead (``notify``). A static host cannot answer with a redirect, so each is a tiny page:
a ``<meta http-equiv="refresh">`` to the incident page (relative, so that a mirror sends
readers on within itself), its canonical link, a plain link for a browser that does not
follow the refresh, and ``noindex``; it is not in the sitemap. Each language has its own,
under its prefix, leading to its own page (``theme/statusgen/redirect.html``).
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.core import routes, rules
from generator.outputs import Context, File
from generator.outputs.writing import Writing


def files(context: Context) -> Iterator[File]:
    """One redirect page per incident whose short link is published now."""
    site = context.site
    shorts = routes.short_ids((i.first_update.at, i.id) for i in site.incidents)
    writing = Writing(site.config, context.theme)
    for incident in site.incidents:
        if not rules.has_short_link(incident.status, incident.latest_update.at, site.now):
            continue
        path = routes.short(shorts[incident.id])
        target = routes.incident(incident.id)
        page = writing.render(
            "redirect.html",
            title=incident.title,
            # <title> takes no markup: a title awaiting translation is not marked there
            plain_title=str(incident.title),
            link=routes.relative(path, target),
            canonical=context.routes.url(target),
        )
        yield path + "index.html", (page + "\n").encode("utf-8")

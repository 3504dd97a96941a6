"""The public JSON API v2 of Atlassian Statuspage, as static files.

Existing Statuspage clients (monitoring exporters, chat bots, dashboards) work unchanged
when pointed at ``<site>/api/v2/summary.json``: same files, fields, value sets, ordering
and nulls as Statuspage's. Ids are ours verbatim (incident, update and component ids),
except a component's ``api_id`` (the id it had on the Statuspage page it was imported from),
shown wherever its id would be, so clients keyed by it keep working; a group of components
gets the id ``group-<slug>``. Lists hold the 50 most recent entries,
as Statuspage's do. An update's ``body`` is plain text: the Markdown rendered, sanitized
and stripped of tags, so a client that shows it as HTML runs nothing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from generator.core import routes, rules
from generator.core.model import Group, Incident, StatusPage, Update
from generator.core.routes import Routes
from generator.core.vocabulary import label
from generator.outputs import Context, File
from generator.outputs.markup import to_text

LIST_SIZE = 50

Json = dict[str, Any]


def timestamp(moment: datetime | None) -> str | None:
    """Statuspage's time format: UTC with milliseconds."""
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + (
        f"{moment.microsecond // 1000:03d}Z"
    )


def group_id(name: str) -> str:
    return "group-" + (re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "components")


class _Api:
    def __init__(self, site: StatusPage, urls: Routes) -> None:
        self.site = site
        self.urls = urls
        self.page_id = site.config.host
        self.names = site.names
        #: The id the API shows of each component: its api_id, else its own.
        self.ids = {c.id: c.api_id or c.id for c in site.config.components}
        self.positions: dict[str, int] = {}
        moments = [u.at for i in site.incidents for u in i.updates]
        self.updated_at = max(moments, default=site.now)
        self.created_at = min((i.start for i in site.incidents), default=site.now)
        self.changed = self._component_changes()
        self.components = self._components()

    def _component_changes(self) -> dict[str, datetime]:
        """When each component's status last moved (an update, or a maintenance window)."""
        changed: dict[str, datetime] = {}
        for incident in self.site.incidents:
            moments: list[tuple[datetime, Iterable[str]]] = [
                (u.at, [c.component for c in u.changes]) for u in incident.updates
            ]
            if incident.is_maintenance and incident.scheduled is not None:
                window = incident.scheduled
                for moment in (window.start, window.end):
                    if moment <= self.site.now:
                        moments.append((moment, incident.components))
            for moment, components in moments:
                for component in components:
                    if component not in changed or changed[component] < moment:
                        changed[component] = moment
        return changed

    def page(self) -> Json:
        return {
            "id": self.page_id,
            "name": self.site.config.name,
            "url": urls_root(self.urls),
            "time_zone": self.site.config.timezone.key,
            "updated_at": timestamp(self.updated_at),
        }

    def _component(
        self, cid: str, name: str, status: str, description: str | None, group: str | None
    ) -> Json:
        position = len(self.positions) + 1
        self.positions[cid] = position
        return {
            "id": self.ids.get(cid, cid),
            "name": name,
            "status": status,
            "created_at": timestamp(self.created_at),
            "updated_at": timestamp(self.changed.get(cid, self.created_at)),
            "position": position,
            "description": description,
            "showcase": False,
            "start_date": None,
            "group_id": group,
            "page_id": self.page_id,
            "group": False,
            "only_show_if_degraded": False,
        }

    def _components(self) -> list[Json]:
        """Components in page order; a group comes right before its members."""
        site = self.site
        result: list[Json] = []
        for row in site.groups:
            if row.component is not None:
                c = row.component
                status = site.component_statuses[c.id]
                result.append(self._component(c.id, c.name, status, c.description, None))
            else:
                result += self._group(row)
        return result

    def _group(self, row: Group) -> list[Json]:
        site = self.site
        assert row.name is not None
        gid = group_id(row.name)
        group = self._component(gid, row.name, site.group_status(row.name), None, None)
        children = [
            self._component(c.id, c.name, site.component_statuses[c.id], c.description, gid)
            for c in row.members
        ]
        group["group"] = True
        group["updated_at"] = max(child["updated_at"] for child in children)
        group["components"] = [self.ids[c.id] for c in row.members]
        return [group, *children]

    def component(self, cid: str) -> Json:
        return self.components[self.positions[cid] - 1]

    def _update(self, incident: Incident, update: Update) -> Json:
        affected = [
            {
                "code": self.ids.get(change.component, change.component),
                "name": self.names.get(change.component, change.component),
                "old_status": change.old,
                "new_status": change.new,
            }
            for change in update.changes
        ]
        return {
            "id": update.id,
            "status": rules.api_status(update.status),
            "body": to_text(update.message),
            "incident_id": incident.id,
            "created_at": timestamp(update.at),
            "updated_at": timestamp(update.at),
            "display_at": timestamp(update.at),
            "affected_components": affected or None,
            "deliver_notifications": True,
            "custom_tweet": None,
            "tweet_id": None,
        }

    def incident(self, incident: Incident) -> Json:
        monitoring = [u.at for u in incident.updates if u.status == "monitoring"]
        data: Json = {
            "id": incident.id,
            "name": incident.title,
            "status": rules.api_status(incident.status),
            "created_at": timestamp(incident.first_update.at),
            "updated_at": timestamp(incident.latest_update.at),
            "monitoring_at": timestamp(monitoring[-1]) if monitoring else None,
            "resolved_at": timestamp(incident.resolved_at),
            "impact": incident.impact,
            "shortlink": self.urls.incident(incident.id),
            "started_at": timestamp(incident.start),
            "page_id": self.page_id,
            "incident_updates": [self._update(incident, u) for u in reversed(incident.updates)],
            "components": [
                self.component(cid)
                for cid in incident.affected_component_ids
                if cid in self.positions
            ],
            "reminder_intervals": None,
        }
        if incident.scheduled is not None:
            data["scheduled_for"] = timestamp(incident.scheduled.start)
            data["scheduled_until"] = timestamp(incident.scheduled.end)
            data["scheduled_remind_prior"] = False
            data["scheduled_reminded_at"] = None
            data["scheduled_auto_in_progress"] = True
            data["scheduled_auto_completed"] = True
        return data

    def files(self) -> dict[str, Json]:
        site = self.site
        by_created = sorted(site.incidents, key=lambda i: (i.first_update.at, i.id), reverse=True)
        incidents = [i for i in by_created if not i.is_maintenance]
        unresolved = [i for i in incidents if not i.is_resolved]  # by creation, as Statuspage
        maintenance = sorted(
            (i for i in site.incidents if i.is_maintenance),
            key=lambda i: (i.start, i.id),
            reverse=True,
        )
        upcoming = [m for m in maintenance if rules.is_scheduled(m.status)]
        active = [m for m in maintenance if m.affects_components]
        page = self.page()
        status = {"indicator": site.indicator, "description": label("indicator", site.indicator)}

        def listing(key: str, items: Iterable[Incident], limit: int | None = None) -> Json:
            chosen = list(items)[:limit] if limit else list(items)
            return {"page": page, key: [self.incident(i) for i in chosen]}

        return {
            "summary.json": {
                "page": page,
                "components": self.components,
                "incidents": [self.incident(i) for i in unresolved],
                "scheduled_maintenances": [self.incident(m) for m in upcoming + active],
                "status": status,
            },
            "status.json": {"page": page, "status": status},
            "components.json": {"page": page, "components": self.components},
            "incidents.json": listing("incidents", incidents, LIST_SIZE),
            "incidents/unresolved.json": listing("incidents", unresolved),
            "scheduled-maintenances.json": listing(
                "scheduled_maintenances", maintenance, LIST_SIZE
            ),
            "scheduled-maintenances/upcoming.json": listing("scheduled_maintenances", upcoming),
            "scheduled-maintenances/active.json": listing("scheduled_maintenances", active),
        }


def urls_root(urls: Routes) -> str:
    """The page's address as Statuspage gives it: without the trailing slash."""
    return urls.url(routes.index()).rstrip("/")


def files(context: Context) -> Iterator[File]:
    """``api/v2/*.json``."""
    for name, data in _Api(context.site, context.routes).files().items():
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        yield routes.api(name), text.encode("utf-8")

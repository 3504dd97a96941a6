"""The rules over the vocabulary: what a status means, once, as typed functions.

The model, the pages, the API, notify, lint and the embed ask these functions; none of them
re-derives a rule from status strings. Each takes plain values (a kind, a status, an
impact, times), so validation can ask them before any model exists. What a rule says is
typed with the vocabulary's ``Literal``s; what it is asked about is any ``str`` for now, as
the model's ``status`` and ``impact`` fields still are (validation and the build cache fill
them with ``str``), and keeps its type (``S``) through a rule that passes it on.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal, TypeVar

from generator.core.vocabulary import (
    MAINTENANCE_ACTIVE,
    MAINTENANCE_STATUSES,
    RESOLVED,
    EventImpact,
    EventKind,
    MaintenanceStatus,
    Phase,
    Status,
)

S = TypeVar("S", bound=str)

#: Impacts whose incidents are serious: the tone of a failure, an apology and a workaround
#: expected, no downplaying.
SERIOUS: frozenset[EventImpact] = frozenset({"major", "critical"})


def default_status(kind: EventKind) -> Status:
    """The status of an incident or a maintenance until an update gives one."""
    return "scheduled" if kind == "maintenance" else "investigating"


def closing_status(kind: EventKind) -> Status:
    """The status that closes it (``statusgen resolve``)."""
    return "completed" if kind == "maintenance" else "resolved"


def phase(start: datetime, end: datetime, moment: datetime) -> Phase:
    """Where ``moment`` falls against a maintenance window from ``start`` to ``end``."""
    if moment < start:
        return "before"
    return "during" if moment < end else "after"


def shown_status(written: S, when: Phase | None) -> S | Literal["in_progress", "completed"]:
    """The status shown: the written one, or the automatic transition of a maintenance
    still ``scheduled`` once its window opens (in progress) or closes (completed)."""
    if written != "scheduled" or when is None or when == "before":
        return written
    return "in_progress" if when == "during" else "completed"


def is_scheduled(status: str) -> bool:
    """Whether a maintenance with this status is still to come (it follows its window)."""
    return status == "scheduled"


def is_resolved(status: str) -> bool:
    """Whether an incident or a maintenance with this status is over."""
    return status in RESOLVED


def is_all_clear(status: str) -> bool:
    """Whether an update with this status says it is over (a postmortem comes after)."""
    return is_resolved(status) and status != "postmortem"


def affects_components(kind: str, status: str) -> bool:
    """Whether it counts towards its components' status: an incident until it is over,
    a maintenance while it is in progress or being verified."""
    if kind == "maintenance":
        return status in MAINTENANCE_ACTIVE
    return not is_resolved(status)


def api_status(status: S) -> S | Literal["completed"]:
    """The status the Statuspage API shows: a cancelled maintenance shows as completed."""
    return "completed" if status == "cancelled" else status


def is_serious(kind: str, impact: str) -> bool:
    """Whether an incident is serious (a maintenance never is)."""
    return kind != "maintenance" and impact in SERIOUS


def embedded_maintenance() -> tuple[tuple[MaintenanceStatus, ...], tuple[MaintenanceStatus, ...]]:
    """The maintenance statuses the embed shows: (in progress now, still to come)."""
    active = tuple(s for s in MAINTENANCE_STATUSES if affects_components("maintenance", s))
    return active, tuple(s for s in MAINTENANCE_STATUSES if is_scheduled(s))


#: How long an incident's short link (``i/<short id>/``) is published after its latest
#: update: text messages are read within days, and a site of 10,000 incidents need not
#: write 10,000 redirect pages on every build. A link read later finds the 404 page.
SHORT_LINK_DAYS = 30


def has_short_link(status: str, latest_update: datetime, now: datetime) -> bool:
    """Whether the site publishes an incident's short link at ``now``: while it is open,
    and for SHORT_LINK_DAYS after its latest update."""
    return not is_resolved(status) or now - latest_update <= timedelta(days=SHORT_LINK_DAYS)

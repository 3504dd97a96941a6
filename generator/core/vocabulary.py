"""Every word statusgen says about a status, an impact or an indicator, and its colour.

Each value set is defined once here, as a ``Literal`` type (the file formats and the JSON
Schemas take them from it), with what follows from it: severity order, the status a
component takes from an impact, the statuses that close an incident. Every label a person
reads goes through :func:`label`; the labels are English, marked for the catalogs, and
``generator.language`` says them in the site's language.
Machine outputs (the Statuspage API, feeds' ids) use the values, never the labels.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final, Literal, get_args

ComponentStatus = Literal[
    "operational", "degraded_performance", "partial_outage", "major_outage", "under_maintenance"
]
IncidentStatus = Literal["investigating", "identified", "monitoring", "resolved", "postmortem"]
MaintenanceStatus = Literal["scheduled", "in_progress", "verifying", "completed", "cancelled"]
#: The status of an incident or of a maintenance.
Status = IncidentStatus | MaintenanceStatus
Impact = Literal["none", "minor", "major", "critical"]
#: The impact of an incident file: a maintenance's is ``maintenance``.
EventImpact = Impact | Literal["maintenance"]
#: Statuspage's page indicator: the worst open impact, or maintenance.
Indicator = Literal["none", "minor", "major", "critical", "maintenance"]
#: What an incident file describes.
EventKind = Literal["incident", "maintenance"]
#: Where a moment falls against a maintenance window.
Phase = Literal["before", "during", "after"]
#: What ``statusgen notify`` sends: an incident's first update, a later one, its all clear,
#: and every update of a maintenance with its automatic start and end.
NotifyEvent = Literal["created", "updated", "resolved", "maintenance"]
LintRule = Literal[
    "late-acknowledgement",
    "stale",
    "missed-promise",
    "future-update",
    "blame",
    "overpromise",
    "downplay",
    "jargon",
    "cliche",
    "no-apology",
    "overshare",
    "weak-all-clear",
    "no-workaround",
    "missing-translation",
]

COMPONENT_STATUSES: tuple[ComponentStatus, ...] = get_args(ComponentStatus)
INCIDENT_STATUSES: tuple[IncidentStatus, ...] = get_args(IncidentStatus)
MAINTENANCE_STATUSES: tuple[MaintenanceStatus, ...] = get_args(MaintenanceStatus)
IMPACTS: tuple[Impact, ...] = get_args(Impact)
INDICATORS: tuple[Indicator, ...] = get_args(Indicator)
EVENT_KINDS: tuple[EventKind, ...] = get_args(EventKind)
NOTIFY_EVENTS: tuple[NotifyEvent, ...] = get_args(NotifyEvent)
#: The rules of ``statusgen lint``, by id; ``lint.disable`` and ``lint.ignore`` name them.
LINT_RULES: tuple[str, ...] = get_args(LintRule)

OPERATIONAL: Final = "operational"

#: Most severe first; a component shows the most severe status among what affects it.
SEVERITY: tuple[ComponentStatus, ...] = (
    "major_outage",
    "partial_outage",
    "degraded_performance",
    "under_maintenance",
)

#: The status a component takes in a list of components, from the incident's impact.
STATUS_FROM_IMPACT: dict[str, ComponentStatus] = {
    "none": "operational",
    "minor": "degraded_performance",
    "major": "partial_outage",
    "critical": "major_outage",
    "maintenance": "under_maintenance",
}
#: The impact a new incident takes from the worst status of its components, worst first.
IMPACT_FROM_STATUS: dict[str, Impact] = {
    "major_outage": "critical",
    "partial_outage": "major",
    "degraded_performance": "minor",
}

#: Statuses after which an incident or a maintenance is over.
RESOLVED = frozenset({"resolved", "postmortem", "completed", "cancelled"})
#: Maintenance statuses during which its components are under maintenance.
MAINTENANCE_ACTIVE = frozenset({"in_progress", "verifying"})

IMPACT_ORDER: tuple[str, ...] = IMPACTS


def N_(message: str) -> str:
    """Marks ``message`` for the catalogs (``pybabel extract``); it is translated where it
    is shown, by ``generator.language``."""
    return message


_LABELS: dict[str, dict[str, str]] = {
    "status": {
        "investigating": N_("Investigating"),
        "identified": N_("Identified"),
        "monitoring": N_("Monitoring"),
        "resolved": N_("Resolved"),
        "postmortem": N_("Postmortem"),
        "scheduled": N_("Scheduled"),
        "in_progress": N_("In progress"),
        "verifying": N_("Verifying"),
        "completed": N_("Completed"),
        "cancelled": N_("Cancelled"),
    },
    "component": {
        "operational": N_("Operational"),
        "degraded_performance": N_("Degraded performance"),
        "partial_outage": N_("Partial outage"),
        "major_outage": N_("Major outage"),
        "under_maintenance": N_("Under maintenance"),
    },
    # a component's status within a sentence: "Sign-in (partial outage)"
    "condition": {
        "operational": N_("operational"),
        "degraded_performance": N_("degraded performance"),
        "partial_outage": N_("partial outage"),
        "major_outage": N_("major outage"),
        "under_maintenance": N_("under maintenance"),
    },
    "impact": {
        "none": N_("No impact"),
        "minor": N_("Minor impact"),
        "major": N_("Major impact"),
        "critical": N_("Critical impact"),
        "maintenance": N_("Maintenance"),
    },
    # Statuspage's own descriptions: its clients and customers know these words
    "indicator": {
        "none": N_("All Systems Operational"),
        "minor": N_("Minor Service Outage"),
        "major": N_("Partial System Outage"),
        "critical": N_("Major System Outage"),
        "maintenance": N_("Service Under Maintenance"),
    },
}

LabelKind = Literal["status", "component", "condition", "impact", "indicator"]


def label(kind: LabelKind, value: str) -> str:
    """What people read for a value: ``label("component", "partial_outage")``."""
    return _LABELS[kind][value]


def labels(kind: LabelKind) -> Mapping[str, str]:
    """Every label of one kind, by value (for templates that look them up)."""
    return _LABELS[kind]


#: Fills of badges and of the front page's banner, with white text at 4.5:1 contrast or
#: more, by indicator and by component status. The theme's stylesheet repeats the banner
#: fills (a test holds them equal); the lighter page colours are the stylesheet's own.
COLOURS = {
    "none": "#1a7f37",
    "operational": "#1a7f37",
    "minor": "#8a5a00",
    "degraded_performance": "#8a5a00",
    "major": "#b3400a",
    "partial_outage": "#b3400a",
    "critical": "#b3121f",
    "major_outage": "#b3121f",
    "maintenance": "#0757b8",
    "under_maintenance": "#0757b8",
}
#: shields.io's colour names, by indicator.
SHIELDS_COLOURS = {
    "none": "brightgreen",
    "minor": "yellow",
    "major": "orange",
    "critical": "red",
    "maintenance": "blue",
}


def worst(statuses: Iterable[str]) -> ComponentStatus:
    """The most severe of some component statuses (operational when there are none)."""
    present = set(statuses)
    return next((status for status in SEVERITY if status in present), OPERATIONAL)


def impact_from_statuses(statuses: Iterable[str | None]) -> Impact:
    """The impact of a new incident from its components' statuses: minor when none says."""
    present = set(statuses)
    return next((IMPACT_FROM_STATUS[s] for s in IMPACT_FROM_STATUS if s in present), "minor")


def component_statuses(
    components: Mapping[str, str | None], impact: str | None
) -> Mapping[str, str | None]:
    """The components of a new incident as its file will name them: when any has a status,
    those without one take the impact's (a mapping); else none has one (a list)."""
    if not any(components.values()):
        return components
    derived = STATUS_FROM_IMPACT[impact or "maintenance"]
    return {component: given or derived for component, given in components.items()}


def short_status(status: str) -> str:
    """The one-letter class the stylesheet colours a status by (o, d, p, m, u)."""
    return "o" if status == OPERATIONAL else status[0]

"""Status badges: SVG images for READMEs and dashboards, and a shields.io endpoint.

``badge.svg`` shows the overall status, ``components/<id>/badge.svg`` one component's;
each says its status in words (colour only repeats it) and carries a <title> and an
aria-label for screen readers. ``api/badge.json`` follows shields.io's endpoint schema,
for a badge in shields' own styles: https://img.shields.io/endpoint?url=<site>/api/badge.json
"""

from __future__ import annotations

import json
from pathlib import Path

from markupsafe import escape

from generator.model import INDICATORS, StatusPage
from generator.pages import COMPONENT_LABELS

#: Fills with white text at 4.5:1 contrast or more.
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
#: shields.io colour names for the endpoint badge.
SHIELDS = {
    "none": "brightgreen",
    "minor": "yellow",
    "major": "orange",
    "critical": "red",
    "maintenance": "blue",
}


def _width(text: str) -> int:
    """Rough width in pixels of 11px Verdana, as shields.io's flat badges measure it."""
    wide = sum(1 for c in text if c in "MWmw@%")
    narrow = sum(1 for c in text if c in "ilj.,:;|!' ")
    return round(7 * len(text) + 3 * wide - 3 * narrow) + 10


def badge_svg(label: str, message: str, colour: str) -> str:
    """A flat badge: grey label, coloured message, both in words."""
    left, right = _width(label), _width(message)
    total = left + right
    title = escape(f"{label}: {message}")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="20" '
        f'role="img" aria-label="{title}"><title>{title}</title>'
        f'<rect width="{left}" height="20" fill="#555"/>'
        f'<rect x="{left}" width="{right}" height="20" fill="{colour}"/>'
        '<g fill="#fff" text-anchor="middle" font-family="Verdana,DejaVu Sans,sans-serif" '
        'font-size="11">'
        f'<text x="{left / 2:g}" y="14">{escape(label)}</text>'
        f'<text x="{left + right / 2:g}" y="14">{escape(message)}</text></g></svg>\n'
    )


def write_badges(site: StatusPage, out: Path) -> list[Path]:
    """Write every badge under ``out``; return their paths."""
    written = []
    overall = out / "badge.svg"
    overall.write_text(
        badge_svg("status", INDICATORS[site.indicator], COLOURS[site.indicator]), encoding="utf-8"
    )
    written.append(overall)
    for component in site.config.components:
        status = site.component_statuses[component.id]
        path = out / "components" / component.id / "badge.svg"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            badge_svg(component.name, COMPONENT_LABELS[status], COLOURS[status]), encoding="utf-8"
        )
        written.append(path)
    endpoint = out / "api/badge.json"
    endpoint.parent.mkdir(parents=True, exist_ok=True)
    endpoint.write_text(
        json.dumps(
            {
                "schemaVersion": 1,
                "label": "status",
                "message": INDICATORS[site.indicator],
                "color": SHIELDS[site.indicator],
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    written.append(endpoint)
    return written

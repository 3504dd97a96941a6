"""Status badges: SVG images for READMEs and dashboards, and a shields.io endpoint.

``badge.svg`` shows the overall status, ``components/<id>/badge.svg`` one component's;
each says its status in words (colour only repeats it) and carries a <title> and an
aria-label for screen readers. ``api/badge.json`` follows shields.io's endpoint schema,
for a badge in shields' own styles: https://img.shields.io/endpoint?url=<site>/api/badge.json
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator

from markupsafe import escape

from generator.core import routes
from generator.core.vocabulary import COLOURS, SHIELDS_COLOURS
from generator.language import Words, words
from generator.outputs import Context, File


def _width(text: str) -> int:
    """Rough width in pixels of 11px Verdana, as shields.io's flat badges measure it."""
    full = sum(1 for c in text if unicodedata.east_asian_width(c) in "WF")  # CJK: square
    text = "".join(c for c in text if unicodedata.east_asian_width(c) not in "WF")
    wide = sum(1 for c in text if c in "MWmw@%")
    narrow = sum(1 for c in text if c in "ilj.,:;|!' ")
    return round(7 * len(text) + 3 * wide - 3 * narrow + 12 * full) + 10


def badge_svg(label: str, message: str, colour: str, said: Words) -> str:
    """A flat badge: grey label, coloured message, both in words; its title for screen
    readers and on hover, the two as the language joins a label and its text."""
    left, right = _width(label), _width(message)
    total = left + right
    title = escape(said.gettext("%(label)s: %(text)s", label=label, text=message))
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


def files(context: Context) -> Iterator[File]:
    """The overall badge, one per component, and the shields.io endpoint."""
    site = context.site
    language = words(site.config.language)
    indicator = site.indicator
    said = language.label("indicator", indicator)
    status_word = language.gettext("status")
    yield routes.badge(), badge_svg(status_word, said, COLOURS[indicator], language).encode()
    for component in site.config.components:
        status = site.component_statuses[component.id]
        condition = language.label("component", status)
        svg = badge_svg(component.name, condition, COLOURS[status], language)
        yield routes.component_badge(component.id), svg.encode()
    endpoint = {
        "schemaVersion": 1,
        "label": status_word,
        "message": said,
        "color": SHIELDS_COLOURS[indicator],
    }
    yield routes.badge_endpoint(), (json.dumps(endpoint, indent=2) + "\n").encode()

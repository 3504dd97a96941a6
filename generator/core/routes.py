"""Every path of the built site, decided in one place.

Paths are relative to the site's root: a page is a folder ending in ``/`` ("" for the front
page), any other file has its name. :class:`Routes` turns them into absolute URLs on the
site's base URL and into links relative to a page. Templates and outputs ask these
functions; none of them formats a path of its own.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

FEED_FORMATS = ("atom", "rss")

#: What may not stand anywhere in a URL we accept: white space, quotes, angle brackets,
#: backslashes and control characters. Each could end an HTML attribute or a feed's
#: element, or be read differently by different parsers.
_UNSAFE_IN_URL = re.compile(r"[\s\"'<>\\`{}|^\x00-\x1f\x7f]")


def check_url(text: str) -> str:
    """``text`` if it is an absolute http(s) URL with a host and nothing unsafe in it, else
    ValueError saying what is wrong (the one URL rule of site.url, support_url and
    ``--base-url``)."""
    found = _UNSAFE_IN_URL.search(text)
    if found:
        shown = repr(found.group(0)) if found.group(0).isprintable() else "a control character"
        raise ValueError(f"'{text}' is not a usable URL: it contains {shown}")
    try:
        parts = urlsplit(text)
        port = parts.port  # raises on a port that is not a number
    except ValueError:
        raise ValueError(f"'{text}' is not a usable URL") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"'{text}' is not an absolute http(s) URL")
    del port
    return text


def is_link(text: str) -> bool:
    """Whether a text is one web address and nothing else (a postmortem given as a link:
    shown as a link, and the same in every language)."""
    return bool(re.fullmatch(r"https?://\S+", text.strip()))


def site_url(text: str) -> str:
    """A checked base URL, ending in a slash."""
    check_url(text)
    return text if text.endswith("/") else text + "/"


def index() -> str:
    return ""


def incident(incident_id: str) -> str:
    return f"incidents/{incident_id}/"


#: How many characters a short id has, unless a clash makes it longer: 32**4, about a
#: million, so that a clash is rare in a site's lifetime and handled when it comes.
SHORT_ID_LENGTH = 4


def short_ids(incidents: Iterable[tuple[datetime, str]]) -> dict[str, str]:
    """Each incident's short id (its short link ``i/<short id>/``), from ``(first update's
    time, incident id)`` pairs: the first SHORT_ID_LENGTH characters of the base32 SHA-256
    of its id. On a clash the incident published first keeps the short id, and the later
    one takes one character more of its own digest (until it is unique): a link already
    sent never comes to point at another incident, and an incident not yet published
    (all its updates after now) cannot change what a published one's short id is."""
    found: dict[str, str] = {}
    taken: set[str] = set()
    for _, incident_id in sorted(incidents):
        code = base64.b32encode(hashlib.sha256(incident_id.encode()).digest())
        letters = code.decode("ascii").rstrip("=").lower()
        size = SHORT_ID_LENGTH
        while letters[:size] in taken and size < len(letters):
            size += 1
        found[incident_id] = letters[:size]
        taken.add(letters[:size])
    return found


def short(short_id: str) -> str:
    """An incident's short link: a page that sends the reader on to the incident's page
    (text messages link it when the incident's own URL would leave no room for the text)."""
    return f"i/{short_id}/"


def component(component_id: str) -> str:
    return f"components/{component_id}/"


def history() -> str:
    return "history/"


def month(year: int, number: int) -> str:
    return f"history/{year:04d}/{number:02d}/"


def report(year: int, number: int) -> str:
    """The published report of one month (``site.reports``)."""
    return f"reports/{year:04d}/{number:02d}/"


def report_file(year: int, number: int, extension: str) -> str:
    """A month's report as data, beside its page: ``csv`` or ``json``."""
    return f"{report(year, number)}report.{extension}"


def numbered(base: str, number: int) -> str:
    """Page ``number`` of a long list whose first page is ``base``."""
    return base if number == 1 else f"{base}page/{number}/"


def feed(name: str, extension: str) -> str:
    """A site-wide feed: ``history`` or ``updates``, as ``atom`` or ``rss``."""
    return f"{name}.{extension}"


def component_feed(component_id: str, extension: str) -> str:
    return f"components/{component_id}/history.{extension}"


def badge() -> str:
    return "badge.svg"


def component_badge(component_id: str) -> str:
    return f"components/{component_id}/badge.svg"


def badge_endpoint() -> str:
    """shields.io's endpoint badge."""
    return "api/badge.json"


def api(name: str) -> str:
    """A file of the Statuspage v2 API, e.g. ``summary.json``."""
    return f"api/v2/{name}"


def calendar() -> str:
    return "maintenance.ics"


def live() -> str:
    """The build's id and moment and the state readers see (SPEC: Freshness)."""
    return "live.json"


def sitemap() -> str:
    return "sitemap.xml"


def sitemap_gz() -> str:
    return "sitemap.xml.gz"


def relative(source: str, target: str) -> str:
    """The link from the page at ``source`` to ``target`` (both site-root paths)."""
    return "../" * source.count("/") + target or "./"


@dataclass(frozen=True)
class Routes:
    """Absolute URLs on one base URL (``site.url``, or ``--base-url`` for a preview)."""

    base_url: str

    def url(self, path: str) -> str:
        return self.base_url + path

    def incident(self, incident_id: str) -> str:
        return self.url(incident(incident_id))

    def short(self, short_id: str) -> str:
        return self.url(short(short_id))

"""``maintenance.ics``: every maintenance as an RFC 5545 event, for calendar apps.

The only module that imports icalendar. Each event keeps a UID derived from the
maintenance id for life, so a calendar that subscribed updates the event rather than adding
a new one; its SEQUENCE grows with each update. DTSTAMP is the build's "now" (icalendar
would take the clock), so the same inputs and ``--now`` give the same file.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC

from icalendar import Calendar, Event, vText

from generator import __version__
from generator.core import routes
from generator.language import words
from generator.outputs import Context, File
from generator.outputs.markup import to_text


def files(context: Context) -> Iterator[File]:
    """``maintenance.ics``."""
    site = context.site
    config = site.config
    host = config.host
    calendar = Calendar()
    calendar.add("prodid", f"-//statusgen {__version__}//{host}//{config.language.upper()}")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # icalendar escapes the text of the properties it knows; these two it must be told
    calname = words(config.language).gettext("%(site)s: maintenance", site=config.name)
    calendar.add("x-wr-calname", vText(calname))
    calendar.add("x-wr-timezone", vText(config.timezone.key))
    maintenance = sorted(
        (i for i in site.incidents if i.is_maintenance and i.scheduled is not None),
        key=lambda i: (i.scheduled.start if i.scheduled else i.start, i.id),
    )
    for incident in maintenance:
        assert incident.scheduled is not None
        link = context.routes.incident(incident.id)
        event = Event()
        event.add("uid", f"{incident.id}@{host}")
        event.add("dtstamp", site.now.astimezone(UTC))
        event.add("dtstart", incident.scheduled.start.astimezone(UTC))
        event.add("dtend", incident.scheduled.end.astimezone(UTC))
        event.add("summary", incident.title)
        event.add("description", f"{to_text(incident.latest_update.message)}\n\n{link}")
        event.add("url", link)
        event.add("status", "CANCELLED" if incident.status == "cancelled" else "CONFIRMED")
        event.add("sequence", len(incident.updates) - 1)
        event.add("created", incident.first_update.at.astimezone(UTC))
        event.add("last-modified", incident.latest_update.at.astimezone(UTC))
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    yield routes.calendar(), calendar.to_ical()

"""``live.json``: which build the host serves, when it was made, and what readers see.

An open page polls it (``statusgen.js``) to learn of news without reloading, ``statusgen
verify`` polls it until the host serves a build, and it is the one file that says the
build's id and moment: pages never carry them, so that a rebuild that changed nothing
changes no page (SPEC: Freshness and publishing).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from generator.core import routes
from generator.core.times import format_utc
from generator.outputs import Context, File

#: The most ``live.json`` may weigh: it is fetched every minute by every open page.
MAX_BYTES = 4096


def files(context: Context) -> Iterator[File]:
    """``live.json``, with as many recent incidents as fit in :data:`MAX_BYTES` (the
    most recently updated ones)."""
    site = context.site
    refresh = site.config.refresh
    data: dict[str, Any] = {
        "build": context.build,
        "built_at": format_utc(site.now),
        "state": site.state,
        "refresh_minutes": None if refresh is None else int(refresh.total_seconds() // 60),
        "incidents": {},
    }
    for incident_id, at in site.latest_news.items():
        data["incidents"][incident_id] = format_utc(at)
        if len(_encode(data)) > MAX_BYTES:
            del data["incidents"][incident_id]
            break
    yield routes.live(), _encode(data)


def _encode(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode()

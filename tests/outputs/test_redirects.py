"""``i/<short id>/``: each published incident's short link, a static page that sends the
reader on to the incident page (in every language), stable as incidents come and go."""

from __future__ import annotations

import hashlib
from base64 import b32encode
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from generator.core import routes
from tests.browser import serve
from tests.sites import build, render_outputs, write_repository

LATER = """\
title: Not yet published
impact: minor
components: [api]
updates:
  - at: 2030-01-01T00:00:00Z
    message: Dated after now.
"""


class _Head(HTMLParser):
    """The refresh target, canonical link, robots rule and links of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.canonical = ""
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        if tag == "meta":
            key = found.get("http-equiv") or found.get("name") or ""
            self.meta[key] = found.get("content", "")
        elif tag == "link" and found.get("rel") == "canonical":
            self.canonical = found["href"]
        elif tag == "a":
            self.links.append(found["href"])


def _read(path: Path) -> _Head:
    head = _Head()
    head.feed(path.read_text(encoding="utf-8"))
    return head


def _letters(incident_id: str) -> str:
    return b32encode(hashlib.sha256(incident_id.encode()).digest()).decode().lower()


def test_every_published_incident_has_a_short_link_to_its_page(tmp_path: Path) -> None:
    root = write_repository(tmp_path)
    (root / "incidents" / "2030-01-01-later.yml").write_text(LATER, encoding="utf-8")
    out = render_outputs(root)
    pages = sorted((out / "i").glob("*/index.html"))
    shown = {"2026-11-24-sign-in", "2026-11-10-api", "2026-11-28-upgrade"}
    shown |= {"2026-11-14-cancelled"}
    # the unpublished one has none (its id names its title), nor one resolved more than 30
    # days ago (2026-10-01-done): its messages were read long ago
    assert len(pages) == len(shown)
    targets = set()
    for page in pages:
        head = _read(page)
        assert head.meta["robots"] == "noindex"
        delay, _, url = head.meta["refresh"].partition("; url=")
        assert delay == "0"
        assert url == head.links[0]
        incident_id = url.removeprefix("../../incidents/").removesuffix("/")
        assert head.canonical == f"https://status.acme.example/incidents/{incident_id}/"
        assert page.parent.name == _letters(incident_id)[:4]
        targets.add(incident_id)
    assert targets == shown
    assert "/i/" not in (out / "sitemap.xml").read_text(encoding="utf-8")


def test_short_ids_are_stable_and_a_clash_goes_to_the_later_incident() -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    ids = [f"incident-{n}" for n in range(3000)]
    dated = [(start + timedelta(minutes=n), incident_id) for n, incident_id in enumerate(ids)]
    shorts = routes.short_ids(dated)
    assert len(set(shorts.values())) == len(ids)
    longer = [i for i in ids if len(shorts[i]) > routes.SHORT_ID_LENGTH]
    assert longer, "3000 ids in a space of 32**4 clash at least once"
    for incident_id in longer:
        earlier = [i for i in ids if _letters(i)[:4] == shorts[incident_id][:4]]
        assert shorts[earlier[0]] == _letters(earlier[0])[:4]  # the first keeps it
        assert shorts[incident_id] == _letters(incident_id)[: len(shorts[incident_id])]
    # the same ids in another order, and with a later incident added, change nothing
    more = [*reversed(dated), (start + timedelta(days=9), "another")]
    again = routes.short_ids(more)
    assert {i: again[i] for i in ids} == shorts


def test_each_language_has_short_links_to_its_own_pages(tmp_path: Path) -> None:
    root = write_repository(tmp_path, {"2026-11-24-sign-in": _one_incident()})
    config = (root / "site_config.yml").read_text(encoding="utf-8")
    config = config.replace("site:\n", "site:\n  languages: [en, de]\n", 1)
    (root / "site_config.yml").write_text(config, encoding="utf-8")
    out = build(root, "--no-cache")
    short = _letters("2026-11-24-sign-in")[:4]
    german = _read(out / "de" / "i" / short / "index.html")
    assert german.canonical == "https://status.acme.example/de/incidents/2026-11-24-sign-in/"
    assert german.links == ["../../incidents/2026-11-24-sign-in/"]
    assert (out / "de" / german.canonical.partition("/de/")[2] / "index.html").is_file()
    assert '<html lang="de">' in (out / "de/i" / short / "index.html").read_text(encoding="utf-8")


def _one_incident() -> str:
    return """\
title: Some customers cannot sign in
impact: major
components: {auth: partial_outage}
updates:
  - at: 2026-11-24T10:04:00Z
    message: Some customers cannot sign in.
"""


@pytest.mark.slow
def test_a_browser_that_opens_a_short_link_lands_on_the_incident_page(
    tmp_path: Path, browser: Browser
) -> None:
    out = build(write_repository(tmp_path, {"2026-11-24-sign-in": _one_incident()}))
    short = _letters("2026-11-24-sign-in")[:4]
    with serve(out) as base:
        page = browser.new_page()
        page.goto(f"{base}i/{short}/")
        page.wait_for_url(f"{base}incidents/2026-11-24-sign-in/")
        assert "Some customers cannot sign in" in page.title()
        page.close()

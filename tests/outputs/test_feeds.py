"""The feeds, read as feed readers read them (feedparser) and checked against the specs."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime
from pathlib import Path

import feedparser  # type: ignore[import-untyped]
import pytest

from tests.sites import FILES, build, render_outputs, write_repository

ATOM = "{http://www.w3.org/2005/Atom}"
FEEDS = [
    "history.atom",
    "history.rss",
    "updates.atom",
    "updates.rss",
    "components/api/history.atom",
    "components/api/history.rss",
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_outputs(write_repository(tmp_path_factory.mktemp("repo")))


@pytest.mark.parametrize("name", FEEDS)
def test_feedparser_reads_every_feed_cleanly(site: Path, name: str) -> None:
    parsed = feedparser.parse((site / name).read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == ("atom10" if name.endswith(".atom") else "rss20")
    assert parsed.feed.title.startswith("Acme Cloud Status")
    ids = [entry.id for entry in parsed.entries]
    assert len(ids) == len(set(ids)) > 0


def test_history_has_one_entry_per_incident_newest_update_first(site: Path) -> None:
    parsed = feedparser.parse((site / "history.atom").read_bytes())
    assert [e.title for e in parsed.entries] == [
        "Some customers cannot sign in",
        "API upgrade",
        "Dashboard maintenance",
        "API requests fail",
        "Sign-in maintenance",
    ]
    first = parsed.entries[0]
    assert first.id == "tag:status.acme.example,2026:incidents/2026-11-24-sign-in"
    assert first.link == "https://status.acme.example/incidents/2026-11-24-sign-in/"
    assert first.published == "2026-11-24T10:04:00+00:00"  # the first update, not the start
    assert first.updated == "2026-11-24T10:25:00+00:00"  # the latest update
    content = first.content[0].value
    assert content.index("We found the cause.") < content.index("Some customers in the EU")
    assert "<b>cannot</b>" in content
    assert "<script" not in content and "alert(1)" not in content


def test_rss_pubdate_is_the_latest_update_and_guid_the_tag(site: Path) -> None:
    parsed = feedparser.parse((site / "history.rss").read_bytes())
    first = parsed.entries[0]
    assert first.published == "Tue, 24 Nov 2026 10:25:00 +0000"
    assert first.id == "tag:status.acme.example,2026:incidents/2026-11-24-sign-in"
    assert first.guidislink is False


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole built site, for what pages say of the feeds."""
    return build(write_repository(tmp_path_factory.mktemp("built")))


def test_updates_feed_has_one_entry_per_update(site: Path, built: Path) -> None:
    parsed = feedparser.parse((site / "updates.atom").read_bytes())
    total = sum(text.count("  - at:") for text in FILES.values())
    assert len(parsed.entries) == total
    first = parsed.entries[0]
    assert first.title == "Identified: Some customers cannot sign in"
    assert first.link == (
        "https://status.acme.example/incidents/2026-11-24-sign-in/"
        "#2026-11-24-sign-in-20261124T102500Z"
    )
    assert first.id == (
        "tag:status.acme.example,2026:incidents/2026-11-24-sign-in/updates/"
        "2026-11-24-sign-in-20261124T102500Z"
    )
    page = (built / "incidents/2026-11-24-sign-in/index.html").read_text(encoding="utf-8")
    assert 'id="2026-11-24-sign-in-20261124T102500Z"' in page  # the link's anchor exists


def test_component_feed_holds_only_that_component(site: Path) -> None:
    parsed = feedparser.parse((site / "components/dashboard/history.atom").read_bytes())
    assert [e.title for e in parsed.entries] == ["Dashboard maintenance", "API requests fail"]


def test_atom_to_the_letter(site: Path) -> None:
    for name in (n for n in FEEDS if n.endswith(".atom")):
        root = ET.parse(site / name).getroot()
        assert root.tag == f"{ATOM}feed"
        for required in ("id", "title", "updated", "author"):
            assert root.find(f"{ATOM}{required}") is not None, (name, required)
        assert root.find(f"{ATOM}author/{ATOM}name") is not None
        links = {(k.get("rel"), k.get("href")) for k in root.findall(f"{ATOM}link")}
        assert ("self", f"https://status.acme.example/{name}") in links
        assert ("alternate", "https://status.acme.example/") in links
        for entry in root.findall(f"{ATOM}entry"):
            for required in ("id", "title", "updated"):
                assert entry.find(f"{ATOM}{required}") is not None, (name, required)
            assert entry.find(f"{ATOM}content").get("type") == "html"  # type: ignore[union-attr]
            assert re.fullmatch(
                r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\+00:00|Z)",
                entry.findtext(f"{ATOM}updated") or "",
            )


def test_rss_to_the_letter(site: Path) -> None:
    for name in (n for n in FEEDS if n.endswith(".rss")):
        root = ET.parse(site / name).getroot()
        assert root.tag == "rss" and root.get("version") == "2.0"
        channel = root.find("channel")
        assert channel is not None
        for required in ("title", "link", "description"):
            assert (channel.findtext(required) or "").strip(), (name, required)
        assert channel.findtext("link") == "https://status.acme.example/"
        self_link = channel.find("{http://www.w3.org/2005/Atom}link")
        assert self_link is not None and self_link.get("rel") == "self"
        assert self_link.get("href") == f"https://status.acme.example/{name}"
        for date in [channel.findtext("lastBuildDate")] + [
            item.findtext("pubDate") for item in channel.findall("item")
        ]:
            assert date and parsedate_to_datetime(date).tzinfo is not None  # RFC 822
            assert re.fullmatch(r"\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d [+-]\d{4}", date)
        for item in channel.findall("item"):
            assert item.findtext("title") and item.findtext("description")
            assert item.find("guid").get("isPermaLink") == "false"  # type: ignore[union-attr]


def test_an_update_changes_updated_and_keeps_the_id(tmp_path: Path) -> None:
    root = write_repository(tmp_path)
    before = feedparser.parse((render_outputs(root) / "history.atom").read_bytes()).entries
    path = root / "incidents/2026-11-24-sign-in.yml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + "  - at: 2026-11-24T10:29:00Z\n    status: monitoring\n    message: Fixed.\n",
        encoding="utf-8",
    )
    after = feedparser.parse((render_outputs(root) / "history.atom").read_bytes()).entries
    old = next(e for e in before if e.title == "Some customers cannot sign in")
    new = next(e for e in after if e.title == "Some customers cannot sign in")
    assert new.id == old.id
    assert (old.updated, new.updated) == ("2026-11-24T10:25:00+00:00", "2026-11-24T10:29:00+00:00")
    assert new.published == old.published


def test_ids_do_not_change_with_the_base_url(tmp_path: Path) -> None:
    root = write_repository(tmp_path)
    site = render_outputs(root, base_url="https://preview.example/pr-7/")
    parsed = feedparser.parse((site / "history.atom").read_bytes())
    assert parsed.entries[0].id == "tag:status.acme.example,2026:incidents/2026-11-24-sign-in"
    assert parsed.entries[0].link == "https://preview.example/pr-7/incidents/2026-11-24-sign-in/"


def test_feed_sizes_are_capped(tmp_path: Path) -> None:
    files = {
        f"i{n:03d}": (
            f"title: Incident {n}\nimpact: minor\ncomponents: [api]\nupdates:\n"
            f"  - at: 2026-10-{1 + n % 28:02d}T{n % 24:02d}:00:00Z\n    message: a\n"
            f"  - at: 2026-10-{1 + n % 28:02d}T{n % 24:02d}:30:00Z\n    status: resolved\n"
            "    message: b\n"
        )
        for n in range(60)
    }
    site = render_outputs(write_repository(tmp_path, files))
    assert len(feedparser.parse((site / "history.atom").read_bytes()).entries) == 50
    assert len(feedparser.parse((site / "updates.rss").read_bytes()).entries) == 100
    assert len(feedparser.parse((site / "components/api/history.rss").read_bytes()).entries) == 50


def test_every_page_links_its_feeds(built: Path) -> None:
    site = built
    for page in ("index.html", "incidents/2026-11-10-api/index.html", "history/index.html"):
        html = (site / page).read_text(encoding="utf-8")
        assert 'type="application/atom+xml"' in html and 'type="application/rss+xml"' in html
        assert re.search(r'rel="alternate feed" type="text/calendar"[^>]*maintenance\.ics', html)
    index = (site / "index.html").read_text(encoding="utf-8")
    assert '<h2 id="sg-subscribe">Subscribe</h2>' in index
    assert '<a href="history.atom">Atom</a>' in index

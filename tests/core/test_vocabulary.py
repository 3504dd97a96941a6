"""The vocabulary and the routes of the core: every word and every path decided once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.core import routes
from generator.core.vocabulary import (
    COLOURS,
    COMPONENT_STATUSES,
    IMPACTS,
    INCIDENT_STATUSES,
    INDICATORS,
    MAINTENANCE_STATUSES,
    SHIELDS_COLOURS,
    component_statuses,
    impact_from_statuses,
    label,
)

CSS = Path(__file__).resolve().parents[2] / "theme/assets/stylesheets/statusgen.css"


def test_every_value_has_its_label() -> None:
    for status in INCIDENT_STATUSES + MAINTENANCE_STATUSES:
        assert label("status", status)
    for component in COMPONENT_STATUSES:
        assert label("component", component) and component in COLOURS
    for impact in (*IMPACTS, "maintenance"):
        assert label("impact", impact)
    for indicator in INDICATORS:
        assert label("indicator", indicator) and indicator in COLOURS
        assert indicator in SHIELDS_COLOURS


def test_the_stylesheet_fills_the_banner_with_the_vocabulary_colours() -> None:
    css = CSS.read_text(encoding="utf-8")
    for indicator in INDICATORS:
        if indicator == "none":  # the banner's default background
            assert f"color: #fff; background: {COLOURS['none']};" in css
            continue
        found = re.search(rf"\.sg-b-{indicator} {{ background: (#[0-9a-f]{{6}}); }}", css)
        assert found is not None and found.group(1) == COLOURS[indicator], indicator


@pytest.mark.parametrize(
    ("statuses", "impact"),
    [
        (["partial_outage", "major_outage"], "critical"),
        (["degraded_performance", None], "minor"),
        (["partial_outage"], "major"),
        ([None], "minor"),
        ([], "minor"),
    ],
)
def test_a_new_incident_takes_its_impact_from_the_worst_status(
    statuses: list[str | None], impact: str
) -> None:
    assert impact_from_statuses(statuses) == impact


@pytest.mark.parametrize(
    "url",
    [
        "https://status.example.com/",
        "http://localhost:8000/preview/",
        "https://acme.github.io/status",
        "https://[::1]:8443/",
    ],
)
def test_usable_urls(url: str) -> None:
    assert routes.check_url(url) == url


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ('https://x/"><script>alert(2)</script>', "contains '\"'"),
        ('https://status.example.com/"><script>alert(1)</script>/', "contains '\"'"),
        ("https://x/ a", "contains ' '"),
        ("https://x/<b>", "contains '<'"),
        ("https://x/\\evil", "contains '\\\\'"),
        ("https://x/\x1b[31m", "a control character"),
        ("javascript:alert(1)", "not an absolute http(s) URL"),
        ("https:///path", "not an absolute http(s) URL"),
        ("status.example.com", "not an absolute http(s) URL"),
        ("https://x:port/", "not a usable URL"),
    ],
)
def test_unusable_urls_say_why(url: str, says: str) -> None:
    with pytest.raises(ValueError, match=re.escape(says)):
        routes.check_url(url)


def test_paths_and_links() -> None:
    assert routes.incident("x") == "incidents/x/"
    assert routes.month(2026, 3) == "history/2026/03/"
    assert routes.numbered("history/2026/03/", 2) == "history/2026/03/page/2/"
    assert routes.component_feed("api", "rss") == "components/api/history.rss"
    assert routes.relative("incidents/x/", routes.badge()) == "../../badge.svg"
    assert routes.relative("", routes.index()) == "./"
    assert routes.Routes("https://s.example/").incident("x") == "https://s.example/incidents/x/"


def test_a_new_incident_names_its_components_as_a_list_or_with_statuses() -> None:
    assert component_statuses({"api": None, "web": None}, "major") == {"api": None, "web": None}
    assert component_statuses({"api": "major_outage", "web": None}, "critical") == {
        "api": "major_outage",
        "web": "major_outage",
    }
    assert component_statuses({"api": None, "db": "degraded_performance"}, None) == {
        "api": "under_maintenance",
        "db": "degraded_performance",
    }

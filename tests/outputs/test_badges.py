"""Badges: SVG that says the status in words, and the shields.io endpoint."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.sites import render_outputs, write_repository

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_outputs(write_repository(tmp_path_factory.mktemp("repo")))


def texts(path: Path) -> tuple[str, list[str]]:
    root = ET.parse(path).getroot()
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    return root.get("aria-label") or "", [t.text or "" for t in root.iter(f"{SVG}text")]


def test_overall_badge_says_the_status(site: Path) -> None:
    label, words = texts(site / "badge.svg")
    assert words == ["status", "Partial System Outage"]
    assert label == "status: Partial System Outage"
    assert 'fill="#b3400a"' in (site / "badge.svg").read_text()


def test_component_badges(site: Path) -> None:
    assert texts(site / "components/auth/badge.svg")[1] == ["Sign-in", "Partial outage"]
    assert texts(site / "components/api/badge.svg")[1] == ["Public API", "Operational"]


def test_shields_endpoint(site: Path) -> None:
    assert json.loads((site / "api/badge.json").read_text()) == {
        "schemaVersion": 1,
        "label": "status",
        "message": "Partial System Outage",
        "color": "orange",
    }


def test_badge_text_is_escaped(tmp_path: Path) -> None:
    root = write_repository(tmp_path, {})
    config = root / "site_config.yml"
    config.write_text(config.read_text().replace("name: Public API", 'name: "A<b>&\'"'))
    site = render_outputs(root)
    assert texts(site / "components/api/badge.svg")[1] == ["A<b>&'", "Operational"]

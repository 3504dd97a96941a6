"""api/v2/*.json shows a component's ``api_id`` wherever its id would be: clients keyed by
the ids of the Statuspage page it was imported from keep working."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.sites import CONFIG, render_outputs, write_repository

SHOWN = {"api": "br0l2tvcx85d", "auth": "8l4ygp009s5s"}


def api(tmp_path: Path) -> dict[str, Any]:
    root = write_repository(tmp_path)
    config = CONFIG
    for cid, api_id in SHOWN.items():
        config = config.replace(f"{{id: {cid}, ", f"{{id: {cid}, api_id: {api_id}, ")
    (root / "site_config.yml").write_text(config, encoding="utf-8")
    site = render_outputs(root)
    names = ("summary.json", "components.json", "incidents.json", "scheduled-maintenances.json")
    return {name: json.loads((site / "api/v2" / name).read_text()) for name in names}


def component_ids(data: Any) -> set[str]:
    """Every component id a response shows: its components', incidents' and updates'."""
    found: set[str] = set()
    for component in data.get("components", []):
        found.add(component["id"])
        found.update(component.get("components", []))
    for key in ("incidents", "scheduled_maintenances"):
        for incident in data.get(key, []):
            found.update(component_ids({"components": incident["components"]}))
            for update in incident["incident_updates"]:
                found.update(a["code"] for a in update["affected_components"] or [])
    return found


def test_api_ids_replace_ids_everywhere(tmp_path: Path) -> None:
    shown = api(tmp_path)
    everywhere = set().union(*(component_ids(data) for data in shown.values()))
    assert set(SHOWN.values()) <= everywhere
    assert not everywhere & set(SHOWN)  # our ids of those components appear nowhere
    assert "dashboard" in everywhere  # a component without api_id shows its own


def test_a_group_lists_its_members_by_api_id(tmp_path: Path) -> None:
    components = api(tmp_path)["components.json"]["components"]
    [group] = [c for c in components if c["group"]]
    assert group["components"] == ["br0l2tvcx85d", "8l4ygp009s5s"]
    members = [c for c in components if c["group_id"] == group["id"]]
    assert [c["id"] for c in members] == group["components"]


def test_an_incident_names_its_components_and_updates_by_api_id(tmp_path: Path) -> None:
    incidents = api(tmp_path)["incidents.json"]["incidents"]
    [outage] = [i for i in incidents if i["id"] == "2026-11-10-api"]
    assert [c["id"] for c in outage["components"]] == ["br0l2tvcx85d", "dashboard"]
    codes = [a["code"] for u in outage["incident_updates"] for a in u["affected_components"] or []]
    assert "br0l2tvcx85d" in codes and "api" not in codes

"""A real Statuspage client, statuspage-prometheus-exporter, pointed at our built site."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from tests.browser import serve
from tests.example import build_example


def run_exporter(summary_url: str, folder: Path) -> dict[str, list[tuple[dict[str, str], float]]]:
    services = folder / "services.json"
    services.write_text(json.dumps({"acme": {"name": "Acme", "url": summary_url}}))
    metrics = folder / "statuspage.prom"
    environment = {
        **os.environ,
        "RUN_MODE": "once",
        "SERVICES_JSON_PATH": str(services),
        "METRICS_TEXTFILE_PATH": str(metrics),
    }
    subprocess.run(
        [sys.executable, "-c", "from statuspage_prometheus_exporter.status_monitoring import "
         "main; main()"],
        cwd=folder,
        env=environment,
        check=True,
        capture_output=True,
        timeout=120,
    )  # fmt: skip
    found: dict[str, list[tuple[dict[str, str], float]]] = {}
    for family in text_string_to_metric_families(metrics.read_text()):
        for sample in family.samples:
            found.setdefault(sample.name, []).append((sample.labels, sample.value))
    return found


def test_the_exporter_reports_our_incidents_components_and_maintenance(tmp_path: Path) -> None:
    site = build_example(tmp_path / "site")
    with serve(site) as base:
        metrics = run_exporter(f"{base}api/v2/summary.json", tmp_path)

    assert metrics["statuspage_probe_check"] == [({"service_name": "Acme"}, 1.0)]
    assert metrics["statuspage_service_status"] == [({"service_name": "Acme"}, 0.0)]

    incidents = [(labels, value) for labels, value in metrics["statuspage_incident_info"]]
    assert len(incidents) == 1
    labels, value = incidents[0]
    assert value == 1.0
    assert labels["incident_id"] == "2026-11-24-single-sign-on-fails-in-the-eu"
    assert labels["incident_name"] == "Some customers in the EU cannot sign in with single sign-on"
    assert labels["impact"] == "major"
    assert labels["shortlink"] == (
        "https://status.acme.example/incidents/2026-11-24-single-sign-on-fails-in-the-eu/"
    )
    assert labels["affected_components"] == "Sign-in, Dashboard"

    components = {
        labels["component_name"]: value for labels, value in metrics["statuspage_component_status"]
    }
    assert components["Sign-in"] == 0.0
    assert components["Dashboard"] == 0.0
    assert components["Public API"] == 1.0
    assert components["Payments"] == 1.0

    maintenance = metrics["statuspage_maintenance_info"]
    assert [(labels["maintenance_id"], value) for labels, value in maintenance] == [
        ("2026-11-20-dashboard-maintenance", 1.0)
    ]
    assert maintenance[0][0]["scheduled_start"] == "2026-12-02T01:00:00Z"  # as it normalizes
    assert maintenance[0][0]["affected_components"] == "Dashboard"

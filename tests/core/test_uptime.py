"""Uptime per component and day, on its own: calendar days of the site's zone, weights."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from generator.core.uptime import Uptime, uptimes
from tests.models import status_page

CONFIG = """\
site:
  name: Acme
  url: https://status.acme.example/
  timezone: {zone}
components:
  - {{id: api, name: API}}
  - {{id: web, name: Web}}
uptime_days: 5
"""


def days(uptime: Uptime) -> dict[date, tuple[float, float, str]]:
    return {d.date: (d.seconds, round(d.ratio, 6), d.status) for d in uptime.days}


def test_a_day_of_major_outage_is_zero_even_on_a_23_hour_day(tmp_path: Path) -> None:
    """8 March 2026 has 23 hours in Los Angeles: down all of it is 0.00%, not 4.17%."""
    site = status_page(
        tmp_path,
        CONFIG.format(zone="America/Los_Angeles"),
        {
            "2026-03-08-down": """\
            title: The API is down
            impact: critical
            components: {api: major_outage}
            started: 2026-03-08 00:00
            updates:
              - at: 2026-03-08 00:05
                message: The API is down.
              - at: 2026-03-09 00:00
                status: resolved
                message: The API works again for everyone.
            """
        },
        now="2026-03-10T12:00:00-07:00",
    )
    api = days(uptimes(site)["api"])
    assert api[date(2026, 3, 8)] == (23 * 3600, 0.0, "major_outage")
    assert api[date(2026, 3, 7)] == (24 * 3600, 1.0, "operational")
    assert api[date(2026, 3, 9)][:2] == (24 * 3600, 1.0)


def test_a_25_hour_day_counts_25_hours(tmp_path: Path) -> None:
    site = status_page(
        tmp_path,
        CONFIG.format(zone="Europe/Berlin"),
        {
            "2026-10-25-slow": """\
            title: The API is slow
            impact: major
            components: {api: partial_outage}
            started: 2026-10-25T00:00:00+02:00
            updates:
              - at: 2026-10-25T00:00:00+02:00
                message: The API is slow.
              - at: 2026-10-26T00:00:00+01:00
                status: resolved
                message: The API answers at its usual speed again.
            """
        },
        now="2026-10-27T12:00:00Z",
    )
    seconds, ratio, status = days(uptimes(site)["api"])[date(2026, 10, 25)]
    assert (seconds, status) == (25 * 3600, "partial_outage")
    assert ratio == pytest.approx(0.7)  # partial outage counts at 30%


def test_maintenance_never_lowers_uptime(tmp_path: Path) -> None:
    site = status_page(
        tmp_path,
        CONFIG.format(zone="UTC"),
        {
            "2026-11-20-upgrade": """\
            title: Upgrade
            type: maintenance
            components: {api: major_outage}
            scheduled: {start: 2026-11-20T01:00:00Z, end: 2026-11-20T05:00:00Z}
            updates:
              - at: 2026-11-19T09:00:00Z
                message: The API is down during the window.
            """
        },
        now="2026-11-21T00:00:00Z",
    )
    assert uptimes(site)["api"].percent == "100.00%"


def test_uptime_is_never_rounded_up_to_100(tmp_path: Path) -> None:
    site = status_page(
        tmp_path,
        CONFIG.format(zone="UTC"),
        {
            "2026-11-20-blip": """\
            title: Errors
            impact: critical
            components: {web: major_outage}
            updates:
              - at: 2026-11-20T10:00:00Z
                message: Errors.
              - at: 2026-11-20T10:00:10Z
                status: resolved
                message: Everything works again for everyone.
            """
        },
        now="2026-11-21T00:00:00Z",
    )
    web = uptimes(site)["web"]
    assert web.ratio < 1 and web.percent == "99.99%"
    assert uptimes(site)["api"].percent == "100.00%"


def test_today_counts_only_until_now(tmp_path: Path) -> None:
    site = status_page(tmp_path, CONFIG.format(zone="UTC"), {}, now="2026-11-21T06:00:00Z")
    today = uptimes(site)["api"].days[-1]
    assert (today.date, today.seconds) == (date(2026, 11, 21), 6 * 3600)

"""The figures of a report, by hand: daylight saving, a month boundary, maintenance, a
cancelled window, overlapping incidents, promises; and equal to the uptime bars."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from generator.core.model import StatusPage
from generator.core.reporting import Period, finished_months, monthly, report
from generator.core.times import format_utc, parse_time
from generator.core.uptime import uptimes, uptimes_over
from generator.input.validate import load_repository
from tests.conftest import EXAMPLE
from tests.models import status_page

CONFIG = """\
site:
  name: Acme
  url: https://status.acme.example/
  timezone: Europe/Berlin
components:
  - {id: api, name: API, group: Platform}
  - {id: auth, name: Sign-in, group: Platform}
  - {id: web, name: Web}
uptime_days: 30
"""
BERLIN = "Europe/Berlin"


def minutes(seconds: float) -> float:
    return round(seconds / 60, 4)


def month(site: object, year: int, number: int) -> Period:
    return Period.of_month(year, number, site.config.timezone)  # type: ignore[attr-defined]


def test_the_report_equals_the_uptime_bars_for_the_same_days() -> None:
    """The example, at the last second of November: the bars' 30 days are November's."""
    repository = load_repository(EXAMPLE)
    assert repository.config is not None
    config = replace(repository.config, uptime_days=30)

    now = parse_time("2026-11-30T23:59:59+01:00", config.timezone)
    site = StatusPage.at(config, repository.incidents, now)
    bars = uptimes(site)
    made = report(site, month(site, 2026, 11))
    assert [d.date for d in bars["api"].days] == month(site, 2026, 11).dates
    for figures in made.components:
        uptime = bars[figures.key]
        assert figures.ratio == pytest.approx(uptime.ratio, abs=1e-12)
        assert f"{figures.shown * 100:.2f}%" == uptime.percent
        assert figures.seconds == sum(d.seconds for d in uptime.days)
    assert {f.key: f"{f.shown * 100:.2f}%" for f in made.components} == {
        "api": "99.95%", "webhooks": "100.00%", "auth": "93.45%", "dashboard": "100.00%",
        "payments": "100.00%", "notifications": "100.00%", "mobile": "100.00%",
    }  # fmt: skip


def test_a_25_hour_day_counts_25_hours(tmp_path: Path) -> None:
    """25 October 2026 in Berlin: the clocks go back, the day has 1,500 minutes. Two hours
    of partial outage are 36 weighted minutes of 1,500: 97.60%, not 97.50%."""
    site = status_page(
        tmp_path,
        CONFIG,
        {
            "2026-10-25-slow": """\
            title: The API is slow
            impact: major
            components: {api: partial_outage}
            updates:
              - at: 2026-10-25T01:30:00+02:00
                message: Some API requests fail.
              - at: 2026-10-25T02:30:00+01:00
                status: resolved
                message: The API works again for everyone.
            """
        },
        now="2026-11-01T12:00:00Z",
    )
    day = Period.of_days(date(2026, 10, 25), date(2026, 10, 25), site.config.timezone)
    api = report(site, day).components[0]
    assert minutes(api.seconds) == 1500
    assert minutes(api.durations["partial_outage"]) == 120  # 01:30 CEST to 02:30 CET
    assert minutes(api.downtime) == 36
    assert f"{api.shown * 100:.2f}" == "97.60"
    october = report(site, month(site, 2026, 10)).components[0]
    assert minutes(october.seconds) == 31 * 1440 + 60


def test_a_23_hour_day_counts_23_hours(tmp_path: Path) -> None:
    """29 March 2026 in Berlin: the clocks go forward, the day has 1,380 minutes. Two hours
    of major outage (01:00 CET to 04:00 CEST) are 120 of 1,380: 91.30%, not 91.67%."""
    site = status_page(
        tmp_path,
        CONFIG,
        {
            "2026-03-29-down": """\
            title: The API is down
            impact: critical
            components: {api: major_outage}
            updates:
              - at: 2026-03-29T01:00:00+01:00
                message: The API does not answer.
              - at: 2026-03-29T04:00:00+02:00
                status: resolved
                message: The API answers again for everyone.
            """
        },
        now="2026-04-01T12:00:00Z",
    )
    day = Period.of_days(date(2026, 3, 29), date(2026, 3, 29), site.config.timezone)
    api = report(site, day).components[0]
    assert minutes(api.seconds) == 1380
    assert minutes(api.durations["major_outage"]) == minutes(api.downtime) == 120
    assert f"{api.shown * 100:.2f}" == "91.30"
    assert api.ratio == uptimes_over(site, day.dates)["api"].ratio
    march = report(site, month(site, 2026, 3)).components[0]
    assert minutes(march.seconds) == 31 * 1440 - 60
    assert minutes(march.durations["operational"]) == 31 * 1440 - 60 - 120


def test_every_month_at_once_is_each_month_by_itself() -> None:
    """The published reports count every month in one pass: the same figures as the
    command's report of each month, for the example's months."""
    repository = load_repository(EXAMPLE)
    assert repository.config is not None
    now = parse_time("2026-12-07T00:00:00Z", repository.config.timezone)
    site = StatusPage.at(repository.config, repository.incidents, now)
    reports = monthly(site)
    assert [r.period.name for r in reports] == ["2026-11", "2026-10", "2026-09", "2026-08"]
    for made in reports:
        counted = report(site, made.period)
        assert made == replace(counted, now=made.now), made.period.name
    # made when their figures stopped changing: the months whose incidents are all over
    # at their end (or at a later all clear); November's single sign-on is still open
    assert [format_utc(r.now) for r in reports] == [
        "2026-12-07T00:00:00Z",
        "2026-10-31T23:00:00Z",
        "2026-09-30T22:00:00Z",
        "2026-08-31T22:00:00Z",
    ]


def test_an_incident_across_a_month_boundary_counts_in_both_months(tmp_path: Path) -> None:
    site = status_page(
        tmp_path,
        CONFIG,
        {
            "2026-10-31-down": """\
            title: The website is down
            impact: critical
            components: {web: major_outage}
            started: 2026-10-31T23:00:00+01:00
            updates:
              - at: 2026-10-31T23:20:00+01:00
                message: The website does not load.
              - at: 2026-11-01T01:00:00+01:00
                status: resolved
                message: The website loads again for everyone.
            """
        },
        now="2026-12-07T00:00:00Z",
    )
    october, november = (report(site, month(site, 2026, n)) for n in (10, 11))
    for made in (october, november):
        web = made.components[2]
        assert minutes(web.durations["major_outage"]) == 60
        assert web.by_impact["critical"] == ("2026-10-31-down",)
        assert web.down == ("2026-10-31-down",)
        # what is known of the incident is told whole, in both months
        assert web.resolution.times == ((100 * 60.0, "2026-10-31-down"),)
        assert made.communication.first_updates == ((20 * 60.0, "2026-10-31-down"),)
    assert minutes(october.components[2].downtime) == 60
    # published, each month is made when the incident's all clear came (1 November):
    # a build of 7 December and one of any later day write the same bytes
    resolved = parse_time("2026-11-01T01:00:00+01:00", site.config.timezone)
    assert monthly(site) == [
        replace(november, now=november.period.end),
        replace(october, now=resolved),
    ]
    assert finished_months(site) == [(2026, 11), (2026, 10)]


def test_maintenance_shows_its_time_and_never_lowers_uptime(tmp_path: Path) -> None:
    """A window of two hours, in progress by itself (scheduled, then the window opens) and
    overrun by 30 minutes with an update; an incident inside it wins the moment."""
    site = status_page(
        tmp_path,
        CONFIG,
        {
            "2026-11-10-upgrade": """\
            title: Database upgrade
            type: maintenance
            components: [api, auth]
            scheduled: {start: 2026-11-10T02:00:00+01:00, end: 2026-11-10T04:00:00+01:00}
            updates:
              - at: 2026-11-05T09:00:00Z
                message: The API is read-only during the window.
              - at: 2026-11-10T02:00:00+01:00
                status: in_progress
                message: The upgrade has begun.
              - at: 2026-11-10T04:30:00+01:00
                status: completed
                message: The upgrade is done.
            """,
            "2026-11-10-errors": """\
            title: Sign-in fails
            impact: critical
            components: {auth: major_outage}
            updates:
              - at: 2026-11-10T03:00:00+01:00
                message: Sign-in fails.
              - at: 2026-11-10T03:15:00+01:00
                status: resolved
                message: Sign-in works again for everyone.
            """,
        },
        now="2026-12-07T00:00:00Z",
    )
    made = report(site, month(site, 2026, 11))
    api, auth, web = made.components
    assert minutes(api.durations["under_maintenance"]) == 150
    assert api.downtime == 0 and api.shown == 1.0
    assert api.behind["under_maintenance"] == ("2026-11-10-upgrade",)
    assert minutes(auth.durations["under_maintenance"]) == 135
    assert minutes(auth.durations["major_outage"]) == 15
    assert minutes(auth.downtime) == 15
    assert minutes(web.durations["operational"]) == 30 * 1440
    assert api.maintenance == ("2026-11-10-upgrade",) and web.maintenance == ()
    (work,) = made.maintenance
    assert (work.status, minutes(work.seconds)) == ("completed", 150)
    # the bars count the same days the same way: maintenance nowhere, the incident once
    bars = uptimes_over(site, month(site, 2026, 11).dates)
    assert bars["auth"].ratio == pytest.approx(auth.ratio)


def test_a_scheduled_window_counts_by_itself_and_a_cancelled_one_counts_nothing(
    tmp_path: Path,
) -> None:
    window = """\
title: {title}
type: maintenance
components: [{component}]
scheduled: {{start: 2026-11-15T06:00:00+01:00, end: 2026-11-15T07:00:00+01:00}}
updates:
  - at: 2026-11-12T09:00:00Z
    message: Payouts pause for one hour.
"""
    site = status_page(
        tmp_path,
        CONFIG,
        {
            "2026-11-15-kept": window.format(title="Kept", component="api"),
            "2026-11-15-cancelled": window.format(title="Cancelled", component="web")
            + """\
  - at: 2026-11-14T16:00:00Z
    status: cancelled
    message: We have cancelled this maintenance.
""",
        },
        now="2026-12-07T00:00:00Z",
    )
    made = report(site, month(site, 2026, 11))
    api, _auth, web = made.components
    assert minutes(api.durations["under_maintenance"]) == 60  # in progress by its window
    assert minutes(web.durations["under_maintenance"]) == 0
    assert web.maintenance == ("2026-11-15-cancelled",)
    statuses = {w.maintenance.id: (w.status, w.seconds) for w in made.maintenance}
    assert statuses == {"2026-11-15-kept": ("completed", 3600.0),
                        "2026-11-15-cancelled": ("cancelled", 0.0)}  # fmt: skip


def test_two_incidents_at_once_count_their_common_time_once(tmp_path: Path) -> None:
    incident = """\
    title: {title}
    impact: critical
    components: {{api: major_outage}}
    updates:
      - at: {start}
        message: The API fails.
      - at: {end}
        status: resolved
        message: The API works again for everyone.
    """
    site = status_page(
        tmp_path,
        CONFIG,
        {
            "2026-11-02-a": incident.format(
                title="A", start="2026-11-02T10:00:00Z", end="2026-11-02T12:00:00Z"
            ),
            "2026-11-02-b": incident.format(
                title="B", start="2026-11-02T11:00:00Z", end="2026-11-02T13:00:00Z"
            ),
        },
        now="2026-11-03T00:00:00Z",
    )
    bars = uptimes(site)["api"]
    day = next(d for d in bars.days if d.date == date(2026, 11, 2))
    assert minutes(day.downtime) == 180  # 10:00 to 13:00, not 240
    assert [i.id for i in day.incidents] == ["2026-11-02-b", "2026-11-02-a"]  # the page's order
    made = report(site, Period.of_days(day.date, day.date, site.config.timezone))
    assert minutes(made.components[0].downtime) == 180
    assert made.components[0].down == ("2026-11-02-a", "2026-11-02-b")


def test_groups_and_the_site_are_the_mean_of_their_components(tmp_path: Path) -> None:
    site = status_page(
        tmp_path,
        CONFIG,
        {
            "2026-11-02-down": """\
            title: The API is down
            impact: critical
            components: {api: major_outage}
            updates:
              - at: 2026-11-02T00:00:00+01:00
                message: The API is down.
              - at: 2026-11-03T00:00:00+01:00
                status: resolved
                message: The API works again for everyone.
            """
        },
        now="2026-12-07T00:00:00Z",
    )
    made = report(site, month(site, 2026, 11))
    api = made.components[0]
    assert api.ratio == pytest.approx(29 / 30)
    (platform,) = made.groups
    assert platform.members == ("api", "auth")
    assert platform.ratio == pytest.approx((29 / 30 + 1) / 2)
    assert minutes(platform.durations["major_outage"]) == 720
    assert platform.by_impact["critical"] == ("2026-11-02-down",)
    assert made.overall.ratio == pytest.approx((29 / 30 + 2) / 3)
    assert made.overall.incidents == ("2026-11-02-down",)
    assert made.groups[0].resolution.mean == 24 * 3600


def test_communication_promises_silence_and_the_all_clear(tmp_path: Path) -> None:
    site = status_page(
        tmp_path,
        CONFIG,
        {
            "2026-11-20-told": """\
            title: Sign-in fails
            impact: major
            components: {auth: partial_outage}
            started: 2026-11-20T09:30:00Z
            updates:
              - at: 2026-11-20T09:45:00Z
                message: Sign-in fails for some.
                next_update: 2026-11-20T10:15:00Z
              - at: 2026-11-20T10:15:00Z
                status: identified
                message: We found the cause.
                next_update: 2026-11-20T11:00:00Z
              - at: 2026-11-20T11:30:00Z
                status: resolved
                message: Sign-in works again for everyone.
            """,
            "2026-11-30-open": """\
            title: The website is slow
            impact: minor
            components: [web]
            updates:
              - at: 2026-11-30T10:00:00Z
                message: Pages load slowly.
                next_update: 2026-12-08T10:00:00Z
            """,
        },
        now="2026-12-01T10:00:00Z",
    )
    made = report(site, month(site, 2026, 11))
    told, still = made.incidents
    assert told.telling.to_first_update == 15 * 60
    assert (told.telling.silence, told.telling.all_clear) == (75 * 60, True)
    assert [p.outcome for p in told.telling.promises] == ["kept", "broken"]
    assert told.to_resolve == 105 * 60
    assert still.telling.silence == 24 * 3600  # open: until now
    assert [p.outcome for p in still.telling.promises] == ["pending"]
    assert (still.to_resolve, still.telling.all_clear) == (None, False)
    total = made.communication
    assert total.kept == ("2026-11-20-told",)
    assert total.broken == ("2026-11-20-told",)
    assert total.pending == ("2026-11-30-open",)
    assert total.no_all_clear == ("2026-11-30-open",)
    assert total.longest_silence == (24 * 3600, "2026-11-30-open")
    assert made.overall.resolution.unresolved == ("2026-11-30-open",)


def test_a_period_reaching_past_now_counts_until_now(tmp_path: Path) -> None:
    site = status_page(tmp_path, CONFIG, {}, now="2026-11-10T12:00:00+01:00")
    made = report(site, month(site, 2026, 11))
    assert not made.complete
    assert minutes(made.overall.seconds) == 9 * 1440 + 12 * 60
    assert made.period.dates[-1] == date(2026, 11, 30)
    assert made.period.end - made.period.start == timedelta(days=30)

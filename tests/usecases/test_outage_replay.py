"""The outage of issue 23, replayed from the terminal, from ``apply`` and from the phone
form's event payload: after each step, the built page, a feed, ``summary.json`` and an
SMS-length message show what that step said.

The outage: the dashboard and the API fail (major outage of both); the cause is found; the
rollback completes and both components are back while the incident is watched; the all
clear. The third step is the one that went wrong before: its components and impact must
reach every output."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import feedparser  # type: ignore[import-untyped]
import pytest

from generator.core.model import StatusPage
from generator.core.routes import Routes, short_ids
from generator.core.times import format_utc, parse_time
from generator.input.validate import load_repository
from generator.notify.events import Event
from generator.notify.messages import Composer
from tests.conftest import Repo

TITLE = "The dashboard and the API return errors"


@dataclass(frozen=True)
class Step:
    action: str
    at: str
    message: str
    status: str
    fields: dict[str, str] = field(default_factory=dict)
    #: What each component shows once this step is published.
    shows: dict[str, str] = field(default_factory=dict)


STEPS = (
    Step(
        "new",
        "2026-11-20T09:00:00Z",
        "The dashboard and the API return errors for most customers. We are investigating.",
        "investigating",
        {"title": TITLE, "components": "dashboard=major_outage, api=major_outage",
         "impact": "critical", "next_update": "30m"},
        {"dashboard": "major_outage", "api": "major_outage"},
    ),
    Step(
        "update",
        "2026-11-20T09:20:00Z",
        "We found the cause, a faulty release, and are rolling it back.",
        "identified",
        {"next_update": "10:15"},  # a time of day in Berlin: 09:15 UTC
        {"dashboard": "major_outage", "api": "major_outage"},
    ),
    Step(
        "update",
        "2026-11-20T09:50:00Z",
        "The rollback is complete and error rates are back to normal. We are watching closely.",
        "monitoring",
        {"components": "dashboard=operational, api=operational", "impact": "minor"},
        {"dashboard": "operational", "api": "operational"},
    ),
    Step(
        "resolve",
        "2026-11-20T10:10:00Z",
        "The dashboard and the API work normally again. We are sorry for the disruption.",
        "resolved",
        {},
        {"dashboard": "operational", "api": "operational"},
    ),
)  # fmt: skip


def by_terminal(repo: Repo, step: Step) -> None:
    options = ["--message", step.message, "--at", step.at]
    if step.action != "resolve" and step.action != "new":
        options += ["--status", step.status]
    for name, value in step.fields.items():
        if name == "title":
            continue
        if name == "components":
            for item in value.split(", "):
                options += ["--component", item]
        else:
            options += [f"--{name.replace('_', '-')}", value]
    args = [step.action, step.fields["title"]] if step.action == "new" else [step.action]
    result = repo.run(*args, *options)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().startswith("incidents/")  # the path, for the next command
    said = {"new": "new ", "update": "update to ", "resolve": "all clear for "}[step.action]
    assert result.stderr.startswith(said), result.stderr


def _apply(repo: Repo, payload: dict[str, Any], now: str) -> None:
    path = repo.root / "action.json"
    path.write_text(json.dumps(payload), encoding="utf-8")
    result = repo.run("apply", str(path), "--now", now)
    path.unlink()
    assert result.exit_code == 0, result.output


def by_apply(repo: Repo, step: Step) -> None:
    payload = {"action": step.action, "message": step.message, "at": step.at, **step.fields}
    if step.action == "update":
        payload["status"] = step.status
    _apply(repo, payload, step.at)


def by_form(repo: Repo, step: Step) -> None:
    """What GitHub sends for the Incident workflow's form: every input, as text, empty or
    "auto" where the person left it."""
    inputs = {
        "action": step.action, "incident": "", "title": "", "components": "",
        "impact": "auto", "status": "auto", "message": step.message, "next_update": "",
        "regions": "", "review": "false",
    }  # fmt: skip
    inputs |= step.fields
    if step.action == "update":
        inputs["status"] = step.status
    inputs["at"] = step.at  # (the form has no field for it: the replay needs its times)
    _apply(repo, {"inputs": inputs, "ref": "refs/heads/main"}, step.at)


@dataclass
class Published:
    root: Path

    def read(self, path: str) -> str:
        return (self.root / "site" / path).read_text(encoding="utf-8")


def build(repo: Repo, now: str) -> Published:
    result = repo.run("build", "--now", now, "--out", "site")
    assert result.exit_code == 0, result.output
    return Published(repo.root)


def sms(repo: Repo, now: datetime) -> str:
    """The message an SMS channel (160 characters) gets for the latest update."""
    repository = load_repository(repo.root)
    assert repository.config is not None
    page = StatusPage.at(repository.config, repository.incidents, now)
    (incident,) = page.incidents
    latest = incident.latest_update
    kind = {"investigating": "created", "resolved": "resolved"}.get(latest.status, "updated")
    event = Event(latest.id, kind, latest.at, incident, latest, latest.status)  # type: ignore[arg-type]
    # the short links the site publishes, as notify finds them
    shorts = short_ids((i.first_update.at, i.id) for i in repository.incidents)
    composer = Composer(page.config, Routes(page.config.url), shorts=shorts)
    return composer.message(event, "text", False, 160, sms=True).body


@pytest.mark.slow
@pytest.mark.parametrize("driver", [by_terminal, by_apply, by_form], ids=["cli", "apply", "form"])
def test_each_step_reaches_the_page_a_feed_the_api_and_an_sms(
    repo: Repo, driver: Callable[[Repo, Step], None]
) -> None:
    for number, step in enumerate(STEPS):
        driver(repo, step)
        moment = parse_time(step.at, UTC) + timedelta(minutes=1)
        now = format_utc(moment)
        site = build(repo, now)
        summary = json.loads(site.read("api/v2/summary.json"))
        statuses = {c["id"]: c["status"] for c in summary["components"]}
        for component, status in step.shows.items():
            assert statuses[component] == status, (number, component, statuses)
        front = site.read("index.html")
        entry = feedparser.parse(site.read("updates.atom")).entries[0]
        assert step.message in entry.content[0].value, number
        text = sms(repo, moment)
        assert len(text) <= 160, text
        assert step.message[:40] in text, (number, text)  # the update's own words
        assert "/i/" in text and "\u2026" not in text  # the short link; GSM-7's "..."
        if step.action == "resolve":
            assert summary["incidents"] == []
            assert summary["status"]["indicator"] == "none"
            assert "All Systems Operational" in front
            assert entry.title.startswith("Resolved: ")
            continue
        (incident,) = summary["incidents"]
        assert incident["status"] == step.status
        assert step.message in front
        assert entry.title.startswith(step.status.capitalize() + ": ")
        if number == 2:  # back, and watched: neither the banner nor the API says outage
            assert incident["impact"] == "minor"
            assert summary["status"]["indicator"] == "minor"
            assert "Major System Outage" not in front
            assert {c["id"]: c["status"] for c in incident["components"]} == {
                "dashboard": "operational",
                "api": "operational",
            }
        if number == 1:  # the promise made as a time of day
            assert "Next update by" in front

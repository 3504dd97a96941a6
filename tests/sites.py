"""A small built repository for the tests of feeds, the API, the calendar and badges."""

from __future__ import annotations

from datetime import UTC
from pathlib import Path

from click.testing import CliRunner

from generator.builder.pipeline import OUTPUTS
from generator.cli import main
from generator.core.model import StatusPage
from generator.core.routes import Routes, site_url
from generator.core.times import parse_time
from generator.input.theme import theme_dirs
from generator.input.validate import load_repository
from generator.outputs import Context
from tests.conftest import Repo
from tests.example import REFERENCE

#: The example's reference moment, which other test files import from here.
NOW = REFERENCE

CONFIG = """\
site:
  name: Acme Cloud Status
  url: https://status.acme.example/
  timezone: Europe/Berlin
components:
  - {id: api, name: Public API, group: Platform}
  - {id: auth, name: Sign-in, group: Platform}
  - {id: dashboard, name: Dashboard}
"""

FILES = {
    "2026-11-24-sign-in": """\
title: Some customers cannot sign in
impact: major
components: {auth: partial_outage}
started: 2026-11-24T09:52:00Z
updates:
  - at: 2026-11-24T10:04:00Z
    message: Some customers in the EU <b>cannot</b> sign in. <script>alert(1)</script>
    next_update: 2026-11-24T10:45:00Z
  - at: 2026-11-24T10:25:00Z
    status: identified
    message: |
      We found the cause.
      We are undoing a change.
""",
    "2026-11-10-api": """\
title: API requests fail
impact: critical
components: [api, dashboard]
updates:
  - at: 2026-11-10T14:00:00Z
    message: Requests fail.
  - at: 2026-11-10T14:30:00Z
    status: monitoring
    message: A fix is out.
    components: {dashboard: operational}
  - at: 2026-11-10T15:10:00Z
    status: resolved
    message: The API works again.
""",
    "2026-11-28-upgrade": """\
title: API upgrade
type: maintenance
components: [api]
scheduled: {start: 2026-11-28T01:00:00Z, end: 2026-11-28T03:00:00Z}
updates:
  - at: 2026-11-21T09:00:00Z
    message: The API is read-only during the window.
""",
    "2026-11-14-cancelled": """\
title: Dashboard maintenance
type: maintenance
components: [dashboard]
scheduled: {start: 2026-11-15T05:00:00Z, end: 2026-11-15T06:00:00Z}
updates:
  - at: 2026-11-12T09:00:00Z
    message: Planned.
  - at: 2026-11-14T16:00:00Z
    status: cancelled
    message: Cancelled; a new date follows.
""",
    "2026-10-01-done": """\
title: Sign-in maintenance
type: maintenance
components: {auth: under_maintenance}
scheduled: {start: 2026-10-04T00:00:00Z, end: 2026-10-04T01:00:00Z}
updates:
  - at: 2026-10-01T09:00:00Z
    message: Planned.
""",
}


def write_repository(root: Path, files: dict[str, str] | None = None) -> Path:
    Repo.at(root, CONFIG)
    (root / "incidents").mkdir(parents=True, exist_ok=True)
    for name, text in (FILES if files is None else files).items():
        (root / "incidents" / f"{name}.yml").write_text(text, encoding="utf-8")
    return root


def build(root: Path, *args: str, now: str = NOW) -> Path:
    out = root / "site"
    result = CliRunner().invoke(
        main, ["build", "--root", str(root), "--out", str(out), "--now", now, *args]
    )
    assert result.exit_code == 0, result.output
    return out


def render_outputs(root: Path, *, base_url: str | None = None, now: str = NOW) -> Path:
    """The feeds, API, calendar, badges and sitemap of the repository at ``root``, as pure
    functions of its model write them (no page shell, no build): into ``root/outputs``."""
    repository = load_repository(root)
    assert repository.ok and repository.config is not None, repository.diagnostics
    moment = parse_time(now, UTC)
    site = StatusPage.at(repository.config, repository.incidents, moment)
    url = site_url(base_url or repository.config.url)
    context = Context(site, Routes(url), tuple(theme_dirs(root)))
    out = root / "outputs"
    for _, output in OUTPUTS:
        for path, data in output(context):
            target = out / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    return out

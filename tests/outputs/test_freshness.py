"""How current a built site is, without a browser: ``site.refresh`` and ``stale_after``,
live.json, the build's id, and pages whose bytes change only with what they show (SPEC:
Freshness and publishing). tests/test_live_browser.py reads the same pages in Chromium."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import CONFIG, Repo, dedent
from tests.example import REFERENCE as NOW

LATER = "2026-11-24T10:45:00Z"  # nothing changes by itself in between

OPEN = """\
title: Some customers cannot sign in
impact: major
components: {auth: partial_outage}
updates:
  - at: 2026-11-24T10:04:00Z
    status: investigating
    message: Some customers cannot sign in.
    next_update: 2026-11-24T11:00:00Z
internal:
  ticket: OPS-1
"""

RESOLVED = """\
title: API errors
impact: minor
components: [api]
updates:
  - at: 2026-11-02T10:00:00Z
    message: The API fails.
  - at: 2026-11-02T11:00:00Z
    status: resolved
    message: The API works again.
"""

MAINTENANCE = """\
title: Dashboard upgrade
type: maintenance
components: [dashboard]
scheduled: {start: 2026-11-25T01:00:00Z, end: 2026-11-25T02:00:00Z}
updates:
  - at: 2026-11-20T10:00:00Z
    message: The dashboard is read-only during the window.
"""


@pytest.fixture
def site(repo: Repo) -> Repo:
    repo.change_config("  timezone:", "  refresh: 15m\n  timezone:")
    repo.incident("2026-11-24-sign-in", OPEN)
    repo.incident("2026-11-02-api", RESOLVED)
    repo.incident("2026-11-20-upgrade", MAINTENANCE)
    return repo


def build(repo: Repo, out: str, now: str = NOW, *args: str) -> Path:
    result = repo.run("build", "--now", now, "--out", out, *args)
    assert result.exit_code == 0, result.output
    return repo.root / out


def live(folder: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads((folder / "live.json").read_text(encoding="utf-8"))
    return data


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*.html")}


# site.refresh and site.stale_after ---------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "problem"),
    [
        ("  stale_after: 2h\n", "site.stale_after needs site.refresh"),
        ("  refresh: 15m\n  stale_after: 10m\n", "is not longer than site.refresh"),
        ("  refresh: soon\n", "'soon' is not a duration"),
        ("  refresh: 90s\n", "not a whole number of minutes"),
        ("  refresh: 8d\n", "not a whole number of minutes from 1m to 7d"),
    ],
)
def test_freshness_settings_are_checked(repo: Repo, lines: str, problem: str) -> None:
    repo.change_config("  timezone:", lines + "  timezone:")
    result = repo.run("check")
    assert result.exit_code == 1
    assert problem in result.stdout
    assert re.match(r"site_config\.yml:[45]:\d+: error: ", result.stdout)


def test_without_refresh_no_page_warns_and_live_json_says_so(repo: Repo) -> None:
    repo.incident("2026-11-02-api", RESOLVED)
    out = build(repo, "site")
    assert live(out)["refresh_minutes"] is None
    body = (out / "index.html").read_text(encoding="utf-8").split("</head>", 1)[1]
    assert "sg-stale" not in body  # (the head's stylesheet has its rule)


def test_stale_after_defaults_to_four_refreshes_and_at_least_an_hour(repo: Repo) -> None:
    for refresh, seconds in [("15m", 3600), ("30m", 7200), ("5m", 3600)]:
        repo.write(
            "site_config.yml", CONFIG.replace("  timezone:", f"  refresh: {refresh}\n  timezone:")
        )
        index = (build(repo, f"site-{refresh}") / "index.html").read_text(encoding="utf-8")
        assert f'data-sg-stale="{seconds}"' in index
        assert live(repo.root / f"site-{refresh}")["refresh_minutes"] == int(refresh[:-1])


# live.json ---------------------------------------------------------------------------------


def test_live_json_names_the_build_its_moment_and_the_recent_incidents(site: Repo) -> None:
    out = build(site, "site", NOW, "--build-id", "abc123-42")
    data = live(out)
    assert data["build"] == "abc123-42"
    assert data["built_at"] == NOW
    assert data["refresh_minutes"] == 15
    assert isinstance(data["state"], str) and len(data["state"]) == 16
    # open or updated in the last 7 days, with the time of its latest update; the
    # resolved incident of 22 days ago is not news
    assert data["incidents"] == {
        "2026-11-24-sign-in": "2026-11-24T10:04:00Z",
        "2026-11-20-upgrade": "2026-11-20T10:00:00Z",
    }
    assert len((out / "live.json").read_bytes()) <= 4096


def test_live_json_stays_under_4_kb_with_many_open_incidents(site: Repo) -> None:
    for number in range(120):
        site.incident(f"2026-11-24-open-{number:03d}", OPEN)
    out = build(site, "site")
    data = live(out)
    assert len((out / "live.json").read_bytes()) <= 4096
    assert 20 < len(data["incidents"]) < 120  # type: ignore[arg-type]


def test_the_build_id_comes_from_github_else_from_the_inputs(
    site: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    one, two = build(site, "one"), build(site, "two")
    assert live(one)["build"] == live(two)["build"]  # the same inputs, the same id
    assert (one / "live.json").read_bytes() == (two / "live.json").read_bytes()
    assert live(build(site, "later", LATER))["build"] != live(one)["build"]
    monkeypatch.setenv("GITHUB_SHA", "0123abcd")
    monkeypatch.setenv("GITHUB_RUN_ID", "987")
    assert live(build(site, "github"))["build"] == "0123abcd-987"
    assert live(build(site, "given", NOW, "--build-id", "mine"))["build"] == "mine"


@pytest.mark.parametrize("given", ["", "a b", "x" * 101, "a/b", 'a"b'])
def test_a_build_id_that_would_break_live_json_is_refused(site: Repo, given: str) -> None:
    result = site.run("build", "--now", NOW, "--build-id", given)
    assert result.exit_code == 2
    assert "is not a build id" in result.output
    assert not (site.root / "site").exists()


# the state: it changes with what readers see, never with a build alone ---------------------


@pytest.mark.slow
def test_the_state_changes_with_what_readers_see_and_only_then(site: Repo) -> None:
    first = live(build(site, "first"))["state"]
    # later, and past the promise and into the maintenance window: time alone
    assert live(build(site, "later", LATER))["state"] == first
    assert live(build(site, "window", "2026-11-25T01:30:00Z"))["state"] == first
    # what only the team sees, and a comment
    site.incident("2026-11-24-sign-in", OPEN.replace("OPS-1", "OPS-2") + "# a note\n")
    assert live(build(site, "internal"))["state"] == first
    # a new update
    site.incident(
        "2026-11-24-sign-in",
        OPEN.replace(
            "internal:", "  - {at: 2026-11-24T10:20:00Z, message: We found the cause.}\ninternal:"
        ),
    )
    updated = live(build(site, "updated"))
    assert updated["state"] != first
    assert updated["incidents"]["2026-11-24-sign-in"] == "2026-11-24T10:20:00Z"  # type: ignore[index]


def test_a_component_renamed_is_news_too(site: Repo) -> None:
    first = live(build(site, "first"))["state"]
    site.config(CONFIG.replace("name: Sign-in", "name: Single sign-on"))
    assert live(build(site, "renamed"))["state"] != first


def test_an_update_dated_later_is_news_only_once_it_is_shown(site: Repo) -> None:
    site.incident(
        "2026-11-24-sign-in",
        OPEN.replace(
            "internal:",
            "  - {at: 2026-11-24T10:40:00Z, message: The fix is rolling out.}\ninternal:",
        ),
    )
    before = build(site, "before")
    assert b"The fix is rolling out" not in b"".join(files(before).values())
    after = build(site, "after", LATER)
    assert live(after)["state"] != live(before)["state"]


# pages change only when what they show does ------------------------------------------------


def test_a_rebuild_that_changed_nothing_changes_no_page_but_the_front_page(site: Repo) -> None:
    """A page never carries the build's id or moment (it reads them from live.json): a
    scheduled rebuild re-uploads only what changed. The front page and the embed's page
    say "As of"."""
    first = files(build(site, "first", NOW, "--build-id", "build-7f3e9a"))
    second = files(build(site, "second", LATER, "--build-id", "build-c41d07"))
    assert first.keys() == second.keys()
    changed = sorted(path for path in first if first[path] != second[path])
    assert changed == ["embed/index.html", "index.html"]
    assert not [path for path, data in first.items() if b"build-7f3e9a" in data]


def test_every_page_says_where_live_json_is_and_can_warn(site: Repo) -> None:
    out = build(site, "site")
    for path, data in files(out).items():
        if path == "404.html" or path.startswith(("embed/", "i/")):  # (i/: short links)
            continue
        text = data.decode("utf-8")
        depth = path.count("/")
        assert f'data-sg-live="{"../" * depth}live.json"' in text, path
        assert 'class="sg-stale" role="alert" hidden' in text, path
        assert 'class="sg-news" role="status"' in text, path
    front = (out / "index.html").read_text(encoding="utf-8")
    assert f'data-sg-state="{live(out)["state"]}" data-sg-built="{NOW}"' in front
    page = (out / "incidents/2026-11-24-sign-in/index.html").read_text(encoding="utf-8")
    assert 'data-sg-incident="2026-11-24-sign-in" data-sg-latest="2026-11-24T10:04:00Z"' in page


def test_the_stale_warning_names_where_else_to_look(site: Repo) -> None:
    site.write(
        "site_config.yml",
        CONFIG.replace("  timezone:", "  refresh: 15m\n  support_url: https://acme.example/help\n"
                       "  links: [{name: Acme blog, url: https://blog.acme.example/}]\n  timezone:")
        + dedent("""
            notify:
              channels:
                - id: push
                  url: ntfy://${NTFY_TOPIC}
                  name: Push notifications
                  join: https://ntfy.sh/acme-status
            """),
    )  # fmt: skip
    front = (build(site, "site") / "index.html").read_text(encoding="utf-8")
    stale = front[front.index('class="sg-stale"') :]
    stale = stale[: stale.index("</div>")]
    assert "This page may not be current" in stale
    for link in (
        "https://blog.acme.example/",
        "https://acme.example/help",
        "https://ntfy.sh/acme-status",
    ):
        assert f'href="{link}"' in stale


def test_a_language_under_its_prefix_reads_the_one_live_json_at_the_root(site: Repo) -> None:
    site.write(
        "site_config.yml",
        CONFIG.replace("  timezone:", "  refresh: 15m\n  languages: [en, de]\n  timezone:"),
    )
    out = build(site, "site")
    assert not (out / "de/live.json").exists()
    german = (out / "de/index.html").read_text(encoding="utf-8")
    assert 'data-sg-live="../live.json"' in german
    # one state for every language: the German front page carries the root's
    assert f'data-sg-state="{live(out)["state"]}"' in german
    incident = (out / "de/incidents/2026-11-24-sign-in/index.html").read_text(encoding="utf-8")
    assert 'data-sg-live="../../../live.json"' in incident

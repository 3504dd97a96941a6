"""statusgen build: the files it writes, and the traps of mkdocs it must not fall into."""

from __future__ import annotations

import errno
import gzip
import os
import re
from pathlib import Path
from typing import Any

import pytest

from generator.builder import staging
from generator.builder.report import UsageError, other_files
from generator.outputs.html import COMPONENT_PAGE_SIZE, MONTH_PAGE_SIZE
from tests.conftest import INCIDENT, Repo, dedent
from tests.trees import same_tree, snapshot

NOW = "2026-11-24T10:30:00Z"

OPEN = """\
title: Some customers cannot sign in
impact: major
components: {auth: partial_outage}
regions: [EU]
updates:
  - at: 2026-11-24T10:04:00Z
    message: Some customers in the EU cannot sign in.
    next_update: 2026-11-24T10:45:00Z
workaround: Use an API token.
internal:
  ticket: OPS-9876-SECRET
"""

RESOLVED = """\
title: API errors
impact: critical
components: [api]
updates:
  - at: 2026-11-02T10:00:00Z
    message: The API fails.
  - at: 2026-11-02T11:00:00Z
    status: resolved
    message: The API works again.
compensation: A credit of 10%.
postmortem: https://acme.example/pm
"""

MAINTENANCE = """\
title: Dashboard upgrade
type: maintenance
components: [dashboard]
scheduled: {start: 2026-12-02T01:00:00Z, end: 2026-12-02T02:00:00Z}
updates:
  - at: 2026-11-20T10:00:00Z
    message: The dashboard is read-only during the window.
"""


def build(repo: Repo, *args: str) -> str:
    result = repo.run("build", "--now", NOW, *args)
    assert result.exit_code == 0, result.output
    return result.stderr


def read(repo: Repo, path: str, out: str = "site") -> str:
    return (repo.root / out / path).read_text(encoding="utf-8")


@pytest.fixture
def site(repo: Repo) -> Repo:
    repo.incident("2026-11-24-sign-in", OPEN)
    repo.incident("2026-11-02-api", RESOLVED)
    repo.incident("2026-11-20-upgrade", MAINTENANCE)
    return repo


def test_build_writes_every_page_of_the_spec(site: Repo) -> None:
    output = build(site)
    assert re.fullmatch(
        r"Built site: 9 pages \(9 rendered, 0 from the cache\), 10 feeds and 19 other files "
        r"\(API, calendar, badges, embed, short links\) for 3 incidents in \d+\.\d s\n",
        output,
    )
    for path in [
        "index.html",
        "404.html",
        "incidents/2026-11-24-sign-in/index.html",
        "incidents/2026-11-02-api/index.html",
        "incidents/2026-11-20-upgrade/index.html",
        "history/index.html",
        "history/2026/11/index.html",
        "components/api/index.html",
        "components/auth/index.html",
        "components/dashboard/index.html",
        "assets/javascripts/statusgen.js",
    ]:
        assert (site.root / "site" / path).is_file(), path
    # statusgen's stylesheet is in every page's head (the first paint waits for no file)
    assert not (site.root / "site/assets/stylesheets/statusgen.css").exists()
    assert ".sg-banner" in read(site, "index.html").split("</head>")[0]


def test_the_front_page_answers_the_questions_of_an_outage(site: Repo) -> None:
    build(site)
    index = read(site, "index.html")
    assert "<h1>Partial System Outage</h1>" in index
    assert "Some customers cannot sign in" in index
    assert "Sign-in (partial outage)" in index  # what, and how badly
    assert '<span class="sg-k">Where:</span> EU' in index  # scope
    assert 'Since <time datetime="2026-11-24T10:04:00Z" data-sg="since">' in index
    assert 'Next update by <time datetime="2026-11-24T10:45:00Z" data-sg="next">' in index
    # the promise falls due within the build's horizon: the page also says it is late
    # from 10:45 on, in a variant the browser shows then (hidden until then)
    assert '<div data-sg-from="2026-11-24T10:45:00Z" hidden>' in index
    assert "(overdue)" in index
    assert "Use an API token." in index  # workaround
    assert "Upcoming maintenance" in index and "Dashboard upgrade" in index


def test_internal_never_reaches_the_site(site: Repo) -> None:
    """Every file the build writes, whatever its type, compressed ones opened."""
    build(site)
    written = snapshot(site.root / "site")
    assert {name.rsplit(".", 1)[-1] for name in written} >= {
        "html", "xml", "gz", "json", "atom", "rss", "ics", "svg", "css", "js"
    }  # fmt: skip
    for name, data in written.items():
        if name.endswith(".gz"):
            data = gzip.decompress(data)
        assert b"OPS-9876" not in data, name
        assert b"SECRET" not in data, name


def test_incident_page_shows_the_whole_story(site: Repo) -> None:
    build(site)
    page = read(site, "incidents/2026-11-02-api/index.html")
    assert "<h1>API errors</h1>" in page
    assert "Critical impact" in page
    assert "Public API (major outage)" in page
    assert "after 1 hr" in page
    assert page.index("The API works again.") < page.index("The API fails.")  # newest first
    assert "A credit of 10%." in page
    assert '<a href="https://acme.example/pm" rel="noopener">Read the postmortem</a>' in page
    assert "<title>API errors - Acme Cloud Status</title>" in page


def test_nothing_is_written_when_the_input_is_invalid(site: Repo) -> None:
    build(site)
    (site.root / "site/marker").write_text("old site", encoding="utf-8")
    site.incident("broken", "title: t\nimpact: huge\nupdates: []\n")
    result = site.run("build", "--now", NOW)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "incidents/broken.yml:2:9: error: unknown impact 'huge'; use none, minor, major or "
        "critical",
        "incidents/broken.yml:3:10: error: an incident needs at least one update; add updates: "
        "with at least one '- at: ... message: ...'",
        "Error: the site was not built: 2 errors in the input",
    ]
    assert (site.root / "site/marker").read_text(encoding="utf-8") == "old site"
    assert [p.name for p in site.root.iterdir() if p.name.startswith(".site-")] == []


def test_a_failed_render_leaves_the_previous_site(site: Repo) -> None:
    build(site)
    (site.root / "site/marker").write_text("old site", encoding="utf-8")
    site.write("theme/statusgen/incident.html", "{{ no_such_variable }}")
    result = site.run("build", "--now", NOW)
    assert result.exit_code == 1
    assert "theme template statusgen/incident.html" in result.stderr
    assert "no_such_variable" in result.stderr
    assert (site.root / "site/marker").exists()
    assert not [p for p in site.root.iterdir() if p.name.startswith(".site-")]


def test_a_rebuild_replaces_the_site_whole(site: Repo) -> None:
    build(site)
    (site.root / "site/stale.html").write_text("stale", encoding="utf-8")
    build(site)
    assert not (site.root / "site/stale.html").exists()
    assert (site.root / "site/index.html").exists()


def test_out_must_not_be_something_else(site: Repo) -> None:
    (site.root / "docs").mkdir()
    (site.root / "docs/notes.md").write_text("mine", encoding="utf-8")
    result = site.run("build", "--now", NOW, "--out", "docs")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: docs exists and was not built by statusgen: it would be replaced whole; "
        "empty or remove it, or choose another --out\n"
    )
    assert site.run("build", "--now", NOW, "--out", ".").exit_code == 1
    assert (site.root / "docs/notes.md").exists()


@pytest.mark.parametrize(
    ("out", "said"),
    [
        (".", "would replace the repository itself"),
        ("incidents/site", "is inside the repository's incidents/"),
        ("docs", "exists and was not built by statusgen"),
    ],
)
def test_a_wrong_out_is_a_usage_error_not_an_input_error(
    tmp_path: Path, out: str, said: str
) -> None:
    (tmp_path / "incidents").mkdir()
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs/notes.md").write_text("mine", encoding="utf-8")
    with pytest.raises(UsageError) as raised:
        staging.Target(tmp_path, tmp_path / out).check()
    assert said in raised.value.message
    assert raised.value.diagnostics == []


def test_the_summary_counts_the_embeds_files_among_the_other_files() -> None:
    written = {
        "sitemap": ["sitemap.xml", "sitemap.xml.gz"],
        "feeds": ["updates.rss", "updates.atom"],
        "api": ["api/v2/summary.json", "api/v2/status.json"],
        "calendar": ["maintenance.ics"],
        "badges": ["badges/status.svg"],
        "embed": ["embed.js", "embed/index.html"],
        "live": ["live.json"],
        "marker": [staging.MARKER],
    }
    assert other_files(written) == 6
    assert other_files({"embed": ["embed.js"]}) == 1


def test_same_inputs_and_now_give_identical_bytes(site: Repo) -> None:
    build(site, "--out", "a")
    build(site, "--out", "b")
    assert same_tree(site.root / "a", site.root / "b")


def test_source_date_epoch_gives_now_and_is_restored(
    site: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795516200")  # 2026-11-24T10:30:00Z
    assert site.run("build").exit_code == 0
    assert 'As of <time datetime="2026-11-24T10:30:00Z">' in read(site, "index.html")
    assert os.environ["SOURCE_DATE_EPOCH"] == "1795516200"
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    build(site)
    assert "SOURCE_DATE_EPOCH" not in os.environ  # a long-running serve must not keep it
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "soon")
    result = site.run("build")
    assert result.exit_code == 2
    assert "SOURCE_DATE_EPOCH is 'soon', not a whole number of seconds" in result.stderr


@pytest.mark.parametrize("now", ["2106-02-08T00:00:00Z", "2999-12-31T23:59:59Z"])
def test_a_moment_past_gzips_last_second_builds(site: Repo, now: str) -> None:
    # every --now that check accepts builds: the gzip header of sitemap.xml.gz holds 32 bits
    result = site.run("build", "--now", now)
    assert result.exit_code == 0, result.output
    assert f"<lastmod>{now[:10]}</lastmod>" in read(site, "sitemap.xml")
    with gzip.open(site.root / "site" / "sitemap.xml.gz") as packed:
        assert packed.read().decode() == read(site, "sitemap.xml")


def test_sitemap_dates_come_from_now(site: Repo) -> None:
    build(site)
    sitemap = read(site, "sitemap.xml")
    assert set(re.findall(r"<lastmod>([^<]+)</lastmod>", sitemap)) == {"2026-11-24"}


@pytest.mark.slow
def test_a_rebuild_the_same_day_leaves_the_sitemap_as_it_was(site: Repo) -> None:
    # the gzip header holds the day, not the moment: publish sends neither file again
    files = ("sitemap.xml", "sitemap.xml.gz")
    assert site.run("build", "--now", "2026-11-24T10:30:00Z").exit_code == 0
    before = [(site.root / "site" / name).read_bytes() for name in files]
    assert site.run("build", "--now", "2026-11-24T23:45:00Z").exit_code == 0
    assert [(site.root / "site" / name).read_bytes() for name in files] == before
    assert site.run("build", "--now", "2026-11-25T00:00:00Z").exit_code == 0
    assert [(site.root / "site" / name).read_bytes() for name in files] != before


def test_titles_are_escaped_everywhere(repo: Repo) -> None:
    title = "<script>alert(1)</script> & </title><img src=x onerror=alert(2)>"
    repo.incident("x", INCIDENT.replace("Some customers cannot sign in", f"'{title}'"))
    repo.write(
        "site_config.yml",
        dedent(
            """\
            site:
              name: "Acme <b>Status</b>"
              url: https://status.acme.example/
              description: '"><script>alert(3)</script>'
            components: [{id: auth, name: "<i>Sign-in</i>"}]
            """
        ),
    )
    build(repo)
    for path in ("index.html", "incidents/x/index.html", "components/auth/index.html"):
        page = read(repo, path)
        assert "<script>alert" not in page, path
        assert "onerror=alert" not in page.replace("onerror=alert(2)&gt;", ""), path
        assert "<b>Status</b>" not in page and "<i>Sign-in</i>" not in page, path
    page = read(repo, "incidents/x/index.html")
    assert (
        "<title>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;/title&gt;&lt;img src=x "
        "onerror=alert(2)&gt; - Acme &lt;b&gt;Status&lt;/b&gt;</title>"
    ) in page


def test_incident_markdown_is_sanitized(repo: Repo) -> None:
    message = (
        "Hello <script>alert(1)</script> <img src=x onerror=alert(2)> "
        "[click](javascript:alert(3)) [ok](https://acme.example/) <a href='vbscript:x'>v</a> "
        "<iframe src=https://evil.example></iframe> <b onclick=alert(4)>bold</b>"
    )
    repo.incident(
        "x",
        "title: t\nimpact: minor\nupdates:\n  - at: 2026-11-24T10:00:00Z\n    message: |\n"
        + "".join(f"      {line}\n" for line in message.splitlines()),
    )
    build(repo)
    page = read(repo, "incidents/x/index.html")
    body = page[page.index('<article class="md-content__inner') :]
    for forbidden in ("<script>alert", "onerror", "javascript:", "vbscript:", "<iframe", "onclick"):
        assert forbidden not in body, forbidden
    assert '<a href="https://acme.example/" rel="noopener noreferrer nofollow">ok</a>' in body
    assert "<b>bold</b>" in body


def test_search_is_off_and_nothing_comes_from_other_hosts(site: Repo) -> None:
    build(site)
    assert not (site.root / "site/search").exists()
    assert not (site.root / "site/assets/javascripts/lunr").exists()
    assert not list((site.root / "site").rglob("search_index.json"))
    index = read(site, "index.html")
    assert "fonts.googleapis" not in index and "fonts.gstatic" not in index
    loaded = re.findall(r'<(?:script|link|img)\b[^>]*?(?:src|href)="([^"]+)"', index)
    assert loaded
    assert [url for url in loaded if "//" in url] == ["https://status.acme.example/"]  # canonical


def test_base_url_replaces_site_url(site: Repo) -> None:
    build(site, "--base-url", "https://preview.example/status")
    canonical = '<link rel="canonical" href="https://preview.example/status/">'
    assert canonical in read(site, "index.html")
    result = site.run("build", "--now", NOW, "--base-url", "preview.example")
    assert result.exit_code == 2
    assert "'preview.example' is not an absolute http(s) URL" in result.stderr


def test_a_resolved_incident_page_never_changes(site: Repo) -> None:
    build(site, "--out", "a")
    site.run("build", "--now", "2027-03-01T00:00:00Z", "--out", "b")
    page = "incidents/2026-11-02-api/index.html"
    assert read(site, page, "a") == read(site, page, "b")
    assert read(site, "index.html", "a") != read(site, "index.html", "b")


@pytest.mark.slow
def test_a_maintenance_page_changes_only_when_its_window_comes_near_and_with_its_phase(
    site: Repo,
) -> None:
    """The page carries its states of the next 7 days: it changes when the window comes
    within them, and when a build finds it in another phase, never with a build alone."""
    page = "incidents/2026-11-20-upgrade/index.html"
    moments = [
        ("far", NOW),
        ("far-later", "2026-11-24T23:00:00Z"),
        ("near", "2026-11-30T00:00:00Z"),
        ("near-later", "2026-12-01T12:00:00Z"),
        ("during", "2026-12-02T01:30:00Z"),
    ]
    for out, now in moments:
        assert site.run("build", "--now", now, "--out", out).exit_code == 0
    far, far_later, near, near_later, during = (read(site, page, out) for out, _ in moments)
    assert far == far_later and "data-sg-from" not in far
    assert near == near_later != far
    # scheduled now; in progress from 01:00; completed from 02:00 (hidden until then)
    assert '<div data-sg-until="2026-12-02T01:00:00Z"><div class="sg-summary' in near
    assert (
        '<div data-sg-from="2026-12-02T01:00:00Z" data-sg-until="2026-12-02T02:00:00Z" hidden>'
        in near
    )
    assert '<div data-sg-from="2026-12-02T02:00:00Z" hidden>' in near
    assert during != near
    assert '<div data-sg-until="2026-12-02T02:00:00Z"><div class="sg-summary' in during
    assert 'sg-l-in_progress">In progress' in during.split("data-sg-from")[0]


def test_the_root_theme_overrides_file_by_file(site: Repo) -> None:
    site.write(
        "theme/statusgen/month.html",
        "<h1>Custom month {{ month.year }}</h1>",
    )
    build(site)
    assert "<h1>Custom month 2026</h1>" in read(site, "history/2026/11/index.html")
    assert "<h1>API errors</h1>" in read(site, "incidents/2026-11-02-api/index.html")


def test_lists_are_paginated_so_pages_stay_small(repo: Repo) -> None:
    count = MONTH_PAGE_SIZE * 2 + 5
    for n in range(count):
        repo.incident(
            f"i{n:03d}",
            "title: t\nimpact: minor\ncomponents: [api]\nupdates:\n"
            f"  - at: 2026-10-{1 + n % 28:02d}T{n % 24:02d}:00:00Z\n    message: m\n"
            f"  - at: 2026-10-{1 + n % 28:02d}T{n % 24:02d}:30:00Z\n    status: resolved\n"
            "    message: works again\n",
        )
    build(repo)
    months = read(repo, "history/2026/10/index.html")
    assert months.count('class="sg-row') == MONTH_PAGE_SIZE
    assert "Page 1 of 3" in months
    assert read(repo, "history/2026/10/page/3/index.html").count('class="sg-row') == 5
    api = read(repo, "components/api/index.html")
    assert api.count('class="sg-row') == COMPONENT_PAGE_SIZE
    pages = -(-count // COMPONENT_PAGE_SIZE)
    assert (repo.root / f"site/components/api/page/{pages}/index.html").exists()
    assert not (repo.root / f"site/components/api/page/{pages + 1}").exists()


def test_a_repository_without_a_theme_uses_the_packaged_one(site: Repo) -> None:
    assert not (site.root / "theme").exists()
    build(site)
    assert "sg-banner" in read(site, "index.html")


def test_404_page_links_to_the_front_page(site: Repo) -> None:
    build(site)
    page = read(site, "404.html")
    assert "<h1>Page not found</h1>" in page
    assert '<a href="https://status.acme.example/">Go to the front page</a>' in page


def test_updates_dated_after_now_are_not_built(repo: Repo) -> None:
    repo.incident(
        "x",
        "title: t\nimpact: minor\nupdates:\n  - at: 2026-11-24T10:00:00Z\n    message: first\n"
        "  - at: 2026-11-24T11:00:00Z\n    status: resolved\n    message: future all clear\n",
    )
    build(repo)
    assert "future all clear" not in read(repo, "incidents/x/index.html")
    assert "Minor Service Outage" in read(repo, "index.html")


def test_an_incident_page_does_not_grow_with_the_number_of_incidents(repo: Repo) -> None:
    repo.incident("2026-11-02-api", RESOLVED)
    build(repo, "--out", "few")
    for n in range(200):
        repo.incident(
            f"other-{n:03d}",
            f"title: Other {n}\nimpact: minor\ncomponents: [api]\nupdates:\n"
            f"  - at: 2026-10-{1 + n % 28:02d}T10:00:00Z\n    message: m\n"
            f"  - at: 2026-10-{1 + n % 28:02d}T11:00:00Z\n    status: resolved\n"
            "    message: Works again.\n",
        )
    build(repo, "--out", "many")
    page = "incidents/2026-11-02-api/index.html"
    assert read(repo, page, "few") == read(repo, page, "many")


def test_a_full_disk_is_said_and_leaves_the_previous_site(
    site: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(site)
    before = snapshot(site.root / "site")

    def full(self: staging.Writer, path: str, data: bytes, by: str = "") -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(self.folder / path))

    monkeypatch.setattr(staging.Writer, "write", full)
    result = site.run("build", "--now", NOW, "--no-cache")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: the site was not built: cannot write ")
    assert result.stderr.endswith(": the disk is full\n")
    assert "could not be rendered" not in result.stderr
    assert snapshot(site.root / "site") == before
    assert not list(site.root.glob(".site-*"))


def test_a_shell_that_refuses_its_config_says_so(
    site: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.shell import mkdocs_material

    config = mkdocs_material._config

    def broken(*args: Any) -> dict[str, Any]:
        return {**config(*args), "theme": {"name": "no-such-theme"}}

    monkeypatch.setattr(mkdocs_material, "_config", broken)
    result = site.run("build", "--now", NOW)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: the page shell failed: theme: ")
    assert "no-such-theme" in result.stderr

"""The front page's "Services we depend on": each vendor's status in words and colour, a link
to its page, unknown once a reading is 2 hours old (at the build, and in the browser
without a rebuild), and never a change to the site's own status, API, feeds or badges."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.browser import axe_violations, serve
from tests.conftest import CONFIG, INCIDENT, Repo
from tests.example import REFERENCE as NOW
from tests.outputs.test_live_browser import open_at

DEPENDENCIES = """\
dependencies:
  - id: github
    name: GitHub
    url: https://www.githubstatus.com
    components: [Actions, Pages, Packages]
  - id: stripe
    name: Stripe
    url: https://status.stripe.com/
  - id: never
    name: Never Read
    url: https://status.never.example
"""


def reading(read_at: str, **changes: object) -> str:
    data: dict[str, object] = {
        "components": [
            {"name": "Actions", "status": "partial_outage"},
            {"name": "Pages", "status": "operational"},
        ],
        "incidents": [
            {
                "impact": "major",
                "name": "Actions <script>alert(1)</script> delayed",
                "url": "https://www.githubstatus.com/incidents/abc123",
            }
        ],
        "indicator": "major",
        "missing": ["Packages"],
        "page": "https://www.githubstatus.com",
        "read_at": read_at,
    }
    data.update(changes)
    return json.dumps(data, indent=2) + "\n"


#: GitHub read 20 minutes before NOW (fresh until 12:10), Stripe 3 hours before (stale).
GITHUB_READ = "2026-11-24T10:10:00Z"
STRIPE_READ = "2026-11-24T07:30:00Z"


def with_dependencies(repo: Repo, config: str = CONFIG) -> Repo:
    repo.config(config + DEPENDENCIES)
    repo.incident("2026-11-20-sign-in", INCIDENT)
    repo.write("dependencies/github.json", reading(GITHUB_READ))
    repo.write(
        "dependencies/stripe.json",
        reading(
            STRIPE_READ,
            page="https://status.stripe.com",
            indicator="critical",
            components=[],
            incidents=[],
            missing=[],
        ),
    )
    return repo


def build(repo: Repo, out: str, now: str = NOW) -> Path:
    result = repo.run("build", "--now", now, "--out", out)
    assert result.exit_code == 0, result.output
    return repo.root / out


def section(html: str) -> str:
    found = re.search(r'<section aria-labelledby="sg-dependencies">.*?</section>', html, re.S)
    assert found, "no section of dependencies"
    return found.group(0)


def test_each_vendor_is_listed_with_its_status_and_a_link(repo: Repo) -> None:
    site = build(with_dependencies(repo), "site")
    shown = section((site / "index.html").read_text(encoding="utf-8"))
    assert '<h2 id="sg-dependencies">Services we depend on</h2>' in shown
    assert (
        "These services report their own status; it never changes the status of Acme Cloud "
        "Status." in shown
    )
    fresh, stale = re.findall(
        r'<div data-sg-(?:until|from)="[^"]+"(?: hidden)?>.*?</div>', shown, re.S
    )
    assert fresh.startswith('<div data-sg-until="2026-11-24T12:10:00Z">')
    assert (
        '<a class="sg-name" href="https://www.githubstatus.com" rel="noopener">GitHub</a> '
        '<span class="sg-badge sg-s-p">Partial outage</span>'
    ) in fresh  # the worst of the chosen components, not the page's indicator
    assert '<span>Actions</span> <span class="sg-badge sg-s-p">Partial outage</span>' in fresh
    assert '<span>Pages</span> <span class="sg-badge sg-s-o">Operational</span>' in fresh
    assert '<span>Packages</span> <span class="sg-badge sg-s-x">Status unknown</span>' in fresh
    assert (
        '<a href="https://www.githubstatus.com/incidents/abc123" rel="noopener">'
        "Actions &lt;script&gt;alert(1)&lt;/script&gt; delayed</a>"
    ) in fresh
    assert "<script>alert" not in shown
    assert stale.startswith('<div data-sg-from="2026-11-24T12:10:00Z" hidden>')
    assert '<span class="sg-badge sg-s-x">Status unknown</span>' in stale
    assert 'Status unknown, last read <time datetime="2026-11-24T10:10:00Z"' in stale
    # Stripe, read 3 hours before the build: unknown at once, and says when it was read
    stripe = shown[shown.index(">Stripe<") :]
    assert stripe.index("Status unknown</span>") < stripe.index("Never Read")
    assert 'last read <time datetime="2026-11-24T07:30:00Z"' in stripe
    assert "Major outage" not in stripe[: stripe.index("Never Read")]
    never = shown[shown.index(">Never Read<") :]
    assert "Status unknown: not read yet." in never


def test_a_dependency_never_changes_the_sites_status_api_feeds_or_badges(
    repo: Repo, tmp_path: Path
) -> None:
    alone = Repo(tmp_path / "alone", repo.patches)
    alone.config(CONFIG)
    alone.incident("2026-11-20-sign-in", INCIDENT)
    without = build(alone, "site")
    with_them = build(with_dependencies(repo), "site")
    outputs = [
        p.relative_to(without).as_posix()
        for p in sorted(without.rglob("*"))
        if p.is_file()
        and p.suffix in {".json", ".atom", ".rss", ".svg", ".ics", ".js"}
        and p.name != "live.json"
    ]
    assert "api/v2/summary.json" in outputs and "badge.svg" in outputs
    for path in outputs:
        assert (with_them / path).read_bytes() == (without / path).read_bytes(), path
    state = json.loads((with_them / "live.json").read_text())["state"]
    assert state == json.loads((without / "live.json").read_text())["state"]
    banners = [
        re.findall(r'<div class="sg-banner[^"]*"', (site / "index.html").read_text())
        for site in (with_them, without)
    ]
    assert banners[0] == banners[1] == ['<div class="sg-banner sg-b-major"']


def test_a_reading_of_another_page_or_from_after_now_is_not_shown(repo: Repo) -> None:
    with_dependencies(repo)
    repo.write("dependencies/github.json", reading(GITHUB_READ, page="https://old.example"))
    shown = section((build(repo, "site") / "index.html").read_text(encoding="utf-8"))
    assert "Partial outage" not in shown
    repo.write("dependencies/github.json", reading("2026-11-24T11:00:00Z"))
    shown = section((build(repo, "later") / "index.html").read_text(encoding="utf-8"))
    # not read yet at the build; the browser shows it from 11:00 until 13:00
    assert shown.count('data-sg-from="2026-11-24T11:00:00Z"') == 1
    assert 'data-sg-from="2026-11-24T13:00:00Z" hidden' in shown


def test_the_same_readings_and_now_build_the_same_page(repo: Repo) -> None:
    with_dependencies(repo)
    first = (build(repo, "one") / "index.html").read_bytes()
    assert (build(repo, "two") / "index.html").read_bytes() == first


def test_the_section_speaks_the_sites_language(repo: Repo) -> None:
    with_dependencies(repo, CONFIG.replace("  timezone:", "  language: de\n  timezone:"))
    shown = section((build(repo, "site") / "index.html").read_text(encoding="utf-8"))
    assert "Dienste, auf die wir angewiesen sind" in shown
    assert "Teilweise Störung" in shown
    assert "Status unbekannt" in shown
    assert "Aktuelle Störungen:" in shown


def test_without_dependencies_there_is_no_section(repo: Repo) -> None:
    repo.incident("2026-11-20-sign-in", INCIDENT)
    html = (build(repo, "site") / "index.html").read_text(encoding="utf-8")
    assert "sg-dependencies" not in html.split("</style>")[-1]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_in_chromium_fresh_data_turns_unknown_two_hours_after_it_was_read(
    repo: Repo, browser: Browser, scheme: str
) -> None:
    site = build(with_dependencies(repo), "site")
    with serve(site) as url:
        page = browser.new_context(color_scheme=scheme).new_page()  # type: ignore[arg-type]
        page.clock.install(time="2026-11-24T11:00:00Z")
        page.goto(url)
        github = page.locator(".sg-dependencies > li").first
        expect(github.locator(".sg-head:visible").first).to_have_text("GitHub Partial outage")
        expect(github.get_by_role("link", name="GitHub").first).to_have_attribute(
            "href", "https://www.githubstatus.com"
        )
        expect(github.locator(".sg-quiet:visible")).to_have_text(
            re.compile(r"^As of Nov 24, 2026, 11:10\s+AM CET \(50 minutes ago\)$")
        )
        assert axe_violations(page) == []
        page.clock.run_for("01:11:00")  # 12:11: the reading is 2 hours and a minute old
        expect(github.locator(".sg-head:visible").first).to_have_text("GitHub Status unknown")
        expect(github.locator(".sg-quiet:visible")).to_have_text(
            re.compile(
                r"^Status unknown, last read Nov 24, 2026, 11:10\s+AM CET \(2 hours ago\)\.$"
            )
        )
        expect(github.get_by_text("Actions", exact=True)).to_be_hidden()
        assert axe_violations(page) == []
        page.context.close()


def test_in_chromium_stale_data_reads_as_unknown_with_and_without_script(
    repo: Repo, browser: Browser
) -> None:
    site = build(with_dependencies(repo), "site", "2026-11-24T13:00:00Z")
    with serve(site) as url:
        for javascript in (True, False):
            page = open_at(browser, url, "2026-11-24T13:00:00Z", javascript=javascript)
            heads = page.locator(
                ".sg-dependencies > li > .sg-head, .sg-dependencies > li > div:visible > .sg-head"
            )
            expect(heads).to_have_text(
                ["GitHub Status unknown", "Stripe Status unknown", "Never Read Status unknown"]
            )
            if javascript:
                assert axe_violations(page) == []
            page.context.close()


def test_a_new_reading_is_a_new_build(repo: Repo) -> None:
    """Without --build-id, a build is named by a digest of its inputs, readings included:
    verify never takes the old site for the new one."""
    with_dependencies(repo)
    first = json.loads((build(repo, "one") / "live.json").read_text())["build"]
    repo.write("dependencies/github.json", reading(GITHUB_READ, indicator="none"))
    assert json.loads((build(repo, "two") / "live.json").read_text())["build"] != first

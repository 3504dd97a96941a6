"""site.reports: a page per finished month with its CSV and JSON, linked from the history,
in every language; the same figures as the command; axe-clean in Chromium."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

import pytest
from playwright.sync_api import Browser

from tests.browser import axe_violations, new_page, serve
from tests.conftest import CONFIG, Repo

NOW = "2026-12-07T00:00:00Z"
MONTHS = ["2026/08", "2026/09", "2026/10", "2026/11"]


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    repo = Repo.example(tmp_path_factory.mktemp("reports"))
    assert "\n  reports: true\n" in (repo.root / "site_config.yml").read_text("utf-8")
    result = repo.run("build", "--now", NOW)
    assert result.exit_code == 0, result.output
    return repo


@pytest.fixture(scope="module")
def site(example: Repo) -> Path:
    return example.root / "site"


def linked(page: Path, html: str, pattern: str) -> list[Path]:
    """The files the links of a page matching ``pattern`` lead to."""
    found = []
    for href in re.findall(r'href="([^"]+)"', html):
        if re.search(pattern, href):
            target = PurePosixPath(href)
            found.append(
                (page.parent / target).resolve() / ("index.html" if href.endswith("/") else "")
            )
    return found


def test_every_finished_month_has_a_page_with_its_data_beside_it(site: Path) -> None:
    assert sorted(p.parent.relative_to(site / "reports").as_posix()
                  for p in (site / "reports").glob("*/*/index.html")) == MONTHS  # fmt: skip
    for month in MONTHS:
        for name in ("index.html", "report.csv", "report.json"):
            assert (site / "reports" / month / name).is_file()
        assert (site / "de/reports" / month / "index.html").is_file()
    assert not (site / "reports/2026/12").exists()  # December is not over
    assert not (site / "de/reports/2026/11/report.csv").exists()  # data once, at the root
    page = site / "de/reports/2026/11/index.html"
    html = page.read_text(encoding="utf-8")
    assert "Bericht für November 2026" in html
    data = linked(page, html, r"report\.(csv|json)$")
    assert [p.relative_to(site.resolve()).as_posix() for p in data] == [
        "reports/2026/11/report.csv", "reports/2026/11/report.json"
    ]  # fmt: skip


def test_the_history_links_every_report(site: Path) -> None:
    history = site / "history/index.html"
    html = history.read_text(encoding="utf-8")
    assert "Monthly reports" in html
    reports = linked(history, html, r"reports/")
    assert [p.parent.relative_to(site.resolve() / "reports").as_posix() for p in reports] == (
        MONTHS[::-1]
    )
    october = site / "history/2026/10/index.html"
    (report,) = linked(october, october.read_text(encoding="utf-8"), r"reports/")
    assert report == (site / "reports/2026/10/index.html").resolve()
    assert report.is_file()
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "https://status.acme.example/reports/2026/11/" in sitemap
    assert "https://status.acme.example/de/reports/2026/11/" in sitemap


def test_the_published_data_is_the_commands(example: Repo, site: Path) -> None:
    for form in ("csv", "json"):
        result = example.run("report", "--month", "2026-11", "--now", NOW, "--format", form)
        published = (site / f"reports/2026/11/report.{form}").read_text(encoding="utf-8")
        assert published == result.stdout
    rows = list(csv.DictReader(io.StringIO((site / "reports/2026/10/report.csv").read_text())))
    assert rows[-1]["period"] == "2026-10" and rows[-1]["scope"] == "overall"
    august = json.loads((site / "reports/2026/08/report.json").read_text(encoding="utf-8"))
    assert august["period"]["complete"] is True


def test_check_accepts_it_and_a_second_build_writes_the_same_bytes(
    example: Repo, site: Path, tmp_path: Path
) -> None:
    assert example.run("check").exit_code == 0
    result = example.run("build", "--now", NOW, "--out", str(tmp_path / "again"), "--no-cache")
    assert result.exit_code == 0, result.output
    for path in [*site.glob("reports/**/*.*"), *site.glob("de/reports/**/*.*"),
                 site / "history/index.html", site / "history/2026/11/index.html"]:  # fmt: skip
        again = tmp_path / "again" / path.relative_to(site)
        assert again.read_bytes() == path.read_bytes(), path


def test_a_later_build_leaves_a_settled_month_alone(
    example: Repo, site: Path, tmp_path: Path
) -> None:
    """A site that publishes reports is rebuilt every 15 minutes: a month whose incidents
    were all over keeps its bytes (made when its figures stopped changing), so a publish
    sends none of them again; November, with an incident still open, is made again."""
    later = "2026-12-07T00:15:00Z"
    result = example.run("build", "--now", later, "--out", str(tmp_path / "later"))
    assert result.exit_code == 0, result.output
    for month in ("2026/08", "2026/09", "2026/10"):
        for name in ("index.html", "report.csv", "report.json"):
            path = site / "reports" / month / name
            assert (tmp_path / "later" / path.relative_to(site)).read_bytes() == path.read_bytes()
    november = json.loads((tmp_path / "later/reports/2026/11/report.json").read_text("utf-8"))
    assert november["now"] == later
    october = json.loads((site / "reports/2026/10/report.json").read_text(encoding="utf-8"))
    assert october["now"] == "2026-10-31T23:00:00Z"  # midnight in Berlin: its end


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    with serve(site) as url:
        yield url


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["reports/2026/11/", "de/reports/2026/10/", "history/"])
def test_axe_finds_nothing_on_the_report_pages(
    browser: Browser, base_url: str, path: str, scheme: str
) -> None:
    page = new_page(browser, scheme=scheme, at=NOW)
    page.goto(base_url + path)
    assert axe_violations(page) == []
    page.context.close()


def test_a_phone_scrolls_the_tables_not_the_page(browser: Browser, base_url: str) -> None:
    page = new_page(browser, at=NOW, width=360)
    page.goto(base_url + "reports/2026/11/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    table = page.locator(".sg-table").first
    assert table.evaluate("e => e.scrollWidth > e.clientWidth")
    table.focus()  # reachable with the keyboard, to scroll it
    assert page.evaluate("document.activeElement.classList.contains('sg-table')")
    assert axe_violations(page) == []
    page.context.close()


def test_the_standalone_page_is_axe_clean(browser: Browser, example: Repo, tmp_path: Path) -> None:
    out = tmp_path / "november.html"
    result = example.run("report", "--month", "2026-11", "--now", NOW, "--format", "html",
                         "--out", str(out))  # fmt: skip
    assert result.exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert "<script" not in html and "<link" not in html  # a page on its own
    with serve(tmp_path) as url:
        page = new_page(browser)
        page.goto(url + "november.html")
        assert page.title() == "Report for November 2026 · Acme Cloud Status"
        assert page.locator("h1").inner_text() == "Report for November 2026"
        first = page.locator("table").first.locator("tbody tr").first
        assert first.locator("th").inner_text() == "Overall"
        assert first.locator("td").first.inner_text() == "99.06%"
        link = page.get_by_role("link", name="Some API requests fail for customers in the US")
        assert link.get_attribute("href") == (
            "https://status.acme.example/incidents/2026-11-18-api-errors-in-the-us/"
        )
        assert axe_violations(page) == []
        page.context.close()


@pytest.mark.parametrize(("written", "said"), [("yes", "the text 'yes'"), ("1", "the number 1")])
def test_check_asks_for_true_or_false(repo: Repo, written: str, said: str) -> None:
    repo.config(CONFIG.replace("site:\n", f"site:\n  reports: {written}\n", 1))
    assert repo.check() == [
        f"site_config.yml:2:12: error: 'reports' must be true or false, not {said}; write "
        "true or false, without quotes (YAML 1.2 reads yes and on as text)"
    ]


def test_a_preview_build_names_the_preview_in_the_data(example: Repo, tmp_path: Path) -> None:
    out = tmp_path / "preview"
    preview = "https://preview.example/pr-7/"
    result = example.run("build", "--now", NOW, "--base-url", preview, "--out", str(out))
    assert result.exit_code == 0, result.output
    for month in MONTHS:
        data = json.loads((out / "reports" / month / "report.json").read_text(encoding="utf-8"))
        assert data["site"]["url"] == preview  # as every absolute link of the build

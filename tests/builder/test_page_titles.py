"""What a browser's tab and a screen reader call the pages: the front page's tab tells the
overall status first, the other pages "PAGE - SITE"; the logo is named by the site."""

from __future__ import annotations

from tests.conftest import INCIDENT, Repo

LOGO = '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>\n'


def build(repo: Repo) -> None:
    result = repo.run("build", "--now", "2026-11-20T10:00:00Z")
    assert result.exit_code == 0, result.output


def test_the_front_page_tab_tells_the_status_and_other_pages_their_own_name(repo: Repo) -> None:
    repo.incident("x", INCIDENT)
    build(repo)
    site = repo.root / "site"
    front = (site / "index.html").read_text(encoding="utf-8")
    assert "<title>Partial System Outage · Acme Cloud Status</title>" in front
    incident = (site / "incidents/x/index.html").read_text(encoding="utf-8")
    assert "<title>Some customers cannot sign in - Acme Cloud Status</title>" in incident


def test_the_front_page_tab_is_in_the_site_language_and_all_clear(repo: Repo) -> None:
    config = repo.root / "site_config.yml"
    config.write_text(config.read_text().replace("site:\n", "site:\n  language: de\n", 1))
    build(repo)
    front = (repo.root / "site/index.html").read_text(encoding="utf-8")
    assert "<title>Alle Systeme betriebsbereit · Acme Cloud Status</title>" in front


def test_the_logo_is_named_by_the_site(repo: Repo) -> None:
    repo.write("theme/logo.svg", LOGO)
    config = repo.root / "site_config.yml"
    config.write_text(config.read_text().replace("site:\n", "site:\n  logo: theme/logo.svg\n", 1))
    build(repo)
    front = (repo.root / "site/index.html").read_text(encoding="utf-8")
    assert 'alt="Acme Cloud Status"' in front
    assert 'alt="logo"' not in front

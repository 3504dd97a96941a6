"""Branding: a logo and a favicon from the repository, colours that keep text readable,
links home; checked by check, built into the site, clean for axe in both schemes."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Browser

from generator.core.colours import contrast
from tests.browser import axe_violations, serve
from tests.conftest import CONFIG, INCIDENT, Repo

LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
    '<circle cx="5" cy="5" r="4"/></svg>'
)
#: A 1x1 PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc000000301010018dd8db00000000049454e44ae426082"
)
BRAND = """\
  logo: theme/logo.svg
  favicon: theme/favicon.png
  colors: {primary: "#0b5fff", accent: "#b3400a"}
  links:
    - {name: Acme, url: "https://acme.example/"}
    - {name: Blog, url: "https://acme.example/blog/"}
"""


def branded(repo: Repo, brand: str = BRAND) -> Repo:
    repo.write(
        "site_config.yml",
        CONFIG.replace("  timezone: Europe/Berlin\n", "  timezone: Europe/Berlin\n" + brand),
    )
    (repo.root / "theme").mkdir(exist_ok=True)
    (repo.root / "theme" / "logo.svg").write_text(LOGO)
    (repo.root / "theme" / "favicon.png").write_bytes(PNG)
    repo.incident("sign-in", INCIDENT)
    return repo


def test_contrast_is_wcags() -> None:
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#777777", "#ffffff"), 2) == 4.48  # the classic near miss
    assert contrast("#ffffff", "#ffffff") == 1.0


def test_the_brand_reaches_every_page(repo: Repo) -> None:
    branded(repo)
    assert repo.run("check").exit_code == 0
    result = repo.run("build", "--now", "2026-11-20T12:00:00Z")
    assert result.exit_code == 0, result.output
    site = repo.root / "site"
    assert (site / "assets/brand/logo.svg").read_text() == LOGO
    assert (site / "assets/brand/favicon.png").read_bytes() == PNG
    index = (site / "index.html").read_text()
    assert '<link rel="icon" href="assets/brand/favicon.png">' in index
    assert 'src="assets/brand/logo.svg"' in index
    assert 'data-md-color-primary="custom"' in index
    assert '<meta name="theme-color" content="#0b5fff">' in index
    assert (
        'href="https://acme.example/" title="Acme Cloud Status" class="md-header__button md-logo"'
        in index
    )
    assert '<a href="https://acme.example/blog/">Blog</a>' in index
    # in the page's head, after material's rules: the first paint has the brand's colours
    assert not (site / "assets/stylesheets/brand.css").exists()
    css = index.split("<style>")[-1].split("</style>")[0]
    assert "--md-primary-fg-color:#0b5fff" in css and "--md-accent-fg-color:#b3400a" in css
    assert "http" not in LOGO.replace("http://www.w3.org/2000/svg", "")  # nothing from afar


def test_a_new_logo_reaches_the_site_though_the_pages_are_cached(repo: Repo) -> None:
    branded(repo)
    assert repo.run("build", "--now", "2026-11-20T12:00:00Z").exit_code == 0
    (repo.root / "theme" / "logo.svg").write_text(LOGO.replace('r="4"', 'r="3"'))
    assert repo.run("build", "--now", "2026-11-20T12:00:00Z").exit_code == 0
    assert 'r="3"' in (repo.root / "site/assets/brand/logo.svg").read_text()


@pytest.mark.parametrize(
    ("brand", "said"),
    [
        ("  logo: https://cdn.acme.example/logo.svg\n",
         "site_config.yml:5:9: error: the logo is a URL: nothing is loaded from another host"),
        ("  logo: theme/missing.svg\n",
         "site_config.yml:5:9: error: there is no file 'theme/missing.svg'"),
        ("  favicon: ../outside.png\n",
         "site_config.yml:5:12: error: the favicon must be a file in the repository"),
        ("  logo: site_config.yml\n", "site_config.yml:5:9: error: a logo is an image file"),
        ('  colors: {primary: "#7fb3ff"}\n',
         "site_config.yml:5:21: error: white text on primary #7fb3ff has a contrast of 2.1:1, "
         "below the 4.5:1 of WCAG AA; choose a darker shade of your colour"),
        ('  colors: {accent: "orange"}\n',
         "site_config.yml:5:20: error: 'orange' is not a colour; write it as #rrggbb"),
        ('  links: [{name: Acme, url: "acme.example"}]\n', "site_config.yml:5:29: error: "),
    ],
)  # fmt: skip
def test_check_names_each_brand_mistake(repo: Repo, brand: str, said: str) -> None:
    repo.write(
        "site_config.yml",
        CONFIG.replace("  timezone: Europe/Berlin\n", "  timezone: Europe/Berlin\n" + brand),
    )
    (repo.root / "theme").mkdir(exist_ok=True)
    lines = repo.check()
    assert any(line.startswith(said) for line in lines), lines


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_is_clean_with_the_brand(browser: Browser, repo: Repo, scheme: str) -> None:
    branded(repo)
    assert repo.run("build", "--now", "2026-11-20T12:00:00Z").exit_code == 0
    with serve(repo.root / "site") as url:
        context = browser.new_context(color_scheme=scheme)  # type: ignore[arg-type]
        page = context.new_page()
        page.goto(url)
        header = page.locator(".md-header").evaluate("e => getComputedStyle(e).backgroundColor")
        assert header == "rgb(11, 95, 255)"
        violations = axe_violations(page)
        assert violations == [], json.dumps(violations, indent=2)
        context.close()

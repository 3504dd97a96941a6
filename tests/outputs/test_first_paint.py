"""The first paint: every page's head holds the CSS it needs, material's stylesheets load
without blocking, and the page looks the same before and after they arrive."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from playwright.sync_api import Browser, Page, Route

from generator.cli import main
from tests import first_paint
from tests.browser import new_page, serve
from tests.example import REFERENCE, ROOT

#: One page of each kind, in the default language and, right to left, in Arabic.
KINDS = (
    "",
    "incidents/2026-11-24-single-sign-on-fails-in-the-eu/",
    "incidents/2026-11-23-markdown/",  # a table and code, as an incident's Markdown may hold
    "history/",
    "history/2026/11/",
    "components/auth/",
    "404.html",
)
PAGES = [prefix + kind for prefix in ("", "ar/") for kind in KINDS if kind != "404.html"]
PAGES.append("404.html")
MARKDOWN = """\
title: Exports show the wrong totals
impact: minor
components:
  api: degraded_performance
started: 2026-11-23T08:00:00Z
updates:
  - at: 2026-11-23T08:10:00Z
    status: resolved
    message: |
      Exports made with `GET /v1/exports` summed refunds twice:

      | export | wrong | right |
      |:--|--:|--:|
      | CSV | 1,200 | 1,000 |

          curl https://api.acme.example/v1/exports?fixed=1

      > Quoted, **strong**, *emphasis*, <kbd>Ctrl</kbd>, ~~gone~~.

      1. one
      2. two
"""


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The example in English and Arabic, with an incident of every Markdown element."""
    root = tmp_path_factory.mktemp("first-paint")
    shutil.copytree(ROOT / "incidents", root / "incidents")
    (root / "incidents/2026/2026-11-23-markdown.yml").write_text(MARKDOWN, encoding="utf-8")
    config = (ROOT / "site_config.yml").read_text(encoding="utf-8")
    config = re.sub(r"^  languages: .*\n", "  languages: [en, ar]\n", config, count=1, flags=re.M)
    (root / "site_config.yml").write_text(config, encoding="utf-8")
    result = CliRunner().invoke(
        main, ["build", "--root", str(root), "--out", str(root / "site"), "--now", REFERENCE]
    )
    assert result.exit_code == 0, result.output
    with serve(root / "site") as url:
        yield url


def test_the_inlined_rules_are_those_material_and_the_pages_give() -> None:
    # fails after a material upgrade, or when the pages use more of it: run
    # `python -m tests.first_paint` and commit theme/partials/first-paint.html
    assert first_paint.PARTIAL.read_text(encoding="utf-8") == first_paint.generate()


def test_the_purge_keeps_what_a_selector_of_the_pages_names() -> None:
    used = first_paint.Used(classes={"md-typeset", "md-header"}, attributes={"dir": {"rtl"}})
    assert first_paint.matches(".md-typeset table:not([class]) th", used)
    assert first_paint.matches("[dir=rtl] .md-header:before", used)
    assert not first_paint.matches(".md-header:hover", used)  # the whole stylesheets' own
    assert first_paint.matches(":root", used)
    assert not first_paint.matches("[dir=ltr] .md-header", used)
    assert not first_paint.matches(".md-typeset .md-tabs", used)
    assert not first_paint.matches("details", used)
    css = "@media screen{.md-header{a:b}.md-tabs{c:d}}@media print{.md-tabs{e:f}}x{g:h}"
    assert first_paint.purged(first_paint.parse(css), used) == "@media screen{.md-header{a:b}}"
    css = ":root{--a:1;--b:var(--c);--c:2;--d:3}.md-header{color:var(--b)}"
    assert first_paint.without_unused_variables(css, "x{y:var(--a)}") == (
        ":root{--a:1;--b:var(--c);--c:2}.md-header{color:var(--b)}"
    )


def _open(browser: Browser, url: str, *, scheme: str, width: int, javascript: bool,
          material: bool) -> Page:  # fmt: skip
    """``url`` loaded, with material's stylesheets or (as first painted) without them."""
    page = new_page(
        browser, scheme=scheme, javascript=javascript, at=REFERENCE, width=width, height=800
    )
    if not material:

        def refuse(route: Route) -> None:
            route.abort()

        page.route(
            re.compile(r".*/assets/stylesheets/(main|palette)\.[0-9a-f]+\.min\.css$"), refuse
        )
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return page


def _sheets(page: Page) -> list[str]:
    """The media of material's stylesheets as the page applies them."""
    media: list[str] = page.evaluate(
        "[...document.styleSheets].filter(s => s.href && /\\/(main|palette)\\./.test(s.href))"
        ".map(s => s.media.mediaText || 'all')"
    )
    return media


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize(
    ("scheme", "width", "javascript"),
    [("light", 1280, True), ("dark", 375, True), ("light", 375, False)],
)
def test_the_page_looks_the_same_before_and_after_materials_stylesheets(
    browser: Browser, base_url: str, path: str, scheme: str, width: int, javascript: bool
) -> None:
    shots = []
    for material in (True, False):
        page = _open(
            browser, base_url + path, scheme=scheme, width=width, javascript=javascript,
            material=material,
        )  # fmt: skip
        if material:  # loaded, and applied to the screen (or, without script, by <noscript>)
            page.wait_for_function(
                "[...document.styleSheets].filter(s => s.href && /\\/(main|palette)\\./"
                ".test(s.href) && (s.media.mediaText || 'all') === 'all').length === 2"
            )
        shots.append(page.screenshot(full_page=True, animations="disabled", caret="hide"))
        page.context.close()
    assert shots[0] == shots[1], f"{path} differs once material's stylesheets apply"


def test_materials_stylesheets_do_not_block_the_first_paint(
    browser: Browser, base_url: str
) -> None:
    page = _open(browser, base_url, scheme="light", width=1280, javascript=True, material=True)
    assert _sheets(page) == ["all", "all"]  # loaded as print, then for the screen
    head = page.evaluate("document.head.innerHTML")
    assert 'rel="stylesheet" href=' not in head.split("<noscript>")[0]
    assert "statusgen.css" not in head  # in the page
    scripts = page.evaluate("[...document.scripts].filter(s => s.src).map(s => s.defer)")
    assert scripts and all(scripts)
    page.context.close()

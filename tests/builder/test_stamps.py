"""Pages stamped from the shell are the pages mkdocs renders, byte for byte.

The shell renders material's page template once per kind of page and stamps each page's
path, title and content into it (``shell/mkdocs_material.py``, ``_Stamp``). Here the same
repository is built twice, stamped and with every page through mkdocs, in three languages
(one right to left), with paged component and month lists and titles that HTML escapes:
every file must be the same, the 404 page included.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from generator.builder.pipeline import build_site
from generator.shell.mkdocs_material import MkdocsMaterial
from generator.shell.stamps import SAMPLE
from tests.conftest import Repo
from tests.example import REFERENCE

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "repo"
NOW = datetime.fromisoformat(REFERENCE.replace("Z", "+00:00")).astimezone(UTC)


def many(count: int) -> str:
    """Resolved incidents enough to page the component's list and a month's."""
    return "".join(
        f"""\
---
title: "Outage <{number}> & \\"quotes\\" 'too'"
impact: minor
components: [api]
updates:
  - {{at: 2026-11-{1 + number % 20:02d}T10:00:00Z, status: investigating, message: Looking.}}
  - {{at: 2026-11-{1 + number % 20:02d}T11:00:00Z, status: resolved, message: Fixed.}}
"""
        for number in range(count)
    )


def files(site: Path) -> dict[str, bytes]:
    return {
        path.relative_to(site).as_posix(): path.read_bytes()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


@pytest.mark.slow
@pytest.mark.parametrize("languages", ["[en]", "[en, ar, ja]"])
def test_stamped_pages_are_mkdocs_pages(repo: Repo, languages: str) -> None:
    shutil.copytree(GOLDEN, repo.root, dirs_exist_ok=True)
    config = (repo.root / "site_config.yml").read_text(encoding="utf-8")
    repo.config(config.replace("site:\n", f"site:\n  languages: {languages}\n", 1))
    for number, text in enumerate(many(60).split("---\n")[1:]):
        (repo.root / f"incidents/2026-11-many-{number:02d}.yml").write_text(text, "utf-8")
    sites = {}
    for stamping in (True, False):
        out = repo.root.parent / f"site-{stamping}"
        build_site(repo.root, out, NOW, cache=False, shell=MkdocsMaterial(stamping=stamping))
        sites[stamping] = files(out)
    stamped, rendered = sites[True], sites[False]
    assert sorted(stamped) == sorted(rendered)
    assert not [name for name in stamped if SAMPLE in name]
    for page in (
        "incidents/2026-11-24-sign-in/index.html",
        "components/api/page/2/index.html",  # a paged list, deeper
        "history/2026/11/page/2/index.html",  # in the history's folder, deeper still
        "404.html",
    ):
        assert page in stamped
    for name, data in rendered.items():
        assert stamped[name].decode("utf-8", "replace") == data.decode("utf-8", "replace"), name


def test_a_theme_that_prints_more_of_each_page_gets_mkdocs_pages(repo: Repo) -> None:
    """A site's own main.html that prints something the stamps do not know of each page
    (its source file): the samples disagree, and every page goes through mkdocs."""
    shutil.copytree(GOLDEN, repo.root, dirs_exist_ok=True)
    (repo.root / "theme").mkdir(exist_ok=True)
    (repo.root / "theme/main.html").write_text(
        '{% extends "base.html" %}\n'
        "{% block extrahead %}{{ super() }}"
        '{% if page %}<meta name="source" content="{{ page.file.src_uri }}">{% endif %}'
        "{% endblock %}\n",
        encoding="utf-8",
    )
    out = repo.root.parent / "site"
    build_site(repo.root, out, NOW, cache=False)
    page = (out / "incidents/2026-11-24-sign-in/index.html").read_text(encoding="utf-8")
    assert '<meta name="source" content="incidents/2026-11-24-sign-in.md">' in page
    assert SAMPLE not in "".join(p.as_posix() for p in out.rglob("*"))


def test_compiled_templates_are_kept_in_the_cache_and_nowhere_else(repo: Repo) -> None:
    """material's templates, compiled, are kept in ROOT/.statusgen-cache/shell for the next
    build; without the cache, nowhere (nothing of a build lives in $TMPDIR)."""
    shutil.copytree(GOLDEN, repo.root, dirs_exist_ok=True)
    build_site(repo.root, repo.root.parent / "site", NOW)
    assert list((repo.root / ".statusgen-cache/shell").iterdir())
    shutil.rmtree(repo.root / ".statusgen-cache")
    build_site(repo.root, repo.root.parent / "site", NOW, cache=False)
    assert not (repo.root / ".statusgen-cache").exists()


def test_a_content_without_its_own_heading_goes_through_mkdocs(repo: Repo) -> None:
    """A site's own incident template that writes no heading: material writes one, which
    a stamp cannot, so those pages go through mkdocs, and the site is the one mkdocs
    renders alone, the stamped month pages beside them included."""
    shutil.copytree(GOLDEN, repo.root, dirs_exist_ok=True)
    (repo.root / "theme/statusgen").mkdir(parents=True, exist_ok=True)
    (repo.root / "theme/statusgen/incident.html").write_text(
        "<p>{{ incident.title }}</p>\n", encoding="utf-8"
    )
    sites = {}
    for stamping in (True, False):
        out = repo.root.parent / f"site-{stamping}"
        build_site(repo.root, out, NOW, cache=False, shell=MkdocsMaterial(stamping=stamping))
        sites[stamping] = files(out)
    assert sites[True] == sites[False]
    page = sites[True]["incidents/2026-11-24-sign-in/index.html"].decode("utf-8")
    assert "<h1" in page and "<p>" in page
    assert not [name for name in sites[True] if SAMPLE in name or "unheaded" in name]


@pytest.mark.slow
@pytest.mark.parametrize("headed", [True, False])
def test_two_processes_with_a_brand_in_two_languages_write_mkdocs_own_pages(
    repo: Repo, monkeypatch: pytest.MonkeyPatch, headed: bool
) -> None:
    """Pages split between two processes, the second writing its pages alone (none of the
    shell's own files), stamped, and without a heading of their own (through mkdocs
    aside): the site of one process rendering every page through mkdocs, byte for byte."""
    from generator.builder import parallel
    from tests.outputs.test_brand import BRAND, LOGO, PNG

    monkeypatch.setattr(parallel, "PARALLEL_FROM", 1)
    shutil.copytree(GOLDEN, repo.root, dirs_exist_ok=True)
    config = (repo.root / "site_config.yml").read_text(encoding="utf-8")
    brand = BRAND.replace("  links:\n", "  languages: [en, ar]\n  links:\n")
    zone = "  timezone: Europe/Berlin\n"
    repo.config(config.replace(zone, zone + brand))
    (repo.root / "theme").mkdir(exist_ok=True)
    (repo.root / "theme/logo.svg").write_text(LOGO, encoding="utf-8")
    (repo.root / "theme/favicon.png").write_bytes(PNG)
    if not headed:
        (repo.root / "theme/statusgen").mkdir(parents=True, exist_ok=True)
        (repo.root / "theme/statusgen/incident.html").write_text(
            "<p>{{ incident.title }}</p>\n", encoding="utf-8"
        )
    for number, text in enumerate(many(30).split("---\n")[1:]):
        (repo.root / f"incidents/2026-11-many-{number:02d}.yml").write_text(text, "utf-8")
    sites = {}
    for split in (True, False):
        out = repo.root.parent / f"site-{split}"
        shell = MkdocsMaterial(stamping=split)
        result = build_site(repo.root, out, NOW, cache=False, parallel=split, shell=shell)
        assert result.rendered == result.pages
        sites[split] = files(out)
    assert sites[True] == sites[False]
    leftovers = [p.name for p in repo.root.parent.iterdir() if p.name.startswith(".site")]
    assert not [name for name in leftovers if "-old-" not in name]  # a skeleton stays

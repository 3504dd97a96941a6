"""The render cache: reused only while nothing a page shows has changed, and invisible in
the output (a cached build is byte-identical to an uncached one)."""

from __future__ import annotations

import json
import os
import pickle
import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.builder.cache import CACHE_DIR
from generator.builder.pipeline import build_site
from generator.cli import main
from tests.sites import FILES, NOW, write_repository
from tests.trees import same_tree

PAGE = "incidents/2026-11-10-api/index.html"


def build(root: Path, out: str = "site", *args: str, now: str = NOW) -> tuple[Path, int]:
    """Build; return the site and how many pages were rendered (not from the cache)."""
    result = CliRunner().invoke(
        main, ["build", "--root", str(root), "--out", str(root / out), "--now", now, *args]
    )
    assert result.exit_code == 0, result.output
    rendered = re.search(r"\((\d+) rendered", result.stderr)
    assert rendered is not None
    return root / out, int(rendered.group(1))


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return write_repository(tmp_path / "repo")


@pytest.mark.slow
def test_a_second_build_renders_nothing_and_is_identical(root: Path) -> None:
    first, rendered = build(root, "a")
    assert rendered == 12
    second, rendered = build(root, "b")
    assert rendered == 0
    uncached, rendered = build(root, "c", "--no-cache")
    assert rendered == 12
    assert same_tree(first, second)
    assert same_tree(first, uncached)


@pytest.mark.slow
def test_a_changed_incident_renders_its_page_again(root: Path) -> None:
    build(root, "a")
    path = root / "incidents/2026-11-10-api.yml"
    path.write_text(path.read_text().replace("A fix is out.", "A fix is rolling out."))
    site, rendered = build(root, "b")
    assert 1 <= rendered < 12
    assert "A fix is rolling out." in (site / PAGE).read_text()
    fresh, _ = build(root, "c", "--no-cache")
    assert same_tree(site, fresh)


def test_the_config_invalidates_every_page(root: Path) -> None:
    build(root, "a")
    config = root / "site_config.yml"
    config.write_text(config.read_text().replace("Acme Cloud Status", "Acme Status"))
    site, rendered = build(root, "b")
    assert rendered == 12
    assert "<title>API requests fail - Acme Status</title>" in (site / PAGE).read_text()


def test_the_theme_invalidates_every_page(root: Path) -> None:
    build(root, "a")
    (root / "theme/statusgen").mkdir(parents=True)
    incident = Path(__file__).resolve().parents[2] / "theme/statusgen/incident.html"
    (root / "theme/statusgen/incident.html").write_text(
        incident.read_text().replace(
            '<h2 id="sg-updates">{{ _("Updates") }}</h2>', "<h2>Timeline</h2>"
        )
    )
    site, rendered = build(root, "b")
    assert rendered == 12
    assert "<h2>Timeline</h2>" in (site / PAGE).read_text()
    (root / "theme/assets/stylesheets").mkdir(parents=True)
    (root / "theme/assets/stylesheets/statusgen.css").write_text("body { color: red }\n")
    _, rendered = build(root, "c")
    assert rendered == 12  # any theme file changes the shell


def test_the_base_url_is_part_of_the_key(root: Path) -> None:
    build(root, "a")
    site, rendered = build(root, "b", "--base-url", "https://preview.example/")
    assert rendered == 12
    assert 'href="https://preview.example/incidents/2026-11-10-api/"' in (site / PAGE).read_text()


def test_time_renders_only_what_depends_on_it(root: Path) -> None:
    build(root, "a")
    # an hour later: the front page ("as of") and the page of the component whose outage
    # goes on (its uptime today) change; incident pages and the other components do not
    _, rendered = build(root, "b", now="2026-11-24T11:30:00Z")
    assert rendered == 2
    # in the maintenance window: its page, and what shows its phase, change
    site, rendered = build(root, "c", now="2026-11-28T02:00:00Z")
    assert 1 < rendered < 12
    assert "In progress" in (site / "incidents/2026-11-28-upgrade/index.html").read_text()


def test_a_hidden_update_appearing_renders_the_page_again(root: Path) -> None:
    path = root / "incidents/2026-11-24-sign-in.yml"
    path.write_text(
        path.read_text() + "  - at: 2026-11-24T12:00:00Z\n    status: resolved\n"
        "    message: Sign-in works again.\n"
    )
    first, _ = build(root, "a")
    assert (
        "Sign-in works again."
        not in (first / "incidents/2026-11-24-sign-in/index.html").read_text()
    )
    later, rendered = build(root, "b", now="2026-11-24T12:30:00Z")
    assert rendered >= 2
    assert "Sign-in works again." in (later / "incidents/2026-11-24-sign-in/index.html").read_text()


@pytest.mark.slow
def test_the_cache_keeps_only_the_last_build(root: Path) -> None:
    build(root, "a")
    pages = root / CACHE_DIR / "pages"
    count = len(list(pages.glob("*/*.html")))
    for minute in range(3):
        build(root, "a", now=f"2026-11-24T10:3{minute}:00Z")
    assert len(list(pages.glob("*/*.html"))) == count


def test_a_corrupt_incident_cache_is_ignored(root: Path) -> None:
    build(root, "a")
    entries = list((root / CACHE_DIR / "incidents").glob("*.json"))
    assert entries
    for entry in entries:
        entry.write_bytes(b"not JSON")
    site, _ = build(root, "b")
    assert (site / PAGE).is_file()


def test_two_processes_build_the_same_site_as_one(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import generator.builder.parallel as build_module

    monkeypatch.setattr(build_module, "PARALLEL_FROM", 1)
    now = datetime(2026, 11, 24, 10, 30, tzinfo=UTC)
    parallel = build_site(root, root / "a", now, cache=False)
    single = build_site(root, root / "b", now, cache=False, parallel=False)
    assert parallel.rendered == single.rendered == 12
    assert same_tree(root / "a", root / "b")


def test_a_recycled_site_is_the_same_as_a_fresh_one(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Large sites recycle the previous site as the next staging folder; what it held
    that the new build does not write must go."""
    import generator.builder.parallel as build_module

    monkeypatch.setattr(build_module, "PARALLEL_FROM", 1)
    monkeypatch.delenv("CI", raising=False)
    build(root, "site")
    assert list(root.glob(".site-old-*"))  # left for the next build to recycle
    path = root / "incidents/2026-11-10-api.yml"
    path.write_text(path.read_text().replace("A fix is out.", "A fix is rolling out."))
    (root / "incidents/2026-10-01-done.yml").unlink()  # its page and feed entries must go
    site, rendered = build(root, "site")
    assert 0 < rendered < 12
    assert not (site / "incidents/2026-10-01-done").exists()
    fresh, _ = build(root, "fresh", "--no-cache")
    assert same_tree(site, fresh)
    site, _ = build(root, "site")  # recycles the first site, two builds old
    assert same_tree(site, fresh)
    assert len(list(root.glob(".site-old-*"))) == 1


ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_an_edited_statusgen_never_serves_a_stale_page(tmp_path: Path) -> None:
    """A copy of statusgen, edited in a Python label and in a template between two cached
    builds: each edit shows on the unchanged pages (the cache keys hold the code)."""
    copy = tmp_path / "statusgen"
    shutil.copytree(ROOT / "generator", copy / "generator", ignore=_pycache)
    shutil.copytree(ROOT / "theme", copy / "theme")
    root = write_repository(tmp_path / "repo")
    page = root / "site" / PAGE

    def build_with_copy() -> str:
        done = subprocess.run(
            [sys.executable, "-m", "generator", "build", "--root", str(root), "--now", NOW],
            env={**os.environ, "PYTHONPATH": str(copy)},
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return page.read_text(encoding="utf-8")

    assert "Critical impact" in build_with_copy()
    vocabulary = copy / "generator/core/vocabulary.py"
    text = vocabulary.read_text(encoding="utf-8")
    vocabulary.write_text(text.replace('"Critical impact"', '"Severe impact"'), encoding="utf-8")
    shown = build_with_copy()
    assert "Severe impact" in shown and "Critical impact" not in shown
    template = copy / "theme/statusgen/incident.html"
    text = template.read_text(encoding="utf-8")
    template.write_text(
        text.replace('>{{ _("Updates") }}</h2>', ">Timeline</h2>"), encoding="utf-8"
    )
    assert ">Timeline</h2>" in build_with_copy()


def _pycache(_folder: str, names: list[str]) -> list[str]:
    return [name for name in names if name == "__pycache__"]


def test_the_cache_holds_no_pickle_and_a_planted_one_runs_nothing(root: Path) -> None:
    """A cache folder can arrive with a pull request: nothing in it may run code."""
    planted = root / "ran"
    payload = pickle.dumps(_Plant(str(planted)))
    (root / CACHE_DIR / "incidents").mkdir(parents=True)
    (root / CACHE_DIR / "markdown").mkdir(parents=True)
    for name in ("incidents/00.pickle", "markdown.pickle", "markdown/main.pickle"):
        (root / CACHE_DIR / name).write_bytes(payload)
    build(root, "a")
    assert not planted.exists()
    files = [p.name for p in (root / CACHE_DIR).rglob("*") if p.is_file()]
    assert files and not [name for name in files if name.endswith(".pickle")]
    for entry in (root / CACHE_DIR / "incidents").glob("*.json"):  # forged entries: misses
        pack = json.loads(entry.read_text(encoding="utf-8"))
        assert pack["entries"]
        pack["entries"] = {key: {"id": "<x>"} for key in pack["entries"]}
        entry.write_text(json.dumps(pack), encoding="utf-8")
    site, _ = build(root, "b")
    assert (site / PAGE).is_file()


class _Plant:
    """A pickle that, once loaded, would create a file."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (Path.write_text, (Path(self.path), "ran"))  # type: ignore[return-value]


def test_the_markdown_rendered_by_forked_workers_is_kept(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import generator.builder.parallel as processes

    monkeypatch.setattr(processes, "PARALLEL_FROM", 1)
    build(root, "a")
    parts = sorted((root / CACHE_DIR / "markdown").glob("*.json"))
    assert [p.stem for p in parts] == ["main", "share-1", "writer"]
    texts = {t for p in parts for t in json.loads(p.read_text(encoding="utf-8"))["renderings"]}
    # every message of every incident, though most pages were rendered by the other process
    for name in FILES:
        incident = (root / "incidents" / f"{name}.yml").read_text(encoding="utf-8")
        for line in incident.splitlines():
            if line.strip().startswith("message:") and "|" not in line:
                message = line.split("message:", 1)[1].strip()
                assert message in texts, message


def test_a_cached_incident_is_the_validated_one(root: Path) -> None:
    """The JSON the incident cache keeps decodes to the very record validation made."""
    from generator.builder.cache import decode_incident, encode_incident
    from generator.input.validate import load_repository

    incidents = load_repository(root).incidents
    assert incidents
    for incident in incidents:
        again = decode_incident(json.loads(json.dumps(encode_incident(incident))))
        assert again == incident
        assert [u.at.utcoffset() for u in again.updates] == [
            u.at.utcoffset() for u in incident.updates
        ]


def test_the_incident_cache_stores_fields_by_name(root: Path) -> None:
    """Every field of the model is stored under its name (an update's as well), those at
    their defaults left out: a new field needs no edit of the cache."""
    from dataclasses import MISSING, fields

    from generator.builder.cache import encode_incident
    from generator.core.model import Incident, Update
    from generator.input.validate import load_repository

    incident = load_repository(root).incidents[0]
    encoded = encode_incident(incident)
    for record, kind in ((encoded, Incident), (encoded["updates"][0], Update)):
        names = [f.name for f in fields(kind)]
        required = [
            f.name for f in fields(kind) if f.default is MISSING and f.default_factory is MISSING
        ]
        assert set(required) <= set(record) <= set(names)
    assert "phase" not in encoded and "overdue" not in encoded  # at their defaults
    assert encoded["title"] == incident.title


@pytest.mark.parametrize(
    ("where", "value"),
    [
        pytest.param(("impact",), "catastrophic", id="an impact the vocabulary lacks"),
        pytest.param(("kind",), "outage", id="a kind outside the literal"),
        pytest.param(("components", "api"), "broken", id="a component status"),
        pytest.param(("updates", 0, "status"), "fine", id="an update's status"),
        pytest.param(("updates", 0, "status_given"), 1, id="a number for a yes/no"),
        pytest.param(("updates", 0, "at"), ["2026-11-20T09:41:00", None], id="a naive time"),
        pytest.param(("updates", 0, "mark"), [1], id="a mark of one number"),
        pytest.param(("title",), "a\x00b", id="text the text rule refuses"),
        pytest.param(("updates",), [], id="no update"),
        pytest.param(("internal",), "secret", id="a field the model lacks"),
    ],
)
def test_a_cache_entry_the_code_would_not_write_is_a_miss(
    root: Path, where: tuple[str | int, ...], value: object
) -> None:
    from generator.builder.cache import _Malformed, decode_incident, encode_incident
    from generator.input.validate import load_repository

    incident = next(i for i in load_repository(root).incidents if "api" in i.components)
    data = json.loads(json.dumps(encode_incident(incident)))
    target = data
    for step in where[:-1]:
        target = target[step]
    target[where[-1]] = value
    with pytest.raises(_Malformed):
        decode_incident(data)


def test_a_cache_entry_missing_a_field_is_a_miss(root: Path) -> None:
    from generator.builder.cache import _Malformed, decode_incident, encode_incident
    from generator.input.validate import load_repository

    data = json.loads(json.dumps(encode_incident(load_repository(root).incidents[0])))
    del data["updates"][0]["message"]
    with pytest.raises(_Malformed):
        decode_incident(data)


def test_packs_of_another_code_or_config_are_dropped(root: Path) -> None:
    """After an upgrade or a new config no entry of the old packs can be asked for: each
    is dropped once read (holding them for the whole build cost 150 MB at 10,000
    incidents), and so is a pack of before scopes; the next build writes them anew."""
    from generator.builder.cache import IncidentCache, code_digest
    from generator.input.theme import packaged_theme

    build(root, "a")
    folder = root / CACHE_DIR
    packs = sorted((folder / "incidents").glob("*.json"))
    assert packs
    name = packs[0].stem
    config = (root / "site_config.yml").read_bytes()
    code = code_digest(packaged_theme())
    for other_code, other_config, read in (
        (code, config, True),
        ("another code", config, False),
        (code, config + b"\n# a new line\n", False),
    ):
        cache = IncidentCache(folder, other_code)
        cache.key(root / "x.yml", b"", other_config)
        assert bool(cache._pack(name)) is read
    entries = json.loads(packs[0].read_bytes())["entries"]
    packs[0].write_text(json.dumps(entries), encoding="utf-8")  # as before scopes
    cache = IncidentCache(folder, code)
    cache.key(root / "x.yml", b"", config)
    assert cache._pack(name) == {}
    build(root, "a")
    assert json.loads(packs[0].read_bytes())["entries"] == entries

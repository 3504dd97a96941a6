"""Shared fixtures: a small status repository in a temporary folder, the CLI runner, and
Chromium; the markers slow and browser (pyproject.toml), the latter set here on every test
that drives Chromium."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from playwright.sync_api import Browser

from generator.cli import main
from tests.browser import chromium

CONFIG = """\
site:
  name: Acme Cloud Status
  url: https://status.acme.example/
  timezone: Europe/Berlin
components:
  - id: api
    name: Public API
    group: Platform
  - id: dashboard
    name: Dashboard
  - id: auth
    name: Sign-in
    group: Platform
"""

INCIDENT = """\
title: Some customers cannot sign in
impact: major
components:
  auth: partial_outage
updates:
  - at: 2026-11-20T09:41:00Z
    status: investigating
    message: Some customers in the EU cannot sign in.
"""


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


@dataclass
class Repo:
    """A status repository under a temporary folder, and ways to run statusgen on it."""

    root: Path
    monkeypatch: pytest.MonkeyPatch

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dedent(text), encoding="utf-8")
        return path

    def incident(self, name: str, text: str = INCIDENT) -> Path:
        return self.write(f"incidents/{name}.yml", text)

    def run(self, *args: str) -> Result:
        """Run statusgen with the repository as the current directory."""
        self.monkeypatch.chdir(self.root)
        return CliRunner().invoke(main, list(args), catch_exceptions=False)

    def check(self) -> list[str]:
        """The lines `statusgen check` prints."""
        return self.run("check").stdout.splitlines()


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Repo]:
    repository = Repo(tmp_path, monkeypatch)
    repository.write("site_config.yml", CONFIG)
    yield repository


@pytest.fixture
def check_one(repo: Repo) -> Callable[[str], list[str]]:
    """Check a repository holding one incident file ``incidents/x.yml`` with this text."""

    def run(text: str) -> list[str]:
        repo.incident("x", text)
        return repo.check()

    return run


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, started once per test module that uses it on an xdist worker
    (--dist worksteal keeps a module's tests together, unless an idle worker takes some)."""
    with chromium() as running:
        yield running


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark browser every test that uses Chromium, so that `-m "not browser"` leaves it out;
    then spread the files with slow or browser tests evenly through the order (each file's
    tests kept together and in order): --dist worksteal gives each worker an equal run of
    consecutive tests, and each run then holds its share of the long files, instead of one
    worker starting on all of them while the others steal short tests."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
    files: dict[Path, list[pytest.Item]] = {}
    for item in items:
        files.setdefault(item.path, []).append(item)
    long = [p for p, tests in files.items() if any(_long(test) for test in tests)]
    short = [p for p in files if p not in long]
    ordered: list[pytest.Item] = []
    every = len(items) / max(len(long), 1)  # tests between two long files' starts
    for number, path in enumerate(long):
        while short and len(ordered) < number * every:
            ordered += files[short.pop(0)]
        ordered += files[path]
    for path in short:
        ordered += files[path]
    items[:] = ordered


def _long(item: pytest.Item) -> bool:
    return bool(item.get_closest_marker("slow") or item.get_closest_marker("browser"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/site from the current build instead of comparing",
    )

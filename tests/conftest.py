"""Shared fixtures: a small status repository in a temporary folder, the CLI runner, and
Chromium; the markers slow and browser (pyproject.toml), the latter set here on every test
that drives Chromium."""

from __future__ import annotations

import contextlib
import shutil
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from playwright.sync_api import Browser

from generator.cli import main
from tests.browser import chromium

#: Fixtures kept beside the peers they serve.
pytest_plugins = ["tests.dependencies.vendors"]

#: This repository, whose site_config.yml and incidents are the example.
EXAMPLE = Path(__file__).resolve().parent.parent

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
    """A status repository under a folder, and ways to run statusgen on it: the one way the
    tests make a repository. The fixture ``repo`` holds CONFIG and no incident; a test
    states what differs (``config``, ``change_config``, ``incident``, ``write``), or starts
    from a copy of the example (``Repo.example``)."""

    root: Path
    #: A test's; without one (a module fixture), ``run`` changes the current directory for
    #: the call only.
    patches: pytest.MonkeyPatch | None = None

    @property
    def monkeypatch(self) -> pytest.MonkeyPatch:
        assert self.patches is not None, "a repository of a module fixture has no monkeypatch"
        return self.patches

    @classmethod
    def at(cls, root: Path, config: str | None = CONFIG) -> Repo:
        """A repository in ``root`` holding ``config`` (none: no site_config.yml yet)."""
        repository = cls(root)
        root.mkdir(parents=True, exist_ok=True)
        if config is not None:
            repository.config(config)
        return repository

    @classmethod
    def example(cls, root: Path, *extra: str) -> Repo:
        """A copy of this repository's example (site_config.yml and incidents, and the
        ``extra`` files or folders named), as a repository made from the template holds it."""
        root.mkdir(parents=True, exist_ok=True)
        for name in ("site_config.yml", "incidents", *extra):
            if (EXAMPLE / name).is_dir():
                shutil.copytree(EXAMPLE / name, root / name)
            else:
                shutil.copy(EXAMPLE / name, root / name)
        return cls(root)

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dedent(text), encoding="utf-8")
        return path

    def config(self, text: str = CONFIG) -> Path:
        """site_config.yml of this text (dedented)."""
        return self.write("site_config.yml", text)

    def change_config(self, old: str, new: str) -> Path:
        """site_config.yml with ``old``, which it must hold, replaced by ``new``."""
        path = self.root / "site_config.yml"
        text = path.read_text(encoding="utf-8")
        assert old in text, f"site_config.yml holds no {old!r}"
        path.write_text(text.replace(old, new), encoding="utf-8")
        return path

    def incident(self, name: str, text: str = INCIDENT) -> Path:
        return self.write(f"incidents/{name}.yml", text)

    def incidents(self, files: dict[str, str]) -> None:
        """``incidents/NAME.yml`` of each text (dedented), by NAME."""
        for name, text in files.items():
            self.incident(name, text)

    def run(self, *args: str) -> Result:
        """Run statusgen with the repository as the current directory."""
        if self.patches is None:
            with contextlib.chdir(self.root):
                return CliRunner().invoke(main, list(args), catch_exceptions=False)
        self.patches.chdir(self.root)
        return CliRunner().invoke(main, list(args), catch_exceptions=False)

    def check(self) -> list[str]:
        """The lines `statusgen check` prints."""
        return self.run("check").stdout.splitlines()


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Repo]:
    repository = Repo(tmp_path, monkeypatch)
    repository.config()
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

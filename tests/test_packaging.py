"""The package as pip installs it: the theme ships inside, and no folder of it is forgotten."""

from __future__ import annotations

import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from tests.example import ROOT


def test_every_theme_folder_is_packaged() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    folders = {
        "generator.theme" + "".join(f".{part}" for part in path.relative_to(ROOT / "theme").parts)
        for path in [ROOT / "theme", *(ROOT / "theme").rglob("*")]
        if path.is_dir() and "__pycache__" not in path.parts
    }
    assert folders - listed == set(), "add these to [tool.setuptools] packages"


def test_every_python_package_is_packaged() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    packages = {
        ".".join(path.parent.relative_to(ROOT).parts)
        for path in (ROOT / "generator").rglob("__init__.py")
    }
    assert packages - listed == set(), "add these to [tool.setuptools] packages"


def test_every_catalog_folder_is_packaged() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    data = config["tool"]["setuptools"]["package-data"]
    locales = ROOT / "generator/language/locales"
    folders = {f"generator.language.locales.{path.name}.LC_MESSAGES" for path in locales.iterdir()}
    assert folders - listed == set(), "add these to [tool.setuptools] packages"
    assert all(data.get(folder) == ["statusgen.po"] for folder in folders), "and package-data"


@pytest.mark.slow
def test_the_wheel_carries_the_theme_catalogs_and_word_lists(tmp_path: Path) -> None:
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-v", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
        text=True,
    )
    # setuptools warns of data folders it could import but was not told of ("is absent from
    # the `packages` configuration ... would be ignored"): every folder is declared
    log = built.stdout + built.stderr
    assert "_Warning" not in log and "DeprecationWarning" not in log, log
    (wheel,) = tmp_path.glob("statusgen-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    catalogs = {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "generator/language").rglob("statusgen.p*")
    }
    assert len(catalogs) >= 10 and catalogs <= names
    theme = {p.relative_to(ROOT).as_posix() for p in (ROOT / "theme").rglob("*") if p.is_file()}
    assert {f"generator/{name}" for name in theme} <= names
    folder = ROOT / "generator/lint/wordlists"
    wordlists = {f"generator/lint/wordlists/{p.name}" for p in folder.glob("*")}
    assert wordlists and wordlists <= names

"""The whole built site of a small fixed repository, compared with its golden copy.

mkdocs-material's patch version, which it writes into every page, is normalized to 9.8.x:
pyproject.toml allows any 9.8 release, whose asset files (compared by digest) are the same.

Regenerate after an intended change, then review the diff:

    .venv/bin/pytest tests/test_golden.py --update-golden
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main

GOLDEN = Path(__file__).resolve().parent / "golden"
REPO = GOLDEN / "repo"
EXPECTED = GOLDEN / "site"
NOW = "2026-11-24T10:30:00Z"
#: Files kept whole in the golden copy (readable diffs); the rest only by digest.
TEXT = (".html", ".xml", ".json", ".atom", ".rss", ".ics", ".svg", ".css", ".js")
#: mkdocs-material's own assets: pinned with its version, checked by digest only.
MATERIAL = ("assets/javascripts/bundle.", "assets/stylesheets/main.", "assets/stylesheets/palette.")


#: mkdocs-material names its patch version in every page; pyproject allows any 9.8.x.
VERSION = re.compile(r"mkdocs-material-9\.8\.\d+")


def normalized(path: Path) -> bytes:
    data = path.read_bytes()
    if path.suffix == ".html":
        data = VERSION.sub("mkdocs-material-9.8.x", data.decode("utf-8")).encode("utf-8")
    return data


def manifest(site: Path) -> str:
    lines = []
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        digest = hashlib.sha256(normalized(path)).hexdigest()
        lines.append(f"{digest}  {path.relative_to(site).as_posix()}")
    return "\n".join(lines) + "\n"


def kept_whole(relative: str) -> bool:
    return relative.endswith(TEXT) and not relative.startswith(MATERIAL)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("golden") / "site"
    result = CliRunner().invoke(
        # --no-cache: a full render, and no cache written into the source tree
        main,
        ["build", "--root", str(REPO), "--out", str(out), "--now", NOW, "--no-cache"],
    )
    assert result.exit_code == 0, result.output
    return out


def test_golden_site(built: Path, request: pytest.FixtureRequest) -> None:
    if request.config.getoption("--update-golden"):
        shutil.rmtree(EXPECTED, ignore_errors=True)
        for path in built.rglob("*"):
            relative = path.relative_to(built).as_posix()
            if path.is_file() and kept_whole(relative):
                target = EXPECTED / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(normalized(path))
        (EXPECTED / "MANIFEST").write_text(manifest(built), encoding="utf-8")
    expected = (EXPECTED / "MANIFEST").read_text(encoding="utf-8")
    for line in expected.splitlines():
        relative = line.split("  ", 1)[1]
        if kept_whole(relative):  # compare text first: its diff says what changed
            assert normalized(built / relative).decode("utf-8") == (
                EXPECTED / relative
            ).read_bytes().decode("utf-8"), relative
    assert manifest(built) == expected

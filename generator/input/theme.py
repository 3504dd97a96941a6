"""Where the theme's files come from: the root's ``theme/`` first, file by file, then the
theme that ships with statusgen.

The root's theme is input like the incident files, and follows the same path rule
(``paths.py``): a file in it that is a link to somewhere outside the repository is an
error, never copied into the site.
"""

from __future__ import annotations

from pathlib import Path

from generator.core.diagnostics import Diagnostic
from generator.input.paths import Boundary

THEME_DIR = "theme"


def packaged_theme() -> Path:
    """The theme that ships with statusgen.

    An installed wheel carries it as ``generator/theme``; in a checkout (and an editable
    install) it is the repository's ``theme/`` beside the package.
    """
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "theme", package.parent / "theme"):
        if (candidate / "statusgen").is_dir():
            return candidate
    raise FileNotFoundError("statusgen's theme is missing from this installation")


def theme_dirs(root: Path) -> list[Path]:
    """Where theme files are looked up: the root's ``theme/`` first, file by file."""
    packaged = packaged_theme()
    local = (root / THEME_DIR).resolve()
    return [local, packaged] if local.is_dir() and local != packaged else [packaged]


def theme_problems(root: Path, boundary: Boundary) -> list[Diagnostic]:
    """Files of the root's theme that lead outside the repository."""
    folder = root / THEME_DIR
    if not folder.is_dir() or folder.resolve() == packaged_theme():
        return []
    problems = []
    for path in sorted(folder.rglob("*")):
        problem = boundary.problem(path)
        if problem is not None:
            problems.append(problem)
    return problems

"""Comparing whole folders, as the tests of builds need."""

from __future__ import annotations

import filecmp
from pathlib import Path


def same_tree(left: Path, right: Path) -> bool:
    """Whether two folders hold the same files with the same bytes, at every depth."""
    comparison = filecmp.dircmp(left, right)
    _, mismatch, errors = filecmp.cmpfiles(left, right, comparison.common_files, shallow=False)
    return (
        not comparison.left_only
        and not comparison.right_only
        and not mismatch
        and not errors
        and all(same_tree(left / name, right / name) for name in comparison.common_dirs)
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` by its relative path, with its bytes."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }

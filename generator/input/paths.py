"""The one path rule: statusgen reads nothing whose real path is outside the repository.

A link in the repository can point anywhere: ``incidents/x.yml -> ~/.ssh/id_ed25519``
would print a private key into a CI log in an error message, and a theme file linked to
``/proc/self/environ`` would publish the build's environment. Links inside the repository
are fine; a link that leaves it is an error that names it, and it is never read.
"""

from __future__ import annotations

from pathlib import Path

from generator.core.diagnostics import Diagnostic


def is_outside(root: Path, path: Path) -> bool:
    """Whether ``path``, links followed, lies outside ``root`` (links followed too)."""
    home = root.resolve()
    real = path.resolve()
    return real != home and home not in real.parents


def outside_problem(root: Path, path: Path) -> Diagnostic | None:
    """An error for a file that leads outside ``root``, or None."""
    if not is_outside(root, path):
        return None
    return Diagnostic(
        path,
        1,
        1,
        "this is a link to a file outside the repository; statusgen reads nothing there",
        "copy the file into the repository, or remove the link",
    )

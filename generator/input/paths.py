"""The one path rule: statusgen reads nothing whose real path is outside the repository.

A link in the repository can point anywhere: ``incidents/x.yml -> ~/.ssh/id_ed25519``
would print a private key into a CI log in an error message, and a theme file linked to
``/proc/self/environ`` would publish the build's environment. Links inside the repository
are fine; a link that leaves it is an error that names it, and it is never read.
"""

from __future__ import annotations

import os
from pathlib import Path

from generator.core.diagnostics import Diagnostic


class Boundary:
    """The real extent of a repository, asked about many files with few system calls:
    each folder is resolved once, each file only when it is itself a link."""

    def __init__(self, root: Path) -> None:
        self.home = os.path.realpath(root)
        self._inside = self.home.rstrip(os.sep) + os.sep
        self._folders: dict[str, str] = {}

    def outside(self, path: Path, link: bool | None = None) -> bool:
        """Whether ``path``, links followed, lies outside the repository; ``link`` says
        whether it is itself a link, when a folder's listing told already."""
        name = os.fspath(path)
        if os.path.islink(name) if link is None else link:  # noqa: PTH114 - strings: thousands
            real = os.path.realpath(name)
        else:
            folder, base = os.path.split(name)
            found = self._folders.get(folder)
            if found is None:
                found = self._folders[folder] = os.path.realpath(folder)
            real = os.path.join(found, base)  # noqa: PTH118
        return real != self.home and not real.startswith(self._inside)

    def problem(self, path: Path, link: bool | None = None) -> Diagnostic | None:
        """An error for a file that leads outside the repository, or None."""
        if not self.outside(path, link):
            return None
        return Diagnostic(
            path,
            1,
            1,
            "this is a link to a file outside the repository; statusgen reads nothing there",
            "copy the file into the repository, or remove the link",
        )

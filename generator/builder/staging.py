"""The target folder of a build: refused unless statusgen made it, staged beside it,
swapped in whole.

Everything a build writes goes into hidden folders next to the target (``.site-new-*``,
``.site-part-*``), on the same filesystem, so that the final step is one rename and
nothing is ever renamed across filesystems. The live site is never written into: a file
of the staging folder that may be a hard link shared with the live site (a recycled old
site is one) is unlinked and written anew, never truncated. One build at a time works
beside a target (a lock on its parent folder), so a build can clear whatever a killed
build left there.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from generator.builder.report import UsageError
from generator.core import locks
from generator.core.diagnostics import display_path
from generator.core.errors import WriteError, cannot_write

#: The file that marks a folder as a site statusgen built (and may replace whole).
MARKER = ".statusgen-site"
MARKER_TEXT = b"statusgen built this folder; 'statusgen build' replaces it whole.\n"
#: What sites built before the marker existed have, all of them.
_LEGACY = ("index.html", "sitemap.xml", "maintenance.ics", "api/v2/summary.json")
#: Folders of the repository a site may not be built into.
_SOURCES = ("incidents", "theme", "schemas", ".git")

OLD = "old"
#: How long a build waits for another one working beside the same target.
WAIT_SECONDS = 600.0


def describe(error: OSError, where: Path) -> str:
    """An OS error as a sentence naming the place."""
    return cannot_write(display_path(Path(error.filename or where)), error)


class Writer:
    """Writes files into a staging folder, each as a new file, and remembers them.

    A path is written once in a build: a second output that would replace a file
    another one wrote is refused (as Pelican's writer does), never silently obeyed."""

    def __init__(self, folder: Path, claimed: Mapping[str, str] | None = None) -> None:
        """``claimed``: paths another writer of the same build wrote into the folder, by
        the output that did (a build writes its other outputs in a forked process, and the
        sitemap in its own once the pages are planned): the rule holds across both."""
        self.folder = folder
        self.written: list[str] = []
        self.writers: dict[str, str] = dict(claimed or {})

    def write(self, path: str, data: bytes, by: str = "an output") -> None:
        """Write ``path`` for the output ``by``; WriteError when another wrote it already."""
        first = self.writers.get(path)
        if first is not None:
            raise WriteError(
                f"cannot write {path}: {first} wrote it already, and {by} would replace it"
            )
        target = self.folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        # the folder may be a recycled old site whose files are hard links of the live
        # site's: unlink, so that the new bytes go to a new inode
        target.unlink(missing_ok=True)
        with target.open("xb") as stream:
            stream.write(data)
        self.writers[path] = by
        self.written.append(path)


class Target:
    """The folder a build replaces, and the hidden folders beside it."""

    def __init__(self, root: Path, out: Path) -> None:
        self.root = root
        self.out = out
        self.parent = out.parent
        self.name = out.name

    def check(self) -> None:
        """Refuse a target whose replacement would destroy what statusgen did not make."""
        target, home = self.out.resolve(), self.root.resolve()
        shown = display_path(self.out)
        if target == home or target in home.parents:
            raise UsageError(
                f"--out {shown} would replace the repository itself; choose a subfolder"
            )
        for source in _SOURCES:
            folder = home / source
            if target == folder or folder in target.parents:
                raise UsageError(
                    f"--out {shown} is inside the repository's {source}/; "
                    "choose a folder of its own, such as site/"
                )
        if not target.exists():
            return
        if not target.is_dir():
            raise UsageError(f"{shown} exists and is not a folder; choose another --out")
        if any(target.iterdir()) and not self.made_by_statusgen():
            raise UsageError(
                f"{shown} exists and was not built by statusgen: it would be replaced "
                "whole; empty or remove it, or choose another --out"
            )

    def made_by_statusgen(self) -> bool:
        if (self.out / MARKER).is_file():
            return True
        return all((self.out / name).is_file() for name in _LEGACY)

    @contextlib.contextmanager
    def locked(self, seconds: float = WAIT_SECONDS) -> Iterator[None]:
        """This target to this build alone: another build beside it waits, ``seconds`` at
        most."""
        blocking = next((p for p in (self.parent, *self.parent.parents) if p.is_file()), None)
        if blocking is not None:
            raise WriteError(
                f"cannot write {display_path(self.out)}: {display_path(blocking)} is a file, "
                "not a folder"
            )
        with contextlib.ExitStack() as stack:
            try:
                self.parent.mkdir(parents=True, exist_ok=True)
                stack.enter_context(locks.locked(self.parent, seconds))
            except locks.LockTimeout as error:
                raise WriteError(
                    f"cannot write {display_path(self.out)}: {error}; run this build again "
                    "once that one has finished"
                ) from None
            except OSError as error:
                raise WriteError(describe(error, self.parent)) from None
            yield

    def folder(self, kind: str) -> Path:
        """A new hidden folder beside the target: ``.site-<kind>-<random>``."""
        try:
            made = Path(tempfile.mkdtemp(prefix=f".{self.name}-{kind}-", dir=self.parent))
        except OSError as error:
            raise WriteError(describe(error, self.parent)) from None
        made.chmod(0o755)
        return made

    def _hidden(self, kind: str) -> list[Path]:
        if not self.parent.is_dir():
            return []
        return [p for p in self.parent.glob(f".{self.name}-{kind}-*") if p.is_dir()]

    def clear_leftovers(self) -> None:
        """Remove what a killed build left beside the target (no other build runs now)."""
        for kind in ("new", "part", "pages"):
            for folder in self._hidden(kind):
                shutil.rmtree(folder, ignore_errors=True)

    def recycled(self) -> tuple[Path | None, list[Path]]:
        """The newest old site a previous build left, to be this build's staging folder,
        and the older ones, to be deleted."""
        found = self._hidden(OLD)
        found.sort(key=lambda p: p.stat().st_mtime, reverse=True)
        if not found:
            return None, []
        staging = self.out.with_name(f".{self.name}-new-{secrets.token_hex(4)}")
        found[0].rename(staging)
        return staging, found[1:]

    def swap(self, staging: Path) -> Path | None:
        """Put ``staging`` where the target is; return where the old site went.

        Where the system can (Linux), the two folders trade places in one step, so that
        there is no moment without a site, even for a build killed right then."""
        old = self.out.with_name(f".{self.name}-{OLD}-{secrets.token_hex(4)}")
        if self.out.exists():
            try:
                exchanged = _exchange(staging, self.out)
            except OSError as error:
                raise WriteError(describe(error, self.out)) from None
            if exchanged:
                staging.rename(old)  # it holds the old site now
                return old
        if not self.out.exists():
            try:
                staging.rename(self.out)
            except OSError as error:
                raise WriteError(describe(error, self.out)) from None
            return None
        try:
            self.out.rename(old)
        except OSError as error:
            raise WriteError(describe(error, self.out)) from None
        try:
            staging.rename(self.out)
        except OSError as error:
            old.rename(self.out)  # the previous site, as it was
            raise WriteError(describe(error, self.out)) from None
        return old

    def skeleton(self, folders: Iterable[str]) -> None:
        """The folders of a site, empty, for the next build to recycle as its staging
        folder (making them is most of the cost of placing thousands of pages). Made by a
        first build, which has no old site to leave beside the new one."""
        made = self.out.with_name(f".{self.name}-{OLD}-{secrets.token_hex(4)}")
        try:
            for folder in sorted(set(folders)):
                (made / folder).mkdir(parents=True, exist_ok=True)
        except OSError:  # the next build copes without
            shutil.rmtree(made, ignore_errors=True)


#: renameat2's flag that swaps two paths, and the directory argument "the working directory".
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (Linux's renameat2); False where that is not possible."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    renameat2.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    done = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    if done == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False  # an old kernel, or a filesystem without it: two renames instead
    raise OSError(code, os.strerror(code), str(second))


def remove_in_background(paths: list[Path]) -> subprocess.Popen[bytes] | None:
    """Delete folders in another process, while the build goes on."""
    if not paths:
        return None
    code = "import shutil, sys\nfor path in sys.argv[1:]:\n    shutil.rmtree(path, True)"
    return subprocess.Popen([sys.executable, "-c", code, *map(str, paths)])


def remove_strays(staging: Path, written: set[str]) -> None:
    """Delete what a recycled folder holds that this build did not write (``written``:
    the files' paths as :func:`files_under` gives them)."""
    emptied: set[str] = set()  # folders whose every file and folder is gone
    for folder, subfolders, names in os.walk(staging, topdown=False):
        kept = False
        for name in names:
            path = os.path.join(folder, name)
            if path in written:
                kept = True
            else:
                os.unlink(path)
        for name in subfolders:
            path = os.path.join(folder, name)
            if path not in emptied:
                kept = True
                continue
            try:
                os.rmdir(path)
            except OSError:  # not empty after all (a file written meanwhile): it stays
                kept = True
        if not kept:
            emptied.add(folder)


# The paths below are strings, joined as os.walk joins them: a build at 10,000 incidents
# moves and compares some 20,000 of them, and a Path costs several times a string.


def files_under(folder: Path) -> set[str]:
    """Every file below ``folder``, as a path string."""
    return {os.path.join(here, name) for here, _, names in os.walk(folder) for name in names}


def move_file(source: Path, target: Path, path: str) -> str:
    """Move ``source/path`` to ``target/path`` (a rename: it replaces the name, never the
    contents of a file the live site shares); the new path, as a string."""
    destination = os.path.join(target, path)
    try:
        os.replace(os.path.join(source, path), destination)
    except FileNotFoundError:
        os.makedirs(os.path.dirname(destination), exist_ok=True)
        os.replace(os.path.join(source, path), destination)
    return destination


def move_files(source: Path, target: Path) -> set[str]:
    """Move every file under ``source`` to the same place under ``target`` (a rename
    replaces the name, never the contents of a file the live site shares)."""
    moved = set()
    start = len(str(source)) + 1
    for folder, _, names in os.walk(source):
        for name in names:
            moved.add(move_file(source, target, os.path.join(folder, name)[start:]))
    return moved

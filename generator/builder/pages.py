"""The page cache: the final HTML of each page, in ``ROOT/.statusgen-cache/pages``, keyed
by what the page shows (see ``pipeline.py``; the key covers statusgen's own code, as every
entry of ``cache.py`` does). A hit skips both the content templates and the page shell; the
file is hard-linked into the new site (entries are written once and never changed, so a
link is as good as a copy).
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
from pathlib import Path

from generator.core.files import replacing


def copy(source: Path, target: Path) -> None:
    """Copy ``source`` to ``target`` through a temporary file beside the target, so that
    ``target`` is never seen half-written."""
    with replacing(target) as temporary:
        shutil.copyfile(source, temporary)


class PageCache:
    """Finished pages by key, in ``ROOT/.statusgen-cache/pages``; without it
    (``--no-cache``), in ``scratch``, a folder that lasts one build, made beside the site
    so that nothing crosses filesystems."""

    def __init__(self, folder: Path | None, scratch: Path | None = None) -> None:
        self._temporary = folder is None
        if folder is None:
            assert scratch is not None
            self.folder = scratch
        else:
            self.folder = folder / "pages"
        self.folder.mkdir(parents=True, exist_ok=True)

    def close(self) -> None:
        """Remove a folder that lasts one build."""
        if self._temporary:
            shutil.rmtree(self.folder, ignore_errors=True)

    def file(self, key: str) -> str:
        """Where the page of ``key`` is kept, as a string (a build places thousands)."""
        return f"{self.folder}/{key[:2]}/{key}.html"

    def path(self, key: str) -> Path:
        return Path(self.file(key))

    def has(self, key: str) -> bool:
        return key in self._keys

    @functools.cached_property
    def _keys(self) -> set[str]:
        """Every page the cache holds, from one listing of each of its folders (a build
        asks for each of its pages: 11,000 at 10,000 incidents, a file's status each)."""
        keys: set[str] = set()
        with os.scandir(self.folder) as folders:
            for folder in folders:
                if folder.is_dir(follow_symlinks=False):
                    with os.scandir(folder.path) as entries:
                        keys.update(e.name[:-5] for e in entries if e.name.endswith(".html"))
        return keys

    def store(self, key: str, rendered: Path) -> None:
        """Keep a freshly rendered page: a hard link to it (a copy across filesystems)."""
        self._keys.add(key)
        target = self.path(key)
        target.parent.mkdir(exist_ok=True)
        try:
            os.link(rendered, target)
        except FileExistsError:
            pass  # the same page, rendered by an earlier build that was stopped
        except OSError:
            copy(rendered, target)

    def place(self, key: str, target: str) -> None:
        """Put the page at ``target``: a hard link, or a copy where links cannot be made."""
        source = self.file(key)
        for attempt in ("first", "with its folder made"):
            try:
                os.link(source, target)
                return
            except FileNotFoundError:
                if attempt != "first" or not os.path.exists(source):
                    raise
                os.makedirs(os.path.dirname(target), exist_ok=True)
            except OSError:
                shutil.copyfile(source, target)
                return

    def place_all(self, placing: list[tuple[str, str]]) -> None:
        """Put each page (key, target) in place, but where the target is that very page
        already (a recycled old site holds the pages it shares with this one)."""
        for key, target in placing:
            try:
                here, cached = os.stat(target), os.stat(self.file(key))
                if (here.st_dev, here.st_ino) == (cached.st_dev, cached.st_ino):
                    continue
                os.unlink(target)
            except FileNotFoundError:
                pass
            self.place(key, target)

    def prune(self, keep: set[str]) -> None:
        """Forget every page this build did not use."""
        if self._temporary:
            return  # closed at the end of the build
        for key in self._keys - keep:  # listed when the build began, and stored since
            with contextlib.suppress(OSError):
                os.unlink(self.file(key))

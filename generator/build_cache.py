"""What a rebuild can reuse from the previous build: validated incidents and finished pages.

Both caches live in ``ROOT/.statusgen-cache/`` (never committed) and are keyed by digests
of everything their entries depend on, so a stale entry is never found, only left behind;
each build prunes what it did not use.

- Incidents: the validated record of an incident file, keyed by the file's bytes, the
  config's bytes and the generator's version. A rebuild reads every file but parses and
  validates only the changed ones.
- Pages: the final HTML of a page, keyed by what it shows (see ``build.py``). A hit skips
  both the content templates and mkdocs; the file is hard-linked into the new site (entries
  are written once and never changed, so a link is as good as a copy).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import tempfile
from pathlib import Path

from generator.model import Incident

CACHE_DIR = ".statusgen-cache"


def digest(*parts: bytes | str) -> str:
    """A hex digest of the parts, each length-prefixed so that no two lists collide."""
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "big"))
        hasher.update(data)
    return hasher.hexdigest()


class IncidentCache:
    """Validated incidents by the digest of their inputs, in 256 packs by the key's first
    two characters: one read each to load, and a rebuild rewrites only the packs whose
    entries changed."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder / "incidents" if folder is not None else None
        self.packs: dict[str, dict[str, Incident]] = {}
        self.used: dict[str, dict[str, Incident]] = {}
        if self.folder is not None and self.folder.is_dir():
            for path in self.folder.glob("*.pickle"):
                try:
                    pack = pickle.loads(path.read_bytes())  # written by this program
                except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
                    continue  # unreadable: its incidents are validated again
                if isinstance(pack, dict):
                    self.packs[path.stem] = pack

    def get(self, key: str) -> Incident | None:
        found = self.packs.get(key[:2], {}).get(key)
        if isinstance(found, Incident):
            self.used.setdefault(key[:2], {})[key] = found
            return found
        return None

    def put(self, key: str, incident: Incident) -> None:
        self.used.setdefault(key[:2], {})[key] = incident

    def save(self) -> None:
        """Write the packs whose entries changed; drop the entries this build did not use."""
        if self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        for name in self.packs.keys() - self.used.keys():
            (self.folder / f"{name}.pickle").unlink(missing_ok=True)
        for name, pack in self.used.items():
            if pack.keys() == self.packs.get(name, {}).keys():
                continue
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".new-")
            with os.fdopen(handle, "wb") as stream:
                pickle.dump(pack, stream, protocol=pickle.HIGHEST_PROTOCOL)
            Path(temporary).replace(self.folder / f"{name}.pickle")


class PageCache:
    """Finished pages by key; without a folder, a temporary one that lasts one build."""

    def __init__(self, folder: Path | None) -> None:
        self._temporary = folder is None
        self.folder = (
            Path(tempfile.mkdtemp(prefix="statusgen-pages-"))
            if folder is None
            else (folder / "pages")
        )
        self.folder.mkdir(parents=True, exist_ok=True)

    def path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.html"

    def has(self, key: str) -> bool:
        return self.path(key).is_file()

    def store(self, key: str, rendered: Path) -> None:
        """Move a freshly rendered page into the cache."""
        target = self.path(key)
        target.parent.mkdir(exist_ok=True)
        rendered.replace(target)

    def place(self, key: str, target: Path) -> None:
        """Put the page at ``target``: a hard link, or a copy where links cannot be made."""
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(self.path(key), target)
        except OSError:
            shutil.copyfile(self.path(key), target)

    def prune(self, keep: set[str]) -> None:
        """Forget every page this build did not use."""
        if self._temporary:
            shutil.rmtree(self.folder, ignore_errors=True)
            return
        for entry in self.folder.glob("*/*.html"):
            if entry.stem not in keep:
                entry.unlink(missing_ok=True)


class MarkdownCache:
    """Markdown renderings of the previous build, by text."""

    def __init__(self, folder: Path | None) -> None:
        self.path = folder / "markdown.pickle" if folder is not None else None

    def load(self) -> dict[str, str]:
        if self.path is None:
            return {}
        try:
            found = pickle.loads(self.path.read_bytes())  # written by this program
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
            return {}
        return found if isinstance(found, dict) else {}

    def save(self, renderings: dict[str, str]) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=self.path.parent, prefix=".markdown-")
        with os.fdopen(handle, "wb") as stream:
            pickle.dump(renderings, stream, protocol=pickle.HIGHEST_PROTOCOL)
        Path(name).replace(self.path)

"""``statusgen serve``: the site rebuilt on every change, behind the shell's live reload."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from generator.builder.cache import CACHE_DIR
from generator.core import locks
from generator.core.dependencies import DEPENDENCIES_DIR
from generator.input.theme import THEME_DIR
from generator.input.validate import CONFIG_NAME, INCIDENTS_DIR
from generator.shell import default

#: The file a running preview server holds a lock on.
ALIVE = ".alive"

#: What a change of rebuilds the preview.
WATCHED = (INCIDENTS_DIR, CONFIG_NAME, THEME_DIR, DEPENDENCIES_DIR)


def serve_site(
    root: Path,
    rebuild: Callable[[Path], bool],
    *,
    host: str,
    port: int,
    announce: Callable[[str], None],
) -> bool:
    """Build with ``rebuild(out)``, then serve ``out`` and rebuild it whenever a watched
    file changes, until interrupted. False when the first build failed (nothing served).

    The preview lives in the cache folder, on the same filesystem as the cache its pages
    come from.
    """
    cache = root.absolute() / CACHE_DIR
    cache.mkdir(parents=True, exist_ok=True)
    _clear_dead_previews(cache)
    with tempfile.TemporaryDirectory(prefix="serve-", dir=cache) as folder:
        # this preview is alive while its lock file is locked (the folder itself is locked
        # by each build into it)
        alive = Path(folder) / ALIVE
        alive.touch(0o600)
        with locks.locked(alive, 0):
            out = Path(folder) / "site"
            if not rebuild(out):
                return False
            default().serve(
                lambda: rebuild(out),
                out,
                [root / name for name in WATCHED],
                host=host,
                port=port,
                announce=announce,
            )
    return True


def _clear_dead_previews(cache: Path) -> None:
    """Remove the previews of servers that were killed (no one holds their lock)."""
    for folder in cache.glob("serve-*"):
        try:
            (folder / ALIVE).touch(0o600)
            with locks.locked(folder / ALIVE, 0):
                pass
        except locks.LockTimeout:
            continue  # another statusgen serve is running on it
        except OSError:
            continue
        shutil.rmtree(folder, ignore_errors=True)

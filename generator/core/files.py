"""Writing a file whole or not at all."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def replacing(path: Path, *, mode: int | None = None, durable: bool = False) -> Iterator[Path]:
    """A temporary file beside ``path`` to write, renamed over ``path`` when the block ends
    without an error, so that a reader sees the old file or the new one, never a part.
    ``mode`` sets the new file's permissions (default: readable by its owner only).
    ``durable`` also flushes the file and the rename to disk, for a record that must
    survive a crash of the machine. The temporary file is gone after an error."""
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        if durable:
            _flush(temporary, os.O_WRONLY)
        if mode is not None:
            temporary.chmod(mode)
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    if durable:
        _flush(path.parent, os.O_RDONLY)


def write_atomically(
    path: Path, data: bytes, *, mode: int | None = None, durable: bool = False
) -> None:
    """Write ``data`` to ``path`` whole or not at all (see ``replacing``); OSError when it
    cannot."""
    with replacing(path, mode=mode, durable=durable) as temporary:
        temporary.write_bytes(data)


def _flush(path: Path, flags: int) -> None:
    """What the system holds of ``path`` (a file, or a folder's entries) written to disk."""
    handle = os.open(path, flags)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def write_out(path: Path, data: bytes, *, mode: int | None = None) -> None:
    """Write ``data`` where a person asked for it (``--out``): a file whole or not at all
    (see ``replacing``), through a symbolic link to the file it names (the link stays);
    a device or a pipe (``/dev/stdout``, a FIFO) straight through, since it is no file
    to replace and has no "whole". OSError when it cannot."""
    try:
        found = path.stat()  # through links: /dev/stdout -> /proc/self/fd/1 -> a pipe
    except FileNotFoundError:
        found = None
    if found is not None and not stat.S_ISREG(found.st_mode):
        with path.open("wb") as stream:
            stream.write(data)
        return
    write_atomically(path.resolve() if path.is_symlink() else path, data, mode=mode)

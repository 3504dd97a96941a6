"""One process at a time in a folder: the lock of builds, of authoring and of the ledger.

An advisory lock (``flock``) on the folder itself, so that nothing is written into it and
nothing is left behind by a process that was killed: the system releases the lock with the
process. A process waits for it a limited time, then says which folder and what holds it.
(A preview server locks a file of its folder instead, since each build locks the folder.)
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

from generator.core.diagnostics import display_path

#: How often a waiting process tries the lock again.
_RETRY_SECONDS = 0.02


class LockTimeout(TimeoutError):
    """Another process held a folder for longer than this one would wait."""

    def __init__(self, folder: Path, seconds: float, holder: str) -> None:
        self.folder = folder
        self.seconds = seconds
        self.holder = holder
        super().__init__(
            f"the folder {display_path(folder)} is locked by {holder}; waited {seconds:g} s for it"
        )


@contextlib.contextmanager
def locked(folder: Path, seconds: float) -> Iterator[None]:
    """``folder`` to this process alone: another one that asks waits until it is done.
    LockTimeout after ``seconds`` of waiting; OSError when the folder cannot be opened."""
    handle = os.open(folder, os.O_RDONLY)
    try:
        deadline = time.monotonic() + seconds
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise LockTimeout(folder, seconds, holder(folder)) from None
                time.sleep(_RETRY_SECONDS)
        yield
    finally:
        os.close(handle)  # releases the lock


def holder(folder: Path, table: Path = Path("/proc/locks")) -> str:
    """What holds the lock on ``folder``: "process 4242 (statusgen)" where the system says
    (Linux's ``/proc/locks``), else "another process". The program's name only, never its
    command line, which may hold a secret."""
    try:
        found = folder.stat()
        lines = table.read_text(encoding="ascii").splitlines()
    except (OSError, UnicodeDecodeError):
        return "another process"
    device = f"{os.major(found.st_dev):02x}:{os.minor(found.st_dev):02x}:{found.st_ino}"
    for line in lines:
        fields = line.split()
        # "1: FLOCK  ADVISORY  WRITE 4242 08:01:1234 0 EOF"; a waiter's line has "->"
        if len(fields) >= 6 and fields[1] == "FLOCK" and fields[5] == device:
            return _process(fields[4])
    return "another process"


def _process(pid: str) -> str:
    try:
        name = Path("/proc", pid, "comm").read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return f"process {pid}"
    return f"process {pid} ({name})" if name else f"process {pid}"

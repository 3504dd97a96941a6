"""The one folder lock (core/locks.py), and the three that use it: build, authoring, ledger."""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.builder import staging
from generator.core import locks
from generator.core.diagnostics import display_path
from generator.core.errors import WriteError
from generator.input import authoring
from generator.notify import ledger


@pytest.fixture
def held(tmp_path: Path) -> Iterator[Path]:
    """A folder another open file holds the lock of (flock locks an open file, so this
    process's own second attempt waits as another process's would)."""
    folder = tmp_path / "folder"
    folder.mkdir()
    handle = os.open(folder, os.O_RDONLY)
    fcntl.flock(handle, fcntl.LOCK_EX)
    try:
        yield folder
    finally:
        os.close(handle)


def _me() -> str:
    name = Path("/proc", str(os.getpid()), "comm").read_text(encoding="utf-8").strip()
    return f"process {os.getpid()} ({name})"


def test_a_free_folder_is_taken_at_once_and_given_back(tmp_path: Path) -> None:
    with locks.locked(tmp_path, 0):
        pass
    with locks.locked(tmp_path, 0):  # released by the first
        pass


def test_a_held_folder_times_out_naming_the_folder_and_its_holder(held: Path) -> None:
    started = time.monotonic()
    with pytest.raises(locks.LockTimeout) as raised, locks.locked(held, 0.1):
        pytest.fail("the lock was taken twice")
    assert time.monotonic() - started >= 0.1
    assert str(raised.value) == (
        f"the folder {display_path(held)} is locked by {_me()}; waited 0.1 s for it"
    )
    assert isinstance(raised.value, TimeoutError)


def test_the_holder_is_read_from_the_system_table(tmp_path: Path) -> None:
    found = tmp_path.stat()
    device = f"{os.major(found.st_dev):02x}:{os.minor(found.st_dev):02x}:{found.st_ino}"
    table = tmp_path / "locks"
    table.write_text(
        f"1: -> FLOCK  ADVISORY  WRITE 7 {device} 0 EOF\n"
        f"2: POSIX  ADVISORY  WRITE 8 {device} 0 EOF\n"
        f"3: FLOCK  ADVISORY  WRITE {os.getpid()} {device} 0 EOF\n",
        encoding="ascii",
    )
    assert locks.holder(tmp_path, table) == _me()
    assert locks.holder(tmp_path, tmp_path / "absent") == "another process"
    table.write_text("1: FLOCK  ADVISORY  WRITE 7 00:00:1 0 EOF\n", encoding="ascii")
    assert locks.holder(tmp_path, table) == "another process"


def test_a_build_waits_a_limited_time_for_another_one(held: Path) -> None:
    target = staging.Target(held.parent, held / "site")
    with pytest.raises(WriteError) as raised, target.locked(0.1):
        pytest.fail("two builds beside one target")
    assert str(raised.value) == (
        f"cannot write {display_path(held / 'site')}: the folder {display_path(held)} is "
        f"locked by {_me()}; waited 0.1 s for it; run this build again once that one has "
        "finished"
    )


def test_authoring_locks_the_incident_folder(held: Path) -> None:
    with pytest.raises(TimeoutError), authoring.locked(held / "incident.yml", 0.05):
        pytest.fail("two writers of one incident folder")


def test_the_ledger_waits_for_another_run(held: Path) -> None:
    with pytest.raises(ledger.LedgerError) as raised, ledger.held(held / "notified.json", 0.05):
        pytest.fail("two runs with one ledger")
    assert "another statusgen notify has used the ledger" in str(raised.value)

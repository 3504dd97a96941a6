"""builder/parallel.py: a forked process's result, its error, or the news that it died."""

from __future__ import annotations

import os
import signal

import pytest

from generator.builder.parallel import Background
from generator.core.errors import ShellError, WorkerError


def _double(number: int) -> int:
    return number * 2


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _exit() -> None:
    os._exit(3)


class _Unpicklable(Exception):
    def __init__(self, reason: str, handle: object) -> None:
        super().__init__(reason)
        self.handle = handle


def _fail_unpicklably() -> None:
    raise _Unpicklable("broken", lambda: None)


def _fail_in_the_shell() -> None:
    raise ShellError("theme: broken")


def test_the_result_comes_back() -> None:
    assert Background(_double, 21).result() == 42


def test_an_error_that_travels_is_raised_as_it_was() -> None:
    with pytest.raises(ShellError, match=r"^theme: broken$"):
        Background(_fail_in_the_shell).result()


def test_an_error_that_cannot_travel_is_a_worker_error_naming_it() -> None:
    with pytest.raises(WorkerError) as raised:
        Background(_fail_unpicklably).result()
    assert str(raised.value) == "a build process failed: _Unpicklable: broken"


def test_a_killed_process_is_a_worker_error_saying_so() -> None:
    with pytest.raises(WorkerError) as raised:
        Background(_die).result()
    assert str(raised.value) == "a build process died without a result (killed by SIGKILL)"
    assert not isinstance(raised.value, ShellError)


def test_a_process_that_exits_early_is_a_worker_error_with_its_status() -> None:
    with pytest.raises(WorkerError) as raised:
        Background(_exit).result()
    assert str(raised.value) == "a build process died without a result (exit status 3)"

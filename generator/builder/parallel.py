"""The second core: work done in a forked process beside the build's own.

A forked child starts with the parent's memory (the validated site, the plan), so nothing
is sent to it; it sends back its result, or the error that stopped it, and exits, freeing
its memory as soon as it is done.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from generator.core.errors import WorkerError

T = TypeVar("T")

#: Below this many pages to render, a second process costs more than it saves.
PARALLEL_FROM = 200


def shares(misses: int, parallel: bool) -> int:
    """How many processes render ``misses`` pages."""
    return 2 if parallel and misses >= PARALLEL_FROM and (os.cpu_count() or 1) > 1 else 1


class Background(Generic[T]):
    """``function(*args)`` run in a forked process."""

    def __init__(self, function: Callable[..., T], *args: Any) -> None:
        context = multiprocessing.get_context("fork")
        self.receiver, sender = context.Pipe(duplex=False)
        self.process = context.Process(target=self._run, args=(sender, function, args))
        self.process.start()
        sender.close()

    @staticmethod
    def _run(sender: Any, function: Callable[..., Any], args: tuple[Any, ...]) -> None:
        try:
            sender.send((True, function(*args)))
        except BaseException as error:  # raised again by result() in the parent
            try:
                pickle.dumps(error)
            except Exception:
                error = WorkerError(f"a build process failed: {type(error).__name__}: {error}")
            sender.send((False, error))

    def result(self) -> T:
        """The function's result, or the exception it raised; WorkerError when the process
        died first (killed, or out of memory)."""
        try:
            done, value = self.receiver.recv()
        except EOFError:
            self.process.join()
            raise WorkerError(
                f"a build process died without a result ({_death(self.process.exitcode)})"
            ) from None
        self.process.join()
        if not done:
            raise value
        result: T = value
        return result

    def stop(self) -> None:
        self.process.terminate()
        self.process.join()


def _death(code: int | None) -> str:
    """How a process ended, from its exit code (minus the signal that killed it)."""
    if code is not None and code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit status {code}"

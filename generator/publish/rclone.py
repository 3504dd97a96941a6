"""The ``rclone`` binary, run as a subprocess with only DEST's environment to go by.

rclone reads remotes from a config file unless told otherwise; a file that arrived in the
repository must never count, so every run gets ``--config`` pointing at an empty file of our
own, and remotes come from ``RCLONE_CONFIG_<NAME>_*`` variables and connection strings
only. The variables that would change what a run reads, sends or logs (a log file, filters,
a dry run) are dropped: the plan is exact, and rclone's JSON log is what we read.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.publish.destination import Destination

INSTALL = "install rclone: sudo apt-get install rclone, or https://rclone.org/install/"

#: Global flags (as RCLONE_* variables) that would change the plan, what is sent, or the log
#: we read; remote definitions and backend options (RCLONE_CONFIG_M_*, RCLONE_S3_*) stay.
DROPPED = frozenset(
    {
        "RCLONE_CONFIG", "RCLONE_DRY_RUN", "RCLONE_INTERACTIVE", "RCLONE_VERBOSE",
        "RCLONE_QUIET", "RCLONE_USE_JSON_LOG", "RCLONE_CHECKSUM", "RCLONE_SIZE_ONLY",
        "RCLONE_UPDATE", "RCLONE_IMMUTABLE", "RCLONE_NO_CHECK_DEST", "RCLONE_COMBINED",
        "RCLONE_DOWNLOAD", "RCLONE_ONE_WAY", "RCLONE_ERROR_ON_NO_TRANSFER",
    }
)  # fmt: skip
DROPPED_PREFIXES = (
    "RCLONE_LOG_", "RCLONE_STATS", "RCLONE_FILTER", "RCLONE_INCLUDE", "RCLONE_EXCLUDE",
    "RCLONE_FILES_FROM", "RCLONE_MIN_", "RCLONE_MAX_", "RCLONE_IGNORE_", "RCLONE_DELETE_",
    "RCLONE_BACKUP_", "RCLONE_SUFFIX", "RCLONE_COMPARE_DEST", "RCLONE_COPY_DEST",
)  # fmt: skip

#: How every run logs: JSON lines at NOTICE, and one line of stats when it ends (rclone
#: prints final stats only while periodic ones are on: every hour never fires in practice).
LOGGING = (
    "--use-json-log", "--log-level", "NOTICE", "--stats-log-level", "NOTICE",
    "--stats", "1h", "--stats-one-line",
)  # fmt: skip

_FATAL = re.compile(r"^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d (?:[A-Z]+ *: )?(.*)$")


#: How rclone begins its last words ("Failed to copy: ..."): our message says what failed.
_FAILED = re.compile(r"^Failed to [\w ]+?: ")


class RcloneError(Exception):
    """rclone is missing, or a run of it failed; the message is masked."""


@dataclass
class Stats:
    """What rclone counted: files sent, their bytes, files deleted."""

    transfers: int = 0
    bytes: int = 0
    deletes: int = 0

    def add(self, other: Stats) -> None:
        self.transfers += other.transfers
        self.bytes += other.bytes
        self.deletes += other.deletes


@dataclass
class Run:
    """One finished run of rclone: its exit status, its stats, its errors (masked), and
    its last fatal line (``Failed to ...``), if any."""

    returncode: int
    stats: Stats
    output: str = ""
    errors: list[str] = field(default_factory=list)
    fatal: str = ""

    def problem(self) -> str:
        said = [_FAILED.sub("", self.fatal)] if self.fatal else []
        said += [error for error in self.errors if error not in said][:3]
        return "; ".join(said) or f"rclone exited with status {self.returncode}"


@dataclass(frozen=True)
class Rclone:
    """The rclone found on PATH, with an empty config file of our own (under ``scratch``)."""

    binary: str
    config: Path
    destination: Destination
    environ: Mapping[str, str]

    @classmethod
    def find(cls, scratch: Path, destination: Destination) -> Rclone:
        binary = shutil.which("rclone")
        if binary is None:
            raise RcloneError(f"rclone was not found on PATH; {INSTALL}")
        config = scratch / "rclone.conf"
        config.write_text("", encoding="utf-8")
        environ = {name: value for name, value in os.environ.items() if _kept(name)}
        environ["RCLONE_CONFIG"] = str(config)
        return cls(binary, config, destination, environ)

    def run(self, *arguments: str) -> Run:
        """Run ``rclone ARGUMENTS`` and read its JSON log; never raises for rclone's own
        failure (see :attr:`Run.returncode`)."""
        command = [self.binary, *arguments, "--config", str(self.config), *LOGGING]
        try:
            finished = subprocess.run(
                command, capture_output=True, text=True, env=dict(self.environ), check=False
            )
        except OSError as error:
            raise RcloneError(
                f"rclone could not be started ({error.strerror}); {INSTALL}"
            ) from None
        run = Run(finished.returncode, Stats(), finished.stdout)
        for line in finished.stderr.splitlines():
            self._read(line, run)
        return run

    def hashes(self, dest: str) -> list[str]:
        """The hashes DEST keeps for its files, which rclone can compare with local ones."""
        run = self.run("backend", "features", dest)
        if run.returncode != 0:
            raise RcloneError(run.problem())
        try:
            features: Any = json.loads(run.output)
            found = features.get("Hashes") or []
        except (ValueError, AttributeError):
            raise RcloneError("rclone backend features printed no JSON") from None
        return [str(name) for name in found]

    def _read(self, line: str, run: Run) -> None:
        line = line.strip()
        if not line:
            return
        try:
            entry: Any = json.loads(line)
        except ValueError:
            entry = None
        if not isinstance(entry, dict):
            fatal = _FATAL.match(line)
            run.fatal = self.destination.mask(fatal.group(1) if fatal else line)
            return
        if isinstance(entry.get("stats"), dict):
            stats = entry["stats"]
            run.stats = Stats(
                int(stats.get("transfers", 0)), int(stats.get("bytes", 0)),
                int(stats.get("deletes", 0)),
            )  # fmt: skip
            return
        if entry.get("level") in ("error", "critical"):
            what = str(entry.get("object") or "")
            message = str(entry.get("msg", "")).strip()
            run.errors.append(self.destination.mask(f"{what}: {message}" if what else message))


def _kept(name: str) -> bool:
    return name not in DROPPED and not name.startswith(DROPPED_PREFIXES)

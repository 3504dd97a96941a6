"""``statusgen publish DEST``: the built site uploaded to any storage host through rclone,
sending only what changed, in an order that never lets a page link a missing file.

The plan is recomputed from what DEST holds on every run (``rclone check``, by hash where
DEST keeps one that rclone can compare, else by content), so a run that was killed half-way
converges when run again. Then, each step finished before the next begins:

1. new and changed assets (CSS, scripts, images, badges, the calendar: all but the below);
2. new and changed feeds and JSON (``.atom``, ``.rss``, ``.xml``, ``.json``), the API;
3. new pages, then 4. changed pages (a changed page may link a new one; on a first upload
   the front page comes with them, after every page it links);
5. ``live.json``, the marker ``statusgen verify`` waits for: only once the whole build is there;
6. deletions, and the folders they leave empty.
"""

from __future__ import annotations

import re
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Literal

from generator.core import routes
from generator.publish.destination import Destination
from generator.publish.rclone import Rclone, RcloneError, Run, Stats

FRONT_PAGE = "index.html"
#: The file by which ``statusgen build`` knows a folder it built; not part of the site.
BUILD_MARKER = ".statusgen-site"

Mark = Literal["+", "*", "-"]

ASSETS, FEEDS, NEW_PAGES, CHANGED_PAGES, LIVE, DELETIONS = range(6)
PHASES = ("assets", "feeds and JSON", "new pages", "changed pages", "live.json", "deletions")
FEED_SUFFIXES = (".atom", ".rss", ".xml", ".json", ".xml.gz")
PAGE_SUFFIXES = (".html", ".htm")

_DIFFERENCES = re.compile(
    r"^Failed to check(?: with \d+ errors: last error was)?: \d+ differences found$"
)


class PublishError(Exception):
    """rclone is missing, the site is missing, or the upload failed: the message says which."""


@dataclass(frozen=True)
class Change:
    """One file to send (``+`` new, ``*`` changed) or delete (``-``), by its site path."""

    mark: Mark
    path: str
    size: int

    @property
    def phase(self) -> int:
        if self.mark == "-":
            return DELETIONS
        if self.path == routes.live():
            return LIVE
        name = self.path.lower()
        if name.endswith(PAGE_SUFFIXES):
            # a new front page (a first upload) links the other new pages: it goes after them
            new = self.mark == "+" and self.path != FRONT_PAGE
            return NEW_PAGES if new else CHANGED_PAGES
        if name.endswith(FEED_SUFFIXES):
            return FEEDS
        return ASSETS


@dataclass(frozen=True)
class Plan:
    """What DEST lacks of the site, in the order it is sent, and how many files match."""

    changes: tuple[Change, ...]
    unchanged: int

    def phase(self, phase: int) -> list[Change]:
        return [change for change in self.changes if change.phase == phase]

    @property
    def sending(self) -> list[Change]:
        return [change for change in self.changes if change.mark != "-"]

    @property
    def deleting(self) -> list[Change]:
        return self.phase(DELETIONS)


@dataclass(frozen=True)
class Published:
    """What a run did (or, with ``dry_run``, would do)."""

    dest: str
    plan: Plan
    sent: int
    sent_bytes: int
    deleted: int
    seconds: float
    dry_run: bool

    def summary(self) -> str:
        if self.dry_run:
            size = _size(sum(change.size for change in self.plan.sending))
            return (
                f"Would publish the site to {self.dest}: {_count(len(self.plan.sending))} to "
                f"send ({size}), {len(self.plan.deleting):,} to delete, "
                f"{self.plan.unchanged:,} unchanged; nothing was sent."
            )
        return (
            f"Published the site to {self.dest}: {_count(self.sent)} sent "
            f"({_size(self.sent_bytes)}), {self.deleted:,} deleted, "
            f"{self.plan.unchanged:,} unchanged, in {self.seconds:.1f} s"
        )


def publish_site(
    site: Path,
    dest: str,
    dry_run: bool,
    say: Callable[[str], None],
    show: Callable[[str], None] | None = None,
) -> Published:
    """Upload ``site`` to ``dest`` (an rclone remote path), or with ``dry_run`` list what
    would change, one ``+``/``*``/``-`` line per file through ``show`` (default ``say``),
    in the order it would be sent. Ends with one summary line through ``say``."""
    started = time.monotonic()
    _require_site(site)
    destination = Destination.parse(dest)
    _refuse_inside(site, destination)
    with tempfile.TemporaryDirectory(prefix="statusgen-publish-") as name:
        scratch = Path(name)
        try:
            rclone = Rclone.find(scratch, destination)
            plan = _plan(rclone, site, scratch)
        except RcloneError as error:
            raise _unreadable(destination, error) from None
        if dry_run:
            for change in plan.changes:
                (show or say)(f"{change.mark} {change.path}")
            done = Published(destination.shown, plan, 0, 0, 0, 0.0, dry_run=True)
            say(done.summary())
            return done
        stats = _send(rclone, site, plan, scratch)
    done = Published(
        destination.shown, plan, stats.transfers, stats.bytes, stats.deletes,
        time.monotonic() - started, dry_run=False,
    )  # fmt: skip
    say(done.summary())
    return done


def _unreadable(destination: Destination, error: RcloneError) -> PublishError:
    hint = ""
    if "didn't find section in config file" in str(error):
        remote = re.split(r"[,:]", destination.given, maxsplit=1)[0].upper().replace("-", "_")
        hint = (
            f" (define the remote with RCLONE_CONFIG_{remote}_TYPE=... variables, or give a "
            "connection string, quoted whole: \":webdav,url='https://dav.example':path\"; "
            "publish never reads an rclone config file)"
        )
    return PublishError(f"publish could not read {destination.shown}: {error}{hint}")


def _require_site(site: Path) -> None:
    missing = [name for name in (FRONT_PAGE, routes.live()) if not (site / name).is_file()]
    if missing:
        what = " and ".join(missing)
        raise PublishError(
            f"{site} holds no built site (no {what}): run `statusgen build` first, "
            "or give the built folder with --out"
        )


def _refuse_inside(site: Path, destination: Destination) -> None:
    folder = destination.local_folder()
    if folder is None:
        return
    target = Path(folder).expanduser().resolve()
    if target == site.resolve() or site.resolve() in target.parents:
        raise PublishError(
            f"{destination.shown} is the site folder {site} or inside it: "
            "publish to another folder or a remote"
        )


def _plan(rclone: Rclone, site: Path, scratch: Path) -> Plan:
    """Compare the site with DEST: by a hash both keep, else by downloading DEST's files
    (WebDAV and FTP keep none rclone can read; their sizes alone would miss a changed
    ``live.json``, whose build id never changes its length)."""
    dest = rclone.destination.given
    combined = scratch / "combined.txt"
    compare = [] if rclone.hashes(dest) else ["--download"]
    run = rclone.run(
        "check", str(site), dest, "--combined", str(combined), "--exclude", f"/{BUILD_MARKER}",
        *compare,
    )  # fmt: skip
    listed = combined.read_text(encoding="utf-8") if combined.exists() else ""
    entries = [(line[:1], line[2:]) for line in listed.split("\n") if len(line) > 2]
    unreadable = [path for mark, path in entries if mark == "!"]
    if unreadable:
        raise RcloneError(f"could not compare {', '.join(unreadable[:3])}: {run.problem()}")
    if run.returncode != 0 and not _DIFFERENCES.match(run.fatal):
        raise RcloneError(run.problem())
    changes: list[Change] = []
    unchanged = 0
    # rclone check: "+" only in the site (new), "*" different (changed), "-" only in DEST
    for mark, path in entries:
        if mark == "=":
            unchanged += 1
        elif mark in ("+", "*"):
            size = (site / path).stat().st_size
            changes.append(Change("+" if mark == "+" else "*", path, size))
        elif mark == "-":
            changes.append(Change("-", path, 0))
    changes.sort(key=lambda change: (change.phase, change.path))
    return Plan(tuple(changes), unchanged)


def _send(rclone: Rclone, site: Path, plan: Plan, scratch: Path) -> Stats:
    dest = rclone.destination.given
    done = Stats()
    for phase in range(DELETIONS):
        changes = plan.phase(phase)
        if not changes:
            continue
        listing = _listing(scratch, phase, (change.path for change in changes))
        # --ignore-times: send every listed file, even one of the same size on a host that
        # keeps no modification time (the plan already compared contents)
        run = rclone.run(
            "copy", str(site), dest, "--files-from-raw", str(listing), "--ignore-times",
            "--no-traverse",
        )  # fmt: skip
        _finished(run, done, PHASES[phase], rclone)
    if plan.deleting:
        listing = _listing(scratch, DELETIONS, (change.path for change in plan.deleting))
        run = rclone.run("delete", dest, "--files-from-raw", str(listing))
        _finished(run, done, PHASES[DELETIONS], rclone)
        emptied = _emptied_folders(site, (change.path for change in plan.deleting))
        if emptied:
            run = rclone.run("rmdirs", dest, "--leave-root")
            _finished(run, done, "folders left empty", rclone)
    return done


def _listing(scratch: Path, phase: int, paths: Iterable[str]) -> Path:
    listing = scratch / f"phase-{phase}.txt"
    listing.write_text("".join(f"{path}\n" for path in paths), encoding="utf-8")
    return listing


def _finished(run: Run, done: Stats, step: str, rclone: Rclone) -> None:
    done.add(run.stats)
    if run.returncode != 0:
        raise PublishError(
            f"rclone failed sending the {step} to {rclone.destination.shown}: {run.problem()}. "
            f"{_count(done.transfers)} sent and {done.deletes:,} deleted before it; the site "
            "there is not complete: run publish again (it sends only what is still missing)"
        )


def _emptied_folders(site: Path, deleted: Iterable[str]) -> set[str]:
    """Folders of deleted files that the site no longer has (left empty on DEST)."""
    return {
        str(parent)
        for path in deleted
        for parent in PurePosixPath(path).parents
        if str(parent) != "." and not (site / parent).is_dir()
    }


def _count(files: int) -> str:
    return f"{files:,} file" if files == 1 else f"{files:,} files"


def _size(size: int) -> str:
    value = float(size)
    for unit in ("B", "kB", "MB"):
        if value < 1000:
            return f"{size} B" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{value:.1f} GB"

"""``statusgen build``: validate, render every output beside the target, then swap it in.

Nothing is written when validation fails, and the previous site stays in place until the new
one is complete: the site is rendered into a hidden folder next to the target, which is
then renamed over it.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from generator import __version__, markup, mkdocs_site
from generator.badges import write_badges
from generator.build_cache import CACHE_DIR, IncidentCache, MarkdownCache, PageCache, digest
from generator.diagnostics import Diagnostic
from generator.feeds import write_feeds
from generator.maintenance_calendar import write_calendar
from generator.model import StatusPage
from generator.pages import PageSpec, Renderer, RenderError, theme_dirs
from generator.sitemap import write_sitemap
from generator.statuspage_api import write_api
from generator.validate import load_repository


class BuildError(Exception):
    """The site was not built; ``diagnostics`` says why when the input is at fault."""

    def __init__(self, message: str, diagnostics: list[Diagnostic] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.diagnostics = diagnostics or []


@dataclass(frozen=True)
class BuildResult:
    out: Path
    pages: int
    feeds: int
    other_files: int  # API, calendar, badges
    incidents: int
    seconds: float
    rendered: int = 0  # pages rendered, not taken from the cache


def now_from_environment() -> datetime:
    """``SOURCE_DATE_EPOCH`` when set, else the clock (as mkdocs does)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), UTC)
        except ValueError:
            raise BuildError(
                f"SOURCE_DATE_EPOCH is '{epoch}', not a whole number of seconds"
            ) from None
    return datetime.now(UTC)


def normalize_url(url: str) -> str:
    """An absolute http(s) URL ending in a slash, or ValueError."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"'{url}' is not an absolute http(s) URL")
    return url if url.endswith("/") else url + "/"


def _check_target(root: Path, out: Path) -> None:
    """Refuse targets whose replacement would destroy something that is not a site."""
    target, home = out.resolve(), root.resolve()
    if target == home or target in home.parents:
        raise BuildError(f"--out {out} would replace the repository itself; choose a subfolder")
    if target.exists() and (
        not target.is_dir() or (any(target.iterdir()) and not (target / "index.html").exists())
    ):
        raise BuildError(f"{out} exists and is not a built site; remove it or choose another --out")


@dataclass(frozen=True)
class _Job:
    """A page to put in the site, and its cache key."""

    key: str
    spec: PageSpec


class _Phases:
    """Wall time of each phase of a build, printed when STATUSGEN_TIMINGS is set."""

    def __init__(self) -> None:
        self.enabled = bool(os.environ.get("STATUSGEN_TIMINGS"))
        self.last = time.perf_counter()

    def __call__(self, name: str) -> None:
        now = time.perf_counter()
        if self.enabled:
            print(f"  {name:<34} {now - self.last:6.2f} s", file=sys.stderr)
        self.last = now


#: Below this many pages to render, a second process costs more than it saves.
PARALLEL_FROM = 200

# what the forked renderers share with their parent (set just before the fork)
_SHARED: dict[str, Any] = {}


def _theme_digest(dirs: list[Path]) -> str:
    parts: list[bytes | str] = []
    for directory in dirs:
        for path in sorted(p for p in directory.rglob("*") if p.is_file()):
            parts += [path.relative_to(directory).as_posix(), path.read_bytes()]
    return digest(*parts)


def _shell_key(config_bytes: bytes, dirs: list[Path], url: str) -> str:
    """Everything every page depends on besides its content."""
    return digest(
        __version__,
        mkdocs_site.RENDERER_VERSION,
        config_bytes,
        _theme_digest(dirs),
        url,
    )


def _plan(renderer: Renderer, shell: str) -> list[_Job]:
    return [
        _Job(digest(shell, spec.path, spec.title, str(spec.in_nav), *spec.inputs), spec)
        for spec in renderer.specs()
    ]


def _render_share(share: int, count: int) -> None:
    """Render every ``count``-th missing page from ``share`` into this share's folder."""
    shared = _SHARED
    jobs: list[_Job] = shared["misses"][share::count]
    pages = [job.spec.page() for job in shared["nav"]]
    pages += [job.spec.page() for job in jobs if not job.spec.in_nav]
    mkdocs_site.render(
        shared["config"],
        pages,
        shared["outs"][share],
        root=shared["root"],
        base_url=shared["url"],
        now=shared["now"],
        theme_dirs=shared["dirs"],
        progress=shared["progress"] if count == 1 else None,
    )


def build_site(
    root: Path,
    out: Path,
    now: datetime,
    base_url: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    *,
    cache: bool = True,
    parallel: bool = True,
) -> BuildResult:
    """Build the whole site for the moment ``now`` into ``out``, whole or not at all.

    With ``cache``, what an earlier build made is reused from ``ROOT/.statusgen-cache``: a
    page whose inputs are unchanged is neither rendered nor given to mkdocs again. With
    ``parallel``, many pages to render are split between two processes.
    """
    started = time.perf_counter()
    recycled, cleaner = _old_sites(out)
    cache_dir = root / CACHE_DIR if cache else None
    incident_cache = IncidentCache(cache_dir)
    markdown_cache = MarkdownCache(cache_dir)
    markup.remember(markdown_cache.load())
    phase = _Phases()
    # the records of thousands of incidents hold no reference cycles: collecting garbage
    # while they load only rescans them, again and again; once loaded, they are frozen out
    # of every later collection
    gc.disable()
    try:
        repository = load_repository(root, incident_cache)
        site = (
            StatusPage.at(repository.config, repository.incidents, now)
            if repository.config is not None
            else None
        )
    finally:
        gc.freeze()
        gc.enable()
    if not repository.ok or repository.config is None:
        errors = sum(d.severity == "error" for d in repository.diagnostics)
        raise BuildError(
            f"the site was not built: {errors} error{'s' if errors != 1 else ''} in the input",
            repository.diagnostics,
        )
    config = repository.config
    phase("load and validate")
    _check_target(root, out)
    assert site is not None
    url = normalize_url(base_url or config.url)
    dirs = theme_dirs(root)
    jobs = _plan(Renderer(site, dirs), _shell_key(config.path.read_bytes(), dirs, url))
    pages = PageCache(cache_dir)
    misses = [job for job in jobs if not pages.has(job.key)]
    phase(f"plan ({len(misses)} of {len(jobs)} pages to render)")
    nav = [job for job in jobs if job.spec.in_nav]

    out.parent.mkdir(parents=True, exist_ok=True)
    shares = 2 if parallel and len(misses) >= PARALLEL_FROM and (os.cpu_count() or 1) > 1 else 1
    outs = [
        Path(tempfile.mkdtemp(prefix=f".{out.name}-part-", dir=out.parent)) for _ in range(shares)
    ]
    staging = recycled or Path(tempfile.mkdtemp(prefix=f".{out.name}-new-", dir=out.parent))
    staging.chmod(0o755)
    writer: _Background | None = None
    try:
        # the machine-readable outputs need only the site: write them beside the pages
        writer = _Background(_write_outputs, site, staging, url, now,
                             [job.spec.path for job in jobs]) if parallel else None  # fmt: skip
        _SHARED.update(
            misses=misses, nav=nav, config=config, outs=outs, root=root,
            url=url, now=now, dirs=dirs,
            progress=(lambda done: progress(done, len(misses))) if progress else None,
        )  # fmt: skip
        # this process renders the first share, a forked one each of the others
        helpers = [_Background(_render_share, share, shares) for share in range(1, shares)]
        _render_share(0, shares)
        for helper in helpers:
            helper.result()
        phase(f"render in {shares} process{'es' if shares > 1 else ''}")
        for share, folder in enumerate(outs):
            for job in misses[share::shares]:
                pages.store(job.key, folder / job.spec.path / "index.html")
        written = _move_files(outs[0], staging)  # the shell: assets, 404.html
        phase("store rendered pages")
        _place(pages, [(job.key, staging / job.spec.path / "index.html") for job in jobs])
        written |= {staging / job.spec.path / "index.html" for job in jobs}
        phase("place pages")
        outputs = writer.result() if writer else _write_outputs(
            site, staging, url, now, [job.spec.path for job in jobs]
        )  # fmt: skip
        written |= {staging / path for group in outputs for path in group}
        phase("sitemap, feeds, API, calendar, badges (wait)")
        _remove_strays(staging, written)
        phase("remove what the recycled site had left")
        old = _swap(staging, out)
    except BaseException:
        if writer is not None:
            writer.stop()  # before removing the folder it writes into
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        _SHARED.clear()
        for folder in outs:
            shutil.rmtree(folder, ignore_errors=True)
    incident_cache.save()
    markdown_cache.save(markup.renderings())
    pages.prune({job.key for job in jobs})
    if len(jobs) < PARALLEL_FROM:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    elif old is None and recycled is None and not os.environ.get("CI"):
        _leave_for_recycling(out)  # (on CI the checkout is thrown away: no next build)
    # a large old site stays beside the new one: the next build recycles it as its staging
    # folder, re-linking only the pages that changed
    cleaner.wait()
    phase("save caches, clean up")
    feeds, machine = outputs[1], outputs[2]
    return BuildResult(
        out,
        len(jobs),
        len(feeds),
        len(machine),
        len(site.incidents),
        time.perf_counter() - started,
        rendered=len(misses),
    )


def _write_outputs(
    site: StatusPage, staging: Path, url: str, now: datetime, paths: list[str]
) -> tuple[list[str], list[str], list[str]]:
    """Sitemap, feeds, API, calendar and badges; their paths relative to ``staging``."""
    write_sitemap(staging, url, paths, now)
    feeds = write_feeds(site, staging, url)
    machine = write_api(site, staging, url)
    machine.append(write_calendar(site, staging, url))
    machine += write_badges(site, staging)

    def relative(found: list[Path]) -> list[str]:
        return [p.relative_to(staging).as_posix() for p in found]

    return ["sitemap.xml", "sitemap.xml.gz"], relative(feeds), relative(machine)


class _Background:
    """A function run in a forked process, which sends back its result and exits (so that
    its memory is freed as soon as it is done)."""

    def __init__(self, function: Callable[..., Any], *args: Any) -> None:
        context = multiprocessing.get_context("fork")
        self.receiver, sender = context.Pipe(duplex=False)
        self.process = context.Process(target=self._run, args=(sender, function, args))
        self.process.start()
        sender.close()

    @staticmethod
    def _run(sender: Any, function: Callable[..., Any], args: tuple[Any, ...]) -> None:
        try:
            sender.send((True, function(*args)))
        except BaseException as error:  # reported by result() in the parent
            sender.send((False, f"{type(error).__name__}: {error}"))

    def result(self) -> Any:
        try:
            done, value = self.receiver.recv()
        except EOFError:
            done, value = False, "the process ended without a result"
        self.process.join()
        if not done:
            raise RenderError(str(value))
        return value

    def stop(self) -> None:
        self.process.terminate()
        self.process.join()


def _move_files(source: Path, target: Path) -> set[Path]:
    """Move every file under ``source`` to the same place under ``target``."""
    moved = set()
    for folder, _, names in os.walk(source):
        for name in names:
            origin = Path(folder) / name
            destination = target / origin.relative_to(source)
            destination.parent.mkdir(parents=True, exist_ok=True)
            origin.replace(destination)
            moved.add(destination)
    return moved


def _remove_strays(staging: Path, written: set[Path]) -> None:
    """Delete what a recycled folder holds that this build did not write."""
    for folder, subfolders, names in os.walk(staging, topdown=False):
        here = Path(folder)
        for name in names:
            if here / name not in written:
                (here / name).unlink()
        for name in subfolders:
            with contextlib.suppress(OSError):  # not empty: it holds this build's files
                (here / name).rmdir()


def _place(pages: PageCache, placing: list[tuple[str, Path]]) -> None:
    for key, target in placing:
        try:
            if target.stat().st_ino == pages.path(key).stat().st_ino:
                continue  # the recycled folder has this very page already
            target.unlink()
        except FileNotFoundError:
            pass
        pages.place(key, target)


OLD = "-old-"


class _Cleaner:
    """Deletes the old sites a previous build left beside ``out``, in another process."""

    def __init__(self, paths: list[Path]) -> None:
        self.process = (
            subprocess.Popen(["rm", "-rf", "--", *map(str, paths)]) if paths and shutil.which("rm")
            else None
        )  # fmt: skip
        if paths and self.process is None:
            for path in paths:
                shutil.rmtree(path, ignore_errors=True)

    def wait(self) -> None:
        if self.process is not None:
            self.process.wait()


def _leave_for_recycling(out: Path) -> None:
    """A hard-linked copy of a large new site, for the next build to recycle: a build that
    had nothing to recycle pays for the folders the next one will not have to make."""
    copy = out.with_name(f".{out.name}{OLD}{secrets.token_hex(4)}")
    if shutil.which("cp"):
        done = subprocess.run(["cp", "-al", str(out), str(copy)], check=False)
        if done.returncode == 0:
            return
    shutil.rmtree(copy, ignore_errors=True)  # no cp, or no links here: the next build copes


def _old_sites(out: Path) -> tuple[Path | None, _Cleaner]:
    """The newest old site a previous build left beside ``out``, taken to be recycled as
    this build's staging folder, and the deletion of any others (in another process)."""
    parent = out.parent
    found = [p for p in parent.glob(f".{out.name}{OLD}*") if p.is_dir()] if parent.is_dir() else []
    found.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    recycled = None
    if found:
        recycled = out.with_name(f".{out.name}-new-{secrets.token_hex(4)}")
        found[0].rename(recycled)
    return recycled, _Cleaner(found[1:])


def _swap(staging: Path, out: Path) -> Path | None:
    """Put ``staging`` where ``out`` is; return where the old site went, if there was one."""
    if not out.exists():
        staging.rename(out)
        return None
    old = out.with_name(f".{out.name}{OLD}{secrets.token_hex(4)}")
    out.rename(old)
    staging.rename(out)
    return old

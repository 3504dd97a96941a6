"""``statusgen build``: validate, render every output beside the target, then swap it in.

A build is a short list of steps (:func:`build_site`): load and validate the repository,
model the site at ``now``, plan its pages, render the pages the cache does not have (the
page shell wraps them, in two processes when there are many), place every page, write the
other outputs, swap the finished folder in, save the caches. Nothing is written when
validation fails, and the previous site stays in place until the new one is complete.
"""

from __future__ import annotations

import functools
import os
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from generator.build import parallel as processes
from generator.build import staging
from generator.build.cache import (
    CACHE_DIR,
    IncidentCache,
    MarkdownCache,
    PageCache,
    code_digest,
    digest,
    tree_digest,
)
from generator.build.report import BuildError, BuildResult
from generator.core import routes
from generator.core.errors import WriteError
from generator.core.model import SiteConfig, StatusPage
from generator.core.page import SitePage
from generator.core.routes import Routes
from generator.core.times import TimeError, check_range
from generator.input.theme import packaged_theme, theme_dirs
from generator.input.validate import Repository, load_repository
from generator.outputs import Context, Output, badges, calendar, feeds, markup, sitemap
from generator.outputs import statuspage_api as api
from generator.outputs.html import PageSpec, Renderer
from generator.shell import Shell, default

__all__ = ["BuildError", "BuildResult", "build_site", "normalize_url", "now_from_environment"]

#: Every output besides the pages, in the order they are written. An output is one module
#: (``outputs/``) and one line here.
OUTPUTS: tuple[tuple[str, Output], ...] = (
    ("sitemap", sitemap.files),
    ("feeds", feeds.files),
    ("api", api.files),
    ("calendar", calendar.files),
    ("badges", badges.files),
)


def now_from_environment() -> datetime:
    """``SOURCE_DATE_EPOCH`` when set, else the clock (as mkdocs does)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return datetime.now(UTC)
    try:
        moment = datetime.fromtimestamp(int(epoch), UTC)
        check_range(moment)
    except (ValueError, OverflowError, OSError, TimeError):
        raise BuildError(
            f"SOURCE_DATE_EPOCH is '{epoch}', not a whole number of seconds from 1970 to 2999"
        ) from None
    return moment


def normalize_url(url: str) -> str:
    """A usable absolute http(s) URL ending in a slash, or ValueError."""
    return routes.site_url(url)


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


@dataclass(frozen=True)
class _Render:
    """What each process that renders pages needs (inherited by the fork, never sent)."""

    shell: Shell
    config: SiteConfig
    nav: Sequence[_Job]
    misses: Sequence[_Job]
    outs: Sequence[Path]
    url: str
    now: datetime
    dirs: Sequence[Path]
    progress: Callable[[int], None] | None
    markdown: MarkdownCache
    #: How many Markdown renderings the parent had used when it forked.
    seen: int = 0

    def share(self, number: int) -> None:
        """Render every ``count``-th missing page from ``number`` into its own folder; a
        forked process keeps the Markdown renderings it used in its own part of the cache."""
        count = len(self.outs)
        jobs = self.misses[number::count]
        pages: list[SitePage] = [job.spec.page() for job in self.nav]
        pages += [job.spec.page() for job in jobs if not job.spec.in_nav]
        self.shell.render(
            self.config,
            pages,
            self.outs[number],
            base_url=self.url,
            now=self.now,
            theme_dirs=self.dirs,
            progress=self.progress if count == 1 else None,
        )
        if number:
            self.markdown.save(f"share-{number}", markup.renderings(self.seen))


def _write_outputs(
    context: Context,
    folder: Path,
    caches: tuple[IncidentCache, MarkdownCache] | None = None,
    seen: int = 0,
    then: Callable[[], None] | None = None,
) -> dict[str, list[str]]:
    """Every output's files written into ``folder``: their paths by output.

    A forked writer is idle once they are written, while the pages are still rendering:
    it saves the incident cache then, and the Markdown renderings it used (a part of the
    Markdown cache of its own), and does ``then``."""
    writer = staging.Writer(folder)
    written: dict[str, list[str]] = {}
    for name, output in OUTPUTS:
        start = len(writer.written)
        for path, data in output(context):
            writer.write(path, data)
        written[name] = writer.written[start:]
    writer.write(staging.MARKER, staging.MARKER_TEXT)
    written["marker"] = [staging.MARKER]
    if caches is not None:
        incidents, markdown = caches
        incidents.save()
        markdown.save("writer", markup.renderings(seen))
    if then is not None:
        then()
    return written


def _valid(repository: Repository) -> SiteConfig:
    if not repository.ok or repository.config is None:
        errors = sum(d.severity == "error" for d in repository.diagnostics)
        raise BuildError(
            f"the site was not built: {errors} error{'s' if errors != 1 else ''} in the input",
            repository.diagnostics,
        )
    return repository.config


def _plan(renderer: Renderer, shell: str) -> list[_Job]:
    return [
        _Job(digest(shell, spec.path, spec.title, str(spec.in_nav), *spec.inputs), spec)
        for spec in renderer.specs()
    ]


def build_site(
    root: Path,
    out: Path,
    now: datetime,
    base_url: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    *,
    cache: bool = True,
    parallel: bool = True,
    shell: Shell | None = None,
) -> BuildResult:
    """Build the whole site for the moment ``now`` into ``out``, whole or not at all.

    With ``cache``, what an earlier build made is reused from ``ROOT/.statusgen-cache``: a
    page whose inputs are unchanged is neither rendered nor given to the shell again. With
    ``parallel``, many pages to render are split between two processes.
    """
    started = time.perf_counter()
    root, out = root.absolute(), out.absolute()
    shell = shell or default()
    target = staging.Target(root, out)
    try:
        check_range(now)
    except TimeError as error:
        raise BuildError(f"{error.message}; {error.hint}") from None
    try:
        with target.locked():
            return _build(root, target, now, base_url, progress, cache, parallel, shell,
                          started)  # fmt: skip
    except OSError as error:
        raise WriteError(staging.describe(error, out)) from None


def _build(
    root: Path,
    target: staging.Target,
    now: datetime,
    base_url: str | None,
    progress: Callable[[int, int], None] | None,
    cache: bool,
    parallel: bool,
    shell: Shell,
    started: float,
) -> BuildResult:
    phase = _Phases()
    target.clear_leftovers()
    code = code_digest(packaged_theme())
    cache_dir = root / CACHE_DIR if cache else None
    incident_cache = IncidentCache(cache_dir, code)
    markdown_cache = MarkdownCache(cache_dir, code)
    markup.remember(markdown_cache.load())

    repository = load_repository(root, incident_cache)
    config = _valid(repository)
    site = StatusPage.at(config, repository.incidents, now)
    phase("load and validate")
    target.check()

    url = normalize_url(base_url or config.url)
    dirs = theme_dirs(root)
    shell_key = digest(code, shell.version, config.path.read_bytes(), tree_digest(dirs[:-1]), url)
    jobs = _plan(Renderer(site, dirs), shell_key)
    pages = PageCache(cache_dir, target.parent)
    misses = [job for job in jobs if not pages.has(job.key)]
    phase(f"plan ({len(misses)} of {len(jobs)} pages to render)")

    recycled, older = target.recycled()
    cleaner = staging.remove_in_background(older)
    count = processes.shares(len(misses), parallel)
    outs = [target.folder("part") for _ in range(count)]
    # the first share's folder becomes the site, unless an old one is recycled
    folder = recycled or outs[0]
    extra = target.folder("part")  # the other outputs', written meanwhile
    context = Context(site, Routes(url), tuple(job.spec.path for job in jobs))
    # a first large build leaves the next one a skeleton to recycle (later ones, the old
    # site); on CI the checkout is thrown away: there is no next build to recycle for
    first = not target.out.exists() and recycled is None and not os.environ.get("CI")
    skeleton = (
        functools.partial(target.skeleton, [job.spec.path for job in jobs])
        if first and len(jobs) >= processes.PARALLEL_FROM
        else None
    )
    writer: processes.Background[dict[str, list[str]]] | None = None
    try:
        # the other outputs need only the site: written by another process, while the
        # pages render
        if parallel:
            caches = (incident_cache, markdown_cache)
            writer = processes.Background(
                _write_outputs, context, extra, caches, markup.count(), skeleton
            )
        render = _Render(
            shell, config, [job for job in jobs if job.spec.in_nav], misses, outs, url,
            site.now, dirs, (lambda done: progress(done, len(misses))) if progress else None,
            markdown_cache, markup.count(),
        )  # fmt: skip
        helpers = [processes.Background(render.share, number) for number in range(1, count)]
        render.share(0)
        for helper in helpers:
            helper.result()
        phase(f"render in {count} process{'es' if count > 1 else ''}")

        for number, part in enumerate(outs):
            for job in misses[number::count]:
                pages.store(job.key, part / shell.page_file(job.spec.path))
        phase("store rendered pages")
        # the first share brings the shell's own files; the others, only their pages
        if folder == outs[0]:
            written = staging.files_under(folder)
        else:
            written = staging.move_files(outs[0], folder)
        for number, part in enumerate(outs[1:], 1):
            for job in misses[number::count]:
                written.add(staging.move_file(part, folder, shell.page_file(job.spec.path)))
        rendered = {job.key for job in misses}
        placed = [
            (job.key, folder / shell.page_file(job.spec.path))
            for job in jobs
            if job.key not in rendered
        ]
        _place(pages, placed)
        written |= {path for _, path in placed}
        phase("place pages")

        outputs = writer.result() if writer else _write_outputs(context, extra, then=skeleton)
        written |= staging.move_files(extra, folder)
        phase("sitemap, feeds, API, calendar, badges (wait)")
        if recycled:
            staging.remove_strays(folder, written)
        old = target.swap(folder)
    except BaseException:
        if writer is not None:
            writer.stop()  # before removing the folder it writes into
        shutil.rmtree(folder, ignore_errors=True)
        raise
    finally:
        for part in [*outs, extra]:
            if part != folder:
                shutil.rmtree(part, ignore_errors=True)

    if writer is None:
        incident_cache.save()
    markdown_cache.save("main", markup.renderings())
    parts = {"main", *(f"share-{n}" for n in range(1, count))} | ({"writer"} if writer else set())
    markdown_cache.keep_only(parts)
    phase("save the incident and Markdown caches")
    pages.prune({job.key for job in jobs})
    phase("prune the page cache")
    _recycle(old, large=len(jobs) >= processes.PARALLEL_FROM)
    if cleaner is not None:
        cleaner.wait()
    phase("keep or remove the old site")
    return BuildResult(
        target.out,
        len(jobs),
        len(outputs["feeds"]),
        len(outputs["api"]) + len(outputs["calendar"]) + len(outputs["badges"]),
        len(site.incidents),
        time.perf_counter() - started,
        rendered=len(misses),
    )


def _place(pages: PageCache, placing: list[tuple[str, Path]]) -> None:
    for key, target in placing:
        try:
            if target.stat().st_ino == pages.path(key).stat().st_ino:
                continue  # the recycled folder has this very page already
            target.unlink()
        except FileNotFoundError:
            pass
        pages.place(key, target)


def _recycle(old: Path | None, large: bool) -> None:
    """A large old site stays beside the new one: the next build recycles it as its
    staging folder, re-linking only the pages that changed. A small one goes."""
    if old is not None and (not large or os.environ.get("CI")):
        shutil.rmtree(old, ignore_errors=True)

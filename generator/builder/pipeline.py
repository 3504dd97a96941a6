"""``statusgen build``: validate, render every output beside the target, then swap it in.

A build is a short list of steps (:func:`_steps`): load and validate the repository,
model the site at ``now``, plan its pages, render the pages the cache does not have (the
page shell wraps them, in two processes when there are many), place every page, write the
other outputs, swap the finished folder in, save the caches. Nothing is written when
validation fails, and the previous site stays in place until the new one is complete. A
site in several languages is planned, rendered and written once per language, the
default at the root and each other one under ``<language>/``, and swapped in at once.
"""

from __future__ import annotations

import functools
import os
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import overload

from generator.builder import parallel as processes
from generator.builder import staging
from generator.builder.cache import (
    CACHE_DIR,
    IncidentCache,
    MarkdownCache,
    code_digest,
    digest,
    tree_digest,
)
from generator.builder.environment import Phases
from generator.builder.pages import PageCache
from generator.builder.report import BuildError, BuildResult, UsageError, other_files
from generator.core import routes
from generator.core.errors import WriteError
from generator.core.model import SiteConfig, StatusPage
from generator.core.page import Page
from generator.core.routes import Routes
from generator.core.times import TimeError, check_range
from generator.input.guard import InvalidRepository, valid_config
from generator.input.theme import packaged_theme, theme_dirs
from generator.input.validate import Repository, load_repository
from generator.outputs import (
    Context,
    Output,
    badges,
    calendar,
    embed,
    feeds,
    live,
    redirects,
    reports,
    sitemap,
)
from generator.outputs import statuspage_api as api
from generator.outputs.html import PageSpec, Renderer
from generator.outputs.writing import Writing
from generator.shell import Shell, default

__all__ = ["BuildError", "BuildResult", "build_site"]

#: Every output besides the pages, in the order they are written. An output is one module
#: (``outputs/``) and one line here.
OUTPUTS: tuple[tuple[str, Output], ...] = (
    ("sitemap", sitemap.files),
    ("feeds", feeds.files),
    ("api", api.files),
    ("calendar", calendar.files),
    ("badges", badges.files),
    ("embed", embed.files),
    ("redirects", redirects.files),
    ("live", live.files),
    ("reports", reports.files),
)
#: Outputs without words, written once at the root for every language: the sitemap lists
#: every language's pages, the Statuspage API keeps Statuspage's English values,
#: live.json's state covers every language's texts, and the reports' data (CSV, JSON) are
#: values and figures, not words.
SHARED = frozenset({"sitemap", "api", "live", "reports"})
#: Outputs of every page's path, written by the build's own process once the pages are
#: planned (the others are written meanwhile, from the site alone).
LATE = frozenset({"sitemap"})

#: The processes of a build, by the names of the files they keep in the Markdown cache:
#: this one, the forked writer of the outputs, and the forked renderers (:func:`_renderer`).
MAIN, WRITER = "main", "writer"


def _renderer(language: int, share: int) -> str:
    """The process that renders one share of one language's pages (the first language
    has no number)."""
    return f"share-{language}-{share}" if language else f"share-{share}"


class _Unplanned(Sequence[str]):
    """The pages of a language not planned yet, which no output may read."""

    def __len__(self) -> int:
        raise AssertionError("an output read the pages before they were planned: see LATE")

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...
    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        raise AssertionError("an output read the pages before they were planned: see LATE")


@dataclass(frozen=True)
class _Job:
    """A page to put in the site, and its cache key."""

    key: str
    spec: PageSpec


@dataclass(frozen=True)
class _Render:
    """What each process that renders pages needs (inherited by the fork, never sent)."""

    plan: _Plan
    shell: Shell
    #: The folder of each share of the pages to render, one process each.
    parts: Sequence[Path]
    progress: Callable[[int], None] | None
    markdown: MarkdownCache
    pages: PageCache
    #: How many Markdown renderings the parent had used when it forked.
    seen: int
    #: Which of the site's languages this is (0: the default), for the renderers' names.
    language: int
    #: Where the shell keeps what it reuses between builds, or None.
    keep: Path | None = None

    def share(self, number: int) -> None:
        """Render every ``count``-th missing page from ``number`` into its own folder; a
        forked process keeps the Markdown renderings it used in a file of its own."""
        plan, count = self.plan, len(self.parts)
        # rendered as the shell takes them, one content in memory at a time
        pages: list[Page] = [job.spec for job in plan.jobs if job.spec.in_nav]
        pages += [job.spec for job in plan.misses[number::count] if not job.spec.in_nav]
        self.shell.render(
            plan.site.config,
            pages,
            self.parts[number],
            base_url=plan.url,
            now=plan.site.now,
            theme_dirs=plan.dirs,
            footer=plan.footer,
            progress=self.progress if count == 1 else None,
            languages=plan.languages,
            keep=self.keep,
            shell_files=number == 0,  # the first share brings them (_assemble)
        )
        # each process keeps its own share's pages in the cache (a hard link each)
        for job in plan.misses[number::count]:
            self.pages.store(job.key, self.parts[number] / self.shell.page_file(job.spec.path))
        if number:
            self.markdown.keep(_renderer(self.language, number), self.seen)


def _write_outputs(
    contexts: Sequence[tuple[str, Context]],
    folder: Path,
    caches: _Caches | None = None,
    seen: int = 0,
    then: Callable[[], None] | None = None,
) -> dict[str, list[str]]:
    """Every output's files written into ``folder``, for each language under its prefix
    ("" for the default language, "de/"): their paths by output.

    A forked writer is idle once they are written, while the pages are still rendering:
    it saves the incident cache then, and the Markdown renderings it used (a part of the
    Markdown cache of its own), and does ``then``."""
    writer = staging.Writer(folder)
    written: dict[str, list[str]] = {name: [] for name, _ in OUTPUTS}
    for prefix, context in contexts:
        for name, output in OUTPUTS:
            if (prefix and name in SHARED) or name in LATE:
                continue
            start = len(writer.written)
            for path, data in output(context):
                writer.write(prefix + path, data, by=name)
            written[name] += writer.written[start:]
    writer.write(staging.MARKER, staging.MARKER_TEXT, by="the marker")
    written["marker"] = [staging.MARKER]
    if caches is not None:
        caches.incidents.save()
        caches.markdown.keep(WRITER, seen)
    if then is not None:
        then()
    return written


def _valid(repository: Repository) -> SiteConfig:
    try:
        return valid_config(repository, "the site was not built: {errors} in the input")
    except InvalidRepository as error:
        raise BuildError(error.message, error.diagnostics) from None


@dataclass
class _Caches:
    """What this build reuses and keeps: validated incidents, Markdown, finished pages."""

    code: str
    incidents: IncidentCache
    markdown: MarkdownCache
    pages: PageCache
    #: Where the page shell keeps what it reuses (its compiled templates), or None.
    shell: Path | None = None

    @classmethod
    def open(cls, root: Path, cache: bool, target: staging.Target) -> _Caches:
        """The caches in ``ROOT/.statusgen-cache``; with no ``cache``, none, and pages kept
        for this build only, in a folder beside the target."""
        code = code_digest(packaged_theme())
        folder = root / CACHE_DIR if cache else None
        pages = PageCache(folder) if folder else PageCache(None, target.folder("pages"))
        shell = folder / "shell" if folder else None
        caches = cls(code, IncidentCache(folder, code), MarkdownCache(folder, code), pages, shell)
        caches.markdown.seed()
        return caches

    def save(self, keys: set[str], processes: set[str], incidents_saved: bool) -> None:
        """Keep what this build used (the forked writer saved the incidents already), and
        the Markdown of the ``processes`` that ran."""
        if not incidents_saved:
            self.incidents.save()
        self.markdown.keep(MAIN)
        self.markdown.keep_only(processes)
        self.pages.prune(keys)


@dataclass(frozen=True)
class _Plan:
    """One language of the site at ``now`` and every page of it, with what the cache lacks
    (a site in several languages is one plan each, the default first)."""

    site: StatusPage
    #: The URL of this language's root: the site's, or "<site>/de/".
    url: str
    #: Where this language's files are from the site's root: "", or "de/".
    prefix: str
    dirs: list[Path]
    #: Every language of the site with the URL of its root, when there are several.
    languages: tuple[tuple[str, str], ...]
    #: The build's id, which live.json names.
    build: str
    #: What every page key of this language starts from (code, shell, config, theme, URL).
    key: str
    #: Every page, and those the cache lacks: none until :meth:`paged`.
    jobs: tuple[_Job, ...] = ()
    misses: tuple[_Job, ...] = ()

    @classmethod
    def make(
        cls, site: StatusPage, root: Path, url: str, shell: Shell, caches: _Caches, build: str
    ) -> list[_Plan]:
        """A plan for each of the site's languages, the default first, without its pages
        yet (:meth:`paged`): what the other outputs need."""
        dirs = theme_dirs(root)
        config = site.config.path.read_bytes()
        brand = [(root / p).read_bytes() for p in (site.config.logo, site.config.favicon) if p]
        inputs = digest(config, tree_digest(dirs[:-1]), *brand)
        shared = digest(caches.code, shell.version, inputs)
        if not build:  # named by the repository's files, the URL and now
            news = sorted(i.source_digest for i in site.incidents)
            news += sorted(f"{key}: {reading}" for key, reading in site.readings.items())
            build = digest(inputs, url, site.now.isoformat(), *news)[:16]
        every = site.config.languages
        languages = (
            tuple((code, url + site.config.prefix(code)) for code in every)
            if len(every) > 1
            else ()
        )
        plans = []
        for language in every:
            prefix = site.config.prefix(language)
            key = digest(shared, language, url + prefix)
            local = site.in_language(language)
            plans.append(cls(local, url + prefix, prefix, dirs, languages, build, key))
        return plans

    def paged(self, pages: PageCache) -> _Plan:
        """This plan with every page of its language and what the cache lacks."""
        jobs = tuple(
            _Job(
                digest(self.key, spec.path, spec.title, spec.tab, str(spec.in_nav), *spec.inputs),
                spec,
            )
            for spec in Renderer(self.site, self.dirs).specs()
        )
        return replace(self, jobs=jobs, misses=tuple(job for job in jobs if not pages.has(job.key)))

    def context(self, others: Sequence[_Plan] = ()) -> Context:
        """What the outputs of this language are made of; with ``others``, the sitemap
        lists their pages too. Before :meth:`paged`, the pages are not known: an output
        that reads them then stops the build (it belongs in :data:`LATE`)."""
        if not self.jobs:
            return Context(self.site, Routes(self.url), tuple(self.dirs), _Unplanned(), self.build)
        pages = [path for plan in (self, *others) for path in plan.paths]
        return Context(self.site, Routes(self.url), tuple(self.dirs), tuple(pages), self.build)

    @property
    def footer(self) -> str:
        """The line at the foot of this language's pages."""
        return Writing(self.site.config, self.dirs).footer()

    @property
    def paths(self) -> list[str]:
        """Where this language's pages are, from the site's root."""
        return [self.prefix + job.spec.path for job in self.jobs]


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
    build_id: str | None = None,
) -> BuildResult:
    """Build the whole site for the moment ``now`` into ``out``, whole or not at all.

    With ``cache``, what an earlier build made is reused from ``ROOT/.statusgen-cache``: a
    page whose inputs are unchanged is neither rendered nor given to the shell again. With
    ``parallel``, many pages to render are split between two processes. ``build_id`` is
    what live.json names the build (default: a digest of the inputs and ``now``).
    """
    request = _Request(now, base_url, build_id or "", progress, parallel, time.perf_counter())
    root, out = root.absolute(), out.absolute()
    shell = shell or default()
    target = staging.Target(root, out)
    try:
        check_range(now)
    except TimeError as error:
        raise UsageError(f"{error.message}; {error.hint}") from None
    try:
        with target.locked():
            target.clear_leftovers()
            return _build(root, target, request, cache, shell)
    except OSError as error:
        raise WriteError(staging.describe(error, out)) from None


@dataclass(frozen=True)
class _Request:
    """What the build was asked for."""

    now: datetime
    base_url: str | None
    build_id: str
    progress: Callable[[int, int], None] | None
    parallel: bool
    started: float


@dataclass(frozen=True)
class _Build:
    """One build, as every step sees it: the repository, the target, what was asked, the
    page shell, the caches and the clock of its phases."""

    root: Path
    target: staging.Target
    request: _Request
    shell: Shell
    caches: _Caches
    phase: Phases


def _build(
    root: Path, target: staging.Target, request: _Request, cache: bool, shell: Shell
) -> BuildResult:
    """The caches of a build, open while its steps run."""
    caches = _Caches.open(root, cache, target)
    try:
        return _steps(_Build(root, target, request, shell, caches, Phases()))
    finally:
        caches.pages.close()


def _steps(build: _Build) -> BuildResult:
    """The steps of a build, each one call."""
    request, phase = build.request, build.phase
    repository = load_repository(build.root, build.caches.incidents)
    config = _valid(repository)
    site = StatusPage.at(config, repository.incidents, request.now, repository.readings)
    phase("load and validate")
    build.target.check()
    url = routes.site_url(request.base_url or config.url)
    plans = _Plan.make(site, build.root, url, build.shell, build.caches, request.build_id)
    old, plans, outputs, processes_run = _plan_stage_and_swap(build, plans)
    jobs = [job for plan in plans for job in plan.jobs]
    misses = sum(len(plan.misses) for plan in plans)
    build.caches.save({job.key for job in jobs}, processes_run, incidents_saved=request.parallel)
    phase("save caches")
    large = len(jobs) >= processes.PARALLEL_FROM
    if old is not None and (not large or os.environ.get("CI")):
        shutil.rmtree(old, ignore_errors=True)  # a large old site stays, to be recycled
    phase("keep or remove the old site")
    return BuildResult(
        build.target.out,
        len(jobs),
        len(outputs["feeds"]),
        other_files(outputs),
        len(site.incidents),
        time.perf_counter() - request.started,
        rendered=misses,
    )


def _plan_stage_and_swap(
    build: _Build, plans: list[_Plan]
) -> tuple[Path | None, list[_Plan], dict[str, list[str]], set[str]]:
    """Plan the pages, render, place and write everything into a folder beside the
    target, then swap it in.

    Returns where the old site went, the plans with their pages, the other outputs'
    files, and the processes of this build that kept Markdown renderings."""
    target, caches, parallel = build.target, build.caches, build.request.parallel
    recycled, older = target.recycled()
    cleaner = staging.remove_in_background(older)
    extra = target.folder("part")  # the other outputs', written meanwhile
    contexts = [(plan.prefix, plan.context()) for plan in plans]
    skeleton = _skeleton(target, plans, recycled)
    writer: processes.Background[dict[str, list[str]]] | None = None
    parts: list[list[Path]] = []
    folder: Path | None = recycled
    try:
        # the other outputs need only the site: another process writes them while this
        # one plans and renders the pages
        if parallel:
            _ = plans[0].site.state  # read by both (the front page, live.json): digested once
            writer = processes.Background(
                _write_outputs, contexts, extra, caches, caches.markdown.mark(), skeleton
            )
        plans = _paged(build, plans)
        counts = [processes.shares(len(plan.misses), parallel) for plan in plans]
        parts = [[target.folder("part") for _ in range(count)] for count in counts]
        folder = recycled or parts[0][0]  # the first share's part becomes the site, if no old one
        written = _render_all(build, plans, parts, folder)
        outputs = writer.result() if writer else _write_outputs(contexts, extra, then=skeleton)
        outputs |= _write_late(plans, extra, outputs)
        written |= staging.move_files(extra, folder)
        build.phase("sitemap, feeds, API, calendar, badges (wait)")
        if recycled:
            staging.remove_strays(folder, written)
        old = target.swap(folder)
    except BaseException:
        if writer is not None:
            writer.stop()  # before removing the folder it writes into
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
        raise
    finally:
        for part in [*(p for parts_of in parts for p in parts_of), extra]:
            if part != folder:
                shutil.rmtree(part, ignore_errors=True)
        if cleaner is not None:
            cleaner.wait()
    renderers = {_renderer(language, n) for language, count in enumerate(counts)
                 for n in range(1, count)}  # fmt: skip
    return old, plans, outputs, {MAIN} | ({WRITER} if writer else set()) | renderers


def _paged(build: _Build, plans: list[_Plan]) -> list[_Plan]:
    """Every language's plan with its pages, and what the cache lacks."""
    plans = [plan.paged(build.caches.pages) for plan in plans]
    build.phase(
        f"plan ({sum(len(p.misses) for p in plans)} of "
        f"{sum(len(p.jobs) for p in plans)} pages to render)"
    )
    return plans


def _render_all(
    build: _Build, plans: list[_Plan], parts: list[list[Path]], folder: Path
) -> set[str]:
    """Every language's missing pages rendered into its parts, and all its pages put in
    ``folder``: every file of the folder written."""
    written: set[str] = set()
    for language, (plan, parts_of) in enumerate(zip(plans, parts, strict=True)):
        _render(build, plan, parts_of, language)
        build.phase(f"render {plan.site.config.language} in {len(parts_of)} process(es)")
        written |= _assemble(build, plan, parts_of, folder)
        build.phase("store and place pages")
    return written


def _write_late(
    plans: list[_Plan], folder: Path, outputs: dict[str, list[str]]
) -> dict[str, list[str]]:
    """The outputs of every page's path (:data:`LATE`), once the pages are planned, into
    ``folder`` beside what the other outputs wrote there (``outputs``): their paths."""
    default, *others = plans
    context = default.context(others)
    writer = staging.Writer(folder, {p: name for name, paths in outputs.items() for p in paths})
    written: dict[str, list[str]] = {}
    for name, output in OUTPUTS:
        if name in LATE:
            start = len(writer.written)
            for path, data in output(context):
                writer.write(path, data, by=name)
            written[name] = writer.written[start:]
    return written


def _skeleton(
    target: staging.Target, plans: list[_Plan], recycled: Path | None
) -> Callable[[], None] | None:
    """A first large build leaves the next one a skeleton to recycle (later ones, the old
    site); on CI the checkout is thrown away: there is no next build to recycle for."""
    first = not target.out.exists() and recycled is None and not os.environ.get("CI")
    return functools.partial(_leave_skeleton, target, plans) if first else None


def _leave_skeleton(target: staging.Target, plans: list[_Plan]) -> None:
    """The skeleton of the site's folders, if it is large: done by the writer of the other
    outputs, idle by then, which plans the pages' paths again (it was forked before the
    build planned them)."""
    paths = [plan.prefix + spec.path for plan in plans
             for spec in Renderer(plan.site, plan.dirs).specs()]  # fmt: skip
    if len(paths) >= processes.PARALLEL_FROM:
        target.skeleton(paths)


def _render(build: _Build, plan: _Plan, parts: list[Path], language: int) -> None:
    """The pages the cache lacks, rendered by the shell: this process renders the first
    share, a forked one each of the others."""
    progress = build.request.progress
    render = _Render(
        plan=plan,
        shell=build.shell,
        parts=parts,
        progress=(lambda done: progress(done, len(plan.misses))) if progress else None,
        markdown=build.caches.markdown,
        pages=build.caches.pages,
        seen=build.caches.markdown.mark(),
        language=language,
        keep=build.caches.shell,
    )
    helpers = [processes.Background(render.share, number) for number in range(1, len(parts))]
    render.share(0)
    for helper in helpers:
        helper.result()


def _assemble(build: _Build, plan: _Plan, parts: list[Path], folder: Path) -> set[str]:
    """Every page of ``plan``'s language in ``folder``: rendered ones (each kept in the
    cache by the process that rendered it) moved in, the others placed from the cache.
    Returns every file of the folder this build wrote."""
    shell, pages, count = build.shell, build.caches.pages, len(parts)
    folder = folder / plan.prefix if plan.prefix else folder
    # the first share brings the shell's own files; the others, only their pages
    written = (
        staging.files_under(folder) if folder == parts[0] else staging.move_files(parts[0], folder)
    )
    for number, part in enumerate(parts[1:], 1):
        for job in plan.misses[number::count]:
            written.add(staging.move_file(part, folder, shell.page_file(job.spec.path)))
    rendered = {job.key for job in plan.misses}
    placed = [
        (job.key, f"{folder}/{shell.page_file(job.spec.path)}")
        for job in plan.jobs
        if job.key not in rendered
    ]
    pages.place_all(placed)
    return written | {path for _, path in placed}

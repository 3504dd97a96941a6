"""The page shell: mkdocs and mkdocs-material wrap statusgen's pages.

The only module that imports mkdocs and material; it implements the :class:`Shell`
protocol of ``shell/__init__.py``. It gets page contents (each rendered as it is read)
and gives them mkdocs-material's header, footer, dark mode and assets. Its page files are
``<path>/index.html`` (mkdocs' directory URLs); the build asks :meth:`page_file`.

Pages exist only in memory (``File.generated`` in ``on_files``); incident, component and
archive pages stay out of the nav, which would otherwise make every page list every other
and the build quadratic. Search is off: its index would be loaded on every first view.
"""

from __future__ import annotations

import functools
import html
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import material  # type: ignore[import-untyped]
import mkdocs
from jinja2 import Environment, FileSystemBytecodeCache, TemplateError
from markupsafe import Markup
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page as MkdocsPage

from generator.core import routes
from generator.core.errors import ServeError, ShellError, ThemeError
from generator.core.model import SiteConfig
from generator.core.page import Page, SitePage
from generator.core.times import gzip_time
from generator.language import Words, words
from generator.shell import stamps

#: The root element's start, as material writes it.
_HTML_LANG = re.compile(r'<html lang="[^"]*"(?: dir="[^"]*")?')
SEARCH_ASSETS = ("assets/javascripts/lunr/", "assets/javascripts/workers/search")
#: What the page shell is made by: a cached page is valid only for the same versions.
RENDERER_VERSION = f"mkdocs {mkdocs.__version__}, material {material.__version__}"


def source_path(path: str) -> str:
    """The Markdown path mkdocs knows a page by: "" is index.md, "a/b/" is a/b.md."""
    return "index.md" if path == "" else path.rstrip("/") + ".md"


class _StatusPlugin(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
    def __init__(
        self,
        site: SiteConfig,
        pages: dict[str, Page],
        theme_dirs: Sequence[Path],
        progress: Callable[[int], None] | None,
        keep: Path | None = None,
        shell_files: bool = True,
    ) -> None:
        self.site = site
        self.pages = pages
        self.theme_dirs = theme_dirs
        self.progress = progress
        self.keep = keep
        self.shell_files = shell_files
        self.built = 0
        self.said = words(site.language)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        # file-by-file overrides: the root's theme/, then statusgen's, then material's
        for position, directory in enumerate(self.theme_dirs[1:], 1):
            config.theme.dirs.insert(position, str(directory))
        return config

    def on_env(self, env: Environment, config: MkDocsConfig, files: Files) -> Environment:
        # material's templates compiled once, not by every build and every process of one
        # (Jinja's own cache, keyed by each template's name and source)
        if self.keep is not None:
            self.keep.mkdir(parents=True, exist_ok=True)
            env.bytecode_cache = FileSystemBytecodeCache(str(self.keep))
        # one render holds only some of the pages (the rest come from the cache, or from
        # another process): the build writes the sitemap of them all. Left out here, once
        # the theme's files are listed: a static template left out before would be copied
        # as a file.
        config.theme.static_templates.discard("sitemap.xml")
        if not self.shell_files:
            config.theme.static_templates.clear()  # the 404 page
        return env

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        for file in list(files):  # search is off: its scripts would only be dead weight
            if file.src_uri.startswith(SEARCH_ASSETS) or not self.shell_files:
                files.remove(file)
        for uri, page in self.pages.items():
            inclusion = InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, uri, content="", inclusion=inclusion))
        if not self.shell_files:
            return files
        # statusgen's stylesheets are in every page (theme/main.html): a copy would be dead
        for name in (STATUSGEN_CSS, REPORTS_CSS):
            inlined = files.get_file_from_path(name)
            if inlined is not None:
                files.remove(inlined)
        for uri, source in _brand_files(self.site).items():
            files.append(File.generated(config, uri, abs_src_path=str(source)))
        return files

    def on_page_markdown(self, markdown: str, page: MkdocsPage, **_: Any) -> str:
        entry = self.pages[page.file.src_uri]
        # material prints page.meta.title raw into <title> and the header: escape it here
        page.meta = {"title": html.escape(entry.title), "hide": ["navigation", "toc"]}
        # theme/main.html's <title>: the front page's names its status first; the others
        # join the page's and the site's names as the language does (material's "TITLE -
        # SITE" in English, "TITLE｜SITE" in Japanese)
        tab = entry.tab or tab_of(self.said, entry.title, self.site.name)
        page.meta["statusgen_tab"] = html.escape(tab)
        return ""

    def on_page_content(self, html: str, page: MkdocsPage, **_: Any) -> str:
        return self.pages[page.file.src_uri].content

    def on_post_page(self, output: str, page: MkdocsPage, **_: Any) -> str:
        self.built += 1
        if self.progress is not None:
            self.progress(self.built)
        return self._directed(output)

    def on_post_template(self, output_content: str, template_name: str, **_: Any) -> str:
        return self._directed(output_content) if template_name == "404.html" else output_content

    def _directed(self, output: str) -> str:
        """The page's language as its tag (zh-Hans, where material writes zh: a browser
        then picks a Simplified Chinese font, not a Traditional or a Japanese one), and its
        direction on ``<html>`` as well as on ``<body>``, where material sets it: W3C's
        advice, so that the whole document, its title and scroll bar included, is right to
        left."""
        said = self.said
        start = f'<html lang="{said.code}"' + (' dir="rtl"' if said.rtl else "")
        return _HTML_LANG.sub(start, output, count=1)


def tab_of(said: Words, title: str, site: str) -> str:
    """What a browser's tab names a page: its title and the site's, as the language joins
    them (material's "TITLE - SITE" in English, "TITLE｜SITE" in Japanese)."""
    return said.gettext("%(page)s - %(site)s", page=title, site=site)


def _feeds(said: Words, site: str) -> list[dict[str, str]]:
    """The feeds every page announces in its head: title (escaped, for an attribute),
    media type, path."""
    return [
        {
            "title": html.escape(said.gettext("%(label)s: %(text)s", label=site, text=title)),
            "type": kind,
            "path": path,
        }
        for title, kind, path in (
            (
                said.gettext("incidents (Atom)"),
                "application/atom+xml",
                routes.feed("history", "atom"),
            ),
            (said.gettext("incidents (RSS)"), "application/rss+xml", routes.feed("history", "rss")),
            (
                said.gettext("every update (Atom)"),
                "application/atom+xml",
                routes.feed("updates", "atom"),
            ),
            (
                said.gettext("every update (RSS)"),
                "application/rss+xml",
                routes.feed("updates", "rss"),
            ),
            (said.gettext("maintenance"), "text/calendar", routes.calendar()),
        )
    ]


#: Where the brand's files land in the site.
BRAND = "assets/brand/"
#: statusgen's stylesheet, in the theme: every page has it in its head.
STATUSGEN_CSS = "assets/stylesheets/statusgen.css"
#: The report pages' rules, in the pages of a site that publishes reports (site.reports).
REPORTS_CSS = "assets/stylesheets/reports.css"
#: material's own primary colour (indigo), when the site has none.
DEFAULT_THEME_COLOUR = "#3f51b5"


def _brand_files(site: SiteConfig) -> dict[str, Path]:
    """The logo and the favicon: where each lands in the site, and its file."""
    root = site.path.parent
    found: dict[str, Path] = {}
    for kind, path in (("logo", site.logo), ("favicon", site.favicon)):
        if path is not None:
            found[f"{BRAND}{kind}{Path(path).suffix.lower()}"] = root / path
    return found


def _brand_css(site: SiteConfig) -> str:
    """material's colour variables for a custom primary and accent; white text on both."""
    rules = []
    if site.primary:
        rules.append(
            f"[data-md-color-primary=custom]{{--md-primary-fg-color:{site.primary};"
            f"--md-primary-fg-color--light:{site.primary};"
            f"--md-primary-fg-color--dark:{site.primary};"
            "--md-primary-bg-color:#fff;--md-primary-bg-color--light:#ffffffb3}"
        )
    if site.accent:
        rules.append(
            f"[data-md-color-accent=custom]{{--md-accent-fg-color:{site.accent};"
            f"--md-accent-fg-color--transparent:{site.accent}1a;"
            "--md-accent-bg-color:#fff;--md-accent-bg-color--light:#ffffffb3}"
        )
    return "\n".join(rules) + "\n"


def _config(
    site: SiteConfig,
    base_url: str,
    docs_dir: Path,
    out: Path,
    theme_dirs: Sequence[Path],
    footer: str,
    languages: Sequence[tuple[str, str]],
) -> dict[str, Any]:
    said = words(site.language)
    brand = {Path(uri).stem: uri for uri in _brand_files(site)}
    return {
        # escaped once, here (mkdocs does not escape), and marked as such, so that the
        # templates that do escape (material's header title) leave it as it is
        "site_name": Markup(html.escape(site.name)),
        "site_url": base_url,
        "site_description": html.escape(site.description or "", quote=True) or None,
        "docs_dir": str(docs_dir),
        "site_dir": str(out),
        "use_directory_urls": True,
        "plugins": [],
        "nav": [
            {said.gettext("Current status"): "index.md"},
            {said.gettext("History"): "history.md"},
        ],
        "copyright": footer,
        "extra": _extra(site, said, base_url, languages, theme_dirs),
        "extra_javascript": ["assets/javascripts/statusgen.js"],
        "theme": {
            "name": "material",
            "custom_dir": str(theme_dirs[0]),
            "language": said.material,
            "font": False,  # no request to Google: the page must not depend on anyone
            "favicon": brand.get("favicon", "assets/images/favicon.svg"),
            **({"logo": brand["logo"]} if "logo" in brand else {}),
            "palette": [
                _scheme(
                    site,
                    "(prefers-color-scheme: light)",
                    "default",
                    "weather-night",
                    said.gettext("Switch to dark mode"),
                ),
                _scheme(
                    site,
                    "(prefers-color-scheme: dark)",
                    "slate",
                    "weather-sunny",
                    said.gettext("Switch to light mode"),
                ),
            ],
        },
    }


def _statusgen_css(theme_dirs: Sequence[Path], name: str = STATUSGEN_CSS) -> str:
    """statusgen's stylesheet, from the first theme folder that has one (the root's
    ``theme/`` overrides it, as any theme file)."""
    for directory in theme_dirs:
        path = directory / name
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return ""


def _extra(
    site: SiteConfig,
    said: Words,
    base_url: str,
    languages: Sequence[tuple[str, str]],
    theme_dirs: Sequence[Path],
) -> dict[str, Any]:
    """What the theme's templates read from ``config.extra``."""
    extra: dict[str, Any] = {
        "generator": False,
        # in every page's head, not linked: the first paint waits for no stylesheet
        "statusgen_css": _statusgen_css(theme_dirs)
        + (_statusgen_css(theme_dirs, REPORTS_CSS) if site.reports else ""),
        "statusgen_brand_css": _brand_css(site) if site.primary or site.accent else "",
        "statusgen_feeds": _feeds(said, site.name),
        "statusgen_theme_colour": site.primary or DEFAULT_THEME_COLOUR,
        "statusgen_words": {
            "not_found": said.gettext("Page not found"),
            "not_found_text": said.gettext(
                "There is no page at this address. The current status of all services is "
                "on the front page."
            ),
            "front_page": said.gettext("Go to the front page"),
            "not_found_tab": html.escape(
                said.gettext(
                    "%(page)s - %(site)s", page=said.gettext("Page not found"), site=site.name
                )
            ),
            "languages": said.gettext("Languages"),
        },
    }
    if len(languages) > 1:
        # truthy but not a list: material shows its language menu (partials/alternate.html,
        # statusgen's own, with each page's translations), but none of its root links
        extra["alternate"] = True
        root = languages[0][1]  # the default language's, at the site's root
        up = "../" * base_url.removeprefix(root).count("/")
        extra["statusgen_languages"] = [
            # url: absolute, for search engines; path: from this language's root
            {"lang": code, "name": words(code).name, "url": url, "path": up + url[len(root) :]}
            for code, url in languages
        ]
    if site.links:
        extra["homepage"] = site.links[0][1]
    return extra


def _scheme(site: SiteConfig, media: str, scheme: str, icon: str, name: str) -> dict[str, Any]:
    """One of material's colour schemes (light, dark), with the toggle to the other."""
    colours = {
        "primary": "custom" if site.primary else "indigo",
        "accent": "custom" if site.accent else "indigo",
    }
    return {
        "media": media,
        "scheme": scheme,
        **colours,
        "toggle": {"icon": f"material/{icon}", "name": name},
    }


#: The last moment a gzip header can hold (its time is 32 bits of seconds).
GZIP_LAST_SECOND = 2**32 - 1


@contextmanager
def _environment(now: datetime) -> Iterator[None]:
    """The build's notion of time and quiet, restored afterwards (serve runs for long)."""
    saved = {name: os.environ.get(name) for name in ("SOURCE_DATE_EPOCH", "NO_MKDOCS_2_WARNING")}
    logger = logging.getLogger("mkdocs")
    level = logger.level
    # mkdocs reads it for the gzip header of sitemap.xml.gz, whose time is 32 bits: a page
    # that describes a moment after 2106-02-07 gets that header's last second
    os.environ["SOURCE_DATE_EPOCH"] = str(gzip_time(now))
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


class MkdocsMaterial:
    """The :class:`~generator.shell.Shell` made of mkdocs and mkdocs-material."""

    version = RENDERER_VERSION

    def __init__(self, stamping: bool = True) -> None:
        #: whether pages out of the nav are stamped (False: every page through mkdocs, as
        #: the tests that hold the stamps to mkdocs' own pages compare)
        self.stamping = stamping

    @staticmethod
    def page_file(path: str) -> str:
        return f"{path}index.html"

    def render(
        self,
        site: SiteConfig,
        pages: Iterable[Page],
        out: Path,
        *,
        base_url: str,
        now: datetime,
        theme_dirs: Sequence[Path],
        footer: str,
        progress: Callable[[int], None] | None = None,
        languages: Sequence[tuple[str, str]] = (),
        keep: Path | None = None,
        shell_files: bool = True,
    ) -> None:
        pages = list(pages)
        # the pages out of the nav, but for one of each kind, are stamped from it (stamps.py),
        # each content read once, as the page is written
        stamped = [page for page in pages if stamps.stampable(page)] if self.stamping else []
        kinds = sorted({stamps.kind(page.path) for page in stamped})
        samples = {of: stamps.Stamp.samples(of) for of in kinds}
        rendered: list[Page] = [
            page for page in pages if not stamps.stampable(page) or not self.stamping
        ]
        rendered += [sample for pair in samples.values() for sample in pair]
        count = len(rendered) - 2 * len(kinds)
        run = functools.partial(
            self._mkdocs, site=site, base_url=base_url, now=now, theme_dirs=theme_dirs,
            footer=footer, languages=languages, keep=keep,
        )  # fmt: skip
        run(
            pages=rendered, out=out, shell_files=shell_files,
            progress=(lambda done: progress(min(done, count))) if progress else None,
        )  # fmt: skip
        made = {of: stamps.Stamp.made(out, self.page_file, pair) for of, pair in samples.items()}
        nav = [SitePage(page.path, page.title, "", True, page.tab)
               for page in rendered[:count] if page.in_nav]  # fmt: skip
        aside = functools.partial(self._aside, run, nav, out)
        if any(stamp is None for stamp in made.values()):
            # the theme prints something of each page that the stamps do not know: every
            # page through mkdocs
            aside(stamped, progress=(lambda done: progress(count + done)) if progress else None)
            return
        unheaded: list[Page] = []
        for done, page in enumerate(stamped, count + 1):
            content = page.content
            if not stamps.headed(content):
                unheaded.append(SitePage(page.path, page.title, content))
                continue
            stamp = made[stamps.kind(page.path)]
            assert stamp is not None
            target = out / self.page_file(page.path)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(stamp.page(page, content).encode("utf-8"))
            if progress is not None:
                progress(done)
        if unheaded:  # material writes a heading for these
            aside(unheaded, progress=None)
            if progress is not None:
                progress(count + len(stamped))

    def _aside(
        self,
        run: Callable[..., None],
        nav: Sequence[Page],
        out: Path,
        pages: Sequence[Page],
        progress: Callable[[int], None] | None,
    ) -> None:
        """``pages`` through mkdocs (``run``: :meth:`_mkdocs` with the render's settings) in
        a folder of their own (a run of mkdocs empties its folder first), moved into
        ``out``: with the ``nav``'s pages, whose titles the others show, as empty
        placeholders, and none of the shell's own files."""
        folder = Path(tempfile.mkdtemp(prefix=f"{out.name}-aside-", dir=out.parent))
        try:
            run(
                pages=[*nav, *pages], out=folder, shell_files=False,
                progress=(lambda done: progress(max(0, done - len(nav)))) if progress else None,
            )  # fmt: skip
            for page in pages:
                target = out / self.page_file(page.path)
                target.parent.mkdir(parents=True, exist_ok=True)
                (folder / self.page_file(page.path)).replace(target)
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def _mkdocs(
        self,
        site: SiteConfig,
        pages: Sequence[Page],
        out: Path,
        base_url: str,
        now: datetime,
        theme_dirs: Sequence[Path],
        footer: str,
        languages: Sequence[tuple[str, str]],
        progress: Callable[[int], None] | None,
        keep: Path | None,
        shell_files: bool = True,
    ) -> None:
        """``pages`` rendered by mkdocs into ``out``, with the shell's own files unless
        ``shell_files`` is false."""
        by_uri = {source_path(page.path): page for page in pages}
        # mkdocs wants a folder of sources: an empty one beside the output (never in
        # $TMPDIR, which may be another filesystem), named so a killed build's is found
        docs_dir = Path(tempfile.mkdtemp(prefix=f"{out.name}-docs-", dir=out.parent))
        try:
            with _environment(now):
                config = MkDocsConfig(config_file_path=str(out.parent / "mkdocs.yml"))
                config.load_dict(
                    _config(site, base_url, docs_dir, out, theme_dirs, footer, languages)
                )
                errors, _warnings = config.validate()
                if errors:
                    raise ShellError("; ".join(f"{name}: {error}" for name, error in errors))
                config.plugins["statusgen"] = _StatusPlugin(
                    site, by_uri, theme_dirs, progress, keep, shell_files
                )
                try:
                    mkdocs_build(config)
                except TemplateError as error:
                    where = getattr(error, "filename", None) or getattr(error, "name", None)
                    line = getattr(error, "lineno", None)
                    place = f"{Path(where).name}:{line}" if where and line else (where or "?")
                    raise ThemeError(f"theme template {place}: {error.message or error}") from error
                except (ThemeError, ShellError, OSError):
                    raise  # a content's own error, as its page would raise it out of mkdocs
                except Exception as error:  # mkdocs raises its own errors and plugins' errors
                    raise ShellError(f"{type(error).__name__}: {error}") from error
        finally:
            shutil.rmtree(docs_dir, ignore_errors=True)

    def serve(
        self,
        rebuild: Callable[[], object],
        site_dir: Path,
        watched: Iterable[Path],
        *,
        host: str,
        port: int,
        announce: Callable[[str], None],
    ) -> None:
        def builder() -> None:
            rebuild()

        try:
            server = LiveReloadServer(builder=builder, host=host, port=port, root=str(site_dir))
        except OSError as error:  # an address that does not resolve
            raise ServeError(f"cannot listen on {host}:{port}: {error.strerror}") from None
        for path in watched:
            if path.exists():
                server.watch(str(path))
        logging.getLogger("mkdocs.livereload").setLevel(logging.WARNING)
        try:
            server.server_bind()
        except OSError as error:
            server.server_close()
            raise ServeError(f"cannot listen on {host}:{port}: {error.strerror}") from None
        # serve() binds again; hand it a server whose bind is already done
        server.server_bind = lambda: None  # type: ignore[method-assign]
        announce(server.url)
        try:
            server.serve()  # type: ignore[no-untyped-call]
        except KeyboardInterrupt:
            pass
        finally:
            server.shutdown()

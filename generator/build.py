"""``statusgen build``: validate, render every output beside the target, then swap it in.

Nothing is written when validation fails, and the previous site stays in place until the new
one is complete: the site is rendered into a hidden folder next to the target, which is
then renamed over it.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from generator import mkdocs_site
from generator.badges import write_badges
from generator.diagnostics import Diagnostic
from generator.feeds import write_feeds
from generator.maintenance_calendar import write_calendar
from generator.model import StatusPage
from generator.pages import site_pages, theme_dirs
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


def build_site(
    root: Path,
    out: Path,
    now: datetime,
    base_url: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> BuildResult:
    """Build the whole site for the moment ``now`` into ``out``, whole or not at all."""
    started = time.perf_counter()
    repository = load_repository(root)
    if not repository.ok or repository.config is None:
        errors = sum(d.severity == "error" for d in repository.diagnostics)
        raise BuildError(
            f"the site was not built: {errors} error{'s' if errors != 1 else ''} in the input",
            repository.diagnostics,
        )
    config = repository.config
    _check_target(root, out)
    site = StatusPage.at(config, repository.incidents, now)
    url = normalize_url(base_url or config.url)
    dirs = theme_dirs(root)

    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-new-", dir=out.parent))
    staging.chmod(0o755)
    total = len(site.incidents)
    try:
        pages = mkdocs_site.render(
            config,
            site_pages(site, dirs),
            staging,
            root=root,
            base_url=url,
            now=now,
            theme_dirs=dirs,
            progress=(lambda done: progress(done, total)) if progress else None,
        )
        feeds = write_feeds(site, staging, url)
        machine = write_api(site, staging, url)
        machine.append(write_calendar(site, staging, url))
        machine += write_badges(site, staging)
        _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return BuildResult(
        out, pages, len(feeds), len(machine), len(site.incidents), time.perf_counter() - started
    )


def _swap(staging: Path, out: Path) -> None:
    """Put ``staging`` where ``out`` is; the old site is removed only afterwards."""
    if not out.exists():
        staging.rename(out)
        return
    old = out.with_name(f".{out.name}-old-{secrets.token_hex(4)}")
    out.rename(old)
    staging.rename(out)
    shutil.rmtree(old, ignore_errors=True)

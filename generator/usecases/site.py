"""The built site: building it, previewing it, publishing it, verifying that a host
serves it; and the JSON Schemas editors use."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from generator.builder import (
    BuildError,
    BuildResult,
    build_id_from_environment,
    build_site,
    serve_site,
)
from generator.builder.serve import WATCHED
from generator.core import routes
from generator.core.diagnostics import display_path, render
from generator.core.errors import ServeError, ShellError, ThemeError, WriteError
from generator.input.schemas import SCHEMA_DIR, write_schemas
from generator.publish.mirror import PublishError, publish_site
from generator.publish.verify import VerifyError, verify_live
from generator.usecases.errors import Failed, InvalidInput, WrongUsage
from generator.usecases.report import count

Say = Callable[[str], None]


@dataclass(frozen=True)
class BuildRequest:
    """A build of ``root`` into ``out`` at the moment ``now``; ``progress(done, total)``."""

    root: Path
    out: Path
    now: datetime
    base_url: str | None = None
    cache: bool = True
    build_id: str | None = None
    progress: Callable[[int, int], None] | None = None


def build(request: BuildRequest) -> BuildResult:
    """Check everything, then build the site; nothing is written if the check fails."""
    try:
        return build_site(
            request.root,
            request.out,
            request.now,
            request.base_url,
            request.progress,
            cache=request.cache,
            build_id=build_id(request.build_id),
        )
    except BuildError as error:
        raise InvalidInput(error.message, error.diagnostics) from None
    except ShellError as error:
        raise Failed(f"the page shell failed: {error}") from None
    except (ThemeError, WriteError) as error:
        raise Failed(f"the site was not built: {error}") from None


def build_summary(result: BuildResult) -> str:
    """The line a build ends with: what it made, from where, how fast."""
    return (
        f"Built {display_path(result.out)}: {count(result.pages, 'page')} "
        f"({result.rendered} rendered, {result.pages - result.rendered} from the cache), "
        f"{count(result.feeds, 'feed')} and {count(result.other_files, 'other file')} "
        f"(API, calendar, badges, embed, short links) for {count(result.incidents, 'incident')} "
        f"in {result.seconds:.1f} s"
    )


def build_id(given: str | None) -> str | None:
    """A build id checked (live.json holds it, verify compares it), else GitHub's."""
    if given is None:
        return build_id_from_environment()
    if not re.fullmatch(r"[A-Za-z0-9._:+-]{1,100}", given):
        raise WrongUsage(
            f"'{given}' is not a build id: use up to 100 letters, digits and . _ : + -",
            "--build-id",
        )
    return given


def preview_build(root: Path, out: Path, now: datetime, say: Say, *, first: bool = False) -> bool:
    """One build of the preview (statusgen serve), the ``first`` or a rebuild: True when it
    was built."""
    built = "Built" if first else "Rebuilt"
    try:
        # no second process: forking beside the server's threads is unsafe
        result = build_site(root, out, now, parallel=False)
    except BuildError as error:
        say(render(error.diagnostics, "text") + f"Not {built.lower()}: {error.message}")
        return False
    except (ThemeError, ShellError, WriteError) as error:
        say(f"Not {built.lower()}: {error}")
        return False
    say(f"{built}: {count(result.pages, 'page')} in {result.seconds:.1f} s")
    return True


def preview(root: Path, host: str, port: int, now: Callable[[], datetime], say: Say) -> None:
    """Serve the site, rebuilt at ``now()`` whenever a watched file changes, until
    interrupted; ``InvalidInput`` when the first build failed, ``Failed`` when the server
    cannot start."""
    names = [f"{name}/" if "." not in name else name for name in WATCHED]
    watching = ", ".join(names[:-1]) + " and " + names[-1]
    builds = 0

    def rebuild(out: Path) -> bool:
        nonlocal builds
        builds += 1
        return preview_build(root, out, now(), say, first=builds == 1)

    try:
        served = serve_site(
            root,
            rebuild,
            host=host,
            port=port,
            announce=lambda url: say(f"Serving on {url} (Ctrl+C to stop); watching {watching}"),
        )
    except ServeError as error:
        raise Failed(str(error)) from None
    except OSError as error:
        raise Failed(f"cannot serve: {error.strerror or error}") from None
    if not served:
        raise InvalidInput("fix the problems above, then run statusgen serve again")


def last_build(site: Path) -> str:
    """The build ``site/live.json`` names, or ``WrongUsage`` asking for ``--build``."""
    try:
        found = json.loads((site / routes.live()).read_text(encoding="utf-8"))["build"]
    except (OSError, ValueError, KeyError, TypeError):
        found = None
    if not isinstance(found, str):
        raise WrongUsage(
            f"Missing option '--build': {display_path(site / routes.live())} names no build."
        )
    return found


def verify(url: str, build: str, timeout: float, interval: float, say: Say) -> float:
    """Seconds until the site at ``url`` served ``build``, or ``InvalidInput``."""
    try:
        return verify_live(url, build, timeout, interval, say=say)
    except VerifyError as error:
        raise InvalidInput(str(error)) from None


def publish(site: Path, dest: str, *, dry_run: bool, say: Say) -> None:
    """Upload ``site`` to ``dest`` (an rclone remote path), sending only what changed."""
    try:
        publish_site(site, dest, dry_run=dry_run, say=say)
    except PublishError as error:
        raise InvalidInput(str(error)) from None


def schemas(root: Path, out: Path | None) -> list[Path]:
    """Write the JSON Schemas of both file kinds (default: ROOT/schemas); their paths."""
    return write_schemas(out if out is not None else root / SCHEMA_DIR)

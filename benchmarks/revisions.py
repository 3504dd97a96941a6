"""The same build with the code of other commits, side by side: is a change slower?

    python benchmarks/revisions.py c5226fc HEAD              # 10,000 incidents, 3 runs each
    python benchmarks/revisions.py main~5 main --size 1000 --runs 5

Each revision is checked out into a temporary git worktree and runs ``python -m generator
build`` from there with this virtualenv's libraries, on one synthetic repository
(``generate.py``): a cold build (no render cache), then a rebuild after one incident's title
changed. Runs alternate between the revisions, so that a machine that slows down or speeds
up meanwhile weighs on all of them alike. Prints medians and each revision's ratio to the
first; a shared machine varies by some ten percent from run to run, so differences smaller
than that say nothing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.generate import generate

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-11-24T14:00:00Z"


def git(*args: str, cwd: Path = ROOT) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout.strip()


def build(code: Path, repo: Path) -> float:
    """Seconds for ``statusgen build`` of ``repo`` with the code checked out at ``code``."""
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    environment.pop("SOURCE_DATE_EPOCH", None)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--root", str(repo), "--now", NOW],
        cwd=code, env=environment, capture_output=True, text=True,
    )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"the build with {code.name} failed:\n{done.stderr}")
    return time.perf_counter() - started


def one_run(code: Path, repo: Path, incident: Path) -> tuple[float, float]:
    """A cold build, then a rebuild after ``incident`` changed; ``repo`` left as found."""
    for leftover in [repo / "site", repo / ".statusgen-cache", *repo.glob(".site-*")]:
        shutil.rmtree(leftover, ignore_errors=True)
    cold = build(code, repo)
    text = incident.read_text(encoding="utf-8")
    incident.write_text(text.replace("title: ", "title: (changed) ", 1), encoding="utf-8")
    try:
        rebuild = build(code, repo)
    finally:
        incident.write_text(text, encoding="utf-8")
    return cold, rebuild


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("revisions", nargs="+", help="commits, branches or tags, the base first")
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="statusgen-revisions-") as name:
        folder = Path(name)
        codes: dict[str, Path] = {}
        try:
            for number, revision in enumerate(args.revisions):
                commit = git("rev-parse", "--short", f"{revision}^{{commit}}")
                code = folder / f"code-{number}-{commit}"
                git("worktree", "add", "--detach", "-q", str(code), commit)
                codes[f"{revision} ({commit})"] = code
            repo = generate(args.size, folder / "repo")
            incident = sorted((repo / "incidents").rglob("*.yml"))[-1]
            times: dict[str, list[tuple[float, float]]] = {label: [] for label in codes}
            for _ in range(args.runs):
                for label, code in codes.items():
                    times[label].append(one_run(code, repo, incident))
        finally:
            for code in codes.values():
                git("worktree", "remove", "--force", str(code))
    report(times, args.size, args.runs)


def report(times: dict[str, list[tuple[float, float]]], size: int, runs: int) -> None:
    print(f"{size:,} incidents, median of {runs} runs (alternating); ratio to the first")
    print(f"{'revision':<28} {'cold build':>16} {'rebuild 1 change':>22}")
    base_cold = base_rebuild = 0.0
    for number, (label, found) in enumerate(times.items()):
        cold = statistics.median(c for c, _ in found)
        rebuild = statistics.median(r for _, r in found)
        if number == 0:
            base_cold, base_rebuild = cold, rebuild
        print(
            f"{label:<28} {cold:8.2f} s  {cold / base_cold:5.2f}"
            f" {rebuild:12.2f} s  {rebuild / base_rebuild:5.2f}"
        )


if __name__ == "__main__":
    main()

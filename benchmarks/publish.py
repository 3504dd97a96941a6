"""What the publish workflow's own commands cost: the part of "Run workflow" to "the page
shows it" that statusgen decides.

    python benchmarks/publish.py              # the example and 10,000 incidents
    python benchmarks/publish.py --sizes 1000

- install: `pip install .` into a new virtualenv with an empty pip cache (a first run) and
  with a warm one, and into the virtualenv of an earlier run, which the workflows restore
  with actions/cache (keyed by the Python and pyproject.toml): then only statusgen itself
  is installed again;
- build: `statusgen build` in a fresh checkout (no site from before, as on a runner), cold
  and with the render cache restored from the previous commit's build (what the
  workflow's actions/cache step restores), after one incident changed, as an update does.

Each figure is the median of the runs; the build figures are side by side with their
ratio. The rest of the way (queueing, checkout, setup-python, uploading the artifact,
deploying to Pages) happens on GitHub's machines; the README gives its usual range.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.build import touch_one
from benchmarks.generate import generate

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-11-24T10:30:00Z"


def timed(command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}")
    return elapsed


def install(folder: Path, runs: int) -> tuple[float, float, float]:
    """Median seconds of `pip install .`: into a new virtualenv with an empty pip cache and
    with a warm one, and into the virtualenv of an earlier run (what the workflows restore)."""
    source = folder / "source"
    anywhere = shutil.ignore_patterns("__pycache__", "*.egg-info", ".*_cache")
    top = {".git", ".venv", "node_modules", "site", "build", "dist", ".statusgen-cache"}

    def ignored(where: str, names: list[str]) -> set[str]:
        found = set(anywhere(where, names))
        return found | (top & set(names) if Path(where) == ROOT else set())

    shutil.copytree(ROOT, source, ignore=ignored)
    cache = folder / "pip-cache"
    cold: list[float] = []
    warm: list[float] = []
    kept: list[float] = []
    for number in range(runs):
        shutil.rmtree(cache, ignore_errors=True)
        for kind, found in (("cold", cold), ("warm", warm), ("kept", kept)):
            venv = folder / f"venv-{'warm' if kind == 'kept' else kind}-{number}"
            if kind != "kept":
                subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
            pip = [str(venv / "bin/python"), "-m", "pip", "install", "-q"]
            found.append(
                timed([*pip, "--cache-dir", str(cache), "--disable-pip-version-check", "."], source)
            )
            if kind != "warm":
                shutil.rmtree(venv)
            shutil.rmtree(source / "build", ignore_errors=True)
    return statistics.median(cold), statistics.median(warm), statistics.median(kept)


def build(repo: Path, folder: Path, runs: int) -> tuple[float, float]:
    """Median seconds of a build in a fresh checkout: cold, then with the cache restored."""
    command = [sys.executable, "-m", "generator", "build", "--root", str(repo), "--now", NOW]
    cache = repo / ".statusgen-cache"
    saved = folder / "saved-cache"
    cold: list[float] = []
    restored: list[float] = []
    for _ in range(runs):
        for path in (cache, repo / "site", saved):
            shutil.rmtree(path, ignore_errors=True)
        for old in repo.glob(".site-*"):
            shutil.rmtree(old)
        cold.append(timed(command))
        shutil.copytree(cache, saved)  # what actions/cache saves after this run
        for path in (cache, repo / "site"):
            shutil.rmtree(path)
        for old in repo.glob(".site-*"):
            shutil.rmtree(old)
        touch_one(repo)  # the next commit: one incident updated
        shutil.copytree(saved, cache)  # ... and restores in the next run's fresh checkout
        restored.append(timed(command))
    return statistics.median(cold), statistics.median(restored)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="statusgen-publish-") as name:
        folder = Path(name)
        cold, warm, kept = install(folder, args.runs)
        print(f"median of {args.runs} runs")
        print(
            f"install   pip install . : {cold:6.1f} s new venv, empty pip cache; "
            f"{warm:6.1f} s new venv, warm cache; {kept:6.1f} s into the restored venv"
        )
        example = folder / "example"
        example.mkdir()
        for part in ("site_config.yml", "incidents"):
            if (ROOT / part).is_dir():
                shutil.copytree(ROOT / part, example / part)
            else:
                shutil.copy(ROOT / part, example / part)
        rows = [("example", example)]
        rows += [
            (f"{size} incidents", generate(size, folder / f"repo-{size}")) for size in args.sizes
        ]
        for label, repo in rows:
            cold_s, restored_s = build(repo, folder, args.runs)
            print(
                f"build     {label:<15} {cold_s:6.1f} s cold, {restored_s:6.1f} s with the render "
                f"cache restored (ratio {restored_s / cold_s:.2f})"
            )


if __name__ == "__main__":
    main()

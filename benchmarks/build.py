"""Time statusgen build beside a bare mkdocs-material build of the same incidents.

    python benchmarks/build.py                 # 100, 1,000 and 10,000 incidents
    python benchmarks/build.py --sizes 1000 --runs 3

For each size, one synthetic repository (benchmarks/generate.py) is built by:

- bare: mkdocs-material with one Markdown page per incident (title, impact, components,
  every update's time, status and text) and an index page; incidents out of the nav, no
  search. The floor of the stack statusgen stands on.
- statusgen: `statusgen build` from a cold start (no render cache).
- rebuild: `statusgen build` again after one incident file changed (cache warm).

Both run as separate processes, interleaved; the command prints the median wall time, the
peak memory of each (the process and its children), the ratio to the bare build, and
whether the targets are met at 10,000 incidents (issue 25): half of the bare build's time
or less (ratio at most 0.5), peak memory at most 400 MB, a rebuild in at most 1.5 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.generate import REFERENCE_TIME, generate

NOW = REFERENCE_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
RATIO_TARGET = 0.5
MEMORY_TARGET = 400 * 2**20
REBUILD_TARGET = 1.5

MKDOCS_YML = """\
site_name: Bare
site_url: https://bare.example/
theme:
  name: material
  font: false
plugins: []
nav:
  - index.md
not_in_nav: |
  /incidents/**
"""


def bare_docs(repo: Path, docs: Path) -> None:
    """One Markdown page per incident, as a plain mkdocs site would have them."""
    from generator.input.validate import load_repository

    repository = load_repository(repo)
    (docs / "incidents").mkdir(parents=True)
    (docs / "index.md").write_text(f"# Status\n\n{len(repository.incidents)} incidents.\n")
    for incident in repository.incidents:
        lines = [
            f"# {incident.title}",
            "",
            f"Impact: {incident.impact}. Components: {', '.join(incident.components)}.",
        ]
        for update in reversed(incident.updates):
            lines += ["", f"## {update.status.title()}", "", f"*{update.at:%Y-%m-%d %H:%M %Z}*"]
            lines += ["", update.message]
        page = docs / "incidents" / f"{incident.id}.md"
        page.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _tree(root: int) -> list[int]:
    """``root`` and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def _pss(pids: list[int]) -> int:
    """Proportional set size of the processes, summed: shared pages counted once."""
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            pass
    return total


def measure(command: list[str], cwd: Path | None = None) -> tuple[float, int]:
    """Wall seconds and the peak memory of the process tree (PSS, sampled every 50 ms)."""
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    environment.pop("SOURCE_DATE_EPOCH", None)
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.wait(0.05):
            peak = max(peak, _pss(_tree(process.pid)))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    stop.set()
    sampler.join()
    if os.waitstatus_to_exitcode(status) != 0:
        assert process.stderr is not None
        raise SystemExit(f"{command} failed:\n{process.stderr.read().decode()}")
    return elapsed, max(peak, usage.ru_maxrss * 1024)


def touch_one(repo: Path) -> None:
    """Change one incident, as an engineer's update would."""
    files = sorted((repo / "incidents").rglob("*.yml"))
    path = files[len(files) // 2]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: ", "title: Updated - ", 1), encoding="utf-8")


def run(size: int, runs: int, folder: Path) -> dict[str, tuple[float, int]]:
    repo = generate(size, folder / f"repo-{size}")
    docs = folder / f"docs-{size}"
    bare_docs(repo, docs)
    config = folder / f"mkdocs-{size}.yml"
    config.write_text(MKDOCS_YML + f"docs_dir: {docs}\nsite_dir: {folder / 'bare-site'}\n")
    bare = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)]
    out = folder / "site"
    build = [sys.executable, "-m", "generator", "build", "--root", str(repo), "--out", str(out),
             "--now", NOW]  # fmt: skip
    cache = repo / ".statusgen-cache"
    results: dict[str, list[tuple[float, int]]] = {"bare": [], "statusgen": [], "rebuild": []}
    for _ in range(runs):
        results["bare"].append(measure(bare))
        shutil.rmtree(cache, ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)
        for old in folder.glob(".site-old-*"):
            shutil.rmtree(old)
        results["statusgen"].append(measure(build))
        touch_one(repo)
        results["rebuild"].append(measure(build))
    return {
        name: (statistics.median(t for t, _ in values), max(m for _, m in values))
        for name, values in results.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10_000])
    parser.add_argument("--runs", type=int, default=3, help="runs of each (default 3)")
    args = parser.parse_args()
    print(
        f"median of {args.runs} runs; peak memory (PSS) of the process tree; {os.cpu_count()} cores"
    )
    print(f"{'incidents':>9}  {'bare mkdocs':>16}  {'statusgen':>16}  {'ratio':>5}  "
          f"{'rebuild 1 change':>16}")  # fmt: skip
    verdicts = []
    for size in args.sizes:
        with tempfile.TemporaryDirectory(prefix="statusgen-bench-") as folder:
            result = run(size, args.runs, Path(folder))
        (bare, bare_mem), (ours, our_mem), (again, again_mem) = (
            result["bare"],
            result["statusgen"],
            result["rebuild"],
        )
        ratio = ours / bare
        print(
            f"{size:>9}  {bare:6.2f} s {bare_mem / 2**20:5.0f} MB  {ours:6.2f} s "
            f"{our_mem / 2**20:5.0f} MB  {ratio:5.2f}  {again:6.2f} s {again_mem / 2**20:5.0f} MB"
        )
        if size >= 10_000:
            verdicts.append((f"ratio at {size} at most {RATIO_TARGET}", ratio <= RATIO_TARGET))
            verdicts.append((f"peak memory at {size} at most {MEMORY_TARGET / 2**20:.0f} MB",
                             our_mem <= MEMORY_TARGET))  # fmt: skip
            verdicts.append((f"rebuild at {size} at most {REBUILD_TARGET} s",
                             again <= REBUILD_TARGET))  # fmt: skip
    for name, met in verdicts:
        print(f"target: {name}: {'met' if met else 'MISSED'}")


if __name__ == "__main__":
    main()

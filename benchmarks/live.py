"""Statusgen's own part of commit to live: from a changed incident file to a mirror serving
it, and what a one-incident change sends.

    python benchmarks/live.py                 # the example and 10,000 incidents
    python benchmarks/live.py --sizes 1000 --runs 5

Each run is what a publish does after a commit: an engineer's update to the open incident
(``statusgen update``, untimed), then ``statusgen build`` with the render cache of the
previous build, at a moment one minute later, then ``statusgen publish`` to a local folder
through rclone (the same plan and order as to any remote; a host over the network adds its
round trips and bandwidth); "of which rclone's runs" is the time publish itself reports,
the rest is Python starting the CLI. Beside it, the floor: a plain ``rclone sync --checksum`` of the
same build to a second folder in the same state, one pass with no order. Figures are medians;
the files and bytes are rclone's own counts, and the files sent are listed by kind and by
folder, so that what a one-incident change touches is visible.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.generate import generate

ROOT = Path(__file__).resolve().parent.parent
#: After the example's and the generated repositories' latest updates.
START = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)
STATUSGEN = [sys.executable, "-m", "generator"]
SENT = re.compile(r"([\d,]+) files? sent \(([\d.]+ [kMG]?B)\).* in ([\d.]+) s")


def run(command: list[str], env: dict[str, str] | None = None) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}")
    return elapsed, result.stdout + result.stderr


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def open_incident(repo: Path) -> str:
    """The id of the newest incident, which is open in the example and in generated ones."""
    return sorted((repo / "incidents").rglob("*.yml"), key=lambda path: path.name)[-1].stem


def kinds(listing: str) -> tuple[Counter[str], Counter[str]]:
    """The files a dry run lists, by kind (suffix) and by top folder."""
    paths = [line[2:] for line in listing.splitlines() if line[:2] in ("+ ", "* ", "- ")]
    by_kind = Counter(Path(path).suffix or path for path in paths)
    by_folder = Counter(path.split("/")[0] if "/" in path else "(root)" for path in paths)
    return by_kind, by_folder


def measure(label: str, repo: Path, folder: Path, runs: int) -> None:
    env = {name: value for name, value in os.environ.items() if not name.startswith("RCLONE_")}
    mirror, floor = folder / f"mirror-{label}", folder / f"floor-{label}"
    site = repo / "site"
    incident = open_incident(repo)
    moment = START
    cold, _ = run([*STATUSGEN, "build", "--root", str(repo), "--now", stamp(moment)])
    first, said = run([*STATUSGEN, "publish", str(mirror), "--out", str(site)], env)
    run(["rclone", "sync", "--checksum", str(site), str(floor), "--exclude", "/.statusgen-site"])
    files = sum(1 for path in mirror.rglob("*") if path.is_file())
    print(f"{label}: {files:,} files; cold build {cold:.1f} s; first upload {first:.1f} s")
    builds, publishes, inside, floors, totals = [], [], [], [], []
    sent: list[tuple[int, str]] = []
    listing = ""
    for number in range(runs):
        moment += timedelta(minutes=1)
        run([*STATUSGEN, "update", incident, "--root", str(repo), "--at", stamp(moment),
             "--message", f"Update {number + 1}: we are still working on it."])  # fmt: skip
        build_s, _ = run([*STATUSGEN, "build", "--root", str(repo), "--now", stamp(moment)])
        _, listing = run([*STATUSGEN, "publish", str(mirror), "--out", str(site), "--dry-run"], env)
        publish_s, said = run([*STATUSGEN, "publish", str(mirror), "--out", str(site)], env)
        floor_s, _ = run(["rclone", "sync", "--checksum", str(site), str(floor),
                          "--exclude", "/.statusgen-site"])  # fmt: skip
        found = SENT.search(said)
        assert found, said
        sent.append((int(found.group(1).replace(",", "")), found.group(2)))
        inside.append(float(found.group(3)))
        builds.append(build_s)
        publishes.append(publish_s)
        floors.append(floor_s)
        totals.append(build_s + publish_s)
    build_m, publish_m, floor_m = (statistics.median(x) for x in (builds, publishes, floors))
    total_m, inside_m = statistics.median(totals), statistics.median(inside)
    files_sent = statistics.median(count for count, _ in sent)
    print(f"  build with the render cache   {build_m:6.2f} s")
    print(
        f"  statusgen publish             {publish_m:6.2f} s   "
        f"plain rclone sync {floor_m:6.2f} s   ratio {publish_m / floor_m:.2f}"
    )
    print(f"  of which rclone's runs        {inside_m:6.2f} s (the rest: starting the CLI)")
    print(f"  changed file to mirror        {total_m:6.2f} s")
    print(f"  one update sends              {files_sent:.0f} files ({sent[len(sent) // 2][1]})")
    by_kind, by_folder = kinds(listing)
    print("    by kind:   " + ", ".join(f"{kind} {n}" for kind, n in by_kind.most_common()))
    print("    by folder: " + ", ".join(f"{top} {n}" for top, n in by_folder.most_common()))
    target = 10.0 if label == "example" else 15.0
    met = "met" if total_m < target else "missed"
    print(f"  target: changed file to mirror under {target:.0f} s: {met}")
    print(f"  target: a one-incident change sends under 50 files: "
          f"{'met' if files_sent < 50 else 'missed'}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if shutil.which("rclone") is None:
        raise SystemExit("install rclone: sudo apt-get install rclone")
    with tempfile.TemporaryDirectory(prefix="statusgen-live-") as name:
        folder = Path(name)
        example = folder / "example"
        shutil.copytree(ROOT / "incidents", example / "incidents")
        shutil.copy(ROOT / "site_config.yml", example / "site_config.yml")
        print(f"median of {args.runs} runs; publish to a local folder through rclone")
        measure("example", example, folder, args.runs)
        for size in args.sizes:
            repo = generate(size, folder / f"repo-{size}")
            measure(f"{size} incidents", repo, folder, args.runs)


if __name__ == "__main__":
    main()

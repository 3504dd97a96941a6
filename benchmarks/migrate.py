"""Time `statusgen import statuspage` on GitHub's 1,282 saved incidents, beside a bare read.

    python benchmarks/migrate.py
    python benchmarks/migrate.py --runs 5

The floor is what any importer must do at least: read every response and parse its JSON.
The command prints the median wall time of a first import into a fresh repository, of a
second one (nothing to write: the same bytes), of the floor, the ratio of the first to the
floor, whether it meets its target (under 10 s on the 2-core reference machine), and how
long the imported repository takes to build.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.check import measure

ROOT = Path(__file__).resolve().parent.parent
GITHUB = ROOT / "tests" / "reference" / "import" / "statuspage" / "www.githubstatus.com"
TARGET_SECONDS = 10.0
CONFIG = "site:\n  name: GitHub Status\n  url: https://www.githubstatus.com/\n"
FLOOR = """
import json, sys
from pathlib import Path
for path in sorted(Path(sys.argv[1]).rglob("*.json")):
    json.loads(path.read_text(encoding="utf-8"))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each (default 3)")
    args = parser.parse_args()
    first: list[float] = []
    again: list[float] = []
    floor: list[float] = []
    with tempfile.TemporaryDirectory(prefix="statusgen-import-") as folder:
        repo = Path(folder) / "repo"
        command = [sys.executable, "-m", "generator", "import", "statuspage", str(GITHUB)]
        command += ["--root", str(repo)]
        for _ in range(args.runs):
            shutil.rmtree(repo, ignore_errors=True)
            repo.mkdir()
            (repo / "site_config.yml").write_text(CONFIG, encoding="utf-8")
            first.append(measure(command)[0])
            again.append(measure(command)[0])
            floor.append(measure([sys.executable, "-c", FLOOR, str(GITHUB)])[0])
        build = [sys.executable, "-m", "generator", "build", "--root", str(repo)]
        built = measure([*build, "--now", "2023-10-07T00:00:00Z"])[0]
    files = len(list(GITHUB.rglob("*.json")))
    first_s, again_s, floor_s = (statistics.median(x) for x in (first, again, floor))
    verdict = "met" if first_s < TARGET_SECONDS else "MISSED"
    print(f"GitHub's history: {files} saved responses, median of {args.runs} runs")
    print(f"  bare JSON read      {floor_s:6.2f} s")
    print(f"  import (first)      {first_s:6.2f} s  ratio {first_s / floor_s:.1f}")
    print(f"  import (again)      {again_s:6.2f} s  (nothing to write)")
    print(f"  target under {TARGET_SECONDS:.0f} s: {verdict}")
    print(f"  build of the result {built:6.2f} s")


if __name__ == "__main__":
    main()

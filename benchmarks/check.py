"""Time `statusgen check` on a synthetic repository beside the floor of its stack.

    python benchmarks/check.py            # 10,000 incidents, 3 runs each
    python benchmarks/check.py --n 1000 --runs 5

The floor is what any checker must do at least: read every file and parse it with PyYAML's
libyaml loader. Both run as separate processes, interleaved so that both see the same
machine load; the command prints the median wall time, the peak memory of each, their
ratio, and whether check meets its targets at 10,000 incidents: at most 1.3 times the
floor (issue 25), and under 5 s on the 2-core reference machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.generate import generate

TARGET_SECONDS = 5.0
#: check's wall time over the floor's (issue 25): what is not parsing (pydantic, the text
#: rule, the index, the imports) costs less than a third of the parse.
TARGET_RATIO = 1.3

FLOOR = """
import sys, yaml
from pathlib import Path
for path in sorted(Path(sys.argv[1], "incidents").rglob("*.yml")):
    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
"""


def measure(command: list[str]) -> tuple[float, int]:
    """Wall seconds and peak resident memory (bytes) of one run of ``command``."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        assert process.stderr is not None
        raise SystemExit(f"{command[0]} failed: {process.stderr.read().decode()}")
    return elapsed, usage.ru_maxrss * 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="incidents (default 10,000)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each (default 3)")
    args = parser.parse_args()

    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="statusgen-bench-") as folder:
        root = generate(args.n, Path(folder) / f"repo-{args.n}")
        statusgen = [sys.executable, "-m", "generator", "check", "--root", str(root)]
        floor = [sys.executable, "-c", FLOOR, str(root)]
        results: dict[str, list[tuple[float, int]]] = {"check": [], "floor": []}
        for _ in range(args.runs):  # interleaved, so both see the same machine load
            results["check"].append(measure(statusgen))
            results["floor"].append(measure(floor))

    medians = {name: statistics.median(t for t, _ in runs) for name, runs in results.items()}
    peaks = {name: max(m for _, m in runs) for name, runs in results.items()}
    load = f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after, {os.cpu_count()} cores"
    print(f"{args.n} incidents, median of {args.runs} runs (load average {load})")
    print(f"  statusgen check        {medians['check']:6.2f} s  {peaks['check'] / 2**20:6.0f} MB")
    print(f"  floor (libyaml parse)  {medians['floor']:6.2f} s  {peaks['floor'] / 2**20:6.0f} MB")
    print(f"  ratio                  {medians['check'] / medians['floor']:6.2f}")
    if args.n == 10_000:
        ratio = medians["check"] / medians["floor"]
        verdict = "met" if ratio <= TARGET_RATIO else "MISSED"
        print(f"  target: ratio at most {TARGET_RATIO} at 10,000 incidents: {verdict}")
        verdict = "met" if medians["check"] < TARGET_SECONDS else "MISSED"
        print(f"  target: check under {TARGET_SECONDS:.0f} s at 10,000 incidents: {verdict}")


if __name__ == "__main__":
    main()

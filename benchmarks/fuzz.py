"""The long fuzz profile: the laws of tests/fuzzing.py over many generated inputs.

    STATUSGEN_FUZZ=100000 python benchmarks/fuzz.py     # 100,000 files (the default: 2,000)
    python benchmarks/fuzz.py --files-per-repository 20 --seed 7

An input is one generated file: an incident file or a site_config.yml. They come in
repositories of up to ``--files-per-repository`` files, each checked, the valid part built
and every output parsed (tests/fuzzing.py says how). The command prints how many inputs,
repositories, accepted files, builds and parsed outputs it went through, and stops at the
first broken law with the input that broke it (hypothesis shrinks it first).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hypothesis import HealthCheck, given, seed, settings

from tests.fuzzing import Repository, check_laws, repositories


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files-per-repository", type=int, default=10)
    parser.add_argument("--seed", type=int, default=20261130)
    args = parser.parse_args()
    target = int(os.environ.get("STATUSGEN_FUZZ", "2000"))
    totals = {"inputs": 0, "repositories": 0, "accepted": 0, "builds": 0, "outputs": 0}
    started = time.perf_counter()
    scratch = Path(tempfile.mkdtemp(prefix="statusgen-fuzz-"))
    average = (args.files_per_repository + 1) / 2 + 1
    examples = int(target / average * 1.3) + 10  # more than enough: those past the target
    # are skipped

    @seed(args.seed)
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )
    @given(repositories(max_files=args.files_per_repository))
    def run(repository: Repository) -> None:
        if totals["inputs"] >= target:
            return
        verdict = check_laws(repository, scratch)
        totals["inputs"] += verdict.files
        totals["repositories"] += 1
        totals["accepted"] += verdict.accepted
        totals["builds"] += verdict.built
        totals["outputs"] += verdict.outputs
        if totals["repositories"] % 500 == 0:
            print(f"  {totals['inputs']} inputs, {time.perf_counter() - started:.0f} s", flush=True)

    run()
    seconds = time.perf_counter() - started
    print(
        f"{totals['inputs']} inputs in {totals['repositories']} repositories: "
        f"{totals['accepted']} incident files accepted, {totals['builds']} builds, "
        f"{totals['outputs']} outputs parsed; no law broken ({seconds:.0f} s)"
    )


if __name__ == "__main__":
    main()

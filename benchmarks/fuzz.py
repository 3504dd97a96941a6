"""The long fuzz profile: the laws of every fuzzed surface over many generated inputs.

    STATUSGEN_FUZZ=100000 python benchmarks/fuzz.py     # 100,000 inputs (the default: 2,000)
    python benchmarks/fuzz.py --files-per-repository 20 --seed 7 --surface apply

The surfaces are the status repositories of tests/fuzzing.py (an input is one generated
file, an incident file or a site_config.yml, in repositories of up to
``--files-per-repository`` files, each checked, the valid part built, linted, notified in
a dry run and applied to, every output parsed) and every ``tests/fuzz_<surface>.py``
module, found by name: each exposes ``INPUTS`` (a hypothesis strategy) and
``check(value, scratch)``, which holds that surface's laws for one input (an input is one
call), and may count what it accepted and refused in a ``TALLY`` counter.

STATUSGEN_FUZZ is split evenly across the surfaces. The command prints, per surface and in
total, the inputs, how many were refused and accepted, and the time; it stops at the first
broken law with the input that broke it (hypothesis shrinks it first).
"""

from __future__ import annotations

import argparse
import importlib
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hypothesis import HealthCheck, given, seed, settings

from tests.fuzzing import Repository, repositories
from tests.fuzzing_laws import check_laws

ROOT = Path(__file__).resolve().parent.parent
REPOSITORIES = "repositories"


@dataclass
class Figures:
    """What one surface went through."""

    surface: str
    inputs: int = 0
    refused: int | None = 0
    accepted: int | None = 0
    seconds: float = 0.0
    notes: str = ""


def surfaces() -> dict[str, ModuleType | None]:
    """Every fuzzed surface by name: the repositories, then each tests/fuzz_*.py."""
    found: dict[str, ModuleType | None] = {REPOSITORIES: None}
    for path in sorted((ROOT / "tests").glob("fuzz_*.py")):
        module = importlib.import_module(f"tests.{path.stem}")
        for name in ("INPUTS", "check"):
            if not hasattr(module, name):
                raise SystemExit(f"{path.relative_to(ROOT)} has no {name}: see tests/fuzzing.py")
        found[path.stem.removeprefix("fuzz_")] = module
    return found


def _settings(examples: int, chosen_seed: int) -> Callable[[Callable[..., None]], Any]:
    def wrap(test: Callable[..., None]) -> Any:
        return seed(chosen_seed)(
            settings(
                max_examples=max(examples, 1),
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
                report_multiple_bugs=False,
            )(test)
        )

    return wrap


def fuzz_repositories(target: int, per_repository: int, chosen_seed: int, scratch: Path) -> Figures:
    """Generated status repositories until ``target`` files went through the laws."""
    figures = Figures(REPOSITORIES)
    totals = Counter[str]()
    average = (per_repository + 1) / 2 + 1
    examples = int(target / average * 1.3) + 10  # more than enough: those past the target
    # are skipped

    @_settings(examples, chosen_seed)
    @given(repositories(max_files=per_repository))
    def run(repository: Repository) -> None:
        if figures.inputs >= target:
            return
        verdict = check_laws(repository, scratch)
        accepted = verdict.accepted + verdict.built  # the incident files, and the config
        figures.inputs += verdict.files
        figures.accepted = (figures.accepted or 0) + accepted
        figures.refused = (figures.refused or 0) + verdict.files - accepted
        totals["repositories"] += 1
        totals["builds"] += verdict.built
        totals["outputs"] += verdict.outputs
        if totals["repositories"] % 500 == 0:
            print(f"  {REPOSITORIES}: {figures.inputs} inputs", flush=True)

    run()
    figures.notes = (
        f"{totals['repositories']} repositories, {totals['builds']} builds, "
        f"{totals['outputs']} outputs parsed"
    )
    return figures


def fuzz_module(
    name: str, module: ModuleType, target: int, chosen_seed: int, scratch: Path
) -> Figures:
    """``target`` inputs of a tests/fuzz_*.py module through its ``check``."""
    figures = Figures(name)
    tally: Counter[str] | None = getattr(module, "TALLY", None)
    if tally is not None:
        tally.clear()

    @_settings(target, chosen_seed)
    @given(module.INPUTS)
    def run(value: object) -> None:
        if figures.inputs >= target:
            return
        with tempfile.TemporaryDirectory(prefix=f"{name}-", dir=scratch) as folder:
            module.check(value, Path(folder))
        figures.inputs += 1
        if figures.inputs % 5000 == 0:
            print(f"  {name}: {figures.inputs} inputs", flush=True)

    run()
    figures.refused = tally["refused"] if tally is not None else None
    figures.accepted = tally["accepted"] if tally is not None else None
    return figures


def _shown(number: int | None) -> str:
    return "-" if number is None else str(number)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files-per-repository", type=int, default=10)
    parser.add_argument("--seed", type=int, default=20261130)
    parser.add_argument(
        "--surface", action="append", metavar="NAME", help="Only this surface. Repeatable."
    )
    args = parser.parse_args()
    target = int(os.environ.get("STATUSGEN_FUZZ", "2000"))
    found = surfaces()
    chosen = args.surface or list(found)
    unknown = [name for name in chosen if name not in found]
    if unknown:
        parser.error(f"no surface {', '.join(unknown)}; the surfaces are {', '.join(found)}")
    shares = {name: target // len(chosen) for name in chosen}
    shares[chosen[0]] += target - sum(shares.values())
    over = f"{len(chosen)} surface" + ("s" if len(chosen) != 1 else "")
    print(f"{target} inputs over {over}: {', '.join(chosen)}", flush=True)
    scratch = Path(tempfile.mkdtemp(prefix="statusgen-fuzz-"))
    results: list[Figures] = []
    try:
        for name in chosen:
            started = time.perf_counter()
            module = found[name]
            if module is None:
                figures = fuzz_repositories(
                    shares[name], args.files_per_repository, args.seed, scratch
                )
            else:
                figures = fuzz_module(name, module, shares[name], args.seed, scratch)
            figures.seconds = time.perf_counter() - started
            results.append(figures)
            print(
                f"{name}: {figures.inputs} inputs, {_shown(figures.refused)} refused, "
                f"{_shown(figures.accepted)} accepted ({figures.seconds:.0f} s)"
                + (f"; {figures.notes}" if figures.notes else ""),
                flush=True,
            )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    width = max(len(f.surface) for f in results)
    print(f"\n{'surface':<{width}}  {'inputs':>8}  {'refused':>8}  {'accepted':>8}  {'time':>7}")
    for f in results:
        print(
            f"{f.surface:<{width}}  {f.inputs:>8}  {_shown(f.refused):>8}  "
            f"{_shown(f.accepted):>8}  {f.seconds:>6.0f}s"
        )
    known = [f for f in results if f.refused is not None and f.accepted is not None]
    print(
        f"{'total':<{width}}  {sum(f.inputs for f in results):>8}  "
        f"{sum(f.refused or 0 for f in known):>8}  {sum(f.accepted or 0 for f in known):>8}  "
        f"{sum(f.seconds for f in results):>6.0f}s"
    )
    print("no law broken")


if __name__ == "__main__":
    main()

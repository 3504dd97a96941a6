"""What a second language costs: build time and the front page's weight.

    python benchmarks/languages.py                 # 1,000 incidents, 3 runs
    python benchmarks/languages.py --size 1000 --runs 3

- Build: the same synthetic repository (benchmarks/generate.py) built from a cold start
  (no render cache) in one language, and in two (``site.languages: [en, de]``) with every
  title and message translated, as separate processes, interleaved. Target: the two-
  language build takes at most 1.4 times the one-language build (a language is one more
  site: linear, not worse).
- Weight: the example's front page, gzipped at level 6 as a CDN serves it, in English
  alone and with one and two more languages (the hreflang links and the language menu).
  Target: at most 2 KB more per language.
"""

from __future__ import annotations

import argparse
import gzip
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.build import NOW, measure
from benchmarks.generate import generate

RATIO_TARGET = 1.4
WEIGHT_TARGET = 2048
ROOT = Path(__file__).resolve().parent.parent


def translate(repo: Path) -> None:
    """Make the repository bilingual: every title and message also in German."""
    config = repo / "site_config.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("site:\n", "site:\n  languages: [en, de]\n", 1), "utf-8")
    for path in (repo / "incidents").rglob("*.yml"):
        text = path.read_text(encoding="utf-8")
        text = re.sub(
            r"^title: (.*)$", r"title:\n  en: \1\n  de: \1 (auf Deutsch)", text, flags=re.M
        )
        text = re.sub(
            r"^    message: \|\n((?:      .*\n)+)",
            lambda m: (
                "    message:\n      en: |\n"
                + "".join("  " + line + "\n" for line in m.group(1).splitlines())
                + "      de: |\n"
                + "".join("  " + line + " (de)\n" for line in m.group(1).splitlines())
            ),
            text,
            flags=re.M,
        )
        path.write_text(text, encoding="utf-8")


def build_times(size: int, runs: int, folder: Path) -> tuple[float, float]:
    one = generate(size, folder / "one")
    two = generate(size, folder / "two")
    translate(two)
    check = subprocess.run(
        [sys.executable, "-m", "generator", "check", "--root", str(two)], capture_output=True
    )
    if check.returncode != 0:
        raise SystemExit(check.stdout.decode() + check.stderr.decode())
    times: dict[Path, list[float]] = {one: [], two: []}
    for _ in range(runs):
        for repo in (one, two):
            out = folder / "site"
            shutil.rmtree(out, ignore_errors=True)
            shutil.rmtree(repo / ".statusgen-cache", ignore_errors=True)
            command = [sys.executable, "-m", "generator", "build", "--root", str(repo),
                       "--out", str(out), "--now", NOW, "--no-cache"]  # fmt: skip
            times[repo].append(measure(command)[0])
    return statistics.median(times[one]), statistics.median(times[two])


def front_page_weights(folder: Path) -> list[tuple[str, int]]:
    """The example's front page, gzipped, in one, two and three languages."""
    found = []
    for languages in ([], ["en", "de"], ["en", "de", "ar"]):
        repo = folder / f"example-{len(languages)}"
        shutil.copytree(ROOT / "incidents", repo / "incidents")
        config = (ROOT / "site_config.yml").read_text(encoding="utf-8")
        given = f"  languages: [{', '.join(languages)}]\n" if languages else ""
        config = re.sub(r"^  languages: .*\n", given, config, count=1, flags=re.M)
        (repo / "site_config.yml").write_text(config, encoding="utf-8")
        out = folder / f"site-{len(languages)}"
        command = [sys.executable, "-m", "generator", "build", "--root", str(repo),
                   "--out", str(out), "--now", "2026-11-24T10:30:00Z", "--no-cache"]  # fmt: skip
        subprocess.run(command, check=True, capture_output=True)
        page = (out / "index.html").read_bytes()
        found.append((", ".join(languages) or "en", len(gzip.compress(page, compresslevel=6))))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="statusgen-languages-") as folder:
        one, two = build_times(args.size, args.runs, Path(folder))
        weights = front_page_weights(Path(folder))
    ratio = two / one
    print(f"{args.size} incidents, cold build, median of {args.runs} runs")
    print(f"  one language (en)         {one:6.2f} s")
    print(f"  two languages (en, de)    {two:6.2f} s   ratio {ratio:.2f}")
    print("front page of the example, gzipped (level 6)")
    base = weights[0][1]
    worst = 0.0
    for count, (languages, size) in enumerate(weights):
        extra = (size - base) / count if count else 0.0
        worst = max(worst, extra)
        more = f"  +{extra:.0f} bytes per language" if count else ""
        print(f"  {languages:<24}{size:7d} bytes{more}")
    print(f"target: two languages at most {RATIO_TARGET}x one: "
          f"{'met' if ratio <= RATIO_TARGET else 'MISSED'}")  # fmt: skip
    print(f"target: at most {WEIGHT_TARGET} bytes more per language: "
          f"{'met' if worst <= WEIGHT_TARGET else 'MISSED'}")  # fmt: skip
    if ratio > RATIO_TARGET or worst > WEIGHT_TARGET:
        raise SystemExit(1)


if __name__ == "__main__":
    main()

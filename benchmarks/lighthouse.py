"""Lighthouse on a phone: the example's front page, an incident page and a month of
history, in English and in Arabic (right to left).

    python benchmarks/lighthouse.py [--runs 3]

Builds the example now (as readers of a live site get it, published minutes ago) in
English and Arabic, serves it on loopback
with every body gzipped (as a CDN would), and runs npm's lighthouse (package.json; its
mobile default: a mid-range phone on slow 4G, simulated) with Debian's Chromium on each
page. Prints the median of the runs of each score and of the first contentful paint,
and whether the targets of issue 25 are met: performance 100, first contentful paint
at most 1.0 s, accessibility, best practices and SEO 100.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser import ARGS, CHROMIUM, serve
from tests.example import ROOT, build_example

LIGHTHOUSE = ROOT / "node_modules/.bin/lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
#: The three kinds of page, as the example has them at its reference time.
PAGES = ("", "incidents/2026-11-24-single-sign-on-fails-in-the-eu/", "history/2026/11/")
LANGUAGES = ("en", "ar")
FCP_TARGET = 1.0


#: What the performance score is made of, beside the first contentful paint: seconds of
#: the largest contentful paint and of total blocking time (the main thread's long tasks).
METRICS = ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time")


def lighthouse(url: str, folder: Path) -> tuple[dict[str, float], dict[str, float]]:
    """One run on ``url``: each category's score (0 to 100) and the paint and blocking
    metrics, in seconds."""
    flags = " ".join(["--headless=new", *ARGS])
    report = folder / "report.json"
    subprocess.run(
        [
            str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
            f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={flags}",
        ],
        check=True,
        env={**os.environ, "CHROME_PATH": str(CHROMIUM)},
        cwd=folder,
    )  # fmt: skip
    result = json.loads(report.read_text(encoding="utf-8"))
    scores = {name: round(result["categories"][name]["score"] * 100) for name in CATEGORIES}
    return scores, {name: result["audits"][name]["numericValue"] / 1000 for name in METRICS}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    if not LIGHTHOUSE.exists():
        sys.exit(f"no {LIGHTHOUSE.relative_to(ROOT)}: run npm ci")
    met = True
    with tempfile.TemporaryDirectory() as folder:
        # built now, as a reader of a live site gets it (published minutes ago): built at
        # its reference moment, weeks ago, each page would show its staleness alert
        now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        site = build_example(Path(folder) / "site", now=now, languages=list(LANGUAGES))
        print(f"Lighthouse (npm), mobile; the example built at {now}, gzipped; median of {runs}")
        print(
            f"{'page':<56} {'perf':>4} {'a11y':>4} {'best':>4} {'seo':>4} "
            f"{'FCP':>6} {'LCP':>6} {'TBT':>6}"
        )
        with serve(site, gzipped=True) as base:
            for language in LANGUAGES:
                prefix = "" if language == LANGUAGES[0] else f"{language}/"
                for path in PAGES:
                    assert (site / prefix / path / "index.html").is_file(), prefix + path
                    measured = [lighthouse(base + prefix + path, Path(folder)) for _ in range(runs)]
                    scores = {
                        name: statistics.median(score[name] for score, _ in measured)
                        for name in CATEGORIES
                    }
                    metrics = {
                        name: statistics.median(metric[name] for _, metric in measured)
                        for name in METRICS
                    }
                    print(
                        f"/{prefix + path:<55} "
                        + " ".join(f"{scores[name]:>4.0f}" for name in CATEGORIES)
                        + "".join(f" {metrics[name]:>5.2f}s" for name in METRICS)
                    )
                    fcp = metrics["first-contentful-paint"]
                    met = met and all(s == 100 for s in scores.values()) and fcp <= FCP_TARGET
    print(
        f"target: every score 100 and first contentful paint at most {FCP_TARGET} s on every "
        f"page: {'met' if met else 'MISSED'}"
    )


if __name__ == "__main__":
    main()

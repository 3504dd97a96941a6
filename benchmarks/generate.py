"""Write a synthetic status repository of N incidents, the same files for the same N and seed.

    python benchmarks/generate.py 10000 /tmp/status-10000

Incidents have 3 to 5 updates of about 100 words each, spread over the 3 years before
REFERENCE_TIME, across 10 components; one in twenty is a maintenance, and the newest few
incidents are still open. Later benchmarks reuse it.
"""

from __future__ import annotations

import argparse
import random
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

REFERENCE_TIME = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
YEARS = 3
OPEN_INCIDENTS = 3

COMPONENTS = [
    ("api", "Public API", "Platform"),
    ("webhooks", "Webhooks", "Platform"),
    ("auth", "Sign-in", "Platform"),
    ("dashboard", "Dashboard", None),
    ("payments", "Payments", "Billing"),
    ("invoices", "Invoices", "Billing"),
    ("email", "Email notifications", "Notifications"),
    ("sms", "SMS notifications", "Notifications"),
    ("mobile", "Mobile apps", None),
    ("docs", "Documentation", None),
]
REGIONS = ["EU", "US", "APAC"]
IMPACTS = ["minor", "minor", "major", "major", "critical", "none"]
STATUS_OF_IMPACT = {
    "none": "operational",
    "minor": "degraded_performance",
    "major": "partial_outage",
    "critical": "major_outage",
}
SUBJECTS = ["Some customers", "Customers in the EU", "Customers in the US", "A few customers"]
PROBLEMS = [
    "cannot sign in",
    "see slow page loads",
    "receive webhooks late",
    "cannot download invoices",
    "see failed card payments",
    "do not receive emails",
]
WORDS = [
    "we",
    "are",
    "working",
    "on",
    "restoring",
    "full",
    "service",
    "and",
    "will",
    "keep",
    "this",
    "page",
    "updated",
    "as",
    "we",
    "learn",
    "more",
    "about",
    "what",
    "customers",
    "experience",
    "requests",
    "may",
    "fail",
    "or",
    "take",
    "longer",
    "than",
    "usual",
    "retrying",
    "after",
    "a",
    "few",
    "minutes",
    "usually",
    "succeeds",
    "data",
    "is",
    "safe",
    "and",
    "nothing",
    "has",
    "been",
    "lost",
    "the",
    "team",
    "has",
    "identified",
    "the",
    "affected",
    "systems",
    "and",
    "is",
    "rolling",
    "out",
    "a",
    "change",
    "to",
    "reduce",
    "errors",
    "for",
    "everyone",
    "the",
    "next",
    "update",
    "follows",
    "within",
    "the",
    "hour",
    "thank",
    "you",
    "for",
    "your",
    "patience",
]
FLOW = ["investigating", "identified", "monitoring"]


def _message(rng: random.Random, words: int = 100) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def _time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _block(text: str, indent: int) -> str:
    pad = " " * indent
    return "|\n" + pad + text + "\n"


def site_config(n: int) -> str:
    lines = [
        "site:",
        f"  name: Synthetic Status ({n} incidents)",
        "  url: https://status.synthetic.example/",
        "  timezone: Europe/Berlin",
        "components:",
    ]
    for component_id, name, group in COMPONENTS:
        lines += [f"  - id: {component_id}", f"    name: {name}"]
        if group:
            lines.append(f"    group: {group}")
    return "\n".join(lines) + "\n"


def incident(rng: random.Random, number: int, n: int) -> tuple[str, str]:
    """One incident file: its relative path and its text."""
    span = timedelta(days=365 * YEARS)
    # spread evenly, newest last, with jitter, so the newest few are the open ones
    start = REFERENCE_TIME - span + span * (number + rng.random() * 0.5) / (n + 1)
    maintenance = number % 20 == 7 and number < n - OPEN_INCIDENTS
    components = rng.sample(COMPONENTS, rng.randint(1, 3))
    problem = rng.choice(PROBLEMS)
    title = (
        f"Planned maintenance of {components[0][1]}"
        if maintenance
        else f"{rng.choice(SUBJECTS)} {problem}"
    )
    slug = f"{start:%Y-%m-%d}-{number:05d}"
    lines = [f"title: {title}"]
    if maintenance:
        lines.append("type: maintenance")
    else:
        impact = rng.choice(IMPACTS)
        lines.append(f"impact: {impact}")
    lines.append("components:")
    for component_id, _name, _group in components:
        status = "under_maintenance" if maintenance else STATUS_OF_IMPACT[impact]
        lines.append(f"  {component_id}: {status}")
    lines.append(f"regions: [{rng.choice(REGIONS)}]")
    if maintenance:
        window_start = start + timedelta(days=3)
        lines += [
            "scheduled:",
            f"  start: {_time(window_start)}",
            f"  end: {_time(window_start + timedelta(hours=2))}",
        ]
    count = rng.randint(3, 5)
    still_open = number >= n - OPEN_INCIDENTS
    lines.append("updates:")
    at = start + timedelta(minutes=rng.randint(3, 20))
    for index in range(count):
        last = index == count - 1
        if maintenance:
            status = ["scheduled", "in_progress", "verifying", "verifying", "completed"][
                index if not last else 4
            ]
            if index == 1:
                at = start + timedelta(days=3)
        elif last and not still_open:
            status = "resolved"
        else:
            status = FLOW[min(index, len(FLOW) - 1)]
        lines += [f"  - at: {_time(at)}", f"    status: {status}"]
        lines.append("    message: " + _block(_message(rng), 6).rstrip("\n"))
        if not last or still_open:
            lines.append(f"    next_update: {_time(at + timedelta(minutes=30))}")
        at += timedelta(minutes=rng.randint(10, 50))
    if rng.random() < 0.3:
        lines.append("workaround: Retry the request after a few minutes.")
    lines += ["internal:", f"  ticket: OPS-{number}"]
    return f"incidents/{start:%Y}/{slug}.yml", "\n".join(lines) + "\n"


def generate(n: int, out: Path, seed: int = 0) -> Path:
    """Write the repository of ``n`` incidents to ``out`` (replacing what is there)."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / "site_config.yml").write_text(site_config(n), encoding="utf-8")
    rng = random.Random(f"{seed}-{n}")
    for number in range(n):
        relative, text = incident(rng, number, n)
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="how many incidents")
    parser.add_argument("out", type=Path, help="the folder to write (replaced)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    generate(args.n, args.out, args.seed)
    print(args.out)


if __name__ == "__main__":
    main()

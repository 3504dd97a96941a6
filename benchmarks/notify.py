"""Time `statusgen notify` on a synthetic repository, beside `statusgen check`.

    python benchmarks/notify.py            # 10,000 incidents
    python benchmarks/notify.py --n 1000 --runs 3

With a fresh ledger and a 6-hour max_age, to an HTTP receiver on loopback (Apprise's
json://): the whole command beside `check` (which loads and validates the same
repository, and nothing more), their difference and ratio; the planning of the events
alone (target: under 1 s beyond loading the repository); and, with a 30-day max_age so
that there is a real batch to send, how many messages per second reach the receiver
(sending is bounded by the channel, not by statusgen).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.check import measure
from benchmarks.generate import REFERENCE_TIME, generate
from generator.core.times import format_utc
from generator.input.validate import load_repository
from generator.notify.events import events, takes

TARGET_SECONDS = 1.0
NOW = format_utc(REFERENCE_TIME)


class _Receiver(BaseHTTPRequestHandler):
    count = 0

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        _Receiver.count += 1
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


def configure(root: Path, port: int, max_age: int) -> None:
    config = root / "site_config.yml"
    text = config.read_text(encoding="utf-8").split("notify:")[0]
    config.write_text(
        text + f"notify:\n  max_age_minutes: {max_age}\n  channels:\n"
        f"    - id: hook\n      url: json://127.0.0.1:{port}/hook\n",
        encoding="utf-8",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="incidents (default 10,000)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each (default 3)")
    args = parser.parse_args()

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with tempfile.TemporaryDirectory(prefix="statusgen-bench-") as folder:
        root = generate(args.n, Path(folder) / f"repo-{args.n}")
        ledger = Path(folder) / "notified.json"
        configure(root, port, 360)
        check = [sys.executable, "-m", "generator", "check", "--root", str(root)]
        notify = [sys.executable, "-m", "generator", "notify", "--root", str(root)]
        notify += ["--now", NOW, "--ledger", str(ledger)]
        checks, notifies = [], []
        for _ in range(args.runs):
            checks.append(measure(check)[0])
            ledger.unlink(missing_ok=True)
            before = _Receiver.count
            notifies.append(measure(notify)[0])
            sent = _Receiver.count - before
        check_s, notify_s = statistics.median(checks), statistics.median(notifies)

        repository = load_repository(root)
        assert repository.config is not None
        channel = repository.config.notify.channels[0]
        plans = []
        for _ in range(max(args.runs, 5)):
            started = time.perf_counter()
            planned = events(
                repository.incidents, REFERENCE_TIME, REFERENCE_TIME - timedelta(hours=6)
            )
            chosen = [event for event in planned if takes(channel, event)]
            plans.append(time.perf_counter() - started)
        plan_s = statistics.median(plans)

        configure(root, port, 30 * 24 * 60)
        ledger.unlink(missing_ok=True)
        before = _Receiver.count
        batch_s = measure(notify)[0]
        batch = _Receiver.count - before
    server.shutdown()

    print(f"{args.n} incidents, fresh ledger, max_age 6 h, {sent} messages to a loopback receiver")
    print(f"  statusgen check   {check_s:6.2f} s (loads and validates the repository)")
    print(f"  statusgen notify  {notify_s:6.2f} s (loads, plans, sends, records)")
    print(f"  difference        {notify_s - check_s:6.2f} s; ratio {notify_s / check_s:.2f}")
    verdict = "met" if plan_s < TARGET_SECONDS else "MISSED"
    print(
        f"  planning alone    {plan_s * 1000:6.1f} ms for {len(chosen)} events "
        f"(target under {TARGET_SECONDS:.0f} s: {verdict})"
    )
    rate = batch / max(batch_s - check_s, 1e-9)
    print(
        f"max_age 30 days: {batch} messages in {batch_s:.2f} s, "
        f"{rate:.0f} messages/s beyond loading (each recorded in the ledger at once)"
    )


if __name__ == "__main__":
    main()

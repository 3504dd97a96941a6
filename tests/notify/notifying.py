"""What the tests of ``statusgen notify`` share: a site with a few incidents at a moment,
its config with channels, and what the ledger holds."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from generator.core.model import StatusPage
from tests.conftest import CONFIG as BASE_CONFIG
from tests.conftest import Repo, dedent
from tests.models import status_page
from tests.peers import Receiver

NOW = "2026-11-20T12:00:00Z"
SECRET = "s3cr3t-Pa55word"

CONFIG = (
    BASE_CONFIG
    + """\
notify:
  max_age_minutes: 600
  channels:
"""
)

SIGN_IN = """\
title: Some customers cannot sign in
impact: major
components:
  auth: partial_outage
regions: [EU]
workaround: Use an API token while sign-in is down.
compensation: Affected customers receive a 10% credit.
internal:
  notes: INTERNAL-ROOT-CAUSE the database failover script
updates:
  - at: 2026-11-20T09:41:00Z
    status: investigating
    message: Some customers in the EU cannot sign in.
    next_update: 2026-11-20T10:15:00Z
  - at: 2026-11-20T10:05:00Z
    status: identified
    message: We found the cause and are rolling out a fix.
  - at: 2026-11-20T11:02:00Z
    status: resolved
    message: Sign-in works again for everyone. We are sorry.
"""

SLOW_API = """\
title: The API is slow
impact: minor
components: [api]
updates:
  - at: 2026-11-20T11:30:00Z
    message: Some API calls take several seconds.
"""

UPGRADE = """\
type: maintenance
title: Database upgrade
components: [dashboard]
scheduled: {start: 2026-11-20T10:00:00Z, end: 2026-11-20T11:00:00Z}
updates:
  - at: 2026-11-20T08:00:00Z
    message: The dashboard will be read-only during the upgrade.
"""

LATER = """\
title: Not yet published
impact: critical
components: [api]
updates:
  - at: 2026-11-20T13:00:00Z
    message: This update is dated after now.
"""

OLD = """\
title: Yesterday's outage
impact: critical
components: [api]
updates:
  - at: 2026-11-19T08:00:00Z
    message: The API was down.
  - at: 2026-11-19T09:00:00Z
    status: resolved
    message: The API works again.
"""

#: Every event at NOW within max_age, oldest first.
ALL = [
    "upgrade-20261120T080000Z",
    "sign-in-20261120T094100Z",
    "upgrade#started",
    "sign-in-20261120T100500Z",
    "upgrade#ended",
    "sign-in-20261120T110200Z",
    "slow-api-20261120T113000Z",
]


def channels(*entries: str) -> str:
    return CONFIG + "".join(
        "    - " + dedent(entry).rstrip().replace("\n", "\n      ") + "\n" for entry in entries
    )


def ledger(repo: Repo) -> dict[str, dict[str, str]]:
    data = json.loads((repo.root / ".statusgen" / "notified.json").read_text())
    assert data["format"] == 1
    channels: dict[str, dict[str, str]] = data["channels"]
    return channels


def titles(bodies: list[dict[str, str]]) -> list[str]:
    return [body["title"] for body in bodies]


def one_incident(title: str, text: str, regions: list[str]) -> StatusPage:
    """A site of one incident of this title and text, in these regions."""
    if not title.strip() or not text.strip():
        title, text = "x" + title, "x" + text
    incident = {
        "title": title,
        "impact": "major",
        "components": {"api": "partial_outage", "auth": "degraded_performance"},
        "regions": regions,
        "workaround": text[::-1] or "x",
        "updates": [
            {"at": "2026-11-20T09:41:00Z", "message": text, "next_update": "2026-11-20T10:15:00Z"},
            {"at": "2026-11-20T10:41:00Z", "status": "resolved", "message": text + text},
        ],
    }
    with tempfile.TemporaryDirectory() as folder:
        return status_page(
            Path(folder),
            CONFIG.replace("  channels:\n", ""),
            {"x": json.dumps(incident, ensure_ascii=False)},
            NOW,
        )


def notify_process(root: Path, now: str) -> subprocess.Popen[str]:
    """``statusgen notify --now now`` in a process of its own, in ``root``."""
    return subprocess.Popen(
        [sys.executable, "-m", "generator", "notify", "--now", now],
        cwd=root,
        env=dict(os.environ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def killed_on_receiving(receiver: Receiver, count: int, root: Path, now: str) -> None:
    """notify run in ``root``, killed (SIGKILL) as ``receiver`` takes its ``count``-th
    message: received, not recorded."""
    process: list[subprocess.Popen[str]] = []

    def kill(_path: str, received: int) -> None:
        if received == count:
            os.kill(process[0].pid, signal.SIGKILL)
            process[0].wait()

    receiver.hook = kill
    try:
        process.append(notify_process(root, now))
        process[0].communicate(timeout=60)
    finally:
        receiver.hook = None
    assert process[0].returncode == -signal.SIGKILL

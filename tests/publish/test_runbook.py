"""The README's "When GitHub is down" runs as written: its ```bash blocks, in order, in a
laptop's clone of a local bare repository that stands for GitHub, publishing to `rclone
serve webdav` on loopback and notifying peers on loopback.

The README's placeholders are environment variables: ``MIRROR`` (the rclone DEST),
``MIRROR_URL`` (where the mirror serves the site), ``INCIDENT`` (the incident to update),
and the channels' ``NOTIFY_SLACK_URL``, ``NOTIFY_EMAIL_URL`` and ``NTFY_TOPIC``. Its ```sh
blocks (installing statusgen and rclone) are not run.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.example import ROOT
from tests.peers import http_receiver, rclone_serving, smtp_server
from tests.publish.test_publish_mirror import site_files
from tests.trees import snapshot
from tests.workflows import bare_remote, git

SECTION = "When GitHub is down"
INCIDENT = "2026-11-24-single-sign-on-fails-in-the-eu"
BRANCH = "statusgen-ledger"

pytestmark = pytest.mark.skipif(shutil.which("rclone") is None, reason="tests/run installs rclone")


def runbook() -> list[str]:
    """The ```bash blocks of the README's section, in order, unindented."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    heading = re.search(rf"^(#+) {re.escape(SECTION)}\n", text, flags=re.M)
    assert heading, f'README.md has no section "{SECTION}" (paste it from the runbook\'s text)'
    level = len(heading.group(1))
    rest = text[heading.end() :]
    end = re.search(rf"^#{{1,{level}}} ", rest, flags=re.M)
    section = rest[: end.start()] if end else rest
    # a block may be indented under a list item: its lines are indented alike
    found = re.findall(r"^( *)```bash\n(.*?)^\1```$", section, flags=re.M | re.S)
    assert found, f'README.md\'s "{SECTION}" has no ```bash block'
    return [textwrap.dedent(block) for _indent, block in found]


def run_block(block: str, cwd: Path, environ: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", block], cwd=cwd, env=environ,
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip


@pytest.mark.slow
def test_the_readmes_runbook_posts_publishes_notifies_and_catches_up(tmp_path: Path) -> None:
    blocks = runbook()
    remote = bare_remote(tmp_path, ("site_config.yml", "incidents", "pyproject.toml"))
    laptop = tmp_path / "laptop"
    git("clone", "-q", str(remote), str(laptop), cwd=tmp_path)
    main_before = git("rev-parse", "main", cwd=remote)
    served = tmp_path / "mirror"
    with (
        http_receiver() as receiver,
        smtp_server() as mailbox,
        rclone_serving(tmp_path, "webdav", served) as port,
    ):
        environ = {
            name: value for name, value in os.environ.items() if not name.startswith("RCLONE_")
        }
        environ.update(
            PATH=f"{Path(sys.executable).parent}{os.pathsep}{environ.get('PATH', '')}",
            MIRROR=f":webdav,url='http://127.0.0.1:{port}':",
            MIRROR_URL=f"http://127.0.0.1:{port}/",
            INCIDENT=INCIDENT,
            NOTIFY_SLACK_URL=receiver.url("/slack"),
            NOTIFY_EMAIL_URL=mailbox.url(to="customers@lists.acme.example"),
            NTFY_TOPIC=f"127.0.0.1:{receiver.port}/acme-cloud-status",
            GIT_AUTHOR_NAME="On call", GIT_AUTHOR_EMAIL="oncall@acme.example",
            GIT_COMMITTER_NAME="On call", GIT_COMMITTER_EMAIL="oncall@acme.example",
        )  # fmt: skip
        environ.pop("SOURCE_DATE_EPOCH", None)
        for number, block in enumerate(blocks, 1):
            done = run_block(block, laptop, environ)
            assert done.returncode == 0, f"block {number}:\n{block}\n{done.stdout}{done.stderr}"

        # the mirror serves the laptop's build, and the update
        assert snapshot(served) == site_files(laptop / "site")
        live = json.loads((served / "live.json").read_text(encoding="utf-8"))
        assert live["build"].startswith("laptop-")
        page = (served / "incidents" / INCIDENT / "index.html").read_text(encoding="utf-8")
        assert "We found the cause and are rolling back the change." in page
        # each channel that takes an update of it got it once; the email list takes none
        slack, push = receiver.bodies("/slack"), receiver.bodies("/")  # ntfy posts to its root
        assert len(slack) == 1 and len(push) == 1, (slack, push)
        assert "rolling back" in json.dumps(slack[0])
        assert mailbox.messages == []
        # GitHub caught up: the commit is on main, the ledger's branch records the sends
        assert git("rev-parse", "main", cwd=remote) != main_before
        assert git("log", "-1", "--format=%s", "main", cwd=remote).startswith(f"Update {INCIDENT}")
        ledger = json.loads(git("show", f"{BRANCH}:notified.json", cwd=remote))
        assert "team-chat" in json.dumps(ledger) and "phone-push" in json.dumps(ledger)

        # the notify job on GitHub (or a second laptop) fetching that ledger sends nothing
        again = tmp_path / "again"
        git("clone", "-q", str(remote), str(again), cwd=tmp_path)
        notify_block = next(block for block in blocks if "statusgen notify" in block)
        done = run_block(notify_block, again, environ)
        assert done.returncode == 0, done.stdout + done.stderr
        assert len(receiver.received) == 2
        assert mailbox.messages == []


def test_the_runbook_installs_nothing_when_it_runs() -> None:
    """Installing (pip, apt-get) is in ```sh blocks, which the test does not run."""
    for block in runbook():
        assert not re.search(r"\b(pip|apt-get|apt)\b", block), block

"""statusgen serve --now: the preview shows the moment a build with the same --now shows."""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest

from tests.builder.test_serve import fetch, free_port, wait_for
from tests.conftest import INCIDENT, Repo


@pytest.mark.slow
def test_serve_shows_the_moment_of_now_and_says_built_then_rebuilt(repo: Repo) -> None:
    path = repo.incident("x", INCIDENT)
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    command = [sys.executable, "-m", "generator", "serve", "--root", str(repo.root)]
    process = subprocess.Popen(
        [*command, "--port", str(port), "--now", "2026-11-20 11:00"],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert wait_for(lambda: "Partial System Outage" in fetch(url)), "serve did not start"
        assert 'As of <time datetime="2026-11-20T10:00:00Z"' in fetch(url)
        path.write_text(INCIDENT.replace("impact: major", "impact: critical"), encoding="utf-8")
        assert wait_for(lambda: "Major System Outage" in fetch(url)), "no rebuild"
        assert 'As of <time datetime="2026-11-20T10:00:00Z"' in fetch(url)  # --now holds
    finally:
        process.send_signal(signal.SIGTERM)
        _, errors = process.communicate(timeout=15)
    assert process.returncode == 0, errors
    lines = [line for line in errors.splitlines() if "built" in line.lower()]
    assert lines[0].startswith("Built: ") and lines[1].startswith("Rebuilt: "), errors


def test_serve_refuses_a_wrong_now_before_it_starts(repo: Repo) -> None:
    repo.incident("x", INCIDENT)
    result = subprocess.run(
        [sys.executable, "-m", "generator", "serve", "--root", str(repo.root), "--now", "soon"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "'soon' is not a time" in result.stderr
    assert "Serving on" not in result.stderr

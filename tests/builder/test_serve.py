"""statusgen serve: a preview that rebuilds when an incident file changes."""

from __future__ import annotations

import fcntl
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import INCIDENT, Repo


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_for(condition: Callable[[], bool], seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        body: bytes = response.read()
        return body.decode()


@pytest.mark.slow
def test_serve_rebuilds_when_an_incident_changes(repo: Repo) -> None:
    path = repo.incident("x", INCIDENT)
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--root", str(repo.root), "--port", str(port)],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert wait_for(lambda: "Partial System Outage" in fetch(url)), "serve did not start"
        assert "livereload" in fetch(url)  # the browser reloads itself
        path.write_text(INCIDENT.replace("impact: major", "impact: critical"), encoding="utf-8")
        assert wait_for(lambda: "Major System Outage" in fetch(url)), "no rebuild"
        path.write_text("title: [broken\n", encoding="utf-8")
        time.sleep(2)
        assert "Major System Outage" in fetch(url)  # a broken file keeps the last good site
    finally:
        process.send_signal(signal.SIGTERM)
        _, errors = process.communicate(timeout=15)
    assert process.returncode == 0, errors
    assert f"Serving on {url}" in errors
    assert f"{repo.root.resolve()}/incidents/x.yml:2:1: error: YAML syntax error" in errors
    assert "Not rebuilt: the site was not built: 1 error in the input" in errors


def test_serve_refuses_to_start_on_invalid_input(repo: Repo) -> None:
    repo.incident("x", "title: t\nimpact: huge\n")
    result = subprocess.run(
        [sys.executable, "-m", "generator", "serve", "--root", str(repo.root), "--port", "1"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "Error: fix the problems above, then run statusgen serve again" in result.stderr


def test_serve_reports_a_busy_port(repo: Repo) -> None:
    repo.incident("x", INCIDENT)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "generator",
                "serve",
                "--root",
                str(repo.root),
                "--port",
                str(port),
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1
    assert f"Error: cannot listen on 127.0.0.1:{port}" in result.stderr
    assert Path(repo.root / "site").exists() is False


def test_serve_clears_the_previews_of_killed_servers(repo: Repo) -> None:
    """A killed server leaves its preview in the cache; the next one removes it, but never
    the preview of a server still running (it holds a lock on it)."""
    repo.incident("x", "title: t\nimpact: huge\n")  # serve stops after its first build
    cache = repo.root / ".statusgen-cache"
    for name in ("serve-dead", "serve-alive"):
        (cache / name / "site").mkdir(parents=True)
    alive = os.open(cache / "serve-alive/.alive", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(alive, fcntl.LOCK_EX)
        subprocess.run(
            [sys.executable, "-m", "generator", "serve", "--root", str(repo.root), "--port", "0"],
            capture_output=True,
            timeout=60,
            check=False,
        )
        assert not (cache / "serve-dead").exists()
        assert (cache / "serve-alive/site").is_dir()
    finally:
        os.close(alive)

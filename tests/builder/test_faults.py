"""Faults, tested rather than assumed: builds of a large site killed at random moments,
and a final swap that fails. The live site is always one complete build, byte for byte,
and what the dead builds left is gone after the next one."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from benchmarks.generate import generate
from generator.builder import build_site, staging
from generator.builder.parallel import PARALLEL_FROM
from generator.core.errors import WriteError
from tests.trees import snapshot

NOW = "2026-11-24T12:00:00Z"
#: Kills of builds, each fourth one of a build from nothing: each kind's kill moments are
#: spread over its whole build, and its cleanup after the swap.
KILLS = 12


def _build(root: Path, out: Path, *args: str) -> subprocess.Popen[bytes]:
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    environment.pop("CI", None)  # recycle the old site, as builds on a workstation do
    return subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "--root", str(root), "--out", str(out),
         "--now", NOW, *args],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its forked helpers die with it
    )  # fmt: skip


def _finish(process: subprocess.Popen[bytes]) -> None:
    _, errors = process.communicate(timeout=300)
    assert process.returncode == 0, errors.decode()


def _leftovers(root: Path) -> list[str]:
    return sorted(
        p.name
        for p in root.iterdir()
        if p.name.startswith((".site-new-", ".site-part-", ".site-pages-"))
    )


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Large enough that a build from nothing renders its pages in two processes."""
    repository = generate(220, tmp_path_factory.mktemp("faults") / "repo")
    assert len(list((repository / "incidents").rglob("*.yml"))) >= PARALLEL_FROM
    return repository


@pytest.mark.slow
def test_builds_killed_at_random_moments_never_touch_the_live_site(large: Path) -> None:
    root, out = large, large / "site"
    rng = random.Random(20261130)
    files = sorted((root / "incidents").rglob("*.yml"))

    def change(kill: int) -> None:
        """A change, so that the killed build has pages to render and files to replace."""
        path = rng.choice(files)
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("title: ", f"title: ({kill}) ", 1), encoding="utf-8")

    # how long each kind of build takes here: a build from nothing, and one of a change
    durations: dict[str, float] = {}
    for kind, options in (("no cache", ["--no-cache"]), ("cached", [])):
        change(-1)
        started = time.monotonic()
        _finish(_build(root, out, *options))
        durations[kind] = time.monotonic() - started
    for kill in range(KILLS):
        live = snapshot(out)
        change(kill)
        kind = "no cache" if kill % 4 == 0 else "cached"
        process = _build(root, out, *(["--no-cache"] if kind == "no cache" else []))
        # each kind's kills are spread over its whole build, one in each slice of it, and
        # the last slices reach past its end (killed after the swap, or not at all)
        kills = [k for k in range(KILLS) if (k % 4 == 0) == (kind == "no cache")]
        share = (kills.index(kill) + rng.random()) / len(kills)
        time.sleep(0.05 + share * 1.1 * durations[kind])
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        after = snapshot(out)
        if after != live:  # it was killed after its swap: the live site is its complete build
            fresh = root.parent / f"fresh-{kill}"
            _finish(_build(root, fresh, "--no-cache"))
            assert after == snapshot(fresh), f"kill {kill}: the live site is neither build"
    _finish(_build(root, out))
    assert _leftovers(root) == []
    assert len([p for p in root.iterdir() if p.name.startswith(".site-old-")]) <= 1


@pytest.mark.parametrize("exchange", [True, False], ids=["one-step swap", "two renames"])
@pytest.mark.slow
def test_a_failed_swap_leaves_the_live_site_and_no_leftovers(
    large: Path, monkeypatch: pytest.MonkeyPatch, exchange: bool
) -> None:
    root, out = large, large / f"swap-{exchange}"
    now = datetime(2026, 11, 24, 12, tzinfo=UTC)
    monkeypatch.delenv("CI", raising=False)
    build_site(root, out, now)
    build_site(root, out, now)  # the second build recycles the first one's copy
    live = snapshot(out)
    rename = Path.rename

    def refuse_exchange(first: Path, second: Path) -> bool:  # as on a `chattr +i` folder
        raise PermissionError(1, "Operation not permitted", str(second))

    def no_exchange(first: Path, second: Path) -> bool:
        return False

    def refuse_rename(self: Path, target: Path) -> Path:  # the last rename fails
        if Path(target) == out and self.name.startswith(f".{out.name}-new-"):
            raise PermissionError(1, "Operation not permitted", str(out))
        return rename(self, target)

    if exchange:
        monkeypatch.setattr(staging, "_exchange", refuse_exchange)
    else:
        monkeypatch.setattr(staging, "_exchange", no_exchange)
        monkeypatch.setattr(Path, "rename", refuse_rename)
    with pytest.raises(WriteError, match="Operation not permitted"):
        build_site(root, out, datetime(2026, 11, 25, 12, tzinfo=UTC))
    monkeypatch.undo()
    assert snapshot(out) == live
    kinds = (f".{out.name}-new-", f".{out.name}-part-")
    assert not [p for p in root.iterdir() if p.name.startswith(kinds)]
    assert (out / staging.MARKER).is_file()


def test_the_swap_trades_places_in_one_step(tmp_path: Path) -> None:
    """Linux swaps the two folders at once: at no moment is there no site."""
    new, live = tmp_path / "new", tmp_path / "live"
    new.mkdir()
    live.mkdir()
    (new / "index.html").write_text("new", encoding="utf-8")
    (live / "index.html").write_text("old", encoding="utf-8")
    if not staging._exchange(new, live):
        pytest.skip("renameat2(RENAME_EXCHANGE) is not available here")
    assert (live / "index.html").read_text(encoding="utf-8") == "new"
    assert (new / "index.html").read_text(encoding="utf-8") == "old"

"""The write rule, one regression test per finding: a build stages beside the target and
never writes into a live file, replaces only a folder statusgen made, works across
filesystems and clears what killed builds left; two commands writing at once both land.

Each test failed before its fix (split from test_hardening.py, which holds the other rules).
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from generator.builder import parallel as processes
from generator.builder import pipeline, staging
from generator.builder.pages import PageCache
from generator.core.errors import WriteError
from generator.input import authoring
from tests.conftest import INCIDENT, Repo
from tests.trees import snapshot

NOW = "2026-11-24T10:30:00Z"
ID = "2026-11-20-sign-in"


def build(repo: Repo, *args: str) -> None:
    result = repo.run("build", "--now", NOW, *args)
    assert result.exit_code == 0, result.output


# 3. other filesystems ------------------------------------------------------------------------


def _other_filesystem(tmp_path: Path) -> Path | None:
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK) and shm.stat().st_dev != tmp_path.stat().st_dev:
        return shm
    return None


def test_out_and_tmpdir_on_another_filesystem(
    repo: Repo, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    other = _other_filesystem(tmp_path)
    if other is None:
        pytest.skip("no second filesystem (/dev/shm) on this machine")
    repo.incident(ID)
    folder = Path(__import__("tempfile").mkdtemp(dir=other))
    try:
        for _ in range(2):  # the cache (in the repository) is on the other filesystem
            build(repo, "--out", str(folder / "site"))
        monkeypatch.setenv("TMPDIR", str(folder))
        monkeypatch.setattr("tempfile.tempdir", None)
        build(repo, "--no-cache")
        build(repo)
        assert (folder / "site/index.html").is_file()
        assert not [p for p in folder.iterdir() if p.name != "site"]  # nothing left in TMPDIR
    finally:
        __import__("shutil").rmtree(folder, ignore_errors=True)


def test_a_page_kept_across_filesystems_is_copied_beside_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rendered = tmp_path / "part/index.html"
    rendered.parent.mkdir()
    rendered.write_text("page", encoding="utf-8")
    pages = PageCache(tmp_path / "cache")

    def across(*_: Any, **__: Any) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", across)
    pages.store("ab" * 32, rendered)
    assert pages.path("ab" * 32).read_text(encoding="utf-8") == "page"
    assert rendered.is_file()  # still there, to be moved into the site
    assert [p.name for p in pages.path("ab" * 32).parent.iterdir()] == ["ab" * 32 + ".html"]


# 4. the live site is never written into --------------------------------------------------------


@pytest.mark.slow
def test_a_failed_swap_of_a_recycled_site_leaves_every_live_file(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Large sites recycle the previous site, hard-linked; the next build must not write
    through those links: a failed swap leaves the live site byte for byte."""
    monkeypatch.setattr(processes, "PARALLEL_FROM", 1)  # recycle even this small site
    monkeypatch.delenv("CI", raising=False)
    repo.incident(ID)
    build(repo)
    build(repo)  # recycles the copy the first one left
    live = snapshot(repo.root / "site")
    repo.incident(ID, INCIDENT.replace("cannot sign in", "cannot sign in or out"))

    def refuse(self: staging.Target, folder: Path) -> Path | None:
        raise WriteError(f"cannot write {self.out}: Operation not permitted")

    monkeypatch.setattr(staging.Target, "swap", refuse)
    result = repo.run("build", "--now", "2026-11-25T10:30:00Z")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: the site was not built: cannot write {repo.root}/site: Operation not permitted\n"
    )
    assert snapshot(repo.root / "site") == live


def test_outputs_are_written_as_new_files(tmp_path: Path) -> None:
    folder = tmp_path / "staging"
    folder.mkdir()
    live = tmp_path / "live.rss"
    live.write_bytes(b"live")
    os.link(live, folder / "updates.rss")  # as a recycled site holds it
    staging.Writer(folder).write("updates.rss", b"new")
    assert live.read_bytes() == b"live"
    assert (folder / "updates.rss").read_bytes() == b"new"


def test_a_second_write_of_one_path_is_refused_naming_both_writers(tmp_path: Path) -> None:
    writer = staging.Writer(tmp_path)
    writer.write("updates.rss", b"feeds", by="feeds")
    with pytest.raises(WriteError) as raised:
        writer.write("updates.rss", b"embed", by="embed")
    assert str(raised.value) == (
        "cannot write updates.rss: feeds wrote it already, and embed would replace it"
    )
    assert (tmp_path / "updates.rss").read_bytes() == b"feeds"
    assert writer.written == ["updates.rss"]


def test_a_late_output_may_not_write_what_the_forked_writer_wrote(tmp_path: Path) -> None:
    """The sitemap is written by the build's own process after the forked writer wrote the
    others: the paths that writer wrote are claimed, so the rule holds across both."""
    writer = staging.Writer(tmp_path, {"updates.rss": "feeds"})
    with pytest.raises(WriteError) as raised:
        writer.write("updates.rss", b"sitemap", by="sitemap")
    assert str(raised.value) == (
        "cannot write updates.rss: feeds wrote it already, and sitemap would replace it"
    )
    writer.write("sitemap.xml", b"sitemap", by="sitemap")
    assert writer.written == ["sitemap.xml"]


def test_a_sweep_removes_the_folders_it_empties_and_keeps_the_others(tmp_path: Path) -> None:
    """What a recycled site holds that the build did not write goes, folders emptied by
    that included, deepest first; a folder with a written file, or a file the sweep did
    not know of, stays."""
    for name in ("a/b/c/gone.html", "a/b/kept.html", "x/y/gone.html", "x/gone.html", "top.html"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(name)
    (tmp_path / "empty/inner").mkdir(parents=True)
    staging.remove_strays(tmp_path, {f"{tmp_path}/a/b/kept.html", f"{tmp_path}/top.html"})
    left = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    assert left == ["a", "a/b", "a/b/kept.html", "top.html"]


def test_a_build_whose_outputs_fight_over_a_path_builds_nothing(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.incident(ID)
    build(repo)
    live = snapshot(repo.root / "site")
    twice = (*pipeline.OUTPUTS, ("again", lambda context: [("updates.rss", b"again")]))
    monkeypatch.setattr(pipeline, "OUTPUTS", twice)
    result = repo.run("build", "--now", NOW)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: the site was not built: cannot write updates.rss: ")
    assert result.stderr.endswith(" would replace it\n")
    assert snapshot(repo.root / "site") == live


# 5. a user's folder ---------------------------------------------------------------------------


def test_out_refuses_a_folder_statusgen_did_not_make(repo: Repo) -> None:
    repo.incident(ID)
    repo.write("public/index.html", "<p>my page</p>")
    repo.write("public/notes.txt", "mine")
    result = repo.run("build", "--now", NOW, "--out", "public")
    assert result.exit_code == 1
    assert "public exists and was not built by statusgen" in result.stderr
    assert (repo.root / "public/notes.txt").read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize("inside", ["theme/statusgen", "theme/new", "incidents/site"])
def test_out_refuses_the_repositorys_own_folders(repo: Repo, inside: str) -> None:
    repo.incident(ID)
    repo.write("theme/statusgen/incident.html", "{{ incident.title }}")
    result = repo.run("build", "--now", NOW, "--out", inside)
    assert result.exit_code == 1
    assert f"--out {inside} is inside the repository's {inside.split('/')[0]}/" in result.stderr
    assert (repo.root / "theme/statusgen/incident.html").is_file()


def test_out_replaces_a_site_it_built_and_one_from_before_the_marker(repo: Repo) -> None:
    repo.incident(ID)
    build(repo)
    assert (repo.root / "site" / staging.MARKER).is_file()
    build(repo)
    (repo.root / "site" / staging.MARKER).unlink()  # as built by statusgen 0.1
    build(repo)


# 9. two updates at once ------------------------------------------------------------------------


@pytest.mark.slow
def test_two_updates_at_the_same_moment_both_land(repo: Repo) -> None:
    path = repo.incident(ID)
    command = [sys.executable, "-m", "generator", "update", ID, "--root", str(repo.root)]
    rounds = 6
    for number in range(rounds):
        both = [
            subprocess.Popen(
                [*command, "--message", f"Round {number}, writer {writer}: still investigating."],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            for writer in (1, 2)
        ]
        for process in both:
            _, errors = process.communicate(timeout=60)
            assert process.returncode == 0, errors
    text = path.read_text(encoding="utf-8")
    for number in range(rounds):
        for writer in (1, 2):
            assert f"Round {number}, writer {writer}:" in text
    assert repo.check() == []


def test_a_writer_that_waits_too_long_says_so(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    path = repo.incident(ID)
    monkeypatch.setattr(authoring, "LOCK_SECONDS", 0.2)
    with authoring.locked(path):
        started = time.monotonic()
        result = repo.run("update", ID, "--message", "Still investigating.")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: another statusgen command is writing incidents/{ID}.yml; "
        "wait for it to finish, then run this one again\n"
    )
    assert time.monotonic() - started < 5


# 16. what killed builds leave ---------------------------------------------------------------------


def test_a_build_clears_what_a_killed_build_left(
    repo: Repo, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    repo.incident(ID)
    for name in (".site-new-dead", ".site-part-dead", ".site-part-dead-docs-x", ".site-pages-y"):
        (repo.root / name / "incidents").mkdir(parents=True)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(scratch))
    build(repo)
    assert sorted(p.name for p in repo.root.iterdir() if p.name.startswith(".site")) == []
    assert list(scratch.iterdir()) == []  # nothing of a build lives in $TMPDIR

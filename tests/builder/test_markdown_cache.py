"""The Markdown cache, the one owner of the Markdown memo: it seeds the memo at the start
of a build and collects what each process used, by the process's name."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.builder import pipeline
from generator.builder.cache import MarkdownCache
from generator.outputs import markup


@pytest.fixture(autouse=True)
def _forget() -> Iterator[None]:
    """The memo is the process's: leave it as empty as found."""
    yield
    markup.remember({})


def test_a_build_seeds_the_memo_with_what_the_last_one_kept(tmp_path: Path) -> None:
    earlier = MarkdownCache(tmp_path, "code")
    earlier.save("main", {"*hi*": "<p>kept</p>"})
    MarkdownCache(tmp_path, "code").seed()
    assert markup.to_html("*hi*") == "<p>kept</p>"  # not converted again
    assert markup.renderings() == {"*hi*": "<p>kept</p>"}


def test_another_code_digest_seeds_nothing(tmp_path: Path) -> None:
    MarkdownCache(tmp_path, "old").save("main", {"*hi*": "<p>stale</p>"})
    MarkdownCache(tmp_path, "new").seed()
    assert markup.to_html("*hi*") == "<p><em>hi</em></p>"


def test_a_process_keeps_only_what_it_used_after_its_mark(tmp_path: Path) -> None:
    cache = MarkdownCache(tmp_path, "code")
    cache.seed()
    markup.to_html("before")
    seen = cache.mark()
    markup.to_html("after")
    cache.keep("share-1", seen)
    kept = json.loads((tmp_path / "markdown" / "share-1.json").read_text(encoding="utf-8"))
    assert kept == {"code": "code", "renderings": {"after": "<p>after</p>"}}


def test_only_the_files_of_the_processes_that_ran_are_kept(tmp_path: Path) -> None:
    cache = MarkdownCache(tmp_path, "code")
    for process in ("main", "writer", "share-1", "share-1-1"):
        cache.save(process, {})
    cache.keep_only({"main", "share-1"})
    assert sorted(p.stem for p in (tmp_path / "markdown").iterdir()) == ["main", "share-1"]


def test_the_renderers_are_named_by_language_and_share() -> None:
    assert pipeline._renderer(0, 1) == "share-1"
    assert pipeline._renderer(1, 2) == "share-1-2"
    assert {pipeline.MAIN, pipeline.WRITER} == {"main", "writer"}

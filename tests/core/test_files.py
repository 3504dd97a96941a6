"""core/files.py: a file is replaced whole or not at all, and nothing is left beside it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.builder.cache import MarkdownCache
from generator.builder.pages import copy
from generator.core.files import replacing, write_atomically


def test_a_write_replaces_the_file_whole(tmp_path: Path) -> None:
    path = tmp_path / "ledger.json"
    path.write_bytes(b"old")
    write_atomically(path, b"new", mode=0o644, durable=True)
    assert path.read_bytes() == b"new"
    assert path.stat().st_mode & 0o777 == 0o644
    assert sorted(tmp_path.iterdir()) == [path]


def test_a_new_file_is_its_owners_alone_by_default(tmp_path: Path) -> None:
    path = tmp_path / "pack.json"
    write_atomically(path, b"{}")
    assert path.stat().st_mode & 0o777 == 0o600


def test_a_failed_write_leaves_the_old_file_and_no_temporary_one(tmp_path: Path) -> None:
    path = tmp_path / "incident.yml"
    path.write_bytes(b"old")
    with pytest.raises(RuntimeError), replacing(path) as temporary:
        temporary.write_bytes(b"half")
        raise RuntimeError("stopped")
    assert path.read_bytes() == b"old"
    assert sorted(tmp_path.iterdir()) == [path]


def test_a_write_into_a_missing_folder_fails_with_oserror(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_atomically(tmp_path / "absent" / "file", b"data")


def test_the_caches_write_through_it(tmp_path: Path) -> None:
    source = tmp_path / "page.html"
    source.write_bytes(b"<p>page</p>")
    copy(source, tmp_path / "copy.html")
    assert (tmp_path / "copy.html").read_bytes() == b"<p>page</p>"
    markdown = MarkdownCache(tmp_path / "cache", "code")
    markdown.save("writer", {"*a*": "<em>a</em>"})
    saved = tmp_path / "cache" / "markdown"
    assert [p.name for p in saved.iterdir()] == ["writer.json"]
    assert json.loads((saved / "writer.json").read_text(encoding="utf-8")) == {
        "code": "code",
        "renderings": {"*a*": "<em>a</em>"},
    }
    assert markdown.load() == {"*a*": "<em>a</em>"}

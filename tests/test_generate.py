"""The synthetic repositories of benchmarks/generate.py."""

from __future__ import annotations

from pathlib import Path

from benchmarks.generate import REFERENCE_TIME, generate
from generator.core.model import StatusPage
from generator.input.validate import load_repository


def files(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(root.rglob("*.yml"))
    }


def test_same_n_and_seed_give_the_same_files(tmp_path: Path) -> None:
    first = files(generate(60, tmp_path / "a"))
    assert first == files(generate(60, tmp_path / "b"))
    assert first != files(generate(60, tmp_path / "c", seed=1))


def test_a_generated_repository_is_valid_and_realistic(tmp_path: Path) -> None:
    repository = load_repository(generate(200, tmp_path / "r"))
    assert repository.diagnostics == []
    assert repository.config is not None
    assert len(repository.config.components) == 10
    incidents = repository.incidents
    assert len(incidents) == 200
    assert all(3 <= len(i.updates) <= 5 for i in incidents)
    words = [len(u.message.split()) for i in incidents for u in i.updates]
    assert 90 <= sum(words) / len(words) <= 110
    span = max(i.start for i in incidents) - min(i.start for i in incidents)
    assert span.days > 365 * 2.9
    site = StatusPage.at(repository.config, incidents, REFERENCE_TIME)
    still_open = [i for i in site.incidents if not i.is_resolved and not i.is_maintenance]
    assert 1 <= len(still_open) <= 5
    assert any(i.is_maintenance for i in incidents)

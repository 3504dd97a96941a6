"""Small models for the tests of the core and the outputs: a site from a few file texts,
read and validated as a build reads them, without building anything."""

from __future__ import annotations

import textwrap
from datetime import UTC
from pathlib import Path

from generator.core.model import StatusPage
from generator.core.times import parse_time
from generator.input.validate import load_repository


def status_page(root: Path, config: str, incidents: dict[str, str], now: str) -> StatusPage:
    """The site of ``config`` and ``incidents`` (file name: text) as it stands at ``now``."""
    (root / "incidents").mkdir(parents=True, exist_ok=True)
    (root / "site_config.yml").write_text(textwrap.dedent(config), encoding="utf-8")
    for name, text in incidents.items():
        path = root / "incidents" / f"{name}.yml"
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    repository = load_repository(root)
    assert repository.ok and repository.config is not None, repository.diagnostics
    return StatusPage.at(repository.config, repository.incidents, parse_time(now, UTC))

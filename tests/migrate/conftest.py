"""The fixture of the tests of ``statusgen import``: a repository about to import."""

from __future__ import annotations

import pytest

from tests.conftest import Repo
from tests.migrate.importing import CONFIG


@pytest.fixture
def target(repo: Repo) -> Repo:
    """A repository with the config a Statuspage import starts from, and no incidents."""
    repo.config(CONFIG)
    return repo

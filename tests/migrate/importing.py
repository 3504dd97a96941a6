"""What the tests of ``statusgen import`` share: the saved histories (tests/reference/import,
vendored from ../shared/reference/import), the config a Statuspage import starts from, and
running the import."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from click.testing import Result

from tests.conftest import Repo

REFERENCE = Path(__file__).resolve().parents[1] / "reference" / "import"
GITHUB = REFERENCE / "statuspage" / "www.githubstatus.com"
CSTATE = REFERENCE / "cstate"
CONFIG = """\
# Our status page, before the move
site:
  name: GitHub Status
  url: https://www.githubstatus.com/   # the old address
  timezone: UTC
components: []   # filled by the import
"""


def run(repo: Repo, *args: str) -> Result:
    return repo.run("import", *args)


def when(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))

"""The README's authoring examples run exactly as written, in a new status repository (the
outage from the terminal, then a translation on a site in two languages), and the file they
leave says what they said."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from generator.input.validate import load_repository
from tests.conftest import CONFIG
from tests.example import ROOT

SECTION = "`statusgen new`, `update`, `resolve`: an outage from the terminal"


def blocks() -> list[str]:
    """The ```sh blocks of the README's section, in order, unindented."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    heading = re.search(rf"^(#+) {re.escape(SECTION)}\n", text, flags=re.M)
    assert heading, f'README.md has no section "{SECTION}"'
    rest = text[heading.end() :]
    end = re.search(rf"^#{{1,{len(heading.group(1))}}} ", rest, flags=re.M)
    section = rest[: end.start()] if end else rest
    return [
        textwrap.dedent(block)
        for _, block in re.findall(r"^( *)```sh\n(.*?)^\1```$", section, flags=re.M | re.S)
    ]


def run(block: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    environ = dict(os.environ, PATH=f"{Path(sys.executable).parent}:{os.environ['PATH']}")
    return subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", block], cwd=cwd, env=environ,
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


@pytest.mark.slow
def test_the_readmes_outage_runs_as_written(tmp_path: Path) -> None:
    config = CONFIG.replace(
        "  timezone: Europe/Berlin\n", "  timezone: Europe/Berlin\n  languages: [en, de]\n"
    )
    (tmp_path / "site_config.yml").write_text(config, encoding="utf-8")
    outage, translation = blocks()
    done = run(outage, tmp_path)
    assert done.returncode == 0, done.stderr
    paths = done.stdout.split()
    assert len(paths) == 4 and len(set(paths)) == 1, done.stdout
    assert re.fullmatch(r"incidents/\d{4}-\d\d-\d\d-some-customers-cannot-sign-in\.yml", paths[0])
    said = done.stderr.splitlines()
    assert said[0].startswith("new ") and said[0].endswith(
        "(Investigating, major impact): Some customers cannot sign in"
    ), said
    assert said[1].startswith("update to ") and said[3].startswith("all clear for "), said
    (incident,) = load_repository(tmp_path).incidents
    statuses = [u.status for u in incident.updates]
    assert statuses == ["investigating", "identified", "monitoring", "resolved"]
    monitoring = incident.updates[2]
    assert monitoring.declared == {"auth": "operational"}
    assert incident.impact == "minor"
    first, second = incident.updates[:2]
    assert first.next_update is not None and first.next_update.second == 0  # whole minutes
    assert second.next_update is not None
    translated = run(translation, tmp_path)
    assert translated.returncode == 0, translated.stderr
    (incident,) = load_repository(tmp_path).incidents
    assert incident.latest_update.translations == {
        "de": "Die Anmeldung funktioniert wieder für alle."
    }
    assert load_repository(tmp_path).ok

"""The example site in this repository: valid, and in the state its README describes."""

from __future__ import annotations

from generator.core.model import StatusPage
from generator.input.validate import load_repository
from tests.example import REFERENCE, REFERENCE_TIME, ROOT


def example() -> StatusPage:
    repository = load_repository(ROOT)
    assert repository.diagnostics == []
    assert repository.config is not None
    return StatusPage.at(repository.config, repository.incidents, REFERENCE_TIME)


def test_the_example_is_valid_and_sized_as_promised() -> None:
    site = example()
    assert 5 <= len(site.config.components) <= 8
    assert 9 <= len(site.incidents) <= 12


def test_the_example_has_one_ongoing_incident_and_one_upcoming_maintenance() -> None:
    site = example()
    ongoing = [i for i in site.incidents if not i.is_maintenance and not i.is_resolved]
    upcoming = [i for i in site.incidents if i.is_maintenance and i.status == "scheduled"]
    assert [i.id for i in ongoing] == ["2026-11-24-single-sign-on-fails-in-the-eu"]
    assert [i.id for i in upcoming] == ["2026-11-20-dashboard-maintenance"]
    assert site.indicator == "major"
    assert site.component_statuses["auth"] == "partial_outage"
    assert site.group_status("Platform") == "partial_outage"


def test_the_readme_states_the_reference_time() -> None:
    assert REFERENCE in (ROOT / "README.md").read_text(encoding="utf-8")

"""new, update and resolve: the files they write, and the files they leave alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.input.authoring import slugify
from generator.input.validate import load_repository
from tests.conftest import Repo, dedent

EDITED = """\
# Sign-in incident, opened by the on-call engineer.
title: "Some customers cannot sign in"   # keep the quotes
impact: major
components: {auth: partial_outage}
updates:
    - at: 2026-11-20T09:41:00Z   # first
      status: investigating
      message: >
        Some customers in the EU
        cannot sign in.

    # a comment between updates
    - message: 'We found the cause.'
      at: '2026-11-20T10:05:00Z'
      next_update: 2026-11-20T11:00:00Z
# trailing notes
internal:
  ticket: OPS-1234   # never published
"""


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_new_writes_the_dated_file_and_prints_its_path(repo: Repo) -> None:
    result = repo.run(
        "new",
        "Some customers cannot sign in",
        "--component",
        "auth=partial_outage",
        "--component",
        "dashboard",
        "--region",
        "EU",
        "--message",
        "Some customers in the EU cannot sign in.\nWe are investigating.",
        "--at",
        "2026-11-20 00:30",  # Berlin: 19 November 23:30 UTC, dated by the site's zone
        "--next-update",
        "2026-11-20T00:15:00Z",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == "incidents/2026-11-20-some-customers-cannot-sign-in.yml\n"
    assert read(repo.root / "incidents/2026-11-20-some-customers-cannot-sign-in.yml") == dedent(
        """\
        title: Some customers cannot sign in
        impact: major
        components:
          auth: partial_outage
          dashboard: partial_outage
        regions: [EU]
        updates:
          - at: 2026-11-19T23:30:00Z
            status: investigating
            message: |
              Some customers in the EU cannot sign in.
              We are investigating.
            next_update: 2026-11-20T00:15:00Z
        """
    )
    assert load_repository(repo.root).diagnostics == []


def test_new_with_listed_components_writes_a_list(repo: Repo) -> None:
    result = repo.run(
        "new",
        "API errors",
        "--component",
        "api",
        "--impact",
        "critical",
        "--message",
        "m",
        "--at",
        "2026-11-20T09:00:00Z",
    )
    path = repo.root / result.stdout.strip()
    assert read(path) == (
        "title: API errors\nimpact: critical\ncomponents: [api]\nupdates:\n"
        "  - at: 2026-11-20T09:00:00Z\n    status: investigating\n    message: m\n"
    )


def test_new_derives_the_impact_from_the_worst_component(repo: Repo) -> None:
    repo.run(
        "new",
        "A",
        "--component",
        "api=major_outage",
        "--component",
        "auth=degraded_performance",
        "--message",
        "m",
        "--at",
        "2026-11-20T09:00:00Z",
    )
    repo.run("new", "B", "--message", "m", "--at", "2026-11-20T09:00:00Z")
    assert "impact: critical\n" in read(repo.root / "incidents/2026-11-20-a.yml")
    assert "impact: minor\n" in read(repo.root / "incidents/2026-11-20-b.yml")


def test_new_numbers_clashing_names(repo: Repo) -> None:
    repo.incident("2026-11-20-api-down-3")
    repo.incident(
        "custom",
        "id: 2026-11-20-api-down-2\n" + read(repo.root / "incidents/2026-11-20-api-down-3.yml"),
    )
    paths = [
        repo.run("new", "API down", "--message", "m", "--at", "2026-11-20T09:00:00Z").stdout.strip()
        for _ in range(3)
    ]
    assert paths == [
        "incidents/2026-11-20-api-down.yml",
        "incidents/2026-11-20-api-down-4.yml",
        "incidents/2026-11-20-api-down-5.yml",
    ]
    assert load_repository(repo.root).diagnostics == []


def test_new_maintenance_is_dated_by_its_window(repo: Repo) -> None:
    result = repo.run(
        "new",
        "Dashboard upgrade",
        "--maintenance",
        "--start",
        "2026-12-02 02:00",
        "--end",
        "2026-12-02 03:00",
        "--component",
        "dashboard",
        "--message",
        "The dashboard is read-only.",
        "--at",
        "2026-11-20T10:00:00Z",
    )
    assert result.exit_code == 0, result.output
    assert read(repo.root / "incidents/2026-12-02-dashboard-upgrade.yml") == dedent(
        """\
        title: Dashboard upgrade
        type: maintenance
        components: [dashboard]
        scheduled:
          start: 2026-12-02T01:00:00Z
          end: 2026-12-02T02:00:00Z
        updates:
          - at: 2026-11-20T10:00:00Z
            status: scheduled
            message: The dashboard is read-only.
        """
    )
    (maintenance,) = load_repository(repo.root).incidents
    assert maintenance.is_maintenance


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Some customers cannot sign in", "some-customers-cannot-sign-in"),
        (
            "Zahlungen schlagen fehl: Überweisungen & Karten",
            "zahlungen-schlagen-fehl-uberweisungen-karten",
        ),
        ("API: 502 errors (EU)", "api-502-errors-eu"),
        ("日本語のみ", "incident"),
        ("x" * 30 + " " + "y" * 40, "x" * 30),
    ],
)
def test_slugs_are_ascii(title: str, slug: str) -> None:
    assert slugify(title) == slug


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["new", "T", "--message", "m", "--component", "apii"],
            1,
            "Error: unknown component 'apii'; did you mean 'api'?",
        ),
        (
            ["new", "T", "--message", "m", "--component", "api=down"],
            1,
            "Error: unknown component status 'down'; use operational, degraded_performance, "
            "partial_outage, major_outage or under_maintenance",
        ),
        (
            ["new", "T", "--message", "m", "--status", "completed"],
            1,
            "Error: 'completed' is not a status of an incident; use investigating, identified, "
            "monitoring, resolved or postmortem",
        ),
        (
            ["new", "T", "--message", "m", "--maintenance"],
            2,
            "Error: --maintenance needs --start and --end: the planned window.",
        ),
        (
            ["new", "T", "--message", "m", "--start", "2026-12-01 10:00"],
            2,
            "Error: --start and --end go with --maintenance.",
        ),
        (
            ["new", "T", "--message", "m", "--at", "soon"],
            2,
            "Error: Invalid value for --at: 'soon' is not a time; write it like "
            "2026-11-20T09:30:00Z, or 2026-11-20 10:30 for a time in the site's time zone",
        ),
        (["new", "T"], 2, "Error: Missing option '--message': what customers should read."),
        (
            ["new", "T", "--message", "  "],
            1,
            "Error: the message is empty; say what customers experience",
        ),
        (
            ["new", "T", "--message", "m", "--impact", "huge"],
            2,
            "Error: Invalid value for '--impact'",
        ),
    ],
)
def test_new_refuses_bad_options_and_writes_nothing(
    repo: Repo, args: list[str], code: int, message: str
) -> None:
    result = repo.run(*args)
    assert result.exit_code == code
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert not (repo.root / "incidents").exists() or not any((repo.root / "incidents").iterdir())


def test_update_appends_and_keeps_every_other_byte(repo: Repo) -> None:
    path = repo.write("incidents/2026-11-20-sign-in.yml", EDITED)
    result = repo.run(
        "update",
        "2026-11-20-sign-in",
        "--status",
        "monitoring",
        "--message",
        "A fix is rolled out: sign-in works again for most customers.",
        "--next-update",
        "2026-11-20T12:00:00Z",
        "--at",
        "2026-11-20 12:30",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == "incidents/2026-11-20-sign-in.yml\n"
    head, tail = EDITED.split("# trailing notes\n")
    assert read(path) == (
        head
        + "    - at: 2026-11-20T11:30:00Z\n"
        + "      status: monitoring\n"
        + "      message: 'A fix is rolled out: sign-in works again for most customers.'\n"
        + "      next_update: 2026-11-20T12:00:00Z\n"
        + "# trailing notes\n"
        + tail
    )
    assert load_repository(repo.root).diagnostics == []


def test_update_text_is_exact(repo: Repo) -> None:
    path = repo.write("incidents/2026-11-20-sign-in.yml", EDITED)
    repo.run(
        "update",
        "2026-11-20-sign-in",
        "--status",
        "monitoring",
        "--message",
        "Works again for most customers.",
        "--next-update",
        "2026-11-20T13:00:00Z",
        "--at",
        "2026-11-20 12:30",
    )
    head, tail = EDITED.split("# trailing notes\n")
    assert read(path) == (
        head
        + "    - at: 2026-11-20T11:30:00Z\n"
        + "      status: monitoring\n"
        + "      message: Works again for most customers.\n"
        + "      next_update: 2026-11-20T13:00:00Z\n"
        + "# trailing notes\n"
        + tail
    )
    (incident,) = load_repository(repo.root).incidents
    assert [u.status for u in incident.updates] == ["investigating", "investigating", "monitoring"]


def test_resolve_writes_the_all_clear_as_a_block(repo: Repo) -> None:
    path = repo.write("incidents/2026-11-20-sign-in.yml", EDITED)
    result = repo.run(
        "resolve",
        "2026-11-20-sign-in",
        "--message",
        "Sign-in works again for everyone.\nWe are sorry for the trouble.",
        "--at",
        "2026-11-20T13:00:00Z",
    )
    assert result.exit_code == 0, result.output
    assert (
        "    - at: 2026-11-20T13:00:00Z\n      status: resolved\n      message: |\n"
        "        Sign-in works again for everyone.\n        We are sorry for the trouble.\n"
        "# trailing notes\n" in read(path)
    )
    (incident,) = load_repository(repo.root).incidents
    assert incident.is_resolved
    assert (
        incident.resolved_at is not None
        and incident.resolved_at.isoformat() == "2026-11-20T13:00:00+00:00"
    )


def test_resolve_on_a_maintenance_writes_completed(repo: Repo) -> None:
    repo.run(
        "new",
        "Upgrade",
        "--maintenance",
        "--start",
        "2026-12-02T01:00:00Z",
        "--end",
        "2026-12-02T02:00:00Z",
        "--message",
        "m",
        "--at",
        "2026-11-20T10:00:00Z",
    )
    result = repo.run(
        "resolve",
        "2026-12-02-upgrade",
        "--message",
        "Done; all works.",
        "--at",
        "2026-12-02T01:50:00Z",
    )
    assert result.exit_code == 0, result.output
    (maintenance,) = load_repository(repo.root).incidents
    assert maintenance.written_status == "completed"


def test_a_time_equal_to_the_latest_update_gets_one_second_more(repo: Repo) -> None:
    path = repo.incident("x")
    repo.run("update", "x", "--message", "again", "--at", "2026-11-20T09:41:00Z")
    repo.run("update", "x", "--message", "earlier", "--at", "2026-11-20T09:00:00.700Z", "--force")
    text = read(path)
    assert "  - at: 2026-11-20T09:41:01Z\n    message: again\n" in text
    assert "  - at: 2026-11-20T09:00:00Z\n    message: earlier\n" in text


def test_update_without_status_carries_it_over(repo: Repo) -> None:
    repo.incident("x")
    repo.run("update", "x", "--message", "still looking", "--at", "2026-11-20T10:00:00Z")
    (incident,) = load_repository(repo.root).incidents
    assert incident.latest_update.status == "investigating"
    assert not incident.latest_update.status_given


def test_update_of_an_unknown_id_names_the_closest(repo: Repo) -> None:
    repo.incident("2026-11-20-sign-in-fails")
    repo.incident("2026-11-18-api-errors")
    result = repo.run("update", "2026-11-20-sign-in-fials", "--message", "m")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: there is no incident with the id '2026-11-20-sign-in-fials'; "
        "did you mean '2026-11-20-sign-in-fails'?\n"
    )
    result = repo.run("update", "sign-in", "--message", "m")
    assert result.stderr == (
        "Error: there is no incident with the id 'sign-in'; "
        "did you mean '2026-11-20-sign-in-fails'?\n"
    )
    result = repo.run("update", "zzz", "--message", "m")
    assert result.stderr == (
        "Error: there is no incident with the id 'zzz'; the newest ids are "
        "'2026-11-20-sign-in-fails', '2026-11-18-api-errors'\n"
    )


def test_update_finds_an_incident_by_its_id_key(repo: Repo) -> None:
    path = repo.write(
        "incidents/2026/whatever.yml", "id: login\n" + dedent(EDITED).split("\n", 1)[1]
    )
    assert (
        repo.run("update", "login", "--message", "m", "--at", "2026-11-20T12:00:00Z").exit_code == 0
    )
    (incident,) = load_repository(repo.root).incidents
    assert (incident.path, len(incident.updates)) == (path, 3)


def test_update_refuses_a_wrong_status_kind_and_leaves_the_file(repo: Repo) -> None:
    path = repo.incident("x")
    before = read(path)
    result = repo.run("update", "x", "--status", "completed", "--message", "m")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: 'completed' is not a status of an incident")
    assert read(path) == before


def test_update_refuses_an_invalid_file_and_shows_why(repo: Repo) -> None:
    path = repo.incident(
        "x", "title: t\nimpact: huge\nupdates:\n  - at: 2026-11-20T09:00:00Z\n    message: m\n"
    )
    before = read(path)
    result = repo.run("update", "x", "--message", "m")
    assert result.exit_code == 1
    assert result.stderr == (
        "incidents/x.yml:2:9: error: unknown impact 'huge'; use none, minor, major or critical\n"
        "Error: fix incidents/x.yml before adding an update to it\n"
    )
    assert read(path) == before


def test_update_refuses_a_next_update_before_the_update(repo: Repo) -> None:
    path = repo.incident("x")
    before = read(path)
    result = repo.run(
        "update",
        "x",
        "--message",
        "m",
        "--at",
        "2026-11-20T12:00:00Z",
        "--next-update",
        "2026-11-20T11:00:00Z",
    )
    assert result.exit_code == 1
    assert (
        "the next update (Nov 20, 2026, 12:00\u202fPM CET) is not after the update itself "
        "(Nov 20, 2026, 1:00\u202fPM CET)"
    ) in result.stderr
    assert read(path) == before


def test_update_of_a_flow_style_list_falls_back_to_a_round_trip(repo: Repo) -> None:
    path = repo.incident(
        "x",
        "title: t  # a comment\nimpact: minor\nupdates: [{at: 2026-11-20T09:00:00Z, message: m}]\n",
    )
    assert repo.run("update", "x", "--message", "n", "--at", "2026-11-20T10:00:00Z").exit_code == 0
    text = read(path)
    assert text.startswith("title: t  # a comment\n")
    (incident,) = load_repository(repo.root).incidents
    assert [u.message for u in incident.updates] == ["m", "n"]


def test_update_after_a_kept_block_scalar_and_at_end_of_file(repo: Repo) -> None:
    path = repo.incident(
        "x",
        "title: t\nimpact: minor\nupdates:\n"
        "- at: 2026-11-20T09:00:00Z\n  message: |+\n    kept\n\n",
    )
    repo.run("update", "x", "--message", "n", "--at", "2026-11-20T10:00:00Z")
    (incident,) = load_repository(repo.root).incidents
    assert [u.message for u in incident.updates] == ["kept\n\n", "n"]
    assert read(path).endswith("- at: 2026-11-20T10:00:00Z\n  message: n\n")


def test_no_temporary_files_are_left_behind(repo: Repo) -> None:
    repo.incident("x")
    repo.run("update", "x", "--message", "m")
    assert sorted(p.name for p in (repo.root / "incidents").iterdir()) == ["x.yml"]


def test_new_names_the_schema_for_editors_when_the_repository_has_it(repo: Repo) -> None:
    assert repo.run("schema").exit_code == 0
    result = repo.run("new", "API down", "--message", "m", "--at", "2026-11-20T09:00:00Z")
    text = read(repo.root / result.stdout.strip())
    assert text.startswith(
        "# yaml-language-server: $schema=../schemas/incident.schema.json\ntitle: API down\n"
    )
    assert load_repository(repo.root).diagnostics == []


def test_a_component_given_twice_is_checked_both_times(repo: Repo) -> None:
    """`--component api=bad --component api=degraded_performance` is refused for the first."""
    result = repo.run(
        "new", "API errors", "--message", "We are investigating.",
        "--component", "api=bad", "--component", "api=degraded_performance",
    )  # fmt: skip
    assert result.exit_code == 1
    assert "unknown component status 'bad'" in result.stderr

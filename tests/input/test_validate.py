"""Every rule of the incident files: each bad input gives its message at its place; the
config's rules are in test_validate_config.py."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.conftest import INCIDENT, Repo

Check = Callable[[str], list[str]]

GOOD_UPDATE = """\
updates:
  - at: 2026-11-20T09:41:00Z
    message: m
"""


def test_a_valid_incident_passes(check_one: Check) -> None:
    assert check_one(INCIDENT) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "title: t\nimpact: major\ntitel: x\n" + GOOD_UPDATE,
            "incidents/x.yml:3:1: error: unknown key 'titel'; did you mean 'title'?",
            id="unknown key",
        ),
        pytest.param(
            "title: t\nimpact: major\nupdates:\n  - at: 2026-11-20T09:41:00Z\n    mesage: m\n",
            "incidents/x.yml:5:5: error: unknown key 'mesage'; did you mean 'message'?",
            id="unknown key in an update",
        ),
        pytest.param(
            "impact: major\n" + GOOD_UPDATE,
            "incidents/x.yml:1:1: error: missing required key 'title'; add a title that says "
            "what customers experience, e.g. title: Some customers cannot sign in",
            id="missing title",
        ),
        pytest.param(
            "title: t\n" + GOOD_UPDATE,
            "incidents/x.yml:1:1: error: missing required key 'impact'; "
            "add impact: none, minor, major or critical",
            id="missing impact",
        ),
        pytest.param(
            "title: t\nimpact: major\n",
            "incidents/x.yml:1:1: error: missing required key 'updates'; "
            "add updates: with at least one '- at: ... message: ...'",
            id="missing updates",
        ),
        pytest.param(
            "title: t\nimpact: major\nupdates:\n  - at: 2026-11-20T09:41:00Z\n",
            "incidents/x.yml:4:5: error: missing required key 'message'; "
            "add what customers should know, e.g. message: We are investigating.",
            id="missing message",
        ),
        pytest.param(
            "title: t\nimpact: major\nupdates: []\n",
            "incidents/x.yml:3:10: error: an incident needs at least one update; "
            "add updates: with at least one '- at: ... message: ...'",
            id="empty updates",
        ),
        pytest.param(
            "title: 404\nimpact: major\n" + GOOD_UPDATE,
            "incidents/x.yml:1:8: error: 'title' must be text, not the number 404; "
            "put it in quotes to keep it as text",
            id="number for text",
        ),
        pytest.param(
            "title:\nimpact: major\n" + GOOD_UPDATE,
            "incidents/x.yml:1:7: error: 'title' must be text, not empty; "
            "write the text after the colon, or remove the key",
            id="empty title",
        ),
        pytest.param(
            "title: '  '\nimpact: major\n" + GOOD_UPDATE,
            "incidents/x.yml:1:8: error: 'title' must not be empty",
            id="blank title",
        ),
        pytest.param(
            "title: t\nimpact: major\nregions: EU\n" + GOOD_UPDATE,
            "incidents/x.yml:3:10: error: 'regions' must be a list, not the text 'EU'; "
            "write [a, b], or one '- item' per line",
            id="text for list",
        ),
        pytest.param(
            "title: t\nimpact: major\nregions: [EU, 3]\n" + GOOD_UPDATE,
            "incidents/x.yml:3:15: error: item 2 of 'regions' must be text, not the number 3; "
            "put it in quotes to keep it as text",
            id="wrong type in list",
        ),
        pytest.param(
            "title: t\nimpact: major\nupdates:\n  - just text\n",
            "incidents/x.yml:4:5: error: item 1 of 'updates' must be a mapping of keys to "
            "values, not the text 'just text'; write 'key: value' pairs, indented under it",
            id="update not a mapping",
        ),
        pytest.param(
            "title: t\nimpact: huge\n" + GOOD_UPDATE,
            "incidents/x.yml:2:9: error: unknown impact 'huge'; use none, minor, major or critical",
            id="bad impact",
        ),
        pytest.param(
            "title: t\nimpact: Major\n" + GOOD_UPDATE,
            "incidents/x.yml:2:9: error: unknown impact 'Major'; did you mean 'major'?",
            id="impact in capitals",
        ),
        pytest.param(
            "title: t\nimpact: maintenance\n" + GOOD_UPDATE,
            "incidents/x.yml:2:9: error: unknown impact 'maintenance'; "
            "use none, minor, major or critical",
            id="maintenance impact on an incident",
        ),
        pytest.param(
            "title: t\nimpact: major\nupdates:\n  - at: 2026-11-20T09:41:00Z\n"
            "    status: investigatin\n    message: m\n",
            "incidents/x.yml:5:13: error: unknown status 'investigatin'; "
            "did you mean 'investigating'?",
            id="misspelt status",
        ),
        pytest.param(
            "title: t\nimpact: major\nupdates:\n  - at: 2026-11-20T09:41:00Z\n"
            "    status: completed\n    message: m\n",
            "incidents/x.yml:5:13: error: 'completed' is not an incident status; use "
            "investigating, identified, monitoring, resolved or postmortem, "
            "or add 'type: maintenance' for a maintenance",
            id="maintenance status on an incident",
        ),
        pytest.param(
            "title: t\nimpact: major\ntype: outage\n" + GOOD_UPDATE,
            "incidents/x.yml:3:7: error: unknown type 'outage'; use incident or maintenance",
            id="bad type",
        ),
        pytest.param(
            "title: t\nimpact: major\ncomponents:\n  apii: partial_outage\n" + GOOD_UPDATE,
            "incidents/x.yml:4:3: error: unknown component 'apii'; did you mean 'api'?",
            id="unknown component in a mapping",
        ),
        pytest.param(
            "title: t\nimpact: major\ncomponents: [api, billing]\n" + GOOD_UPDATE,
            "incidents/x.yml:3:19: error: unknown component 'billing'; "
            "use a component id from site_config.yml: api, auth or dashboard",
            id="unknown component in a list",
        ),
        pytest.param(
            "title: t\nimpact: major\nupdates:\n  - at: 2026-11-20T09:41:00Z\n    message: m\n"
            "    components:\n      dashbord: operational\n",
            "incidents/x.yml:7:7: error: unknown component 'dashbord'; did you mean 'dashboard'?",
            id="unknown component in an update",
        ),
        pytest.param(
            "title: t\nimpact: major\ncomponents:\n  api: down\n" + GOOD_UPDATE,
            "incidents/x.yml:4:8: error: unknown component status 'down'; use operational, "
            "degraded_performance, partial_outage, major_outage or under_maintenance",
            id="bad component status",
        ),
        pytest.param(
            "title: t\nimpact: major\ncomponents:\n  api: partial\n" + GOOD_UPDATE,
            "incidents/x.yml:4:8: error: unknown component status 'partial'; "
            "did you mean 'partial_outage'?",
            id="component status close to a valid one",
        ),
        pytest.param(
            "title: t\nimpact: major\ncomponents: api\n" + GOOD_UPDATE,
            "incidents/x.yml:3:13: error: 'components' must be a mapping of component ids to "
            "statuses, or a list of ids; write 'components: {api: partial_outage}' or "
            "'components: [api]'",
            id="components neither mapping nor list",
        ),
        pytest.param(
            "title: t\nimpact: major\ncomponents: [api, api]\n" + GOOD_UPDATE,
            "incidents/x.yml:3:19: error: component 'api' is listed twice",
            id="component listed twice",
        ),
        pytest.param(
            "title: t\nimpact: major\nupdates:\n  - at: yesterday\n    message: m\n",
            "incidents/x.yml:4:9: error: 'at': 'yesterday' is not a time; write it like "
            "2026-11-20T09:30:00Z, or 2026-11-20 10:30 for a time in the site's time zone",
            id="unparseable time",
        ),
        pytest.param(
            "title: t\nimpact: major\nupdates:\n  - at: 2026-13-01 10:00\n    message: m\n",
            "incidents/x.yml:4:9: error: 'at': '2026-13-01 10:00' is not a valid date and "
            "time; check the month, day, hour and minute; for example 2026-11-20T09:30:00Z",
            id="impossible date",
        ),
        pytest.param(
            "title: t\nimpact: major\nupdates:\n  - at: 2026\n    message: m\n",
            "incidents/x.yml:4:9: error: 'at' must be a time, not the number 2026; "
            "write it like 2026-11-20T09:30:00Z",
            id="number for a time",
        ),
        pytest.param(
            "title: t\nimpact: major\nupdates:\n  - at: 2026-03-29 02:30\n    message: m\n",
            "incidents/x.yml:4:9: error: 'at': 2026-03-29 02:30 does not exist in "
            "Europe/Berlin (the clocks skip forward); add an offset, for example "
            "2026-03-29T03:30+02:00",
            id="naive time in a daylight-saving gap",
        ),
        pytest.param(
            "title: t\nimpact: major\nupdates:\n  - at: 2026-10-25 02:30\n    message: m\n",
            "incidents/x.yml:4:9: error: 'at': 2026-10-25 02:30 happens twice in "
            "Europe/Berlin (the clocks go back); add an offset: 2026-10-25T02:30+02:00 for "
            "the first, 2026-10-25T02:30+01:00 for the second",
            id="naive time in a daylight-saving fold",
        ),
        pytest.param(
            "title: t\nimpact: major\nupdates:\n  - at: 2026-11-20T09:41:00Z\n    message: m\n"
            "    next_update: 2026-11-20T09:00:00Z\n",
            "incidents/x.yml:6:18: error: next_update is not after the update itself; "
            "promise a time after 'at', when the next update will really come",
            id="next update before its update",
        ),
        pytest.param(
            "title: t\nimpact: major\nstarted: 2026-11-20T12:00:00Z\nupdates:\n"
            "  - at: 2026-11-20T09:41:00Z\n    status: resolved\n    message: m\n",
            "incidents/x.yml:3:10: error: 'started' is after the first update "
            "(2026-11-20T09:41:00Z); impact begins before anyone can report it: check the date "
            "of 'started', or remove it to start with the first update",
            id="resolved before started",
        ),
        pytest.param(
            "title: t\nimpact: critical\nstarted: 2026-12-20T09:00:00Z\nupdates:\n"
            "  - at: 2026-11-20T09:41:00Z\n    message: m\n",
            "incidents/x.yml:3:10: error: 'started' is after the first update "
            "(2026-11-20T09:41:00Z); impact begins before anyone can report it: check the date "
            "of 'started', or remove it to start with the first update",
            id="started after the first update",
        ),
        pytest.param(
            "title: t\nimpact: major\nscheduled:\n  start: 2026-11-20T09:41:00Z\n"
            "  end: 2026-11-20T10:41:00Z\n" + GOOD_UPDATE,
            "incidents/x.yml:3:1: error: unknown key 'scheduled'; "
            "only a maintenance has a window: add 'type: maintenance'",
            id="window on an incident",
        ),
        pytest.param(
            "title: t\ntype: maintenance\n" + GOOD_UPDATE,
            "incidents/x.yml:1:1: error: missing required key 'scheduled'; "
            "a maintenance needs its window: scheduled: {start: ..., end: ...}",
            id="maintenance without a window",
        ),
        pytest.param(
            "title: t\ntype: maintenance\nscheduled: {start: 2026-11-20T09:41:00Z}\n" + GOOD_UPDATE,
            "incidents/x.yml:3:12: error: missing required key 'end'; "
            "add the end of the window, e.g. end: 2026-11-20T09:30:00Z",
            id="maintenance window without an end",
        ),
        pytest.param(
            "title: t\ntype: maintenance\nscheduled:\n  start: 2026-11-20 12:00\n"
            "  end: 2026-11-20 11:00\n" + GOOD_UPDATE,
            "incidents/x.yml:5:8: error: the maintenance window ends before it starts; "
            "check the dates and times of start and end",
            id="maintenance ending before it starts",
        ),
        pytest.param(
            "title: t\ntype: maintenance\nscheduled:\n  start: 2026-11-20 12:00\n"
            "  end: 2026-11-20 12:00\n" + GOOD_UPDATE,
            "incidents/x.yml:5:8: error: the maintenance window ends when it starts; "
            "check the dates and times of start and end",
            id="maintenance of no length",
        ),
        pytest.param(
            "title: t\ntype: maintenance\n"
            "scheduled: {start: 2026-11-20 12:00, end: 2026-11-20 13:00}\n"
            "updates:\n  - at: 2026-11-20T09:41:00Z\n    status: resolved\n    message: m\n",
            "incidents/x.yml:6:13: error: 'resolved' is not a maintenance status; "
            "a maintenance uses scheduled, in_progress, verifying, completed or cancelled",
            id="incident status on a maintenance",
        ),
        pytest.param(
            "title: t\nimpact: major\nid: not valid!\n" + GOOD_UPDATE,
            "incidents/x.yml:3:5: error: 'not valid!' is not a valid id; "
            "use at most 128 letters, digits, '-' and '_'",
            id="invalid id",
        ),
        pytest.param(
            "title: t\nimpact: major\nlint: {ignore: [no-workarond]}\n" + GOOD_UPDATE,
            "incidents/x.yml:3:17: error: unknown lint rule 'no-workarond'; "
            "did you mean 'no-workaround'?",
            id="unknown lint rule",
        ),
        pytest.param(
            "title: t\nimpact: major\nlint: {skip: [stale]}\n" + GOOD_UPDATE,
            "incidents/x.yml:3:8: error: unknown key 'skip'",
            id="unknown key under lint",
        ),
        pytest.param(
            "- title: t\n",
            "incidents/x.yml:1:1: error: the file must be a mapping of keys to values, but it "
            "is a list; start with 'title: ...' (or 'site: ...' in site_config.yml) at the "
            "left margin",
            id="not a mapping",
        ),
        pytest.param(
            "",
            "incidents/x.yml:1:1: error: the file must be a mapping of keys to values, but it "
            "is empty; start with 'title: ...' (or 'site: ...' in site_config.yml) at the "
            "left margin",
            id="empty file",
        ),
        pytest.param(
            "title: t\nimpact: major\nupdates:\n  - at: 2026-11-20T09:41:00Z\n    message: a: b\n",
            "incidents/x.yml:5:15: error: YAML syntax error: mapping values are not allowed "
            "in this context; put text that contains ': ' in quotes",
            id="yaml syntax error",
        ),
        pytest.param(
            "title: !!python/object/apply:os.system [echo]\nimpact: major\n" + GOOD_UPDATE,
            "incidents/x.yml:1:8: error: YAML tags (tag:yaml.org,2002:python/object/apply:"
            "os.system) are not allowed; remove the tag; put the value in quotes if it must "
            "stay text",
            id="python tag",
        ),
        pytest.param(
            "title: &t t\nimpact: major\n" + GOOD_UPDATE,
            "incidents/x.yml:1:8: error: anchors (&t) are not allowed; write each value out "
            "in full",
            id="anchor",
        ),
        pytest.param(
            "title: t\nimpact: major\ntitle: u\n" + GOOD_UPDATE,
            "incidents/x.yml:3:1: error: duplicate key 'title' (first at line 1); keep one of them",
            id="duplicate key",
        ),
    ],
)
def test_bad_input(check_one: Check, text: str, expected: str) -> None:
    problems = check_one(text)
    assert expected in problems
    assert len(problems) == (2 if "mesage" in text else 1)


def test_all_problems_of_all_files_in_one_run(repo: Repo) -> None:
    repo.incident("a", "title: t\nimpact: huge\ncomponents: [apii]\ntitel: x\n" + GOOD_UPDATE)
    repo.incident("b", "title: [\n")
    repo.write("incidents/2026/c.yaml", "impact: major\n" + GOOD_UPDATE)
    result = repo.run("check")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "incidents/2026/c.yaml:1:1: error: missing required key 'title'; add a title that "
        "says what customers experience, e.g. title: Some customers cannot sign in",
        "incidents/a.yml:2:9: error: unknown impact 'huge'; use none, minor, major or critical",
        "incidents/a.yml:3:14: error: unknown component 'apii'; did you mean 'api'?",
        "incidents/a.yml:4:1: error: unknown key 'titel'; did you mean 'title'?",
        "incidents/b.yml:2:1: error: YAML syntax error: did not find expected node content",
    ]
    assert result.stderr == "5 errors in 3 files\n"


def test_non_utf8_file(repo: Repo) -> None:
    (repo.root / "incidents").mkdir()
    (repo.root / "incidents/x.yml").write_bytes(b"title: Caf\xe9 down\n")
    assert repo.check() == [
        "incidents/x.yml:1:11: error: the file is not valid UTF-8 (byte 0xE9); "
        "save the file as UTF-8"
    ]


def test_billion_laughs_file(repo: Repo) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [
        f"{c}: &{c} [" + ",".join([f"*{p}"] * 9) + "]"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    ]
    repo.incident("x", "\n".join(lines) + "\n")
    assert repo.check() == [
        "incidents/x.yml:1:4: error: anchors (&a) are not allowed; write each value out in full"
    ]


def test_duplicate_ids_across_files(repo: Repo) -> None:
    repo.incident("first")
    repo.write("incidents/2026/first.yml", INCIDENT)
    repo.incident("other", "id: first\n" + INCIDENT)
    result = repo.run("check")
    assert result.stdout.splitlines() == [
        "incidents/first.yml:1:1: error: the id 'first' is already used by first.yml; "
        "rename one of the files, or set a different id:",
        "incidents/other.yml:1:1: error: the id 'first' is already used by first.yml; "
        "rename one of the files, or set a different id:",
    ]


def test_file_name_that_is_not_an_id(repo: Repo) -> None:
    repo.incident("sign in down")
    assert repo.check() == [
        "incidents/sign in down.yml:1:1: error: the file name 'sign in down' is not a valid "
        "incident id; rename the file using at most 128 letters, digits, '-' and '_', "
        "or set id: in the file"
    ]
    repo.incident("sign in down", "id: sign-in-down\n" + INCIDENT)
    assert repo.check() == []


def test_id_key_overrides_the_file_name(repo: Repo) -> None:
    repo.incident("x", "id: custom_ID-1\n" + INCIDENT)
    assert repo.check() == []


def test_hidden_and_other_files_are_not_incidents(repo: Repo) -> None:
    repo.write("incidents/.draft.yml", "not: valid\n")
    repo.write("incidents/.git/x.yml", "not: valid\n")
    repo.write("incidents/README.md", "# notes\n")
    assert repo.check() == []


def test_internal_takes_anything(check_one: Check) -> None:
    assert check_one(INCIDENT + "internal:\n  ticket: OPS-1\n  people: [a, b]\n  n: 3\n") == []


def test_list_of_components_and_every_optional_key(check_one: Check) -> None:
    text = """\
        title: t
        impact: minor
        components: [api, auth]
        regions: [EU, NO]
        started: 2026-11-20 09:00
        updates:
          - at: 2026-11-20T09:41:00Z
            message: m
            next_update: 2026-11-20T10:41:00Z
            components: {auth: operational}
        workaround: w
        compensation: c
        postmortem: https://acme.example/pm
        lint: {ignore: [stale, jargon]}
        """
    assert check_one(text) == []

"""The four jobs of validation, each called directly, without the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from generator.input import validate
from generator.input.explain import explain, key_name
from generator.input.formats import IncidentFile
from generator.input.incidents import check_incident_document
from generator.input.repository import incident_files, load_repository
from generator.input.site_config import read_config
from generator.input.source import parse
from tests.conftest import CONFIG, INCIDENT, Repo

TRANSLATED = """\
title: {en: Sign-in fails, de: Anmeldung schlägt fehl}
impact: major
workaround: {en: Use the app, de: Nutzen Sie die App}
updates:
  - at: 2026-11-20T09:41:00Z
    message: m
"""


def test_the_face_exports_what_it_did() -> None:
    assert validate.load_repository is load_repository
    assert validate.read_config is read_config
    assert validate.check_incident_document is check_incident_document
    assert (validate.CONFIG_NAME, validate.INCIDENTS_DIR) == ("site_config.yml", "incidents")


def test_explain_names_an_unknown_key_and_a_fix() -> None:
    document = parse("title: t\nimpact: major\ntitel: x\n", Path("x.yml"))
    try:
        IncidentFile.model_validate(document.data)
    except ValidationError as error:
        problems = explain(document, error.errors(), IncidentFile)
    found = {(p.line, p.col, p.message, p.hint) for p in problems}
    assert (3, 1, "unknown key 'titel'", "did you mean 'title'?") in found
    assert (1, 1, "missing required key 'updates'", "add updates: with at least one "
            "'- at: ... message: ...'") in found  # fmt: skip


def test_key_name_says_where_a_value_is() -> None:
    assert key_name(()) == "the file"
    assert key_name(("updates", 0, "message")) == "'message'"
    assert key_name(("updates", 1)) == "item 2 of 'updates'"
    assert key_name(("components", "api")) == "the status of component 'api'"


def test_read_config_gives_the_record(tmp_path: Path) -> None:
    path = tmp_path / "site_config.yml"
    path.write_text(CONFIG, encoding="utf-8")
    config, problems = read_config(path)
    assert problems == []
    assert config is not None
    assert config.component_ids >= {"api", "dashboard", "auth"}


def test_a_channel_url_with_a_bad_variable_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "site_config.yml"
    channel = "notify:\n  channels:\n    - id: c\n      url: mailto://${BAD\n"
    path.write_text(CONFIG + channel, encoding="utf-8")
    config, problems = read_config(path)
    assert config is None
    assert [(p.line, p.col) for p in problems] == [(CONFIG.count("\n") + 4, 12)]


def test_translated_fields_are_split_by_language() -> None:
    incident, problems = check_incident_document(parse(TRANSLATED, Path("x.yml")), None)
    assert problems == [] and incident is not None
    assert incident.title == "Sign-in fails"
    assert incident.workaround == "Use the app"
    assert incident.translations == {}  # the site speaks only en without a config


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "type: maintenance\ntitle: t\nscheduled:\n  start: 2026-11-20T10:00:00Z\n"
            "  end: 2026-11-20T09:00:00Z\nupdates:\n  - at: 2026-11-19T09:41:00Z\n    message: m\n",
            "the maintenance window ends before it starts",
            id="a window that ends before it starts",
        ),
        pytest.param(
            INCIDENT + "started: 2026-11-20T10:00:00Z\n",
            "'started' is after the first update (2026-11-20T09:41:00Z)",
            id="started after the first update",
        ),
        pytest.param(
            "title: t\nimpact: major\nstarted: 2026-11-20T08:00:00Z\nupdates:\n"
            "  - at: 2026-11-20T07:00:00Z\n    status: resolved\n    message: m\n",
            "'started' is after the first update (2026-11-20T07:00:00Z)",
            id="started after a resolving update, reported once",
        ),
        pytest.param(
            INCIDENT.replace("    message:", "    next_update: 2026-11-20T09:00:00Z\n    message:"),
            "next_update is not after the update itself",
            id="a promise in the past",
        ),
    ],
)
def test_an_incident_rule_gives_one_problem(text: str, expected: str) -> None:
    incident, problems = check_incident_document(parse(text, Path("x.yml")), None)
    assert incident is None
    assert [p.message for p in problems] == [expected]


def test_the_index_finds_incident_files_in_path_order(tmp_path: Path) -> None:
    Repo.at(tmp_path)
    for name in ("b/2.yml", "a.yml", ".hidden/c.yml", "b/1.yaml"):
        (tmp_path / "incidents" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "incidents" / name).write_text(INCIDENT, encoding="utf-8")
    names = [p.relative_to(tmp_path / "incidents").as_posix() for p in incident_files(tmp_path)]
    assert names == ["a.yml", "b/1.yaml", "b/2.yml"]
    repository = load_repository(tmp_path)
    assert repository.ok
    assert [i.id for i in repository.incidents] == ["a", "1", "2"]
    assert repository.files == 4


def test_a_check_that_keeps_no_incident_finds_the_same_problems(tmp_path: Path) -> None:
    """check drops each incident once validated (keep=False): the problems, the rules
    across files (an id, a key used twice) and the counts are those of a full load."""
    repo = Repo.at(tmp_path)
    repo.incident("first")
    repo.incident("other", "id: first\n" + INCIDENT)
    keyed = INCIDENT.replace("    message:", "    key: alert-8\n    message:", 1)
    repo.incident("a", keyed)
    repo.incident("b", keyed)
    repo.incident("broken", "title: [unclosed\n")
    full, checked = load_repository(tmp_path), load_repository(tmp_path, keep=False)
    assert [d.message[:40] for d in full.diagnostics] == [
        "YAML syntax error: did not find expected",
        "the id 'first' is already used by first.",
        "the key 'alert-8' is already recorded in",
    ]
    assert checked.diagnostics == full.diagnostics
    assert (checked.files, checked.valid, checked.incidents) == (full.files, 4, ())
    assert full.valid == len(full.incidents) == 4


def test_the_file_format_translates_the_fields_the_model_names() -> None:
    """model.TRANSLATED_FIELDS is where the translated fields are named; the file format
    (its JSON Schema) must offer a text by language for those, and only those."""
    from generator.core.model import TRANSLATED_FIELDS

    def by_language(schema: dict[str, object]) -> bool:
        return "The text by language" in json.dumps(schema)

    properties = IncidentFile.model_json_schema()["properties"]
    translated = {name for name, schema in properties.items() if by_language(schema)}
    assert translated == set(TRANSLATED_FIELDS)

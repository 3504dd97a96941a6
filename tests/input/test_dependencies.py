"""dependencies: in site_config.yml and the files in dependencies/: each mistake is an
error at its place with the fix; whatever check accepts, build builds."""

from __future__ import annotations

import pytest

from tests.conftest import CONFIG, Repo

GOOD = """\
{
  "components": [{"name": "Actions", "status": "partial_outage"}],
  "incidents": [],
  "indicator": "minor",
  "missing": [],
  "page": "https://www.githubstatus.com",
  "read_at": "2026-11-24T10:00:00Z"
}
"""


def with_dependencies(text: str) -> str:
    return CONFIG + "dependencies:\n" + text


@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        pytest.param(
            "  - {id: github, name: GitHub, url: 'https://www.githubstatus.com'}\n"
            "  - {id: GitHub, name: GitHub again, url: 'https://www.githubstatus.com'}\n",
            "site_config.yml:16:10: error: dependency id 'GitHub' is used twice (first at line "
            "15) ('github' differs only in case); give each dependency its own id: what sync "
            "read is kept in dependencies/<id>.json",
            id="ids equal but for case",
        ),
        pytest.param(
            "  - {id: ../etc, name: X, url: 'https://x.example'}\n",
            "site_config.yml:15:10: error: '../etc' is not a valid id; use at most 128 letters, "
            "digits, '-' and '_'",
            id="id not safe as a file name",
        ),
        pytest.param(
            "  - {id: x, name: X, url: 'ftp://x.example'}\n",
            "site_config.yml:15:27: error: 'ftp://x.example' is not an absolute http(s) URL",
            id="url not http(s)",
        ),
        pytest.param(
            "  - {id: x, name: X, url: 'https://bot:pa55@x.example'}\n",
            "site_config.yml:15:27: error: the URL holds a user name or password, which the "
            "repository would publish; give the public address of the status page",
            id="credentials in the url",
        ),
        pytest.param(
            "  - {id: x, name: X, url: 'https://x.example/?key=1'}\n",
            "site_config.yml:15:27: error: the URL of a status page takes no query (?...) or "
            "fragment (#...)",
            id="query in the url",
        ),
        pytest.param(
            "  - {id: x, name: X, url: 'https://x.example', components: [API, API]}\n",
            "site_config.yml:15:66: error: the component 'API' is named twice; name each of "
            "the vendor's components once",
            id="a component twice",
        ),
        pytest.param(
            "  - {id: x, name: X, url: 'https://x.example', components: []}\n",
            "site_config.yml:15:60: error: 'components' must not be empty",
            id="no components",
        ),
        pytest.param(
            "  - {id: x, url: 'https://x.example'}\n",
            "site_config.yml:15:5: error: missing required key 'name'",
            id="no name",
        ),
        pytest.param(
            "  - {id: x, name: X, url: 'https://x.example', component: [API]}\n",
            "site_config.yml:15:48: error: unknown key 'component'; did you mean 'components'?",
            id="unknown key",
        ),
    ],
)
def test_each_mistake_in_the_config_is_named_with_its_fix(
    repo: Repo, entries: str, expected: str
) -> None:
    repo.config(with_dependencies(entries))
    lines = repo.check()
    assert any(line.startswith(expected) for line in lines), lines


def test_a_valid_dependency_and_its_file_pass(repo: Repo) -> None:
    repo.config(
        with_dependencies(
            "  - id: github\n    name: GitHub\n    url: https://www.githubstatus.com/\n"
            "    components: [Actions]\n"
        )
    )
    repo.write("dependencies/github.json", GOOD)
    result = repo.run("check")
    assert result.exit_code == 0, result.output
    assert result.stderr == "2 files checked (0 incidents): no problems\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            GOOD.replace('"minor"', '"sideways"'),
            "dependencies/github.json:4:16: error: unknown value 'sideways'; use none, minor, "
            "major, critical or maintenance",
            id="bad indicator",
        ),
        pytest.param(
            GOOD.replace('"partial_outage"', '"on_fire"'),
            "dependencies/github.json:2:48: error: unknown status 'on_fire'; use operational, "
            "degraded_performance, partial_outage, major_outage or under_maintenance",
            id="bad status",
        ),
        pytest.param(
            GOOD.replace('"2026-11-24T10:00:00Z"', '"yesterday"'),
            "dependencies/github.json:7:14: error: ",
            id="bad time",
        ),
        pytest.param(
            GOOD.replace('  "missing": [],\n', '  "missing": [],\n  "extra": 1,\n'),
            "dependencies/github.json:6:3: error: unknown key 'extra'",
            id="unknown key",
        ),
        pytest.param(
            GOOD[:40],
            "dependencies/github.json:",
            id="cut short",
        ),
        pytest.param(
            "[1, 2]\n",
            "dependencies/github.json:1:1: error: the file must be a JSON object",
            id="not an object",
        ),
        pytest.param(
            GOOD.replace(
                '"incidents": []',
                '"incidents": [{"name": "x", "url": "javascript:alert(1)", "impact": "major"}]',
            ),
            "dependencies/github.json:3:38: error: 'javascript:alert(1)' is not an absolute "
            "http(s) URL",
            id="a link that is not http(s)",
        ),
        pytest.param(
            '{"page": ' + "[" * 5000 + "]" * 5000 + "}\n",
            "dependencies/github.json:1:",
            id="nested past Python's recursion limit",
        ),
        pytest.param(
            GOOD.replace('"missing": []', '"missing": ' + "9" * 5000),
            "dependencies/github.json:5:14: error: the number 999999999999... has more than "
            "30 digits",
            id="a number Python will not read",
        ),
    ],
)
def test_a_broken_file_is_an_error_with_its_fix(repo: Repo, text: str, expected: str) -> None:
    repo.config(
        with_dependencies("  - {id: github, name: GitHub, url: 'https://www.githubstatus.com'}\n")
    )
    repo.write("dependencies/github.json", text)
    result = repo.run("check")
    assert result.exit_code == 1
    line = next(line for line in result.stdout.splitlines() if "github.json" in line)
    assert line.startswith(expected), line
    assert line.endswith(
        "; run statusgen dependencies sync to write it again (or delete dependencies/<id>.json)"
    )
    built = repo.run("build", "--now", "2026-11-24T10:30:00Z")
    assert built.exit_code == 1
    assert not (repo.root / "site").exists()


def test_a_file_of_no_dependency_is_a_warning_and_shown_nowhere(repo: Repo) -> None:
    repo.write("dependencies/gone.json", GOOD)
    repo.write("dependencies/notes.txt", "not read\n")
    result = repo.run("check")
    assert result.exit_code == 0
    assert result.stdout == (
        "dependencies/gone.json:1:1: warning: no dependency 'gone' in site_config.yml: this "
        "file is shown nowhere; remove it, or add a dependency with id: gone\n"
    )


def test_a_file_linked_outside_is_never_read(
    repo: Repo, tmp_path_factory: pytest.TempPathFactory
) -> None:
    secret = tmp_path_factory.mktemp("outside") / "secret.json"
    secret.write_text('{"password": "hunter2"}\n', encoding="utf-8")
    repo.config(
        with_dependencies("  - {id: github, name: GitHub, url: 'https://www.githubstatus.com'}\n")
    )
    (repo.root / "dependencies").mkdir()
    (repo.root / "dependencies/github.json").symlink_to(secret)
    result = repo.run("check")
    assert result.exit_code == 1
    assert "a link to a file outside the repository" in result.stdout
    assert "hunter2" not in result.output

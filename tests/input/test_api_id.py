"""``api_id`` of a component in site_config.yml: the id the Statuspage API shows instead of
its own, unique among the ids the API shows."""

from __future__ import annotations

import pytest

from tests.conftest import Repo

SITE = "site: {name: S, url: 'https://s.example/'}\ncomponents:\n"


def problems(repo: Repo, components: str) -> list[str]:
    repo.write("site_config.yml", SITE + components)
    return repo.check()


def test_an_api_id_is_valid(repo: Repo) -> None:
    assert problems(repo, "  - {id: api, name: A, api_id: br0l2tvcx85d}\n") == []


@pytest.mark.parametrize(
    ("components", "expected"),
    [
        pytest.param(
            "  - {id: api, name: A, api_id: x1}\n  - {id: web, name: W, api_id: x1}\n",
            "site_config.yml:4:32: error: the Statuspage API would show two components with id "
            "'x1' (first at line 3): a component's api_id, else its id; give each component an "
            "api_id of its own",
            id="two api ids alike",
        ),
        pytest.param(
            "  - {id: api, name: A, api_id: web}\n  - {id: web, name: W}\n",
            "site_config.yml:4:10: error: the Statuspage API would show two components with id "
            "'web' (first at line 3): a component's api_id, else its id; give each component an "
            "api_id of its own",
            id="an api id that is another component's id",
        ),
        pytest.param(
            "  - {id: api, name: A, api_id: 'not an id'}\n",
            "site_config.yml:3:32: error: 'not an id' is not a valid id; "
            "use at most 128 letters, digits, '-' and '_'",
            id="an api id that is no id",
        ),
    ],
)
def test_api_ids_are_unique_ids(repo: Repo, components: str, expected: str) -> None:
    assert problems(repo, components) == [expected]


def test_a_component_may_show_its_own_id_as_api_id(repo: Repo) -> None:
    assert problems(repo, "  - {id: api, name: A, api_id: api}\n  - {id: web, name: W}\n") == []


def test_an_id_used_twice_is_said_once(repo: Repo) -> None:
    said = problems(repo, "  - {id: api, name: A}\n  - {id: api, name: B}\n")
    assert len(said) == 1 and "is used twice" in said[0]

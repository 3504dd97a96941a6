"""Every rule of site_config.yml: each bad value gives its message at its place."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.conftest import CONFIG, INCIDENT, Repo

Check = Callable[[str], list[str]]

GOOD_UPDATE = """\
updates:
  - at: 2026-11-20T09:41:00Z
    message: m
"""


def config_problems(repo: Repo, text: str) -> list[str]:
    repo.config(text)
    return repo.check()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "site: {name: S}\n",
            "site_config.yml:1:7: error: missing required key 'url'; add the address the site is "
            "published at, e.g. url: https://status.acme.example/",
            id="missing url",
        ),
        pytest.param(
            "site: {name: S, url: status.acme.example}\n",
            "site_config.yml:1:22: error: 'status.acme.example' is not an absolute http(s) URL; "
            "write it in full, like https://status.example.com/ (no spaces or quotes)",
            id="relative url",
        ),
        pytest.param(
            "site: {name: S, url: 'https://status.example.com/\"><script>alert(1)</script>/'}\n",
            "site_config.yml:1:22: error: "
            "'https://status.example.com/\"><script>alert(1)</script>/' is not a usable URL: "
            "it contains '\"'; write it in full, like https://status.example.com/ "
            "(no spaces or quotes)",
            id="markup in the url",
        ),
        pytest.param(
            "site: {name: S, url: 'https://s.example/', timezone: Europe/Berln}\n",
            "site_config.yml:1:54: error: unknown time zone 'Europe/Berln'; "
            "did you mean 'Europe/Berlin'?",
            id="unknown time zone",
        ),
        pytest.param(
            "site: {name: S, url: 'https://s.example/', language: english!}\n",
            "site_config.yml:1:54: error: unknown language 'english!'; "
            "use en, de, fr, es, pt-BR, it, nl, ja, zh-Hans or ar",
            id="bad language",
        ),
        pytest.param(
            "site: {name: S, url: 'https://s.example/', language: pt-br}\n",
            "site_config.yml:1:54: error: unknown language 'pt-br'; did you mean 'pt-BR'?",
            id="language in the wrong case",
        ),
        pytest.param(
            "site: {name: S, url: 'https://s.example/'}\ncomponents:\n  - {id: api, name: A}\n"
            "  - {id: api, name: B}\n",
            "site_config.yml:4:10: error: component id 'api' is used twice (first at line 3); "
            "give each component its own id",
            id="duplicate component ids",
        ),
        pytest.param(
            "site: {name: S, url: 'https://s.example/'}\ncomponents:\n  - {id: my api, name: A}\n",
            "site_config.yml:3:10: error: 'my api' is not a valid id; "
            "use at most 128 letters, digits, '-' and '_'",
            id="bad component id",
        ),
        pytest.param(
            "site: {name: S, url: 'https://s.example/'}\ncomponents:\n  - {id: api, nmae: A}\n",
            "site_config.yml:3:5: error: missing required key 'name'; add the name customers "
            "know, e.g. name: Acme Cloud Status",
            id="component without a name",
        ),
        pytest.param(
            "site: {name: S, url: 'https://s.example/'}\nuptime_days: 0\n",
            "site_config.yml:2:14: error: 'uptime_days' must be a whole number from 1 to 3650, "
            "not 0",
            id="uptime days not positive",
        ),
        pytest.param(
            "site: {name: S, url: 'https://s.example/'}\nuptime_days: '90'\n",
            "site_config.yml:2:14: error: 'uptime_days' must be a whole number, not the text '90'",
            id="uptime days as text",
        ),
        pytest.param(
            "site: {name: S, url: 'https://s.example/'}\nlint: {disable: [jargonn]}\n",
            "site_config.yml:2:18: error: unknown lint rule 'jargonn'; did you mean 'jargon'?",
            id="unknown lint rule",
        ),
        pytest.param(
            "site: {name: S, url: 'https://s.example/'}\nlint: {acknowledge_minutes: -5}\n",
            "site_config.yml:2:29: error: 'acknowledge_minutes' must be a whole number "
            "from 1 to 10080, not -5",
            id="negative minutes",
        ),
        pytest.param(
            "site: {name: S, url: 'https://s.example/'}\ncolour: blue\n",
            "site_config.yml:2:1: error: unknown key 'colour'",
            id="unknown key",
        ),
    ],
)
def test_bad_config(repo: Repo, text: str, expected: str) -> None:
    problems = config_problems(repo, text)
    assert problems[0] == expected
    assert len(problems) >= 1


SITE = "site: {name: S, url: 'https://s.example/'}\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            SITE + "notify: {max_age_minutes: 99999999999999}\n",
            "site_config.yml:2:27: error: 'max_age_minutes' must be a whole number "
            "from 1 to 527040, not 99999999999999",
            id="notify's age past any time",
        ),
        pytest.param(
            SITE + "lint: {acknowledge_minutes: 99999999999999}\n",
            "site_config.yml:2:29: error: 'acknowledge_minutes' must be a whole number "
            "from 1 to 10080, not 99999999999999",
            id="lint's first update past any time",
        ),
        pytest.param(
            SITE + "lint: {update_every_minutes: 10081}\n",
            "site_config.yml:2:30: error: 'update_every_minutes' must be a whole number "
            "from 1 to 10080, not 10081",
            id="lint's updates more than a week apart",
        ),
        pytest.param(
            SITE + "uptime_days: 3651\n",
            "site_config.yml:2:14: error: 'uptime_days' must be a whole number from 1 to 3650, "
            "not 3651",
            id="uptime bars longer than ten years",
        ),
        pytest.param(
            SITE + "notify:\n  channels:\n    - {id: c, url: 'json://x', length: 100001}\n",
            "site_config.yml:4:40: error: 'length' must be a whole number from 60 to 100000, "
            "not 100001",
            id="a channel's length past any service",
        ),
        pytest.param(
            SITE + "notify:\n  channels:\n    - {id: c, url: 'json://localhost:99999/hook'}\n",
            "site_config.yml:4:20: error: the port 99999 is not a port: ports go from 1 to 65535; "
            "check the number after the ':' of the host, or leave the port out",
            id="a channel's port past any port",
        ),
        pytest.param(
            SITE
            + "notify:\n  channels:\n    - {id: c, url: 'mailto://localhost:0?to=a@b.example'}\n",
            "site_config.yml:4:20: error: the port 0 is not a port: ports go from 1 to 65535; "
            "check the number after the ':' of the host, or leave the port out",
            id="a channel's port zero",
        ),
        pytest.param(
            SITE + "uptime_days: " + "9" * 5000 + "\n",
            "site_config.yml:2:14: error: the number 999999999999... has more than 30 digits; "
            "every number statusgen reads is small: see the range the key allows, or put the "
            "value in quotes if it is text",
            id="a number Python will not read",
        ),
        pytest.param(
            SITE + "uptime_days: 0x" + "f" * 5000 + "\n",
            "site_config.yml:2:14: error: the number 0xffffffffff... has more than 30 digits; "
            "every number statusgen reads is small: see the range the key allows, or put the "
            "value in quotes if it is text",
            id="a number Python will not print",
        ),
    ],
)
def test_every_number_has_a_range(repo: Repo, text: str, expected: str) -> None:
    assert config_problems(repo, text) == [expected]


def test_the_largest_numbers_allowed_are_used_without_overflow(repo: Repo) -> None:
    repo.write(
        "site_config.yml",
        CONFIG
        + "lint: {acknowledge_minutes: 10080, update_every_minutes: 10080}\n"
        + "notify:\n  max_age_minutes: 527040\n  channels:\n"
        + "    - {id: c, url: 'json://localhost/', length: 100000}\n",
    )
    repo.incident("late", INCIDENT.replace("2026-11-20T09:41:00Z", "2999-12-31T23:59:00Z"))
    repo.incident("early", INCIDENT.replace("2026-11-20T09:41:00Z", "1970-01-01T00:00:00Z"))
    assert repo.run("check").exit_code == 0
    for now in ("1970-01-01T00:00:00Z", "2999-12-31T23:59:59Z"):
        assert repo.run("lint", "--now", now).exit_code in (0, 1)
        notified = repo.run("notify", "--dry-run", "--now", now)
        assert notified.exit_code == 0, notified.output


def test_missing_config(repo: Repo) -> None:
    (repo.root / "site_config.yml").unlink()
    result = repo.run("check")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"site_config.yml:1:1: error: there is no site_config.yml in {repo.root.resolve()}; "
        "run statusgen in your status repository, or pass --root"
    ]


def test_incidents_are_still_checked_when_the_config_is_invalid(repo: Repo) -> None:
    repo.change_config("Europe/Berlin", "Mars/Olympus")
    repo.incident("x", "title: t\nimpact: huge\n" + GOOD_UPDATE)
    lines = repo.check()
    assert lines[0].startswith("incidents/x.yml:2:9: error: unknown impact 'huge'")
    assert lines[1].startswith("site_config.yml:4:13: error: unknown time zone 'Mars/Olympus'")

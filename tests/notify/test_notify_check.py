"""``statusgen check`` of the notify channels, the built site naming none, and the channels
part without sending (variables, forms, what is shown of a URL)."""

from __future__ import annotations

import pytest

from generator.channels import (
    UnsetVariable,
    VariableError,
    expand,
    open_service,
    variables,
)
from generator.core.routes import Routes
from generator.notify.events import Event
from generator.notify.messages import Composer
from tests.conftest import Repo
from tests.notify.notifying import (
    NOW,
    SECRET,
    channels,
    one_incident,
)
from tests.peers import Receiver

# check -------------------------------------------------------------------------------------


def test_check_names_each_mistake_in_the_shape_of_a_channel(repo: Repo) -> None:
    repo.write(
        "site_config.yml",
        channels(
            "id: chat\nurl: slack://T0/B0/abc\nevents: [created, resolvd]",
            "id: teams\nurl: workflow://a/b/c\nlength: 20\nmin_impact: minr",
            "id: web\nurl: json://x\nshout: yes",
            "url: json://y",
        ),
    )
    assert repo.check() == [
        "site_config.yml:19:25: error: unknown event 'resolvd'; did you mean 'resolved'?",
        "site_config.yml:22:15: error: 'length' must be a whole number from 60 to 100000, not 20",
        "site_config.yml:23:19: error: unknown impact 'minr'; did you mean 'minor'?",
        "site_config.yml:26:7: error: unknown key 'shout'",
        "site_config.yml:27:7: error: missing required key 'id'; add an id of letters, digits, "
        "'-' and '_', e.g. id: customers-email",
    ]


def test_check_names_each_mistake_of_a_channel(repo: Repo) -> None:
    repo.write(
        "site_config.yml",
        channels(
            "id: chat\nurl: slak://T0/B0/abc",
            "id: chat\nurl: ntfys://bob:hunter22@ntfy.example/status",
            "id: mail\nurl: ${NOTIFY_EMAIL_URL\ncomponents: [api, auht]",
            "id: push\nurl: ntfy://${NTFY_TOPIC}\njoin: https://ntfy.sh/acme-status",
            "id: teams\nurl: msteams://a/b/c",
            "id: web\nurl: json://",
            "id: fine\nurl: json://hooks.example/${NOTIFY_TOKEN}",
        ),
    )
    assert repo.check() == [
        "site_config.yml:18:12: error: Apprise knows no service 'slak://'; did you mean 'slack'?",
        "site_config.yml:19:11: error: channel id 'chat' is used twice (first at line 17); "
        "give each channel its own id: the ledger of what was sent is kept by id",
        "site_config.yml:20:12: error: this URL writes out the user and the password in the "
        "site config, which is public in the repository; write a variable in its place, e.g. "
        "${NOTIFY_TOKEN}, or the whole URL as url: ${NOTIFY_URL}, and set the variable from a "
        "secret (on GitHub: a repository secret passed to the notify job)",
        "site_config.yml:22:12: error: '${' is not closed by '}'; write a variable as ${NAME} "
        "(letters, digits and _), and $$ for a $",
        "site_config.yml:23:25: error: unknown component 'auht'; did you mean 'auth'?",
        "site_config.yml:26:13: error: a channel customers can join needs a name; add the name "
        "customers see under Subscribe, e.g. name: Push notifications (ntfy app)",
        "site_config.yml:28:12: error: Apprise no longer has 'msteams://'; Microsoft retired "
        "Teams webhooks: use workflow:// (Power Automate)",
        "site_config.yml:30:12: error: Apprise cannot read this URL; see "
        "https://github.com/caronc/apprise/wiki for the URL of each service",
    ]


def test_the_built_site_names_no_channel_url(site: Repo, receiver: Receiver) -> None:
    site.write(
        "site_config.yml",
        channels(
            f"id: hook\nurl: {receiver.url('/private-hook-path')}",
            "id: push\nurl: ntfy://${NTFY_TOPIC}\nname: Push (ntfy)\njoin: https://ntfy.sh/acme",
        ),
    )
    assert site.run("build", "--now", NOW).exit_code == 0
    built = b"".join(p.read_bytes() for p in (site.root / "site").rglob("*") if p.is_file())
    assert b"private-hook-path" not in built
    assert b"NTFY_TOPIC" not in built
    assert b'Push (ntfy): <a href="https://ntfy.sh/acme" rel="noopener">subscribe</a>' in built


# the channels part, without sending --------------------------------------------------------


def test_variables_expand_from_the_environment_only_as_written() -> None:
    assert variables("json://${HOST}:${PORT}/a$$b$c") == ["HOST", "PORT"]
    assert expand("json://${HOST}/a$$b$c", {"HOST": "h"}) == ("json://h/a$b$c", ["h"])
    with pytest.raises(UnsetVariable) as unset:
        expand("${HOST}/${MISSING}", {"HOST": "h"})
    assert unset.value.name == "MISSING"
    with pytest.raises(UnsetVariable):
        expand("${EMPTY}", {"EMPTY": ""})  # an empty secret is a mistake
    for wrong in ("${", "${1X}", "${A B}", "${}"):
        with pytest.raises(VariableError):
            variables(wrong)


@pytest.mark.parametrize(
    ("url", "form", "limit", "titled"),
    [
        ("mailto://127.0.0.1:2525?from=a@b.example&to=c@d.example", "html", None, True),
        ("slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ", "markdown", None, True),
        ("json://127.0.0.1:9/hook?format=text", "text", None, True),
        ("ntfy://acme-status", "text", None, True),
        (f"twilio://AC{'1' * 32}:{'t' * 32}@15551234567/15557654321", "text", 160, False),
        ("mastodon://accesskey@mastodon.social", "text", 500, False),
    ],
)  # fmt: skip
def test_each_service_gets_the_form_it_shows(
    url: str, form: str, limit: int | None, titled: bool
) -> None:
    service = open_service(url, [])
    assert (service.format, service.limit, service.titled) == (form, limit, titled)


def test_what_is_shown_of_a_url_hides_its_secrets() -> None:
    service = open_service(f"json://bot:{SECRET}@127.0.0.1:9/t/{SECRET}x", [f"{SECRET}x"])
    assert SECRET not in service.shown
    assert service.mask(f"error at /t/{SECRET}x") == "error at /t/****"
    assert service.holds_secret
    assert not open_service("ntfy://acme-status", []).holds_secret


def test_the_headline_is_said_once_with_or_without_a_title() -> None:
    page = one_incident("Sign-in fails", "Some customers cannot sign in.", [])
    composer = Composer(page.config, Routes(page.config.url))
    incident = page.incidents[0]
    update = incident.updates[0]
    event = Event(update.id, "created", update.at, incident, update, update.status)
    untitled = composer.message(event, "text", titled=False, length=None)
    assert untitled.title == ""
    assert untitled.body.count("Sign-in fails") == 1
    titled = composer.message(event, "text", titled=True, length=None)
    assert titled.title == "Investigating: Sign-in fails - Acme Cloud Status"
    assert "Sign-in fails" not in titled.body


def test_check_refuses_a_channel_that_can_never_receive_anything(repo: Repo) -> None:
    repo.write(
        "site_config.yml",
        channels(
            "id: planned\nurl: ntfy://${NTFY_TOPIC}\nevents: [maintenance]\nmin_impact: major"
        ),
    )
    assert repo.check() == [
        "site_config.yml:20:19: error: this channel would never receive anything: maintenance "
        "counts as impact none; remove min_impact, or add the incident events it should receive"
    ]

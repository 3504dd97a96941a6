"""One way to write for readers (``outputs/writing.py``): what the page says, a feed entry,
the embed page, an email and a text message say in the same words and the same markup."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import feedparser  # type: ignore[import-untyped]
import pytest

from generator.core.model import StatusPage
from generator.core.routes import Routes
from generator.input.theme import theme_dirs
from generator.input.validate import load_repository
from generator.notify.events import Event
from generator.notify.messages import Composer
from generator.outputs.markup import to_text
from generator.outputs.writing import Writing, text
from tests.conftest import CONFIG, Repo
from tests.example import REFERENCE, REFERENCE_TIME

SITE = CONFIG.replace(
    "  timezone: Europe/Berlin\n",
    "  timezone: Europe/Berlin\n"
    "  support_url: https://acme.example/support\n"
    "  links:\n"
    '    - {name: Acme & Co, url: "https://acme.example/?a=1&b=2"}\n',
)

INCIDENT = """\
title: Some customers cannot sign in
impact: major
components:
  auth: partial_outage
  api: degraded_performance
regions: [EU, US East]
updates:
  - at: 2026-11-24T09:41:00Z
    status: investigating
    message: Some customers in the EU cannot sign in.
  - at: 2026-11-24T10:05:00Z
    status: identified
    message: A certificate expired; we are **renewing** it.
    next_update: 2026-11-24T11:00:00Z
    components:
      api: operational
"""


@dataclass
class Built:
    root: Path
    site: Path
    page: StatusPage

    def read(self, path: str) -> str:
        return (self.site / path).read_text(encoding="utf-8")


@pytest.fixture
def built(repo: Repo) -> Built:
    repo.config(SITE)
    repo.incident("sign-in", INCIDENT)
    result = repo.run("build", "--now", REFERENCE, "--out", "site", "--no-cache")
    assert result.exit_code == 0, result.output
    repository = load_repository(repo.root)
    assert repository.config is not None
    page = StatusPage.at(repository.config, repository.incidents, REFERENCE_TIME)
    return Built(repo.root, repo.root / "site", page)


def first(pattern: str, html: str) -> str:
    """The first match (a part that time changes is on the page once for each state)."""
    found = re.findall(pattern, html, re.S)
    assert found, pattern
    return str(found[0])


def test_every_update_reads_in_the_feeds_as_on_its_page(built: Built) -> None:
    page = built.read("incidents/sign-in/index.html")
    entries = feedparser.parse(built.read("updates.atom")).entries
    assert len(entries) == 2
    for entry in entries:
        update = entry.link.split("#")[1]
        assert f'<li id="{update}">\n{entry.content[0].value}</li>' in page
    whole = feedparser.parse(built.read("history.atom")).entries[0].content[0].value
    assert whole == "".join(e.content[0].value for e in entries)  # newest first, as the page
    assert "Next update promised by" in whole and "Public API: operational" in whole


def test_an_email_and_a_text_say_what_the_front_page_says(built: Built) -> None:
    composer = Composer(built.page.config, Routes(built.page.config.url))
    incident = built.page.incidents[0]
    latest = incident.latest_update
    event = Event(latest.id, "updated", latest.at, incident, latest, latest.status)
    email = composer.message(event, "html", True, None).body
    message = composer.message(event, "text", True, None).body
    front = built.read("index.html")
    # what is affected and where (the API back, with the incident still open)
    scope = first(r'<p class="sg-scope">(.*?)</p>', front)
    assert scope.startswith(
        '<span class="sg-k">Affected:</span> Sign-in (partial outage), Public API (operational)'
    )
    assert scope in email
    assert text(scope) in message
    assert "Where: EU, US East" in message
    # the promise of the next update
    promise = first(r'<p class="sg-next">(.*?)</p>', front)
    assert f"<p>{promise}</p>" in email
    assert text(promise) == "Next update by 12:00\u202fPM CET"  # the build's day
    assert text(promise) in message
    # the update itself, through the same Markdown
    assert "<p>A certificate expired; we are <strong>renewing</strong> it.</p>" in email
    assert "<strong>renewing</strong>" in front


def test_the_embed_page_tells_the_time_and_the_status_as_the_front_page(built: Built) -> None:
    front, embed = built.read("index.html"), built.read("embed/index.html")
    as_of = first(r"<p>(As of <time [^>]*>[^<]*</time>)</p>", front)
    assert as_of in embed
    since = first(r'data-sg="since">([^<]*)</time>', front)
    assert "Identified, since <time" in embed and since in embed


def test_the_footer_is_the_one_fragment_on_every_page(built: Built) -> None:
    footer = Writing(built.page.config, theme_dirs(built.root)).footer()
    assert footer == (
        '<a href="https://acme.example/?a=1&amp;b=2">Acme &amp; Co</a> · '
        '<a href="https://acme.example/support">Contact support</a> · Powered by statusgen'
    )
    for page in ("index.html", "history/index.html", "incidents/sign-in/index.html", "404.html"):
        assert footer in built.read(page), page


def test_a_sites_own_theme_rewrites_a_sentence_everywhere(repo: Repo, built: Built) -> None:
    """A site that overrides macros.html changes the page, the feeds and the emails alike."""
    macros = (theme_dirs(built.root)[-1] / "statusgen" / "macros.html").read_text("utf-8")
    own = macros.replace('_("Affected:")', '_("Impacted:")')
    assert own != macros
    repo.write("theme/statusgen/macros.html", own)
    result = repo.run("build", "--now", REFERENCE, "--out", "site", "--no-cache")
    assert result.exit_code == 0, result.output
    assert "Impacted:" in built.read("index.html")
    composer = Composer(built.page.config, Routes(built.page.config.url))
    incident = built.page.incidents[0]
    event = Event(incident.latest_update.id, "updated", incident.latest_update.at, incident,
                  incident.latest_update, incident.latest_update.status)  # fmt: skip
    assert "Impacted: Sign-in (partial outage)" in composer.message(event, "text", True, None).body


def test_plain_text_joins_japanese_lines_and_keeps_the_spaces_an_author_typed() -> None:
    """A line break between two Japanese or Chinese characters is no space (CSS Text's
    rule), in a template's sentences as in an incident's Markdown; a space typed between
    two words is the author's, in any language."""
    assert text("影響：大。<br>\n影響範囲：Sign-in") == "影響：大。影響範囲：Sign-in"
    assert text("Major impact.<br>\nAffected: Sign-in") == "Major impact. Affected: Sign-in"
    assert text("東京 リージョン、大阪 リージョン") == "東京 リージョン、大阪 リージョン"
    assert to_text("一部のお客様が\nサインインできません。\nEU only\nfor now") == (
        "一部のお客様がサインインできません。 EU only for now"  # Latin beside: a space, as CSS
    )


def test_an_arabic_email_reads_right_to_left(repo: Repo) -> None:
    config = SITE.replace("site:\n", "site:\n  language: ar\n")
    repo.config(config)
    repo.incident("sign-in", INCIDENT)
    repository = load_repository(repo.root)
    assert repository.config is not None
    page = StatusPage.at(repository.config, repository.incidents, REFERENCE_TIME)
    incident = page.incidents[0]
    latest = incident.latest_update
    event = Event(latest.id, "updated", latest.at, incident, latest, latest.status)
    email = Composer(page.config, Routes(page.config.url)).message(event, "html", True, None)
    assert email.body.startswith('<div lang="ar" dir="rtl">') and email.body.endswith("</div>")


def test_templates_call_functions_as_jinja_would(tmp_path: Path) -> None:
    """The environment's shorter call (writing._Context) passes the context, the
    environment and the evaluation context to what asks for them, calls the rest at once,
    and turns a StopIteration into an undefined value, as Jinja's own call does."""
    from zoneinfo import ZoneInfo

    from jinja2 import pass_context, pass_environment, pass_eval_context

    from generator.language import words
    from generator.outputs.writing import environment

    (tmp_path / "t.html").write_text(
        "{% macro twice(x) %}{{ x }}{{ x }}{% endmacro %}"
        "{{ plain(1, b=2) }}|{{ method() }}|{{ ctx() }}|{{ env_() }}|{{ ev() }}|"
        "{{ twice('a') }}|{{ stop() is undefined }}|{% for i in [1] %}{{ loop_ctx() }}{% endfor %}",
        encoding="utf-8",
    )
    env = environment([tmp_path], words("en"), ZoneInfo("UTC"), {})

    class Thing:
        def method(self) -> str:
            return "method"

    def stop() -> None:
        raise StopIteration

    env.globals.update(
        plain=lambda a, b: f"plain {a} {b}",
        method=Thing().method,
        ctx=pass_context(lambda context: context["marker"]),
        env_=pass_environment(lambda environment: environment is env),
        ev=pass_eval_context(lambda eval_context: eval_context.autoescape),
        stop=stop,
        loop_ctx=pass_context(lambda context: "loop" if context.environment is env else "?"),
    )
    shown = env.get_template("t.html").render(marker="context")
    assert shown == "plain 1 2|method|context|True|True|aa|True|loop"

"""What an attacker and an engineer under stress found, one regression test per finding.

Each test failed before its fix. The rules they pin: one text rule, one URL rule, one path
rule, one write rule (stage beside the target, never write into a live file), one time
range (1970 to 2999). The write rule's tests (sections 3, 4, 5, 9 and 16) are in
test_hardening_writes.py.
"""

from __future__ import annotations

import errno
import html.parser
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from generator.cli import main
from tests.conftest import INCIDENT, Repo, dedent
from tests.example import ROOT
from tests.sites import render_outputs, write_repository
from tests.trees import snapshot

NOW = "2026-11-24T10:30:00Z"
ID = "2026-11-20-sign-in"


def build(repo: Repo, *args: str) -> None:
    result = repo.run("build", "--now", NOW, *args)
    assert result.exit_code == 0, result.output


# 1. a control character ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("escape", "named"),
    [
        ("\\e", "U+001B (ESC)"),
        ("\\x01", "U+0001"),
        ("\\x1f", "U+001F"),
        ("\\uFFFE", "U+FFFE"),
        ("\\uFFFF", "U+FFFF"),
        ("\\0", "U+0000 (NUL)"),
    ],
)
def test_a_control_character_fails_check_with_its_place(
    repo: Repo, escape: str, named: str
) -> None:
    repo.incident(
        ID,
        INCIDENT + f'  - at: 2026-11-20T10:00:00Z\n    message: "Errors: {escape}[31mHTTP 502"\n',
    )
    lines = repo.check()
    assert len(lines) == 1
    assert lines[0].startswith(f"incidents/{ID}.yml:10:14: error: the text contains ")
    assert named in lines[0] and "pasted terminal colours" in lines[0]
    assert repo.run("build", "--now", NOW).exit_code == 1  # refused by the check, no traceback


def test_a_raw_control_character_is_placed_too(repo: Repo) -> None:
    repo.incident(ID, INCIDENT.replace("cannot sign in.", "cannot\x07 sign in."))
    assert repo.check() == [
        f"incidents/{ID}.yml:8:45: error: the file contains U+0007 (BEL), which is not allowed "
        "in text; remove it: control characters (such as pasted terminal colours) cannot be shown"
    ]


def test_update_refuses_a_message_with_terminal_colours(repo: Repo) -> None:
    path = repo.incident(ID)
    before = path.read_bytes()
    result = repo.run("update", ID, "--message", "Errors: \x1b[31mHTTP 502\x1b[0m")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: the message contains the control character U+001B (ESC) at character 9; "
        "remove it: control characters (such as pasted terminal colours) cannot be shown\n"
    )
    assert path.read_bytes() == before


def test_tab_and_line_breaks_are_text(repo: Repo) -> None:
    repo.incident(ID, INCIDENT + '  - at: 2026-11-20T10:00:00Z\n    message: "a\\tb\\nc"\n')
    assert repo.check() == []
    build(repo)
    repo.incident(ID, (INCIDENT + "  - at: 2026-11-20T10:00:00Z\n    message: Windows\n"))
    path = repo.root / "incidents" / f"{ID}.yml"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))  # line endings: fine
    assert repo.check() == []


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ('"a\\rb"', "the control character U+000D at character 2"),
        ('"\\x85"', "the control character U+0085"),
        ('"\\x9b[31m"', "the control character U+009B"),
        ("\ufdd0 raw", "U+FDD0"),
        ('"\\U0010FFFF"', "the character U+10FFFF"),
    ],
)
def test_other_controls_and_noncharacters_are_refused(repo: Repo, text: str, named: str) -> None:
    repo.incident(ID, INCIDENT + f"  - at: 2026-11-20T10:00:00Z\n    message: {text}\n")
    (line,) = repo.check()
    assert named in line


# 2. relative paths -------------------------------------------------------------------------


def test_relative_root_and_out(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    repo.incident(ID)
    monkeypatch.chdir(repo.root.parent)
    name = repo.root.name
    for args in (["--root", name], ["--root", name, "--out", f"{name}/public"]):
        for _ in range(2):  # the second build places pages from the cache
            result = CliRunner().invoke(
                main, ["build", *args, "--now", NOW], catch_exceptions=False
            )
            assert result.exit_code == 0, result.output
    assert (repo.root / "site/index.html").is_file()
    assert (repo.root / "public/index.html").is_file()


# 6. links that leave the repository -------------------------------------------------------------


def test_an_incident_linked_outside_is_never_read(repo: Repo, tmp_path: Path) -> None:
    secret = tmp_path.parent / f"{tmp_path.name}-id_ed25519"
    secret.write_text("-----BEGIN OPENSSH PRIVATE KEY-----\nkey-material-42\n", encoding="utf-8")
    (repo.root / "incidents").mkdir()
    (repo.root / "incidents/x.yml").symlink_to(secret)
    result = repo.run("check", "--format", "github")
    assert result.exit_code == 1
    assert "key-material" not in result.output and "OPENSSH" not in result.output
    assert result.stdout == (
        "::error file=incidents/x.yml,line=1,col=1,title=statusgen check::this is a link to a "
        "file outside the repository; statusgen reads nothing there; copy the file into the "
        "repository, or remove the link\n"
    )


def test_a_theme_file_linked_outside_is_never_published(repo: Repo) -> None:
    repo.incident(ID)
    (repo.root / "theme/assets").mkdir(parents=True)
    (repo.root / "theme/assets/env.txt").symlink_to("/proc/self/environ")
    result = repo.run("build", "--now", NOW)
    assert result.exit_code == 1
    assert "theme/assets/env.txt:1:1: error: this is a link to a file outside" in result.stderr
    assert not (repo.root / "site").exists()


def test_links_inside_the_repository_are_fine(repo: Repo) -> None:
    repo.write("drafts/sign-in.yml", INCIDENT)
    (repo.root / "incidents").mkdir()
    (repo.root / "incidents" / f"{ID}.yml").symlink_to(repo.root / "drafts/sign-in.yml")
    assert repo.check() == []
    build(repo)


# 7. the API body is inert --------------------------------------------------------------------


class _Tags(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)


def test_api_bodies_hold_no_tag_a_client_could_run(tmp_path: Path) -> None:
    text = dedent(
        """\
        title: Sign-in fails
        impact: major
        components: [auth]
        updates:
          - at: 2026-11-24T10:00:00Z
            message: "Run `<script src=x onerror=alert(1)></script>` now. &lt;img src=x onerror=alert(2)&gt; <!-- x --> a < b"
        """  # noqa: E501
    )
    site = render_outputs(write_repository(tmp_path, {"2026-11-24-x": text}))
    summary = json.loads((site / "api/v2/summary.json").read_text(encoding="utf-8"))
    body = summary["incidents"][0]["incident_updates"][0]["body"]
    parser = _Tags()
    parser.feed(body)
    assert parser.tags == []
    assert "\uff1cscript src=x onerror=alert(1)>\uff1c/script>" in body  # still readable
    assert body.endswith("a < b")


# 8. URLs and attributes ------------------------------------------------------------------------


def test_a_base_url_with_markup_is_refused(repo: Repo) -> None:
    repo.incident(ID)
    result = repo.run("build", "--base-url", 'https://x/"><script>alert(2)</script>')
    assert result.exit_code == 2
    assert "is not a usable URL: it contains '\"'" in result.stderr
    assert not (repo.root / "site").exists()


def test_the_site_name_is_escaped_once_in_every_attribute(repo: Repo) -> None:
    repo.change_config("Acme Cloud Status", 'AT&T "Status" <1>')
    repo.incident(ID)
    build(repo)
    page = (repo.root / "site/index.html").read_text(encoding="utf-8")
    assert 'title="AT&amp;T &quot;Status&quot; &lt;1&gt;"' in page
    assert "&amp;amp;" not in page and "&amp;quot;" not in page and "<1>" not in page


# 11. no traceback ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (
            "title: t\nimpact: major\ncomponents: [nothing]\nupdates:\n"
            "  - {at: 2026-11-20T09:00:00Z, message: m}\n",
            "unknown component 'nothing'",
        ),
        (
            'title: t\nimpact: major\n"<<": 1\nupdates:\n'
            "  - {at: 2026-11-20T09:00:00Z, message: m}\n",
            "unknown key '<<'",
        ),
        (
            "title: t\nimpact: major\nupdates:\n  - {at: 9999-12-31T23:00:00-05:00, message: m}\n",
            "'9999-12-31T23:00:00-05:00' is outside the supported range of times; "
            "statusgen takes times from 1970 to 2999",
        ),
        (
            "title: t\nimpact: major\nupdates:\n"
            "  - {at: 2026-11-20T09:00:00Z, message: m, next_update: 9999-12-31T23:59:59Z}\n",
            "outside the supported range of times",
        ),
        (
            "title: t\nimpact: major\nupdates:\n  - {at: 1969-12-31T23:59:59Z, message: m}\n",
            "outside the supported range of times",
        ),
        (
            "title: t\nimpact: major\nupdates:\n"
            "  - {at: '1970-01-01T00:30:00+01:00', message: m}\n",
            "outside the supported range of times",
        ),
    ],
)
def test_odd_input_is_an_error_not_a_traceback(repo: Repo, text: str, says: str) -> None:
    repo.config("site: {name: S, url: 'https://s.example/'}\n")
    repo.incident("x", text)
    lines = repo.check()
    assert len(lines) == 1 and says in lines[0], lines
    assert repo.run("build").exit_code == 1


def test_the_latest_supported_time_builds(repo: Repo) -> None:
    repo.incident(
        ID,
        INCIDENT + "    next_update: 2999-12-31T23:59:59Z\n",
    )
    assert repo.check() == []
    build(repo)


@pytest.mark.parametrize("now", ["0001-01-01 00:00", "1969-12-31T23:00:00Z", "3000-01-01"])
def test_now_out_of_range_is_a_usage_error(repo: Repo, now: str) -> None:
    repo.incident(ID)
    result = repo.run("build", "--now", now)
    assert result.exit_code == 2
    assert "outside the supported range of times" in result.stderr


@pytest.mark.parametrize("epoch", ["-5", "99999999999", "1e9"])
def test_source_date_epoch_out_of_range(
    repo: Repo, monkeypatch: pytest.MonkeyPatch, epoch: str
) -> None:
    repo.incident(ID)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    result = repo.run("build")
    assert result.exit_code == 2
    assert "not a whole number of seconds from 1970 to 2999" in result.stderr


def test_an_out_that_cannot_be_made_is_said(repo: Repo) -> None:
    repo.incident(ID)
    repo.write("blocked", "a file, not a folder")
    result = repo.run("build", "--now", NOW, "--out", "blocked/site")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: the site was not built: cannot write blocked/site: blocked is a file, "
        "not a folder\n"
    )


def test_a_parent_without_permission_is_said(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    repo.incident(ID)

    def denied(**_: Any) -> str:
        raise PermissionError(errno.EACCES, "Permission denied", str(repo.root))

    monkeypatch.setattr("tempfile.mkdtemp", denied)
    result = repo.run("build", "--now", NOW)
    assert result.exit_code == 1
    assert result.stderr.endswith(": Permission denied\n")
    assert "Traceback" not in result.output


def test_a_full_disk_during_update_changes_nothing(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = repo.incident(ID)
    before = path.read_bytes()

    def write_bytes(self: Path, data: bytes) -> int:  # the temporary file, half written
        with self.open("wb") as stream:
            stream.write(data[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", write_bytes)
    result = repo.run("update", ID, "--message", "Still investigating.")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: cannot write incidents/{ID}.yml: the disk is full; the file was not changed\n"
    )
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left


# 12. check passes, build fails --------------------------------------------------------------------


def test_an_id_too_long_for_a_file_name_fails_check(repo: Repo) -> None:
    repo.incident("x", f"id: {'a' * 256}\n" + INCIDENT)
    (line,) = repo.check()
    assert line.startswith("incidents/x.yml:1:5: error: 'aaaa")
    assert line.endswith("is not a valid id; use at most 128 letters, digits, '-' and '_'")
    repo.incident("x", f"id: {'a' * 128}\n" + INCIDENT)
    assert repo.check() == []
    build(repo)


def test_update_refuses_to_grow_a_file_past_the_limit(repo: Repo) -> None:
    filler = "x" * (1024 * 1024 - 600)
    path = repo.incident(ID, INCIDENT + f"workaround: {filler}\n")
    assert repo.check() == []
    before = path.read_bytes()
    result = repo.run("update", ID, "--message", "Still investigating. " * 40)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: incidents/{ID}.yml would be 1024 KiB, over the limit of 1024 KiB; nothing was "
        "written; start a new incident that links to this one, or shorten the messages\n"
    )
    assert path.read_bytes() == before


# 15. a file name ending in a newline --------------------------------------------------------------


def test_a_file_name_ending_in_a_newline_is_no_id(repo: Repo) -> None:
    repo.incident("x\n")
    result = repo.run("check")
    assert result.exit_code == 1
    assert "is not a valid incident id" in result.stdout


# 13. daylight saving, beyond uptime ---------------------------------------------------------------


def test_durations_across_a_daylight_saving_change_count_real_hours(repo: Repo) -> None:
    """From 01:30 to 03:30 in Berlin on 29 March 2026 is one hour (02:00 never happens)."""
    repo.incident(
        "2026-03-29-night",
        """\
        title: Sign-in fails
        impact: major
        components: [auth]
        updates:
          - at: 2026-03-29 01:30
            message: Some customers cannot sign in.
          - at: 2026-03-29 03:30
            status: resolved
            message: Sign-in works again for everyone. We are sorry.
        """,
    )
    build(repo)
    page = (repo.root / "site/incidents/2026-03-29-night/index.html").read_text(encoding="utf-8")
    assert "after 1 hr</dd>" in page


# issue 20, 13. direction controls ----------------------------------------------------------------

#: The embeddings and overrides, then the isolates; all refused, in every text.
DIRECTION_CONTROLS = [
    ("\\u202A", "U+202A (LEFT-TO-RIGHT EMBEDDING"),
    ("\\u202B", "U+202B (RIGHT-TO-LEFT EMBEDDING"),
    ("\\u202C", "U+202C (POP DIRECTIONAL FORMATTING"),
    ("\\u202D", "U+202D (LEFT-TO-RIGHT OVERRIDE"),
    ("\\u202E", "U+202E (RIGHT-TO-LEFT OVERRIDE"),
    ("\\u2066", "U+2066 (LEFT-TO-RIGHT ISOLATE"),
    ("\\u2067", "U+2067 (RIGHT-TO-LEFT ISOLATE"),
    ("\\u2068", "U+2068 (FIRST STRONG ISOLATE"),
    ("\\u2069", "U+2069 (POP DIRECTIONAL ISOLATE"),
]
WHY = "a direction control that can show the text after it reversed"


@pytest.mark.parametrize(
    ("escape", "named"), DIRECTION_CONTROLS, ids=[named[:6] for _, named in DIRECTION_CONTROLS]
)
def test_a_direction_control_in_a_title_fails_check_with_its_place(
    repo: Repo, escape: str, named: str
) -> None:
    """A title ending in U+202E would show the status drawn after it backwards."""
    repo.incident(
        ID, INCIDENT.replace("title: Some customers cannot sign in", f'title: "Fine{escape}"')
    )
    assert repo.check() == [
        f"incidents/{ID}.yml:1:8: error: the text contains the character {named}, {WHY}) "
        "at character 5; remove it: control characters (such as pasted terminal colours) "
        "cannot be shown"
    ]
    assert repo.run("build", "--now", NOW).exit_code == 1


@pytest.mark.parametrize(
    ("file", "before", "after", "place"),
    [
        ("site_config.yml", "name: Acme Cloud Status", 'name: "Acme\\u202E"', "2:9"),
        ("site_config.yml", "name: Public API", 'name: "API\\u202E"', "7:11"),
        ("site_config.yml", "group: Platform", 'group: "Platform\\u2067"', "8:12"),
        (
            f"incidents/{ID}.yml",
            "  auth: partial_outage",
            '  auth: partial_outage\nregions: ["EU\\u202D"]',
            "5:11",
        ),
        (
            f"incidents/{ID}.yml",
            "message: Some customers in the EU cannot sign in.",
            'message: "\\u202BSome customers in the EU cannot sign in."',
            "8:14",
        ),
    ],
    ids=["site name", "component name", "group name", "region", "message"],
)
def test_a_direction_control_is_refused_in_every_text(
    repo: Repo, file: str, before: str, after: str, place: str
) -> None:
    repo.incident(ID)
    path = repo.root / file
    text = path.read_text(encoding="utf-8")
    assert before in text
    path.write_text(text.replace(before, after, 1), encoding="utf-8")
    lines = repo.check()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{file}:{place}: error: the text contains the character U+")
    assert WHY in lines[0]


def test_a_raw_direction_control_is_placed_even_in_a_comment(repo: Repo) -> None:
    repo.incident(ID, INCIDENT.replace("impact: major", "impact: major  # \u202eenod"))
    assert repo.check() == [
        f"incidents/{ID}.yml:2:18: error: the file contains U+202E (RIGHT-TO-LEFT OVERRIDE, "
        f"{WHY}), which is not allowed in text; remove it: control characters (such as pasted "
        "terminal colours) cannot be shown"
    ]


def test_new_refuses_a_direction_control_and_writes_nothing(repo: Repo) -> None:
    before = snapshot(repo.root)
    title = repo.run("new", "Sign-in fails\u202e", "--message", "Some cannot sign in.")
    assert title.exit_code == 1
    assert title.stderr == (
        f"Error: the title contains the character U+202E (RIGHT-TO-LEFT OVERRIDE, {WHY}) at "
        "character 14; remove it: control characters (such as pasted terminal colours) "
        "cannot be shown\n"
    )
    region = repo.run("new", "Sign-in fails", "--region", "EU\u2066", "--message", "Some.")
    assert region.exit_code == 1 and "U+2066 (LEFT-TO-RIGHT ISOLATE" in region.stderr
    message = repo.run("new", "Sign-in fails", "--message", "Fixed\u202b. Resolved")
    assert message.exit_code == 1 and "U+202B (RIGHT-TO-LEFT EMBEDDING" in message.stderr
    assert snapshot(repo.root) == before


def test_direction_marks_are_text(repo: Repo) -> None:
    """LRM, RLM and ALM open nothing: right-to-left writers need them, so they stay."""
    title = "تعذّر تسجيل الدخول (SSO)\u200f \u200e\u061c"
    repo.incident(ID, INCIDENT.replace("Some customers cannot sign in", f'"{title}"'))
    assert repo.check() == []
    build(repo)
    summary = json.loads((repo.root / "site/api/v2/summary.json").read_text(encoding="utf-8"))
    assert [i["name"] for i in summary["incidents"]] == [title]


def test_an_imported_direction_control_is_removed_not_refused(repo: Repo, tmp_path: Path) -> None:
    github = ROOT / "tests/reference/import/statuspage/www.githubstatus.com"
    data = json.loads((github / "incidents/00km0kwpz23b.json").read_text(encoding="utf-8"))
    data["incident"]["name"] = "Incident with Actions\u202e devloser"
    data["incident"]["incident_updates"][0]["body"] = "\u2067This incident\u2069 has been resolved."
    source = tmp_path / "crafted.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    result = repo.run("import", "statuspage", str(source))
    assert result.exit_code == 0, result.output
    [path] = (repo.root / "incidents").rglob("*00km0kwpz23b.yml")
    text = path.read_text(encoding="utf-8")
    assert "title: Incident with Actions devloser\n" in text
    assert "This incident has been resolved." in text
    assert repo.check() == []

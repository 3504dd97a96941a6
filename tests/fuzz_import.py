"""Fuzzing ``statusgen import``: Statuspage responses and cState sites, mostly of the shapes
the tools write with hostile values in them, now and then garbage, and the laws every one of
them must obey.

1. No traceback: the import exits 0, or 1 with a message.
2. On exit 1 nothing is written in the repository.
3. On exit 0 every written file passes ``statusgen check``, and importing again writes the
   same bytes.
4. No secret (the API key in ``$STATUSPAGE_API_KEY``) and no phone number (from a field the
   importer has no use for) in its output or in what it wrote.

``INPUTS`` generates sources, ``check`` applies the laws to one of them, in process (click's
``CliRunner`` and ``generator.cli.main``), in a tiny repository: a few milliseconds each.
``tests/test_import.py`` runs a quick profile; the long one runs from ``benchmarks/fuzz.py``.
"""

from __future__ import annotations

import json
import traceback
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result
from hypothesis import strategies as st

from generator.cli import main
from tests.fuzzing import IDS, ODD_TIMES, PAYLOADS, SCALARS, TEXT, mostly, render, written
from tests.trees import snapshot

SECRET = "sp-fuzz-key-7f3a9c0d1e2b"
PHONE = "+1 415 555 0199"
CONFIG = """\
site:
  name: Fuzz Status
  url: https://status.fuzz.example/
  timezone: UTC
components: []
"""
#: What each import did, by source kind and exit code: the quick profile checks that the
#: generated sources reach both ends.
OUTCOMES: Counter[tuple[str, int]] = Counter()


@dataclass
class Source:
    """One generated source: its files (relative path to bytes), and how it is named."""

    kind: str  # statuspage or cstate
    files: dict[str, bytes] = field(default_factory=dict)
    #: Whether the repository has a site_config.yml (else the import makes one).
    configured: bool = True
    #: Statuspage: name the folder rather than each file.
    folder: bool = False


T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
JSON_JUNK = st.one_of(
    SCALARS,
    st.text(max_size=8),
    st.sampled_from(PAYLOADS),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
ZONES = st.sampled_from(["Z", "+00:00", "-07:00", "-08:00", "+05:30", "+14:00"])
HOSTILE_TIMES = st.one_of(
    ODD_TIMES,
    st.sampled_from(
        ["2026-11-20T09:00:00", "0001-01-01T00:00:00Z", "2026-13-45T00:00:00Z", "", " "]
    ),
)


def rarely(valid: st.SearchStrategy[Any], hostile: st.SearchStrategy[Any], odds: int = 48) -> Any:
    """``valid``, but for one time in ``odds``: for the many values of a response, of which
    one hostile is enough to refuse it, so that most responses still reach the writer."""
    return st.integers(1, odds).flatmap(lambda n: hostile if n == odds // 2 else valid)


def _stamp(moment: datetime, zone: str, milliseconds: bool) -> str:
    text = written(moment, zone)
    if milliseconds and zone == "Z":
        text = text.replace("Z", f".{moment.microsecond // 1000:03d}Z")
    return text


@st.composite
def sp_times(draw: st.DrawFn, moment: datetime) -> Any:
    """``moment`` as Statuspage writes it, in one of the offsets it uses; or an odd value."""
    return draw(rarely(st.builds(_stamp, st.just(moment), ZONES, st.booleans()), HOSTILE_TIMES))


def _mutated(draw: st.DrawFn, record: dict[str, Any], odds: int) -> dict[str, Any]:
    """``record`` with, one time in ``odds``, a key gone or its value of a wrong type."""
    if record and draw(st.integers(1, odds)) == odds // 2:
        key = draw(st.sampled_from(sorted(record)))
        if draw(st.booleans()):
            del record[key]
        else:
            record[key] = draw(JSON_JUNK)
    return record


#: A body: text, or HTML as the migrated timelines of old pages are (now and then nested
#: deeper than markdownify can recurse).
BODIES = st.one_of(
    TEXT,
    st.builds("<ul><li><strong>2011-07-28 03:06:00</strong> - {}</li></ul>".format, TEXT),
    rarely(st.just("<p>a <b>x</b></p>"), st.just("<div>" * 3000 + "x"), 16),
)
HUGE = "x" * (1024 * 1024 + 10)  # more than a file may hold
COMPONENT_IDS = mostly(st.sampled_from(["api0001", "web0001", "db00001"]), IDS)


@st.composite
def sp_components(draw: st.DrawFn) -> list[Any]:
    grouped = draw(st.booleans())
    items: list[Any] = []
    if grouped:
        items.append({"id": "grp0001", "name": draw(TEXT), "group": True, "group_id": None})
    for _ in range(draw(st.integers(0, 3))):
        component = {
            "id": draw(COMPONENT_IDS),
            "name": draw(TEXT),
            "description": draw(st.one_of(st.none(), TEXT)),
            "group": False,
            "group_id": draw(st.sampled_from(["grp0001", "grp9999", None])) if grouped else None,
            "status": "operational",
        }
        items.append(_mutated(draw, component, 32))
    return draw(rarely(st.just(items), JSON_JUNK))


@st.composite
def sp_incidents(draw: st.DrawFn) -> Any:
    maintenance = draw(st.integers(0, 3)) == 0
    statuses = (
        ["scheduled", "in_progress", "verifying", "completed"]
        if maintenance
        else ["investigating", "identified", "monitoring", "resolved", "postmortem"]
    )
    # few distinct times, so that updates share them as back-dated ones do
    minutes = sorted(draw(st.lists(st.integers(0, 4), max_size=4)))
    updates: list[Any] = []
    for number, minute in enumerate(minutes):
        shown = T0 + timedelta(minutes=10 * minute)
        created = shown + timedelta(minutes=draw(st.integers(0, 30)))
        body = draw(BODIES if number else rarely(BODIES, st.just(HUGE), 32))
        update = {
            "id": f"upd{number}",
            "status": draw(mostly(st.sampled_from(statuses), TEXT)),
            "body": body,
            "created_at": draw(sp_times(created)),
            "display_at": draw(sp_times(shown)),
            "affected_components": draw(
                st.one_of(
                    st.none(),
                    st.lists(
                        st.fixed_dictionaries(
                            {
                                "code": COMPONENT_IDS,
                                "old_status": st.just("operational"),
                                "new_status": mostly(
                                    st.sampled_from(["major_outage", "partial_outage"]), TEXT
                                ),
                            }
                        ),
                        max_size=2,
                    ),
                )
            ),
        }
        updates.append(_mutated(draw, update, 48))
    updates.reverse()  # Statuspage lists the newest first
    incident: dict[str, Any] = {
        "id": draw(mostly(st.sampled_from(["inc0001", "inc0002", "2026-11-20-x"]), IDS)),
        "name": draw(TEXT),
        "status": draw(mostly(st.sampled_from(statuses), TEXT)),
        "impact": draw(mostly(st.sampled_from(["none", "minor", "major", "critical"]), TEXT)),
        "created_at": draw(sp_times(T0)),
        "updated_at": draw(sp_times(T0 + timedelta(hours=draw(st.integers(0, 3))))),
        "components": draw(sp_components()),
        "incident_updates": draw(rarely(st.just(updates), JSON_JUNK)),
        "metadata": {"on_call": {"phone": PHONE}},  # of no use to an import
    }
    optional = {
        "resolved_at": sp_times(T0 + timedelta(minutes=45)),
        "started_at": sp_times(T0 - timedelta(minutes=draw(st.integers(-20, 20)))),
        "postmortem_body": TEXT,
        "shortlink": mostly(st.just("https://stspg.io/x"), TEXT),
    }
    if maintenance:
        optional["scheduled_for"] = sp_times(T0)
        optional["scheduled_until"] = sp_times(T0 + timedelta(minutes=draw(st.integers(-10, 90))))
    for key, strategy in optional.items():
        if draw(st.integers(0, 2)) > 0:
            incident[key] = draw(strategy)
    return _mutated(draw, incident, 24)


@st.composite
def sp_responses(draw: st.DrawFn) -> bytes:
    page = {
        "id": "acme1",
        "name": draw(TEXT),
        "url": draw(mostly(st.just("https://status.acme.example"), TEXT)),
        "updated_at": draw(sp_times(T0 + timedelta(days=draw(st.integers(0, 3))))),
    }
    shape = draw(st.sampled_from(["incident", "incidents", "summary", "components"]))
    response: dict[str, Any] = {"page": draw(rarely(st.just(page), JSON_JUNK))}
    if shape == "incident":
        response["incident"] = draw(sp_incidents())
    elif shape == "incidents":
        response["incidents"] = draw(st.lists(sp_incidents(), max_size=2))
    else:
        response["components"] = draw(sp_components())
    if shape == "summary":
        response["incidents"] = draw(st.lists(sp_incidents(), max_size=2))
        response["scheduled_maintenances"] = draw(st.lists(sp_incidents(), max_size=1))
    response = _mutated(draw, response, 24)
    text = json.dumps(response, ensure_ascii=draw(st.booleans()))
    saved: bytes = draw(
        mostly(
            st.just(text.encode("utf-8", "surrogatepass")),  # a lone surrogate: not UTF-8
            st.one_of(
                st.binary(max_size=40),
                st.just(b'{"incident": ' + b"[" * 50_000 + b"]" * 50_000 + b"}"),
                st.just(b'{"incident": {"id": ' + b"9" * 5000 + b"}}"),
                st.just(b"<html><body>502 Bad Gateway</body></html>"),
                st.integers(0, len(text)).map(lambda n: text[:n].encode("utf-8", "replace")),
            ),
        )
    )
    return saved


@st.composite
def statuspage_sources(draw: st.DrawFn) -> Source:
    source = Source("statuspage", configured=draw(st.integers(0, 3)) > 0)
    source.folder = draw(st.booleans())
    for number in range(draw(st.integers(1, 3))):
        source.files[f"saved/r{number}.json"] = draw(sp_responses())
    return source


# cState ---------------------------------------------------------------------------------------

SYSTEMS = ["API", "Web", "git.sr.ht"]


def _bomb() -> str:
    lines = ["a: &a [" + ", ".join(["lol"] * 10) + "]"]
    for n in range(1, 10):
        lines.append(f"{chr(97 + n)}: &{chr(97 + n)} [" + ", ".join([f"*{chr(96 + n)}"] * 10) + "]")
    return "\n".join(lines) + "\ntitle: *j\n"


#: YAML that statusgen's reader refuses, or that once broke an importer.
HOSTILE_YAML = st.sampled_from(
    [
        _bomb(),
        "title: &t x\nbaseURL: *t\n",
        "date: !!timestamp 2026-11-20\n",
        "title: !!python/object/apply:os.system ['echo hi']\n",
        "title: a\ntitle: b\n",
        "params:\n\tsystems: []\n",
        "date: 2026-13-45\n",
        "date: 2026-11-20 25:61:00\n",
        "[" * 100 + "]" * 100 + "\n",
        "title: \x1b[31mdown\x1b[0m\n",
        'title: "\\e[31m"\n',
        "a: 1\n---\nb: 2\n",
        "",
        "- just\n- a list\n",
        "title: [unclosed\n",
    ]
)


@st.composite
def cs_times(draw: st.DrawFn, moment: datetime) -> Any:
    """A front matter time as cState sites write it (mostly without a zone); or odd."""
    zone = draw(st.sampled_from(["", "", "Z", "-05:00"]))
    valid = moment.strftime("%Y-%m-%d %H:%M:%S") if not zone else written(moment, zone)
    return draw(mostly(st.just(valid), HOSTILE_TIMES))


def _yaml_bytes(draw: st.DrawFn, data: dict[str, Any], raw: dict[str, str]) -> bytes:
    """``data`` as YAML (block style or JSON), ``raw`` lines as written, now and then hostile
    YAML in front, or bytes that are no UTF-8."""
    style = draw(st.integers(0, 2))
    if style == 2:  # block style: the times as cState writes them, unquoted
        text = render(data, 2) + "".join(f"{key}: {value}\n" for key, value in raw.items())
    else:
        text = render({**data, **raw}, style) + "\n"
    if draw(st.integers(0, 15)) == 7:
        text = draw(HOSTILE_YAML) + ("" if style != 2 else text)
    encoded = text.encode("utf-8", "surrogatepass")
    if draw(st.integers(0, 47)) == 23:
        encoded = encoded.replace(b"a", b"\xe4", 1)  # Latin-1, as an old editor saves it
    return encoded


@st.composite
def cs_issue(draw: st.DrawFn) -> bytes:
    start = T0 + timedelta(minutes=draw(st.integers(0, 600)))
    front: dict[str, Any] = {
        "title": draw(mostly(st.sampled_from(["API down", "Planned maintenance"]), TEXT)),
        "severity": draw(mostly(st.sampled_from(["down", "disrupted", "notice"]), TEXT)),
        "affected": draw(
            mostly(st.lists(st.sampled_from([*SYSTEMS, "chat.sr.ht"]), max_size=2), JSON_JUNK)
        ),
        "resolved": draw(mostly(st.booleans(), st.sampled_from(["yes", "maybe", 1, None]))),
        "section": "issue",
    }
    if draw(st.booleans()):
        front["informational"] = draw(mostly(st.booleans(), JSON_JUNK))
    raw: dict[str, Any] = {"date": draw(cs_times(start))}
    if draw(st.booleans()):
        end = start + timedelta(minutes=draw(st.integers(-30, 240)))
        raw["resolvedWhen"] = draw(st.one_of(cs_times(end), st.just("")))
    front = _mutated(draw, front, 12)
    for key in list(raw):  # what cannot stand unquoted goes with the rest
        if not isinstance(raw[key], str) or not raw[key].strip():
            front[key] = raw.pop(key)
    body = ""
    moment = start
    for _ in range(draw(st.integers(0, 3))):
        moment += timedelta(minutes=draw(st.integers(-10, 90)))
        label = draw(st.sampled_from(["**Resolved**", "**Monitoring**", "**Investigating**", ""]))
        track = draw(mostly(st.just(moment.strftime("%Y-%m-%d %H:%M:%S")), HOSTILE_TIMES))
        body += f'{label}:\n{draw(TEXT)}\n{{{{< track "{track}" >}}}}\n\n'
        if draw(st.integers(0, 3)) == 0:
            body += "---\n\n"
    if draw(st.booleans()):
        body += draw(TEXT) + "\n"
    return (
        b"---\n" + _yaml_bytes(draw, front, raw) + b"---\n" + body.encode("utf-8", "surrogatepass")
    )


FILE_NAMES = mostly(
    st.sampled_from(["2026-11-20-api-down", "2026-11-21-planned-maintenance", "outage"]),
    st.text("abcXYZ019 -_.é", min_size=1, max_size=20).filter(lambda n: n.strip(".")),
)


@st.composite
def cstate_sources(draw: st.DrawFn) -> Source:
    systems = [
        _mutated(
            draw,
            {
                "name": draw(mostly(st.sampled_from(SYSTEMS), TEXT)),
                "category": draw(mostly(st.sampled_from(["Platform", "Other"]), TEXT)),
                "description": draw(st.one_of(st.none(), TEXT)),
            },
            12,
        )
        for _ in range(draw(st.integers(0, 3)))
    ]
    config = {
        "title": draw(TEXT),
        "baseURL": draw(mostly(st.just("https://status.acme.example/"), TEXT)),
        "params": {
            "systems": draw(mostly(st.just(systems), JSON_JUNK)),
            "categories": [{"name": "Platform"}, {"name": "Other", "untitled": True}],
        },
    }
    source = Source("cstate", configured=draw(st.integers(0, 3)) > 0)
    source.files["config.yml"] = _yaml_bytes(draw, config, {})
    names = draw(st.lists(FILE_NAMES, min_size=1, max_size=3, unique_by=str.lower))
    for name in names:
        source.files[f"content/issues/{name}.md"] = draw(cs_issue())
    return source


INPUTS = st.one_of(statuspage_sources(), cstate_sources())


# the laws -------------------------------------------------------------------------------------


def _invoke(args: list[str]) -> Result:
    result = CliRunner(env={"STATUSPAGE_API_KEY": SECRET}).invoke(main, args)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        trace = "".join(traceback.format_exception(result.exception))
        raise AssertionError(f"statusgen {' '.join(args[:2])} raised:\n{trace}")
    assert result.exit_code in (0, 1), (args, result.exit_code, result.output)  # law 1
    assert "Traceback" not in result.output, result.output
    return result


def _no_secret(where: str, text: str) -> None:
    assert SECRET not in text, f"the API key is in {where}"  # law 4
    assert PHONE not in text, f"a phone number is in {where}"


def check(value: Source, scratch: Path) -> None:
    """Import ``value`` into a tiny repository under ``scratch`` and assert the laws."""
    repo, folder = scratch / "repo", scratch / "source"
    repo.mkdir()
    if value.configured:
        (repo / "site_config.yml").write_text(CONFIG, encoding="utf-8")
    for name, data in value.files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    if value.kind == "cstate":
        sources = [str(folder)]
    elif value.folder:
        sources = [str(folder / "saved")]
    else:
        sources = [str(folder / name) for name in value.files]
    args = ["import", value.kind, *sources, "--root", str(repo)]
    before = snapshot(repo)
    result = _invoke(args)
    OUTCOMES[value.kind, result.exit_code] += 1
    _no_secret("the output", result.output)
    after = snapshot(repo)
    if result.exit_code == 1:
        assert after == before, ("written on an error", sorted(set(after) - set(before)))  # law 2
        assert result.stderr.startswith("Error: "), result.output
        return
    for name, data in after.items():
        _no_secret(name, data.decode("utf-8", "replace"))
    checked = _invoke(["check", "--root", str(repo)])
    assert checked.exit_code == 0, ("check refused what import wrote", checked.output)  # law 3
    again = _invoke(args)
    assert again.exit_code == 0, ("a second import failed", again.output)
    assert snapshot(repo) == after, "importing again changed the files"

"""Reading YAML: YAML 1.2 scalars, refused features, positions, and hostile files."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

from generator.core.diagnostics import Mark
from generator.input.source import SourceError, load, parse

HERE = Path("x.yml")


def data(text: str) -> object:
    return parse(text, HERE).data


def error(text: str) -> SourceError:
    with pytest.raises(SourceError) as raised:
        parse(text, HERE)
    return raised.value


@pytest.mark.parametrize("word", ["NO", "no", "on", "off", "yes", "Y", "n", "Off", "ON"])
def test_yaml_11_booleans_stay_strings(word: str) -> None:
    assert data(f"regions: [{word}]\nx: {word}\n") == {"regions": [word], "x": word}


def test_core_schema_scalars() -> None:
    assert data(
        "a: true\nb: False\nc: ~\nd:\ne: null\nf: 12\ng: -3\nh: 0x1F\ni: 0o17\nj: 1.5\n"
        "k: .inf\nl: '12'\nm: \"true\"\nn: 2026-11-20T09:30:00Z\no: 1_000\np: 012\n"
    ) == {
        "a": True,
        "b": False,
        "c": None,
        "d": None,
        "e": None,
        "f": 12,
        "g": -3,
        "h": 31,
        "i": 15,
        "j": 1.5,
        "k": float("inf"),
        "l": "12",
        "m": "true",
        "n": "2026-11-20T09:30:00Z",  # YAML 1.2 has no timestamps: the validator parses times
        "o": "1_000",
        "p": 12,
    }


def test_keys_are_always_text() -> None:
    assert data("components:\n  123: major_outage\n  NO: x\n  true: y\n") == {
        "components": {"123": "major_outage", "NO": "x", "true": "y"}
    }


def test_positions_of_keys_and_values_are_one_based() -> None:
    document = parse("title: é ü x\nupdates:\n  - at: 1\n    message: m\n", HERE)
    assert document.key_mark(("title",)) == Mark(1, 1)
    assert document.value_mark(("title",)) == Mark(1, 8)
    assert document.value_mark(("updates", 0)) == Mark(3, 5)
    assert document.key_mark(("updates", 0, "message")) == Mark(4, 5)
    assert document.value_mark(("updates", 0, "message")) == Mark(4, 14)
    # an unknown place falls back to the nearest enclosing value
    assert document.value_mark(("updates", 0, "nothing", 3)) == Mark(3, 5)


def test_explicit_tags_are_refused_and_never_constructed() -> None:
    problem = error("title: !!python/object/apply:os.system ['touch /tmp/pwned']\n")
    assert (
        problem.message
        == "YAML tags (tag:yaml.org,2002:python/object/apply:os.system) are not allowed"
    )
    assert problem.mark == Mark(1, 8)
    assert not Path("/tmp/pwned").exists()


@pytest.mark.parametrize(
    ("text", "message", "mark"),
    [
        ("a: !!str 12\n", "YAML tags (tag:yaml.org,2002:str) are not allowed", Mark(1, 4)),
        ("a: ! x\n", "YAML tags (!) are not allowed", Mark(1, 4)),
        ("a: !custom {b: 1}\n", "YAML tags (!custom) are not allowed", Mark(1, 4)),
        ("a: &x 1\n", "anchors (&x) are not allowed", Mark(1, 4)),
        ("a: 1\nb: *x\n", "aliases (*x) are not allowed", Mark(2, 4)),
        ("? [a]\n: 1\n", "a key must be plain text, not a list or mapping", Mark(1, 3)),
        ("a: 1\n---\nb: 2\n", "a file holds one YAML document, this one has several", Mark(2, 1)),
    ],
)
def test_refused_yaml_features(text: str, message: str, mark: Mark) -> None:
    problem = error(text)
    assert (problem.message, problem.mark) == (message, mark)


def test_duplicate_keys_name_both_lines() -> None:
    problem = error("title: a\nimpact: major\ntitle: b\n")
    assert problem.message == "duplicate key 'title' (first at line 1)"
    assert problem.mark == Mark(3, 1)


def test_nested_duplicate_keys() -> None:
    problem = error("updates:\n  - at: 1\n    at: 2\n")
    assert (problem.message, problem.mark) == ("duplicate key 'at' (first at line 2)", Mark(3, 5))


def test_syntax_error_names_the_line_and_what_to_check() -> None:
    problem = error("title: [a, b\nimpact: major\n")
    assert problem.message.startswith("YAML syntax error: ")
    assert problem.hint == "check the flow sequence that starts at line 1"


def test_tabs_get_a_hint() -> None:
    problem = error("title: a\n\timpact: major\n")
    assert problem.mark.line == 2
    assert problem.hint == "indent with spaces, not tabs"


def test_billion_laughs_fails_at_the_first_anchor_fast_and_small() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 10):
        previous = chr(ord("a") + level - 1)
        name = chr(ord("a") + level)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    text = "\n".join(lines) + "\n"
    tracemalloc.start()
    started = time.perf_counter()
    problem = error(text)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert problem.message == "anchors (&a) are not allowed"
    assert problem.mark == Mark(1, 4)
    # a billion nodes would need gigabytes; the refusal needs almost nothing
    assert peak < 1_000_000
    assert elapsed < 5  # generous: the point is "not minutes", not a benchmark


def test_deep_nesting_is_refused_without_recursion_error() -> None:
    problem = error("a: " + "[" * 100 + "]" * 100 + "\n")
    assert problem.message == "values are nested more than 32 levels deep"
    # far deeper, newer libyaml refuses first; either way it is a clean error
    problem = error("a: " + "[" * 50_000 + "]" * 50_000 + "\n")
    assert problem.message in (
        "values are nested more than 32 levels deep",
        "YAML syntax error: exceeded maximum nesting depth",
    )


def test_non_utf8_bytes_name_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "x.yml"
    path.write_bytes(b"title: ok\nmessage: caf\xe9\n")
    with pytest.raises(SourceError) as raised:
        load(path)
    assert raised.value.message == "the file is not valid UTF-8 (byte 0xE9)"
    assert raised.value.mark == Mark(2, 13)
    assert raised.value.hint == "save the file as UTF-8"


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "x.yml"
    path.write_bytes("\ufefftitle: ok\n".encode())
    assert load(path).data == {"title": "ok"}


def test_huge_files_are_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "x.yml"
    path.write_text("a: " + "x" * (2 * 1024 * 1024) + "\n", encoding="utf-8")
    with pytest.raises(SourceError) as raised:
        load(path)
    assert raised.value.message == "the file is larger than 1024 KiB"


def test_empty_document_is_none() -> None:
    assert data("") is None
    assert data("# only a comment\n") is None

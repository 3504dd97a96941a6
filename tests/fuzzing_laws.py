"""The laws every repository of ``tests/fuzzing.py`` (valid shapes, hostile values) must obey.

1. No traceback: every command exits 0 or 1 with messages, whatever the input.
2. Whatever ``check`` accepts, ``build``, ``lint``, ``notify --dry-run`` (with every
   variable its channels name set) and ``apply`` of a valid action all do (exit 0), and
   ``check`` still passes after ``apply``.
3. Every output parses as its consumers read it (HTML, XML feeds and sitemap, JSON,
   iCalendar, SVG, gzip) and carries no live script: no ``<script>`` but the shell's
   own, no ``on*=`` attribute, no ``javascript:`` link, in pages, in feeds' HTML, in the
   API's bodies.
4. No secret (a value of the environment's variables) and no phone number appears in any
   command's output or any built file.

Other surfaces (the importers, the relay, ``apply``'s payloads) have their own modules,
``tests/fuzz_<surface>.py``, each exposing ``INPUTS`` (a strategy) and
``check(value, scratch)``; ``benchmarks/fuzz.py`` runs them all.

``tests/test_fuzz.py`` runs a quick profile in every test run; ``benchmarks/fuzz.py`` a
long one (``STATUSGEN_FUZZ=100000``).
"""

from __future__ import annotations

import gzip
import html.parser
import json
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from click.testing import CliRunner, Result
from icalendar import Calendar

from generator.cli import main
from tests.example import REFERENCE as NOW
from tests.fuzzing import ENVIRONMENT, PHONES, SECRET, Repository


@dataclass
class Verdict:
    """What one repository did: files checked, whether it built, outputs parsed."""

    files: int
    accepted: int = 0
    built: bool = False
    outputs: int = 0


#: What must never appear in an output (law 4).
_SECRETS = (SECRET, *PHONES, *(phone[1:] for phone in PHONES))


def _run(*args: str, stdin: str | None = None) -> Result:
    result = CliRunner().invoke(
        main, list(args), input=stdin, env=ENVIRONMENT, catch_exceptions=False
    )  # law 1
    assert result.exit_code in (0, 1), (args, result.output)
    assert "Traceback" not in result.output, result.output
    for secret in _SECRETS:  # law 4
        assert secret not in result.output, (args[0], "shows a secret", secret, result.output)
    return result


def _succeeds(*args: str, stdin: str | None = None) -> Result:
    result = _run(*args, stdin=stdin)
    assert result.exit_code == 0, (f"check accepted what {args[0]} refused", result.output)
    return result


#: A valid action: what the incident workflow's form sends for a new incident.
VALID_ACTION = {
    "action": "new",
    "title": "Fuzzing finds a way in",
    "message": "We are investigating. <script>alert(12)</script>",
    "at": NOW,
    "next_update": "30m",
    "key": "fuzz-1",
}


def check_laws(repository: Repository, scratch: Path | None = None) -> Verdict:
    """Run check and build on ``repository`` and assert the three laws.

    When check refuses some files, they are removed and the rest checked again, so that
    the valid ones still reach the build."""
    folder = Path(tempfile.mkdtemp(prefix="fuzz-", dir=scratch))
    try:
        root = folder / "repo"
        repository.write(root)
        verdict = Verdict(files=len(repository.files) + 1)
        result = _run("check", "--root", str(root), "--format", "json")
        if result.exit_code == 1:
            refused = {Path(d["file"]).resolve() for d in json.loads(result.stdout)}
            if (root / "site_config.yml").resolve() in refused:
                return verdict
            for path in refused:
                path.unlink(missing_ok=True)
            if _run("check", "--root", str(root)).exit_code == 1:
                return verdict  # (two files with one id: both refused only together)
        verdict.accepted = len(list((root / "incidents").iterdir()))
        out = folder / "site"
        _succeeds("build", "--root", str(root), "--out", str(out), "--now", NOW, "--no-cache")
        verdict.built = True
        verdict.outputs = check_outputs(out)  # law 3
        _no_secret_in(out)  # law 4
        _succeeds("lint", "--root", str(root), "--now", NOW)  # law 2, and the others
        ledger = folder / "ledger.json"
        _succeeds("notify", "--root", str(root), "--now", NOW, "--dry-run", "--ledger", str(ledger))
        assert not ledger.exists(), "notify --dry-run wrote its ledger"
        _succeeds("apply", "-", "--root", str(root), "--now", NOW, stdin=json.dumps(VALID_ACTION))
        _succeeds("check", "--root", str(root))
        return verdict
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _no_secret_in(site: Path) -> None:
    for path in site.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if path.suffix == ".gz":
                data = gzip.decompress(data)
            for secret in _SECRETS:
                assert secret.encode() not in data, (path.relative_to(site), "shows", secret)


_SHELL_SCRIPTS = re.compile(r"assets/javascripts/(bundle\.[0-9a-f]+\.min|statusgen)\.js$")


class _Page(html.parser.HTMLParser):
    """Finds live script in HTML: scripts but the shell's, handlers, script URLs."""

    def __init__(self, where: str, page: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.where = where
        self.page = page
        self.in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            assert not name.startswith("on"), (self.where, tag, name, value)
            if name in ("href", "src", "action", "formaction", "data"):
                scheme = (value or "").strip().lower()
                assert not scheme.startswith(("javascript:", "vbscript:", "data:text")), (
                    self.where,
                    value,
                )
        if tag in ("iframe", "object", "embed", "base", "frame", "applet") or (
            not self.page and tag in ("svg", "math", "form", "style", "link", "meta")
        ):
            raise AssertionError((self.where, tag))
        if tag == "script":
            assert self.page, (self.where, "a script outside the page shell")
            src = dict(attrs).get("src")
            if src is not None:
                assert _SHELL_SCRIPTS.search(src), (self.where, src)
            self.in_script = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_script:
            assert "alert(" not in data, (self.where, data)


def _html(text: str, where: str, page: bool = False) -> None:
    parser = _Page(where, page)
    parser.feed(text)
    parser.close()


def _feed(data: bytes, where: str) -> None:
    tree = ElementTree.fromstring(data)
    for element in tree.iter():
        if element.tag.endswith(("content", "description")) and element.text:
            _html(element.text, where)


def _page(data: bytes, where: str) -> None:
    _html(data.decode("utf-8"), where, page=True)


def _xml(data: bytes, where: str) -> None:
    ElementTree.fromstring(data)


def _calendar(data: bytes, where: str) -> None:
    Calendar.from_ical(data)


_PARSERS: dict[str, Callable[[bytes, str], None]] = {
    ".html": _page,
    ".xml": _xml,
    ".atom": _feed,
    ".rss": _feed,
    ".svg": _xml,
    ".ics": _calendar,
}


def _json(data: bytes, where: str) -> None:
    value = json.loads(data)

    def bodies(node: Any) -> None:
        if isinstance(node, dict):
            for key, item in node.items():
                if key == "body" and isinstance(item, str):  # plain text, inert as HTML
                    assert not re.search(r"<[A-Za-z/!?]", item), (where, item)
                bodies(item)
        elif isinstance(node, list):
            for item in node:
                bodies(item)

    bodies(value)


def check_outputs(site: Path) -> int:
    """Parse every file of a built site as its consumer would; return how many."""
    count = 0
    for path in sorted(site.rglob("*")):
        if not path.is_file() or "assets" in path.relative_to(site).parts:
            continue
        where = path.relative_to(site).as_posix()
        data = path.read_bytes()
        if path.suffix == ".gz":
            data, suffix = gzip.decompress(data), Path(path.stem).suffix
        else:
            suffix = path.suffix
        if suffix == ".json":
            _json(data, where)
        elif suffix in _PARSERS:
            _PARSERS[suffix](data, where)
        count += 1
    return count

"""The whole built site of a small fixed repository, compared with its golden copy.

mkdocs-material's patch version, which it writes into every page, is normalized to 9.8.x:
pyproject.toml allows any 9.8 release, whose asset files (compared by digest) are the same.
The stylesheets every page has in its head are named, not copied (see ``INLINED``).

Regenerate after an intended change, then review the diff:

    .venv/bin/pytest tests/test_golden.py --update-golden
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from tests.example import REFERENCE as NOW

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
REPO = GOLDEN / "repo"
EXPECTED = GOLDEN / "site"

#: Files kept whole in the golden copy (readable diffs); the rest only by digest.
TEXT = (".html", ".xml", ".json", ".atom", ".rss", ".ics", ".svg", ".css", ".js")
#: mkdocs-material's own assets: pinned with its version, checked by digest only.
MATERIAL = ("assets/javascripts/bundle.", "assets/stylesheets/main.", "assets/stylesheets/palette.")


#: mkdocs-material names its patch version in every page; pyproject allows any 9.8.x.
VERSION = re.compile(r"mkdocs-material-9\.8\.\d+")
THEME = Path(__file__).resolve().parents[2] / "theme"


def _inlined() -> dict[str, str]:
    """The stylesheets every page has in its head, the same in each (material's rules of
    the first paint, tests/first_paint.py, and statusgen's own), by what a golden copy
    names them: their own tests and files hold their text, 58 KB a page."""
    partial = (THEME / "partials/first-paint.html").read_text(encoding="utf-8")
    first_paint = partial.split("{% raw %}", 1)[1].split("{% endraw %}", 1)[0]
    statusgen = (THEME / "assets/stylesheets/statusgen.css").read_text(encoding="utf-8")
    return {
        f"<style>{first_paint}</style>": "<style>/* theme/partials/first-paint.html */</style>",
        f"<style>{statusgen}</style>": "<style>/* assets/stylesheets/statusgen.css */</style>",
    }


INLINED = _inlined()


def normalized(path: Path) -> bytes:
    data = path.read_bytes()
    if path.suffix == ".html":
        text = VERSION.sub("mkdocs-material-9.8.x", data.decode("utf-8"))
        for inlined, name in INLINED.items():
            text = text.replace(inlined, name)
        data = text.encode("utf-8")
    return data


def manifest(site: Path) -> str:
    lines = []
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        digest = hashlib.sha256(normalized(path)).hexdigest()
        lines.append(f"{digest}  {path.relative_to(site).as_posix()}")
    return "\n".join(lines) + "\n"


def kept_whole(relative: str) -> bool:
    return relative.endswith(TEXT) and not relative.startswith(MATERIAL)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("golden") / "site"
    result = CliRunner().invoke(
        # --no-cache: a full render, and no cache written into the source tree
        main,
        ["build", "--root", str(REPO), "--out", str(out), "--now", NOW, "--no-cache"],
    )
    assert result.exit_code == 0, result.output
    return out


def test_golden_site(built: Path, request: pytest.FixtureRequest) -> None:
    if request.config.getoption("--update-golden"):
        shutil.rmtree(EXPECTED, ignore_errors=True)
        for path in built.rglob("*"):
            relative = path.relative_to(built).as_posix()
            if path.is_file() and kept_whole(relative):
                target = EXPECTED / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(normalized(path))
        (EXPECTED / "MANIFEST").write_text(manifest(built), encoding="utf-8")
    expected = (EXPECTED / "MANIFEST").read_text(encoding="utf-8")
    for line in expected.splitlines():
        relative = line.split("  ", 1)[1]
        if kept_whole(relative):  # compare text first: its diff says what changed
            assert normalized(built / relative).decode("utf-8") == (
                EXPECTED / relative
            ).read_bytes().decode("utf-8"), relative
    assert manifest(built) == expected


# the same repository in four languages: the German, the Arabic (right-to-left) and the
# Japanese (no spaces between words, its own punctuation) pages

LANGUAGES = GOLDEN / "languages"
#: The languages' own folders, whole (their shared assets are the root's, checked apart).
TRANSLATED = ("de", "ar", "ja")
SIGN_IN = """\
title:
  en: Some customers cannot sign in
  de: Einige Kunden können sich nicht anmelden
  ar: تعذّر على بعض العملاء تسجيل الدخول
  ja: 一部のお客様がサインインできません
impact: major
components:
  auth: partial_outage
regions: [EU]
started: 2026-11-24T09:52:00Z
updates:
  - at: 2026-11-24T10:04:00Z
    status: investigating
    message:
      en: |
        Customers in the EU who sign in with **single sign-on** see an error page.
        Sign-in with a password works.
      de: |
        Kunden in der EU, die sich per **Single Sign-on** anmelden, sehen eine Fehlerseite.
        Die Anmeldung mit Passwort funktioniert.
      ar: |
        يرى العملاء في الاتحاد الأوروبي الذين يسجّلون الدخول عبر **الدخول الموحّد** صفحة خطأ.
        تسجيل الدخول بكلمة المرور يعمل.
      ja: |
        EU で**シングルサインオン**を使ってサインインすると、エラーページが表示されます。
        パスワードでのサインインはご利用いただけます。
    next_update: 2026-11-24T10:45:00Z
  - at: 2026-11-24T10:25:00Z
    status: identified
    message: We are undoing this morning's change.
    next_update: 2026-11-24T11:00:00Z
workaround:
  en: Sign in with your email and password.
  de: Melden Sie sich mit Ihrer E-Mail-Adresse und Ihrem Passwort an.
  ar: سجّل الدخول باستخدام بريدك الإلكتروني وكلمة المرور.
  ja: メールアドレスとパスワードでサインインしてください。
"""


@pytest.fixture(scope="module")
def built_in_languages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("languages") / "repo"
    shutil.copytree(REPO, root)
    config = (root / "site_config.yml").read_text(encoding="utf-8")
    config = config.replace("site:\n", "site:\n  languages: [en, de, ar, ja]\n", 1)
    (root / "site_config.yml").write_text(config, encoding="utf-8")
    (root / "incidents/2026-11-24-sign-in.yml").write_text(SIGN_IN, encoding="utf-8")
    out = root.parent / "site"
    result = CliRunner().invoke(
        main, ["build", "--root", str(root), "--out", str(out), "--now", NOW, "--no-cache"]
    )
    assert result.exit_code == 0, result.output
    return out


def language_files(site: Path) -> dict[str, bytes]:
    """The files of the translated sites that are their own (not material's)."""
    return {
        path.relative_to(site).as_posix(): normalized(path)
        for language in TRANSLATED
        for path in sorted((site / language).rglob("*"))
        if path.is_file() and "/assets/" not in path.as_posix()
    }


def test_golden_pages_in_german_arabic_and_japanese(
    built_in_languages: Path, request: pytest.FixtureRequest
) -> None:
    found = language_files(built_in_languages)
    if request.config.getoption("--update-golden"):
        shutil.rmtree(LANGUAGES, ignore_errors=True)
        for relative, data in found.items():
            (LANGUAGES / relative).parent.mkdir(parents=True, exist_ok=True)
            (LANGUAGES / relative).write_bytes(data)
    expected = {
        path.relative_to(LANGUAGES).as_posix(): path.read_bytes()
        for path in sorted(LANGUAGES.rglob("*"))
        if path.is_file()
    }
    assert sorted(found) == sorted(expected)
    for relative, data in expected.items():
        assert found[relative].decode("utf-8") == data.decode("utf-8"), relative
    # each language's copy of the shell's assets is the root's, byte for byte
    for language in TRANSLATED:
        for path in (built_in_languages / language / "assets").rglob("*"):
            if path.is_file():
                twin = built_in_languages / path.relative_to(built_in_languages / language)
                assert path.read_bytes() == twin.read_bytes(), path

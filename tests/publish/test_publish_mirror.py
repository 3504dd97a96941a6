"""``statusgen publish DEST`` with the real rclone, against `rclone serve webdav` and
`rclone serve sftp` on loopback and a local folder: the mirror ends as the site, byte for
byte; only what changed is sent (rclone's own stats); a killed upload converges; a crawler
reading the mirror over HTTP during an upload never finds a page linking a missing file;
no secret of DEST is ever printed."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from click.testing import CliRunner, Result

from generator.cli import main
from generator.publish.destination import Destination
from generator.publish.mirror import PHASES, Change
from tests.conftest import Repo
from tests.example import REFERENCE
from tests.peers import free_port, obscured, rclone_serving
from tests.trees import snapshot

pytestmark = pytest.mark.skipif(shutil.which("rclone") is None, reason="tests/run installs rclone")

SITE_URL = "https://status.acme.example/"
ONGOING = "incidents/2026/2026-11-24-single-sign-on-fails-in-the-eu.yml"
RESOLVED = "incidents/2026/2026-11-18-api-errors-in-the-us.yml"
DELETED = "incidents/2026/2026-08-27-dashboard-loads-slowly.yml"
PASSWORD = "correct-horse-battery-staple-42"
SUMMARY = re.compile(
    r"Published the site to (?P<dest>.+): (?P<sent>[\d,]+) files? sent "
    r"\((?P<size>[\d.]+ [kMG]?B)\), (?P<deleted>[\d,]+) deleted, "
    r"(?P<unchanged>[\d,]+) unchanged, in [\d.]+ s"
)


# ---------------------------------------------------------------- the example and its builds


def example(tmp_path: Path) -> Path:
    """A copy of the example repository to change."""
    return Repo.example(tmp_path / "repo").root


def build(repo: Path, now: str = REFERENCE) -> Path:
    result = CliRunner().invoke(main, ["build", "--root", str(repo), "--now", now])
    assert result.exit_code == 0, result.output
    return repo / "site"


@pytest.fixture(scope="module")
def built_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example, built once for the module (its site and its render cache)."""
    repo = example(tmp_path_factory.mktemp("example"))
    build(repo)
    return repo


@pytest.fixture
def built(tmp_path: Path, built_once: Path) -> Path:
    """A copy of the built example to change: ``built / "site"`` is its site, as
    ``build(example(tmp_path))`` leaves it, without building it again."""
    return Path(shutil.copytree(built_once, tmp_path / "repo", symlinks=True))


def change_one_incident(repo: Path) -> None:
    """A typo fixed in a resolved incident's last update, as an engineer's edit does."""
    path = repo / RESOLVED
    text = path.read_text(encoding="utf-8")
    assert "We are investigating." in text
    path.write_text(text.replace("We are investigating.", "We are looking into it.", 1), "utf-8")


def site_files(site: Path) -> dict[str, bytes]:
    """The site as a host should serve it: every file but the build's own marker."""
    files = snapshot(site)
    files.pop(".statusgen-site", None)
    return files


def differing(old: dict[str, bytes], new: dict[str, bytes]) -> set[str]:
    return {path for path in new if old.get(path) != new[path]} | (old.keys() - new.keys())


# ---------------------------------------------------------------- where tests publish to


@dataclass
class Mirror:
    """Where a test publishes to: DEST, the folder behind it, and its HTTP root if any."""

    dest: str
    folder: Path
    http: str | None = None


@contextmanager
def mirror(tmp_path: Path, kind: str) -> Iterator[Mirror]:
    folder = tmp_path / "mirror"
    if kind == "local":
        yield Mirror(str(folder), folder)
    elif kind == "webdav":
        with rclone_serving(tmp_path, "webdav", folder) as port:
            url = f"http://127.0.0.1:{port}"
            yield Mirror(f":webdav,url='{url}':", folder, url + "/")
    else:
        with rclone_serving(
            tmp_path, "sftp", folder, "--user", "status", "--pass", PASSWORD
        ) as port:
            dest = f":sftp,host=127.0.0.1,port={port},user=status,pass={obscured(PASSWORD)}:"
            yield Mirror(dest, folder)


def publish(site: Path, dest: str, *options: str) -> Result:
    return CliRunner().invoke(main, ["publish", dest, "--out", str(site), *options])


def summary(result: Result) -> dict[str, str]:
    assert result.exit_code == 0, result.output
    found = SUMMARY.search(result.output)
    assert found, result.output
    return found.groupdict()


@pytest.fixture(autouse=True)
def rclone_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No rclone setting of the machine running the tests leaks into them."""
    for name in list(os.environ):
        if name.startswith("RCLONE_"):
            monkeypatch.delenv(name)


# ---------------------------------------------------------------- what arrives, and what is sent


@pytest.mark.parametrize("kind", ["local", "webdav", "sftp"])
@pytest.mark.slow
def test_a_first_upload_is_the_site_byte_for_byte_and_a_second_sends_nothing(
    tmp_path: Path, built: Path, kind: str
) -> None:
    site = built / "site"
    expected = site_files(site)
    with mirror(tmp_path, kind) as target:
        first = summary(publish(site, target.dest))
        assert int(first["sent"].replace(",", "")) == len(expected)
        assert first["unchanged"] == "0"
        assert snapshot(target.folder) == expected
        again = summary(publish(site, target.dest))
        assert (again["sent"], again["size"], again["deleted"]) == ("0", "0 B", "0")
        assert int(again["unchanged"].replace(",", "")) == len(expected)


@pytest.mark.parametrize("kind", ["local", "webdav"])
@pytest.mark.slow
def test_one_changed_incident_sends_only_the_files_whose_bytes_changed(
    tmp_path: Path, built: Path, kind: str
) -> None:
    repo = built
    old = site_files(repo / "site")
    with mirror(tmp_path, kind) as target:
        summary(publish(repo / "site", target.dest))
        change_one_incident(repo)
        new = site_files(build(repo))
        changed = differing(old, new)
        assert changed and len(changed) < len(new) / 2
        listed = publish(repo / "site", target.dest, "--dry-run")
        assert listed.exit_code == 0, listed.output
        assert {line[2:] for line in listed.output.splitlines() if line[:2] == "* "} == changed
        assert snapshot(target.folder) == old  # a dry run sends nothing
        done = summary(publish(repo / "site", target.dest))
        assert int(done["sent"].replace(",", "")) == len(changed)
        assert done["deleted"] == "0"
        assert snapshot(target.folder) == new


@pytest.mark.slow
def test_a_changed_live_json_of_the_same_size_is_sent_to_a_host_without_hashes(
    tmp_path: Path,
    built: Path,
) -> None:
    """WebDAV keeps no hash rclone can read; sizes alone would keep the old build's marker."""
    repo = built
    site = repo / "site"
    with mirror(tmp_path, "webdav") as target:
        summary(publish(site, target.dest))
        live = site / "live.json"
        text = live.read_text(encoding="utf-8")
        build_id = re.search(r'"build":\s*"([^"]+)"', text)
        assert build_id
        other = build_id.group(1)[::-1]
        live.write_text(text.replace(build_id.group(1), other), encoding="utf-8")
        done = summary(publish(site, target.dest))
        assert done["sent"] == "1"
        assert (target.folder / "live.json").read_text(encoding="utf-8") == live.read_text("utf-8")


@pytest.mark.slow
def test_a_deleted_incident_disappears_from_the_mirror(tmp_path: Path, built: Path) -> None:
    repo = built
    site = repo / "site"
    page = "incidents/2026-08-27-dashboard-loads-slowly/"
    assert (site / page / "index.html").is_file()
    with mirror(tmp_path, "webdav") as target:
        summary(publish(site, target.dest))
        assert target.http is not None
        assert status(target.http + page + "index.html") == 200
        (repo / DELETED).unlink()
        new = site_files(build(repo))
        listed = publish(site, target.dest, "--dry-run")
        assert f"- {page}index.html" in listed.output.splitlines()
        done = summary(publish(site, target.dest))
        assert done["deleted"] != "0"
        assert status(target.http + page + "index.html") == 404
        assert status(target.http + page) == 404  # its folder went too
        assert snapshot(target.folder) == new


@pytest.mark.slow
def test_a_dry_run_lists_every_change_in_the_order_it_would_be_sent(
    tmp_path: Path, built: Path
) -> None:
    repo = built
    site = repo / "site"
    folder = tmp_path / "mirror"
    summary(publish(site, str(folder)))
    before = snapshot(folder)
    change_one_incident(repo)
    (repo / DELETED).unlink()
    build(repo)
    (site / "assets/new-picture.svg").write_text("<svg/>", encoding="utf-8")
    result = publish(site, str(folder), "--dry-run")
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line[:2] in ("+ ", "* ", "- ")]
    changes = [Change("+" if line[0] == "+" else "*" if line[0] == "*" else "-", line[2:], 0)
               for line in lines]  # fmt: skip
    phases = [change.phase for change in changes]
    assert phases == sorted(phases)
    seen = {PHASES[phase] for phase in phases}
    assert {"assets", "feeds and JSON", "changed pages", "live.json", "deletions"} <= seen
    assert changes[0] == Change("+", "assets/new-picture.svg", 0)
    assert changes[-1].mark == "-"
    assert "Would publish the site to" in result.output
    assert "nothing was sent" in result.output
    assert snapshot(folder) == before


# ---------------------------------------------------------------- killed, and read during


def command(site: Path, dest: str) -> list[str]:
    return [sys.executable, "-m", "generator", "publish", dest, "--out", str(site)]


def wait_for_files(folder: Path, at_least: int, process: subprocess.Popen[str]) -> None:
    for _ in range(600):
        if folder.is_dir() and sum(1 for p in folder.rglob("*") if p.is_file()) >= at_least:
            return
        assert process.poll() is None, "publish ended before it could be killed"
        time.sleep(0.05)
    raise AssertionError("the upload never began")


@pytest.mark.parametrize("victim", ["statusgen and rclone", "rclone"])
@pytest.mark.slow
def test_a_killed_upload_converges_when_run_again(tmp_path: Path, built: Path, victim: str) -> None:
    site = built / "site"
    expected = site_files(site)
    environ = {**os.environ, "RCLONE_BWLIMIT": "300k", "RCLONE_TRANSFERS": "1"}
    with mirror(tmp_path, "webdav") as target:
        process = subprocess.Popen(
            command(site, target.dest), env=environ, start_new_session=True, text=True,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )  # fmt: skip
        wait_for_files(target.folder, 10, process)
        if victim == "rclone":
            children = subprocess.run(
                ["pgrep", "-P", str(process.pid), "rclone"], capture_output=True, text=True
            ).stdout.split()
            assert len(children) == 1
            os.kill(int(children[0]), signal.SIGKILL)
            out, err = process.communicate(timeout=60)
            assert process.returncode == 1
            assert "run publish again" in err
            assert "Published" not in out + err
        else:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate(timeout=60)
        assert snapshot(target.folder) != expected
        assert not (target.folder / "live.json").exists()  # the marker comes last
        summary(publish(site, target.dest))
        assert snapshot(target.folder) == expected


class Links(HTMLParser):
    """Every href and src of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.found.append(value)


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return int(answer.status), bytes(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, b""


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(
            urllib.request.Request(url, method="HEAD"), timeout=10
        ) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return error.code


def as_file(url: str) -> str:
    """The file a URL serves (a folder's index.html: the WebDAV server lists folders)."""
    return url + "index.html" if url.endswith("/") else url


@dataclass
class Crawler:
    """Reads the mirror as a reader would, from its front page, until told to stop: every
    page reachable, and every file each one links or loads. A link the build itself left
    broken (its target is not in the site either) is no fault of publishing: it is kept
    apart, in ``broken_in_build``."""

    root: str
    site: Path
    broken_in_build: set[str] = field(default_factory=set)
    rounds: int = 0
    pages_read: int = 0
    broken: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def local(self, page: str, link: str) -> str | None:
        if link.startswith(SITE_URL):
            link = self.root + link[len(SITE_URL) :]
        url = urldefrag(urljoin(page, link)).url.split("?")[0]
        if not url.startswith(self.root) or urlsplit(url).scheme not in ("http", "https"):
            return None
        return url

    def crawl(self) -> None:
        while not self.stop.is_set():
            self.round()
            self.rounds += 1
            time.sleep(0.05)

    def round(self) -> None:
        queue, seen = [self.root], {self.root}
        there: set[str] = set()  # found in this round: nothing linked is deleted meanwhile
        while queue and not self.stop.is_set():
            page = queue.pop()
            code, body = fetch(as_file(page))
            if code != 200:
                continue  # not there yet (a first upload): nothing links it
            self.pages_read += 1
            parser = Links()
            parser.feed(body.decode("utf-8", "replace"))
            for link in parser.found:
                url = self.local(page, link)
                if url is None:
                    continue
                if url in there:
                    pass
                elif status(as_file(url)) == 200:
                    there.add(url)
                elif not (self.site / as_file(url)[len(self.root) :]).is_file():
                    self.broken_in_build.add(f"{page} links {url}")
                elif self.still_broken(page, body, url):
                    self.broken.append(f"{page} links {url}")
                if url not in seen and url.endswith(("/", ".html")):
                    seen.add(url)
                    queue.append(url)

    def still_broken(self, page: str, body: bytes, url: str) -> bool:
        """Whether the page, read again unchanged, still links a file that is not there
        (a page replaced meanwhile no longer speaks for the mirror)."""
        code, again = fetch(as_file(page))
        return code == 200 and again == body and status(as_file(url)) != 200


@pytest.mark.slow
def test_a_crawler_never_finds_a_page_linking_a_missing_file(tmp_path: Path, built: Path) -> None:
    """During a first upload, then during one that adds, changes and deletes incidents."""
    repo = built
    site = repo / "site"
    with mirror(tmp_path, "webdav") as target:
        assert target.http is not None
        environ = {**os.environ, "RCLONE_BWLIMIT": "600k:off"}
        steps = []
        for step in ("first upload", "changes"):
            if step == "changes":
                change_one_incident(repo)
                (repo / DELETED).unlink()
                text = (repo / ONGOING).read_text(encoding="utf-8")
                copy = repo / "incidents/2026/2026-11-24-sso-fails-again.yml"
                copy.write_text(text, encoding="utf-8")
                build(repo)
            crawler = Crawler(target.http, site)
            thread = threading.Thread(target=crawler.crawl, daemon=True)
            thread.start()
            finished = subprocess.run(
                command(site, target.dest), env=environ, capture_output=True, text=True
            )
            crawler.stop.set()
            thread.join(60)
            assert finished.returncode == 0, finished.stderr
            assert crawler.broken == [], step
            steps.append((step, crawler.rounds, crawler.pages_read))
        assert snapshot(target.folder) == site_files(site)
        # the crawler read the mirror again and again while each upload went on (the first
        # one's front page arrives last of its pages: until then there is nothing to read)
        assert all(rounds >= 2 for _, rounds, _ in steps), steps
        assert steps[1][2] > 40, steps


# ---------------------------------------------------------------- errors, secrets, remotes


def test_without_rclone_on_path_it_names_the_package(
    tmp_path: Path, built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = built / "site"
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    result = publish(site, str(tmp_path / "mirror"))
    assert result.exit_code == 1
    assert "rclone was not found on PATH" in result.output
    assert "sudo apt-get install rclone" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "mirror").exists()


@pytest.mark.parametrize("what", ["a missing folder", "an empty folder", "no live.json"])
def test_without_a_built_site_it_says_to_build(tmp_path: Path, what: str) -> None:
    site = tmp_path / "site"
    if what != "a missing folder":
        site.mkdir()
    if what == "no live.json":
        (site / "index.html").write_text("<p>hi</p>", encoding="utf-8")
    result = publish(site, str(tmp_path / "mirror"))
    assert result.exit_code == 1
    assert "run `statusgen build` first" in result.output
    assert "live.json" in result.output
    assert not (tmp_path / "mirror").exists()


def test_the_site_folder_itself_is_no_destination(tmp_path: Path, built: Path) -> None:
    site = built / "site"
    before = snapshot(site)
    result = publish(site, str(site / "copy"))
    assert result.exit_code == 1
    assert "inside it" in result.output
    assert snapshot(site) == before


@pytest.mark.slow
def test_a_password_in_a_connection_string_is_never_printed(tmp_path: Path, built: Path) -> None:
    site = built / "site"
    secret = obscured(PASSWORD)
    folder = tmp_path / "mirror"
    with rclone_serving(tmp_path, "webdav", folder, "--user", "status", "--pass", PASSWORD) as port:
        url = f"http://127.0.0.1:{port}"
        good = f":webdav,url='{url}',user=status,pass={secret}:"
        outputs = [publish(site, good, "--dry-run"), publish(site, good)]
        assert outputs[1].exit_code == 0, outputs[1].output
        assert snapshot(folder) == site_files(site)
        # a wrong password, one rclone cannot read (its message repeats DEST), a dead port
        wrong = f":webdav,url='{url}',user=status,pass={obscured('not-' + PASSWORD)}:"
        unreadable = f":webdav,url='{url}',user=status,pass={PASSWORD}!:"  # not obscured
        dead = f":webdav,url='http://status:{PASSWORD}@127.0.0.1:{free_port()}',pass={secret}:"
        failures = [publish(site, dest) for dest in (wrong, unreadable, dead)]
    for result in failures:
        assert result.exit_code == 1, result.output
        assert "Published" not in result.output
    for result in outputs + failures:
        assert "Traceback" not in result.output
        assert PASSWORD not in result.output, result.output
        assert secret not in result.output, result.output
        assert "pass=****" in result.output, result.output
    assert "401 Unauthorized" in failures[0].output  # rclone's own words, masked
    assert "is it obscured?" in failures[1].output


@pytest.mark.slow
def test_a_remote_comes_from_rclones_environment_variables_never_from_a_config_file(
    tmp_path: Path, built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = built / "site"
    elsewhere = tmp_path / "elsewhere"
    config = tmp_path / "rclone.conf"
    config.write_text(f"[mirror]\ntype = alias\nremote = {elsewhere}\n", encoding="utf-8")
    monkeypatch.setenv("RCLONE_CONFIG", str(config))
    monkeypatch.chdir(tmp_path)
    refused = publish(site, "mirror:")
    assert refused.exit_code == 1
    assert "didn't find section in config file" in refused.output
    assert not elsewhere.exists()
    folder = tmp_path / "mirror"
    with rclone_serving(tmp_path, "webdav", folder, "--user", "status", "--pass", PASSWORD) as port:
        monkeypatch.setenv("RCLONE_CONFIG_MIRROR_TYPE", "webdav")
        monkeypatch.setenv("RCLONE_CONFIG_MIRROR_URL", f"http://127.0.0.1:{port}")
        monkeypatch.setenv("RCLONE_CONFIG_MIRROR_USER", "status")
        monkeypatch.setenv("RCLONE_CONFIG_MIRROR_PASS", obscured(PASSWORD))
        done = summary(publish(site, "mirror:status"))
    assert done["dest"] == "mirror:status"
    assert snapshot(folder / "status") == site_files(site)
    assert not elsewhere.exists()


def test_rclone_settings_that_would_change_the_plan_are_ignored(
    tmp_path: Path, built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = built / "site"
    monkeypatch.setenv("RCLONE_DRY_RUN", "true")
    monkeypatch.setenv("RCLONE_EXCLUDE", "*.html")
    monkeypatch.setenv("RCLONE_LOG_FILE", str(tmp_path / "rclone.log"))
    summary(publish(site, str(tmp_path / "mirror")))
    assert snapshot(tmp_path / "mirror") == site_files(site)
    assert not (tmp_path / "rclone.log").exists()


@pytest.mark.parametrize(
    ("dest", "shown", "secrets"),
    [
        (":webdav,url='https://me:hunter22@dav.example/x?t=abc',user=me,pass=OBSC:site",
         ":webdav,url='https://me:****@dav.example/x?****',user=****,pass=****:site",
         ["hunter22", "t=abc", "OBSC"]),
        (":s3,provider=AWS,access_key_id=AKIA123,secret_access_key='a''b,c:d',region=eu:bkt/p",
         ":s3,provider=AWS,access_key_id=****,secret_access_key=****,region=eu:bkt/p",
         ["AKIA123", "a'b,c:d", "'a''b,c:d'"]),
        (":sftp,host=h.example,key_pem=KEYDATA:site", ":sftp,host=h.example,key_pem=****:site",
         ["KEYDATA"]),
        ("mirror,pass=secret1:path", "mirror,pass=****:path", ["secret1"]),
        ("mirror:path", "mirror:path", []),
        (":local:/srv/site", ":local:/srv/site", []),
        ("/srv/site", "/srv/site", []),
    ],
)  # fmt: skip
def test_a_destination_shows_no_secret(dest: str, shown: str, secrets: list[str]) -> None:
    destination = Destination.parse(dest, environ={})
    assert destination.shown == shown
    assert destination.mask(f'Failed to create file system for "{dest}"') == (
        f'Failed to create file system for "{shown}"'
    )
    for secret in secrets:
        assert destination.mask(f"rclone said {secret}.") == "rclone said ****."


def test_secrets_of_rclones_environment_variables_are_masked() -> None:
    destination = Destination.parse(
        "mirror:",
        environ={
            "RCLONE_CONFIG_MIRROR_TYPE": "s3",
            "RCLONE_CONFIG_MIRROR_SECRET_ACCESS_KEY": "wJalrXUtnFEMI",
            "RCLONE_CONFIG_MIRROR_URL": "https://u:pw-in-url@dav.example/",
            "RCLONE_S3_SESSION_TOKEN": "FwoGZXIvYXdzE",
        },
    )
    masked = destination.mask("s3 wJalrXUtnFEMI pw-in-url FwoGZXIvYXdzE")
    assert masked == "s3 **** **** ****"

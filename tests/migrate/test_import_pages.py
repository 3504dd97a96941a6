"""``statusgen import statuspage``: one page at a time unless --merge, and components with
readable ids that keep their Statuspage id as ``api_id`` (which the API v2 shows again)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import Result

from generator.input.formats import ID_PATTERN
from tests.browser import serve
from tests.conftest import Repo
from tests.outputs.test_statuspage_client import run_exporter
from tests.trees import snapshot

STATUSPAGE = Path(__file__).resolve().parents[1] / "reference" / "import" / "statuspage"
GITHUB = STATUSPAGE / "www.githubstatus.com"
BOX = STATUSPAGE / "status.box.com"
#: The pages in STATUSPAGE: id, name, folder.
PAGES = [
    ("p5n46sppww3j", "Cisco AMP", "status.amp.cisco.com"),
    ("208q92hckwws", "Box", "status.box.com"),
    ("kr0djjh0jyy9", "Coinbase", "status.coinbase.com"),
    ("kctbh9vrtdwd", "GitHub", "www.githubstatus.com"),
]
CONFIG = """\
# Our status page, before the move
site:
  name: Status
  url: https://status.example/
  timezone: UTC
components: []
"""
#: Incidents of GitHub's that name components in their updates.
INCIDENTS = ["00km0kwpz23b", "00lscqwb6ht5", "00ymkms22sz7"]


@pytest.fixture
def sources(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder for sources, outside the repository."""
    return tmp_path_factory.mktemp("sources")


@pytest.fixture
def target(repo: Repo) -> Repo:
    repo.write("site_config.yml", CONFIG)
    return repo


def run(repo: Repo, *args: str) -> Result:
    return repo.run("import", "statuspage", *args)


def config(repo: Repo) -> str:
    return (repo.root / "site_config.yml").read_text()


def entries(repo: Repo) -> list[dict[str, str]]:
    """The components of the repository's site_config.yml, each as its keys' values."""
    found: list[dict[str, str]] = []
    for line in config(repo).splitlines():
        if line.startswith("  - id: "):
            found.append({})
        if found and line.startswith(("  - ", "    ")):
            key, _, value = line[4:].partition(": ")
            found[-1][key] = value
    return found


def github_sample(folder: Path) -> Path:
    """GitHub's components, its summary during an outage and a few incidents, in one folder."""
    folder.mkdir()
    for path in [*GITHUB.glob("*.json"), *(GITHUB / "incidents" / f"{i}.json" for i in INCIDENTS)]:
        shutil.copy(path, folder / path.name)
    return folder


# One page at a time --------------------------------------------------------------------------


def test_sources_of_different_pages_are_refused_naming_each(target: Repo) -> None:
    before = snapshot(target.root)
    result = run(target, str(STATUSPAGE))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    for page_id, name, folder in PAGES:
        [line] = [line for line in lines if line.startswith(f"page {page_id} ({name}): ")]
        assert f"{folder}/" in line or line.endswith(folder)
    assert "1285 files under " + str(GITHUB) in result.stderr
    assert lines[-1] == (
        "Error: the sources come from 4 different Statuspage pages (above); import one page at "
        "a time, or add --merge to make one site of them all; nothing was written"
    )
    assert snapshot(target.root) == before


def test_two_files_of_two_pages_are_refused(target: Repo) -> None:
    box = BOX / "components.2021-12-27.json"
    github = GITHUB / "components.2021-12-10.json"
    result = run(target, str(box), str(github))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:2] == [
        f"page 208q92hckwws (Box): {box}",
        f"page kctbh9vrtdwd (GitHub): {github}",
    ]
    assert config(target) == CONFIG


def test_many_responses_of_one_page_are_one_page(target: Repo, sources: Path) -> None:
    sample = github_sample(sources / "github")
    result = run(target, str(sample), str(GITHUB / "components.2021-12-01.json"))
    assert result.exit_code == 0, result.output


def test_a_response_without_its_page_is_of_any(target: Repo, sources: Path) -> None:
    bare = sources / "bare.json"
    data = json.loads((BOX / "components.2021-12-27.json").read_text())
    bare.write_text(json.dumps({"components": data["components"]}))
    result = run(target, str(bare), str(GITHUB / "components.2021-12-10.json"))
    assert result.exit_code == 0, result.output


def test_merge_makes_one_site_of_them_all(target: Repo) -> None:
    result = run(target, str(STATUSPAGE), "--merge", "--since", "2023-01-01")
    assert result.exit_code == 0, result.output
    api_ids = {entry["api_id"] for entry in entries(target)}
    for _, _, folder in PAGES:
        for source in (STATUSPAGE / folder).glob("components.*.json"):
            components = json.loads(source.read_text())["components"]
            assert {c["id"] for c in components if not c.get("group")} <= api_ids
    ids = [entry["id"] for entry in entries(target)]
    assert len(ids) == len(set(ids))
    assert target.run("check").exit_code == 0


def test_help_names_every_kind_of_source_and_merge(target: Repo) -> None:
    said = target.run("import", "statuspage", "--help").output
    assert "api:PAGE_ID" in said and "$STATUSPAGE_API_KEY" in said
    assert "--merge" in said and "api_id" in said


# Readable ids --------------------------------------------------------------------------------


def test_components_get_readable_unique_ids_and_keep_their_statuspage_id(target: Repo) -> None:
    box = BOX / "components.2021-12-27.json"
    assert run(target, str(box)).exit_code == 0
    source = [c for c in json.loads(box.read_text())["components"] if not c.get("group")]
    found = entries(target)
    assert [e["api_id"] for e in found] == [c["id"] for c in source]
    assert [e["name"] for e in found] == [c["name"] for c in source]
    ids = [e["id"] for e in found]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(ID_PATTERN, i) and i.isascii() and i == i.lower() for i in ids)
    # Box has three components named Login/SSO, one in each of three groups
    assert ids[:3] == ["login-sso", "login-sso-2", "login-sso-3"]
    assert target.run("check").exit_code == 0


def test_incidents_name_components_by_their_readable_ids(target: Repo, sources: Path) -> None:
    assert run(target, str(github_sample(sources / "github"))).exit_code == 0
    readable = {e["api_id"]: e["id"] for e in entries(target)}
    [path] = (target.root / "incidents").rglob("*-ljwdk6qml8z8.yml")
    text = path.read_text()
    assert "components:\n  packages: operational\n  pages: partial_outage\n" in text
    assert "    components:\n      pages: partial_outage\n      packages: partial_outage\n" in text
    for api_id in readable:
        assert api_id not in text
    assert readable["st3j38cctv9l"] == "packages"
    assert target.run("check").exit_code == 0


def test_importing_twice_writes_the_same_bytes(target: Repo, sources: Path) -> None:
    sample = github_sample(sources / "github")
    assert run(target, str(sample), str(BOX.parent / "status.box.com"), "--merge").exit_code == 0
    first = snapshot(target.root)
    again = run(target, str(sample), str(BOX.parent / "status.box.com"), "--merge")
    assert again.exit_code == 0
    assert "Imported 0 new components" in again.stderr and "0 files written" in again.stderr
    assert snapshot(target.root) == first
    # and into another repository, the same bytes too
    other = sources / "other"
    other.mkdir()
    (other / "site_config.yml").write_text(CONFIG)
    target.root = other
    assert run(target, str(sample), str(BOX.parent / "status.box.com"), "--merge").exit_code == 0
    assert snapshot(other) == {k: v for k, v in first.items() if not k.startswith("site/")}


def test_an_id_taken_by_hand_is_not_taken_again(target: Repo) -> None:
    target.write(
        "site_config.yml",
        CONFIG.replace("components: []", "components:\n  - {id: github-actions, name: CI}"),
    )
    assert run(target, str(GITHUB / "components.2021-12-10.json")).exit_code == 0
    found = {e["api_id"]: e["id"] for e in entries(target) if "api_id" in e}
    assert found["br0l2tvcx85d"] == "github-actions-2"
    assert "  - {id: github-actions, name: CI}\n" in config(target)


def test_a_component_renamed_at_the_source_keeps_its_id(target: Repo, sources: Path) -> None:
    assert run(target, str(GITHUB / "components.2021-12-10.json")).exit_code == 0  # GitHub Actions
    assert {e["api_id"]: e["id"] for e in entries(target)}["br0l2tvcx85d"] == "github-actions"
    assert run(target, str(github_sample(sources / "github"))).exit_code == 0  # now: Actions
    assert {e["api_id"]: e["id"] for e in entries(target)}["br0l2tvcx85d"] == "github-actions"
    [path] = (target.root / "incidents").rglob("*-ljwdk6qml8z8.yml")
    assert "packages: partial_outage" in path.read_text()
    assert target.run("check").exit_code == 0


# Repositories imported before components got readable ids ----------------------------------


OPAQUE = """\
site:
  name: GitHub Status
  url: https://www.githubstatus.com/
  timezone: UTC
components:
  - id: st3j38cctv9l
    name: Packages
  - id: vg70hn9s2tyj
    name: Pages
"""


def test_a_repository_with_opaque_ids_keeps_them(target: Repo) -> None:
    target.write("site_config.yml", OPAQUE)
    result = run(target, str(GITHUB / "summary.2022-11-25.json"))
    assert result.exit_code == 0, result.output
    text = config(target)
    assert text.startswith(OPAQUE)  # the components it had, as they were
    assert "  - id: actions\n    name: Actions\n" in text
    assert "    api_id: br0l2tvcx85d\n" in text
    assert "api_id: st3j38cctv9l" not in text and "api_id: vg70hn9s2tyj" not in text
    [path] = (target.root / "incidents").rglob("*-ljwdk6qml8z8.yml")
    assert "components:\n  st3j38cctv9l: operational\n  vg70hn9s2tyj: partial_outage\n" in (
        path.read_text()
    )
    assert target.run("check").exit_code == 0
    before = snapshot(target.root)
    assert run(target, str(GITHUB / "summary.2022-11-25.json")).exit_code == 0
    assert snapshot(target.root) == before


# The API v2 shows the Statuspage ids again ----------------------------------------------------


def test_the_api_shows_the_statuspage_ids_to_a_real_client(target: Repo, tmp_path: Path) -> None:
    summary = GITHUB / "summary.2022-11-25.json"
    assert run(target, str(summary)).exit_code == 0
    built = target.run("build", "--now", "2022-11-25T16:00:00Z")
    assert built.exit_code == 0, built.output
    site = target.root / "site"
    ours = json.loads((site / "api/v2/summary.json").read_text())
    theirs = json.loads(summary.read_text())
    assert [c["id"] for c in ours["components"]] == [c["id"] for c in theirs["components"]]
    [incident] = ours["incidents"]
    [source] = theirs["incidents"]
    assert [c["id"] for c in incident["components"]] == [c["id"] for c in source["components"]]
    codes = {
        a["code"] for u in incident["incident_updates"] for a in u["affected_components"] or []
    }
    assert codes == {"st3j38cctv9l", "vg70hn9s2tyj"}
    with serve(site) as base:
        metrics = run_exporter(f"{base}api/v2/summary.json", tmp_path)
    [(labels, _)] = metrics["statuspage_incident_info"]
    assert labels["incident_id"] == "ljwdk6qml8z8"
    assert set(labels["affected_components"].split(", ")) == {"Packages", "Pages"}
    components = {
        labels["component_name"]: value for labels, value in metrics["statuspage_component_status"]
    }
    assert components["Packages"] == 0.0 and components["Git Operations"] == 1.0

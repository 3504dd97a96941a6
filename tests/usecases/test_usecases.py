"""The use cases, called as a library: typed requests in, a result or a typed error out."""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from generator.input.authoring import locked
from generator.input.guard import InvalidRepository, valid_config
from generator.input.validate import load_repository
from generator.usecases import (
    ApplyRequest,
    InvalidInput,
    NewRequest,
    ResolveRequest,
    UnknownKey,
    UpdateRequest,
    Workspace,
    WrongUsage,
    apply,
    base_url,
    check_summary,
    closing_status,
    component_pairs,
    duration_seconds,
    last_build,
    new_incident,
    now,
    resolve_incident,
    site_time,
    time_in,
    update_incident,
    window,
)
from generator.usecases.notifying import NotifyRequest, notify
from generator.usecases.site import build_id
from tests.conftest import INCIDENT, Repo

AT = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def _never() -> datetime:
    raise AssertionError("the moment was not needed")


def _apply(repo: Repo, action: Mapping[str, object], now: datetime = AT) -> Path:
    payload = json.dumps(action).encode()
    path = apply(Workspace(repo.root), ApplyRequest("a.json", payload, lambda: now)).path
    assert path is not None
    return path


def test_new_writes_an_incident_with_the_impact_from_its_components(repo: Repo) -> None:
    request = NewRequest(
        title="API errors", message="Some calls fail.", components={"api": "major_outage"}, at=AT
    )
    path = new_incident(Workspace(repo.root), request)
    text = path.read_text(encoding="utf-8")
    assert path.name == "2026-11-20-api-errors.yml"
    assert "impact: critical\n" in text
    assert "api: major_outage" in text
    assert "status: investigating" in text


def test_new_with_a_window_is_a_scheduled_maintenance(repo: Repo) -> None:
    window = (AT + timedelta(days=1), AT + timedelta(days=1, hours=2))
    request = NewRequest(title="Database upgrade", message="We upgrade.", window=window, at=AT)
    text = new_incident(Workspace(repo.root), request).read_text(encoding="utf-8")
    assert "type: maintenance" in text
    assert "status: scheduled" in text


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        (NewRequest(title=" ", message="m"), "the title is empty; say what customers experience"),
        (NewRequest(title="t", message=" "), "the message is empty; say what customers experience"),
        (NewRequest(title="t", message="m", components={"apii": None}), "unknown component 'apii'"),
        (
            NewRequest(title="t", message="m", status="scheduled"),
            "'scheduled' is not a status of an incident",
        ),
        (
            NewRequest(title="t", message="m", impact="maintenance"),
            "'maintenance' is the impact of a",
        ),
        (
            NewRequest(title="t", message="m", at=AT, next_update=AT),
            "the next update (Nov 20, 2026, 11:00\u202fAM CET) is not after the update itself",
        ),
    ],
)
def test_new_refuses_invalid_requests_and_writes_nothing(
    repo: Repo, request_: NewRequest, message: str
) -> None:
    with pytest.raises(InvalidInput) as raised:
        new_incident(Workspace(repo.root), request_)
    assert raised.value.text.startswith(message)
    assert not (repo.root / "incidents").exists()


def test_a_workspace_without_a_config_says_where_it_looked(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as raised:
        new_incident(Workspace(tmp_path), NewRequest(title="t", message="m"))
    assert raised.value.message == f"there is no site_config.yml in {tmp_path.resolve()}"
    assert raised.value.hint == "run statusgen in your status repository, or pass --root"


def test_update_appends_and_a_duration_promise_counts_from_the_update(repo: Repo) -> None:
    path = repo.incident("2026-11-20-sign-in", INCIDENT)
    request = UpdateRequest(
        incident_id="2026-11-20-sign-in",
        message="A fix is out.",
        status="monitoring",
        at=AT,
        next_update=timedelta(minutes=30),
    )
    assert update_incident(Workspace(repo.root), request) == path
    text = path.read_text(encoding="utf-8")
    assert "status: monitoring" in text
    assert "next_update: 2026-11-20T10:30:00Z" in text


def test_update_refuses_a_status_of_the_other_kind(repo: Repo) -> None:
    path = repo.incident("x", INCIDENT)
    before = path.read_bytes()
    with pytest.raises(InvalidInput, match="'completed' is not a status of an incident"):
        update_incident(
            Workspace(repo.root),
            UpdateRequest(incident_id="x", message="m", status="completed", at=AT),
        )
    assert path.read_bytes() == before


def test_an_unknown_id_names_the_closest(repo: Repo) -> None:
    repo.incident("2026-11-20-sign-in", INCIDENT)
    with pytest.raises(InvalidInput) as raised:
        update_incident(
            Workspace(repo.root), UpdateRequest(incident_id="2026-11-20-sign-im", message="m")
        )
    assert raised.value.hint == "did you mean '2026-11-20-sign-in'?"


def test_resolve_uses_the_closing_status(repo: Repo) -> None:
    path = repo.incident("x", INCIDENT)
    resolve_incident(
        Workspace(repo.root), ResolveRequest(incident_id="x", message="All good again.", at=AT)
    )
    incident = Workspace(repo.root).incident("x")
    assert incident.latest_update.status == closing_status(incident) == "resolved"
    assert "status: resolved" in path.read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_locked_file_is_refused_not_overwritten(repo: Repo) -> None:
    path = repo.incident("x", INCIDENT)
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with locked(path):
            holding.set()
            release.wait(30)

    thread = threading.Thread(target=hold)
    thread.start()
    holding.wait(30)
    try:
        with pytest.raises(InvalidInput, match="another statusgen command is writing"):
            update_incident(
                Workspace(repo.root), UpdateRequest(incident_id="x", message="m", at=AT)
            )
    finally:
        release.set()
        thread.join()


def test_apply_new_goes_through_the_same_use_case_as_the_terminal(repo: Repo) -> None:
    action = {"action": "new", "title": "API errors", "message": "m",
              "components": "api=major_outage", "at": "2026-11-20T10:00:00Z"}  # fmt: skip
    by_apply = _apply(repo, action)
    text = by_apply.read_text(encoding="utf-8")
    by_apply.unlink()
    request = NewRequest(title="API errors", message="m", components={"api": "major_outage"}, at=AT)
    assert new_incident(Workspace(repo.root), request).read_text(encoding="utf-8") == text


def test_apply_finds_the_only_open_incident_at_now(repo: Repo) -> None:
    path = repo.incident("x", INCIDENT)
    assert _apply(repo, {"action": "resolve", "message": "Fixed."}) == path
    assert "status: resolved" in path.read_text(encoding="utf-8")


def test_apply_by_id_never_asks_the_moment(repo: Repo) -> None:
    path = repo.incident("x", INCIDENT)
    payload = json.dumps({"action": "update", "id": "x", "message": "Still on it."}).encode()
    applied = apply(Workspace(repo.root), ApplyRequest("a.json", payload, _never))
    assert (applied.path, applied.changed) == (path, True)
    assert (
        applied.summary
        == "update to x (Investigating, major impact): Some customers cannot sign in"
    )


def test_apply_with_a_key_applied_before_changes_nothing(repo: Repo) -> None:
    action = {"action": "new", "title": "t", "message": "m", "key": "k-1"}
    first = _apply(repo, action)
    before = first.read_bytes()
    payload = json.dumps(action).encode()
    applied = apply(Workspace(repo.root), ApplyRequest("a.json", payload, _never))
    assert (applied.path, applied.changed, applied.summary) == (first, False, "")
    assert applied.said == "apply: the action with key 'k-1' was applied before; nothing to do"
    assert first.read_bytes() == before


def test_apply_for_an_unknown_incident_key_raises_unknown_key(repo: Repo) -> None:
    with pytest.raises(UnknownKey) as raised:
        _apply(repo, {"action": "update", "incident_key": "alert-9", "message": "m"})
    assert raised.value.key == "alert-9"


def test_apply_names_each_problem_of_the_action(repo: Repo) -> None:
    payload = json.dumps({"action": "new", "message": "m", "colour": "red"}).encode()
    with pytest.raises(InvalidInput) as raised:
        apply(Workspace(repo.root), ApplyRequest("a.json", payload, _never))
    assert raised.value.message == "a.json: nothing was written"
    assert any(line.startswith("a.json: colour: unknown field") for line in raised.value.details)


def test_apply_refuses_a_payload_that_is_not_utf8(repo: Repo) -> None:
    with pytest.raises(InvalidInput, match=r"a\.json: not UTF-8 text"):
        apply(Workspace(repo.root), ApplyRequest("a.json", b"\xff\xfe", _never))


def test_the_guard_passes_a_valid_repository_and_counts_errors_otherwise(repo: Repo) -> None:
    repository = load_repository(repo.root)
    assert valid_config(repository, "{errors}") is repository.config
    repo.incident("x", "title: t\nimpact: huge\ncomponents: [apii]\nupdates: []\n")
    repository = load_repository(repo.root)
    with pytest.raises(InvalidRepository) as raised:
        valid_config(repository, "not built: {errors} in the input")
    errors = sum(d.severity == "error" for d in repository.diagnostics)
    assert errors > 1
    assert raised.value.message == f"not built: {errors} errors in the input"
    assert raised.value.diagnostics == repository.diagnostics


def test_check_summary_counts_files_and_incidents(repo: Repo) -> None:
    repo.incident("x", INCIDENT)
    assert check_summary(Workspace(repo.root)) == (
        "2 files checked (1 incident): no problems",
        True,
    )


def test_notify_refuses_invalid_files_and_unknown_channels(repo: Repo) -> None:
    said: list[str] = []
    request = NotifyRequest(AT, lambda line, _error: said.append(line), only=("chat",))
    with pytest.raises(WrongUsage) as raised:
        notify(Workspace(repo.root), request)
    assert raised.value.option == "--channel"
    repo.incident("x", "title: t\nimpact: huge\nupdates: []\n")
    with pytest.raises(InvalidInput, match="notify sends only from valid files"):
        notify(Workspace(repo.root), request)


def test_last_build_is_wrong_usage_without_live_json(tmp_path: Path) -> None:
    with pytest.raises(WrongUsage, match="Missing option '--build'"):
        last_build(tmp_path)
    (tmp_path / "live.json").write_text('{"build": "b-1"}')
    assert last_build(tmp_path) == "b-1"


def test_a_build_id_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    assert build_id("abc-1.2") == "abc-1.2"
    with pytest.raises(WrongUsage) as raised:
        build_id("a b")
    assert raised.value.option == "--build-id"


def test_times_are_in_the_site_zone_and_a_wrong_one_names_its_option(repo: Repo) -> None:
    workspace = Workspace(repo.root)
    assert site_time(workspace, None, "--at") is None
    moment = site_time(workspace, "2026-11-20T10:00:00Z", "--at")
    assert moment == AT
    with pytest.raises(WrongUsage) as caught:
        site_time(workspace, "yesterday-ish", "--at")
    assert caught.value.option == "--at"
    assert time_in(UTC, "2026-11-20 10:00", "--since") == AT


def test_now_is_the_option_else_source_date_epoch(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace = Workspace(repo.root)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(AT.timestamp())))
    assert now(workspace, None) == AT
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "soon")
    with pytest.raises(WrongUsage) as caught:
        now(workspace, None)
    assert caught.value.option is None
    assert now(workspace, "2026-11-20T10:00:00Z") == AT


def test_base_urls_and_durations_are_checked() -> None:
    assert base_url(None) is None
    assert base_url("https://status.example.com") == "https://status.example.com/"
    with pytest.raises(WrongUsage) as caught:
        base_url("status.example.com")
    assert caught.value.option == "--base-url"
    assert duration_seconds("1h30m") == 5400
    for wrong in ("0s", "soon"):
        with pytest.raises(WrongUsage):
            duration_seconds(wrong)


def test_a_maintenance_needs_its_window_and_an_incident_has_none(repo: Repo) -> None:
    workspace = Workspace(repo.root)
    assert window(workspace, False, None, None) is None
    start, end = "2026-11-20T10:00:00Z", "2026-11-20T12:00:00Z"
    assert window(workspace, True, start, end) == (AT, AT + timedelta(hours=2))
    for maintenance, given in ((True, (start, None)), (False, (start, end))):
        with pytest.raises(WrongUsage, match="--maintenance"):
            window(workspace, maintenance, *given)
    assert component_pairs(("api=major_outage", "web", "db=")) == [
        ("api", "major_outage"),
        ("web", None),
        ("db", None),
    ]

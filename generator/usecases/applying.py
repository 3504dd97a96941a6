"""``apply``: one action as JSON (from the form, a bot, the relay), performed through the
same use cases as the terminal's new, update and resolve."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from generator.core.diagnostics import display_path
from generator.core.model import SiteConfig
from generator.input import alerts
from generator.input.actions import (
    MAX_PAYLOAD_BYTES,
    Action,
    ActionError,
    draft_name,
    load_payload,
    read_action,
)
from generator.input.authoring import find_key
from generator.input.validate import incident_files, incident_index
from generator.usecases.errors import InvalidInput, UnknownKey
from generator.usecases.incidents import (
    NewRequest,
    ResolveRequest,
    UpdateRequest,
    new_incident,
    resolve_incident,
    summary,
    update_incident,
)
from generator.usecases.workspace import Workspace

#: The environment variable through which the incident workflow names the drafts still
#: open for review: their branches' names without ``incident/``, separated by white space.
DRAFTS = "STATUSGEN_DRAFTS"


@dataclass(frozen=True)
class ApplyRequest:
    """An action as read from ``name`` (a file, or ``<stdin>``): its bytes, at most
    ``MAX_PAYLOAD_BYTES`` and one more; ``now`` is asked to find the open incident, and
    when a monitor's notification arrived."""

    name: str
    payload: bytes
    now: Callable[[], datetime]
    environ: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Applied:
    """What ``apply`` did: the file it wrote, or found written by the same key before;
    neither (``action`` None) for a monitor's notification that asks for nothing (a test,
    a pending check), ``summary`` saying why."""

    action: Action | None
    path: Path | None
    changed: bool
    summary: str = ""

    @property
    def said(self) -> str:
        """The line that tells what was done: the summary, or that nothing was to do."""
        if self.changed:
            return self.summary
        if self.action is None:
            return f"apply: {self.summary}"
        return f"apply: the action with key '{self.action.key}' was applied before; nothing to do"


def read(
    workspace: Workspace,
    name: str,
    payload: bytes,
    now: Callable[[], datetime],
    drafts: tuple[str, ...] = (),
) -> Action | alerts.Draft:
    """The action ``payload`` holds (or a monitor's notification makes, as the relay
    would; a draft that asks for nothing when it asks for nothing), or ``InvalidInput``
    naming each problem. ``now`` is when a notification arrived (Gatus' episodes start
    then); ``drafts`` are the keys of drafts still open for review (``DRAFTS``)."""
    if len(payload) > MAX_PAYLOAD_BYTES:
        raise InvalidInput(
            f"{name}: larger than {MAX_PAYLOAD_BYTES // 1024} KiB; nothing was written",
            hint="an action is an object of a few short texts",
        )
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(
            f"{name}: not UTF-8 text", hint="save the action as UTF-8 JSON"
        ) from None
    config = workspace.config
    try:
        data = load_payload(text)
        source = alerts.source_of(data)
        if source is not None:
            # A group's episode goes on in its open incident only, not in a draft branch:
            # a draft declined (its pull request closed, its branch kept) would swallow
            # every later episode of the group, which says when each one started.
            kept = () if source in alerts.GROUPED else drafts
            found = alerts.draft(source, data, now(), _remembered(workspace, kept))
            if found.payload is None:
                return found
            data = with_components(found, config)
        return read_action(data, config)
    except alerts.AlertError as error:
        monitor = alerts.NAMES[alerts.source_of(data) or "alertmanager"]
        hint = f"{name} was read as {monitor}'s notification; nothing was written"
        if error.unknown:
            hint += (
                " (no open incident of this repository, and no draft still open for review,"
                " records that monitor's episode: post its all clear by hand)"
            )
        raise InvalidInput(f"{name}: {error.where}: {error.what}", hint=hint) from None
    except ActionError as error:
        details = [f"{name}: {where}: {what}" for where, what in error.problems]
        raise InvalidInput(f"{name}: nothing was written", details=details) from None


def _remembered(workspace: Workspace, drafts: tuple[str, ...]) -> Callable[[str], str | None]:
    """The episode open for a monitor's series, as this repository remembers it: the key
    of the open incident whose file records one of that series (the newest, if several);
    else the newest of that series' drafts still open for review that no incident records
    (a draft not merged yet: its monitor's reminders are applied before, and its recovery
    joins it)."""

    def remembered(prefix: str) -> str | None:
        incidents = workspace.repository.incidents
        found = [
            (incident.updates[0].at, key)
            for incident in incidents
            if not incident.is_resolved
            for key, _ in incident.keys
            if alerts.is_episode_of(key, prefix)
        ]
        if found:
            return max(found)[1]
        recorded = {key for incident in incidents for key, _ in incident.keys}
        pending = [d for d in drafts if alerts.is_episode_of(d, prefix) and d not in recorded]
        return max(pending) if pending else None  # (an episode's key ends in its start)

    return remembered


def with_components(found: alerts.Draft, config: SiteConfig) -> dict[str, Any]:
    """The draft's action with the components it affects: those its payload names, else
    the site's component whose id or name is the monitor's name (any case)."""
    assert found.payload is not None
    named = found.declared
    if named is None and found.payload["action"] == "new":
        wanted = found.name.casefold()
        named = next(
            (
                c.id
                for c in config.components
                if wanted and wanted in (c.id.casefold(), c.name.casefold())
            ),
            None,
        )
    if named is None or found.payload["action"] != "new":
        return found.payload
    return {**found.payload, "components": named}


def apply(workspace: Workspace, request: ApplyRequest) -> Applied:
    """Perform the action, once: an action whose key a file records is not done again.

    In GitHub Actions (``GITHUB_OUTPUT`` in ``environ``), what the next steps need is
    written for them, even when no incident records the ``incident_key`` (``awaits``)."""
    drafts = tuple(request.environ.get(DRAFTS, "").split())
    action = read(workspace, request.name, request.payload, request.now, drafts)
    if isinstance(action, alerts.Draft):
        nothing = Applied(None, None, changed=False, summary=action.said)
        github_outputs(request.environ, nothing)
        return nothing
    if action.key is not None:
        done = find_key(incident_files(workspace.root), action.key)
        if done is not None:
            applied = Applied(action, done, changed=False)
            github_outputs(request.environ, applied)
            return applied
    try:
        path = perform(workspace, action, request.now)
    except UnknownKey as error:
        # the incident workflow then looks for that draft, and adds this action to it
        _github_output(request.environ, awaits=draft_name(error.key, _run_id(request.environ)))
        raise
    applied = Applied(action, path, changed=True, summary=summary(workspace, path, action.action))
    github_outputs(request.environ, applied)
    return applied


def perform(workspace: Workspace, action: Action, now: Callable[[], datetime]) -> Path:
    """Write a valid action's change through the use case it names; the file it changed."""
    if action.action == "new":
        window = (action.start, action.end) if action.start and action.end else None
        return new_incident(
            workspace,
            NewRequest(
                title=action.title or "",
                message=action.message,
                impact=action.impact,
                components=action.components,
                regions=action.regions,
                status=action.status,
                window=window,
                at=action.at,
                next_update=action.next_update,
                key=action.key,
                lang=action.lang,
                force=action.force,
            ),
        )
    target = _target(workspace, action, now)
    if action.action == "resolve":
        return resolve_incident(
            workspace,
            ResolveRequest(
                incident_id=target,
                message=action.message,
                at=action.at,
                key=action.key,
                lang=action.lang,
                force=action.force,
            ),
        )
    update = UpdateRequest(
        incident_id=target,
        message=action.message,
        status=action.status,
        at=action.at,
        next_update=action.next_update,
        key=action.key,
        components={c: s for c, s in action.components.items() if s is not None},
        impact=action.impact,
        title=action.title,
        lang=action.lang,
        force=action.force,
    )
    return update_incident(workspace, update)


def _target(workspace: Workspace, action: Action, now: Callable[[], datetime]) -> str:
    """The id of the incident an update or an all clear is for: by id (or the start of
    one), by the key of the action that opened it, or the only open one."""
    if action.id is not None:
        return workspace.find(action.id)
    if action.incident_key is None:
        return workspace.only_open(now())
    path = find_key(incident_files(workspace.root), action.incident_key)
    if path is None:
        raise UnknownKey(action.incident_key)
    ids = [i for i, found in incident_index(workspace.root).items() if found == path]
    if not ids:
        raise InvalidInput(
            f"{display_path(path)} records the key '{action.incident_key}', "
            "but another file has its id",
            hint="give each incident its own id (statusgen check names them)",
        )
    return ids[0]


def github_outputs(environ: Mapping[str, str], applied: Applied) -> None:
    """What the next steps of a GitHub workflow need, where GitHub asks for it: ``draft``
    names the branch of a review (``incident/<draft>``)."""
    action = applied.action
    _github_output(
        environ,
        path="" if applied.path is None else display_path(applied.path),
        summary=applied.summary,
        changed="true" if applied.changed else "false",
        review="true" if action is not None and action.review else "false",
        draft=draft_name(None if action is None else action.key, _run_id(environ)),
    )


def _github_output(environ: Mapping[str, str], **values: str) -> None:
    """Each value as an output of this step, where GitHub asks for it (one line each)."""
    outputs = environ.get("GITHUB_OUTPUT")
    if not outputs:
        return
    lines = "".join(f"{name}={' '.join(value.splitlines())}\n" for name, value in values.items())
    with Path(outputs).open("a", encoding="utf-8") as stream:
        stream.write(lines)


def _run_id(environ: Mapping[str, str]) -> str:
    return environ.get("GITHUB_RUN_ID", "draft")

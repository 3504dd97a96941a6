"""Every rule of the file formats, over every file, with all problems gathered in one run.

The shape of each file is checked by the models of ``formats.py``; their errors are turned
into :class:`Diagnostic` lines that name the key, the place and a fix. The rules that span
values or files follow. What passes becomes the records of ``model.py``.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, timedelta
from pathlib import Path
from typing import Any, Protocol, cast, get_args, get_origin
from zoneinfo import ZoneInfo

from annotated_types import Ge, Gt, Le, Lt
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from generator.channels import ServiceError, VariableError, url_problem, variables
from generator.core.colours import AA, TEXT_ON_BRAND, contrast
from generator.core.diagnostics import Diagnostic, Mark, did_you_mean, one_of
from generator.core.model import (
    Channel,
    Component,
    ComponentChange,
    Incident,
    LintSettings,
    NotifySettings,
    SiteConfig,
    Update,
    Window,
)
from generator.core.times import EXAMPLE, format_utc, parse_duration
from generator.core.vocabulary import (
    INCIDENT_STATUSES,
    MAINTENANCE_ACTIVE,
    MAINTENANCE_STATUSES,
    NOTIFY_EVENTS,
    OPERATIONAL,
    RESOLVED,
    STATUS_FROM_IMPACT,
)
from generator.input.formats import (
    ID_LENGTH,
    ID_PATTERN,
    IncidentFile,
    IncidentUpdate,
    MaintenanceFile,
    MaintenanceUpdate,
    SiteConfigFile,
    record_model,
)
from generator.input.paths import Boundary
from generator.input.source import Document, Loc, SourceError, decode, load, parse
from generator.input.theme import theme_problems

CONFIG_NAME = "site_config.yml"
INCIDENTS_DIR = "incidents"

_ID = re.compile(ID_PATTERN)
#: The port of a URL written out: digits after the host, before the path.
_PORT = re.compile(
    r"^[A-Za-z][A-Za-z0-9+.-]*://(?:[^/?#@]*@)?(?:\[[^\]]*\]|[^/?#:@]*):([0-9]+)(?:[/?#]|$)"
)
PORTS = (1, 65535)

#: What to add when a required key is missing.
_MISSING_HINTS = {
    "site": "add a 'site:' section with name and url",
    "name": "add the name customers know, e.g. name: Acme Cloud Status",
    "url": "add the address the site is published at, e.g. url: https://status.acme.example/",
    "id": "add an id of letters, digits, '-' and '_'",
    "title": "add a title that says what customers experience, "
    "e.g. title: Some customers cannot sign in",
    "impact": "add impact: none, minor, major or critical",
    "updates": "add updates: with at least one '- at: ... message: ...'",
    "at": f"add the time of the update, e.g. at: {EXAMPLE}",
    "message": "add what customers should know, e.g. message: We are investigating.",
    "scheduled": "a maintenance needs its window: scheduled: {start: ..., end: ...}",
    "start": f"add the start of the window, e.g. start: {EXAMPLE}",
    "end": f"add the end of the window, e.g. end: {EXAMPLE}",
}

#: The tags of the union of ``components:`` that pydantic puts into an error's place.
_UNION_TAGS = frozenset({"<mapping>", "<list>"})

#: What the values of these keys are called in messages.
_VALUE_NOUNS = {
    "status": "status",
    "impact": "impact",
    "type": "type",
    "ignore": "lint rule",
    "disable": "lint rule",
    "min_impact": "impact",
    "events": "event",
    "language": "language",
    "languages": "language",
}

#: What to add when a channel of ``notify.channels`` misses a key.
_CHANNEL_HINTS = {
    "id": "add an id of letters, digits, '-' and '_', e.g. id: customers-email",
    "url": "add its Apprise URL, with secrets as variables, e.g. url: ${NOTIFY_EMAIL_URL}",
}


class IncidentMemo(Protocol):
    """Incidents validated by an earlier run, found again by the bytes they were made from
    (the build's cache is one); validation never depends on how they are kept."""

    def get(self, path: Path, raw: bytes, config: bytes) -> Incident | None: ...

    def put(self, path: Path, raw: bytes, config: bytes, incident: Incident) -> None: ...


@dataclass
class Repository:
    """A status repository as read: its config and incidents, or what is wrong with them."""

    root: Path
    config: SiteConfig | None = None
    incidents: tuple[Incident, ...] = ()
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: int = 0

    @property
    def ok(self) -> bool:
        return self.config is not None and not any(d.severity == "error" for d in self.diagnostics)


def incident_files(root: Path) -> list[Path]:
    """Every incident file under ``root/incidents``, subfolders included, in path order."""
    folder = root / INCIDENTS_DIR
    if not folder.is_dir():
        return []
    found = [
        path
        for path in folder.rglob("*")
        if path.suffix in (".yml", ".yaml")
        and path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(folder).parts)
    ]
    return sorted(found, key=lambda path: path.relative_to(folder).as_posix())


def incident_index(root: Path) -> dict[str, Path]:
    """The id of every incident file, read cheaply: its ``id:`` key, else its file name."""
    index: dict[str, Path] = {}
    boundary = Boundary(root)
    for path in incident_files(root):
        if boundary.outside(path):
            continue
        incident_id = path.stem
        try:
            data = load(path).data
        except (SourceError, OSError):
            data = None
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            incident_id = data["id"]
        index.setdefault(incident_id, path)
    return index


def load_repository(root: Path, memo: IncidentMemo | None = None) -> Repository:
    """Read and validate the config and every incident file below ``root``.

    With a ``memo``, files whose bytes (and config) are unchanged since it was saved are
    not parsed again.

    The records of thousands of incidents hold no reference cycles: collecting garbage
    while they load only rescans them, again and again. So no collection runs while they
    load, and once loaded they are frozen out of every later collection.
    """
    gc.disable()
    try:
        return _load_repository(root, memo)
    finally:
        gc.freeze()
        gc.enable()


def _load_repository(root: Path, memo: IncidentMemo | None) -> Repository:
    repository = Repository(root)
    config_path = root / CONFIG_NAME
    if not config_path.is_file():
        repository.diagnostics.append(
            Diagnostic(
                config_path,
                1,
                1,
                f"there is no {CONFIG_NAME} in {root.resolve()}",
                "run statusgen in your status repository, or pass --root",
            )
        )
        return repository
    boundary = Boundary(root)
    outside = boundary.problem(config_path)
    if outside is not None:
        repository.diagnostics.append(outside)
        return repository
    config, problems = read_config(config_path)
    repository.config = config
    repository.diagnostics += problems
    repository.diagnostics += theme_problems(root, boundary)
    try:
        config_bytes = config_path.read_bytes()
    except OSError:
        config_bytes = b""  # read_config said why
    incidents: list[Incident] = []
    paths = incident_files(root)
    for path in paths:
        outside = boundary.problem(path)
        if outside is not None:
            repository.diagnostics.append(outside)
            continue
        try:
            raw = path.read_bytes()
        except OSError as error:
            repository.diagnostics.append(
                Diagnostic(path, 1, 1, f"cannot read the file: {error.strerror}")
            )
            continue
        remembered = memo is not None and config is not None
        incident = memo.get(path, raw, config_bytes) if memo is not None and remembered else None
        if incident is None:
            incident, problems = _incident_from_bytes(path, raw, config)
            repository.diagnostics += problems
            if incident is not None and memo is not None and remembered:
                memo.put(path, raw, config_bytes, incident)
        if incident is not None:
            incidents.append(incident)
    repository.diagnostics += _duplicate_ids(incidents)
    repository.diagnostics += _duplicate_keys(incidents)
    repository.incidents = tuple(incidents)
    repository.files = len(paths) + 1
    return repository


def _incident_from_bytes(
    path: Path, raw: bytes, config: SiteConfig | None
) -> tuple[Incident | None, list[Diagnostic]]:
    try:
        document = parse(decode(raw), path)
    except SourceError as error:
        return None, [Diagnostic(path, error.mark.line, error.mark.col, error.message, error.hint)]
    return check_incident_document(document, config)


def _read(path: Path) -> tuple[Document | None, list[Diagnostic]]:
    try:
        document = load(path)
    except SourceError as error:
        return None, [Diagnostic(path, error.mark.line, error.mark.col, error.message, error.hint)]
    except OSError as error:
        return None, [Diagnostic(path, 1, 1, f"cannot read the file: {error.strerror}")]
    return document, _not_a_mapping(document)


def _not_a_mapping(document: Document) -> list[Diagnostic]:
    path = document.path
    if not isinstance(document.data, dict):
        found = "empty" if document.data is None else _describe(document.data)
        mark = document.value_mark(())
        return [
            Diagnostic(
                path,
                mark.line,
                mark.col,
                f"the file must be a mapping of keys to values, but it is {found}",
                "start with 'title: ...' (or 'site: ...' in site_config.yml) at the left margin",
            )
        ]
    return []


# site_config.yml ---------------------------------------------------------------------------


def read_config(path: Path) -> tuple[SiteConfig | None, list[Diagnostic]]:
    """Validate ``site_config.yml``."""
    document, problems = _read(path)
    if document is None or problems:
        return None, problems
    try:
        raw = SiteConfigFile.model_validate(document.data)
    except ValidationError as error:
        return None, _explain(document, error.errors(), SiteConfigFile)
    seen: dict[str, int] = {}
    for index, entry in enumerate(raw.components):
        loc: Loc = ("components", index, "id")
        if entry.id in seen:
            first = document.value_mark(("components", seen[entry.id], "id"))
            problems.append(
                _at(
                    document,
                    loc,
                    f"component id '{entry.id}' is used twice (first at line {first.line})",
                    "give each component its own id",
                )
            )
        seen.setdefault(entry.id, index)
    problems.extend(_channel_problems(document, raw))
    problems.extend(_brand_problems(document, raw, path.parent))
    problems.extend(_language_problems(document, raw))
    problems.extend(_freshness_problems(document, raw))
    if problems:
        return None, problems
    site = raw.site
    languages = tuple(site.languages or [site.language])
    config = SiteConfig(
        path=path,
        name=site.name,
        url=site.url if site.url.endswith("/") else site.url + "/",
        timezone=ZoneInfo(site.timezone),
        components=tuple(Component(c.id, c.name, c.description, c.group) for c in raw.components),
        description=site.description,
        language=languages[0],
        languages=languages,
        support_url=site.support_url,
        uptime_days=raw.uptime_days,
        lint=LintSettings(
            disable=frozenset(raw.lint.disable),
            acknowledge_minutes=raw.lint.acknowledge_minutes,
            update_every_minutes=raw.lint.update_every_minutes,
            people=tuple(raw.lint.people),
        ),
        logo=_relative(site.logo),
        favicon=_relative(site.favicon),
        primary=site.colors.primary.lower() if site.colors and site.colors.primary else None,
        accent=site.colors.accent.lower() if site.colors and site.colors.accent else None,
        links=tuple((link.name, link.url) for link in site.links),
        refresh=_minutes(site.refresh),
        stale_after=_stale_after(site.refresh, site.stale_after),
        notify=NotifySettings(
            max_age_minutes=raw.notify.max_age_minutes,
            channels=tuple(
                Channel(
                    id=c.id,
                    url=c.url,
                    name=c.name,
                    join=c.join,
                    components=None if c.components is None else frozenset(c.components),
                    min_impact=c.min_impact,
                    events=frozenset(c.events or NOTIFY_EVENTS),
                    length=c.length,
                    language=c.language,
                )
                for c in raw.notify.channels
            ),
        ),
    )
    return config, []


#: What a logo and a favicon may be.
_IMAGES = {
    "logo": (".svg", ".png", ".jpg", ".jpeg", ".webp", ".gif"),
    "favicon": (".svg", ".png", ".ico", ".gif"),
}


def _relative(path: str | None) -> str | None:
    return None if path is None else Path(path).as_posix().removeprefix("./")


def _brand_problems(document: Document, raw: SiteConfigFile, root: Path) -> list[Diagnostic]:
    """A logo and a favicon are files of the repository; colours keep text readable."""
    problems: list[Diagnostic] = []
    boundary = Boundary(root)
    for key in ("logo", "favicon"):
        value: str | None = getattr(raw.site, key)
        if value is None:
            continue
        loc: Loc = ("site", key)
        if "://" in value or value.startswith("//"):
            problems.append(
                _at(
                    document,
                    loc,
                    f"the {key} is a URL: nothing is loaded from another host",
                    f"save the file in the repository and name it, e.g. {key}: theme/"
                    f"{key}.{'svg' if key == 'logo' else 'png'}",
                )
            )
            continue
        path = root / value
        if Path(value).is_absolute() or ".." in Path(value).parts or boundary.outside(path):
            problems.append(
                _at(document, loc, f"the {key} must be a file in the repository",
                    "name it relative to the folder of site_config.yml, e.g. theme/logo.svg")
            )  # fmt: skip
        elif not path.is_file():
            problems.append(
                _at(document, loc, f"there is no file '{value}'",
                    f"put the {key} there, or correct the path (relative to site_config.yml)")
            )  # fmt: skip
        elif path.suffix.lower() not in _IMAGES[key]:
            problems.append(
                _at(document, loc, f"a {key} is an image file: {one_of(_IMAGES[key])}",
                    f"convert '{value}' to one of these")
            )  # fmt: skip
    colours = raw.site.colors
    for key in ("primary", "accent"):
        value = getattr(colours, key) if colours else None
        if value is None:
            continue
        ratio = contrast(value, TEXT_ON_BRAND)
        if ratio < AA:
            problems.append(
                _at(
                    document,
                    ("site", "colors", key),
                    f"white text on {key} {value} has a contrast of {ratio:.1f}:1, "
                    f"below the {AA}:1 of WCAG AA",
                    "choose a darker shade of your colour",
                )
            )
    return problems


def _channel_problems(document: Document, raw: SiteConfigFile) -> list[Diagnostic]:
    """The rules of ``notify.channels`` beyond their shape: unique ids, known components,
    a name to show with ``join``, and URLs that Apprise reads and that hold no secret."""
    problems: list[Diagnostic] = []
    components = [c.id for c in raw.components]
    seen: dict[str, int] = {}
    for index, channel in enumerate(raw.notify.channels):
        loc: Loc = ("notify", "channels", index)
        if channel.id in seen:
            first = document.value_mark((*loc[:2], seen[channel.id], "id"))
            problems.append(
                _at(
                    document,
                    (*loc, "id"),
                    f"channel id '{channel.id}' is used twice (first at line {first.line})",
                    "give each channel its own id: the ledger of what was sent is kept by id",
                )
            )
        seen.setdefault(channel.id, index)
        for position, component in enumerate(channel.components or []):
            if component not in components:
                hint = did_you_mean(component, components) or f"use {one_of(components)}"
                problems.append(
                    _at(
                        document,
                        (*loc, "components", position),
                        f"unknown component '{component}'",
                        hint,
                    )
                )
        if channel.events == ["maintenance"] and channel.min_impact not in (None, "none"):
            problems.append(
                _at(
                    document,
                    (*loc, "min_impact"),
                    "this channel would never receive anything: maintenance counts as impact none",
                    "remove min_impact, or add the incident events it should receive",
                )
            )
        if channel.join is not None and channel.name is None:
            problems.append(
                _at(
                    document,
                    (*loc, "join"),
                    "a channel customers can join needs a name",
                    "add the name customers see under Subscribe, "
                    "e.g. name: Push notifications (ntfy app)",
                )
            )
        try:
            variables(channel.url)
        except VariableError as error:
            problems.append(
                _at(
                    document,
                    (*loc, "url"),
                    str(error),
                    "write a variable as ${NAME} (letters, digits and _), and $$ for a $",
                )
            )
            continue
        problem = url_problem(channel.url) or _port_problem(channel.url)
        if problem is not None:
            problems.append(_at(document, (*loc, "url"), problem.message, problem.hint))
    return problems


def _port_problem(url: str) -> ServiceError | None:
    """A port written out in a channel's URL that no server can listen on."""
    port = _PORT.match(url)
    if port is None or "${" in port.group(0):
        return None
    digits = port.group(1)
    if len(digits) <= len(str(PORTS[1])) and PORTS[0] <= int(digits) <= PORTS[1]:
        return None
    return ServiceError(
        f"the port {digits[:12]} is not a port: ports go from {PORTS[0]} to {PORTS[1]}",
        "check the number after the ':' of the host, or leave the port out",
    )


def _minutes(text: str | None) -> timedelta | None:
    return None if text is None else parse_duration(text)


def _stale_after(refresh: str | None, stale_after: str | None) -> timedelta | None:
    """``stale_after`` as given, else 4 times ``refresh``, at least an hour (None without
    ``refresh``: how old is too old is unknown)."""
    if refresh is None:
        return None
    if stale_after is not None:
        return parse_duration(stale_after)
    return max(4 * parse_duration(refresh), timedelta(hours=1))


def _freshness_problems(document: Document, raw: SiteConfigFile) -> list[Diagnostic]:
    """``site.stale_after`` needs ``site.refresh``, and a page is stale only after it
    missed a rebuild."""
    site = raw.site
    if site.stale_after is None:
        return []
    if site.refresh is None:
        return [
            _at(
                document,
                ("site", "stale_after"),
                "site.stale_after needs site.refresh: how often the site is rebuilt",
                "add refresh: 15m (publish.yml's schedule) to site",
            )
        ]
    if parse_duration(site.stale_after) <= parse_duration(site.refresh):
        return [
            _at(
                document,
                ("site", "stale_after"),
                f"site.stale_after ({site.stale_after}) is not longer than site.refresh "
                f"({site.refresh}): every page would warn before its next rebuild",
                "leave stale_after out (4 times refresh, at least 1h), or make it longer",
            )
        ]
    return []


def _language_problems(document: Document, raw: SiteConfigFile) -> list[Diagnostic]:
    """``site.language`` and ``site.languages`` agree; each language once; a channel
    speaks one of them."""
    problems: list[Diagnostic] = []
    site = raw.site
    languages = site.languages or [site.language]
    if site.languages:
        given = "language" in (document.data.get("site") or {})
        if given and site.language != site.languages[0]:
            problems.append(
                _at(
                    document,
                    ("site", "language"),
                    f"site.language is {site.language}, but site.languages starts with "
                    f"{site.languages[0]}",
                    "the first of site.languages is the default: remove site.language, "
                    "or put it first in site.languages",
                )
            )
        for index, language in enumerate(site.languages):
            if site.languages.index(language) != index:
                problems.append(
                    _at(
                        document,
                        ("site", "languages", index),
                        f"{language} is listed twice in site.languages",
                        "list each language once",
                    )
                )
    for index, channel in enumerate(raw.notify.channels):
        if channel.language is not None and channel.language not in languages:
            problems.append(
                _at(
                    document,
                    ("notify", "channels", index, "language"),
                    f"{channel.language} is not a language of this site",
                    f"use {one_of(languages)}, or add it to site.languages",
                )
            )
    return problems


# incident files ----------------------------------------------------------------------------


def read_incident(
    path: Path, config: SiteConfig | None
) -> tuple[Incident | None, list[Diagnostic]]:
    """Validate one incident file against the site's config (when that is valid)."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        return None, [Diagnostic(path, 1, 1, f"cannot read the file: {error.strerror}")]
    return _incident_from_bytes(path, raw, config)


def check_incident_document(
    document: Document, config: SiteConfig | None
) -> tuple[Incident | None, list[Diagnostic]]:
    """Validate the parsed text of one incident file."""
    problems = _not_a_mapping(document)
    if problems:
        return None, problems
    model = record_model(document.data)
    zone = config.timezone if config is not None else ZoneInfo("UTC")
    if config is not None:
        problems += _unknown_components(document, config)
    stem = document.path.stem
    if "id" not in document.data and not _ID.fullmatch(stem):
        problems.append(
            Diagnostic(
                document.path,
                1,
                1,
                f"the file name '{stem}' is not a valid incident id",
                f"rename the file using at most {ID_LENGTH} letters, digits, '-' and '_', "
                "or set id: in the file",
            )
        )
    try:
        raw = model.model_validate(document.data, context={"zone": zone})
    except ValidationError as error:
        return None, problems + _explain(document, error.errors(), model)
    incident, more = _build_incident(document, raw, config.languages if config else ("en",))
    problems += more
    return (None if problems else incident), problems


def _build_incident(
    document: Document, raw: IncidentFile | MaintenanceFile, languages: Sequence[str]
) -> tuple[Incident, list[Diagnostic]]:
    problems: list[Diagnostic] = []
    incident_id = raw.id or document.path.stem
    texts = _Texts(document, languages)
    title = texts.split(("title",), raw.title)
    workaround = texts.split(("workaround",), raw.workaround)
    compensation = texts.split(("compensation",), raw.compensation)
    postmortem = texts.split(("postmortem",), raw.postmortem)

    kind = raw.type
    default_status = STATUS_FROM_IMPACT["maintenance" if kind == "maintenance" else raw.impact]
    if isinstance(raw.components, list):
        base = dict.fromkeys(raw.components, default_status)
        problems += _listed_twice(document, raw.components)
    else:
        base = dict(raw.components)

    window = None
    if isinstance(raw, MaintenanceFile):
        window = Window(raw.scheduled.start, raw.scheduled.end)
        if window.end <= window.start:
            problems.append(
                _at(
                    document,
                    ("scheduled", "end"),
                    "the maintenance window ends "
                    + ("when" if window.end == window.start else "before")
                    + " it starts",
                    "check the dates and times of start and end",
                )
            )

    for index, entry in enumerate(raw.updates):
        if entry.next_update is not None and entry.next_update <= entry.at:
            problems.append(
                _at(
                    document,
                    ("updates", index, "next_update"),
                    "next_update is not after the update itself",
                    "promise a time after 'at', when the next update will really come",
                )
            )

    updates = _timeline(incident_id, document, raw, base, texts)
    problems += texts.problems
    incident = Incident(
        id=incident_id,
        path=document.path,
        kind=kind,
        title=title or "",
        impact=raw.impact,
        updates=updates,
        components=base,
        regions=tuple(raw.regions),
        started=raw.started,
        scheduled=window,
        workaround=workaround,
        compensation=compensation,
        postmortem=postmortem,
        translations=texts.translations,
        lint_ignore=frozenset(raw.lint.ignore if raw.lint else ()),
        marks={key: document.key_mark((key,)) for key in document.data},
        keys=tuple(
            (entry.key, document.value_mark(("updates", index, "key")))
            for index, entry in enumerate(raw.updates)
            if entry.key is not None
        ),
        source_digest=document.digest,
    )
    first = incident.first_update.at
    started_late = raw.started is not None and not incident.is_maintenance and raw.started > first
    if started_late:
        problems.append(
            _at(
                document,
                ("started",),
                f"'started' is after the first update ({format_utc(first)})",
                "impact begins before anyone can report it: check the date of 'started', "
                "or remove it to start with the first update",
            )
        )
    resolved_at = incident.resolved_at
    late = raw.started is not None and resolved_at is not None and resolved_at < raw.started
    if late and not started_late:
        problems.append(
            _at(
                document,
                ("started",),
                "the incident is resolved before it started",
                "check 'started' against the time of the resolving update",
            )
        )
    return incident, problems


class _Texts:
    """The texts of one incident file split by language: the default language's text,
    and the others of the site's languages kept apart. A mapping without the default
    language's text is a problem; a text in a language the site does not list is kept in
    the file but not published (a language can come and go without editing history)."""

    def __init__(self, document: Document, languages: Sequence[str]) -> None:
        self.document = document
        self.languages = languages
        self.problems: list[Diagnostic] = []
        #: the incident's texts in the other languages, by language and field
        self.translations: dict[str, dict[str, str]] = {}

    def split(self, loc: Loc, value: str | dict[str, str] | None) -> str | None:
        """A field of the incident: its default text; the others kept by language."""
        default, others = self.by_language(loc, value)
        for language, text in others.items():
            self.translations.setdefault(language, {})[str(loc[0])] = text
        return default

    def by_language(
        self, loc: Loc, value: str | dict[str, str] | None
    ) -> tuple[str | None, dict[str, str]]:
        """A text: the default language's, and the others by language."""
        if not isinstance(value, dict):
            return value, {}
        default = self.languages[0]
        name = _key_name(loc)
        if default not in value:
            self.problems.append(
                _at(
                    self.document,
                    loc,
                    f"{name} has no {default} text, the site's default language",
                    f"add '{default}: ...': it is shown wherever a translation is missing",
                )
            )
            return None, {}
        others = {k: v for k, v in value.items() if k != default and k in self.languages}
        return value[default], others


def _timeline(
    incident_id: str,
    document: Document,
    raw: IncidentFile | MaintenanceFile,
    base: Mapping[str, str],
    texts: _Texts,
) -> tuple[Update, ...]:
    """The updates in time order, with statuses carried over and component transitions."""
    maintenance = isinstance(raw, MaintenanceFile)
    written: list[IncidentUpdate | MaintenanceUpdate] = list(raw.updates)
    entries = sorted(enumerate(written), key=lambda pair: pair[1].at)  # stable
    status = "scheduled" if maintenance else "investigating"
    declared = dict(base)
    previous: dict[str, str] = {}
    updates: list[Update] = []
    taken: dict[str, int] = {}
    for index, entry in entries:
        status = entry.status or status
        declared.update(entry.components or {})
        active = status in MAINTENANCE_ACTIVE if maintenance else status not in RESOLVED
        statuses = dict(declared) if active else dict.fromkeys(declared, OPERATIONAL)
        changes = tuple(
            ComponentChange(component, previous.get(component, OPERATIONAL), new)
            for component, new in statuses.items()
            if previous.get(component, OPERATIONAL) != new
        )
        previous = statuses
        stamp = entry.at.astimezone(UTC).strftime("%Y%m%dT%H%M%S")
        if entry.at.microsecond:
            stamp += f"{entry.at.microsecond:06d}"
        update_id = f"{incident_id}-{stamp}Z"
        taken[update_id] = taken.get(update_id, 0) + 1
        if taken[update_id] > 1:
            update_id += f"-{taken[update_id]}"
        message, translations = texts.by_language(("updates", index, "message"), entry.message)
        updates.append(
            Update(
                id=update_id,
                at=entry.at,
                status=status,
                status_given=entry.status is not None,
                message=message or "",
                translations=translations,
                next_update=entry.next_update,
                declared=dict(entry.components or {}),
                statuses=statuses,
                changes=changes,
                mark=document.value_mark(("updates", index)),
            )
        )
    return tuple(updates)


def _unknown_components(document: Document, config: SiteConfig) -> list[Diagnostic]:
    """Component ids that the config does not know, wherever the file names one.

    Works on the raw data, so that it reports even when other keys of the file are wrong.
    """
    data = document.data
    places: list[tuple[Any, Mark]] = []
    listed = data.get("components")
    if isinstance(listed, list):
        places += [(c, document.value_mark(("components", i))) for i, c in enumerate(listed)]
    elif isinstance(listed, dict):
        places += [(c, document.key_mark(("components", c))) for c in listed]
    updates = data.get("updates")
    for index, entry in enumerate(updates if isinstance(updates, list) else ()):
        changed = entry.get("components") if isinstance(entry, dict) else None
        if isinstance(changed, dict):
            places += [(c, document.key_mark(("updates", index, "components", c))) for c in changed]
    known = config.component_ids
    return [
        Diagnostic(
            document.path,
            mark.line,
            mark.col,
            f"unknown component '{component}'",
            did_you_mean(component, known)
            or f"use a component id from {CONFIG_NAME}: {one_of(sorted(known)) or '(none)'}",
        )
        for component, mark in places
        if isinstance(component, str) and component not in known
    ]


def _listed_twice(document: Document, components: Sequence[str]) -> list[Diagnostic]:
    seen: set[str] = set()
    problems = []
    for index, component in enumerate(components):
        if component in seen:
            problems.append(
                _at(document, ("components", index), f"component '{component}' is listed twice")
            )
        seen.add(component)
    return problems


def _duplicate_ids(incidents: Iterable[Incident]) -> list[Diagnostic]:
    first: dict[str, Incident] = {}
    problems = []
    for incident in incidents:
        if incident.id in first:
            mark = incident.marks.get("id", Mark(1, 1))
            problems.append(
                Diagnostic(
                    incident.path,
                    mark.line,
                    mark.col,
                    f"the id '{incident.id}' is already used by {first[incident.id].path.name}",
                    "rename one of the files, or set a different id:",
                )
            )
        else:
            first[incident.id] = incident
    return problems


def _duplicate_keys(incidents: Iterable[Incident]) -> list[Diagnostic]:
    """An action's key recorded twice: the same action applied twice, as two runs of the
    incident workflow that raced each other can leave it (the later one must yield)."""
    first: dict[str, tuple[Incident, Mark]] = {}
    problems = []
    for incident in incidents:
        for key, mark in incident.keys:
            if key not in first:
                first[key] = (incident, mark)
                continue
            other, where = first[key]
            problems.append(
                Diagnostic(
                    incident.path,
                    mark.line,
                    mark.col,
                    f"the key '{key}' is already recorded in {other.path.name} at line "
                    f"{where.line}: the action that made this update was applied twice",
                    "remove the update that repeats it (an action with a key is applied "
                    "once; statusgen apply does this when the incident workflow retries)",
                )
            )
    return problems


# turning pydantic's errors into ours --------------------------------------------------------


def _at(document: Document, loc: Loc, message: str, hint: str | None = None) -> Diagnostic:
    mark = document.value_mark(loc)
    return Diagnostic(document.path, mark.line, mark.col, message, hint)


def _describe(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"the yes/no value {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"the text '{value}'"


def _key_name(loc: Loc) -> str:
    """How a message names the place of a value."""
    if not loc:
        return "the file"
    last = loc[-1]
    if isinstance(last, int):
        return f"item {last + 1} of '{_key_name(loc[:-1]).strip(chr(39))}'"
    if len(loc) >= 2 and loc[-2] == "components":
        return f"the status of component '{last}'"
    return f"'{last}'"


def _annotation_at(model: type[BaseModel], loc: Loc) -> Any:
    """The type the model expects at ``loc``, or None where it expects nothing."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            info = current.model_fields.get(str(part))
            if info is None:
                return None
            current = info.annotation
        elif get_origin(current) is list:
            current = get_args(current)[0]
        elif get_origin(current) is dict:
            current = get_args(current)[1]
        else:
            return None
    return current


def _fields_at(model: type[BaseModel], loc: Loc) -> list[str]:
    """The keys the model allows in the mapping at ``loc``."""
    current = _unwrap(_annotation_at(model, loc))
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _bounds_at(model: type[BaseModel], loc: Loc) -> str:
    """The whole numbers the model allows at ``loc``: "from 1 to 3650", or "at least 1"."""
    parent = _unwrap(_annotation_at(model, loc[:-1]))
    low: int | None = None
    high: int | None = None
    if loc and isinstance(parent, type) and issubclass(parent, BaseModel):
        info = parent.model_fields.get(str(loc[-1]))
        for bound in _constraints([*info.metadata, info.annotation] if info else []):
            # the formats bound whole numbers only (ints, as the schema's integers)
            if isinstance(bound, Ge):
                low = cast(int, bound.ge)
            elif isinstance(bound, Gt):
                low = cast(int, bound.gt) + 1
            elif isinstance(bound, Le):
                high = cast(int, bound.le)
            elif isinstance(bound, Lt):
                high = cast(int, bound.lt) - 1
    if low is not None and high is not None:
        return f"from {low} to {high}"
    return f"at least {low}" if low is not None else f"at most {high}"


def _constraints(annotations: Iterable[Any]) -> Iterator[Any]:
    """Every bound (Ge, Gt, Le, Lt) inside these annotations, however nested."""
    for annotation in annotations:
        if isinstance(annotation, Ge | Gt | Le | Lt):
            yield annotation
        elif isinstance(annotation, FieldInfo):
            yield from _constraints(annotation.metadata)
        else:
            yield from _constraints(get_args(annotation))


def _unwrap(annotation: Any) -> Any:
    """The model, list or dict inside Annotated[...] and X | None."""
    while True:
        args = get_args(annotation)
        if hasattr(annotation, "__metadata__"):
            annotation = args[0]
        elif args and get_origin(annotation) not in (list, dict):
            candidates = [a for a in args if a is not type(None)]
            if len(candidates) != 1:
                return annotation
            annotation = candidates[0]
        else:
            return annotation


def _explain(
    document: Document, errors: Sequence[ErrorDetails], model: type[BaseModel]
) -> list[Diagnostic]:
    problems = [_explain_one(document, error, model) for error in errors]
    # one line per place: pydantic can report a value twice (e.g. both union members)
    unique = {(d.line, d.col, d.message): d for d in problems}
    return list(unique.values())


def _explain_one(document: Document, error: ErrorDetails, model: type[BaseModel]) -> Diagnostic:
    loc: Loc = tuple(part for part in error["loc"] if part not in _UNION_TAGS)
    kind = error["type"]
    context: dict[str, Any] = dict(error.get("ctx") or {})
    value = error.get("input")
    name = _key_name(loc)
    hint: str | None = context.get("hint")
    mark: Mark | None = None

    if loc and loc[-1] == "[key]":
        loc = loc[:-1]
        mark = document.key_mark(loc)
        name = f"the key '{loc[-1]}'"

    if kind == "missing":
        key = str(loc[-1])
        message = f"missing required key '{key}'"
        hints = _CHANNEL_HINTS if "channels" in loc else _MISSING_HINTS
        hint = hints.get(key)
        mark = document.value_mark(loc[:-1])
    elif kind == "extra_forbidden":
        key = str(loc[-1])
        message = f"unknown key '{key}'"
        mark = document.key_mark(loc)
        if key == "scheduled" and len(loc) == 1:
            hint = "only a maintenance has a window: add 'type: maintenance'"
        elif key == "internal" and len(loc) > 1:
            hint = "'internal:' belongs at the top level of the incident file"
        else:
            hint = did_you_mean(key, _fields_at(model, loc[:-1]))
    elif kind == "literal_error":
        allowed = re.findall(r"'([^']*)'", context.get("expected", ""))
        noun = _VALUE_NOUNS.get(str(loc[-1]), "value") if loc else "value"
        if len(loc) >= 2 and loc[-2] == "components":
            noun = "component status"
        if len(loc) >= 2 and isinstance(loc[-1], int):
            noun = _VALUE_NOUNS.get(str(loc[-2]), "value")
        message = f"unknown {noun} {_shown(value)}"
        hint = did_you_mean(str(value), allowed) or f"use {one_of(allowed)}"
        if noun == "status" and value in INCIDENT_STATUSES and "scheduled" in allowed:
            message = f"'{value}' is not a maintenance status"
            hint = f"a maintenance uses {one_of(MAINTENANCE_STATUSES)}"
        elif noun == "status" and value in MAINTENANCE_STATUSES and "resolved" in allowed:
            message = f"'{value}' is not an incident status"
            hint = f"use {one_of(INCIDENT_STATUSES)}, or add 'type: maintenance' for a maintenance"
    elif kind == "string_pattern_mismatch":
        if context.get("pattern") == ID_PATTERN:
            message = f"{_shown(value)} is not a valid id"
            hint = f"use at most {ID_LENGTH} letters, digits, '-' and '_'"
        elif context.get("pattern", "").startswith("^#[0-9a-fA-F]"):
            message = f"{_shown(value)} is not a colour"
            hint = "write it as #rrggbb, e.g. #0b5fff"
        else:
            message = f"{name} must not be empty"
    elif kind == "string_type":
        message = f"{name} must be text, not {_describe(value)}"
        if value is None:
            hint = "write the text after the colon, or remove the key"
        elif isinstance(value, bool | int | float):
            hint = "put it in quotes to keep it as text"
    elif kind in ("dict_type", "model_type", "model_attributes_type", "mapping_type"):
        message = f"{name} must be a mapping of keys to values, not {_describe(value)}"
        hint = "write 'key: value' pairs, indented under it"
    elif kind == "list_type":
        message = f"{name} must be a list, not {_describe(value)}"
        hint = "write [a, b], or one '- item' per line"
    elif kind == "too_short":
        message = f"{name} must not be empty"
        if loc == ("updates",):
            message = "an incident needs at least one update"
            hint = _MISSING_HINTS["updates"]
    elif kind in ("int_type", "int_parsing", "int_from_float"):
        message = f"{name} must be a whole number, not {_describe(value)}"
    elif kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        message = f"{name} must be a whole number {_bounds_at(model, loc)}, not {value}"
    elif kind == "datetime_type":
        message = f"{name} must be a time, not {_describe(value)}"
        hint = f"write it like {EXAMPLE}"
    elif kind in ("time", "timezone", "url", "components"):
        message = f"{name}: {error['msg']}" if kind == "time" else error["msg"]
        if kind == "components":
            message = f"{name} must be a mapping of component ids to statuses, or a list of ids"
            hint = "write 'components: {api: partial_outage}' or 'components: [api]'"
    else:  # pragma: no cover - a pydantic error type this module does not know yet
        message = f"{name}: {error['msg']}"

    place = mark if mark is not None else document.value_mark(loc)
    return Diagnostic(document.path, place.line, place.col, message, hint)


def _shown(value: Any) -> str:
    return f"'{value}'" if isinstance(value, str) else _describe(value)

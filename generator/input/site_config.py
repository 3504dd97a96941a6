"""The rules of ``site_config.yml``: its shape, then the rules that span its values."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from generator.channels import ServiceError, VariableError, url_problem, variables
from generator.core.colours import AA, TEXT_ON_BRAND, contrast
from generator.core.dependencies import Dependency
from generator.core.diagnostics import Diagnostic, did_you_mean, one_of
from generator.core.model import (
    Channel,
    Component,
    LintSettings,
    NotifySettings,
    SiteConfig,
)
from generator.core.reminders import parse_reminder, reminder_name
from generator.core.times import parse_duration
from generator.core.vocabulary import (
    NOTIFY_EVENTS,
)
from generator.input.explain import explain, not_a_mapping, problem_at
from generator.input.formats import (
    SiteConfigFile,
)
from generator.input.paths import Boundary
from generator.input.source import Document, Loc, SourceError, load

CONFIG_NAME = "site_config.yml"
#: The port of a URL written out: digits after the host, before the path.
_PORT = re.compile(
    r"^[A-Za-z][A-Za-z0-9+.-]*://(?:[^/?#@]*@)?(?:\[[^\]]*\]|[^/?#:@]*):([0-9]+)(?:[/?#]|$)"
)
PORTS = (1, 65535)


def _read(path: Path) -> tuple[Document | None, list[Diagnostic]]:
    try:
        document = load(path)
    except SourceError as error:
        return None, [Diagnostic(path, error.mark.line, error.mark.col, error.message, error.hint)]
    except OSError as error:
        return None, [Diagnostic(path, 1, 1, f"cannot read the file: {error.strerror}")]
    return document, not_a_mapping(document)


def read_config(path: Path) -> tuple[SiteConfig | None, list[Diagnostic]]:
    """Validate ``site_config.yml``."""
    document, problems = _read(path)
    if document is None or problems:
        return None, problems
    try:
        raw = SiteConfigFile.model_validate(document.data)
    except ValidationError as error:
        return None, explain(document, error.errors(), SiteConfigFile)
    problems.extend(_component_problems(document, raw))
    problems.extend(_channel_problems(document, raw))
    problems.extend(_brand_problems(document, raw, path.parent))
    problems.extend(_language_problems(document, raw))
    problems.extend(_freshness_problems(document, raw))
    problems.extend(_reminder_problems(document, raw))
    problems.extend(_dependency_problems(document, raw))
    if problems:
        return None, problems
    return _site_config(path, raw), []


def _component_problems(document: Document, raw: SiteConfigFile) -> list[Diagnostic]:
    """Each component has its own id, and its own id in the Statuspage API."""
    problems: list[Diagnostic] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(raw.components):
        loc: Loc = ("components", index, "id")
        if entry.id in seen:
            first = document.value_mark(("components", seen[entry.id], "id"))
            problems.append(
                problem_at(
                    document,
                    loc,
                    f"component id '{entry.id}' is used twice (first at line {first.line})",
                    "give each component its own id",
                )
            )
        seen.setdefault(entry.id, index)
    return problems + _api_id_problems(document, raw)


def _api_id_problems(document: Document, raw: SiteConfigFile) -> list[Diagnostic]:
    """The API v2 shows a component's api_id, else its id: no two components may show one."""
    problems: list[Diagnostic] = []
    shown: dict[str, Loc] = {}
    ids: set[str] = set()
    for index, entry in enumerate(raw.components):
        if entry.api_id is None and entry.id in ids:
            continue  # (an id used twice is said above)
        ids.add(entry.id)
        loc: Loc = ("components", index, "id" if entry.api_id is None else "api_id")
        api_id = entry.api_id or entry.id
        if api_id in shown:
            first = document.value_mark(shown[api_id])
            problems.append(
                problem_at(
                    document,
                    loc,
                    f"the Statuspage API would show two components with id '{api_id}' "
                    f"(first at line {first.line}): a component's api_id, else its id",
                    "give each component an api_id of its own",
                )
            )
        shown.setdefault(api_id, loc)
    return problems


def _site_config(path: Path, raw: SiteConfigFile) -> SiteConfig:
    """The record of a valid config."""
    site = raw.site
    languages = tuple(site.languages or [site.language])
    return SiteConfig(
        path=path,
        name=site.name,
        url=site.url if site.url.endswith("/") else site.url + "/",
        timezone=ZoneInfo(site.timezone),
        components=tuple(
            Component(c.id, c.name, c.description, c.group, c.api_id) for c in raw.components
        ),
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
        reports=site.reports,
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
                    # reminders are maintenance events: none for a channel without them
                    reminders=_reminders(
                        (raw.notify.reminders if c.reminders is None else c.reminders)
                        if c.events is None or "maintenance" in c.events
                        else []
                    ),
                )
                for c in raw.notify.channels
            ),
            reminders=_reminders(raw.notify.reminders),
        ),
        dependencies=tuple(
            Dependency(d.id, d.name, d.url, tuple(d.components or ())) for d in raw.dependencies
        ),
    )


def _reminders(written: list[str]) -> tuple[timedelta, ...]:
    """Reminders as the model keeps them: durations, the longest (the earliest) first."""
    return tuple(sorted((parse_reminder(text) for text in written), reverse=True))


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
                problem_at(
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
                problem_at(document, loc, f"the {key} must be a file in the repository",
                    "name it relative to the folder of site_config.yml, e.g. theme/logo.svg")
            )  # fmt: skip
        elif not path.is_file():
            problems.append(
                problem_at(document, loc, f"there is no file '{value}'",
                    f"put the {key} there, or correct the path (relative to site_config.yml)")
            )  # fmt: skip
        elif path.suffix.lower() not in _IMAGES[key]:
            problems.append(
                problem_at(document, loc, f"a {key} is an image file: {one_of(_IMAGES[key])}",
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
                problem_at(
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
                problem_at(
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
                    problem_at(
                        document,
                        (*loc, "components", position),
                        f"unknown component '{component}'",
                        hint,
                    )
                )
        if channel.events == ["maintenance"] and channel.min_impact not in (None, "none"):
            problems.append(
                problem_at(
                    document,
                    (*loc, "min_impact"),
                    "this channel would never receive anything: maintenance counts as impact none",
                    "remove min_impact, or add the incident events it should receive",
                )
            )
        if channel.join is not None and channel.name is None:
            problems.append(
                problem_at(
                    document,
                    (*loc, "join"),
                    "a channel customers can join needs a name",
                    "add the name customers see under Subscribe, "
                    "e.g. name: Push notifications (ntfy app)",
                )
            )
        problems.extend(_url_problems(document, (*loc, "url"), channel.url))
    return problems


def _url_problems(document: Document, loc: Loc, url: str) -> list[Diagnostic]:
    """A channel's URL: variables written right, then a URL Apprise reads, with a port."""
    try:
        variables(url)
    except VariableError as error:
        return [
            problem_at(
                document,
                loc,
                str(error),
                "write a variable as ${NAME} (letters, digits and _), and $$ for a $",
            )
        ]
    problem = url_problem(url) or _port_problem(url)
    return [] if problem is None else [problem_at(document, loc, problem.message, problem.hint)]


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
            problem_at(
                document,
                ("site", "stale_after"),
                "site.stale_after needs site.refresh: how often the site is rebuilt",
                "add refresh: 15m (publish.yml's schedule) to site",
            )
        ]
    if parse_duration(site.stale_after) <= parse_duration(site.refresh):
        return [
            problem_at(
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
                problem_at(
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
                    problem_at(
                        document,
                        ("site", "languages", index),
                        f"{language} is listed twice in site.languages",
                        "list each language once",
                    )
                )
    for index, channel in enumerate(raw.notify.channels):
        if channel.language is not None and channel.language not in languages:
            problems.append(
                problem_at(
                    document,
                    ("notify", "channels", index, "language"),
                    f"{channel.language} is not a language of this site",
                    f"use {one_of(languages)}, or add it to site.languages",
                )
            )
    return problems


def _reminder_problems(document: Document, raw: SiteConfigFile) -> list[Diagnostic]:
    """Each reminder once (``1d`` and ``24h`` are one), and a channel that sets its own
    reminders takes the maintenance events they are."""
    problems: list[Diagnostic] = []
    lists: list[tuple[Loc, list[str]]] = [(("notify", "reminders"), raw.notify.reminders)]
    for index, channel in enumerate(raw.notify.channels):
        loc: Loc = ("notify", "channels", index, "reminders")
        if channel.reminders is None:
            continue
        lists.append((loc, channel.reminders))
        if not channel.reminders:
            continue
        if channel.events is not None and "maintenance" not in channel.events:
            problems.append(
                problem_at(
                    document,
                    loc,
                    "this channel's reminders would never be sent: reminders are maintenance "
                    "events, and its events leave maintenance out",
                    "add maintenance to its events, or remove its reminders",
                )
            )
        elif channel.min_impact not in (None, "none"):
            problems.append(
                problem_at(
                    document,
                    loc,
                    "this channel's reminders would never be sent: maintenance counts as "
                    f"impact none, below its min_impact {channel.min_impact}",
                    "remove min_impact, or remove its reminders",
                )
            )
    for loc, written in lists:
        seen: dict[str, int] = {}
        for position, text in enumerate(written):
            name = reminder_name(parse_reminder(text))
            if name in seen:
                first = written[seen[name]]
                same = "" if first.strip() == text.strip() else f" ({first} and {text} are one)"
                problems.append(
                    problem_at(
                        document,
                        (*loc, position),
                        f"the reminder {name} is listed twice{same}",
                        "list each reminder once",
                    )
                )
            seen.setdefault(name, position)
    return problems


def _dependency_problems(document: Document, raw: SiteConfigFile) -> list[Diagnostic]:
    """Each dependency has its own id, also where case is not told apart (its file
    dependencies/<id>.json on macOS or Windows); its URL is a status page's address, which
    the repository may hold (no credentials); each component is named once."""
    problems: list[Diagnostic] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(raw.dependencies):
        loc: Loc = ("dependencies", index)
        key = entry.id.casefold()
        if key in seen:
            first = raw.dependencies[seen[key]]
            line = document.value_mark(("dependencies", seen[key], "id")).line
            same = "" if first.id == entry.id else f" ('{first.id}' differs only in case)"
            problems.append(
                problem_at(
                    document,
                    (*loc, "id"),
                    f"dependency id '{entry.id}' is used twice (first at line {line}){same}",
                    "give each dependency its own id: what sync read is kept in "
                    "dependencies/<id>.json",
                )
            )
        seen.setdefault(key, index)
        problem = _status_page_problem(entry.url)
        if problem is not None:
            problems.append(problem_at(document, (*loc, "url"), *problem))
        names: dict[str, int] = {}
        for position, name in enumerate(entry.components or []):
            if name in names:
                problems.append(
                    problem_at(
                        document,
                        (*loc, "components", position),
                        f"the component '{name}' is named twice",
                        "name each of the vendor's components once",
                    )
                )
            names.setdefault(name, position)
    return problems


def _status_page_problem(url: str) -> tuple[str, str] | None:
    """What keeps ``url`` (a valid http(s) URL) from being a status page's address to keep
    in the repository: credentials, a query or a fragment."""
    parts = urlsplit(url)
    if parts.username is not None or parts.password is not None:
        return (
            "the URL holds a user name or password, which the repository would publish",
            "give the public address of the status page, such as https://www.githubstatus.com",
        )
    if parts.query or parts.fragment:
        return (
            "the URL of a status page takes no query (?...) or fragment (#...)",
            "give the page's root, such as https://www.githubstatus.com: statusgen reads "
            "api/v2/summary.json under it",
        )
    return None

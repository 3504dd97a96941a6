"""The two file formats, ``site_config.yml`` and incident files, as pydantic models.

These models check the shape of each file (keys, types, value sets, times) and are the
source of the JSON Schemas. Rules that need more than one value or more than one file
(unknown components, duplicate ids, a window that ends before it starts) live in
``validate.py``. Each attribute's docstring is its documentation in the schema.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    ValidationInfo,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from generator.core.diagnostics import did_you_mean, one_of
from generator.core.reminders import parse_reminder
from generator.core.routes import check_url
from generator.core.times import TIME_PATTERN, TimeError, parse_duration, parse_time
from generator.core.vocabulary import (
    ComponentStatus,
    Impact,
    IncidentStatus,
    LintRule,
    MaintenanceStatus,
    NotifyEvent,
)
from generator.language import SHIPPED

#: Ids name folders of the site (``incidents/<id>/``): at most 128 characters, which any
#: filesystem takes as a name.
ID_LENGTH = 128
ID_PATTERN = rf"^[A-Za-z0-9_-]{{1,{ID_LENGTH}}}$"

Identifier = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
#: The shortest ``length`` of a channel: room for a link and a few words.
MIN_LENGTH = 60
#: The longest ``length`` of a channel: far more than any service takes in one message.
MAX_LENGTH = 100_000
#: The longest wait lint can be told to accept (a week): a first update, or between two.
MAX_LINT_MINUTES = 7 * 24 * 60
#: The oldest update notify can be told to send (a year); every time it computes from
#: "now" then stays within the times statusgen handles.
MAX_AGE_MINUTES = 366 * 24 * 60
#: The longest uptime bars (ten years).
MAX_UPTIME_DAYS = 3650
Text = Annotated[str, StringConstraints(pattern=r"\S")]
#: A language statusgen ships (BCP 47).
Language = Literal[SHIPPED]  # type: ignore[valid-type]


def _check_translated(value: Any) -> Any:
    """A text, or a mapping of languages to texts: the errors name what is wrong."""
    if isinstance(value, str):
        if not value.strip():
            raise PydanticCustomError("string_pattern_mismatch", "empty", {"pattern": r"\S"})
        return value
    if not isinstance(value, dict):
        raise PydanticCustomError("string_type", "not text", {})
    if not value:
        raise PydanticCustomError(
            "translations",
            "the mapping by language is empty",
            {"hint": "write the text in one language at least"},
        )
    for language, text in value.items():
        if language not in SHIPPED:
            hint = did_you_mean(str(language), SHIPPED) or f"use {one_of(SHIPPED)}"
            raise PydanticCustomError(
                "translations", f"unknown language '{language}'", {"hint": hint}
            )
        if not isinstance(text, str) or not text.strip():
            raise PydanticCustomError(
                "translations",
                f"the {language} text is empty or not text",
                {"hint": "write the text after the colon, or remove the language"},
            )
    return value


#: Text in the site's default language, or a mapping by language ({de: ..., en: ...}).
Translated = Annotated[
    str | dict[str, str],
    BeforeValidator(_check_translated),
    WithJsonSchema(
        {
            "oneOf": [
                {"type": "string", "pattern": r"\S"},
                {
                    "type": "object",
                    "description": "The text by language, for a site with site.languages.",
                    "propertyNames": {"enum": list(SHIPPED)},
                    "additionalProperties": {"type": "string", "pattern": r"\S"},
                    "minProperties": 1,
                },
            ]
        }
    ),
]


_UTC = ZoneInfo("UTC")


def _parse_time_value(value: Any, info: ValidationInfo) -> Any:
    if not isinstance(value, str):
        return value  # the datetime type check names the wrong type
    context = info.context
    zone = context.get("zone", _UTC) if context else _UTC
    try:
        return parse_time(value, zone)
    except TimeError as error:
        raise PydanticCustomError("time", error.message, {"hint": error.hint}) from None


Time = Annotated[
    datetime,
    BeforeValidator(_parse_time_value),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": TIME_PATTERN,
            "description": "A time such as 2026-11-20T09:30:00Z or 2026-11-20 10:30 "
            "(without an offset it is read in site.timezone).",
        }
    ),
]


def _check_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        hint = did_you_mean(name, available_timezones()) or "use an IANA name such as Europe/Berlin"
        raise PydanticCustomError(
            "timezone", f"unknown time zone '{name}'", {"hint": hint}
        ) from None
    return name


def _check_url(url: str) -> str:
    try:
        return check_url(url)
    except ValueError as error:
        raise PydanticCustomError(
            "url",
            str(error),
            {"hint": "write it in full, like https://status.example.com/ (no spaces or quotes)"},
        ) from None


#: The longest ``site.refresh`` and ``site.stale_after``: a week.
MAX_REFRESH_MINUTES = 7 * 24 * 60


def _check_minutes(text: str) -> str:
    try:
        duration = parse_duration(text)
    except TimeError as error:
        raise PydanticCustomError("duration", error.message, {"hint": error.hint}) from None
    minutes, rest = divmod(duration.total_seconds(), 60)
    if rest or not 1 <= minutes <= MAX_REFRESH_MINUTES:
        raise PydanticCustomError(
            "duration",
            f"'{text}' is not a whole number of minutes from 1m to 7d",
            {"hint": "write it as 15m, 1h or 1h30m"},
        )
    return text


def _check_reminder(value: Any) -> Any:
    """A reminder before a maintenance window: a duration of whole minutes (24h)."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        return value  # the string type check names the wrong type
    try:
        parse_reminder(str(value))
    except TimeError as error:
        hint = error.hint
        if isinstance(value, int) or str(value).strip().isdigit():
            hint = f"give the unit: {value}h, or {value}m for minutes"
        raise PydanticCustomError("duration", error.message, {"hint": hint}) from None
    return value


#: How long before a maintenance window customers are reminded of it.
Reminder = Annotated[
    str,
    BeforeValidator(_check_reminder),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\s*(?=\d)(\d{1,5}[dD])?(\d{1,5}[hH])?(\d{1,6}[mM])?\s*$",
            "description": "A duration of whole minutes before the window opens: 30m, 1h, "
            "1h30m, 24h, 2d (from 1m to 366d).",
        }
    ),
]
TimeZoneName = Annotated[str, AfterValidator(_check_zone)]
Minutes = Annotated[str, AfterValidator(_check_minutes)]
AbsoluteURL = Annotated[str, AfterValidator(_check_url)]


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid", strict=True, frozen=True, use_attribute_docstrings=True
    )


# site_config.yml ---------------------------------------------------------------------------


Colour = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")]


class BrandColours(_Model):
    """The brand's colours; white text is drawn on both."""

    primary: Colour | None = None
    """The header's colour, as #rrggbb."""
    accent: Colour | None = None
    """The colour of links being pointed at and of buttons, as #rrggbb."""


class SiteLink(_Model):
    """A link shown in the header and the footer."""

    name: Text
    """What the link says."""
    url: AbsoluteURL
    """Where it leads."""


class SiteSection(_Model):
    """The site as a whole."""

    name: Text
    """The name shown in the header, the title of every page and the feeds."""
    url: AbsoluteURL
    """Where the site is published; feeds and the API make their absolute links from it."""
    description: Text | None = None
    """One sentence about the page, for search engines and feed readers."""
    timezone: TimeZoneName = "UTC"
    """IANA time zone in which times are shown and naive times are read."""
    language: Language = "en"
    """Language of the site's pages, feeds and messages: en, de, fr, es, pt-BR, it, nl,
    ja, zh-Hans or ar."""
    languages: Annotated[list[Language], Field(min_length=1)] | None = None
    """Several languages: the site is built once in each, the first (the default) at the
    root, each other under /<language>/. Incident texts may then be mappings by language."""
    support_url: AbsoluteURL | None = None
    """Where customers can reach support; linked from every page."""
    logo: Text | None = None
    """A file in the repository (theme/logo.svg) shown in the header; a URL is refused."""
    favicon: Text | None = None
    """A file in the repository (theme/favicon.png): the browser tab's icon."""
    colors: BrandColours | None = None
    """The brand's colours, checked for WCAG AA contrast with the text drawn on them."""
    links: list[SiteLink] = []
    """Links to your own pages: the first one is where the logo leads."""
    refresh: Minutes | None = None
    """How often the site is rebuilt (15m, as publish.yml's schedule): pages then warn
    readers when they are older than stale_after."""
    stale_after: Minutes | None = None
    """How old a page may be before it warns that it may not be current (default: 4 times
    refresh, at least 1h); needs refresh."""
    reports: bool = False
    """Publish a report of every finished month under reports/YYYY/MM/ (a page, with
    report.csv and report.json beside it), linked from the history."""


class ComponentEntry(_Model):
    """A part of the service customers know by name."""

    id: Identifier
    """Stable id used in incident files and URLs: letters, digits, '-' and '_'."""
    name: Text
    """The name customers know."""
    description: Text | None = None
    """What the component covers, in a few words."""
    group: Text | None = None
    """Name of the group this component belongs to; a group shows its worst member's status."""
    api_id: Identifier | None = None
    """The id the Statuspage API v2 (api/v2/*.json) shows for this component instead of its
    own: the id it had on a Statuspage page it was imported from, so clients keyed by it
    keep working. Unique across components."""


class LintSection(_Model):
    """Tuning of `statusgen lint`."""

    disable: list[LintRule] = []
    """Rules that never run."""
    acknowledge_minutes: Annotated[int, Field(ge=1, le=MAX_LINT_MINUTES)] = 30
    """The first update is due this many minutes after an incident starts."""
    update_every_minutes: Annotated[int, Field(ge=1, le=MAX_LINT_MINUTES)] = 60
    """An open incident needs an update at least this often."""
    people: list[Text] = []
    """Names that must never appear in public messages."""


class ChannelEntry(_Model):
    """One place `statusgen notify` sends every update to, through an Apprise URL."""

    id: Identifier
    """Unique id of the channel: letters, digits, '-' and '_'. The ledger keeps what was
    sent under it: a new id is a new channel."""
    url: Text
    """An Apprise URL (mailto://, slack://, ntfy://, json://...). Write secrets as ${VAR}:
    they are read from the environment when sending, never from the repository."""
    name: Text | None = None
    """What customers call this channel ("Push notifications (ntfy app)"); needed with join."""
    join: AbsoluteURL | None = None
    """Where customers subscribe themselves; listed on the page under "Subscribe"."""
    components: list[Identifier] | None = None
    """Only incidents that affect one of these components (default: every incident)."""
    min_impact: Impact | None = None
    """Only incidents of this impact or worse; maintenance counts as none."""
    events: Annotated[list[NotifyEvent], Field(min_length=1)] | None = None
    """Which events to send: created, updated, resolved, maintenance (default: all)."""
    length: Annotated[int, Field(ge=MIN_LENGTH, le=MAX_LENGTH)] | None = None
    """The whole message fits in this many characters (160 for an SMS); the link is kept."""
    language: Language | None = None
    """The language of this channel's messages (default: the site's default language)."""
    reminders: list[Reminder] | None = None
    """How long before a maintenance window this channel is reminded of it (24h, 1h),
    instead of notify.reminders; [] for none. Reminders are maintenance events."""


class NotifySection(_Model):
    """Options of `statusgen notify`."""

    max_age_minutes: Annotated[int, Field(ge=1, le=MAX_AGE_MINUTES)] = 360
    """Never send an update older than this (a first setup, an import)."""
    channels: list[ChannelEntry] = []
    """Where every published update is sent."""
    reminders: list[Reminder] = []
    """How long before a maintenance window every channel that takes maintenance events
    is reminded of it, e.g. [72h, 24h, 1h] (default: no reminders); a channel's own
    reminders replace these."""


class DependencyEntry(_Model):
    """A service the site depends on, whose own status page is shown beside the site's
    status (never changing it)."""

    id: Identifier
    """Unique id: letters, digits, '-' and '_'. What sync read is kept in
    dependencies/<id>.json."""
    name: Text
    """The name customers know, such as GitHub."""
    url: AbsoluteURL
    """The vendor's status page, such as https://www.githubstatus.com: a Statuspage-compatible
    page, whose api/v2/summary.json statusgen dependencies sync reads."""
    components: Annotated[list[Text], Field(min_length=1)] | None = None
    """The names of the vendor's components that matter, as its page writes them (default:
    the whole page's status)."""


class SiteConfigFile(_Model):
    """site_config.yml: the site, its components and its options."""

    site: SiteSection
    """Name, address and time zone of the status page."""
    components: list[ComponentEntry] = []
    """The components, in the order the page shows them."""
    uptime_days: Annotated[int, Field(ge=1, le=MAX_UPTIME_DAYS)] = 90
    """How many days the uptime bars cover."""
    lint: LintSection = LintSection()
    """Options of `statusgen lint`."""
    notify: NotifySection = NotifySection()
    """Where `statusgen notify` sends every published update."""
    dependencies: list[DependencyEntry] = []
    """The services the site depends on: the front page lists their status (read by
    statusgen dependencies sync), which never changes the site's own."""


# incident files ----------------------------------------------------------------------------


def _components_kind(value: Any) -> str | None:
    if isinstance(value, dict):
        return "<mapping>"
    if isinstance(value, list):
        return "<list>"
    return None


#: ``{component: status}`` or a list of components whose status follows from the impact.
AffectedComponents = Annotated[
    Annotated[dict[Identifier, ComponentStatus], Tag("<mapping>")]
    | Annotated[list[Identifier], Tag("<list>")],
    Discriminator(
        _components_kind,
        custom_error_type="components",
        custom_error_message="expected a mapping of component ids to statuses, "
        "or a list of component ids",
    ),
]


class IncidentLintSection(_Model):
    """Lint options for one incident."""

    ignore: list[LintRule] = []
    """Lint rules that do not apply to this incident."""


class _Update(_Model):
    at: Time
    """When this update was posted."""
    message: Translated
    """What customers read (Markdown): what is affected, what is being done."""
    next_update: Time | None = None
    """When the next update is promised."""
    components: dict[Identifier, ComponentStatus] | None = None
    """Component statuses from this update on."""
    key: Annotated[str, StringConstraints(pattern=r"^\S[^\n]{0,99}$")] | None = None
    """The idempotency key of the automation that posted this update (statusgen apply):
    the same key again does nothing. Never published."""


class IncidentUpdate(_Update):
    """One update of an incident's timeline."""

    status: IncidentStatus | None = None
    """The incident's status from this update on; carries over when left out."""


class MaintenanceUpdate(_Update):
    """One update of a maintenance's timeline."""

    status: MaintenanceStatus | None = None
    """The maintenance's status from this update on; carries over when left out."""


class _Record(_Model):
    id: Identifier | None = None
    """Overrides the id taken from the file name."""
    type: Literal["incident", "maintenance"] = "incident"
    """incident (the default) or maintenance."""
    title: Translated
    """The headline, in the customers' words."""
    components: AffectedComponents = {}
    """Affected components: {id: status}, or a list whose status follows from the impact."""
    regions: list[Text] = []
    """The scope, in words customers use (EU, US East)."""
    started: Time | None = None
    """When impact began; defaults to the first update."""
    workaround: Translated | None = None
    """What customers can do meanwhile (Markdown)."""
    compensation: Translated | None = None
    """Credits or refunds offered (Markdown)."""
    postmortem: Translated | None = None
    """A URL or Markdown text explaining what happened and what changes."""
    internal: Any = None
    """Anything for the team. Never published in any output (but visible in the repository)."""
    lint: IncidentLintSection | None = None
    """Lint rules to skip for this incident."""


class IncidentFile(_Record):
    """An incident file."""

    impact: Impact
    """How bad it is: none, minor, major or critical."""
    updates: Annotated[list[IncidentUpdate], Field(min_length=1)]
    """The timeline, in any order; sorted by time."""


class MaintenanceWindow(_Model):
    """When a maintenance is planned."""

    start: Time
    """Start of the window."""
    end: Time
    """End of the window."""


class MaintenanceFile(_Record):
    """A maintenance file (type: maintenance)."""

    impact: Impact | Literal["maintenance"] = "maintenance"
    """How bad it is; maintenance by default."""
    scheduled: MaintenanceWindow
    """The planned window."""
    updates: Annotated[list[MaintenanceUpdate], Field(min_length=1)]
    """The timeline, in any order; sorted by time."""


def record_model(data: dict[str, Any]) -> type[IncidentFile] | type[MaintenanceFile]:
    """The model an incident file is checked against, chosen by its ``type``."""
    return MaintenanceFile if data.get("type") == "maintenance" else IncidentFile

"""Structure-aware fuzzing: valid shapes of repositories with hostile values (the strategies);
the laws every one of them must obey are in ``tests/fuzzing_laws.py``.

Other surfaces (the importers, the relay, ``apply``'s payloads) have their own modules,
``tests/fuzz_<surface>.py``, each exposing ``INPUTS`` (a strategy) and
``check(value, scratch)``; ``benchmarks/fuzz.py`` runs them all.

``tests/test_fuzz.py`` runs a quick profile in every test run; ``benchmarks/fuzz.py`` a
long one (``STATUSGEN_FUZZ=100000``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

#: Payloads that have broken tools of this kind, each marked by ``alert(`` so that a live
#: one is found wherever it lands.
PAYLOADS = (
    "<script>alert(1)</script>",
    "`<script src=x onerror=alert(1)></script>`",
    "&lt;img src=x onerror=alert(2)&gt;",
    "<img src=x onerror=alert(3)>",
    "[click](javascript:alert(4))",
    '<a href="javascript:alert(5)">x</a>',
    "<svg onload=alert(6)>",
    '"><script>alert(7)</script>',
    "<iframe src=javascript:alert(8)>",
    "{{ config }}{% raw %}",
    "<!-- x --><style>*{}</style>",
    "\u202egnp.exe",
    "AT&T <b>bold</b> &amp;",
    "\x1b[31mHTTP 502\x1b[0m",
    "\x00\x01\x07\x7f\x85\ufffe\uffff",
    "\ud800",
    "x" * 300,
    "# heading\n\n* a\n* b\n\n| a | b |\n|---|---|\n| 1 | 2 |",
    "  leading and trailing  ",
    "日本語 العربية עברית",
    "",
    " ",
)


def quick_profile(examples: int) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """The settings of a quick fuzz profile in the test suite: the same inputs on every run,
    so that a failure is reproducible; the long profile is benchmarks/fuzz.py."""
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


def mostly(valid: st.SearchStrategy[Any], hostile: st.SearchStrategy[Any]) -> Any:
    """``valid`` 15 times in 16, else ``hostile``: files are mostly valid, so that
    hostile values reach the build, not only the checker."""
    return st.integers(0, 15).flatmap(lambda n: hostile if n == 15 else valid)


#: Valid text that is hostile to the outputs: markup, entities, scripts, other scripts.
SAFE_PAYLOADS = [p for p in PAYLOADS if p.strip() and p.isprintable() and "\ud800" not in p]
VALID_TEXT = st.one_of(
    st.sampled_from(SAFE_PAYLOADS),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"]), min_size=1).filter(
        str.strip
    ),
)
TEXT = mostly(
    VALID_TEXT,
    st.one_of(st.sampled_from(PAYLOADS), st.text(max_size=20)),
)
IDS = mostly(
    st.sampled_from(["api", "auth", "web", "db-1", "x_y"]),
    st.one_of(
        st.text("abcXYZ019_-", min_size=1, max_size=140),
        st.sampled_from(["", "a b", "a\n", "../x", "<x>", "a" * 256, "é", "NO", "null"]),
    ),
)
#: A text, or now and then the same by language: mostly in every language a site may
#: default to, else in any (some the site lists, some not, one unknown).
TRANSLATED = st.integers(0, 3).flatmap(
    lambda n: (
        TEXT
        if n
        else mostly(
            st.fixed_dictionaries({"en": TEXT, "de": TEXT, "ar": TEXT}),
            st.dictionaries(st.sampled_from(["en", "de", "ar", "ja", "xx"]), TEXT, max_size=3),
        )
    )
)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-(10**20), 10**20), st.floats())
MOMENTS = st.datetimes(
    min_value=datetime(2026, 8, 1),  # noqa: DTZ001 - the zone is given below
    max_value=datetime(2026, 12, 31),  # noqa: DTZ001
    timezones=st.just(UTC),
)
ODD_TIMES = st.one_of(
    st.sampled_from(
        [
            "1970-01-01T00:00:00Z",
            "1969-12-31T23:59:59Z",
            "2999-12-31T23:59:59Z",
            "3000-01-01T00:00:00Z",
            "9999-12-31T23:00:00-05:00",
            "0001-01-01 00:00",
            "2026-03-29 02:30",
            "2026-10-25 02:30",
            "2026-11-20T09:41:00+14:00",
            "2026-11-20T09:41:00-23:59",
            "2026-02-30T10:00:00Z",
            "2026-11-20T24:00:00Z",
            "2026-11-20",
            "yesterday",
        ]
    ),
    SCALARS,
)
ZONES = st.sampled_from(["Z", "+00:00", "+05:30", "-07:00", "+13:45", ""])
INCIDENT_STATUSES = ["investigating", "identified", "monitoring", "resolved", "postmortem"]
MAINTENANCE_STATUSES = ["scheduled", "in_progress", "verifying", "completed", "cancelled"]
COMPONENT_STATUSES = [
    "operational",
    "degraded_performance",
    "partial_outage",
    "major_outage",
    "under_maintenance",
]
KNOWN = ["api", "auth", "web"]

#: Every secret starts so, wherever it is put: finding it in an output is a leak.
SECRET = "topsecretTOKEN"
#: Phone numbers, as SMS channels name their senders and recipients.
PHONES = ("+15551234567", "+15557654321")
_SID = "AC" + "0123456789abcdef" * 2
#: The environment notify runs with: each variable a generated channel may name, set.
ENVIRONMENT = {
    "NOTIFY_JSON_URL": f"json://hook:{SECRET}json@localhost:9/status",
    "NOTIFY_FORM_URL": f"form://localhost:9/status?token={SECRET}form",
    "NOTIFY_EMAIL_URL": f"mailto://status:{SECRET}mail@localhost:9?"
    "from=status@acme.example&to=ops@acme.example",
    "NOTIFY_SMS_URL": f"twilio://{_SID}:{SECRET}0123456789abcdef@{PHONES[0]}/{PHONES[1]}",
    "NTFY_TOPIC": f"{SECRET}topic",
    "TG_TOKEN": f"123456789:{SECRET}telegram",
    "TG_CHAT": "-1001234567890",
    "TWILIO_SID": _SID,
    "TWILIO_TOKEN": f"{SECRET}0123456789abcdef",
    "TWILIO_FROM": PHONES[0],
    "TWILIO_TO": PHONES[1],
}
#: Channel URLs whose secrets come from the environment.
VARIABLE_URLS = [
    "${NOTIFY_JSON_URL}",
    "${NOTIFY_FORM_URL}",
    "${NOTIFY_EMAIL_URL}",
    "${NOTIFY_SMS_URL}",
    "ntfy://${NTFY_TOPIC}",
    "ntfy://ntfy.example/${NTFY_TOPIC}?priority=high",
    "tgram://${TG_TOKEN}/${TG_CHAT}",
    "twilio://${TWILIO_SID}:${TWILIO_TOKEN}@${TWILIO_FROM}/${TWILIO_TO}",
]
#: Channel URLs written out in the config (public), holding nothing secret.
WRITTEN_URLS = [
    "json://localhost:9/status",
    "form://status.acme.example/hook",
    "mailto://localhost:9?from=status@acme.example&to=ops@acme.example",
]
#: Written out too, but with a secret or a target: check refuses them, or hides them.
SECRET_URLS = [
    "ntfy://acme-status",
    f"json://localhost:9/{PHONES[0]}",
    f"mailto://localhost:9?from=status@acme.example&to={PHONES[1][1:]}@sms.acme.example",
    f"tgram://123456789:{SECRET}written/-1001234567890",
    f"twilio://{_SID}:{SECRET}0123456789abcdef@{PHONES[0]}/{PHONES[1]}",
    f"ntfy://user:{SECRET}ntfy@ntfy.example/topic",
    f"json://localhost:9/status?token={SECRET}query",
]
HOSTILE_URLS = st.one_of(
    st.sampled_from(SECRET_URLS),
    st.sampled_from(
        [
            "${NOTIFY_JSON_URL",
            "${lower-case}",
            "${}",
            "$${NOTIFY_JSON_URL}",
            "javascript:alert(1)",
            "json://<script>alert(10)</script>/",
            "msteams://a/b/c",
            "xyz://host",
            "json://",
            "",
        ]
    ),
    TEXT,
    SCALARS,
)


@st.composite
def channels(draw: st.DrawFn) -> dict[str, Any]:
    """One channel of ``notify.channels``: mostly valid, with hostile values."""
    channel: dict[str, Any] = {
        "id": draw(mostly(st.sampled_from(["chat", "email", "push", "sms-1", "x_y"]), IDS)),
        "url": draw(
            mostly(st.sampled_from(VARIABLE_URLS + WRITTEN_URLS), HOSTILE_URLS),
        ),
    }
    optional: dict[str, st.SearchStrategy[Any]] = {
        "name": TEXT,
        "join": mostly(
            st.just("https://ntfy.sh/acme-status"), st.sampled_from(["javascript:alert(1)", "x"])
        ),
        "components": st.lists(mostly(st.sampled_from(KNOWN), IDS), max_size=2),
        "min_impact": mostly(st.sampled_from(["none", "minor", "major", "critical"]), TEXT),
        "events": mostly(
            st.lists(
                st.sampled_from(["created", "updated", "resolved", "maintenance"]),
                min_size=1,
                max_size=4,
                unique=True,
            ),
            st.sampled_from([[], ["sent"], "created"]),
        ),
        "length": mostly(
            st.sampled_from([60, 160, 300, 100_000]),
            st.sampled_from([0, 59, 100_001, 10**30, -1, 1.5, "160"]),
        ),
        "language": mostly(st.just("en"), st.sampled_from(["de", "ar", "xx"])),
    }
    for key, strategy in optional.items():
        if draw(st.integers(0, 3)) == 0:
            channel[key] = draw(strategy)
    if "join" in channel and draw(st.integers(0, 7)):
        channel["name"] = draw(TEXT)  # a channel to join needs a name, mostly given
    return channel


#: The files a brand names, written into every generated repository.
BRAND_FILES = {
    "brand/logo.svg": b'<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>',
    "brand/logo.png": b"\x89PNG\r\n\x1a\n",
    "brand/favicon.ico": b"\x00\x00\x01\x00",
    "brand/notes.txt": b"not an image",
}
DARK = ["#0b5fff", "#1a1a1a", "#7b1fa2", "#b00020"]
LIGHT_OR_ODD = ["#ffff00", "#ffffff", "red", "#12345", "#0b5fffff", "0b5fff"]


@st.composite
def brands(draw: st.DrawFn) -> dict[str, Any]:
    """A site's logo, favicon, colours and links (SPEC: Branding), some of them odd."""
    brand: dict[str, Any] = {}
    odd_paths = ["https://cdn.example/logo.svg", "//cdn.example/x.png", "../logo.svg",
                 "/etc/passwd", "brand/missing.svg", "brand/notes.txt"]  # fmt: skip
    if draw(st.booleans()):
        valid_logo = st.sampled_from(["brand/logo.svg", "brand/logo.png", "./brand/logo.svg"])
        brand["logo"] = draw(mostly(valid_logo, st.sampled_from(odd_paths)))
    if draw(st.booleans()):
        valid_icon = st.sampled_from(["brand/favicon.ico", "brand/logo.png"])
        brand["favicon"] = draw(mostly(valid_icon, st.sampled_from(odd_paths)))
    if draw(st.booleans()):
        colour = mostly(st.sampled_from(DARK), st.sampled_from(LIGHT_OR_ODD))
        brand["colors"] = draw(
            st.fixed_dictionaries({}, optional={"primary": colour, "accent": colour})
        )
    if draw(st.booleans()):
        url = mostly(
            st.sampled_from(["https://acme.example/", "https://acme.example/help?a=1&b=2"]),
            st.sampled_from(["javascript:alert(11)", "https://x y/", "ftp://acme.example/"]),
        )
        brand["links"] = draw(
            st.lists(st.fixed_dictionaries({"name": TEXT, "url": url}), max_size=3)
        )
    return brand


def written(moment: datetime, zone: str) -> str:
    """A time as people write it: with an offset, or without one (the site's zone)."""
    if not zone:
        return moment.strftime("%Y-%m-%d %H:%M")
    if zone == "Z":
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    sign = -1 if zone[0] == "-" else 1
    hours, minutes = int(zone[1:3]), int(zone[4:6])
    offset = timezone(sign * timedelta(hours=hours, minutes=minutes))
    return moment.astimezone(offset).isoformat()


@st.composite
def times(draw: st.DrawFn, after: datetime | None = None) -> tuple[datetime | None, Any]:
    """A time (later than ``after`` when given), as written; or an odd value."""
    if draw(st.integers(0, 11)) == 11:
        return None, draw(ODD_TIMES)
    base = after or datetime(2026, 8, 1, tzinfo=UTC)
    moment = base + timedelta(minutes=draw(st.integers(1, 60 * 24 * 60)))
    return moment, written(moment, draw(ZONES))


@st.composite
def configs(draw: st.DrawFn) -> dict[str, Any]:
    components: list[dict[str, Any]] = []
    if draw(st.integers(0, 3)) != 3:  # mostly the components the incidents name
        components = [
            {"id": "api", "name": draw(TEXT), "group": draw(st.sampled_from(["Platform", "<b>"]))},
            {"id": "auth", "name": draw(TEXT), "group": "Platform", "description": draw(TEXT)},
            {"id": "web", "name": draw(TEXT)},
        ]
    more = st.fixed_dictionaries(
        {"id": mostly(st.sampled_from(["db-1", "x_y", "cdn"]), IDS), "name": TEXT}
    )
    components += draw(
        mostly(
            st.lists(more, max_size=2, unique_by=lambda c: c["id"]),
            st.lists(more, max_size=2),  # now and then an id twice
        )
    )
    site: dict[str, Any] = {
        "name": draw(TEXT),
        "url": draw(
            mostly(
                st.sampled_from(["https://status.acme.example/", "http://localhost:8000/x"]),
                st.sampled_from(
                    [
                        'https://x/"><script>alert(9)</script>',
                        "javascript:alert(1)",
                        "https://x y/",
                        "https://[::1]/",
                        "https://x:99999/",
                    ]
                ),
            )
        ),
        "timezone": draw(
            st.sampled_from(
                ["UTC", "Europe/Berlin", "America/Los_Angeles", "Asia/Kolkata", "Pacific/Chatham"]
            )
        ),
    }
    if draw(st.booleans()):
        site["support_url"] = draw(mostly(st.just("https://acme.example/help"), st.just("x")))
    if draw(st.booleans()):
        site["language"] = draw(st.sampled_from(["en", "de", "pt-BR", "xx-\u00e9"]))
    if draw(st.integers(0, 3)) == 0:  # several languages, now and then a wrong list
        valid = st.sampled_from([["en", "de"], ["de", "en", "ar"], ["ar", "ja"]])
        site["languages"] = draw(mostly(valid, st.sampled_from([["en", "en"], [], ["xx"]])))
    site.update(draw(brands()))
    config: dict[str, Any] = {"site": site, "components": components}
    if draw(st.booleans()):
        config["uptime_days"] = draw(
            mostly(st.sampled_from([1, 3, 90, 3650]), st.sampled_from([0, 3651, 10**30]))
        )
    if draw(st.booleans()):
        minutes = mostly(st.sampled_from([1, 30, 10080]), st.sampled_from([0, 10081, 10**30]))
        config["lint"] = draw(
            st.fixed_dictionaries(
                {}, optional={"acknowledge_minutes": minutes, "update_every_minutes": minutes}
            )
        )
    if draw(st.integers(0, 2)):  # mostly channels, the other part of the config
        notify: dict[str, Any] = {
            "channels": draw(
                mostly(
                    st.lists(channels(), max_size=3, unique_by=lambda c: c["id"]),
                    st.lists(channels(), max_size=3),  # now and then an id twice
                )
            )
        }
        if draw(st.integers(0, 3)):  # mostly old enough to send the generated updates
            notify["max_age_minutes"] = draw(
                mostly(
                    st.sampled_from([360, 527040]),
                    st.sampled_from([0, 527041, 99999999999999, -1, 1.5, "360"]),
                )
            )
        config["notify"] = notify
    return config


@st.composite
def incidents(draw: st.DrawFn) -> dict[str, Any]:
    maintenance = draw(st.integers(0, 3)) == 3
    statuses = MAINTENANCE_STATUSES if maintenance else INCIDENT_STATUSES
    known = mostly(st.sampled_from(KNOWN), IDS)
    component_status = mostly(st.sampled_from(COMPONENT_STATUSES), st.just("down"))
    record: dict[str, Any] = {
        "title": draw(TRANSLATED),
        "impact": draw(mostly(st.sampled_from(["none", "minor", "major", "critical"]), TEXT)),
        "components": draw(
            mostly(
                st.one_of(
                    st.lists(known, max_size=3, unique=True),
                    st.dictionaries(known, component_status, max_size=3),
                ),
                SCALARS,
            )
        ),
    }
    updates: list[dict[str, Any]] = []
    moment: datetime | None = None
    for _ in range(draw(mostly(st.integers(1, 4), st.just(0)))):
        moment, at = draw(times(after=moment))
        update: dict[str, Any] = {"at": at, "message": draw(TRANSLATED)}
        if draw(st.booleans()):
            update["status"] = draw(mostly(st.sampled_from(statuses), TEXT))
        if draw(st.integers(0, 2)) == 0 and moment is not None:
            update["next_update"] = draw(times(after=moment))[1]
        if draw(st.integers(0, 3)) == 0:
            update["components"] = draw(st.dictionaries(known, component_status, max_size=2))
        updates.append(update)
    record["updates"] = updates
    if maintenance:
        record["type"] = "maintenance"
        start, written_start = draw(times())
        record["scheduled"] = {"start": written_start, "end": draw(times(after=start))[1]}
    optional = {
        "workaround": TRANSLATED,
        "compensation": TRANSLATED,
        "regions": st.lists(TEXT, max_size=2),
        "postmortem": st.one_of(TRANSLATED, st.just("https://acme.example/pm")),
        "internal": st.dictionaries(st.text(max_size=5), TEXT, max_size=2),
    }
    for key, strategy in optional.items():
        if draw(st.integers(0, 3)) == 0:
            record[key] = draw(strategy)
    if draw(st.integers(0, 7)) == 7:
        record["id"] = draw(IDS)
    if draw(st.integers(0, 5)) == 0:  # before the first update (from August), or odd
        started = datetime(2026, 7, 1, tzinfo=UTC) + timedelta(hours=draw(st.integers(0, 700)))
        record["started"] = draw(mostly(st.just(written(started, "Z")), ODD_TIMES))
    return record


def render(data: Any, style: int) -> str:
    """The YAML text of ``data``: JSON (a YAML 1.2 document), or PyYAML's block style."""
    if style == 0:
        return json.dumps(data, ensure_ascii=False, default=str)
    if style == 1:  # (not ensure_ascii: YAML reads no surrogate pairs of JSON's \u escapes)
        return json.dumps(data, ensure_ascii=False, indent=2, default=str)
    try:
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    except (yaml.YAMLError, UnicodeEncodeError):
        return json.dumps(data, default=str)


@dataclass
class Repository:
    """One generated status repository, as texts."""

    config: str
    files: dict[str, str] = field(default_factory=dict)

    def write(self, root: Path) -> None:
        (root / "incidents").mkdir(parents=True)
        for name, data in BRAND_FILES.items():
            (root / name).parent.mkdir(exist_ok=True)
            (root / name).write_bytes(data)
        (root / "site_config.yml").write_bytes(self.config.encode("utf-8", "surrogatepass"))
        for name, text in self.files.items():
            (root / "incidents" / name).write_bytes(text.encode("utf-8", "surrogatepass"))


@st.composite
def repositories(draw: st.DrawFn, max_files: int = 8) -> Repository:
    config = draw(configs())
    repository = Repository(render(config, draw(st.integers(0, 2))))
    count = draw(st.integers(1, max_files))
    for number in range(count):
        name = draw(mostly(st.just(f"2026-11-{number + 1:02d}-x{number}"), st.just(f"a,{number}")))
        repository.files[f"{name}.yml"] = render(draw(incidents()), draw(st.integers(0, 2)))
    return repository

"""One Apprise URL as one service: what it takes, and sending to it alone.

Apprise's overall result is true only if every target succeeded, so each channel is its
own service and is sent to on its own. Secrets live inside Apprise URLs: what is shown of
a URL is Apprise's privacy form, and every failure message is scrubbed of the secrets the
URL holds before anyone sees it. Apprise is imported on first use: ``check`` pays for it
only when the site has channels.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal
from urllib.parse import unquote

from generator.channels.parts import (
    CREDENTIAL_NAME,
    PHONE,
    PLAIN_OPTIONS,
    SECRET_OPTIONS,
    SECRET_TARGETS,
    basic_auth,
    parts,
    phone_like,
    pieces,
    pieces_of,
)
from generator.core.diagnostics import did_you_mean

#: What a service shows: our HTML (email), Markdown (chat), or plain text (SMS, push).
Format = Literal["html", "markdown", "text"]
#: How alarming a message is; services that colour or sort messages use it.
Tone = Literal["info", "success", "warning", "failure"]

URL_HINT = "see https://github.com/caronc/apprise/wiki for the URL of each service"
#: Services Apprise dropped, and what replaces them.
RETIRED = {"msteams": "Microsoft retired Teams webhooks: use workflow:// (Power Automate)"}
#: A service whose own limit is below this takes short plain text (SMS, social posts).
SHORT_FORM = 1000
MASK = "****"
#: The services that send SMS (Apprise's "SMS Notifications", by their schemes): their
#: messages are written in GSM-7, an SMS's own alphabet, where they can be.
SMS_SCHEMES = frozenset(
    {"46elks", "elks", "atalk", "bulksms", "bulkvs", "burstsms", "kudosity", "clickatell",
     "clicksend", "cm", "d7sms", "eight00com", "exotel", "freemobile", "httpsms", "infobip",
     "kaleyra", "klr", "kavenegar", "mobilemessage", "mobilemsg", "msg91", "msgbird",
     "nexmo", "vonage", "notifyre", "octopush", "plivo", "ringc", "serwersms", "seven",
     "sfr", "sinch", "smpp", "smpps", "smsc", "smseagle", "smseagles", "smsmanager",
     "smsmgr", "smstunnel", "sns", "telesign", "telnyx", "twilio", "voipms"}
)  # fmt: skip


class ServiceError(ValueError):
    """Apprise cannot read a URL; the message never holds the URL itself."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class DeliveryError(Exception):
    """A send failed; the message is the service's reason, with every secret masked.

    ``permanent`` when the service refused this message itself (HTTP 400, 413, 422…):
    sending it again the same way cannot succeed. A refusal of the channel (401, 403,
    404: a revoked token, a deleted webhook), a rate limit or a network error is not: the
    channel waits until it is fixed or the service is back.
    """

    def __init__(self, message: str, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


#: HTTP answers that refuse a message for what it is, not the channel for what it is.
_REFUSES_THE_MESSAGE = frozenset({400, 413, 414, 415, 422})
_STATUS = re.compile(r"\berror=(\d{3})\b")


@lru_cache(maxsize=1)
def _schemes() -> frozenset[str]:
    from apprise.manager_plugins import NotificationManager

    return frozenset(scheme.lower() for scheme in NotificationManager().schemas())


def scheme_problem(url: str) -> ServiceError | None:
    """What is wrong with the scheme of ``url``, when it is written out (not a ``${VAR}``)."""
    scheme, separator, _ = url.partition("://")
    if "${" in scheme:
        return None
    if not separator:
        return ServiceError(
            "this is not an Apprise URL (it has no 'scheme://')",
            "write it as service://..., e.g. mailto://..., slack://..., ntfy://...; " + URL_HINT,
        )
    name = scheme.lower()
    if name in RETIRED:
        return ServiceError(f"Apprise no longer has '{scheme}://'", RETIRED[name])
    if name not in _schemes():
        hint = did_you_mean(name, _schemes()) or URL_HINT
        return ServiceError(f"Apprise knows no service '{scheme}://'", hint)
    return None


def url_problem(url: str) -> ServiceError | None:
    """What is wrong with a URL as the site config writes it (``${VAR}`` unexpanded): a
    scheme Apprise does not know, a URL it cannot read, or a written-out secret."""
    problem = scheme_problem(url)
    if problem is not None:
        return problem
    if "${" not in url:
        try:
            service = open_service(url, [])
        except ServiceError as error:
            return error
        hidden = service.hidden_parts
    else:
        hidden = _hidden_with_stand_ins(url)
    written = _written_secret(url, hidden)
    if written is None:
        return None
    return ServiceError(
        f"this URL writes out {written} in the site config, which is public in the repository",
        "write a variable in its place, e.g. ${NOTIFY_TOKEN}, or the whole URL as "
        "url: ${NOTIFY_URL}, and set the variable from a secret (on GitHub: a repository "
        "secret passed to the notify job)",
    )


def _written_secret(url: str, hidden: frozenset[str]) -> str | None:
    """Which part of ``url``, written out, is a secret: a password, a header or a form
    parameter named like a credential, a credential option, a part Apprise itself hides
    when it prints the URL, an ntfy topic, or a phone number of a service that sends to
    phones."""
    scheme = url.partition("://")[0].lower()
    plugin = _plugin_class(scheme)
    private_options = {
        key for key, spec in getattr(plugin, "template_args", {}).items() if spec.get("private")
    }
    takes_phones = any("phone" in key for key in getattr(plugin, "template_tokens", {}))
    found = parts(url)
    authenticated = any(p.where in ("user", "password") for p in found) or any(
        p.where == "query" and p.key.lower() in SECRET_OPTIONS for p in found
    )
    if any(p.where == "password" and not p.from_variable for p in found):
        login = [p.where for p in found if p.where in ("user", "password") and not p.from_variable]
        return " and ".join(f"the {where}" for where in login)
    for part in found:
        if part.from_variable or not part.text:
            continue
        key = part.key.lower()
        if part.where == "query" and (
            (key[:1] in "+-:" and CREDENTIAL_NAME.search(key))
            or key in SECRET_OPTIONS
            or key in private_options
        ):
            return part.describe
        if takes_phones and any(PHONE.fullmatch(n) for n in phone_like(part.text)):
            return "a phone number (customers' data)"
        if pieces_of(part.text) & hidden:
            where = {"user": "user name", "query": "query"}.get(part.where, part.where)
            return f"a secret in its {where}"
        if scheme in SECRET_TARGETS and not authenticated:
            topic = part.where in ("path", "fragment") or (
                part.where == "host" and "." not in part.text
            )
            if topic or (part.where == "query" and key in ("to", "topic", "topics")):
                return SECRET_TARGETS[scheme]
    return None


#: What stands for a ``${VAR}`` while check asks Apprise which written parts it hides:
#: services read some places as digits, an address or a phone number.
STAND_INS = ("0123456789abcdef", "1234567890", "stand-in@example.com", "+15550000000")


def _hidden_with_stand_ins(url: str) -> frozenset[str]:
    """The written-out parts Apprise would hide, read with stand-ins for each ``${VAR}``;
    what any reading that Apprise takes hides."""
    hidden: set[str] = set()
    for stand_in in STAND_INS:
        try:
            service = open_service(re.sub(r"\$\{[^}]*\}", stand_in, url), [])
        except ServiceError:
            continue
        hidden |= service.hidden_parts
    return frozenset(hidden)


@lru_cache(maxsize=256)
def _plugin_class(scheme: str) -> Any:
    from apprise.manager_plugins import NotificationManager

    try:
        return NotificationManager()[scheme]
    except KeyError:
        return None


def open_service(url: str, secrets: list[str]) -> Service:
    """The service of an Apprise URL (``${VAR}`` already expanded); ``secrets`` are the
    values taken from the environment. Nothing of the URL but its scheme and host is ever
    shown, and every other part is masked in every message."""
    problem = scheme_problem(url)
    if problem is not None:
        raise problem
    import apprise

    with apprise.LogCapture(level=logging.WARNING, fmt="%(message)s"):
        try:
            plugin = apprise.Apprise.instantiate(url, suppress_exceptions=True)
        except Exception:  # a plugin's own bug in reading a URL
            plugin = None
    if plugin is None or isinstance(plugin, bool):
        raise ServiceError("Apprise cannot read this URL", URL_HINT)
    scheme = url.partition("://")[0].lower()
    host = _shown_host(plugin, url, scheme, secrets)
    name = str(getattr(plugin, "service_name", type(plugin).__name__))
    shown = f"{name} at {scheme}://{host}" if host else name
    masked: set[str] = set()
    for part in parts(url):
        if part.where == "host" and part.text == host:
            continue
        if part.where == "query" and part.key.lower() in PLAIN_OPTIONS:
            continue
        masked |= pieces(part.text)
    for secret in secrets:
        masked |= pieces(secret)
        if "://" in secret:
            masked |= {p for part in parts(secret) for p in pieces(part.text)}
    login = {p.where: p.text for p in parts(url) if p.where in ("user", "password")}
    if login:
        masked |= basic_auth(login.get("user", ""), login.get("password", ""))
    if host:
        masked -= {host}
    masked -= {scheme, ""}
    shown_form = pieces_of(unquote(str(plugin.url(privacy=True))))
    hidden = frozenset(pieces_of(unquote(str(plugin.url(privacy=False)))) - shown_form)
    ordered = tuple(sorted(masked, key=len, reverse=True))
    return Service(plugin, shown, ordered, hidden, bool(hidden) or bool(secrets), host)


def _shown_host(plugin: Any, url: str, scheme: str, secrets: list[str]) -> str:
    """The host a channel may be named by: a real host name of a service that takes one
    (``smtp.example.com``), never a topic, a token, an id or a phone number that Apprise
    reads where a host would be."""
    host = str(getattr(plugin, "host", "") or "")
    takes_host = "host" in getattr(plugin, "template_tokens", {})
    if scheme in SECRET_TARGETS:
        takes_host = "." in host  # a server of one's own; otherwise the host is the topic
    looks_like_host = host == "localhost" or "." in host or ":" in host
    if not takes_host or not looks_like_host or PHONE.fullmatch(re.sub(r"\W", "", host)):
        return ""
    if any(secret in host for secret in secrets if secret and "://" not in secret):
        return ""
    found = parts(url)
    written = [p.text for p in found if p.where == "host"]
    if written != [host] or any(host in credential for credential in _credentials(url, secrets)):
        return ""  # a password with an '@' makes its tail the host Apprise reads
    return host


def _credentials(url: str, secrets: list[str]) -> list[str]:
    """The user, the password and every variable's value but a whole URL."""
    login = [p.text for p in parts(url) if p.where in ("user", "password")]
    return login + [s for s in secrets if "://" not in s]


#: What a service may echo of a request: its credentials, and customers' addresses.
_ECHOED = re.compile(
    r"(?i)\b(basic|bearer|token|digest)(\s+|_)[^\s\"'<>,;]+|[\w.+-]+@[\w-]+(\.[\w-]+)+"
)


def _masked(text: str, secrets: tuple[str, ...]) -> str:
    for secret in secrets:
        text = text.replace(secret, MASK)
    text = _ECHOED.sub(lambda m: f"{m.group(1)} {MASK}" if m.group(1) else MASK, text)
    return PHONE.sub(MASK, text)


@dataclass
class Service:
    """One Apprise target."""

    _plugin: Any
    #: What a channel's service may be named by: the service, and at most the scheme and
    #: host (``JSON at json://127.0.0.1``); never a path, query, user or target.
    shown: str
    _secrets: tuple[str, ...]
    #: The parts of the URL (decoded) that Apprise hides when it prints it.
    hidden_parts: frozenset[str]
    #: Whether the URL holds something Apprise hides when it prints it, or a variable.
    holds_secret: bool
    #: The host the service may be named by (``shown``), or "" when none may be shown.
    host: str = ""

    @property
    def name(self) -> str:
        return str(getattr(self._plugin, "service_name", type(self._plugin).__name__))

    @property
    def format(self) -> Format:
        """What this service shows best: HTML where it is its first choice (email),
        Markdown where it takes it (chat), plain text otherwise. A ``?format=`` in the
        URL decides instead."""
        from apprise import NotifyFormat

        resolved = self._plugin.resolve_format(NotifyFormat.MARKDOWN)
        if resolved == NotifyFormat.HTML:
            return "html"
        if resolved == NotifyFormat.MARKDOWN:
            return "markdown"
        return "text"

    @property
    def titled(self) -> bool:
        """Whether the service shows a title apart from the body (an email's subject)."""
        return int(self._plugin.title_maxlen) > 0

    @property
    def sms(self) -> bool:
        """Whether the service sends SMS (SMS_SCHEMES): its messages are best in GSM-7."""
        schemes: set[str] = set()
        for attribute in ("protocol", "secure_protocol"):
            value = getattr(self._plugin, attribute, None)
            if isinstance(value, str):
                schemes.add(value.lower())
            elif isinstance(value, (tuple, list)):
                schemes.update(str(scheme).lower() for scheme in value)
        return bool(schemes & SMS_SCHEMES)

    @property
    def limit(self) -> int | None:
        """The service's own limit on a message, when it is short (an SMS, a post)."""
        limit = int(self._plugin.body_maxlen)
        return limit if 0 < limit < SHORT_FORM else None

    def send(self, title: str, body: str, body_format: Format, tone: Tone) -> None:
        """Send one message to this service alone; DeliveryError with its reason."""
        import apprise

        with apprise.LogCapture(level=logging.WARNING, fmt="%(message)s") as log:
            try:
                sent = self._plugin.notify(
                    body=body,
                    title=title,
                    notify_type=apprise.NotifyType(tone),
                    body_format=apprise.NotifyFormat(body_format),
                )
            except Exception as error:  # a plugin's own bug must not stop the others
                log.write(f"{type(error).__name__}: {error}\n")
                sent = False
            reason = log.getvalue().strip()
        if not sent:
            lines = [line for line in reason.splitlines() if line.strip()]
            codes = [int(code) for code in _STATUS.findall(reason)]
            permanent = bool(codes) and codes[-1] in _REFUSES_THE_MESSAGE
            message = self.mask(lines[-1] if lines else f"{self.name} refused it")
            raise DeliveryError(message, permanent=permanent)

    def measure(self, title: str, body: str, body_format: Format) -> int:
        """How many characters the service counts for this message, as Apprise will send
        it: the body in the service's own dialect (Telegram's Markdown escapes), and the
        title where the service puts it into the body."""
        from apprise import NotifyFormat
        from apprise.conversion import convert_between

        source = NotifyFormat(body_format)
        target = self._plugin.resolve_format(source)
        converted = convert_between(source, target, body) if source != target else body
        converted = self._plugin.dialect_convert(converted, target)
        blended = len(title) + 2 if title and int(self._plugin.title_maxlen) <= 0 else 0
        return len(converted) + blended

    @property
    def most(self) -> int:
        """The most characters the service takes in one message."""
        return int(self._plugin.body_maxlen)

    def mask(self, text: str) -> str:
        """``text`` with every secret of this service replaced by ****."""
        return _masked(text, self._secrets)

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


class ServiceError(ValueError):
    """Apprise cannot read a URL; the message never holds the URL itself."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class DeliveryError(Exception):
    """A send failed; the message is the service's reason, with every secret masked."""


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
    """What is wrong with a URL written out in full in the site config: a scheme Apprise
    does not know, a URL it cannot read, or a secret that belongs in a variable."""
    problem = scheme_problem(url)
    if problem is not None or "${" in url:
        return problem
    try:
        service = open_service(url, [])
    except ServiceError as error:
        return error
    if service.holds_secret:
        return ServiceError(
            "this URL holds a secret, and the site config is public in the repository",
            "move the URL (or its secret) to an environment variable: url: ${NOTIFY_URL}",
        )
    return None


def open_service(url: str, secrets: list[str]) -> Service:
    """The service of an Apprise URL (``${VAR}`` already expanded); ``secrets`` are the
    values taken from the environment, masked in every message along with what Apprise
    itself masks."""
    problem = scheme_problem(url)
    if problem is not None:
        raise problem
    import apprise

    with apprise.LogCapture(level=logging.WARNING, fmt="%(message)s"):
        plugin = apprise.Apprise.instantiate(url, suppress_exceptions=True)
    if plugin is None or isinstance(plugin, bool):
        raise ServiceError("Apprise cannot read this URL", URL_HINT)
    printed = str(plugin.url(privacy=True))
    hides = printed != str(plugin.url(privacy=False))
    secret = _secret_parts(url, printed, secrets)
    return Service(plugin, _masked(printed, secret), secret, hides or bool(secrets))


def _secret_parts(url: str, printed: str, secrets: list[str]) -> tuple[str, ...]:
    """Every piece of ``url`` that Apprise's privacy form hides, and every value taken
    from a variable, except a whole URL: its secrets are the pieces Apprise hides."""
    pieces = {unquote(piece) for piece in re.split(r"[/:@?&=#,;+\s]", url)}
    hidden = {p for p in pieces if len(p) >= 3 and p not in unquote(printed)}
    found = hidden | {s for s in secrets if s and "://" not in s}
    return tuple(sorted(found, key=len, reverse=True))


def _masked(text: str, secrets: tuple[str, ...]) -> str:
    for secret in secrets:
        text = text.replace(secret, MASK)
    return text


@dataclass
class Service:
    """One Apprise target."""

    _plugin: Any
    #: The URL as Apprise prints it with its secrets masked: what may be shown.
    shown: str
    _secrets: tuple[str, ...]
    #: Whether the URL holds something Apprise hides when it prints it, or a variable.
    holds_secret: bool

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
            raise DeliveryError(self.mask(lines[-1] if lines else f"{self.name} refused it"))

    def mask(self, text: str) -> str:
        """``text`` with every secret of this service replaced by ****."""
        return _masked(text, self._secrets)

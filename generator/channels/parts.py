"""The parts of an Apprise URL: what may be shown of it, what must be masked, and which
written-out parts are secrets that belong in a variable.

An Apprise URL carries its secrets anywhere: a password, a token in the path, a header
(``json://host/?+Authorization=Bearer%20…``), a form parameter (``form://…?-apikey=…``),
an ntfy topic (whoever knows it can post), or customers' phone numbers (``twilio://…@from/to``).
Apprise's privacy form hides only some of them, so statusgen never prints a URL at all: a
channel is named by its id, its service and at most its scheme and host. Every other part
is masked in whatever a service answers.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from urllib.parse import quote, quote_plus, unquote, unquote_plus, urlsplit

#: Options every Apprise service takes, whose values are never secret (``?format=text``).
PLAIN_OPTIONS = frozenset(
    {"format", "overflow", "emojis", "verify", "rto", "cto", "store", "tz", "retry", "wait",
     "optional", "method", "mode", "priority", "image", "mdv", "preview", "silent", "detect",
     "footer", "avatar", "tts", "batch", "blocks", "timestamp", "content"}
)  # fmt: skip
#: Query keys whose values are credentials, whatever the service.
SECRET_OPTIONS = frozenset(
    {"token", "apikey", "api_key", "key", "secret", "password", "pass", "pwd", "auth",
     "access_token", "accesstoken", "sid", "webhook", "client_secret", "topic_auth_token",
     "pgpprv", "keyfile", "signature", "app_password", "bot_token"}
)  # fmt: skip
#: Services whose targets are themselves the secret: a topic anyone who knows can post to.
SECRET_TARGETS = {"ntfy": "the ntfy topic", "ntfys": "the ntfy topic"}
#: A phone number as URLs hold it: digits, perhaps with a leading +.
PHONE = re.compile(r"\+?\d{7,15}")
#: What stands for a ``${VAR}`` while a URL written in the config is read.
_VARIABLE = re.compile(r"\$\{[^}]*\}")
_SPLIT = re.compile(r"[/:@?&=#,;+\s<>\"'()]")
#: A header's or form parameter's name that says it carries a credential.
CREDENTIAL_NAME = re.compile(r"auth|key|token|secret|sig|pass|pwd|cookie|session|credential")


@dataclass(frozen=True)
class Part:
    """One written part of a URL: where it is (``user``, ``password``, ``host``, ``path``,
    ``query``, ``fragment``), its key for a query, and its text as written."""

    where: str
    text: str
    key: str = ""

    @property
    def from_variable(self) -> bool:
        return "${" in self.text

    @property
    def describe(self) -> str:
        if self.where == "query":
            if self.key[:1] == "+":
                return f"the header '{self.key[1:]}'"
            if self.key[:1] in "-:":
                return f"the parameter '{self.key[1:]}'"
            return f"'{self.key}='"
        return {"user": "the user", "password": "the password"}.get(self.where, self.where)


def parts(url: str) -> list[Part]:
    """The parts of ``url`` (``${VAR}`` left in place), the scheme excepted."""
    # a ${VAR} may hold any character: read the URL with each one as a plain word
    variables = _VARIABLE.findall(url)
    masked = url
    for index, variable in enumerate(variables):
        masked = masked.replace(variable, f"\x00{index}\x00", 1)

    def restore(text: str) -> str:
        for index, variable in enumerate(variables):
            text = text.replace(f"\x00{index}\x00", variable)
        return text

    # Apprise reads a '#' as part of the path (slack://…/#channel), with a query after it
    masked = masked.replace("#", "%23")
    try:
        split = urlsplit(masked)
        host = split.hostname or ""
    except ValueError:
        return [Part("path", restore(masked.partition("://")[2]))]
    found: list[Part] = []
    netloc = split.netloc
    if "@" in netloc:
        userinfo = netloc.rpartition("@")[0]
        user, _, password = userinfo.partition(":")
        found.append(Part("user", restore(user)))
        if password:
            found.append(Part("password", restore(password)))
        netloc = netloc.rpartition("@")[2]
    if "]" in netloc:  # an IPv6 address
        found.append(Part("host", restore(host)))
        netloc = netloc.rpartition("]")[2]
    name, colon, port = netloc.rpartition(":") if ":" in netloc else (netloc, "", "")
    if name:
        found.append(Part("host", restore(name)))
    if colon and not port.isdigit():  # what Apprise reads there: a bot's token, a key
        found.append(Part("address", restore(port)))
    found.extend(Part("path", restore(p)) for p in split.path.split("/") if p)
    for pair in split.query.split("&"):
        key, _, value = pair.partition("=")
        if key or value:  # '+' is part of a key here: Apprise's headers are +Name=value
            found.append(Part("query", restore(unquote(value)), restore(unquote(key))))
    if split.fragment:
        found.append(Part("fragment", restore(split.fragment)))
    return found


def pieces_of(text: str) -> set[str]:
    """The words of ``text`` (decoded) long enough to be a secret."""
    return {word for word in _SPLIT.split(unquote(text)) if len(word) >= 3}


def phone_like(text: str) -> list[str]:
    """``text``'s pieces as phone numbers are written in lists: ``+1 (555) 765-4321``,
    ``1.555.765.4321``, several separated by commas."""
    return [re.sub(r"[-.()\s]", "", n) for n in re.split(r"[,;/]", unquote(text)) if n.strip()]


def basic_auth(user: str, password: str) -> set[str]:
    """How ``user:password`` travels in an HTTP Basic header, which a service may echo."""
    found = set()
    for pair in {f"{user}:{password}", f"{unquote(user)}:{unquote(password)}"}:
        found.add(base64.b64encode(pair.encode()).decode())
    return found


def pieces(text: str) -> set[str]:
    """``text`` and the words of it worth masking, each as written, decoded and encoded
    the ways a service or Apprise may print it again."""
    words = {text, unquote(text), unquote_plus(text)}
    for word in list(words):
        words.update(_SPLIT.split(word))
    found: set[str] = set()
    for word in words:
        if len(word) < 3:
            continue
        found.update({word, quote(word, safe=""), quote_plus(word), quote(word)})
        digits = re.sub(r"\D", "", word)
        if PHONE.fullmatch(word) and digits:
            found.add(digits)
    return {word for word in found if len(word) >= 3}


_LITERAL = re.compile(r"(\$\{[^}]*\})")


def _masked_words(text: str) -> str:
    """``text`` with each ``${VAR}`` as written and everything else between them ****."""
    return "".join(
        piece if _VARIABLE.fullmatch(piece) else "****" for piece in _LITERAL.split(text) if piece
    )


def written_form(url: str, host: str) -> str:
    """``url`` as the site config writes it, for a reader to recognise: its scheme, each
    ``${VAR}`` as written (never its value), ``host`` when it is the host written there
    (the one a channel may be named by), a port, each query key and the values of the
    options that are never secret; every other written part is ****."""
    scheme, separator, rest = url.partition("://")
    if not separator:
        return _masked_words(url)
    rest, hash_mark, fragment = rest.partition("#")
    rest, question, query = rest.partition("?")
    netloc, slash, path = rest.partition("/")
    userinfo, at, hostport = netloc.rpartition("@")
    name, colon, port = hostport.rpartition(":") if ":" in hostport else (hostport, "", "")
    shown_name = name if (name == host and host) or _VARIABLE.fullmatch(name) else ""
    text = scheme + "://"
    if at:
        text += ":".join(_masked_words(p) for p in userinfo.split(":", 1)) + "@"
    text += shown_name or (_masked_words(name) if name else "")
    if colon:
        text += ":" + (port if port.isdigit() else _masked_words(port))
    text += slash + "/".join(_masked_words(p) if p else "" for p in path.split("/"))
    if question:
        pairs = []
        for pair in query.split("&"):
            key, equals, value = pair.partition("=")
            plain = key.lower() in PLAIN_OPTIONS
            pairs.append(key + equals + (value if plain or not value else _masked_words(value)))
        text += "?" + "&".join(pairs)
    if hash_mark:
        text += "#" + _masked_words(fragment)
    return text

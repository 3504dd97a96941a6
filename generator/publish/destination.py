"""Where ``publish`` sends a site: an rclone remote path, and what of it may be printed.

DEST is what rclone itself takes: ``mirror:path`` (a remote defined by
``RCLONE_CONFIG_MIRROR_*`` variables), a connection string such as
``:webdav,url='https://dav.example',user=me,pass=OBSCURED:site`` or ``:local:/srv/site``, or
a plain local folder. A connection string may hold a password, a key or a token, and rclone
repeats DEST in its own messages: everything printed goes through :meth:`Destination.mask`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

MASK = "****"

#: Connection-string parameters whose values are shown as written. Every other value (a
#: password, a key, a token, an account, anything rclone may add later) is masked.
SHOWN = frozenset(
    {
        "type", "vendor", "host", "port", "provider", "region", "endpoint", "env_auth",
        "location_constraint", "acl", "storage_class", "force_path_style", "v2_auth",
        "shell_type", "set_modtime", "chunk_size", "upload_cutoff", "no_check_bucket",
        "url",  # shown with its password and query masked
    }
)  # fmt: skip

#: Words that make an rclone environment variable's value a secret (RCLONE_CONFIG_M_PASS,
#: RCLONE_S3_SECRET_ACCESS_KEY, RCLONE_CONFIG_M_SAS_URL, ...).
SECRET_WORDS = (
    "PASS", "SECRET", "KEY", "TOKEN", "CREDENTIAL", "SAS", "AUTH", "SESSION", "SIGNATURE",
    "ACCOUNT", "CLIENT_ID",
)  # fmt: skip

#: A secret shorter than this cannot be told from the words around it, and is not searched for.
SHORTEST = 3

_NAME = re.compile(r":?[\w.+@-][\w.+@ -]*")


@dataclass(frozen=True)
class Destination:
    """DEST as given (passed to rclone only), as it may be printed, and its secrets."""

    given: str
    shown: str
    secrets: tuple[str, ...]

    @classmethod
    def parse(cls, dest: str, environ: Mapping[str, str] | None = None) -> Destination:
        secrets = list(_environment_secrets(os.environ if environ is None else environ))
        shown = dest
        parsed = _connection_string(dest)
        if parsed is not None:
            name, params, path = parsed
            parts = [name]
            for key, value, raw in params:
                if value is None:
                    parts.append(key)
                    continue
                if key == "url":
                    url, hidden = _masked_url(value)
                    secrets.extend(hidden)
                    parts.append(f"{key}={_quoted(url) if url != value else raw}")
                elif key.lower() in SHOWN:
                    parts.append(f"{key}={raw}")
                else:
                    secrets.extend((value, raw))
                    parts.append(f"{key}={MASK}")
            shown = ",".join(parts) + ":" + path
        ordered = sorted({s for s in secrets if len(s) >= SHORTEST}, key=len, reverse=True)
        return cls(given=dest, shown=shown, secrets=tuple(ordered))

    def mask(self, text: str) -> str:
        """``text`` (an rclone message) with DEST as it may be shown and every secret masked."""
        text = text.replace(self.given, self.shown)
        for secret in self.secrets:
            text = text.replace(secret, MASK)
        return text

    def local_folder(self) -> str | None:
        """The folder DEST names on this machine, if it names one."""
        if self.given.startswith(":local:"):
            return self.given.removeprefix(":local:")
        if _connection_string(self.given) is None and not self.given.startswith(":"):
            return self.given
        return None


def _connection_string(dest: str) -> tuple[str, list[tuple[str, str | None, str]], str] | None:
    """``name``, its ``key=value`` parameters (value unquoted, and as written) and the path
    of an rclone remote path, or None for a plain local path (no remote before a colon)."""
    match = _NAME.match(dest)
    if match is None:
        return None
    name, rest = match.group(), dest[match.end() :]
    params: list[tuple[str, str | None, str]] = []
    while rest.startswith(","):
        key_match = re.match(r",([\w-]+)", rest)
        if key_match is None:
            return None
        key, rest = key_match.group(1), rest[key_match.end() :]
        if not rest.startswith("="):
            params.append((key, None, ""))
            continue
        rest = rest[1:]
        if rest[:1] in ("'", '"'):
            quote, index, value = rest[0], 1, ""
            while index < len(rest):
                if rest[index] == quote:
                    if rest[index + 1 : index + 2] == quote:
                        value += quote
                        index += 2
                        continue
                    break
                value += rest[index]
                index += 1
            raw, rest = rest[: index + 1], rest[index + 1 :]
        else:
            end = min((i for i in (rest.find(","), rest.find(":")) if i >= 0), default=len(rest))
            value = raw = rest[:end]
            rest = rest[end:]
        params.append((key, value, raw))
    if not rest.startswith(":"):
        return None
    return name, params, rest[1:]


def _masked_url(url: str) -> tuple[str, list[str]]:
    """``url`` with its password and query masked, and the parts masked."""
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:
        return MASK, [url]
    hidden = [part for part in (password, parts.query) if part]
    netloc = parts.netloc
    if password:
        netloc = netloc.replace(f":{password}@", f":{MASK}@", 1)
    query = MASK if parts.query else ""
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment)), hidden


def _quoted(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _environment_secrets(environ: Mapping[str, str]) -> list[str]:
    found: list[str] = []
    for name, value in environ.items():
        if not name.startswith("RCLONE_") or not value:
            continue
        if any(word in name[len("RCLONE_") :] for word in SECRET_WORDS):
            found.append(value)
        elif name.endswith("_URL"):
            found.extend(_masked_url(value)[1])
    return found

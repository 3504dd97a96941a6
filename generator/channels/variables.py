"""``${VAR}`` in channel URLs: secrets come from the environment when sending.

Only ``${NAME}`` is special (NAME as a shell variable: letters, digits and ``_``, not
starting with a digit); ``$$`` stands for one ``$``; any other ``$`` is itself.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_TOKEN = re.compile(r"\$\$|\$\{([^}]*)\}?")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class VariableError(ValueError):
    """A ``${`` that does not name a variable; ``column`` is where it starts (0-based)."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(message)
        self.column = column


class UnsetVariable(LookupError):
    """A variable the URL names is not set in the environment."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def variables(text: str) -> list[str]:
    """The variables ``text`` names, in order; VariableError at a malformed one."""
    found: list[str] = []
    for match in _TOKEN.finditer(text):
        if match.group(0) == "$$":
            continue
        name = match.group(1)
        if not match.group(0).endswith("}"):
            raise VariableError("'${' is not closed by '}'", match.start())
        if not _NAME.fullmatch(name):
            raise VariableError(f"'${{{name}}}' is not a variable name", match.start())
        found.append(name)
    return found


def expand(text: str, environ: Mapping[str, str]) -> tuple[str, list[str]]:
    """``text`` with each ``${NAME}`` replaced by its value, and the values used (the
    secrets to keep out of every output). UnsetVariable names the first one missing
    (an empty value counts as unset: an empty secret is a mistake, not a choice)."""
    variables(text)  # raises on a malformed one
    used: list[str] = []

    def value(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        name = match.group(1)
        found = environ.get(name)
        if not found:
            raise UnsetVariable(name)
        used.append(found)
        return found

    return _TOKEN.sub(value, text), used

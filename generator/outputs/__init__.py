"""The outputs of a build, one module each, behind one door.

An output is a function of the site (the model, with its routes) that yields its files as
``(path, bytes)``: it writes nothing itself and imports only its own library. The build
writes what they yield through one writer, into the folder that becomes the site. The
HTML pages (``html.py``) are the exception in form only: they are handed to the page
shell, which wraps them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.core.model import StatusPage
from generator.core.routes import Routes

#: A file of the site: its path (relative to the site's root) and its bytes.
File = tuple[str, bytes]


@dataclass(frozen=True)
class Context:
    """What every output is a function of."""

    site: StatusPage
    routes: Routes
    #: Where the theme's templates are looked up, the site's own first: the reader's text
    #: of every output is written in them (``writing.py``).
    theme: tuple[Path, ...]
    #: The path of every page of the site (for the sitemap).
    pages: Sequence[str] = ()
    #: The build's id (``--build-id``), which ``live.json`` names.
    build: str = ""


Output = Callable[[Context], Iterable[File]]

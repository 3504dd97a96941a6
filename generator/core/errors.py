"""What can stop a build after its input was found valid, each said as what happened.

Invalid input is not here: it is reported as diagnostics (``core/diagnostics.py``) that
name the file, the line and a fix.
"""

from __future__ import annotations

import errno


def cannot_write(place: str, error: OSError) -> str:
    """An OS error met while writing, as a sentence naming the place."""
    reason = "the disk is full" if error.errno == errno.ENOSPC else error.strerror or str(error)
    return f"cannot write {place}: {reason}"


class ThemeError(Exception):
    """A template of the theme is broken; the message names the template and its line."""


class ShellError(Exception):
    """The page shell refused its configuration or failed while wrapping the pages."""


class ServeError(Exception):
    """The preview server cannot start, e.g. because its port is taken."""


class WriteError(Exception):
    """The site could not be written: a full disk, a folder without permission."""


class WorkerError(WriteError):
    """A forked process of the build died, or failed with an error it could not send back:
    the site could not be written, and the page shell is not to blame."""

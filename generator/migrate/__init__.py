"""``statusgen import``: a history from another status tool, as files of this one.

``statuspage`` reads Statuspage's API responses (saved, or from a live page), ``history``
is what every importer makes, and ``writer`` writes it into the repository: the same bytes
every time, hand-edited files kept, everything checked before anything is written.
"""

from generator.migrate.history import History, MigrationError
from generator.migrate.writer import Report, write

__all__ = ["History", "MigrationError", "Report", "write"]

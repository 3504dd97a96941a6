"""``statusgen notify``: each published update pushed to every channel customers use.

``events`` finds what there is to send, ``messages`` words it for each kind of service,
``ledger`` remembers what each channel received, ``delivery`` sends through the channels
part (Apprise) and records each send at once.
"""

from generator.notify.delivery import Report, notify
from generator.notify.ledger import LEDGER, LedgerError

__all__ = ["LEDGER", "LedgerError", "Report", "notify"]

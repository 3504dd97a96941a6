"""The services customers use (email, SMS, chat, push), reached through Apprise.

The only part that imports Apprise. ``variables`` expands the ``${VAR}`` of channel URLs
(statusgen's own syntax: Apprise's config files do not expand them); ``services`` opens
an Apprise URL as one :class:`Service`, says what kind of message it takes, and sends to
it alone, so that each channel has its own result.
"""

from generator.channels.parts import written_form
from generator.channels.services import (
    SMS_SCHEMES,
    DeliveryError,
    Format,
    Service,
    ServiceError,
    Tone,
    open_service,
    scheme_problem,
    url_problem,
)
from generator.channels.variables import UnsetVariable, VariableError, expand, variables

__all__ = [
    "SMS_SCHEMES",
    "DeliveryError",
    "Format",
    "Service",
    "ServiceError",
    "Tone",
    "UnsetVariable",
    "VariableError",
    "expand",
    "open_service",
    "scheme_problem",
    "url_problem",
    "variables",
    "written_form",
]

"""The use cases: what statusgen does, as typed requests in and a result out.

The CLI only translates options into these requests and their errors into exit codes;
the form, bots and the relay arrive through ``apply``, which performs the same use cases
as the terminal. Each use case raises ``InvalidInput`` (the files or the request are not
valid), ``Failed`` (valid input, work not done) or ``WrongUsage`` (a wrong option value),
each carrying its message, hint and diagnostics.
"""

from generator.input.actions import MAX_PAYLOAD_BYTES
from generator.input.schemas import SCHEMA_DIR
from generator.input.validate import CONFIG_NAME
from generator.notify import LEDGER
from generator.usecases.apply import Applied, ApplyRequest, apply
from generator.usecases.checks import check_summary, lint
from generator.usecases.errors import Failed, InvalidInput, UnknownKey, UseCaseError, WrongUsage
from generator.usecases.history import (
    ImportRequest,
    from_cstate,
    from_statuspage,
    import_history,
    import_lines,
    import_zone,
)
from generator.usecases.incidents import (
    NewRequest,
    ResolveRequest,
    UpdateRequest,
    check_components,
    closing_status,
    new_incident,
    resolve_incident,
    summary,
    update_incident,
)
from generator.usecases.notify import NotifyRequest, notify
from generator.usecases.report import count
from generator.usecases.site import (
    BuildRequest,
    build,
    build_summary,
    last_build,
    preview,
    publish,
    schemas,
    verify,
)
from generator.usecases.values import (
    base_url,
    component_pairs,
    duration_seconds,
    now,
    promise,
    site_time,
    time_in,
    window,
)
from generator.usecases.workspace import Workspace

__all__ = [
    "CONFIG_NAME",
    "LEDGER",
    "MAX_PAYLOAD_BYTES",
    "SCHEMA_DIR",
    "Applied",
    "ApplyRequest",
    "BuildRequest",
    "Failed",
    "ImportRequest",
    "InvalidInput",
    "NewRequest",
    "NotifyRequest",
    "ResolveRequest",
    "UnknownKey",
    "UpdateRequest",
    "UseCaseError",
    "Workspace",
    "WrongUsage",
    "apply",
    "base_url",
    "build",
    "build_summary",
    "check_components",
    "check_summary",
    "closing_status",
    "component_pairs",
    "count",
    "duration_seconds",
    "from_cstate",
    "from_statuspage",
    "import_history",
    "import_lines",
    "import_zone",
    "last_build",
    "lint",
    "new_incident",
    "notify",
    "now",
    "preview",
    "promise",
    "publish",
    "resolve_incident",
    "schemas",
    "site_time",
    "summary",
    "time_in",
    "update_incident",
    "verify",
    "window",
]

"""The use cases: what statusgen does, as typed requests in and a result out.

The CLI only translates options into these requests and their errors into exit codes;
the form, bots and the relay arrive through ``apply``, which performs the same use cases
as the terminal. Each use case raises ``InvalidInput`` (the files or the request are not
valid), ``Failed`` (valid input, work not done) or ``WrongUsage`` (a wrong option value),
each carrying its message, hint and diagnostics.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

#: Where each name comes from: a command imports only the use cases it runs, so that
#: ``statusgen --help`` or ``statusgen new`` does not load every library (markdownify for
#: the importers, Apprise for notify, mkdocs for a build) before it starts.
_WHERE = {
    "MAX_PAYLOAD_BYTES": "generator.input.actions",
    "SCHEMA_DIR": "generator.input.schemas",
    "CONFIG_NAME": "generator.input.validate",
    "LEDGER": "generator.notify",
    "Applied": "generator.usecases.applying",
    "ApplyRequest": "generator.usecases.applying",
    "apply": "generator.usecases.applying",
    "check_summary": "generator.usecases.checks",
    "SyncRequest": "generator.usecases.dependencies",
    "sync_dependencies": "generator.usecases.dependencies",
    "lint": "generator.usecases.checks",
    "Failed": "generator.usecases.errors",
    "InvalidInput": "generator.usecases.errors",
    "UnknownKey": "generator.usecases.errors",
    "UseCaseError": "generator.usecases.errors",
    "WrongUsage": "generator.usecases.errors",
    "ImportRequest": "generator.usecases.history",
    "from_cstate": "generator.usecases.history",
    "from_statuspage": "generator.usecases.history",
    "import_history": "generator.usecases.history",
    "import_lines": "generator.usecases.history",
    "import_zone": "generator.usecases.history",
    "NewRequest": "generator.usecases.incidents",
    "ResolveRequest": "generator.usecases.incidents",
    "UpdateRequest": "generator.usecases.incidents",
    "check_components": "generator.usecases.incidents",
    "closing_status": "generator.usecases.incidents",
    "new_incident": "generator.usecases.incidents",
    "resolve_incident": "generator.usecases.incidents",
    "summary": "generator.usecases.incidents",
    "update_incident": "generator.usecases.incidents",
    "NotifyRequest": "generator.usecases.notifying",
    "notify": "generator.usecases.notifying",
    "count": "generator.usecases.report",
    "REPORT_FORMATS": "generator.usecases.reporting",
    "ReportRequest": "generator.usecases.reporting",
    "make_report": "generator.usecases.reporting",
    "BuildRequest": "generator.usecases.site",
    "build": "generator.usecases.site",
    "build_summary": "generator.usecases.site",
    "last_build": "generator.usecases.site",
    "preview": "generator.usecases.site",
    "publish": "generator.usecases.site",
    "schemas": "generator.usecases.site",
    "verify": "generator.usecases.site",
    "base_url": "generator.usecases.values",
    "component_pairs": "generator.usecases.values",
    "duration_seconds": "generator.usecases.values",
    "now": "generator.usecases.values",
    "promise": "generator.usecases.values",
    "site_time": "generator.usecases.values",
    "time_in": "generator.usecases.values",
    "window": "generator.usecases.values",
    "Workspace": "generator.usecases.workspace",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


if TYPE_CHECKING:
    from generator.input.actions import (
        MAX_PAYLOAD_BYTES,
    )
    from generator.input.schemas import (
        SCHEMA_DIR,
    )
    from generator.input.validate import (
        CONFIG_NAME,
    )
    from generator.notify import (
        LEDGER,
    )
    from generator.usecases.applying import (
        Applied,
        ApplyRequest,
        apply,
    )
    from generator.usecases.checks import (
        check_summary,
        lint,
    )
    from generator.usecases.dependencies import (
        SyncRequest,
        sync_dependencies,
    )
    from generator.usecases.errors import (
        Failed,
        InvalidInput,
        UnknownKey,
        UseCaseError,
        WrongUsage,
    )
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
    from generator.usecases.notifying import (
        NotifyRequest,
        notify,
    )
    from generator.usecases.report import (
        count,
    )
    from generator.usecases.reporting import (
        REPORT_FORMATS,
        ReportRequest,
        make_report,
    )
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
    from generator.usecases.workspace import (
        Workspace,
    )

__all__ = [
    "CONFIG_NAME",
    "LEDGER",
    "MAX_PAYLOAD_BYTES",
    "REPORT_FORMATS",
    "SCHEMA_DIR",
    "Applied",
    "ApplyRequest",
    "BuildRequest",
    "Failed",
    "ImportRequest",
    "InvalidInput",
    "NewRequest",
    "NotifyRequest",
    "ReportRequest",
    "ResolveRequest",
    "SyncRequest",
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
    "make_report",
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
    "sync_dependencies",
    "time_in",
    "update_incident",
    "verify",
    "window",
]

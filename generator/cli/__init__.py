"""The ``statusgen`` command: Click wiring over the use cases (``generator/usecases``), one
module per group of commands.

Exit codes: 0 success, 1 invalid input (the message names the file, the line and a fix),
2 wrong usage. Bad input never shows a traceback.
"""

from __future__ import annotations

import click

from generator import __version__
from generator.cli.history import import_
from generator.cli.incidents import apply, new, resolve, update
from generator.cli.notify import notify
from generator.cli.site import build, check, lint_command, publish, schema, serve, verify
from generator.cli.wiring import Group


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="statusgen")
def main() -> None:
    """Static status pages from incident files in git.

    Incidents are YAML files under incidents/; site_config.yml describes the site and its
    components. Every command takes --root, the folder that holds site_config.yml.
    """


COMMANDS: tuple[click.Command, ...] = (
    check,
    lint_command,
    new,
    update,
    resolve,
    apply,
    build,
    serve,
    publish,
    verify,
    schema,
    notify,
    import_,
)
for command in COMMANDS:
    main.add_command(command)

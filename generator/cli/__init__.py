"""The ``statusgen`` command: Click wiring over the use cases (``generator/usecases``), one
module per group of commands.

Exit codes: 0 success, 1 invalid input (the message names the file, the line and a fix),
2 wrong usage. Bad input never shows a traceback.
"""

from __future__ import annotations

import click

from generator import __version__
from generator.cli.wiring import LazyGroup

#: Every command, and where it is: its module (and what that imports) is loaded only when
#: the command runs, or when --help lists them all.
COMMANDS: dict[str, str] = {
    "check": "generator.cli.site:check",
    "lint": "generator.cli.site:lint_command",
    "new": "generator.cli.incidents:new",
    "update": "generator.cli.incidents:update",
    "resolve": "generator.cli.incidents:resolve",
    "apply": "generator.cli.incidents:apply",
    "build": "generator.cli.site:build",
    "serve": "generator.cli.site:serve",
    "publish": "generator.cli.site:publish",
    "verify": "generator.cli.site:verify",
    "schema": "generator.cli.site:schema",
    "notify": "generator.cli.notify:notify",
    "import": "generator.cli.history:import_",
    "report": "generator.cli.reports:report",
    "dependencies": "generator.cli.dependencies:dependencies",
}


@click.group(cls=LazyGroup, lazy=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="statusgen")
def main() -> None:
    """Static status pages from incident files in git.

    Incidents are YAML files under incidents/; site_config.yml describes the site and its
    components. Every command takes --root, the folder that holds site_config.yml.
    """

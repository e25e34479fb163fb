"""Every CLI command and option is documented in the README and has help text."""
import re

import click

from cleaner.cli import cli
from tests.conftest import ROOT


def test_every_command_and_option_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    for name, cmd in cli.commands.items():
        assert f"cleaner {name}" in readme, name
        assert cmd.help, name
        for param in cmd.params:
            if isinstance(param, click.Option) and param.name != "help":
                assert param.help, f"{name} {param.opts}"
                assert any(re.search(re.escape(o) + r"\b", readme) for o in param.opts), f"{name} {param.opts}"

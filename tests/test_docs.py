"""Every CLI command has help text and is documented in the README."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from termbank.cli import cli

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def commands(group, prefix=""):
    for name, command in sorted(group.commands.items()):
        yield f"{prefix}{name}", command
        if hasattr(command, "commands"):
            yield from commands(command, f"{prefix}{name} ")


@pytest.mark.parametrize("name, command", list(commands(cli)))
def test_command_is_documented_with_help(name, command):
    assert command.help and command.help.strip(), f"termbank {name} has no help"
    assert f"termbank {name}" in README, f"termbank {name} is missing from README.md"
    result = CliRunner().invoke(cli, [*name.split(), "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output

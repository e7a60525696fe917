"""docs/cli.md: every termbank command with its help, as click prints it.

The page is written from the click commands themselves (at a fixed width, so it does not
depend on the terminal), and a test compares it with a fresh rendering.

    python scripts/cli_reference.py            # rewrite docs/cli.md
    python scripts/cli_reference.py --check    # exit 1 when docs/cli.md is stale
    python scripts/cli_reference.py [--check] PATH   # the same for another file
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import click

from termbank.cli import cli

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "cli.md"
WIDTH = 88


def commands(group: click.Group, path: tuple[str, ...] = ("termbank",)
             ) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    """The group itself, then every command below it, by name, depth first."""
    yield path, group
    group.list_commands(click.Context(group))  # termbank's group loads some commands on demand
    for name in sorted(group.commands):
        command = group.commands[name]
        if isinstance(command, click.Group):
            yield from commands(command, (*path, name))
        else:
            yield (*path, name), command


def help_text(path: tuple[str, ...], command: click.Command) -> str:
    """What ``PATH --help`` prints, with the usage line naming the whole command."""
    parent = None
    for name in path[:-1]:
        parent = click.Context(cli if parent is None else parent.command.commands[name],
                               info_name=name, parent=parent)
    context = click.Context(command, info_name=path[-1], parent=parent,
                            terminal_width=WIDTH, max_content_width=WIDTH)
    return command.get_help(context)


def anchor(path: tuple[str, ...]) -> str:
    return "-".join(path)


def page() -> str:
    """The whole reference: an index of commands, then each one's help."""
    entries = list(commands(cli))
    lines = ["# Command-line reference", "",
             "Generated from the click commands by `scripts/docs`; do not edit by hand "
             "(`scripts/test` fails when this page is stale).", ""]
    for path, command in entries:
        summary = command.get_short_help_str(limit=WIDTH)
        lines.append(f"- [`{' '.join(path)}`](#{anchor(path)}): {summary}")
    for path, command in entries:
        lines += ["", f"## {' '.join(path)}", "", "```text", help_text(path, command), "```"]
    return "\n".join(lines) + "\n"


def main(arguments: list[str]) -> int:
    """Rewrite (or with --check, verify) docs/cli.md, or the file named."""
    named = [argument for argument in arguments if argument != "--check"]
    path = Path(named[0]) if named else PAGE
    text = page()
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    if "--check" in arguments:
        if text != current:
            print(f"{path.name} is stale: run scripts/docs", file=sys.stderr)
            return 1
        return 0
    if text != current:
        temporary = path.with_name(f".{path.name}.tmp")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
        print(f"{path.name}: regenerated")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""``python -m termbank`` runs the CLI."""

from .cli import cli

cli(prog_name="termbank")

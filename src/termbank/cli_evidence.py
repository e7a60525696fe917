"""``termbank evidence``: human translations of open software as evidence for terms."""

from __future__ import annotations

import click


@click.group()
def evidence() -> None:
    """Evidence from human-translated open software (Debian packages, pinned).

    Example: termbank evidence attest && termbank evidence candidates --tag es-MX
    """


def register(cli: click.Group) -> None:
    from . import cli_attest

    cli_attest.register(evidence)
    cli.add_command(evidence)

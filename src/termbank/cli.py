"""The ``termbank`` command: a thin click layer over the library.

Library errors (``TermbankError``) become one-line messages and exit code 1;
each command's docstring is its help and carries an example.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .errors import SourceError, TermbankError

DB_OPTION = click.option(
    "--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="The bank's SQLite file (default: $TERMBANK_DB or ./termbank.db).")
GLOSSARY_DIR = Path("glossary")


class TermbankGroup(click.Group):
    """Turns library errors into a clear message and a non-zero exit."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except SourceError as exc:
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            click.echo(f"{len(exc.problems)} problem(s) found.", err=True)
            ctx.exit(1)
        except TermbankError as exc:
            raise click.ClickException(str(exc)) from None


@click.group(cls=TermbankGroup)
@click.version_option(package_name="termbank")
def cli() -> None:
    """termbank: microscopy and bioimage-analysis terms in every dialect.

    Build the bank from glossary/ with `termbank build`, then look terms up
    with `termbank lookup`.
    """


def open_bank(db_path: Path | None, with_approved: bool = True):
    """The bank at ``--db``, with the terms approved on the web since the build, as every
    reader sees them (``Bank``: $TERMBANK_PROPOSALS, else proposals.db beside the bank);
    ``with_approved=False`` reads the built bank alone."""
    from .bank import Bank

    return Bank(db_path, None if with_approved else False)


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=GLOSSARY_DIR)
def validate(directory: Path) -> None:
    """Check every glossary file and report all problems as file:line: field: message.

    Example: termbank validate glossary/
    """
    from .source import read_glossary

    concepts = list(read_glossary(directory))
    terms = sum(len(c.terms) for c in concepts)
    click.echo(f"{directory}: {len(concepts)} concepts, {terms} terms, no problems.")


@cli.command()
@click.option("--glossary", "glossary", type=click.Path(file_okay=False, path_type=Path),
              default=GLOSSARY_DIR, show_default=True, help="Folder of concept files.")
@DB_OPTION
@click.option("--quiet", is_flag=True, help="No progress bar.")
def build(glossary: Path, db_path: Path | None, quiet: bool) -> None:
    """Compile glossary/ into the SQLite bank (atomic: a failed build changes nothing).

    Example: termbank build --glossary glossary --db termbank.db
    """
    from .bank import default_db_path
    from .build import write_bank
    from .source import concept_files, read_glossary

    target = db_path or default_db_path()
    hidden = quiet or not sys.stderr.isatty()
    with click.progressbar(length=len(concept_files(glossary)), label="Reading ",
                           file=sys.stderr, hidden=hidden) as bar:
        concepts = list(read_glossary(glossary, bar.update))
    with click.progressbar(length=len(concepts), label="Writing ", file=sys.stderr,
                           hidden=hidden) as bar:
        count = write_bank(concepts, target, bar.update)
    click.echo(f"Built {target} with {count} concepts from {glossary}.")


@cli.command()
@click.argument("text")
@click.option("--from", "source", metavar="TAG", help="Language of TEXT (default: any).")
@click.option("--to", "targets", metavar="TAG", multiple=True,
              help="Dialect(s) to answer in, repeatable (default: every tag in the bank).")
@click.option("--min-reliability", type=click.IntRange(1, 4), default=1, show_default=True,
              help="Leave out answers below this reliability (IATE's 1-4 scale).")
@click.option("--json", "as_json", is_flag=True, help="Print the documented JSON instead.")
@DB_OPTION
def lookup(text: str, source: str | None, targets: tuple[str, ...], min_reliability: int,
           as_json: bool, db_path: Path | None) -> None:
    """Find the concept named by TEXT and show its terms in the dialects asked for.

    Terms approved on the web (proposals.db beside the bank, or
    $TERMBANK_PROPOSALS) are included, as on the web's lookup pages.

    Example: termbank lookup "point spread function" --to es-MX --to es-ES
    """
    from .card import render

    with open_bank(db_path, with_approved=True) as bank:
        matches = bank.lookup(text, source, list(targets) or None, min_reliability)
        if as_json:
            click.echo(json.dumps([m.to_json() for m in matches], ensure_ascii=False, indent=2))
        elif matches:
            click.echo("\n\n".join(render(m) for m in matches))
        if not matches:
            hints = bank.suggest(text)
            message = f"No concept found for {text!r}."
            if hints:
                message += " Did you mean: " + ", ".join(hints) + "?"
            click.echo(message, err=True)
            sys.exit(1)


@cli.command()
@click.argument("query")
@click.option("--limit", default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@DB_OPTION
def search(query: str, limit: int, as_json: bool, db_path: Path | None) -> None:
    """Full-text search over every term and definition (diacritics ignored).

    Example: termbank search "fluorescencia"
    """
    with open_bank(db_path) as bank:
        hits = bank.search(query, limit)
    if as_json:
        click.echo(json.dumps(hits, ensure_ascii=False, indent=2))
    else:
        for hit in hits:
            click.echo(f"{hit['concept']}\t{hit['term']}")
    if not hits:
        sys.exit(1)


@cli.command()
@click.option("--json", "as_json", is_flag=True)
@DB_OPTION
def stats(as_json: bool, db_path: Path | None) -> None:
    """Counts per subject field, tag, status and review state.

    Example: termbank stats --json
    """
    with open_bank(db_path) as bank:
        data = bank.stats()
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for key, value in data.items():
        if isinstance(value, dict):
            click.echo(f"{key}:")
            for k, v in value.items():
                click.echo(f"  {k:<24} {v}")
        else:
            click.echo(f"{key}: {value}")


@cli.command()
def fields() -> None:
    """List the subject fields (the folders of glossary/).

    Example: termbank fields
    """
    from .fields import SUBJECT_FIELDS

    for field in SUBJECT_FIELDS:
        click.echo(f"{field.id:<20} {field.title}: {field.description}")


@cli.command()
@click.argument("tag")
def tag(tag: str) -> None:
    """Show how a language tag is read: normalised form, name and fallback chain.

    Example: termbank tag es_MX
    """
    from . import langtags

    chain = langtags.fallback_chain(tag)
    click.echo(f"{chain[0]}: {langtags.display_name(chain[0])} / {langtags.native_name(chain[0])}")
    click.echo("fallback: " + " → ".join(chain))


def _register_commands() -> None:
    """Commands that live in their own modules, added here and only here."""
    from . import cli_formats, cli_text, cli_web

    for module in (cli_text, cli_formats, cli_web):
        module.register(cli)


_register_commands()

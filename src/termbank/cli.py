"""The ``termbank`` command: a thin click layer over the library.

Library errors (``TermbankError``) and the system's (``OSError``: a folder
that does not exist, a full disk) become one-line messages and exit code 1;
each command's docstring is its help and carries an example. Options share
one vocabulary: ``--from TAG`` for the language of what is read, ``--to TAG``
for the dialect(s) answered or written; older names still work for one
release (``renamed``) and say so on stderr.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from pathlib import Path

import click
from click.core import ParameterSource

from .errors import SourceError, TermbankError

DB_OPTION = click.option(
    "--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="The bank's SQLite file (default: $TERMBANK_DB or ./termbank.db).")
GLOSSARY_DIR = Path("glossary")


# Commands that live in their own modules, and the module of each: imported only when the
# command runs (or help lists them all), so `termbank lookup` starts without them.
COMMAND_MODULES = {"annotate": "cli_text", "check": "cli_text", "export": "cli_formats",
                   "formats": "cli_formats", "import": "cli_formats", "locales": "cli_formats",
                   "serve": "cli_web", "reviewer": "cli_web", "proposals": "cli_web",
                   "evidence": "cli_evidence"}


class TermbankGroup(click.Group):
    """Turns library errors into a clear message and a non-zero exit, and loads the
    commands of COMMAND_MODULES on demand."""

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = COMMAND_MODULES.get(cmd_name)
        if module is not None and cmd_name not in self.commands:
            _load(self, module)
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        for module in dict.fromkeys(COMMAND_MODULES.values()):
            _load(self, module)
        return super().list_commands(ctx)

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
        except BrokenPipeError:
            # the reader went away (`termbank export tbx | head`): nothing left to say to it
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(1)
        except OSError as exc:
            raise click.ClickException(system_error(exc)) from None


def system_error(exc: OSError) -> str:
    """An OSError in one line: the file it concerns and what the system said."""
    reason = exc.strerror or str(exc)
    if exc.filename is not None:
        target = f" -> {exc.filename2}" if exc.filename2 is not None else ""
        return f"{exc.filename}{target}: {reason}"
    return reason


def renamed(old: str, new: str, dest: str, *, multiple: bool = False,
            required: bool = False):
    """Keep an option's old name working for one release: a hidden option ``old`` feeds
    the parameter ``dest`` of the option now called ``new``, with one line on stderr.

    Put it under ``@click.command``; ``required`` is checked here, after both names are
    read (so the new option itself must not be marked required).
    """
    hidden = f"{dest}_by_old_name"

    def decorate(command):
        @functools.wraps(command)
        def run(*args, **kwargs):
            old_value = kwargs.pop(hidden)
            if old_value not in (None, ()):
                click.echo(f"Deprecated: {old} is now {new}; {old} goes away in the next "
                           "release.", err=True)
                kwargs[dest] = _merged(kwargs[dest], old_value, old, new, dest, multiple)
            if required and kwargs[dest] in (None, ()):
                raise click.UsageError(f"Missing option '{new}'.")
            return command(*args, **kwargs)

        return click.option(old, hidden, multiple=multiple, hidden=True)(run)

    return decorate


def _merged(value, old_value, old: str, new: str, dest: str, multiple: bool):
    if multiple:
        return tuple(value) + tuple(old_value)
    given = click.get_current_context().get_parameter_source(dest) is ParameterSource.COMMANDLINE
    if given and value != old_value:
        raise click.UsageError(f"{old} and {new} disagree; give only {new}.")
    return old_value


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
@click.option("--lint", is_flag=True, help="Also run the consistency pass across concepts "
              "(translations, gender, acronyms, hunspell spelling).")
def validate(directory: Path, lint: bool) -> None:
    """Check every glossary file and report all problems as file:line: field: message.

    Example: termbank validate glossary/ --lint
    """
    from .source import read_glossary

    concepts = list(read_glossary(directory))
    if lint:
        from .lint import lint_glossary

        findings = lint_glossary(directory, concepts)
        if findings:
            raise SourceError(findings)
    terms = sum(len(c.terms) for c in concepts)
    linted = ", and the consistency pass found nothing" if lint else ""
    click.echo(f"{directory}: {len(concepts)} concepts, {terms} terms, no problems{linted}.")


@cli.command()
@click.option("--glossary", "glossary", type=click.Path(file_okay=False, path_type=Path),
              default=GLOSSARY_DIR, show_default=True, help="Folder of concept files.")
@DB_OPTION
@click.option("--evidence", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              default=None, help="Attestations to build in (default: evidence/attestations.tsv "
              "beside the glossary folder, when present).")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def build(glossary: Path, db_path: Path | None, evidence: Path | None, quiet: bool) -> None:
    """Compile glossary/ into the SQLite bank (atomic: a failed build changes nothing).

    Example: termbank build --glossary glossary --db termbank.db
    """
    from .bank import default_db_path
    from .build import evidence_file, write_bank
    from .source import concept_files, read_glossary

    target = db_path or default_db_path()
    hidden = quiet or not sys.stderr.isatty()
    with click.progressbar(length=len(concept_files(glossary)), label="Reading ",
                           file=sys.stderr, hidden=hidden) as bar:
        concepts = list(read_glossary(glossary, bar.update))
    with click.progressbar(length=len(concepts), label="Writing ", file=sys.stderr,
                           hidden=hidden) as bar:
        count = write_bank(concepts, target, bar.update, evidence_file(glossary, evidence))
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
            hints = bank.suggest(text, source=source)
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
        click.echo(f"Nothing found for {query!r}; `termbank lookup` also matches inflected "
                   "forms and suggests spellings.", err=True)
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


def _load(group: click.Group, module: str) -> None:
    """Add the commands of one of COMMAND_MODULES to ``group``, once."""
    from importlib import import_module

    names = [name for name, home in COMMAND_MODULES.items() if home == module]
    if not all(name in group.commands for name in names):
        import_module(f".{module}", __package__).register(group)

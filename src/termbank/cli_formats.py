"""The commands that move terms in and out: export, formats, import, locales.

Thin over ``termbank.exporting``, ``termbank.importing`` and the format
registry; ``register(cli)`` adds them to the main ``termbank`` group.
"""

from __future__ import annotations

import io
import sys
from functools import partial
from pathlib import Path
from typing import BinaryIO

import click

from .cli import DB_OPTION, GLOSSARY_DIR, open_bank, renamed
from .cli_web import PROPOSALS_OPTION, open_store
from .formats import FORMATS, able

LOCALES_DIR = Path("locales")
DOMAIN = "termbank"


def _notice(message: str) -> None:
    click.echo(f"note: {message}", err=True)


@click.command()
@click.argument("format_name", metavar="FORMAT", type=click.Choice(list(FORMATS)))
@click.option("--to", "targets", metavar="TAG", multiple=True,
              help="Target dialect, repeatable (default: every tag in the bank; "
                   "one-language formats need exactly one).")
@click.option("--from", "source", default="en", show_default=True, metavar="TAG",
              help="Source language of the entries.")
@click.option("--min-reliability", type=click.IntRange(1, 4), default=1, show_default=True,
              help="Leave out target terms below this reliability (IATE's 1-4 scale).")
@click.option("--concept", "concepts", metavar="ID", multiple=True,
              help="Export only these concepts, repeatable (default: all).")
@click.option("--out", "-o", metavar="PATH", default="-", show_default=True,
              help="File to write (written whole or not at all); - for stdout.")
@DB_OPTION
@renamed("--lang", "--to", "targets", multiple=True)
@renamed("--source", "--from", "source")
def export(format_name: str, targets: tuple[str, ...], source: str, min_reliability: int,
           concepts: tuple[str, ...], out: str, db_path: Path | None) -> None:
    """Export the bank as FORMAT (see `termbank formats`); notes on what was left out go to stderr.

    Example: termbank export po --to es-MX --out es_MX.po
    """
    from .exporting import ExportOptions
    from .exporting import export as run_export

    options = ExportOptions(targets=targets, source=source, min_reliability=min_reliability,
                            concepts=frozenset(concepts) if concepts else None, notice=_notice)
    with open_bank(db_path) as bank:
        run_export(FORMATS[format_name], bank.glossary(), options,
                   None if out == "-" else Path(out))


@click.command("formats")
def formats_command() -> None:
    """List every export and import format with a one-line description.

    Example: termbank formats
    """
    for fmt in FORMATS.values():
        ways = "/".join(w for w, f in (("export", fmt.write), ("import", fmt.read)) if f)
        lang = "one --to" if fmt.bilingual else "any --to"
        click.echo(f"{fmt.name:<12} .{fmt.extension:<5} {ways:<13} {lang:<10} {fmt.title}")


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "format_name", type=click.Choice(sorted(able("read"))),
              help="The file's format (default: told by its extension).")
@click.option("--from", "source", default="en", show_default=True, metavar="TAG",
              help="Language whose terms in the file name the bank's concepts.")
@click.option("--to", "targets", metavar="TAG", multiple=True,
              help="Import only the terms of this tag, repeatable (default: every tag).")
@click.option("--dry-run", is_flag=True, help="Print the changes without storing anything.")
@PROPOSALS_OPTION
@DB_OPTION
def import_command(file: Path, format_name: str | None, source: str, targets: tuple[str, ...],
                   dry_run: bool, proposals_path: Path | None, db_path: Path | None) -> None:
    """Read a PO, TBX or CSV/TSV file back as draft proposals (never overwriting a term).

    Proposals go where every other command finds them: --proposals, else
    $TERMBANK_PROPOSALS, else proposals.db beside the bank.

    Example: termbank import es_MX.po --to es-MX --dry-run
    """
    from . import importing
    from .formats import for_file

    fmt = for_file(file, "read", format_name)
    counts = {"propose": 0, "unchanged": 0, "skip": 0}
    out = sys.stdout

    def shown(changes):
        """Each change listed as it streams by (nothing is held in memory)."""
        for change in changes:
            counts[change.action] += 1
            if change.action != "unchanged":
                out.write(f"{change}\n")
            yield change

    with open_bank(db_path) as bank:
        changes = shown(importing.plan(bank, importing.read(file, fmt), source, targets or None))
        if dry_run:
            for _ in changes:
                pass
            click.echo(f"Dry run: {_summary(counts)}; nothing stored.")
            return
        store = open_store(proposals_path, db_path)
        try:
            stored, again = importing.submit(bank, changes, origin=f"import:{file.name}",
                                             store=store)
        finally:
            store.close()
    before = f"; {again} proposed by an import of {file.name} before, not again" if again else ""
    click.echo(f"{_summary(counts)}; {stored} draft proposal(s) stored for review in "
               f"{store.path}{before}.")


def _summary(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {a}" for a, n in counts.items())


@click.command()
@click.option("--glossary", "glossary_dir", type=click.Path(file_okay=False, path_type=Path),
              default=GLOSSARY_DIR, show_default=True, help="Folder of concept files.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=LOCALES_DIR, show_default=True, help="Where the catalogues go.")
@click.option("--check", is_flag=True,
              help="Write nothing; exit 1 naming every catalogue that differs from the glossary.")
def locales(glossary_dir: Path, out_dir: Path, check: bool) -> None:
    """Write locales/<ll_CC>/LC_MESSAGES/termbank.po and .mo for every tag of the glossary.

    Example: termbank locales --check
    """
    from .atomic import write_atomically

    expected = _catalogues(glossary_dir, out_dir)
    present = set(out_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.[pm]o"))
    stale = sorted({p for p, data in expected.items()
                    if not p.is_file() or p.read_bytes() != data} | (present - set(expected)))
    if check:
        for path in stale:
            click.echo(f"stale: {path}", err=True)
        if stale:
            click.echo(f"{len(stale)} catalogue(s) out of date; run `termbank locales`.", err=True)
            sys.exit(1)
        click.echo(f"{out_dir}: {len(expected)} catalogues match {glossary_dir}.")
        return
    for path in stale:
        if path in expected:
            write_atomically(path, partial(_write, expected[path]))
        else:
            path.unlink()
    click.echo(f"{out_dir}: {len(expected)} catalogues, {len(stale)} rewritten or removed.")


def _write(data: bytes, fp: BinaryIO) -> None:
    fp.write(data)


def _catalogues(glossary_dir: Path, out_dir: Path) -> dict[Path, bytes]:
    """The bytes every catalogue should have, by path."""
    from . import langtags
    from .exporting import ExportOptions
    from .model import Glossary
    from .source import read_glossary

    glossary = Glossary.of(read_glossary(glossary_dir))
    expected: dict[Path, bytes] = {}
    for tag in glossary.tags:
        if tag == "en":
            continue
        folder = out_dir / langtags.to_gettext(tag) / "LC_MESSAGES"
        for name in ("po", "mo"):
            buffer = io.BytesIO()
            write = FORMATS[name].write
            assert write is not None  # po and mo are written by gettext.py
            write(buffer, glossary, ExportOptions(targets=(tag,)))
            expected[folder / f"{DOMAIN}.{name}"] = buffer.getvalue()
    return expected


def register(cli: click.Group) -> None:
    for command in (export, formats_command, import_command, locales):
        cli.add_command(command)

"""``termbank annotate`` and ``termbank check``: the bank applied to running text."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .cli import DB_OPTION, open_bank, renamed
from .formats import able


def _source_language(bank, text: str, source: str | None) -> str:
    """``--from`` if given, else langdetect's verdict when the text is long enough to trust."""
    from . import langtags
    from .detection import detect
    from .errors import TermbankError

    if source:
        return langtags.language(langtags.normalize(source))
    verdict = detect(text, bank.languages)
    if not verdict.decisive or verdict.language is None:
        raise TermbankError("cannot tell the text's language reliably (too short); pass --from TAG")
    return verdict.language


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--from", "source", metavar="TAG", help="Language of the text (default: detected).")
@click.option("--to", "targets", metavar="TAG", multiple=True, required=True,
              help="Dialect to translate into, repeatable.")
@click.option("--format", "fmt", default="table", show_default=True,
              help="table, json, or any export format (see `termbank formats`).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="With an export format: where to write it (default: stdout).")
@click.option("--min-reliability", type=click.IntRange(1, 4), default=1, show_default=True)
@DB_OPTION
def annotate(file: Path, source: str | None, targets: tuple[str, ...], fmt: str,
             out: Path | None, min_reliability: int, db_path: Path | None) -> None:
    """Find every glossary term in FILE (text, Markdown, HTML, PO/POT) and its equivalent.

    Example: termbank annotate tutorial.md --from en --to es-MX --format json
    """
    from . import langtags
    from .annotate import TermIndex
    from .documents import kind_of, read_text, visible_text
    from .lookup import translations

    tags = list(dict.fromkeys(langtags.normalize(t) for t in targets))
    text = visible_text(read_text(file), kind_of(file), str(file))
    with open_bank(db_path) as bank:
        language = _source_language(bank, text, source)
        found = TermIndex.from_bank(bank, language).find(text)
        answers = translations(bank, [o.concept for o in found], tags, min_reliability)
        if fmt not in ("table", "json"):
            _export_subset(bank, fmt, found, language, tags, out)
            return
    if fmt == "json":
        data = [{"line": o.line, "start": o.start, "end": o.end, "text": o.text,
                 "concept": o.concept, "term": o.term, "other_concepts": list(o.other_concepts),
                 "translations": {t: [a.to_json() for a in v]
                                  for t, v in answers[o.concept].items()}} for o in found]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for o in found:
        said = "; ".join(_answer(answers[o.concept][tag], tag, len(tags) > 1) for tag in tags)
        click.echo(f"{o.line}:{o.start}-{o.end}\t{o.text}\t{o.concept}\t→ {said}")
    click.echo(f"{len(found)} occurrence(s) of {len({o.concept for o in found})} concept(s).",
               err=True)


def _answer(said: list, tag: str, named: bool) -> str:
    """The first answer for one dialect: ``pila en z (from es)``, prefixed by the tag when
    several dialects are asked for."""
    term = said[0].term if said else "(no term yet)"
    via = f" (from {said[0].tag})" if said and said[0].tag != tag else ""
    return f"{tag}: {term}{via}" if named else f"{term}{via}"


def _export_subset(bank, fmt: str, found: list, language: str, targets: list[str],
                   out: Path | None) -> None:
    """Write the document's glossary in an export format, in the document's own words: every
    form the text uses (inflected, other function words) is an entry of its own."""
    from .annotate import document_glossary
    from .errors import TermbankError
    from .exporting import ExportOptions, export
    from .formats import FORMATS

    if fmt not in FORMATS:
        raise TermbankError(f"unknown format {fmt!r}: use table, json or one of "
                            f"{', '.join(FORMATS)}")
    ids = frozenset(o.concept for o in found)
    options = ExportOptions(targets=tuple(targets), source=language, concepts=ids,
                            notice=lambda line: click.echo(line, err=True))
    concepts = [c for c in map(bank.concept, sorted(ids)) if c is not None]
    glossary = document_glossary(concepts, found, language, one_form_each=fmt not in
                                 ("csv", "tsv", "tbx", "martif", "po", "mo", "tmx"))
    export(FORMATS[fmt], glossary, options, out)


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--to", "target", metavar="TAG", help="Dialect of the translation (required).")
@click.option("--from", "source", metavar="TAG", default="en", show_default=True,
              help="Language of the source texts.")
@click.option("--format", "format_name", type=click.Choice(able("pairs")), default=None,
              help="The file's format (default: told by its extension).")
@click.option("--json", "as_json", is_flag=True, help="Print the problems as JSON.")
@DB_OPTION
@renamed("--lang", "--to", "target", required=True)
def check(file: Path, target: str, source: str, format_name: str | None, as_json: bool,
          db_path: Path | None) -> None:
    """Check a translated PO or TMX file for the glossary's terms; exit 1 on problems.

    Example: termbank check napari-es_MX.po --to es-MX
    """
    from . import langtags
    from .check import Checker, translations_in
    from .formats import for_file

    fmt = for_file(file, "pairs", format_name)
    language = langtags.language(langtags.normalize(source))
    with open_bank(db_path) as bank:
        checker = Checker(bank, target, language)
        findings = checker.check(str(file), translations_in(file, fmt, language, target))
    if as_json:
        click.echo(json.dumps([f.to_json() for f in findings], ensure_ascii=False, indent=2))
    else:
        for finding in findings:
            click.echo(str(finding))
        click.echo(f"{len(findings)} problem(s) in {file}.", err=True)
    if findings:
        sys.exit(1)


def register(cli: click.Group) -> None:
    cli.add_command(annotate)
    cli.add_command(check)


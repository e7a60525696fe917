"""``termbank evidence attest`` and ``termbank evidence candidates``: attestations from the
catalogues' pairs, and the forms translators use that the bank lacks."""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

import click

from .cli import DB_OPTION, GLOSSARY_DIR, open_bank


@click.command()
@click.option("--cache", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Download cache (default: $TERMBANK_EVIDENCE_CACHE or ~/.cache/termbank/evidence).")
@click.option("--manifest", "manifest_path", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("evidence") / "sources.tsv", show_default=True,
              help="The pinned package list (without it: whatever the cache holds).")
@click.option("--glossary", type=click.Path(file_okay=False, path_type=Path),
              default=GLOSSARY_DIR, show_default=True, help="Folder of concept files.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write (default: evidence/attestations.tsv beside the glossary).")
def attest(cache: Path | None, manifest_path: Path, glossary: Path, out: Path | None) -> None:
    """Regenerate evidence/attestations.tsv from the cached catalogues (sorted, same bytes
    on every run over the same packages and glossary); then `termbank build`.

    Example: termbank evidence attest && termbank build
    """
    from .evidence.attest import Aligner
    from .evidence.facts import default_path, write_tsv
    from .source import read_glossary

    started = time.perf_counter()
    aligner = Aligner(read_glossary(glossary))
    for pair in _pairs(cache, manifest_path):
        aligner.read(pair)
    facts = aligner.facts()
    target = out or default_path(glossary)
    write_tsv(target, facts)
    _report(aligner.summary, facts)
    click.echo(f"{target}: {len(facts)} attestations in {time.perf_counter() - started:.1f} s.")


def _pairs(cache: Path | None, manifest_path: Path):
    """The catalogues' pairs (``termbank.evidence.catalogues``)."""
    try:
        from .evidence import manifest as manifest_file
        from .evidence.catalogues import read_pairs
        from .evidence.sources import default_cache
    except ImportError as exc:
        raise click.ClickException(f"the catalogue readers are missing ({exc})") from None
    manifest = manifest_file.read(manifest_path) if manifest_path.is_file() else None
    return read_pairs(cache or default_cache(), manifest,
                      on_error=lambda message: click.echo(message, err=True))


def _report(summary, facts) -> None:
    """Pairs read per package and tag, then attestations per tag and kind, on stderr."""
    for (project, package, tag), n in sorted(summary.pairs.items()):
        matched = summary.matched[(project, package, tag)]
        click.echo(f"pairs\t{project}\t{package}\t{tag}\t{n}\t{matched} with a term", err=True)
    per_tag: Counter = Counter()
    for fact in facts:
        per_tag[(fact.tag, fact.kind)] += fact.count
    for (tag, kind), n in sorted(per_tag.items()):
        click.echo(f"attested\t{tag}\t{kind}\t{n}", err=True)
    for reason, n in sorted(summary.skipped.items()):
        click.echo(f"skipped\t{reason}\t{n}", err=True)


@click.command()
@click.option("--tag", metavar="TAG", help="Only candidates of this catalogue tag (es-MX).")
@click.option("--min-count", type=click.IntRange(1), default=2, show_default=True,
              help="Leave out forms used fewer times.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
@click.option("--propose", is_flag=True,
              help="File them as draft proposals in proposals.db (each once).")
@DB_OPTION
def candidates(tag: str | None, min_count: int, as_json: bool, propose: bool,
               db_path: Path | None) -> None:
    """Forms that human translators use for a concept and the bank lacks, with counts
    and sources; --propose files them for reviewers (origin: the source packages).

    Example: termbank evidence candidates --tag es-MX --min-count 3 --propose
    """
    from .evidence.candidates import as_json as to_json
    from .evidence.candidates import candidates as find
    from .evidence.candidates import propose as file_them
    from .proposals import default_path

    with open_bank(db_path) as bank:
        found = find(bank, tag, min_count)
        if propose:
            filed, known = file_them(bank, found, default_path(bank.path))
    if as_json:
        click.echo(to_json(found))
    else:
        for c in found:
            sources = ", ".join(f"{s.project} ×{s.count}" for s in c.projects())
            click.echo(f"{c.concept}\t{c.tag}\t{c.term}\t{c.count}\t{sources}")
    if propose:
        click.echo(f"{filed} proposal(s) filed, {known} already proposed.", err=True)
    if not found:
        click.echo("No candidates.", err=True)
        sys.exit(1)


def register(group: click.Group) -> None:
    group.add_command(attest)
    group.add_command(candidates)

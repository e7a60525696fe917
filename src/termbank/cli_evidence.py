"""``termbank evidence``: human translations of open software as evidence for terms."""

from __future__ import annotations

import itertools
from collections import Counter
from pathlib import Path

import click

CACHE_OPTION = click.option(
    "--cache", "cache", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Download cache (default: $TERMBANK_EVIDENCE_CACHE or ~/.cache/termbank/evidence).")
MANIFEST_OPTION = click.option(
    "--manifest", "manifest_path", type=click.Path(dir_okay=False, path_type=Path),
    default=Path("evidence") / "sources.tsv", show_default=True,
    help="The pinned package list.")


def _cache(cache: Path | None) -> Path:
    from .evidence.sources import default_cache

    return cache or default_cache()


@click.group()
def evidence() -> None:
    """Evidence from human-translated open software (Debian packages, pinned).

    Example: termbank evidence fetch && termbank evidence pairs --tag es-MX
    """


@evidence.command()
@CACHE_OPTION
@MANIFEST_OPTION
@click.option("--update", is_flag=True, help="Re-pin every package to apt's candidate version.")
@click.option("--package", "packages", multiple=True, metavar="NAME",
              help="Fetch only this allowed package (repeatable).")
def fetch(cache: Path | None, manifest_path: Path, update: bool, packages: tuple[str, ...]) -> None:
    """Download the allowed packages into the cache, read their catalogues, write the manifest.

    Pinned versions come from the manifest; without one (or with --update)
    apt's candidate versions are pinned. Problems are reported one per line
    and recorded in the manifest; the other packages go on.

    Example: termbank evidence fetch --cache /tmp/evidence
    """
    from .evidence.sources import fetch as run

    problems: list[str] = []

    def report(message: str) -> None:
        problems.append(message)
        click.echo(message, err=True)

    manifest = run(_cache(cache), manifest_path, update=update, packages=list(packages) or None,
                   on_error=report, progress=lambda name: click.echo(f"fetching {name}", err=True))
    for source in manifest:
        click.echo(f"{source.package}\t{source.version}\t{source.pairs or '-'}\t{source.status}")
    click.echo(f"{manifest_path}: {len(manifest.sources)} packages, {len(problems)} problem(s).")


@evidence.command()
@CACHE_OPTION
@MANIFEST_OPTION
@click.option("--tag", metavar="TAG", help="Only pairs of this BCP 47 tag (es-MX).")
@click.option("--package", metavar="NAME", help="Only pairs from this package.")
@click.option("--limit", type=click.IntRange(0), default=10, show_default=True,
              help="How many pairs to print before the counts.")
def pairs(cache: Path | None, manifest_path: Path, tag: str | None, package: str | None,
          limit: int) -> None:
    """Print a few English -> translation pairs and the counts per package and tag.

    Example: termbank evidence pairs --tag pt-PT --package libreoffice-l10n-pt --limit 5
    """
    from . import langtags
    from .evidence import manifest as manifest_file
    from .evidence.catalogues import read_pairs

    wanted = langtags.normalize(tag) if tag else None
    manifest = manifest_file.read(manifest_path) if manifest_path.is_file() else None
    if manifest is not None and package:
        if manifest.get(package) is None:
            raise click.ClickException(f"{manifest_path}: no package {package!r}")
        manifest = manifest_file.Manifest({package: manifest.sources[package]})
    report = lambda message: click.echo(message, err=True)  # noqa: E731
    found = (p for p in read_pairs(_cache(cache), manifest, on_error=report)
             if (wanted is None or p.tag == wanted) and (package is None or p.package == package))
    counts: Counter[tuple[str, str]] = Counter()
    shown = itertools.count()
    for pair in found:
        counts[pair.package, pair.tag] += 1
        if next(shown) < limit:
            click.echo(f"{pair.tag}\t{pair.project}\t{pair.source}\t→\t{pair.target}")
    for (name, pair_tag), n in sorted(counts.items()):
        click.echo(f"{name}\t{pair_tag}\t{n}")
    click.echo(f"{sum(counts.values())} pairs")


@evidence.command()
@CACHE_OPTION
@MANIFEST_OPTION
@click.option("--glossary", type=click.Path(file_okay=False, path_type=Path),
              default=Path("glossary"), show_default=True, help="Folder of concept files.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where the attestations go (default: evidence/attestations.tsv beside the "
                   "glossary).")
@click.option("--package", "packages", multiple=True, metavar="NAME",
              help="Fetch only this allowed package (repeatable); attest reads the manifest's.")
@click.pass_context
def rebuild(ctx: click.Context, cache: Path | None, manifest_path: Path, glossary: Path,
            out: Path | None, packages: tuple[str, ...]) -> None:
    """Rebuild evidence/ from scratch: fetch the pinned packages, then attest.

    The one command for a fresh machine: what the cache lacks is downloaded at the
    versions the manifest pins (sha256 checked), every catalogue is read again and
    evidence/attestations.tsv is rewritten. A second run gives the same bytes.

    Example: termbank evidence rebuild && termbank build
    """
    from .cli_attest import attest

    ctx.invoke(fetch, cache=cache, manifest_path=manifest_path, update=False, packages=packages)
    ctx.invoke(attest, cache=cache, manifest_path=manifest_path, glossary=glossary, out=out)


def register(cli: click.Group) -> None:
    from . import cli_attest

    cli_attest.register(evidence)
    cli.add_command(evidence)

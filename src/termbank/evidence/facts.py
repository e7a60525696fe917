"""Attestations as term-level facts, and their committed file ``evidence/attestations.tsv``.

A fact says: in the catalogues of one package version, for one tag, human
translators rendered a concept's English term with this form, so many
times. No sentence is ever stored. The file is sorted and written whole or
not at all, so two runs over the same catalogues give the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from .. import langtags
from ..errors import LanguageTagError, SourceError

KINDS = ("label", "support", "conflict")
COLUMNS = ("concept", "tag", "english", "term", "kind", "project", "package", "version", "count")
DEFAULT_PATH = Path("evidence") / "attestations.tsv"


class Fact(NamedTuple):
    """One attestation. ``english`` is the bank's English term that the source string was
    (label) or held (support, conflict); ``term`` is the form used: the translation of a
    label, the bank's term found in a translated sentence, or, for a sentence translated
    with none of the bank's terms (conflict), the English term again."""

    concept: str
    tag: str
    english: str
    term: str
    kind: str
    project: str
    package: str
    version: str
    count: int  # type: ignore[assignment]  # the TSV column; shadows tuple.count on purpose


def default_path(glossary: Path) -> Path:
    """``evidence/attestations.tsv`` beside the glossary folder."""
    return Path(glossary).resolve().parent / DEFAULT_PATH


def write_tsv(path: Path, facts: Iterable[Fact]) -> int:
    """Write the facts sorted, with a header, atomically; returns how many."""
    from ..exporting import write_atomically

    rows = sorted(facts)
    lines = ["\t".join(COLUMNS)] + ["\t".join(map(str, fact)) for fact in rows]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    write_atomically(Path(path), lambda fp: fp.write(data))
    return len(rows)


def read_tsv(path: Path) -> Iterator[Fact]:
    """The facts of ``path``; a malformed line raises SourceError naming it and its field."""
    name = str(path)
    with open(path, encoding="utf-8", newline="\n") as fp:
        header = fp.readline().rstrip("\n")
        if header != "\t".join(COLUMNS):
            raise SourceError.at(name, 1, None, f"expected the header {' '.join(COLUMNS)!r}")
        for number, line in enumerate(fp, start=2):
            yield _fact(name, number, line.rstrip("\n"))


def _fact(name: str, number: int, line: str) -> Fact:
    values = line.split("\t")
    if len(values) != len(COLUMNS):
        raise SourceError.at(name, number, None,
                             f"expected {len(COLUMNS)} tab-separated fields, found {len(values)}")
    fields = dict(zip(COLUMNS, values, strict=True))
    for column in ("concept", "tag", "english", "term", "project"):
        if not fields[column]:
            raise SourceError.at(name, number, column, "is empty")
    if fields["kind"] not in KINDS:
        raise SourceError.at(name, number, "kind", f"{fields['kind']!r} is not one of {', '.join(KINDS)}")
    if not fields["count"].isdigit() or int(fields["count"]) < 1:
        raise SourceError.at(name, number, "count", f"{fields['count']!r} is not a positive number")
    try:
        tag = langtags.normalize(fields["tag"])
    except LanguageTagError as exc:
        raise SourceError.at(name, number, "tag", str(exc)) from None
    return Fact(fields["concept"], tag, fields["english"], fields["term"], fields["kind"],
                fields["project"],
                fields["package"], fields["version"], int(fields["count"]))

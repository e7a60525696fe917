"""``evidence/sources.tsv``: which package versions the evidence was read from.

One row per allowed package, sorted by name, with what was found in it and
why anything was skipped; written atomically in deterministic bytes so that
a second run with the same pins gives an identical file.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, fields, replace
from pathlib import Path

from ..errors import TermbankError
from ..exporting import write_atomically

DEFAULT_PATH = Path("evidence") / "sources.tsv"


@dataclass(frozen=True, slots=True)
class Source:
    """One package as fetched: ``status`` is ``ok``, ``english source``,
    ``no catalogues: ...`` or ``skipped: ...``."""

    package: str
    version: str = ""
    sha256: str = ""
    project: str = ""
    catalogues: str = ""
    pairs: str = ""
    status: str = ""

    def but(self, **changes) -> Source:
        return replace(self, **changes)


COLUMNS = tuple(f.name for f in fields(Source))


@dataclass
class Manifest:
    sources: dict[str, Source]

    def get(self, package: str) -> Source | None:
        return self.sources.get(package)

    def __iter__(self):
        return iter(self.sources[name] for name in sorted(self.sources))


def read(path: Path) -> Manifest:
    """The manifest at ``path``; a missing column or a short row is an error naming the line."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise TermbankError(f"{path}: cannot read the manifest ({exc.strerror})") from None
    rows = list(csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE))
    if not rows or tuple(rows[0]) != COLUMNS:
        raise TermbankError(f"{path}:1: header must be {' '.join(COLUMNS)}")
    sources = {}
    for line, row in enumerate(rows[1:], start=2):
        if len(row) != len(COLUMNS):
            raise TermbankError(f"{path}:{line}: expected {len(COLUMNS)} columns, found {len(row)}")
        source = Source(*row)
        sources[source.package] = source
    return Manifest(sources)


def write(manifest: Manifest, path: Path) -> None:
    """Sorted rows, tab-separated, LF line ends, replacing ``path`` only when complete."""
    lines = ["\t".join(COLUMNS)]
    for source in manifest:
        lines.append("\t".join(_cell(getattr(source, column)) for column in COLUMNS))
    data = ("\n".join(lines) + "\n").encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, lambda fp: fp.write(data))


def _cell(value: str) -> str:
    return " ".join(value.replace("\t", " ").split())

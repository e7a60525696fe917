"""What every export shares: the options, the dialect rule and the all-or-nothing write.

A writer receives an open binary file, the glossary snapshot and an
``ExportOptions``; it never opens the bank or a path. ``export`` gives the
writer a temporary file and renames it into place only when the writer
finished, so a failed export leaves nothing behind (and nothing half-written
on stdout).
"""

from __future__ import annotations

import io
import shutil
import sqlite3
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, cast

from . import dialects, langtags
from .atomic import write_atomically
from .errors import TermbankError
from .fields import SUBJECT_FIELDS
from .model import Concept, Glossary, Term

if TYPE_CHECKING:
    from .formats import Format

# Spooled output for stdout stays in memory up to this size, then moves to disk.
SPOOL_BYTES = 16 * 1024 * 1024
# Homonyms in one-entry-per-source-term formats keep the most microscopy-specific
# sense: the subject fields are listed from optics to data management.
FIELD_RANK = {f.id: i for i, f in enumerate(SUBJECT_FIELDS)}


def _silent(message: str) -> None:
    """The default notice sink: library callers who do not ask are not told."""


@dataclass(frozen=True)
class ExportOptions:
    """The user's choices for one export.

    ``targets`` are BCP 47 tags (empty: every tag of the glossary but the
    source); ``min_reliability`` leaves out target-language terms below
    IATE's 1-4 level (source terms stay: they are the keys); ``concepts``
    narrows the export to some concept ids; ``notice`` receives one line per
    thing a writer left out and why.
    """

    targets: tuple[str, ...] = ()
    source: str = "en"
    min_reliability: int = 1
    concepts: frozenset[str] | None = None
    notice: Callable[[str], None] = field(default=_silent, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "source", langtags.normalize(self.source))
        tags = tuple(dict.fromkeys(langtags.normalize(t) for t in self.targets))
        object.__setattr__(self, "targets", tags)
        if not 1 <= self.min_reliability <= 4:
            raise TermbankError("--min-reliability must be between 1 and 4")

    def target_tags(self, glossary: Glossary) -> tuple[str, ...]:
        """The tags to export: those asked for, else every tag of the glossary but the source."""
        return self.targets or tuple(t for t in glossary.tags if t != self.source)

    def single_target(self, glossary: Glossary, format_name: str) -> str:
        """The one target tag of a bilingual format; refuses zero or several."""
        tags = self.target_tags(glossary)
        if len(tags) != 1:
            given = ", ".join(tags) or "none"
            raise TermbankError(f"{format_name} holds one target language: pass one --to TAG "
                                f"(the bank has: {given})")
        return tags[0]


def selected(glossary: Glossary, options: ExportOptions) -> Iterator[Concept]:
    """The concepts to export, with target terms below ``min_reliability`` removed. From a
    bank, they stream through ``concept_stream`` (the exports' fast reader)."""
    source = langtags.language(options.source)
    streamed = None
    if glossary.bank is not None:
        from .concept_stream import concepts

        streamed = concepts(glossary.bank)
    for concept in glossary if streamed is None else streamed:
        if options.concepts is not None and concept.id not in options.concepts:
            continue
        if options.min_reliability > 1:
            kept = tuple(t for t in concept.terms if t.reliability >= options.min_reliability
                         or langtags.language(t.tag) == source)
            if len(kept) != len(concept.terms):
                concept = replace(concept, terms=kept)
        yield concept


def kept_tags(options: ExportOptions) -> frozenset[str] | None:
    """For formats that carry each tag's own terms: None keeps every tag; with --to,
    the source and each target's fallback chain (an es-MX export keeps es-419 and es)."""
    if not options.targets:
        return None
    chains = {t for target in options.targets for t in langtags.fallback_chain(target)}
    return frozenset(chains | {options.source})


def dialect_terms(concept: Concept, tag: str) -> tuple[list[Term], list[Term]]:
    """The accepted terms for ``tag`` and the refused forms on its chain (``termbank.dialects``)."""
    return dialects.resolve(tag, concept.terms, dialects.TERM_FIELDS, concept.do_not_translate)


def source_term(concept: Concept, options: ExportOptions) -> Term | None:
    """The term that names the concept in the source language (its preferred one)."""
    if not langtags.is_regional(options.source):   # "en": no chain to walk
        return concept.preferred(options.source)
    accepted, _ = dialects.resolve(options.source, concept.terms, dialects.TERM_FIELDS)
    return accepted[0] if accepted else None


class EntrySpool:
    """Entries parked in a scratch SQLite file until all are known, then read back by key.

    Formats that must know every entry before writing one (gettext's msgctxt
    for homonyms when the entries do not come sorted from the bank, MT
    glossaries' one entry per source term) park their entries here instead of
    in a dict, so memory stays flat on a large bank.
    """

    def __init__(self) -> None:
        self.db = sqlite3.connect("")  # a private temporary file, removed on close
        self.db.execute("CREATE TABLE entries (key TEXT, rank INTEGER, concept TEXT, payload TEXT)")
        self.pending: list[tuple[str, int, str, str]] = []

    def add(self, key: str, rank: int, concept: str, payload: str) -> None:
        self.pending.append((key, rank, concept, payload))
        if len(self.pending) >= 5000:
            self.flush()

    def flush(self) -> None:
        """Write the pending entries to the table (before reading it)."""
        self.db.executemany("INSERT INTO entries VALUES (?, ?, ?, ?)", self.pending)
        self.pending.clear()

    def groups(self) -> Iterator[list[tuple[str, int, str, str]]]:
        """Entries sharing a key, best rank first; groups in key order."""
        self.flush()
        group: list[tuple[str, int, str, str]] = []
        rows = self.db.execute("SELECT key, rank, concept, payload FROM entries "
                               "ORDER BY key, rank, concept")
        for row in rows:
            if group and row[0] != group[0][0]:
                yield group
                group = []
            group.append(row)
        if group:
            yield group

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> EntrySpool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@contextmanager
def text_output(fp: BinaryIO, encoding: str = "utf-8",
                buffered: bool = False) -> Iterator[io.TextIOWrapper]:
    """A text view of a writer's binary output; detached afterwards, so ``fp`` stays open.
    ``buffered``: text gathers in the view until it ends (for a writer that writes to the
    view alone: many small writes, as a row at a time, cost less)."""
    wrapper = io.TextIOWrapper(fp, encoding=encoding, newline="", write_through=not buffered)
    try:
        yield wrapper
        wrapper.flush()
    finally:
        wrapper.detach()


def export(fmt: Format, glossary: Glossary, options: ExportOptions, out: Path | None) -> None:
    """Write ``glossary`` as ``fmt`` to ``out`` (None: stdout), all or nothing."""
    if fmt.write is None:
        raise TermbankError(f"{fmt.name} can be imported but not exported")
    if out is None:
        with tempfile.SpooledTemporaryFile(SPOOL_BYTES) as spool:
            fmt.write(cast(BinaryIO, spool), glossary, options)
            spool.seek(0)
            shutil.copyfileobj(spool, sys.stdout.buffer)
            sys.stdout.buffer.flush()
        return
    write_atomically(out, lambda fp: fmt.write(fp, glossary, options))  # type: ignore[misc]

"""Compile concepts into the SQLite bank, atomically and deterministically.

The database is written to a temporary file beside the target and renamed
into place only when complete, so a failed build leaves the previous bank
untouched. Rows go in sorted by concept id with no clock readings, so the
same glossary gives the same bytes.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from itertools import islice
from pathlib import Path

from sqlite_utils import Database

from . import langtags, schema
from .atomic import replacing
from .fields import SUBJECT_FIELDS
from .inflection import fold, stem
from .model import Concept, Term, glossary_tags
from .source import read_glossary

BATCH = 5000
# Migrations record when they ran; a built bank records this instead, so that
# two builds of one glossary are byte-identical (reproducible-builds.org's
# SOURCE_DATE_EPOCH overrides it).
EPOCH = "1970-01-01 00:00:00+00:00"

Progress = Callable[[int], None]


def build(glossary: Path, db_path: Path, progress: Progress | None = None,
          evidence: Path | None = None) -> int:
    """Validate ``glossary`` and write it to ``db_path``; returns the number of concepts.

    ``evidence`` (default: ``evidence/attestations.tsv`` beside the glossary
    folder, when present) adds how human translators render the terms.
    """
    concepts = list(read_glossary(glossary))
    write_bank(concepts, db_path, progress, evidence_file(glossary, evidence))
    return len(concepts)


def evidence_file(glossary: Path, evidence: Path | None) -> Path | None:
    """The attestations file a build reads: the one given, else the default one if present."""
    from .evidence.facts import default_path

    if evidence is not None:
        return Path(evidence)
    default = default_path(glossary)
    return default if default.is_file() else None


def write_bank(concepts: Iterable[Concept], db_path: Path, progress: Progress | None = None,
               evidence: Path | None = None) -> int:
    """Write concepts (in id order) to a new bank at ``db_path``, replacing it atomically."""
    if evidence is not None:
        concepts, facts = _with_evidence(concepts, evidence)
    else:
        facts = None
    with replacing(db_path) as tmp:
        return _write(Database(tmp, recreate=True), concepts, progress, facts)


def _with_evidence(concepts: Iterable[Concept], path: Path):
    """The concepts with their terms' attestations, and the facts for the bank's table."""
    from .evidence.facts import read_tsv
    from .evidence.linking import Evidence

    concepts = list(concepts)
    evidence = Evidence(read_tsv(path), {c.id for c in concepts})
    return list(evidence.attach(concepts)), evidence


def _write(db: Database, concepts: Iterable[Concept], progress: Progress | None,
           evidence=None) -> int:
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    schema.bank.apply(db, stop_before=schema.LOAD_STEP)
    with db.atomic():  # a transaction of its own, as ever: the same commits give the same bytes
        _rows(db, "subject_fields", ("id", "title", "description"),
              ((f.id, f.title, f.description) for f in SUBJECT_FIELDS))
    tags: set[str] = set()
    count = 0
    with db.atomic():
        for chunk in _chunks(iter(concepts), BATCH):
            _insert(db, chunk, tags)
            count += len(chunk)
            if progress:
                progress(len(chunk))
        _rows(db, "tags", TAG_COLUMNS, (_tag_values(tag) for tag in sorted(tags)))
    schema.bank.apply(db)
    if evidence is not None:
        _insert_evidence(db, concepts, evidence)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    stamp = EPOCH if epoch is None else _from_epoch(int(epoch))
    db.execute(f"UPDATE [{schema.bank.migrations_table}] SET applied_at = ?", [stamp])
    db.conn.commit()
    db.analyze()  # planner statistics: without them the (tag, status) index wins by mistake
    db.close()
    return count


def _insert_evidence(db: Database, concepts: Iterable[Concept], evidence) -> None:
    """The attestations and each term's share of them (concepts are a list here)."""
    from .evidence.linking import term_rows

    with db.atomic():
        _named_rows(db, "attestations", ATTESTATION_COLUMNS, evidence.rows())
        _named_rows(db, "term_attestations", TERM_ATTESTATION_COLUMNS,
                    (row for c in concepts for row in term_rows(c)))


def _from_epoch(seconds: int) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(seconds, UTC).isoformat(sep=" ")


def _chunks(items: Iterator[Concept], size: int) -> Iterator[list[Concept]]:
    while chunk := list(islice(items, size)):
        yield chunk


def _insert(db: Database, chunk: list[Concept], tags: set[str]) -> None:
    _rows(db, "concepts", ("id", "subject_field", "do_not_translate", "path"),
          ((c.id, c.subject_field, int(c.do_not_translate), c.path) for c in chunk))
    _rows(db, "terms", TERM_COLUMNS,
          (term_values(c.id, i, t) for c in chunk for i, t in enumerate(c.terms)))
    for table in ("definitions", "notes"):
        _rows(db, table, ("concept_id", "tag", "text"),
              ((c.id, tag, text) for c in chunk for tag, text in getattr(c, table).items()))
    _rows(db, "relations", ("concept_id", "related_id"),
          ((c.id, r) for c in chunk for r in c.related))
    _rows(db, "sources", ("concept_id", "position", "text"),
          ((c.id, i, s) for c in chunk for i, s in enumerate(c.sources)))
    tags.update(glossary_tags(chunk))


def _rows(db: Database, table: str, columns: tuple[str, ...], rows: Iterable[tuple]) -> None:
    """Insert plain tuples through one prepared statement. The tables come from the schema's
    migrations; sqlite-utils' ``insert_all`` would re-check every value for JSON and rebuild
    its statement per batch, which made the build half as slow again."""
    names = ", ".join(f"[{c}]" for c in columns)
    db.conn.executemany(f"INSERT INTO [{table}] ({names}) VALUES ({', '.join('?' * len(columns))})",
                        rows)


def _named_rows(db: Database, table: str, columns: tuple[str, ...], rows: Iterable[dict]) -> None:
    """``_rows`` for rows made as dicts (the evidence's), bound by column name."""
    names = ", ".join(f"[{c}]" for c in columns)
    db.conn.executemany(f"INSERT INTO [{table}] ({names}) "
                        f"VALUES ({', '.join(':' + c for c in columns)})", rows)


# The ``terms`` columns a build fills, in order (``id`` is the row's, given by SQLite).
TERM_COLUMNS = ("concept_id", "position", "text", "tag", "language", "status", "type",
                "part_of_speech", "gender", "note", "status_reason", "case_sensitive", "source",
                "origin", "review", "reviewers", "reviewed_on", "reliability", "folded", "stem")
TAG_COLUMNS = ("tag", "language", "name", "native_name", "parents")
ATTESTATION_COLUMNS = ("concept_id", "tag", "english", "term", "kind", "project", "package",
                       "version", "count", "key")
TERM_ATTESTATION_COLUMNS = ("concept_id", "position", "source", "tag", "kind", "count", "family")


def term_values(concept_id: str, position: int, term: Term) -> tuple:
    """The ``terms`` row of one term (``TERM_COLUMNS``), with its match keys and derived
    reliability."""
    language = langtags.language(term.tag)
    p = term.provenance
    return (concept_id, position, term.text, term.tag, language, term.status, term.type,
            term.part_of_speech, term.gender, term.note, term.status_reason,
            int(term.case_sensitive), term.source, p.origin, p.review,
            _reviewers(tuple(p.reviewers)), p.reviewed_on, term.reliability, fold(term.text),
            stem(term.text, language))


def term_row(concept_id: str, position: int, term: Term) -> dict:
    """``term_values`` by column name."""
    return dict(zip(TERM_COLUMNS, term_values(concept_id, position, term), strict=True))


@lru_cache(maxsize=1024)
def _reviewers(names: tuple[str, ...]) -> str:
    """The reviewers as JSON: a large bank repeats a handful of lists."""
    return json.dumps(list(names))


def _tag_values(tag: str) -> tuple:
    return (tag, langtags.language(tag), langtags.display_name(tag), langtags.native_name(tag),
            json.dumps(list(langtags.fallback_chain(tag)[1:])))

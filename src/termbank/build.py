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
    db.table("subject_fields").insert_all(
        {"id": f.id, "title": f.title, "description": f.description} for f in SUBJECT_FIELDS)
    tags: set[str] = set()
    count = 0
    with db.atomic():
        for chunk in _chunks(iter(concepts), BATCH):
            _insert(db, chunk, tags, count)
            count += len(chunk)
            if progress:
                progress(len(chunk))
        db.table("tags").insert_all(_tag_row(tag) for tag in sorted(tags))
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
        db.table("attestations").insert_all(evidence.rows(), batch_size=BATCH)
        db.table("term_attestations").insert_all(
            (row for c in concepts for row in term_rows(c)), batch_size=BATCH)


def _from_epoch(seconds: int) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(seconds, UTC).isoformat(sep=" ")


def _chunks(items: Iterator[Concept], size: int) -> Iterator[list[Concept]]:
    while chunk := list(islice(items, size)):
        yield chunk


def _insert(db: Database, chunk: list[Concept], tags: set[str], offset: int) -> None:
    db.table("concepts").insert_all(
        ({"id": c.id, "subject_field": c.subject_field, "do_not_translate": int(c.do_not_translate),
          "path": c.path} for c in chunk), batch_size=BATCH)
    db.table("terms").insert_all(
        (term_row(c.id, i, t) for c in chunk for i, t in enumerate(c.terms)), batch_size=BATCH)
    for table, attr in (("definitions", "definitions"), ("notes", "notes")):
        db.table(table).insert_all(
            ({"concept_id": c.id, "tag": tag, "text": text}
             for c in chunk for tag, text in getattr(c, attr).items()), batch_size=BATCH)
    db.table("relations").insert_all(
        ({"concept_id": c.id, "related_id": r} for c in chunk for r in c.related), batch_size=BATCH)
    db.table("sources").insert_all(
        ({"concept_id": c.id, "position": i, "text": s} for c in chunk
         for i, s in enumerate(c.sources)), batch_size=BATCH)
    tags.update(glossary_tags(chunk))


def term_row(concept_id: str, position: int, term: Term) -> dict:
    """The ``terms`` row of one term, with its match keys and derived reliability."""
    language = langtags.language(term.tag)
    p = term.provenance
    return {
        "concept_id": concept_id, "position": position, "text": term.text, "tag": term.tag,
        "language": language, "status": term.status, "type": term.type,
        "part_of_speech": term.part_of_speech, "gender": term.gender, "note": term.note,
        "status_reason": term.status_reason, "case_sensitive": int(term.case_sensitive),
        "source": term.source, "origin": p.origin, "review": p.review,
        "reviewers": json.dumps(list(p.reviewers)), "reviewed_on": p.reviewed_on,
        "reliability": term.reliability, "folded": fold(term.text),
        "stem": stem(term.text, language),
    }


def _tag_row(tag: str) -> dict:
    return {"tag": tag, "language": langtags.language(tag), "name": langtags.display_name(tag),
            "native_name": langtags.native_name(tag),
            "parents": json.dumps(list(langtags.fallback_chain(tag)[1:]))}

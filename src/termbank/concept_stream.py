"""Whole concepts streamed from a built bank for the exports that carry every field (TBX, and
every writer that reads ``exporting.selected``): one ordered cursor per table, read as plain
tuples and merged by concept id.

``Bank.iter_concepts`` gives the same concepts (the tests compare the exports of both);
this reader is the exports' own because it skips what an export does not need there
(``sqlite3.Row`` lookups by name, the ``SELECT *`` of every column, the match keys) and
makes each term in one call. Approved proposals are the bank's business: with them
attached, ``concepts`` returns None and the export reads ``Bank.iter_concepts``.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import groupby
from operator import itemgetter
from typing import TYPE_CHECKING

from .model import Attestation, Concept, Term, Texts, stored_provenance

if TYPE_CHECKING:
    from .bank import OpenBank

_TABLES = {
    "terms": "SELECT concept_id, position, text, tag, status, type, part_of_speech, gender, "
             "note, status_reason, case_sensitive, source, origin, review, reviewers, "
             "reviewed_on FROM terms ORDER BY concept_id, position",
    "definitions": "SELECT concept_id, tag, text FROM definitions ORDER BY concept_id, tag",
    "notes": "SELECT concept_id, tag, text FROM notes ORDER BY concept_id, tag",
    "relations": "SELECT concept_id, related_id FROM relations ORDER BY concept_id, related_id",
    "sources": "SELECT concept_id, text FROM sources ORDER BY concept_id, position",
    "attested": "SELECT concept_id, position, source, tag, count, kind, family "
                "FROM term_attestations ORDER BY concept_id, position, rowid",
}


def concepts(bank: OpenBank) -> Iterator[Concept] | None:
    """Every concept of the built bank in id order; None when approved proposals are attached."""
    if bank.overlay:
        return None
    return _stream(bank)


def _stream(bank: OpenBank) -> Iterator[Concept]:
    streams = {name: groupby(_tuples(bank, sql), key=itemgetter(0))
               for name, sql in _TABLES.items()}
    heads = {name: next(stream, None) for name, stream in streams.items()}
    for concept_id, subject_field, do_not_translate, path in _tuples(
            bank, "SELECT id, subject_field, do_not_translate, path FROM concepts ORDER BY id"):
        parts: dict[str, list[tuple]] = {}
        for name, stream in streams.items():
            head = heads[name]
            if head is not None and head[0] == concept_id:
                parts[name] = list(head[1])
                heads[name] = next(stream, None)
            else:
                parts[name] = []
        yield Concept(concept_id, subject_field, _terms(parts["terms"], parts["attested"]),
                      Texts((r[1], r[2]) for r in parts["definitions"]),
                      Texts((r[1], r[2]) for r in parts["notes"]),
                      tuple(r[1] for r in parts["relations"]),
                      tuple(r[1] for r in parts["sources"]),
                      bool(do_not_translate), path)


def _tuples(bank: OpenBank, sql: str):
    cursor = bank.conn.cursor()
    cursor.row_factory = None
    return cursor.execute(sql)


def _terms(rows: list[tuple], attested: list[tuple]) -> tuple[Term, ...]:
    uses: dict[int, list[Attestation]] = {}
    for r in attested:   # how human translators use the terms (termbank.evidence)
        uses.setdefault(r[1], []).append(Attestation(r[2], r[3], r[4], r[5], r[6]))
    return tuple(Term(r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], bool(r[10]), r[11],
                      stored_provenance(r[12], r[13], r[14], r[15]), None,
                      tuple(uses.get(r[1], ())))
                 for r in rows)


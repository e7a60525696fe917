"""Counts that tell reviewers where the bank is thin."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .bank import OpenBank


def _pairs(conn: sqlite3.Connection, sql: str) -> dict[Any, Any]:
    return {row[0]: row[1] for row in conn.execute(sql)}


def stats(bank: OpenBank) -> dict[str, Any]:
    """Concepts and terms per subject field, tag, status and review state.

    ``concepts_by_tag`` counts concepts with a term of their own in a tag
    (not supplied by fallback), which is what regional coverage means.
    """
    conn = bank.conn
    return {
        "concepts": conn.execute("SELECT count(*) FROM concepts").fetchone()[0],
        "terms": conn.execute("SELECT count(*) FROM terms").fetchone()[0],
        "terms_by_tag": _pairs(conn, "SELECT tag, count(*) FROM terms GROUP BY tag ORDER BY tag"),
        "concepts_by_tag": _pairs(conn, "SELECT tag, count(DISTINCT concept_id) FROM terms "
                                        "GROUP BY tag ORDER BY tag"),
        "concepts_by_subject_field": _pairs(conn, "SELECT subject_field, count(*) FROM concepts "
                                                  "GROUP BY subject_field ORDER BY subject_field"),
        "terms_by_status": _pairs(conn, "SELECT status, count(*) FROM terms GROUP BY status "
                                        "ORDER BY status"),
        "review_state": _pairs(conn, "SELECT review, count(*) FROM terms GROUP BY review "
                                     "ORDER BY review"),
        "reliability": _pairs(conn, "SELECT reliability, count(*) FROM terms GROUP BY reliability "
                                    "ORDER BY reliability"),
        "definitions_by_tag": _pairs(conn, "SELECT tag, count(*) FROM definitions GROUP BY tag "
                                           "ORDER BY tag"),
        "do_not_translate": conn.execute("SELECT count(*) FROM concepts WHERE do_not_translate")
        .fetchone()[0],
        **evidence_stats(conn),
    }


def evidence_stats(conn) -> dict:
    """Terms that human translators are seen using (label or sentence), per term tag; terms at
    reliability 2 through that evidence alone; attestations per catalogue tag and kind."""
    attested = ("SELECT t.tag, count(DISTINCT t.id) FROM terms t WHERE EXISTS (SELECT 1 FROM "
                "term_attestations a WHERE a.concept_id = t.concept_id AND a.position = t.position"
                "{kind}) GROUP BY t.tag ORDER BY t.tag")
    kinds: dict[str, dict[str, int]] = {}
    for tag, kind, n in conn.execute("SELECT tag, kind, sum(count) FROM attestations "
                                     "GROUP BY tag, kind ORDER BY tag, kind"):
        kinds.setdefault(tag, {})[kind] = n
    return {
        "attested_terms_by_tag": _pairs(conn, attested.format(kind="")),
        "label_attested_terms_by_tag": _pairs(conn, attested.format(kind=" AND a.kind = 'label'")),
        "evidenced_terms_by_tag": _pairs(
            conn, "SELECT tag, count(*) FROM terms WHERE reliability = 2 AND review = 'draft' "
                  "AND source IS NULL GROUP BY tag ORDER BY tag"),
        "attestations_by_tag": kinds,
    }

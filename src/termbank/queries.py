"""What every reader of a built bank asks of it in plain SQL, without sqlite-utils.

A lookup from the command line must start fast, so the readers (``bank``,
``lookup``) take the term columns, the English-name subquery and the list of
the bank's migrations from here; ``schema``, which creates the tables with
sqlite-utils, re-exports them and checks that the list matches its migrations.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from .model import ACCEPTED_STATUSES, SOURCE_TAG

# The columns of ``terms`` that lookups read; approved proposals are read in the same shape.
TERM_COLUMNS = ("id", "concept_id", "position", "text", "tag", "language", "status", "type", "note",
                "status_reason", "case_sensitive", "origin", "review", "reliability", "stem")
# The migrations of a current bank, in order (``schema.bank``; tests/test_schema.py keeps them equal).
BANK_MIGRATIONS = ("m001_concepts_and_terms", "m002_indexes_and_search", "m003_attestations",
                   "m004_folded_trigrams")
MIGRATION_SET = "termbank"
PROPOSALS_DB = "proposals.db"


def proposals_path(bank_path: str | Path) -> Path:
    """Where the proposals of a bank live: ``$TERMBANK_PROPOSALS``, else ``proposals.db`` beside
    the bank (which may be rebuilt freely). Every reader and writer asks here."""
    return Path(os.environ.get("TERMBANK_PROPOSALS") or Path(bank_path).parent / PROPOSALS_DB)


def english_term_sql(concept: str) -> str:
    """A subquery for the English preferred term of the concept whose id is ``concept`` (an SQL
    expression): the model's rule (``model.preferred``: preferred, else the first accepted)."""
    first = ("(SELECT e.text FROM terms e INDEXED BY idx_terms_concept_id_position "
             f"WHERE e.concept_id = {concept} AND e.tag = '{SOURCE_TAG}' AND e.status = '{{}}' "
             "ORDER BY e.position LIMIT 1)")
    # One subquery per status, each read in the index's position order: ordering by status
    # instead would sort in a temporary b-tree, which doubles a lookup's details query.
    ranked = sorted(ACCEPTED_STATUSES, key=lambda status: status != "preferred")
    return f"SELECT coalesce({', '.join(first.format(status) for status in ranked)})"


def missing_migrations(conn: sqlite3.Connection) -> list[str]:
    """The bank migrations this code expects that the database lacks (empty when current);
    a file that is not SQLite raises sqlite3.DatabaseError."""
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    try:
        applied = {row[0] for row in conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", [MIGRATION_SET])}
    except sqlite3.OperationalError:  # no migrations table: nothing applied
        applied = set()
    return [name for name in BANK_MIGRATIONS if name not in applied]

"""The bank's tables: the only place that creates them (sqlite-utils Migrations).

A built bank is regenerated from ``glossary/`` rather than migrated, so a bank
whose applied migrations differ from this list is "from another schema" and
is refused with a hint to rebuild.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from .queries import TERM_COLUMNS as TERM_COLUMNS  # re-exported; readers import from queries
from .queries import english_term_sql as english_term_sql

bank = Migrations("termbank")
FTS_TOKENIZER = "unicode61 remove_diacritics 2"


@bank()
def m001_concepts_and_terms(db: Database) -> None:
    db.table("subject_fields").create({"id": str, "title": str, "description": str}, pk="id")
    db.table("tags").create({"tag": str, "language": str, "name": str, "native_name": str,
                       "parents": str}, pk="tag")
    db.table("concepts").create(
        {"id": str, "subject_field": str, "do_not_translate": int, "path": str},
        pk="id", foreign_keys=[("subject_field", "subject_fields", "id")], not_null={"subject_field"})
    db.table("terms").create(
        {"id": int, "concept_id": str, "position": int, "text": str, "tag": str, "language": str,
         "status": str, "type": str, "part_of_speech": str, "gender": str, "note": str,
         "status_reason": str, "case_sensitive": int, "source": str, "origin": str,
         "review": str, "reviewers": str, "reviewed_on": str, "reliability": int,
         "folded": str, "stem": str},
        pk="id", not_null={"concept_id", "text", "tag", "status"},
        foreign_keys=[("concept_id", "concepts", "id"), ("tag", "tags", "tag")])
    db.table("definitions").create({"concept_id": str, "tag": str, "text": str},
                             pk=("concept_id", "tag"),
                             foreign_keys=[("concept_id", "concepts", "id")])
    db.table("notes").create({"concept_id": str, "tag": str, "text": str}, pk=("concept_id", "tag"),
                       foreign_keys=[("concept_id", "concepts", "id")])
    db.table("relations").create({"concept_id": str, "related_id": str},
                           pk=("concept_id", "related_id"),
                           foreign_keys=[("concept_id", "concepts", "id"),
                                         ("related_id", "concepts", "id")])
    db.table("sources").create({"concept_id": str, "position": int, "text": str},
                         pk=("concept_id", "position"),
                         foreign_keys=[("concept_id", "concepts", "id")])


@bank()
def m002_indexes_and_search(db: Database) -> None:
    """Indexes for every lookup path and FTS5; the build applies this after its bulk load."""
    db.table("terms").create_index(["folded"], if_not_exists=True)
    db.table("terms").create_index(["stem"], if_not_exists=True)
    db.table("terms").create_index(["concept_id", "position"], if_not_exists=True)
    db.table("terms").create_index(["tag", "status"], if_not_exists=True)
    db.table("concepts").create_index(["subject_field"], if_not_exists=True)
    db.table("relations").create_index(["related_id"], if_not_exists=True)
    db.table("terms").enable_fts(["text"], tokenize=FTS_TOKENIZER, create_triggers=True)
    db.table("definitions").enable_fts(["text"], tokenize=FTS_TOKENIZER, create_triggers=True)


@bank()
def m003_attestations(db: Database) -> None:
    """How human translators render the concepts (``evidence/attestations.tsv``), and each
    term's share of it (``termbank.evidence``); the build fills both after its bulk load."""
    db.table("attestations").create(
        {"concept_id": str, "tag": str, "english": str, "term": str, "kind": str, "project": str,
         "package": str, "version": str, "count": int, "key": str},
        not_null={"concept_id", "tag", "english", "term", "kind", "project", "count", "key"},
        foreign_keys=[("concept_id", "concepts", "id")])
    db.table("attestations").create_index(["concept_id", "tag", "kind"])
    db.table("attestations").create_index(["tag", "kind"])
    db.table("term_attestations").create(
        {"concept_id": str, "position": int, "source": str, "tag": str, "kind": str,
         "count": int, "family": str},
        not_null={"concept_id", "position", "source", "tag", "kind", "count"},
        foreign_keys=[("concept_id", "concepts", "id")])
    db.table("term_attestations").create_index(["concept_id", "position"])
    db.table("term_attestations").create_index(["tag"])



@bank()
def m004_folded_trigrams(db: Database) -> None:
    """A trigram index over the folded terms, for the fuzzy lookup level: a misspelling leaves
    most of a word's three-letter runs intact wherever it falls, even in its first letters
    ("tresholding"), where the folded-term index, read by prefix, misses it. The index reads
    its text from ``terms`` (external content) and is filled once, after the bulk load, in
    rowid order (several times faster than FTS5's 'rebuild' on a large bank)."""
    db.execute("CREATE VIRTUAL TABLE folded_trigrams USING fts5(folded, content='terms', "
               "content_rowid='id', tokenize='trigram')")
    db.execute("INSERT INTO folded_trigrams (rowid, folded) SELECT id, folded FROM terms "
               "ORDER BY id")
    db.execute("CREATE TRIGGER folded_trigrams_ai AFTER INSERT ON terms BEGIN INSERT INTO "
               "folded_trigrams (rowid, folded) VALUES (new.id, new.folded); END")
    db.execute("CREATE TRIGGER folded_trigrams_ad AFTER DELETE ON terms BEGIN INSERT INTO "
               "folded_trigrams (folded_trigrams, rowid, folded) VALUES ('delete', old.id, "
               "old.folded); END")
    db.execute("CREATE TRIGGER folded_trigrams_au AFTER UPDATE ON terms BEGIN INSERT INTO "
               "folded_trigrams (folded_trigrams, rowid, folded) VALUES ('delete', old.id, "
               "old.folded); INSERT INTO folded_trigrams (rowid, folded) VALUES (new.id, "
               "new.folded); END")

LOAD_STEP = "m002_indexes_and_search"


def missing(db: Database) -> list[str]:
    """Migrations this code expects that the database lacks (empty when current)."""
    return [m.name for m in bank.pending(db)]


# What people write (proposals, decisions, comments, reviewer accounts) lives in
# its own mutable database, so rebuilding the bank never loses it. Rows are
# append-only: triggers refuse UPDATE and DELETE, and a proposal's state is
# the latest of its events.
proposals = Migrations("termbank-proposals")
APPEND_ONLY = ("proposals", "events", "comments")


@proposals()
def p001_proposals_and_events(db: Database) -> None:
    db.table("proposals").create(
        {"id": int, "concept_id": str, "tag": str, "term": str, "note": str, "name": str,
         "actor_id": str, "origin": str, "detected_language": str, "detected_probability": float,
         "language_warning": int, "duplicate_of": str, "created_at": str},
        pk="id", not_null={"concept_id", "tag", "term", "origin", "created_at"})
    db.table("events").create(
        {"id": int, "proposal_id": int, "kind": str, "actor_id": str, "comment": str,
         "created_at": str},
        pk="id", not_null={"proposal_id", "kind", "created_at"},
        foreign_keys=[("proposal_id", "proposals", "id")])
    db.table("comments").create(
        {"id": int, "concept_id": str, "tag": str, "proposal_id": int, "author": str,
         "actor_id": str, "text": str, "created_at": str},
        pk="id", not_null={"concept_id", "text", "created_at"})
    db.table("reviewers").create(
        {"id": str, "name": str, "password_hash": str, "languages": str, "created_at": str},
        pk="id")
    db.table("proposals").create_index(["concept_id", "tag"])
    db.table("events").create_index(["proposal_id"])
    db.table("comments").create_index(["concept_id", "tag"])
    for table in APPEND_ONLY:
        for action in ("UPDATE", "DELETE"):
            db.execute(
                f"CREATE TRIGGER [{table}_no_{action.lower()}] BEFORE {action} ON [{table}] "
                f"BEGIN SELECT RAISE(ABORT, '{table} are append-only: nothing is "
                f"{'changed' if action == 'UPDATE' else 'deleted'}'); END")
    db.execute("""
        CREATE VIEW proposal_state AS
        SELECT p.*, coalesce(e.kind, 'pending') AS state, e.actor_id AS decided_by,
               e.comment AS decision_comment, e.created_at AS decided_at
        FROM proposals p LEFT JOIN events e ON e.id = (
          SELECT max(id) FROM events WHERE proposal_id = p.id AND kind IN ('approved', 'rejected'))
    """)


@proposals()
def p002_approved_terms(db: Database) -> None:
    """Each approved proposal as a term row, keyed like the bank's ``terms``.

    Lookups read these rows beside the built bank (``Bank(path, proposals=...)``),
    so an approval shows at once, without a rebuild; the fold and stem keys are
    computed once here rather than on every lookup. Proposals approved before
    this step existed are filled in.
    """
    db.table("approved_terms").create(
        {"proposal_id": int, "concept_id": str, "tag": str, "language": str, "text": str,
         "status": str, "type": str, "note": str, "status_reason": str, "case_sensitive": int,
         "origin": str, "review": str, "reviewers": str, "reviewed_on": str, "reliability": int,
         "folded": str, "stem": str, "approved_at": str},
        pk="proposal_id", not_null={"concept_id", "tag", "text", "status", "folded", "stem"},
        foreign_keys=[("proposal_id", "proposals", "id")])
    for columns in (["folded"], ["stem"], ["concept_id", "tag"]):
        db.table("approved_terms").create_index(columns)
    for action in ("UPDATE", "DELETE"):
        db.execute(
            f"CREATE TRIGGER [approved_terms_no_{action.lower()}] BEFORE {action} ON approved_terms "
            "BEGIN SELECT RAISE(ABORT, 'approved_terms are append-only: nothing is "
            f"{'changed' if action == 'UPDATE' else 'deleted'}'); END")
    _match_key_functions(db)
    db.execute("""
        INSERT INTO approved_terms (proposal_id, concept_id, tag, language, text, status, type,
          note, status_reason, case_sensitive, origin, review, reviewers, reviewed_on, folded,
          stem, approved_at)
        SELECT p.id, p.concept_id, p.tag, termbank_language(p.tag), p.term, 'admitted',
               'full form', p.note, NULL, 0, 'proposal ' || p.id, 'reviewed',
               json_array(coalesce(r.name, s.decided_by)), substr(s.decided_at, 1, 10),
               termbank_fold(p.term), termbank_stem(p.term, termbank_language(p.tag)),
               s.decided_at
        FROM proposal_state s JOIN proposals p ON p.id = s.id
        LEFT JOIN reviewers r ON r.id = s.decided_by
        WHERE s.state = 'approved' ORDER BY p.id""")


def _match_key_functions(db: Database) -> None:
    """The match keys a backfill computes (the SQL around them is frozen in its migration):
    the folded text, the inflection key and a tag's language, as the bank's build makes them."""
    from . import langtags
    from .inflection import fold, stem

    db.conn.create_function("termbank_fold", 1, fold, deterministic=True)
    db.conn.create_function("termbank_stem", 2, stem, deterministic=True)
    db.conn.create_function("termbank_language", 1, langtags.language, deterministic=True)


@proposals()
def p003_confirmations(db: Database) -> None:
    """A second reviewer of the dialect confirms an approved term (their vote).

    The stored rows move to ``approved_term_rows``; ``approved_terms`` becomes a
    view that adds each confirmer to the term's reviewers and, with two
    reviewers, raises its reliability to 4 (IATE: very reliable), as the model
    derives it for a glossary term with two reviewers.
    """
    db.execute("ALTER TABLE approved_terms RENAME TO approved_term_rows")
    db.execute("""
        CREATE VIEW approved_terms AS
        SELECT a.proposal_id, a.concept_id, a.tag, a.language, a.text, a.status, a.type, a.note,
               a.status_reason, a.case_sensitive, a.origin, a.review,
               CASE WHEN c.names IS NULL THEN a.reviewers ELSE (
                 SELECT json_group_array(value) FROM (
                   SELECT value FROM json_each(a.reviewers)
                   UNION ALL SELECT value FROM json_each(c.names))) END AS reviewers,
               a.reviewed_on,
               CASE WHEN c.names IS NULL THEN a.reliability ELSE 4 END AS reliability,
               a.folded, a.stem, a.approved_at
        FROM approved_term_rows a LEFT JOIN (
          SELECT e.proposal_id, json_group_array(coalesce(r.name, e.actor_id)) AS names
          FROM events e LEFT JOIN reviewers r ON r.id = e.actor_id
          WHERE e.kind = 'confirmed' GROUP BY e.proposal_id) c ON c.proposal_id = a.proposal_id
    """)


@proposals()
def p004_reliability_from_the_model(db: Database) -> None:
    """``approved_terms`` without a reliability column: readers derive it with the model's
    rule (``model.reliability``) from the reviewers listed, as for every glossary term."""
    db.execute("DROP VIEW approved_terms")
    db.execute("""
        CREATE VIEW approved_terms AS
        SELECT a.proposal_id, a.concept_id, a.tag, a.language, a.text, a.status, a.type, a.note,
               a.status_reason, a.case_sensitive, a.origin, a.review,
               CASE WHEN c.names IS NULL THEN a.reviewers ELSE (
                 SELECT json_group_array(value) FROM (
                   SELECT value FROM json_each(a.reviewers)
                   UNION ALL SELECT value FROM json_each(c.names))) END AS reviewers,
               a.reviewed_on, a.folded, a.stem, a.approved_at
        FROM approved_term_rows a LEFT JOIN (
          SELECT e.proposal_id, json_group_array(coalesce(r.name, e.actor_id)) AS names
          FROM events e LEFT JOIN reviewers r ON r.id = e.actor_id
          WHERE e.kind = 'confirmed' GROUP BY e.proposal_id) c ON c.proposal_id = a.proposal_id
    """)


@proposals()
def p005_applied_files(db: Database) -> None:
    """What ``proposals apply`` wrote: per proposal, the glossary file (relative to the
    glossary folder), its SHA-256 after the write and the reviewers written. Apply reads it
    back as the base of its merge: a term it wrote that is no longer in the file was
    removed or renamed by a maintainer, and is not written again."""
    db.table("applied_files").create(
        {"id": int, "proposal_id": int, "path": str, "sha256": str, "reviewers": str,
         "applied_at": str},
        pk="id", not_null={"proposal_id", "path", "sha256", "applied_at"},
        foreign_keys=[("proposal_id", "proposals", "id")])
    db.table("applied_files").create_index(["proposal_id"])

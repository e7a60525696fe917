"""The migrations of the proposals database upgrade an old file with their own frozen SQL."""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database

from termbank import Bank, schema
from termbank.proposals import ProposalStore


def test_an_approval_made_before_approved_terms_existed_is_filled_in(bank_path, tmp_path):
    """A database from before p002: the backfill writes the approved proposal as a term row,
    and the bank reads it with the model's reliability (two reviewers after a confirmation)."""
    path = tmp_path / "proposals.db"
    old = Database(sqlite3.connect(path))
    schema.proposals.apply(old, stop_before="p002_approved_terms")
    old["reviewers"].insert({"id": "ana", "name": "Ana Ruiz", "languages": '["es"]'})
    old["proposals"].insert({"id": 1, "concept_id": "pixel", "tag": "es-AR", "term": "Puntos",
                             "origin": "web", "created_at": "2026-01-02T10:00:00+00:00"})
    old["events"].insert_all([
        {"proposal_id": 1, "kind": "submitted", "created_at": "2026-01-02T10:00:00+00:00"},
        {"proposal_id": 1, "kind": "approved", "actor_id": "ana",
         "created_at": "2026-01-03T09:30:00+00:00"}])
    old.close()

    store = ProposalStore(path)  # applies p002 onwards
    [row] = store.approved_terms()
    assert {k: row[k] for k in ("tag", "language", "text", "status", "origin", "review",
                                "reviewers", "reviewed_on", "folded")} == {
        "tag": "es-AR", "language": "es", "text": "Puntos", "status": "admitted",
        "origin": "proposal 1", "review": "reviewed", "reviewers": '["Ana Ruiz"]',
        "reviewed_on": "2026-01-03", "folded": "puntos"}
    assert "reliability" not in row  # derived by readers, never stored beside the rule
    store.db["reviewers"].insert({"id": "luis", "name": "Luis", "languages": '["es"]'})
    store.decide(1, "confirmed", "luis")
    store.close()
    with Bank(bank_path, proposals=path) as bank:
        [answer] = [a for a in bank.lookup("pixel", targets=["es-AR"])[0].translations["es-AR"]
                    if a.tag == "es-AR"]
    assert (answer.term, answer.reliability) == ("Puntos", 4)


def test_the_english_term_in_sql_is_the_models(bank):
    """``schema.english_term_sql`` (lookups, search, pages) names each concept as the model does."""
    concepts = list(bank.iter_concepts())
    assert concepts
    for concept in concepts:
        assert bank.english_term(concept.id) == concept.english.text


def test_readers_know_every_migration_of_the_bank():
    """``queries`` lists the migrations so that opening a bank needs no sqlite-utils."""
    from termbank import queries, schema

    assert tuple(m.name for m in schema.bank._migrations) == queries.BANK_MIGRATIONS
    assert schema.bank.name == queries.MIGRATION_SET

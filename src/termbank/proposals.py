"""Proposals: anyone suggests a term, a reviewer approves or rejects it.

Everything lives in ``proposals.db`` beside the bank (see ``schema.proposals``):
proposals and their events are append-only, so the history of every term
can be read back and nothing a contributor wrote is ever lost.
"""

from __future__ import annotations

import builtins
import json
import sqlite3
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlite_utils import Database

from . import langtags, schema
from .detection import detect
from .errors import TermbankError
from .inflection import fold, stem

if TYPE_CHECKING:
    from .bank import OpenBank
from .model import MAX_NAME, MAX_NOTE, MAX_TERM, PROPOSAL_ORIGIN, Provenance, Term
from .queries import PROPOSALS_DB as PROPOSALS_DB
from .queries import proposals_path

default_path = proposals_path  # where a bank's proposals live; readers ask termbank.queries
DECISIONS = ("approved", "rejected", "confirmed")
# Unicode's Bidi_Control characters: an unclosed override (U+202E) reverses what follows it
# on a page, so no proposal, note, name or comment may carry one.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                          "\u2066\u2067\u2068\u2069")
APPROVED_STATUS = "admitted"  # an approved proposal joins its tag beside, not over, the preferred term


class ProposalError(TermbankError):
    """A proposal or decision was refused; ``field`` names the input at fault."""

    def __init__(self, field: str, message: str, status: int = 400):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.status = status


@dataclass(frozen=True)
class Proposal:
    id: int
    concept_id: str
    tag: str
    term: str
    note: str | None
    name: str | None
    origin: str
    state: str
    language_warning: bool
    detected_language: str | None
    duplicate_of: str | None
    created_at: str
    decided_by: str | None = None
    decision_comment: str | None = None

    @classmethod
    def from_row(cls, row: dict) -> Proposal:
        return cls(row["id"], row["concept_id"], row["tag"], row["term"], row["note"],
                   row["name"], row["origin"], row["state"], bool(row["language_warning"]),
                   row["detected_language"], row["duplicate_of"], row["created_at"],
                   row.get("decided_by"), row.get("decision_comment"))


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def required(field: str, value: str | None, limit: int) -> str:
    """``clean`` text that must be given."""
    text = clean(field, value, limit)
    if text is None:
        raise ProposalError(field, "is empty")
    return text


def clean(field: str, value: str | None, limit: int) -> str | None:
    """Trimmed text without control characters, within ``limit`` characters; None when empty."""
    value = (value or "").strip()
    if not value:
        return None
    if len(value) > limit:
        raise ProposalError(field, f"is {len(value)} characters long; the limit is {limit}")
    if any(unicodedata.category(c) == "Cc" and c != "\n" for c in value):
        raise ProposalError(field, "contains a control character")
    bidi = next((c for c in value if c in BIDI_CONTROLS), None)
    if bidi is not None:
        raise ProposalError(field, f"contains the bidirectional control character "
                                   f"U+{ord(bidi):04X}, which reorders the text shown after it; "
                                   "remove it")
    return value


class ProposalStore:
    """The mutable database of proposals, decisions, comments and reviewers."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        conn = sqlite3.connect(str(self.path), timeout=30, check_same_thread=False,
                               isolation_level=None)
        self.db = Database(conn)
        self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute("PRAGMA busy_timeout = 30000")
        schema.proposals.apply(self.db)

    def close(self) -> None:
        self.db.close()

    def submit(self, *, concept: str, tag: str, term: str, note: str | None = None,
               name: str | None = None, origin: str = "web", actor_id: str | None = None,
               bank: OpenBank | None = None) -> Proposal:
        """Store a draft proposal with its language verdict and duplicate check."""
        row = self._row(concept, tag, term, note, name, origin, actor_id, bank)
        with self.transaction():
            proposal_id = self._insert(row)
        return self.get(proposal_id)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction (BEGIN IMMEDIATE): everything in it is stored, or nothing."""
        with self.db.conn:  # autocommit connection: BEGIN makes one transaction of the rows
            self.db.conn.execute("BEGIN IMMEDIATE")
            yield

    def submit_new(self, *, concept: str, tag: str, term: str, origin: str,
                   note: str | None = None, bank: OpenBank | None = None) -> int | None:
        """Inside ``transaction()``: store a draft unless this origin proposed the same term
        of the same concept and tag before (imports run twice add nothing); its id, or None."""
        row = self._row(concept, tag, term, note, None, origin, None, bank)
        seen = self.db.conn.execute(
            "SELECT 1 FROM proposals WHERE concept_id = ? AND tag = ? AND term = ? AND origin = ?",
            [row["concept_id"], row["tag"], row["term"], origin]).fetchone()
        return None if seen else self._insert(row)

    def _row(self, concept: str, tag: str, term: str, note: str | None, name: str | None,
             origin: str, actor_id: str | None, bank: OpenBank | None) -> dict:
        """The checked row of a new proposal, with its language verdict and duplicate."""
        term_text = required("term", term, MAX_TERM)
        if "\n" in term_text:
            raise ProposalError("term", "a term is one line")
        try:
            tag = langtags.normalize(tag)
        except TermbankError as exc:
            raise ProposalError("tag", str(exc)) from None
        duplicate = None
        if bank is not None:
            if bank.concept_exists(concept) is False:
                raise ProposalError("concept", f"no concept {concept!r} in the bank", 404)
            duplicate = _duplicate(bank, concept, tag, term_text)
        verdict = detect(term_text, bank.languages if bank is not None else None)
        return {"concept_id": concept, "tag": tag, "term": term_text,
                "note": clean("note", note, MAX_NOTE), "name": clean("name", name, MAX_NAME),
                "actor_id": actor_id, "origin": origin,
                "detected_language": verdict.language,
                "detected_probability": verdict.probability,
                "language_warning": int(verdict.disagrees_with(langtags.language(tag))),
                "duplicate_of": duplicate, "created_at": now()}

    def _insert(self, row: dict) -> int:
        """The proposal and its "submitted" event (inside a transaction)."""
        cursor = self.db.conn.execute(
            "INSERT INTO proposals ({}) VALUES ({})".format(
                ", ".join(row), ", ".join("?" * len(row))), list(row.values()))
        proposal_id = int(cursor.lastrowid or 0)
        self.db.conn.execute(
            "INSERT INTO events (proposal_id, kind, actor_id, created_at) VALUES (?, ?, ?, ?)",
            [proposal_id, "submitted", row["actor_id"], row["created_at"]])
        return proposal_id

    def get(self, proposal_id: int) -> Proposal:
        rows = list(self.db.query("SELECT * FROM proposal_state WHERE id = ?", [proposal_id]))
        if not rows:
            raise ProposalError("proposal", f"no proposal {proposal_id}", 404)
        return Proposal.from_row(rows[0])

    def list(self, state: str | None = None, concept: str | None = None
             ) -> builtins.list[Proposal]:
        where, params = [], []
        if state:
            where.append("state = ?")
            params.append(state)
        if concept:
            where.append("concept_id = ?")
            params.append(concept)
        sql = "SELECT * FROM proposal_state" + (" WHERE " + " AND ".join(where) if where else "")
        return [Proposal.from_row(r) for r in self.db.query(sql + " ORDER BY id", params)]

    def decide(self, proposal_id: int, decision: str, reviewer: str,
               comment: str | None = None) -> Proposal:
        """Record an approval or rejection; a decided proposal cannot be decided again."""
        if decision not in DECISIONS:
            raise ProposalError("decision", f"must be one of {', '.join(DECISIONS)}")
        comment = clean("comment", comment, MAX_NOTE)
        with self.db.conn:
            self.db.conn.execute("BEGIN IMMEDIATE")
            proposal = self.get(proposal_id)
            if decision == "confirmed":
                self._check_confirmation(proposal, reviewer)
            elif proposal.state != "pending":
                raise ProposalError("proposal", f"proposal {proposal_id} is already {proposal.state}",
                                    409)
            decided_at = now()
            self.db.conn.execute(
                "INSERT INTO events (proposal_id, kind, actor_id, comment, created_at) "
                "VALUES (?, ?, ?, ?, ?)", [proposal_id, decision, reviewer, comment, decided_at])
            if decision == "approved":
                row = approved_term_row(self.db.table("proposals").get(proposal_id),
                                        self._reviewer_name(reviewer), decided_at)
                self.db.conn.execute("INSERT INTO approved_term_rows ({}) VALUES ({})".format(
                    ", ".join(row), ", ".join("?" * len(row))), list(row.values()))
        return self.get(proposal_id)

    def _check_confirmation(self, proposal: Proposal, reviewer: str) -> None:
        """A confirmation is a second reviewer's vote on an approved proposal."""
        if proposal.state != "approved":
            raise ProposalError("proposal", f"proposal {proposal.id} is {proposal.state}; only an "
                                "approved proposal can be confirmed", 409)
        if reviewer in self.voters(proposal.id):
            raise ProposalError("reviewer", f"{reviewer} has already approved or confirmed "
                                f"proposal {proposal.id}; a second reviewer must confirm it", 409)

    def _reviewer_name(self, reviewer: str) -> str:
        """The name a glossary file records for a reviewer account (its id if it has none)."""
        row = self.db.conn.execute("SELECT name FROM reviewers WHERE id = ?", [reviewer]).fetchone()
        return (row[0] if row else None) or reviewer

    def approved_terms(self) -> builtins.list[dict]:
        """Every approved proposal as a term row, oldest first (what ``proposals apply`` writes)."""
        return list(self.db.query("SELECT * FROM approved_terms ORDER BY proposal_id"))

    def applied(self, proposal_id: int) -> dict | None:
        """What ``proposals apply`` last wrote for a proposal (file, SHA-256, reviewers)."""
        rows = list(self.db.query("SELECT * FROM applied_files WHERE proposal_id = ? "
                                  "ORDER BY id DESC LIMIT 1", [proposal_id]))
        return rows[0] if rows else None

    def record_applied(self, proposal_id: int, path: str, sha256: str, reviewers: str) -> None:
        """Remember that ``proposals apply`` wrote a proposal into ``path`` (the merge base)."""
        self.db.conn.execute(
            "INSERT INTO applied_files (proposal_id, path, sha256, reviewers, applied_at) "
            "VALUES (?, ?, ?, ?, ?)", [proposal_id, path, sha256, reviewers, now()])

    def voters(self, proposal_id: int) -> set[str]:
        """The reviewers who approved or confirmed a proposal (each votes once)."""
        return {e["actor_id"] for e in self.history(proposal_id)
                if e["kind"] in ("approved", "confirmed")}

    def history(self, proposal_id: int) -> builtins.list[dict]:
        return list(self.db.query(
            "SELECT kind, actor_id, comment, created_at FROM events WHERE proposal_id = ? "
            "ORDER BY id", [proposal_id]))


def _duplicate(bank: OpenBank, concept: str, tag: str, term: str) -> str | None:
    """The existing term of this concept and tag that the proposal repeats, if any."""
    key = {"concept": concept, "tag": tag, "folded": fold(term)}
    where = "WHERE concept_id = :concept AND tag = :tag AND folded = :folded"
    sql = f"SELECT text FROM terms {where}"
    if bank.overlay:  # an approved proposal counts as a term already
        sql += f" UNION ALL SELECT text FROM proposals.approved_terms {where}"
    row = bank.conn.execute(sql, key).fetchone()
    return row[0] if row else None


def approved_term_row(proposal: dict, reviewer_name: str, decided_at: str) -> dict:
    """The ``approved_terms`` row of an approved proposal: a reviewed term, by whom and when.

    No reliability is stored: readers derive it with the model's rule from the
    reviewers listed, so the lookup answers the same before and after
    ``proposals apply`` and a rebuild, and a confirmation raises it at once.
    """
    provenance = Provenance(PROPOSAL_ORIGIN.format(id=proposal["id"]), "reviewed", (reviewer_name,),
                            decided_at[:10])
    term = Term(proposal["term"], proposal["tag"], APPROVED_STATUS, note=proposal["note"],
                provenance=provenance)
    language = langtags.language(term.tag)
    return {"proposal_id": proposal["id"], "concept_id": proposal["concept_id"], "tag": term.tag,
            "language": language, "text": term.text, "status": term.status, "type": term.type,
            "note": term.note, "status_reason": None, "case_sensitive": 0,
            "origin": provenance.origin, "review": provenance.review,
            "reviewers": json.dumps(list(provenance.reviewers)),
            "reviewed_on": provenance.reviewed_on,
            "folded": fold(term.text), "stem": stem(term.text, language), "approved_at": decided_at}

"""Discussion: one thread per concept and language tag, where proposers and reviewers talk.

Comments live in the ``comments`` table of the proposals database, beside the
proposals they are about; like proposals they are append-only, so a thread
is never edited or deleted, only added to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import langtags
from .errors import TermbankError
from .model import MAX_NAME, MAX_NOTE
from .proposals import ProposalError, ProposalStore, clean, now, required

if TYPE_CHECKING:
    from .bank import OpenBank


@dataclass(frozen=True)
class Comment:
    id: int
    concept_id: str
    tag: str
    text: str
    author: str | None
    actor_id: str | None
    proposal_id: int | None
    created_at: str

    def to_json(self) -> dict:
        return {"id": self.id, "concept": self.concept_id, "tag": self.tag, "text": self.text,
                "author": self.author, "reviewer": self.actor_id, "proposal": self.proposal_id,
                "created_at": self.created_at}


def thread_key(bank: OpenBank, concept: str, tag: str) -> tuple[str, str]:
    """The concept id and normalised tag of a thread; 404 for an unknown concept, 400 for a bad tag."""
    try:
        tag = langtags.normalize(tag)
    except TermbankError as exc:
        raise ProposalError("tag", str(exc)) from None
    if bank is not None and not bank.concept_exists(concept):
        raise ProposalError("concept", f"no concept {concept!r} in the bank", 404)
    return concept, tag


def post(store: ProposalStore, *, concept: str, tag: str, text: str, author: str | None = None,
         actor_id: str | None = None, proposal_id: int | None = None, bank=None) -> Comment:
    """Add a comment to the thread of ``concept`` in ``tag`` (a signed-in reviewer's carries their id)."""
    concept, tag = thread_key(bank, concept, tag)
    body = required("text", text, MAX_NOTE)
    if proposal_id is not None:
        store.get(proposal_id)  # 404 when it does not exist
    cursor = store.db.conn.execute(
        "INSERT INTO comments (concept_id, tag, proposal_id, author, actor_id, text, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [concept, tag, proposal_id, clean("name", author, MAX_NAME), actor_id, body, now()])
    return _comment(store.db.conn.execute(f"SELECT {_COLUMNS} FROM comments WHERE id = ?",
                                          [cursor.lastrowid]).fetchone())


def thread(store: ProposalStore, concept: str, tag: str) -> list[Comment]:
    """The comments on ``concept`` in ``tag``, oldest first."""
    rows = store.db.conn.execute(
        f"SELECT {_COLUMNS} FROM comments WHERE concept_id = ? AND tag = ? ORDER BY id",
        [concept, tag])
    return [_comment(row) for row in rows]


_COLUMNS = "id, concept_id, tag, text, author, actor_id, proposal_id, created_at"


def _comment(row) -> Comment:
    return Comment(*row)

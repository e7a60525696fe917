"""Bring a translated catalogue or a colleague's termbase back as draft proposals.

An import never edits the bank or the glossary: every term the file adds
becomes a draft proposal in the bank's proposals database (``$TERMBANK_PROPOSALS``, else
``proposals.db`` beside the bank, as for every other reader), for a reviewer
to approve or reject, so a reviewed term is never overwritten (a proposal
that differs from one says so).

An import is all or nothing and idempotent: the file is streamed (memory
does not grow with its rows) into one transaction, so a malformed row, an
error or a killed process stores nothing; and a term this file proposed
before (same concept, tag, term and origin ``import:NAME``) is not proposed
again, so importing the same file twice adds nothing.

Concepts are matched by id, else by their preferred term in the source
language (English unless told otherwise) when exactly one concept of the
bank has it; ``targets`` narrows the import to some tags; terms the bank
already records are "unchanged"; deprecated and forbidden forms in the file
are listed but not proposed (a proposal is a term to use).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from . import langtags
from .bank import Bank
from .errors import SourceError
from .formats import Format
from .model import MAX_TERM, Concept, Term


@dataclass(frozen=True)
class Change:
    """What importing one term of the file does (or would do)."""

    action: str          # "propose", "unchanged", "skip"
    concept: str | None
    tag: str
    term: str
    line: int | None
    detail: str = ""

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        detail = f" ({self.detail})" if self.detail else ""
        return f"{self.action:<9} {where}{self.concept or '?'} [{self.tag}] {self.term}{detail}"


def read(path: Path, fmt: Format) -> Iterator[Concept]:
    """The concepts of the file, as the reader streams them (errors surface as they come)."""
    if fmt.read is None:
        raise SourceError.at(str(path), None, None, f"{fmt.name} files cannot be imported")
    with open(path, "rb") as fp:
        yield from fmt.read(fp, name=str(path))


def plan(bank: Bank, concepts: Iterable[Concept], source: str = "en",
         targets: Iterable[str] | None = None) -> Iterator[Change]:
    """The change each term of the file makes, in file order, without storing anything.

    ``source`` is the language whose preferred term identifies a concept that has no id
    the bank knows; ``targets``, when given, are the only tags whose terms are considered.
    A term repeated within a concept's entry is planned once (repeats elsewhere in the
    file are caught when stored).
    """
    source = langtags.normalize(source)
    wanted = None if targets is None else {langtags.normalize(t) for t in targets}
    known: dict[str, Concept | None] = {}   # bounded by the bank's concepts
    for concept in concepts:
        target = _match(bank, concept, source)
        if target and target not in known:
            known[target] = bank.concept(target)
        seen: set[tuple[str, str]] = set()
        for term in concept.terms:
            if (wanted is not None and term.tag not in wanted) or (term.tag, term.text) in seen:
                continue
            seen.add((term.tag, term.text))
            yield _change(target, known.get(target) if target else None, term, concept)


def _match(bank: Bank, concept: Concept, source: str) -> str | None:
    if concept.id and bank.concept_exists(concept.id):
        return concept.id
    named = concept.preferred(source)
    if named is None:
        return None
    found = [m.concept for m in bank.lookup(named.text, source=source, targets=[source])
             if m.how in ("exact", "folded")]
    return found[0] if len(found) == 1 else None


def _change(target: str | None, known: Concept | None, term: Term, concept: Concept) -> Change:
    def change(action: str, detail: str = "") -> Change:
        return Change(action, target, term.tag, term.text, term.line, detail)

    if known is None:
        return change("skip", f"no concept in the bank for {concept.id or 'this entry'}")
    if any(t.tag == term.tag and t.text == term.text for t in known.terms):
        return change("unchanged")
    if not term.accepted:
        return change("skip", f"{term.status} forms are not proposed")
    if len(term.text) > MAX_TERM:
        return change("skip", f"longer than {MAX_TERM} characters")
    reviewed = [t.text for t in known.terms_in(term.tag) if t.provenance.review == "reviewed"]
    return change("propose", f"reviewed {', '.join(reviewed)} stays" if reviewed else "")


def submit(bank: Bank, changes: Iterable[Change], origin: str, store=None) -> tuple[int, int]:
    """Store the proposals of ``changes`` as drafts in one transaction; returns how many were
    stored and how many this origin had proposed already. They go to ``store`` (an open
    ``ProposalStore``), else where every reader looks ($TERMBANK_PROPOSALS, else
    proposals.db beside the bank)."""
    from .proposals import ProposalStore, default_path

    own = store is None
    if own:
        store = ProposalStore(default_path(bank.path))
    try:
        stored = again = 0
        with store.transaction():
            for change in changes:
                if change.action == "propose" and change.concept is not None:
                    new = store.submit_new(concept=change.concept, tag=change.tag,
                                           term=change.term, note=change.detail or None,
                                           origin=origin, bank=bank)
                    stored, again = (stored + 1, again) if new else (stored, again + 1)
        return stored, again
    finally:
        if own:
            store.close()

"""Candidates for reviewers: forms human translators use for a concept that the bank lacks.

A candidate is a label form (``facts`` kind "label") of a concept in a
catalogue tag whose key matches no term of that concept on the tag's
fallback chain, so a lookup in that dialect could not answer with it. Its
spellings are grouped by the matcher's key and the most used one names it;
a label capitalised only because it starts a menu item ("Exposición") is
lower-cased when the concept's English term is ("exposure").

``propose`` files candidates as draft proposals in the proposals database,
each once: a proposal of the same concept, tag and folded term (in any
state) is never filed again.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from .. import langtags
from ..inflection import fold
from .linking import key


@dataclass(frozen=True)
class Source:
    project: str
    package: str
    version: str
    count: int


@dataclass(frozen=True)
class Candidate:
    """A form used ``count`` times for ``concept`` in ``tag``, as the translation of the
    English term ``english`` (the one most often translated so)."""

    concept: str
    english: str
    tag: str
    term: str
    count: int
    sources: tuple[Source, ...]

    @property
    def origin(self) -> str:
        """The source packages, as a proposal's origin."""
        packages = dict.fromkeys(f"{s.package} {s.version}".strip() for s in self.sources)
        return "evidence: " + ", ".join(packages)

    @property
    def note(self) -> str:
        return ("Used by human translators: "
                + ", ".join(f"{s.project} {self.tag} ×{s.count}" for s in self.projects()) + ".")

    def projects(self) -> list[Source]:
        """Counts summed per project (packages and versions merged), most used first."""
        counts: dict[str, int] = defaultdict(int)
        for s in self.sources:
            counts[s.project] += s.count
        return [Source(p, "", "", n) for p, n in sorted(counts.items(), key=lambda i: (-i[1], i[0]))]

    def to_json(self) -> dict:
        return {"concept": self.concept, "english": self.english, "tag": self.tag,
                "term": self.term, "count": self.count,
                "sources": [{"source": s.project, "package": s.package, "version": s.version,
                             "count": s.count} for s in self.sources]}


def candidates(bank, tag: str | None = None, min_count: int = 1) -> list[Candidate]:
    """Every candidate of the bank's attestations (in ``tag`` only, if given), by concept."""
    tag = langtags.normalize(tag) if tag else None
    known = _known_keys(bank)
    groups: dict[tuple[str, str, str], list] = defaultdict(list)
    sql = ("SELECT concept_id, tag, key, term, project, package, version, count, english "
           "FROM attestations WHERE kind = 'label'" + (" AND tag = ?" if tag else "")
           + " ORDER BY concept_id, tag, key, project, package, version, term, english")
    for row in bank.conn.execute(sql, [tag] if tag else []):
        cid, row_tag, form_key = row[0], row[1], row[2]
        chain = langtags.fallback_chain(row_tag)
        if any((cid, t, form_key) in known for t in chain):
            continue
        groups[(cid, row_tag, form_key)].append(row)
    found = [_candidate(rows) for rows in groups.values()]
    return [c for c in found if c.count >= min_count]


def _known_keys(bank) -> set[tuple[str, str, str]]:
    """(concept, tag, key) of every term of the bank, under the matcher's key."""
    return {(cid, t, key(text, t)) for cid, t, text in
            bank.conn.execute("SELECT concept_id, tag, text FROM terms")}


def _candidate(rows) -> Candidate:
    spellings: dict[str, int] = defaultdict(int)
    englishes: dict[str, int] = defaultdict(int)
    sources: dict[tuple[str, str, str], int] = defaultdict(int)
    for row in rows:
        spellings[row[3]] += row[7]
        englishes[row[8]] += row[7]
        sources[(row[4], row[5], row[6])] += row[7]
    form = max(spellings, key=lambda s: (spellings[s], s))
    english = max(englishes, key=lambda s: (englishes[s], s))
    return Candidate(rows[0][0], english, rows[0][1], sentence_case(form, english),
                     sum(spellings.values()),
                     tuple(Source(p, pkg, v, n) for (p, pkg, v), n in sorted(sources.items())))


def sentence_case(form: str, english: str) -> str:
    """A label's capital dropped when only the first letter has one and the English term has
    none ("Exposición" -> "exposición"); acronyms and names keep theirs."""
    first = form.split()[0] if form.split() else form
    if english[:1].islower() and first[:1].isupper() and first[1:].islower():
        return form[0].lower() + form[1:]
    return form


def propose(bank, found: list[Candidate], proposals_path: Path) -> tuple[int, int]:
    """File candidates as draft proposals, each once; returns (filed, already there)."""
    from ..proposals import ProposalStore

    store = ProposalStore(proposals_path)
    try:
        existing = {(r[0], r[1], fold(r[2])) for r in store.db.execute(
            "SELECT concept_id, tag, term FROM proposals").fetchall()}
        filed = 0
        for c in found:
            if (c.concept, c.tag, fold(c.term)) in existing:
                continue
            store.submit(concept=c.concept, tag=c.tag, term=c.term, note=c.note,
                         origin=c.origin, bank=bank)
            existing.add((c.concept, c.tag, fold(c.term)))
            filed += 1
        return filed, len(found) - filed
    finally:
        store.close()


def as_json(found: list[Candidate]) -> str:
    return json.dumps([c.to_json() for c in found], ensure_ascii=False, indent=2)

"""Attestations joined to the bank's terms when the bank is built.

A fact (``facts.Fact``) names a form as translators wrote it; it belongs to
a bank term of its concept when both have the same key (``inflection.singular``:
case, diacritics and the regular plural undone, as the matcher reads them)
and the term's tag lies on the fallback chain of the catalogue's tag: an
``es`` term is attested by Mexican and Spanish catalogues alike, an ``es-MX``
term only by Mexican ones. Conflicts name no form and attach to no term.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import replace
from functools import lru_cache

from .. import langtags
from ..inflection import singular
from ..model import Attestation, Concept, Term
from .communities import family
from .facts import Fact

ATTACHED = ("label", "support")


class Evidence:
    """The facts of one run, grouped by concept for joining to terms."""

    def __init__(self, facts: Iterable[Fact], known: set[str] | None = None):
        self.by_concept: dict[str, list[Fact]] = defaultdict(list)
        self.left_out = 0
        for fact in facts:
            if known is not None and fact.concept not in known:
                self.left_out += 1
            else:
                self.by_concept[fact.concept].append(fact)

    def attach(self, concepts: Iterable[Concept]) -> Iterator[Concept]:
        """Each concept with its terms' attestations filled in."""
        for concept in concepts:
            facts = self.by_concept.get(concept.id)
            if not facts:
                yield concept
                continue
            terms = tuple(replace(t, attested=attested(t, facts)) for t in concept.terms)
            yield replace(concept, terms=terms)

    def rows(self) -> Iterator[dict]:
        """The ``attestations`` table's rows, in the file's order, with each form's key."""
        for facts in self.by_concept.values():
            for f in facts:
                yield {"concept_id": f.concept, "tag": f.tag, "english": f.english,
                       "term": f.term, "kind": f.kind,
                       "project": f.project, "package": f.package, "version": f.version,
                       "count": f.count, "key": key(f.term, f.tag)}


def attested(term: Term, facts: list[Fact]) -> tuple[Attestation, ...]:
    """``term``'s attestations among its concept's facts, summed per project, tag and kind."""
    own = key(term.text, term.tag)
    language = langtags.language(term.tag)
    counts: dict[tuple[str, str, str], int] = defaultdict(int)
    for f in facts:
        if (f.kind in ATTACHED and langtags.language(f.tag) == language
                and term.tag in langtags.fallback_chain(f.tag) and key(f.term, f.tag) == own):
            counts[(f.project, f.tag, f.kind)] += f.count
    found = [Attestation(p, tag, n, kind, family(p)) for (p, tag, kind), n in counts.items()]
    return tuple(sorted(found, key=lambda a: (-a.count, a.source, a.tag, a.kind)))


@lru_cache(maxsize=65536)
def key(text: str, tag: str) -> str:
    """The matcher's key of a form in ``tag``'s language."""
    return singular(text, langtags.language(tag))


def term_rows(concept: Concept) -> Iterator[dict]:
    """The ``term_attestations`` rows of a concept's terms (by position, as in ``terms``)."""
    for position, term in enumerate(concept.terms):
        for a in term.attested:
            yield {"concept_id": concept.id, "position": position, "source": a.source,
                   "tag": a.tag, "kind": a.kind, "count": a.count, "family": a.family}


def from_rows(rows: Iterable) -> tuple[Attestation, ...]:
    """Attestations read back from ``term_attestations`` rows."""
    return tuple(Attestation(r["source"], r["tag"], r["count"], r["kind"], r["family"])
                 for r in rows)

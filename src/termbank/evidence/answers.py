"""Evidence in every answer: who uses a term, and whether a dialect's translators contradict it.

An answer for a requested dialect shows the attestations from catalogues of
the tags on that dialect's fallback chain (an ``es-MX`` answer shows Mexican,
Latin American and general Spanish catalogues, not Spain's); a term in
``variants`` shows all of its own.

A term is *contradicted* in a tag when human translators of that tag
consistently use another form: at least ``MIN_LABELS`` label pairs of the
concept's preferred English term in exactly that tag (a label "Image" says
how translators render "image", not "digital image"), one other form
holding at least two thirds of them (not one of the term's own words:
"Fondo" for "señal de fondo" is its short form, not another form), and this
term used in none of them, neither as a label nor in a translated sentence.
Only accepted full forms and phrases are flagged: deprecated and forbidden
forms are expected to go unused, and an abbreviation ("DP") renders the
English abbreviation, not the preferred term the labels translate.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from typing import NamedTuple

from .. import langtags
from ..model import ACCEPTED_STATUSES, Attestation
from .linking import key

MIN_LABELS = 3
SHORT_TYPES = ("abbreviation", "acronym", "short form")  # they render the short English form
SHARE = 2 / 3


class Use(NamedTuple):
    """A term's attestations in one project and tag: ``count`` pairs, ``labels`` of them labels."""

    source: str
    tag: str
    count: int  # type: ignore[assignment]  # the TSV column; shadows tuple.count on purpose
    labels: int

    def to_json(self) -> dict:
        return {"source": self.source, "tag": self.tag, "count": self.count, "labels": self.labels}


class Contradiction(NamedTuple):
    """Translators of ``tag`` use ``used`` in ``count`` of their ``total`` label pairs."""

    tag: str
    used: str
    count: int  # type: ignore[assignment]  # the TSV column; shadows tuple.count on purpose
    total: int

    def to_json(self) -> dict:
        return {"tag": self.tag, "used": self.used, "count": self.count, "total": self.total}


@dataclass
class ConceptEvidence:
    """What the bank knows of the matched concepts' evidence, read in two queries."""

    terms: dict[tuple[str, str, str], tuple[Attestation, ...]]   # (concept, tag, text) -> uses
    # (concept, tag) -> key -> (form, n): translations of the preferred English term as a label
    labels: dict[tuple[str, str], dict[str, tuple[str, int]]]

    @classmethod
    def read(cls, conn, concept_ids: list[str]) -> ConceptEvidence:
        marks = ",".join("?" * len(concept_ids))
        terms: dict[tuple[str, str, str], list[Attestation]] = defaultdict(list)
        for r in conn.execute(
                "SELECT t.concept_id, t.tag AS term_tag, t.text, a.source, a.tag, a.kind, a.count, "
                "a.family FROM term_attestations a JOIN terms t ON t.concept_id = a.concept_id "
                f"AND t.position = a.position WHERE a.concept_id IN ({marks}) "
                "ORDER BY a.concept_id, a.position, a.rowid", concept_ids):
            terms[(r[0], r[1], r[2])].append(Attestation(r[3], r[4], r[6], r[5], r[7]))
        labels: dict[tuple[str, str], dict[str, tuple[str, int]]] = defaultdict(dict)
        for r in conn.execute(
                "SELECT concept_id, tag, key, term, sum(count) AS n FROM attestations a "
                f"WHERE kind = 'label' AND concept_id IN ({marks}) AND english = (SELECT text "
                "FROM terms t WHERE t.concept_id = a.concept_id AND t.tag = 'en' "
                "AND t.status = 'preferred') "
                "GROUP BY concept_id, tag, key, term ORDER BY n DESC, term", concept_ids):
            forms = labels[(r[0], r[1])]
            form, n = forms.get(r[2], (r[3], 0))   # the most used spelling names the form
            forms[r[2]] = (form, n + r[4])
        return cls({k: tuple(v) for k, v in terms.items()}, dict(labels))


def with_evidence(match, evidence: ConceptEvidence):
    """``match`` with ``attested`` and ``contradicted`` filled in on every answer."""
    cid = match.concept
    translations = {tag: [_answer(cid, a, tag, evidence, True) for a in answers]
                    for tag, answers in match.translations.items()}
    variants = {tag: [_answer(cid, a, tag, evidence, False) for a in answers]
                for tag, answers in match.variants.items()}
    return replace(match, translations=translations, variants=variants)


def _answer(concept: str, answer, requested: str, evidence: ConceptEvidence, chained: bool):
    found = evidence.terms.get((concept, answer.tag, answer.term), ())
    if chained:
        chain = set(langtags.fallback_chain(requested))
        found = tuple(a for a in found if a.tag in chain)
    uses = uses_of(found)
    contradicted = None
    if answer.status in ACCEPTED_STATUSES and answer.type not in SHORT_TYPES:
        contradicted = contradiction(evidence.labels.get((concept, requested), {}),
                                     key(answer.term, answer.tag), requested,
                                     any(a.tag == requested for a in found))
    return replace(answer, attested=uses, contradicted=contradicted)


def uses_of(attestations) -> tuple[Use, ...]:
    """Attestations summed per project and tag, most used first."""
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for a in attestations:
        total = counts[(a.source, a.tag)]
        total[0] += a.count
        total[1] += a.count if a.kind == "label" else 0
    uses = [Use(s, t, n, labels) for (s, t), (n, labels) in counts.items()]
    return tuple(sorted(uses, key=lambda u: (-u.count, u.source, u.tag)))


def contradiction(labels: dict[str, tuple[str, int]], own: str, tag: str,
                  used_here: bool) -> Contradiction | None:
    """The rule of the module docstring, over one concept's label forms in one tag."""
    total = sum(n for _, n in labels.values())
    if total < MIN_LABELS or used_here or own in labels:
        return None
    form_key, (form, n) = max(labels.items(), key=lambda item: (item[1][1], item[1][0]))
    if n < SHARE * total or f" {form_key} " in f" {own} ":
        return None   # no consistent other form, or the term's own short form ("fondo")
    return Contradiction(tag, form, n, total)


def uses(bank, concept: str, tag: str, term: str) -> tuple[Use, ...]:
    """What human translators do with a proposed term: its uses (labels and sentences) in
    catalogues of its tag or of that tag's regional children, as for a term of the bank."""
    language = langtags.language(tag)
    found = [Attestation(project, t, n, kind) for project, t, kind, n in bank.conn.execute(
        "SELECT project, tag, kind, count FROM attestations WHERE concept_id = ? AND key = ? "
        "AND kind != 'conflict'", [concept, key(term, tag)])
        if langtags.language(t) == language and tag in langtags.fallback_chain(t)]
    return uses_of(found)

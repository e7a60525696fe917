"""``/-/dialects?family=es``: where the dialects of one language give different terms.

Every concept (of one subject field, if chosen) is answered in each dialect of
the family by the dialect rule; a concept shows when its dialects do not all
give the same answer. Dialects that agree share a box, so the page reads as a
map of where Spanish, French or Portuguese diverge, with who uses each term.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .. import langtags
from ..bank import OpenBank
from ..evidence.answers import ConceptEvidence, with_evidence
from ..fields import FIELD_IDS, SUBJECT_FIELDS
from ..lookup import Answer, translations
from .cards import DialectGroup, title
from .interface import DIALECTS, Refusal, page, render, translator
from .site import Site

FAMILIES = ("es", "fr", "pt")


@dataclass(frozen=True)
class Regional:
    """One concept's answers in a family's dialects (shaped for ``with_evidence``)."""

    concept: str
    translations: dict[str, list[Answer]]
    variants: dict[str, list[Answer]] = field(default_factory=dict)


@dataclass(frozen=True)
class Divergence:
    concept: str
    subject_field: str
    name: str
    english: str
    groups: list[DialectGroup]

    @property
    def name_tag(self) -> str:
        """The name's language: the family's, or English where the family has no term."""
        return "en" if self.name == self.english else self.groups[0].answers[0].tag


def family_dialects(bank: OpenBank, family: str) -> list[str]:
    """The family's tags: the usual dialects and every tag of the bank in that language."""
    return sorted(t for t in set(DIALECTS) | set(bank.tags) if langtags.language(t) == family)


def groups_of(answers: dict[str, list[Answer]], tags: list[str], family: str) -> list[DialectGroup]:
    """The family's dialects grouped by identical answers (as on a card)."""
    groups: dict[tuple, DialectGroup] = {}
    for tag in tags:
        key = tuple((a.term, a.tag, a.status) for a in answers[tag])
        if key in groups:
            groups[key].tags.append(tag)
        else:
            groups[key] = DialectGroup([tag], answers[tag],
                                       any(a.tag != family for a in answers[tag]))
    return list(groups.values())


def divergences(bank: OpenBank, family: str, subject_field: str | None
                ) -> tuple[list[Divergence], Counter, int]:
    """(the concepts whose dialects differ, how many differ per field, concepts compared)."""
    tags = family_dialects(bank, family)
    rows = bank.conn.execute("SELECT id, subject_field FROM concepts ORDER BY id").fetchall()
    fields = {r[0]: r[1] for r in rows}
    answered = translations(bank, list(fields), tags)
    differing = [cid for cid in fields if len({tuple((a.term, a.status) for a in answered[cid][t])
                                               for t in tags if answered[cid][t]}) > 1]
    per_field = Counter(fields[cid] for cid in differing)
    shown = [cid for cid in differing if subject_field in (None, fields[cid])]
    if not shown:
        return [], per_field, compared(fields, subject_field)
    evidence = ConceptEvidence.read(bank.conn, shown)
    out = []
    for cid in shown:
        regional = with_evidence(Regional(cid, answered[cid]), evidence)
        english = bank.english_term(cid) or cid
        out.append(Divergence(cid, fields[cid], title(answered[cid][family]) or english, english,
                              groups_of(regional.translations, tags, family)))
    return out, per_field, compared(fields, subject_field)


def compared(fields: dict[str, str], subject_field: str | None) -> int:
    return sum(1 for cid in fields if subject_field in (None, fields[cid]))


@page
async def dialects_page(request, datasette):
    """The family's divergences, filterable by subject field, counts first."""
    _ = translator(request)
    family = request.args.get("family") or "es"
    if family not in FAMILIES:
        raise Refusal(400, _("family: choose one of {families}").format(
            families=", ".join(FAMILIES)), "family")
    subject_field = request.args.get("field") or None
    if subject_field is not None and subject_field not in FIELD_IDS:
        raise Refusal(400, _("field: there is no subject field {field}").format(
            field=subject_field), "field")
    found, per_field, compared = await Site.of(datasette).read(
        lambda bank: divergences(bank, family, subject_field))
    return await render(datasette, request, "termbank_dialects.html", {
        "family": family, "families": FAMILIES, "subject_field": subject_field,
        "divergences": found, "per_field": per_field, "compared": compared,
        "fields": [f.id for f in SUBJECT_FIELDS], "dialect": family})

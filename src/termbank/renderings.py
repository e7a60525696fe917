"""A concept as a one-language export renders it: its source term and, for each target tag,
the terms the dialect rule answers with. Read from the bank set-based, or from the model.

The gettext, TMX and machine-translation writers need only this much of a concept, not
the whole model (every tag's terms, attestations, relations). On a bank, ``renderings``
reads it with one ordered cursor over the concepts joined to their English definition
and to the terms of the tags the export can use (the targets' and the source's fallback
chains, and English for do-not-translate names), as plain tuples, and applies the one
dialect rule (``dialects.resolve``) to each concept's few rows in the same pass. A
glossary held in memory (``Glossary.of``, as ``termbank locales`` makes from YAML) goes
through the model (``exporting.selected``, ``source_term``, ``dialect_terms``); both
give the same renderings, which the tests check.

Two narrower reads serve the gettext writers on a built bank: ``by_source_term`` gives one
target's renderings already sorted by source term (SQLite picks the source term and sorts,
so a PO catalogue is written as it is read), and ``first_answers`` only each concept's best
term, picked in SQL (MO).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import groupby
from operator import itemgetter
from typing import TYPE_CHECKING, NamedTuple

from . import dialects, langtags
from .exporting import ExportOptions, dialect_terms, selected, source_term
from .model import SOURCE_TAG, Glossary, Term, preferred, stored_reviewers

if TYPE_CHECKING:
    from .bank import OpenBank


class TermRow(NamedTuple):
    """What a one-language export shows of a term (no attestations: only their effect on
    ``reliability``)."""

    text: str
    tag: str
    status: str
    part_of_speech: str | None
    gender: str | None
    note: str | None
    status_reason: str | None
    source: str | None
    review: str
    reviewers: tuple[str, ...]
    reviewed_on: str | None
    reliability: int


# (accepted terms, best first; refused forms on the chain) for one target tag
Answer = tuple[list[TermRow], list[TermRow]]


class Rendering(NamedTuple):
    id: str
    subject_field: str
    definition: str | None     # the English one (``Concept.definition``)
    do_not_translate: bool
    named: TermRow | None      # the source term; None: the concept has none
    answers: tuple[Answer, ...]   # one per target tag, in the order asked


ROW_FIELDS = itemgetter(1, 2, 0)   # (tag, status, text), what the dialect rule reads


def renderings(glossary: Glossary, options: ExportOptions,
               targets: tuple[str, ...]) -> Iterator[Rendering]:
    """Every selected concept (``exporting.selected``'s choice), in id order."""
    if glossary.bank is None:
        return _from_model(glossary, options, targets)
    return _from_bank(glossary.bank, options, targets)


# From the model ----------------------------------------------------------------------------

def _from_model(glossary: Glossary, options: ExportOptions,
                targets: tuple[str, ...]) -> Iterator[Rendering]:
    for concept in selected(glossary, options):
        named = source_term(concept, options)
        answers = tuple(_answer_of_terms(*dialect_terms(concept, tag)) for tag in targets)
        yield Rendering(concept.id, concept.subject_field, concept.definition,
                        concept.do_not_translate, None if named is None else term_row(named),
                        answers)


def _answer_of_terms(accepted: list[Term], refused: list[Term]) -> Answer:
    return [term_row(t) for t in accepted], [term_row(t) for t in refused]


def term_row(term: Term) -> TermRow:
    p = term.provenance
    return TermRow(term.text, term.tag, term.status, term.part_of_speech, term.gender, term.note,
                   term.status_reason, term.source, p.review, p.reviewers, p.reviewed_on,
                   term.reliability)


# From the bank -------------------------------------------------------------------------------

_COLUMNS = ("text, tag, status, part_of_speech, gender, note, status_reason, source, review, "
            "reviewers, reviewed_on, reliability")


def _from_bank(bank: OpenBank, options: ExportOptions,
               targets: tuple[str, ...]) -> Iterator[Rendering]:
    """One cursor: concepts in id order, each with its rows on the tags the export reads."""
    wanted = _wanted_tags(options, targets)
    marks = ", ".join("?" * len(wanted))
    where, params = "", list(wanted)
    if options.concepts is not None:
        where = "WHERE c.id IN (SELECT value FROM json_each(?))"
        params.append(json.dumps(sorted(options.concepts)))
    sql = f"""
        SELECT c.id, c.subject_field, c.do_not_translate, d.text,
               t.text, t.tag, t.status, t.part_of_speech, t.gender, t.note, t.status_reason,
               t.source, t.review, t.reviewers, t.reviewed_on, t.reliability
        FROM concepts c
        LEFT JOIN definitions d ON d.concept_id = c.id AND d.tag = '{SOURCE_TAG}'
        LEFT JOIN terms t ON t.concept_id = c.id AND t.tag IN ({marks})
        {where}
        ORDER BY c.id, t.position"""
    cursor = bank.conn.cursor()
    cursor.row_factory = None   # plain tuples: no per-row name lookups
    approved = _approved(bank, wanted)
    keep = _reliable(options)
    for concept_id, group in groupby(cursor.execute(sql, params), key=itemgetter(0)):
        rows = list(group)
        first = rows[0]
        terms = [_term(r) for r in rows if r[4] is not None]
        extra = approved.get(concept_id)
        if extra:
            terms += extra
        if keep is not None:
            terms = [t for t in terms if keep(t)]
        dnt = bool(first[2])
        answers = tuple(dialects.resolve(tag, terms, ROW_FIELDS, dnt) for tag in targets)
        yield Rendering(concept_id, first[1], first[3], dnt, _source(terms, options), answers)


def _wanted_tags(options: ExportOptions, targets: Iterable[str]) -> tuple[str, ...]:
    """The tags whose terms can appear: each target's and the source's fallback chains,
    and English (a do-not-translate name with no term of its own answers in English)."""
    tags = {SOURCE_TAG, options.source, *langtags.fallback_chain(options.source)}
    for tag in targets:
        tags.update(langtags.fallback_chain(tag))
    return tuple(sorted(tags))


def _term(r: tuple, at: int = 4) -> TermRow:
    """The term whose ``_FIELDS`` start at column ``at`` of a row (made as ``TermRow._make``
    makes it: a call per row of a large bank)."""
    return _new_row(TermRow, (r[at], r[at + 1], r[at + 2], r[at + 3], r[at + 4], r[at + 5],
                              r[at + 6], r[at + 7], r[at + 8] or "draft",
                              stored_reviewers(r[at + 9]), r[at + 10], r[at + 11]))


_new_row = tuple.__new__


def _approved(bank: OpenBank, wanted: tuple[str, ...]) -> dict[str, list[TermRow]]:
    """Approved proposals on the wanted tags, by concept (few: each one a reviewer's act)."""
    marks = ", ".join("?" * len(wanted))
    by_concept: dict[str, list[TermRow]] = {}
    for row in bank.approved_terms(f"a.tag IN ({marks})", list(wanted)):
        by_concept.setdefault(row["concept_id"], []).append(TermRow(
            row["text"], row["tag"], row["status"], row["part_of_speech"], row["gender"],
            row["note"], row["status_reason"], row["source"], row["review"] or "draft",
            stored_reviewers(row["reviewers"]), row["reviewed_on"], row["reliability"]))
    return by_concept


def _reliable(options: ExportOptions):
    """``exporting.selected``'s filter on rows: target terms below --min-reliability go,
    the source language's terms stay (they are the keys). None: nothing to filter."""
    if options.min_reliability <= 1:
        return None
    source, least = langtags.language(options.source), options.min_reliability

    def keep(term: TermRow) -> bool:
        return term.reliability >= least or _language(term.tag) == source

    return keep


@lru_cache(maxsize=256)
def _language(tag: str) -> str:
    return langtags.language(tag)


def _source(terms: list[TermRow], options: ExportOptions) -> TermRow | None:
    """``exporting.source_term`` on rows: the source tag's preferred term, along its chain
    when the source is regional."""
    if not langtags.is_regional(options.source):
        return preferred((t for t in terms if t.tag == options.source), _status)
    accepted, _ = dialects.resolve(options.source, terms, ROW_FIELDS)
    return accepted[0] if accepted else None


def _status(term: TermRow) -> str:
    return term.status


# In source-term order -----------------------------------------------------------------------

class Catalogued(NamedTuple):
    """A concept as a catalogue keyed by its source term shows it for one target: the
    source term's text (not its record), and the target's answer."""

    source: str | None         # None: the concept has no source term
    id: str
    subject_field: str
    definition: str | None
    do_not_translate: bool
    answer: Answer


def catalogued(rendering: Rendering) -> Catalogued:
    """A rendering for one target as ``by_source_term`` gives it."""
    named = rendering.named
    return Catalogued(None if named is None else named.text, rendering.id,
                      rendering.subject_field, rendering.definition,
                      rendering.do_not_translate, rendering.answers[0])


def by_source_term(bank: OpenBank, options: ExportOptions, target: str) -> Iterator[Catalogued]:
    """``renderings`` for one target, sorted as a catalogue keyed by the source term lists
    its entries: by the term case-folded, then as written, then by concept id; concepts
    with no source term come first, in id order.

    SQLite picks each concept's source term (as ``first_answers`` does) and sorts the rows
    (its sorter spills to a temporary file, so memory stays flat); only the target's chain
    is read, and English for a do-not-translate name. The dialect rule then runs on each
    concept's rows as in ``renderings``. The built bank only, as ``first_answers``.
    """
    params, usable, chosen = _choice_sql(options)
    source = _source_sql(options, params)
    chain = langtags.fallback_chain(target)
    params.update({f"chain{i}": t for i, t in enumerate(chain)})
    marks = ", ".join(f":chain{i}" for i in range(len(chain)))
    sql = f"""
        SELECT c.id, c.subject_field, c.do_not_translate, d.text, s.text,
               {", ".join(f"t.{name}" for name in _FIELDS)}
        FROM concepts c
        LEFT JOIN terms s ON s.concept_id = c.id AND s.position = {source}
        LEFT JOIN definitions d ON d.concept_id = c.id AND d.tag = '{SOURCE_TAG}'
        LEFT JOIN terms t ON t.concept_id = c.id AND {usable}
            AND (t.tag IN ({marks}) OR (c.do_not_translate AND t.tag = '{SOURCE_TAG}'))
        WHERE {chosen}
        ORDER BY termbank_casefold(s.text) || char(30) || s.text, c.id, t.position"""
    conn = bank.conn
    conn.create_function("termbank_casefold", 1, _casefold, deterministic=True)
    cursor = conn.cursor()
    cursor.row_factory = None
    for concept_id, group in groupby(cursor.execute(sql, params), key=itemgetter(0)):
        rows = list(group)
        first = rows[0]
        terms = [_term(r, 5) for r in rows if r[5] is not None]
        dnt = bool(first[2])
        yield Catalogued(first[4], concept_id, first[1], first[3], dnt,
                         dialects.resolve(target, terms, ROW_FIELDS, dnt))


_FIELDS = ("text", "tag", "status", "part_of_speech", "gender", "note", "status_reason",
           "source", "review", "reviewers", "reviewed_on", "reliability")


def _casefold(text: str | None) -> str | None:
    return None if text is None else text.casefold()


# The first answer of each concept, in SQL -----------------------------------------------------

def first_answers(bank: OpenBank, options: ExportOptions, target: str) -> sqlite3.Cursor:
    """(concept id, source term, first accepted term for ``target``, its reviewed_on) of every
    selected concept, in id order, each None where the concept has no such term.

    For writers that show only the best term (MO): the dialect rule's first answer is the
    accepted term of the nearest tag on the chain that has one, preferred before admitted,
    then by position (``dialects.resolve``; what closes the chain and the dedup by text
    only affect later answers); a do-not-translate name with none answers with its first
    accepted English term. The built bank only: with approved proposals attached, use
    ``renderings``.
    """
    params, usable, chosen = _choice_sql(options)
    best = _best_term_sql(target, usable, params, "target")
    english = (f"(SELECT min(t.position) FROM terms t WHERE t.concept_id = c.id "
               f"AND t.tag = '{SOURCE_TAG}' AND t.status IN ('preferred', 'admitted') "
               f"AND {usable})")
    source = _source_sql(options, params)
    sql = f"""
        SELECT c.id, s.text, a.text, a.reviewed_on
        FROM concepts c
        LEFT JOIN terms s ON s.concept_id = c.id AND s.position = {source}
        LEFT JOIN terms a ON a.concept_id = c.id AND a.position = coalesce({best},
            CASE WHEN c.do_not_translate THEN {english} END)
        WHERE {chosen}
        ORDER BY c.id"""
    cursor = bank.conn.cursor()
    cursor.row_factory = None
    return cursor.execute(sql, params)


def _choice_sql(options: ExportOptions) -> tuple[dict[str, object], str, str]:
    """The parameters, the test of a usable term ``t`` (``--min-reliability``: target terms
    below it go, the source language's stay) and the test of a chosen concept ``c``."""
    params: dict[str, object] = {"least": options.min_reliability,
                                 "language": langtags.language(options.source),
                                 "concepts": json.dumps(sorted(options.concepts or ()))}
    usable = "(t.reliability >= :least OR t.language = :language)" \
        if options.min_reliability > 1 else "1"
    chosen = "c.id IN (SELECT value FROM json_each(:concepts))" \
        if options.concepts is not None else "1"
    return params, usable, chosen


def _source_sql(options: ExportOptions, params: dict[str, object]) -> str:
    """The position of the source term of concept ``c`` (``_source``'s choice)."""
    if langtags.is_regional(options.source):
        return _best_term_sql(options.source, "1", params, "source")
    params["source"] = options.source
    return (f"(SELECT min((t.status <> 'preferred') * {_STEP} + t.position) FROM terms t "
            "WHERE t.concept_id = c.id AND t.tag = :source "
            "AND t.status IN ('preferred', 'admitted')) % " + str(_STEP))


# Orders a concept's terms by (chain step, admitted after preferred, position) in one number,
# so that SQLite finds the best with min() instead of sorting each concept's terms.
_STEP = 1 << 32


def _best_term_sql(tag: str, usable: str, params: dict[str, object], name: str) -> str:
    """The position of the first accepted term on ``tag``'s chain (nearest tag, preferred
    first, then by position)."""
    chain = langtags.fallback_chain(tag)
    steps = " ".join(f"WHEN :{name}{i} THEN {2 * i}" for i in range(len(chain)))
    params.update({f"{name}{i}": t for i, t in enumerate(chain)})
    marks = ", ".join(f":{name}{i}" for i in range(len(chain)))
    return (f"(SELECT min((CASE t.tag {steps} END + (t.status <> 'preferred')) * {_STEP} "
            f"+ t.position) FROM terms t WHERE t.concept_id = c.id AND t.tag IN ({marks}) "
            f"AND t.status IN ('preferred', 'admitted') AND {usable}) % {_STEP}")

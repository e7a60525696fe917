"""Find concepts by any of their terms and answer in the dialects asked for.

Matching goes from strict to loose and stops at the first level that finds
something: the folded form (case, diacritics, hyphens), then the inflection
key of each language the query may be in, then the looser levels of
``termbank.approximate`` (function words, partial, fuzzy), each match labelled
with its level and a score. Answers follow CLDR's fallback
chain, and every answer names the tag that actually supplied it.
"""

from __future__ import annotations

import difflib
import json
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from . import dialects, langtags
from .errors import TermbankError
from .inflection import fold, stems
from .model import ACCEPTED_STATUSES, SOURCE_TAG
from .model import STATUS_RANK as _STATUS_RANK
from .model import preferred as _preferred
from .queries import TERM_COLUMNS, english_term_sql

if TYPE_CHECKING:
    from .bank import OpenBank
    from .evidence.answers import ConceptEvidence, Contradiction, Use

_TERM_COLUMNS = ", ".join(TERM_COLUMNS)
Row = sqlite3.Row | dict[str, Any]  # a term row of the bank, or an approved proposal shaped like one


@dataclass(frozen=True)
class Answer:
    """One term offered for a requested tag; ``tag`` is the tag that supplied it."""

    term: str
    tag: str
    status: str
    type: str
    note: str | None
    status_reason: str | None
    reliability: int
    review: str
    use_instead: str | None = None
    attested: tuple[Use, ...] = ()          # human translators who use the term
    contradicted: Contradiction | None = None

    def to_json(self) -> dict:
        return {"term": self.term, "tag": self.tag, "status": self.status, "type": self.type,
                "note": self.note, "status_reason": self.status_reason,
                "reliability": self.reliability, "review": self.review,
                "use_instead": self.use_instead,
                "attested": [use.to_json() for use in self.attested],
                "contradicted": self.contradicted.to_json() if self.contradicted else None}


# What the cards say of a looser match (the web's catalogues translate the same words).
CLOSENESS = {"function-words": "the same term with other articles or prepositions",
             "longer-term": "part of a longer term", "inside-text": "a term inside the text",
             "fuzzy": "close spelling"}


def _status(answer: Answer) -> str:
    return answer.status


@dataclass(frozen=True)
class Match:
    concept: str
    subject_field: str
    matched_text: str
    matched_tag: str
    how: str  # "exact", "folded", "inflected", "function-words", "partial" or "fuzzy"
    definition: str | None
    definitions: dict[str, str]
    translations: dict[str, list[Answer]]
    variants: dict[str, list[Answer]]
    related: list[dict]
    do_not_translate: bool
    notes: dict[str, str] = field(default_factory=dict)
    score: float = 1.0  # 1 at the strict levels; the looser levels' similarity or coverage
    query: str = ""  # the text looked up

    @property
    def closeness(self) -> str | None:
        """How a looser match relates to the query, for the cards' words (CLOSENESS); None
        for the strict levels."""
        if self.how == "partial":
            longer = len(fold(self.matched_text).split()) > len(fold(self.query).split())
            return "longer-term" if longer else "inside-text"
        return self.how if self.how in ("function-words", "fuzzy") else None

    @property
    def english(self) -> str:
        """The concept's name: its English preferred term (the model's rule), else its id."""
        term = _preferred(self.variants.get(SOURCE_TAG, []), _status)
        return term.term if term else self.concept

    def to_json(self) -> dict:
        """The documented ``lookup --json`` shape (README, "Lookup JSON")."""
        return {
            "concept": self.concept,
            "subject_field": self.subject_field,
            "matched": {"text": self.matched_text, "tag": self.matched_tag, "how": self.how,
                        "score": self.score},
            "definition": self.definition,
            "definitions": self.definitions,
            "translations": {t: [a.to_json() for a in v] for t, v in self.translations.items()},
            "variants": {t: [a.to_json() for a in v] for t, v in self.variants.items()},
            "related": self.related,
            "notes": self.notes,
            "do_not_translate": self.do_not_translate,
        }


def lookup(bank: OpenBank, text: str, source: str | None = None, targets: list[str] | None = None,
           min_reliability: int = 1) -> list[Match]:
    """Concepts named by ``text`` (in ``source`` if given), answered in ``targets``.

    ``targets`` defaults to every tag in the bank; answers below
    ``min_reliability`` (IATE's 1-4) are left out of ``translations``. Raises TermbankError for an
    empty query or an unknown tag; returns [] when nothing matches. At the
    strict levels one query per level does the work: the matched terms joined
    to all terms of their concepts, each matched term carrying its concept's
    details.
    """
    folded = fold(text)
    if not folded:
        raise TermbankError("the text to look up is empty")
    source = _normalized(source) if source else None
    targets = [_normalized(t) for t in targets] if targets else list(bank.tags)
    matched, terms, how, scores = _matching(bank, text, folded, source)
    if not matched:
        return []
    best = _best_per_concept(_respect_case(matched, text), text, scores)
    details = _carried(bank, best)
    if min_reliability > 1:
        terms = {cid: [r for r in rows if r["reliability"] >= min_reliability]
                 for cid, rows in terms.items()}
    matches = [_match(cid, best[cid], how, terms[cid], details[cid], targets,
                      scores.get(best[cid]["id"], 1.0), text.strip()) for cid in best]
    evidence = _evidence(bank, list(best))
    if evidence is None:
        return matches
    from .evidence.answers import with_evidence

    return [with_evidence(match, evidence) for match in matches]


# Per open bank: whether it holds any attestations (a built bank never changes under its reader).
_HOLDS_EVIDENCE: WeakKeyDictionary[OpenBank, bool] = WeakKeyDictionary()


def _evidence(bank: OpenBank, ids: list[str]) -> ConceptEvidence | None:
    """The concepts' evidence, or None when there is none to add to their answers (a bank
    built without attestations is not asked again on every lookup)."""
    held = _HOLDS_EVIDENCE.get(bank)
    if held is None:
        held = _HOLDS_EVIDENCE[bank] = bool(bank.conn.execute(
            "SELECT EXISTS (SELECT 1 FROM term_attestations) "
            "OR EXISTS (SELECT 1 FROM attestations)").fetchone()[0])
    if not held:
        return None
    from .evidence.answers import ConceptEvidence

    evidence = ConceptEvidence.read(bank.conn, ids)
    return evidence if evidence.terms or evidence.labels else None


# A tag's normal form, remembered: a lookup is asked for the same few tags over and over.
_normalized = lru_cache(maxsize=1024)(langtags.normalize)


def _respect_case(rows: list[Row], text: str) -> list[Row]:
    """Drop case-sensitive terms written otherwise ("na" is not NA) when others match."""
    typed = text.strip()
    kept = [r for r in rows if not r["case_sensitive"] or r["text"] == typed]
    return kept or rows


_JOINED = (f"SELECT m.id AS m_id, m.stem AS m_stem, {', '.join('t.' + c for c in TERM_COLUMNS)} "
           "FROM terms m JOIN terms t ON t.concept_id = m.concept_id WHERE m.{column} IN ({marks}) "
           "ORDER BY t.concept_id, t.position")
# A concept's details as one JSON array: subject field, do-not-translate, definitions and notes
# by tag, and [related id, its English name] pairs.
_CONCEPT_DETAILS = """json_array(c.subject_field, c.do_not_translate,
  (SELECT json_group_object(tag, text) FROM definitions d WHERE d.concept_id = c.id),
  (SELECT json_group_object(tag, text) FROM notes n WHERE n.concept_id = c.id),
  (SELECT json_group_array(json_array(r.related_id, ({english})))
   FROM relations r WHERE r.concept_id = c.id))""".format(english=english_term_sql("r.related_id"))
# The strict levels' query, made once per level: the rows of ``_JOINED`` without what no
# answer reads (the match's stem, the term's origin), and on each matched row its concept's
# details, so that one statement answers a lookup (SQLite evaluates a CASE branch only when
# taken: the other rows cost nothing more). The order is left to Python (``_ORDER``): sorting
# a few rows there is cheaper than SQLite's temporary b-tree for an ORDER BY.
_STRICT_COLUMNS = tuple(c for c in TERM_COLUMNS if c != "origin")
_STRICT = (f"SELECT m.id AS m_id, {', '.join('t.' + c for c in _STRICT_COLUMNS)}, "
           f"CASE WHEN t.id = m.id THEN (SELECT {_CONCEPT_DETAILS} FROM concepts c "
           "WHERE c.id = m.concept_id) END AS details "
           "FROM terms m JOIN terms t ON t.concept_id = m.concept_id WHERE m.{column} IN ({marks})")
_BY_FOLDED = _STRICT.format(column="folded", marks="?")
_ORDER = itemgetter("concept_id", "position")
_JOINED_NAMES = ("m_id", *_STRICT_COLUMNS, "details")
_decode = json.JSONDecoder().raw_decode  # SQLite's JSON has no blank to skip around it


@lru_cache(maxsize=64)
def _by_stems(count: int) -> str:
    return _STRICT.format(column="stem", marks=",".join("?" * count))


def _joined(conn: sqlite3.Connection, sql: str, params: list[str]) -> list[Row]:
    """The rows of a strict query as dicts: a lookup reads each row's fields a dozen times, and
    ``sqlite3.Row`` finds a field by comparing its name with each column's in turn."""
    cursor = conn.cursor()
    cursor.row_factory = None
    return [dict(zip(_JOINED_NAMES, row, strict=True)) for row in cursor.execute(sql, params)]


def _matching(bank: OpenBank, text: str, folded: str, source: str | None):
    """(matched term rows, all term rows by concept, how, {term id: score} of a looser level)
    at the strictest level that finds any."""
    family = _family(bank, source)
    rows = _strict(bank, _BY_FOLDED, "folded", [folded])
    hits = [r for r in rows if r["id"] == r["m_id"]]
    matched = _filter(bank, hits, family)
    how = "folded"
    if matched:
        typed = text.strip()
        exact = [r for r in matched if r["text"] == typed]
        if exact:
            matched, how = exact, "exact"
    scores: dict[int, float] = {}
    if not matched:
        languages = [langtags.language(source)] if source else list(bank.languages)
        keys = stems(text, languages)
        params = sorted(set(keys.values()))
        rows = _strict(bank, _by_stems(len(params)), "stem", params)
        hits = [r for r in rows if r["id"] == r["m_id"]]
        matched = _filter(bank, [r for r in hits if keys.get(r["language"]) == r["stem"]], family)
        how = "inflected"
        if not matched:
            return _loosely(bank, text, languages, family)
    if len(hits) == 1 and not bank.overlay:  # one matched term: the rows are its concept's
        return matched, {hits[0]["concept_id"]: rows}, how, scores
    return matched, _by_concept(rows), how, scores


def _strict(bank: OpenBank, sql: str, column: str, keys: list[str]) -> list[Row]:
    """The rows of a strict level's query, with what an overlay adds, in concept and position
    order."""
    rows = _joined(bank.conn, sql, keys)
    if bank.overlay:
        rows += _approved(bank, column, keys, rows)
    rows.sort(key=_ORDER)
    return rows


def _loosely(bank: OpenBank, text: str, languages: list[str], family: set[str] | None):
    """``_matching`` at the looser levels of ``termbank.approximate``."""
    from .approximate import find

    found = find(bank.conn, text, languages, family, _approved_in(bank, languages))
    if not found or not found.scores:
        return [], {}, "inflected", {}
    ids = sorted(i for i in found.scores if i > 0)
    rows = bank.conn.execute(_JOINED.format(column="id", marks=",".join("?" * len(ids))),
                             ids).fetchall()
    rows += _approved(bank, "proposal_id", [-i for i in found.scores if i < 0], rows)
    matched = [r for r in rows if r["id"] == r["m_id"]]
    if bank.overlay:  # the bank's rows come first, then approved proposals (see Bank.approved_terms)
        rows = sorted(rows, key=_ORDER)
    return matched, _by_concept(rows), found.how, found.scores


def _by_concept(rows: list[Row]) -> dict[str, list[Row]]:
    """Each term row once, by concept (a concept matched by two of its terms is joined to its
    terms twice)."""
    terms: dict[str, list[Row]] = defaultdict(list)
    seen: set[int] = set()
    for row in rows:
        if row["id"] not in seen:
            seen.add(row["id"])
            terms[row["concept_id"]].append(row)
    return terms


def _approved(bank: OpenBank, column: str, keys: list[Any], rows: list) -> list[dict]:
    """What an overlay of approved proposals adds to the joined rows of ``_JOINED``.

    Approved terms matching the key (as matched rows of their own), every
    approved term of each concept in play, and the bank's terms of concepts
    that only an approved term matched. Empty without an overlay.
    """
    if not bank.overlay:
        return []
    marks = ",".join("?" * len(keys))
    hits = [dict(r, m_id=r["id"], m_stem=r["stem"])
            for r in bank.approved_terms(f"a.{column} IN ({marks})", keys)]
    known = {r["concept_id"] for r in rows}
    ids = sorted(known | {h["concept_id"] for h in hits})
    if not ids:
        return []
    extra = hits + [dict(r, m_id=None, m_stem=None) for r in bank.approved_terms(
        f"a.concept_id IN ({','.join('?' * len(ids))})", ids)]
    new = [cid for cid in ids if cid not in known]
    if new:
        extra += [dict(r, m_id=None, m_stem=None) for r in bank.conn.execute(
            f"SELECT {_TERM_COLUMNS} FROM terms WHERE concept_id IN ({','.join('?' * len(new))})",
            new)]
    return extra


def _approved_in(bank: OpenBank, languages: list[str]) -> list[dict]:
    """Every approved proposal in ``languages``, for the looser levels (each is a reviewer's
    decision, so there are few); their ids are the negated proposal ids."""
    marks = ",".join("?" * len(languages))
    return bank.approved_terms(f"a.language IN ({marks})", languages)


def _family(bank: OpenBank, source: str | None) -> set[str] | None:
    """Tags a ``--from`` tag accepts: itself, its fallbacks and its regional children."""
    if source is None:
        return None
    return {t for t in bank.tags if langtags.is_related(source, t)} | {source}


def _filter(bank: OpenBank, rows: list[Row], family: set[str] | None) -> list[Row]:
    """The rows in the ``--from`` family, and the English names of do-not-translate concepts,
    which every tag answers with (TrackMate is TrackMate in Spanish too)."""
    if family is None:
        return rows
    names = {r["concept_id"] for r in rows if r["tag"] == SOURCE_TAG and r["tag"] not in family}
    if names:
        marks = ",".join("?" * len(names))
        names = {r[0] for r in bank.conn.execute(
            f"SELECT id FROM concepts WHERE do_not_translate AND id IN ({marks})", sorted(names))}
    return [r for r in rows if r["tag"] in family
            or (r["tag"] == SOURCE_TAG and r["concept_id"] in names)]


def _best_per_concept(rows: list[Row], text: str,
                      scores: dict[int, float] | None = None) -> dict[str, Row]:
    """The best-matching term of each concept, concepts ordered by that match (at a looser
    level, by its score first)."""
    if len(rows) == 1:  # the commonest case: one term matched, nothing to rank
        return {rows[0]["concept_id"]: rows[0]}
    several = len({r["concept_id"] for r in rows}) > 1
    query = fold(text) if several else ""
    scores = scores or {}

    def score(r: Row) -> tuple:
        similarity = difflib.SequenceMatcher(None, fold(r["text"]), query).ratio() if several else 0
        return (-scores.get(r["id"], 1.0), r["text"] != text.strip(), _STATUS_RANK[r["status"]],
                r["tag"] != "en", -similarity, r["concept_id"])

    best: dict[str, Row] = {}
    for row in sorted(rows, key=score):
        best.setdefault(row["concept_id"], row)
    return best


@lru_cache(maxsize=64)
def _details_sql(count: int) -> str:
    return (f"SELECT c.id, {_CONCEPT_DETAILS} FROM concepts c "
            f"WHERE c.id IN ({','.join('?' * count)})")


Details = tuple[str, bool, dict[str, str], dict[str, str], list[dict]]


def _details(conn: sqlite3.Connection, ids: list[str]) -> dict[str, Details]:
    """Subject field, do-not-translate, definitions, notes and related concepts of each
    concept, in one query (for the concepts whose matched rows did not carry them)."""
    return {cid: _decoded(found) for cid, found in conn.execute(_details_sql(len(ids)), ids)}


def _carried(bank: OpenBank, best: dict[str, Row]) -> dict[str, Details]:
    """Each concept's details: decoded from its matched row when the strict query carried them
    there, else read in one query."""
    details = {cid: _decoded(row["details"]) for cid, row in best.items()
               if isinstance(row, dict) and row.get("details") is not None}
    missing = [cid for cid in best if cid not in details]
    if missing:
        details.update(_details(bank.conn, missing))
    return details


def _decoded(encoded: str) -> Details:
    subject_field, dnt, definitions, notes, related = _decode(encoded)[0]
    if len(related) > 1:  # by related id (a concept names each related concept once)
        related.sort()
    return (subject_field, bool(dnt), _by_tag(definitions), _by_tag(notes),
            [{"concept": r, "term": t} for r, t in related])


def _by_tag(texts: dict[str, str]) -> dict[str, str]:
    return dict(sorted(texts.items())) if len(texts) > 1 else texts


_new = object.__new__
_set = object.__setattr__


def _answer(row: Row, use_instead: str | None = None) -> Answer:
    """The Answer of a term row. Made without ``Answer.__init__``, which sets its eleven frozen
    fields one call at a time (2 µs against under 1 µs this way): a lookup makes one per term of
    each matched concept. The fields are the same (tests/test_lookup.py compares both ways)."""
    answer = _new(Answer)
    _set(answer, "__dict__", {
        "term": row["text"], "tag": row["tag"], "status": row["status"], "type": row["type"],
        "note": row["note"], "status_reason": row["status_reason"],
        "reliability": row["reliability"], "review": row["review"], "use_instead": use_instead,
        "attested": (), "contradicted": None})
    return answer


def answers_for(tag: str, rows: list[Row], do_not_translate: bool = False,
                made: dict[int, Answer] | None = None) -> list[Answer]:
    """What to say for ``tag`` by the dialect rule (``termbank.dialects``): the accepted terms,
    then every deprecated or forbidden form on its chain, each naming the term to use.
    ``made`` holds answers already made, by term id (Answers are immutable: shared freely)."""
    accepted, refused = dialects.resolve(tag, rows, dialects.ROW_FIELDS, do_not_translate)
    better = accepted[0]["text"] if accepted else None
    if made is None:
        return [_answer(r) for r in accepted] + [_answer(r, better) for r in refused]
    return [made[r["id"]] for r in accepted] + [_answer(r, better) for r in refused]


def _variant_order(row: Row) -> tuple:
    return row["tag"], _STATUS_RANK[row["status"]], row["position"]


def _match(cid: str, matched: Row, how: str, rows: list[Row],
           details: Details, targets: list[str], score: float = 1.0, query: str = "") -> Match:
    subject_field, dnt, definitions, notes, related = details
    variants: dict[str, list[Answer]] = {}
    made: dict[int, Answer] = {}
    for row in sorted(rows, key=_variant_order):
        answer = made[row["id"]] = _answer(row)
        variants.setdefault(row["tag"], []).append(answer)
    match = _new(Match)  # as in ``_answer``: every field given, in the class's order
    _set(match, "__dict__", {
        "concept": cid, "subject_field": subject_field, "matched_text": matched["text"],
        "matched_tag": matched["tag"], "how": how, "definition": definitions.get("en"),
        "definitions": definitions,
        "translations": {t: answers_for(t, rows, dnt, made) for t in targets},
        "variants": variants, "related": related, "do_not_translate": dnt, "notes": notes,
        "score": score, "query": query})
    return match


def suggest(bank: OpenBank, text: str, limit: int = 8, source: str | None = None) -> list[str]:
    """"Did you mean": the terms a looser level found but would not answer with (several
    concepts equally good, or a broader notion; ``approximate.Found.withheld``; in ``source``'s
    family when given), best first, then terms sharing the query's start, ranked by
    similarity."""
    folded = fold(text)
    if not folded:
        return []
    offered = _withheld(bank, text, langtags.normalize(source) if source else None)
    candidates: dict[str, str] = {}
    for head in (folded[:3], folded[:1]):
        for r in bank.conn.execute(
                "SELECT folded, text FROM terms WHERE folded >= ? AND folded < ? LIMIT 5000",
                [head, head + "\uffff"]):
            candidates.setdefault(r[0], r[1])
    for word in folded.split():
        try:
            for r in bank.conn.execute(
                    "SELECT t.folded, t.text FROM terms_fts JOIN terms t ON t.rowid = terms_fts.rowid "
                    "WHERE terms_fts MATCH ? LIMIT 200", [f'"{word[:4]}"*']):
                candidates.setdefault(r[0], r[1])
        except sqlite3.OperationalError:
            continue
    prefix = sorted((k for k in candidates if k.startswith(folded)), key=len)
    close = difflib.get_close_matches(folded, list(candidates), n=limit, cutoff=0.6)
    keys = list(dict.fromkeys(prefix[:limit] + close))
    keys.sort(key=lambda k: (-difflib.SequenceMatcher(None, k, folded).ratio(), k))
    return list(dict.fromkeys(offered + [candidates[k] for k in keys]))[:limit]


def _withheld(bank: OpenBank, text: str, source: str | None) -> list[str]:
    """The terms the looser levels offer for ``text`` without answering, best score first."""
    from .approximate import find

    languages = [langtags.language(source)] if source else list(bank.languages)
    approved = _approved_in(bank, languages)
    found = find(bank.conn, text, languages, _family(bank, source), approved)
    if not found or not found.withheld:
        return []
    ids = [i for i in found.withheld if i > 0]
    texts = {r[0]: r[1] for r in bank.conn.execute(
        f"SELECT id, text FROM terms WHERE id IN ({','.join('?' * len(ids))})", ids)}
    texts.update({r["id"]: r["text"] for r in approved})
    ranked = sorted(found.withheld, key=lambda i: (-found.withheld[i], texts[i]))
    return [texts[i] for i in ranked]


def translations(bank: OpenBank, concept_ids: list[str], targets: list[str],
                 min_reliability: int = 1) -> dict[str, dict[str, list[Answer]]]:
    """For each concept, the answers per target tag, as in a lookup's ``translations``."""
    out: dict[str, dict[str, list[Answer]]] = {}
    ids = sorted(set(concept_ids))
    for first in range(0, len(ids), 500):
        chunk = ids[first:first + 500]
        marks = ",".join("?" * len(chunk))
        rows: dict[str, list[Row]] = defaultdict(list)
        for row in bank.conn.execute(
                f"SELECT {_TERM_COLUMNS} FROM terms WHERE concept_id IN ({marks}) "
                f"AND reliability >= ? ORDER BY concept_id, position", [*chunk, min_reliability]):
            rows[row["concept_id"]].append(row)
        for approved in bank.approved_terms(f"a.concept_id IN ({marks})", chunk):
            if approved["reliability"] >= min_reliability:
                rows[approved["concept_id"]].append(approved)
        dnt = {r[0] for r in bank.conn.execute(
            f"SELECT id FROM concepts WHERE id IN ({marks}) AND do_not_translate", chunk)}
        for cid in chunk:
            out[cid] = {t: answers_for(t, rows[cid], cid in dnt) for t in targets}
    return out


def unanswered(bank: OpenBank, tag: str) -> list[dict]:
    """Concepts with no answer at all in ``tag`` (nothing on its chain, not even a
    do-not-translate name), by subject field: where a dialect's reviewers are needed."""
    rows = bank.conn.execute("SELECT id, subject_field FROM concepts ORDER BY subject_field, id")
    fields = {r[0]: r[1] for r in rows}
    answered = translations(bank, list(fields), [tag])
    return [{"concept": cid, "subject_field": field, "english": bank.english_term(cid)}
            for cid, field in fields.items() if not any(
                a.status in ACCEPTED_STATUSES for a in answered[cid][tag])]

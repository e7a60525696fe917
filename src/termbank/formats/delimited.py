"""CSV and TSV for spreadsheets: one row per term, every field of the model, lossless.

Rows follow the concepts in id order and each concept's terms in their
recorded order. Concept-level values (related ids, sources,
do-not-translate) sit on the concept's first row; a tag's definition and
concept note sit on that tag's first row (a tag with a definition but no
term gets a row with an empty term); the subject field is on every row, for
filtering. Lists inside a cell (sources, reviewers) are one item per line.

Checklist:
- UTF-8 with a byte-order mark, so spreadsheet programs read accents right;
- formula injection: a cell that starts with ``= + - @``, a tab, a carriage
  return or an apostrophe gets a leading apostrophe, which the reader
  removes again (OWASP's advice; "-80 °C freezer" stays text);
- quoting by Python's csv module (RFC 4180), so commas, tabs, quotes and
  line breaks inside a cell survive;
- the reader checks every value as the glossary validator does (tags known
  to CLDR, clean one-line terms, picklists) and names the line of a bad row.
"""

from __future__ import annotations

import codecs
import csv
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, BinaryIO

from .. import langtags
from ..errors import SourceError
from ..exporting import ExportOptions, kept_tags, selected, text_output
from ..model import (
    GENDERS,
    PARTS_OF_SPEECH,
    REVIEW_STATES,
    STATUS_REASONS,
    STATUSES,
    TERM_TYPES,
    Concept,
    Glossary,
    Provenance,
    Term,
)
from ..yamlsource import decode

if TYPE_CHECKING:
    from ..bank import OpenBank

COLUMNS = ("concept", "subject_field", "tag", "term", "status", "type", "part_of_speech",
           "gender", "case_sensitive", "reason", "note", "source", "origin", "review",
           "reviewers", "reviewed_on", "definition", "concept_note", "related", "sources",
           "do_not_translate")
_RISKY_START = tuple("=+-@\t\r'")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def write_csv(fp: BinaryIO, glossary: Glossary, options: ExportOptions) -> None:
    _write(fp, glossary, options, ",")


def write_tsv(fp: BinaryIO, glossary: Glossary, options: ExportOptions) -> None:
    _write(fp, glossary, options, "\t")


def _write(fp: BinaryIO, glossary: Glossary, options: ExportOptions, delimiter: str) -> None:
    # the byte-order mark by hand: with plain UTF-8 the text view gathers rows and encodes
    # them in C, where "utf-8-sig" would call its Python encoder once per row
    fp.write(codecs.BOM_UTF8)
    with text_output(fp, "utf-8", buffered=True) as text:
        rows = csv.writer(text, delimiter=delimiter)
        rows.writerow(COLUMNS)
        kept = kept_tags(options)
        bank = glossary.bank
        if bank is not None and not bank.overlay:
            rows.writerows(_bank_rows(bank, kept, options))
            return
        for concept in selected(glossary, options):
            rows.writerows([_cell(v) for v in row] for row in _rows(concept, kept))


def _cell(value: str) -> str:
    return "'" + value if value.startswith(_RISKY_START) else value


def _rows(concept: Concept, kept: frozenset[str] | None) -> Iterator[list[str]]:
    terms = [t for t in concept.terms if kept is None or t.tag in kept]
    extra = sorted(t for t in {*concept.definitions, *concept.notes}
                   if (kept is None or t in kept) and t not in {term.tag for term in terms})
    described: set[str] = set()
    items: list[Term | str] = [*terms, *extra]
    for index, item in enumerate(items):
        tag = item.tag if isinstance(item, Term) else item
        row = dict.fromkeys(COLUMNS, "")
        row.update(concept=concept.id, subject_field=concept.subject_field, tag=tag)
        if isinstance(item, Term):
            row.update(_term_cells(item))
        if tag not in described:
            described.add(tag)
            row.update(definition=concept.definitions.get(tag, ""),
                       concept_note=concept.notes.get(tag, ""))
        if index == 0:
            row.update(related=" ".join(concept.related), sources="\n".join(concept.sources),
                       do_not_translate="yes" if concept.do_not_translate else "")
        yield [row[c] for c in COLUMNS]


def _bank_rows(bank: OpenBank, kept: frozenset[str] | None, options: ExportOptions):
    """Every row as ``_rows`` makes it from the model, made by SQLite in one ordered query
    (the built bank without approved proposals; with them, the model path runs)."""
    params: dict[str, object] = {"least": options.min_reliability,
                                 "source": langtags.language(options.source),
                                 "kept": json.dumps(sorted(kept or ())),
                                 "concepts": json.dumps(sorted(options.concepts or ()))}
    cursor = bank.conn.cursor()
    cursor.row_factory = None
    narrowed, filtered = kept is not None, options.min_reliability > 1
    usable = _usable("t", narrowed, filtered)
    extras = cursor.execute(f"SELECT EXISTS ({_extras_sql(narrowed, usable)})", params)
    sql = _rows_sql(narrowed, options.concepts is not None, extras.fetchone()[0], filtered)
    rows = cursor.execute(sql, params)
    if "UNION ALL" not in sql:
        return rows
    return (row[:len(COLUMNS)] for row in rows)   # less the three columns that order them


def _rows_sql(narrowed: bool, chosen: bool, extras: bool, filtered: bool) -> str:
    """The query behind ``_bank_rows``: each concept's term rows in their order, then (when
    the bank has any: ``extras``) its rows for a tag with a definition or note but no term,
    in tag order. Without those, the rows come in index order and nothing is sorted.
    ``filtered``: --min-reliability leaves some terms out. Each test that places a value on
    a concept's or a tag's first row is a join condition, so it runs once per row; the terms
    are the outer loop (CROSS JOIN fixes the order), read in their index's order, so the
    rows need no sorting."""
    def usable(t: str) -> str:
        return _usable(t, narrowed, filtered)

    r = _risky
    concepts = "c.id IN (SELECT value FROM json_each(:concepts))" if chosen else "1"
    reviewers = "(SELECT group_concat(value, char(10)) FROM json_each(t.reviewers))"
    # a tag's definition and note go on its first row: no usable term of the tag before it
    described = (f"NOT EXISTS (SELECT 1 FROM terms y WHERE y.concept_id = c.id "
                 f"AND y.position < t.position AND y.tag = t.tag AND {usable('y')})")
    terms = f"""
        SELECT {r('c.id')}, {r('c.subject_field')}, {r('t.tag')}, {r('t.text')},
               t.status, t.type, coalesce(t.part_of_speech, ''), coalesce(t.gender, ''),
               CASE WHEN t.case_sensitive THEN 'yes' ELSE '' END,
               coalesce(t.status_reason, ''), {r("coalesce(t.note, '')")},
               {r("coalesce(t.source, '')")},
               CASE WHEN coalesce(t.origin, '') = '' THEN 'unknown' ELSE {r('t.origin')} END,
               CASE WHEN coalesce(t.review, '') = '' THEN 'draft' ELSE t.review END,
               CASE WHEN coalesce(t.reviewers, '[]') = '[]' THEN '' ELSE {r(reviewers)} END,
               {r("coalesce(t.reviewed_on, '')")},
               {r("coalesce(d.text, '')")}, {r("coalesce(n.text, '')")},
               {_concept_cells("f.id IS NOT NULL")}{", c.id, 0, t.position" if extras else ""}
        FROM terms t
        CROSS JOIN concepts c ON c.id = t.concept_id AND {usable('t')}
        LEFT JOIN concepts f ON f.id = c.id AND t.position = (SELECT min(x.position)
            FROM terms x WHERE x.concept_id = c.id AND {usable('x')})
        LEFT JOIN definitions d ON d.concept_id = c.id AND d.tag = t.tag AND {described}
        LEFT JOIN notes n ON n.concept_id = c.id AND n.tag = t.tag AND {described}
        WHERE {concepts}"""
    if not extras:
        return f"{terms} ORDER BY t.concept_id, t.position"
    extra = f"""
        SELECT {r('c.id')}, {r('c.subject_field')}, {r('e.tag')}, '', '', '', '', '', '', '',
               '', '', '', '', '', '', {r("coalesce(d.text, '')")}, {r("coalesce(n.text, '')")},
               {_concept_cells("f.id IS NOT NULL")}, c.id, 1, e.tag
        FROM extras e
        JOIN concepts c ON c.id = e.concept_id
        LEFT JOIN concepts f ON f.id = c.id
            AND NOT EXISTS (SELECT 1 FROM terms x WHERE x.concept_id = c.id AND {usable('x')})
            AND e.tag = (SELECT min(o.tag) FROM extras o WHERE o.concept_id = c.id)
        LEFT JOIN definitions d ON d.concept_id = c.id AND d.tag = e.tag
        LEFT JOIN notes n ON n.concept_id = c.id AND n.tag = e.tag
        WHERE {concepts}"""
    return (f"WITH extras AS MATERIALIZED ({_extras_sql(narrowed, usable('t'))}) "
            f"{terms} UNION ALL {extra} ORDER BY {len(COLUMNS) + 1}, {len(COLUMNS) + 2}, "
            f"{len(COLUMNS) + 3}")


def _concept_cells(first: str) -> str:
    """related, sources and do_not_translate: on the concept's ``first`` row, else empty."""
    related = (f"(SELECT {_risky('g')} FROM (SELECT coalesce(group_concat(related_id, ' '), '') "
               "AS g FROM (SELECT related_id FROM relations r WHERE r.concept_id = c.id "
               "ORDER BY related_id)))")
    sources = (f"(SELECT {_risky('g')} FROM (SELECT coalesce(group_concat(text, char(10)), '') "
               "AS g FROM (SELECT text FROM sources s WHERE s.concept_id = c.id "
               "ORDER BY position)))")
    return (f"CASE WHEN {first} THEN {related} ELSE '' END, "
            f"CASE WHEN {first} THEN {sources} ELSE '' END, "
            f"CASE WHEN {first} AND c.do_not_translate THEN 'yes' ELSE '' END")


def _usable(t: str, narrowed: bool, filtered: bool) -> str:
    """SQL true for a term ``t`` the export keeps (``exporting.kept_tags``, ``.selected``)."""
    tests = [f"({t}.reliability >= :least OR {t}.language = :source)"] if filtered else []
    if narrowed:
        tests.append(f"{t}.tag IN (SELECT value FROM json_each(:kept))")
    return " AND ".join(tests) or "1"


def _extras_sql(narrowed: bool, usable: str) -> str:
    """(concept, tag) of every definition or concept note whose tag has no usable term
    (``usable`` tests a term ``t``)."""
    kept = "o.tag IN (SELECT value FROM json_each(:kept))" if narrowed else "1"
    return " UNION ".join(
        f"SELECT concept_id, tag FROM {table} o WHERE {kept} AND NOT EXISTS (SELECT 1 FROM "
        f"terms t WHERE t.concept_id = o.concept_id AND t.tag = o.tag AND {usable})"
        for table in ("definitions", "notes"))


# what _RISKY_START lists, as a GLOB pattern ("-" last in the class, the quote doubled)
_RISKY_GLOB = "'[=+@\t\r''-]*'"


def _risky(column: str) -> str:
    """``_cell`` in SQL: an apostrophe before a value a spreadsheet would run as a formula.
    Every risky first character sorts from a tab to "@", so two plain comparisons (no
    function call) rule out most values before the GLOB runs."""
    return (f"CASE WHEN {column} >= '\t' AND {column} < 'A' AND {column} GLOB {_RISKY_GLOB} "
            f"THEN '''' || {column} ELSE {column} END")


def _term_cells(term: Term) -> dict[str, str]:
    p = term.provenance
    return {"term": term.text, "status": term.status, "type": term.type,
            "part_of_speech": term.part_of_speech or "", "gender": term.gender or "",
            "case_sensitive": "yes" if term.case_sensitive else "",
            "reason": term.status_reason or "", "note": term.note or "",
            "source": term.source or "", "origin": p.origin, "review": p.review,
            "reviewers": "\n".join(p.reviewers), "reviewed_on": p.reviewed_on or ""}


# Reading ---------------------------------------------------------------------------------

def read_csv(fp: BinaryIO, *, name: str) -> Iterator[Concept]:
    return _read(fp, name, ",")


def read_tsv(fp: BinaryIO, *, name: str) -> Iterator[Concept]:
    return _read(fp, name, "\t")


@dataclass
class _Draft:
    """A concept's values as first given (kept for every concept, to check later rows against
    them) and its terms from the current run of rows (yielded and dropped at the run's end)."""

    id: str
    values: dict[str, str] = field(default_factory=dict)
    definitions: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    terms: list[Term] = field(default_factory=list)
    yielded: bool = False

    @property
    def pending(self) -> bool:
        """Whether a run of rows is waiting to be yielded (a concept is yielded at least once)."""
        return bool(self.terms) or not self.yielded

    def concept(self) -> Concept:
        v = self.values
        return Concept(self.id, v.get("subject_field", ""), tuple(self.terms), self.definitions,
                       self.notes, tuple(v.get("related", "").split()),
                       tuple(s for s in v.get("sources", "").split("\n") if s),
                       v.get("do_not_translate", "") == "yes")


def _read(fp: BinaryIO, name: str, delimiter: str) -> Iterator[Concept]:
    """Concepts as their rows come, streamed: a run of rows of one concept is one Concept
    (a concept whose rows come back later in the file is yielded again with those terms).
    Memory stays bounded by the number of concepts, not of rows."""
    reader = csv.reader(_lines(fp, name), delimiter=delimiter, strict=True)
    drafts: dict[str, _Draft] = {}
    current: _Draft | None = None
    try:
        columns = _columns(name, next(reader, None))
        line = reader.line_num + 1
        for raw in reader:
            if any(cell.strip() for cell in raw):
                row = {c: _uncell(raw[i]) if i < len(raw) else "" for c, i in columns.items()}
                draft = _add_row(name, line, row, drafts)
                if current is not None and draft is not current and current.pending:
                    yield _flush(current)
                current = draft
            line = reader.line_num + 1
        if current is not None and current.pending:
            yield _flush(current)
    except csv.Error as exc:
        raise SourceError.at(name, reader.line_num, None, f"malformed {delimiter!r}-separated "
                             f"text: {exc}") from None


def _lines(fp: BinaryIO, name: str) -> Iterator[str]:
    """The file's lines decoded one by one (a BOM dropped), so a bad byte names its line."""
    for number, raw in enumerate(fp, 1):
        yield decode(raw, name) if number == 1 else _decoded(raw, name, number)


def _decoded(raw: bytes, name: str, number: int) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError.at(name, number, None, f"not valid UTF-8 (byte {exc.start} of the "
                             "line); save the file as UTF-8") from None


def _flush(draft: _Draft) -> Concept:
    concept = draft.concept()
    draft.terms, draft.yielded = [], True
    return concept


def _columns(name: str, header: list[str] | None) -> dict[str, int]:
    columns = {c.strip(): i for i, c in enumerate(header or [])}
    missing = [c for c in ("concept", "tag", "term") if c not in columns]
    if missing:
        raise SourceError.at(name, 1, None, f"the header lacks the column(s) {', '.join(missing)} "
                             f"(expected: {', '.join(COLUMNS)})")
    return {c: columns[c] for c in COLUMNS if c in columns}


def _uncell(value: str) -> str:
    return value[1:] if value.startswith("'") else value


def _add_row(name: str, line: int, row: dict[str, str], drafts: dict[str, _Draft]) -> _Draft:
    if not row["concept"]:
        raise SourceError.at(name, line, "concept", "is empty")
    draft = drafts.setdefault(row["concept"], _Draft(row["concept"]))
    for key in ("subject_field", "related", "sources", "do_not_translate"):
        _first(name, line, key, row.get(key, ""), draft.values)
    tag = _tag(name, line, row["tag"])
    _first(name, line, "definition", row.get("definition", ""), draft.definitions, tag)
    _first(name, line, "concept_note", row.get("concept_note", ""), draft.notes, tag)
    if row["term"]:
        draft.terms.append(_term(name, line, tag, row))
    return draft


def _first(name: str, line: int, key: str, value: str, into: dict[str, str],
           slot: str | None = None) -> None:
    slot = slot or key
    if not value:
        return
    if slot in into and into[slot] != value:
        raise SourceError.at(name, line, key, f"differs from the value given earlier for this "
                             f"concept ({into[slot]!r})")
    into[slot] = value


def _tag(name: str, line: int, value: str) -> str:
    try:
        return langtags.normalize(value)
    except langtags.LanguageTagError as exc:
        raise SourceError.at(name, line, "tag", str(exc)) from None


def _term(name: str, line: int, tag: str, row: dict[str, str]) -> Term:
    text = row["term"]
    if _CONTROL.search(text) or text != text.strip():
        raise SourceError.at(name, line, "term", f"{text!r} is not a clean one-line term")

    def choice(key: str, allowed: tuple[str, ...]) -> str | None:
        value = row.get(key, "")
        if value and value not in allowed:
            raise SourceError.at(name, line, key, f"{value!r} is not one of: {', '.join(allowed)}")
        return value or None

    provenance = Provenance(row.get("origin") or "unknown", choice("review", REVIEW_STATES) or "draft",
                            tuple(r for r in row.get("reviewers", "").split("\n") if r),
                            row.get("reviewed_on") or None)
    return Term(text, tag, choice("status", STATUSES) or "admitted",
                choice("type", TERM_TYPES) or "full form", choice("part_of_speech", PARTS_OF_SPEECH),
                choice("gender", GENDERS), row.get("note") or None,
                choice("reason", STATUS_REASONS),
                choice("case_sensitive", ("yes", "no", "")) == "yes",
                row.get("source") or None, provenance, line)

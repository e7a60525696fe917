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
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter
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
# a row as the bank's cursors give it (None: an empty cell, as the csv module writes it)
_Row = tuple[str | None, ...]
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


def _bank_rows(bank: OpenBank, kept: frozenset[str] | None,
               options: ExportOptions) -> Iterator[_Row]:
    """Every row as ``_rows`` makes it from the model, read from the built bank (without
    approved proposals; with them, the model path runs) by three cursors in concept order,
    each one pass down an index, merged here: the usable terms' cells, the concepts' cells
    and their definitions and notes. SQLite searches nothing per row (per concept, its
    related ids and sources); which row is a concept's or a tag's first is decided here,
    with a comparison per concept."""
    params: dict[str, object] = {"least": options.min_reliability,
                                 "source": langtags.language(options.source),
                                 "kept": json.dumps(sorted(kept or ())),
                                 "concepts": json.dumps(sorted(options.concepts or ()))}
    narrowed, chosen = kept is not None, options.concepts is not None
    filtered = options.min_reliability > 1

    def read(sql: str) -> sqlite3.Cursor:
        cursor = bank.conn.cursor()
        cursor.row_factory = None
        return cursor.execute(sql, params)

    terms = groupby(read(_terms_sql(narrowed, chosen, filtered)), key=itemgetter(0))
    texts = read(_texts_sql(narrowed, chosen))
    return _merged(read(_concepts_sql(chosen)), terms, texts)


def _merged(concepts: Iterable[_Row], terms: Iterator[tuple[str, Iterator[_Row]]],
            texts: Iterator[_Row]) -> Iterator[_Row]:
    """Each concept's rows: its term rows (the query's cells after the concept's id, with
    the concept's cells before them and, on a tag's first row, its definition and note and
    on the concept's first row its own values after them), then one row per other tag with
    a definition or note, in tag order. The three come in the same order, keyed by the
    concept's id."""
    owner, group = next(terms, _NO_GROUP)
    text = next(texts, None)
    for key, id_cell, subject, related, sources, untranslated in concepts:
        cells = (id_cell, subject)
        # made safe here: in SQL, _risky would run each list's subquery again
        first = (related and _cell(related), sources and _cell(sources), untranslated)
        described: dict[str | None, list[str | None]] = {}
        while text is not None and text[0] == key:
            described.setdefault(text[1], ["", ""])[text[2] == "note"] = text[3]
            text = next(texts, None)
        if owner == key:
            row = next(group)
            pair = described.pop(row[1], _NO_TEXT) if described else _NO_TEXT
            yield (*cells, *row[1:], *pair, *first)
            first = _NO_VALUES
            for row in group:
                if described and row[1] in described:
                    yield (*cells, *row[1:], *described.pop(row[1]), *first)
                else:
                    yield cells + row[1:] + _NO_TEXT_OR_VALUES
            owner, group = next(terms, _NO_GROUP)
        if described:
            for tag in sorted(described, key=lambda cell: _uncell(cell or "")):
                yield (*cells, tag, *_NO_TERM, *described[tag], *first)
                first = _NO_VALUES


# empty cells: a concept with no terms, the definition and note, the concept's own values
_NO_GROUP: tuple[None, Iterator[_Row]] = (None, iter(()))
_NO_TERM = ("",) * 13
_NO_TEXT = ("", "")
_NO_VALUES = ("",) * 3
_NO_TEXT_OR_VALUES = _NO_TEXT + _NO_VALUES


def _terms_sql(narrowed: bool, chosen: bool, filtered: bool) -> str:
    """The usable terms in concept and recorded order: the concept's id, then the term's
    cells (tag to reviewed_on). An empty value stays NULL (None, which the csv module
    writes as an empty cell): a coalesce per cell costs a tenth of the query."""
    r = _risky
    reviewers = (f"(SELECT {r('g')} FROM (SELECT group_concat(value, char(10)) AS g "
                 "FROM json_each(t.reviewers)))")
    return f"""
        SELECT t.concept_id, {r('t.tag')}, {r('t.text')}, t.status, t.type, t.part_of_speech,
               t.gender, CASE WHEN t.case_sensitive THEN 'yes' END, t.status_reason,
               {r('t.note')}, {r('t.source')},
               CASE WHEN t.origin > '' THEN {r('t.origin')} ELSE 'unknown' END,
               CASE WHEN t.review > '' THEN t.review ELSE 'draft' END,
               CASE WHEN t.reviewers <> '[]' THEN {reviewers} END, {r('t.reviewed_on')}
        FROM terms t
        WHERE {_usable('t', narrowed, filtered)} AND {_chosen('t.concept_id', chosen)}
        ORDER BY t.concept_id, t.position"""


def _texts_sql(narrowed: bool, chosen: bool) -> str:
    """Every definition and concept note of a kept tag, keyed by the concept's id and the
    tag's cell, in concept order."""
    kept = "o.tag IN (SELECT value FROM json_each(:kept))" if narrowed else "1"
    return " UNION ALL ".join(
        f"SELECT o.concept_id, {_risky('o.tag')}, '{kind}', {_risky('o.text')} "
        f"FROM {table} o WHERE {kept} AND {_chosen('o.concept_id', chosen)}"
        for kind, table in (("definition", "definitions"), ("note", "notes"))) + " ORDER BY 1"


def _concepts_sql(chosen: bool) -> str:
    """Each concept's id, its id and subject field cells, and its values for its first row
    (related, sources: NULL for none, and not yet made safe; do_not_translate), in id order."""
    related = ("(SELECT group_concat(related_id, ' ') FROM (SELECT related_id "
               "FROM relations r WHERE r.concept_id = c.id ORDER BY related_id))")
    sources = ("(SELECT group_concat(text, char(10)) FROM (SELECT text "
               "FROM sources s WHERE s.concept_id = c.id ORDER BY position))")
    return f"""
        SELECT c.id, {_risky('c.id')}, {_risky('c.subject_field')}, {related}, {sources},
               CASE WHEN c.do_not_translate THEN 'yes' END
        FROM concepts c WHERE {_chosen('c.id', chosen)} ORDER BY c.id"""


def _chosen(column: str, chosen: bool) -> str:
    """SQL true for a concept id in ``column`` that --concept chose (always, without it)."""
    return f"{column} IN (SELECT value FROM json_each(:concepts))" if chosen else "1"


def _usable(t: str, narrowed: bool, filtered: bool) -> str:
    """SQL true for a term ``t`` the export keeps (``exporting.kept_tags``, ``.selected``)."""
    tests = [f"({t}.reliability >= :least OR {t}.language = :source)"] if filtered else []
    if narrowed:
        tests.append(f"{t}.tag IN (SELECT value FROM json_each(:kept))")
    return " AND ".join(tests) or "1"


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

"""gettext catalogues: PO for translators and compendia, MO for running programs.

One entry per concept: msgid is the source preferred term, msgstr the target
dialect's term by the fallback chain (``es-MX`` takes es-MX, else es-419,
else es). gettext keys entries by msgctxt + msgid, so when one English term
names two concepts (homonyms: "objective", "stage") both entries get the
concept id as msgctxt. Entries come out sorted by msgid, then concept id.

Checklist, enforced here:
- header: Language (gettext form ``es_MX``), UTF-8 Content-Type, Plural-Forms
  from termbank.plurals (GNU gettext's rules, not the installed babel's), X-Source-Language; no wall-clock date: the
  PO-Revision-Date is the newest review date among the exported terms, or
  the epoch when none is reviewed, so the same bank gives the same bytes;
- no duplicate msgctxt+msgid (``msgfmt -c`` refuses them);
- strings escaped as gettext reads them; translator comments (``#.``) are
  single lines with control characters removed;
- translator comments carry the definition, the status, reliability and
  review of the msgstr term, its grammar, note and source, the tag that
  supplied it when it is a fallback ("From es: archivo"), other accepted
  terms ("Also", naming their tag when it is not the msgstr's) and deprecated or forbidden forms ("Avoid"): the reader
  rebuilds the concept from them, so export -> import -> export is stable;
- MO holds translated entries only, keys sorted, no hash table (optional in
  the format; GNU gettext then binary-searches): linear in the entries,
  unlike polib's and babel's writers (quadratic, see NOTES.md).
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import struct
import sys
import tempfile
from array import array
from collections.abc import Iterable, Iterator
from itertools import chain, groupby
from operator import itemgetter
from typing import BinaryIO, cast

from .. import langtags
from ..errors import SourceError
from ..exporting import EntrySpool, ExportOptions
from ..model import GENDERS, PARTS_OF_SPEECH, Concept, Glossary, Provenance, Term
from ..plurals import plural_forms
from ..renderings import Catalogued, TermRow, by_source_term, catalogued, first_answers, renderings
from .pairs import Pair

DOMAIN = "termbank"
EPOCH = "1970-01-01 00:00+0000"
DO_NOT_TRANSLATE = "Do not translate: a name kept as it is in every language."
UNEXPLAINED = "no reason given"
_SEP = "\x1e"
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_ESCAPED = re.compile(r'[\\"\n\t\r]')
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"})


def write_po(fp: BinaryIO, glossary: Glossary, options: ExportOptions) -> None:
    """The catalogue in msgid order (a msgid shared by several concepts gets their ids as
    msgctxt). The header's date is known only once every entry is, so the entries go to
    a temporary file first and follow the header."""
    target = options.single_target(glossary, "po")
    with tempfile.TemporaryFile() as body:
        newest = _write_entries(body, _homonym_groups(glossary, options, target))
        fp.write(_header(target, options.source, f"{newest} 00:00+0000" if newest
                         else EPOCH).encode())
        body.seek(0)
        shutil.copyfileobj(body, fp, 1 << 20)


# One entry as it is written: (msgid, concept id, msgstr, reviewed_on of the msgstr term or
# "", comment block)
Entry = tuple[str, str, str, str, str]


def _homonym_groups(glossary: Glossary, options: ExportOptions,
                    target: str) -> Iterator[list[Entry]]:
    """The entries in msgid order (case-insensitive first, then exact, then concept id),
    those sharing a msgid grouped. A built bank sorts them in SQL
    (``renderings.by_source_term``); a glossary in memory or a bank with approved proposals
    attached parks them in a scratch SQLite file, which sorts them the same way."""
    bank = glossary.bank
    if bank is not None and not bank.overlay:
        entries = _entries(by_source_term(bank, options, target), options, target)
        yield from (list(group) for _, group in groupby(entries, key=itemgetter(0)))
        return
    with EntrySpool() as spool:
        concepts = map(catalogued, renderings(glossary, options, (target,)))
        for entry in _entries(concepts, options, target):
            msgid, concept_id = entry[0], entry[1]
            spool.add(f"{msgid.casefold()}{_SEP}{msgid}", 0, concept_id, _SEP.join(entry))
        for group in spool.groups():
            yield [cast(Entry, tuple(payload.split(_SEP, 4))) for *_, payload in group]


def _entries(concepts: Iterable[Catalogued], options: ExportOptions,
             target: str) -> Iterator[Entry]:
    """Each concept's entry; a concept with no source term is left out, with a notice."""
    for concept in concepts:
        if concept.source is None:
            options.notice(f"{concept.id}: no {options.source} term; left out")
            continue
        accepted, refused = concept.answer
        best = accepted[0] if accepted else None
        comments = _comments(concept, target, accepted, refused)
        block = "#. " + "\n#. ".join(comments) + "\n" if comments else ""
        block += f"#: glossary/{concept.subject_field}/{concept.id}.yml\n"
        yield (concept.source, concept.id, best.text if best else "",
               (best.reviewed_on or "") if best else "", block)


def _write_entries(fp: BinaryIO, groups: Iterable[list[Entry]]) -> str:
    """Write each entry (msgctxt for a shared msgid); returns the newest review date."""
    newest = ""
    lines: list[str] = []
    for group in groups:
        shared = len(group) > 1
        for msgid, concept_id, msgstr, reviewed_on, block in group:
            if reviewed_on > newest:
                newest = reviewed_on
            context = f'msgctxt "{_escape(concept_id)}"\n' if shared else ""
            lines.append(f'\n{block}{context}msgid "{_escape(msgid)}"\n'
                         f'msgstr "{_escape(msgstr)}"\n')
        if len(lines) >= _BATCH:
            fp.write("".join(lines).encode())
            lines.clear()
    fp.write("".join(lines).encode())
    return newest


def write_mo(fp: BinaryIO, glossary: Glossary, options: ExportOptions) -> None:
    """The MO file, streamed: the entries are parked in a scratch SQLite file, which sorts
    the keys (byte order, as gettext's binary search needs) and sums their lengths, so no
    table is held in memory. On a built bank, SQLite also picks each concept's terms
    (``renderings.first_answers``); MO needs only the first answer, not the comments."""
    target = options.single_target(glossary, "mo")
    bank = glossary.bank
    if bank is not None and not bank.overlay:
        entries: Iterable[tuple] = first_answers(bank, options, target)
    else:
        entries = _first_answers(glossary, options, target)
    with EntrySpool() as spool:
        db = spool.db
        db.execute("CREATE TABLE answers (concept TEXT, msgid TEXT, msgstr TEXT, "
                   "reviewed_on TEXT)")
        db.executemany("INSERT INTO answers VALUES (?, ?, ?, ?)", entries)
        for (concept_id,) in db.execute("SELECT concept FROM answers WHERE msgid IS NULL "
                                        "ORDER BY rowid"):
            options.notice(f"{concept_id}: no {options.source} term; left out")
        newest = db.execute("SELECT max(reviewed_on) FROM answers WHERE msgid IS NOT NULL "
                            "AND reviewed_on != ''").fetchone()[0]
        revised = f"{newest} 00:00+0000" if newest else EPOCH
        header = _header_fields(target, options.source, revised)
        db.execute(_MO_PAIRS)
        _write_mo(fp, db, "".join(f"{k}: {v}\n" for k, v in header).encode())


def _first_answers(glossary: Glossary, options: ExportOptions,
                   target: str) -> Iterator[tuple[str, str | None, str | None, str | None]]:
    """``renderings.first_answers`` from the model (a glossary in memory, an overlay)."""
    for concept in renderings(glossary, options, (target,)):
        accepted = concept.answers[0][0]
        best = accepted[0] if accepted else None
        yield (concept.id, concept.named.text if concept.named else None,
               best.text if best else None, best.reviewed_on if best else None)


def mo_bytes(pairs: list[tuple[bytes, bytes]]) -> bytes:
    """The MO file for (key, translation) pairs: header, two tables, then the strings."""
    pairs = sorted(pairs)
    count = len(pairs)
    originals_at = 28
    translations_at = originals_at + 8 * count
    strings_at = translations_at + 8 * count
    tables, blob = bytearray(), bytearray()
    for column in (0, 1):
        for pair in pairs:
            text = pair[column]
            tables += struct.pack("<II", len(text), strings_at + len(blob))
            blob += text + b"\0"
    head = struct.pack("<7I", 0x950412DE, 0, count, originals_at, translations_at, 0, strings_at)
    return head + bytes(tables) + bytes(blob)


# The answers as MO pairs: a msgid shared by several concepts is keyed by its context (the
# concept id), and only translated entries are written; in byte order, as MO wants.
_MO_PAIRS = """
    CREATE TABLE pairs AS
    SELECT CAST(CASE WHEN n > 1 THEN concept || char(4) || msgid ELSE msgid END AS BLOB) AS k,
           CAST(msgstr AS BLOB) AS v
    FROM (SELECT msgid, concept, msgstr, count(*) OVER (PARTITION BY msgid) AS n
          FROM answers WHERE msgid IS NOT NULL)
    WHERE coalesce(msgstr, '') != ''
    ORDER BY k, v"""
_BATCH = 2000


def _write_mo(fp: BinaryIO, db: sqlite3.Connection, header: bytes) -> None:
    """``mo_bytes`` of the header and the ``pairs`` table, written in four streamed passes:
    the originals' table, the translations' table, the originals, the translations."""
    count, keys = db.execute("SELECT count(*), total(length(k)) FROM pairs").fetchone()
    count += 1   # the header, whose key is empty and so sorts first
    originals_at = 28
    translations_at = originals_at + 8 * count
    strings_at = translations_at + 8 * count
    fp.write(struct.pack("<7I", 0x950412DE, 0, count, originals_at, translations_at, 0,
                         strings_at))
    first_value = strings_at + int(keys) + count
    for column, at, first in (("k", strings_at, b""), ("v", first_value, header)):
        fp.write(struct.pack("<II", len(first), at))
        # each string's length and offset; the offsets run on from the first string's end
        sql = (f"SELECT length({column}), {at + len(first) + 1} + coalesce(sum(length({column}) "
               f"+ 1) OVER (ORDER BY rowid ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), "
               f"0) FROM pairs ORDER BY rowid")
        for batch in _batches(db, sql):
            numbers = array("I", chain.from_iterable(batch))
            if sys.byteorder == "big":   # MO files here are little-endian, as the header says
                numbers.byteswap()
            fp.write(numbers.tobytes())
    for column, first in (("k", b""), ("v", header)):
        fp.write(first + b"\0")
        for batch in _batches(db, f"SELECT {column} FROM pairs ORDER BY rowid"):
            fp.write(b"\0".join(text for (text,) in batch) + b"\0")


def _batches(db, sql: str) -> Iterator[list]:
    cursor = db.execute(sql)
    while batch := cursor.fetchmany(_BATCH):
        yield batch


def _comments(concept: Catalogued, target: str, accepted: list[TermRow],
              refused: list[TermRow]) -> list[str]:
    lines = []
    if concept.definition:
        lines.append("Definition: " + _one_line(concept.definition))
    if concept.do_not_translate:
        lines.append(DO_NOT_TRANSLATE)
    if accepted:
        term = accepted[0]
        lines.append(f"Status: {term.status}; reliability {term.reliability} ({_review(term)})")
        pos, gender = term.part_of_speech, term.gender
        if pos or gender:
            lines.append(f"Grammar: {pos}, {gender}" if pos and gender
                         else f"Grammar: {pos or gender}")
        if term.note:
            lines.append("Note: " + _one_line(term.note))
        if term.source:
            lines.append("Source: " + _one_line(term.source))
        if term.tag != target:
            lines.append(f"From {term.tag}: {term.text}")
        for other in accepted[1:]:   # a general term after a regional admitted one names its tag
            since = "" if other.tag == term.tag else f" from {other.tag}"
            lines.append(f"Also: {other.text} ({other.status}){since}")
    for term in refused:
        lines.append(f"Avoid: {term.text} [{term.tag}; {term.status}; "
                     f"{term.status_reason or UNEXPLAINED}]")
    return lines


def _review(p: TermRow) -> str:
    if p.review != "reviewed" or not p.reviewers:
        return "draft"
    on = f" on {p.reviewed_on}" if p.reviewed_on else ""
    return f"reviewed by {', '.join(p.reviewers)}{on}"


def _one_line(text: str) -> str:
    if text.isprintable():   # no control character (the usual case: no regex pass)
        return text.strip()
    return _CONTROL.sub(" ", text).strip()


def _header_fields(target: str, source: str, revised: str) -> list[tuple[str, str]]:
    locale = langtags.to_gettext(target)
    return [("Project-Id-Version", DOMAIN), ("PO-Revision-Date", revised),
            ("Last-Translator", "termbank contributors"), ("Language-Team", "termbank"),
            ("Language", locale), ("MIME-Version", "1.0"),
            ("Content-Type", "text/plain; charset=UTF-8"), ("Content-Transfer-Encoding", "8bit"),
            ("Plural-Forms", plural_forms(target)),
            ("X-Source-Language", langtags.to_gettext(source))]


def _header(target: str, source: str, revised: str) -> str:
    lines = [f"# {DOMAIN}: microscopy and bioimage-analysis terms, "
             f"{langtags.display_name(source)} to {langtags.display_name(target)} ({target}).",
             "# Generated from the termbank glossary; edit the glossary, not this file.",
             'msgid ""', 'msgstr ""']
    lines += [f'"{_escape(f"{k}: {v}")}\\n"' for k, v in _header_fields(target, source, revised)]
    return "\n".join(lines) + "\n"


def _escape(text: str) -> str:
    # most terms need no escape; looking costs a tenth of translating
    return text.translate(_ESCAPES) if _ESCAPED.search(text) else text


# Reading ---------------------------------------------------------------------------------

_REFERENCE = re.compile(r"^glossary/([a-z0-9-]+)/([a-z0-9]+(?:-[a-z0-9]+)*)\.yml$")
_STATUS = re.compile(r"^Status: (\w+); reliability \d \((draft|reviewed by (.+?)(?: on (\S+))?)\)$")
_ALSO = re.compile(r"^Also: (.+) \((preferred|admitted)\)(?: from ([A-Za-z0-9-]+))?$")
_AVOID = re.compile(r"^Avoid: (.+) \[([^;\]]+); (deprecated|forbidden); ([^\]]+)\]$")
_FROM = re.compile(r"^From ([A-Za-z0-9-]+): (.+)$")


def read_po(fp: BinaryIO, *, name: str) -> Iterator[Concept]:
    """Concepts as a PO catalogue states them; a translator's msgstr is a term of the
    catalogue's language unless it is unchanged from the fallback the comment names."""
    import polib

    from ..yamlsource import decode  # YAML's loader is not needed to write a catalogue

    text = decode(fp.read(), name)
    try:
        catalogue = polib.pofile(text)
    except OSError as exc:
        found = re.search(r"line (\d+)", str(exc))
        raise SourceError.at(name, int(found.group(1)) if found else None, None,
                             f"malformed PO: {exc}") from None
    language = _tag(name, _line_of(text, '"Language:'), "Language",
                    catalogue.metadata.get("Language"))
    source = _tag(name, _line_of(text, '"X-Source-Language:'), "X-Source-Language",
                  catalogue.metadata.get("X-Source-Language", "en"))
    for entry in catalogue:
        if entry.obsolete:
            continue
        yield _concept(name, entry, language, source)


def _line_of(text: str, needle: str) -> int:
    """The line of a header field (polib keeps no line numbers for the header)."""
    index = text.find(needle)
    return text.count("\n", 0, index) + 1 if index >= 0 else 1


def _tag(name: str, line: int, field: str, value: str | None) -> str:
    if not value:
        raise SourceError.at(name, line, field, "missing from the header")
    try:
        return langtags.normalize(value)
    except langtags.LanguageTagError as exc:
        raise SourceError.at(name, line, field, str(exc)) from None


def _concept(name: str, entry, language: str, source: str) -> Concept:
    line = entry.linenum
    if entry.msgid_plural:
        raise SourceError.at(name, line, "msgid_plural", "a term has no plural forms")
    for field, text in (("msgid", entry.msgid), ("msgstr", entry.msgstr)):
        if _CONTROL.search(text) or text != text.strip():
            raise SourceError.at(name, line, field, f"{text!r} is not a clean one-line term")
    if not entry.msgid:
        raise SourceError.at(name, line, "msgid", "is empty")
    notes = dict(_keyed(entry.comment))
    field, concept_id = "", entry.msgctxt or ""
    for path, _ in entry.occurrences:
        if found := _REFERENCE.match(path):
            field, concept_id = found.group(1), found.group(2)
    provenance = Provenance(f"import:{name}")
    terms = _target_terms(name, entry, notes, language, provenance)
    terms.append(Term(entry.msgid, source, "preferred", provenance=provenance, line=line))
    definition = _value(notes.get("Definition"))
    return Concept(concept_id, field, _unique(terms), {"en": definition} if definition else {},
                   do_not_translate=DO_NOT_TRANSLATE in entry.comment.split("\n"))


def _keyed(comment: str) -> Iterator[tuple[str, str]]:
    for line in comment.split("\n"):
        key, colon, _ = line.partition(": ")
        if colon:
            yield key, line


def _target_terms(name: str, entry, notes: dict[str, str], language: str,
                  provenance: Provenance) -> list[Term]:
    """The msgstr term and the terms named in comments. The msgstr belongs to the tag
    its "From" comment names only while it is the very term named there; an edited
    msgstr is the translator's term for the catalogue's own language."""
    line = entry.linenum
    comments = entry.comment.split("\n")
    found = next((m for c in comments if (m := _FROM.match(c))), None)
    supplier = _tag(name, line, "From", found.group(1)) if found else language
    terms = []
    if entry.msgstr:
        tag = supplier if found is None or found.group(2) == entry.msgstr else language
        status, term_provenance = _status(name, line, notes.get("Status"), provenance)
        pos, gender = _grammar(notes.get("Grammar"))
        terms.append(Term(entry.msgstr, tag, status, part_of_speech=pos, gender=gender,
                          note=_value(notes.get("Note")), source=_value(notes.get("Source")),
                          provenance=term_provenance, line=line))
    for comment in comments:
        if also := _ALSO.match(comment):
            tag = _tag(name, line, "Also", also.group(3)) if also.group(3) else supplier
            terms.append(Term(also.group(1), tag, also.group(2), provenance=provenance,
                              line=line))
        elif avoid := _AVOID.match(comment):
            terms.append(Term(avoid.group(1), _tag(name, line, "Avoid", avoid.group(2)),
                              avoid.group(3), status_reason=_reason(avoid.group(4)),
                              provenance=provenance, line=line))
    return terms


def _status(name: str, line: int, comment: str | None,
            default: Provenance) -> tuple[str, Provenance]:
    """A translator's own msgstr is admitted and a draft; an exported one keeps its record."""
    if comment is None:
        return "admitted", default
    found = _STATUS.match(comment)
    if found is None:
        raise SourceError.at(name, line, "Status", f"unreadable comment {comment!r}")
    if found.group(3) is None:
        return found.group(1), default
    reviewers = tuple(found.group(3).split(", "))
    return found.group(1), Provenance(default.origin, "reviewed", reviewers, found.group(4))


def _grammar(comment: str | None) -> tuple[str | None, str | None]:
    parts = (_value(comment) or "").split(", ")
    pos = next((p for p in parts if p in PARTS_OF_SPEECH), None)
    gender = next((p for p in parts if p in GENDERS), None)
    return pos, gender


def _reason(text: str) -> str | None:
    return None if text == UNEXPLAINED else text


def _value(comment: str | None) -> str | None:
    return comment.partition(": ")[2] if comment else None


def _unique(terms: list[Term]) -> tuple[Term, ...]:
    """One term per tag and text: a do-not-translate name appears as msgstr (with its
    record) and as msgid; the first one, the msgstr, is kept."""
    seen: dict[tuple[str, str], Term] = {}
    for term in terms:
        seen.setdefault((term.tag, term.text), term)
    return tuple(seen.values())


# Translations to check -------------------------------------------------------------------

def read_pairs(fp: BinaryIO, *, name: str, source: str, target: str) -> Iterator[Pair]:
    """Translated entries of a catalogue, for ``termbank check``: fuzzy, obsolete and
    untranslated entries are skipped and each plural form is its own pair (msgid for
    form 0, msgid_plural for the others). ``source`` and ``target`` are the user's: a
    catalogue holds one language pair, whatever its header says."""
    import polib

    from ..yamlsource import decode  # YAML's loader is not needed to write a catalogue

    text = decode(fp.read(), name)
    try:
        catalogue = polib.pofile(text)
    except (OSError, ValueError) as exc:
        found = re.search(r"line (\d+)", str(exc))
        raise SourceError.at(name, int(found.group(1)) if found else None, None,
                             f"not a readable PO file: {exc}") from None
    for entry in catalogue:
        if entry.obsolete or entry.fuzzy or not entry.msgid:
            continue
        if entry.msgid_plural:
            for index, translated in sorted(entry.msgstr_plural.items()):
                original = entry.msgid if int(index) == 0 else entry.msgid_plural
                if translated:
                    yield Pair(entry.linenum, original, translated, entry.msgctxt)
        elif entry.msgstr:
            yield Pair(entry.linenum, entry.msgid, entry.msgstr, entry.msgctxt)

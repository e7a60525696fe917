"""TBX termbases: ISO 30042:2019 TBX-Basic (DCA style) and the 2008 ``<martif>`` form.

Both are written concept by concept as text (no tree in memory) and carry
everything the model holds, each tag's own terms as recorded (a consumer
applies its own fallback): subject field, definitions, notes, sources,
related concepts, and per term part of speech, gender, term type, status,
region, note, source, provenance. Mapping where TBX-Basic has no exact slot:
- our "forbidden" is ``deprecatedTerm-admn-sts`` plus the note "termbank: forbidden";
  the reason for a deprecated or forbidden term is the note "termbank: reason: calque";
- case sensitivity is the note "termbank: case-sensitive" (a free note that itself
  starts with "termbank: " is written behind "termbank: note: ", so none is misread);
  do-not-translate is a concept-level note (TBX-Basic has no such category);
- grammatical gender "common" is TBX's "other";
- origin is an ``origination`` transaction; a human review is a
  ``modification`` transaction dated ``reviewed_on``, one responsibility per reviewer;
- definitions and notes of a tag that has no term (TBX requires a term in a
  langSec) sit at concept level with their ``xml:lang``;
- concept ids that start with a digit are XML IDs only with a leading "_".

Checklist: characters XML 1.0 forbids (most C0 controls, U+FFFE/FFFF,
surrogates) are dropped; &, <, > and quotes escaped; dates written only when
they are ISO dates; an export with no concept is refused (TBX requires one).
The 2019 form validates against the TBX-Basic RELAX NG schema (tests).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import BinaryIO

from .. import langtags
from ..errors import SourceError, TermbankError
from ..exporting import ExportOptions, kept_tags, selected
from ..model import Concept, Glossary, Provenance, Term

NAMESPACE = "urn:iso:std:iso:30042:ed-2"
STATUS_TO_TBX = {"preferred": "preferredTerm-admn-sts", "admitted": "admittedTerm-admn-sts",
                 "deprecated": "deprecatedTerm-admn-sts", "forbidden": "deprecatedTerm-admn-sts"}
TYPE_TO_TBX = {"full form": "fullForm", "abbreviation": "abbreviation", "acronym": "acronym",
               "short form": "shortForm", "phrase": "phrase"}
POS_TO_TBX = {"noun": "noun", "verb": "verb", "adjective": "adjective", "adverb": "adverb",
              "proper noun": "properNoun", "other": "other"}
GENDER_TO_TBX = {"masculine": "masculine", "feminine": "feminine", "neuter": "neuter",
                 "common": "other"}
DO_NOT_TRANSLATE = "Do not translate: a name kept as it is in every language."
# Notes that carry model fields start with MARK; a free note that happens to start
# with it is written behind FREE, so the two can never be confused.
MARK = "termbank: "
FORBIDDEN = MARK + "forbidden"
CASE_SENSITIVE = MARK + "case-sensitive"
REASON = MARK + "reason: "
FREE = MARK + "note: "
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# XML does not keep line breaks in these texts significant: runs of ASCII white space
# are written, and read back, as one space (no-break spaces are kept).
_SPACES = re.compile(r"[ \t\r\n]+")
_XML_ESCAPES = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord('"'): "&quot;"}
# what XML 1.0 does not allow in a document at all: most C0 controls, U+FFFE/FFFF, lone surrogates
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_safe(text: str) -> str:
    """Escaped for XML text and attributes, without the characters XML 1.0 forbids."""
    return _NOT_XML.sub("", _SPACES.sub(" ", text).strip()).translate(_XML_ESCAPES)


@dataclass(frozen=True)
class Dialect:
    """The element names and root of one TBX generation."""

    root: str
    header: str
    entry: str
    language: str
    term: str


TBX_2019 = Dialect(f'tbx type="TBX-Basic" style="dca" xml:lang="{{lang}}" xmlns="{NAMESPACE}"',
                   "tbxHeader", "conceptEntry", "langSec", "termSec")
TBX_2008 = Dialect('martif type="TBX" xml:lang="{lang}"', "martifHeader", "termEntry",
                   "langSet", "tig")


def write_tbx(fp: BinaryIO, glossary: Glossary, options: ExportOptions) -> None:
    _write(fp, glossary, options, TBX_2019)


def write_martif(fp: BinaryIO, glossary: Glossary, options: ExportOptions) -> None:
    _write(fp, glossary, options, TBX_2008)


def _write(fp: BinaryIO, glossary: Glossary, options: ExportOptions, dialect: Dialect) -> None:
    tags = kept_tags(options)
    root_name = dialect.root.split()[0]
    fp.write(b'<?xml version="1.0" encoding="UTF-8"?>\n')
    fp.write(f"<{dialect.root.format(lang=options.source)}>\n"
             f"<{dialect.header}><fileDesc><sourceDesc><p>termbank: microscopy and "
             f"bioimage-analysis terms</p></sourceDesc></fileDesc></{dialect.header}>\n"
             "<text>\n<body>\n".encode())
    written = 0
    for concept in selected(glossary, options):
        related = [r for r in concept.related if options.concepts is None or r in options.concepts]
        fp.write(_entry(concept, tags, dialect, related).encode())
        written += 1
    if not written:
        raise TermbankError("no concept to export: TBX needs at least one (check --concept, "
                            "--lang and --min-reliability)")
    fp.write(f"</body>\n</text>\n</{root_name}>\n".encode())


def concept_ref(concept_id: str) -> str:
    """An XML ID for a concept id (IDs cannot start with a digit)."""
    return f"_{concept_id}" if concept_id[:1].isdigit() else concept_id


def _entry(concept: Concept, kept: frozenset[str] | None, dialect: Dialect,
           related: list[str]) -> str:
    """One concept entry. ``related`` holds only exported concepts: a cross-reference is an
    XML IDREF and must point inside the file."""
    terms = [t for t in concept.terms if kept is None or t.tag in kept]
    by_tag: dict[str, list[Term]] = {}
    for term in terms:
        by_tag.setdefault(term.tag, []).append(term)
    out = [f'<{dialect.entry} id="{xml_safe(concept_ref(concept.id))}">',
           f'  <descrip type="subjectField">{xml_safe(concept.subject_field)}</descrip>']
    if concept.do_not_translate:
        out.append(f"  <note>{DO_NOT_TRANSLATE}</note>")
    out += [f'  <admin type="source">{xml_safe(s)}</admin>' for s in concept.sources]
    out += [f'  <ref type="crossReference" target="{xml_safe(concept_ref(r))}">{xml_safe(r)}</ref>'
            for r in related]
    for tag, text in sorted(concept.definitions.items()):
        if tag not in by_tag and (kept is None or tag in kept):
            out.append(f'  <descrip type="definition" xml:lang="{tag}">{xml_safe(text)}</descrip>')
    for tag, text in sorted(concept.notes.items()):
        if tag not in by_tag and (kept is None or tag in kept):
            out.append(f'  <note xml:lang="{tag}">{xml_safe(text)}</note>')
    for tag in sorted(by_tag):
        out.append(f'  <{dialect.language} xml:lang="{tag}">')
        if tag in concept.definitions:
            out.append(f'    <descrip type="definition">{xml_safe(concept.definitions[tag])}</descrip>')
        if tag in concept.notes:
            out.append(f"    <note>{xml_safe(concept.notes[tag])}</note>")
        out += [line for term in by_tag[tag] for line in _term(term, dialect)]
        out.append(f"  </{dialect.language}>")
    out.append(f"</{dialect.entry}>\n")
    return "\n".join(out)


def _term(term: Term, dialect: Dialect) -> Iterator[str]:
    yield f"    <{dialect.term}>"
    yield f"      <term>{xml_safe(term.text)}</term>"
    if term.part_of_speech:
        yield f'      <termNote type="partOfSpeech">{POS_TO_TBX[term.part_of_speech]}</termNote>'
    if term.gender:
        yield f'      <termNote type="grammaticalGender">{GENDER_TO_TBX[term.gender]}</termNote>'
    if term.type != "full form":   # the default, left implicit as TBX-Basic allows
        yield f'      <termNote type="termType">{TYPE_TO_TBX[term.type]}</termNote>'
    yield f'      <termNote type="administrativeStatus">{STATUS_TO_TBX[term.status]}</termNote>'
    region = _region(term.tag)
    if region:
        yield f'      <termNote type="geographicalUsage">{xml_safe(region)}</termNote>'
    if term.status == "forbidden":
        yield f"      <note>{FORBIDDEN}</note>"
    if term.status_reason:
        yield f"      <note>{REASON}{xml_safe(term.status_reason)}</note>"
    if term.case_sensitive:
        yield f"      <note>{CASE_SENSITIVE}</note>"
    if term.note:
        note = FREE + term.note if term.note.startswith(MARK) else term.note
        yield f"      <note>{xml_safe(note)}</note>"
    if term.source:
        yield f'      <admin type="source">{xml_safe(term.source)}</admin>'
    yield from _transactions(term)
    yield f"    </{dialect.term}>"


def _region(tag: str) -> str | None:
    """Where a regional tag's term is used, in English ("Mexico"); None for a bare language."""
    region = langtags.territory(tag)
    return _english_territories().get(region) if region else None


@lru_cache(maxsize=1)
def _english_territories() -> dict[str, str]:
    from babel import Locale

    return dict(Locale("en").territories)


def _transactions(term: Term) -> Iterator[str]:
    p = term.provenance
    if p.origin != "unknown":
        yield ('      <transacGrp><transac type="transactionType">origination</transac>'
               f'<transacNote type="responsibility">{xml_safe(p.origin)}</transacNote>'
               "</transacGrp>")
    if p.review == "reviewed":
        date = f"<date>{p.reviewed_on}</date>" if p.reviewed_on and _ISO_DATE.match(p.reviewed_on) else ""
        names = "".join(f'<transacNote type="responsibility">{xml_safe(r)}</transacNote>'
                        for r in p.reviewers)
        yield ('      <transacGrp><transac type="transactionType">modification</transac>'
               f"{date}{names}</transacGrp>")


# Reading ---------------------------------------------------------------------------------

TBX_TO_STATUS = {"preferredTerm-admn-sts": "preferred", "admittedTerm-admn-sts": "admitted",
                 "deprecatedTerm-admn-sts": "deprecated", "supersededTerm-admn-sts": "deprecated"}
TBX_TO_TYPE = {v: k for k, v in TYPE_TO_TBX.items()} | {"variant": "full form"}
TBX_TO_POS = {v: k for k, v in POS_TO_TBX.items()}
TBX_TO_GENDER = {"masculine": "masculine", "feminine": "feminine", "neuter": "neuter",
                 "other": "common"}
ENTRIES = ("conceptEntry", "termEntry")
LANGUAGES = ("langSec", "langSet")
TERMS = ("termSec", "tig", "ntig")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def read_tbx(fp: BinaryIO, *, name: str) -> Iterator[Concept]:
    """Concepts from a TBX file, 2019 or 2008 form, parsed entry by entry (memory stays flat)."""
    from lxml import etree

    entries = [f"{{{NAMESPACE}}}{n}" for n in ENTRIES] + list(ENTRIES)
    events = etree.iterparse(fp, events=("start", "end"), resolve_entities=False,
                             no_network=True, load_dtd=False, huge_tree=False)
    seen: set[str] = set()
    try:
        for event, element in events:
            if event == "start" and element.getparent() is None:
                _check_root(name, element)
            elif event == "end" and element.tag in entries:
                for entity in element.iter(etree.Entity):
                    raise SourceError.at(name, entity.sourceline, None,
                                         f"entity reference {entity.text} is not supported")
                concept = _read_entry(name, element)
                if concept.id and concept.id in seen:
                    raise SourceError.at(name, element.sourceline, "id",
                                         f"concept {concept.id!r} appears twice")
                seen.add(concept.id)
                yield concept
                element.clear(keep_tail=True)
                while element.getprevious() is not None:
                    del element.getparent()[0]
    except etree.XMLSyntaxError as exc:
        raise SourceError.at(name, exc.lineno, None, f"malformed XML: {exc.msg}") from None


def _check_root(name: str, root) -> None:
    if _local(root.tag) not in ("tbx", "martif"):
        raise SourceError.at(name, root.sourceline, None,
                             f"not a TBX file: the root element is <{_local(root.tag)}>")


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _own(element, stop: tuple[str, ...]) -> Iterator:
    """Descendants of ``element``, not entering the sections named in ``stop``."""
    for child in element:
        if not isinstance(child.tag, str):
            continue
        yield child
        if _local(child.tag) not in stop:
            yield from _own(child, stop)


def _text(element) -> str:
    return _SPACES.sub(" ", "".join(element.itertext())).strip()


def _read_entry(name: str, entry) -> Concept:
    raw_id = entry.get("id") or ""
    concept_id = raw_id[1:] if raw_id[:1] == "_" and raw_id[1:2].isdigit() else raw_id
    field, sources, related, dnt = "", [], [], False
    definitions: dict[str, str] = {}
    notes: dict[str, str] = {}
    for child in _own(entry, LANGUAGES):
        kind, value, lang = _local(child.tag), _text(child), child.get(XML_LANG)
        if kind == "descrip" and child.get("type") == "subjectField":
            field = value
        elif kind == "descrip" and child.get("type") == "definition" and lang:
            definitions[_tag(name, child, lang)] = value
        elif kind == "note" and value == DO_NOT_TRANSLATE:
            dnt = True
        elif kind == "note" and lang:
            notes[_tag(name, child, lang)] = value
        elif kind == "admin" and child.get("type") == "source":
            sources.append(value)
        elif kind == "ref" and child.get("type") == "crossReference":
            target = child.get("target") or value
            related.append(target[1:] if target[:1] == "_" else target)
    terms: list[Term] = []
    for section in (c for c in _own(entry, ()) if _local(c.tag) in LANGUAGES):
        tag = _tag(name, section, section.get(XML_LANG))
        for child in _own(section, TERMS):
            kind, value = _local(child.tag), _text(child)
            if kind == "descrip" and child.get("type") == "definition":
                definitions[tag] = value
            elif kind == "note":
                notes[tag] = value
            elif kind in TERMS:
                terms.append(_read_term(name, child, tag))
    return Concept(concept_id, field, tuple(terms), definitions, notes, tuple(related),
                   tuple(sources), dnt)


def _tag(name: str, element, value: str | None) -> str:
    if not value:
        raise SourceError.at(name, element.sourceline, "xml:lang", "missing language tag")
    try:
        return langtags.normalize(value)
    except langtags.LanguageTagError as exc:
        raise SourceError.at(name, element.sourceline, "xml:lang", str(exc)) from None


def _read_term(name: str, section, tag: str) -> Term:
    text, found, notes, origin, review = None, {}, [], "unknown", None
    for child in _own(section, ()):
        kind, value = _local(child.tag), _text(child)
        if kind == "term":
            text = value
        elif kind == "termNote":
            found[child.get("type")] = (value, child.sourceline)
        elif kind == "note":
            notes.append(value)
        elif kind == "admin" and child.get("type") == "source":
            found["source"] = (value, child.sourceline)
        elif kind == "transacGrp":
            origin, review = _transaction(child, origin, review)
    if not text:
        raise SourceError.at(name, section.sourceline, "term", "a term section without a term")
    status = _pick(name, found, "administrativeStatus", TBX_TO_STATUS) or "admitted"
    reason = next((n[len(REASON):] for n in notes if n.startswith(REASON)), None)
    if found.get("administrativeStatus", ("",))[0] == "supersededTerm-admn-sts":
        reason = reason or "obsolete"
    if FORBIDDEN in notes:
        status = "forbidden"
    own = [n.removeprefix(FREE) for n in notes
           if n not in (FORBIDDEN, CASE_SENSITIVE) and not n.startswith(REASON)]
    return Term(text, tag, status, _pick(name, found, "termType", TBX_TO_TYPE) or "full form",
                _pick(name, found, "partOfSpeech", TBX_TO_POS),
                _pick(name, found, "grammaticalGender", TBX_TO_GENDER),
                " ".join(own) or None, reason, CASE_SENSITIVE in notes,
                found.get("source", (None,))[0], _provenance(origin, review),
                section.sourceline)


def _pick(name: str, found: dict, kind: str, mapping: dict[str, str]) -> str | None:
    if kind not in found:
        return None
    value, line = found[kind]
    if value not in mapping:
        raise SourceError.at(name, line, kind, f"{value!r} is not one of: {', '.join(mapping)}")
    return mapping[value]


def _transaction(group, origin: str, review):
    kind = next((_text(c) for c in group if _local(c.tag) == "transac"), "")
    people = tuple(_text(c) for c in group if _local(c.tag) == "transacNote")
    date = next((_text(c) for c in group if _local(c.tag) == "date"), None)
    if kind == "origination" and people:
        return people[0], review
    if kind == "modification" and people:
        return origin, (people, date)
    return origin, review


def _provenance(origin: str, review) -> Provenance:
    if review is None:
        return Provenance(origin)
    return Provenance(origin, "reviewed", review[0], review[1])

"""TBX termbases: ISO 30042:2019 TBX-Basic (DCA style) and the 2008 ``<martif>`` form.

Both are streamed entry by entry as UTF-8 text (no tree in memory, a batch of
entries at a time; see ``_Writer``), read back through lxml, and carry
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
- how human translators use a term (``termbank.evidence``) is one note per project and
  catalogue tag: "termbank: attested: Firefox es-MX ×12 (10 labels)";
- origin is an ``origination`` transaction; a human review is a
  ``modification`` transaction dated ``reviewed_on``, one responsibility per reviewer;
- definitions and notes of a tag that has no term (TBX requires a term in a
  langSec) sit at concept level with their ``xml:lang``;
- concept ids that start with a digit are XML IDs only with a leading "_".

Checklist: characters XML 1.0 forbids (most C0 controls, U+FFFE/FFFF,
surrogates) are dropped, counted and reported on stderr with the first concept
that had one (``XmlDropped``), and the rest is escaped as libxml2 escapes it; dates written only when
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
from .xmlstream import elements, language_tag

NAMESPACE = "urn:iso:std:iso:30042:ed-2"
XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace"
XML_LANG = f"{{{XML_NAMESPACE}}}lang"
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
ATTESTED = MARK + "attested: "
FREE = MARK + "note: "
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# XML does not keep line breaks in these texts significant: runs of ASCII white space
# are written, and read back, as one space (no-break spaces are kept).
_SPACES = re.compile(r"[ \t\r\n]+")
# what XML 1.0 does not allow in a document at all: most C0 controls, U+FFFE/FFFF, lone surrogates
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


# Text that needs xml_text's work: forbidden characters or white space other than single
# inner spaces. Most terms have none, and skip both substitutions.
_UNCLEAN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff\t\r\n]|  |^ | $")


def xml_text(text: str) -> str:
    """Text as XML carries it: white space runs as one space, characters XML 1.0 forbids
    dropped (lxml refuses them; it escapes everything else itself)."""
    if _UNCLEAN.search(text) is None:
        return text
    return _NOT_XML.sub("", _SPACES.sub(" ", text).strip())


class XmlDropped:
    """Counts what ``xml_text`` drops in one export, to say so through ``options.notice``
    (as the other formats report what they leave out) rather than lose it silently."""

    def __init__(self) -> None:
        self.count, self.first = 0, ""
        self.concept = ""

    def text(self, text: str) -> str:
        if _UNCLEAN.search(text) is None:
            return text
        found = len(_NOT_XML.findall(text))
        if found:
            self.count += found
            self.first = self.first or self.concept
        return xml_text(text)

    def report(self, options: ExportOptions) -> None:
        if self.count:
            options.notice(f"{self.count} character(s) that XML cannot hold (control characters, "
                           f"U+FFFE/U+FFFF, lone surrogates) left out, the first in {self.first}")


@dataclass(frozen=True)
class Dialect:
    """The element names, root and namespace of one TBX generation."""

    root: str
    attributes: tuple[tuple[str, str], ...]
    namespace: str | None
    header: str
    entry: str
    language: str
    term: str


TBX_2019 = Dialect("tbx", (("type", "TBX-Basic"), ("style", "dca")), NAMESPACE,
                   "tbxHeader", "conceptEntry", "langSec", "termSec")
TBX_2008 = Dialect("martif", (("type", "TBX"),), None, "martifHeader", "termEntry",
                   "langSet", "tig")

# Line breaks and indentation by depth below the entry element.
_AT = tuple("\n" + "  " * depth for depth in range(5))
# Text that must change before it stands between tags: XML's markup characters, or what
# xml_text removes. Most texts have none and are written as they are.
_SPECIAL = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff\t\r\n]|  |^ | $")
# Entries gathered before one write to the file: a few MB of text, whatever the bank's size.
_BATCH = 1000


def escaped(text: str) -> str:
    """Clean text with XML's markup characters as references, as libxml2 writes text
    (quotes stay as they are)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quoted(value: str) -> str:
    """An attribute value as libxml2 writes it between double quotes."""
    return escaped(xml_text(value)).replace('"', "&quot;")


def _leaf(depth: int, name: str, text: str, attributes: str = "") -> str:
    """A whole element holding clean text, on its own line (for the constant ones)."""
    return f"{_AT[depth]}<{name}{attributes}>{escaped(text)}</{name}>"


def _notes(kind: str, mapping: dict[str, str]) -> dict[str, str]:
    return {ours: _leaf(3, "termNote", theirs, f' type="{kind}"') for ours, theirs in mapping.items()}


# the elements whose whole text is known before the export, built once
_POS_NOTES = _notes("partOfSpeech", POS_TO_TBX)
_GENDER_NOTES = _notes("grammaticalGender", GENDER_TO_TBX)
_TYPE_NOTES = _notes("termType", TYPE_TO_TBX) | {"full form": ""}   # the default stays implicit
_STATUS_NOTES = _notes("administrativeStatus", STATUS_TO_TBX)
_FORBIDDEN_NOTE = _leaf(3, "note", FORBIDDEN)
_CASE_NOTE = _leaf(3, "note", CASE_SENSITIVE)
_DO_NOT_TRANSLATE = _leaf(1, "note", DO_NOT_TRANSLATE)
_GROUP_END = f"{_AT[3]}</transacGrp>"
_ORIGINATION = (f"{_AT[3]}<transacGrp>"
                + _leaf(4, "transac", "origination", ' type="transactionType"'))
_MODIFICATION = (f"{_AT[3]}<transacGrp>"
                 + _leaf(4, "transac", "modification", ' type="transactionType"'))


class _Writer:
    """Writes one dialect's document as UTF-8 text, a batch of entries at a time: the markup
    from constant pieces, each text cleaned by ``xml_text`` and escaped as libxml2 escapes it.
    Start tags, region notes and origins are made once per export.

    Why not ``lxml.etree.xmlfile``: with its three calls per element (start tag, text, end
    tag) and ours around them, ``termbank export tbx`` took 22.7 s on 100k concepts; as
    text, 6.7 s.
    The bytes are the same: the tests write every document again through ``xmlfile`` and
    compare."""

    def __init__(self, fp: BinaryIO, dialect: Dialect):
        self.fp, self.dialect = fp, dialect
        self.parts: list[str] = []
        self.dropped = XmlDropped()
        self.entry_end = f"{_AT[0]}</{dialect.entry}>\n"
        self.language_end = f"{_AT[1]}</{dialect.language}>"
        self.term_start, self.term_end = f"{_AT[2]}<{dialect.term}>", f"{_AT[2]}</{dialect.term}>"
        self.languages: dict[str, str] = {}
        self.regions: dict[str, str] = {}
        self.origins: dict[str, str] = {}

    def text(self, text: str) -> str:
        """``text`` as it stands between tags; what XML cannot hold is counted and dropped."""
        if _SPECIAL.search(text) is None:
            return text
        return escaped(self.dropped.text(text))

    def language(self, tag: str) -> str:
        """The start tag of ``tag``'s language section."""
        if tag not in self.languages:
            self.languages[tag] = f'{_AT[1]}<{self.dialect.language} xml:lang="{quoted(tag)}">'
        return self.languages[tag]

    def region(self, tag: str) -> str:
        """The geographicalUsage note of a regional tag ("Mexico"); "" for a bare language."""
        if tag not in self.regions:
            region = _region(tag)
            self.regions[tag] = (f'{_AT[3]}<termNote type="geographicalUsage">'
                                 f'{self.text(region)}</termNote>' if region else "")
        return self.regions[tag]

    def origin(self, origin: str) -> str:
        """The origination transaction of a term made by ``origin``."""
        group = self.origins.get(origin)
        if group is None:
            group = (f'{_ORIGINATION}{_AT[4]}<transacNote type="responsibility">'
                     f'{self.text(origin)}</transacNote>{_GROUP_END}')
            if _SPECIAL.search(origin) is None:   # else each one counts in XmlDropped
                self.origins[origin] = group
        return group

    def flush(self) -> None:
        self.fp.write("".join(self.parts).encode())
        self.parts.clear()


def write_tbx(fp: BinaryIO, glossary: Glossary, options: ExportOptions) -> None:
    _write(fp, glossary, options, TBX_2019)


def write_martif(fp: BinaryIO, glossary: Glossary, options: ExportOptions) -> None:
    _write(fp, glossary, options, TBX_2008)


def _write(fp: BinaryIO, glossary: Glossary, options: ExportOptions, dialect: Dialect) -> None:
    """The document, streamed entry by entry (memory holds one batch of entries)."""
    kept = kept_tags(options)
    out = _Writer(fp, dialect)
    out.parts.append(_prologue(dialect, options.source))
    written = 0
    for concept in selected(glossary, options):
        out.dropped.concept = concept.id
        related = [r for r in concept.related
                   if options.concepts is None or r in options.concepts]
        _entry(out, concept, kept, related)
        written += 1
        if written % _BATCH == 0:
            out.flush()
    if not written:
        raise TermbankError("no concept to export: TBX needs at least one (check "
                            "--concept, --to and --min-reliability)")
    out.parts.append(f"</body>\n</text>\n</{dialect.root}>\n")
    out.flush()
    out.dropped.report(options)


def _prologue(dialect: Dialect, source: str) -> str:
    """The XML declaration, the root's start tag and the header, up to the first entry."""
    namespace = f' xmlns="{quoted(dialect.namespace)}"' if dialect.namespace else ""
    attributes = "".join(f' {name}="{quoted(value)}"' for name, value in dialect.attributes)
    header = ("<fileDesc><sourceDesc><p>termbank: microscopy and bioimage-analysis terms</p>"
              "</sourceDesc></fileDesc>")
    return ("<?xml version='1.0' encoding='UTF-8'?>\n"
            f'<{dialect.root}{namespace} xmlns:xml="{XML_NAMESPACE}"{attributes} '
            f'xml:lang="{quoted(source)}">\n'
            f"<{dialect.header}>{header}</{dialect.header}>\n<text>\n<body>\n")


def concept_ref(concept_id: str) -> str:
    """An XML ID for a concept id (IDs cannot start with a digit)."""
    return f"_{concept_id}" if concept_id[:1].isdigit() else concept_id


def _entry(out: _Writer, concept: Concept, kept: frozenset[str] | None,
           related: list[str]) -> None:
    """One concept entry. ``related`` holds only exported concepts: a cross-reference is an
    XML IDREF and must point inside the file."""
    add, text = out.parts.append, out.text
    by_tag: dict[str, list[Term]] = {}
    for term in concept.terms:
        if kept is None or term.tag in kept:
            by_tag.setdefault(term.tag, []).append(term)
    add(f'<{out.dialect.entry} id="{quoted(concept_ref(concept.id))}">'
        f'{_AT[1]}<descrip type="subjectField">{text(concept.subject_field)}</descrip>')
    if concept.do_not_translate:
        add(_DO_NOT_TRANSLATE)
    for source in concept.sources:
        add(f'{_AT[1]}<admin type="source">{text(source)}</admin>')
    for other in related:
        add(f'{_AT[1]}<ref type="crossReference" target="{quoted(concept_ref(other))}">'
            f'{text(other)}</ref>')
    definitions, notes = concept.definitions, concept.notes
    for tag, definition in sorted(definitions.items()):   # a tag with no term of its own
        if tag not in by_tag and (kept is None or tag in kept):
            add(f'{_AT[1]}<descrip type="definition" xml:lang="{quoted(tag)}">'
                f'{text(definition)}</descrip>')
    for tag, note in sorted(notes.items()):
        if tag not in by_tag and (kept is None or tag in kept):
            add(f'{_AT[1]}<note xml:lang="{quoted(tag)}">{text(note)}</note>')
    for tag in sorted(by_tag):
        add(out.language(tag))
        if tag in definitions:
            add(f'{_AT[2]}<descrip type="definition">{text(definitions[tag])}</descrip>')
        if tag in notes:
            add(f"{_AT[2]}<note>{text(notes[tag])}</note>")
        for term in by_tag[tag]:
            add(out.term_start)
            _term(out, term)
            add(out.term_end)
        add(out.language_end)
    add(out.entry_end)


def _term(out: _Writer, term: Term) -> None:
    add, text = out.parts.append, out.text
    add(f"{_AT[3]}<term>{text(term.text)}</term>")
    if term.part_of_speech:
        add(_POS_NOTES[term.part_of_speech])
    if term.gender:
        add(_GENDER_NOTES[term.gender])
    add(_TYPE_NOTES[term.type])
    add(_STATUS_NOTES[term.status])
    add(out.region(term.tag))
    if term.status == "forbidden":
        add(_FORBIDDEN_NOTE)
    if term.status_reason:
        add(f"{_AT[3]}<note>{text(REASON + term.status_reason)}</note>")
    if term.case_sensitive:
        add(_CASE_NOTE)
    if term.note:
        note = FREE + term.note if term.note.startswith(MARK) else term.note
        add(f"{_AT[3]}<note>{text(note)}</note>")
    if term.source:
        add(f'{_AT[3]}<admin type="source">{text(term.source)}</admin>')
    for use in _uses(term):
        use_note = f"{ATTESTED}{use.source} {use.tag} ×{use.count} ({use.labels} labels)"
        add(f"{_AT[3]}<note>{text(use_note)}</note>")
    _transactions(out, term)


def _uses(term: Term):
    if not term.attested:
        return ()
    from ..evidence.answers import uses_of

    return uses_of(term.attested)


def _region(tag: str) -> str | None:
    """Where a regional tag's term is used, in English ("Mexico"); None for a bare language."""
    region = langtags.territory(tag)
    return _english_territories().get(region) if region else None


@lru_cache(maxsize=1)
def _english_territories() -> dict[str, str]:
    from babel import Locale

    return dict(Locale("en").territories)


def _transactions(out: _Writer, term: Term) -> None:
    p, add = term.provenance, out.parts.append
    if p.origin != "unknown":
        add(out.origin(p.origin))
    if p.review == "reviewed":
        add(_MODIFICATION)
        if p.reviewed_on and _ISO_DATE.match(p.reviewed_on):
            add(f"{_AT[4]}<date>{out.text(p.reviewed_on)}</date>")
        for reviewer in p.reviewers:
            add(f'{_AT[4]}<transacNote type="responsibility">{out.text(reviewer)}</transacNote>')
        add(_GROUP_END)


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


def read_tbx(fp: BinaryIO, *, name: str) -> Iterator[Concept]:
    """Concepts from a TBX file, 2019 or 2008 form, parsed entry by entry (memory stays flat)."""
    from lxml import etree

    entries = {f"{{{NAMESPACE}}}{n}" for n in ENTRIES} | set(ENTRIES)
    seen: set[str] = set()
    for element in elements(fp, name=name, wanted=entries, kind="XML",
                            check_root=lambda root: _check_root(name, root)):
        for entity in element.iter(etree.Entity):
            raise SourceError.at(name, entity.sourceline, None,
                                 f"entity reference {entity.text} is not supported")
        concept = _read_entry(name, element)
        if concept.id and concept.id in seen:
            raise SourceError.at(name, element.sourceline, "id",
                                 f"concept {concept.id!r} appears twice")
        seen.add(concept.id)
        yield concept


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
            definitions[language_tag(name, child, lang)] = value
        elif kind == "note" and value == DO_NOT_TRANSLATE:
            dnt = True
        elif kind == "note" and lang:
            notes[language_tag(name, child, lang)] = value
        elif kind == "admin" and child.get("type") == "source":
            sources.append(value)
        elif kind == "ref" and child.get("type") == "crossReference":
            target = child.get("target") or value
            related.append(target[1:] if target[:1] == "_" else target)
    terms: list[Term] = []
    for section in (c for c in _own(entry, ()) if _local(c.tag) in LANGUAGES):
        tag = language_tag(name, section, section.get(XML_LANG))
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
    own = [n.removeprefix(FREE) for n in notes if n not in (FORBIDDEN, CASE_SENSITIVE)
           and not n.startswith((REASON, ATTESTED))]
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

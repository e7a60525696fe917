"""TBX termbases: ISO 30042:2019 TBX-Basic (DCA style) and the 2008 ``<martif>`` form.

Both are streamed through ``lxml.etree.xmlfile`` element by element (no tree in
memory, not even one entry's), and carry
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
that had one (``XmlDropped``), and lxml escapes the rest; dates written only when
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

    def tag(self, name: str) -> str:
        return f"{{{self.namespace}}}{name}" if self.namespace else name


TBX_2019 = Dialect("tbx", (("type", "TBX-Basic"), ("style", "dca")), NAMESPACE,
                   "tbxHeader", "conceptEntry", "langSec", "termSec")
TBX_2008 = Dialect("martif", (("type", "TBX"),), None, "martifHeader", "termEntry",
                   "langSet", "tig")

# attribute sets used on every entry, built once
_SUBJECT_FIELD = {"type": "subjectField"}
_DEFINITION = {"type": "definition"}
_SOURCE = {"type": "source"}
_STATUS = {"type": "administrativeStatus"}
_TRANSACTION = {"type": "transactionType"}
_RESPONSIBILITY = {"type": "responsibility"}
_TERM_NOTES = {kind: {"type": kind} for kind in
               ("partOfSpeech", "grammaticalGender", "termType", "geographicalUsage")}
# line breaks and indentation by depth below the entry element
_AT = tuple("\n" + "  " * depth for depth in range(5))


class _Writer:
    """Writes one dialect's elements straight into the ``xmlfile`` stream, as start tag,
    text and end tag (no element tree, not even per entry); the qualified tag names are
    worked out once per export."""

    def __init__(self, xf, dialect: Dialect):
        self.xf, self.dialect = xf, dialect
        self.dropped = XmlDropped()
        self.element, self.write = xf.element, xf.write
        names = ("text", "body", "fileDesc", "sourceDesc", "p", "descrip", "note", "admin",
                 "ref", "term", "termNote", "transacGrp", "transac", "transacNote", "date",
                 dialect.root, dialect.header, dialect.entry, dialect.language, dialect.term)
        self.tags = {name: dialect.tag(name) for name in names}

    def leaf(self, depth: int, name: str, text: str, attrib: dict | None = None) -> None:
        """An element holding only text, on its own line."""
        self.write(_AT[depth])
        with self.element(self.tags[name], attrib):
            self.write(self.dropped.text(text))


def write_tbx(fp: BinaryIO, glossary: Glossary, options: ExportOptions) -> None:
    _write(fp, glossary, options, TBX_2019)


def write_martif(fp: BinaryIO, glossary: Glossary, options: ExportOptions) -> None:
    _write(fp, glossary, options, TBX_2008)


def _write(fp: BinaryIO, glossary: Glossary, options: ExportOptions, dialect: Dialect) -> None:
    """The document streamed through ``lxml.etree.xmlfile``, entry by entry."""
    from lxml import etree

    kept = kept_tags(options)
    nsmap: dict[str | None, str] = {"xml": XML_NAMESPACE}   # else lxml binds xml:lang's namespace to a made-up prefix
    if dialect.namespace:
        nsmap[None] = dialect.namespace
    attributes = {**dict(dialect.attributes), XML_LANG: options.source}
    written = 0
    with etree.xmlfile(fp, encoding="UTF-8", close=False) as xf:
        out = _Writer(xf, dialect)
        xf.write_declaration()
        with xf.element(out.tags[dialect.root], attributes, nsmap=nsmap):
            xf.write("\n")
            _header(out)
            xf.write("\n")
            with xf.element(out.tags["text"]):
                xf.write("\n")
                with xf.element(out.tags["body"]):
                    xf.write("\n")
                    for concept in selected(glossary, options):
                        out.dropped.concept = concept.id
                        related = [r for r in concept.related
                                   if options.concepts is None or r in options.concepts]
                        _entry(out, concept, kept, related)
                        xf.write("\n")
                        written += 1
                    if not written:
                        raise TermbankError("no concept to export: TBX needs at least one (check "
                                            "--concept, --to and --min-reliability)")
                xf.write("\n")
            xf.write("\n")
    fp.write(b"\n")
    out.dropped.report(options)


def _header(out: _Writer) -> None:
    with out.element(out.tags[out.dialect.header]), out.element(out.tags["fileDesc"]), \
            out.element(out.tags["sourceDesc"]), out.element(out.tags["p"]):
        out.write("termbank: microscopy and bioimage-analysis terms")


def concept_ref(concept_id: str) -> str:
    """An XML ID for a concept id (IDs cannot start with a digit)."""
    return f"_{concept_id}" if concept_id[:1].isdigit() else concept_id


def _entry(out: _Writer, concept: Concept, kept: frozenset[str] | None,
           related: list[str]) -> None:
    """One concept entry. ``related`` holds only exported concepts: a cross-reference is an
    XML IDREF and must point inside the file."""
    dialect, leaf, tags = out.dialect, out.leaf, out.tags
    by_tag: dict[str, list[Term]] = {}
    for term in concept.terms:
        if kept is None or term.tag in kept:
            by_tag.setdefault(term.tag, []).append(term)
    with out.element(tags[dialect.entry], {"id": xml_text(concept_ref(concept.id))}):
        leaf(1, "descrip", concept.subject_field, _SUBJECT_FIELD)
        if concept.do_not_translate:
            leaf(1, "note", DO_NOT_TRANSLATE)
        for source in concept.sources:
            leaf(1, "admin", source, _SOURCE)
        for other in related:
            leaf(1, "ref", other, {"type": "crossReference", "target": xml_text(concept_ref(other))})
        for tag, text in sorted(concept.definitions.items()):
            if tag not in by_tag and (kept is None or tag in kept):
                leaf(1, "descrip", text, {"type": "definition", XML_LANG: tag})
        for tag, text in sorted(concept.notes.items()):
            if tag not in by_tag and (kept is None or tag in kept):
                leaf(1, "note", text, {XML_LANG: tag})
        for tag in sorted(by_tag):
            out.write(_AT[1])
            with out.element(tags[dialect.language], {XML_LANG: tag}):
                if tag in concept.definitions:
                    leaf(2, "descrip", concept.definitions[tag], _DEFINITION)
                if tag in concept.notes:
                    leaf(2, "note", concept.notes[tag])
                for term in by_tag[tag]:
                    out.write(_AT[2])
                    with out.element(tags[dialect.term]):
                        _term(out, term)
                        out.write(_AT[2])
                out.write(_AT[1])
        out.write(_AT[0])


def _term(out: _Writer, term: Term) -> None:
    leaf = out.leaf
    leaf(3, "term", term.text)
    if term.part_of_speech:
        leaf(3, "termNote", POS_TO_TBX[term.part_of_speech], _TERM_NOTES["partOfSpeech"])
    if term.gender:
        leaf(3, "termNote", GENDER_TO_TBX[term.gender], _TERM_NOTES["grammaticalGender"])
    if term.type != "full form":   # the default, left implicit as TBX-Basic allows
        leaf(3, "termNote", TYPE_TO_TBX[term.type], _TERM_NOTES["termType"])
    leaf(3, "termNote", STATUS_TO_TBX[term.status], _STATUS)
    region = _region(term.tag)
    if region:
        leaf(3, "termNote", region, _TERM_NOTES["geographicalUsage"])
    if term.status == "forbidden":
        leaf(3, "note", FORBIDDEN)
    if term.status_reason:
        leaf(3, "note", REASON + term.status_reason)
    if term.case_sensitive:
        leaf(3, "note", CASE_SENSITIVE)
    if term.note:
        leaf(3, "note", FREE + term.note if term.note.startswith(MARK) else term.note)
    if term.source:
        leaf(3, "admin", term.source, _SOURCE)
    for use in _uses(term):
        leaf(3, "note", f"{ATTESTED}{use.source} {use.tag} ×{use.count} ({use.labels} labels)")
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
    p = term.provenance
    if p.origin != "unknown":
        out.write(_AT[3])
        with out.element(out.tags["transacGrp"]):
            out.leaf(4, "transac", "origination", _TRANSACTION)
            out.leaf(4, "transacNote", p.origin, _RESPONSIBILITY)
            out.write(_AT[3])
    if p.review == "reviewed":
        out.write(_AT[3])
        with out.element(out.tags["transacGrp"]):
            out.leaf(4, "transac", "modification", _TRANSACTION)
            if p.reviewed_on and _ISO_DATE.match(p.reviewed_on):
                out.leaf(4, "date", p.reviewed_on)
            for reviewer in p.reviewers:
                out.leaf(4, "transacNote", reviewer, _RESPONSIBILITY)
            out.write(_AT[3])


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

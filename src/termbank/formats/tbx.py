"""TBX termbases: ISO 30042:2019 TBX-Basic (DCA style) and the 2008 ``<martif>`` form.

Both are streamed through ``lxml.etree.xmlfile`` entry by entry (one entry's
element tree in memory at a time), and carry
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

# line breaks and indentation by depth below the entry element
_AT = tuple("\n" + "  " * depth for depth in range(5))


class _Writer:
    """Writes one dialect's document into an ``xmlfile`` stream: the root, header and body
    element by element, then each entry as one small element tree that lxml serializes in
    one call; memory holds one entry at a time.

    Each entry's elements are copies of prototypes made once per export (tag, attributes,
    the line break after it, and the text where it is fixed: a status, the origination of
    terms by one origin, a language section's start): one lxml copy where making the
    element costs four calls. They carry no namespace: lxml writes the default namespace of
    the 2019 root once, where a namespaced entry would declare it again on every entry (the
    tests check the bytes against writing each element through ``xmlfile``)."""

    def __init__(self, xf, dialect: Dialect):
        from lxml.etree import Element

        self.xf, self.dialect, self.new = xf, dialect, Element
        self.dropped = XmlDropped()
        self.element, self.write = xf.element, xf.write
        self.prototypes: dict[tuple, object] = {}
        self.regions: dict[str, object] = {}
        self.origins: dict[str, object] = {}
        self.term_section = self.like(2, dialect.term, (), None, _AT[3])
        self.term = self.like(3, "term")
        self.statuses = {k: self.like(3, "termNote", (("type", "administrativeStatus"),), v)
                         for k, v in STATUS_TO_TBX.items()}
        self.kinds = {k: self.like(3, "termNote", (("type", "partOfSpeech"),), v)
                      for k, v in POS_TO_TBX.items()}
        self.genders = {k: self.like(3, "termNote", (("type", "grammaticalGender"),), v)
                        for k, v in GENDER_TO_TBX.items()}
        self.types = {k: self.like(3, "termNote", (("type", "termType"),), v)
                      for k, v in TYPE_TO_TBX.items()}

    def like(self, depth: int, name: str, attributes: tuple[tuple[str, str], ...] = (),
             text: str | None = None, inner: str | None = None):
        """A maker of copies of one prototype element at ``depth``: followed by that
        depth's line break, holding ``text`` (fixed) or ``inner`` (its children's indent).
        Only for what repeats across the bank (one prototype is kept per distinct key)."""
        key = (depth, name, attributes, text, inner)
        if key not in self.prototypes:
            element = self.new(name, dict(attributes))
            element.text = text if inner is None else inner
            element.tail = _AT[depth]
            self.prototypes[key] = element.__copy__
        return self.prototypes[key]

    def region(self, tag: str):
        """A maker of the geographicalUsage note of a regional tag ("Mexico"), or None."""
        if tag not in self.regions:
            region = _region(tag)
            self.regions[tag] = region and self.like(
                3, "termNote", (("type", "geographicalUsage"),), self.dropped.text(region))
        return self.regions[tag]

    def origination(self, origin: str):
        """A maker of the origination transaction of terms made by ``origin``."""
        if origin not in self.origins:
            group = self.like(3, "transacGrp", inner=_AT[4])()
            group.append(self.like(4, "transac", (("type", "transactionType"),), "origination")())
            group.append(self.like(3, "transacNote", (("type", "responsibility"),),
                                   self.dropped.text(origin))())
            if _UNCLEAN.search(origin) is not None:   # each such origin counts in XmlDropped
                return group.__copy__
            self.origins[origin] = group.__copy__
        return self.origins[origin]


def _put(parent, make, text: str):
    """A copy of a prototype holding ``text``, appended to ``parent``."""
    element = make()
    element.text = text
    parent.append(element)


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
        with xf.element(dialect.tag(dialect.root), attributes, nsmap=nsmap):
            xf.write("\n")
            _header(out)
            xf.write("\n")
            with xf.element(dialect.tag("text")):
                xf.write("\n")
                with xf.element(dialect.tag("body")):
                    xf.write("\n")
                    for concept in selected(glossary, options):
                        out.dropped.concept = concept.id
                        related = [r for r in concept.related
                                   if options.concepts is None or r in options.concepts]
                        xf.write(_entry(out, concept, kept, related))
                        written += 1
                    if not written:
                        raise TermbankError("no concept to export: TBX needs at least one (check "
                                            "--concept, --to and --min-reliability)")
                xf.write("\n")
            xf.write("\n")
    fp.write(b"\n")
    out.dropped.report(options)


def _header(out: _Writer) -> None:
    dialect = out.dialect
    with out.element(dialect.tag(dialect.header)), out.element(dialect.tag("fileDesc")), \
            out.element(dialect.tag("sourceDesc")), out.element(dialect.tag("p")):
        out.write("termbank: microscopy and bioimage-analysis terms")


def concept_ref(concept_id: str) -> str:
    """An XML ID for a concept id (IDs cannot start with a digit)."""
    return f"_{concept_id}" if concept_id[:1].isdigit() else concept_id


def _entry(out: _Writer, concept: Concept, kept: frozenset[str] | None, related: list[str]):
    """One concept entry as an element tree. ``related`` holds only exported concepts: a
    cross-reference is an XML IDREF and must point inside the file."""
    dialect, text, like = out.dialect, out.dropped.text, out.like
    by_tag: dict[str, list[Term]] = {}
    for term in concept.terms:
        if kept is None or term.tag in kept:
            by_tag.setdefault(term.tag, []).append(term)
    entry = out.new(dialect.entry, {"id": xml_text(concept_ref(concept.id))})
    entry.text = _AT[1]
    _put(entry, like(1, "descrip", (("type", "subjectField"),)), text(concept.subject_field))
    if concept.do_not_translate:
        entry.append(like(1, "note", (), DO_NOT_TRANSLATE)())
    for source in concept.sources:
        _put(entry, like(1, "admin", (("type", "source"),)), text(source))
    for other in related:   # made afresh: a prototype per target would grow with the bank
        ref = out.new("ref", {"type": "crossReference", "target": xml_text(concept_ref(other))})
        ref.text, ref.tail = text(other), _AT[1]
        entry.append(ref)
    definitions, notes = concept.definitions, concept.notes
    for tag, definition in sorted(definitions.items()):   # a tag with no term of its own
        if tag not in by_tag and (kept is None or tag in kept):
            _put(entry, like(1, "descrip", (("type", "definition"), (XML_LANG, tag))),
                 text(definition))
    for tag, note in sorted(notes.items()):
        if tag not in by_tag and (kept is None or tag in kept):
            _put(entry, like(1, "note", ((XML_LANG, tag),)), text(note))
    for tag in sorted(by_tag):
        language = like(1, dialect.language, ((XML_LANG, tag),), None, _AT[2])()
        if tag in definitions:
            _put(language, like(2, "descrip", (("type", "definition"),)), text(definitions[tag]))
        if tag in notes:
            _put(language, like(2, "note"), text(notes[tag]))
        for term in by_tag[tag]:
            section = out.term_section()
            _term(out, section, term)
            section[-1].tail = _AT[2]
            language.append(section)
        language[-1].tail = _AT[1]
        entry.append(language)
    entry[-1].tail = _AT[0]
    entry.tail = "\n"
    return entry


def _term(out: _Writer, section, term: Term) -> None:
    """A term's elements, in its term section."""
    text, add, like = out.dropped.text, section.append, out.like
    _put(section, out.term, text(term.text))
    if term.part_of_speech:
        add(out.kinds[term.part_of_speech]())
    if term.gender:
        add(out.genders[term.gender]())
    if term.type != "full form":   # the default, left implicit as TBX-Basic allows
        add(out.types[term.type]())
    add(out.statuses[term.status]())
    region = out.region(term.tag)
    if region:
        add(region())
    if term.status == "forbidden":
        add(like(3, "note", (), FORBIDDEN)())
    if term.status_reason:
        _put(section, like(3, "note"), text(REASON + term.status_reason))
    if term.case_sensitive:
        add(like(3, "note", (), CASE_SENSITIVE)())
    if term.note:
        _put(section, like(3, "note"), text(FREE + term.note if term.note.startswith(MARK)
                                             else term.note))
    if term.source:
        _put(section, like(3, "admin", (("type", "source"),)), text(term.source))
    for use in _uses(term):
        use_note = f"{ATTESTED}{use.source} {use.tag} ×{use.count} ({use.labels} labels)"
        _put(section, like(3, "note"), text(use_note))
    _transactions(out, section, term)


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


def _transactions(out: _Writer, section, term: Term) -> None:
    """The origination and the review of a term."""
    p = term.provenance
    if p.origin != "unknown":
        section.append(out.origination(p.origin)())
    if p.review == "reviewed":
        group = out.like(3, "transacGrp", inner=_AT[4])()
        group.append(out.like(4, "transac", (("type", "transactionType"),), "modification")())
        if p.reviewed_on and _ISO_DATE.match(p.reviewed_on):
            _put(group, out.like(4, "date"), out.dropped.text(p.reviewed_on))
        for reviewer in p.reviewers:
            _put(group, out.like(4, "transacNote", (("type", "responsibility"),)),
                 out.dropped.text(reviewer))
        group[-1].tail = _AT[3]
        section.append(group)


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

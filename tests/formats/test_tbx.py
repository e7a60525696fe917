"""TBX 2019 against the TBX-Basic schema, the 2008 form through translate-toolkit, the reader."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from termbank.errors import SourceError
from termbank.exporting import ExportOptions
from termbank.formats import FORMATS, tbx
from termbank.model import Concept, Glossary, Provenance, Term


def parse(data: bytes):
    return etree.parse(io.BytesIO(data))


@pytest.mark.parametrize("options", [{}, {"targets": ("es-MX",)}, {"concepts": ("pixel",)},
                                     {"min_reliability": 4}])
def test_valid_against_the_tbx_basic_schema(render, glossary, tbx_schema, options):
    if "concepts" in options:
        options = {"concepts": frozenset(options["concepts"])}
    document = parse(render("tbx", glossary, **options))
    assert tbx_schema.validate(document), tbx_schema.error_log


def test_the_dialects_own_example_validates_and_reads(tbx_schema, tbx_reference):
    example = tbx_reference / "example.tbx"
    assert tbx_schema.validate(etree.parse(str(example))), tbx_schema.error_log
    with open(example, "rb") as fp:
        concepts = list(tbx.read_tbx(fp, name=str(example)))
    assert len(concepts) == 45
    first = concepts[0]
    assert first.id == "c1" and first.preferred("en").text == "open cluster"
    superseded = next(t for t in first.terms if t.text == "galactic cluster")
    assert (superseded.status, superseded.status_reason) == ("deprecated", "obsolete")


def test_statuses_and_notes_map_to_tbx_basic_picklists(render, glossary):
    root = parse(render("tbx", glossary)).getroot()
    ns = {"t": tbx.NAMESPACE}
    forbidden = root.xpath('//t:termSec[t:term="amplificación"]', namespaces=ns)[0]
    values = [n.text for n in forbidden.xpath("t:termNote|t:note", namespaces=ns)]
    assert "deprecatedTerm-admn-sts" in values and "termbank: forbidden" in values
    assert "termbank: reason: false friend" in values and "Mexico" in values
    napari = root.xpath('//t:conceptEntry[@id="napari"]/t:note', namespaces=ns)
    assert napari[0].text.startswith("Do not translate")
    digit = root.xpath('//t:conceptEntry[t:descrip[@type="subjectField"]="image-data"]/@id',
                       namespaces=ns)
    assert "_3d-rendering" in digit        # XML IDs cannot start with a digit
    review = root.xpath('//t:termSec[t:term="objetivo"]/t:transacGrp[2]/*/text()', namespaces=ns)
    assert review == ["modification", "2026-11-20", "Ana Pérez", "Luis Gómez"]


def test_cross_references_stay_inside_the_file(render, glossary, tbx_schema):
    data = render("tbx", glossary, concepts=frozenset({"pixel"}))
    assert b"crossReference" not in data     # pixel's related concept is not exported


def test_translate_toolkit_reads_the_2008_form(render, glossary):
    from translate.storage import tbx as ttk_tbx

    data = render("tbx2008", glossary, targets=("es-ES",))
    assert b"<martif" in data
    store = ttk_tbx.tbxfile(data, sourcelanguage="en", targetlanguage="es-ES")
    pairs = {(u.source, u.target) for u in store.units}
    assert ("file", "fichero") in pairs


def test_reader_streams_entries_and_keeps_lines(render, glossary):
    concepts = list(tbx.read_tbx(io.BytesIO(render("tbx", glossary)), name="x.tbx"))
    assert [c.id for c in concepts] == sorted(c.id for c in glossary)
    assert all(t.line for c in concepts for t in c.terms)


def test_reader_refuses_duplicate_concepts(render, glossary):
    data = render("tbx", glossary, concepts=frozenset({"pixel"}))
    body = data.split(b"<body>\n")[1].split(b"</body>")[0]
    doubled = data.replace(body, body + body)
    with pytest.raises(SourceError, match="appears twice"):
        list(tbx.read_tbx(io.BytesIO(doubled), name="x.tbx"))


def test_entity_references_are_refused_not_expanded():
    bomb = (b'<?xml version="1.0"?><!DOCTYPE tbx [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n'
            b'<tbx><text><body><conceptEntry id="x"><langSec xml:lang="en"><termSec>\n'
            b"<term>&b;</term></termSec></langSec></conceptEntry></body></text></tbx>")
    with pytest.raises(SourceError, match="entity reference &b; is not supported") as caught:
        list(tbx.read_tbx(io.BytesIO(bomb), name="bomb.tbx"))
    assert caught.value.problems[0].line == 3


# Text a glossary can hold: YAML (and so termbank validate) refuses control characters,
# surrogates and the noncharacters U+FFFE and U+FFFF, which XML cannot carry either.
words = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp", "Zs"),
                              blacklist_characters="\ufffe\uffff"),
                min_size=1, max_size=20)


@settings(max_examples=60)
@given(terms=st.lists(words, min_size=1, max_size=3, unique=True),
       note=words | st.sampled_from(["termbank: case-sensitive", "termbank: note: x"]))
def test_writer_and_reader_agree_on_any_text(terms, note):
    concept = Concept("probe", "optics", tuple(
        Term(text, "en", "preferred" if i == 0 else "admitted", note=note)
        for i, text in enumerate(terms)), definitions={"en": note})
    data = io.BytesIO()
    tbx.write_tbx(data, Glossary.of([concept]), ExportOptions())
    (read,) = tbx.read_tbx(io.BytesIO(data.getvalue()), name="p.tbx")
    assert [t.text for t in read.terms] == terms
    assert read.definitions == {"en": note} and {t.note for t in read.terms} == {note}


@pytest.mark.parametrize("text, expected", [
    ("point spread function", "point spread function"),
    ("  leading and trailing ", "leading and trailing"),
    ("two  spaces", "two spaces"),
    ("line\nbreak\tand tab", "line break and tab"),
    ("x\x0by\ufffe", "xy"),
    ("no\u00a0break", "no\u00a0break"),          # a no-break space is kept
])
def test_xml_text_collapses_white_space_and_drops_what_xml_forbids(text, expected):
    assert tbx.xml_text(text) == expected


def written_by_lxml(data: bytes) -> bytes:
    """The document parsed, then written again element by element (each start tag, text
    and end tag in the TBX namespace) through lxml's ``xmlfile``: the reference for the
    writer, which hands lxml each entry whole, built from copied prototypes."""
    root = etree.fromstring(data)
    out = io.BytesIO()

    def write(xf, element) -> None:
        with xf.element(element.tag, dict(element.attrib)):
            if element.text:
                xf.write(element.text)
            for child in element:
                write(xf, child)
        if element.tail:
            xf.write(element.tail)

    with etree.xmlfile(out, encoding="UTF-8", close=False) as xf:
        xf.write_declaration()
        nsmap = {"xml": tbx.XML_NAMESPACE, **root.nsmap}
        with xf.element(root.tag, dict(root.attrib), nsmap=nsmap):
            xf.write(root.text)
            for child in root:
                write(xf, child)
    return out.getvalue() + b"\n"


@pytest.mark.parametrize("name", ["tbx", "tbx2008"])
@pytest.mark.parametrize("options", [{}, {"targets": ("es-MX",), "min_reliability": 3},
                                     {"source": "en-US", "concepts": ("pixel", "file")}])
def test_entries_written_whole_are_the_element_by_element_bytes(render, glossary, name, options):
    if "concepts" in options:
        options = {**options, "concepts": frozenset(options["concepts"])}
    data = render(name, glossary, **options)
    assert data == written_by_lxml(data)


# any text; half of it drawn from XML's markup characters, white space, what XML forbids
# and characters outside ASCII
awkward = "&<>\"' \t\n\r\x01\x85\xa0\u2028\ufffe]é😀x"
anything = st.text(st.sampled_from(awkward), max_size=12) | st.text(max_size=12)


@settings(max_examples=80, deadline=None)
@given(ids=st.lists(anything.filter(bool), min_size=2, max_size=2, unique=True),
       texts=st.lists(anything, min_size=9, max_size=9), dialect=st.sampled_from(["tbx", "tbx2008"]))
def test_any_text_gives_the_element_by_element_bytes(ids, texts, dialect):
    term, note, source, reason, origin, reviewer, field, definition, other = texts
    provenance = Provenance(origin or "human", "reviewed", (reviewer,), "2026-01-02")
    concepts = [
        Concept(ids[0], field, (Term(term, "en", "preferred", note=note, source=source,
                                     provenance=provenance),
                                Term(term + "x", "es-MX", "forbidden", status_reason=reason)),
                definitions={"en": definition, "de": definition}, notes={"fr": other},
                related=(ids[1],), sources=(source, other), do_not_translate=True),
        Concept(ids[1], field, (Term(other or "y", "en", "preferred"),)),
    ]
    buffer = io.BytesIO()
    FORMATS[dialect].write(buffer, Glossary.of(concepts), ExportOptions())
    assert buffer.getvalue() == written_by_lxml(buffer.getvalue())

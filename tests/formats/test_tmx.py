"""TMX 1.4b read back by translate-toolkit; header and XML hygiene."""

from __future__ import annotations

import io

import pytest
from lxml import etree

from termbank.exporting import ExportOptions
from termbank.formats import tmx
from termbank.model import Concept, Glossary, Term


def test_translate_toolkit_reads_one_unit_per_concept_and_dialect(render, glossary):
    from translate.storage import tmx as ttk_tmx

    data = render("tmx", glossary, targets=("es-MX", "es-ES"))
    store = ttk_tmx.tmxfile(data, sourcelanguage="en", targetlanguage="es-ES")
    spain = {u.source: u.target for u in store.units if u.getid().endswith("/es-ES")}
    assert spain["file"] == "fichero" and spain["magnification"] == "aumento"
    store = ttk_tmx.tmxfile(data, sourcelanguage="en", targetlanguage="es-MX")
    mexico = {u.getid(): u.target for u in store.units if u.getid().endswith("/es-MX")}
    assert mexico["image-file/es-MX"] == "archivo"
    assert mexico["pixel/es-MX"] == "pixel"          # es-MX -> es-419, not es's "píxel"


def test_header_has_every_required_attribute(render, glossary):
    header = etree.fromstring(render("tmx", glossary)).find("header")
    assert {k: header.get(k) for k in ("segtype", "srclang", "datatype", "adminlang")} == {
        "segtype": "phrase", "srclang": "en", "datatype": "plaintext", "adminlang": "en"}
    assert header.get("creationtool") and header.get("creationtoolversion") and header.get("o-tmf")


def test_refused_forms_are_not_translations(render, glossary):
    data = render("tmx", glossary, targets=("es-MX",))
    assert "amplificación".encode() not in data and "magnificación".encode() not in data


def test_characters_xml_forbids_are_dropped_and_markup_escaped():
    concept = Concept("probe", "optics", (Term("a < b & c", "en", "preferred"),
                                          Term("x\x0by\ufffe", "es", "preferred")))
    out = io.BytesIO()
    tmx.write_tmx(out, Glossary.of([concept]), ExportOptions(targets=("es",)))
    segments = [s.text for s in etree.fromstring(out.getvalue()).iter("seg")]
    assert segments == ["a < b & c", "xy"]


@pytest.mark.parametrize("name", ["tmx", "tbx", "tbx2008"])
def test_characters_xml_cannot_hold_are_counted_on_stderr(render, name):
    """Dropped, not silently: the count and the first concept that had one."""
    concepts = [Concept("clean", "optics", (Term("clean", "en", "preferred"),
                                            Term("limpio", "es", "preferred"))),
                Concept("probe", "optics", (Term("probe", "en", "preferred"),
                                            Term("x\x0by\ufffe", "es", "preferred"))),
                Concept("third", "optics", (Term("third\x01", "en", "preferred"),
                                            Term("tercero", "es", "preferred")))]
    notes: list[str] = []
    data = render(name, Glossary.of(concepts), targets=("es",), notice=notes.append)
    assert b"xy" in data and b"\x0b" not in data
    assert notes == ["3 character(s) that XML cannot hold (control characters, U+FFFE/U+FFFF, "
                     "lone surrogates) left out, the first in probe"]
    clean: list[str] = []
    render(name, Glossary.of(concepts[:1]), targets=("es",), notice=clean.append)
    assert clean == []

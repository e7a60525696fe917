"""CSV and TSV: spreadsheet safety, lossless rows, and the reader's checks."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from termbank.errors import SourceError
from termbank.exporting import ExportOptions
from termbank.formats import delimited
from termbank.model import Concept, Glossary, Provenance, Term


def rows(data: bytes, delimiter: str = ",") -> list[dict[str, str]]:
    assert data.startswith("\ufeff".encode())   # so spreadsheets read UTF-8
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=delimiter))


def test_formula_cells_are_defused(render, glossary):
    terms = {r["term"] for r in rows(render("csv", glossary))}
    assert "'-80 °C freezer" in terms and "'=ULT freezer" in terms
    assert "-80 °C freezer" not in terms


def test_one_row_per_term_with_concept_values_once(render, glossary):
    table = [r for r in rows(render("tsv", glossary), "\t") if r["concept"] == "objective-lens"]
    assert [(r["tag"], r["term"]) for r in table] == [
        ("en", "objective"), ("en", "objective lens"), ("es", "objetivo"), ("fr", "objectif"),
        ("ar", "عدسة شيئية")]
    assert table[0]["related"] == "magnification microscope-stage"
    assert all(r["related"] == "" for r in table[1:])
    assert table[2]["reviewers"] == "Ana Pérez\nLuis Gómez"
    assert {r["subject_field"] for r in table} == {"optics"}


def test_a_tag_with_a_definition_but_no_term_gets_its_own_row(render, glossary):
    table = [r for r in rows(render("csv", glossary)) if r["concept"] == "image-file"]
    spain = [r for r in table if r["tag"] == "es-ES"]
    assert spain[0]["concept_note"] == "In Spain both words are heard."


def test_lang_keeps_the_fallback_chain(render, glossary):
    tags = {r["tag"] for r in rows(render("csv", glossary, targets=("es-MX",)))}
    assert tags == {"en", "es", "es-419", "es-MX"}


def test_a_users_apostrophe_survives(render):
    concept = Concept("probe", "optics", (Term("'t Hooft", "en", "preferred"),))
    data = render("csv", Glossary.of([concept]))
    (read,) = delimited.read_csv(io.BytesIO(data), name="x.csv")
    assert read.terms[0].text == "'t Hooft"


def test_minimal_hand_written_file_reads(tmp_path):
    data = "concept,tag,term\npixel,es_MX,píxel\n".encode()
    (concept,) = delimited.read_csv(io.BytesIO(data), name="mine.csv")
    assert (concept.terms[0].tag, concept.terms[0].status, concept.terms[0].line) == (
        "es-MX", "admitted", 2)


cell_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r"),
                    min_size=1, max_size=25)
term_text = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp", "Zs")),
                    min_size=1, max_size=25)


@settings(max_examples=60)
@given(term=term_text, note=cell_text, source=cell_text, reviewer=term_text,
       delimiter=st.sampled_from(["csv", "tsv"]))
def test_writer_and_reader_agree_on_any_text(term, note, source, reviewer, delimiter):
    reviewed = Provenance("me", "reviewed", (reviewer,), "2026-01-02")
    concept = Concept("probe", "optics", (Term(term, "en", "preferred", note=note, source=source,
                                               provenance=reviewed),),
                      definitions={"en": note}, sources=(source,))
    out = io.BytesIO()
    write = delimited.write_csv if delimiter == "csv" else delimited.write_tsv
    read = delimited.read_csv if delimiter == "csv" else delimited.read_tsv
    write(out, Glossary.of([concept]), ExportOptions())
    (back,) = read(io.BytesIO(out.getvalue()), name="p")
    assert back.terms[0] == concept.terms[0]
    assert back.definitions == concept.definitions
    if "\n" not in source:
        assert back.sources == concept.sources


def test_conflicting_concept_values_are_refused():
    data = "concept,tag,term,related\npixel,en,pixel,a\npixel,es,píxel,b\n".encode()
    with pytest.raises(SourceError, match="differs from the value given earlier"):
        list(delimited.read_csv(io.BytesIO(data), name="x.csv"))

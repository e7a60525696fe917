"""CSV and TSV: spreadsheet safety, lossless rows, and the reader's checks."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from termbank import Bank
from termbank.build import write_bank
from termbank.errors import SourceError
from termbank.exporting import ExportOptions
from termbank.formats import delimited
from termbank.model import Concept, Glossary, Provenance, Term


def rows(data: bytes, delimiter: str = ",") -> list[dict[str, str]]:
    assert data.startswith("\ufeff".encode())   # so spreadsheets read UTF-8
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=delimiter))


ONE_REVIEWER = Provenance("human", "reviewed", ("=Ana",), "2026-05-04")   # reliability 3
TWO_REVIEWERS = Provenance("", "reviewed", ("Ana", "Luis"), "-2026")        # reliability 4


def placements() -> list[Concept]:
    """Where the bank's rows put values: definitions and notes on a tag's first usable
    row, a row of its own for a tag with a definition or note but no usable term (in tag
    order, after the terms), the concept's values on its first row whatever that is;
    formula-like text in every kind of cell; terms left out by tag and by reliability."""
    def c(cid: str, *terms: Term, **rest) -> Concept:
        return Concept(cid, "optics", terms, **rest)

    return [
        c("-lead", Term("lente", "es-MX", "admitted", source="@ISO"),
          Term("objetivo", "es-MX", "preferred", provenance=TWO_REVIEWERS),
          Term("objective", "en", "preferred", provenance=ONE_REVIEWER),
          Term("objectif", "fr", "preferred", note="-80 °C", gender="masculine"),
          definitions={"en": "A lens.", "de": "=Linse.", "es-MX": "Lente."},
          notes={"fr": "Note.", "ar": "ملاحظة", "es-MX": "+Nota"},
          related=("no-terms", "three"), sources=("-ISO", "Book"), do_not_translate=True),
        c("no-terms", definitions={"fr": "Défini.", "en": "Defined."}, notes={"de": "Notiz."},
          related=("-lead",), sources=("=A",)),
        c("only-regional", Term("rejilla", "es-AR", "preferred", provenance=ONE_REVIEWER),
          definitions={"es": "Una rejilla.", "fr": "Une grille."}, sources=("'quoted",)),
        c("three", Term("=file", "en", "admitted", case_sensitive=True),
          Term("file", "en", "preferred", status_reason="calque", part_of_speech="noun"),
          Term("'t Hooft", "es", "deprecated", type="abbreviation"),
          definitions={"en": "Data."}, related=("-lead",)),
    ]


OPTIONS = [  # targets, source, min_reliability, concepts
    ((), "en", 1, None),
    (("es-MX",), "en", 1, None),
    (("fr", "es-AR"), "en", 3, None),
    ((), "es", 4, None),
    ((), "en", 1, frozenset({"no-terms", "three", "unknown"})),
    (("de",), "en", 2, frozenset({"-lead", "only-regional"})),
]


@pytest.fixture(scope="module")
def placements_bank(tmp_path_factory):
    path = tmp_path_factory.mktemp("placements") / "termbank.db"
    write_bank(placements(), path)
    return path


@pytest.mark.parametrize("name", ["csv", "tsv"])
@pytest.mark.parametrize("choice", OPTIONS)
def test_rows_read_from_the_bank_are_the_models(placements_bank, render, name, choice):
    targets, source, least, concepts = choice
    chosen = dict(targets=targets, source=source, min_reliability=least, concepts=concepts)
    with Bank(placements_bank) as bank:
        streamed = bank.glossary()
        assert streamed.bank is bank and not bank.overlay   # the bank's own reading
        held = Glossary(Glossary.of(list(streamed)).concepts, streamed.tags, streamed.count)
        assert render(name, streamed, **chosen) == render(name, held, **chosen)


def test_the_banks_rows_place_each_value_once(placements_bank, render):
    with Bank(placements_bank) as bank:
        table = rows(render("csv", bank.glossary()))
    lead = [r for r in table if r["concept"] == "'-lead"]
    assert [(r["tag"], r["term"]) for r in lead] == [
        ("es-MX", "lente"), ("es-MX", "objetivo"), ("en", "objective"), ("fr", "objectif"),
        ("ar", ""), ("de", "")]
    assert [(r["definition"], r["concept_note"]) for r in lead] == [
        ("Lente.", "'+Nota"), ("", ""), ("A lens.", ""), ("", "Note."), ("", "ملاحظة"),
        ("'=Linse.", "")]
    assert [(r["related"], r["sources"], r["do_not_translate"]) for r in lead][:2] == [
        ("no-terms three", "'-ISO\nBook", "yes"), ("", "", "")]
    assert lead[2]["reviewers"] == "'=Ana" and lead[1]["reviewed_on"] == "'-2026"
    assert lead[1]["origin"] == "unknown" and lead[3]["note"] == "'-80 °C"
    bare = [r for r in table if r["concept"] == "no-terms"]
    assert [(r["tag"], r["definition"], r["concept_note"], r["related"]) for r in bare] == [
        ("de", "", "Notiz.", "'-lead"), ("en", "Defined.", "", ""), ("fr", "Défini.", "", "")]


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

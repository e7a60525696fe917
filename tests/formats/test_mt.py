"""The rules every machine-translation glossary shares (formats/mt.py), on each provider."""

from __future__ import annotations

import io

import pytest

from termbank.errors import TermbankError
from termbank.exporting import ExportOptions, export
from termbank.formats import FORMATS
from termbank.model import Concept, Glossary, Term

ONE_PAIR = ["deepl", "google", "azure"]
PROVIDERS = [*ONE_PAIR, "google-sets", "aws"]


def entries(name: str, data: bytes) -> dict[str, str]:
    """source -> target, whatever the provider's layout."""
    import csv
    import zipfile

    if name == "azure":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            english, other = (archive.read(n).decode().splitlines() for n in archive.namelist())
        return dict(zip(english, other, strict=True))
    text = data.decode()
    reader = csv.reader(io.StringIO(text), delimiter="\t" if name == "deepl" else ",")
    table = list(reader)
    return {row[0]: row[1] for row in (table[1:] if name in ("aws", "google-sets") else table)}


@pytest.mark.parametrize("name", PROVIDERS)
def test_homonyms_keep_the_microscopy_sense_and_say_so(render, glossary, name):
    notes: list[str] = []
    data = render(name, glossary, targets=("es",), notice=notes.append)
    table = entries(name, data)
    assert table["objective"] == "objetivo" and table["stage"] == "platina"
    assert any("kept objective-lens, left out study-objective" in n for n in notes)
    assert any("kept microscope-stage, left out developmental-stage" in n for n in notes)


@pytest.mark.parametrize("name", PROVIDERS)
def test_refused_forms_never_become_entries_and_names_map_to_themselves(render, glossary, name):
    table = entries(name, render(name, glossary, targets=("es-MX",) if name != "google-sets"
                                 else ("es",)))
    assert "magnificación" not in table.values() and "amplificación" not in table.values()
    assert table["napari"] == "napari"
    assert table["magnification"] == "aumento"


UNCLEAN = [(name, "two\tcolumns", "control character") for name in PROVIDERS]
UNCLEAN += [(name, "line\u2028break", "line separator") for name in PROVIDERS]
UNCLEAN += [(name, "x" * 1100, "bytes per term") for name in ("deepl", "aws")]  # published limits


@pytest.mark.parametrize("name, bad, why", UNCLEAN)
def test_unclean_terms_are_left_out_with_a_note(render, name, bad, why):
    concepts = [Concept("good", "optics", (Term("good", "en", "preferred"),
                                           Term("bueno", "es", "preferred"))),
                Concept("bad", "optics", (Term("bad", "en", "preferred"),
                                          Term(bad, "es", "preferred")))]
    notes: list[str] = []
    table = entries(name, render(name, Glossary.of(concepts), targets=("es",),
                                 notice=notes.append))
    assert table == {"good": "bueno"}
    assert any(n.startswith("bad: ") and why in n for n in notes)


def test_the_size_limit_fails_the_export_and_writes_nothing(tmp_path):
    concepts = [Concept(f"c{i:05d}", "optics", (Term(f"term {i} " + "x" * 900, "en", "preferred"),
                                                Term("y" * 1000, "es", "preferred")))
                for i in range(11_000)]
    target = tmp_path / "glossary.tsv"
    with pytest.raises(TermbankError, match="10,485,760 byte limit"):
        export(FORMATS["deepl"], Glossary.of(concepts), ExportOptions(targets=("es",)), target)
    assert not target.exists() and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["aws", "google-sets"])
def test_without_lang_each_provider_code_takes_the_general_tag(render, glossary, name):
    notes: list[str] = []
    header = render(name, glossary, notice=notes.append).decode().splitlines()[0].split(",")
    assert header[0] == "en" and header.count("es") == 1
    assert any("es-ES left out" in n for n in notes)


def test_lang_asking_for_two_dialects_one_code_is_refused(render, glossary):
    with pytest.raises(TermbankError, match="one code"):
        render("aws", glossary, targets=("es", "es-ES"))


FORMULAS = ["=SUM(A1:A9)", "+1+1", "@A1", "-2+3"]


@pytest.mark.parametrize("name", ["aws", "google", "google-sets", "deepl", "omegat"])
@pytest.mark.parametrize("formula", FORMULAS)
@pytest.mark.parametrize("side", ["source", "target"])
def test_no_cell_starts_a_spreadsheet_formula(render, name, formula, side):
    """Issue 16, Medium 7: a term a spreadsheet would run is left out with a note; a free-text
    description gets a leading apostrophe."""
    import csv

    bad = (Term(formula, "en", "preferred"), Term("malo", "es", "preferred")) if side == "source" \
        else (Term("bad", "en", "preferred"), Term(formula, "es", "preferred"))
    concepts = [Concept("good", "optics", (Term("good", "en", "preferred"),
                                           Term("bueno", "es", "preferred")),
                        definitions={"en": formula}),
                Concept("bad", "optics", bad)]
    notes: list[str] = []
    data = render(name, Glossary.of(concepts), targets=("es",), notice=notes.append).decode()
    rows = list(csv.reader(io.StringIO(data), delimiter="\t" if name in ("deepl", "omegat")
                           else ","))
    cells = [cell for row in rows for cell in row if not cell.startswith("#")]
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert "good" in cells and "bueno" in cells and formula not in cells
    assert any(n.startswith(f"bad: {formula!r} left out: starts with") for n in notes)
    if name == "google-sets":
        assert "'" + formula in cells

"""Alignment of fixture pairs with the bank's concepts: label, support, conflict, counts,
and the attestations file's bytes."""

from __future__ import annotations

import random

import pytest

from termbank.errors import SourceError
from termbank.evidence.attest import attest, label_form, plain
from termbank.evidence.facts import COLUMNS, Fact, read_tsv, write_tsv
from termbank.model import Concept, Term

from .conftest import PAIRS, Pair


def counts(facts, **where) -> dict[tuple[str, str, str, str], int]:
    """(concept, tag, term, project) -> count of the facts matching ``where``."""
    return {(f.concept, f.tag, f.term, f.project): f.count for f in facts
            if all(getattr(f, k) == v for k, v in where.items())}


@pytest.mark.parametrize("concept, tag, term, project, count", [
    ("image-file", "es-MX", "Archivo", "Firefox", 2),
    ("image-file", "es-MX", "Archivos", "Firefox", 1),        # the written form is kept
    ("image-file", "es-MX", "Archivo", "Thunderbird", 2),     # "&Archivo" and "Archivo:"
    ("image-file", "es", "Archivo", "LibreOffice", 1),        # "~Archivo"
    ("image-file", "es-ES", "Fichero", "Firefox", 2),
    ("deconvolution", "es", "Deconvolución", "Siril", 1),
    ("magnification", "es-MX", "Zoom", "Firefox", 3),         # "Zoom…" counts with "Zoom"
])
def test_label_pairs_record_the_translation_as_written(attested, concept, tag, term, project,
                                                       count):
    assert counts(attested[0], kind="label")[(concept, tag, term, project)] == count


def test_each_fact_names_the_english_term_translated(attested):
    english = {(f.concept, f.term): f.english for f in attested[0]}
    assert english[("image-file", "Archivos")] == "file"                  # from "Files"
    assert english[("pixel", "Elementos de imagen")] == "picture element"
    assert english[("magnification", "magnification")] == "magnification"  # a conflict


def test_sentences_support_the_banks_terms_or_conflict(attested):
    facts = attested[0]
    assert counts(facts, kind="support") == {
        ("deconvolution", "es", "deconvolución", "Siril"): 1,
        ("deconvolution", "es", "deconvolución", "Stellarium"): 1,
        ("magnification", "es", "aumento", "Stellarium"): 1}
    # a conflict records the English term the sentence held: its translation used no bank term
    assert counts(facts, kind="conflict") == {
        ("magnification", "es", "magnification", "Stellarium"): 1}


def test_strings_without_terms_names_and_other_languages_leave_no_fact(attested):
    facts, summary = attested
    assert {f.concept for f in facts} == {"image-file", "deconvolution", "magnification", "pixel"}
    assert summary.skipped == {"label translated by no term-like form": 1, "tag not in the bank": 1}
    assert sum(summary.pairs.values()) == len(PAIRS)
    assert summary.pairs[("Stellarium", "stellarium-data", "es")] == 5


def test_no_sentence_is_stored(attested):
    texts = {p.target for p in PAIRS if len(p.target.split()) > 3}
    assert not any(f.term in texts for f in attested[0])


@pytest.mark.parametrize("text, form", [
    ("&Archivo", "Archivo"), ("~Archivo", "Archivo"), ("_Archivo", "Archivo"),
    ("Fi&chero", "Fichero"), ("  Zoom…  ", "Zoom"), ("Zoom...", "Zoom"), ("Archivo:", "Archivo"),
    ("H&E", "H&E"), ("Guardar && cerrar", "Guardar & cerrar"), ("", None),
    ("una frase tan larga que no puede ser el nombre de un término", None), ("↓ CDV", None),
])
def test_label_forms_lose_only_accelerators_white_space_and_a_trailing_mark(text, form):
    assert label_form(text) == form


def test_plain_collapses_white_space():
    assert plain("point\n  spread\tfunction") == "point spread function"


def test_a_homonym_label_goes_to_the_concept_whose_term_the_translation_holds():
    homonyms = [
        Concept("objective-lens", "optics", (Term("objective", "en", "preferred"),
                                             Term("objetivo", "es", "preferred"))),
        Concept("research-goal", "data-management", (Term("objective", "en", "preferred"),
                                                     Term("meta", "es", "preferred"))),
    ]
    pairs = [Pair("Siril", "siril-common", "1", "es", "Objective", "Objetivo"),
             Pair("Siril", "siril-common", "1", "es", "Objective", "Finalidad")]
    facts, summary = attest(homonyms, pairs)
    assert [(f.concept, f.term) for f in facts] == [("objective-lens", "Objetivo")]
    assert summary.skipped == {"label of homonyms": 1}


def test_case_sensitive_terms_match_only_as_written():
    concept = Concept("numerical-aperture", "optics", (
        Term("numerical aperture", "en", "preferred"), Term("NA", "en", case_sensitive=True),
        Term("apertura numérica", "es", "preferred")))
    facts, _ = attest([concept], [Pair("X", "x", "1", "es", "Na", "Sodio"),
                                  Pair("X", "x", "1", "es", "NA", "AN")])
    assert [(f.term, f.count) for f in facts] == [("AN", 1)]


def test_two_runs_give_the_same_bytes_whatever_the_order(concepts, tmp_path):
    first, second = tmp_path / "a.tsv", tmp_path / "b.tsv"
    write_tsv(first, attest(concepts, PAIRS)[0])
    shuffled = list(PAIRS)
    random.Random(7).shuffle(shuffled)
    write_tsv(second, attest(concepts, shuffled)[0])
    assert first.read_bytes() == second.read_bytes()
    lines = first.read_text(encoding="utf-8").splitlines()
    assert lines[0].split("\t") == list(COLUMNS) and lines[1:] == sorted(lines[1:])


def test_the_file_reads_back_as_written(attested, attestations_file):
    assert list(read_tsv(attestations_file)) == attested[0]


def test_a_failed_write_leaves_the_old_file(tmp_path):
    path = tmp_path / "attestations.tsv"
    write_tsv(path, [Fact("pixel", "es", "pixel", "píxel", "label", "Siril", "s", "1", 2)])
    before = path.read_bytes()
    with pytest.raises(TypeError):
        write_tsv(path, [Fact("pixel", "es", "pixel", "píxel", "label", "Siril", "s", "1", 2), None])
    assert path.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == [path.name]


HEADER = "\t".join(COLUMNS)


@pytest.mark.parametrize("line, field, message", [
    ("pixel\tes\tpixel\tpíxel\tlabel\tSiril\ts\t1", None,
     "expected 9 tab-separated fields, found 8"),
    ("pixel\tes\tpixel\tpíxel\tguess\tSiril\ts\t1\t2", "kind", "'guess' is not one of"),
    ("pixel\tes\tpixel\tpíxel\tlabel\tSiril\ts\t1\ttwo", "count",
     "'two' is not a positive number"),
    ("pixel\tes-XX\tpixel\tpíxel\tlabel\tSiril\ts\t1\t2", "tag",
     "not a language or region known"),
    ("pixel\tes\tpixel\t\tlabel\tSiril\ts\t1\t2", "term", "is empty"),
    ("pixel\tes\t\tpíxel\tlabel\tSiril\ts\t1\t2", "english", "is empty"),
])
def test_a_malformed_line_is_named(tmp_path, line, field, message):
    path = tmp_path / "attestations.tsv"
    good = "pixel\tes\tpixel\tpíxel\tlabel\tSiril\ts\t1\t2"
    path.write_text(f"{HEADER}\n{good}\n{line}\n", encoding="utf-8")
    with pytest.raises(SourceError) as error:
        list(read_tsv(path))
    problem = error.value.problems[0]
    assert (problem.path, problem.line, problem.field) == (str(path), 3, field)
    assert message in problem.message


def test_a_file_without_the_header_is_refused(tmp_path):
    path = tmp_path / "attestations.tsv"
    path.write_text("pixel\tes\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"attestations.tsv:1: expected the header"):
        list(read_tsv(path))

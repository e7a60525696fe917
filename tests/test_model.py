"""The model is frozen data, and a glossary has the same tags read from YAML or from the bank."""

from __future__ import annotations

import io
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from termbank import Bank, build
from termbank.errors import TermbankError
from termbank.exporting import ExportOptions
from termbank.formats import FORMATS
from termbank.model import Concept, Glossary, Provenance, Term, Texts, reliability
from termbank.source import read_glossary

GLOSSARY = Path(__file__).resolve().parent / "data" / "exports" / "glossary"


def concept(**changes) -> Concept:
    base = Concept("pixel", "image-data", (Term("pixel", "en", "preferred"),),
                   definitions={"en": "The smallest element."}, notes={"es": "Nota."})
    return replace(base, **changes)


def test_a_concept_is_hashable_and_its_mappings_are_frozen():
    first, second = concept(), concept()
    assert hash(first) == hash(second) and first == second and len({first, second}) == 1
    assert isinstance(first.definitions, Texts) and first.definitions == {"en": "The smallest element."}
    with pytest.raises(TypeError):
        first.definitions["fr"] = "Plus petit élément."  # type: ignore[index]
    assert hash(concept(definitions={"en": "Other."})) != hash(first)


def test_lists_given_to_a_concept_become_tuples():
    made = concept(terms=[Term("pixel", "en", "preferred")], related=["camera"])
    assert made.terms == (Term("pixel", "en", "preferred"),) and made.related == ("camera",)


@pytest.mark.parametrize(("review", "reviewers", "source", "expected"), [
    ("draft", (), None, 1), ("draft", (), "ISO 10934", 2), ("reviewed", ("Ana",), None, 3),
    ("reviewed", ("Ana", "Luis"), None, 4), ("reviewed", ("Ana",), "ISO 10934", 4),
])
def test_reliability_is_derived_in_one_place(review, reviewers, source, expected):
    assert reliability(review, reviewers, source) == expected
    term = Term("x", "es", source=source, provenance=Provenance("ai-draft", review, reviewers))
    assert term.reliability == expected


def test_english_term_is_the_preferred_one_else_the_first_accepted():
    terms = (Term("old", "en", "deprecated", status_reason="obsolete"),
             Term("picture element", "en", "admitted"), Term("pixel", "en", "preferred"))
    assert concept(terms=terms).english.text == "pixel"
    assert concept(terms=terms[:2]).english.text == "picture element"


@pytest.fixture
def italian_definition(tmp_path) -> Path:
    """The export fixture glossary plus a definition in Italian, a language with no term."""
    target = tmp_path / "glossary"
    shutil.copytree(GLOSSARY, target)
    path = target / "image-data" / "pixel.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("definition:\n", "definition:\n  it: Il più piccolo elemento.\n", 1),
                    encoding="utf-8")
    return target


def test_glossary_tags_agree_between_yaml_and_the_built_bank(italian_definition, tmp_path):
    from_yaml = Glossary.of(read_glossary(italian_definition))
    build(italian_definition, tmp_path / "bank.db")
    with Bank(tmp_path / "bank.db", proposals=False) as bank:
        from_bank = bank.glossary()
        assert bank.concept("pixel").definitions["it"] == "Il più piccolo elemento."
        assert from_bank.tags == from_yaml.tags and "it" not in from_bank.tags
        outputs = [_aws(g) for g in (from_yaml, from_bank)]
    assert outputs[0] == outputs[1]


def _aws(glossary: Glossary) -> bytes | str:
    """An Amazon export for every tag of the glossary, or why it was refused."""
    buffer = io.BytesIO()
    try:
        FORMATS["aws"].write(buffer, glossary, ExportOptions())
    except TermbankError as exc:
        return str(exc)
    return buffer.getvalue()

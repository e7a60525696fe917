"""LLM prompt glossaries: homonyms kept apart by their definitions, forms not to use."""

from __future__ import annotations

import json


def test_llm_markdown_lists_homonyms_with_their_definitions(render, glossary):
    text = render("llm", glossary, targets=("es",)).decode()
    assert "| objective | objetivo | preferred |  | The lens system nearest the specimen" in text
    assert "| objective | objetivo del estudio | preferred |" in text
    assert "| napari | napari | do not translate |" in text
    assert "at about -80 °C \\| the usual store for fixed tissue." in text


def test_llm_json_is_a_list_with_do_not_use_forms(render, glossary):
    entries = json.loads(render("llm-json", glossary, targets=("es-MX",)))
    magnification = next(e for e in entries if e["source"] == "magnification")
    assert magnification == {
        "source": "magnification", "target": "aumento", "status": "preferred",
        "do_not_use": ["amplificación (false friend)", "magnificación (calque)"],
        "note": "How many times larger an optical system makes the image of an object than "
                "the object itself."}

"""Search as you type: /-/suggest.json from the FTS index, the static script that uses it, and
the lookup box that works without it."""

from __future__ import annotations

import pytest

from .pages import parse

pytestmark = pytest.mark.asyncio


@pytest.mark.parametrize("typed, expected", [
    ("umbra", ["umbralizado", "umbralización"]),
    ("UMBRALIZACION", ["umbralización"]),                  # case and accents ignored
    ("func disp", ["función de dispersión de punto", "función de dispersión puntual"]),
    ("seuil", ["seuillage"]),
    ("zzzz", []),
    ("", []),
    ('"', []),
])
async def test_suggestions_come_from_terms_of_any_language(ds, typed, expected):
    response = await ds.client.get("/-/suggest.json", params={"q": typed})
    assert response.status_code == 200
    assert sorted(s["term"] for s in response.json()) == sorted(expected)


async def test_a_suggestion_names_its_tag_and_concept_and_refused_terms_are_left_out(ds):
    found = (await ds.client.get("/-/suggest.json?q=magnifica")).json()
    assert {"term": "magnification", "tag": "en", "concept": "magnification"} in found
    assert "magnificación" not in [s["term"] for s in found]   # deprecated: not offered


async def test_the_script_is_a_static_file_and_no_page_has_inline_script(ds):
    script = await ds.client.get("/-/termbank.js")
    assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")
    assert "suggest" in script.text and "setTimeout" in script.text   # debounced
    for path in ("/-/lookup?q=pixel&to=es", "/-/propose", "/-/dialects?family=fr"):
        page = parse((await ds.client.get(path)).text)
        ours = [s for s in page.xpath("//script") if "termbank" in (s.get("src") or "")]
        assert [s.get("src") for s in ours] == ["/-/termbank.js"]
        assert not page.xpath("//*[@onchange or @onclick or @oninput]")


async def test_the_lookup_box_works_without_javascript(ds):
    page = parse((await ds.client.get("/-/lookup?ui=es")).text)
    form = page.xpath("//form[@role='search']")[0]
    assert form.get("action") == "/-/lookup" and form.get("method") == "get"
    box = form.xpath(".//input[@name='q']")[0]
    assert box.get("list") == "tb-q-suggestions" and box.get("data-suggest") == "/-/suggest.json"
    answer = await ds.client.get("/-/lookup", params={"q": "umbralización", "to": "es-MX"})
    assert "concept-thresholding" in answer.text

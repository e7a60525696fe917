"""The pages everyone reads: /-/lookup, /-/lookup.json, /-/concept/ID, downloads, languages."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from termbank.cli import cli

pytestmark = pytest.mark.asyncio


@pytest.mark.parametrize("query, cli_args", [
    ("q=PSF&to=es-MX", ["PSF", "--to", "es-MX"]),
    ("q=file&to=pt-BR&to=pt-PT&to=es-ES", ["file", "--to", "pt-BR", "--to", "pt-PT", "--to", "es-ES"]),
    ("q=umbralizaciones", ["umbralizaciones"]),
    ("q=objetivo&from=es-MX&to=fr-CA", ["objetivo", "--from", "es-MX", "--to", "fr-CA"]),
    ("q=pixel&to=es-AR&min_reliability=2", ["pixel", "--to", "es-AR", "--min-reliability", "2"]),
    ("q=nothing+like+this", ["nothing like this"]),
])
async def test_lookup_json_is_byte_for_byte_the_cli_json(ds, bank_path, query, cli_args):
    response = await ds.client.get(f"/-/lookup.json?{query}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    printed = CliRunner().invoke(cli, ["lookup", *cli_args, "--json", "--db", str(bank_path)])
    assert response.text == printed.stdout
    assert isinstance(json.loads(response.text), list)


async def test_lookup_page_shows_the_dialect_then_the_others_side_by_side(ds):
    html = (await ds.client.get("/-/lookup?q=pixels&to=es-MX")).text
    chosen = html.split('class="tb-chosen"')[1].split("</section>")[0]
    assert "español (México)" in chosen and ">pixel<" in chosen
    assert "from es-419" in chosen            # the answer names the tag that supplied it
    assert "reliability 1/4 (not verified) · draft" in chosen  # one marker, its words for all
    others = html.split('class="tb-dialects"')[1]
    assert "píxel" in others and 'title="português (Portugal)">pt-PT<' in others
    assert 'title="français (Canada)">fr-CA<' in others
    assert "Definition" in html and "smallest element of a digital image" in html  # as read
    assert 'href="/-/concept/camera?to=es-MX"' in html  # related concepts link to cards
    assert 'href="/-/propose?concept=pixel&amp;to=es-MX"' in html
    assert 'href="/-/discuss/pixel/es-MX"' in html


@pytest.mark.parametrize("query, ui, words", [
    ("numerical+apperture", "en", "close spelling"),
    ("dispersi%C3%B3n+de+punto", "es", "parte de un término más largo"),
    ("funci%C3%B3n+de+dispersi%C3%B3n+del+punto", "fr", "le même terme avec d’autres articles"),
    ("numerical+apperture", "pt", "grafia parecida"),
])
async def test_looser_matches_are_said_in_words_of_the_interface(ds, query, ui, words):
    html = (await ds.client.get(f"/-/lookup?q={query}&to=es&ui={ui}")).text
    assert words in html
    exact = (await ds.client.get(f"/-/lookup?q=PSF&to=es&ui={ui}")).text
    assert "tb-closeness" not in exact


async def test_status_reasons_and_do_not_translate_are_shown(ds):
    html = (await ds.client.get("/-/lookup?q=magnification&to=es-MX")).text
    assert "magnificación" in html and "deprecated: calque" in html
    fiji = (await ds.client.get("/-/lookup?q=fiji&to=pt-PT")).text
    assert "Do not translate" in fiji and ">Fiji<" in fiji


async def test_empty_page_invites_a_search_and_no_match_suggests(ds):
    first = await ds.client.get("/-/lookup")
    assert first.status_code == 200 and "dialect by dialect" in first.text
    missing = await ds.client.get("/-/lookup?q=thrsholdng&to=es")
    assert missing.status_code == 200
    assert "No concept found for “thrsholdng”" in missing.text
    assert '?q=thresholding&amp;to=es">thresholding</a>' in missing.text


async def test_concept_card_and_unknown_concept(ds):
    card = await ds.client.get("/-/concept/point-spread-function?to=fr-CA")
    assert card.status_code == 200
    assert "fonction d&#39;étalement du point" in card.text and "from fr" in card.text
    assert "<title>fonction d&#39;étalement du point · termbank</title>" in card.text
    missing = await ds.client.get("/-/concept/no-such-concept")
    assert missing.status_code == 404
    assert "There is no concept with the id no-such-concept" in missing.text


@pytest.mark.parametrize("path", ["/-/lookup?q=pixel&to=xx-ZZ", "/-/lookup.json?q=pixel&to=es_XX",
                                  "/-/lookup.json?q=pixel&from=%3Cb%3E", "/-/concept/pixel?to=zz"])
async def test_an_unknown_tag_is_a_400_with_a_clear_message(ds, path):
    response = await ds.client.get(path)
    assert response.status_code == 400
    assert "not a language" in response.text or "not a supported" in response.text


async def test_json_refusals_are_json(ds):
    response = await ds.client.get("/-/lookup.json?q=%20")
    assert response.status_code == 400
    assert response.json() == {"error": "q: give the text to look up, e.g. ?q=PSF&to=es-MX",
                               "field": "q", "status": 400}
    bad = await ds.client.get("/-/lookup.json?q=pixel&min_reliability=9")
    assert bad.status_code == 400 and bad.json()["field"] == "min_reliability"


async def test_min_reliability_filters_the_page(ds):
    html = (await ds.client.get("/-/lookup?q=pixel&to=es&min_reliability=3")).text
    chosen = html.split('class="tb-chosen"')[1].split("</section>")[0]
    assert "No term yet in this dialect" in chosen  # every fixture term is an unreviewed draft


async def test_query_text_is_escaped(ds):
    html = (await ds.client.get("/-/lookup?q=%3Cscript%3Ealert(1)%3C/script%3E")).text
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize("how, expected", [
    ({"params": {"ui": "es"}}, "Buscar un término"),
    ({"headers": {"accept-language": "fr-CA,fr;q=0.9,en;q=0.5"}}, "Chercher un terme"),
    ({"headers": {"accept-language": "de, pt-BR;q=0.8"}}, "Consultar um termo"),
    ({"headers": {"accept-language": "de"}}, "Look up a term"),
])
async def test_the_interface_speaks_the_visitors_language(ds, how, expected):
    response = await ds.client.get("/-/lookup", **how)
    assert f"<title>{expected} · termbank</title>" in response.text


async def test_a_chosen_language_is_remembered(ds):
    chosen = await ds.client.get("/-/lookup?ui=pt")
    cookie = chosen.cookies["termbank_lang"]
    later = await ds.client.get("/-/propose", cookies={"termbank_lang": cookie},
                                headers={"accept-language": "fr"})
    assert "Propor um termo" in later.text


async def test_accept_language_picks_the_default_dialect(ds):
    html = (await ds.client.get("/-/lookup?q=file", headers={"accept-language": "pt-PT,en"})).text
    assert '<option value="pt-PT" lang="pt-PT" selected>' in html and "ficheiro" in html


async def test_download_links_serve_the_export_formats(ds):
    html = (await ds.client.get("/-/lookup?q=pixel&to=es-MX")).text
    assert 'href="/-/export/csv?to=es-MX"' in html and 'href="/-/export/tbx?to=es-MX"' in html
    csv = await ds.client.get("/-/export/csv?to=es-MX")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert "pixel" in csv.text
    assert 'filename="termbank-es-MX.csv"' in csv.headers["content-disposition"]
    again = await ds.client.get("/-/export/csv?to=es-MX")
    assert again.content == csv.content
    assert (await ds.client.get("/-/export/no-such-format")).status_code == 404
    assert (await ds.client.get("/-/export/po?to=xx-ZZ")).status_code == 400
    assert (await ds.client.get("/-/export/po")).status_code == 400  # one target language needed


async def test_language_links_use_ui_and_keep_the_dialect(ds):
    html = (await ds.client.get("/-/lookup?q=pixel&to=es-MX")).text
    assert 'href="/-/lookup?q=pixel&amp;to=es-MX&amp;ui=fr"' in html
    assert "?lang=" not in html and "&amp;lang=" not in html


@pytest.mark.parametrize("old, new", [
    ("/-/lookup?lang=es", "/-/lookup?ui=es"),
    ("/-/lookup?q=p%C3%ADxel&to=es-MX&lang=fr", "/-/lookup?q=p%C3%ADxel&to=es-MX&ui=fr"),
    ("/-/concept/pixel?to=pt-PT&lang=pt", "/-/concept/pixel?to=pt-PT&ui=pt"),
    ("/-/propose?concept=pixel&tag=es-AR&lang=es", "/-/propose?concept=pixel&tag=es-AR&ui=es"),
    ("/-/signin?lang=fr", "/-/signin?ui=fr"),
    ("/-/export/csv?lang=es-MX", "/-/export/csv?to=es-MX"),
    ("/-/export/tsv?lang=es-MX&lang=fr-CA", "/-/export/tsv?to=es-MX&to=fr-CA"),
])
async def test_old_lang_links_redirect_permanently_to_the_new_names(ds, old, new):
    moved = await ds.client.get(old)
    assert moved.status_code == 301 and moved.headers["location"] == new
    assert (await ds.client.get(new)).status_code == 200


async def test_redirected_export_is_the_new_export_and_other_pages_are_untouched(ds):
    moved = await ds.client.get("/-/export/csv?lang=es-MX")
    assert (await ds.client.get(moved.headers["location"])).content == \
        (await ds.client.get("/-/export/csv?to=es-MX")).content
    datasette_page = await ds.client.get("/termbank/terms?lang=es")   # not ours: left alone
    assert datasette_page.status_code == 200
    api = await ds.client.get("/-/lookup.json?q=pixel&to=es&lang=es")  # never read lang
    assert api.status_code == 200 and api.json()[0]["concept"] == "pixel"


async def test_propose_form_takes_the_dialect_as_to(ds):
    html = (await ds.client.get("/-/propose?concept=pixel&to=es-AR")).text
    assert 'value="es-AR"' in html

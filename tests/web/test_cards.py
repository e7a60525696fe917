"""Concept cards in the reader's language: title, fields, related concepts, texts, dialect groups,
trust markers and homonyms told apart (termbank.web.cards and its templates)."""

from __future__ import annotations

import pytest

from termbank.fields import SUBJECT_FIELDS
from termbank.web.interface import FIELD_LABELS

from .pages import parse, select, text

pytestmark = pytest.mark.asyncio


def card_of(html: str, concept: str):
    return parse(html).get_element_by_id(f"concept-{concept}")


async def test_the_title_is_the_dialects_term_with_english_under_it(ds):
    html = (await ds.client.get("/-/concept/point-spread-function?to=es-MX&ui=es")).text
    card = card_of(html, "point-spread-function")
    assert text(select(card, "h2")[0]) == "función de dispersión de punto"
    assert select(card, "h2 a")[0].get("lang") == "es"
    assert text(select(card, ".tb-english")[0]) == "point spread function en"
    assert "<title>función de dispersión de punto · termbank</title>" in html


async def test_fields_and_related_concepts_are_named_in_the_readers_language(ds):
    card = card_of((await ds.client.get("/-/concept/pixel?to=pt-PT&ui=pt")).text, "pixel")
    assert text(select(card, ".tb-field")[0]) == "Dados de imagem, metadados e formatos de arquivo"
    related = {a.get("href"): text(a) for a in select(card, ".tb-related a")}
    assert related == {"/-/concept/camera?to=pt-PT": "câmara",
                       "/-/concept/z-stack?to=pt-PT": "pilha em z"}


async def test_every_field_has_a_label_for_the_catalogues():
    assert {f.id: f.title for f in SUBJECT_FIELDS} == FIELD_LABELS


@pytest.mark.parametrize("url, tag, only_english", [
    ("/-/concept/pixel?to=fr-CA&ui=fr", "fr", False),
    ("/-/concept/pixel?to=es-AR&ui=pt", "pt", False),       # the language the reader reads
    ("/-/concept/pixel?to=es-AR&ui=en", "en", False),
    ("/-/concept/objective-lens?to=es&ui=es", "es", False),
    ("/-/concept/fiji?to=es&ui=es", "en", True),            # said to stand in
])
async def test_definitions_come_in_the_readers_language_first(ds, url, tag, only_english):
    card = card_of((await ds.client.get(url)).text, url.split("/")[-1].split("?")[0])
    assert select(card, ".tb-definitions dd")[0].get("lang") == tag
    assert bool(select(card, ".tb-definitions .tb-only-en")) is only_english


async def test_a_note_only_in_english_says_so_in_the_interface_language(ds):
    card = card_of((await ds.client.get("/-/concept/objective-lens?to=es-MX&ui=es")).text,
                   "objective-lens")
    note = text(select(card, ".tb-concept-note")[0])
    assert note.startswith("Nota (por ahora solo en inglés):") and "objective in the sense" in note
    assert "(en)" not in note


async def test_dialects_that_answer_alike_share_a_row_and_own_terms_are_marked(ds):
    card = card_of((await ds.client.get("/-/concept/image-file?to=es-MX&ui=es")).text,
                   "image-file")
    rows = {text(select(r, "th")[0]): r for r in select(card, ".tb-dialects tbody tr")}
    spanish = [k for k in rows if k.startswith("es")]
    assert spanish == ["es, es-419, es-AR, es-CO, es-MX", "es-ES término regional propio"]
    assert "fichero" in text(rows[spanish[1]]) and "tb-own" in rows[spanish[1]].get("class")
    assert "tb-own" not in rows[spanish[0]].get("class")
    assert select(rows[spanish[0]], '[aria-current="true"]')[0].text == "es-MX"
    assert len(select(card, ".tb-dialects tbody tr")) < 8   # not one row per dialect


async def test_one_trust_marker_per_term_with_its_words_and_a_legend(ds):
    html = (await ds.client.get("/-/lookup?q=magnification&to=es-MX&ui=es")).text
    card = card_of(html, "magnification")
    chosen = select(card, ".tb-chosen li.tb-answer")
    assert all(len(select(li, ".tb-trust")) == 1 for li in chosen)
    marker = select(chosen[0], ".tb-trust")[0]
    assert marker.get("title") == text(select(marker, ".tb-sr")[0])
    assert "fiabilidad 1/4 (no verificado)" in marker.get("title")
    assert not select(card, ".tb-reliability, .tb-review")   # the four badges are gone
    legend = select(parse(html), ".tb-legend")[0]
    assert "desaconsejado" in text(legend) and "muy fiable" in text(legend)


async def test_homonyms_are_told_apart_by_field_and_first_words(homonyms):
    html = (await homonyms.client.get("/-/lookup?q=stage&to=es&ui=es")).text
    heads = [text(select(card_of(html, c), ".tb-head .tb-meta")[0])
             for c in ("microscope-stage", "time-point-stage")]
    assert heads[0].startswith("Óptica y equipo del microscopio · The platform that holds")
    assert heads[1].startswith("Detectores, cámaras y adquisición · One phase of a time-lapse")
    titles = [text(select(card_of(html, c), "h2")[0])
              for c in ("microscope-stage", "time-point-stage")]
    assert titles == ["platina", "fase"]


async def test_download_titles_are_translated_and_match_the_formats():
    from termbank.formats import FORMATS
    from termbank.web.interface import FORMAT_TITLES

    assert all(FORMATS[name].title == title for name, title in FORMAT_TITLES.items())


async def test_the_downloads_are_described_in_the_interface_language(ds):
    html = (await ds.client.get("/-/concept/pixel?to=fr-CA&ui=fr")).text
    assert "CSV pour tableurs : une ligne par terme, tous les champs" in html

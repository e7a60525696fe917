"""/-/dialects?family=es: the concepts whose regional terms differ, side by side."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from termbank.web.site import make_datasette

from .conftest import METADATA
from .pages import parse, select, text

pytestmark = pytest.mark.asyncio


async def test_spanish_lists_only_the_concepts_whose_dialects_differ(ds):
    response = await ds.client.get("/-/dialects?family=es&ui=es")
    assert response.status_code == 200
    page = parse(response.text)
    shown = [li.get("id") for li in select(page, "li.tb-divergence")]
    assert shown == ["concept-image-file", "concept-pixel"]
    assert text(select(page, ".tb-counts")[0]) == \
        "2 conceptos de 14 tienen términos regionales distintos."
    file = page.get_element_by_id("concept-image-file")
    name = select(file, "h2 a")[0]
    assert (name.text, name.get("lang")) == ("archivo", "es")
    groups = [text(h) for h in select(file, ".tb-group h3")]
    assert groups == ["es, es-419, es-AR, es-CO, es-MX", "es-ES término regional propio"]
    assert "fichero" in text(select(file, ".tb-own")[0])


async def test_the_subject_field_filter_and_its_counts(ds):
    page = parse((await ds.client.get("/-/dialects?family=pt&field=acquisition&ui=pt")).text)
    assert [li.get("id") for li in select(page, "li.tb-divergence")] == ["concept-camera"]
    name = select(page, "li.tb-divergence h2 a")[0]
    assert (name.text, name.get("lang")) == ("camera", "en")   # no term in pt itself: English
    options = {o.get("value"): o for o in select(page, "select option")}
    assert text(options["acquisition"]) == "Detetores, câmaras e aquisição (1)"
    assert options["acquisition"].get("selected") is not None
    assert text(options["optics"]).endswith("(0)")


@pytest.mark.parametrize("query, field", [("family=de", "family"), ("family=es&field=optic", "field")])
async def test_a_bad_family_or_field_is_a_400_naming_it(ds, query, field):
    response = await ds.client.get(f"/-/dialects?{query}", headers={"accept": "application/json"})
    assert response.status_code == 400 and response.json()["field"] == field


async def test_each_regional_term_shows_who_uses_it(bank_path, tmp_path):
    """With evidence in the bank, a regional term's uses by human translators show beside it."""
    bank = tmp_path / "termbank.db"
    shutil.copyfile(bank_path, bank)
    conn = sqlite3.connect(bank)
    position = conn.execute("SELECT position FROM terms WHERE concept_id = 'image-file' AND "
                            "tag = 'es-ES' AND text = 'fichero'").fetchone()[0]
    conn.execute("INSERT INTO term_attestations (concept_id, position, source, tag, kind, count) "
                 "VALUES ('image-file', ?, 'gimp', 'es-ES', 'label', 41)", [position])
    conn.commit()
    conn.close()
    site = make_datasette(bank, tmp_path / "p.db", METADATA)
    await site.invoke_startup()
    page = parse((await site.client.get("/-/dialects?family=es&ui=es")).text)
    own = select(page.get_element_by_id("concept-image-file"), ".tb-own")[0]
    assert text(select(own, ".tb-attested")[0]) == "Lo usan: gimp es-ES ×41"
    for database in site.databases.values():
        database.close()

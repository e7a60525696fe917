"""The web card and concept page show the evidence per dialect, in the visitor's language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import pytest_asyncio

from termbank.web.interface import tag_name
from termbank.web.site import make_datasette

METADATA = Path(__file__).resolve().parents[2] / "datasette" / "metadata.yml"
pytestmark = pytest.mark.asyncio


@pytest_asyncio.fixture
async def ds(evidence_bank_path):
    site = make_datasette(evidence_bank_path, None, METADATA)
    await site.invoke_startup()
    yield site
    for database in site.databases.values():
        database.close()


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def row(html: str, tag: str) -> str:
    """The side-by-side table row of one dialect (a row of the dialects that answer alike)."""
    start = html.index(f'title="{tag_name(tag)}">{tag}</span>', html.index('class="tb-dialects"'))
    return html[start:html.index("</tr>", start)]


async def test_the_concept_page_shows_who_uses_each_dialects_term(ds):
    html = (await ds.client.get("/-/concept/image-file?to=es-MX&ui=en")).text
    chosen = html[html.index('class="tb-chosen"'):html.index("</section>")]
    assert "Used by: Firefox es-MX ×3, Thunderbird es-MX ×2, LibreOffice es ×1" in text(chosen)
    assert "Used by: Firefox es-ES ×2, Thunderbird es-ES ×1" in text(row(html, "es-ES"))
    assert "Used by" not in row(html, "pt-PT")


async def test_a_contradicted_term_is_marked_in_the_visitors_language(ds):
    html = (await ds.client.get("/-/lookup?q=magnification&to=es-MX&ui=es")).text
    assert "Los traductores de es-MX usan en su lugar «Zoom» (3 de 3 cadenas)." in text(html)


async def test_the_attestations_table_is_served_with_its_facets(ds):
    response = await ds.client.get("/termbank/attestations.json?tag=es-MX&kind=label&_shape=objects"
                                   "&_sort_desc=count")
    data = response.json()
    assert response.status_code == 200
    assert [(r["concept_id"], r["term"], r["count"]) for r in data["rows"]][:1] == [
        ("magnification", "Zoom", 3)]
    assert {"tag", "kind", "project"} <= set(data["facet_results"])

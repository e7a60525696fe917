"""Page conventions: <html lang dir>, language links that keep the page, and export pages that
explain a missing dialect in the interface's language."""

from __future__ import annotations

import pytest

from .conftest import actor_cookie
from .pages import parse

pytestmark = pytest.mark.asyncio

PAGES = ["/-/lookup", "/-/lookup?q=pixel&to=es-MX", "/-/concept/pixel?to=fr-CA",
         "/-/dialects?family=pt", "/-/propose", "/-/signin", "/-/review", "/-/export/deepl",
         "/-/concept/no-such-concept", "/-/discuss/pixel/es"]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("ui", ["en", "es", "fr", "pt"])
async def test_every_page_says_its_language_and_direction(ds, path, ui):
    response = await ds.client.get(path, params={"ui": ui}, cookies=actor_cookie(ds, "ana"))
    root = parse(response.text)
    assert (root.get("lang"), root.get("dir")) == (ui, "ltr")
    assert response.headers["content-language"] == ui


@pytest.mark.parametrize("path", ["/termbank", "/termbank/terms", "/"])
async def test_datasettes_own_pages_say_english(ds, path):
    root = parse((await ds.client.get(path, params={"ui": "es"})).text)
    assert (root.get("lang"), root.get("dir")) == ("en", "ltr")


@pytest.mark.parametrize("path", ["/-/dialects?family=fr&field=image-data",
                                  "/-/concept/pixel?to=pt-PT", "/-/export/deepl",
                                  "/-/propose?concept=pixel&to=es-AR"])
async def test_language_links_keep_the_current_page(ds, path):
    page = parse((await ds.client.get(path)).text)
    links = {a.get("lang"): a.get("href") for a in page.xpath("//nav[@class='tb-languages']/a")}
    assert set(links) == {"en", "es", "fr", "pt"}
    for code, href in links.items():
        assert href == f"{path}{'&' if '?' in path else '?'}ui={code}"
        assert (await ds.client.get(href)).status_code in (200, 400)   # 400: the export's choice


async def test_an_export_without_its_dialect_explains_and_links_each_one(ds):
    response = await ds.client.get("/-/export/deepl?ui=es")
    assert response.status_code == 400 and response.headers["content-type"].startswith("text/html")
    page = parse(response.text)
    assert page.xpath("string(//*[@role='alert'])") == \
        "La descarga deepl contiene una sola variedad: elija cuál."
    links = {a.get("href") for a in page.xpath("//ul[@class='tb-export-dialects']//a")}
    assert {"/-/export/deepl?to=es-MX", "/-/export/deepl?to=fr-CA", "/-/export/deepl?to=pt-PT"} \
        <= links
    assert "--lang" not in response.text and "--to" not in response.text
    download = await ds.client.get("/-/export/deepl?to=es-MX")
    assert download.status_code == 200
    api = await ds.client.get("/-/export/deepl", headers={"accept": "application/json"})
    assert api.status_code == 400 and api.json()["field"] == "to"


@pytest.mark.parametrize(("ui", "menu", "sign_out"), [
    ("es", "Menú", "Cerrar sesión"), ("fr", "Menu", "Se déconnecter"), ("pt", "Menu", "Sair")])
async def test_the_menu_and_sign_out_speak_the_interface_language(ds, ui, menu, sign_out):
    """Our pages carry their own navigation: Datasette's names its menu and its sign-out
    button in English whatever the reader chose."""
    html = (await ds.client.get("/-/lookup", params={"ui": ui},
                                cookies=actor_cookie(ds, "ana"))).text
    nav = html[html.index("<nav>"):html.index("</nav>")]
    assert f"<summary>{menu}</summary>" in nav and f">{sign_out}</button>" in nav
    assert "Log out" not in nav and ">Menu</title>" not in nav

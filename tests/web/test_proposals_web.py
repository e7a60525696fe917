"""/-/propose and /-/proposal/ID: anyone proposes; refusals come with the right status."""

from __future__ import annotations

import sqlite3

import pytest

from termbank.proposals import ProposalStore

from .conftest import actor_cookie, csrf, propose
from .pages import parse, text

pytestmark = pytest.mark.asyncio
GOOD = {"concept": "pixel", "tag": "es-AR", "term": "píxel de imagen", "note": "Usual in Buenos Aires labs.",
        "name": "Sofía"}


async def test_the_form_is_prefilled_from_the_query(ds):
    html = (await ds.client.get("/-/propose?concept=pixel&tag=es-MX")).text
    assert 'name="concept" value="pixel"' in html and '<option value="es-MX" lang="es-MX" selected>' in html
    assert 'name="csrftoken"' in html and 'lang="es-419">pixel</a>' in html


async def test_from_a_card_the_concept_and_dialect_are_named_not_asked(ds):
    page = parse((await ds.client.get("/-/propose?concept=thresholding&to=es-MX&ui=es")).text)
    about = text(page.get_element_by_id("tb-about"))
    assert about.startswith("Concepto umbralización (thresholding) · Segmentación")
    chosen = page.xpath("//select[@id='tb-tag']/option[@selected]")
    assert [text(o) for o in chosen] == ["español (México) (es-MX)"]
    assert not page.xpath("//input[@id='tb-find']")


async def test_from_the_menu_a_typed_term_finds_its_one_concept(ds, proposals_path):
    response = await propose(ds, accept_json=False, find="umbralización", tag="es-MX",
                             term="umbralado", note="", name="")
    assert response.status_code == 303
    stored = ProposalStore(proposals_path).get(1)
    assert (stored.concept_id, stored.tag, stored.term) == ("thresholding", "es-MX", "umbralado")


@pytest.mark.parametrize("find, status", [("umbralizacion de nada", 404), ("", 400)])
async def test_a_term_that_finds_no_concept_is_said_beside_the_field(ds, proposals_path, find,
                                                                      status):
    token, cookies = await csrf(ds, "/-/propose?ui=es")
    response = await ds.client.post("/-/propose", data={
        "csrftoken": token, "find": find, "tag": "es-MX", "term": "umbralado",
        "note": "nota escrita"}, cookies={**cookies, "termbank_lang": "es"})
    assert response.status_code == status
    page = parse(response.text)
    error = page.xpath("//*[@id='tb-concept-error']")[0]
    assert text(error).startswith("Elija el concepto")
    box = page.xpath("//input[@id='tb-find']")[0]
    assert box.get("aria-invalid") == "true" and "tb-concept-error" in box.get("aria-describedby")
    assert box.get("value") == find and "nota escrita" in response.text  # typed text kept
    assert ProposalStore(proposals_path).list() == []


async def test_several_concepts_for_a_term_are_offered_to_choose(homonyms):
    token, cookies = await csrf(homonyms, "/-/propose?ui=es")
    form = {"csrftoken": token, "find": "stage", "tag": "es", "term": "platina móvil"}
    refused = await homonyms.client.post("/-/propose", data=form,
                                         cookies={**cookies, "termbank_lang": "es"})
    assert refused.status_code == 400
    page = parse(refused.text)
    radios = page.xpath("//input[@type='radio'][@name='concept']")
    labels = [text(page.xpath(f"//label[@for='{r.get('id')}']")[0]) for r in radios]
    assert [r.get("value") for r in radios] == ["microscope-stage", "time-point-stage"]
    assert labels[0].startswith("platina (stage) · Óptica y equipo del microscopio · The platform")
    assert page.xpath("//input[@id='tb-term']")[0].get("value") == "platina móvil"
    chosen = await homonyms.client.post("/-/propose", data={**form, "concept": "microscope-stage"},
                                        cookies=cookies)
    assert chosen.status_code == 303


async def test_a_browser_post_is_stored_and_redirects_to_the_proposal(ds, proposals_path):
    response = await propose(ds, accept_json=False, **GOOD)
    assert response.status_code == 303 and response.headers["location"] == "/-/proposal/1"
    page = await ds.client.get("/-/proposal/1", cookies=dict(response.cookies))
    assert page.status_code == 200
    assert "píxel de imagen" in page.text and "Usual in Buenos Aires labs." in page.text
    assert "Sofía" in page.text and "pending" in page.text
    assert "Thank you! Your proposal is stored" in page.text  # the flash message
    stored = ProposalStore(proposals_path).get(1)
    assert (stored.concept_id, stored.tag, stored.term, stored.origin) == (
        "pixel", "es-AR", "píxel de imagen", "web")


async def test_a_json_post_answers_json_with_the_checks(ds):
    response = await propose(ds, concept="pixel", tag="es", term="the smallest picture element")
    assert response.status_code == 201
    proposal = response.json()["proposal"]
    assert proposal["id"] == 1 and proposal["state"] == "pending"
    assert proposal["detected_language"] == "en" and proposal["language_warning"] is True
    assert proposal["url"] == "/-/proposal/1" and proposal["discussion"] == "/-/discuss/pixel/es"
    duplicate = (await propose(ds, concept="pixel", tag="es", term="PÍXEL")).json()["proposal"]
    assert duplicate["duplicate_of"] == "píxel"
    page = (await ds.client.get(f"/-/proposal/{proposal['id']}")).text
    assert "looks like English rather than es" in page and "only a hint" in page


async def test_a_json_body_is_accepted_too(ds):
    token, cookies = await csrf(ds)
    response = await ds.client.post(
        "/-/propose", json={"concept": "camera", "tag": "fr-CA", "term": "caméra numérique"},
        headers={"accept": "application/json", "x-csrftoken": token}, cookies=cookies)
    assert response.status_code == 201 and response.json()["proposal"]["tag"] == "fr-CA"


async def test_a_post_without_the_csrf_token_is_refused(ds, proposals_path):
    _, cookies = await csrf(ds)
    response = await ds.client.post("/-/propose", data=GOOD, cookies=cookies)
    assert response.status_code == 403
    assert "reload the page and send it again" in response.text
    wrong = await ds.client.post("/-/propose", data={**GOOD, "csrftoken": "forged"},
                                 cookies=cookies)
    assert wrong.status_code == 403
    assert ProposalStore(proposals_path).list() == []


@pytest.mark.parametrize("change, status, field, message", [
    ({"term": ""}, 400, "term", "term: is empty"),
    ({"term": "   "}, 400, "term", "term: is empty"),
    ({"term": "x" * 201}, 400, "term", "term: is 201 characters long; the limit is 200"),
    ({"note": "n" * 2001}, 400, "note", "note: is 2001 characters long; the limit is 2000"),
    ({"name": "n" * 101}, 400, "name", "name: is 101 characters long; the limit is 100"),
    ({"term": "two\nlines"}, 400, "term", "term: a term is one line"),
    ({"term": "bell\x07"}, 400, "term", "term: contains a control character"),
    ({"concept": ""}, 400, "concept", "concept: choose the concept"),
    ({"concept": "no-such-concept"}, 404, "concept", "concept: no concept 'no-such-concept'"),
    ({"tag": "xx-YY"}, 400, "tag", "tag: 'xx-YY' is not a language"),
    ({"tag": ""}, 400, "tag", "tag: "),
])
async def test_bad_fields_are_refused_with_status_and_message(ds, proposals_path, change, status,
                                                              field, message):
    response = await propose(ds, **{**GOOD, **change})
    assert response.status_code == status
    assert response.json()["field"] == field and response.json()["error"].startswith(message)
    page = await propose(ds, accept_json=False, **{**GOOD, **change})
    assert page.status_code == status and 'role="alert"' in page.text
    kept = "name" if "name" in change else "note"  # what was typed is kept in the form
    assert GOOD["note" if kept == "name" else "name"] in page.text
    assert ProposalStore(proposals_path).list() == []


async def test_an_oversized_body_is_refused_before_it_is_read(ds):
    response = await propose(ds, **{**GOOD, "note": "n" * 70_000})
    assert response.status_code == 413


HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


async def test_html_and_script_in_every_field_are_shown_escaped(ds):
    fields = {"concept": "pixel", "tag": "es", "term": HOSTILE, "note": HOSTILE, "name": HOSTILE}
    proposal = (await propose(ds, **fields)).json()["proposal"]
    assert proposal["term"] == HOSTILE  # stored as typed: escaping is the page's job
    pages = [await ds.client.get(f"/-/proposal/{proposal['id']}"),
             await ds.client.get("/-/discuss/pixel/es"),
             await ds.client.get("/-/review", cookies=actor_cookie(ds, "ana")),
             await ds.client.get("/proposals/proposals", cookies=actor_cookie(ds, "ana"))]
    for page in pages:
        assert page.status_code == 200
        assert "<script>alert" not in page.text and "<img src=x" not in page.text
        assert "&lt;script&gt;alert(" in page.text
    refused = await propose(ds, accept_json=False, **{**fields, "concept": HOSTILE})
    assert refused.status_code == 404 and "<script>alert" not in refused.text


SQL = "'); DROP TABLE proposals; --"


async def test_sql_in_every_field_is_stored_as_text(ds, proposals_path):
    fields = {"concept": "pixel", "tag": "pt", "term": SQL, "note": SQL, "name": SQL}
    assert (await propose(ds, **fields)).status_code == 201
    refused = await propose(ds, **{**fields, "concept": "pixel' OR '1'='1"})
    assert refused.status_code == 404
    with sqlite3.connect(proposals_path) as db:
        rows = db.execute("SELECT term, note, name FROM proposals").fetchall()
        tables = {r[0] for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    assert rows == [(SQL, SQL, SQL)]
    assert {"proposals", "events", "comments", "reviewers", "approved_terms"} <= tables
    assert (await ds.client.get(f"/-/lookup.json?q={SQL}")).json() == []


async def test_unknown_proposal_is_404(ds):
    response = await ds.client.get("/-/proposal/999", headers={"accept": "application/json"})
    assert response.status_code == 404 and response.json()["error"] == "proposal: no proposal 999"


@pytest.mark.parametrize("change, field, words", [
    ({"term": ""}, "term", "Écrivez le terme sur une seule ligne"),
    ({"tag": "xx-YY"}, "tag", "Choisissez une variété dans la liste."),
    ({"name": "n" * 101}, "name", "Le nom peut avoir au plus 100 caractères"),
])
async def test_a_refused_field_is_explained_beside_it_in_the_interface_language(ds, change, field,
                                                                                words):
    token, cookies = await csrf(ds, "/-/propose")
    response = await ds.client.post("/-/propose", data={"csrftoken": token, **GOOD, **change},
                                    cookies={**cookies, "termbank_lang": "fr"})
    page = parse(response.text)
    error = page.xpath(f"//*[@id='tb-{field}-error']")[0]
    assert text(error).startswith(words)
    control = page.xpath(f"//*[@name='{field}']")[0]
    assert control.get("aria-describedby").endswith(f"tb-{field}-error")
    assert GOOD["note"] in response.text   # the rest of what was typed is kept

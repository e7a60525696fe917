"""/-/propose and /-/proposal/ID: anyone proposes; refusals come with the right status."""

from __future__ import annotations

import sqlite3

import pytest

from termbank.proposals import ProposalStore

from .conftest import actor_cookie, csrf, propose

pytestmark = pytest.mark.asyncio
GOOD = {"concept": "pixel", "tag": "es-AR", "term": "píxel de imagen", "note": "Usual in Buenos Aires labs.",
        "name": "Sofía"}


async def test_the_form_is_prefilled_from_the_query(ds):
    html = (await ds.client.get("/-/propose?concept=pixel&tag=es-MX")).text
    assert 'name="concept" value="pixel"' in html and 'name="tag" list="tb-tags" value="es-MX"' in html
    assert 'name="csrftoken"' in html and ">pixel</a> (<code>pixel</code>)" in html


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

"""/-/discuss/CONCEPT/TAG: one thread per concept and language, append-only."""

from __future__ import annotations

import sqlite3

import pytest

from .conftest import actor_cookie, csrf, propose

pytestmark = pytest.mark.asyncio


async def comment(ds, path: str, cookies: dict | None = None, **fields):
    token, cookies = await csrf(ds, path, cookies)
    return await ds.client.post(path, data={"csrftoken": token, **fields}, cookies=cookies,
                                headers={"accept": "application/json"})


async def test_anyone_and_reviewers_comment_in_one_thread(ds):
    number = (await propose(ds, concept="pixel", tag="es-AR", term="píxel")).json()["proposal"]["id"]
    first = await comment(ds, "/-/discuss/pixel/es-AR", text="¿Se dice así en Córdoba?",
                          name="Sofía", proposal=str(number))
    assert first.status_code == 201
    assert first.json()["comment"]["author"] == "Sofía"
    second = await comment(ds, "/-/discuss/pixel/es_ar", actor_cookie(ds, "ana"),
                           text="Sí, en todo el país.")
    assert second.json()["comment"]["reviewer"] == "Ana"  # the display name, not the account
    assert second.json()["comment"]["tag"] == "es-AR"  # es_ar is the same thread
    page = await ds.client.get("/-/discuss/pixel/es-AR")
    assert page.status_code == 200
    assert page.text.index("¿Se dice así en Córdoba?") < page.text.index("Sí, en todo el país.")
    assert "reviewer Ana" in page.text and f"Proposal {number}" in page.text
    thread = (await ds.client.get("/-/discuss/pixel/es-AR",
                                  headers={"accept": "application/json"})).json()
    assert [c["text"] for c in thread["comments"]] == ["¿Se dice así en Córdoba?",
                                                       "Sí, en todo el país."]
    assert [p["id"] for p in thread["proposals"]] == [number]


async def test_a_browser_post_returns_to_the_thread(ds):
    token, cookies = await csrf(ds, "/-/discuss/camera/fr-CA")
    response = await ds.client.post("/-/discuss/camera/fr-CA", cookies=cookies,
                                    data={"csrftoken": token, "text": "<b>Bonjour</b>"})
    assert response.status_code == 303
    assert response.headers["location"].startswith("/-/discuss/camera/fr-CA#comment-")
    page = (await ds.client.get("/-/discuss/camera/fr-CA")).text
    assert "&lt;b&gt;Bonjour&lt;/b&gt;" in page and "<b>Bonjour" not in page


@pytest.mark.parametrize("path, status", [("/-/discuss/no-such-concept/es", 404),
                                          ("/-/discuss/pixel/xx-ZZ", 400)])
async def test_unknown_concept_or_tag(ds, path, status):
    response = await ds.client.get(path, headers={"accept": "application/json"})
    assert response.status_code == status and response.json()["error"]


@pytest.mark.parametrize("fields, status", [
    ({"text": " "}, 400), ({"text": "t" * 2001}, 400), ({"name": "n" * 101, "text": "hola"}, 400),
    ({"text": "hola", "proposal": "77"}, 404), ({"text": "hola", "proposal": "x"}, 400),
])
async def test_bad_comments_are_refused(ds, fields, status):
    response = await comment(ds, "/-/discuss/pixel/es", **fields)
    assert response.status_code == status, response.text
    assert response.json()["error"]


async def test_a_thread_cannot_be_edited_or_deleted(ds, proposals_path):
    await comment(ds, "/-/discuss/pixel/es", text="permanente")
    with sqlite3.connect(proposals_path) as db:
        for sql in ("UPDATE comments SET text = 'x'", "DELETE FROM comments"):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                db.execute(sql)

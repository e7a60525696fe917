"""Reviewers: sign-in, the queue, approve and reject; every refusal with its status."""

from __future__ import annotations

import pytest

from termbank import reviewers
from termbank.proposals import ProposalStore

from .conftest import PASSWORD, actor_cookie, csrf, decide, propose

pytestmark = pytest.mark.asyncio


async def proposal(ds, **fields) -> int:
    base = {"concept": "image-file", "tag": "es-MX", "term": "archivo de imagen"}
    response = await propose(ds, **{**base, **fields})
    assert response.status_code == 201, response.text
    return response.json()["proposal"]["id"]


async def lookup(ds, query: str) -> list:
    return (await ds.client.get(f"/-/lookup.json?{query}")).json()


async def test_approval_without_signing_in_is_refused(ds):
    number = await proposal(ds)
    response = await decide(ds, number, "approve", None)
    assert response.status_code == 403
    assert response.json()["error"] == "Sign in as a reviewer to do this."
    assert (await ds.client.get("/-/review")).status_code == 403


async def test_a_forged_actor_cookie_counts_as_not_signed_in(ds):
    number = await proposal(ds)
    token, cookies = await csrf(ds)
    forged = {**cookies, "ds_actor": '{"a": {"id": "ana", "roles": ["reviewer"]}}'}
    response = await ds.client.post(f"/-/proposal/{number}/decide", cookies=forged,
                                    data={"csrftoken": token, "decision": "approve"},
                                    headers={"accept": "application/json"})
    assert response.status_code == 403


async def test_a_reviewer_of_another_language_is_refused(ds):
    number = await proposal(ds, tag="pt-PT", term="ficheiro de imagem")
    response = await decide(ds, number, "approve", "marie")
    assert response.status_code == 403
    assert response.json()["error"] == "You review fr, fr-CA; this proposal is in pt-PT."
    regional = await proposal(ds, tag="es", term="fichero de imagen")
    assert (await decide(ds, regional, "approve", "lucia")).status_code == 403  # es-MX only


async def test_a_decision_without_the_csrf_token_is_refused(ds, proposals_path):
    number = await proposal(ds)
    response = await ds.client.post(f"/-/proposal/{number}/decide",
                                    data={"decision": "approve"}, cookies=actor_cookie(ds, "ana"))
    assert response.status_code == 403 and "reload the page" in response.text
    assert ProposalStore(proposals_path).get(number).state == "pending"


async def test_approval_shows_in_lookups_at_once_as_reviewed(ds, proposals_path):
    assert not any(a["term"] == "archivo de imagen"
                   for a in (await lookup(ds, "q=file&to=es-MX"))[0]["translations"]["es-MX"])
    number = await proposal(ds, note="Usado en laboratorios de la UNAM.")
    response = await decide(ds, number, "approve", "ana", "Bien documentado.")
    assert response.status_code == 200
    assert response.json()["proposal"]["state"] == "approved"
    answers = (await lookup(ds, "q=file&to=es-MX"))[0]["translations"]["es-MX"]
    assert answers[0] == {"term": "archivo de imagen", "tag": "es-MX", "status": "admitted",
                          "type": "full form", "note": "Usado en laboratorios de la UNAM.",
                          "status_reason": None, "reliability": 3, "review": "reviewed",
                          "use_instead": None, "attested": [], "contradicted": None}
    by_itself = await lookup(ds, "q=archivos+de+imagen")  # found by its own inflected form
    assert by_itself[0]["concept"] == "image-file" and by_itself[0]["matched"]["how"] == "inflected"
    page = (await ds.client.get(f"/-/proposal/{number}")).text
    assert "approved" in page and "Bien documentado." in page
    again = await decide(ds, number, "reject", "ana")
    assert again.status_code == 409 and "already approved" in again.json()["error"]
    history = ProposalStore(proposals_path).history(number)
    assert [e["kind"] for e in history] == ["submitted", "approved"]


async def test_a_general_reviewer_decides_regional_proposals(ds):
    number = await proposal(ds, tag="es-MX")
    assert (await decide(ds, number, "approve", "ana")).status_code == 200  # es covers es-MX
    french = await proposal(ds, concept="camera", tag="fr-CA", term="appareil photo")
    assert (await decide(ds, french, "approve", "marie")).status_code == 200


async def test_rejection_keeps_the_proposal_out_of_lookups(ds, proposals_path):
    number = await proposal(ds, term="archivo raro")
    response = await decide(ds, number, "reject", "lucia", "Nadie lo dice así.")
    assert response.json()["proposal"]["state"] == "rejected"
    assert response.json()["proposal"]["decision_comment"] == "Nadie lo dice así."
    assert await lookup(ds, "q=archivo+raro") == []


async def test_bad_decisions_are_400(ds):
    number = await proposal(ds)
    assert (await decide(ds, number, "maybe", "ana")).status_code == 400
    long = await decide(ds, number, "approve", "ana", "c" * 2001)
    assert long.status_code == 400 and long.json()["field"] == "comment"
    assert (await decide(ds, 999, "approve", "ana")).status_code == 404


def actor_cookie_version(ds, account: str) -> str:
    return ds.unsign(actor_cookie(ds, account)["ds_actor"], "actor")["a"]["v"]


async def test_sign_in_sets_the_reviewer_cookie(ds):
    token, cookies = await csrf(ds, "/-/signin")
    wrong = await ds.client.post("/-/signin", cookies=cookies, data={
        "csrftoken": token, "account": "ana", "password": "not it"})
    assert wrong.status_code == 403 and "Wrong account name or password." in wrong.text
    nobody = await ds.client.post("/-/signin", cookies=cookies, data={
        "csrftoken": token, "account": "nobody", "password": PASSWORD})
    assert nobody.status_code == 403
    right = await ds.client.post("/-/signin", cookies=cookies, data={
        "csrftoken": token, "account": "ana", "password": PASSWORD, "next": "//evil.example"})
    assert right.status_code == 303 and right.headers["location"] == "/-/review"
    actor = ds.unsign(right.cookies["ds_actor"], "actor")
    assert actor["a"] == {"id": "ana", "name": "Ana", "roles": ["reviewer"],
                          "v": actor_cookie_version(ds, "ana")} and actor["e"]
    queue = await ds.client.get("/-/review", cookies={"ds_actor": right.cookies["ds_actor"]})
    assert queue.status_code == 200 and "reviewing es" in queue.text


async def test_the_queue_lists_only_the_reviewers_languages(ds):
    await proposal(ds, tag="es-MX", term="archivo de imagen")
    await proposal(ds, concept="camera", tag="fr", term="caméra")
    mine = (await ds.client.get("/-/review", cookies=actor_cookie(ds, "lucia"),
                                headers={"accept": "application/json"})).json()
    assert [p["term"] for p in mine["pending"]] == ["archivo de imagen"]
    html = (await ds.client.get("/-/review", cookies=actor_cookie(ds, "marie"))).text
    assert "caméra" in html and "archivo de imagen" not in html
    assert 'name="decision" value="approve"' in html


async def test_a_closed_account_can_no_longer_decide(ds, proposals_path):
    number = await proposal(ds)
    signed_in = actor_cookie(ds, "lucia")
    store = ProposalStore(proposals_path)
    reviewers.remove(store, "lucia")
    token, cookies = await csrf(ds, "/-/propose", signed_in)
    response = await ds.client.post(f"/-/proposal/{number}/decide", cookies=cookies,
                                    data={"csrftoken": token, "decision": "approve"},
                                    headers={"accept": "application/json"})
    assert response.status_code == 403  # the session ended with the account
    assert response.json()["error"] == "Sign in as a reviewer to do this."


async def test_the_browser_flow_redirects_with_a_message(ds):
    number = await proposal(ds)
    token, cookies = await csrf(ds, "/-/propose", actor_cookie(ds, "ana"))
    response = await ds.client.post(f"/-/proposal/{number}/decide", cookies=cookies, data={
        "csrftoken": token, "decision": "approve", "next": f"/-/proposal/{number}"})
    assert response.status_code == 303 and response.headers["location"] == f"/-/proposal/{number}"
    page = await ds.client.get(f"/-/proposal/{number}", cookies={**cookies, **response.cookies})
    assert "it shows in lookups now" in page.text


async def test_the_proposals_database_never_serves_password_hashes(ds):
    for path in ["/proposals/reviewers", "/proposals/reviewers.json", "/proposals/REVIEWERS.json",
                 "/proposals/reviewers/ana.json", "/proposals.json?sql=select+*+from+reviewers",
                 "/proposals.db"]:
        response = await ds.client.get(path, cookies=actor_cookie(ds, "ana"))
        assert response.status_code in (403, 404), path
        assert "pbkdf2" not in response.text
    pending = await ds.client.get("/proposals/pending_proposals.json?_shape=array")
    assert pending.status_code == 200 and pending.json() == []


async def test_a_second_reviewer_confirms_and_the_term_becomes_very_reliable(ds, proposals_path):
    number = await proposal(ds)
    assert (await decide(ds, number, "approve", "ana")).status_code == 200
    before = (await lookup(ds, "q=archivo+de+imagen&to=es-MX"))[0]["translations"]["es-MX"][0]
    assert (before["term"], before["reliability"]) == ("archivo de imagen", 3)
    again = await decide(ds, number, "confirm", "ana")                  # the approver cannot vote twice
    assert again.status_code == 409 and "second reviewer" in again.json()["error"]
    assert (await decide(ds, number, "confirm", "marie")).status_code == 403   # not her language
    page = await ds.client.get(f"/-/proposal/{number}", cookies=actor_cookie(ds, "lucia"))
    assert 'value="confirm"' in page.text
    assert (await decide(ds, number, "confirm", "lucia", "Sí, así se dice.")).status_code == 200
    after = (await lookup(ds, "q=archivo+de+imagen&to=es-MX"))[0]["translations"]["es-MX"][0]
    assert after["reliability"] == 4
    store = ProposalStore(proposals_path)
    assert [e["kind"] for e in store.history(number)] == ["submitted", "approved", "confirmed"]
    assert store.approved_terms()[0]["reviewers"] == '["Ana","Lucia"]'
    assert store.get(number).state == "approved"


async def test_only_an_approved_proposal_can_be_confirmed(ds):
    number = await proposal(ds)
    response = await decide(ds, number, "confirm", "ana")
    assert response.status_code == 409 and "only an approved proposal" in response.json()["error"]


async def test_the_queue_and_the_proposal_name_the_concept_in_its_dialect(ds):
    await propose(ds, concept="thresholding", tag="es-MX", term="umbralado")
    queue = (await ds.client.get("/-/review", cookies=actor_cookie(ds, "ana"))).text
    assert '?to=es-MX">umbralización</a>' in queue
    page = (await ds.client.get("/-/proposal/1")).text
    assert '?to=es-MX">umbralización</a>' in page

"""Sign-in under attack: throttling with back-off, password checks on their own thread,
sessions that end with the password, and account ids kept from anonymous readers."""

from __future__ import annotations

import threading

import pytest

from termbank import reviewers
from termbank.proposals import ProposalStore
from termbank.web.signin import Throttle
from termbank.web.site import Site

from .conftest import PASSWORD, actor_cookie, csrf, decide, propose

pytestmark = pytest.mark.asyncio


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


async def test_back_off_doubles_after_the_free_failures_up_to_a_ceiling():
    clock = Clock()
    throttle = Throttle(free=2, base=1.0, ceiling=8.0, clock=clock)
    waits = []
    for _ in range(7):
        throttle.failed("ana")
        waits.append(throttle.wait("ana"))
    assert waits == [0, 0, 1, 2, 4, 8, 8]
    clock.now += 8
    assert throttle.wait("ana") == 0


async def test_a_quiet_key_is_forgotten_and_the_table_is_bounded():
    clock = Clock()
    throttle = Throttle(free=0, forget=60, capacity=3, clock=clock)
    throttle.failed("a")
    clock.now += 61
    throttle.failed("a")
    assert throttle.keys["a"].count == 1  # started again after a quiet hour
    for key in "bcde":
        throttle.failed(key)
    assert list(throttle.keys) == ["c", "d", "e"]


async def sign_in(ds, account: str, password: str):
    """A form post without cookies (so without a CSRF check, as an attacker's); the test
    client always comes from 127.0.0.1."""
    return await ds.client.post("/-/signin", data={"account": account, "password": password})


async def test_wrong_passwords_for_one_account_are_throttled_with_retry_after(ds):
    statuses = [(await sign_in(ds, "ana", f"guess {i}")).status_code for i in range(6)]
    assert statuses == [403] * 6  # five free failures, the sixth blocks the account
    blocked = await sign_in(ds, "ana", PASSWORD)
    assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) >= 1
    assert "Too many failed sign-ins" in blocked.text
    guard = Site.of(ds).sign_in_guard
    guard.accounts.keys["ana"].blocked_until = 0  # the back-off has passed
    assert (await sign_in(ds, "ana", PASSWORD)).status_code == 303
    assert "ana" not in guard.accounts.keys  # a success forgets the account's failures


async def test_guesses_from_one_address_are_throttled_across_accounts(ds):
    for i in range(21):
        assert (await sign_in(ds, f"nobody{i}", "guess")).status_code == 403
    assert (await sign_in(ds, "marie", PASSWORD)).status_code == 429
    guard = Site.of(ds).sign_in_guard
    assert guard.addresses.keys["127.0.0.1"].count == 21  # the refused try was not counted


async def test_passwords_are_checked_on_their_own_thread_and_the_queue_is_bounded(ds):
    assert (await sign_in(ds, "ana", PASSWORD)).status_code == 303
    names = {t.name for t in threading.enumerate()}
    assert any(name.startswith("termbank-password") for name in names)
    guard = Site.of(ds).sign_in_guard
    guard.queue, guard.hold_ceiling = 0, 0.1  # as if the queue were full; a short hold
    busy = await sign_in(ds, "marie", PASSWORD)
    assert busy.status_code == 503 and busy.headers["retry-after"]


async def signed_in_cookie(ds, account: str) -> dict:
    token, cookies = await csrf(ds, "/-/signin")
    response = await ds.client.post("/-/signin", cookies=cookies, data={
        "csrftoken": token, "account": account, "password": PASSWORD})
    assert response.status_code == 303
    return {"ds_actor": response.cookies["ds_actor"]}


@pytest.mark.parametrize("change", ["password", "remove", "remove and add again"])
async def test_a_password_change_or_closed_account_ends_old_sessions(ds, proposals_path, change):
    cookie = await signed_in_cookie(ds, "ana")
    assert (await ds.client.get("/-/review", cookies=cookie)).status_code == 200
    store = ProposalStore(proposals_path)
    if change == "password":
        reviewers.set_password(store, "ana", "a new password")
    else:
        reviewers.remove(store, "ana")
        if change == "remove and add again":
            reviewers.add(store, "ana", PASSWORD, ("es",), "Ana")
    store.close()
    stale = await ds.client.get("/-/review", cookies=cookie)
    assert stale.status_code == 403
    assert "ds_actor=;" in stale.headers.get("set-cookie", "")  # the browser drops it
    actor = await ds.client.get("/-/actor.json", cookies=cookie)
    assert actor.json() == {"actor": None}


async def test_a_cookie_without_a_session_version_is_not_signed_in(ds):
    old = {"ds_actor": ds.sign({"a": {"id": "ana", "name": "Ana", "roles": ["reviewer"]}},
                               "actor")}
    assert (await ds.client.get("/-/review", cookies=old)).status_code == 403


PRIVATE = ["events", "proposals", "comments", "proposal_state", "reviewers"]


@pytest.mark.parametrize("table", PRIVATE)
async def test_tables_naming_accounts_are_closed_to_anonymous_readers(ds, table):
    number = (await propose(ds, concept="pixel", tag="es", term="píxel")).json()["proposal"]["id"]
    assert (await decide(ds, number, "approve", "ana")).status_code == 200
    for path in (f"/proposals/{table}.json", f"/proposals/{table}", f"/proposals/{table}/1.json"):
        assert (await ds.client.get(path)).status_code in (403, 404), path
    as_reviewer = await ds.client.get(f"/proposals/{table}.json", cookies=actor_cookie(ds, "ana"))
    assert as_reviewer.status_code == (403 if table == "reviewers" else 200)


async def test_every_table_with_an_account_column_is_private(ds):
    assert set(PRIVATE) <= Site.of(ds).private_tables
    public = await ds.client.get("/proposals.json")
    assert public.status_code == 200
    pending = await ds.client.get("/proposals/pending_proposals.json")
    assert pending.status_code == 200  # the canned query shows no account


async def test_pages_and_json_show_reviewers_by_name_not_account(ds):
    number = (await propose(ds, concept="pixel", tag="es", term="píxel")).json()["proposal"]["id"]
    assert (await decide(ds, number, "approve", "ana", "bien")).status_code == 200
    shown = (await ds.client.get(f"/-/proposal/{number}",
                                 headers={"accept": "application/json"})).json()["proposal"]
    assert shown["decided_by"] == "Ana"
    assert [e["actor_id"] for e in shown["history"]] == [None, "Ana"]
    page = (await ds.client.get(f"/-/proposal/{number}")).text
    thread = (await ds.client.get("/-/discuss/pixel/es", headers={"accept": "application/json"}))
    for text in (page, thread.text, str(shown)):
        assert "'ana'" not in text and '"ana"' not in text and "· ana" not in text

"""The site as served: a real bank from the fixture glossary, a real proposals database in
tmp_path, the committed datasette/metadata.yml, and Datasette's own test client."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import pytest_asyncio

from termbank import reviewers
from termbank.build import build
from termbank.proposals import ProposalStore
from termbank.web.site import Site, make_datasette

ROOT = Path(__file__).resolve().parents[2]
METADATA = ROOT / "datasette" / "metadata.yml"
PASSWORD = "correct horse battery"
ACCOUNTS = {"ana": ("es",), "marie": ("fr", "fr-CA"), "lucia": ("es-MX",)}


@pytest.fixture(scope="session")
def reviewers_db(tmp_path_factory) -> Path:
    """A proposals database with three reviewers (Spanish, French, Mexican Spanish), made once:
    hashing a password is slow on purpose."""
    path = tmp_path_factory.mktemp("reviewers") / "proposals.db"
    store = ProposalStore(path)
    for account, languages in ACCOUNTS.items():
        reviewers.add(store, account, PASSWORD, languages, account.title())
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return path


@pytest.fixture
def proposals_path(tmp_path, reviewers_db) -> Path:
    """A fresh copy of the reviewers' proposals database for one test."""
    path = tmp_path / "proposals.db"
    shutil.copyfile(reviewers_db, path)
    return path


@pytest_asyncio.fixture
async def ds(bank_path, proposals_path):
    """The site as `termbank serve` builds and starts it."""
    site = make_datasette(bank_path, proposals_path, METADATA)
    await site.invoke_startup()
    yield site
    for database in site.databases.values():
        database.close()


def actor_cookie(ds, account: str) -> dict:
    """The signed cookie of a signed-in reviewer, as /-/signin sets it (with the account's
    session version now, read from the site's proposals database)."""
    store = ProposalStore(Site.of(ds).proposals_path)
    try:
        version = reviewers.session_version(reviewers.account_hash(store, account))
    finally:
        store.close()
    actor = {"id": account, "name": account.title(), "roles": ["reviewer"], "v": version}
    return {"ds_actor": ds.sign({"a": actor}, "actor")}


async def csrf(ds, path: str = "/-/propose", cookies: dict | None = None) -> tuple[str, dict]:
    """GET a form page; returns its CSRF token and the cookies to send back with the POST."""
    response = await ds.client.get(path, cookies=cookies or {})
    assert response.status_code == 200, response.text
    token = re.search(r'name="csrftoken" value="([^"]+)"', response.text).group(1)
    return token, {**(cookies or {}), "ds_csrftoken": response.cookies.get("ds_csrftoken", token)}


async def propose(ds, accept_json: bool = True, **fields):
    """POST a proposal through the form, with a fresh CSRF token."""
    token, cookies = await csrf(ds)
    headers = {"accept": "application/json"} if accept_json else {}
    return await ds.client.post("/-/propose", data={"csrftoken": token, **fields},
                                cookies=cookies, headers=headers)


async def decide(ds, proposal_id: int, decision: str, account: str | None, comment: str = ""):
    """POST a decision as ``account`` (None: not signed in), with a valid CSRF token."""
    actor = actor_cookie(ds, account) if account else {}
    token, cookies = await csrf(ds, "/-/propose", actor)
    return await ds.client.post(
        f"/-/proposal/{proposal_id}/decide",
        data={"csrftoken": token, "decision": decision, "comment": comment},
        cookies=cookies, headers={"accept": "application/json"})


@pytest_asyncio.fixture
async def homonyms(glossary_copy, tmp_path):
    """The fixture glossary with a second 'stage': a microscope's, beside a time-lapse one."""
    (glossary_copy / "acquisition" / "time-point-stage.yml").write_text(
        "definition:\n  en: One phase of a time-lapse experiment, between two changes of its"
        " settings.\nprovenance:\n  origin: ai-draft\n  review: draft\nterms:\n  en:\n"
        "  - term: stage\n    status: preferred\n  es:\n  - term: fase\n    status: preferred\n",
        encoding="utf-8")
    (glossary_copy / "optics" / "microscope-stage.yml").write_text(
        "definition:\n  en: The platform that holds the specimen under the objective and moves"
        " it.\nprovenance:\n  origin: ai-draft\n  review: draft\nterms:\n  en:\n"
        "  - term: stage\n    status: preferred\n  es:\n  - term: platina\n    status: preferred\n",
        encoding="utf-8")
    bank = tmp_path / "homonyms.db"
    build(glossary_copy, bank)
    site = make_datasette(bank, tmp_path / "p.db", METADATA)
    await site.invoke_startup()
    yield site
    for database in site.databases.values():
        database.close()

"""The reviewer's language permission, enforced in one place for the web and the shell."""

from __future__ import annotations

import pytest

from termbank import reviewers
from termbank.proposals import ProposalStore


@pytest.fixture
def store(tmp_path):
    opened = ProposalStore(tmp_path / "proposals.db")
    opened.db["reviewers"].insert_all([
        {"id": "marie", "name": "Marie", "languages": '["fr", "fr-CA"]'},
        {"id": "ana", "name": "Ana", "languages": '["es"]'}])
    yield opened
    opened.close()


@pytest.mark.parametrize(("account", "tag", "allowed"), [
    ("ana", "es-MX", True), ("ana", "es", True), ("marie", "fr-CA", True),
    ("marie", "es", False), ("ana", "pt-BR", False),
])
def test_decide_follows_the_reviewers_languages(store, account, tag, allowed):
    proposal = store.submit(concept="pixel", tag=tag, term="un terme")
    if allowed:
        assert reviewers.decide(store, proposal.id, "approved", account).state == "approved"
        return
    with pytest.raises(reviewers.NotTheirLanguage, match=f"{account} reviews .*, not {tag}") as refused:
        reviewers.decide(store, proposal.id, "approved", account)
    assert refused.value.status == 403 and refused.value.tag == tag
    assert store.get(proposal.id).state == "pending"


def test_an_unknown_account_decides_nothing(store):
    proposal = store.submit(concept="pixel", tag="es", term="píxel")
    with pytest.raises(reviewers.ReviewerError, match="no reviewer 'nobody'"):
        reviewers.decide(store, proposal.id, "approved", "nobody")
    assert store.get(proposal.id).state == "pending"

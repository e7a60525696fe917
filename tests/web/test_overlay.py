"""Approved proposals in lookups at once (Bank's overlay), and the same answer after a rebuild."""

from __future__ import annotations

import pytest

from termbank import Bank, build, reviewers
from termbank.apply import apply
from termbank.errors import DatabaseError
from termbank.proposals import ProposalStore


@pytest.fixture
def store(proposals_path):
    opened = ProposalStore(proposals_path)
    yield opened
    opened.close()


def approve(store, bank_path, reviewer="ana", **fields):
    with Bank(bank_path) as bank:
        proposal = store.submit(bank=bank, **fields)
    return store.decide(proposal.id, "approved", reviewer)


def answers(bank, text, tag):
    return [(a.term, a.tag, a.review, a.reliability)
            for a in bank.lookup(text, targets=[tag])[0].translations[tag]]


def test_the_built_bank_alone_is_unchanged_by_proposals(bank_path, store):
    approve(store, bank_path, concept="pixel", tag="es-AR", term="punto de imagen")
    with Bank(bank_path, proposals=False) as bank:
        assert not bank.overlay
        assert answers(bank, "pixel", "es-AR") == [("pixel", "es-419", "draft", 1)]
        assert "es-AR" not in bank.tags


def test_an_approved_term_answers_for_its_dialect_and_those_under_it(bank_path, store,
                                                                     proposals_path):
    approve(store, bank_path, concept="pixel", tag="es-419", term="punto de imagen")
    with Bank(bank_path, proposals=proposals_path) as bank:
        assert bank.overlay
        assert answers(bank, "pixel", "es-AR")[:2] == [("pixel", "es-419", "draft", 1),
                                                       ("punto de imagen", "es-419", "reviewed", 3)]
        assert answers(bank, "pixel", "es-ES") == [("píxel", "es", "draft", 1)]
        found = bank.lookup("PUNTOS DE IMAGEN")[0]
        assert (found.concept, found.how, found.matched_tag) == ("pixel", "inflected", "es-419")


def test_a_new_tag_joins_the_banks_tags(bank_path, store, proposals_path):
    approve(store, bank_path, concept="camera", tag="fr-BE", term="caméra scientifique")
    with Bank(bank_path, proposals=proposals_path) as bank:
        assert "fr-BE" in bank.tags
        match = bank.lookup("camera")[0]
        assert [a.term for a in match.variants["fr-BE"]] == ["caméra scientifique"]


def test_pending_rejected_and_repeated_proposals_stay_out(bank_path, store, proposals_path):
    with Bank(bank_path) as bank:
        store.submit(concept="pixel", tag="pt-PT", term="píxel pendente", bank=bank)
        rejected = store.submit(concept="pixel", tag="pt-PT", term="píxel recusado", bank=bank)
    store.decide(rejected.id, "rejected", "ana")
    approve(store, bank_path, concept="pixel", tag="pt-PT", term="elemento de imagem")
    approve(store, bank_path, concept="pixel", tag="pt-PT", term="Elemento de Imagem")
    with Bank(bank_path, proposals=proposals_path) as bank:
        assert [a.term for a in bank.lookup("pixel", targets=["pt-PT"])[0].translations["pt-PT"]
                ] == ["elemento de imagem", "pixel"]  # once; the general pt term still follows
        assert bank.lookup("píxel pendente") == [] and bank.lookup("píxel recusado") == []


def test_missing_or_old_proposals_database_is_a_clear_error(bank_path, tmp_path):
    with pytest.raises(DatabaseError, match="no proposals database"):
        Bank(bank_path, proposals=tmp_path / "none.db")


def test_the_overlay_answers_what_the_rebuilt_bank_answers(bank_path, store, proposals_path,
                                                            glossary_copy, tmp_path):
    reviewers.add(store, "rui", "long enough", ("pt",), "Rui Sousa")
    approve(store, bank_path, concept="image-file", tag="es-MX", term="archivo digital",
            note="Común en México.")
    approve(store, bank_path, concept="thresholding", tag="pt-PT", term="binarização",
            reviewer="rui")
    approve(store, bank_path, concept="z-stack", tag="fr-CA", term="pile en z", reviewer="marie")
    queries = [("archivo digital", None), ("file", ["es-MX", "es"]), ("binarizações", None),
               ("z stack", ["fr-CA", "fr"]), ("thresholding", None)]
    with Bank(bank_path, proposals=proposals_path) as bank:
        live = [[m.to_json() for m in bank.lookup(q, targets=t)] for q, t in queries]
    assert [o.result for o in apply(store, glossary_copy)] == ["written"] * 3
    rebuilt = tmp_path / "rebuilt.db"
    build(glossary_copy, rebuilt)
    with Bank(rebuilt) as bank:
        assert [[m.to_json() for m in bank.lookup(q, targets=t)] for q, t in queries] == live
    with Bank(rebuilt, proposals=proposals_path) as bank:  # no double after the rebuild
        assert [[m.to_json() for m in bank.lookup(q, targets=t)] for q, t in queries] == live


@pytest.mark.asyncio
async def test_a_cached_download_is_renewed_by_an_approval(ds, bank_path, store):
    """Downloads include approved proposals, so an approval makes a new file, not a stale one."""
    before = (await ds.client.get("/-/export/deepl?to=es-AR")).text
    assert "pixel\tpixel\n" in before.replace("\r\n", "\n")
    approve(store, bank_path, concept="pixel", tag="es-AR", term="punto de imagen")
    after = (await ds.client.get("/-/export/deepl?to=es-AR")).text
    assert "pixel\tpunto de imagen\n" in after.replace("\r\n", "\n")

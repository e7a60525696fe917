"""Candidates for reviewers: forms translators use that the bank lacks, filed once as drafts,
shown with their evidence on the review page."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from termbank import reviewers
from termbank.cli import cli
from termbank.evidence.candidates import candidates, sentence_case
from termbank.proposals import ProposalStore
from termbank.web.site import make_datasette

METADATA = __import__("pathlib").Path(__file__).resolve().parents[2] / "datasette" / "metadata.yml"


def test_a_form_the_bank_lacks_is_a_candidate_with_its_sources(evidence_bank):
    found = candidates(evidence_bank)
    assert [(c.concept, c.tag, c.english, c.term, c.count) for c in found] == [
        ("magnification", "es-MX", "magnification", "zoom", 3),
        ("pixel", "es-MX", "picture element", "elementos de imagen", 3)]
    assert found[0].origin == "evidence: firefox-esr-l10n-es-mx 128.5.0esr-1"
    assert found[0].note == "Used by human translators: Firefox es-MX ×3."


@pytest.mark.parametrize("tag, min_count, expected", [
    ("es-MX", 1, ["zoom", "elementos de imagen"]), ("es-MX", 4, []), ("es-ES", 1, []),
    ("es", 1, []),
])
def test_tag_and_min_count_filter(evidence_bank, tag, min_count, expected):
    assert [c.term for c in candidates(evidence_bank, tag, min_count)] == expected


@pytest.mark.parametrize("form, english, result", [
    ("Zoom", "magnification", "zoom"), ("Transformada de Fourier", "Fourier transform",
                                        "Transformada de Fourier"),
    ("Transformada de Fourier", "fast transform", "transformada de Fourier"),
    ("PSF", "point spread function", "PSF"),
])
def test_a_menu_capital_is_dropped_only_where_the_english_has_none(form, english, result):
    assert sentence_case(form, english) == result


@pytest.fixture
def bank_copy(evidence_bank_path, tmp_path):
    path = tmp_path / "termbank.db"
    shutil.copyfile(evidence_bank_path, path)
    return path


def run(*args):
    return CliRunner().invoke(cli, ["evidence", "candidates", *args])


def test_the_command_prints_json(bank_copy):
    result = run("--json", "--min-count", "1", "--tag", "es-MX", "--db", str(bank_copy))
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data[:1] == [{"concept": "magnification", "english": "magnification", "tag": "es-MX",
                     "term": "zoom", "count": 3,
                     "sources": [{"source": "Firefox", "package": "firefox-esr-l10n-es-mx",
                                  "version": "128.5.0esr-1", "count": 3}]}]
    assert not (bank_copy.parent / "proposals.db").exists()     # listing files nothing


def test_nothing_found_exits_1(bank_copy):
    result = run("--tag", "fr", "--db", str(bank_copy))
    assert result.exit_code == 1 and "No candidates." in result.stderr


def test_propose_files_drafts_once(bank_copy):
    first = run("--propose", "--db", str(bank_copy))
    assert first.exit_code == 0 and "2 proposal(s) filed, 0 already proposed." in first.stderr
    second = run("--propose", "--db", str(bank_copy))
    assert "0 proposal(s) filed, 2 already proposed." in second.stderr
    store = ProposalStore(bank_copy.parent / "proposals.db")
    proposal, synonym = store.list()
    assert (synonym.term, synonym.origin) == ("elementos de imagen",
                                              "evidence: firefox-esr-l10n-es-mx 128.5.0esr-1")
    assert (proposal.concept_id, proposal.tag, proposal.term, proposal.state) == (
        "magnification", "es-MX", "zoom", "pending")
    assert proposal.origin == "evidence: firefox-esr-l10n-es-mx 128.5.0esr-1"
    assert proposal.note == "Used by human translators: Firefox es-MX ×3."
    store.close()


@pytest.mark.asyncio
async def test_the_review_page_shows_the_evidence_beside_each_proposal(bank_copy):
    assert run("--propose", "--db", str(bank_copy)).exit_code == 0
    proposals = bank_copy.parent / "proposals.db"
    store = ProposalStore(proposals)
    reviewers.add(store, "lucia", "correct horse battery", ("es-MX",), "Lucía")
    store.submit(concept="image-file", tag="es-MX", term="archivo de imagen", origin="web")
    session = reviewers.session_version(reviewers.account_hash(store, "lucia"))
    store.close()
    ds = make_datasette(bank_copy, proposals, METADATA)
    await ds.invoke_startup()
    actor = {"id": "lucia", "name": "Lucía", "roles": ["reviewer"], "v": session}
    cookies = {"ds_actor": ds.sign({"a": actor}, "actor")}
    page = (await ds.client.get("/-/review", cookies=cookies)).text
    zoom = page[page.index("proposal-1"):page.index("proposal-2")]
    assert "Human translators use this term" in zoom and "Firefox" in zoom and "×3" in zoom
    assert "No human translation of open software uses this term yet." in page[
        page.index("proposal-3"):]
    data = (await ds.client.get("/-/review", cookies=cookies,
                                headers={"accept": "application/json"})).json()
    assert [p["attested"] for p in data["pending"]] == [
        [{"source": "Firefox", "tag": "es-MX", "count": 3, "labels": 3}],
        [{"source": "Firefox", "tag": "es-MX", "count": 3, "labels": 3}], []]
    for database in ds.databases.values():
        database.close()

"""Attestations built into the bank: the tables, reliability 2 from independent communities,
evidence in lookups, cards, stats and TBX."""

from __future__ import annotations

import io
import json
import shutil

import pytest
from click.testing import CliRunner
from lxml import etree

from termbank import Bank, build
from termbank.card import render
from termbank.cli import cli
from termbank.evidence.communities import family
from termbank.exporting import ExportOptions
from termbank.formats import FORMATS, tbx
from termbank.model import Attestation, Provenance, Term

from .conftest import GLOSSARY


def term_row(bank, concept: str, tag: str, text: str):
    return bank.conn.execute("SELECT * FROM terms WHERE concept_id = ? AND tag = ? AND text = ?",
                             [concept, tag, text]).fetchone()


def test_the_build_adds_both_tables_with_indexes(evidence_bank, attested):
    conn = evidence_bank.conn
    total = conn.execute("SELECT count(*), sum(count) FROM attestations").fetchone()
    assert tuple(total) == (len(attested[0]), sum(f.count for f in attested[0]))
    indexes = {r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name LIKE '%attestations'")}
    assert {"idx_attestations_concept_id_tag_kind", "idx_attestations_tag_kind",
            "idx_term_attestations_concept_id_position"} <= indexes
    plan = " ".join(r[3] for r in conn.execute(
        "EXPLAIN QUERY PLAN SELECT * FROM attestations WHERE concept_id = 'pixel' AND tag = 'es'"))
    assert "idx_attestations_concept_id_tag_kind" in plan


def test_a_bank_without_evidence_has_empty_tables(bank):
    assert bank.conn.execute("SELECT count(*) FROM attestations").fetchone()[0] == 0


def test_the_build_reads_the_file_beside_the_glossary(tmp_path, attestations_file):
    shutil.copytree(GLOSSARY, tmp_path / "glossary")
    (tmp_path / "evidence").mkdir()
    shutil.copyfile(attestations_file, tmp_path / "evidence" / "attestations.tsv")
    build(tmp_path / "glossary", tmp_path / "termbank.db")
    with Bank(tmp_path / "termbank.db") as bank:
        assert bank.conn.execute("SELECT count(*) FROM attestations").fetchone()[0] > 0


def test_two_builds_with_evidence_give_the_same_bytes(tmp_path, attestations_file):
    for name in ("a.db", "b.db"):
        build(GLOSSARY, tmp_path / name, evidence=attestations_file)
    assert (tmp_path / "a.db").read_bytes() == (tmp_path / "b.db").read_bytes()


def test_a_malformed_attestations_file_fails_the_build_and_keeps_the_old_bank(tmp_path):
    bad = tmp_path / "attestations.tsv"
    bad.write_text("concept\ttag\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "--glossary", str(GLOSSARY), "--db",
                                      str(tmp_path / "t.db"), "--evidence", str(bad), "--quiet"])
    assert result.exit_code == 1 and f"{bad}:1: expected the header" in result.output
    assert list(tmp_path.iterdir()) == [bad]


@pytest.mark.parametrize("concept, tag, text, reliability", [
    ("image-file", "es", "archivo", 2),          # Mozilla and LibreOffice: two communities
    ("image-file", "es-ES", "fichero", 1),       # Firefox and Thunderbird: one community
    ("deconvolution", "es", "deconvolución", 1),  # one project's label; sentences do not count
    ("magnification", "es", "aumento", 1),
    ("image-file", "pt-PT", "ficheiro", 1),
])
def test_reliability_two_needs_labels_from_two_independent_communities(evidence_bank, concept,
                                                                       tag, text, reliability):
    assert term_row(evidence_bank, concept, tag, text)["reliability"] == reliability


@pytest.mark.parametrize("projects, evidenced", [
    (("Firefox", "LibreOffice"), True), (("Firefox", "Thunderbird"), False),
    (("KStars", "LabPlot"), False), (("Siril", "Stellarium"), True), (("Siril",), False),
])
def test_the_rule_on_the_model(projects, evidenced):
    term = Term("archivo", "es", attested=tuple(
        Attestation(p, "es", 5, "label", family(p)) for p in projects))
    assert term.evidenced is evidenced and term.reliability == (2 if evidenced else 1)
    assert Term("archivo", "es", attested=tuple(
        Attestation(p, "es", 5, "support", family(p)) for p in projects)).reliability == 1


def test_evidence_never_makes_a_term_reviewed():
    reviewed = Term("archivo", "es", provenance=Provenance("x", "reviewed", ("Ana",), "2026-01-01"),
                    attested=(Attestation("Firefox", "es", 1, "label", "Mozilla"),
                              Attestation("Siril", "es", 1, "label", "Siril")))
    assert reviewed.reliability == 3


def answers(bank, text: str, tag: str) -> list[dict]:
    return next(m.to_json() for m in bank.lookup(text, "en", [tag]))["translations"][tag]


def test_lookup_json_shows_the_attestations_of_the_requested_dialect(evidence_bank):
    mexican = answers(evidence_bank, "file", "es-MX")[0]
    assert mexican["term"] == "archivo" and mexican["reliability"] == 2
    assert mexican["attested"] == [
        {"source": "Firefox", "tag": "es-MX", "count": 3, "labels": 3},
        {"source": "Thunderbird", "tag": "es-MX", "count": 2, "labels": 2},
        {"source": "LibreOffice", "tag": "es", "count": 1, "labels": 1}]
    spanish = answers(evidence_bank, "file", "es-ES")[0]
    assert spanish["term"] == "fichero" and spanish["attested"] == [
        {"source": "Firefox", "tag": "es-ES", "count": 2, "labels": 2},
        {"source": "Thunderbird", "tag": "es-ES", "count": 1, "labels": 1}]


def test_the_cli_prints_the_same_json(evidence_bank_path):
    result = CliRunner().invoke(cli, ["lookup", "file", "--to", "es-MX", "--json", "--db",
                                      str(evidence_bank_path)])
    data = json.loads(result.output)
    assert [u["source"] for u in data[0]["translations"]["es-MX"][0]["attested"]] == [
        "Firefox", "Thunderbird", "LibreOffice"]
    variants = data[0]["variants"]["es"][0]
    assert variants["term"] == "archivo" and variants["attested"][0]["tag"] == "es-MX"


def test_a_term_the_dialects_translators_do_not_use_is_flagged(evidence_bank):
    mexican = answers(evidence_bank, "magnification", "es-MX")
    aumento = next(a for a in mexican if a["term"] == "aumento")
    assert aumento["contradicted"] == {"tag": "es-MX", "used": "Zoom", "count": 3, "total": 3}
    deprecated = next(a for a in mexican if a["term"] == "magnificación")
    assert deprecated["contradicted"] is None            # forms to avoid are not flagged
    general = answers(evidence_bank, "magnification", "es")
    assert next(a for a in general if a["term"] == "aumento")["contradicted"] is None
    assert answers(evidence_bank, "file", "es-MX")[0]["contradicted"] is None
    # three labels of "picture element", none of the preferred "pixel": nothing to contradict
    assert answers(evidence_bank, "pixel", "es-MX")[0]["contradicted"] is None


def test_the_card_says_who_uses_a_term_and_flags_contradictions(evidence_bank):
    card = render(evidence_bank.lookup("file", "en", ["es-MX"])[0])
    assert "used by: Firefox es-MX ×3, Thunderbird es-MX ×2, LibreOffice ×1" in card
    card = render(evidence_bank.lookup("magnification", "en", ["es-MX"])[0])
    assert "! contradicted: es-MX translators use “Zoom” (3 of 3 labels)" in card


def test_stats_count_attested_terms_per_tag(evidence_bank_path):
    result = CliRunner().invoke(cli, ["stats", "--json", "--db", str(evidence_bank_path)])
    data = json.loads(result.output)
    assert data["attested_terms_by_tag"] == {"es": 3, "es-ES": 1}
    assert data["label_attested_terms_by_tag"] == {"es": 2, "es-ES": 1}
    assert data["evidenced_terms_by_tag"] == {"es": 1}
    assert data["attestations_by_tag"]["es-MX"] == {"label": 11}
    assert data["attestations_by_tag"]["es"] == {"conflict": 1, "label": 2, "support": 3}


def test_tbx_carries_the_evidence_and_stays_valid(evidence_bank, tbx_schema):
    buffer = io.BytesIO()
    FORMATS["tbx"].write(buffer, evidence_bank.glossary(), ExportOptions())
    document = etree.parse(io.BytesIO(buffer.getvalue()))
    assert tbx_schema.validate(document), tbx_schema.error_log
    notes = document.xpath('//t:conceptEntry[@id="image-file"]//t:termSec[t:term="archivo"]/t:note',
                           namespaces={"t": tbx.NAMESPACE})
    assert [n.text for n in notes] == ["termbank: attested: Firefox es-MX ×3 (3 labels)",
                                       "termbank: attested: Thunderbird es-MX ×2 (2 labels)",
                                       "termbank: attested: LibreOffice es ×1 (1 labels)"]
    read = list(tbx.read_tbx(io.BytesIO(buffer.getvalue()), name="x.tbx"))
    archivo = next(t for c in read if c.id == "image-file" for t in c.terms if t.text == "archivo")
    assert archivo.note is None                      # evidence notes are not read as free notes


def test_exports_read_the_raised_reliability_from_the_bank(evidence_bank):
    concept = evidence_bank.concept("image-file")
    archivo = next(t for t in concept.terms if t.text == "archivo")
    assert archivo.reliability == 2 and archivo.attested[0].source == "Firefox"


@pytest.mark.parametrize("labels, own, used_here, expected", [
    ({"zoom": ("Zoom", 3)}, "aumento", False, ("Zoom", 3, 3)),
    ({"zoom": ("Zoom", 2)}, "aumento", False, None),                           # fewer than 3
    ({"zoom": ("Zoom", 2), "lupa": ("Lupa", 2)}, "aumento", False, None),      # not consistent
    ({"zoom": ("Zoom", 4), "aumento": ("Aumento", 1)}, "aumento", False, None),  # used as a label
    ({"zoom": ("Zoom", 3)}, "aumento", True, None),                            # used in sentences
    ({"fondo": ("Fondo", 8)}, "senal de fondo", False, None),                  # its short form
    ({"fondo": ("Fondo", 8)}, "fondon", False, ("Fondo", 8, 8)),
])
def test_the_contradiction_rule(labels, own, used_here, expected):
    from termbank.evidence.answers import contradiction

    found = contradiction(labels, own, "es-MX", used_here)
    assert ((found.used, found.count, found.total) if found else None) == expected


@pytest.mark.parametrize("kind, status, flagged", [
    ("full form", "preferred", True), ("phrase", "admitted", True), ("acronym", "admitted", False),
    ("abbreviation", "preferred", False), ("full form", "deprecated", False),
])
def test_only_accepted_full_forms_are_flagged(kind, status, flagged):
    from termbank.evidence.answers import ConceptEvidence, with_evidence
    from termbank.lookup import Answer, Match

    answer = Answer("DP", "pt", status, kind, None, None, 1, "draft")
    match = Match("standard-deviation", "measurement", "standard deviation", "en", "exact", None,
                  {}, {"pt-PT": [answer]}, {}, [], False)
    evidence = ConceptEvidence({}, {("standard-deviation", "pt-PT"): {
        "desvio padrao": ("Desvio padrão", 5)}})
    result = with_evidence(match, evidence).translations["pt-PT"][0]
    assert (result.contradicted is not None) is flagged

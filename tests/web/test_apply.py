"""`termbank proposals apply`: approved proposals written back into glossary/ files."""

from __future__ import annotations

from pathlib import Path

import pytest

from termbank import Bank, read_concept, read_glossary
from termbank.apply import apply, insert_term
from termbank.errors import TermbankError
from termbank.proposals import ProposalStore


@pytest.fixture
def store(proposals_path):
    opened = ProposalStore(proposals_path)
    yield opened
    opened.close()


def approve(store, bank_path, **fields):
    with Bank(bank_path) as bank:
        proposal = store.submit(bank=bank, **fields)
    return store.decide(proposal.id, "approved", "ana")


def test_an_approved_term_is_appended_to_its_tag_as_reviewed(store, bank_path, glossary_copy):
    decided = approve(store, bank_path, concept="image-file", tag="es-ES", term="archivo",
                      note="También se oye.")
    path = glossary_copy / "image-data" / "image-file.yml"
    before = path.read_text(encoding="utf-8")
    [outcome] = apply(store, glossary_copy)
    assert (outcome.result, outcome.path) == ("written", str(path))
    after = path.read_text(encoding="utf-8")
    today = store.history(decided.id)[-1]["created_at"][:10]
    added = (f"  - term: archivo\n    status: admitted\n    note: También se oye.\n"
             f"    origin: proposal {decided.id}\n    review: reviewed\n    reviewers:\n"
             f"    - Ana\n    reviewed_on: '{today}'\n")
    es_es = before.index("  fr:\n")
    assert after == before[:es_es] + added + before[es_es:]
    term = [t for t in read_concept(path).terms if t.tag == "es-ES"][-1]
    assert (term.text, term.provenance.review, term.provenance.reviewers, term.reliability) == (
        "archivo", "reviewed", ("Ana",), 3)


def test_applying_twice_changes_nothing(store, bank_path, glossary_copy):
    approve(store, bank_path, concept="pixel", tag="fr-CA", term="point image")
    assert [o.result for o in apply(store, glossary_copy)] == ["written"]
    snapshot = {p: p.read_bytes() for p in glossary_copy.rglob("*.yml")}
    assert [o.result for o in apply(store, glossary_copy)] == ["already there"]
    assert {p: p.read_bytes() for p in glossary_copy.rglob("*.yml")} == snapshot
    assert len(list(read_glossary(glossary_copy))) == len(snapshot)  # the glossary validates


def test_dry_run_writes_nothing_and_missing_files_are_reported(store, bank_path, glossary_copy):
    approve(store, bank_path, concept="camera", tag="pt-PT", term="câmara digital")
    snapshot = {p: p.read_bytes() for p in glossary_copy.rglob("*.yml")}
    assert [o.result for o in apply(store, glossary_copy, dry_run=True)] == ["would be written"]
    assert {p: p.read_bytes() for p in glossary_copy.rglob("*.yml")} == snapshot
    (glossary_copy / "acquisition" / "camera.yml").unlink()
    assert [o.result for o in apply(store, glossary_copy)] == ["no concept file"]


DOC = """\
# A hand-written file: its comments and layout survive.
definition:
  en: A thing.
provenance: {origin: ai-draft, review: draft}
terms:
    en:
        -   term: thing   # the English name
            status: preferred
    es_MX:
        -   term: cosa
    # French comes next
    fr:
        -   term: chose
"""


@pytest.mark.parametrize("tag, text, expected_after", [
    ("es-MX", "objeto", "            reviewed_on: '2026-11-20'\n    # French comes next\n"),
    ("pt", "coisa", "        -   term: chose\n    pt:\n        -   term: coisa\n"),
    ("es-MX", "ON", "        -   term: 'ON'\n"),
    ("fr", "clé: valeur # pas un commentaire", "term: 'clé: valeur # pas un commentaire'"),
])
def test_insertion_keeps_the_files_layout_and_quotes_what_yaml_would_misread(
        tmp_path, tag, text, expected_after):
    entry = {"term": text, "status": "admitted", "origin": "proposal 1", "review": "reviewed",
             "reviewers": ["Ana"], "reviewed_on": "2026-11-20"}
    new = insert_term(DOC, tag, entry, "x.yml")
    assert new.startswith(DOC.split("    # French")[0].rstrip("\n").rsplit("\n", 1)[0])
    assert expected_after in new and "# the English name" in new
    path = tmp_path / "optics" / "thing.yml"
    path.parent.mkdir()
    path.write_text(new, encoding="utf-8")
    terms = [t for t in read_concept(path).terms if t.tag == tag]
    assert terms[-1].text == text and terms[-1].provenance.reviewers == ("Ana",)
    assert insert_term(new, tag, {**entry, "term": text.upper()}, "x.yml") is None


def test_a_file_that_would_become_invalid_is_left_alone(store, bank_path, glossary_copy):
    approve(store, bank_path, concept="pixel", tag="es", term="elemento")
    path = glossary_copy / "image-data" / "pixel.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("terms:", "terms: {}\nx_terms:"),
                    encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(TermbankError):
        apply(store, glossary_copy)
    assert path.read_bytes() == before


def test_the_cli_applies_and_reports(store, bank_path, glossary_copy, proposals_path):
    from click.testing import CliRunner

    from termbank.cli import cli

    approve(store, bank_path, concept="deconvolution", tag="es-AR", term="desconvolución")
    result = CliRunner().invoke(cli, ["proposals", "apply", "--glossary", str(glossary_copy),
                                      "--proposals", str(proposals_path)])
    assert result.exit_code == 0, result.output
    assert "deconvolution es-AR 'desconvolución': written" in result.stdout
    assert "wrote 1 term(s)" in result.stderr
    assert Path(glossary_copy / "processing" / "deconvolution.yml").read_text(
        encoding="utf-8").count("desconvolución") >= 1


def test_apply_writes_both_reviewers_of_a_confirmed_term(tmp_path, glossary_copy):
    from termbank import build

    glossary = glossary_copy
    build(glossary, tmp_path / "bank.db")
    store = ProposalStore(tmp_path / "proposals.db")
    with Bank(tmp_path / "bank.db") as bank:
        number = store.submit(concept="camera", tag="es-AR", term="cámara digital", bank=bank).id
    store.decide(number, "approved", "ana")
    store.decide(number, "confirmed", "luis")
    apply(store, glossary)
    term = next(t for t in read_concept(glossary / "acquisition" / "camera.yml").terms
                if t.tag == "es-AR")
    assert term.provenance.reviewers == ("ana", "luis") and term.reliability == 4


def test_the_cli_dry_run_says_what_would_be_written(store, bank_path, glossary_copy,
                                                    proposals_path):
    from click.testing import CliRunner

    from termbank.cli import cli

    approve(store, bank_path, concept="deconvolution", tag="es-AR", term="desconvolución")
    snapshot = {p: p.read_bytes() for p in glossary_copy.rglob("*.yml")}
    result = CliRunner().invoke(cli, ["proposals", "apply", "--dry-run", "--glossary",
                                      str(glossary_copy), "--proposals", str(proposals_path)])
    assert result.exit_code == 0, result.output
    assert "deconvolution es-AR 'desconvolución': would be written" in result.stdout
    assert ": written" not in result.stdout and "wrote" not in result.stderr
    assert result.stderr.startswith("Dry run: 1 term(s) would be written;")
    assert {p: p.read_bytes() for p in glossary_copy.rglob("*.yml")} == snapshot


def _rebuilt_term(glossary, tmp_path, concept_file, tag, text):
    from termbank import build

    build(glossary, tmp_path / "rebuilt.db")
    with Bank(tmp_path / "rebuilt.db") as bank:
        concept = bank.concept(concept_file)
    return next(t for t in concept.terms if t.tag == tag and t.text == text)


def test_a_confirmation_after_apply_is_written_by_the_next_apply(tmp_path, glossary_copy):
    """approve -> apply -> confirm -> apply: the YAML gets the second reviewer, so a rebuild
    keeps reliability 4 (issue 16, High 1)."""
    from termbank import build

    build(glossary_copy, tmp_path / "bank.db")
    store = ProposalStore(tmp_path / "proposals.db")
    with Bank(tmp_path / "bank.db") as bank:
        number = store.submit(concept="camera", tag="es-AR", term="cámara digital", bank=bank).id
    store.decide(number, "approved", "ana")
    assert [o.result for o in apply(store, glossary_copy)] == ["written"]
    store.decide(number, "confirmed", "luis")
    assert [o.result for o in apply(store, glossary_copy, dry_run=True)] == [
        "reviewers would be added"]
    assert [o.result for o in apply(store, glossary_copy)] == ["reviewers added"]
    path = glossary_copy / "acquisition" / "camera.yml"
    assert "    reviewers:\n    - ana\n    - luis\n    reviewed_on:" in path.read_text("utf-8")
    term = _rebuilt_term(glossary_copy, tmp_path, "camera", "es-AR", "cámara digital")
    assert term.provenance.reviewers == ("ana", "luis") and term.reliability == 4
    snapshot = path.read_bytes()
    assert [o.result for o in apply(store, glossary_copy)] == ["already there"]
    assert path.read_bytes() == snapshot
    store.close()


@pytest.mark.parametrize("edit", ["delete", "rename"])
def test_apply_never_brings_back_what_a_maintainer_removed_or_renamed(
        store, bank_path, glossary_copy, edit):
    """Issue 16, Medium 8: the file apply last wrote is the merge base."""
    decided = approve(store, bank_path, concept="pixel", tag="fr-CA", term="point image")
    apply(store, glossary_copy)
    path = glossary_copy / "image-data" / "pixel.yml"
    text = path.read_text(encoding="utf-8")
    if edit == "delete":
        start = text.index("  - term: point image\n")
        end = text.index("reviewed_on:", start)
        text = text[:start] + text[text.index("\n", end) + 1:]
    else:
        text = text.replace("term: point image", "term: point-image")
    path.write_text(text, encoding="utf-8")
    assert [o.result for o in apply(store, glossary_copy)] == [
        "already there" if edit == "rename" else
        "not written again: removed or renamed in the file by hand since apply wrote it"]
    assert path.read_text(encoding="utf-8") == text
    if edit == "rename":   # a later confirmation still reaches the renamed term
        from termbank import reviewers
        reviewers.add(store, "luis", "a long enough password", ("fr",), "Luis")
        store.decide(decided.id, "confirmed", "luis")
        assert [o.result for o in apply(store, glossary_copy)] == ["reviewers added"]
        after = path.read_text(encoding="utf-8")
        assert "point-image" in after and "term: point image" not in after
        assert "- Ana\n    - Luis\n" in after


def test_an_editors_save_between_read_and_replace_is_kept(store, bank_path, glossary_copy,
                                                          monkeypatch):
    """The save lands while apply validates its new text; the rename is refused."""
    import termbank.apply as applying

    approve(store, bank_path, concept="pixel", tag="fr-CA", term="point image")
    path = glossary_copy / "image-data" / "pixel.yml"
    saved = path.read_text(encoding="utf-8") + "# the editor's line\n"
    validate = applying.read_concept

    def save_meanwhile(copy):
        path.write_text(saved, encoding="utf-8")
        return validate(copy)

    monkeypatch.setattr(applying, "read_concept", save_meanwhile)
    with pytest.raises(TermbankError, match=r"pixel\.yml: changed on disk"):
        apply(store, glossary_copy)
    assert path.read_text(encoding="utf-8") == saved
    monkeypatch.setattr(applying, "read_concept", validate)
    assert [o.result for o in apply(store, glossary_copy)] == ["written"]
    after = path.read_text(encoding="utf-8")
    assert "# the editor's line" in after and "point image" in after

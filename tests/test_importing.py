"""Imports come back as draft proposals beside the bank and never change a recorded term."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from termbank import Bank, build
from termbank.cli import cli
from termbank.exporting import ExportOptions
from termbank.formats import FORMATS
from termbank.importing import plan, read
from termbank.proposals import PROPOSALS_DB, ProposalStore

DATA = Path(__file__).resolve().parent / "data" / "exports"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("import-bank") / "termbank.db"
    build(DATA / "glossary", path)
    return path


@pytest.fixture
def db(built, tmp_path) -> Path:
    """A private copy of the bank, so each test's proposals.db starts empty."""
    return Path(shutil.copy(built, tmp_path / "termbank.db"))


def exported(db: Path, name: str, **options) -> str:
    buffer = io.BytesIO()
    with Bank(db) as bank:
        FORMATS[name].write(buffer, bank.glossary(), ExportOptions(**options))
    return buffer.getvalue().decode("utf-8-sig")


def translated_po(db: Path, tmp_path: Path) -> Path:
    """An es-MX catalogue in which a translator changed two entries."""
    text = exported(db, "po", targets=("es-MX",))
    text = text.replace('msgstr "aumento"', 'msgstr "aumento óptico"')
    text = text.replace('msgid "objective"\nmsgstr "objetivo"',
                        'msgid "objective"\nmsgstr "lente objetivo"')
    path = tmp_path / "es_MX.po"
    path.write_text(text, encoding="utf-8")
    return path


def test_plan_proposes_only_what_changed(db, tmp_path):
    path = translated_po(db, tmp_path)
    with Bank(db) as bank:
        changes = list(plan(bank, read(path, FORMATS["po"])))
    proposed = {(c.concept, c.tag, c.term): c.detail for c in changes if c.action == "propose"}
    assert proposed == {("magnification", "es-MX", "aumento óptico"): "",
                        ("objective-lens", "es-MX", "lente objetivo"): ""}
    assert sum(c.action == "unchanged" for c in changes) > 10
    assert all(c.line for c in changes)


def test_a_reviewed_term_is_named_and_kept(db, tmp_path):
    rows = "concept,tag,term\nobjective-lens,es,objetivo de microscopio\n"
    path = tmp_path / "colleague.csv"
    path.write_text(rows, encoding="utf-8")
    with Bank(db) as bank:
        (change,) = list(plan(bank, read(path, FORMATS["csv"])))
        assert change.action == "propose" and change.detail == "reviewed objetivo stays"
        assert [t.text for t in bank.concept("objective-lens").terms_in("es")] == ["objetivo"]


def test_concepts_are_matched_by_english_term_when_the_id_is_foreign(db, tmp_path):
    rows = "concept,tag,term,status\nc17,en,pixel,preferred\nc17,pt-PT,píxel,preferred\n"
    path = tmp_path / "foreign.csv"
    path.write_text(rows, encoding="utf-8")
    with Bank(db) as bank:
        changes = list(plan(bank, read(path, FORMATS["csv"])))
    assert [(c.action, c.concept, c.tag, c.term) for c in changes] == [
        ("unchanged", "pixel", "en", "pixel"), ("propose", "pixel", "pt-PT", "píxel")]


def test_unknown_concepts_and_refused_forms_are_skipped(db, tmp_path):
    rows = ("concept,tag,term,status,reason\n"
            "c1,en,open cluster,preferred,\n"
            "pixel,es,pixel español,deprecated,nonstandard\n")
    path = tmp_path / "astronomy.csv"
    path.write_text(rows, encoding="utf-8")
    with Bank(db) as bank:
        changes = list(plan(bank, read(path, FORMATS["csv"])))
    assert [(c.action, c.detail) for c in changes] == [
        ("skip", "no concept in the bank for c1"),
        ("skip", "deprecated forms are not proposed")]


def test_dry_run_stores_nothing(db, tmp_path):
    path = translated_po(db, tmp_path)
    result = CliRunner().invoke(cli, ["import", str(path), "--dry-run", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "propose" in result.stdout and "aumento óptico" in result.stdout
    assert "Dry run: 2 propose" in result.stdout
    assert not (db.parent / PROPOSALS_DB).exists()


def test_import_stores_draft_proposals(db, tmp_path):
    path = translated_po(db, tmp_path)
    result = CliRunner().invoke(cli, ["import", str(path), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "2 draft proposal(s) stored" in result.stdout
    store = ProposalStore(db.parent / PROPOSALS_DB)
    try:
        proposals = store.list()
    finally:
        store.close()
    assert {(p.concept_id, p.tag, p.term, p.state, p.origin) for p in proposals} == {
        ("magnification", "es-MX", "aumento óptico", "pending", "import:es_MX.po"),
        ("objective-lens", "es-MX", "lente objetivo", "pending", "import:es_MX.po")}
    with Bank(db) as bank:   # the bank itself is untouched
        assert "aumento óptico" not in {t.text for t in bank.concept("magnification").terms}


def test_import_honours_the_proposals_location(db, tmp_path, monkeypatch):
    """Stored where ``$TERMBANK_PROPOSALS`` says, which is where every reader looks."""
    elsewhere = tmp_path / "elsewhere.db"
    monkeypatch.setenv("TERMBANK_PROPOSALS", str(elsewhere))
    path = translated_po(db, tmp_path)
    result = CliRunner().invoke(cli, ["import", str(path), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert not (db.parent / PROPOSALS_DB).exists()
    listed = CliRunner().invoke(cli, ["proposals", "list", "--db", str(db)])
    assert "aumento óptico" in listed.stdout


def test_a_malformed_file_stores_nothing_and_names_the_line(db):
    bad = DATA / "malformed" / "status.csv"
    result = CliRunner().invoke(cli, ["import", str(bad), "--db", str(db)])
    assert result.exit_code == 1
    assert f"{bad}:3: status: 'best' is not one of" in result.stderr
    assert stored(db.parent / PROPOSALS_DB) == []   # the rows before line 3 were rolled back


def stored(path: Path) -> list[tuple[str, str, str, str]]:
    """The proposals in a proposals database (none when it was never made)."""
    if not path.exists():
        return []
    store = ProposalStore(path)
    try:
        return [(p.concept_id, p.tag, p.term, p.origin) for p in store.list()]
    finally:
        store.close()


def test_importing_the_same_file_twice_adds_nothing(db, tmp_path):
    """Issue 16, Medium 10: keyed on concept, tag, term and origin."""
    path = translated_po(db, tmp_path)
    first = CliRunner().invoke(cli, ["import", str(path), "--db", str(db)])
    assert "2 draft proposal(s) stored" in first.stdout, first.output
    again = CliRunner().invoke(cli, ["import", str(path), "--db", str(db)])
    assert again.exit_code == 0, again.output
    assert "0 draft proposal(s) stored" in again.stdout
    assert "2 proposed by an import of es_MX.po before, not again" in again.stdout
    assert sorted(stored(db.parent / PROPOSALS_DB)) == [
        ("magnification", "es-MX", "aumento óptico", "import:es_MX.po"),
        ("objective-lens", "es-MX", "lente objetivo", "import:es_MX.po")]


def test_a_killed_import_leaves_nothing(db, tmp_path):
    """One transaction: SIGKILL in the middle of storing leaves no proposal at all.

    The killed import stores every row of the file as the CLI does (``plan`` then ``submit``)
    and then waits inside the transaction for more, so it is killed mid-import every time
    (polling its output raced an import fast enough to finish between two polls)."""
    import signal
    import subprocess
    import sys

    rows = ["concept,tag,term,status"] + [f"pixel,es-MX,punto {n},admitted" for n in range(1000)]
    path = tmp_path / "many.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    proposals = db.parent / PROPOSALS_DB
    program = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from termbank import importing\n"
        "from termbank.bank import Bank\n"
        "from termbank.formats import for_file\n"
        "path = Path(sys.argv[1])\n"
        "bank = Bank(Path(sys.argv[2]))\n"
        "def changes():\n"
        "    yield from importing.plan(bank, importing.read(path, for_file(path, 'read')))\n"
        "    print('stored', flush=True)\n"
        "    time.sleep(600)\n"
        "importing.submit(bank, changes(), origin='import:many.csv')\n")
    importer = subprocess.Popen([sys.executable, "-c", program, str(path), str(db)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert importer.stdout.readline() == "stored\n", importer.stderr.read()
    finally:
        importer.send_signal(signal.SIGKILL)
        importer.wait()
        importer.stdout.close()
        importer.stderr.close()
    assert proposals.exists()              # the transaction had begun
    assert stored(proposals) == []


def test_the_format_comes_from_the_extension_or_is_asked_for(db, tmp_path):
    path = tmp_path / "terms.txt"
    path.write_text("concept,tag,term\npixel,en,pixel\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", str(path), "--dry-run", "--db", str(db)])
    assert result.exit_code == 1 and "pass --format" in result.stderr
    result = CliRunner().invoke(cli, ["import", str(path), "--format", "csv", "--dry-run",
                                      "--db", str(db)])
    assert result.exit_code == 0 and "1 unchanged" in result.stdout


def test_import_honours_termbank_proposals(db, tmp_path):
    path = translated_po(db, tmp_path)
    elsewhere = tmp_path / "shared" / "proposals.db"
    elsewhere.parent.mkdir()
    result = CliRunner(env={"TERMBANK_PROPOSALS": str(elsewhere)}).invoke(
        cli, ["import", str(path), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert not (db.parent / PROPOSALS_DB).exists()
    store = ProposalStore(elsewhere)
    try:
        assert len(store.list()) == 2
    finally:
        store.close()
    listed = CliRunner(env={"TERMBANK_PROPOSALS": str(elsewhere)}).invoke(
        cli, ["proposals", "list", "--db", str(db)])
    assert "aumento óptico" in listed.stdout and "lente objetivo" in listed.stdout


def test_from_names_concepts_by_another_language_and_to_narrows_the_tags(db, tmp_path):
    rows = ("concept,tag,term,status\n"
            "x1,es,archivo,preferred\nx1,pt-PT,ficheiro de imagem,preferred\n"
            "x1,fr-CA,fichier image,preferred\n")
    path = tmp_path / "colleague.csv"
    path.write_text(rows, encoding="utf-8")
    with Bank(db) as bank:
        by_english = list(plan(bank, read(path, FORMATS["csv"])))
        by_spanish = list(plan(bank, read(path, FORMATS["csv"]), source="es", targets=["pt_PT"]))
    assert {c.action for c in by_english} == {"skip"}          # no English term: no concept
    assert [(c.action, c.concept, c.tag, c.term) for c in by_spanish] == [
        ("propose", "image-file", "pt-PT", "ficheiro de imagem")]
    result = CliRunner().invoke(cli, ["import", str(path), "--from", "es", "--to", "pt-PT",
                                      "--dry-run", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "Dry run: 1 propose, 0 unchanged, 0 skip" in result.stdout

"""Export options, the dialect rule, all-or-nothing writes, and the export/locales commands."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from termbank import build, read_glossary
from termbank.cli import cli
from termbank.errors import LanguageTagError, TermbankError
from termbank.exporting import (
    EntrySpool,
    ExportOptions,
    dialect_terms,
    kept_tags,
    selected,
    write_atomically,
)
from termbank.model import Glossary

GLOSSARY = Path(__file__).resolve().parent / "data" / "exports" / "glossary"


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return Glossary.of(read_glossary(GLOSSARY))


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("export-cli") / "termbank.db"
    build(GLOSSARY, path)
    return path


def concept(glossary: Glossary, concept_id: str):
    return next(c for c in glossary if c.id == concept_id)


def test_options_normalise_tags_and_refuse_bad_ones():
    assert ExportOptions(targets=("es_mx", "es-MX"), source="EN").targets == ("es-MX",)
    with pytest.raises(LanguageTagError):
        ExportOptions(targets=("es-XX",))
    with pytest.raises(TermbankError):
        ExportOptions(min_reliability=5)


def test_bilingual_formats_need_exactly_one_target(glossary):
    assert ExportOptions(targets=("fr-CA",)).single_target(glossary, "po") == "fr-CA"
    with pytest.raises(TermbankError, match="pass one --lang TAG"):
        ExportOptions().single_target(glossary, "po")


@pytest.mark.parametrize("tag, expected, supplier", [
    ("es-MX", "pixel", "es-419"), ("es-AR", "pixel", "es-419"), ("es-ES", "píxel", "es"),
    ("es", "píxel", "es"), ("pt-AO", None, None)])
def test_dialect_terms_follow_the_fallback_chain(glossary, tag, expected, supplier):
    accepted, _ = dialect_terms(concept(glossary, "pixel"), tag)
    assert (accepted[0].text, accepted[0].tag) == (expected, supplier) if expected else not accepted


def test_refused_forms_come_from_the_whole_chain(glossary):
    _, refused = dialect_terms(concept(glossary, "magnification"), "es-MX")
    assert [(t.text, t.status) for t in refused] == [("amplificación", "forbidden"),
                                                    ("magnificación", "deprecated")]


def test_do_not_translate_names_answer_with_themselves(glossary):
    accepted, _ = dialect_terms(concept(glossary, "napari"), "fr-CA")
    assert [t.text for t in accepted] == ["napari"]


def test_min_reliability_filters_target_terms_but_keeps_the_source(glossary):
    kept = {c.id: c for c in selected(glossary, ExportOptions(min_reliability=3))}
    assert {t.text for t in kept["objective-lens"].terms} == {"objective", "objective lens",
                                                              "objetivo"}
    assert {t.tag for t in kept["pixel"].terms} == {"en"}
    assert len(kept) == glossary.count


def test_concepts_option_narrows_the_export(glossary):
    options = ExportOptions(concepts=frozenset({"pixel", "napari"}))
    assert [c.id for c in selected(glossary, options)] == ["napari", "pixel"]


def test_kept_tags_follow_each_targets_chain():
    assert kept_tags(ExportOptions()) is None
    assert kept_tags(ExportOptions(targets=("pt-AO", "fr-CA"))) == {"en", "pt-AO", "pt-PT", "pt",
                                                                     "fr-CA", "fr"}


def test_entry_spool_groups_by_key_best_rank_first():
    with EntrySpool() as spool:
        for key, rank, concept_id in [("b", 1, "x"), ("a", 5, "y"), ("b", 0, "z"), ("a", 5, "w")]:
            spool.add(key, rank, concept_id, "")
        groups = [[(k, c) for k, _, c, _ in g] for g in spool.groups()]
    assert groups == [[("a", "w"), ("a", "y")], [("b", "z"), ("b", "x")]]


def test_write_atomically_replaces_only_on_success(tmp_path):
    target = tmp_path / "out.txt"
    write_atomically(target, lambda fp: fp.write(b"first"))

    def fail(fp):
        fp.write(b"half")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_atomically(target, fail)
    assert target.read_bytes() == b"first" and [p.name for p in tmp_path.iterdir()] == ["out.txt"]
    assert target.stat().st_mode & 0o044   # readable by others as an ordinary file


@pytest.mark.parametrize("mask", [0o022, 0o077])
def test_written_files_take_the_umask_without_it_being_changed(tmp_path, monkeypatch, mask):
    """The kernel applies the umask to the new file; the process's umask is never set (a web
    thread writing at the same moment would see it changed)."""
    import os

    previous = os.umask(mask)
    try:
        monkeypatch.setattr(os, "umask", lambda *_: pytest.fail("umask was changed"))
        write_atomically(tmp_path / "out.txt", lambda fp: fp.write(b"x"))
    finally:
        monkeypatch.undo()
        os.umask(previous)
    assert (tmp_path / "out.txt").stat().st_mode & 0o777 == 0o666 & ~mask


def test_export_command_to_stdout_and_file(db, tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["export", "deepl", "--lang", "es-ES", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "file\tfichero\n" in result.stdout
    assert "note: 'objective': one entry per source term" in result.stderr
    out = tmp_path / "es_ES.po"
    result = runner.invoke(cli, ["export", "po", "--lang", "es-ES", "--db", str(db), "-o", str(out)])
    assert result.exit_code == 0 and 'msgstr "fichero"' in out.read_text(encoding="utf-8")


def test_export_command_errors_are_one_line_and_write_nothing(db, tmp_path):
    out = tmp_path / "x.po"
    result = CliRunner().invoke(cli, ["export", "po", "--db", str(db), "-o", str(out)])
    assert result.exit_code == 1 and "pass one --lang TAG" in result.stderr
    assert not out.exists()


def test_formats_command_lists_every_format():
    from termbank.formats import FORMATS

    lines = CliRunner().invoke(cli, ["formats"]).stdout.splitlines()
    assert [line.split()[0] for line in lines] == list(FORMATS)


def test_locales_writes_then_checks_and_names_stale_files(tmp_path):
    glossary_dir = tmp_path / "glossary"
    shutil.copytree(GLOSSARY, glossary_dir)
    locales = tmp_path / "locales"
    runner = CliRunner()
    args = ["locales", "--glossary", str(glossary_dir), "--out", str(locales)]
    assert runner.invoke(cli, args).exit_code == 0
    written = sorted(p.relative_to(locales).as_posix() for p in locales.rglob("*.*"))
    assert "es_419/LC_MESSAGES/termbank.po" in written and "pt_BR/LC_MESSAGES/termbank.mo" in written
    assert runner.invoke(cli, [*args, "--check"]).exit_code == 0

    (glossary_dir / "software" / "napari.yml").unlink()
    (locales / "xx" / "LC_MESSAGES").mkdir(parents=True)
    (locales / "xx" / "LC_MESSAGES" / "termbank.po").write_text("old")
    result = runner.invoke(cli, [*args, "--check"])
    assert result.exit_code == 1
    assert f"stale: {locales / 'es' / 'LC_MESSAGES' / 'termbank.po'}" in result.stderr
    assert f"stale: {locales / 'xx' / 'LC_MESSAGES' / 'termbank.po'}" in result.stderr
    assert runner.invoke(cli, args).exit_code == 0
    assert not (locales / "xx" / "LC_MESSAGES" / "termbank.po").exists()
    assert runner.invoke(cli, [*args, "--check"]).exit_code == 0


def test_annotate_exports_only_the_concepts_a_document_uses(db, tmp_path):
    document = tmp_path / "tutorial.md"
    document.write_text("Check the objective magnification of every file.\n", encoding="utf-8")
    out = tmp_path / "subset.tsv"
    result = CliRunner().invoke(cli, ["annotate", str(document), "--to", "es-MX", "--format",
                                      "deepl", "--out", str(out), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").splitlines() == [
        "file\tarchivo", "magnification\taumento", "objective\tobjetivo"]

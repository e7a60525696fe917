"""The CLI as a user runs it: a real process with real files."""

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "data" / "glossary"


def run(*args, cwd=None, env=None):
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "termbank", *args], capture_output=True,
                          text=True, cwd=cwd, env=full_env)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "bank.db"
    result = run("build", "--glossary", str(FIXTURE), "--db", str(path))
    assert result.returncode == 0, result.stderr
    assert "14 concepts" in result.stdout
    return path


def test_lookup_card(db):
    result = run("lookup", "PSF", "--to", "es-MX", "--to", "es-ES", "--db", str(db))
    assert result.returncode == 0
    assert "función de dispersión de punto" in result.stdout
    assert "← from es" in result.stdout and "point spread function" in result.stdout


@pytest.mark.parametrize("args, words", [
    (["equalisation of histogram"], None),
    (["numerical apperture"], "(en, fuzzy: close spelling, score 0.94)"),
    (["dispersión de punto", "--from", "es"], "(es, partial: part of a longer term, score 0.67)"),
    (["función de dispersión del punto", "--from", "es"],
     "(es, function-words: the same term with other articles or prepositions, score 0.97)"),
])
def test_lookup_card_says_how_a_looser_match_was_made(db, args, words):
    result = run("lookup", *args, "--to", "fr", "--db", str(db))
    if words is None:
        assert result.returncode == 1
    else:
        assert result.returncode == 0 and words in result.stdout, result.stdout


def test_lookup_json(db):
    result = run("lookup", "umbralizaciones", "--to", "en", "--json", "--db", str(db))
    data = json.loads(result.stdout)
    assert data[0]["concept"] == "thresholding"
    assert data[0]["translations"]["en"][0]["term"] == "thresholding"


@pytest.mark.parametrize("args, hint", [
    (("thrsholdng",), "Did you mean: thresholding?"),
    # one word of a longer term whose concept is never named by one word: offered, first
    (("región", "--from", "es"), "Did you mean: región de interés"),
])
def test_lookup_miss_exits_1_with_suggestion(db, args, hint):
    result = run("lookup", *args, "--db", str(db))
    assert result.returncode == 1 and result.stdout == ""
    assert hint in result.stderr


def test_db_from_environment(db):
    result = run("lookup", "NA", "--to", "fr", env={"TERMBANK_DB": str(db)})
    assert "ouverture numérique" in result.stdout


def test_missing_database_is_one_clear_line(tmp_path):
    result = run("lookup", "PSF", "--db", str(tmp_path / "none.db"))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"Error: {tmp_path / 'none.db'}: no bank here; build it with `termbank build` or pass --db PATH"]


def test_validate_reports_every_problem(tmp_path):
    bad = tmp_path / "g" / "optics"
    bad.mkdir(parents=True)
    (bad / "a.yml").write_text("terms: [\n", encoding="utf-8")
    (bad / "b.yml").write_text("definition: {en: x}\n", encoding="utf-8")
    result = run("validate", str(tmp_path / "g"))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert any(line.startswith(f"{bad / 'a.yml'}:2: malformed YAML") for line in lines), lines
    assert any(line.startswith(f"{bad / 'b.yml'}:1: provenance: missing") for line in lines)
    assert lines[-1].endswith("problem(s) found.")


def test_validate_good(tmp_path):
    result = run("validate", str(FIXTURE))
    assert result.returncode == 0 and "14 concepts" in result.stdout


def test_build_of_missing_folder(tmp_path):
    result = run("build", "--glossary", str(tmp_path / "nope"), "--db", str(tmp_path / "x.db"))
    assert result.returncode == 1 and "glossary folder does not exist" in result.stderr
    assert not (tmp_path / "x.db").exists()


def test_stats_json(db):
    data = json.loads(run("stats", "--json", "--db", str(db)).stdout)
    assert data["concepts"] == 14
    for key in ("terms_by_tag", "concepts_by_tag", "concepts_by_subject_field", "review_state"):
        assert isinstance(data[key], dict)


def test_search_and_tag(db):
    assert "thresholding" in run("search", "seuillage", "--db", str(db)).stdout
    result = run("tag", "es_MX")
    assert "es-MX → es-419 → es" in result.stdout


def test_lookup_includes_terms_approved_since_the_build(tmp_path):
    from termbank import Bank
    from termbank.proposals import ProposalStore

    bank = tmp_path / "bank.db"
    assert run("build", "--glossary", str(FIXTURE), "--db", str(bank)).returncode == 0
    store = ProposalStore(tmp_path / "proposals.db")
    with Bank(bank) as opened:
        proposal = store.submit(concept="pixel", tag="es-AR", term="punto de imagen", bank=opened)
    store.decide(proposal.id, "approved", "ana")
    store.close()
    data = json.loads(run("lookup", "pixel", "--to", "es-AR", "--json", "--db", str(bank)).stdout)
    first = data[0]["translations"]["es-AR"][0]
    assert (first["term"], first["tag"], first["review"]) == ("punto de imagen", "es-AR", "reviewed")


def test_search_without_a_hit_says_so_and_exits_1(db):
    result = run("search", "zzzzqqq", "--db", str(db))
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.startswith("Nothing found for 'zzzzqqq'")
    assert len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize("args", [
    ["export", "po", "--to", "es-MX", "-o", "/proc/nope/x", "--db", "{db}"],
    ["export", "tbx", "-o", "/dev/null/x.tbx", "--db", "{db}"],
    ["annotate", "{doc}", "--from", "en", "--to", "es", "--format", "csv", "--out",
     "/proc/nope/x", "--db", "{db}"],
    ["build", "--glossary", str(FIXTURE), "--db", "/proc/nope/bank.db"],
    ["locales", "--glossary", str(FIXTURE), "--out", "/proc/nope"],
])
def test_every_oserror_is_one_line_and_exit_1(db, tmp_path, args):
    document = tmp_path / "doc.txt"
    document.write_text("The objective of the microscope.\n", encoding="utf-8")
    args = [a.replace("{db}", str(db)).replace("{doc}", str(document)) for a in args]
    result = run(*args)
    assert result.returncode == 1, result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith("Error: /"), result.stderr
    assert "Traceback" not in result.stderr


def test_export_old_option_names_work_for_one_release(db):
    new = run("export", "deepl", "--to", "es-ES", "--from", "en", "--db", str(db))
    old = run("export", "deepl", "--lang", "es-ES", "--source", "en", "--db", str(db))
    assert new.returncode == old.returncode == 0
    assert old.stdout == new.stdout and "file\tfichero" in new.stdout
    assert old.stderr.splitlines()[:2] == [
        "Deprecated: --lang is now --to; --lang goes away in the next release.",
        "Deprecated: --source is now --from; --source goes away in the next release."]
    assert "Deprecated" not in new.stderr
    both = run("export", "tsv", "--to", "es-ES", "--lang", "fr", "--db", str(db))
    assert both.returncode == 0 and "\tfr\t" in both.stdout and "\tes-ES\t" in both.stdout
    clash = run("export", "tsv", "--from", "en", "--source", "fr", "--db", str(db))
    assert clash.returncode == 2 and "--source and --from disagree" in clash.stderr
    assert "--lang" not in run("export", "--help").stdout


def test_annotate_answers_several_dialects(db, tmp_path):
    document = tmp_path / "doc.txt"
    document.write_text("Open the file.\n", encoding="utf-8")
    one = run("annotate", str(document), "--from", "en", "--to", "es-ES", "--db", str(db))
    two = run("annotate", str(document), "--from", "en", "--to", "es-ES", "--to", "pt-PT",
              "--db", str(db))
    assert one.stdout.splitlines() == ["1:9-13\tfile\timage-file\t→ fichero"]
    assert two.stdout.splitlines() == [
        "1:9-13\tfile\timage-file\t→ es-ES: fichero; pt-PT: ficheiro"]
    missing = run("annotate", str(document), "--from", "en", "--db", str(db))
    assert missing.returncode == 2 and "Missing option '--to'" in missing.stderr


def test_commands_load_from_the_modules_the_map_names():
    from termbank import cli as cli_module

    for module in set(cli_module.COMMAND_MODULES.values()):
        group = click.Group()
        importlib.import_module(f"termbank.{module}").register(group)
        expected = {n for n, m in cli_module.COMMAND_MODULES.items() if m == module}
        assert set(group.commands) == expected


def test_lookup_imports_only_what_it_uses(db):
    script = ("import sys; from termbank.cli import cli; sys.argv = ['termbank', 'lookup', 'PSF', "
              f"'--to', 'es', '--db', {str(db)!r}]\n"
              "try:\n    cli()\nexcept SystemExit:\n    pass\n"
              "heavy = {'sqlite_utils', 'datasette', 'termbank.build', 'termbank.exporting', "
              "'termbank.formats', 'yaml'} & set(sys.modules)\n"
              "print(sorted(heavy))")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stdout + result.stderr

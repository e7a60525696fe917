"""Checking translations (PO and TMX) against the fixture bank."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from termbank.check import Checker, Finding, translations_in
from termbank.errors import SourceError, TermbankError
from termbank.formats import FORMATS, for_file
from termbank.formats.pairs import Pair

CATALOGS = Path(__file__).parent / "data" / "catalogs"


def pairs_of(path: Path, source: str = "en", target: str = "es-MX") -> list[Pair]:
    return list(translations_in(path, for_file(path, "pairs"), source, target))


def kinds(bank, tag, *pairs):
    checker = Checker(bank, tag)
    return [(f.kind, f.source_term, f.found, f.expected)
            for f in checker.check("x.po", [Pair(i + 1, s, t) for i, (s, t) in enumerate(pairs)])]


@pytest.mark.parametrize("source, target, expected", [
    ("Measure the PSF", "Medir la función de dispersión de punto", []),
    ("Measure the PSF", "Medir la PSF", []),                                    # admitted term
    ("Two pixels", "Dos pixeles", []),                                          # es-419 own term, plural
    ("Set the magnification", "Ajustar la magnificación",
     [("deprecated-term", "magnification", "magnificación", "aumento")]),
    ("Open the file", "Abrir el fichero", [("missing-term", "file", "fichero", "archivo")]),
    ("Open in Fiji", "Abrir en Fiyi", [("translated-name", "Fiji", None, "Fiji")]),
    ("Segmentation", "Segmentation", [("untranslated", None, "Segmentation", None)]),
    ("Fiji", "Fiji", []),                                                       # a name stays
])
def test_pairs_in_mexican_spanish(bank, source, target, expected):
    assert kinds(bank, "es-MX", (source, target)) == expected


def test_dialect_matters(bank):
    assert kinds(bank, "es-ES", ("Open the file", "Abrir el fichero")) == []
    assert kinds(bank, "pt-PT", ("Open the file", "Abrir o arquivo"))[0][3] == "ficheiro"


def test_po_respects_fuzzy_plural_and_lines():
    pairs = pairs_of(CATALOGS / "es_MX.po")
    assert "Nada" not in [p.target for p in pairs]                 # fuzzy entry skipped
    assert [p.target for p in pairs if p.line == 29] == ["Un pixel", "%d píxeles"]


def test_tmx_pairs_carry_lines(bank):
    pairs = pairs_of(CATALOGS / "es_MX.tmx")
    assert [p.line for p in pairs] == [8, 12]
    found = Checker(bank, "es-MX").check("t.tmx", pairs)
    assert [(f.line, f.kind) for f in found] == [(8, "deprecated-term")]


def test_tmx_reader_prefers_the_exact_dialect_and_drops_inline_codes(tmp_path):
    memory = tmp_path / "m.tmx"
    memory.write_text(
        '<?xml version="1.0"?>\n<tmx version="1.4"><header/><body>\n'
        '<tu><tuv xml:lang="EN-us"><seg>Open the <bpt i="1">&lt;b&gt;</bpt>file'
        '<ept i="1">&lt;/b&gt;</ept></seg></tuv>\n'
        '<tuv xml:lang="es-ES"><seg>Abrir el fichero</seg></tuv>\n'
        '<tuv xml:lang="es_MX"><seg>Abrir el <ph x="1">{0}</ph>archivo</seg></tuv></tu>\n'
        '<tu><tuv xml:lang="en"><seg>Only English</seg></tuv></tu>\n'
        "</body></tmx>\n", encoding="utf-8")
    assert pairs_of(memory) == [Pair(5, "Open the file", "Abrir el archivo")]
    assert pairs_of(memory, target="es-AR") == [Pair(4, "Open the file", "Abrir el fichero")]


def test_the_registry_chooses_the_reader(tmp_path):
    assert for_file(CATALOGS / "es_MX.po", "pairs") is FORMATS["po"]
    assert for_file(CATALOGS / "es_MX.tmx", "pairs") is FORMATS["tmx"]
    assert for_file(tmp_path / "memory.xml", "pairs", "tmx") is FORMATS["tmx"]
    with pytest.raises(TermbankError, match="pass --format"):
        for_file(tmp_path / "memory.xml", "pairs")
    with pytest.raises(TermbankError, match="csv files cannot be checked"):
        for_file(tmp_path / "terms.csv", "pairs", "csv")


@pytest.mark.parametrize("name, text, message", [
    ("bad.tmx", "<tmx><body><tu></body></tmx>", r"bad.tmx:1: malformed TMX"),
    ("root.tmx", "<xliff/>", r"root.tmx:1: not a TMX file: the root element is <xliff>"),
    ("lang.tmx", '<tmx><body><tu>\n<tuv xml:lang="xx-??"><seg>a</seg></tuv></tu></body></tmx>',
     r"lang.tmx:2: xml:lang: 'xx-\?\?' is not a language tag"),
    ("nolang.tmx", "<tmx><body><tu><tuv><seg>a</seg></tuv></tu></body></tmx>",
     r"nolang.tmx:1: xml:lang: missing on <tuv>"),
    ("bad.po", 'msgid "a"\nmsgstr "b"\nfoo bar\n', r"bad.po:3: not a readable PO file"),
])
def test_malformed_inputs_name_file_and_line(tmp_path, name, text, message):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError, match=message):
        pairs_of(path)


def test_findings_read_as_sentences():
    untranslated = Finding("a.po", 3, "untranslated", None, "Segmentation", None)
    assert str(untranslated) == "a.po:3: untranslated: 'Segmentation' is still in the source language"
    assert "translated as" not in str(untranslated)
    name = Finding("a.po", 4, "translated-name", "Fiji", None, "Fiji", "fiji")
    assert str(name) == "a.po:4: translated-name: 'Fiji' is a name kept as it is; " \
                        "the translation should have 'Fiji'"
    deprecated = Finding("a.po", 5, "deprecated-term", "magnification", "magnificación",
                         "aumento")
    assert str(deprecated) == ("a.po:5: deprecated-term: 'magnification' translated as "
                               "'magnificación'; use 'aumento'")


def run_check(*args):
    return subprocess.run([sys.executable, "-m", "termbank", "check", *args],
                          capture_output=True, text=True)


def test_cli_json_and_exit_status(bank_path):
    result = run_check(str(CATALOGS / "es_MX.po"), "--to", "es-MX", "--json", "--db",
                       str(bank_path))
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert {d["kind"] for d in data} == {"deprecated-term", "missing-term", "translated-name",
                                         "untranslated"}
    assert all(set(d) >= {"line", "kind", "source_term", "found", "expected"} for d in data)
    assert result.stderr == ""


def test_cli_text_has_no_untranslated_translated_as(bank_path):
    result = run_check(str(CATALOGS / "es_MX.po"), "--to", "es-MX", "--db", str(bank_path))
    assert result.returncode == 1
    untranslated = [line for line in result.stdout.splitlines() if ": untranslated: " in line]
    assert untranslated and all("translated as" not in line for line in untranslated)


def test_cli_old_lang_option_still_works_with_a_deprecation_line(bank_path):
    new = run_check(str(CATALOGS / "es_MX.po"), "--to", "es-MX", "--json", "--db", str(bank_path))
    old = run_check(str(CATALOGS / "es_MX.po"), "--lang", "es-MX", "--json", "--db",
                    str(bank_path))
    assert old.returncode == new.returncode == 1 and old.stdout == new.stdout
    assert old.stderr == "Deprecated: --lang is now --to; --lang goes away in the next release.\n"
    assert "--lang" not in run_check("--help").stdout     # hidden from help


def test_cli_needs_a_target_and_a_known_format(bank_path, tmp_path):
    result = run_check(str(CATALOGS / "es_MX.po"), "--db", str(bank_path))
    assert result.returncode == 2 and "Missing option '--to'" in result.stderr
    memory = tmp_path / "memory.xml"
    memory.write_bytes((CATALOGS / "es_MX.tmx").read_bytes())
    result = run_check(str(memory), "--to", "es-MX", "--db", str(bank_path))
    assert result.returncode == 1 and "pass --format" in result.stderr
    result = run_check(str(memory), "--to", "es-MX", "--format", "tmx", "--db", str(bank_path))
    assert result.returncode == 1 and "deprecated-term" in result.stdout

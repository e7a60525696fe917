"""Checking translations (PO and TMX) against the fixture bank."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from termbank.check import Checker, Pair, po_pairs, tmx_pairs
from termbank.errors import SourceError

CATALOGS = Path(__file__).parent / "data" / "catalogs"


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
    pairs = list(po_pairs(CATALOGS / "es_MX.po"))
    assert "Nada" not in [p.target for p in pairs]                 # fuzzy entry skipped
    assert [p.target for p in pairs if p.line == 29] == ["Un pixel", "%d píxeles"]


def test_tmx_pairs_carry_lines(bank):
    pairs = list(tmx_pairs(CATALOGS / "es_MX.tmx", "en", "es-MX"))
    assert [p.line for p in pairs] == [8, 12]
    found = Checker(bank, "es-MX").check("t.tmx", pairs)
    assert [(f.line, f.kind) for f in found] == [(8, "deprecated-term")]


def test_malformed_inputs(tmp_path):
    bad = tmp_path / "bad.tmx"
    bad.write_text("<tmx><body><tu></body></tmx>", encoding="utf-8")
    with pytest.raises(SourceError, match=r"bad.tmx:1: malformed TMX"):
        list(tmx_pairs(bad, "en", "es"))
    po = tmp_path / "bad.po"
    po.write_text('msgid "a"\nmsgstr "b"\nfoo bar\n', encoding="utf-8")
    with pytest.raises(SourceError, match=r"bad.po:3: not a readable PO file"):
        list(po_pairs(po))


def test_cli_json_and_exit_status(bank_path):
    result = subprocess.run([sys.executable, "-m", "termbank", "check", str(CATALOGS / "es_MX.po"),
                             "--lang", "es-MX", "--json", "--db", str(bank_path)],
                            capture_output=True, text=True)
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert {d["kind"] for d in data} == {"deprecated-term", "missing-term", "translated-name",
                                         "untranslated"}
    assert all(set(d) >= {"line", "kind", "source_term", "found", "expected"} for d in data)

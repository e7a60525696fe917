"""Plural-Forms headers come from our own table and give the same bytes in any process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from termbank.plurals import ONE_ONLY, ZERO_AND_ONE, plural_forms

GLOSSARY = Path(__file__).parent / "data" / "glossary"


@pytest.mark.parametrize(("tag", "rule"), [
    ("es", ONE_ONLY), ("es-MX", ONE_ONLY), ("es-419", ONE_ONLY), ("en", ONE_ONLY),
    ("pt", ONE_ONLY), ("pt-PT", ONE_ONLY), ("pt-BR", ZERO_AND_ONE),
    ("fr", ZERO_AND_ONE), ("fr-CA", ZERO_AND_ONE), ("it", ONE_ONLY),
])
def test_rule_is_the_most_specific_on_the_chain(tag, rule):
    assert plural_forms(tag) == rule


def test_a_language_outside_the_table_takes_babels_rule():
    assert plural_forms("ar").startswith("nplurals=6;")


def _render(out: Path, seed: str) -> dict[str, bytes]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    subprocess.run([sys.executable, "-m", "termbank", "locales", "--glossary", str(GLOSSARY),
                    "--out", str(out)], check=True, capture_output=True, env=env)
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*.[pm]o"))}


def test_catalogues_have_the_same_bytes_in_two_processes(tmp_path):
    first = _render(tmp_path / "a", "1")
    second = _render(tmp_path / "b", "2")
    assert len(first) >= 4
    assert first == second
    headers = {name: data for name, data in first.items() if name.endswith(".po")}
    for name, data in headers.items():
        tag = name.split("/")[0].replace("_", "-")
        assert f"Plural-Forms: {plural_forms(tag)}\\n".encode() in data, name

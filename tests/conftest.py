"""Shared fixtures: a small fixture glossary built into a real SQLite bank."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from termbank import Bank, build

DATA = Path(__file__).parent / "data"
FIXTURE_GLOSSARY = DATA / "glossary"
SHARED_TBX_RNG = (Path(__file__).resolve().parents[2] / "shared" / "reference" / "tbx-basic"
                  / "TBX-Basic_integrated.rng")


@pytest.fixture(scope="session")
def bank_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("bank") / "termbank.db"
    build(FIXTURE_GLOSSARY, path)
    return path


@pytest.fixture
def bank(bank_path):
    with Bank(bank_path) as opened:
        yield opened


@pytest.fixture
def glossary_copy(tmp_path) -> Path:
    """A writable copy of the fixture glossary, for tests that break or change files."""
    target = tmp_path / "glossary"
    shutil.copytree(FIXTURE_GLOSSARY, target)
    return target


@pytest.fixture(scope="session")
def tbx_rng() -> Path:
    """The TBX-Basic schema (the dialect's valid example lies beside it).

    The schema is an oracle we do not ship: it is read from $TERMBANK_TBX_RNG, else from
    ../shared beside the clone. Named but missing, or missing under CI (which sets it), the
    test fails; on a developer's clone that has neither, it is skipped with that reason.
    """
    named = os.environ.get("TERMBANK_TBX_RNG")
    path = Path(named) if named else SHARED_TBX_RNG
    if named or os.environ.get("CI"):
        assert path.is_file(), f"TBX-Basic schema not found at {path}: set TERMBANK_TBX_RNG"
    elif not path.is_file():
        pytest.skip("oracle missing: the TBX-Basic RELAX NG schema (TBX-Basic_integrated.rng); "
                    "set TERMBANK_TBX_RNG to its path to run this test")
    return path


@pytest.fixture(scope="session")
def tbx_reference(tbx_rng) -> Path:
    """The folder of the schema: the dialect's valid example lies beside it."""
    return tbx_rng.parent


@pytest.fixture(scope="session")
def tbx_schema(tbx_rng):
    from lxml import etree

    return etree.RelaxNG(etree.parse(str(tbx_rng)))


@pytest.fixture(autouse=True)
def _export_cache_in_the_test_folder(tmp_path_factory, monkeypatch):
    """Downloads made by tests are cached under pytest's folder, not the user's cache."""
    monkeypatch.setenv("TERMBANK_EXPORT_CACHE",
                       str(tmp_path_factory.getbasetemp() / "export-cache"))

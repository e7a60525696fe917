"""Shared fixtures: a small fixture glossary built into a real SQLite bank."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from termbank import Bank, build

DATA = Path(__file__).parent / "data"
FIXTURE_GLOSSARY = DATA / "glossary"


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

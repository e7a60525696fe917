"""Fixtures for the format tests: the export fixture glossary as a snapshot and as a bank."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from termbank import Bank, build, read_glossary
from termbank.exporting import ExportOptions
from termbank.formats import FORMATS
from termbank.model import Glossary

EXPORTS = Path(__file__).resolve().parent.parent / "data" / "exports"
GLOSSARY = EXPORTS / "glossary"


@pytest.fixture(scope="session")
def glossary() -> Glossary:
    """Homonyms, dialects side by side, right-to-left scripts, a combining accent,
    reviewed terms, deprecated and forbidden forms, a do-not-translate name."""
    return Glossary.of(read_glossary(GLOSSARY))


@pytest.fixture(scope="session")
def export_bank(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("exports") / "termbank.db"
    build(GLOSSARY, path)
    return path


@pytest.fixture
def render():
    """Run a format's writer into memory: render("po", glossary, targets=("es-MX",))."""
    def run(name: str, glossary: Glossary, **options) -> bytes:
        buffer = io.BytesIO()
        FORMATS[name].write(buffer, glossary, ExportOptions(**options))
        return buffer.getvalue()
    return run


@pytest.fixture(scope="session")
def gettext_tools() -> dict[str, str]:
    """GNU gettext's programs, the independent oracle for PO and MO; missing ones fail."""
    tools = {name: shutil.which(name) for name in ("msgfmt", "msgunfmt", "msgmerge")}
    missing = [n for n, p in tools.items() if p is None]
    assert not missing, f"install Debian's gettext package (missing {', '.join(missing)})"
    return tools  # type: ignore[return-value]


@pytest.fixture(scope="session")
def bank_snapshot(export_bank) -> Glossary:
    """The same glossary, streamed from the built SQLite bank as the CLI exports it."""
    with Bank(export_bank) as bank:
        yield bank.glossary()

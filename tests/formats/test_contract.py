"""The contract every format keeps, checked on every registered format at once.

Same bank, same bytes; the streamed bank and the YAML snapshot agree; an
empty bank gives a valid empty file or a clear refusal that writes nothing;
Unicode (a combining accent, right-to-left scripts) survives; dialects stay
apart; readers round-trip and name the file and line of malformed input.
"""

from __future__ import annotations

import gettext
import io
import zipfile
from pathlib import Path

import pytest

from termbank.bank import Bank
from termbank.build import write_bank
from termbank.errors import SourceError, TermbankError
from termbank.exporting import ExportOptions, export
from termbank.formats import FORMATS
from termbank.model import Glossary

ALL = list(FORMATS)
READABLE = [name for name, fmt in FORMATS.items() if fmt.read]
MALFORMED = Path(__file__).resolve().parent.parent / "data" / "exports" / "malformed"
# TBX requires at least one concept; MT services have no use for an empty glossary.
REFUSE_EMPTY = {"tbx", "tbx2008", "deepl", "google", "google-sets", "aws", "azure"}


def options_for(name: str, *targets: str) -> dict:
    fmt = FORMATS[name]
    if targets:
        return {"targets": targets}
    return {"targets": ("es-MX",)} if fmt.bilingual else {}


def text_of(name: str, data: bytes) -> str:
    """The readable text of an export, whatever its container."""
    if name == "azure":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "\n".join(archive.read(n).decode() for n in archive.namelist())
    if name == "mo":
        catalogue = gettext.GNUTranslations(io.BytesIO(data))
        return "\n".join(f"{k}\t{v}" for k, v in catalogue._catalog.items())
    return data.decode("utf-8-sig")


@pytest.mark.parametrize("name", ALL)
def test_same_bank_same_bytes(render, glossary, name):
    assert render(name, glossary, **options_for(name)) == render(name, glossary, **options_for(name))


@pytest.mark.parametrize("name", ALL)
def test_streamed_bank_and_yaml_snapshot_give_the_same_bytes(render, glossary, bank_snapshot, name):
    assert render(name, bank_snapshot, **options_for(name)) == render(name, glossary,
                                                                       **options_for(name))


@pytest.mark.parametrize("name", ALL)
def test_empty_bank(render, name, tmp_path):
    empty = Glossary.of([])
    target = tmp_path / f"empty.{FORMATS[name].extension}"
    options = ExportOptions(**options_for(name))
    if name in REFUSE_EMPTY:
        with pytest.raises(TermbankError):
            export(FORMATS[name], empty, options, target)
        assert list(tmp_path.iterdir()) == []
    else:
        export(FORMATS[name], empty, options, target)
        assert target.stat().st_size > 0


@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize("tag, term", [("ar", "عدسة شيئية"), ("he", "פיקסל")])
def test_right_to_left_scripts_survive(render, glossary, name, tag, term):
    assert term in text_of(name, render(name, glossary, targets=(tag,)))


@pytest.mark.parametrize("name", ALL)
def test_combining_accent_is_kept_as_written(render, glossary, name):
    decomposed = "ca\u0301mara"  # "cámara" as a plain a and a combining acute accent
    assert decomposed in text_of(name, render(name, glossary, targets=("es",)))


@pytest.mark.parametrize("name", ALL)
def test_dialects_stay_apart(render, glossary, name):
    """es-ES records "fichero" for a file (admitted: the general "archivo" may follow it);
    es-MX falls back to the general "archivo" alone."""
    if FORMATS[name].bilingual:
        spain = text_of(name, render(name, glossary, targets=("es-ES",)))
        mexico = text_of(name, render(name, glossary, targets=("es-MX",)))
        assert "fichero" in spain
        assert "archivo" in mexico and "fichero" not in mexico
    elif name == "google-sets":  # Google has one code, "es", for both
        with pytest.raises(TermbankError, match="separate"):
            render(name, glossary, targets=("es-ES", "es-MX"))
    else:
        text = text_of(name, render(name, glossary, targets=("es-ES", "es-MX")))
        assert "fichero" in text and "archivo" in text


@pytest.mark.parametrize("name", READABLE)
def test_round_trip_through_an_empty_bank(render, glossary, name, tmp_path):
    """Export, read back, write a new bank from what was read, export again: same bytes."""
    options = options_for(name)
    first = render(name, glossary, **options)
    concepts = list(FORMATS[name].read(io.BytesIO(first), name=f"first.{name}"))
    write_bank(concepts, tmp_path / "again.db")
    with Bank(tmp_path / "again.db") as bank:
        assert render(name, bank.glossary(), **options) == first


@pytest.mark.parametrize("name, file, line", [
    ("po", "syntax.po", 7), ("po", "language.po", 4), ("po", "plural.po", 8),
    ("po", "padded.po", 5),
    ("tbx", "broken.tbx", 7), ("tbx", "language.tbx", 7), ("tbx", "no-term.tbx", 7),
    ("tbx", "status.tbx", 9), ("tbx", "root.tbx", 2),
    ("csv", "tag.csv", 3), ("csv", "status.csv", 3), ("csv", "column.csv", 1),
    ("csv", "conflict.csv", 3), ("csv", "latin1.csv", 3), ("csv", "quote.csv", 2),
    ("tsv", "tag.tsv", 3),
])
def test_malformed_input_names_file_and_line(name, file, line):
    path = MALFORMED / file
    with open(path, "rb") as fp, pytest.raises(SourceError) as caught:
        list(FORMATS[name].read(fp, name=str(path)))
    problem = caught.value.problems[0]
    assert (problem.path, problem.line) == (str(path), line), str(caught.value)


def test_every_readable_format_has_malformed_cases():
    covered = {p.suffix.lstrip(".") for p in MALFORMED.iterdir()}
    assert set(READABLE) <= covered


def test_a_failed_export_leaves_the_previous_file(glossary, tmp_path):
    target = tmp_path / "out.po"
    target.write_bytes(b"previous")
    with pytest.raises(TermbankError, match="one target language"):
        export(FORMATS["po"], glossary, ExportOptions(), target)
    assert target.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["out.po"]


PEAK_MEMORY = """
import resource, sys
from termbank.exporting import ExportOptions
from termbank.formats import FORMATS
from termbank.model import Concept, Glossary, Term

class Discard:
    def write(self, data):
        return len(data)

def concepts(n):
    for i in range(n):
        terms = (Term(f"term {i}", "en", "preferred"), Term(f"término {i}", "es", "preferred"),
                 Term(f"terme {i}", "fr", "admitted"))
        yield Concept(f"c{i:07d}", "optics", terms, {"en": "A definition. " * 8})

def glossary(n):
    return Glossary(lambda: concepts(n), ("en", "es", "fr"), n)

write = FORMATS[sys.argv[1]].write
write(Discard(), glossary(50), ExportOptions())       # warm up: imports, caches
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
write(Discard(), glossary(int(sys.argv[2])), ExportOptions())
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)
"""


@pytest.mark.parametrize("name", ["tbx", "tmx"])
def test_xml_writers_stream_memory_stays_flat(name):
    """10,000 concepts generated one at a time: the writer must not hold them (as a tree
    would, tens of megabytes here); peak RSS is measured in a fresh process."""
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-c", PEAK_MEMORY, name, "10000"],
                            capture_output=True, text=True, check=True)
    grown_kb = int(result.stdout)
    assert grown_kb < 4096, f"{name}: peak memory grew by {grown_kb} KB over 10,000 concepts"

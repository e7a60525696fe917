"""Validation of glossary files: every problem named by file, line and field."""

from pathlib import Path

import pytest

from termbank.errors import SourceError
from termbank.source import read_concept, read_glossary

GOOD = """\
definition:
  en: A test concept.
provenance:
  origin: ai-draft
  review: draft
terms:
  en:
  - term: test concept
    status: preferred
  es:
  - term: concepto de prueba
    status: preferred
    gender: masculine
"""


def write(root: Path, text: str | bytes, name: str = "optics/test-concept.yml") -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(SourceError) as info:
        read_concept(path)
    return [str(p) for p in info.value.problems]


def test_good_file_reads_into_the_model(tmp_path):
    concept = read_concept(write(tmp_path, GOOD))
    assert concept.id == "test-concept" and concept.subject_field == "optics"
    assert [t.text for t in concept.terms] == ["test concept", "concepto de prueba"]
    assert concept.terms[1].gender == "masculine" and concept.terms[1].line == 11
    assert concept.terms[0].provenance.review == "draft"
    assert concept.terms[0].reliability == 1


@pytest.mark.parametrize("old, new, line, field, message", [
    ("  es:\n", "  es_XX:\n", 10, "terms.es_XX", "not a language or region known to CLDR"),
    ("    status: preferred\n    gender", "    status: preferred\n    gendr", 13, "terms.es[0].gendr",
     "unknown key"),
    ("  - term: concepto de prueba\n", "  - term: ' concepto'\n", 11, "terms.es[0].term",
     "leading or trailing whitespace"),
    ("  - term: concepto de prueba\n", "  - term: ''\n", 11, "terms.es[0].term", "is empty"),
    ("  - term: concepto de prueba\n", "  - term: \"con\\x07cepto\"\n", 11, "terms.es[0].term",
     "control character U+0007"),
    ("  - term: concepto de prueba\n", "  - term: NO\n", 11, "terms.es[0].term", "put it in quotes"),
    ("  - term: concepto de prueba\n", "  - term: " + "x" * 201 + "\n", 11, "terms.es[0].term",
     "the limit is 200"),
    ("    gender: masculine\n", "    gender: masculine\n  - term: otro\n    status: preferred\n",
     10, "terms.es", "more than one preferred term"),
    ("    gender: masculine\n", "    gender: masculine\n  - term: Concepto de prueba\n",
     10, "terms.es", "listed twice"),
    ("  en: A test concept.\n", "  es: Un concepto.\n", 1, "definition", "missing the English definition"),
    ("    status: preferred\n  es:", "    status: admitted\n  es:", 7, "terms.en",
     "missing the English preferred term"),
    ("provenance:\n  origin: ai-draft\n  review: draft\n", "", 1, "provenance", "missing"),
    ("  review: draft\n", "  review: reviewed\n", 5, "provenance.review", "needs reviewers"),
    ("    gender: masculine\n", "    gender: masculine\n  - term: viejo\n    status: deprecated\n",
     14, "terms.es[1].reason", "must say why"),
    ("    gender: masculine\n", "    gender: male\n", 13, "terms.es[0].gender", "not one of"),
    ("definition:\n", "related: [test-concept]\ndefinition:\n", 1, "related", "related to itself"),
    ("  review: draft\n", "  review: draft\n  review: draft\n", 6, "provenance.review", "key given twice"),
])
def test_each_problem_names_line_and_field(tmp_path, old, new, line, field, message):
    assert old in GOOD
    found = problems_of(write(tmp_path, GOOD.replace(old, new, 1)))
    expected = f"{tmp_path / 'optics/test-concept.yml'}:{line}: {field}: "
    assert any(p.startswith(expected) and message in p for p in found), found


def test_all_problems_are_reported_not_just_the_first(tmp_path):
    text = GOOD.replace("  es:\n", "  es_XX:\n").replace("origin: ai-draft", "origin: ''")
    assert len(problems_of(write(tmp_path, text))) == 2


@pytest.mark.parametrize("raw, message", [
    (b"definition:\n  en: caf\xe9\n", "not valid UTF-8"),
    (b"definition: [unclosed\n", "malformed YAML"),
    (b"terms:\n  en:\n  - term: x\n   status: y\n", "malformed YAML"),
])
def test_unreadable_files(tmp_path, raw, message):
    found = problems_of(write(tmp_path, raw))
    assert message in found[0] and ":" in found[0]


def test_utf8_bom_is_accepted(tmp_path):
    assert read_concept(write(tmp_path, b"\xef\xbb\xbf" + GOOD.encode())).id == "test-concept"


def test_tag_spellings_are_normalised_and_duplicates_caught(tmp_path):
    concept = read_concept(write(tmp_path, GOOD.replace("  es:\n", "  es_mx:\n")))
    assert concept.terms[1].tag == "es-MX"
    twice = GOOD + "  es-MX:\n  - term: otro\n"
    found = problems_of(write(tmp_path, twice.replace("  es:\n", "  es_MX:\n")))
    assert any("given twice" in p for p in found)


@pytest.mark.parametrize("name, message", [
    ("lenses/test-concept.yml", "is not a subject field"),
    ("optics/Test_Concept.yml", "is not a concept id"),
])
def test_path_gives_field_and_id(tmp_path, name, message):
    assert any(message in p for p in problems_of(write(tmp_path, GOOD, name)))


def test_glossary_level_checks(tmp_path):
    write(tmp_path, GOOD, "optics/test-concept.yml")
    write(tmp_path, GOOD, "software/test-concept.yml")
    write(tmp_path, GOOD.replace("definition:", "related: [nowhere]\ndefinition:"), "optics/other.yml")
    with pytest.raises(SourceError) as info:
        read_glossary(tmp_path)
    text = str(info.value)
    assert "concept id 'test-concept' also used by" in text
    assert f"{tmp_path / 'optics/other.yml'}:1: related[0]: no concept 'nowhere'" in text


def test_missing_folder(tmp_path):
    with pytest.raises(SourceError, match="glossary folder does not exist"):
        read_glossary(tmp_path / "nope")


def _bomb(levels: int = 9) -> str:
    """A concept file with nested aliases: about 1 KB that would expand to 10**9 strings."""
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]" for i in range(1, levels + 1)]
    return GOOD + "\n".join(lines) + "\n"


@pytest.mark.parametrize("text, line, message", [
    (GOOD.replace("en: A test", "en: &d A test") + "notes:\n  en: *d\n", 2, "anchors and aliases"),
    (GOOD + "notes: &n\n  en: x\n", 14, "anchors and aliases"),
    (GOOD + "# padding\n" * 30_000, None, "more than a glossary file may hold"),
])
def test_aliases_and_oversized_files_are_refused_before_parsing(tmp_path, text, line, message):
    [problem] = problems_of(write(tmp_path, text))
    where = "optics/test-concept.yml" + (f":{line}:" if line else ":")
    assert where in problem and message in problem


@pytest.mark.parametrize("command", ["validate", "build"])
def test_an_alias_bomb_fails_fast_within_a_small_memory_limit(tmp_path, command):
    """Issue 16, Medium 9: 1 KB of aliases once took `validate` to 15.9 GB. Run under
    RLIMIT_AS 1 GB in a child, it must end at once with the file:line error."""
    import subprocess
    import sys
    import time

    glossary = tmp_path / "glossary"
    write(glossary, GOOD, "optics/test-concept.yml")
    bomb = write(glossary, _bomb().replace("test concept", "bomb concept"), "optics/bomb.yml")
    assert len(bomb.read_bytes()) < 1500
    args = [str(glossary)] if command == "validate" else [
        "--glossary", str(glossary), "--db", str(tmp_path / "bank.db"), "--quiet"]
    script = ("import resource, sys\nresource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
              "from termbank.cli import cli\nsys.argv[0] = 'termbank'\ncli()\n")
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", script, command, *args], capture_output=True,
                          text=True, timeout=120)
    elapsed = time.monotonic() - started
    assert done.returncode == 1, done.stderr
    assert f"{bomb}:14: YAML anchors and aliases" in done.stderr
    assert "Traceback" not in done.stderr and elapsed < 30
    assert not (tmp_path / "bank.db").exists()

"""Annotation of running text on the fixture bank, measured against hand-marked spans."""

import csv
import gc
import io
import itertools
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from termbank.annotate import Entry, TermIndex
from termbank.documents import visible_text
from termbank.inflection import singular_word

TEXTS = Path(__file__).parent / "data" / "texts"


def marked(text: str) -> tuple[str, set[tuple[int, int]]]:
    """Strip [[...]] marks; return the plain text and the marked spans' offsets."""
    plain, spans, last = [], set(), 0
    for m in re.finditer(r"\[\[(.+?)\]\]", text):
        plain.append(text[last:m.start()])
        start = sum(len(p) for p in plain)
        plain.append(m.group(1))
        spans.add((start, start + len(m.group(1))))
        last = m.end()
    plain.append(text[last:])
    return "".join(plain), spans


@pytest.fixture
def english(bank):
    return TermIndex.from_bank(bank, "en")


def test_precision_and_recall_on_a_marked_tutorial(english, capsys):
    text, expected = marked((TEXTS / "tutorial.en.md").read_text(encoding="utf-8"))
    assert len(text.split()) >= 300 and len(expected) >= 40
    found = {(o.start, o.end) for o in english.find(text)}
    true = len(found & expected)
    precision, recall = true / len(found), true / len(expected)
    with capsys.disabled():
        print(f"\nannotation: {len(expected)} marked, {len(found)} found, "
              f"precision {precision:.3f}, recall {recall:.3f}")
    assert precision >= 0.95 and recall >= 0.95, (sorted(found - expected), sorted(expected - found))


@pytest.mark.parametrize("text, spans", [
    ("an objective lens here", ["objective lens"]),          # longest match first
    ("two Z stacks and a z-stack", ["Z stacks", "z-stack"]),   # hyphen and space variants
    ("pixelated images", []),                                 # never inside a word
    ("the NA of the na column", ["NA"]),                      # case-sensitive acronym
    ("ROIs and the ROI's outline", ["ROIs", "ROI's"]),
    ("the point spread\nfunction", ["point spread\nfunction"]),
    ("point spread. Function", []),                           # not across a sentence
])
def test_matching_rules(english, text, spans):
    assert [o.text for o in english.find(text)] == spans


def test_lines_and_offsets_point_into_the_file(english):
    text = "first line\nthe PSF and\n  a camera"
    found = english.find(text)
    assert [(o.line, text[o.start:o.end]) for o in found] == [(2, "PSF"), (3, "camera")]


def test_spanish_text_is_inflection_aware(bank):
    found = TermIndex.from_bank(bank, "es").find("Las funciones de dispersión de punto y los píxeles")
    assert [o.concept for o in found] == ["point-spread-function", "pixel"]


def test_html_markup_is_blanked_with_offsets_kept():
    html = '<p class="pixel">A <b>camera</b><!-- pixel --><script>pixel()</script></p>'
    shown = visible_text(html, "html")
    assert len(shown) == len(html)
    assert "pixel" not in shown and shown[html.index("camera"):].startswith("camera")


def test_po_only_msgids_are_read():
    po = 'msgid ""\nmsgstr ""\n\nmsgctxt "pixel"\nmsgid "Open camera"\nmsgstr "Abrir cámara pixel"\n'
    shown = visible_text(po, "po")
    assert len(shown) == len(po)
    assert "camera" in shown and "pixel" not in shown and "cámara" not in shown


def run(*args):
    return subprocess.run([sys.executable, "-m", "termbank", *args], capture_output=True, text=True)


def test_cli_json_and_language_detection(bank_path, tmp_path):
    doc = TEXTS / "tutorial.en.md"
    result = run("annotate", str(doc), "--to", "es-MX", "--format", "json", "--db", str(bank_path))
    data = json.loads(result.stdout)
    raw = doc.read_text(encoding="utf-8")
    first = data[0]
    assert raw[first["start"]:first["end"]] == first["text"]
    assert first["translations"]["es-MX"][0]["term"] == "pila en z"
    assert {"line", "start", "end", "text", "concept", "translations"} <= set(first)
    short = tmp_path / "short.txt"
    short.write_text("PSF", encoding="utf-8")
    result = run("annotate", str(short), "--to", "es", "--db", str(bank_path))
    assert result.returncode == 1 and "pass --from TAG" in result.stderr


def test_export_format_limited_to_the_documents_terms(bank_path, tmp_path):
    doc = tmp_path / "doc.txt"
    doc.write_text("Measure the PSF of the objective before deconvolution.", encoding="utf-8")
    result = run("annotate", str(doc), "--from", "en", "--to", "es-MX", "--format", "deepl",
                 "--db", str(bank_path))
    assert result.returncode == 0, result.stderr
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert rows == [["deconvolution", "deconvolución"], ["objective", "objetivo"],
                    ["PSF", "función de dispersión de punto"]]


def _index(*terms: str, language: str = "en", **options) -> TermIndex:
    entries = [Entry(f"c{i}", text, language, "preferred", text.isupper()) for i, text in enumerate(terms)]
    return TermIndex(language, entries, **options)


@pytest.mark.parametrize("text, spans", [
    ("stained with H&E and viewed in OMERO.web", ["H&E", "OMERO.web"]),
    ("DAPI is 4',6-diamidino-2-phenylindole.", ["4',6-diamidino-2-phenylindole"]),
    ("H & E, then OMERO. Web", ["OMERO"]),  # the term's own punctuation, not any other
    ("E. coli and E.coli", ["E. coli"]),
])
def test_terms_with_their_own_punctuation(text, spans):
    index = _index("H&E", "OMERO.web", "OMERO", "4',6-diamidino-2-phenylindole", "E. coli")
    assert [o.text for o in index.find(text)] == spans


def test_a_small_word_memory_gives_the_same_answers():
    terms = ("point spread function", "PSF", "z-stack", "pixel", "objective lens")
    text = " ".join(f"word{i} pixels, a Z stack {i} and the point-spread functions." for i in range(200))
    expected = _index(*terms).find(text)
    forgetful = _index(*terms, remember=5)
    assert forgetful.find(text) == expected
    assert forgetful.find(text) == expected  # and again, after forgetting


def test_the_cycle_collector_is_left_as_found():
    index = _index("pixel")
    assert gc.isenabled()
    index.find("a pixel")
    assert gc.isenabled()
    with pytest.raises(TypeError):
        index.find(None)
    assert gc.isenabled()


# A plain reference matcher: every run of words, longest first, tried against
# every term; quadratic, but written without the index's shortcuts.
_TOKEN = re.compile(r"\w+(?:['’]s\b)?")
_JOINS = re.compile(r"[\s\-‐‑/'’]{1,3}")


def _reference(terms: list[str], text: str) -> list[tuple[int, int, str]]:
    def words_of(s):
        return [(m.start(), m.end(), singular_word(m.group(), "en")) for m in _TOKEN.finditer(s)]

    def shape(s, ws):  # the keys and the gaps between them, joiners as one space
        gaps = [s[a[1]:b[0]] for a, b in itertools.pairwise(ws)]
        return tuple(k for *_, k in ws), tuple(" " if _JOINS.fullmatch(g) else g for g in gaps)

    wanted = {shape(t, words_of(t)): t for t in terms}
    ws, found, i = words_of(text), [], 0
    while i < len(ws):
        for n in range(len(ws) - i, 0, -1):
            run = ws[i:i + n]
            term = wanted.get(shape(text, run))
            if term is not None and (not term.isupper() or text[run[0][0]:run[-1][1]].startswith(term)):
                found.append((run[0][0], run[-1][1], term))
                i += n
                break
        else:
            i += 1
    return found


TERMS = ["pixel", "z-stack", "point spread function", "point", "spread", "PSF", "H&E",
         "numerical aperture", "aperture", "objective lens", "light sheet"]
VOCABULARY = ["pixel", "pixels", "Pixel", "z", "stack", "stacks", "point", "points", "spread",
              "function", "functions", "PSF", "PSFs", "psf", "H", "E", "numerical", "aperture",
              "apertures", "objective", "lens", "lenses", "light", "sheet", "the", "of", "sheets"]
GAPS = [" ", " ", " ", "-", "\n", ". ", ", ", "&", "  ", " / ", "'s "]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(VOCABULARY), st.sampled_from(GAPS)), max_size=40))
def test_the_index_agrees_with_a_plain_reference_matcher(pieces):
    text = "".join(word + gap for word, gap in pieces)
    index = _index(*TERMS)
    assert [(o.start, o.end, o.term) for o in index.find(text)] == _reference(TERMS, text)



def _sources(fmt: str, path: Path, source: str) -> list[str]:
    """The source column of a written glossary, read with each format's own layout."""
    if fmt == "azure":
        with zipfile.ZipFile(path) as archive:
            return archive.read(f"termbank_{source}.txt").decode("utf-8-sig").splitlines()
    text = path.read_text(encoding="utf-8-sig")
    if fmt in ("deepl", "omegat"):
        return [line.split("\t")[0] for line in text.splitlines() if not line.startswith("#")]
    if fmt in ("google", "aws"):
        rows = [row[0] for row in csv.reader(io.StringIO(text))]
        return rows[1:] if fmt == "aws" else rows  # aws: a header of language codes
    if fmt == "llm":
        rows = [line.split("|")[1].strip() for line in text.splitlines() if line.startswith("| ")]
        return rows[2:]  # the header and its rule
    return [row["term"] for row in csv.DictReader(io.StringIO(text)) if row["tag"] == source]


@pytest.mark.parametrize("fmt", ["deepl", "google", "aws", "azure", "omegat", "llm", "csv"])
@pytest.mark.parametrize("document, source, target, own_words", [
    ("manuscript.en.md", "en", "es-MX", {"Z-stacks", "PSFs", "Regions of interest", "cameras"}),
    ("manuscript.es.md", "es", "en", {"función de dispersión del punto", "pilas en z",
                                      "regiones de interés", "cámaras"}),
])
def test_document_glossary_is_in_the_documents_words(bank_path, tmp_path, fmt, document, source,
                                                     target, own_words):
    doc = TEXTS / document
    out = tmp_path / f"glossary.{fmt}"
    result = run("annotate", str(doc), "--from", source, "--to", target, "--format", fmt,
                 "--out", str(out), "--db", str(bank_path))
    assert result.returncode == 0, result.stderr
    sources = _sources(fmt, out, source)
    text = doc.read_text(encoding="utf-8")
    assert [s for s in sources if s not in text] == []
    assert own_words <= set(sources)

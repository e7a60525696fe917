"""gettext PO and MO, checked by GNU gettext itself, polib, translate-toolkit and Python."""

from __future__ import annotations

import gettext
import io
import subprocess
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from termbank.exporting import ExportOptions
from termbank.formats import gettext as po_format
from termbank.model import Concept, Glossary, Provenance, Term

DATA = Path(__file__).resolve().parent.parent / "data" / "exports"


@pytest.fixture
def catalogue(render, glossary, tmp_path) -> Path:
    path = tmp_path / "es_MX.po"
    path.write_bytes(render("po", glossary, targets=("es-MX",)))
    return path


@pytest.mark.parametrize("tag", ["es", "es-MX", "es-419", "es-ES", "fr-CA", "pt-BR", "pt-PT",
                                 "ar", "he"])
def test_msgfmt_check_passes_without_warnings(render, glossary, gettext_tools, tmp_path, tag):
    path = tmp_path / "catalogue.po"
    path.write_bytes(render("po", glossary, targets=(tag,)))
    result = subprocess.run([gettext_tools["msgfmt"], "-c", "-o", str(tmp_path / "x.mo"),
                             str(path)], capture_output=True, text=True)
    assert result.returncode == 0 and result.stderr == "", result.stderr


def test_header(catalogue):
    metadata = polib.pofile(str(catalogue)).metadata
    assert metadata["Language"] == "es_MX"
    assert metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    # no wall clock: the newest review date among the exported terms
    assert metadata["PO-Revision-Date"] == "2026-11-20 00:00+0000"


def test_plural_forms_follow_cldr(render, glossary):
    brazil = polib.pofile(render("po", glossary, targets=("pt-BR",)).decode())
    assert brazil.metadata["Plural-Forms"] == "nplurals=2; plural=(n > 1);"


def test_homonyms_get_the_concept_id_as_context(catalogue):
    entries = polib.pofile(str(catalogue))
    stages = {e.msgctxt: e.msgstr for e in entries if e.msgid == "stage"}
    assert stages == {"microscope-stage": "platina", "developmental-stage": "estadio"}
    single = entries.find("pixel")
    assert single.msgctxt is None and single.msgstr == "pixel"


def test_comments_carry_definition_status_fallback_and_forms_to_avoid(catalogue):
    entries = polib.pofile(str(catalogue))
    magnification = entries.find("magnification").comment.split("\n")
    assert magnification[0].startswith("Definition: How many times larger")
    assert "From es: aumento" in magnification
    assert "Avoid: magnificación [es; deprecated; calque]" in magnification
    assert "Avoid: amplificación [es-MX; forbidden; false friend]" in magnification
    objective = entries.find("objective", msgctxt="objective-lens").comment
    assert ("Status: preferred; reliability 4 (reviewed by Ana Pérez, Luis Gómez on 2026-11-20)"
            in objective.split("\n"))
    assert "Do not translate" in entries.find("napari").comment
    assert entries.find("napari").msgstr == "napari"


def test_translate_toolkit_reads_it(catalogue):
    from translate.storage import po

    store = po.pofile(catalogue.read_bytes())
    units = {(u.getcontext(), u.source): u.target for u in store.units if not u.isheader()}
    assert units[("", "file")] == "archivo"
    assert units[("objective-lens", "objective")] == "objetivo"


def test_mo_reads_in_python_and_matches_msgfmt(render, glossary, gettext_tools, catalogue,
                                               tmp_path):
    mo = tmp_path / "ours.mo"
    mo.write_bytes(render("mo", glossary, targets=("es-MX",)))
    translations = gettext.GNUTranslations(io.BytesIO(mo.read_bytes()))
    assert translations.gettext("file") == "archivo"
    assert translations.pgettext("developmental-stage", "stage") == "estadio"
    assert translations.info()["language"] == "es_MX"
    subprocess.run([gettext_tools["msgfmt"], "-o", str(tmp_path / "theirs.mo"), str(catalogue)],
                   check=True)
    ours, theirs = (subprocess.run([gettext_tools["msgunfmt"], str(p)], capture_output=True,
                                   text=True, check=True).stdout
                    for p in (mo, tmp_path / "theirs.mo"))
    assert ours == theirs


def test_mo_writer_is_linear_in_entries():
    pairs = [(b"", b"Content-Type: text/plain; charset=UTF-8\n")]
    pairs += [(f"term {i}".encode(), f"término {i}".encode()) for i in range(20_000)]
    data = po_format.mo_bytes(pairs)
    catalogue = gettext.GNUTranslations(io.BytesIO(data))
    assert catalogue.gettext("term 19999") == "término 19999"


def test_compendium_pretranslates_a_program_catalogue(catalogue, gettext_tools, tmp_path):
    empty = tmp_path / "empty.po"
    empty.write_text('msgid ""\nmsgstr ""\n"Language: es_MX\\n"\n'
                     '"Content-Type: text/plain; charset=UTF-8\\n"\n', encoding="utf-8")
    merged = tmp_path / "merged.po"
    subprocess.run([gettext_tools["msgmerge"], "--quiet", f"--compendium={catalogue}",
                    "-o", str(merged), str(empty), str(DATA / "microscopy-ui.pot")], check=True)
    entries = {e.msgid: e for e in polib.pofile(str(merged))}
    assert {k: entries[k].msgstr for k in ("pixel", "magnification", "file", "napari",
                                           "3D rendering")} == {
        "pixel": "pixel", "magnification": "aumento", "file": "archivo", "napari": "napari",
        "3D rendering": "renderizado 3D"}
    assert not any(entries[k].fuzzy for k in ("pixel", "file"))
    assert entries["Start acquisition"].msgstr == ""


def test_an_edited_msgstr_is_the_catalogue_languages_own_term(catalogue):
    text = catalogue.read_text(encoding="utf-8").replace('msgstr "aumento"',
                                                         'msgstr "magnificación óptica"')
    concepts = {c.id: c for c in po_format.read_po(io.BytesIO(text.encode()), name="x.po")}
    tags = {t.text: t.tag for t in concepts["magnification"].terms}
    assert tags["magnificación óptica"] == "es-MX"   # the translator's term, for es-MX
    assert tags["magnificación"] == "es"              # the deprecated form the comment names
    unchanged = {t.text: t.tag for t in concepts["image-file"].terms}
    assert unchanged["archivo"] == "es"               # still the general Spanish term


texts = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp", "Zs")),
                min_size=1, max_size=30)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(source=texts, target=texts, note=texts)
def test_po_writer_and_reader_agree_on_any_text(source, target, note):
    concept = Concept("probe", "optics", (
        Term(source, "en", "preferred"),
        Term(target, "es", "preferred", note=note, provenance=Provenance("x"))),
        definitions={"en": note})
    data = io.BytesIO()
    po_format.write_po(data, Glossary.of([concept]), ExportOptions(targets=("es",)))
    (read,) = po_format.read_po(io.BytesIO(data.getvalue()), name="p.po")
    assert {(t.tag, t.text) for t in read.terms} == {("en", source), ("es", target)}
    assert read.definitions == {"en": note}
    assert next(t for t in read.terms if t.tag == "es").note == note


def test_a_refused_form_without_a_reason_reads_back_without_one():
    concept = Concept("probe", "optics", (Term("lens", "en", "preferred"),
                                          Term("lente", "es", "preferred"),
                                          Term("lenta", "es", "deprecated")))
    data = io.BytesIO()
    po_format.write_po(data, Glossary.of([concept]), ExportOptions(targets=("es",)))
    assert "#. Avoid: lenta [es; deprecated; no reason given]" in data.getvalue().decode()
    (read,) = po_format.read_po(io.BytesIO(data.getvalue()), name="p.po")
    assert next(t for t in read.terms if t.text == "lenta").status_reason is None


def test_general_terms_after_a_regional_admitted_one_keep_their_tag(render, glossary):
    """es-ES "fichero" is admitted, so the general "archivo" follows it; the comment names
    archivo's tag and reading the catalogue back gives each term its own tag."""
    data = render("po", glossary, targets=("es-ES",))
    comments = polib.pofile(data.decode()).find("file").comment.split("\n")
    assert "Also: archivo (preferred) from es" in comments
    (concept,) = [c for c in po_format.read_po(io.BytesIO(data), name="es_ES.po")
                  if c.id == "image-file"]
    assert {(t.text, t.tag) for t in concept.terms if t.tag != "en"} >= {
        ("fichero", "es-ES"), ("archivo", "es")}

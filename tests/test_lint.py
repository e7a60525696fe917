"""The consistency pass: each check finds the problem planted in a small glossary
and stays quiet on the clean one; allow-lists cannot go stale; hunspell is required."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from termbank.cli import cli
from termbank.errors import TermbankError
from termbank.lint import english_head, expands_to, expected_gender, lint_glossary, looks_plural
from termbank.spelling import dictionary_for

FINDING = re.compile(r"^\S+\.yml:\d+: (terms|definition)\.[\w-]+: .+")


def concept(en: str, es: str, *, en_extra=(), es_gender="masculine", definition=None, es_note=None):
    es_term = {"term": es, "status": "preferred", "pos": "noun", "gender": es_gender}
    if es_note:
        es_term["note"] = es_note
    return {
        "definition": {"en": definition or f"The {en} of an image."},
        "provenance": {"origin": "ai-draft", "review": "draft"},
        "terms": {"en": [{"term": en, "status": "preferred", "pos": "noun"}, *en_extra],
                  "es": [es_term]},
    }


CLEAN = {
    "processing/median-filter": concept(
        "median filter", "filtro de mediana",
        en_extra=[{"term": "MF", "type": "acronym", "case_sensitive": True}],
        definition="A filter (MF) that replaces each pixel by the median of its neighbours."),
    "processing/mean-filter": concept("mean filter", "filtro de media"),
    "processing/minimum-filter": concept("minimum filter", "filtro de mínimo"),
    "segmentation/segmentation": concept("segmentation", "segmentación", es_gender="feminine"),
}


def write(root: Path, concepts: dict[str, dict]) -> Path:
    for key, data in concepts.items():
        path = root / f"{key}.yml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return root


def with_changes(**changes: dict) -> dict[str, dict]:
    out = dict(CLEAN)
    out.update({k.replace("__", "/").replace("_", "-"): v for k, v in changes.items()})
    return out


PLANTED = {
    "translation": (with_changes(processing__bandpass_filter=concept("bandpass filter", "tamiz de banda")),
                    "renders English 'filter' as 'tamiz'"),
    "gender": (with_changes(segmentation__segmentation=concept("segmentation", "segmentación")),
               "is marked masculine, but 'segmentación' is feminine"),
    "plural": (with_changes(segmentation__segmentation=concept("segmentation", "segmentaciones",
                                                               es_gender="feminine")),
               "looks plural"),
    "expansion": (with_changes(processing__mean_filter=concept(
        "mean filter", "filtro de media", en_extra=[{"term": "XYZ", "type": "acronym"}])),
        "acronym 'XYZ' does not expand"),
    "definition acronym": (with_changes(processing__mean_filter=concept(
        "mean filter", "filtro de media", definition="A filter computed on the GPU.")),
        "acronym 'GPU' is no term of the glossary"),
    "spelling": (with_changes(processing__mean_filter=concept("mean filter", "filtro de mediaa")),
                 "'mediaa' in 'filtro de mediaa' is not in the es_ES dictionary"),
}


def test_clean_glossary_has_no_findings(tmp_path):
    assert lint_glossary(write(tmp_path, CLEAN)) == []


@pytest.mark.parametrize("case", sorted(PLANTED))
def test_each_check_finds_its_planted_problem(tmp_path, case):
    concepts, expected = PLANTED[case]
    findings = [str(f) for f in lint_glossary(write(tmp_path, concepts))]
    assert len(findings) == 1, findings
    assert expected in findings[0]
    assert FINDING.match(findings[0]), findings[0]


@pytest.mark.parametrize("changes", [
    # a note explains the different rendering
    {"processing__bandpass_filter": concept("bandpass filter", "tamiz de banda",
                                            es_note="Optics names this part a sieve.")},
    # a loan identical to the English term is not a translation
    {"processing__bandpass_filter": concept("bandpass filter", "bandpass filter")},
    # a prefixed compound of the majority word agrees with it (hunspell lacks it: allow-listed)
    {"processing__prefilter": concept("pre filter", "prefiltro"), "allow": "es prefiltro\n"},
    # plural in use, and the note says so
    {"segmentation__segmentation": concept("segmentation", "segmentaciones", es_gender="feminine",
                                           es_note="Used in the plural.")},
    # a compound acronym whose parts each expand, and a symbol that is no acronym
    {"processing__mean_filter": concept("mean filter", "filtro de media", en_extra=[
        {"term": "MF-M", "type": "acronym"}, {"term": "µF", "type": "abbreviation"}])},
    # an English loan word of the concept is spelled as English spells it
    {"processing__mean_filter": concept("mean filter", "filtro mean")},
])
def test_quiet_where_the_rule_does_not_apply(tmp_path, changes):
    changes = dict(changes)
    (tmp_path / "spelling-allow.txt").write_text(changes.pop("allow", ""), encoding="utf-8")
    assert [str(f) for f in lint_glossary(write(tmp_path, with_changes(**changes)))] == []


@pytest.mark.parametrize(("short", "full", "expected"), [
    ("PSF", "point spread function", True),
    ("DO", "densidad óptica", True),
    ("2PM", "two-photon microscopy", True),
    ("DAPI", "4′,6-diamidino-2-phenylindole", True),
    ("FSP", "point spread function", False),
    ("XYZ", "point spread function", False),
])
def test_expansion_rule(short, full, expected):
    assert expands_to(short, full) is expected


@pytest.mark.parametrize(("term", "head"), [
    ("median filter", "filter"), ("depth of field", "depth"), ("full width at half maximum", "width"),
    ("fluorescence in situ hybridization", "hybridization"), ("signal-to-noise ratio", "ratio"),
])
def test_english_head(term, head):
    assert english_head(term) == head


@pytest.mark.parametrize(("lang", "word", "gender"), [
    ("es", "resolución", "feminine"), ("es", "sensor", "masculine"), ("es", "flor", "feminine"),
    ("es", "análisis", None), ("fr", "marquage", "masculine"), ("fr", "image", "feminine"),
    ("fr", "microscopie", "feminine"), ("fr", "capteur", None), ("pt", "imagem", "feminine"),
    ("pt", "amplificador", "masculine"), ("pt", "pseudocor", "feminine"), ("pt", "cor", "feminine"),
])
def test_gender_from_reliable_endings(lang, word, gender):
    assert expected_gender(lang, word) == gender


@pytest.mark.parametrize(("lang", "word", "plural"), [
    ("es", "segmentaciones", True), ("es", "segmentación", False), ("fr", "données", True),
    ("fr", "donnée", False), ("pt", "metadados", True), ("pt", "análise", False),
])
def test_plural_from_reliable_endings(lang, word, plural):
    assert looks_plural(lang, word) is plural


UMBRAL = {"segmentation/thresholding": concept("thresholding", "umbralización", es_gender="feminine")}


def test_spelling_allow_list_accepts_a_technical_word(tmp_path):
    root = write(tmp_path, {**CLEAN, **UMBRAL})
    assert "'umbralización'" in str(lint_glossary(root)[0])
    (root / "spelling-allow.txt").write_text("# technical words\nes umbralización\n", encoding="utf-8")
    assert lint_glossary(root) == []


@pytest.mark.parametrize(("name", "text", "expected"), [
    ("spelling-allow.txt", "es filtro\nes umbralización\n", "spelling-allow.txt:1: hunspell already accepts 'filtro'"),
    ("spelling-allow.txt", "es umbralización\nes zzqx\n", "spelling-allow.txt:2: no es term uses 'zzqx'"),
    ("spelling-allow.txt", "es zzqx\nes umbralización\n", "spelling-allow.txt:2: 'es umbralización' is not in sorted"),
    ("spelling-allow.txt", "xx umbralización\n", "spelling-allow.txt:1: 'xx' is not one of"),
    ("acronym-allow.txt", "MF\n", "acronym-allow.txt:1: 'MF' is a term of the glossary now"),
    ("acronym-allow.txt", "GPU\n", "acronym-allow.txt:1: no definition uses 'GPU'"),
])
def test_allow_lists_cannot_rot(tmp_path, name, text, expected):
    root = write(tmp_path, {**CLEAN, **UMBRAL})
    if name != "spelling-allow.txt":
        (root / "spelling-allow.txt").write_text("es umbralización\n", encoding="utf-8")
    (root / name).write_text(text, encoding="utf-8")
    findings = [str(f) for f in lint_glossary(root)]
    assert any(f.startswith(str(root / expected.split(":")[0])) and expected.split(": ", 1)[1] in f
               and f"{name}:{expected.split(':')[1]}:" in f for f in findings), findings


@pytest.mark.parametrize(("tag", "dictionary"), [
    ("es", "es_ES"), ("es-MX", "es_MX"), ("es-419", "es_ES"), ("fr", "fr_FR"), ("fr-CA", "fr_CA"),
    ("pt", "pt_BR"), ("pt-BR", "pt_BR"), ("pt-PT", "pt_PT"),
])
def test_regional_tags_use_their_dictionary(tag, dictionary):
    assert dictionary_for(tag).name == dictionary


def test_missing_hunspell_is_a_clear_error(tmp_path, monkeypatch):
    root = write(tmp_path / "g", CLEAN)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(TermbankError, match="hunspell command is not installed: install the Debian packages hunspell"):
        lint_glossary(root)
    result = CliRunner().invoke(cli, ["validate", "--lint", str(root)])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Error: the hunspell command is not installed: install the Debian packages "
        "hunspell hunspell-es hunspell-fr hunspell-pt-br hunspell-pt-pt"]


def test_missing_dictionary_names_its_package(tmp_path, monkeypatch):
    root = write(tmp_path / "g", CLEAN)
    monkeypatch.setenv("DICPATH", str(tmp_path / "empty"))
    with pytest.raises(TermbankError, match=r"no hunspell dictionary es_ES for es .*install the Debian "
                                            r"package hunspell-es \(apt-get install hunspell-es\)$"):
        lint_glossary(root)


def test_cli_reports_findings_and_exits_1(tmp_path):
    concepts, _ = PLANTED["gender"]
    root = write(tmp_path, concepts)
    result = CliRunner().invoke(cli, ["validate", "--lint", str(root)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert FINDING.match(lines[0]) and "segmentation.yml" in lines[0]
    assert lines[-1] == "1 problem(s) found."
    clean = write(tmp_path / "clean", CLEAN)
    assert CliRunner().invoke(cli, ["validate", "--lint", str(clean)]).exit_code == 0

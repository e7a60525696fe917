"""Lookup through the public API on a real bank built from the fixture glossary."""

import pytest

from termbank.errors import LanguageTagError, TermbankError


def first(bank, text, **kw):
    matches = bank.lookup(text, **kw)
    assert matches, f"nothing found for {text!r}"
    return matches[0]


@pytest.mark.parametrize("text, concept", [
    ("point spread function", "point-spread-function"),
    ("PSF", "point-spread-function"), ("psf", "point-spread-function"),
    ("NA", "numerical-aperture"), ("ROI", "region-of-interest"),
    ("Thresholding", "thresholding"), ("umbralización", "thresholding"),
    ("umbralizaciones", "thresholding"), ("funcion de dispersion de punto", "point-spread-function"),
    ("Funciones de dispersión de punto", "point-spread-function"),
    ("ouvertures numériques", "numerical-aperture"), ("Z Stacks", "z-stack"), ("z-stack", "z-stack"),
    ("píxeles", "pixel"), ("limiarização", "thresholding"), ("objectifs", "objective-lens"),
    ("regions of interest", "region-of-interest"),
])
def test_finds_concept_by_any_term_in_any_language(bank, text, concept):
    assert first(bank, text).concept == concept


def test_answer_names_the_tag_that_supplied_it(bank):
    match = first(bank, "pixel", targets=["es-MX", "es-AR", "es-ES", "es"])
    supplied = {tag: (a[0].term, a[0].tag) for tag, a in match.translations.items()}
    assert supplied == {"es-MX": ("pixel", "es-419"), "es-AR": ("pixel", "es-419"),
                        "es-ES": ("píxel", "es"), "es": ("píxel", "es")}


def test_dialect_own_term_wins_and_variants_show_side_by_side(bank):
    match = first(bank, "file", targets=["pt-BR", "pt-PT", "es-ES", "es-MX"])
    assert match.translations["pt-BR"][0].term == "arquivo"
    assert match.translations["pt-PT"][0].term == "ficheiro"
    es_es = [(a.term, a.tag) for a in match.translations["es-ES"]]
    assert es_es == [("fichero", "es-ES"), ("archivo", "es")]   # admitted: joins, not replaces
    assert match.translations["es-MX"][0].term == "archivo"
    assert {"pt-BR", "pt-PT", "es", "es-ES"} <= set(match.variants)


def test_reverse_lookup_from_spanish(bank):
    match = first(bank, "umbralización", targets=["en", "fr-CA", "pt-PT"])
    assert match.matched_tag == "es"
    assert match.translations["en"][0].term == "thresholding"
    assert match.translations["fr-CA"][0].tag == "fr"


def test_deprecated_forms_come_after_accepted_ones_with_reason(bank):
    answers = first(bank, "magnification", targets=["es-MX"]).translations["es-MX"]
    assert [(a.term, a.status) for a in answers] == [("aumento", "preferred"),
                                                      ("magnificación", "deprecated")]
    deprecated = [a for a in first(bank, "library", targets=["es"]).translations["es"]
                  if a.status == "deprecated"]
    assert deprecated[0].term == "librería" and deprecated[0].status_reason == "false friend"
    assert deprecated[0].use_instead == "biblioteca"


def test_lookup_from_a_deprecated_form_finds_the_concept(bank):
    assert first(bank, "librería").concept == "software-library"


def test_source_tag_restricts_matching(bank):
    assert bank.lookup("objetivo", source="fr") == []
    assert first(bank, "objetivo", source="es-MX").concept == "objective-lens"


def test_do_not_translate_names_answer_with_themselves(bank):
    match = first(bank, "fiji", targets=["es-MX", "pt-PT"])
    assert match.do_not_translate
    assert [(a.term, a.tag) for a in match.translations["es-MX"]] == [("Fiji", "en")]


@pytest.mark.parametrize("text, source, concept, how", [
    ("función de dispersión del punto", "es", "point-spread-function", "function-words"),
    ("the point spread function", "en", "point-spread-function", "function-words"),
    ("dispersión de punto", "es", "point-spread-function", "partial"),
    ("numerical apperture", "en", "numerical-aperture", "fuzzy"),
    ("umbralisación", "es", "thresholding", "fuzzy"),
    ("tresholding", "en", "thresholding", "fuzzy"),  # a slip in the first letters
    ("sgmentation", None, "segmentation", "fuzzy"),
])
def test_looser_levels_say_how_they_matched(bank, text, source, concept, how):
    match = first(bank, text, source=source)
    assert (match.concept, match.how) == (concept, how)
    assert 0 < match.score < 1


@pytest.mark.parametrize("text", ["point spread function", "umbralización", "PSF"])
def test_strict_levels_win_with_full_score(bank, text):
    match = first(bank, text)
    assert match.how in ("exact", "folded", "inflected") and match.score == 1.0


@pytest.mark.parametrize("text", ["dispersión", "zz top", "objetivx"])
def test_looser_levels_stay_silent_on_weak_evidence(bank, text):
    assert [m.how for m in bank.lookup(text, source="fr")] == []


@pytest.mark.parametrize("source", ["es", "fr-CA", "pt-BR"])
def test_do_not_translate_names_are_found_from_every_tag(bank, source):
    assert first(bank, "Fiji", source=source).concept == "fiji"


def test_json_shape_is_stable(bank):
    data = first(bank, "PSF", targets=["es-MX"]).to_json()
    assert {"concept", "matched", "translations", "definition", "subject_field"} <= set(data)
    assert data["matched"] == {"text": "PSF", "tag": "en", "how": "exact", "score": 1.0}
    assert data["translations"]["es-MX"][0] == {
        "term": "función de dispersión de punto", "tag": "es", "status": "preferred",
        "type": "full form", "note": None, "status_reason": None, "reliability": 1,
        "review": "draft", "use_instead": None, "attested": [], "contradicted": None}
    assert {"concept": "deconvolution", "term": "deconvolution"} in data["related"]


def test_nothing_found_and_suggestions(bank):
    assert bank.lookup("thrsholdng") == []  # two edits in ten letters: too far for fuzzy
    assert bank.suggest("thrsholdng")[0] == "thresholding"
    assert "numerical aperture" in bank.suggest("numerical apperture")
    assert bank.suggest("zzzzqqq") == []


@pytest.mark.parametrize("text", ["", "   ", "---"])
def test_empty_queries_are_refused(bank, text):
    with pytest.raises(TermbankError, match="empty"):
        bank.lookup(text)


def test_unknown_target_tag(bank):
    with pytest.raises(LanguageTagError):
        bank.lookup("PSF", targets=["es-XX"])


def test_iterated_concepts_and_stats(bank):
    stats = bank.stats()
    assert stats["concepts"] == 14 == len(list(bank.iter_concepts()))
    assert stats["concepts_by_tag"]["pt-PT"] == 2
    assert stats["review_state"] == {"draft": stats["terms"]}
    assert bank.glossary().count == 14


def test_case_sensitive_terms_are_preferred_when_case_matches(tmp_path):
    from termbank import Bank, Concept, Provenance, Term, write_bank

    p = Provenance("test")
    concepts = [
        Concept("numerical-aperture", "optics", (
            Term("numerical aperture", "en", "preferred", provenance=p),
            Term("NA", "en", "admitted", "acronym", case_sensitive=True, provenance=p)),
            definitions={"en": "x"}),
        Concept("sodium", "fluorescence", (Term("na", "en", "preferred", provenance=p),),
                definitions={"en": "y"}),
    ]
    write_bank(concepts, tmp_path / "b.db")
    with Bank(tmp_path / "b.db") as bank:
        assert [m.concept for m in bank.lookup("NA")] == ["numerical-aperture"]
        assert [m.concept for m in bank.lookup("na")] == ["sodium"]


def test_min_reliability_filters_answers(tmp_path):
    from termbank import Bank, Concept, Provenance, Term, write_bank

    draft, reviewed = Provenance("ai-draft"), Provenance("x", "reviewed", ("Ana",), "2026-11-01")
    concept = Concept("pixel", "image-data", (
        Term("pixel", "en", "preferred", provenance=reviewed),
        Term("píxel", "es", "preferred", provenance=draft),
        Term("pixel", "es-419", "preferred", provenance=reviewed)), definitions={"en": "x"})
    write_bank([concept], tmp_path / "b.db")
    with Bank(tmp_path / "b.db") as bank:
        everything = bank.lookup("pixel", targets=["es-ES", "es-MX"])[0].translations
        assert everything["es-ES"][0].reliability == 1
        checked = bank.lookup("pixel", targets=["es-ES", "es-MX"], min_reliability=3)[0]
        assert checked.translations["es-ES"] == []
        assert checked.translations["es-MX"][0].reliability == 3


def test_homonyms_are_listed_once_per_concept(tmp_path):
    from termbank import Bank, Concept, Provenance, Term, write_bank

    p = Provenance("test")
    write_bank([
        Concept("microscope-stage", "optics", (Term("stage", "en", "preferred", provenance=p),
                                               Term("platina", "es", "preferred", provenance=p)),
                definitions={"en": "The platform that holds the specimen."}),
        Concept("pipeline-stage", "software", (Term("stage", "en", "preferred", provenance=p),
                                               Term("etapa", "es", "preferred", provenance=p)),
                definitions={"en": "One step of an analysis pipeline."}),
    ], tmp_path / "b.db")
    with Bank(tmp_path / "b.db") as bank:
        matches = bank.lookup("stage", targets=["es"])
        assert sorted((m.concept, m.subject_field, m.translations["es"][0].term) for m in matches) == [
            ("microscope-stage", "optics", "platina"), ("pipeline-stage", "software", "etapa")]


@pytest.fixture(scope="module")
def approved_stack(bank_path, tmp_path_factory):
    """A copy of the fixture bank and, beside it, a proposals database in which a reviewer
    approved "pila de imágenes confocales" for z-stack in Spanish."""
    from termbank import Bank, reviewers
    from termbank.proposals import ProposalStore

    folder = tmp_path_factory.mktemp("approved")
    path = folder / "termbank.db"
    path.write_bytes(bank_path.read_bytes())
    store = ProposalStore(folder / "proposals.db")
    reviewers.add(store, "ana", "long enough", ("es",), "Ana")
    with Bank(path, False) as bank:
        proposal = store.submit(concept="z-stack", tag="es", term="pila de imágenes confocales",
                                bank=bank)
    store.decide(proposal.id, "approved", "ana")
    store.close()
    return path


@pytest.mark.parametrize("text, how", [
    ("pila de las imágenes confocales", "function-words"),
    ("imágenes confocales", "partial"),
    ("pila de imágenes confokales", "fuzzy"),
])
def test_looser_levels_find_approved_proposals(approved_stack, text, how):
    from termbank import Bank

    with Bank(approved_stack) as bank:
        match = first(bank, text, source="es")
    assert (match.concept, match.how, match.matched_text) == (
        "z-stack", how, "pila de imágenes confocales")
    assert "pila en z" in [a.term for a in match.variants["es"]]  # the bank's own terms too
    with Bank(approved_stack, proposals=False) as bank:
        assert bank.lookup(text, source="es") == []
def test_answers_made_for_speed_equal_those_made_by_their_class(bank):
    """``lookup._answer`` skips ``Answer.__init__``; what it makes must be the same value:
    equal, same hash and repr, and ``dataclasses.replace`` (the evidence's) still works."""
    from dataclasses import asdict, replace

    from termbank.lookup import Answer, _answer

    rows = [dict(r) for r in bank.conn.execute("SELECT * FROM terms")]
    assert rows
    for row in rows:
        for use_instead in (None, "better"):
            fast = _answer(row, use_instead)
            made = Answer(row["text"], row["tag"], row["status"], row["type"], row["note"],
                          row["status_reason"], row["reliability"], row["review"], use_instead)
            assert (fast, hash(fast), repr(fast), asdict(fast)) == (made, hash(made), repr(made),
                                                                    asdict(made))
            assert replace(fast, attested=()) == made


def test_details_carried_by_the_matched_row_equal_those_read_apart(bank):
    """The strict query carries each matched concept's details on its matched row; the query
    used when it does not (approved proposals, looser levels) must read the same."""
    from termbank.inflection import fold
    from termbank.lookup import _BY_FOLDED, _carried, _details, _joined

    concepts = [r[0] for r in bank.conn.execute("SELECT id FROM concepts ORDER BY id")]
    english = {r[0]: r[1] for r in bank.conn.execute(
        "SELECT concept_id, text FROM terms WHERE tag = 'en' AND status = 'preferred'")}
    checked = 0
    for cid in concepts:
        rows = _joined(bank.conn, _BY_FOLDED, [fold(english[cid])])
        best = {r["concept_id"]: r for r in rows if r["id"] == r["m_id"]}
        assert cid in best
        assert _carried(bank, best)[cid] == _details(bank.conn, [cid])[cid]
        checked += bool(_details(bank.conn, [cid])[cid][4])  # some have related concepts
    assert checked


@pytest.mark.parametrize("text, targets", [("pixel", ["es-MX", "pt-PT"]), ("psf", None),
                                           ("umbralizaciones", ["fr"])])
def test_matches_made_for_speed_equal_those_made_by_their_class(bank, text, targets):
    """``lookup._match`` skips ``Match.__init__`` too: the same value as the class makes."""
    from dataclasses import fields, replace

    from termbank.lookup import Match

    for match in bank.lookup(text, targets=targets):
        made = Match(**{f.name: getattr(match, f.name) for f in fields(Match)})
        assert (match, repr(match), match.to_json()) == (made, repr(made), made.to_json())
        assert replace(match, score=0.5).score == 0.5


def test_one_matched_term_gives_its_concept_the_rows_regrouping_would(bank):
    """When one term matches, ``_matching`` hands over the strict query's rows as its concept's
    terms without regrouping them; regrouping (``_by_concept``) must give the same."""
    from termbank.inflection import fold
    from termbank.lookup import _BY_FOLDED, _by_concept, _matching, _strict

    single = 0
    for (text,) in bank.conn.execute("SELECT DISTINCT text FROM terms"):
        terms = _matching(bank, text, fold(text), None)[1]
        rows = _strict(bank, _BY_FOLDED, "folded", [fold(text)])
        assert terms == _by_concept(rows), text
        single += sum(r["id"] == r["m_id"] for r in rows) == 1
    assert single > 10

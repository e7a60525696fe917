"""The looser lookup levels on their own, on a real bank built from the fixture glossary."""

import shutil
from pathlib import Path

import pytest

from termbank import Bank, build
from termbank.approximate import Hit, _decide, find, max_edits, pieces

FIXTURE_GLOSSARY = Path(__file__).resolve().parent / "data" / "glossary"


@pytest.mark.parametrize("letters, edits", [(5, 1), (8, 1), (15, 1), (16, 2), (24, 3)])
def test_edits_forgiven_grow_with_length(letters, edits):
    assert max_edits(letters) == edits


@pytest.mark.parametrize("text, languages, how, term", [
    ("función de dispersión del punto", ["es"], "function-words", "función de dispersión de punto"),
    ("dispersión de punto", ["es"], "partial", "función de dispersión de punto"),
    ("la región de interés del núcleo", ["es"], "partial", "región de interés"),
    ("segmentasión", ["es"], "fuzzy", "segmentación"),
])
def test_each_level_finds_its_terms(bank, text, languages, how, term):
    found = find(bank.conn, text, languages, None)
    assert found is not None and found[0] == how
    texts = {r[0] for r in bank.conn.execute(
        f"SELECT text FROM terms WHERE id IN ({','.join('?' * len(found[1]))})", list(found[1]))}
    assert term in texts
    assert all(0 < score <= 1 for score in found[1].values())


@pytest.mark.parametrize("text", ["pix", "zzzzzzzz", "de la", "objetivx"])
def test_short_unknown_or_empty_queries_find_nothing(bank, text):
    assert find(bank.conn, text, ["fr"], None) is None


def test_languages_and_tags_restrict_the_terms(bank):
    assert find(bank.conn, "dispersión de punto", ["fr"], None) is None
    assert find(bank.conn, "dispersión de punto", ["es"], {"es-MX"}) is None


# Concepts written for the rules below, beside the fixture glossary: (folder, id, terms), each
# term as (tag, text, type).
RULE_CONCEPTS = [
    ("processing", "z-projection", [("en", "z-projection", "full form"),
                                    ("en", "projection", "short form"),
                                    ("es", "proyección en Z", "full form")]),
    ("processing", "sum-intensity-projection", [("en", "sum intensity projection", "full form"),
                                                ("es", "proyección de suma", "full form")]),
    ("processing", "intensity-normalization", [("en", "intensity normalization", "full form"),
                                               ("en", "normalization", "short form"),
                                               ("es", "normalización de intensidad", "full form")]),
    ("machine-learning", "batch-normalization", [("en", "batch normalization", "full form"),
                                                 ("en", "batchnorm", "short form"),
                                                 ("es", "normalización por lotes", "full form")]),
    ("segmentation", "costes-threshold", [("en", "Costes threshold", "full form"),
                                          ("en", "Costes", "short form"),
                                          ("es", "umbral automático de Costes", "full form")]),
    ("software", "source-code", [("en", "source code", "full form"), ("en", "code", "short form"),
                                 ("es", "código fuente", "full form")]),
    ("software", "script-editor", [("en", "script editor", "full form"),
                                   ("en", "editor", "short form"),
                                   ("es", "editor de código", "full form")]),
    ("measurement", "limit-of-detection", [("en", "limit of detection", "full form"),
                                           ("es", "límite de detección", "full form")]),
    ("image-data", "image-pyramid", [("en", "image pyramid", "full form"),
                                     ("en", "pyramid", "short form"),
                                     ("es", "pirámide de imágenes", "full form"),
                                     ("es", "pirámide", "short form")]),
]


def _concept_yaml(terms: list[tuple[str, str, str]]) -> str:
    lines = ["definition:", "  en: A concept written for the lookup rules' tests.",
             "provenance:", "  origin: ai-draft", "  review: draft", "terms:"]
    for tag in dict.fromkeys(tag for tag, _, _ in terms):
        lines.append(f"  {tag}:")
        for i, (_, text, kind) in enumerate(t for t in terms if t[0] == tag):
            lines += [f"  - term: {text}", f"    type: {kind}", "    pos: noun"]
            lines += ["    status: preferred"] if i == 0 else []
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def rules_bank(tmp_path_factory):
    root = tmp_path_factory.mktemp("rules")
    glossary = root / "glossary"
    shutil.copytree(FIXTURE_GLOSSARY, glossary)
    for folder, concept, terms in RULE_CONCEPTS:
        (glossary / folder).mkdir(exist_ok=True)
        (glossary / folder / f"{concept}.yml").write_text(_concept_yaml(terms), encoding="utf-8")
    build(glossary, root / "termbank.db")
    with Bank(root / "termbank.db", False) as bank:
        yield bank


@pytest.mark.parametrize("text, concept, offered", [
    # one word of a longer term names a concept that records a one-word short form ...
    ("proyección", "z-projection", "proyección de suma"),
    # ... and, of two such, the one whose head the word is
    ("código", "source-code", "editor de código"),
])
def test_a_word_of_a_longer_term_names_the_clipped_concept(rules_bank, text, concept, offered):
    matches = rules_bank.lookup(text, "es")
    assert [(m.concept, m.how) for m in matches] == [(concept, "partial")]
    assert offered in rules_bank.suggest(text)


@pytest.mark.parametrize("text, offered", [
    # a tie: two concepts clipped to one word, the query heading both terms
    ("normalización", {"normalización de intensidad", "normalización por lotes"}),
    # a broader notion: the concept records no one-word short form
    ("límite", {"límite de detección"}),
    # the concept records its own Spanish short form ("pirámide"), and it is another word
    ("imágenes", {"pirámide de imágenes"}),
    # the longer term differs by a proper name
    ("umbral automático", {"umbral automático de Costes"}),
])
def test_what_the_query_does_not_name_is_offered_not_answered(rules_bank, text, offered):
    assert rules_bank.lookup(text, "es") == []
    assert offered <= set(rules_bank.suggest(text))


def test_a_tie_is_never_answered_by_whichever_concept_comes_first(rules_bank):
    """Both concepts rank alike for "normalización"; an answer naming either first would be
    the order of the rows, not a judgement."""
    found = find(rules_bank.conn, "normalización", ["es"], None)
    assert found is not None and found.how == "partial" and found.scores == {}
    concepts = {r[0] for r in rules_bank.conn.execute(
        f"SELECT concept_id FROM terms WHERE id IN ({','.join('?' * len(found.withheld))})",
        list(found.withheld))}
    assert concepts == {"intensity-normalization", "batch-normalization"}


@pytest.mark.parametrize("text, found", [
    ("la región de interés del núcleo", True),  # the term covers two of three content words
    ("región de interés del núcleo celular", False),  # two of four: not most of the query
])
def test_a_term_inside_the_query_covers_most_of_it(bank, text, found):
    assert bool(bank.lookup(text, "es")) is found


@pytest.mark.parametrize("query, target", [
    ("tresholding", "thresholding"), ("thresholdinx", "thresholding"),
    ("xegmentation", "segmentation"), ("deconvolusion", "deconvolution"),
    ("numerical apperture", "numerical aperture"), ("point sprad function", "point spread function"),
])
def test_a_text_within_the_edits_holds_one_piece(query, target):
    from rapidfuzz.distance import Levenshtein

    edits = max_edits(len(query.replace(" ", "")))
    assert Levenshtein.distance(query, target) <= edits
    assert any(piece in target for piece in pieces(query, edits))


@pytest.mark.parametrize("text, found", [
    ("tresholding", "thresholding"),  # first letters wrong, eight letters or more
    ("hresholding", "thresholding"),
    ("umbralisación", "umbralización"),
    ("vixel", None),  # a short word differing at its start is not taken for a slip
])
def test_fuzzy_finds_slips_anywhere_in_long_words(bank, text, found):
    result = find(bank.conn, text, ["en", "es"], None)
    texts = set() if result is None else {r[0] for r in bank.conn.execute(
        f"SELECT text FROM terms WHERE id IN ({','.join('?' * len(result.scores))})",
        list(result.scores))}
    assert (result.how if result else None) == ("fuzzy" if found else None)
    assert found is None or found in texts


@pytest.mark.parametrize("hits, answered, offered", [
    # two concepts equal at the best rank: neither is answered, both are offered
    ([Hit(1, "a", 0.5, (0.5, True)), Hit(2, "b", 0.5, (0.5, True))], set(), {1, 2}),
    # equal score, one holds the head: it alone is answered, the other offered
    ([Hit(1, "a", 0.5, (0.5, False)), Hit(2, "b", 0.5, (0.5, True))], {2}, {1}),
    # a lower score ranks after the best, answered
    ([Hit(1, "a", 0.67, (0.67, True)), Hit(2, "b", 0.5, (0.5, True))], {1, 2}, set()),
    # two terms of one concept at the best rank are no tie
    ([Hit(1, "a", 0.5, (0.5, True)), Hit(2, "a", 0.5, (0.5, True))], {1, 2}, set()),
])
def test_a_level_answers_only_a_single_best_concept(hits, answered, offered):
    found = _decide("partial", hits, [])
    assert (set(found.scores), set(found.withheld)) == (answered, offered)

"""The looser lookup levels on their own, on a real bank built from the fixture glossary."""

import pytest

from termbank.approximate import find, max_edits


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

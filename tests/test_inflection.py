import re
from pathlib import Path

import pytest
import snowballstemmer

from termbank.evidence.facts import read_tsv
from termbank.inflection import (
    PLURALS,
    SNOWBALL,
    content_key,
    fold,
    singular,
    stem,
    stems,
    strip_diacritics,
)
from termbank.source import read_glossary

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("a, b", [
    ("Función de Dispersión de Punto", "funcion de dispersion de punto"),
    ("Z-Stack", "z stack"), ("z–stack", "Z STACK"), ("région d’intérêt", "region d'interet"),
])
def test_fold_ignores_case_diacritics_and_separators(a, b):
    assert fold(a) == fold(b)


@pytest.mark.parametrize("language, plural, singular", [
    ("en", "thresholds", "threshold"), ("en", "lenses", "lens"), ("en", "analyses", "analysis"),
    ("en", "regions of interest", "region of interest"), ("en", "Airy's disk", "Airy disk"),
    ("es", "umbralizaciones", "umbralización"), ("es", "luces", "luz"), ("es", "píxeles", "píxel"),
    ("es", "funciones de dispersión", "función de dispersión"), ("es", "redes neuronales", "red neuronal"),
    ("fr", "ouvertures numériques", "ouverture numérique"), ("fr", "canaux", "canal"),
    ("fr", "réseaux de neurones", "réseau de neurones"),
    ("pt", "imagens", "imagem"), ("pt", "funções", "função"), ("pt", "canais", "canal"),
    ("pt", "aberturas numéricas", "abertura numérica"),
])
def test_plural_and_singular_share_a_key(language, plural, singular):
    assert stem(plural, language) == stem(singular, language)


def test_different_words_keep_different_keys():
    assert stem("threshold", "en") != stem("segment", "en")
    assert stem("camera", "en") != stem("cameraman", "en")


@pytest.mark.parametrize("one, other, language", [
    ("equalização do histograma", "equalização de histograma", "pt"),
    ("détection des bords", "détection de bords", "fr"),
    ("tamaño del píxel", "tamaño de píxel", "es"),
    ("the point spread function", "point spread function", "en"),
    ("détection de l'objet", "détection d'objet", "fr"),
])
def test_content_key_ignores_function_words(one, other, language):
    assert content_key(one, language) == content_key(other, language)


@pytest.mark.parametrize("one, other, language", [
    ("tamaño de píxel", "tamaño de lote", "es"), ("de", "da", "pt"),
])
def test_content_key_keeps_content_words(one, other, language):
    assert content_key(one, language) != content_key(other, language)



@pytest.mark.parametrize("word", ["cy5", "h2b", "٣d", "imag1ng"])
@pytest.mark.parametrize("language", ["en", "es", "fr"])
def test_words_with_a_digit_are_names_left_unstemmed(word, language):
    """Any digit (ASCII, Arabic-Indic) keeps a word as written; the word of
    letters beside it is still stemmed."""
    assert stem(f"{word} imaging", language).split() == [word, stem("imaging", language)]
    assert stem("imaging", "en") == "imag"


def test_stems_in_many_languages_equal_each_stem(bank):
    """``stems`` splits a text once for every language; each key must be ``stem``'s."""
    languages = ("en", "es", "fr", "pt", "it", "de", "ca")
    texts = [r[0] for r in bank.conn.execute("SELECT text FROM terms")]
    texts += ["ROIs of the cell", "Airy's disks", "Cy5-labelled z–stacks", "ÁREAS DE INTERÉS"]
    for text in texts:
        assert stems(text, languages) == {lang: stem(text, lang) for lang in languages}, text


# The keys as the rules read word by word, without the fast paths of ``inflection`` (plain
# lower-case texts cut at their spaces, one Snowball call for all words of a key, diacritics
# stripped from the whole key): what the fast code must reproduce on every real text.
def _reference_words(text: str, language: str) -> list[str]:
    text = text.replace("’", "'")
    if language == "en":
        text = re.sub(r"'s\b", "", text, flags=re.IGNORECASE)
    words = []
    for word in re.sub(r"[\s\-‐‑‒–—_/'’`]+", " ", text).split():
        word = re.sub(r"[^\w\s]", "", word)
        if re.fullmatch(r"[A-Z][A-Z0-9]+s", word):
            words.append(word[:-1].casefold())
        elif word:
            words.append(_reference_singular(word.casefold(), language))
    return words


def _reference_singular(word: str, language: str) -> str:
    keep = {"en": ("ss", "us", "is"), "es": ("is",)}.get(language, ())
    if len(word) <= 3 or word.endswith(keep):
        return word
    for ending, replacement in PLURALS.get(language, ()):
        if word.endswith(ending) and len(word) - len(ending) >= 2:
            return word[: -len(ending)] + replacement
    return word


def _reference_stem(text: str, language: str) -> str:
    stemmer = snowballstemmer.stemmer(SNOWBALL[language]) if language in SNOWBALL else None
    out = []
    for word in _reference_words(text, language):
        if stemmer is not None and not any(c.isdigit() for c in word):
            word = stemmer.stemWord(word)
        out.append(strip_diacritics(word))
    return " ".join(out)


@pytest.fixture(scope="module")
def real_texts() -> list[str]:
    """Every term of ``glossary/`` and every form of ``evidence/attestations.tsv``, and texts
    that take each path of the splitter (digits, acronym plurals, possessives, separators)."""
    texts = {term.text for concept in read_glossary(ROOT / "glossary") for term in concept.terms}
    texts |= {text for fact in read_tsv(ROOT / "evidence" / "attestations.tsv")
              for text in (fact.term, fact.english)}
    texts |= {"ROIs of the cell", "Airy's disks", "Cy5-labelled z–stacks", "ÁREAS DE INTERÉS",
              "lonos belpa27530", "27530 cells", "h2b", "٣d imaging", "cells\tand\nnuclei",
              "x", " ", "", "l'objet", "PSFs", "ímagens 3D", "r²s", "na"}
    return sorted(texts)


@pytest.mark.parametrize("language", sorted(set(SNOWBALL) | set(PLURALS) | {"ja"}))
def test_keys_equal_a_word_by_word_reading_of_the_rules(real_texts, language):
    """``stem``, ``stems`` and ``singular`` give what the rules give read one word at a time,
    on the real glossary's terms and the attested forms, in every language with rules."""
    for text in real_texts:
        key = _reference_stem(text, language)
        assert stem(text, language) == key, text
        assert stems(text, [language, "en"])[language] == key, text
        assert singular(text, language) == " ".join(
            strip_diacritics(w) for w in _reference_words(text, language)), text


def test_fold_equals_its_rules_on_real_texts(real_texts):
    """``fold``'s shortcut for plain ASCII texts gives what its rules give."""
    for text in real_texts + [t.upper() for t in real_texts] + ["  Z  Stack ", "A_B", "x\x1cy"]:
        rules = strip_diacritics(text.casefold())
        rules = re.sub(r"[^\w\s]", "", re.sub(r"[\s\-‐‑‒–—_/'’`]+", " ", rules)).strip()
        assert fold(text) == rules, text


@pytest.mark.parametrize("language", sorted(PLURALS))
def test_plural_rules_list_the_longer_of_two_nested_endings_first(language):
    """The rules are read longest ending first; a table that listed "s" before "ies" would
    mean another rule than the one ``stem`` applies."""
    endings = [ending for ending, _ in PLURALS[language]]
    assert len(set(endings)) == len(endings)  # one replacement per ending
    for i, ending in enumerate(endings):
        assert not any(later.endswith(ending) for later in endings[i + 1:]), ending

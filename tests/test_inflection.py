import pytest

from termbank.inflection import content_key, fold, stem, stems


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

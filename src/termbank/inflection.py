"""Match keys that make lookups blind to case, diacritics and inflection.

``fold`` lowers case, strips diacritics and treats hyphens, slashes and
apostrophes as spaces ("Z-Stack" and "z stack" meet). ``stem`` goes further:
per word it undoes the regular plural (rules below, one table per language)
and then applies the Snowball stemmer of that language, so "ouvertures
numériques" and "ouverture numérique" share a key. Both the bank and the
query go through the same functions, so the keys only need to agree with
each other, not to be real words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import snowballstemmer

SNOWBALL = {"en": "english", "es": "spanish", "fr": "french", "pt": "portuguese",
            "it": "italian", "de": "german", "ca": "catalan", "nl": "dutch"}

# Regular plural endings, longest first: (ending, replacement). Applied to one
# lower-cased word before Snowball, which leaves some plurals apart from their
# singular (lens/lenses, luz/luces, imagem/imagens, função/funções).
PLURALS: dict[str, tuple[tuple[str, str], ...]] = {
    "en": (("yses", "ysis"), ("ies", "y"), ("sses", "ss"), ("ses", "s"), ("xes", "x"), ("ches", "ch"),
           ("shes", "sh"), ("s", "")),
    "es": (("ces", "z"), ("iones", "ion"), ("ones", "on"), ("les", "l"), ("res", "r"),
           ("nes", "n"), ("des", "d"), ("s", "")),
    "fr": (("eaux", "eau"), ("aux", "al"), ("x", ""), ("s", "")),
    "pt": (("ões", "ão"), ("ães", "ão"), ("ns", "m"), ("ais", "al"), ("éis", "el"),
           ("eis", "el"), ("óis", "ol"), ("res", "r"), ("zes", "z"), ("s", "")),
}


def _listed(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Words a term may gain or lose without naming anything else: articles, the commonest
# prepositions and their contractions, folded (no case, no diacritics; "de l'" folds to "de l").
# The function-word lookup level compares terms with these left out ("equalização do
# histograma" meets "equalização de histograma").
FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": _listed("a an the of for in on at to by"),
    "es": _listed("el la lo los las un una unos unas de del al a en por para"),
    "fr": _listed("le la les l un une des de du d au aux a en par pour sur"),
    "pt": _listed("o a os as um uma uns umas de do da dos das no na nos nas ao aos em por pelo "
                 "pela pelos pelas para"),
    "it": _listed("il lo la i gli le l un una uno di del della dei degli delle da dal al a in "
                 "per"),
    "ca": _listed("el la els les l un una de del dels d al a en per"),
}
_KEEP = {"en": ("ss", "us", "is"), "es": ("is",), "fr": (), "pt": ()}
_ENDINGS = {language: tuple(ending for ending, _ in rules) for language, rules in PLURALS.items()}
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—_/'’`]+")
_STRIP = re.compile(r"[^\w\s]")
_POSSESSIVE = re.compile(r"'s\b", re.IGNORECASE)
_ACRONYM_PLURAL = re.compile(r"[A-Z][A-Z0-9]+s")


def strip_diacritics(text: str) -> str:
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str) -> str:
    """Case- and diacritic-free form with normalised separators: ``'Z-Stack'`` -> ``'z stack'``."""
    text = strip_diacritics(text.casefold())
    text = _SEPARATORS.sub(" ", text)
    return _STRIP.sub("", text).strip()


@lru_cache(maxsize=16)
def _stemmer(language: str):
    name = SNOWBALL.get(language)
    return snowballstemmer.stemmer(name) if name else None


def _singular(word: str, language: str) -> str:
    if len(word) <= 3 or not word.endswith(_ENDINGS.get(language, ())) or word.endswith(_KEEP.get(language, ())):
        return word
    for ending, replacement in PLURALS.get(language, ()):
        if word.endswith(ending) and len(word) - len(ending) >= 2:
            return word[: -len(ending)] + replacement
    return word


def _words(text: str, language: str) -> list[str]:
    """Lower-cased words with the regular plural undone, diacritics still on."""
    return _singulars(_split(text, language == "en"), language)


def _singulars(split: list[tuple[str, bool]], language: str) -> list[str]:
    """The words of ``_split`` with the language's regular plural undone where it is not yet."""
    return [word if whole else _singular(word, language) for word, whole in split]


def _split(text: str, english: bool) -> list[tuple[str, bool]]:
    """``_words`` before the language's plural rules: (lower-cased word, True when its plural
    is already undone, as in "ROIs"). Only English drops a possessive first."""
    text = text.replace("’", "'")
    if english:
        text = _POSSESSIVE.sub("", text)
    out = []
    for word in _SEPARATORS.sub(" ", text).split():
        if word.isascii() and word.isalnum() and word.islower():  # nothing to strip or lower
            out.append((word, False))
            continue
        word = _STRIP.sub("", word)
        if _ACRONYM_PLURAL.fullmatch(word):  # ROIs, PSFs
            out.append((word[:-1].casefold(), True))
        elif word:
            out.append((word.casefold(), False))
    return out


def _no_digit(word: str) -> bool:
    """No digit in ``word`` (a word with digits is a name, "Cy5", kept as written). Letters are
    never digits, so most words are answered by ``isalpha`` without a loop (a build asks this
    of every word of every term)."""
    return word.isalpha() or not any(map(str.isdigit, word))


def stem(text: str, language: str) -> str:
    """Inflection-free key of ``text`` read as ``language`` (a primary subtag)."""
    return _stemmed(_words(text, language), language)


def _stemmed(words: list[str], language: str) -> str:
    stemmer = _stemmer(language)
    out = []
    for word in words:
        if stemmer is not None and _no_digit(word):
            word = stemmer.stemWord(word)
        out.append(strip_diacritics(word))
    return " ".join(out)


def stems(text: str, languages: Iterable[str]) -> dict[str, str]:
    """``stem`` of ``text`` in each of ``languages``, its words split once (a lookup without a
    source language asks for the key in every language of the bank)."""
    split: dict[bool, list[tuple[str, bool]]] = {}
    out = {}
    for language in languages:
        english = language == "en"
        words = split.get(english)
        if words is None:
            words = split[english] = _split(text, english)
        out[language] = _stemmed(_singulars(words, language), language)
    return out


def singular(text: str, language: str) -> str:
    """A lighter key than ``stem``: folded words with only the regular plural undone.

    It tells "thresholds" (threshold) from "thresholding", which share a stem.
    """
    return " ".join(strip_diacritics(w) for w in _words(text, language))


def singular_word(word: str, language: str) -> str:
    """``singular`` of one word, with a fast path for plain lower-case ASCII words."""
    if word.isascii() and word.isalnum() and word.islower():
        return _singular(word, language)
    return singular(word, language)


def content_key(text: str, language: str) -> tuple[str, ...]:
    """The stems of ``text``'s words without the language's function words: the key of the
    function-word and partial lookup levels (a text of function words alone keeps them)."""
    ignored = FUNCTION_WORDS.get(language, frozenset())
    words = fold(text).split()
    kept = [w for w in words if w not in ignored] or words
    return tuple(stem(w, language) for w in kept)


def languages() -> tuple[str, ...]:
    """Languages with plural rules or a stemmer."""
    return tuple(sorted(set(SNOWBALL) | set(PLURALS)))

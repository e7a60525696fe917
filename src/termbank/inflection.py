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
from typing import Any, NamedTuple

import snowballstemmer

SNOWBALL = {"en": "english", "es": "spanish", "fr": "french", "pt": "portuguese",
            "it": "italian", "de": "german", "ca": "catalan", "nl": "dutch"}

# Regular plural endings, longest first: (ending, replacement). Applied to one
# lower-cased word before Snowball, which leaves some plurals apart from their
# singular (lens/lenses, luz/luces, imagem/imagens, função/funções). A word's longest
# ending that leaves two letters or more is the one undone.
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


class _Plurals(NamedTuple):
    """A language's plural rules as ``_singulars`` reads them: the endings (for one
    ``endswith``), those kept as they are, each ending's replacement, their lengths longest
    first (a word ending in "ies" also ends in "s": the longer ending is the rule)."""

    endings: tuple[str, ...]
    keep: tuple[str, ...]
    replacements: dict[str, str]
    lengths: tuple[int, ...]


_PLURALS = {language: _Plurals(tuple(ending for ending, _ in rules), _KEEP[language], dict(rules),
                               tuple(sorted({len(ending) for ending, _ in rules}, reverse=True)))
            for language, rules in PLURALS.items()}
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
    """``word`` with the language's regular plural undone."""
    rules = _PLURALS.get(language)
    if rules is None or len(word) <= 3 or not word.endswith(rules.endings) \
            or word.endswith(rules.keep):
        return word
    return _undone(word, rules)


def _undone(word: str, rules: _Plurals) -> str:
    """``word`` with its longest plural ending that leaves two letters or more replaced."""
    for length in rules.lengths:
        if len(word) - length >= 2:
            replacement = rules.replacements.get(word[-length:])
            if replacement is not None:
                return word[:-length] + replacement
    return word


class _Split(NamedTuple):
    """A text cut into lower-cased words, diacritics still on, before any plural rule."""

    words: list[str]
    done: tuple[int, ...]   # words whose plural is already undone ("ROIs" is "roi")
    names: tuple[int, ...]  # words holding a digit ("Cy5"): names, never stemmed


def _words(text: str, language: str) -> list[str]:
    """Lower-cased words with the regular plural undone, diacritics still on."""
    return _singulars(_split(text, language == "en"), language)


def _singulars(split: _Split, language: str) -> list[str]:
    """The words of ``split`` with the language's regular plural undone where it is not yet.
    One comprehension for all words: a lookup asks this of the query in every language of
    the bank, a build of every term."""
    rules = _PLURALS.get(language)
    words = split.words
    if rules is None:
        return words
    endings, keep = rules.endings, rules.keep
    out = [word if len(word) <= 3 or not word.endswith(endings) or word.endswith(keep)
           else _undone(word, rules) for word in words]
    for i in split.done:
        out[i] = words[i]
    return out


def _split(text: str, english: bool) -> _Split:
    """``text``'s words before the language's plural rules. Only English drops a possessive
    first. A text of plain lower-case ASCII words, which no step here would change, is only
    cut at its spaces (most terms and queries are such texts)."""
    if text.isascii():
        words = text.split()
        joined = "".join(words)
        if joined.isalnum() and (joined.islower() or joined.isdigit()):  # ASCII letters, digits
            names = () if joined.isalpha() else tuple(
                i for i, word in enumerate(words) if not word.isalpha())
            return _Split(words, (), names)
    text = text.replace("’", "'")
    if english:
        text = _POSSESSIVE.sub("", text)
    words, done = [], []
    for word in _SEPARATORS.sub(" ", text).split():
        if word.isascii() and word.isalnum() and word.islower():  # nothing to strip or lower
            words.append(word)
            continue
        word = _STRIP.sub("", word)
        if _ACRONYM_PLURAL.fullmatch(word):  # ROIs, PSFs
            done.append(len(words))
            words.append(word[:-1].casefold())
        elif word:
            words.append(word.casefold())
    return _Split(words, tuple(done), _holding_digits(words, "".join(words)))


def _holding_digits(words: list[str], joined: str) -> tuple[int, ...]:
    """Which of ``words`` hold a digit (none when their concatenation ``joined`` holds none).
    Undoing a plural changes letters only, so the answer holds for the singulars too."""
    if _no_digit(joined):
        return ()
    return tuple(i for i, word in enumerate(words) if not _no_digit(word))


def _no_digit(word: str) -> bool:
    """No digit in ``word`` (a word with digits is a name, "Cy5", kept as written). Letters are
    never digits, so most words are answered by ``isalpha`` without a loop (a build asks this
    of every word of every term)."""
    return word.isalpha() or not any(map(str.isdigit, word))


def stem(text: str, language: str) -> str:
    """Inflection-free key of ``text`` read as ``language`` (a primary subtag)."""
    return _key(_split(text, language == "en"), language)


@lru_cache(maxsize=64)
def _keying(language: str) -> tuple[_Plurals | None, Any]:
    """What makes a key in ``language``: its plural rules and its Snowball stemmer (either
    may be None)."""
    return _PLURALS.get(language), _stemmer(language)


def _key(split: _Split, language: str) -> str:
    """The key of ``split``'s words in ``language``: the regular plural undone (``_singular``)
    and each word but the names stemmed by the language's Snowball stemmer (all in one
    call), joined, diacritics stripped. Written as one function because a lookup asks it
    of the query in every language of the bank and a build of every term."""
    rules, stemmer = _keying(language)
    words = split.words
    if rules is not None:
        endings, keep = rules.endings, rules.keep
        words = [word if len(word) <= 3 or not word.endswith(endings) or word.endswith(keep)
                 else _undone(word, rules) for word in words]
        for i in split.done:
            words[i] = split.words[i]
    if stemmer is not None:
        stemmed = stemmer.stemWords(words)
        for i in split.names:
            stemmed[i] = words[i]
        words = stemmed
    key = " ".join(words)
    return key if key.isascii() else strip_diacritics(key)


def stems(text: str, languages: Iterable[str]) -> dict[str, str]:
    """``stem`` of ``text`` in each of ``languages``, its words split once (twice when it
    holds an apostrophe: English drops a possessive first). A lookup without a source
    language asks for the key in every language of the bank."""
    if "'" in text or "’" in text:
        english, other = _split(text, True), _split(text, False)
        return {language: _key(english if language == "en" else other, language)
                for language in languages}
    split = _split(text, False)
    return {language: _key(split, language) for language in languages}


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

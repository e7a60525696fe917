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
from typing import NamedTuple

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
    """Case- and diacritic-free form with normalised separators: ``'Z-Stack'`` -> ``'z stack'``.
    A text of ASCII letters and digits between spaces only needs lower case and single spaces
    (every lookup and every term of a build is folded)."""
    if text.isascii():
        words = text.split()
        if "".join(words).isalnum():
            return " ".join(words).lower()
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
    names: tuple[int, ...]    # words holding a digit ("Cy5"): names, never stemmed
    plurals: tuple[int, ...]  # words a plural rule may change (see ``_marked``)


def _words(text: str, language: str) -> list[str]:
    """Lower-cased words with the regular plural undone, diacritics still on."""
    return _singulars(_split(text, language == "en"), language)


def _singulars(split: _Split, language: str) -> list[str]:
    """The words of ``split`` with the language's regular plural undone where it is not yet
    (``split.words`` itself when no word changes: read it, do not change it)."""
    rules = _PLURALS.get(language)
    words = split.words
    if rules is None or not split.plurals:
        return words
    out = words.copy()
    endings, keep = rules.endings, rules.keep
    for i in split.plurals:
        word = words[i]
        if word.endswith(endings) and not word.endswith(keep):
            out[i] = _undone(word, rules)
    return out


def _split(text: str, english: bool) -> _Split:
    """``text``'s words before the language's plural rules. Only English drops a possessive
    first. A text of plain lower-case ASCII words, which no step here would change, is only
    cut at its spaces (most terms and queries are such texts)."""
    if text.isascii():
        words = text.split()
        joined = "".join(words)
        if joined.isalnum() and (joined.islower() or joined.isdigit()):  # ASCII letters, digits
            return _marked(words)
    text = text.replace("’", "'")
    if english:
        text = _POSSESSIVE.sub("", text)
    words, done = [], set()
    for word in _SEPARATORS.sub(" ", text).split():
        if word.isascii() and word.isalnum() and word.islower():  # nothing to strip or lower
            words.append(word)
            continue
        word = _STRIP.sub("", word)
        if _ACRONYM_PLURAL.fullmatch(word):  # ROIs, PSFs: the plural already undone
            done.add(len(words))
            words.append(word[:-1].casefold())
        elif word:
            words.append(word.casefold())
    return _marked(words, done)


# The last letters of every language's plural endings: a word ending otherwise, or of three
# letters or fewer, is left as it is by every language's rules.
_PLURAL_LAST = frozenset(ending[-1] for rules in PLURALS.values() for ending, _ in rules)


def _marked(words: list[str], done: set[int] | frozenset[int] = frozenset()) -> _Split:
    """``words`` with the names among them, and those that some language's plural rules may
    change (longer than three letters, a plural's last letter, not ``done``): looked at once
    for all the languages a lookup asks about."""
    names, plurals = [], []
    for i, word in enumerate(words):
        if not _no_digit(word):
            names.append(i)
        if len(word) > 3 and word[-1] in _PLURAL_LAST and i not in done:
            plurals.append(i)
    return _Split(words, tuple(names), tuple(plurals))


def _no_digit(word: str) -> bool:
    """No digit in ``word`` (a word with digits is a name, "Cy5", kept as written). Letters are
    never digits, so most words are answered by ``isalpha`` without a loop (a build asks this
    of every word of every term)."""
    return word.isalpha() or not any(map(str.isdigit, word))


def stem(text: str, language: str) -> str:
    """Inflection-free key of ``text`` read as ``language`` (a primary subtag)."""
    return _key(_split(text, language == "en"), language)


def _key(split: _Split, language: str) -> str:
    """The key of ``split``'s words in ``language``: the regular plural undone and each word
    but the names stemmed by the language's Snowball stemmer (in one call when there are no
    names), joined, diacritics stripped."""
    words = _singulars(split, language)
    stemmer = _stemmer(language)
    if stemmer is not None:
        names = split.names
        if not names:
            words = stemmer.stemWords(words)
        else:  # never stemmed, so that names ("belpa27530") do not crowd the stemmer's memory
            words = [word if i in names else stemmer.stemWord(word)
                     for i, word in enumerate(words)]
    return strip_diacritics(" ".join(words))


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

"""The looser lookup levels, tried only when exact, folded and inflected find nothing.

People type the term with another article or contraction, only the head of a
longer term, a phrase holding a term, or a misspelling. Three levels, in this
order, each stopping the search when it finds something:

- ``function-words``: the same content words (stemmed) once each language's
  articles and prepositions are left out (``inflection.FUNCTION_WORDS``);
- ``partial``: the query is a whole-word run of a term, or a term is a
  whole-word run of the query; the score is the share of the longer side's
  content words that the shorter covers;
- ``fuzzy``: an edit distance scaled to length (at most one edit per eight
  letters, at least one) on queries and terms of five or more letters,
  computed by rapidfuzz; the score is one minus the distance over the length.

Candidates come from the bank's indexes, never from a scan: the full-text
index for words (a prefix of each word's stem, or a word as written), and the
folded-term index for spellings that share their first letters with the
query. A misspelling in a query's first three letters is therefore found only
through another of its words ("tresholding" is left to the suggestions).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from .inflection import FUNCTION_WORDS, content_key, fold, stem

LEVELS = ("function-words", "partial", "fuzzy")
FUZZY_MIN_LETTERS = 5
CANDIDATES = 2000  # rows read per full-text probe; a probe that matches more is cut there
PREFIXES = (3, 5, 8, 12)  # the fuzzy level's probes of the folded-term index
PROBE = 200  # rows read per prefix probe (an index range plus a row lookup each)
MIN_COVERAGE = 0.5  # a partial match covers at least half of the longer side's content words
MAX_AMBIGUITY = 3  # a partial match shared at its best score by more concepts says nothing


def max_edits(length: int) -> int:
    """The edits the fuzzy level forgives in a text of ``length`` letters."""
    return max(1, length // 8)


def find(conn: sqlite3.Connection, text: str, languages: list[str],
         tags: set[str] | None) -> tuple[str, dict[int, float]] | None:
    """(how, {term id: score}) at the first looser level that finds terms in ``languages``
    (and ``tags``, when given), or None."""
    words = fold(text).split()
    if not words:
        return None
    found = _by_words(conn, text, words, languages, tags)
    if found:
        return found
    scores = _fuzzy(conn, " ".join(words), languages, tags)
    return ("fuzzy", scores) if scores else None


def _language_sql(languages: list[str], tags: set[str] | None) -> tuple[str, list[str]]:
    sql = f" AND t.language IN ({','.join('?' * len(languages))})"
    params = list(languages)
    if tags is not None:
        sql += f" AND t.tag IN ({','.join('?' * len(tags))})"
        params += sorted(tags)
    return sql, params


def _prefix(word: str, language: str) -> str:
    """The part of a folded word that its inflected forms share, for an FTS prefix query."""
    key = stem(word, language)
    common = 0
    while common < min(len(key), len(word)) and key[common] == word[common]:
        common += 1
    return word[:max(common, min(len(word), 3))]


def _by_words(conn, text, words, languages, tags) -> tuple[str, dict[int, float]] | None:
    """The function-word and partial levels over terms sharing the query's content words."""
    where, params = _language_sql(languages, tags)
    same: dict[int, float] = {}
    partial: dict[int, float] = {}
    for language in languages:
        query = content_key(text, language)
        ignored = FUNCTION_WORDS.get(language, frozenset())
        content = [w for w in words if w not in ignored] or words
        match = " AND ".join(f'"{_prefix(w, language)}"*' for w in content)
        rows = _rows(conn, "SELECT t.id, t.text, t.language FROM terms_fts JOIN terms t ON "
                           "t.rowid = terms_fts.rowid WHERE terms_fts MATCH ?" + where
                           + f" LIMIT {CANDIDATES}", [match, *params])
        for term_id, term, term_language in rows:
            key = content_key(term, term_language)
            if key == query:
                same[term_id] = _similarity(fold(term), " ".join(words))
            elif _within(query, key) and len(query) / len(key) >= MIN_COVERAGE:
                partial[term_id] = round(len(query) / len(key), 3)
        partial.update(_held(conn, words, language, where, params))
    if same:
        return "function-words", same
    partial = _unambiguous(conn, partial)
    return ("partial", partial) if partial else None


def _unambiguous(conn, scores: dict[int, float]) -> dict[int, float]:
    """The partial matches, unless more than MAX_AMBIGUITY concepts share the best score: a
    word that heads many terms ("image") does not say which concept is meant."""
    if not scores:
        return scores
    best = max(scores.values())
    top = [i for i, s in scores.items() if s == best]
    marks = ",".join("?" * len(top))
    concepts = conn.execute(f"SELECT count(DISTINCT concept_id) FROM terms WHERE id IN ({marks})",
                            top).fetchone()[0]
    return scores if concepts <= MAX_AMBIGUITY else {}


def _rows(conn, sql: str, params: list) -> list:
    try:
        return conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError:  # a query FTS cannot parse finds nothing at this level
        return []


def _within(part: tuple[str, ...], whole: tuple[str, ...]) -> bool:
    """Whether ``part`` is a shorter run of whole words of ``whole``."""
    n = len(part)
    return 0 < n < len(whole) and any(whole[i:i + n] == part for i in range(len(whole) - n + 1))


def _held(conn, words, language, where, params) -> dict[int, float]:
    """Terms of two or more content words that are a run of the query's words (as written,
    function words included, so the bank's inflection key finds them), covering at least
    MIN_COVERAGE of the query's content words: one word found in a phrase says too little."""
    ignored = FUNCTION_WORDS.get(language, frozenset())
    content = [i for i, word in enumerate(words) if word not in ignored]
    runs: dict[str, float] = {}
    for first in range(len(content)):
        for last in range(first + 1, len(content)):
            share = (last - first + 1) / len(content)
            if share < 1 and share >= MIN_COVERAGE:
                phrase = " ".join(words[content[first]:content[last] + 1])
                runs[stem(phrase, language)] = share
    if not runs:
        return {}
    rows = conn.execute(f"SELECT t.id, t.stem FROM terms t WHERE t.stem IN "
                        f"({','.join('?' * len(runs))})" + where, [*runs, *params]).fetchall()
    return {term_id: round(runs[key], 3) for term_id, key in rows}


def _similarity(a: str, b: str) -> float:
    from rapidfuzz.distance import Levenshtein

    return round(Levenshtein.normalized_similarity(a, b), 3)


def _fuzzy(conn, folded: str, languages: list[str], tags: set[str] | None) -> dict[int, float]:
    """Terms within ``max_edits`` of the folded query, the closest only."""
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    letters = len(folded.replace(" ", ""))
    if letters < FUZZY_MIN_LETTERS:
        return {}
    where, params = _language_sql(languages, tags)
    limit = max_edits(letters)
    candidates = {term_id: term for term_id, term in _near(conn, folded, where, params)
                  if len(term) - term.count(" ") >= FUZZY_MIN_LETTERS}
    found = process.extract(folded, candidates, scorer=Levenshtein.distance, score_cutoff=limit,
                            limit=None)
    if not found:
        return {}
    closest = min(distance for _, distance, _ in found)
    return {term_id: round(1 - distance / letters, 3)
            for _, distance, term_id in found if distance == closest}


def _near(conn, folded: str, where: str, params: list) -> Iterable[tuple[int, str]]:
    """Candidate (term id, folded term) pairs: terms sharing the query's first 3, 5, 8 or 12
    letters (the longer the prefix, the fewer terms share it, so a misspelling late in a
    long term is found however large the bank), and, for a query of several words, terms
    holding one of its words as written (a misspelling in one word leaves the others)."""
    for size in PREFIXES:
        if size > len(folded) and size != PREFIXES[0]:
            break
        head = folded[:size]
        yield from conn.execute(
            f"SELECT t.id, t.folded FROM terms t WHERE t.folded >= ? AND t.folded < ?{where} "
            f"LIMIT {PROBE}", [head, head + "\uffff", *params])
    words = [w for w in dict.fromkeys(folded.split()) if len(w) >= 3]
    if len(words) > 1:
        match = " OR ".join(f'"{w}"' for w in words)
        yield from _rows(conn, "SELECT t.id, t.folded FROM terms_fts JOIN terms t ON "
                               "t.rowid = terms_fts.rowid WHERE terms_fts MATCH ?" + where
                               + f" LIMIT {CANDIDATES}", [match, *params])

"""The looser lookup levels, tried only when exact, folded and inflected find nothing.

People type the term with another article or contraction, only part of a
longer term, a phrase holding a term, or a misspelling. Three levels, in this
order; the first that finds terms ends the search:

- ``function-words``: the same content words (stemmed) once each language's
  articles and prepositions are left out (``inflection.FUNCTION_WORDS``);
- ``partial``: the query is a whole-word run of a longer term, or a term is a
  whole-word run of the query; the score is the share of the longer side's
  content words that the shorter covers;
- ``fuzzy``: an edit distance scaled to length (at most one edit per eight
  letters, at least one) on queries and terms of five or more letters,
  computed by rapidfuzz; the score is one minus the distance over the length.

What a terminologist would not call the same concept is offered, not
answered (``Found.withheld``, shown as suggestions):

- a word cut from a longer term names a broader notion ("límite" is not the
  limit of detection), unless the glossary records that the concept is named
  by one word: a one-word ``short form`` in some language ("projection" for
  z-projection, so "proyección" finds it);
- a longer term that differs by a proper name (an eponym: "umbral automático
  de Costes") is one kind among many of what the query names;
- a term inside the query must cover most of its content words;
- when several concepts rank equal at the best, the level names none of them
  first (a tie answered with whichever came first says nothing).

Candidates come from the bank's indexes, never from a scan: the full-text
index for words (a prefix of each word's stem, or a word as written), and for
spellings the folded-term index (shared first letters), then, if nothing there
is close enough, the trigram index ``folded_trigrams`` (pieces of the query
that a misspelling leaves intact, so "tresholding" finds "thresholding").
Approved proposals (``approved``, rows shaped like ``terms``) are few, and
every level reads them all.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from .inflection import FUNCTION_WORDS, content_key, fold, stem

LEVELS = ("function-words", "partial", "fuzzy")
FUZZY_MIN_LETTERS = 5
CANDIDATES = 2000  # rows read per full-text probe; a probe that matches more is cut there
PREFIXES = (3, 5, 8, 12)  # the fuzzy level's probes of the folded-term index
PROBE = 200  # rows read per index probe of the fuzzy level
# A misspelling in a query's first letters is looked for in queries of this many letters or
# more: a shorter word that differs from a term at its start is more often another word
# ("contar", "montar") than a slip of the keys.
EARLY_EDITS_FROM = 8
MIN_COVERAGE = 0.5  # a longer term holding the query: the query covers at least half of it
MOST = 0.5  # a term inside the query covers more than this share of the query's content words
# Languages whose multi-word terms put the head noun first ("proyección en Z", "plan focal");
# in the others the head comes last ("z-projection").
HEAD_FIRST = frozenset({"es", "fr", "pt", "it", "ca", "gl", "ro"})


class Found(NamedTuple):
    """What a looser level found: the terms it answers with and those it only offers."""

    how: str
    scores: dict[int, float]  # term id -> score, the answer (empty when all are withheld)
    withheld: dict[int, float]  # term id -> score, offered as suggestions, not answered


class Hit(NamedTuple):
    """One term found at a level; ``rank`` orders hits, best last (score first)."""

    term: int
    concept: str
    score: float
    rank: tuple


def max_edits(length: int) -> int:
    """The edits the fuzzy level forgives in a text of ``length`` letters."""
    return max(1, length // 8)


def find(conn: sqlite3.Connection, text: str, languages: list[str], tags: set[str] | None,
         approved: Sequence[dict] = ()) -> Found | None:
    """The first looser level that finds terms in ``languages`` (and ``tags``, when given),
    searching the bank and the ``approved`` proposal rows, or None."""
    words = fold(text).split()
    if not words:
        return None
    approved = [r for r in approved if r["language"] in languages
                and (tags is None or r["tag"] in tags)]
    found = _by_words(conn, text, words, languages, tags, approved)
    if found:
        return found
    hits = _fuzzy(conn, " ".join(words), languages, tags, approved)
    return _decide("fuzzy", hits, []) if hits else None


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


def _by_words(conn, text, words, languages, tags, approved) -> Found | None:
    """The function-word and partial levels over terms sharing the query's content words."""
    where, params = _language_sql(languages, tags)
    same: list[Hit] = []
    longer: list[tuple[Hit, str, str, int]] = []  # (hit, term text, language, query words)
    inside: list[Hit] = []
    for language in languages:
        query = content_key(text, language)
        ignored = FUNCTION_WORDS.get(language, frozenset())
        content = [w for w in words if w not in ignored] or words
        match = " AND ".join(f'"{_prefix(w, language)}"*' for w in content)
        rows = _rows(conn, "SELECT t.id, t.concept_id, t.text, t.language FROM terms_fts "
                           "JOIN terms t ON t.rowid = terms_fts.rowid WHERE terms_fts MATCH ?"
                           + where + f" LIMIT {CANDIDATES}", [match, *params])
        rows += [(r["id"], r["concept_id"], r["text"], r["language"]) for r in approved
                 if r["language"] == language]
        for term_id, concept, term, term_language in rows:
            key = content_key(term, term_language)
            if key == query:
                score = _similarity(fold(term), " ".join(words))
                same.append(Hit(term_id, concept, score, (score,)))
            elif _within(query, key) and len(query) / len(key) >= MIN_COVERAGE:
                score = round(len(query) / len(key), 3)
                head = _head(key, language) in query
                longer.append((Hit(term_id, concept, score, (score, head)), term, term_language,
                               len(query)))
        inside += _held(conn, words, language, where, params, approved)
    if same:
        return _decide("function-words", same, [])
    named, broader = _named(conn, longer, text)
    if named or inside or broader:
        return _decide("partial", named + inside, broader)
    return None


def _head(key: tuple[str, ...], language: str) -> str:
    """The head word of a term's content key: first in HEAD_FIRST languages, else last."""
    return key[0] if language in HEAD_FIRST else key[-1]


def _named(conn, longer: list[tuple[Hit, str, str, int]], text: str
           ) -> tuple[list[Hit], list[Hit]]:
    """The longer terms whose concept the query may name, and those it names only broadly:
    a longer term whose extra words include a proper name, and, for a one-word query, a term
    whose concept is not clipped to one word (``_clipped``)."""
    if not longer:
        return [], []
    clipped = {language: _clipped(conn, {hit.concept for hit, _, lang, _ in longer}, language)
               for language in {lang for _, _, lang, _ in longer}}
    named, broader = [], []
    for hit, term, language, size in longer:
        eponym = _names_left_out(term, text)
        if eponym or (size == 1 and hit.concept not in clipped[language]):
            broader.append(hit)
        else:
            named.append(hit)
    return named, broader


def _clipped(conn, concepts: set[str], language: str) -> set[str]:
    """The concepts a one-word query in ``language`` may name through one word of a longer
    term: those recording a one-word short form in some language, unless they record one in
    ``language`` itself, which is then how this language clips the term (a query reaching
    this level is not that word: the strict levels would have found it)."""
    ids = sorted(concepts)
    rows = conn.execute(
        f"SELECT concept_id, language FROM terms WHERE concept_id IN ({','.join('?' * len(ids))})"
        " AND type = 'short form' AND instr(folded, ' ') = 0", ids).fetchall()
    own = {concept for concept, lang in rows if lang == language}
    return {concept for concept, _ in rows} - own


def _names_left_out(term: str, query: str) -> bool:
    """Whether the term has a proper name (a capitalised word with lower-case letters after its
    first, past the term's first word) that the query lacks: "Costes", "Pockels", "Nyquist"."""
    typed = set(fold(query).split())
    return any(word[:1].isupper() and any(c.islower() for c in word[1:])
               and not set(fold(word).split()) <= typed for word in term.split()[1:])


def _decide(how: str, hits: list[Hit], broader: list[Hit]) -> Found:
    """The answer of a level: its best concept first, then hits of lower score. When several
    concepts share the best rank, no concept is answered and all hits are offered; hits that
    tie the best score but lose on rank, and ``broader`` ones, are offered too."""
    offered = {h.term: h.score for h in broader}
    if not hits:
        return Found(how, {}, offered)
    best = max(h.rank for h in hits)
    if len({h.concept for h in hits if h.rank == best}) > 1:
        return Found(how, {}, {**offered, **{h.term: h.score for h in hits}})
    answer = {h.term: h.score for h in hits if h.rank == best or h.score < best[0]}
    offered.update({h.term: h.score for h in hits if h.term not in answer})
    return Found(how, answer, offered)


def _rows(conn, sql: str, params: list) -> list:
    try:
        return conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError:  # a query FTS cannot parse finds nothing at this level
        return []


def _within(part: tuple[str, ...], whole: tuple[str, ...]) -> bool:
    """Whether ``part`` is a shorter run of whole words of ``whole``."""
    n = len(part)
    return 0 < n < len(whole) and any(whole[i:i + n] == part for i in range(len(whole) - n + 1))


def _held(conn, words, language, where, params, approved) -> list[Hit]:
    """Terms of two or more content words that are a run of the query's words (as written,
    function words included, so the bank's inflection key finds them), covering most of the
    query's content words: a term found in a phrase that says more is a guess."""
    ignored = FUNCTION_WORDS.get(language, frozenset())
    content = [i for i, word in enumerate(words) if word not in ignored]
    runs: dict[str, float] = {}
    for first in range(len(content)):
        for last in range(first + 1, len(content)):
            share = (last - first + 1) / len(content)
            if MOST < share < 1:
                phrase = " ".join(words[content[first]:content[last] + 1])
                runs[stem(phrase, language)] = round(share, 3)
    if not runs:
        return []
    rows = conn.execute(f"SELECT t.id, t.concept_id, t.stem FROM terms t WHERE t.stem IN "
                        f"({','.join('?' * len(runs))})" + where, [*runs, *params]).fetchall()
    rows += [(r["id"], r["concept_id"], r["stem"]) for r in approved
             if r["language"] == language and r["stem"] in runs]
    return [Hit(term_id, concept, runs[key], (runs[key], True)) for term_id, concept, key in rows]


def _similarity(a: str, b: str) -> float:
    from rapidfuzz.distance import Levenshtein

    return round(Levenshtein.normalized_similarity(a, b), 3)


def _fuzzy(conn, folded: str, languages: list[str], tags: set[str] | None,
           approved: Sequence[dict]) -> list[Hit]:
    """Terms within ``max_edits`` of the folded query, the closest only. Terms sharing the
    query's first letters or one of its words are tried first; only when none is close
    enough, and the query has EARLY_EDITS_FROM letters or more, the trigram index is asked
    for terms holding a piece of the query (a slip in the first letters)."""
    letters = len(folded.replace(" ", ""))
    if letters < FUZZY_MIN_LETTERS:
        return []
    where, params = _language_sql(languages, tags)
    edits = max_edits(letters)
    near = list(_near(conn, folded, where, params))
    near += [(r["id"], r["concept_id"], r["folded"]) for r in approved]
    hits = _closest(folded, near, edits)
    if not hits and letters >= EARLY_EDITS_FROM:
        hits = _closest(folded, list(_holding_a_piece(conn, folded, edits, where, params)),
                        edits)
    return hits


def _closest(folded: str, near: list[tuple[int, str, str]], edits: int) -> list[Hit]:
    """The candidates (term id, concept, folded term) closest to ``folded``, within ``edits``."""
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    concepts = {term_id: concept for term_id, concept, _ in near}
    candidates = {term_id: term for term_id, _, term in near
                  if len(term) - term.count(" ") >= FUZZY_MIN_LETTERS}
    found = process.extract(folded, candidates, scorer=Levenshtein.distance, score_cutoff=edits,
                            limit=None)
    if not found:
        return []
    closest = min(distance for _, distance, _ in found)
    score = round(1 - closest / len(folded.replace(" ", "")), 3)
    return [Hit(term_id, concepts[term_id], score, (score,))
            for _, distance, term_id in found if distance == closest]


def pieces(folded: str, edits: int) -> list[str]:
    """The query cut into ``edits`` + 1 runs: a text within ``edits`` edits of the query holds
    at least one of them unchanged, wherever the edits fall (each edit touches one run)."""
    size, extra = divmod(len(folded), edits + 1)
    cuts, start = [], 0
    for i in range(edits + 1):
        end = start + size + (i < extra)
        cuts.append(folded[start:end])
        start = end
    return cuts


def _holding_a_piece(conn, folded: str, edits: int, where: str, params: list
                     ) -> Iterable[tuple[int, str, str]]:
    """Candidate (term id, concept, folded term) triples from the trigram index: terms of a
    length within ``edits`` of the query's that hold one of its ``pieces`` (each piece has
    three letters or more from EARLY_EDITS_FROM letters on)."""
    sizes = [len(folded) - edits, len(folded) + edits]
    for piece in pieces(folded, edits):
        yield from _rows(conn, "SELECT t.id, t.concept_id, t.folded FROM folded_trigrams g "
                               "JOIN terms t ON t.id = g.rowid WHERE folded_trigrams MATCH ? "
                               "AND length(t.folded) BETWEEN ? AND ?" + where
                               + f" LIMIT {PROBE}", [_quoted(piece), *sizes, *params])


def _near(conn, folded: str, where: str, params: list) -> Iterable[tuple[int, str, str]]:
    """Candidate (term id, concept, folded term) triples: terms sharing the query's first 3,
    5, 8 or 12 letters (the longer the prefix, the fewer terms share it, so a misspelling
    late in a long term is found however large the bank), and, for a query of several
    words, terms holding one of its words as written (a misspelling in one word leaves the
    others)."""
    for size in PREFIXES:
        if size > len(folded) and size != PREFIXES[0]:
            break
        head = folded[:size]
        yield from conn.execute(
            f"SELECT t.id, t.concept_id, t.folded FROM terms t WHERE t.folded >= ? "
            f"AND t.folded < ?{where} LIMIT {PROBE}", [head, head + "\uffff", *params])
    words = [w for w in dict.fromkeys(folded.split()) if len(w) >= 3]
    if len(words) > 1:
        match = " OR ".join(f'"{w}"' for w in words)
        yield from _rows(conn, "SELECT t.id, t.concept_id, t.folded FROM terms_fts JOIN terms t "
                               "ON t.rowid = terms_fts.rowid WHERE terms_fts MATCH ?" + where
                               + f" LIMIT {CANDIDATES}", [match, *params])


def _quoted(text: str) -> str:
    """``text`` as one FTS5 string (a substring query for the trigram tokenizer)."""
    return '"' + text.replace('"', '""') + '"'

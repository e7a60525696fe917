"""Find the bank's terms in running text: longest match first, inflection-aware.

The text is split into words with their character offsets; every word gets
the same per-language key that ``inflection.singular`` gives each word of a
term (case, diacritics and the regular plural undone), so "z-stacks",
"Z stack" and "z-stack" all meet the term "z-stack". The Snowball stem that
lookups fall back on is too loose here: it would read "pixelated" as "pixel". A term
matches a run of adjacent words (only spaces, hyphens, slashes or apostrophes
between them), never part of a word, and the longest term wins.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass
from itertools import accumulate
from typing import NamedTuple

from .inflection import fold, singular, singular_word
from .model import STATUSES

_STATUS_RANK = {s: i for i, s in enumerate(STATUSES)}
_WORD = re.compile(r"\w+(?:['’]s\b)?")
_SPLIT = re.compile(r"(\w+(?:['’]s\b)?)")
_JOINER = re.compile(r"[\s\-‐‑/'’]{1,3}")
_NON_WORD = re.compile(r"\W")


@dataclass(frozen=True)
class Entry:
    """One glossary term as the matcher needs it."""

    concept_id: str
    text: str
    tag: str
    status: str
    case_sensitive: bool


class Occurrence(NamedTuple):
    """One term found in a text (a named tuple: a long text yields many)."""

    line: int
    start: int
    end: int
    text: str
    concept: str
    term: str
    tag: str
    status: str
    other_concepts: tuple[str, ...] = ()
    entries: tuple[Entry, ...] = ()


class TermIndex:
    """Every term of one language, keyed by the tuple of its words' keys."""

    def __init__(self, language: str, entries):
        self.language = language
        self.keys: dict[tuple[str, ...], list[Entry]] = defaultdict(list)
        for entry in entries:
            key = tuple(singular(entry.text, language).split())
            if key:
                self.keys[key].append(entry)
        self.prefixes = {k[:n] for k in self.keys for n in range(1, len(k))}
        self.starts = {k[0] for k in self.keys}
        self.sensitive = {k for k, entries in self.keys.items() if any(e.case_sensitive for e in entries)}
        self._known: dict[str, str] = {}
        for key in self.keys.values():  # the glossary's own words are the likeliest in a text
            for word in _WORD.findall(key[0].text):
                if word not in self._known:
                    self._key(word)

    def _key(self, word: str) -> str:
        """A word's key, remembered: running text repeats its words."""
        key = self._known[word] = singular_word(word, self.language)
        if len(self._known) > 500_000:
            self._known.clear()
        return key

    @classmethod
    def from_bank(cls, bank, language: str) -> TermIndex:
        """Terms in ``language``, plus do-not-translate names, which any text may contain."""
        rows = bank.conn.execute(
            "SELECT t.concept_id, t.text, t.tag, t.status, t.case_sensitive FROM terms t "
            "WHERE t.language = ? OR (t.tag = 'en' AND t.concept_id IN "
            "(SELECT id FROM concepts WHERE do_not_translate)) ORDER BY t.id", [language])
        return cls(language, (Entry(r[0], r[1], r[2], r[3], bool(r[4])) for r in rows))

    def find(self, text: str) -> list[Occurrence]:
        """Every occurrence in ``text``, in order, without overlaps.

        The text is split once into alternating gaps and words (in C); offsets
        come from the running sum of their lengths, so no per-word match
        objects are made.
        """
        parts = _SPLIT.split(text)
        words = Words(parts)
        known, key_of = self._known, self._key
        keys = [known.get(w) or key_of(w) for w in parts[1::2]]
        starts = self.starts
        lines = [m.end() for m in re.finditer("\n", text)]
        found, free = [], 0
        for i in [i for i, k in enumerate(keys) if k in starts]:
            if i < free:
                continue
            hit = self._longest_at(text, words, keys, i)
            if hit is None:
                continue
            n, entries = hit
            start, end = words.start(i), words.end(i + n - 1)
            best = entries[0] if len(entries) == 1 else min(
                entries, key=lambda e: self._rank(e, text[start:end]))
            others = () if len(entries) == 1 else tuple(dict.fromkeys(
                e.concept_id for e in entries if e.concept_id != best.concept_id))
            found.append(Occurrence(bisect.bisect_right(lines, start) + 1, start, end,
                                    text[start:end], best.concept_id, best.text, best.tag,
                                    best.status, others, tuple(entries)))
            free = i + n
        return found

    def _rank(self, entry: Entry, surface: str) -> tuple:
        """The same written form first, then preferred before admitted, the text's own tag
        first."""
        return (fold(entry.text) != fold(surface), _STATUS_RANK[entry.status], entry.tag != self.language, entry.concept_id)

    def _longest_at(self, text: str, words: Words, keys, i: int):
        """Walk forward while the words so far begin some term; try the longest hit first."""
        table, prefixes, parts, last = self.keys, self.prefixes, words.parts, len(keys)
        hits, key, j = [], (keys[i],), i + 1
        while True:
            if key in table:
                hits.append((j - i, key))
            if key not in prefixes or j >= last:
                break
            gap = parts[2 * j]  # between word j - 1 and word j
            if gap != " " and _JOINER.fullmatch(gap) is None:
                break
            key += (keys[j],)
            j += 1
        for n, key in reversed(hits):
            entries = table[key]
            if key not in self.sensitive:
                return n, entries
            surface = text[words.start(i):words.end(i + n - 1)]
            fitting = [e for e in entries if not e.case_sensitive or _same_case(surface, e.text)]
            if fitting:
                return n, fitting
        return None


class Words:
    """Offsets of the words of a text split as [gap, word, gap, word, ..., gap]."""

    def __init__(self, parts: list[str]):
        self.parts = parts
        self.ends = list(accumulate(map(len, parts)))

    def start(self, k: int) -> int:
        return self.ends[2 * k]

    def end(self, k: int) -> int:
        return self.ends[2 * k + 1]


def _same_case(surface: str, term: str) -> bool:
    """A case-sensitive term matches only as written (a plural 's' may follow: ROIs)."""
    return _NON_WORD.sub("", surface).startswith(_NON_WORD.sub("", term))

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
from dataclasses import dataclass, field

from .inflection import fold, singular, singular_word
from .model import STATUSES

_STATUS_RANK = {s: i for i, s in enumerate(STATUSES)}
_WORD = re.compile(r"\w+(?:['’]s\b)?")
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


@dataclass(frozen=True)
class Occurrence:
    line: int
    start: int
    end: int
    text: str
    concept: str
    term: str
    tag: str
    status: str
    other_concepts: tuple[str, ...] = ()
    entries: tuple[Entry, ...] = field(default=(), compare=False, repr=False)


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
        """Every occurrence in ``text``, in order, without overlaps."""
        words = list(_WORD.finditer(text))
        known, key_of = self._known, self._key
        keys = [known.get(w) or key_of(w) for w in map(re.Match.group, words)]
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
            start, end = words[i].start(), words[i + n - 1].end()
            best = entries[0] if len(entries) == 1 else min(
                entries, key=lambda e: self._rank(e, text[start:end]))
            others = tuple(dict.fromkeys(e.concept_id for e in entries if e.concept_id != best.concept_id))
            found.append(Occurrence(bisect.bisect_right(lines, start) + 1, start, end,
                                    text[start:end], best.concept_id, best.text, best.tag,
                                    best.status, others, tuple(entries)))
            free = i + n
        return found

    def _rank(self, entry: Entry, surface: str) -> tuple:
        """The same written form first, then preferred before admitted, the text's own tag
        first."""
        return (fold(entry.text) != fold(surface), _STATUS_RANK[entry.status], entry.tag != self.language, entry.concept_id)

    def _longest_at(self, text: str, words, keys, i: int):
        """Walk forward while the words so far begin some term; try the longest hit first."""
        table, prefixes, last = self.keys, self.prefixes, len(words)
        hits, key = [], (keys[i],)
        while True:
            if key in table:
                hits.append(key)
            j = i + len(key)
            if j >= last or key not in prefixes or not _joined(text, words[j - 1], words[j]):
                break
            key += (keys[j],)
        for key in reversed(hits):
            surface = text[words[i].start():words[i + len(key) - 1].end()]
            fitting = [e for e in table[key] if not e.case_sensitive or _same_case(surface, e.text)]
            if fitting:
                return len(key), fitting
        return None


def _joined(text: str, word: re.Match, following: re.Match) -> bool:
    """Two words are joined only by spaces, hyphens, slashes or apostrophes."""
    start, end = word.end(), following.start()
    return text[start:end] == " " or _JOINER.fullmatch(text, start, end) is not None


def _same_case(surface: str, term: str) -> bool:
    """A case-sensitive term matches only as written (a plural 's' may follow: ROIs)."""
    return _NON_WORD.sub("", surface).startswith(_NON_WORD.sub("", term))

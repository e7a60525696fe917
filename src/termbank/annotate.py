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

from .inflection import fold, singular
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

    def _keys_of(self, text: str, words) -> list[str]:
        """Each word's key; a word seen before is not keyed again."""
        known, language, out = self._known, self.language, []
        for start, end in words:
            word = text[start:end]
            key = known.get(word)
            if key is None:
                key = known[word] = singular(word, language)
                if len(known) > 500_000:
                    known.clear()
            out.append(key)
        return out

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
        words = [m.span() for m in _WORD.finditer(text)]
        keys = self._keys_of(text, words)
        lines = [m.end() for m in re.finditer("\n", text)]
        starts = self.starts
        found, i = [], 0
        while i < len(words):
            hit = self._longest_at(text, words, keys, i) if keys[i] in starts else None
            if hit is None:
                i += 1
                continue
            n, entries = hit
            start, end = words[i][0], words[i + n - 1][1]
            best = entries[0] if len(entries) == 1 else min(
                entries, key=lambda e: self._rank(e, text[start:end]))
            others = tuple(dict.fromkeys(e.concept_id for e in entries if e.concept_id != best.concept_id))
            found.append(Occurrence(bisect.bisect_right(lines, start) + 1, start, end,
                                    text[start:end], best.concept_id, best.text, best.tag,
                                    best.status, others, tuple(entries)))
            i += n
        return found

    def _rank(self, entry: Entry, surface: str) -> tuple:
        """The same written form first, then preferred before admitted, the text's own tag
        first."""
        return (fold(entry.text) != fold(surface), _STATUS_RANK[entry.status], entry.tag != self.language, entry.concept_id)

    def _longest_at(self, text: str, words, keys, i: int):
        """Walk forward while the words so far begin some term; try the longest hit first."""
        hits, n = [], 1
        while i + n <= len(words):
            key = tuple(keys[i:i + n])
            if key in self.keys:
                hits.append(n)
            if key not in self.prefixes or (i + n < len(words) and not _joined(text, words, i + n - 1)):
                break
            n += 1
        for n in reversed(hits):
            surface = text[words[i][0]:words[i + n - 1][1]]
            fitting = [e for e in self.keys[tuple(keys[i:i + n])]
                       if not e.case_sensitive or _same_case(surface, e.text)]
            if fitting:
                return n, fitting
        return None


def _joined(text: str, words, k: int) -> bool:
    """Word k and word k+1 are joined only by spaces, hyphens, slashes or apostrophes."""
    return _JOINER.fullmatch(text, words[k][1], words[k + 1][0]) is not None


def _same_case(surface: str, term: str) -> bool:
    """A case-sensitive term matches only as written (a plural 's' may follow: ROIs)."""
    return _NON_WORD.sub("", surface).startswith(_NON_WORD.sub("", term))

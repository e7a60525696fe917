"""Find the bank's terms in running text: longest match first, inflection-aware.

Texts and terms are split into words the same way, and every word gets its
per-language key from ``inflection.singular_word`` (case, diacritics and the
regular plural undone), so "z-stacks", "Z stack" and "z-stack" all meet the
term "z-stack". The Snowball stem that lookups fall back on is too loose here:
it would read "pixelated" as "pixel". A term matches a run of adjacent words
(only spaces, hyphens, slashes or apostrophes between them, or the term's own
punctuation, as in "H&E"), never part of a word, and the longest term wins.
A language's function words (``inflection.FUNCTION_WORDS``) share one key, so
"equalização do histograma" meets the term "equalização de histograma".

``document_glossary`` turns what was found into a glossary in the document's
own words: each form the text uses, mapped to the concept's target terms, so
that a machine-translation engine fed that glossary matches the text as written.

Terms are held in a trie of word keys, so the work per word of text is a few
operations done in C (split, dictionary lookups); Python steps are spent only
where a word begins some term.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, replace
from itertools import compress, count
from typing import TYPE_CHECKING, NamedTuple, cast

from . import langtags
from .inflection import FUNCTION_WORDS, fold, singular_word, strip_diacritics
from .model import STATUSES, Concept, Glossary

if TYPE_CHECKING:
    from .bank import OpenBank

_STATUS_RANK = {s: i for i, s in enumerate(STATUSES)}
_SPLIT = re.compile(r"(\w+(?:['’]s\b)?)")
_JOINER = re.compile(r"[\s\-‐‑/'’]{1,3}")
_NON_WORD = re.compile(r"\W")
KNOWN_WORDS = 1_000_000  # keys of words outside the glossary remembered between texts
FUNCTION_KEY = "\x00"  # the one key of every function word of the index's language


@dataclass(frozen=True, slots=True)
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


class Node:
    """One word of the trie: the terms that end here and the words that may follow.

    ``gaps`` holds punctuation that a term itself puts before its next word
    ("H&E", "OMERO.web"), which would otherwise end a run of words; such a
    word is keyed with its punctuation in front ("&e"), so "H E" is not "H&E".
    """

    __slots__ = ("after", "entries", "gaps", "sensitive")

    def __init__(self):
        self.entries: tuple[Entry, ...] = ()
        self.after: dict[str, Node] | None = None
        self.sensitive = False
        self.gaps: frozenset[str] = frozenset()


class TermIndex:
    """Every term of one language in a trie keyed by its words' keys.

    Terms are split into words exactly as texts are. The glossary's words are
    keyed once, at start-up, and so are the nodes they begin; other words of
    the texts read (inflected forms, capitals, the rest of the language) are
    keyed when first met and remembered, up to ``remember`` of them.
    """

    def __init__(self, language: str, entries, remember: int = KNOWN_WORDS):
        self.language, self.remember = language, remember
        self._function_words = FUNCTION_WORDS.get(language, frozenset())
        self.heads: dict[str, Node] = {}
        self._known: dict[str, str] = {}  # a word as written -> its key
        self._learned: list[str] = []  # the words of _known met in texts, not in the glossary
        self.size = 0  # terms indexed
        for entry in entries:
            self._add(entry)
        heads = self.heads
        # a word as written -> the node it begins
        self._head_of = {w: heads[k] for w, k in self._known.items() if k in heads}

    def _add(self, entry: Entry) -> None:
        parts = _SPLIT.split(entry.text)
        keys = [self._key(word) for word in parts[1::2]]
        if not keys or not all(keys):
            return
        node = self.heads.get(keys[0]) or self.heads.setdefault(keys[0], Node())
        for gap, key in zip(parts[2:-1:2], keys[1:], strict=True):
            if not _joins(gap):  # the term's own punctuation: part of the next word's edge
                node.gaps |= {gap}
                key = gap + key
            if node.after is None:
                node.after = {}
            node = node.after.get(key) or node.after.setdefault(key, Node())
        node.entries += (entry,)
        node.sensitive = node.sensitive or entry.case_sensitive
        self.size += 1

    def _key(self, word: str) -> str:
        key = self._known.get(word)
        if key is None:
            key = self._known[word] = sys.intern(self._keyed(word))
        return key

    def _keyed(self, word: str) -> str:
        """A word's key: FUNCTION_KEY for a function word, else its singular."""
        if strip_diacritics(word.casefold()) in self._function_words:
            return FUNCTION_KEY
        return singular_word(word, self.language)

    @classmethod
    def from_bank(cls, bank: OpenBank, language: str) -> TermIndex:
        """Terms in ``language``, plus do-not-translate names, which any text may contain."""
        rows = bank.conn.execute(
            "SELECT t.concept_id, t.text, t.tag, t.status, t.case_sensitive FROM terms t "
            "WHERE t.language = ? OR (t.tag = 'en' AND t.concept_id IN "
            "(SELECT id FROM concepts WHERE do_not_translate)) ORDER BY t.id", [language])
        return cls(language, (Entry(r[0], r[1], r[2], r[3], bool(r[4])) for r in rows))

    def _learn(self, words: list[str]) -> None:
        """Key every word not met before, and note those that begin some term."""
        unseen = set(words).difference(self._known)
        if len(self._learned) + len(unseen) > self.remember:
            self._forget()
            unseen = set(words).difference(self._known)
        fresh = list(unseen)
        keys = [self._keyed(word) for word in fresh]
        self._known.update(zip(fresh, keys, strict=True))
        self._learned += fresh
        nodes = list(map(self.heads.get, keys))
        self._head_of.update(compress(zip(fresh, cast("list[Node]", nodes), strict=True), nodes))

    def _forget(self) -> None:
        """Drop the words met in texts, keeping the glossary's own."""
        for word in self._learned:
            del self._known[word]
            self._head_of.pop(word, None)
        self._learned = []

    def find(self, text: str) -> list[Occurrence]:
        """Every occurrence in ``text``, in order, without overlaps.

        ``parts`` alternates gaps and words (word k is ``parts[2k + 1]``);
        character offsets are summed from their lengths only up to each hit.
        """
        parts = _SPLIT.split(text)
        words = parts[1::2]
        self._learn(words)
        head_of = self._head_of
        found, free = [], 0
        line, at, offset = 1, 0, 0  # the line and character offset of parts[at]
        for i in compress(count(), map(head_of.__contains__, words)):
            if i < free:
                continue
            hits = self._walk(parts, i, head_of[words[i]])
            if not hits:
                continue
            start = offset + sum(map(len, parts[at:2 * i + 1]))
            line += text.count("\n", offset, start)
            at, offset = 2 * i + 1, start
            hit = self._longest(text, parts, i, start, hits)
            if hit is None:
                continue
            n, end, entries = hit
            found.append(self._occurrence(line, start, end, entries, text))
            free = i + n
        return found

    def _walk(self, parts, i, node) -> list[tuple[int, Node]]:
        """The terms starting at word ``i``, as (number of words, node), shortest first."""
        hits = [(1, node)] if node.entries else []
        j, last, known = i + 1, len(parts) // 2, self._known
        while node.after is not None and j < last:
            gap = parts[2 * j]  # between word j - 1 and word j
            if gap == " " or _joins(gap):
                node = node.after.get(known[parts[2 * j + 1]])
            elif gap in node.gaps:
                node = node.after.get(gap + known[parts[2 * j + 1]])
            else:
                break
            if node is None:
                break
            j += 1
            if node.entries:
                hits.append((j - i, node))
        return hits

    @staticmethod
    def _longest(text, parts, i, start, hits):
        """The longest hit whose case fits: (words, end offset, entries), or None."""
        for n, node in reversed(hits):
            end = start + sum(map(len, parts[2 * i + 1:2 * (i + n)]))
            if not node.sensitive:
                return n, end, node.entries
            surface = text[start:end]
            fitting = tuple(e for e in node.entries if not e.case_sensitive or _same_case(surface, e.text))
            if fitting:
                return n, end, fitting
        return None

    def _occurrence(self, line, start, end, entries, text) -> Occurrence:
        surface = text[start:end]
        if len(entries) == 1:  # nearly always: tuple.__new__ skips the keyword-handling constructor
            e = entries[0]
            return tuple.__new__(Occurrence, (line, start, end, surface, e.concept_id, e.text, e.tag,
                                              e.status, (), entries))
        best = min(entries, key=lambda e: self._rank(e, surface))
        others = tuple(dict.fromkeys(e.concept_id for e in entries if e.concept_id != best.concept_id))
        return Occurrence(line, start, end, surface, best.concept_id, best.text, best.tag,
                          best.status, others, entries)

    def _rank(self, entry: Entry, surface: str) -> tuple:
        """The same written form first, then preferred before admitted, the text's own tag
        first."""
        return (fold(entry.text) != fold(surface), _STATUS_RANK[entry.status], entry.tag != self.language, entry.concept_id)


def _joins(gap: str) -> bool:
    """Whether the words either side of ``gap`` may belong to one term."""
    return gap == " " or _JOINER.fullmatch(gap) is not None


def _same_case(surface: str, term: str) -> bool:
    """A case-sensitive term matches only as written (a plural 's' may follow: ROIs)."""
    return _NON_WORD.sub("", surface).startswith(_NON_WORD.sub("", term))


def document_glossary(concepts: Iterable[Concept], found: Iterable[Occurrence], language: str,
                      one_form_each: bool = True) -> Glossary:
    """The concepts found, their ``language`` terms replaced by the forms the text uses.

    ``one_form_each``: a copy of the concept per form, each form its preferred
    term, for the formats that write one entry per concept (MT glossaries,
    OmegaT, LLM tables); otherwise one concept holding every form (CSV writes
    a row per term). Forms that differ only in case make one entry (the MT
    services match case-insensitively), the first one seen; forms spanning a
    line break cannot be an entry and are left out. Target terms stay as the
    bank has them.
    """
    forms: dict[str, dict[str, str]] = {}  # concept -> casefolded form -> the first form seen
    for o in found:
        if "\n" not in o.text:
            forms.setdefault(o.concept, {}).setdefault(o.text.casefold(), o.text)
    out = []
    for concept in concepts:
        written = list(forms.get(concept.id, {}).values())
        if not written:
            continue
        others = tuple(t for t in concept.terms if langtags.language(t.tag) != language)
        model = concept.preferred(language) or concept.english or concept.terms[0]
        own = [replace(model, text=form, tag=language, status="preferred" if i == 0 or one_form_each
                       else "admitted", type="full form", case_sensitive=False, attested=())
               for i, form in enumerate(written)]
        if one_form_each:
            out += [replace(concept, terms=(term, *others)) for term in own]
        else:
            out.append(replace(concept, terms=(*own, *others)))
    return Glossary.of(out)

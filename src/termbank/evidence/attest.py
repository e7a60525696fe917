"""Align human translations with the bank's concepts, keeping only term-level facts.

Every pair (an English string and its human translation) is read with the
matcher of ``termbank.annotate`` on both sides, so keys, plurals and case
rules are the bank's own:

Each fact names the concept's English term that the string was or held.

- a *label pair*: the English string is exactly one English term of a
  concept (one occurrence covering the whole string, up to punctuation and
  accelerators); its translation, trimmed of accelerators, white space and a
  trailing colon or ellipsis, is recorded as the attested form;
- *support*: the English string holds the term within a longer text and the
  translation holds one of the bank's terms of the concept in the pair's tag
  or on its fallback chain (each such term is recorded);
- a *conflict*: the translation holds none of them (the English term is recorded).

A label shared by homonyms ("objective") counts for the concept whose bank
term the translation holds, and for none when that does not settle it. Names
that are not translated (do-not-translate concepts) are left out.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from .. import langtags
from ..annotate import Entry, TermIndex
from ..errors import LanguageTagError
from ..inflection import fold
from ..model import Concept
from .catalogues import Pair
from .facts import Fact

# Menu accelerators: LibreOffice's "~File", Qt's "&File" and "Fi&le" ("&&" is a literal "&"),
# GTK's "_File" and "E_xport". An "&" between capitals is kept: "H&E" is a term.
_ACCELERATOR = re.compile(r"~(?=\w)|(?<![\w&])&(?=[^\W\d_])|(?<=[^\W\d_])&(?=[^\W\d_])|_(?=[^\W\d_])")
_TRAILING = re.compile(r"\s*(?::|：|…|\.\.\.)\s*$")
MAX_LABEL_WORDS = 8
MAX_LABEL_CHARS = 100
KNOWN_STRINGS = 2_000_000  # English strings remembered between catalogues



def plain(text: str) -> str:
    """Text without menu accelerators, white space collapsed."""
    if "~" in text or "&" in text or "_" in text:
        text = _ACCELERATOR.sub(_drop, text).replace("&&", "&")
    return " ".join(text.split())


def _drop(accelerator: re.Match) -> str:
    """Drop an accelerator mark, but keep "&" between two capitals (H&E)."""
    text, at = accelerator.string, accelerator.start()
    if text[at] == "&" and at > 0 and text[at - 1].isupper() and text[at + 1].isupper():
        return "&"
    return ""


def label_form(text: str) -> str | None:
    """The attested form of a label's translation, or None when it is not term-like
    (empty, a long text, or led by a symbol such as an arrow)."""
    form = _TRAILING.sub("", plain(text)).strip()
    if (not form or not form[0].isalnum() or len(form) > MAX_LABEL_CHARS
            or len(form.split()) > MAX_LABEL_WORDS):
        return None
    return form


@dataclass
class Summary:
    """What a run read and found, for the closing figures."""

    pairs: Counter = field(default_factory=Counter)       # (project, package, tag) -> pairs read
    matched: Counter = field(default_factory=Counter)     # (project, package, tag) -> with a term
    skipped: Counter = field(default_factory=Counter)     # reason -> pairs


class Aligner:
    """The bank's terms as matchers: English once, each target language when first needed."""

    def __init__(self, concepts: Iterable[Concept]):
        by_language: dict[str, list[Entry]] = defaultdict(list)
        for concept in concepts:
            if concept.do_not_translate:
                continue
            for term in concept.terms:
                entry = Entry(concept.id, term.text, term.tag, term.status, term.case_sensitive)
                by_language[langtags.language(term.tag)].append(entry)
        self._entries = dict(by_language)
        self.source_index = TermIndex("en", self._entries.get("en", ()))
        self._indexes: dict[str, TermIndex] = {}
        # Catalogues of one project repeat the same English strings in every language:
        # each is read once (what it holds, and whether it is a label).
        self._english: dict[str, tuple[list, bool]] = {}
        self.counts: Counter = Counter()
        self.summary = Summary()

    def read(self, pair: Pair) -> None:
        """Count what one pair attests."""
        where = (pair.project, pair.package, pair.tag)
        self.summary.pairs[where] += 1
        tag = _tag(pair.tag)
        if tag is None or langtags.language(tag) not in self._entries:
            self.summary.skipped["tag not in the bank"] += 1
            return
        found, label = self._read_english(pair.source)
        if not found:
            return
        self.summary.matched[where] += 1
        origin = (pair.project, pair.package, pair.version)
        if label:
            self._label(found[0], pair.target, tag, origin)
        else:
            self._sentence(found, pair.target, tag, origin)

    def _read_english(self, text: str) -> tuple[list, bool]:
        """The terms in an English string, and whether it is one of them alone (a label)."""
        known = self._english.get(text)
        if known is None:
            if len(self._english) >= KNOWN_STRINGS:
                self._english.clear()
            source = plain(text)
            found = self.source_index.find(source)
            label = len(found) == 1 and fold(source) == fold(found[0].text)
            known = self._english[text] = (found, label)
        return known

    def _label(self, occurrence, target: str, tag: str, origin: tuple) -> None:
        form = label_form(target)
        if form is None:
            self.summary.skipped["label translated by no term-like form"] += 1
            return
        concepts = _concepts(occurrence)
        if len(concepts) > 1:
            hits = self._hits(target, tag, concepts)
            concepts = [c for c in concepts if c in hits]
            if len(concepts) != 1:
                self.summary.skipped["label of homonyms"] += 1
                return
        english = _english(occurrence, concepts[0])
        self.counts[(concepts[0], tag, english, form, "label", *origin)] += 1

    def _sentence(self, found, target: str, tag: str, origin: tuple) -> None:
        wanted = {c: o for o in found for c in _concepts(o)}
        hits = self._hits(target, tag, wanted)
        counted: set[tuple[str, str, str, str]] = set()
        for occurrence in found:
            concepts = _concepts(occurrence)
            supported = [c for c in concepts if c in hits]
            if supported:
                counted.update((c, _english(occurrence, c), term, "support")
                               for c in supported for term in hits[c])
            elif len(concepts) == 1:
                english = _english(occurrence, concepts[0])
                counted.add((concepts[0], english, english, "conflict"))
        for concept, english, term, kind in counted:
            self.counts[(concept, tag, english, term, kind, *origin)] += 1

    def _hits(self, target: str, tag: str, concepts) -> dict[str, set[str]]:
        """The bank's terms of ``concepts`` on ``tag``'s chain found in ``target``."""
        chain = set(langtags.fallback_chain(tag))
        hits: dict[str, set[str]] = defaultdict(set)
        for occurrence in self._index(langtags.language(tag)).find(plain(target)):
            for entry in occurrence.entries:
                if entry.tag in chain and entry.concept_id in concepts:
                    hits[entry.concept_id].add(entry.text)
        return hits

    def _index(self, language: str) -> TermIndex:
        index = self._indexes.get(language)
        if index is None:
            index = self._indexes[language] = TermIndex(language, self._entries.get(language, ()))
        return index

    def facts(self) -> list[Fact]:
        """Every fact counted so far, sorted."""
        return sorted(Fact(*key, count) for key, count in self.counts.items())  # type: ignore[call-arg]


def attest(concepts: Iterable[Concept], pairs: Iterable[Pair]) -> tuple[list[Fact], Summary]:
    """The facts that ``pairs`` attest for ``concepts``, and what was read."""
    aligner = Aligner(concepts)
    for pair in pairs:
        aligner.read(pair)
    return aligner.facts(), aligner.summary


def _concepts(occurrence) -> list[str]:
    """The concepts a found term may name (more than one for homonyms), in a fixed order."""
    return sorted({e.concept_id for e in occurrence.entries})


def _english(occurrence, concept: str) -> str:
    """The bank's English term of ``concept`` that an occurrence is."""
    return next(e.text for e in occurrence.entries if e.concept_id == concept)


@lru_cache(maxsize=256)
def _tag(tag: str) -> str | None:
    try:
        return langtags.normalize(tag)
    except LanguageTagError:
        return None

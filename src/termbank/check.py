"""Check a translation against the bank: are the glossary's terms used?

For each entry whose source text holds a glossary term, the translation must
use an accepted equivalent (preferred or admitted, in the target dialect or
on its fallback chain, inflection-aware) and no deprecated or forbidden form;
names marked do-not-translate must appear unchanged. Entries whose
translation is still the source text are reported as untranslated.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import polib

from . import langtags
from .annotate import Occurrence, TermIndex
from .detection import DECISIVE_LENGTH, detect
from .documents import line_in
from .errors import SourceError
from .model import ACCEPTED_STATUSES

if TYPE_CHECKING:
    from .bank import OpenBank

KINDS = ("missing-term", "deprecated-term", "forbidden-term", "untranslated", "translated-name")


@dataclass(frozen=True)
class Pair:
    """One source text and its translation, located in the file."""

    line: int
    source: str
    target: str
    context: str | None = None


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    kind: str
    source_term: str | None
    found: str | None
    expected: str | None
    concept: str | None = None

    def to_json(self) -> dict:
        return {"line": self.line, "kind": self.kind, "source_term": self.source_term,
                "found": self.found, "expected": self.expected, "concept": self.concept}

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}: {self.kind}"
        if self.source_term:
            text += f": {self.source_term!r}"
        if self.found:
            text += f" translated as {self.found!r}"
        if self.expected:
            text += f"; use {self.expected!r}"
        return text


def po_pairs(path: Path) -> Iterator[Pair]:
    """Translated, non-fuzzy, non-obsolete entries; each plural form is its own pair."""
    try:
        catalog = polib.pofile(str(path))
    except (OSError, ValueError) as exc:
        raise SourceError.at(str(path), line_in(str(exc)), None,
                             f"not a readable PO file: {exc}") from None
    for entry in catalog:
        if entry.obsolete or entry.fuzzy or not entry.msgid:
            continue
        if entry.msgid_plural:
            for index, text in sorted(entry.msgstr_plural.items()):
                source = entry.msgid if int(index) == 0 else entry.msgid_plural
                if text:
                    yield Pair(entry.linenum, source, text, entry.msgctxt)
        elif entry.msgstr:
            yield Pair(entry.linenum, entry.msgid, entry.msgstr, entry.msgctxt)


def tmx_pairs(path: Path, source: str, target: str) -> Iterator[Pair]:
    """Translation units with a segment in the source language and one in the target's."""
    from lxml import etree

    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    try:
        tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        raise SourceError.at(str(path), exc.lineno, None, f"malformed TMX: {exc.msg}") from None
    want = langtags.language(target)
    for tu in tree.iter("tu"):
        segs: dict[str, tuple[int, str]] = {}
        for tuv in tu.iter("tuv"):
            tag = tuv.get(xml_lang) or tuv.get("lang") or ""
            seg = tuv.find("seg")
            language = langtags.language_or_none(tag)
            if seg is not None and language is not None:
                segs.setdefault(language, (tuv.sourceline, "".join(seg.itertext())))
        if source in segs and want in segs:
            yield Pair(segs[want][0], segs[source][1], segs[want][1])


class Checker:
    """Holds the source and target term indexes so a large catalogue is checked quickly."""

    def __init__(self, bank: OpenBank, target: str, source: str = "en"):
        from .lookup import translations

        self.bank, self.target, self.source = bank, langtags.normalize(target), source
        self.chain = langtags.fallback_chain(self.target)
        self.source_index = TermIndex.from_bank(bank, source)
        self.target_index = TermIndex.from_bank(bank, langtags.language(self.target))
        self._cache: dict[str, list] = {}
        self._translations = translations
        self._dnt = {r[0] for r in bank.conn.execute("SELECT id FROM concepts WHERE do_not_translate")}

    def check(self, path: str, pairs) -> list[Finding]:
        findings: list[Finding] = []
        for pair in pairs:
            findings.extend(self._check_pair(path, pair))
        return findings

    def _check_pair(self, path: str, pair: Pair) -> list[Finding]:
        if self._untranslated(pair):
            return [Finding(path, pair.line, "untranslated", None, pair.target, None)]
        found = self.target_index.find(pair.target)
        out = []
        for occ in self.source_index.find(pair.source):
            concept = _sense(occ, pair.context)
            out.extend(self._check_term(path, pair, occ, concept, found))
        return out

    def _answers(self, concept: str) -> list:
        if concept not in self._cache:
            found = self._translations(self.bank, [concept], [self.target])
            self._cache[concept] = found[concept][self.target]
        return self._cache[concept]

    def _untranslated(self, pair: Pair) -> bool:
        if pair.target.strip() == pair.source.strip():
            return any(c.isalpha() for c in pair.source) and not self._all_names(pair.source)
        if len(pair.target.strip()) < DECISIVE_LENGTH:
            return False  # langdetect cannot be trusted on short text: say nothing
        verdict = detect(pair.target, self.bank.languages)
        return verdict.decisive and verdict.language == self.source != langtags.language(self.target)

    def _all_names(self, text: str) -> bool:
        occurrences = self.source_index.find(text)
        return bool(occurrences) and all(o.concept in self._dnt for o in occurrences)

    def _check_term(self, path, pair, occ: Occurrence, concept: str, found) -> list[Finding]:
        answers = self._answers(concept)
        accepted = [a for a in answers if a.status in ACCEPTED_STATUSES]
        expected = accepted[0].term if accepted else None
        if concept in self._dnt:
            ok = occ.text in pair.target or (expected and expected in pair.target)
            return [] if ok else [Finding(path, pair.line, "translated-name", occ.text, None,
                                          expected or occ.text, concept)]
        uses = [(o, e) for o in found for e in o.entries if e.concept_id == concept]
        if any(e.status in ACCEPTED_STATUSES and e.tag in self.chain for _, e in uses):
            return []
        refused = [(o, e) for o, e in uses if e.status not in ACCEPTED_STATUSES]
        if refused:
            o, e = refused[0]
            return [Finding(path, pair.line, f"{e.status}-term", occ.text, o.text, expected, concept)]
        if expected is None:
            return []  # the bank has no term for this dialect yet: nothing to hold it to
        other = next((o.text for o, _ in uses), None)
        return [Finding(path, pair.line, "missing-term", occ.text, other, expected, concept)]


def _sense(occ: Occurrence, context: str | None) -> str:
    """msgctxt naming a concept id picks that sense of a homonym."""
    if context and context in occ.other_concepts:
        return context
    return occ.concept

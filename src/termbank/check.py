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

from . import langtags
from .annotate import Occurrence, TermIndex
from .detection import DECISIVE_LENGTH, detect
from .errors import SourceError
from .formats import Format
from .formats.pairs import Pair
from .model import ACCEPTED_STATUSES

if TYPE_CHECKING:
    from .bank import OpenBank

KINDS = ("missing-term", "deprecated-term", "forbidden-term", "untranslated", "translated-name")


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
        where = f"{self.path}:{self.line}: {self.kind}: "
        if self.kind == "untranslated":
            return where + f"{self.found!r} is still in the source language"
        if self.kind == "translated-name":
            return where + f"{self.source_term!r} is a name kept as it is; the translation " \
                           f"should have {self.expected!r}"
        text = where + repr(self.source_term)
        if self.found:
            text += f" translated as {self.found!r}"
        if self.expected:
            text += f"; use {self.expected!r}"
        return text


def translations_in(path: Path, fmt: Format, source: str, target: str) -> Iterator[Pair]:
    """The file's source texts and translations, read by the pair reader of ``fmt`` (which
    the format registry chose: ``formats.for_file(path, "pairs")``)."""
    if fmt.pairs is None:
        raise SourceError.at(str(path), None, None, f"{fmt.name} files hold no translations "
                                                    "to check")
    if not path.is_file():
        raise SourceError.at(str(path), None, None, "no such file")
    with open(path, "rb") as fp:
        yield from fmt.pairs(fp, name=str(path), source=source, target=target)


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

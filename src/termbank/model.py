"""The concept-oriented model every part of termbank reads: plain frozen data.

A *concept* is one idea of the field (the point spread function); it holds
*terms*, the words that name it in each language tag. The same model comes out
of the YAML sources, out of the built SQLite bank, and goes into every export.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

STATUSES = ("preferred", "admitted", "deprecated", "forbidden")
ACCEPTED_STATUSES = frozenset({"preferred", "admitted"})
TERM_TYPES = ("full form", "abbreviation", "acronym", "short form", "phrase")
PARTS_OF_SPEECH = ("noun", "verb", "adjective", "adverb", "proper noun", "other")
GENDERS = ("masculine", "feminine", "neuter", "common")
REVIEW_STATES = ("draft", "reviewed")
STATUS_REASONS = ("calque", "false friend", "obsolete", "regional only", "nonstandard", "misspelling")
RELIABILITY = {1: "not verified", 2: "minimum reliability", 3: "reliable", 4: "very reliable"}


@dataclass(frozen=True)
class Provenance:
    """Who wrote a term and whether a human reviewer has approved it."""

    origin: str
    review: str = "draft"
    reviewers: tuple[str, ...] = ()
    reviewed_on: str | None = None


@dataclass(frozen=True)
class Attestation:
    """Human translators' use of a term: one project's catalogues in one tag, ``count`` times.

    ``kind`` is "label" (the English string was the term itself) or "support"
    (a sentence holding the term was translated with it); ``family`` names the
    translation community, so that projects sharing translators count once.
    """

    source: str
    tag: str
    count: int
    kind: str = "label"
    family: str = ""


@dataclass(frozen=True)
class Term:
    text: str
    tag: str
    status: str = "admitted"
    type: str = "full form"
    part_of_speech: str | None = None
    gender: str | None = None
    note: str | None = None
    status_reason: str | None = None
    case_sensitive: bool = False
    source: str | None = None
    provenance: Provenance = field(default_factory=lambda: Provenance("unknown"))
    line: int | None = field(default=None, compare=False)
    attested: tuple[Attestation, ...] = field(default=(), compare=False)

    @property
    def accepted(self) -> bool:
        return self.status in ACCEPTED_STATUSES

    @property
    def reliability(self) -> int:
        """IATE's 1-4 scale, derived from the record rather than claimed by it.

        A draft is 1, or 2 when it cites a published source or when human
        translators of two independent projects use it as their rendering of
        the English term (label pairs, see ``evidenced``); one reviewer makes
        it 3; two reviewers, or a reviewer plus a source, make it 4.
        """
        p = self.provenance
        if p.review != "reviewed" or not p.reviewers:
            return 2 if self.source or self.evidenced else 1
        return 4 if len(p.reviewers) >= 2 or self.source else 3

    @property
    def evidenced(self) -> bool:
        """Attested as a label pair by at least two independent translation communities."""
        return len({a.family or a.source for a in self.attested if a.kind == "label"}) >= 2


@dataclass(frozen=True)
class Concept:
    id: str
    subject_field: str
    terms: tuple[Term, ...]
    definitions: Mapping[str, str] = field(default_factory=dict)
    notes: Mapping[str, str] = field(default_factory=dict)
    related: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    do_not_translate: bool = False
    path: str | None = field(default=None, compare=False)

    def terms_in(self, tag: str) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if t.tag == tag)

    @property
    def tags(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t.tag for t in self.terms))

    def preferred(self, tag: str = "en") -> Term | None:
        """The preferred term in exactly ``tag``, else its first accepted one."""
        terms = self.terms_in(tag)
        for term in terms:
            if term.status == "preferred":
                return term
        return next((t for t in terms if t.accepted), None)

    @property
    def definition(self) -> str | None:
        return self.definitions.get("en")


@dataclass(frozen=True)
class Glossary:
    """A read-only snapshot that exporters walk, possibly more than once.

    ``concepts`` is a factory so a million-concept bank can be streamed from
    SQLite in id order instead of being held in memory.
    """

    concepts: Callable[[], Iterator[Concept]]
    tags: tuple[str, ...]
    count: int

    def __iter__(self) -> Iterator[Concept]:
        return self.concepts()

    @classmethod
    def of(cls, concepts: Iterable[Concept]) -> Glossary:
        items = tuple(sorted(concepts, key=lambda c: c.id))
        tags = sorted({t.tag for c in items for t in c.terms})
        return cls(lambda: iter(items), tuple(tags), len(items))

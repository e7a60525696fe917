"""The concept-oriented model every part of termbank reads: plain frozen data.

A *concept* is one idea of the field (the point spread function); it holds
*terms*, the words that name it in each language tag. The same model comes out
of the YAML sources, out of the built SQLite bank, and goes into every export.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, NoReturn, TypeVar

if TYPE_CHECKING:
    from .bank import OpenBank

STATUSES = ("preferred", "admitted", "deprecated", "forbidden")
STATUS_RANK = {s: i for i, s in enumerate(STATUSES)}
ACCEPTED_STATUSES = frozenset({"preferred", "admitted"})
SOURCE_TAG = "en"  # every concept is named in English; its preferred term there is its name
TERM_TYPES = ("full form", "abbreviation", "acronym", "short form", "phrase")
PARTS_OF_SPEECH = ("noun", "verb", "adjective", "adverb", "proper noun", "other")
GENDERS = ("masculine", "feminine", "neuter", "common")
REVIEW_STATES = ("draft", "reviewed")
STATUS_REASONS = ("calque", "false friend", "obsolete", "regional only", "nonstandard", "misspelling")
RELIABILITY = {1: "not verified", 2: "minimum reliability", 3: "reliable", 4: "very reliable"}
# Size limits of what people write, wherever it comes from (glossary files, the web, imports).
MAX_TERM = 200
MAX_TEXT = 4000   # a definition or note in a glossary file
MAX_NOTE = 2000   # a note, comment or decision written on the web
MAX_NAME = 100    # a contributor's name

PROPOSAL_ORIGIN = "proposal {id}"  # the origin of a term approved from proposal {id}

T = TypeVar("T")


def reliability(review: str, reviewers: tuple[str, ...] | list[str], source: str | None,
                evidenced: bool = False) -> int:
    """IATE's 1-4 scale, derived from the record rather than claimed by it.

    A draft is 1, or 2 when it cites a published source or when human translators
    of two independent projects use it as their rendering of the English term
    (label pairs, ``Term.evidenced``); one reviewer makes
    it 3; two reviewers, or a reviewer plus a source, make it 4. Built terms,
    approved proposals and their confirmations all take it from here.
    """
    if review != "reviewed" or not reviewers:
        return 2 if source or evidenced else 1
    return 4 if len(reviewers) >= 2 or source else 3


def preferred(items: Iterable[T], status_of: Callable[[T], str]) -> T | None:
    """The preferred item, else the first accepted one, else None (items of one tag)."""
    accepted = None
    for item in items:
        status = status_of(item)
        if status == "preferred":
            return item
        if accepted is None and status in ACCEPTED_STATUSES:
            accepted = item
    return accepted


class Texts(dict[str, str]):
    """Texts by language tag (definitions, notes): read-only and hashable, so a concept is too.

    A dict underneath, so reading it (``in``, ``get``, ``items``, JSON) runs at a dict's
    speed in an export's inner loops; every method that would change it refuses.
    """

    __slots__ = ()

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(frozenset(self.items()))

    def _refuse(self, *args: object, **kwargs: object) -> NoReturn:
        raise TypeError("Texts are read-only: make a new concept with dataclasses.replace")

    __setitem__ = __delitem__ = __ior__ = _refuse
    clear = pop = popitem = setdefault = update = _refuse

    def __repr__(self) -> str:
        return f"Texts({dict(self)!r})"


@dataclass(frozen=True)
class Provenance:
    """Who wrote a term and whether a human reviewer has approved it."""

    origin: str
    review: str = "draft"
    reviewers: tuple[str, ...] = ()
    reviewed_on: str | None = None


@lru_cache(maxsize=4096)
def stored_reviewers(value: str | None) -> tuple[str, ...]:
    """The reviewers as the bank stores them (a JSON list, or NULL) as a tuple; a large bank
    repeats a handful of lists, so each is parsed once."""
    return () if value in (None, "[]") else tuple(json.loads(value))


@lru_cache(maxsize=4096)
def stored_provenance(origin: str | None, review: str | None, reviewers: str | None,
                      reviewed_on: str | None) -> Provenance:
    """A term's provenance from the bank's columns: one shared record per distinct value
    (a large bank repeats a handful)."""
    return Provenance(origin or "unknown", review or "draft", stored_reviewers(reviewers),
                      reviewed_on)


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
        """IATE's 1-4 scale (see ``reliability``); label evidence from two independent
        projects counts like a cited source (``evidenced``)."""
        p = self.provenance
        return reliability(p.review, p.reviewers, self.source, self.evidenced)

    @property
    def evidenced(self) -> bool:
        """Attested as a label pair by at least two independent translation communities."""
        return len({a.family or a.source for a in self.attested if a.kind == "label"}) >= 2


@dataclass(frozen=True)
class Concept:
    id: str
    subject_field: str
    terms: tuple[Term, ...]
    definitions: Mapping[str, str] = field(default_factory=Texts)
    notes: Mapping[str, str] = field(default_factory=Texts)
    related: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    do_not_translate: bool = False
    path: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        """Mappings and sequences given as dicts and lists are frozen here."""
        for name in ("definitions", "notes"):
            if not isinstance(getattr(self, name), Texts):
                object.__setattr__(self, name, Texts(getattr(self, name)))
        for name in ("terms", "related", "sources"):
            if not isinstance(getattr(self, name), tuple):
                object.__setattr__(self, name, tuple(getattr(self, name)))

    def terms_in(self, tag: str) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if t.tag == tag)

    @property
    def tags(self) -> tuple[str, ...]:
        """The tags this concept has terms in: what it can be looked up and exported in."""
        return tuple(dict.fromkeys(t.tag for t in self.terms))

    def preferred(self, tag: str = SOURCE_TAG) -> Term | None:
        """The preferred term in exactly ``tag``, else its first accepted one."""
        return preferred(self.terms_in(tag), _status_of)

    @property
    def english(self) -> Term | None:
        """The English preferred term: the concept's name everywhere it is shown."""
        return self.preferred(SOURCE_TAG)

    @property
    def definition(self) -> str | None:
        return self.definitions.get(SOURCE_TAG)


def _status_of(term: Term) -> str:
    return term.status


def glossary_tags(concepts: Iterable[Concept]) -> tuple[str, ...]:
    """The tags of a glossary, sorted: those with a term (a definition or note alone does not
    make a tag: nothing could be exported or looked up in it). The build stores these."""
    return tuple(sorted({tag for c in concepts for tag in c.tags}))


@dataclass(frozen=True)
class Glossary:
    """A read-only snapshot that exporters walk, possibly more than once.

    ``concepts`` is a factory so a million-concept bank can be streamed from
    SQLite in id order instead of being held in memory.
    """

    concepts: Callable[[], Iterator[Concept]]
    tags: tuple[str, ...]
    count: int
    # the bank the concepts stream from, when they do: exports that need less than whole
    # concepts read it set-based (``termbank.renderings``); None for a glossary in memory
    bank: OpenBank | None = field(default=None, compare=False)

    def __iter__(self) -> Iterator[Concept]:
        return self.concepts()

    @classmethod
    def of(cls, concepts: Iterable[Concept]) -> Glossary:
        items = tuple(sorted(concepts, key=lambda c: c.id))
        return cls(lambda: iter(items), glossary_tags(items), len(items))

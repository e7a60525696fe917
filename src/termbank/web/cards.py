"""What a concept card says, in the reader's language and dialect.

A card is titled by the concept's term in the chosen dialect (English under
it); its definition and notes come in the reader's dialect or interface
language before English; the other dialects are grouped by the answer they
give, so only the ones with terms of their own stand out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import langtags
from ..bank import OpenBank
from ..errors import TermbankError
from ..lookup import Answer, Match, translations
from ..model import ACCEPTED_STATUSES

FIRST_WORDS = 12  # how much of a definition tells two homonyms apart


@dataclass(frozen=True)
class DialectGroup:
    """Dialects that answer alike: ``own`` when the answer comes from a regional tag."""

    tags: list[str]
    answers: list[Answer]
    own: bool


@dataclass(frozen=True)
class Text:
    """A definition or note as shown: its tag, and whether it stands in for the reader's own."""

    tag: str
    text: str
    only_english: bool = False


@dataclass
class Card:
    match: Match
    dialect: str
    title: str
    title_tag: str
    english: str
    answers: list[Answer]
    definition: Text | None
    notes: list[Text]
    groups: list[tuple[str, list[DialectGroup]]]
    related: list[dict] = field(default_factory=list)

    @property
    def family(self) -> str:
        """The chosen dialect's language, for the link to where its dialects differ."""
        return langtags.language(self.dialect)

    @property
    def first_words(self) -> str:
        """The definition's first words, with an ellipsis when cut."""
        if self.definition is None:
            return ""
        words = self.definition.text.split()
        return " ".join(words[:FIRST_WORDS]) + (" …" if len(words) > FIRST_WORDS else "")


def named(answers: list[Answer]) -> Answer | None:
    """The first accepted term of an answer: what the dialect calls the concept."""
    return next((a for a in answers if a.status in ACCEPTED_STATUSES), None)


def title(answers: list[Answer]) -> str | None:
    found = named(answers)
    return found.term if found else None


def readers_order(dialect: str, ui: str) -> list[str]:
    """Where to look for a text: the language the reader reads (the interface's, in their
    dialect when it is of that language), then the dialect's chain, then English."""
    chain = list(langtags.fallback_chain(dialect))
    own = chain if langtags.language(dialect) == ui else [ui]
    return list(dict.fromkeys([*own, *chain, "en"]))


def in_readers_language(texts: dict[str, str], dialect: str, ui: str) -> Text | None:
    """The first of ``texts`` (by tag) in the reader's order; English said to stand in."""
    for tag in readers_order(dialect, ui):
        if tag in texts:
            return Text(tag, texts[tag], tag == "en" and ui != "en")
    return None


def grouped(match: Match, tags: list[str]) -> list[tuple[str, list[DialectGroup]]]:
    """Per language (the chosen one's first), its dialects grouped by identical answers."""
    by_language: dict[str, dict[tuple, DialectGroup]] = {}
    for tag in tags:
        if tag == "en":
            continue
        answers = match.translations.get(tag, [])
        key = tuple((a.term, a.tag, a.status) for a in answers)
        groups = by_language.setdefault(langtags.language(tag), {})
        if key in groups:
            groups[key].tags.append(tag)
        else:
            base = langtags.language(tag)
            groups[key] = DialectGroup([tag], answers, any(a.tag != base for a in answers))
    return [(language, list(groups.values())) for language, groups in by_language.items()]


def card(match: Match, dialect: str, dialects: list[str], ui: str,
         related_terms: dict[str, str] | None = None) -> Card:
    """A card from a lookup match; ``related_terms`` names related concepts in the dialect."""
    answers = match.translations.get(dialect, [])
    language = langtags.language(dialect)
    groups = sorted(grouped(match, dialects), key=lambda item: item[0] != language)
    notes = in_readers_language(match.notes, dialect, ui)
    names = related_terms or {}
    related = [{"concept": r["concept"], "english": r["term"] or r["concept"],
                "term": names.get(r["concept"]) or r["term"] or r["concept"]}
               for r in match.related]
    name = named(answers)
    return Card(match=match, dialect=dialect, title=name.term if name else match.english,
                title_tag=name.tag if name else "en",
                english=match.english, answers=answers,
                definition=in_readers_language(match.definitions, dialect, ui),
                notes=[notes] if notes else [], groups=groups, related=related)


def concept_name(bank: OpenBank, concept: str, tag: str) -> str | None:
    """What ``tag`` calls the concept (its first accepted term), else its English name."""
    try:
        answers = translations(bank, [concept], [tag])[concept][tag]
    except TermbankError:
        answers = []
    return title(answers) or bank.english_term(concept)

"""A consistency pass over the whole glossary: ``termbank validate --lint``.

Validation proves each file is well formed; the lint looks across concepts for
what a terminologist would query: one English word translated two ways with no
note saying why, a gender that contradicts the noun's ending, an acronym that
expands to nothing in its concept, an acronym in a definition that the bank
does not define, and words the language's hunspell dictionary does not know.
Each check is a plain function returning findings as ``Problem`` objects
(printed ``file:line: field: message``). The language rules are data tables,
kept to endings that are reliable so the pass stays quiet on correct entries.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from . import langtags
from .errors import Problem
from .model import Concept, Term
from .source import read_glossary
from .spelling import misspellings, read_word_list
from .yamlsource import parse, read

ACRONYM_ALLOW = "acronym-allow.txt"
SPELLING_ALLOW = "spelling-allow.txt"
SHORT_TYPES = ("acronym", "abbreviation")
ENGLISH_LINKS = {"of", "at", "in", "to", "for", "per", "on", "by", "with", "from", "and", "or",
                 "the", "a", "an", "after", "between", "under", "over", "without"}

# Endings that decide a noun's gender in (nearly) every case, and the exceptions we know of.
GENDER_ENDINGS = {
    "es": {"feminine": ("ción", "sión", "dad", "tad", "tud", "umbre", "logía", "grafía", "scopía",
                        "metría", "ura", "ez"),
           "masculine": ("aje", "ismo", "miento", "scopio", "metro", "grama", "or")},
    "fr": {"feminine": ("tion", "sion", "ité", "ance", "ence", "logie", "graphie", "scopie",
                        "métrie"),
           "masculine": ("ment", "isme", "age", "scope", "mètre", "gramme", "eau")},
    "pt": {"feminine": ("ção", "são", "dade", "tude", "agem", "logia", "grafia", "scopia",
                        "metria", "ura", "ez"),
           "masculine": ("mento", "ismo", "scópio", "metro", "grama", "or")},
}
GENDER_EXCEPTIONS = {
    "es": {"flor": "feminine", "labor": "feminine", "pez": "masculine", "juez": "masculine",
           "ajedrez": "masculine"},
    "fr": {"image": "feminine", "page": "feminine", "plage": "feminine", "cage": "feminine",
           "silence": "masculine", "eau": "feminine", "peau": "feminine"},
    "pt": {"cor": "feminine", "pseudocor": "feminine", "dor": "feminine", "flor": "feminine"},
}
# Endings only a plural noun has; a preferred term is normally singular.
PLURAL_ENDINGS = {
    "es": ("ciones", "siones", "dades", "mientos", "ores", "ajes", "ales", "datos"),
    "fr": ("tions", "sions", "ités", "ments", "eurs", "ages", "ées", "ances", "ences"),
    "pt": ("ções", "sões", "dades", "mentos", "ores", "agens", "dados"),
}
LATIN_PHRASE_WORDS = {"situ", "vivo", "vitro", "silico"}  # "in situ" is not a linking "in"
SYMBOL = re.compile(r"^(?:[A-Za-z][0-9]+|.*[^\x00-\x7f].*)$")  # R0, T1, ΔF/F, µm, τ
ACRONYM_TOKEN = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")
ROMAN = re.compile(r"^[IVX]+$")


def lint_glossary(root: Path, concepts: Iterable[Concept] | None = None) -> list[Problem]:
    """Every finding of every check, in file order; reads (and so validates) ``root`` unless
    its concepts are given."""
    concepts = list(read_glossary(root) if concepts is None else concepts)
    findings = [
        *inconsistent_translations(concepts),
        *gender_and_number(concepts),
        *unexpanded_short_forms(concepts),
        *undefined_acronyms(concepts, root / ACRONYM_ALLOW),
        *misspellings(concepts, root / SPELLING_ALLOW),
    ]
    return sorted(findings, key=lambda p: (p.path, p.line or 0, p.field or "", p.message))


def language(tag: str) -> str:
    return langtags.language(tag)


def _where(concept: Concept, term: Term, field: str) -> tuple[str, int | None, str]:
    return str(concept.path), term.line, field


@lru_cache(maxsize=4096)
def _lines(path: str):
    return parse(read(Path(path)), path)


def line_of(concept: Concept, key: str) -> int | None:
    """The line of a key in the concept's file (parsed once per file)."""
    return _lines(str(concept.path)).line(key)


def _is_noun_full_form(term: Term) -> bool:
    return term.type == "full form" and term.part_of_speech in (None, "noun")


def english_head(text: str) -> str:
    """The head of an English noun phrase: the last word before any linking word."""
    words = text.casefold().split()
    for i, word in enumerate(words[1:], 1):
        following = words[i + 1] if i + 1 < len(words) else ""
        if word in ENGLISH_LINKS and following not in LATIN_PHRASE_WORDS:
            return words[i - 1]
    return words[-1]


def romance_head(text: str) -> str:
    """The head of a Spanish, French or Portuguese noun phrase: its first word."""
    return text.split()[0].casefold().strip("()[],;:")


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word[-1] in "sx" else word


def _explained(concept: Concept, term: Term) -> bool:
    notes = concept.notes
    return bool(term.note or notes.get(term.tag) or notes.get(language(term.tag)) or notes.get("en"))


def inconsistent_translations(concepts: Iterable[Concept]) -> Iterator[Problem]:
    """Preferred terms that render a shared English head word unlike the other concepts do.

    Per tag, the head of each English preferred term is paired with the head of
    the preferred term in that tag; where one rendering is the clear majority,
    the others are reported unless a note on the term or concept explains them.
    Loans identical to an English term are left out: the word is not translated;
    a prefixed compound of the majority word (cryomicroscopie) agrees with it.
    """
    groups: dict[tuple[str, str], list[tuple[Concept, Term, str]]] = defaultdict(list)
    for concept in concepts:
        english = concept.preferred("en")
        if concept.do_not_translate or english is None or not _is_noun_full_form(english):
            continue
        loans = {t.text.casefold() for t in concept.terms_in("en")}
        for tag in concept.tags:
            term = concept.preferred(tag)
            if (tag == "en" or language(tag) == "en" or term is None or term.status != "preferred"
                    or not _is_noun_full_form(term) or term.text.casefold() in loans):
                continue
            groups[tag, english_head(english.text)].append((concept, term, _singular(romance_head(term.text))))
    for (tag, head), members in sorted(groups.items()):
        counts = Counter(rendering for _, _, rendering in members)
        (top, top_count), *rest = counts.most_common()
        if len(members) < 3 or top_count < 2 or (rest and rest[0][1] == top_count):
            continue
        examples = ", ".join(sorted(c.id for c, _, r in members if r == top)[:3])
        for concept, term, rendering in members:
            if not rendering.endswith(top) and not _explained(concept, term):
                yield Problem(*_where(concept, term, f"terms.{tag}"),
                              f"{term.text!r} renders English {head!r} as {rendering!r}, but {top_count} "
                              f"other concepts use {top!r} ({examples}); align it or add a note saying why")


def expected_gender(lang: str, word: str) -> str | None:
    """The gender a noun's ending decides, or None where the ending does not decide it."""
    if word in GENDER_EXCEPTIONS.get(lang, {}):
        return GENDER_EXCEPTIONS[lang][word]
    for gender, endings in GENDER_ENDINGS.get(lang, {}).items():
        if any(word.endswith(e) and len(word) > len(e) + 1 for e in endings):
            return gender
    return None


def looks_plural(lang: str, word: str) -> bool:
    return any(word.endswith(e) and len(word) > len(e) for e in PLURAL_ENDINGS.get(lang, ()))


def _english_words(concept: Concept) -> set[str]:
    return {w for t in concept.terms if language(t.tag) == "en" for w in t.text.casefold().split()}


def gender_and_number(concepts: Iterable[Concept]) -> Iterator[Problem]:
    """Genders that contradict the head noun's ending; preferred terms whose head is plural.

    Terms made only of the concept's English words keep English word order, so
    their first word is no head noun and they are left out.
    """
    for concept in concepts:
        english = _english_words(concept)
        for term in concept.terms:
            lang = language(term.tag)
            if (lang not in GENDER_ENDINGS or not _is_noun_full_form(term) or not term.accepted
                    or set(term.text.casefold().split()) <= english):
                continue
            head = romance_head(term.text)
            expected = expected_gender(lang, head)
            if term.gender in ("masculine", "feminine") and expected and expected != term.gender:
                yield Problem(*_where(concept, term, f"terms.{term.tag}"),
                              f"{term.text!r} is marked {term.gender}, but {head!r} is {expected}")
            if term.status == "preferred" and looks_plural(lang, head) and not term.note:
                yield Problem(*_where(concept, term, f"terms.{term.tag}"),
                              f"preferred term {term.text!r} looks plural ({head!r}); use the "
                              f"singular or add a note on the term saying why")


def _letters(text: str) -> str:
    """Letters only, without accents, so DO matches "densidad óptica"."""
    return "".join(c for c in unicodedata.normalize("NFD", text.casefold()) if c.isalpha())


def expands_to(short: str, full: str) -> bool:
    """True if the short form's letters run through the full form in order, from its start.

    Digits are left out (2PM, 4',6-diamidino-...); a short form that starts with
    a digit stands for a number word, so only its letters must follow.
    """
    letters, target = _letters(short), _letters(full)
    if not letters or not target or (short[0].isalpha() and letters[0] != target[0]):
        return False
    rest = iter(target)
    return all(c in rest for c in letters)


def _expanded(short: str, fulls: list[str]) -> bool:
    """The whole short form expands, or each part of a compound one does (MEB-FIB, 3D-SIM)."""
    if any(expands_to(short, full) for full in fulls):
        return True
    parts = [p for p in re.split(r"[-/]", short) if p]
    return len(parts) > 1 and all(any(expands_to(p, full) for full in fulls) for p in parts)


def unexpanded_short_forms(concepts: Iterable[Concept]) -> Iterator[Problem]:
    """Acronyms and abbreviations that no full term of their concept spells out.

    Symbols (a letter with a subscript number, or Greek and other non-ASCII
    signs such as ΔF/F and µm) are not built from initials and are left out.
    """
    for concept in concepts:
        for term in concept.terms:
            if term.type not in SHORT_TYPES or SYMBOL.match(term.text):
                continue
            langs = {term.tag, language(term.tag), "en"}
            fulls = [t.text for t in concept.terms
                     if t.type not in SHORT_TYPES and (t.tag in langs or language(t.tag) in langs)]
            if not _expanded(term.text, fulls):
                yield Problem(*_where(concept, term, f"terms.{term.tag}"),
                              f"{term.type} {term.text!r} does not expand to any full term of this "
                              f"concept in {term.tag} or en; add its full form")


def acronyms_in(text: str) -> Iterator[str]:
    """All-caps tokens of two or more letters; hyphenated ones whole (OME-TIFF)."""
    for match in ACRONYM_TOKEN.finditer(text):
        token = match.group()
        if (sum(c.isalpha() for c in token) >= 2 and not any(c.islower() for c in token)
                and not ROMAN.match(token)):
            yield token


def undefined_acronyms(concepts: Iterable[Concept], allow_path: Path) -> Iterator[Problem]:
    """Acronyms used in definitions that are no term of the glossary nor in the allow-list."""
    concepts = list(concepts)
    entries, problems = read_word_list(allow_path, 1)
    yield from problems
    allowed = {words[0]: number for number, words in entries}
    known = {t.text for c in concepts for t in c.terms}
    used: set[str] = set()
    for concept in concepts:
        for tag, text in concept.definitions.items():
            for token in dict.fromkeys(acronyms_in(text)):
                parts = [p for p in token.split("-") if sum(ch.isalpha() for ch in p) >= 2]
                if token in known or all(p in known for p in parts):
                    continue
                missing = [p for p in ([token] if token in allowed else parts) if p not in known]
                if all(p in allowed for p in missing):
                    used.update(missing)
                    continue
                yield Problem(str(concept.path), line_of(concept, f"definition.{tag}"),
                              f"definition.{tag}", f"acronym {token!r} is no term of the glossary; "
                              f"add it to a concept or to {allow_path.name}")
    for word, number in allowed.items():
        if word in known:
            yield Problem(str(allow_path), number, None, f"{word!r} is a term of the glossary now; remove it")
        elif word not in used:
            yield Problem(str(allow_path), number, None, f"no definition uses {word!r}; remove it")

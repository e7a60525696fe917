"""Spelling of accepted terms against the hunspell dictionaries Debian ships.

One ``hunspell -l`` run per dictionary checks every word at once. Technical
words hunspell does not know go in an allow-list (``LANG word`` a line,
sorted); an entry that hunspell accepts or that no term uses is reported, so
the list cannot grow stale.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

from . import langtags
from .errors import Problem, TermbankError
from .model import Concept, Term

DICTIONARY_DIRS = (Path("/usr/share/hunspell"),)
# The dictionary of a bare language tag; a regional tag takes lang_REGION when it is installed.
LANGUAGE_DICTIONARY = {"es": "es_ES", "fr": "fr_FR", "pt": "pt_BR"}
PACKAGES = {"es": "hunspell-es", "fr": "hunspell-fr", "pt_BR": "hunspell-pt-br", "pt_PT": "hunspell-pt-pt"}
WORD = re.compile(r"[^\W\d_]+")  # apostrophes split French elisions (d'épi...)
SKIPPED_TYPES = ("acronym", "abbreviation")


def dictionary_dirs() -> list[Path]:
    """Hunspell's own DICPATH when set, else Debian's folder."""
    value = os.environ.get("DICPATH")
    return [Path(p) for p in value.split(os.pathsep) if p] if value else list(DICTIONARY_DIRS)


def _find(name: str) -> Path | None:
    return next((d / name for d in dictionary_dirs() if (d / f"{name}.dic").is_file()), None)


def dictionary_for(tag: str) -> Path:
    """The dictionary (path without suffix) that checks ``tag``; a clear error if not installed."""
    lang, region = langtags.language(tag), langtags.territory(tag)
    if region and (regional := _find(f"{lang}_{region}")):
        return regional
    name = LANGUAGE_DICTIONARY[lang]
    found = _find(name)
    if found is None:
        package = PACKAGES.get(name, PACKAGES.get(lang))
        raise TermbankError(f"no hunspell dictionary {name} for {tag} in "
                            f"{os.pathsep.join(map(str, dictionary_dirs()))}: install the Debian package "
                            f"{package} (apt-get install {package})")
    return found


def unknown_words(dictionary: Path, words: Iterable[str]) -> set[str]:
    """The words hunspell rejects, checked in one batch."""
    if shutil.which("hunspell") is None:
        raise TermbankError("the hunspell command is not installed: install the Debian packages "
                            "hunspell hunspell-es hunspell-fr hunspell-pt-br hunspell-pt-pt")
    words = sorted(set(words))
    run = subprocess.run(["hunspell", "-i", "UTF-8", "-d", str(dictionary), "-l"],
                         input="\n".join(words) + "\n", capture_output=True, text=True, check=False)
    if run.returncode != 0:
        raise TermbankError(f"hunspell failed with {dictionary}: {run.stderr.strip()}")
    rejected = set(run.stdout.split())
    return {w for w in words if w in rejected or any(p in rejected for p in re.split("['’]", w))}


def words_of(term: Term) -> list[str]:
    """The words to spell: no acronyms or names written with inner capitals (sCMOS, ImageJ)."""
    return [w for w in WORD.findall(term.text)
            if len(w) > 1 and not any(c.isupper() for c in w[1:])]


def _checked_terms(concepts: Iterable[Concept]) -> Iterator[tuple[Concept, Term, list[str]]]:
    """Accepted terms in a language with a dictionary, with the words to spell.

    Words borrowed from the concept's own English terms (top-hat, spinning disk,
    Fourier) are spelled as the English term spells them, so they are left out.
    """
    for concept in concepts:
        english = {w.casefold() for t in concept.terms if langtags.language(t.tag) == "en"
                   for w in WORD.findall(t.text)}
        for term in concept.terms:
            if (term.accepted and term.type not in SKIPPED_TYPES
                    and langtags.language(term.tag) in LANGUAGE_DICTIONARY):
                yield concept, term, [w for w in words_of(term) if w.casefold() not in english]


def read_word_list(path: Path, fields: int) -> tuple[list[tuple[int, tuple[str, ...]]],
                                                     list[Problem]]:
    """A sorted allow-list, one entry a line of ``fields`` words, with its line number;
    problems if it is not."""
    if not path.is_file():
        return [], []
    entries: list[tuple[int, tuple[str, ...]]] = []
    problems: list[Problem] = []
    previous: str | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = tuple(line.split())
        if len(parts) != fields:
            problems.append(Problem(str(path), number, None,
                                    f"expected {fields} word(s) on the line, got {line!r}"))
            continue
        if previous is not None and line <= previous:
            problems.append(Problem(str(path), number, None,
                                    f"{line!r} is not in sorted order or repeats a line"))
        previous = line
        entries.append((number, parts))
    return entries, problems


def misspellings(concepts: Iterable[Concept], allow_path: Path) -> Iterator[Problem]:
    """Words of preferred and admitted terms that hunspell rejects and the allow-list lacks."""
    entries, problems = read_word_list(allow_path, 2)
    yield from problems
    for number, (lang, _word) in entries:
        if lang not in LANGUAGE_DICTIONARY:
            yield Problem(str(allow_path), number, None, f"{lang!r} is not one of: {', '.join(LANGUAGE_DICTIONARY)}")
    allowed = {(lang, word.casefold()): number for number, (lang, word) in entries}
    uses: dict[Path, list[tuple[Concept, Term, str]]] = defaultdict(list)
    for concept, term, words in _checked_terms(concepts):
        uses[dictionary_for(term.tag)].extend((concept, term, w) for w in words)
    needed: set[tuple[str, str]] = set()
    used: set[tuple[str, str]] = set()
    for dictionary, found in uses.items():
        rejected = unknown_words(dictionary, (w for _, _, w in found))
        for concept, term, word in found:
            key = (langtags.language(term.tag), word.casefold())
            used.add(key)
            if word not in rejected:
                continue
            if key in allowed:
                needed.add(key)
                continue
            yield Problem(str(concept.path), term.line, f"terms.{term.tag}",
                          f"{word!r} in {term.text!r} is not in the {dictionary.name} dictionary; "
                          f"correct it or add '{key[0]} {word.casefold()}' to {allow_path.name}")
    for key, number in allowed.items():
        if key not in used:
            yield Problem(str(allow_path), number, None, f"no {key[0]} term uses {key[1]!r}; remove it")
        elif key not in needed:
            yield Problem(str(allow_path), number, None,
                          f"hunspell already accepts {key[1]!r} in {key[0]}; remove it")

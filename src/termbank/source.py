"""Read and validate the glossary: ``glossary/<subject-field>/<concept-id>.yml``.

The folder gives the subject field and the file name gives the concept id, so
neither can disagree with the file's content. Every problem is collected, not
just the first, and reported as ``file:line: field: message``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from . import langtags
from .errors import LanguageTagError, Problem, SourceError
from .fields import FIELD_IDS
from .model import (
    GENDERS,
    MAX_TERM,
    MAX_TEXT,
    PARTS_OF_SPEECH,
    REVIEW_STATES,
    SOURCE_TAG,
    STATUS_REASONS,
    STATUSES,
    TERM_TYPES,
    Concept,
    Provenance,
    Term,
)
from .yamlsource import Document, parse, read

CONCEPT_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CONCEPT_KEYS = {"definition", "note", "related", "sources", "do_not_translate", "provenance", "terms"}
PROVENANCE_KEYS = {"origin", "review", "reviewers", "reviewed_on"}
TERM_KEYS = {"term", "status", "type", "pos", "gender", "note", "reason", "case_sensitive",
             "source"} | PROVENANCE_KEYS
SUFFIXES = (".yml", ".yaml")


@dataclass
class _Checker:
    """Collects the problems of one document while its concept is assembled."""

    doc: Document
    problems: list[Problem] = field(default_factory=list)

    def fail(self, path: str, message: str) -> None:
        self.problems.append(Problem(self.doc.path, self.doc.line(path), path, message))

    def text(self, path: str, value: Any, limit: int = MAX_TEXT) -> str | None:
        """A clean single string: not empty, not padded, no control characters."""
        if not isinstance(value, str):
            hint = ""
            if isinstance(value, (bool, int, float)) or value is None:
                hint = " (YAML read it as a number, yes/no or null: put it in quotes)"
            self.fail(path, f"expected text, got {type(value).__name__}{hint}")
            return None
        if not value.strip():
            self.fail(path, "is empty")
            return None
        if value != value.strip():
            self.fail(path, f"has leading or trailing whitespace: {value!r}")
        bad = [c for c in value if unicodedata.category(c) == "Cc" and c not in "\n"]
        if bad:
            self.fail(path, f"contains control character U+{ord(bad[0]):04X}")
        if len(value) > limit:
            self.fail(path, f"is {len(value)} characters long; the limit is {limit}")
        return value.strip()

    def choice(self, path: str, value: Any, allowed: tuple[str, ...]) -> str | None:
        if value not in allowed:
            self.fail(path, f"{value!r} is not one of: {', '.join(allowed)}")
            return None
        return value

    def mapping(self, path: str, value: Any, keys: set[str] | None = None) -> dict:
        if not isinstance(value, dict):
            self.fail(path, f"expected a mapping, got {type(value).__name__}")
            return {}
        for key in value:
            if keys is not None and key not in keys:
                self.fail(f"{path}.{key}" if path else str(key),
                          f"unknown key; expected one of: {', '.join(sorted(keys))}")
        return value

    def tag(self, path: str, value: Any) -> str | None:
        try:
            return langtags.normalize(str(value))
        except LanguageTagError as exc:
            self.fail(path, str(exc))
            return None


def read_concept(path: Path, root: Path | None = None) -> Concept:
    """One concept file, validated on its own (cross-file checks are in ``read_glossary``)."""
    shown = str(path)
    doc = parse(read(path, shown), shown)
    check = _Checker(doc, list(doc.duplicates))
    concept = _concept(check, path)
    if check.problems:
        raise SourceError(check.problems)
    assert concept is not None
    return concept


def _concept(check: _Checker, path: Path) -> Concept | None:
    field_id, concept_id = path.parent.name, path.stem
    if field_id not in FIELD_IDS:
        check.fail("", f"folder {field_id!r} is not a subject field; use one of: "
                       f"{', '.join(sorted(FIELD_IDS))}")
    if not CONCEPT_ID.match(concept_id):
        check.fail("", f"file name {concept_id!r} is not a concept id (lower-case words joined by '-')")
    data = check.mapping("", check.doc.data, CONCEPT_KEYS)
    default = _provenance(check, "provenance", data.get("provenance"), required=True)
    definitions = _texts_by_tag(check, "definition", data.get("definition", {}))
    if "en" not in definitions:
        check.fail("definition", "missing the English definition (definition.en)")
    terms = _terms(check, data.get("terms"), default)
    dnt = data.get("do_not_translate", False)
    if not isinstance(dnt, bool):
        check.fail("do_not_translate", "expected true or false")
    related = _id_list(check, "related", data.get("related", []))
    if concept_id in related:
        check.fail("related", "a concept cannot be related to itself")
    sources = tuple(s for i, raw in enumerate(_list(check, "sources", data.get("sources", [])))
                    if (s := check.text(f"sources[{i}]", raw)))
    return Concept(id=concept_id, subject_field=field_id, terms=terms, definitions=definitions,
                   notes=_texts_by_tag(check, "note", data.get("note", {})), related=related,
                   sources=sources, do_not_translate=dnt is True, path=str(path))


def _list(check: _Checker, path: str, value: Any) -> list:
    if not isinstance(value, list):
        check.fail(path, f"expected a list, got {type(value).__name__}")
        return []
    return value


def _id_list(check: _Checker, path: str, value: Any) -> tuple[str, ...]:
    ids = []
    for i, item in enumerate(_list(check, path, value)):
        if not isinstance(item, str) or not CONCEPT_ID.match(item):
            check.fail(f"{path}[{i}]", f"{item!r} is not a concept id")
        else:
            ids.append(item)
    return tuple(dict.fromkeys(ids))


def _texts_by_tag(check: _Checker, path: str, value: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    for raw_tag, raw_text in check.mapping(path, value).items():
        tag = check.tag(f"{path}.{raw_tag}", raw_tag)
        text = check.text(f"{path}.{raw_tag}", raw_text)
        if tag and tag in out:
            check.fail(f"{path}.{raw_tag}", f"tag {tag} given twice")
        elif tag and text:
            out[tag] = text
    return out


def _provenance(check: _Checker, path: str, value: Any, required: bool = False,
                default: Provenance | None = None) -> Provenance:
    if value is None:
        if required:
            check.fail(path, "missing: say who wrote this (origin) and its review state")
        return default or Provenance("unknown")
    data = check.mapping(path, value, PROVENANCE_KEYS)
    base = default or Provenance("unknown")
    origin = check.text(f"{path}.origin", data["origin"]) if "origin" in data else base.origin
    review = data.get("review", base.review)
    check.choice(f"{path}.review", review, REVIEW_STATES)
    reviewers = data.get("reviewers", list(base.reviewers))
    if not isinstance(reviewers, list) or not all(isinstance(r, str) and r.strip() for r in reviewers):
        check.fail(f"{path}.reviewers", "expected a list of reviewer names")
        reviewers = []
    reviewed_on = data.get("reviewed_on", base.reviewed_on)
    if isinstance(reviewed_on, date):
        reviewed_on = reviewed_on.isoformat()
    if review == "reviewed" and (not reviewers or not reviewed_on):
        check.fail(f"{path}.review", "a reviewed record needs reviewers and reviewed_on (YYYY-MM-DD)")
    return Provenance(origin or "unknown", review, tuple(reviewers), reviewed_on)


def _terms(check: _Checker, value: Any, default: Provenance) -> tuple[Term, ...]:
    if value is None:
        check.fail("terms", "missing: a concept needs at least its English preferred term")
        return ()
    terms: list[Term] = []
    seen_tags: set[str] = set()
    for raw_tag, entries in check.mapping("terms", value).items():
        tag = check.tag(f"terms.{raw_tag}", raw_tag)
        if tag is None:
            continue
        if tag in seen_tags:
            check.fail(f"terms.{raw_tag}", f"tag {tag} given twice (as {raw_tag!r})")
        seen_tags.add(tag)
        found = [t for i, e in enumerate(_list(check, f"terms.{raw_tag}", entries))
                 if (t := _term(check, f"terms.{raw_tag}[{i}]", e, tag, default))]
        _check_tag_terms(check, f"terms.{raw_tag}", found)
        terms.extend(found)
    if not any(t.tag == SOURCE_TAG and t.status == "preferred" for t in terms):
        check.fail("terms.en", "missing the English preferred term (status: preferred)")
    return tuple(terms)


def _check_tag_terms(check: _Checker, path: str, terms: list[Term]) -> None:
    if sum(t.status == "preferred" for t in terms) > 1:
        check.fail(path, "more than one preferred term in this tag")
    seen: dict[str, Term] = {}
    for term in terms:
        key = term.text.casefold()
        if key in seen:
            check.fail(path, f"term {term.text!r} is listed twice")
        seen[key] = term


def _term(check: _Checker, path: str, value: Any, tag: str, default: Provenance) -> Term | None:
    data = check.mapping(path, value, TERM_KEYS)
    if "term" not in data:
        check.fail(path, "missing 'term'")
        return None
    text = check.text(f"{path}.term", data["term"], MAX_TERM)
    if text is not None and "\n" in text:
        check.fail(f"{path}.term", "a term is one line")
    status = check.choice(f"{path}.status", data.get("status", "admitted"), STATUSES)
    reason = data.get("reason")
    if reason is not None:
        check.choice(f"{path}.reason", reason, STATUS_REASONS)
    elif status in ("deprecated", "forbidden"):
        check.fail(f"{path}.reason", f"a {status} term must say why: one of {', '.join(STATUS_REASONS)}")
    for key, allowed in (("type", TERM_TYPES), ("pos", PARTS_OF_SPEECH), ("gender", GENDERS)):
        if key in data:
            check.choice(f"{path}.{key}", data[key], allowed)
    case_sensitive = data.get("case_sensitive", False)
    if not isinstance(case_sensitive, bool):
        check.fail(f"{path}.case_sensitive", "expected true or false")
    own = {k: data[k] for k in PROVENANCE_KEYS if k in data}
    provenance = _provenance(check, path, own, default=default) if own else default
    note = check.text(f"{path}.note", data["note"]) if "note" in data else None
    source = check.text(f"{path}.source", data["source"]) if "source" in data else None
    if text is None or status is None:
        return None
    return Term(text=text, tag=tag, status=status, type=data.get("type", "full form"),
                part_of_speech=data.get("pos"), gender=data.get("gender"), note=note,
                status_reason=reason, case_sensitive=case_sensitive is True, source=source,
                provenance=provenance, line=check.doc.line(f"{path}.term"))


def concept_files(root: Path) -> list[Path]:
    """Every concept file below ``root``, in a stable order."""
    if not root.is_dir():
        raise SourceError.at(str(root), None, None,
                             "glossary folder does not exist; pass --glossary DIR")
    return sorted(p for p in root.glob("*/*") if p.suffix in SUFFIXES and p.is_file())


def read_glossary(root: Path, progress: Callable[[int], None] | None = None) -> Iterator[Concept]:
    """Every concept, validated alone and against the others; raises one SourceError with all."""
    problems: list[Problem] = []
    concepts: dict[str, Concept] = {}
    for path in concept_files(root):
        if progress:
            progress(1)
        try:
            concept = read_concept(path, root)
        except SourceError as exc:
            problems.extend(exc.problems)
            continue
        if concept.id in concepts:
            problems.append(Problem(str(path), None, "id",
                                    f"concept id {concept.id!r} also used by {concepts[concept.id].path}"))
            continue
        concepts[concept.id] = concept
    problems.extend(_dangling(concepts))
    if problems:
        raise SourceError(problems)
    return iter(sorted(concepts.values(), key=lambda c: c.id))


def _dangling(concepts: dict[str, Concept]) -> Iterator[Problem]:
    for concept in concepts.values():
        for index, rid in enumerate(concept.related):
            if rid not in concepts:
                doc_line = _line_of(concept, f"related[{index}]")
                yield Problem(str(concept.path), doc_line, f"related[{index}]",
                              f"no concept {rid!r} in the glossary")


def _line_of(concept: Concept, path: str) -> int | None:
    """Re-find a key's line for cross-file problems (rare, so re-parsing is fine)."""
    text = Path(str(concept.path)).read_text(encoding="utf-8-sig")
    return parse(text, str(concept.path)).line(path)

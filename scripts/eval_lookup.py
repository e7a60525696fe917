"""Evaluate lookup on what human translators really wrote.

The evaluation set comes from the label facts of ``evidence/attestations.tsv``:
in an allowed Debian package, a UI string that was exactly one of the bank's
English terms was translated by people as ``term``. Each distinct (language,
translation, concept) is one query: ``lookup(translation, --from language)``
should name the concept, ideally first.

Reported per language: recall@1 and recall@3 over every query, and per level
(the ``how`` of the first match) how many queries it answered and how many of
those it answered right first. The precision of the looser levels is the share
of their answers whose first concept is the right one.

    python scripts/eval_lookup.py                # builds a bank from glossary/ in a temp dir
    python scripts/eval_lookup.py --db termbank.db --misses pt
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path
from typing import NamedTuple

from termbank import Bank, build, langtags
from termbank.evidence.facts import read_tsv
from termbank.inflection import fold

ROOT = Path(__file__).resolve().parent.parent
STRICT = ("exact", "folded", "inflected")
LOOSE = ("function-words", "partial", "fuzzy")


class Query(NamedTuple):
    """One human translation of a bank term, and the concept it names."""

    language: str
    text: str
    concept: str
    english: str


def evaluation_set(facts_path: Path, min_projects: int = 1) -> list[Query]:
    """Distinct label translations per language (the tag's primary subtag), sorted; with
    ``min_projects`` > 1, only those that so many projects agree on (one project's
    mistranslation, such as "PEZ" for the acronym FISH, drops out)."""
    seen: dict[tuple[str, str, str], Query] = {}
    projects: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for fact in read_tsv(facts_path):
        if fact.kind != "label":
            continue
        language = langtags.language(fact.tag)
        key = (language, fold(fact.term), fact.concept)
        seen.setdefault(key, Query(language, fact.term.strip(), fact.concept, fact.english))
        projects[key].add(fact.project)
    return sorted(q for key, q in seen.items() if len(projects[key]) >= min_projects)


class Outcome(NamedTuple):
    query: Query
    how: str  # the level of the first match, or "none"
    ranked: list[str]  # concept ids, best first


def run(bank, queries: list[Query]) -> list[Outcome]:
    out = []
    for query in queries:
        matches = bank.lookup(query.text, query.language, [query.language])
        how = matches[0].how if matches else "none"
        out.append(Outcome(query, how, [m.concept for m in matches]))
    return out


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f} %" if whole else "    - "


def report(outcomes: list[Outcome]) -> str:
    by_language: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_language[outcome.query.language].append(outcome)
    by_language["all"] = outcomes
    lines = ["| language | queries | recall@1 | recall@3 | no match | looser answers "
             "| looser precision |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for language, rows in by_language.items():
        top1 = sum(o.ranked[:1] == [o.query.concept] for o in rows)
        top3 = sum(o.query.concept in o.ranked[:3] for o in rows)
        none = sum(o.how == "none" for o in rows)
        loose = [o for o in rows if o.how in LOOSE]
        right = sum(o.ranked[0] == o.query.concept for o in loose)
        lines.append(f"| {language} | {len(rows)} | {pct(top1, len(rows))} | {pct(top3, len(rows))} "
                     f"| {none} | {len(loose)} | {pct(right, len(loose))} |")
    lines += ["", "| language | level | answered | right first | share right |",
              "| --- | --- | ---: | ---: | ---: |"]
    for language, rows in by_language.items():
        levels = Counter(o.how for o in rows)
        for how in (*STRICT, *LOOSE, "none"):
            if levels[how]:
                right = sum(bool(o.ranked) and o.ranked[0] == o.query.concept
                            for o in rows if o.how == how)
                lines.append(f"| {language} | {how} | {levels[how]} | {right} "
                             f"| {pct(right, levels[how]) if how != 'none' else '-'} |")
    return "\n".join(lines)


def misses(outcomes: list[Outcome], language: str) -> str:
    """The queries of ``language`` not answered right first, to read by hand."""
    return "\n".join(f"{o.how:15} {o.query.text!r} -> {o.ranked[:3]} (want {o.query.concept}, "
                     f"en {o.query.english!r})" for o in outcomes
                     if o.query.language == language and o.ranked[:1] != [o.query.concept])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a built bank (default: build glossary/ afresh)")
    parser.add_argument("--facts", type=Path, default=ROOT / "evidence" / "attestations.tsv")
    parser.add_argument("--misses", metavar="LANG", help="also list the misses of LANG")
    parser.add_argument("--min-projects", type=int, default=1,
                        help="keep translations that at least this many projects use")
    args = parser.parse_args()
    queries = evaluation_set(args.facts, args.min_projects)
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:
            db = Path(tmp) / "bank.db"
            build(ROOT / "glossary", db)
        with Bank(db, False) as bank:
            outcomes = run(bank, queries)
    print(f"# lookup evaluation: {len(queries)} label translations from {args.facts.name}"
          f" (used by at least {args.min_projects} project(s))\n")
    print(report(outcomes))
    if args.misses:
        print("\n" + misses(outcomes, args.misses))
    return 0


if __name__ == "__main__":
    sys.exit(main())

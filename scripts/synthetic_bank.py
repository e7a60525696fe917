"""Generate a synthetic bank at terminology-bank scale for benchmarks.

IATE holds about a million concepts; this makes N concepts with made-up but
word-like terms in 8 language tags (en, es, es-MX, es-ES, fr, fr-CA, pt,
pt-PT), deterministically from a seed, so benchmarks of the build, lookup,
exports and the web all run on the same data.

    python scripts/synthetic_bank.py --concepts 1000000 --db scripts/out/synthetic.db
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from termbank.build import write_bank
from termbank.fields import SUBJECT_FIELDS
from termbank.model import Concept, Provenance, Term

SYLLABLES = ("ra", "mi", "to", "lu", "sen", "fo", "ca", "pel", "tri", "on", "da", "ve", "qui",
             "mar", "no", "si", "bel", "cu", "zo", "ten", "pa", "gri", "lo", "ser")
REGIONAL = ("es-MX", "es-ES", "fr-CA", "pt-PT")
DRAFT = Provenance("synthetic")


def word(rng: random.Random, low: int = 2, high: int = 4) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(low, high)))


def phrase(rng: random.Random, index: int) -> str:
    """Two or three words plus the index, so every English term is unique."""
    return " ".join(word(rng) for _ in range(rng.randint(1, 2))) + f" {word(rng)}{index}"


def concept(index: int, rng: random.Random) -> Concept:
    cid = f"concept-{index:07d}"
    english = phrase(rng, index)
    terms = [Term(english, "en", "preferred", provenance=DRAFT)]
    if index % 5 == 0:
        acronym = "".join(w[0] for w in english.split()).upper() + str(index)
        terms.append(Term(acronym, "en", "admitted", "acronym", case_sensitive=True,
                          provenance=DRAFT))
    for tag in ("es", "fr", "pt"):
        terms.append(Term(f"{word(rng)} {english.split()[-1]}", tag, "preferred",
                          gender=rng.choice(("masculine", "feminine")), provenance=DRAFT))
    for offset, tag in enumerate(REGIONAL):
        if (index + offset) % 4 == 0:
            terms.append(Term(f"{word(rng)}{tag[-2:].lower()} {index}", tag, "preferred",
                              note="Synthetic regional variant.", provenance=DRAFT))
    field = SUBJECT_FIELDS[index % len(SUBJECT_FIELDS)].id
    related = (f"concept-{index - 1:07d}",) if index > 0 else ()
    return Concept(cid, field, tuple(terms),
                   definitions={"en": f"A synthetic concept number {index} about {english}."},
                   related=related)


def concepts(n: int, seed: int = 0) -> Iterator[Concept]:
    """N synthetic concepts in id order; the same seed gives the same bank."""
    rng = random.Random(seed)
    for index in range(n):
        yield concept(index, rng)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concepts", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=Path("scripts/out/synthetic.db"))
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    count = write_bank(concepts(args.concepts, args.seed), args.db)
    print(f"wrote {count} concepts to {args.db} in {time.perf_counter() - start:.1f} s",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

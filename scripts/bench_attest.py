"""Benchmark the alignment of catalogue pairs with the glossary (``termbank.evidence.attest``).

Generates ``--pairs`` English -> Spanish pairs from the glossary's own terms,
shaped like software catalogues: a tenth are labels (an English term alone,
translated by the dialect's term), a third are sentences holding a term
(translated with the bank's term, or half the time with another word), the
rest are sentences without any term. As in the real packages (Firefox's seven
Spanish and Portuguese langpacks, LibreOffice's four), each English string is
translated in four catalogues. Reports pairs per second of the alignment
alone and of writing the attestations file.

    python scripts/bench_attest.py --pairs 1000000 --glossary glossary
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

from termbank import read_glossary
from termbank.evidence.attest import Aligner
from termbank.evidence.catalogues import Pair
from termbank.evidence.facts import write_tsv

WORDS = ("the", "window", "was", "opened", "with", "and", "then", "you", "can", "choose", "each",
         "option", "in", "a", "new", "tab", "before", "after", "saving", "of", "your", "settings")
PALABRAS = ("la", "ventana", "se", "abrió", "con", "y", "luego", "puede", "elegir", "cada",
            "opción", "en", "una", "nueva", "pestaña", "antes", "después", "de", "sus", "ajustes")



def pairs(concepts, count: int, seed: int = 1):
    rng = random.Random(seed)
    terms = [(c.preferred("en").text, c.preferred("es").text) for c in concepts
             if not c.do_not_translate and c.preferred("es") is not None]
    catalogues = [("Firefox", "firefox-esr-l10n-es-mx", "es-MX"),
                  ("Firefox", "firefox-esr-l10n-es-es", "es-ES"),
                  ("Firefox", "firefox-esr-l10n-es-ar", "es-AR"),
                  ("LibreOffice", "libreoffice-l10n-es", "es")]
    for _ in range(count // len(catalogues)):
        source, target = _texts(rng, terms)
        yield from (Pair(project, package, "1.0", tag, source, target)
                    for project, package, tag in catalogues)


def _texts(rng: random.Random, terms) -> tuple[str, str]:
    """One English string and its translation."""
    english, spanish = rng.choice(terms)
    kind = rng.random()
    filler = " ".join(rng.choices(WORDS, k=rng.randint(3, 12)))
    relleno = " ".join(rng.choices(PALABRAS, k=rng.randint(3, 12)))
    if kind < 0.1:
        return english.capitalize(), spanish.capitalize()
    if kind < 0.43:
        other = spanish if rng.random() < 0.5 else "cosa"
        return f"{filler} {english} {filler}", f"{relleno} {other} {relleno}"
    return filler, relleno


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=1_000_000)
    parser.add_argument("--glossary", type=Path, default=Path("glossary"))
    args = parser.parse_args(argv)
    concepts = list(read_glossary(args.glossary))
    generated = list(pairs(concepts, args.pairs))
    started = time.perf_counter()
    aligner = Aligner(concepts)
    ready = time.perf_counter()
    for pair in generated:
        aligner.read(pair)
    facts = aligner.facts()
    aligned = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        write_tsv(Path(folder) / "attestations.tsv", facts)
    written = time.perf_counter()
    print(f"glossary: {len(concepts)} concepts; pairs: {len(generated):,}", file=sys.stderr)
    print(f"start-up (matchers): {ready - started:.2f} s")
    print(f"alignment: {aligned - ready:.1f} s, {len(generated) / (aligned - ready):,.0f} pairs/s")
    print(f"facts: {len(facts):,}; write: {written - aligned:.2f} s")


if __name__ == "__main__":
    main()

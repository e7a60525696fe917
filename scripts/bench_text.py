"""Benchmark terms in running text on the synthetic bank, against flashtext.

Reports, in one run and on the same terms:
1. start-up: building termbank's TermIndex for English from the bank, against
   loading flashtext's KeywordProcessor with the same terms;
2. annotation throughput in MB/s over generated texts in which a tenth of
   the words belong to glossary terms, a third of those in the plural
   (flashtext matches exact keywords only; termbank also matches the plurals).
   Two kinds of text, three texts of each, every text read once by each tool
   (the order alternating from text to text), medians reported:
   - "diverse": terms drawn from the whole bank, so nearly every term is met
     for the first time (the worst case for termbank, which keys each new word);
   - "document": terms drawn from 5,000 of them, as a long manual repeats its
     vocabulary;
   and the same diverse text read a second time by the same index;
3. ``check`` time for a generated 10,000-entry PO catalogue.

    python scripts/bench_text.py --db scripts/out/synthetic.db
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import polib
from flashtext import KeywordProcessor

from termbank import Bank
from termbank.annotate import TermIndex
from termbank.check import Checker, po_pairs

FILLER = ("the", "sample", "was", "imaged", "with", "and", "then", "we", "measured", "each",
          "cell", "in", "a", "new", "way", "before", "after", "analysis", "of", "data")


def make_text(terms: list[str], megabytes: float, seed: int = 1) -> tuple[str, int]:
    """Filler words with glossary terms planted (one word in ten), a third in the plural."""
    rng = random.Random(seed)
    words, size, planted = [], 0, 0
    while size < megabytes * 1_000_000:
        if rng.random() < 0.1:
            term = rng.choice(terms)
            if rng.random() < 0.33:
                term += "s"
            words.append(term)
            planted += 1
        else:
            words.append(rng.choice(FILLER))
        size += len(words[-1]) + 1
        if len(words) % 15 == 0:
            words[-1] += ".\n"
    return " ".join(words), planted


def make_catalog(bank: Bank, path: Path, entries: int) -> None:
    rows = bank.conn.execute(
        "SELECT e.text, s.text FROM terms e JOIN terms s ON s.concept_id = e.concept_id "
        "AND s.tag = 'es' AND s.status = 'preferred' "
        "WHERE e.tag = 'en' AND e.status = 'preferred' LIMIT ?", [entries]).fetchall()
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "es"}
    for i, (en, es) in enumerate(rows):
        translated = f"Abrir {es} ahora" if i % 10 else f"Abrir otra cosa {i}"
        po.append(polib.POEntry(msgid=f"Open {en} now", msgstr=translated))
    po.save(str(path))


def compare(kind: str, index: TermIndex, processor: KeywordProcessor, terms: list[str],
            megabytes: float) -> float:
    """Read three texts of one kind with both tools; print the medians, return flashtext's."""
    ours, theirs, counts = [], [], {}
    for seed in (1, 2, 3):
        pool = terms if kind == "diverse" else random.Random(seed).sample(terms, 5000)
        text, planted = make_text(pool, megabytes, seed)
        size = len(text.encode()) / 1_000_000
        runs = [("termbank", index.find, ours), ("flashtext", processor.extract_keywords, theirs)]
        for name, fn, speeds in runs if seed % 2 else reversed(runs):
            result, took = timed(fn, text)
            speeds.append(size / took)
            counts[name] = len(result)
    mine, flash = statistics.median(ours), statistics.median(theirs)
    print(f"{kind} texts, 3 x {size:.1f} MB ({planted:,} planted terms in the last): "
          f"termbank {mine:.2f} MB/s (runs {_runs(ours)}) finding {counts['termbank']:,}; "
          f"flashtext {flash:.2f} MB/s (runs {_runs(theirs)}) finding {counts['flashtext']:,}; "
          f"ratio {mine / flash:.2f}x flashtext's throughput")
    return flash


def _runs(speeds: list[float]) -> str:
    return ", ".join(f"{s:.2f}" for s in speeds)


def timed(fn, *args):
    start = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="a bank, e.g. a synthetic one")
    parser.add_argument("--megabytes", type=float, default=5.0)
    parser.add_argument("--entries", type=int, default=10_000)
    args = parser.parse_args()
    bank = Bank(args.db)
    terms = [r[0] for r in bank.conn.execute("SELECT text FROM terms WHERE language = 'en'")]
    print(f"# {bank.stats()['concepts']:,} concepts, {len(terms):,} English terms")
    index, ours_load = timed(TermIndex.from_bank, bank, "en")
    processor = KeywordProcessor()
    _, flash_load = timed(processor.add_keywords_from_list, terms)
    print(f"start-up: termbank TermIndex {ours_load:.1f} s, flashtext {flash_load:.1f} s")
    medians = {}
    for kind in ("diverse", "document"):
        medians[kind] = compare(kind, index, processor, terms, args.megabytes)
    text, _ = make_text(terms, args.megabytes, 3)  # the last diverse text, read again
    again = len(text.encode()) / 1_000_000 / timed(index.find, text)[1]
    print(f"the last diverse text read again by the same index: termbank {again:.2f} MB/s, "
          f"{again / medians['diverse']:.2f}x flashtext's median")
    with tempfile.TemporaryDirectory() as tmp:
        catalog = Path(tmp) / "es.po"
        make_catalog(bank, catalog, args.entries)
        checker, load = timed(Checker, bank, "es")
        findings, took = timed(checker.check, str(catalog), po_pairs(catalog))
    print(f"check of a {args.entries:,}-entry PO: {took:.1f} s after {load:.1f} s start-up, "
          f"{len(findings):,} problems reported")
    return 0


if __name__ == "__main__":
    sys.exit(main())

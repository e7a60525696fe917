"""Benchmark the core at terminology-bank scale, every figure a same-run ratio.

1. Build: ``write_bank`` (schema, FTS, indexes, atomic rename) against a bare
   sqlite-utils ``insert_all`` of the same rows into an empty file, in one
   transaction (target: at most 2x).
2. Exact lookup: ``Bank.lookup`` against one raw ``sqlite3`` query that finds
   the concept by its folded term and fetches the answering terms of the
   requested tag's fallback chain (target: p50 <= 1 ms and <= 3x raw).
3. Looser lookups (``--from es``, nothing found by the strict levels): the
   function-word, partial and fuzzy levels, each as a ratio to the exact
   lookup's p50 in the same run (target: fuzzy p50 <= 30 ms at 1M concepts).
4. ``termbank lookup`` wall time on the starter bank (target: < 300 ms).

    python scripts/bench_core.py --concepts 1000000
    python scripts/synthetic_bank.py --concepts 1000000 --db big.db
    python scripts/bench_core.py --db big.db      # lookups only, on a bank built before
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlite_utils import Database

sys.path.insert(0, str(Path(__file__).parent))
from synthetic_bank import concepts as synthetic

from termbank import Bank, build, langtags
from termbank.build import term_row, write_bank
from termbank.inflection import fold

ROOT = Path(__file__).resolve().parent.parent


def bare_insert(items, path: Path) -> None:
    """The baseline: the same rows, plain insert_all, no schema, indexes or FTS."""
    db = Database(path)
    with db.atomic():
        db["concepts"].insert_all(({"id": c.id, "subject_field": c.subject_field,
                                    "do_not_translate": int(c.do_not_translate), "path": c.path}
                                   for c in items), batch_size=5000)
        db["terms"].insert_all((term_row(c.id, i, t) for c in items
                                for i, t in enumerate(c.terms)), batch_size=5000)
        db["definitions"].insert_all(({"concept_id": c.id, "tag": tag, "text": text}
                                      for c in items for tag, text in c.definitions.items()),
                                     batch_size=5000)
        db["relations"].insert_all(({"concept_id": c.id, "related_id": r}
                                    for c in items for r in c.related), batch_size=5000)
    db.close()


def timed(fn, *args) -> float:
    gc.collect()
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def bench_build(items, workdir: Path) -> tuple[float, float]:
    ours = timed(write_bank, items, workdir / "bank.db")
    bare = timed(bare_insert, items, workdir / "bare.db")
    return ours, bare


def bench_lookup(db_path: Path, samples: int) -> tuple[list[float], list[float]]:
    bank = Bank(db_path)
    raw = sqlite3.connect(db_path)
    words = [r[0] for r in raw.execute(
        "SELECT text FROM terms WHERE tag = 'en' AND status = 'preferred' "
        "ORDER BY random() LIMIT ?", [samples])]
    chain = langtags.fallback_chain("es-MX")
    sql = ("SELECT t2.concept_id, t2.text, t2.tag, t2.status FROM terms t1 "
           "JOIN terms t2 ON t2.concept_id = t1.concept_id "
           f"WHERE t1.folded = ? AND t2.tag IN ({','.join('?' * len(chain))})")
    ours, base = [], []
    for word in words:
        key = fold(word)
        start = time.perf_counter()
        raw.execute(sql, [key, *chain]).fetchall()
        base.append(time.perf_counter() - start)
        start = time.perf_counter()
        assert bank.lookup(word, targets=["es-MX"])
        ours.append(time.perf_counter() - start)
    return ours, base


def looser_queries(raw: sqlite3.Connection, samples: int, seed: int = 1) -> dict[str, list[str]]:
    """Queries that only a looser level answers, made from random Spanish terms of the bank:
    a "de" put between the words (function-words), a word of another term added (partial: a
    term inside the text), the last word alone (partial, one word: offered, not answered,
    as the synthetic concepts record no short forms), one letter after the third changed
    (fuzzy), and in terms of 16 letters or more (two edits forgiven) one of the first three
    letters of each word changed (fuzzy, first letters: only the trigram index finds them)."""
    rng = random.Random(seed)
    terms = [r[0] for r in raw.execute(
        "SELECT text FROM terms WHERE tag = 'es' AND length(text) >= 8 AND text LIKE '% %' "
        "ORDER BY random() LIMIT ?", [samples])]
    out: dict[str, list[str]] = {"function-words": [], "partial": [], "partial, one word": [],
                                 "fuzzy": [], "fuzzy, first letters": []}
    for term in terms:
        first, last = term.split(" ", 1)
        out["function-words"].append(f"{first} de {last}")
        out["partial"].append(f"{term} {rng.choice(terms).split()[0]}")
        out["partial, one word"].append(last)
        at = rng.randrange(3, len(term))
        if term[at] != " ":
            letter = "x" if term[at] != "x" else "y"
            out["fuzzy"].append(term[:at] + letter + term[at + 1:])
        if len(term) - term.count(" ") >= 16 and min(len(w) for w in term.split()) >= 3:
            words = [_slip(word, rng.randrange(0, 3)) for word in term.split()]
            out["fuzzy, first letters"].append(" ".join(words))
    return out


def _slip(word: str, at: int) -> str:
    """``word`` with its letter at ``at`` changed."""
    return word[:at] + ("x" if word[at] != "x" else "y") + word[at + 1:]


def bench_looser(db_path: Path, samples: int) -> dict[str, tuple[list[float], int]]:
    """Per level: the times of its queries, and how many the level itself answered."""
    bank = Bank(db_path, False)
    raw = sqlite3.connect(db_path)
    out = {}
    for how, queries in looser_queries(raw, samples).items():
        times, answered = [], 0
        for query in queries:
            start = time.perf_counter()
            found = bank.lookup(query, "es", ["es-MX"])
            times.append(time.perf_counter() - start)
            answered += bool(found) and found[0].how == how.split(",")[0]
        out[how] = (times, answered)
    return out


def bench_cli(runs: int) -> list[float]:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "starter.db"
        build(ROOT / "glossary", db)
        exe = Path(sys.executable).with_name("termbank")
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run([str(exe), "lookup", "point spread function", "--to", "es-MX",
                            "--db", str(db)], check=True, capture_output=True)
            times.append(time.perf_counter() - start)
    return times


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.3f} ms"


def build_row(concepts: int, workdir: Path) -> None:
    print(f"# termbank core benchmark: {concepts:,} synthetic concepts, {os.cpu_count()} cores")
    start = time.perf_counter()
    items = list(synthetic(concepts))
    terms = sum(len(c.terms) for c in items)
    print(f"generated {len(items):,} concepts / {terms:,} terms in memory "
          f"({time.perf_counter() - start:.1f} s, not counted below)")
    ours, bare = bench_build(items, workdir)
    del items
    print(f"build: termbank {ours:.1f} s, bare insert_all {bare:.1f} s, ratio {ours / bare:.2f}x "
          f"(target <= 2x)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concepts", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=2000)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--db", type=Path, default=None,
                        help="time lookups on this synthetic bank instead of building one")
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="termbank-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    if args.db is None:
        db = workdir / "bank.db"
        build_row(args.concepts, workdir)
    else:
        db = args.db
        count = sqlite3.connect(db).execute("SELECT count(*) FROM concepts").fetchone()[0]
        print(f"# termbank core benchmark: lookups on {db} ({count:,} synthetic concepts), "
              f"{os.cpu_count()} cores")
    mine, raw = bench_lookup(db, args.samples)
    p50, r50 = statistics.median(mine), statistics.median(raw)
    p95 = statistics.quantiles(mine, n=20)[-1]
    print(f"exact lookup ({len(mine)} terms, to es-MX): Bank.lookup p50 {ms(p50)} p95 {ms(p95)}; "
          f"raw sqlite3 p50 {ms(r50)}; ratio {p50 / r50:.2f}x (target p50 <= 1 ms, <= 3x)")
    for how, (times, answered) in bench_looser(db, min(args.samples, 500)).items():
        q50 = statistics.median(times)
        target = " (target p50 <= 30 ms)" if how.startswith("fuzzy") else ""
        print(f"{how} lookup ({len(times)} queries, {answered} answered at that level, from es): "
              f"p50 {ms(q50)} p95 {ms(statistics.quantiles(times, n=20)[-1])}; "
              f"{q50 / p50:.1f}x the exact p50{target}")
    cli = bench_cli(10)
    print(f"`termbank lookup` on the bank built from glossary/: median {ms(statistics.median(cli))}, "
          f"max {ms(max(cli))} over {len(cli)} runs (target < 300 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

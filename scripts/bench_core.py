"""Benchmark lookups at terminology-bank scale, every figure a same-run ratio.

1. Strict lookups (exact, folded, inflected), timed four ways on the same
   queries, interleaved: ``Bank.lookup``; the raw indexed query a single-purpose
   tool would run (the concepts whose folded or inflection key matches, joined to
   their terms on the requested tag's fallback chain, the key computed outside
   the timing), on a plain ``sqlite3.connect(path)``; the same raw query on a
   connection opened as ``Bank`` opens its bank (read-only, immutable), so that
   the connection's flags are not mistaken for the lookup's code; the raw query
   on a plain connection deriving its own keys from the text inside the timing,
   with the same functions as the bank (``fold``; ``stems`` in the bank's
   languages), so that both sides do the same work from the same input; and the very
   SQL statements ``Bank.lookup`` sends, replayed on such a connection, so that
   its Python overhead shows. The sides take turns in every order (all 120
   permutations, shifted each round), so no side always reads pages another side
   has just warmed. Each round gives a p50 per side; the figures are the medians
   over the rounds, and a ratio is the median of the rounds' ratios. The lookup
   and the raw query must find the same concept ids for every query, each at the
   level it was made for (target: lookup/raw <= 3x at 1M).
2. Looser lookups (``--from es``, nothing found by the strict levels): the
   function-word, partial and fuzzy levels, each as a ratio to the exact
   lookup's p50 in the same run (target: fuzzy p50 <= 30 ms at 1M concepts).
3. ``termbank lookup`` wall time on the bank built from glossary/ (target < 300 ms).

The build has its own benchmark (``scripts/bench_build.py``).

    python scripts/synthetic_bank.py --concepts 1000000 --db big.db
    python scripts/bench_core.py --db big.db
    python scripts/bench_core.py --concepts 100000   # builds the synthetic bank first
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).parent))
from synthetic_bank import concepts as synthetic

from termbank import Bank, build, langtags
from termbank.build import write_bank
from termbank.inflection import fold, stem, stems

ROOT = Path(__file__).resolve().parent.parent
TARGET = "es-MX"
KINDS = ("exact", "folded", "inflected")
SIDES = ("lookup", "raw", "raw-immutable", "raw-keyed", "own-sql")
# How Bank opens a bank (termbank.bank): the raw query is also timed on such a connection.
BANK_FLAGS = "mode=ro&immutable=1"
RAW = ("SELECT t2.concept_id, t2.text, t2.tag, t2.status FROM terms t1 "
       "JOIN terms t2 ON t2.concept_id = t1.concept_id "
       "WHERE t1.{column} IN ({keys}) AND t2.tag IN ({chain})")


class Query(NamedTuple):
    """A text to look up, and the raw query's match column and keys for it."""

    text: str
    column: str
    keys: tuple[str, ...]


def strict_queries(conn: sqlite3.Connection, samples: int, languages: tuple[str, ...],
                   seed: int = 0) -> dict[str, list[Query]]:
    """Per strict level, queries made from random English preferred terms of the bank: the
    term as written (exact), upper-cased (folded), its first word with a plural "s" (inflected)."""
    rng = random.Random(seed)
    top = conn.execute("SELECT max(id) FROM terms").fetchone()[0]
    terms: list[str] = []
    while len(terms) < samples * 2:
        ids = rng.sample(range(1, top + 1), min(top, samples * 4))
        marks = ",".join("?" * len(ids))
        terms += [r[0] for r in conn.execute(
            f"SELECT text FROM terms WHERE id IN ({marks}) AND tag = 'en' "
            "AND status = 'preferred' AND text GLOB '[a-z]*[a-z] *'", ids)]
    rng.shuffle(terms)
    out: dict[str, list[Query]] = {kind: [] for kind in KINDS}
    for term in terms:
        first, rest = term.split(" ", 1)
        plural = f"{first}s {rest}"
        if stem(plural, "en") != stem(term, "en"):  # an ending the plural rules keep ("-us")
            continue
        out["exact"].append(Query(term, "folded", (fold(term),)))
        out["folded"].append(Query(term.upper(), "folded", (fold(term),)))
        keys = tuple(sorted({stem(plural, language) for language in languages}))
        out["inflected"].append(Query(plural, "stem", keys))
    return {kind: queries[:samples] for kind, queries in out.items()}


class Recorder:
    """A connection or cursor stand-in that notes every statement sent through it, with its
    parameters and whether it reads rows as ``sqlite3.Row`` or as plain tuples."""

    def __init__(self, real, sent: list):
        self.__dict__.update(real=real, sent=sent)

    def execute(self, sql: str, params=()):
        self.sent.append((sql, tuple(params), self.real.row_factory is not None))
        return self.real.execute(sql, params)

    def cursor(self):
        return Recorder(self.real.cursor(), self.sent)

    def __getattr__(self, name: str):
        return getattr(self.real, name)

    def __setattr__(self, name: str, value) -> None:
        setattr(self.real, name, value)


def own_statements(bank: Bank, query: Query) -> list[tuple[str, tuple, bool]]:
    """The SQL statements ``Bank.lookup`` sends for ``query``, with their parameters and
    whether they read ``sqlite3.Row`` rows."""
    real, sent = bank.conn, []
    bank.conn = Recorder(real, sent)  # type: ignore[assignment]
    try:
        bank.lookup(query.text, targets=[TARGET])
    finally:
        bank.conn = real
    return sent


def sides(bank: Bank, replay: sqlite3.Connection, raw: sqlite3.Connection,
          flagged: sqlite3.Connection, keying: sqlite3.Connection,
          query: Query) -> dict[str, Callable[[], object]]:
    """The timed calls for one query; each returns what it found."""
    chain = langtags.fallback_chain(TARGET)
    marks = ",".join("?" * len(chain))
    sql = RAW.format(column=query.column, keys=",".join("?" * len(query.keys)), chain=marks)
    params = [*query.keys, *chain]
    statements = own_statements(bank, query)
    languages = bank.languages

    def keyed() -> list:
        """The raw query with its keys derived from the text, as a tool would have to."""
        if query.column == "folded":
            keys: list[str] = [fold(query.text)]
        else:
            keys = sorted(set(stems(query.text, languages).values()))
        return keying.execute(RAW.format(column=query.column, keys=",".join("?" * len(keys)),
                                         chain=marks), [*keys, *chain]).fetchall()

    def replayed() -> list:
        out = []
        for sql, params, rows in statements:
            cursor = replay.cursor()
            cursor.row_factory = sqlite3.Row if rows else None
            out.append(cursor.execute(sql, params).fetchall())
        return out

    return {"lookup": lambda: bank.lookup(query.text, targets=[TARGET]),
            "raw": lambda: raw.execute(sql, params).fetchall(),
            "raw-immutable": lambda: flagged.execute(sql, params).fetchall(),
            "raw-keyed": keyed,
            "own-sql": replayed}


def same_concepts(kind: str, query: Query, found: dict[str, object]) -> None:
    """Both the lookup and the raw query found the same concepts, at the expected level."""
    matches = found["lookup"]
    ours = {m.concept for m in matches}  # type: ignore[attr-defined]
    theirs = {row[0] for row in found["raw"]}  # type: ignore[attr-defined]
    if sorted(found["raw"]) != sorted(found["raw-keyed"]):  # type: ignore[type-var]
        raise SystemExit(f"{kind} lookup of {query.text!r}: the raw query found other rows "
                         "with the keys it derived than with the keys it was handed")
    if not ours or ours != theirs or any(m.how != kind for m in matches):  # type: ignore[attr-defined]
        raise SystemExit(f"{kind} lookup of {query.text!r}: termbank found {sorted(ours)} "
                         f"({[m.how for m in matches]}), the raw query {sorted(theirs)}")  # type: ignore[attr-defined]


def bench_strict(db_path: Path, samples: int, rounds: int) -> dict[str, dict[str, list[float]]]:
    """Per level and side, the p50 of each round (seconds)."""
    bank = Bank(db_path, False)
    replay = sqlite3.connect(f"file:{db_path.resolve()}?{BANK_FLAGS}", uri=True)
    flagged = sqlite3.connect(f"file:{db_path.resolve()}?{BANK_FLAGS}", uri=True)
    raw = sqlite3.connect(db_path)  # what a single-purpose tool opens
    # each side has a connection of its own: SQLite caches pages per connection, and a side
    # sharing one would find the pages the other just read for the same query
    keying = sqlite3.connect(db_path)
    orders = list(itertools.permutations(SIDES))
    out: dict[str, dict[str, list[float]]] = {}
    for kind, queries in strict_queries(raw, samples, bank.languages).items():
        calls = [sides(bank, replay, raw, flagged, keying, q) for q in queries]
        p50s: dict[str, list[float]] = {side: [] for side in SIDES}
        for turn in range(rounds):
            times: dict[str, list[float]] = {side: [] for side in SIDES}
            for i, (query, call) in enumerate(zip(queries, calls, strict=True)):
                found = {}
                for side in orders[(i + turn) % len(orders)]:
                    start = time.perf_counter()
                    found[side] = call[side]()
                    times[side].append(time.perf_counter() - start)
                same_concepts(kind, query, found)
            for side in SIDES:
                p50s[side].append(statistics.median(times[side]))
        out[kind] = p50s
    return out


def ratio(p50s: dict[str, list[float]], side: str, peer: str) -> float:
    """The median over the rounds of the ratio of two sides' p50s."""
    return statistics.median(a / b for a, b in zip(p50s[side], p50s[peer], strict=True))


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


def print_strict(results: dict[str, dict[str, list[float]]], samples: int, rounds: int) -> float:
    """Print each level's line; returns the exact lookup's p50 (seconds)."""
    for kind, p50s in results.items():
        mid = {side: statistics.median(values) for side, values in p50s.items()}
        print(f"{kind} lookup ({samples} queries x {rounds} rounds, to {TARGET}, same concepts "
              f"checked): Bank.lookup p50 {ms(mid['lookup'])}; raw query {ms(mid['raw'])}, "
              f"{ms(mid['raw-immutable'])} opened as Bank opens it, {ms(mid['raw-keyed'])} "
              f"deriving its own keys; Bank.lookup's own SQL {ms(mid['own-sql'])}")
        print(f"  ratios: lookup/raw {ratio(p50s, 'lookup', 'raw'):.2f}x (target <= 3x), "
              f"lookup/raw deriving its keys {ratio(p50s, 'lookup', 'raw-keyed'):.2f}x, "
              f"lookup/raw opened as Bank {ratio(p50s, 'lookup', 'raw-immutable'):.2f}x, "
              f"lookup/own SQL {ratio(p50s, 'lookup', 'own-sql'):.2f}x, "
              f"own SQL/raw opened as Bank {ratio(p50s, 'own-sql', 'raw-immutable'):.2f}x")
    return statistics.median(results["exact"]["lookup"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=None,
                        help="time lookups on this synthetic bank instead of building one")
    parser.add_argument("--concepts", type=int, default=100_000,
                        help="without --db: the size of the synthetic bank to build first")
    parser.add_argument("--samples", type=int, default=1000, help="queries per strict level")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--looser", type=int, default=500, help="queries per looser level (0: skip)")
    parser.add_argument("--cli", type=int, default=10, help="`termbank lookup` runs (0: skip)")
    args = parser.parse_args()
    if args.db is None:
        args.db = Path(tempfile.mkdtemp(prefix="termbank-bench-")) / "bank.db"
        start = time.perf_counter()
        write_bank(synthetic(args.concepts), args.db)
        print(f"built {args.concepts:,} synthetic concepts in {time.perf_counter() - start:.1f} s")
    count = sqlite3.connect(args.db).execute("SELECT count(*) FROM concepts").fetchone()[0]
    print(f"# termbank lookup benchmark: {args.db} ({count:,} concepts), {os.cpu_count()} cores")
    exact = print_strict(bench_strict(args.db, args.samples, args.rounds), args.samples,
                         args.rounds)
    if args.looser:
        for how, (times, answered) in bench_looser(args.db, args.looser).items():
            q50 = statistics.median(times)
            target = " (target p50 <= 30 ms)" if how.startswith("fuzzy") else ""
            print(f"{how} lookup ({len(times)} queries, {answered} answered at that level, "
                  f"from es): p50 {ms(q50)} p95 {ms(statistics.quantiles(times, n=20)[-1])}; "
                  f"{q50 / exact:.1f}x the exact p50{target}")
    if args.cli:
        cli = bench_cli(args.cli)
        print(f"`termbank lookup` on the bank built from glossary/: median "
              f"{ms(statistics.median(cli))}, max {ms(max(cli))} over {len(cli)} runs "
              "(target < 300 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark the build against plain ``executemany`` of the same rows, in the same run.

Both sides start from the same synthetic concepts in memory (``synthetic_bank``;
generating them is not timed) and compute the same rows, match keys included:

- termbank: ``write_bank`` (the schema's migrations, the rows, indexes and FTS5,
  ``ANALYZE``, migration stamps, fsync and atomic rename), what ``termbank build``
  runs once it has read the YAML;
- plain: this script's own rows, made from the concepts by code of its own, put
  with ``sqlite3.executemany`` into a file whose schema the same migrations made
  (tables first, indexes and FTS after the load, ``ANALYZE``), journal off.

The sides alternate (AB, then BA, ...); the figures are the medians over the
rounds and the ratio is the median of the rounds' ratios. After the rounds, every
table of the two files (FTS shadow tables included) is read back row by row and
must be equal (target: termbank <= 1.2x plain).

    python scripts/bench_build.py --concepts 100000 --rounds 3
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from functools import lru_cache
from itertools import zip_longest
from pathlib import Path

from sqlite_utils import Database

sys.path.insert(0, str(Path(__file__).parent))
from synthetic_bank import concepts as synthetic

from termbank import langtags, schema
from termbank.build import write_bank
from termbank.fields import SUBJECT_FIELDS
from termbank.inflection import fold, stem
from termbank.model import Concept, glossary_tags

TERMS = ("concept_id, position, text, tag, language, status, type, part_of_speech, gender, note, "
         "status_reason, case_sensitive, source, origin, review, reviewers, reviewed_on, "
         "reliability, folded, stem")


def plain(items: list[Concept], path: Path) -> None:
    """The peer: the same rows by ``executemany`` into the migrations' schema."""
    db = Database(path, recreate=True)
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    schema.bank.apply(db, stop_before=schema.LOAD_STEP)
    conn = db.conn
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO subject_fields VALUES (?, ?, ?)",
                     [(f.id, f.title, f.description) for f in SUBJECT_FIELDS])
    conn.commit()
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO concepts VALUES (?, ?, ?, ?)",
                     ((c.id, c.subject_field, int(c.do_not_translate), c.path) for c in items))
    conn.executemany(f"INSERT INTO terms ({TERMS}) VALUES ({', '.join('?' * 20)})",
                     (term(c.id, i, t) for c in items for i, t in enumerate(c.terms)))
    for table in ("definitions", "notes"):
        conn.executemany(f"INSERT INTO {table} VALUES (?, ?, ?)",
                         ((c.id, k, v) for c in items for k, v in getattr(c, table).items()))
    conn.executemany("INSERT INTO relations VALUES (?, ?)",
                     ((c.id, r) for c in items for r in c.related))
    conn.executemany("INSERT INTO sources VALUES (?, ?, ?)",
                     ((c.id, i, s) for c in items for i, s in enumerate(c.sources)))
    conn.executemany("INSERT INTO tags VALUES (?, ?, ?, ?, ?)",
                     [(t, langtags.language(t), langtags.display_name(t), langtags.native_name(t),
                       json.dumps(list(langtags.fallback_chain(t)[1:])))
                      for t in sorted(glossary_tags(items))])
    conn.commit()
    schema.bank.apply(db)
    db.analyze()
    db.close()


def term(concept_id: str, position: int, t) -> tuple:
    language = langtags.language(t.tag)
    p = t.provenance
    return (concept_id, position, t.text, t.tag, language, t.status, t.type, t.part_of_speech,
            t.gender, t.note, t.status_reason, int(t.case_sensitive), t.source, p.origin,
            p.review, reviewers(p.reviewers), p.reviewed_on, t.reliability, fold(t.text),
            stem(t.text, language))


@lru_cache(maxsize=1024)
def reviewers(names: tuple[str, ...]) -> str:
    return json.dumps(list(names))


def timed(fn, *args) -> float:
    gc.collect()
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def same_rows(ours: Path, theirs: Path) -> int:
    """Compare every table of the two files row by row; returns the rows compared. The
    migration records differ by design (the bank stamps them with a fixed time)."""
    a, b = sqlite3.connect(ours), sqlite3.connect(theirs)
    tables = a.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' "
                       "AND name != '_sqlite_migrations' ORDER BY name").fetchall()
    master = "SELECT type, name, sql FROM sqlite_master ORDER BY name"
    if a.execute(master).fetchall() != b.execute(master).fetchall():
        raise SystemExit("the two files' schemas differ")
    count = 0
    for table, create in tables:
        keyed = "WITHOUT ROWID" in create.upper()  # FTS5's own tables: read in key order
        sql = f"SELECT * FROM [{table}]" + ("" if keyed else " ORDER BY rowid")
        for x, y in zip_longest(a.execute(sql), b.execute(sql)):
            if x != y:
                raise SystemExit(f"{table}: termbank has {x}, plain executemany {y}")
            count += 1
    names = "SELECT migration_set, name FROM _sqlite_migrations ORDER BY id"
    if a.execute(names).fetchall() != b.execute(names).fetchall():
        raise SystemExit("the two files applied other migrations")
    return count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concepts", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="termbank-bench-build-"))
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"# termbank build benchmark: {args.concepts:,} synthetic concepts, "
          f"{os.cpu_count()} cores")
    start = time.perf_counter()
    items = list(synthetic(args.concepts))
    print(f"generated {len(items):,} concepts / {sum(len(c.terms) for c in items):,} terms in "
          f"memory ({time.perf_counter() - start:.1f} s, not counted)")
    ours_path, theirs_path = workdir / "termbank.db", workdir / "plain.db"
    times: dict[str, list[float]] = {"termbank": [], "plain": []}
    sides = {"termbank": lambda: write_bank(items, ours_path),
             "plain": lambda: plain(items, theirs_path)}
    for turn in range(args.rounds):
        for side in (("termbank", "plain") if turn % 2 == 0 else ("plain", "termbank")):
            times[side].append(timed(sides[side]))
        print(f"round {turn + 1}: termbank {times['termbank'][-1]:.1f} s, "
              f"plain executemany {times['plain'][-1]:.1f} s", flush=True)
    rows = same_rows(ours_path, theirs_path)
    ratio = statistics.median(a / b for a, b in zip(times["termbank"], times["plain"], strict=True))
    print(f"build ({args.rounds} rounds, {rows:,} rows checked equal): termbank median "
          f"{statistics.median(times['termbank']):.1f} s, plain executemany median "
          f"{statistics.median(times['plain']):.1f} s; ratio {ratio:.2f}x (target <= 1.2x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

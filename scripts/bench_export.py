"""Benchmark every export format on the synthetic bank, beside two peers writing from memory.

Each measurement runs in its own process, so its peak memory (max RSS) is its own:
- every format exported from the bank as the CLI does (streamed from SQLite, one
  target dialect for one-language formats, every tag otherwise);
- the gettext and TBX writers on the same concepts already in memory, against
  polib saving the same PO entries ("po-memory" vs "polib-po") and
  translate-toolkit serialising the same English/es-MX term pairs as TBX
  ("tbx-pairs" vs "ttk-tbx"); peers' data is loaded before the clock starts.

    python scripts/bench_export.py --concepts 100000
    python scripts/bench_export.py --concepts 1000000 --formats po tbx polib-po ttk-tbx

The bank is built with scripts/synthetic_bank.py when it does not exist yet.
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import subprocess
import sys
import time
from functools import partial
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET = "es-MX"
PEERS = ("po-memory", "polib-po", "tbx-memory", "tbx-pairs", "ttk-tbx")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concepts", type=int, default=100_000)
    parser.add_argument("--db", type=Path, help="default: scripts/out/synthetic-N.db")
    parser.add_argument("--out", type=Path, default=HERE / "out" / "exports")
    parser.add_argument("--formats", nargs="*", metavar="NAME",
                        help=f"formats and peers to run (default: all; peers: {', '.join(PEERS)})")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    db = args.db or HERE / "out" / f"synthetic-{args.concepts}.db"
    if args.child:
        print(json.dumps(measure(args.child, db, args.out)))
        return 0
    from termbank.formats import FORMATS

    if not db.exists():
        subprocess.run([sys.executable, str(HERE / "synthetic_bank.py"), "--concepts",
                        str(args.concepts), "--db", str(db)], check=True)
    args.out.mkdir(parents=True, exist_ok=True)
    print(f"| {args.concepts:,} concepts | seconds | peak MB | output MB |")
    print("| --- | ---: | ---: | ---: |")
    for name in args.formats or [*FORMATS, *PEERS]:
        run = subprocess.run([sys.executable, __file__, "--child", name, "--db", str(db),
                              "--out", str(args.out)], capture_output=True, text=True)
        if run.returncode:
            print(f"| {name} | failed: {run.stderr.strip().splitlines()[-1]} | | |")
            continue
        result = json.loads(run.stdout)
        size = f"refused: {result['refused']}" if result["refused"] else f"{result['bytes'] / 1e6:.1f}"
        print(f"| {name} | {result['seconds']:.2f} | {result['peak_mb']:.0f} | {size} |", flush=True)
    return 0


def measure(name: str, db: Path, out: Path) -> dict:
    """Run one export or peer in this process; seconds exclude loading data into memory."""
    from termbank.errors import TermbankError

    start, refused = time.perf_counter(), None
    try:
        seconds, size = (PEER_RUNS[name] if name in PEERS else partial(_export, name))(db, out)
    except TermbankError as exc:   # a provider limit: refusing is the right outcome, timed too
        seconds, size, refused = time.perf_counter() - start, 0, str(exc)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "peak_mb": peak, "bytes": size, "refused": refused}


def _options(name: str):
    """One target dialect for one-language formats and for Amazon's (which, with every
    tag, passes its 10 MB limit on this bank and is refused); every tag otherwise."""
    from termbank.exporting import ExportOptions
    from termbank.formats import FORMATS

    return ExportOptions(targets=(TARGET,) if FORMATS[name].bilingual or name == "aws" else ())


def _export(name: str, db: Path, out: Path) -> tuple[float, int]:
    from termbank import Bank
    from termbank.exporting import export
    from termbank.formats import FORMATS

    path = out / f"bank.{name}.{FORMATS[name].extension}"
    start = time.perf_counter()
    with Bank(db) as bank:
        export(FORMATS[name], bank.glossary(), _options(name), path)
    return time.perf_counter() - start, path.stat().st_size


def _in_memory(db: Path):
    from termbank import Bank
    from termbank.model import Glossary

    with Bank(db) as bank:
        return Glossary.of(list(bank.glossary()))


def _writer_from_memory(name: str, db: Path, out: Path) -> tuple[float, int]:
    """termbank's writer on concepts already in memory, English to es-MX like the peers."""
    from termbank.exporting import ExportOptions
    from termbank.formats import FORMATS

    glossary = _in_memory(db)
    buffer = io.BytesIO()
    start = time.perf_counter()
    FORMATS[name].write(buffer, glossary, ExportOptions(targets=(TARGET,)))
    seconds = time.perf_counter() - start
    (out / f"memory.{name}").write_bytes(buffer.getvalue())
    return seconds, len(buffer.getvalue())


def _polib(db: Path, out: Path) -> tuple[float, int]:
    """polib saving the very entries termbank's PO holds (parsed before the clock starts)."""
    import polib

    source = out / "memory.po"
    if not source.exists():
        _writer_from_memory("po", db, out)
    catalogue = polib.pofile(str(source))
    path = out / "polib.po"
    start = time.perf_counter()
    catalogue.save(str(path))
    return time.perf_counter() - start, path.stat().st_size


def _term_pairs(db: Path):
    """The entries both TBX writers get: per concept, its English term and its es-MX term."""
    from termbank.exporting import ExportOptions, dialect_terms, source_term
    from termbank.model import Concept, Glossary, Term

    glossary, options = _in_memory(db), ExportOptions(targets=(TARGET,))
    pairs = []
    for concept in glossary:
        named, (accepted, _) = source_term(concept, options), dialect_terms(concept, TARGET)
        if named and accepted:
            pairs.append(Concept(concept.id, concept.subject_field, (
                Term(named.text, "en", "preferred"), Term(accepted[0].text, TARGET, "preferred"))))
    return Glossary.of(pairs)


def _tbx_pairs(db: Path, out: Path) -> tuple[float, int]:
    from termbank.exporting import ExportOptions
    from termbank.formats import tbx

    glossary, buffer = _term_pairs(db), io.BytesIO()
    start = time.perf_counter()
    tbx.write_tbx(buffer, glossary, ExportOptions(targets=(TARGET,)))
    seconds = time.perf_counter() - start
    (out / "pairs.tbx").write_bytes(buffer.getvalue())
    return seconds, len(buffer.getvalue())


def _ttk(db: Path, out: Path) -> tuple[float, int]:
    """translate-toolkit turning the same English-to-es-MX term pairs into TBX: its units
    are built and serialised inside the clock, as termbank's writer builds its text."""
    from translate.storage import tbx

    glossary = _term_pairs(db)
    start = time.perf_counter()   # building the store is part of writing it from memory
    store = tbx.tbxfile(sourcelanguage="en", targetlanguage=TARGET)
    for concept in glossary:
        store.addsourceunit(concept.terms[0].text).target = concept.terms[1].text
    data = bytes(store)
    seconds = time.perf_counter() - start
    (out / "ttk.tbx").write_bytes(data)
    return seconds, len(data)


PEER_RUNS = {
    "po-memory": lambda db, out: _writer_from_memory("po", db, out),
    "polib-po": _polib,
    "tbx-memory": lambda db, out: _writer_from_memory("tbx", db, out),
    "tbx-pairs": _tbx_pairs,
    "ttk-tbx": _ttk,
}


if __name__ == "__main__":
    sys.exit(main())

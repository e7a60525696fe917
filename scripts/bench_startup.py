"""Time how fast ``termbank lookup`` starts, against a bare ``python -c "import sqlite3"``.

Both commands run interleaved (one of each per round, so load on the machine
hits them alike) on a bank built from glossary/; the medians and their ratio
are printed (target: lookup <= 5x the bare interpreter), then the heaviest
imports of one lookup as ``python -X importtime`` reports them. The package is
byte-compiled first, as an installation does (pip compiles what it installs;
an editable checkout with PYTHONDONTWRITEBYTECODE=1 would otherwise compile
every module on every run).

    python scripts/bench_startup.py --runs 20
"""

from __future__ import annotations

import argparse
import compileall
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def heaviest_imports(command: list[str], top: int) -> list[str]:
    """The ``top`` imports with the largest cumulative time, as importtime prints them."""
    result = subprocess.run([sys.executable, "-X", "importtime", *command], check=True,
                            capture_output=True, text=True)
    rows = []
    for line in result.stderr.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((int(parts[1]), parts[2].rstrip()))
    return [f"{micros / 1000:8.1f} ms {name}" for micros, name in sorted(rows, reverse=True)[:top]]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()
    compileall.compile_dir(ROOT / "src" / "termbank", quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "termbank.db"
        subprocess.run([sys.executable, "-m", "termbank", "build", "--glossary",
                        str(ROOT / "glossary"), "--db", str(db)], check=True, capture_output=True)
        entry = Path(sys.executable).with_name("termbank")
        lookup = [str(entry), "lookup", "PSF", "--to", "es", "--db", str(db)]
        bare = [sys.executable, "-c", "import sqlite3"]
        ours, base = [], []
        for _ in range(args.runs):
            base.append(timed(bare))
            ours.append(timed(lookup))
        p50, b50 = statistics.median(ours), statistics.median(base)
        print(f"`termbank lookup PSF --to es`: median {p50 * 1000:.1f} ms; "
              f"`python -c \"import sqlite3\"`: median {b50 * 1000:.1f} ms; "
              f"ratio {p50 / b50:.2f}x over {args.runs} interleaved runs (target <= 5x)")
        print("heaviest imports of one lookup (cumulative, python -X importtime):")
        module = [sys.executable, "-c", "import sys; from termbank.cli import cli; sys.argv[0] = "
                  "'termbank'; cli()", *lookup[1:]]
        print("\n".join(heaviest_imports(module[1:], args.top)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Time and peak memory of a full evidence run, from an empty cache, and whether a second
run over the filled cache gives the same bytes.

    python scripts/bench_evidence.py [--cache DIR] [--keep]

Runs `termbank evidence rebuild` twice as a child process: first from scratch (every
pinned package downloaded, checked and unpacked), then again over the filled cache, and
prints wall time, peak resident memory of each run and the sha256 of evidence/ after each.
The repository's evidence/ is written to a temporary copy, never in place.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.glob("*.tsv")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:16]


# A wrapper process per run: its RUSAGE_CHILDREN then covers that run alone.
_MEASURE = ("import resource, subprocess, sys; "
            "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode; "
            "print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


def _run(cache: Path, work: Path) -> tuple[float, int]:
    """One rebuild: seconds and peak RSS in MB; a failed run stops the benchmark."""
    args = [sys.executable, "-m", "termbank", "evidence", "rebuild", "--cache", str(cache),
            "--manifest", str(work / "evidence" / "sources.tsv"),
            "--glossary", str(ROOT / "glossary"),
            "--out", str(work / "evidence" / "attestations.tsv")]
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", _MEASURE, *args], capture_output=True, text=True,
                         check=True).stdout.split()
    seconds = time.perf_counter() - started
    if out[0] != "0":
        sys.exit(f"termbank evidence rebuild exited {out[0]}")
    return seconds, int(out[1]) // 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, help="empty or missing folder for the downloads")
    parser.add_argument("--keep", action="store_true", help="keep the cache afterwards")
    options = parser.parse_args()
    cache = options.cache or Path(tempfile.mkdtemp(prefix="termbank-evidence-bench-"))
    work = Path(tempfile.mkdtemp(prefix="termbank-evidence-out-"))
    shutil.copytree(ROOT / "evidence", work / "evidence")
    try:
        for label in ("from scratch", "cache filled"):
            seconds, peak = _run(cache, work)
            print(f"{label:>13}: {seconds:7.1f} s  peak RSS {peak:5d} MB  "
                  f"evidence/ sha256 {_digest(work / 'evidence')}")
        print(f"committed    : evidence/ sha256 {_digest(ROOT / 'evidence')}")
    finally:
        shutil.rmtree(work)
        if not options.keep and options.cache is None:
            shutil.rmtree(cache)


if __name__ == "__main__":
    main()

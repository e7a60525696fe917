"""Benchmark the web lookup against Datasette's own table search, on one server, in one run.

Serves a synthetic bank (``scripts/synthetic_bank.py``) with ``termbank serve``
on a free loopback port, then sends the same searches (existing English and
Spanish terms, sampled with a fixed seed) to:

- ``/-/lookup?q=TERM&to=es-MX``       our lookup page
- ``/-/lookup.json?q=TERM&to=es-MX``  our lookup JSON
- ``/termbank/terms?_search=TERM``    plain Datasette: the terms table's full-text search page
- ``/termbank/terms.json?_search=TERM``        its JSON
- ``...terms.json?_search=TERM&_nocount=1&_nofacet=1``  its leanest JSON (a stricter baseline)

Each endpoint gets the same number of requests from the same number of
client threads (keep-alive connections); endpoints take turns over several
rounds, in forward order on even rounds and reversed on odd ones, so that
neither side always follows the other. It prints, per endpoint, the median
over the rounds of requests per second and of p95 latency, and per pair the
median of the rounds' ratios of ours to Datasette's (target: at least 0.8x).
Loopback only, bounded loops.

    python scripts/bench_web.py --concepts 100000
    python scripts/bench_web.py --db /tmp/synthetic-1m.db --requests 2000
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
ENDPOINTS = {
    "lookup page": "/-/lookup?q={q}&to=es-MX",
    "lookup.json": "/-/lookup.json?q={q}&to=es-MX",
    "datasette search page": "/termbank/terms?_search={q}",
    "datasette search .json": "/termbank/terms.json?_search={q}",
    "datasette lean .json": "/termbank/terms.json?_search={q}&_nocount=1&_nofacet=1",
}
PAIRS = [("lookup page", "datasette search page"), ("lookup.json", "datasette search .json"),
         ("lookup.json", "datasette lean .json")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def synthetic_bank(concepts: int, db: Path | None) -> Path:
    """The bank to serve: ``--db`` as given, else a generated one cached in scripts/out/."""
    if db is not None:
        return db
    path = ROOT / "scripts" / "out" / f"synthetic-{concepts}.db"
    if not path.exists():
        print(f"generating {concepts:,} synthetic concepts into {path} ...", file=sys.stderr)
        subprocess.run([sys.executable, str(ROOT / "scripts" / "synthetic_bank.py"),
                        "--concepts", str(concepts), "--db", str(path)], check=True)
    return path


def sample_terms(db: Path, count: int, seed: int) -> list[str]:
    """Existing English and Spanish terms, picked by rowid with a fixed seed (no full scan)."""
    conn = sqlite3.connect(f"file:{db.resolve()}?mode=ro", uri=True)
    top = conn.execute("SELECT max(id) FROM terms").fetchone()[0]
    rng = random.Random(seed)
    terms: list[str] = []
    while len(terms) < count:
        row = conn.execute("SELECT text FROM terms WHERE id = ? AND tag IN ('en', 'es')",
                           [rng.randint(1, top)]).fetchone()
        if row:
            terms.append(row[0])
    conn.close()
    return terms


def start_server(bank: Path, workdir: Path, port: int) -> subprocess.Popen:
    command = [str(Path(sys.executable).with_name("termbank")), "serve", "--db", str(bank.resolve()),
               "--proposals", str(workdir / "proposals.db"), "--host", HOST, "--port", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 600  # the first request counts the big tables once
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"termbank serve exited: {process.stderr.read().decode()}")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=600)
            connection.request("GET", "/-/lookup")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.5)
    process.terminate()
    raise SystemExit("termbank serve did not answer within 10 minutes")


def worker(port: int, paths: list[str]) -> list[float]:
    """One client: a keep-alive connection, each path once, latencies in seconds."""
    connection = http.client.HTTPConnection(HOST, port, timeout=120)
    latencies = []
    for path in paths:
        start = time.perf_counter()
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        latencies.append(time.perf_counter() - start)
        if response.status != 200:
            raise SystemExit(f"{path}: HTTP {response.status}")
    connection.close()
    return latencies


def run(port: int, template: str, terms: list[str], clients: int) -> tuple[float, float]:
    """(requests per second, p95 latency in ms) for one pass over ``terms``."""
    paths = [template.format(q=urllib.parse.quote(t)) for t in terms]
    shares = [paths[i::clients] for i in range(clients)]
    start = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        latencies = [x for part in pool.map(lambda s: worker(port, s), shares) for x in part]
    elapsed = time.perf_counter() - start
    return len(paths) / elapsed, statistics.quantiles(latencies, n=20)[-1] * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concepts", type=int, default=100_000)
    parser.add_argument("--db", type=Path, default=None, help="An existing (synthetic) bank.")
    parser.add_argument("--requests", type=int, default=1000, help="Per endpoint and round.")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    bank = synthetic_bank(args.concepts, args.db)
    terms = sample_terms(bank, args.requests, args.seed)
    with tempfile.TemporaryDirectory(prefix="termbank-bench-web-") as tmp:
        port = free_port()
        begin = time.perf_counter()
        server = start_server(bank, Path(tmp), port)
        print(f"# termbank web benchmark: {bank.name} ({bank.stat().st_size / 1e9:.2f} GB), "
              f"{os.cpu_count()} cores, server ready in {time.perf_counter() - begin:.1f} s")
        print(f"# {args.requests} searches per endpoint and round, {args.clients} clients, "
              f"{args.rounds} rounds, order alternating (medians shown)")
        try:
            for template in ENDPOINTS.values():  # warm caches alike
                run(port, template, terms[:50], args.clients)
            rounds: list[dict[str, tuple[float, float]]] = []
            for number in range(args.rounds):
                names = list(ENDPOINTS) if number % 2 == 0 else list(reversed(ENDPOINTS))
                rounds.append({name: run(port, ENDPOINTS[name], terms, args.clients)
                               for name in names})
        finally:
            server.terminate()
            server.wait(timeout=60)
    for name in ENDPOINTS:
        rps = statistics.median(r[name][0] for r in rounds)
        p95 = statistics.median(r[name][1] for r in rounds)
        print(f"{name:<24} {rps:8.1f} req/s   p95 {p95:8.1f} ms")
    for ours, theirs in PAIRS:
        ratio = statistics.median(r[ours][0] / r[theirs][0] for r in rounds)
        verdict = "meets" if ratio >= 0.8 else "MISSES"
        print(f"{ours} / {theirs}: {ratio:.2f}x throughput, median of {len(rounds)} rounds' "
              f"ratios ({verdict} the 0.8x target)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

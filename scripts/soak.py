"""Soak the served site with hostile load and check it keeps answering (issue 16).

Builds the bank from ``glossary/`` into a temporary folder, adds one reviewer,
serves it with a real ``termbank serve`` on a free loopback port, then:

1. lookups alone (the baseline), from ``--lookup-clients`` threads;
2. the same lookups while ``--attackers`` (200) clients send wrong sign-ins
   without pause, no cookies, for ``--seconds``: once all from 127.0.0.1 (the
   throttle's case), once each from its own loopback address (127.0.1.N) with
   its own made-up account, so no throttle applies and only the bounded
   password thread stands between the guesses and the lookups;
3. ``--proposals`` (500) proposals sent at once, each by its own client, then
   counted in proposals.db: every one must be stored exactly once.

It prints p95 and max latency of the lookups per phase, what the sign-ins
were answered (403 checked, 429 throttled, 503 busy), and exits 1 when a
lookup p95 reaches 200 ms or a proposal is lost or doubled. Loopback only;
every phase is bounded in time and the server is stopped at the end.

    python scripts/soak.py [--seconds 20]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_web import HOST, free_port, start_server

ROOT = Path(__file__).resolve().parent.parent
TERMBANK = str(Path(sys.executable).with_name("termbank"))
TARGET_P95_MS = 200.0
TIMEOUT = 60


def prepare(workdir: Path) -> tuple[Path, list[str]]:
    """The built bank, a reviewer in proposals.db, and the English terms to look up."""
    bank = workdir / "termbank.db"
    subprocess.run([TERMBANK, "build", "--glossary", str(ROOT / "glossary"), "--db", str(bank),
                    "--quiet"], check=True, stdout=subprocess.DEVNULL)
    subprocess.run([TERMBANK, "reviewer", "add", "ana", "--languages", "es", "--name", "Ana",
                    "--password", "the right password", "--db", str(bank),
                    "--proposals", str(workdir / "proposals.db")], check=True,
                   stdout=subprocess.DEVNULL)
    with sqlite3.connect(bank) as db:
        terms = [r[0] for r in db.execute(
            "SELECT text FROM terms WHERE tag = 'en' AND status = 'preferred' ORDER BY id")]
    return bank, terms


def lookups(port: int, terms: list[str], clients: int, stop: threading.Event,
            seconds: float) -> list[float]:
    """Latencies (s) of lookups sent by ``clients`` keep-alive clients until ``stop`` or the time."""
    deadline = time.monotonic() + seconds

    def client(offset: int) -> list[float]:
        connection = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT)
        latencies, i = [], offset
        while not stop.is_set() and time.monotonic() < deadline:
            term = urllib.parse.quote(terms[i % len(terms)])
            i += clients
            start = time.perf_counter()
            connection.request("GET", f"/-/lookup.json?q={term}&to=es-MX")
            response = connection.getresponse()
            response.read()
            latencies.append(time.perf_counter() - start)
            if response.status != 200:
                raise SystemExit(f"lookup {term}: HTTP {response.status}")
        connection.close()
        return latencies

    with ThreadPoolExecutor(clients) as pool:
        return [x for part in pool.map(client, range(clients)) for x in part]


def attack(port: int, attackers: int, spread: bool, stop: threading.Event) -> Counter:
    """Wrong sign-ins without pause from ``attackers`` clients until ``stop``; their statuses."""
    answers: Counter = Counter()
    lock = threading.Lock()

    def attacker(n: int) -> None:
        source = (f"127.0.1.{n + 1}", 0) if spread else None
        account = f"guess{n}" if spread else "ana"
        body = urllib.parse.urlencode({"account": account, "password": "wrong password"})
        while not stop.is_set():
            connection = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT,
                                                    source_address=source)
            try:
                connection.request("POST", "/-/signin", body, {
                    "content-type": "application/x-www-form-urlencoded"})
                status = connection.getresponse().status
            except OSError as exc:
                status = type(exc).__name__
            finally:
                connection.close()
            with lock:
                answers[status] += 1

    threads = [threading.Thread(target=attacker, args=(n,), daemon=True) for n in range(attackers)]
    for thread in threads:
        thread.start()
    stop.wait()
    for thread in threads:
        thread.join(TIMEOUT)
    return answers


def under_attack(port, terms, args, spread: bool) -> tuple[list[float], Counter, float]:
    stop = threading.Event()
    answers: Counter = Counter()
    attacking = threading.Thread(target=lambda: answers.update(
        attack(port, args.attackers, spread, stop)))
    attacking.start()
    time.sleep(2)  # let the guesses pile up first
    begin = time.perf_counter()
    latencies = lookups(port, terms, args.lookup_clients, threading.Event(), args.seconds)
    stop.set()
    attacking.join()
    return latencies, answers, time.perf_counter() - begin + 2


def proposals_at_once(port: int, count: int, proposals_db: Path) -> tuple[Counter, int, int]:
    """``count`` proposals posted together; (statuses, rows stored, distinct terms stored)."""
    barrier = threading.Barrier(count, timeout=TIMEOUT)

    def send(n: int):
        body = json.dumps({"concept": "pixel", "tag": "es-MX", "term": f"soak term {n}",
                           "name": f"soak {n}"})
        connection = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT * 5)
        barrier.wait()
        try:
            connection.request("POST", "/-/propose", body, {
                "content-type": "application/json", "accept": "application/json"})
            return connection.getresponse().status
        except OSError as exc:
            return type(exc).__name__
        finally:
            connection.close()

    with ThreadPoolExecutor(count) as pool:
        statuses = Counter(pool.map(send, range(count)))
    with sqlite3.connect(proposals_db) as db:
        rows, distinct = db.execute("SELECT count(*), count(DISTINCT term) FROM proposals "
                                    "WHERE term LIKE 'soak term %'").fetchone()
    return statuses, rows, distinct


def summary(name: str, latencies: list[float]) -> float:
    p95 = statistics.quantiles(latencies, n=20)[-1] * 1000
    print(f"{name:<44} {len(latencies):6d} lookups  p95 {p95:7.1f} ms  "
          f"max {max(latencies) * 1000:7.1f} ms")
    return p95


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="Per phase.")
    parser.add_argument("--attackers", type=int, default=200)
    parser.add_argument("--lookup-clients", type=int, default=4)
    parser.add_argument("--proposals", type=int, default=500)
    args = parser.parse_args(argv)
    failures = []
    with tempfile.TemporaryDirectory(prefix="termbank-soak-") as tmp:
        workdir = Path(tmp)
        bank, terms = prepare(workdir)
        port = free_port()
        server = start_server(bank, workdir, port)
        print(f"# termbank soak: {len(terms)} English terms, {os.cpu_count()} cores, "
              f"{args.attackers} attackers, {args.lookup_clients} lookup clients, "
              f"{args.seconds:.0f} s per phase")
        try:
            lookups(port, terms, args.lookup_clients, threading.Event(), 2)  # warm up
            phases = [("lookups alone",
                       (lookups(port, terms, args.lookup_clients, threading.Event(),
                                args.seconds), Counter(), args.seconds))]
            for spread, name in ((False, "+ wrong sign-ins, one address, one account"),
                                 (True, "+ wrong sign-ins, 200 addresses and accounts")):
                phases.append((name, under_attack(port, terms, args, spread)))
            for name, (latencies, answers, elapsed) in phases:
                p95 = summary(name, latencies)
                if answers:
                    total = sum(answers.values())
                    print(f"{'':<44} sign-ins {total} ({total / elapsed:.0f}/s): "
                          + ", ".join(f"{k}: {v}" for k, v in sorted(answers.items(), key=str)))
                if p95 >= TARGET_P95_MS:
                    failures.append(f"{name}: lookup p95 {p95:.0f} ms")
            time.sleep(1)
            statuses, rows, distinct = proposals_at_once(port, args.proposals,
                                                         workdir / "proposals.db")
            print(f"{args.proposals} proposals at once: answers "
                  + ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items(), key=str))
                  + f"; stored {rows} rows, {distinct} distinct")
            if not (rows == distinct == args.proposals and statuses == {201: args.proposals}):
                failures.append(f"proposals: {rows} rows, {distinct} distinct, {dict(statuses)}")
        finally:
            server.terminate()
            server.wait(timeout=60)
    for failure in failures:
        print(f"FAILED {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

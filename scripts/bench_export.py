"""Benchmark `termbank export` end to end, each format against a peer process writing the same content.

What is timed is the command users run, as a whole process (start, imports, reading the
bank, writing the file), against a peer process that reads the same content from SQLite
and writes it with the usual tool:

- po:  `termbank export po`   vs polib saving the same entries (metadata, comments,
       references, contexts), read from a prepared SQLite table;
- mo:  `termbank export mo`   vs `msgfmt` compiling termbank's PO of the same export;
- csv: `termbank export csv`  vs Python's csv module writing the same rows, read from a
       prepared SQLite table;
- tbx: `termbank export tbx`  vs lxml's ``etree.xmlfile`` writing the same elements
       (every element, attribute, text and line break of termbank's file), read as JSON
       from a prepared SQLite table.

The peers' inputs are prepared once, outside the clock, from a first `termbank export`;
they hold the finished content, so a peer does none of the selection, dialect rule or
ordering work termbank does (the comparison leans towards the peer). Each run starts both
processes in alternating order (termbank first on even runs, the peer first on odd ones);
the table shows medians over the runs, their ratio, and each side's peak memory (max RSS
of that process, from ``wait4``). Outputs are checked equal: the same bytes (mo: the same
catalogue read back by polib, as msgfmt adds a hash table; po: the same entries read back
by polib, as polib wraps long lines).

    python scripts/bench_export.py --db /path/to/synthetic-100k.db --runs 5
    python scripts/bench_export.py --db /path/to/synthetic-1m.db --runs 3 --formats po mo

One-language formats (po, mo) export ``--to es-MX``; csv and tbx every tag. Make a bank
with scripts/synthetic_bank.py.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET = "es-MX"
FORMATS = ("po", "mo", "csv", "tbx")
# the console script users run, installed beside this Python
TERMBANK = [str(Path(sys.executable).with_name("termbank"))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="the bank to export")
    parser.add_argument("--runs", type=int, default=3, help="runs of each side (default 3)")
    parser.add_argument("--formats", nargs="*", choices=FORMATS, default=list(FORMATS))
    parser.add_argument("--work", type=Path, help="scratch folder (default: a temporary one)")
    parser.add_argument("--peer", nargs=3, metavar=("FORMAT", "INPUT", "OUT"),
                        help=argparse.SUPPRESS)
    parser.add_argument("--prepare", nargs=2, metavar=("FORMAT", "WORK"), help=argparse.SUPPRESS)
    parser.add_argument("--check", nargs=3, metavar=("FORMAT", "OURS", "PEER"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.peer:
        PEERS[args.peer[0]](Path(args.peer[1]), Path(args.peer[2]))
    elif args.prepare:
        print(PREPARE[args.prepare[0]](args.db, Path(args.prepare[1])))
    elif args.check:
        print(CHECK[args.check[0]](Path(args.check[1]), Path(args.check[2])))
    if args.peer or args.prepare or args.check:
        return 0
    _compile_termbank()
    with tempfile.TemporaryDirectory(dir=args.work) as scratch:
        work = Path(scratch)
        count = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True).execute(
            "SELECT count(*) FROM concepts").fetchone()[0]
        print(f"# termbank export vs peers: {count:,} concepts ({args.db.name}), "
              f"{args.runs} interleaved runs, medians, {os.cpu_count()} cores")
        print("| format | termbank s | peer s | ratio | termbank peak MB | peer peak MB "
              "| output MB | equal output |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
        for fmt in args.formats:
            print(_row(fmt, args.db, work, args.runs), flush=True)
    return 0


def _compile_termbank() -> None:
    """Byte-compile termbank's modules once, as installing a package does: an editable
    install under PYTHONDONTWRITEBYTECODE would compile them again in every process."""
    import importlib.util

    spec = importlib.util.find_spec("termbank")
    assert spec is not None and spec.submodule_search_locations
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, "-m", "compileall", "-q",
                    *spec.submodule_search_locations], check=True, env=env)


def _row(fmt: str, db: Path, work: Path, runs: int) -> str:
    ours_out, peer_out = work / f"termbank.{fmt}", work / f"peer.{fmt}"
    ours_cmd = [*TERMBANK, "export", fmt, "--db", str(db), "--out", str(ours_out)]
    if fmt in ("po", "mo"):
        ours_cmd += ["--to", TARGET]
    peer_input = Path(_child("--prepare", fmt, str(work), db=db))
    peer_cmd = _peer_command(fmt, peer_input, peer_out)
    times: dict[str, list[float]] = {"ours": [], "peer": []}
    peaks: dict[str, list[float]] = {"ours": [], "peer": []}
    for run in range(runs):
        order = [("ours", ours_cmd), ("peer", peer_cmd)]
        for side, cmd in order if run % 2 == 0 else order[::-1]:
            seconds, peak = _timed(cmd)
            times[side].append(seconds)
            peaks[side].append(peak)
    equal = _child("--check", fmt, str(ours_out), str(peer_out))
    ours, peer = statistics.median(times["ours"]), statistics.median(times["peer"])
    return (f"| {fmt} | {ours:.2f} | {peer:.2f} | {ours / peer:.2f}x | "
            f"{max(peaks['ours']):.0f} | {max(peaks['peer']):.0f} | "
            f"{ours_out.stat().st_size / 1e6:.1f} | {equal} |")


def _child(*args: str, db: Path | str = "-") -> str:
    """Preparing and checking run in a child process: Linux counts the parent's peak memory
    into every process it starts (``ru_maxrss`` carries over ``exec``), so the parent must
    stay small."""
    run = subprocess.run([sys.executable, __file__, "--db", str(db), *args], check=True,
                         stdout=subprocess.PIPE, text=True)
    return run.stdout.strip()


def _timed(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one process, output discarded."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    errors = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed: {errors.decode()[-2000:]}")
    return seconds, usage.ru_maxrss / 1024


def _peer_command(fmt: str, peer_input: Path, out: Path) -> list[str]:
    if fmt == "mo":
        return ["msgfmt", str(peer_input), "-o", str(out)]
    return [sys.executable, __file__, "--db", "-", "--peer", fmt, str(peer_input), str(out)]


def _reference(fmt: str, db: Path, work: Path) -> Path:
    """termbank's own export, made once outside the clock: what the peer's input holds."""
    out = work / f"reference.{fmt}"
    cmd = [*TERMBANK, "export", fmt, "--db", str(db), "--out", str(out)]
    subprocess.run(cmd + (["--to", TARGET] if fmt in ("po", "mo") else []), check=True,
                   stderr=subprocess.DEVNULL)
    return out


# Preparing each peer's input (outside the clock) -----------------------------------------

def _prepare_po(db: Path, work: Path) -> Path:
    import polib

    catalogue = polib.pofile(str(_reference("po", db, work)))
    path = work / "peer-po.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE header (text TEXT, metadata TEXT)")
        conn.execute("INSERT INTO header VALUES (?, ?)",
                     [catalogue.header, json.dumps(list(catalogue.ordered_metadata()))])
        conn.execute("CREATE TABLE entries (msgctxt TEXT, msgid TEXT, msgstr TEXT, "
                     "comment TEXT, occurrences TEXT)")
        conn.executemany("INSERT INTO entries VALUES (?, ?, ?, ?, ?)", (
            (e.msgctxt, e.msgid, e.msgstr, e.comment, json.dumps(e.occurrences))
            for e in catalogue))
    return path


def _prepare_mo(db: Path, work: Path) -> Path:
    """msgfmt's input is termbank's PO of the same export (made by `termbank export po`)."""
    return _reference("po", db, work)


def _prepare_csv(db: Path, work: Path) -> Path:
    import csv

    path = work / "peer-csv.db"
    with open(_reference("csv", db, work), encoding="utf-8-sig", newline="") as text, \
            sqlite3.connect(path) as conn:
        rows = csv.reader(text)
        header = next(rows)
        columns = ", ".join(f"c{i} TEXT" for i in range(len(header)))
        conn.execute("CREATE TABLE header (line TEXT)")
        conn.execute("INSERT INTO header VALUES (?)", [json.dumps(header)])
        conn.execute(f"CREATE TABLE rows ({columns})")
        marks = ", ".join("?" * len(header))
        conn.executemany(f"INSERT INTO rows VALUES ({marks})", rows)
    return path


def _prepare_tbx(db: Path, work: Path) -> Path:
    """Every concept entry as JSON [tag, attributes, text, children, tail], and the document
    around them (root, header), so the peer writes the very same elements."""
    from lxml import etree

    path = work / "peer-tbx.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE entries (json TEXT)")
        batch = []
        for _, element in etree.iterparse(str(_reference("tbx", db, work)), events=("end",),
                                          tag="{*}conceptEntry", remove_blank_text=False):
            entry = _as_json(element)
            entry[4] = "\n"   # each entry's own line; iterparse may not have read the tail yet
            batch.append((json.dumps(entry, ensure_ascii=False),))
            element.clear(keep_tail=True)
            if len(batch) == 5000:
                conn.executemany("INSERT INTO entries VALUES (?)", batch)
                batch.clear()
        conn.executemany("INSERT INTO entries VALUES (?)", batch)
    return path


def _as_json(element) -> list:
    return [_local(element.tag), dict(element.attrib), element.text or "",
            [_as_json(child) for child in element], element.tail or ""]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


PREPARE = {"po": _prepare_po, "mo": _prepare_mo, "csv": _prepare_csv, "tbx": _prepare_tbx}


# The peers (each its own process) -----------------------------------------------------------

def _peer_po(source: Path, out: Path) -> None:
    import polib

    conn = sqlite3.connect(source)
    header, metadata = conn.execute("SELECT text, metadata FROM header").fetchone()
    catalogue = polib.POFile(wrapwidth=0)
    catalogue.header = header
    catalogue.metadata = dict(json.loads(metadata))
    for msgctxt, msgid, msgstr, comment, occurrences in conn.execute(
            "SELECT * FROM entries ORDER BY rowid"):
        catalogue.append(polib.POEntry(msgctxt=msgctxt, msgid=msgid, msgstr=msgstr,
                                       comment=comment,
                                       occurrences=[tuple(o) for o in json.loads(occurrences)]))
    catalogue.save(str(out))


def _peer_csv(source: Path, out: Path) -> None:
    import csv

    conn = sqlite3.connect(source)
    with open(out, "w", encoding="utf-8-sig", newline="") as text:
        rows = csv.writer(text)
        rows.writerow(json.loads(conn.execute("SELECT line FROM header").fetchone()[0]))
        rows.writerows(conn.execute("SELECT * FROM rows ORDER BY rowid"))


NAMESPACE = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _peer_tbx(source: Path, out: Path) -> None:
    """lxml's incremental writer, element by element, as termbank writes its TBX."""
    from lxml import etree

    conn = sqlite3.connect(source)
    tag = {}

    def write(xf, node) -> None:
        name, attributes, text, children, tail = node
        qualified = tag.get(name) or tag.setdefault(name, f"{{{NAMESPACE}}}{name}")
        with xf.element(qualified, attributes):
            if text:
                xf.write(text)
            for child in children:
                write(xf, child)
        if tail:
            xf.write(tail)

    with open(out, "wb") as fp:
        with etree.xmlfile(fp, encoding="UTF-8", close=False) as xf:
            _tbx_document(xf, conn, write)
        fp.write(b"\n")


def _tbx_document(xf, conn, write) -> None:
    """The document around the entries: declaration, root, header, text and body."""
    xf.write_declaration()
    root = {"type": "TBX-Basic", "style": "dca", XML_LANG: "en"}
    with xf.element(f"{{{NAMESPACE}}}tbx", root,
                    nsmap={"xml": "http://www.w3.org/XML/1998/namespace", None: NAMESPACE}):
        xf.write("\n")
        with xf.element(f"{{{NAMESPACE}}}tbxHeader"), \
                xf.element(f"{{{NAMESPACE}}}fileDesc"), \
                xf.element(f"{{{NAMESPACE}}}sourceDesc"), xf.element(f"{{{NAMESPACE}}}p"):
            xf.write("termbank: microscopy and bioimage-analysis terms")
        xf.write("\n")
        with xf.element(f"{{{NAMESPACE}}}text"):
            xf.write("\n")
            with xf.element(f"{{{NAMESPACE}}}body"):
                xf.write("\n")
                for (entry,) in conn.execute("SELECT json FROM entries ORDER BY rowid"):
                    write(xf, json.loads(entry))
            xf.write("\n")
        xf.write("\n")


PEERS = {"po": _peer_po, "csv": _peer_csv, "tbx": _peer_tbx}


# Checking the outputs equal -----------------------------------------------------------------

def _same_bytes(ours: Path, peer: Path) -> str:
    return "same bytes" if _digest(ours) == _digest(peer) else "DIFFERENT"


def _digest(path: Path) -> str:
    import hashlib

    with open(path, "rb") as fp:
        return hashlib.file_digest(fp, "sha256").hexdigest()


def _same_po(ours: Path, peer: Path) -> str:
    import polib

    def entries(path: Path):
        catalogue = polib.pofile(str(path))
        return catalogue.metadata, [(e.msgctxt, e.msgid, e.msgstr, e.comment, e.occurrences)
                                    for e in catalogue]

    return "same entries (polib)" if entries(ours) == entries(peer) else "DIFFERENT"


def _same_mo(ours: Path, peer: Path) -> str:
    import polib

    def catalogue(path: Path):
        mo = polib.mofile(str(path))
        return mo.metadata, sorted((e.msgctxt or "", e.msgid, e.msgstr) for e in mo)

    return "same catalogue (polib)" if catalogue(ours) == catalogue(peer) else "DIFFERENT"


CHECK = {"po": _same_po, "mo": _same_mo, "csv": _same_bytes, "tbx": _same_bytes}


if __name__ == "__main__":
    sys.exit(main())

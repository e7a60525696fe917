"""The dialect rule (``termbank.dialects``), and every reader giving its one answer.

The agreement test is the issue's own case on the real glossary: approve one es-AR
proposal for "pixel", then the CLI, the library, the web JSON, the canned SQL query
and a DeepL export must all answer the approved regional term first, with the
inherited general term still listed after it.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from termbank import Bank, build, reviewers
from termbank.dialects import TERM_FIELDS, resolve
from termbank.model import Provenance, Term
from termbank.proposals import ProposalStore
from termbank.web.site import make_datasette

ROOT = Path(__file__).resolve().parent.parent
APPROVED = Provenance("proposal 7", "reviewed", ("Ana",), "2026-11-30")


def texts(tag: str, *terms: Term) -> list[tuple[str, str]]:
    accepted, _ = resolve(tag, terms, TERM_FIELDS)
    return [(t.text, t.tag) for t in accepted]


@pytest.mark.parametrize(("tag", "terms", "expected"), [
    # a dialect's own preferred term replaces the general ones; an admitted one joins them
    ("es-ES", [Term("archivo", "es", "preferred"), Term("fichero", "es-ES", "admitted")],
     [("fichero", "es-ES"), ("archivo", "es")]),
    ("es-ES", [Term("archivo", "es", "preferred"), Term("fichero", "es-ES", "preferred")],
     [("fichero", "es-ES")]),
    # nothing of its own: the nearest tag on the chain answers, preferred first
    ("es-MX", [Term("pixel", "es-419", "admitted"), Term("píxel", "es", "preferred"),
      Term("píxel", "es-419", "preferred")], [("píxel", "es-419"), ("pixel", "es-419")]),
    # an approved proposal joins: it comes first and the general terms follow
    ("es-AR", [Term("píxel", "es", "preferred"), Term("punto", "es-AR", provenance=APPROVED)],
     [("punto", "es-AR"), ("píxel", "es")]),
    # ... and the same text is offered once, by the most specific tag
    ("es-AR", [Term("píxel", "es", "preferred"), Term("pixel", "es", "admitted"),
      Term("pixel", "es-AR", provenance=APPROVED)], [("pixel", "es-AR"), ("píxel", "es")]),
    # an approved term made preferred by an editor closes the chain like any glossary term
    ("es-AR", [Term("píxel", "es", "preferred"),
               Term("punto", "es-AR", "preferred", provenance=APPROVED)], [("punto", "es-AR")]),
    # an approved term beside a glossary term of the same tag closes the chain as before
    ("es-AR", [Term("píxel", "es", "preferred"), Term("pixel", "es-AR", "preferred"),
      Term("punto", "es-AR", provenance=APPROVED)], [("pixel", "es-AR"), ("punto", "es-AR")]),
])
def test_the_rule(tag, terms, expected):
    assert texts(tag, *terms) == expected


def test_refused_forms_follow_and_a_name_answers_in_english():
    terms = (Term("magnificación", "es", "deprecated", status_reason="calque"),
             Term("aumento", "es", "preferred"), Term("Fiji", "en", "preferred"))
    accepted, refused = resolve("es-MX", terms, TERM_FIELDS)
    assert [t.text for t in accepted] == ["aumento"]
    assert [t.text for t in refused] == ["magnificación"]
    named, _ = resolve("de", terms[2:], TERM_FIELDS, do_not_translate=True)
    assert [t.text for t in named] == ["Fiji"]


@pytest.fixture(scope="module")
def real_bank(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("real") / "termbank.db"
    build(ROOT / "glossary", path)
    return path


@pytest.fixture
def approved_pixel(real_bank, tmp_path) -> tuple[Path, Path]:
    """The real bank and, beside it, a proposals database with "pixel" approved for es-AR."""
    bank_path = tmp_path / "termbank.db"
    bank_path.write_bytes(real_bank.read_bytes())
    store = ProposalStore(tmp_path / "proposals.db")
    reviewers.add(store, "ana", "long enough", ("es",), "Ana")
    with Bank(bank_path) as bank:
        proposal = store.submit(concept="pixel", tag="es-AR", term="pixel", bank=bank)
    store.decide(proposal.id, "approved", "ana")
    store.close()
    return bank_path, tmp_path / "proposals.db"


def termbank(*args: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("TERMBANK_DB", "TERMBANK_PROPOSALS")}
    done = subprocess.run([sys.executable, "-m", "termbank", *args], capture_output=True,
                          text=True, env=env, check=True)
    return done.stdout


AGREED = [("pixel", "es-AR", "reviewed"), ("píxel", "es", "draft")]


@pytest.mark.asyncio
async def test_every_reader_gives_the_same_answer(approved_pixel):
    bank_path, proposals = approved_pixel
    cli = json.loads(termbank("lookup", "pixel", "--to", "es-AR", "--json", "--db", str(bank_path)))
    assert [(a["term"], a["tag"], a["review"]) for a in cli[0]["translations"]["es-AR"]] == AGREED

    with Bank(bank_path) as bank:  # the library finds proposals.db beside the bank by itself
        library = bank.lookup("pixel", targets=["es-AR"])
        approved = [t for t in bank.concept("pixel").terms if t.tag == "es-AR"]
    assert [(t.text, t.provenance.origin, t.reliability) for t in approved] == [
        ("pixel", "proposal 1", 3)]
    assert [m.to_json() for m in library] == cli

    ds = make_datasette(bank_path, proposals, ROOT / "datasette" / "metadata.yml")
    await ds.invoke_startup()
    try:
        web = (await ds.client.get("/-/lookup.json?q=pixel&to=es-AR")).json()
        canned = (await ds.client.get(
            "/termbank/term_in_dialect.json?term=pixel&dialect=es-AR&_shape=objects")).json()
    finally:
        for database in ds.databases.values():
            database.close()
    assert web == cli
    assert [(r["term"], r["from_tag"], r["review"]) for r in canned["rows"]
            if r["concept"] == "pixel"] == AGREED

    deepl = dict(csv.reader(io.StringIO(termbank("export", "deepl", *_to("es-AR"),
                                                 "--db", str(bank_path))), delimiter="\t"))
    assert deepl["pixel"] == AGREED[0][0]


def _to(tag: str) -> list[str]:
    """The export's dialect option: ``--to`` where this branch has it, else ``--lang``."""
    return ["--to" if "--to" in termbank("export", "--help") else "--lang", tag]


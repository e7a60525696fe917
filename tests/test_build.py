"""The build: a real SQLite file, atomic, deterministic, with its schema in one place."""

import hashlib
import sqlite3
from pathlib import Path

import pytest

from termbank import Bank, build
from termbank.errors import DatabaseError, SourceError

FIXTURE_GLOSSARY = Path(__file__).parent / "data" / "glossary"



def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_build_writes_every_table(bank_path):
    conn = sqlite3.connect(bank_path)
    counts = {t: conn.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0]
              for t in ("concepts", "terms", "definitions", "relations", "tags", "subject_fields")}
    assert counts["concepts"] == 14 and counts["terms"] > 60 and counts["subject_fields"] == 13
    assert {r[0] for r in conn.execute("SELECT tag FROM tags")} >= {"en", "es", "es-419", "es-ES",
                                                                    "pt-BR", "pt-PT"}
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    indexes = {r[1] for r in conn.execute("PRAGMA index_list(terms)")}
    assert {"idx_terms_folded", "idx_terms_stem"} <= indexes


def test_fts_ignores_diacritics(bank):
    hits = [h["concept"] for h in bank.search("funcion dispersion")]
    assert hits[0] == "point-spread-function"
    assert bank.search("'") == []  # raw FTS syntax in user input is quoted, not an error


def test_same_glossary_gives_identical_bytes(tmp_path):
    build(FIXTURE_GLOSSARY, tmp_path / "a.db")
    build(FIXTURE_GLOSSARY, tmp_path / "b.db")
    assert digest(tmp_path / "a.db") == digest(tmp_path / "b.db")


def test_failed_build_leaves_previous_bank_untouched(tmp_path, glossary_copy):
    target = tmp_path / "termbank.db"
    build(glossary_copy, target)
    before = digest(target)
    (glossary_copy / "optics" / "broken.yml").write_text("terms: [\n", encoding="utf-8")
    with pytest.raises(SourceError):
        build(glossary_copy, target)
    assert digest(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["glossary", "termbank.db"]


def test_interrupted_write_leaves_no_temp_file(tmp_path):
    from termbank.build import write_bank
    from termbank.source import read_glossary

    def exploding():
        yield from list(read_glossary(FIXTURE_GLOSSARY))[:3]
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_bank(exploding(), tmp_path / "x.db")
    assert list(tmp_path.iterdir()) == []


def test_old_or_foreign_databases_are_refused(tmp_path):
    missing = tmp_path / "nope.db"
    with pytest.raises(DatabaseError, match="termbank build"):
        Bank(missing)
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE x (y)").connection.commit()
    with pytest.raises(DatabaseError, match="another schema"):
        Bank(other)
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database at all" * 100)
    with pytest.raises(DatabaseError, match="not a termbank database"):
        Bank(garbage)


def test_older_schema_is_refused(tmp_path):
    target = tmp_path / "old.db"
    build(FIXTURE_GLOSSARY, target)
    conn = sqlite3.connect(target)
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm002_indexes_and_search'")
    conn.commit()
    with pytest.raises(DatabaseError, match="m002_indexes_and_search"):
        Bank(target)


def test_round_trip_through_the_database(bank):
    from termbank.source import read_glossary

    from_files = {c.id: c for c in read_glossary(FIXTURE_GLOSSARY)}
    from_db = {c.id: c for c in bank.iter_concepts()}
    assert from_db.keys() == from_files.keys()
    for cid, concept in from_files.items():
        assert from_db[cid].terms == concept.terms
        assert dict(from_db[cid].definitions) == dict(concept.definitions)
        assert set(from_db[cid].related) == set(concept.related)
        assert from_db[cid].do_not_translate == concept.do_not_translate


def test_public_build_is_the_function_even_after_its_module_is_imported():
    import termbank.build  # noqa: F401  (sets the submodule as an attribute, were it allowed)
    from termbank import build as public

    assert callable(public) and public.__module__ == "termbank.build"


def test_a_killed_build_leaves_no_temporary_file_after_the_next_build(tmp_path):
    """Issue 16, Low: SIGKILL during a build of the real glossary leaves its temporary bank;
    the next build beside it removes it (its writer is gone) and the bank is whole.

    The killed build reads the real glossary and then waits for more concepts, so it is
    killed mid-build every time (polling for its temporary file raced a build that got fast
    enough to finish between two polls)."""
    import signal
    import subprocess
    import sys

    glossary = Path(__file__).resolve().parents[1] / "glossary"
    target = tmp_path / "termbank.db"
    program = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from termbank.build import write_bank\n"
        "from termbank.source import read_glossary\n"
        "def concepts():\n"
        "    yield from read_glossary(Path(sys.argv[1]))\n"
        "    print('read', flush=True)\n"
        "    time.sleep(600)\n"
        "write_bank(concepts(), Path(sys.argv[2]))\n")
    builder = subprocess.Popen([sys.executable, "-c", program, str(glossary), str(target)],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert builder.stdout.readline() == "read\n"
    finally:
        builder.send_signal(signal.SIGKILL)
        builder.wait()
        builder.stdout.close()
    left = list(tmp_path.glob(".termbank.db.*.tmp"))
    assert left and not target.exists()
    build(FIXTURE_GLOSSARY, target)
    assert [p.name for p in tmp_path.iterdir()] == ["termbank.db"]
    with Bank(target) as bank:
        assert bank.concept_exists("pixel")


def insert_all_bank(glossary: Path, path: Path) -> None:
    """The bank as the build wrote it through sqlite-utils' ``insert_all`` until it moved to
    plain ``executemany``: the reference that the faster path must equal row for row."""
    from sqlite_utils import Database

    from termbank import schema
    from termbank.build import EPOCH, _tag_values, _with_evidence, evidence_file, term_row
    from termbank.build import TAG_COLUMNS as TAGS
    from termbank.evidence.linking import term_rows
    from termbank.fields import SUBJECT_FIELDS
    from termbank.model import glossary_tags
    from termbank.source import read_glossary

    concepts, evidence, found = list(read_glossary(glossary)), None, evidence_file(glossary, None)
    if found is not None:
        concepts, evidence = _with_evidence(concepts, found)
    db = Database(path, recreate=True)
    schema.bank.apply(db, stop_before=schema.LOAD_STEP)
    db["subject_fields"].insert_all({"id": f.id, "title": f.title, "description": f.description}
                                    for f in SUBJECT_FIELDS)
    with db.atomic():
        db["concepts"].insert_all({"id": c.id, "subject_field": c.subject_field,
                                   "do_not_translate": int(c.do_not_translate), "path": c.path}
                                  for c in concepts)
        db["terms"].insert_all(term_row(c.id, i, t) for c in concepts
                               for i, t in enumerate(c.terms))
        for table in ("definitions", "notes"):
            db[table].insert_all({"concept_id": c.id, "tag": tag, "text": text}
                                 for c in concepts for tag, text in getattr(c, table).items())
        db["relations"].insert_all({"concept_id": c.id, "related_id": r}
                                   for c in concepts for r in c.related)
        db["sources"].insert_all({"concept_id": c.id, "position": i, "text": s}
                                 for c in concepts for i, s in enumerate(c.sources))
        db["tags"].insert_all(dict(zip(TAGS, _tag_values(t), strict=True))
                              for t in sorted(glossary_tags(concepts)))
    schema.bank.apply(db)
    if evidence is not None:
        with db.atomic():
            db["attestations"].insert_all(evidence.rows())
            db["term_attestations"].insert_all(row for c in concepts for row in term_rows(c))
    db.execute(f"UPDATE [{schema.bank.migrations_table}] SET applied_at = ?", [EPOCH])
    db.conn.commit()
    db.analyze()
    db.close()


def rows_of(path: Path) -> dict[str, list[tuple]]:
    """Every table of a bank (FTS5's own tables too) and the schema, row by row."""
    conn = sqlite3.connect(path)
    out = {"sqlite_master": conn.execute("SELECT type, name, sql FROM sqlite_master "
                                         "ORDER BY name").fetchall()}
    for name, sql in conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'"):
        order = "" if "WITHOUT ROWID" in sql.upper() else " ORDER BY rowid"
        out[name] = conn.execute(f"SELECT * FROM [{name}]{order}").fetchall()
    conn.close()
    return out


@pytest.mark.parametrize("glossary", [FIXTURE_GLOSSARY,
                                      Path(__file__).resolve().parents[1] / "glossary"],
                         ids=["fixture", "real"])
def test_the_build_writes_the_rows_sqlite_utils_wrote(tmp_path, glossary):
    """Inserting with plain ``executemany`` changed the build's speed, not its bank: every
    row of every table, evidence included, equals the ``insert_all`` build's."""
    build(glossary, tmp_path / "built.db")
    insert_all_bank(glossary, tmp_path / "reference.db")
    built, reference = rows_of(tmp_path / "built.db"), rows_of(tmp_path / "reference.db")
    assert built.keys() == reference.keys()
    assert built["terms"] and (built["term_attestations"] or glossary == FIXTURE_GLOSSARY)
    for table, rows in reference.items():
        assert built[table] == rows, table

"""The public face of a built bank: open it, look terms up, read concepts back.

``Bank`` is what the CLI, the web plugin and the exporters share. It reads
SQLite directly (no Datasette import) so a command-line lookup starts fast.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from . import langtags, queries
from .errors import DatabaseError
from .model import Concept, Glossary, Term, Texts, reliability, stored_provenance

if TYPE_CHECKING:
    from .lookup import Match

DEFAULT_DB = "termbank.db"
APPROVED_POSITION = 1_000_000  # approved proposals sort after every term of the built bank


def default_db_path() -> Path:
    """``$TERMBANK_DB``, else ``termbank.db`` in the current directory."""
    return Path(os.environ.get("TERMBANK_DB") or DEFAULT_DB)


class OpenBank(Protocol):
    """What every reader of a bank relies on (lookups, checks, exports, imports, the web).

    ``Bank`` below is the SQLite one; readers are typed against this protocol
    so that they say what they use, and so that mypy checks it.
    """

    path: Path
    conn: sqlite3.Connection
    overlay: bool

    @property
    def tags(self) -> tuple[str, ...]: ...

    @property
    def languages(self) -> tuple[str, ...]: ...

    def approved_terms(self, where: str, params: Sequence[object] | Mapping[str, object]
                       ) -> list[dict[str, Any]]: ...

    def lookup(self, text: str, source: str | None = None, targets: list[str] | None = None,
               min_reliability: int = 1) -> list[Match]: ...

    def suggest(self, text: str, limit: int = 8, source: str | None = None) -> list[str]: ...

    def english_term(self, concept_id: str) -> str | None: ...

    def concept_exists(self, concept_id: str) -> bool: ...

    def concept(self, concept_id: str) -> Concept | None: ...

    def glossary(self) -> Glossary: ...


class Bank:
    """A read-only connection to a built termbank database.

    The bank also answers with approved proposals that the built bank does not
    hold yet: the proposals database (``proposals``; by default the one
    ``termbank.proposals.default_path`` names, when it exists) is ATTACHed
    read-only and lookups and exports read both, so an approval shows at once,
    without a rebuild, and every reader gives the same answer. ``proposals=False``
    reads the built bank alone.
    """

    overlay: bool = False

    def __init__(self, path: str | Path | None = None,
                 proposals: str | Path | Literal[False] | None = None):
        self.path = Path(path) if path is not None else default_db_path()
        if not self.path.is_file():
            raise DatabaseError(f"{self.path}: no bank here; build it with `termbank build`"
                                " or pass --db PATH")
        try:
            # immutable: a build replaces the file by renaming a new one into place and never
            # writes a built bank in place, so SQLite may skip the file lock and change check
            # it otherwise makes around every statement (half of a primary-key read at 1M concepts)
            conn = sqlite3.connect(f"file:{self.path.resolve()}?mode=ro&immutable=1", uri=True,
                                   check_same_thread=False)
            conn.row_factory = sqlite3.Row
            pending = queries.missing_migrations(conn)
        except sqlite3.DatabaseError as exc:
            raise DatabaseError(f"{self.path}: not a termbank database ({exc}); "
                                "rebuild it with `termbank build`") from None
        if pending:
            raise DatabaseError(f"{self.path}: built with another schema (missing {', '.join(pending)}); "
                                "rebuild it with `termbank build`")
        self.conn = conn
        if proposals is None:
            found = queries.proposals_path(self.path)
            if found.is_file():
                self._attach(found)
        elif proposals is not False:
            self._attach(Path(proposals))

    def _attach(self, path: Path) -> None:
        if not path.is_file():
            raise DatabaseError(f"{path}: no proposals database here; `termbank serve` creates it")
        self.conn.execute("ATTACH DATABASE ? AS proposals", [f"file:{path.resolve()}?mode=ro"])
        found = self.conn.execute("SELECT 1 FROM proposals.sqlite_master "
                                  "WHERE name = 'approved_terms'").fetchone()
        if found is None:
            raise DatabaseError(f"{path}: proposals database from an older termbank; open it once "
                                "with `termbank proposals list` to upgrade it")
        self.overlay = True

    def close(self) -> None:
        self.conn.close()

    @cached_property
    def db(self):
        """The connection as a sqlite-utils Database, made on first use (a lookup never
        needs it, and importing sqlite-utils costs a command-line start as much again)."""
        from sqlite_utils import Database

        return Database(self.conn)

    def __enter__(self) -> Bank:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @cached_property
    def built_tags(self) -> tuple[str, ...]:
        """The built bank's tags (``model.glossary_tags`` of its concepts), sorted."""
        return tuple(r[0] for r in self.conn.execute("SELECT tag FROM tags ORDER BY tag"))

    @property
    def tags(self) -> tuple[str, ...]:
        """The built bank's tags, and those of approved proposals (read afresh) with an overlay."""
        if not self.overlay:
            return self.built_tags
        approved = {r[0] for r in self.conn.execute(
            "SELECT DISTINCT tag FROM proposals.approved_terms")}
        return tuple(sorted(approved.union(self.built_tags)))

    @cached_property
    def built_languages(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(langtags.language(t) for t in self.built_tags))

    @property
    def languages(self) -> tuple[str, ...]:
        if not self.overlay:
            return self.built_languages
        return tuple(dict.fromkeys(langtags.language(t) for t in self.tags))

    def decisions_seen(self) -> int:
        """The latest event of the proposals database (0 without one): it grows with every
        approval or confirmation, so it versions what the overlay adds (e.g. cached exports)."""
        if not self.overlay:
            return 0
        return self.conn.execute("SELECT coalesce(max(id), 0) FROM proposals.events").fetchone()[0]

    def approved_terms(self, where: str, params: Sequence[object] | Mapping[str, object]
                       ) -> list[dict[str, Any]]:
        """Approved proposals the built bank lacks, as rows shaped like its ``terms``.

        ``where`` filters ``a`` (``approved_terms``). Reliability is the model's
        (``model.reliability``), from the reviewers who approved and confirmed.
        """
        if not self.overlay:
            return []
        sql = f"{_approved_sql(where)} ORDER BY concept_id, position"
        rows = [dict(row) for row in self.conn.execute(sql, params)]
        for row in rows:
            row["reliability"] = reliability(row["review"], json.loads(row["reviewers"] or "[]"),
                                             row["source"])
        return rows

    def lookup(self, text: str, source: str | None = None, targets: list[str] | None = None,
               min_reliability: int = 1) -> list[Match]:
        """Concepts named by ``text``; see ``termbank.lookup`` for the rules."""
        return _lookup_function()(self, text, source, targets, min_reliability)

    def suggest(self, text: str, limit: int = 8, source: str | None = None) -> list[str]:
        from .lookup import suggest

        return suggest(self, text, limit, source)

    def search(self, query: str, limit: int = 20) -> list[dict]:
        """Full-text search over terms and definitions (diacritic-insensitive), best first."""
        quoted = self.db.quote_fts(query)
        sql = """
            SELECT concept_id, min(rank) AS rank FROM (
              SELECT t.concept_id, terms_fts.rank AS rank FROM terms_fts
                JOIN terms t ON t.rowid = terms_fts.rowid WHERE terms_fts MATCH :q
              UNION ALL
              SELECT d.concept_id, definitions_fts.rank + 5 FROM definitions_fts
                JOIN definitions d ON d.rowid = definitions_fts.rowid WHERE definitions_fts MATCH :q
            ) GROUP BY concept_id ORDER BY rank, concept_id LIMIT :limit"""
        rows = self.conn.execute(sql, {"q": quoted, "limit": limit}).fetchall()
        return [{"concept": r["concept_id"], "term": self.english_term(r["concept_id"])}
                for r in rows]

    def english_term(self, concept_id: str) -> str | None:
        """The concept's English preferred term (``Concept.english``), read in SQL."""
        row = self.conn.execute(queries.english_term_sql(":id"), {"id": concept_id}).fetchone()
        return row[0] if row else None

    def concept_exists(self, concept_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM concepts WHERE id = ?",
                                 [concept_id]).fetchone() is not None

    def concept(self, concept_id: str) -> Concept | None:
        row = self.conn.execute("SELECT * FROM concepts WHERE id = ?", [concept_id]).fetchone()
        if row is None:
            return None
        return next(self._concepts("WHERE c.id = :id", {"id": concept_id}))

    def iter_concepts(self) -> Iterator[Concept]:
        """Every concept in id order, streamed: memory stays flat on a large bank."""
        return self._concepts("", {})

    def glossary(self) -> Glossary:
        """The snapshot every export reads: the built bank and the approved proposals."""
        count = self.conn.execute("SELECT count(*) FROM concepts").fetchone()[0]
        return Glossary(self.iter_concepts, self.tags, count, self)

    def _concepts(self, where: str, params: dict) -> Iterator[Concept]:
        conn = self.conn
        key = where.replace("c.id", "concept_id")
        terms = f"SELECT {_ALL_TERM_COLUMNS} FROM terms {key}"
        if self.overlay:
            terms += " UNION ALL " + _approved_sql(where.replace("WHERE c.id", "a.concept_id")
                                                   or "1")
        cursors = {
            "terms": conn.execute(f"{terms} ORDER BY concept_id, position", params),
            "definitions": conn.execute(f"SELECT * FROM definitions {key} ORDER BY concept_id, tag", params),
            "notes": conn.execute(f"SELECT * FROM notes {key} ORDER BY concept_id, tag", params),
            "relations": conn.execute(f"SELECT * FROM relations {key} ORDER BY concept_id, related_id", params),
            "sources": conn.execute(f"SELECT * FROM sources {key} ORDER BY concept_id, position", params),
            "attested": conn.execute(f"SELECT * FROM term_attestations {key} "
                                     "ORDER BY concept_id, position, rowid", params),
        }
        streams = {name: _grouped(cur) for name, cur in cursors.items()}
        heads = {name: next(s, None) for name, s in streams.items()}
        for row in conn.execute(f"SELECT * FROM concepts c {where} ORDER BY c.id", params):
            parts = {}
            for name, stream in streams.items():
                head = heads[name]
                if head is not None and head[0] == row["id"]:
                    parts[name] = head[1]
                    heads[name] = next(stream, None)
                else:
                    parts[name] = []
            yield _concept(row, parts)

    def stats(self) -> dict:
        from .stats import stats

        return stats(self)


@cache
def _lookup_function() -> Callable[..., list[Match]]:
    """``termbank.lookup.lookup``, imported on the first lookup: a command that never looks a
    term up does not load it, and a lookup does not pay an import statement (1 µs) each time."""
    from .lookup import lookup

    return lookup


# Every column of the built ``terms`` table, in order; approved proposals are read in this shape.
_ALL_TERM_COLUMNS = ("id, concept_id, position, text, tag, language, status, type, part_of_speech, "
                     "gender, note, status_reason, case_sensitive, source, origin, review, "
                     "reviewers, reviewed_on, reliability, folded, stem")


def _approved_sql(where: str) -> str:
    """Approved proposals as ``terms`` rows: ``where`` filters ``a`` (``approved_terms``).

    A proposal already in the bank (same concept, tag and folded text, as after
    ``proposals apply`` and a rebuild) or repeating an earlier approval is left
    out, so nothing shows twice. Ids are negative and positions follow the
    bank's, so the rows sort after the glossary's own terms and never collide
    with them. Reliability is left to the model (NULL here).
    """
    return f"""
        SELECT -a.proposal_id AS id, a.concept_id, {APPROVED_POSITION} + a.proposal_id AS position,
               a.text, a.tag, a.language, a.status, a.type, NULL AS part_of_speech,
               NULL AS gender, a.note, a.status_reason, a.case_sensitive, NULL AS source,
               a.origin, a.review, a.reviewers, a.reviewed_on, NULL AS reliability, a.folded,
               a.stem
        FROM proposals.approved_terms a
        WHERE ({where})
          AND a.proposal_id = (SELECT min(o.proposal_id) FROM proposals.approved_terms o
                               WHERE o.concept_id = a.concept_id AND o.tag = a.tag
                                 AND o.folded = a.folded)
          AND NOT EXISTS (SELECT 1 FROM main.terms t WHERE t.folded = a.folded
                          AND t.concept_id = a.concept_id AND t.tag = a.tag)"""


def _grouped(cursor: sqlite3.Cursor) -> Iterator[tuple[str, list[sqlite3.Row]]]:
    current, rows = "", list[sqlite3.Row]()
    for row in cursor:
        if row["concept_id"] != current and rows:
            yield current, rows
            rows = []
        current = row["concept_id"]
        rows.append(row)
    if rows:
        yield current, rows


def term_from_row(row: sqlite3.Row) -> Term:
    provenance = stored_provenance(row["origin"], row["review"], row["reviewers"], row["reviewed_on"])
    return Term(text=row["text"], tag=row["tag"], status=row["status"], type=row["type"],
                part_of_speech=row["part_of_speech"], gender=row["gender"], note=row["note"],
                status_reason=row["status_reason"], case_sensitive=bool(row["case_sensitive"]),
                source=row["source"], provenance=provenance)


def _concept(row: sqlite3.Row, parts: dict[str, list[sqlite3.Row]]) -> Concept:
    terms = tuple(term_from_row(r) for r in parts["terms"])
    if parts["attested"]:  # how human translators use the terms (termbank.evidence)
        from dataclasses import replace

        from .evidence.linking import from_rows

        by_position: dict[int, list[sqlite3.Row]] = {}
        for r in parts["attested"]:
            by_position.setdefault(r["position"], []).append(r)
        terms = tuple(replace(t, attested=from_rows(by_position.get(r["position"], ())))
                      for t, r in zip(terms, parts["terms"], strict=True))
    return Concept(
        id=row["id"], subject_field=row["subject_field"],
        terms=terms,
        definitions=Texts((r["tag"], r["text"]) for r in parts["definitions"]),
        notes=Texts((r["tag"], r["text"]) for r in parts["notes"]),
        related=tuple(r["related_id"] for r in parts["relations"]),
        sources=tuple(r["text"] for r in parts["sources"]),
        do_not_translate=bool(row["do_not_translate"]), path=row["path"])



if TYPE_CHECKING:  # mypy checks here that the SQLite bank is an OpenBank
    def _open_bank(bank: Bank) -> OpenBank:
        return bank

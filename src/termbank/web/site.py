"""The served site: which bank and proposals database, and how the views reach them.

Reads run in Datasette's thread pool, each thread with its own ``Bank`` that
ATTACHes the proposals database read-only, so approved proposals show in
lookups at once. Every write (a proposal, a decision, a comment) runs on the
proposals database's single write thread (Datasette's ``execute_write_fn``),
so concurrent posts queue up instead of racing: none is lost or doubled.
"""

from __future__ import annotations

import asyncio
import functools
import threading
import weakref
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from datasette.database import Database

if TYPE_CHECKING:  # datasette.app imports this plugin while it loads: no cycle at run time
    from datasette.app import Datasette
from datasette.utils.asgi import Response

from ..bank import Bank
from ..errors import TermbankError
from ..proposals import ProposalStore, default_path
from .served import ExportCache, ServedBank, content_hash
from .signin import SignInGuard

BANK_DATABASE = "termbank"
PROPOSALS_DATABASE = "proposals"
# The committed configuration, shipped in this package: web/metadata.yml links to the
# source tree's datasette/metadata.yml, and a wheel carries its content.
PACKAGED_METADATA = "metadata.yml"
# Off by default on the web: suggesting facets scans every column of a large
# table on each page (NOTES.md: 143 ms against 20 ms for a search of 100k rows).
DEFAULT_SETTINGS = {"suggest_facets": False}

_sites: weakref.WeakKeyDictionary[Datasette, Site] = weakref.WeakKeyDictionary()


class Site:
    """The plugin's state for one Datasette instance (its config lives in the metadata)."""

    def __init__(self, datasette: Datasette, config: dict):
        self.datasette = datasette
        self.bank_database = config.get("bank", BANK_DATABASE)
        self.bank_path = Path(datasette.databases[self.bank_database].path)
        self.writer = (config.get("writer") or "").rstrip("/") or None
        self.proposals_path = None if self.writer else Path(
            config.get("proposals") or default_path(self.bank_path))
        self.proposals_database: str | None = None  # its name in Datasette, once open
        self._local = threading.local()
        self._store: ProposalStore | None = None
        self.sign_in_guard = SignInGuard()
        self.private_tables: frozenset[str] = frozenset()
        self.exports = ExportCache(ExportCache.default_folder(),
                                   int(config.get("export_cache_mb", 256)) * 1024 * 1024)

    @classmethod
    def find(cls, datasette: Datasette) -> Site | None:
        """The site of this Datasette, or None when it serves no bank (the plugin then stays
        out of the way of whatever else that Datasette serves)."""
        if datasette not in _sites:
            config = datasette.plugin_config("termbank") or {}
            if config.get("bank", BANK_DATABASE) not in datasette.databases:
                return None
            _sites[datasette] = cls(datasette, config)
        return _sites[datasette]

    @classmethod
    def of(cls, datasette: Datasette) -> Site:
        site = cls.find(datasette)
        if site is None:
            raise TermbankError("this Datasette serves no bank: start it with `termbank serve`")
        return site

    def open(self) -> None:
        """Create or upgrade the proposals database and serve it (read-only to SQL) as ``proposals``."""
        if self.proposals_path is None:
            return
        store = ProposalStore(self.proposals_path)
        self.private_tables = tables_naming_accounts(store)
        store.close()
        wanted = self.proposals_path.resolve()
        for name, db in self.datasette.databases.items():
            if db.path and Path(db.path).resolve() == wanted:  # already served, by another name
                self.proposals_database = name
                return
        self.datasette.add_database(
            Database(self.datasette, str(self.proposals_path), is_mutable=True),
            name=PROPOSALS_DATABASE)
        self.proposals_database = PROPOSALS_DATABASE

    def bank(self) -> Bank:
        """This thread's bank connection, with the overlay of approved proposals; re-opened
        when a build has replaced the bank file since (``served.ServedBank``)."""
        served = self.datasette.databases.get(self.bank_database)
        version = served.refresh() if isinstance(served, ServedBank) else None
        bank = getattr(self._local, "bank", None)
        if bank is not None and self._local.version != version:
            bank.close()
            bank = None
        if bank is None:
            # a replica (no proposals database of its own) reads the built bank alone
            bank = self._local.bank = Bank(self.bank_path, self.proposals_path or False)
            self._local.version = version
        return bank

    async def read(self, work):
        """``work(bank)`` in Datasette's thread pool (inline when it runs without threads)."""
        if self.datasette.executor is None:
            return work(self.bank())
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.datasette.executor, lambda: work(self.bank()))

    async def in_store(self, work):
        """``work(store, bank)`` on the proposals database's one write thread.

        Writes queue there, so they never race; the few reads of proposals and
        comments go there too, which keeps one connection per thread. A refusal
        comes back as its exception (returned, not raised, so Datasette re-raises
        it here without logging it as a server error).
        """
        path = self.proposals_path
        if path is None:
            raise TermbankError(f"this server is a read-only replica; propose at {self.writer}")

        def task(_conn):
            if self._store is None:
                self._store = ProposalStore(path)
            try:
                return work(self._store, self.bank())
            except TermbankError as exc:
                return exc

        db = self.datasette.databases[self.proposals_database or PROPOSALS_DATABASE]
        return await db.execute_write_fn(task, block=True)

    def to_writer(self, request) -> Response:
        """On a read-only replica, pages that write send the visitor to the one writer."""
        query = f"?{request.query_string}" if request.query_string else ""
        return Response.redirect(f"{self.writer}{request.path}{query}", status=307)

    def export_path(self, name: str, tags: tuple[str, ...], extension: str, decisions: int) -> Path:
        """Where a download is cached: one file per content of the bank (its SHA-256) and
        version of the approved proposals it includes (``decisions``: ``Bank.decisions_seen``)."""
        key = f"{content_hash(self.bank_path)}|{decisions}|{name}|{','.join(tags)}"
        return self.exports.path(key, extension)


# Columns that hold a reviewer's account id (half of a sign-in) or password hash.
ACCOUNT_COLUMNS = frozenset({"actor_id", "decided_by", "password_hash"})


def tables_naming_accounts(store: ProposalStore) -> frozenset[str]:
    """The tables and views of the proposals database that show account ids or hashes: only
    signed-in reviewers see them through Datasette (``permission_allowed``); the rest of the
    proposals database, and the site's own pages, show reviewers by their display names.
    Read from the schema, so a later table with such a column is covered too."""
    names = [row[0] for row in store.db.conn.execute(
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")]
    return frozenset(name for name in names if ACCOUNT_COLUMNS & {
        row[1] for row in store.db.conn.execute(f"PRAGMA table_info([{name}])")})


def on_the_writer(view):
    """A page of the one writer (proposals, discussions, sign-in, review): a read-only replica
    sends the visitor there, same path and query."""

    @functools.wraps(view)
    async def routed(request, datasette):
        site = Site.of(datasette)
        if site.writer:
            return site.to_writer(request)
        return await view(request, datasette)

    return routed


def make_datasette(bank: Path, proposals: Path | None, metadata: Path | None = None, *,
                   writer: str | None = None, settings: dict | None = None,
                   secret: str | None = None) -> Datasette:
    """Datasette over the bank (immutable, named ``termbank``) with the termbank plugin.

    ``termbank serve``, the tests and the benchmark all build the site here,
    from the committed ``datasette/metadata.yml`` unless told otherwise.
    """
    import os

    from . import ensure_registered

    ensure_registered()
    config = load_metadata(metadata)
    plugin = config.setdefault("plugins", {}).setdefault("termbank", {})
    if proposals is not None:
        plugin["proposals"] = str(proposals)
    if writer:
        plugin["writer"] = writer
    chosen = {**DEFAULT_SETTINGS, **{k: typed_setting(k, v) for k, v in (settings or {}).items()}}
    from datasette.app import Datasette

    ds = Datasette([], metadata=config, settings=chosen,
                   secret=secret or os.environ.get("DATASETTE_SECRET"))
    ds.remove_database("_memory")
    ds.add_database(ServedBank(ds, Path(bank).resolve()), name=BANK_DATABASE)
    return ds


def typed_setting(name: str, value):
    """A Datasette setting from the command line, as the type Datasette expects."""
    from datasette.app import DEFAULT_SETTINGS as DATASETTE_SETTINGS

    if name not in DATASETTE_SETTINGS:
        raise TermbankError(f"no Datasette setting {name!r}; see `datasette --help-settings`")
    default = DATASETTE_SETTINGS[name]
    if not isinstance(value, str) or isinstance(default, str):
        return value
    if isinstance(default, bool):
        return value.lower() in ("1", "true", "on", "yes")
    try:
        return int(value)
    except ValueError:
        raise TermbankError(f"setting {name} wants a number, not {value!r}") from None


def load_metadata(path: Path | None) -> dict:
    """The given metadata file, else the one termbank ships (datasette/metadata.yml).

    Never an empty default: a site without its title, licence and canned queries
    would look like it works while publishing none of them.
    """
    if path is not None:
        if not Path(path).is_file():
            raise TermbankError(f"{path}: no such metadata file")
        return _metadata(Path(path).read_text(encoding="utf-8"), str(path))
    from importlib.resources import files

    try:
        text = (files(__package__) / PACKAGED_METADATA).read_text(encoding="utf-8")
    except OSError as exc:
        raise TermbankError(f"termbank's datasette/metadata.yml is not installed ({exc.strerror}); "
                            "reinstall termbank or pass --metadata PATH") from None
    return _metadata(text, "datasette/metadata.yml")


def _metadata(text: str, name: str) -> dict:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{name}:{mark.line + 1}" if mark else name
        raise TermbankError(f"{where}: not valid YAML ({getattr(exc, 'problem', exc)})") from None
    if not isinstance(data, dict):
        raise TermbankError(f"{name}: Datasette metadata must be a mapping of settings")
    return data

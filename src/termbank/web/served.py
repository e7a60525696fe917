"""The served bank follows rebuilds, and downloads are cached by what the bank holds.

``termbank build`` replaces the bank's file by a rename, so a server that
keeps its connections answers from the old, deleted file. ``ServedBank``
is the Datasette database of the bank: before each query it compares the
file's identity (inode, size, mtime: one ``stat``) with the one its
connections were opened on, and a thread whose connection is older opens a
fresh one, under the same database name. The switch is atomic: a query runs
wholly on the old file or wholly on the new one, never on a mix.

``ExportCache`` keeps built downloads in a private folder (mode 0700, under
the user's cache directory, never a shared name in /tmp), named by the
SHA-256 of the bank's content plus the proposals state and the request, so a
rebuilt bank never gets an older file; the least recently used files go when
the folder passes its size cap.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import stat
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from datasette.database import Database

from ..errors import TermbankError

DEFAULT_CAP = 256 * 1024 * 1024
# a file handed out this recently may not be open yet by its response: eviction leaves it
# (once open, removing it does not cut the download short)
IN_USE_SECONDS = 2.0


@dataclass(frozen=True)
class FileVersion:
    """Which file a path names right now: a rebuild gives a new inode (and mtime)."""

    inode: int
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, path: str | Path) -> FileVersion:
        found = os.stat(path)
        return cls(found.st_ino, found.st_size, found.st_mtime_ns)


_hashes: dict[tuple[str, FileVersion], str] = {}
_hashing = threading.Lock()


def content_hash(path: str | Path) -> str:
    """SHA-256 of a bank file as it is now, computed once per version of the file."""
    with open(path, "rb") as fp:
        found = os.fstat(fp.fileno())
        key = (str(path), FileVersion(found.st_ino, found.st_size, found.st_mtime_ns))
        with _hashing:
            if key not in _hashes:
                if len(_hashes) > 16:
                    _hashes.clear()
                _hashes[key] = hashlib.file_digest(fp, "sha256").hexdigest()
            return _hashes[key]


class ServedBank(Database):
    """Datasette's database of the built bank (immutable between builds), re-opened on the
    next query after a build replaces the file."""

    def __init__(self, ds, path: str | Path):
        super().__init__(ds, path=str(path), is_mutable=False)
        self.version = FileVersion.of(path)
        self._local = threading.local()

    def refresh(self) -> FileVersion:
        """The file's current version; a change drops what Datasette cached of the old one."""
        try:
            seen = FileVersion.of(self.path)
        except FileNotFoundError:   # removed without a replacement: keep serving what is open
            return self.version
        if seen != self.version:
            self.cached_hash = None
            self._cached_table_counts = None
            self.version = seen
        return self.version

    async def execute_fn(self, fn):
        version = self.refresh()
        if self.ds.executor is None:
            return fn(self._connection(version))
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.ds.executor, lambda: fn(self._connection(version)))

    def _connection(self, version: FileVersion):
        """This thread's connection to ``version`` of the file (an older one is closed)."""
        held = getattr(self._local, "held", None)
        if held is not None and held[0] == version:
            return held[1]
        if held is not None:
            held[1].close()
            if held[1] in self._all_file_connections:
                self._all_file_connections.remove(held[1])
        conn = self.connect()
        self.ds._prepare_connection(conn, self.name)
        self._local.held = (version, conn)
        return conn


class ExportCache:
    """Built downloads, one file per key, in a private folder held under ``cap`` bytes."""

    def __init__(self, folder: Path, cap: int = DEFAULT_CAP, in_use: float = IN_USE_SECONDS):
        self.folder, self.cap, self.in_use = Path(folder), cap, in_use
        self._lock = threading.Lock()

    @classmethod
    def default_folder(cls) -> Path:
        """``$TERMBANK_EXPORT_CACHE``, else termbank/exports in the user's cache directory."""
        from platformdirs import user_cache_dir

        if os.environ.get("TERMBANK_EXPORT_CACHE"):
            return Path(os.environ["TERMBANK_EXPORT_CACHE"])
        return Path(user_cache_dir("termbank")) / "exports"   # as evidence/ finds its cache

    def path(self, key: str, extension: str) -> Path:
        """Where the download of ``key`` is (or goes); a hit counts as a use."""
        self._private()
        path = self.folder / f"{hashlib.sha256(key.encode()).hexdigest()[:32]}.{extension}"
        with contextlib.suppress(FileNotFoundError):
            os.utime(path)
        return path

    def added(self, path: Path) -> None:
        """After ``path`` was written: drop the least recently used files over the cap."""
        with self._lock:
            files = []
            for entry in os.scandir(self.folder):
                if entry.is_file(follow_symlinks=False) and not entry.name.startswith("."):
                    found = entry.stat(follow_symlinks=False)
                    files.append((found.st_mtime, found.st_size, Path(entry.path)))
            total = sum(size for _, size, _ in files)
            recent = time.time() - self.in_use
            for used, size, old in sorted(files):
                if total <= self.cap:
                    break
                if old == path or used > recent:
                    continue
                old.unlink(missing_ok=True)
                total -= size

    def _private(self) -> None:
        """The folder exists, belongs to this user and only this user can read it."""
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        found = os.lstat(self.folder)
        if not stat.S_ISDIR(found.st_mode) or found.st_uid != os.getuid():
            raise TermbankError(f"{self.folder}: the export cache must be a folder of this user; "
                                "set TERMBANK_EXPORT_CACHE to another place")
        if stat.S_IMODE(found.st_mode) != 0o700:
            os.chmod(self.folder, 0o700)

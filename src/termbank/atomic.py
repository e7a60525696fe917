"""All-or-nothing file writes: every file termbank writes appears whole or not at all.

A writer works on a temporary file beside the target, and only a writer that
finished has its file renamed over the target (``os.replace`` is atomic on
one file system). Exports, catalogues, glossary files changed by ``proposals
apply`` and the built bank all go through here.

Each temporary name carries the writer's process id, so a writer that was
killed (SIGKILL, power loss) leaves a file the next writer of that folder
recognises as stale and removes; a live writer's file is left alone.
Data is fsynced before the rename, and the folder after it, so a crash
never leaves a renamed but empty file.

A writer that read the target first can pass ``expect`` (the SHA-256 of
what it read): the target is then replaced only if it still holds those
bytes right before the rename (compare-and-swap), so an editor's save made
meanwhile is never overwritten.

The temporary file is created with mode 0666 and the kernel applies the
process umask, as for any new file: no call changes the umask, which is
process-wide and would race with other threads (the web server writes
downloads while it serves).
"""

from __future__ import annotations

import glob
import hashlib
import os
import re
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from .errors import TermbankError

_ATTEMPTS = 100
_TEMP = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[0-9a-f]{12}\.tmp$")


class ChangedMeanwhile(TermbankError):
    """The target changed between the writer's read and its replace; nothing was written."""

    def __init__(self, path: Path):
        super().__init__(f"{path}: changed on disk while termbank was writing it (an editor's "
                         "save?); nothing was written, the file keeps that change: run again")
        self.path = path


def digest(path: Path | str) -> str | None:
    """The SHA-256 of a file's bytes (None when it does not exist)."""
    try:
        with open(path, "rb") as fp:
            return hashlib.file_digest(fp, "sha256").hexdigest()
    except FileNotFoundError:
        return None


@contextmanager
def replacing(path: Path | str) -> Iterator[Path]:
    """A fresh, empty temporary path beside ``path``; renamed over ``path`` when the block
    finishes, removed when it raises. For writers that need a path (SQLite)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _create_beside(path)
    os.close(fd)
    try:
        yield tmp
        _fsync_file(tmp)
        os.replace(tmp, path)
        _fsync_folder(path.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_atomically(path: Path | str, write: Callable[[BinaryIO], object],
                     expect: str | None = None) -> None:
    """Run ``write`` on a binary file beside ``path``, flushed to disk, then rename it into place
    (only if ``path`` still has the SHA-256 ``expect``, when given)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _create_beside(path)
    try:
        with os.fdopen(fd, "wb") as fp:
            write(fp)
            fp.flush()
            os.fsync(fp.fileno())
        if expect is not None and digest(path) != expect:
            raise ChangedMeanwhile(path)
        os.replace(tmp, path)
        _fsync_folder(path.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text_atomically(path: Path | str, text: str, expect: str | None = None) -> None:
    """``text`` as UTF-8, line endings untouched, all or nothing (see ``expect`` above)."""
    data = text.encode("utf-8")
    write_atomically(path, lambda fp: fp.write(data), expect)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX: the entry lives in the folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def remove_stale(path: Path) -> list[Path]:
    """Remove temporary files beside ``path`` left by writers that no longer run."""
    removed = []
    for tmp in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        found = _TEMP.match(tmp.name)
        if found and found["name"] == path.name and not _alive(int(found["pid"])):
            tmp.unlink(missing_ok=True)
            removed.append(tmp)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _create_beside(path: Path) -> tuple[int, Path]:
    """Create a new file with a random hidden name in ``path``'s folder (never an existing one)."""
    remove_stale(path)
    for _ in range(_ATTEMPTS):
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(6)}.tmp")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"{path.parent}: no free temporary name after {_ATTEMPTS} attempts")

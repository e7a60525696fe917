"""All-or-nothing file writes: every file termbank writes appears whole or not at all.

A writer works on a temporary file beside the target, and only a writer that
finished has its file renamed over the target (``os.replace`` is atomic on
one file system). Exports, catalogues, glossary files changed by ``proposals
apply`` and the built bank all go through here.

The temporary file is created with mode 0666 and the kernel applies the
process umask, as for any new file: no call changes the umask, which is
process-wide and would race with other threads (the web server writes
downloads while it serves).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

_ATTEMPTS = 100


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
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_atomically(path: Path | str, write: Callable[[BinaryIO], object]) -> None:
    """Run ``write`` on a binary file beside ``path``, flushed to disk, then rename it into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _create_beside(path)
    try:
        with os.fdopen(fd, "wb") as fp:
            write(fp)
            fp.flush()
            os.fsync(fp.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text_atomically(path: Path | str, text: str) -> None:
    """``text`` as UTF-8, line endings untouched, all or nothing."""
    data = text.encode("utf-8")
    write_atomically(path, lambda fp: fp.write(data))


def _create_beside(path: Path) -> tuple[int, Path]:
    """Create a new file with a random hidden name in ``path``'s folder (never an existing one)."""
    for _ in range(_ATTEMPTS):
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"{path.parent}: no free temporary name after {_ATTEMPTS} attempts")

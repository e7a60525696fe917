"""Qt ``.qm`` catalogues (Stellarium), read by a small reader of the binary format.

Why our own reader: Debian's ``lconvert`` would add Qt's developer tools to
the machine for one conversion, and translate-toolkit (a test dependency
here) would become a runtime one; the format itself is a magic number and
tagged, length-prefixed records, short enough to read and test directly.
The tests check this reader against translate-toolkit's independent parser.

Layout: 16 magic bytes, then sections of (tag byte, big-endian length,
payload). The messages section holds records of (tag byte[, length, data])
ending with tag 1; source text, context and comment are UTF-8, the
translation UTF-16BE (length 0xFFFFFFFF: none). A plural message repeats
the translation tag once per form; we keep the first.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from pathlib import Path

from . import CatalogueError

MAGIC = bytes.fromhex("3cb86418caef9c95cd211cbf60a1bddd")
MESSAGES = 0x69
END, SOURCE16, TRANSLATION, CONTEXT16, OBSOLETE1, SOURCE, CONTEXT, COMMENT = range(1, 9)
_UTF8_FIELDS = {SOURCE: "source", CONTEXT: "context", COMMENT: "comment"}
_NO_TRANSLATION = 0xFFFFFFFF


def read(path: Path) -> Iterator[tuple[str, str]]:
    """(source text, first translation) of every message that has both."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CatalogueError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        records = list(_messages(data))
    except (ValueError, struct.error, UnicodeDecodeError) as exc:
        raise CatalogueError(f"{path}: not a readable Qt .qm catalogue ({exc})") from None
    for record in records:
        if record.get("source") and record.get("translation"):
            yield record["source"], record["translation"]


def _sections(data: bytes) -> Iterator[tuple[int, bytes]]:
    if data[:16] != MAGIC:
        raise ValueError("bad magic number")
    at = 16
    while at < len(data):
        tag, length = struct.unpack_from(">BI", data, at)
        at += 5
        if at + length > len(data):
            raise ValueError(f"section 0x{tag:02x} runs past the end of the file")
        yield tag, data[at:at + length]
        at += length


def _messages(data: bytes) -> Iterator[dict[str, str]]:
    for tag, payload in _sections(data):
        if tag == MESSAGES:
            yield from _records(payload)


def _records(payload: bytes) -> Iterator[dict[str, str]]:
    at = 0
    record: dict[str, str] = {}
    while at < len(payload):
        tag = payload[at]
        at += 1
        if tag == END:
            yield record
            record = {}
            continue
        if tag not in (SOURCE16, TRANSLATION, CONTEXT16, OBSOLETE1, *_UTF8_FIELDS):
            raise ValueError(f"unknown message field 0x{tag:02x} at byte {at - 1}")
        (length,) = struct.unpack_from(">I", payload, at)
        at += 4
        if tag == OBSOLETE1 or (tag == TRANSLATION and length == _NO_TRANSLATION):
            continue
        if at + length > len(payload):
            raise ValueError(f"message field 0x{tag:02x} runs past its section")
        chunk = payload[at:at + length]
        at += length
        if tag == TRANSLATION:
            record.setdefault("translation", chunk.decode("utf-16-be"))
        elif tag in (SOURCE16, CONTEXT16):
            record.setdefault("source" if tag == SOURCE16 else "context", chunk.decode("utf-16-be"))
        else:
            record[_UTF8_FIELDS[tag]] = chunk.decode("utf-8")
    if record:
        raise ValueError("last message has no end marker")

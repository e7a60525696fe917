"""gettext ``.mo``/``.po`` catalogues, read with polib.

LibreOffice's resources are ordinary ``.mo`` files whose msgctxt is an id
such as ``STR_SAVE``; the English source is the msgid, so they need nothing
special here.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from pathlib import Path

import polib

from . import CatalogueError

# KDE catalogues carry the translators' names under these contexts: not translations.
_CREDITS = {"NAME OF TRANSLATORS", "EMAIL OF TRANSLATORS"}


def read(path: Path) -> Iterator[tuple[str, str]]:
    """(msgid, msgstr) of every translated entry that is neither fuzzy nor obsolete.

    Plural entries give their singular source and first plural form.
    """
    try:
        if path.suffix == ".mo":
            _check_mo(path.read_bytes())
            catalogue = polib.mofile(str(path))
        else:
            catalogue = polib.pofile(str(path))
    except (OSError, ValueError, UnicodeDecodeError, struct.error, IndexError) as exc:
        raise CatalogueError(f"{path}: not a readable gettext catalogue ({exc})") from None
    for entry in catalogue:
        if not entry.msgid or entry.obsolete or "fuzzy" in entry.flags or entry.msgctxt in _CREDITS:
            continue
        if entry.msgid_plural:
            forms = entry.msgstr_plural
            target = forms.get(0, forms.get("0", "")) if forms else ""
        else:
            target = entry.msgstr
        if target:
            yield entry.msgid, target


_MAGIC = {b"\xde\x12\x04\x95": "<", b"\x95\x04\x12\xde": ">"}


def _check_mo(data: bytes) -> None:
    """Every string of the two tables lies inside the file and ends with NUL.

    polib reads a truncated or overwritten .mo without complaint and returns
    cut strings; this check turns such a file into an error instead.
    """
    order = _MAGIC.get(data[:4])
    if order is None:
        raise ValueError("bad magic number")
    count, originals, translations = struct.unpack_from(order + "4xIII", data, 4)
    for table in (originals, translations):
        for index in range(count):
            length, offset = struct.unpack_from(order + "II", data, table + 8 * index)
            if offset + length >= len(data) or data[offset + length] != 0:
                raise ValueError(f"string {index} lies outside the file (truncated or damaged)")

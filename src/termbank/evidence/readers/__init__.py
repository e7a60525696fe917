"""One reader per catalogue format; each yields raw (source, target) strings.

Readers know the file format only: cleaning (mnemonics, markup) and the skip
rules shared by every format live in ``termbank.evidence.catalogues``.
"""

from __future__ import annotations


class CatalogueError(Exception):
    """A catalogue cannot be read; the message names the file and why."""

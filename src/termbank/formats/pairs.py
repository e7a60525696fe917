"""Source texts and their translations, as translation files (PO, TMX) hold them.

``termbank check`` reads these through the registry: a format that holds
translations has a ``pairs`` reader, ``(fp, *, name, source, target)`` ->
``Pair`` items, raising ``SourceError`` with the file and line of anything
malformed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Pair:
    """One source text and its translation, located in the file (``context``: PO's msgctxt)."""

    line: int
    source: str
    target: str
    context: str | None = None


PairReader = Callable[..., Iterator[Pair]]


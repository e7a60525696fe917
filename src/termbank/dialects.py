"""The dialect rule: which terms answer for a language tag. Every reader calls it.

A tag is answered along its CLDR fallback chain (``es-AR -> es-419 -> es``),
most specific tag first:
- a tag's own accepted terms come first, preferred before admitted;
- a tag with a preferred term of its own closes the answer: the general terms
  above it are not offered (a dialect's own word wins);
- a tag whose own terms are only admitted closes nothing: its terms come first
  and the inherited general terms are still listed after them. An admitted
  regional form is one more way that dialect says it (es-ES "fichero" beside
  "archivo", which Spain's translators write too; a term approved from a
  proposal), not a replacement; an editor who wants it to replace the general
  terms makes it the tag's preferred term;
- the same text is offered once, by the most specific tag that has it;
- every deprecated or forbidden form on the chain follows, so a reader can be
  warned off it;
- a do-not-translate name with no term of its own answers with its English form.

The lookup (CLI, web, library), the exports and the web's canned SQL queries
all answer through ``resolve``; the approved proposals reach it as ordinary
term records (see ``Bank``), so they follow the same rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from operator import attrgetter, itemgetter
from typing import Any, TypeVar

from . import langtags
from .model import ACCEPTED_STATUSES, SOURCE_TAG, STATUS_RANK

T = TypeVar("T")
# What the rule reads of a term: (tag, status, text).
Record = tuple[str, str, str]
# How to read it from a term of the model, or from a bank row.
Fields = Callable[[Any], Record]
TERM_FIELDS: Fields = attrgetter("tag", "status", "text")
ROW_FIELDS: Fields = itemgetter("tag", "status", "text")


def resolve(tag: str, items: Iterable[T], fields: Fields,
            do_not_translate: bool = False) -> tuple[list[T], list[T]]:
    """(the accepted items that answer for ``tag``, best first; the refused forms on its chain)."""
    read = [(fields(item), item) for item in items]
    order = chain_order(tag)
    by_step: dict[int, list[tuple[Record, T]]] = {}
    refused: list[tuple[int, T]] = []
    for record, item in read:
        step = order.get(record[0])
        if step is None:
            continue
        if record[1] in ACCEPTED_STATUSES:
            by_step.setdefault(step, []).append((record, item))
        else:
            refused.append((step, item))
    accepted = _accepted(by_step)
    if not accepted and do_not_translate:
        accepted = [i for r, i in read if r[0] == SOURCE_TAG and r[1] in ACCEPTED_STATUSES]
    refused.sort(key=itemgetter(0))
    return accepted, [item for _, item in refused]


def _accepted(by_step: dict[int, list[tuple[Record, T]]]) -> list[T]:
    """Accepted items step by step down the chain, until a step with a glossary term."""
    out: list[T] = []
    seen: set[str] = set()
    closed = False
    for step in sorted(by_step):
        here = by_step[step]
        if len(here) > 1:   # most steps hold one term: nothing to order
            here.sort(key=lambda pair: STATUS_RANK[pair[0][1]])
        for record, item in here:
            if record[2] not in seen:
                seen.add(record[2])
                out.append(item)
            closed = closed or not _joins(record)
        if closed:
            break
    return out


def _joins(record: Record) -> bool:
    """An admitted term joins its tag without closing the chain; a preferred one closes it."""
    return record[1] == "admitted"


@lru_cache(maxsize=1024)
def chain_order(tag: str) -> dict[str, int]:
    """Each tag on ``tag``'s fallback chain and its step (0: the tag itself)."""
    return {t: i for i, t in enumerate(langtags.fallback_chain(tag))}

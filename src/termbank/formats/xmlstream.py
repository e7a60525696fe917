"""Reading large XML files element by element, with flat memory.

TBX and TMX readers both walk a file that may hold a whole terminology: each
wanted element is handed over once it is complete, then cleared and detached
with the siblings before it, so memory does not grow with the file. Entities
are never resolved and nothing is fetched from the network; a syntax error
becomes a SourceError naming the line.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from typing import Any, BinaryIO

from .. import langtags
from ..errors import SourceError


def elements(fp: BinaryIO, *, name: str, wanted: Collection[str], kind: str,
             check_root: Callable[[Any], None]) -> Iterator[Any]:
    """Each complete element whose tag is in ``wanted``; ``check_root`` sees the root first."""
    from lxml import etree

    events = etree.iterparse(fp, events=("start", "end"), resolve_entities=False,
                             no_network=True, load_dtd=False, huge_tree=False)
    try:
        for event, element in events:
            if event == "start":
                if element.getparent() is None:
                    check_root(element)
                continue
            if element.tag in wanted:
                yield element
                element.clear(keep_tail=True)
                while element.getprevious() is not None:
                    del element.getparent()[0]
    except etree.XMLSyntaxError as exc:
        raise SourceError.at(name, exc.lineno, None, f"malformed {kind}: {exc.msg}") from None


def language_tag(name: str, element: Any, value: str | None) -> str:
    """An ``xml:lang`` value as a BCP 47 tag, or a SourceError at the element's line."""
    where = f"missing on <{element.tag.rsplit('}', 1)[-1]}>"
    if not value:
        raise SourceError.at(name, element.sourceline, "xml:lang", where)
    try:
        return langtags.normalize(value)
    except langtags.LanguageTagError as exc:
        raise SourceError.at(name, element.sourceline, "xml:lang", str(exc)) from None

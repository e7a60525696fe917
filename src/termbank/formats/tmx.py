"""TMX 1.4b: a translation memory of term pairs, for CAT tools and MT services that read TMX.

One translation unit per concept and target dialect: the source preferred
term and the dialect's term by its fallback chain (an ``es-MX`` unit takes
es-MX, else es-419, else es), ``tuid`` "concept-id/tag". Deprecated and
forbidden terms are not translations and stay out.

Checklist: the header has every attribute TMX 1.4b requires (creationtool,
creationtoolversion, segtype "phrase", o-tmf, adminlang, srclang, datatype
"plaintext"); characters XML 1.0 forbids are dropped (counted and reported on
stderr with the first concept, as TBX does) and lxml escapes the rest; streamed through ``lxml.etree.xmlfile`` element by element, never held as a tree.

Reading (for ``termbank check``): each unit's segment in the source language
and its segment in the target dialect (else another tag of the target's
language) make a pair; the unit is parsed and dropped one at a time. Inline
codes (``bpt``, ``ept``, ``ph``, ``it``, ``ut``) are markup, not text.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from .. import langtags
from ..errors import SourceError
from ..exporting import ExportOptions
from ..model import Glossary
from ..renderings import renderings
from .pairs import Pair
from .tbx import XmlDropped, xml_text
from .xmlstream import elements, language_tag

XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace"
XML_LANG = f"{{{XML_NAMESPACE}}}lang"
INLINE_CODES = frozenset({"bpt", "ept", "ph", "it", "ut"})


def write_tmx(fp: BinaryIO, glossary: Glossary, options: ExportOptions) -> None:
    from lxml import etree

    targets = options.target_tags(glossary)
    header = {"creationtool": "termbank", "creationtoolversion": "1", "segtype": "phrase",
              "o-tmf": "termbank", "adminlang": "en", "srclang": options.source,
              "datatype": "plaintext"}
    dropped = XmlDropped()
    with etree.xmlfile(fp, encoding="UTF-8", close=False) as xf:
        xf.write_declaration()
        # xml declared, else lxml binds xml:lang's namespace to a made-up prefix
        with xf.element("tmx", {"version": "1.4"}, nsmap={"xml": XML_NAMESPACE}):
            xf.write("\n", etree.Element("header", header), "\n")
            with xf.element("body"):
                xf.write("\n")
                for concept in renderings(glossary, options, targets):
                    named = concept.named
                    if named is None:
                        continue
                    dropped.concept = concept.id
                    for tag, (accepted, _) in zip(targets, concept.answers, strict=True):
                        if accepted:
                            _unit(xf, f"{concept.id}/{tag}", options.source,
                                  dropped.text(named.text), tag, dropped.text(accepted[0].text))
            xf.write("\n")
    fp.write(b"\n")
    dropped.report(options)


def _unit(xf, tuid: str, source: str, source_text: str, tag: str, text: str) -> None:
    """One unit, each variant on its own line: <tuv xml:lang="es"><seg>…</seg></tuv>."""
    with xf.element("tu", tuid=xml_text(tuid)):
        for lang, segment in ((source, source_text), (tag, text)):
            xf.write("\n  ")
            with xf.element("tuv", {XML_LANG: lang}), xf.element("seg"):
                xf.write(xml_text(segment))
        xf.write("\n")
    xf.write("\n")


def read_pairs(fp: BinaryIO, *, name: str, source: str, target: str) -> Iterator[Pair]:
    """Source and target segments of each unit, located at the target segment's line."""
    want = langtags.normalize(target)
    source_language = langtags.language(langtags.normalize(source))
    for element in elements(fp, name=name, wanted=("tu",), kind="TMX",
                            check_root=lambda root: _check_root(name, root)):
        pair = _pair(name, element, source_language, want)
        if pair is not None:
            yield pair


def _check_root(name: str, root) -> None:
    if root.tag != "tmx":
        raise SourceError.at(name, root.sourceline, None,
                             f"not a TMX file: the root element is <{root.tag}>")


def _pair(name: str, unit, source_language: str, want: str) -> Pair | None:
    segments: dict[str, tuple[int, str]] = {}
    for tuv in unit.iter("tuv"):
        seg = tuv.find("seg")
        if seg is not None:
            segments.setdefault(language_tag(name, tuv, tuv.get(XML_LANG) or tuv.get("lang")), (tuv.sourceline, _text(seg)))
    original = next((s for t, s in segments.items()
                     if langtags.language(t) == source_language and t != want), None)
    translated = segments.get(want) or next(
        (s for t, s in segments.items() if langtags.language(t) == langtags.language(want)
         and langtags.language(t) != source_language), None)
    if original is None or translated is None or not translated[1].strip():
        return None
    return Pair(translated[0], original[1], translated[1])


def _text(element) -> str:
    """A segment's text without its inline codes (their tails are text and stay)."""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and child.tag not in INLINE_CODES:
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)

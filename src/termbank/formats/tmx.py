"""TMX 1.4b: a translation memory of term pairs, for CAT tools and MT services that read TMX.

One translation unit per concept and target dialect: the source preferred
term and the dialect's term by its fallback chain (an ``es-MX`` unit takes
es-MX, else es-419, else es), ``tuid`` "concept-id/tag". Deprecated and
forbidden terms are not translations and stay out.

Checklist: the header has every attribute TMX 1.4b requires (creationtool,
creationtoolversion, segtype "phrase", o-tmf, adminlang, srclang, datatype
"plaintext"); characters XML 1.0 forbids are dropped and markup escaped
(``xml_safe``); written unit by unit, never held as a tree.
"""

from __future__ import annotations

from typing import BinaryIO

from ..exporting import ExportOptions, dialect_terms, selected, source_term
from ..model import Glossary
from .tbx import xml_safe

HEADER = ('<header creationtool="termbank" creationtoolversion="1" segtype="phrase" '
          'o-tmf="termbank" adminlang="en" srclang="{source}" datatype="plaintext"/>')


def write_tmx(fp: BinaryIO, glossary: Glossary, options: ExportOptions) -> None:
    targets = options.target_tags(glossary)
    fp.write(b'<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n')
    fp.write((HEADER.format(source=options.source) + "\n<body>\n").encode())
    for concept in selected(glossary, options):
        named = source_term(concept, options)
        if named is None:
            continue
        units = []
        for tag in targets:
            accepted, _ = dialect_terms(concept, tag)
            if accepted:
                units.append(_unit(f"{concept.id}/{tag}", options.source, named.text, tag,
                                   accepted[0].text))
        if units:
            fp.write("".join(units).encode())
    fp.write(b"</body>\n</tmx>\n")


def _unit(tuid: str, source: str, source_text: str, tag: str, text: str) -> str:
    return (f'  <tu tuid="{xml_safe(tuid)}">\n'
            f'    <tuv xml:lang="{source}"><seg>{xml_safe(source_text)}</seg></tuv>\n'
            f'    <tuv xml:lang="{tag}"><seg>{xml_safe(text)}</seg></tuv>\n'
            "  </tu>\n")

"""OmegaT glossary: tab-separated UTF-8 lines of source term, target term and comment.

OmegaT reads ``.utf8`` (or ``.txt``) glossaries in its project's glossary folder; lines
starting with ``#`` are comments. Unlike MT glossaries, OmegaT shows every match to the
translator, so homonyms stay (the comment names the subject field) and every accepted
target term gets a line, preferred first. Deprecated and forbidden forms are not offered
as translations: the preferred line's comment lists them under "avoid".

Checklist: one entry per line, so tabs, line breaks and other control characters inside
a field become spaces; nothing is padded; the target dialect follows its fallback chain
and a comment names the tag that supplied a fallback term. Formula injection: the file is
tab-separated, so a spreadsheet may open it; a source or target term starting with
``= + - @`` is left out with a note (OmegaT matches and inserts the text as it is, so an
apostrophe would become part of the term, and it trims a leading space). Comments start
with the term's status, never with such a character.
"""

from __future__ import annotations

import re
from typing import BinaryIO

from ..exporting import ExportOptions
from ..model import Glossary
from ..renderings import renderings
from .mt import FORMULA_START

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def write_omegat(fp: BinaryIO, glossary: Glossary, options: ExportOptions) -> None:
    target = options.single_target(glossary, "omegat")
    fp.write(f"# termbank glossary for OmegaT: {options.source} -> {target}\n".encode())
    for concept in renderings(glossary, options, (target,)):
        named = concept.named
        accepted, refused = concept.answers[0]
        if named is None or not accepted:
            continue
        accepted = [t for t in accepted if _safe(concept.id, t.text, options)]
        if not accepted or not _safe(concept.id, named.text, options):
            continue
        avoid = "; ".join(f"avoid: {t.text} ({t.status_reason or t.status})" for t in refused)
        lines = []
        for index, term in enumerate(accepted):
            comment = [term.status, concept.subject_field]
            if term.tag != target:
                comment.append(f"from {term.tag}")
            if index == 0 and avoid:
                comment.append(avoid)
            lines.append("\t".join(_field(x) for x in (named.text, term.text, "; ".join(comment))))
        fp.write(("\n".join(lines) + "\n").encode())


def _safe(concept_id: str, text: str, options: ExportOptions) -> bool:
    """False, with a note, for a term a spreadsheet would run as a formula."""
    if _field(text).startswith(FORMULA_START):
        options.notice(f"{concept_id}: {text!r} left out: starts with = + - or @, which a "
                       "spreadsheet would run as a formula")
        return False
    return True


def _field(text: str) -> str:
    return _CONTROL.sub(" ", text).strip()

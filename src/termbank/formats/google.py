"""Google Cloud Translation (Advanced, v3) glossaries: unidirectional and equivalent term sets.

Rules, from Google's documentation (cloud.google.com/translate/docs/advanced/glossary and
the ``GlossaryInputConfig`` reference, which points to Translator Toolkit's glossary format
at support.google.com/translatortoolkit/answer/147854 for term sets):
- unidirectional: a two-column CSV, source then target, with no header row;
- equivalent term sets: a CSV whose first row holds language codes, each further row one
  set of equivalent terms; optional ``pos`` and ``description`` columns; a row needs at
  least one term, so a language with no term is an empty cell;
- codes exactly as Google lists them (cloud.google.com/translate/docs/languages): fr-CA,
  fr-FR, pt-PT, pt-BR, zh-CN, zh-TW have their own; every other dialect shares its
  language's code (es-MX and es-ES are both "es": one glossary per such dialect);
- one entry per source term, no empty or padded terms, no control characters
  (``mt.py``); terms holding a double quote are left out, since Translator Toolkit's
  format escapes quotes differently from RFC 4180;
- formula injection: a term starting with ``= + - @`` is left out and reported (Google
  matches terms literally, so an apostrophe would change them); a ``description`` (free
  text, matched on nothing) starting so gets a leading apostrophe;
- Google states the size limit only loosely (about 10 million characters): not enforced.
"""

from __future__ import annotations

import csv
from typing import BinaryIO

from ..exporting import ExportOptions, text_output
from ..model import Glossary
from .mt import Rules, neutral, pairs, provider_tags

RULES = Rules("Google", codes={t: t for t in ("fr-CA", "fr-FR", "pt-PT", "pt-BR", "zh-CN",
                                              "zh-TW")}, refused_characters='"',
              spreadsheet=True)


def write_google(fp: BinaryIO, glossary: Glossary, options: ExportOptions) -> None:
    target = options.single_target(glossary, "google")
    with text_output(fp) as text:
        rows = csv.writer(text)
        for pair in pairs(glossary, options, (target,), RULES):
            rows.writerow((pair.source, pair.targets[0]))
    options.notice(f"Google glossary language pair: {RULES.code(options.source)} -> "
                   f"{RULES.code(target)}")


def write_google_sets(fp: BinaryIO, glossary: Glossary, options: ExportOptions) -> None:
    targets = provider_tags(RULES, glossary, options)
    codes = [RULES.code(tag) for tag in (options.source, *targets)]
    with text_output(fp) as text:
        rows = csv.writer(text)
        rows.writerow((*codes, "pos", "description"))
        for pair in pairs(glossary, options, targets, RULES, complete=False):
            rows.writerow((pair.source, *pair.targets, pair.part_of_speech,
                           neutral(pair.definition)))

"""Amazon Translate custom terminology: CSV with a header row of language codes.

Rules, from AWS's documentation (docs.aws.amazon.com/translate/latest/dg/
creating-custom-terminology.html; what-is-limits.html; what-is-languages.html; API
reference TerminologyData):
- CSV, UTF-8; the first row lists language codes, the source's first; each further row
  one concept; directionality UNI (the first column is the source) is the one this file
  is made for, so import it with ``--directionality UNI``;
- at most 10 target languages per file, 200 bytes per source or target term, 10,485,760
  bytes per file; one terminology per request;
- codes as AWS lists them: es-MX, fr-CA, pt-PT, zh-TW and fa-AF have their own; pt is
  Brazilian Portuguese (so pt-BR is written pt); any other dialect takes its language's
  code, and two dialects sharing a code cannot be in one file;
- formula injection: a term starting with ``= + - @`` is left out and reported (a
  spreadsheet would run it; AWS matches terms literally, so no apostrophe can be added);
- no empty cells (AWS documents none, so a concept missing a term in one of the target
  languages is left out and counted), one entry per source term, no padded terms and no
  control characters (``mt.py``);
- case: the English guide says source terms match case-sensitively, while its newer
  "Case-insensitive matching" page (ct-case-insensitive) says matching ignores case and
  recases the target. Entries are deduplicated case-insensitively, which is safe under
  either reading.
"""

from __future__ import annotations

import csv
from typing import BinaryIO

from ..errors import TermbankError
from ..exporting import ExportOptions, text_output
from ..model import Glossary
from .mt import Rules, pairs, provider_tags

RULES = Rules("Amazon Translate", max_term_bytes=200, max_file_bytes=10_485_760,
              codes={"es-MX": "es-MX", "fr-CA": "fr-CA", "pt-PT": "pt-PT", "pt-BR": "pt",
                     "zh-TW": "zh-TW", "fa-AF": "fa-AF"}, spreadsheet=True)
MAX_TARGETS = 10


def write_aws(fp: BinaryIO, glossary: Glossary, options: ExportOptions) -> None:
    targets = provider_tags(RULES, glossary, options)
    if len(targets) > MAX_TARGETS:
        raise TermbankError(f"Amazon Translate takes at most {MAX_TARGETS} target languages per "
                            f"file and {len(targets)} were asked for: pass --to for each")
    codes = [RULES.code(tag) for tag in (options.source, *targets)]
    written = 0
    with text_output(fp) as text:
        rows = csv.writer(text)
        rows.writerow(codes)
        for pair in pairs(glossary, options, targets, RULES):
            line = (pair.source, *pair.targets)
            written += sum(len(cell.encode()) + 3 for cell in line)
            RULES.check_size(written)
            rows.writerow(line)

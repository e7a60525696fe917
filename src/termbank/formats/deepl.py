"""DeepL glossary entries: ``source<TAB>target`` lines, one dialect per glossary.

Rules, from DeepL's documentation (developers.deepl.com/docs/customize/managing-glossaries,
"Entry formats"; developers.deepl.com/docs/api-reference/glossaries, limits) and the checks
its client libraries make before upload (deepl-php ``GlossaryUtils::validateGlossaryTerm``):
- TSV, UTF-8, source phrase first; no header;
- no empty source or target, no leading or trailing white space, no C0 or C1
  control characters, no U+2028/U+2029, no two entries with the same source;
- at most 1,024 UTF-8 bytes per source or target, 10 MiB per glossary;
- formula injection: a term starting with ``= + - @`` is left out and reported: DeepL
  forbids the leading white space and an apostrophe would become part of the term;
- an empty glossary is refused by the API, so an export with no entry fails here;
- glossary languages are bare codes (EN, ES, PT): DeepL cannot tell es-MX from es-ES, so
  the dialect is chosen by which glossary the user applies; each file holds one dialect.
The shared selection and checks are in ``mt.py``.
"""

from __future__ import annotations

from typing import BinaryIO

from ..exporting import ExportOptions
from ..model import Glossary
from .mt import Counter, Rules, pairs

RULES = Rules("DeepL", max_term_bytes=1024, max_file_bytes=10 * 1024 * 1024, spreadsheet=True)


def write_deepl(fp: BinaryIO, glossary: Glossary, options: ExportOptions) -> None:
    target = options.single_target(glossary, "deepl")
    out = Counter(fp, RULES)
    for pair in pairs(glossary, options, (target,), RULES):
        out.write(f"{pair.source}\t{pair.targets[0]}\n".encode())
    options.notice(f"DeepL glossary languages: source {RULES.code(options.source)}, target "
                   f"{RULES.code(target)} (this file holds the {target} terms)")

"""Azure AI Custom Translator phrase dictionary: a zip of two line-aligned text files.

Rules, from Microsoft's documentation (learn.microsoft.com/azure/ai-services/translator/
custom-translator/concepts/dictionaries and .../document-formats-naming-convention):
- a dictionary is an aligned pair of documents, line n of one translating line n of the
  other; in a zip each file is named ``{document name}_{language code}`` with the two-letter
  ISO code (here ``termbank_en.txt`` and ``termbank_es.txt``), UTF-8;
- a phrase dictionary matches case-sensitively and replaces exactly, so one entry per
  source term (``mt.py``, compared case-insensitively to be safe) and a do-not-translate
  name maps to itself, which is how Microsoft says to keep a phrase untranslated;
- upload it as a *dictionary* (phrase) document in a project whose language pair is
  English and the target's language; the dialect is the one exported;
- one line per entry: no line breaks, control characters or padding inside a term.
Deterministic zip: fixed member dates and order. Lines are written to the first member
while the second is spooled to a temporary file, so memory stays flat.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from typing import BinaryIO

from ..exporting import ExportOptions
from ..model import Glossary
from .mt import Rules, pairs

RULES = Rules("Azure Custom Translator")
EPOCH = (1980, 1, 1, 0, 0, 0)


def write_azure(fp: BinaryIO, glossary: Glossary, options: ExportOptions) -> None:
    target = options.single_target(glossary, "azure")
    names = [f"termbank_{RULES.code(tag)}.txt" for tag in (options.source, target)]
    with tempfile.TemporaryFile() as targets, zipfile.ZipFile(fp, "w") as archive:
        with archive.open(_member(names[0]), "w") as sources:
            for pair in pairs(glossary, options, (target,), RULES):
                sources.write(f"{pair.source}\n".encode())
                targets.write(f"{pair.targets[0]}\n".encode())
        targets.seek(0)
        with archive.open(_member(names[1]), "w") as member:
            shutil.copyfileobj(targets, member)
    options.notice(f"Azure: upload {' and '.join(names)} as a phrase dictionary")


def _member(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=EPOCH)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info

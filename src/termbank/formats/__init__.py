"""Every export and import format, behind one small record, registered here and only here.

A format is one module of this package (its writer, its reader if it has
one, and its text-hygiene checklist in the docstring) plus one line in
``FORMATS`` below. Writers take ``(fp, glossary, options)`` and write bytes;
readers take ``(fp, *, name)`` and yield ``Concept`` objects; pair readers
(translation files, for ``termbank check``) take ``(fp, *, name, source,
target)`` and yield ``Pair`` objects. Readers raise ``SourceError`` with the
file and line of anything malformed. Which format reads a file is decided
here (``for_file``), never by the commands.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..errors import TermbankError
from ..exporting import ExportOptions
from ..model import Concept, Glossary
from . import aws, azure, deepl, delimited, gettext, google, llm, omegat, tbx, tmx
from .pairs import PairReader

Writer = Callable[[BinaryIO, Glossary, ExportOptions], None]
Reader = Callable[..., Iterator[Concept]]


@dataclass(frozen=True)
class Format:
    name: str             # the CLI choice and the file extension users see
    title: str            # one line for `termbank formats` and --help
    extension: str
    media_type: str
    write: Writer | None = None
    read: Reader | None = None
    bilingual: bool = False   # one target language per file (--to TAG required)
    pairs: PairReader | None = None   # reads source texts and translations (termbank check)


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("po", "gettext PO catalogue: msgid English term, msgstr the dialect's term",
           "po", "text/x-gettext-translation", gettext.write_po, gettext.read_po, True,
           gettext.read_pairs),
    Format("mo", "gettext MO binary catalogue, for programs", "mo",
           "application/x-gettext-translation", gettext.write_mo, None, True),
    Format("tbx", "TBX 2019 (ISO 30042, TBX-Basic): every language, status and note", "tbx",
           "application/x-tbx+xml", tbx.write_tbx, tbx.read_tbx),
    Format("tbx2008", "TBX 2008 <martif> for older CAT tools", "tbx", "application/x-tbx+xml",
           tbx.write_martif),
    Format("tmx", "TMX 1.4b translation memory: one unit per concept and dialect", "tmx",
           "application/x-tmx+xml", tmx.write_tmx, pairs=tmx.read_pairs),
    Format("csv", "CSV for spreadsheets: one row per term, every field", "csv", "text/csv",
           delimited.write_csv, delimited.read_csv),
    Format("tsv", "TSV for spreadsheets: one row per term, every field", "tsv",
           "text/tab-separated-values", delimited.write_tsv, delimited.read_tsv),
    Format("omegat", "OmegaT glossary: source, target, comment", "utf8", "text/plain",
           omegat.write_omegat, None, True),
    Format("deepl", "DeepL glossary entries (TSV), one dialect per glossary", "tsv",
           "text/tab-separated-values", deepl.write_deepl, None, True),
    Format("google", "Google Cloud Translation unidirectional glossary (CSV)", "csv",
           "text/csv", google.write_google, None, True),
    Format("google-sets", "Google Cloud Translation equivalent term sets (CSV)", "csv",
           "text/csv", google.write_google_sets),
    Format("aws", "Amazon Translate custom terminology (CSV, language-code header)", "csv",
           "text/csv", aws.write_aws),
    Format("azure", "Azure Custom Translator phrase dictionary (zip of aligned files)", "zip",
           "application/zip", azure.write_azure, None, True),
    Format("llm", "Markdown glossary table for an LLM translation prompt", "md",
           "text/markdown", llm.write_markdown, None, True),
    Format("llm-json", "JSON glossary list for an LLM translation prompt", "json",
           "application/json", llm.write_json, None, True),
)}


def get(name: str) -> Format:
    try:
        return FORMATS[name]
    except KeyError:
        raise TermbankError(f"no format {name!r}; `termbank formats` lists them") from None


ABILITIES = {"read": "imported", "pairs": "checked"}


def able(ability: str = "read") -> list[str]:
    """The names of the formats with a reader of this kind ("read": concepts, "pairs":
    translations)."""
    return [f.name for f in FORMATS.values() if getattr(f, ability) is not None]


def for_file(path: Path, ability: str = "read", name: str | None = None) -> Format:
    """The format that reads ``path`` for this purpose: ``name`` when the user gave one
    (refused when that format cannot), else the one its extension names."""
    if name is not None:
        fmt = get(name)
        if getattr(fmt, ability) is None:
            raise TermbankError(f"{fmt.name} files cannot be {ABILITIES[ability]}; "
                                f"use one of: {', '.join(able(ability))}")
        return fmt
    suffix = path.suffix.lower().lstrip(".")
    for fmt in FORMATS.values():
        if getattr(fmt, ability) is not None and fmt.extension == suffix:
            return fmt
    raise TermbankError(f"{path}: cannot tell the format from the extension; pass --format "
                        f"({', '.join(able(ability))})")


"""What machine-translation glossaries share: one entry per source term, clean and in limits.

Each provider module states its rules as a ``Rules`` record (byte limits,
language codes) and writes its own file layout; the selection and the
checks live here, so every provider gets the same ones:
- one entry per source term (compared case-insensitively, as the services
  match): when two concepts share an English term ("objective": the lens,
  or an aim), the entry of the most microscopy-specific subject field is
  kept (fields ranked from optics to data management), ties by concept id,
  and the ones left out are reported through ``options.notice``;
- the target is the dialect's accepted term by its fallback chain (preferred
  first); deprecated and forbidden terms never become entries; a
  do-not-translate name with no term of its own maps to itself;
- no empty entry, no leading or trailing white space, no C0 or C1 control
  character, no Unicode line or paragraph separator (the checks DeepL's
  client libraries make), no term over the provider's byte limit: such
  entries are left out and reported;
- formula injection: a CSV or TSV glossary (``Rules.spreadsheet``) may be
  opened in a spreadsheet, which runs a cell starting with ``= + - @`` as a
  formula. The services match the term's text literally, so the usual
  defence (a leading apostrophe or space) would change the term, and DeepL
  refuses padded terms anyway: such an entry is left out and reported
  instead. Free-text columns that nothing matches on (Google's
  ``description``) get a leading apostrophe (``neutral``);
- the whole file must stay under the provider's size limit, and hold at least
  one entry (DeepL refuses an empty glossary; none of them has a use for one),
  else the export fails and writes nothing;
- entries are parked on disk (``EntrySpool``) until every concept is seen,
  so memory stays flat however large the bank.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from .. import langtags
from ..errors import TermbankError
from ..exporting import FIELD_RANK, EntrySpool, ExportOptions
from ..model import Glossary
from ..renderings import renderings

_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
FORMULA_START = tuple("=+-@\t\r")   # OWASP's list: what a spreadsheet may run as a formula


def neutral(text: str) -> str:
    """A free-text cell a spreadsheet shows as text: an apostrophe before a formula start."""
    return "'" + text if text.startswith(FORMULA_START) else text


@dataclass(frozen=True)
class Rules:
    """One provider's published limits and language codes."""

    provider: str
    max_term_bytes: int | None = None
    max_file_bytes: int | None = None
    codes: Mapping[str, str] = field(default_factory=dict)
    refused_characters: str = ""
    spreadsheet: bool = False   # a CSV/TSV file: entries that start a formula are left out

    def code(self, tag: str) -> str:
        """The provider's code for a tag: its own entry, else the bare language."""
        return self.codes.get(tag, langtags.language(tag))

    def problem(self, text: str) -> str | None:
        """Why ``text`` cannot be an entry for this provider, or None."""
        if not text.strip():
            return "empty"
        if text != text.strip():
            return "leading or trailing white space"
        if _FORBIDDEN.search(text):
            return "a control character or line separator"
        if self.spreadsheet and text.startswith(FORMULA_START):
            return "starts with = + - or @, which a spreadsheet would run as a formula"
        if any(c in text for c in self.refused_characters):
            return f"a character {self.provider} reads ambiguously ({self.refused_characters})"
        if self.max_term_bytes and len(text.encode()) > self.max_term_bytes:
            return f"longer than {self.provider}'s {self.max_term_bytes} bytes per term"
        return None

    def check_size(self, written: int) -> None:
        if self.max_file_bytes and written > self.max_file_bytes:
            raise TermbankError(
                f"the {self.provider} glossary would exceed its {self.max_file_bytes:,} byte "
                "limit; narrow it with --concept or --min-reliability")


@dataclass(frozen=True)
class Pair:
    """One glossary entry: a source term and its term in each target tag ("" when none)."""

    concept: str
    source: str
    targets: tuple[str, ...]
    part_of_speech: str
    definition: str


def pairs(glossary: Glossary, options: ExportOptions, targets: tuple[str, ...], rules: Rules,
          complete: bool = True) -> Iterator[Pair]:
    """The entries, one per source term, in source-term order.

    ``complete``: every target must have a term (a row with a gap is left
    out); otherwise one target with a term is enough.
    """
    gaps = 0
    with EntrySpool() as spool:
        for concept in renderings(glossary, options, targets):
            named = concept.named
            if named is None:
                continue
            texts = tuple(accepted[0].text if accepted else "" for accepted, _ in concept.answers)
            if (complete and not all(texts)) or not any(texts):
                gaps += 1
                continue
            bad = next(((t, p) for t in (named.text, *texts) if t and (p := rules.problem(t))), None)
            if bad:
                options.notice(f"{concept.id}: {bad[0]!r} left out: {bad[1]}")
                continue
            payload = json.dumps([named.text, texts, named.part_of_speech or "",
                                  concept.definition or ""], ensure_ascii=False)
            spool.add(named.text.casefold(), FIELD_RANK.get(concept.subject_field, 99),
                      concept.id, payload)
        if gaps:
            needed = "each of " if complete and len(targets) > 1 else ""
            options.notice(f"{gaps} concept(s) left out: no accepted term in {needed}"
                           f"{', '.join(targets)}")
        entries = 0
        for group in spool.groups():
            entries += 1
            yield _pair(group[0])
            for _, _, concept_id, payload in group[1:]:
                options.notice(f"{json.loads(payload)[0]!r}: one entry per source term; kept "
                               f"{group[0][2]}, left out {concept_id}")
        if not entries:
            raise TermbankError(f"no entry to export, and {rules.provider} has no use for an "
                                "empty glossary (check --to, --concept, --min-reliability)")


def _pair(row: tuple[str, int, str, str]) -> Pair:
    source, targets, pos, definition = json.loads(row[3])
    return Pair(row[2], source, tuple(targets), pos, definition)


def provider_tags(rules: Rules, glossary: Glossary, options: ExportOptions) -> tuple[str, ...]:
    """The target tags of a multilingual provider file, one per provider code.

    Tags asked for with --to must have distinct codes. Without --to, a
    code goes to the tag that is exactly that code (``es`` rather than es-419
    or es-ES, which the provider could not tell apart); the others are left
    out and reported.
    """
    taken = {rules.code(options.source): options.source}
    wanted = options.target_tags(glossary)
    ordered = wanted if options.targets else sorted(wanted, key=lambda t: (t != rules.code(t), t))
    for tag in ordered:
        code = rules.code(tag)
        if code not in taken:
            taken[code] = tag
        elif options.targets:
            raise TermbankError(f"{rules.provider} has one code ({code}) for {taken[code]} and "
                                f"{tag}: export them as separate files")
        else:
            options.notice(f"{rules.provider}: {tag} left out, as {taken[code]} has its code "
                           f"({code}); export it alone with --to {tag}")
    chosen = set(taken.values())
    return tuple(tag for tag in wanted if tag in chosen and tag != options.source)


class Counter:
    """Counts the bytes a writer has written, to hold it to a size limit."""

    def __init__(self, fp, rules: Rules):
        self.fp, self.rules, self.written = fp, rules, 0

    def write(self, data: bytes) -> None:
        self.written += len(data)
        self.rules.check_size(self.written)
        self.fp.write(data)

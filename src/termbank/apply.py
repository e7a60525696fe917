"""``termbank proposals apply``: approved proposals go back into ``glossary/``.

The glossary files stay the source of truth: an approved proposal is written
into its concept's file as a term of its tag, marked ``review: reviewed`` with
the reviewer and the date, ``origin: proposal N``. The new lines are inserted
into the file's text (after the tag's last term, or as a new tag at the end of
``terms:``) so comments and layout of hand-written files survive, and the
result is validated before it replaces the file. Applying twice changes
nothing: a proposal whose term is already in its tag (same folded text) is
skipped.
"""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import langtags
from .atomic import write_text_atomically
from .errors import SourceError, TermbankError
from .inflection import fold
from .proposals import ProposalStore
from .source import SUFFIXES, read_concept

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
WRITTEN, WOULD_WRITE = "written", "would be written"
_DASH = re.compile(r"^( *)-( +)")


@dataclass(frozen=True)
class Outcome:
    proposal_id: int
    concept_id: str
    tag: str
    term: str
    result: str  # "written" ("would be written" in a dry run), "already there", "no concept file"
    path: str | None = None

    def __str__(self) -> str:
        where = f" ({self.path})" if self.path else ""
        return f"proposal {self.proposal_id}: {self.concept_id} {self.tag} {self.term!r}: " \
               f"{self.result}{where}"


def apply(store: ProposalStore, glossary: Path, dry_run: bool = False) -> list[Outcome]:
    """Write every approved proposal not yet in ``glossary``; returns what happened to each."""
    files = _concept_files(glossary)
    outcomes = []
    for row in store.approved_terms():
        path = files.get(row["concept_id"])
        if path is None:
            outcomes.append(_outcome(row, "no concept file"))
            continue
        text = path.read_text(encoding="utf-8-sig")
        new_text = insert_term(text, row["tag"], term_entry(row), str(path))
        if new_text is None:
            outcomes.append(_outcome(row, "already there", path))
            continue
        if dry_run:
            outcomes.append(_outcome(row, WOULD_WRITE, path))
            continue
        _replace_validated(path, new_text)
        outcomes.append(_outcome(row, WRITTEN, path))
    return outcomes


def _outcome(row: dict, result: str, path: Path | None = None) -> Outcome:
    return Outcome(row["proposal_id"], row["concept_id"], row["tag"], row["text"], result,
                   str(path) if path else None)


def _concept_files(glossary: Path) -> dict[str, Path]:
    if not glossary.is_dir():
        raise TermbankError(f"{glossary}: no glossary folder here; pass --glossary DIR")
    return {p.stem: p for p in sorted(glossary.glob("*/*")) if p.suffix in SUFFIXES}


def term_entry(row: dict) -> dict:
    """The YAML mapping of an approved term, keys in the order glossary/README.md shows."""
    entry = {"term": row["text"], "status": row["status"]}
    if row["note"]:
        entry["note"] = row["note"]
    entry.update({"origin": row["origin"], "review": row["review"],
                  "reviewers": json.loads(row["reviewers"]), "reviewed_on": row["reviewed_on"]})
    return entry


def insert_term(text: str, tag: str, entry: dict, path: str) -> str | None:
    """``text`` with ``entry`` added to the terms of ``tag``; None when the term is there already."""
    terms = _terms_node(text, path)
    lines = text.splitlines(keepends=True)
    layout = _dash_indent(terms, lines)
    for key, value in terms.value:
        if _same_tag(key.value, tag):
            if not isinstance(value, yaml.SequenceNode) or value.flow_style:
                raise TermbankError(f"{path}: terms.{key.value} is not a block list; "
                                    "add the approved term by hand")
            if any(fold(_item_text(item)) == fold(entry["term"]) for item in value.value):
                return None
            return _insert_after(text, _end(value), _item(entry, layout))
    key_indent = " " * (terms.value[0][0].start_mark.column if terms.value else 2)
    return _insert_after(text, _end(terms), f"{key_indent}{tag}:\n" + _item(entry, layout))


def _terms_node(text: str, path: str) -> yaml.MappingNode:
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise TermbankError(f"{path}: malformed YAML ({exc}); run `termbank validate`") from None
    for key, value in getattr(root, "value", []):
        if key.value == "terms" and isinstance(value, yaml.MappingNode) and not value.flow_style:
            return value
    raise TermbankError(f"{path}: no block mapping 'terms:' to add to; run `termbank validate`")


def _same_tag(raw: str, tag: str) -> bool:
    try:
        return langtags.normalize(raw) == tag
    except TermbankError:
        return False


def _item_text(item: yaml.Node) -> str:
    for key, value in getattr(item, "value", []):
        if getattr(key, "value", None) == "term" and isinstance(value, yaml.ScalarNode):
            return value.value
    return ""


def _dash_indent(terms: yaml.MappingNode, lines: list[str]) -> tuple[str, str]:
    """How this file lays out a term: the dash's indentation and the gap after it
    (README's layout puts the dash level with the tag and one space after it)."""
    for _, value in terms.value:
        if isinstance(value, yaml.SequenceNode) and value.value:
            found = _DASH.match(lines[value.value[0].start_mark.line])
            if found:
                return found.group(1), found.group(2)
    return " " * (terms.value[0][0].start_mark.column if terms.value else 2), " "


def _end(node: yaml.Node) -> int:
    """Where the node's own text ends: a block collection ends with its last scalar, not at
    the next key, so an insertion lands before any comment that introduces the next key."""
    if isinstance(node, yaml.MappingNode) and node.value and not node.flow_style:
        return _end(node.value[-1][1])
    if isinstance(node, yaml.SequenceNode) and node.value and not node.flow_style:
        return _end(node.value[-1])
    return node.end_mark.index


def _insert_after(text: str, end: int, block: str) -> str:
    """Insert ``block`` at the start of the line after position ``end``."""
    if end > 0 and text[end - 1] == "\n":
        at = end
    else:
        newline = text.find("\n", end)
        at = len(text) if newline < 0 else newline + 1
    head = text[:at] if text[:at].endswith("\n") or not text[:at] else text[:at] + "\n"
    return head + block + text[at:]


def _item(entry: dict, layout: tuple[str, str]) -> str:
    """The entry as a YAML list item, laid out like the file's other terms."""
    dash, gap = layout
    dumped = yaml.safe_dump([entry], allow_unicode=True, sort_keys=False,
                            default_flow_style=False, width=1_000_000).splitlines(True)
    body = " " * (1 + len(gap))
    rest = [dash + body + line[2:] if line.strip() else line for line in dumped[1:]]
    return "".join([dash + "-" + gap + dumped[0][2:], *rest])


def _replace_validated(path: Path, text: str) -> None:
    """Validate the new text under the file's own name, then swap it in atomically."""
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / path.parent.name / path.name
        copy.parent.mkdir()
        copy.write_text(text, encoding="utf-8")
        try:
            read_concept(copy)
        except SourceError as exc:
            raise TermbankError(f"{path}: applying the proposal would make the file invalid "
                                f"({exc}); nothing was written") from None
    write_text_atomically(path, text)

"""``termbank proposals apply``: approved proposals go back into ``glossary/``.

The glossary files stay the source of truth: an approved proposal is written
into its concept's file as a term of its tag, marked ``review: reviewed`` with
the reviewer and the date, ``origin: proposal N``. The new lines are inserted
into the file's text (after the tag's last term, or as a new tag at the end of
``terms:``) so comments and layout of hand-written files survive, and the
result is validated before it replaces the file.

Apply is a three-way merge. What it wrote for each proposal is recorded in
``proposals.db`` (``applied_files``: the file, its SHA-256, the reviewers
written), and the term it wrote is found again by its ``origin: proposal N``
line. So applying twice changes nothing; a second reviewer's confirmation
made since is added to the term's reviewers; a term a maintainer removed or
renamed by hand is never written again; and the file is replaced only if it
still holds the bytes apply read (compare-and-swap right before the rename),
so an editor's save made meanwhile is never lost.
"""

from __future__ import annotations

import hashlib
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
from .yamlsource import decode

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
WRITTEN, WOULD_WRITE = "written", "would be written"
REVIEWERS_ADDED, WOULD_ADD = "reviewers added", "reviewers would be added"
ALREADY = "already there"
LEFT_OUT = "not written again: removed or renamed in the file by hand since apply wrote it"
DRY = {WRITTEN: WOULD_WRITE, REVIEWERS_ADDED: WOULD_ADD}
CHANGES = (WRITTEN, WOULD_WRITE, REVIEWERS_ADDED, WOULD_ADD)
_DASH = re.compile(r"^( *)-( +)")


@dataclass(frozen=True)
class Outcome:
    proposal_id: int
    concept_id: str
    tag: str
    term: str
    result: str  # WRITTEN, REVIEWERS_ADDED (or their dry-run forms), ALREADY, LEFT_OUT, no file
    path: str | None = None

    def __str__(self) -> str:
        where = f" ({self.path})" if self.path else ""
        return f"proposal {self.proposal_id}: {self.concept_id} {self.tag} {self.term!r}: " \
               f"{self.result}{where}"

    @property
    def changes(self) -> bool:
        """Whether the file was (or in a dry run would be) changed."""
        return self.result in CHANGES


def apply(store: ProposalStore, glossary: Path, dry_run: bool = False) -> list[Outcome]:
    """Merge every approved proposal into ``glossary``; returns what happened to each."""
    files = _concept_files(glossary)
    outcomes = []
    for row in store.approved_terms():
        path = files.get(row["concept_id"])
        if path is None:
            outcomes.append(_outcome(row, "no concept file"))
        else:
            outcomes.append(_apply_one(store, glossary, row, path, dry_run))
    return outcomes


def _apply_one(store: ProposalStore, glossary: Path, row: dict, path: Path,
               dry_run: bool) -> Outcome:
    """One proposal, three-way: the base is what apply last wrote for it (``applied_files``),
    ours is the proposal now (its reviewers), theirs is the file as it is on disk."""
    raw = path.read_bytes()
    text = decode(raw, str(path))
    base = store.applied(row["proposal_id"])
    new_text, result = merge(text, row, base, str(path))
    where = path.relative_to(glossary).as_posix()
    if new_text is None:
        if result == ALREADY and base is None and not dry_run and _origin_item(
                _terms_node(text, str(path)), row["origin"]) is not None:
            store.record_applied(row["proposal_id"], where, _sha256(raw), row["reviewers"])
        return _outcome(row, result, path)
    if dry_run:
        return _outcome(row, DRY[result], path)
    _replace_validated(path, new_text, expect=_sha256(raw))
    store.record_applied(row["proposal_id"], where, _sha256(new_text.encode("utf-8")),
                         row["reviewers"])
    return _outcome(row, result, path)


def merge(text: str, row: dict, base: dict | None, path: str) -> tuple[str | None, str]:
    """The file's text with the approved term merged in, and what that did (None: no change).

    The term apply wrote is found by its ``origin: proposal N`` line, so a maintainer's
    rename of it is respected; reviewers who confirmed since the last apply are added to
    it. A term apply wrote before and that is gone now was removed or renamed by hand:
    it is left out, never written again.
    """
    terms = _terms_node(text, path)
    item = _origin_item(terms, row["origin"])
    ours = json.loads(row["reviewers"])
    if item is not None:
        before = json.loads(base["reviewers"]) if base and base["reviewers"] else []
        theirs = _reviewers(item, path, row)
        added = [name for name in ours if name not in before and name not in theirs]
        if not added:
            return None, ALREADY
        return _set_reviewers(text, item, theirs + added), REVIEWERS_ADDED
    if base is not None:
        return None, LEFT_OUT
    new_text = insert_term(text, row["tag"], term_entry(row), path)
    return (new_text, WRITTEN) if new_text is not None else (None, ALREADY)


def _origin_item(terms: yaml.MappingNode, origin: str) -> yaml.MappingNode | None:
    """The term of the file whose ``origin`` is this proposal's, in whichever tag it is now."""
    for _, value in terms.value:
        for item in getattr(value, "value", []) if isinstance(value, yaml.SequenceNode) else []:
            if isinstance(item, yaml.MappingNode) and _scalar(item, "origin") == origin:
                return item
    return None


def _scalar(item: yaml.MappingNode, name: str) -> str | None:
    for key, value in item.value:
        if getattr(key, "value", None) == name and isinstance(value, yaml.ScalarNode):
            return value.value
    return None


def _reviewers(item: yaml.MappingNode, path: str, row: dict) -> list[str]:
    for key, value in item.value:
        if getattr(key, "value", None) == "reviewers" and isinstance(value, yaml.SequenceNode):
            return [v.value for v in value.value if isinstance(v, yaml.ScalarNode)]
    raise TermbankError(f"{path}: the term {row['text']!r} ({row['origin']}) has no "
                        "'reviewers:' list to add a confirmation to; add one by hand")


def _set_reviewers(text: str, item: yaml.MappingNode, names: list[str]) -> str:
    """``text`` with the term's reviewers list replaced, in the list's own layout."""
    value = next(v for k, v in item.value if getattr(k, "value", None) == "reviewers")
    if value.flow_style or not value.value:
        return text[:value.start_mark.index] + json.dumps(names, ensure_ascii=False) + \
            text[value.end_mark.index:]
    indent = "\n" + " " * value.start_mark.column
    dumped = [yaml.safe_dump([name], allow_unicode=True, width=1_000_000).rstrip("\n")
              for name in names]
    return text[:value.start_mark.index] + indent.join(dumped) + text[_end(value):]


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


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


def _replace_validated(path: Path, text: str, expect: str) -> None:
    """Validate the new text under the file's own name, then swap it in atomically, only if
    the file still has the bytes read (SHA-256 ``expect``): an editor's save made meanwhile
    wins, and apply asks to be run again."""
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / path.parent.name / path.name
        copy.parent.mkdir()
        copy.write_text(text, encoding="utf-8")
        try:
            read_concept(copy)
        except SourceError as exc:
            raise TermbankError(f"{path}: applying the proposal would make the file invalid "
                                f"({exc}); nothing was written") from None
    write_text_atomically(path, text, expect=expect)

"""Parse YAML while remembering the line of every key, so errors can name it.

PyYAML builds the values; we walk its node tree alongside them and record a
line number for each path (``terms.es[0].term``). Duplicate keys, which
PyYAML accepts silently, are reported here.

Glossary files are parsed within a budget: a file over ``MAX_BYTES`` is
refused, and so are anchors and aliases (``&a``, ``*a``). A glossary never
needs them, and a kilobyte of nested aliases expands into gigabytes when
PyYAML builds the values (the "billion laughs"); they are refused from the
event stream, before anything is built, with the line of the first one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem, SourceError

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_BYTES = 256 * 1024  # the largest concept file in glossary/ is about 4 KB


@dataclass
class Document:
    """A parsed YAML file: its data and the line of every path in it."""

    path: str
    data: Any
    lines: dict[str, int] = field(default_factory=dict)
    duplicates: list[Problem] = field(default_factory=list)

    def line(self, path: str) -> int | None:
        """The line of ``path`` or of its nearest parent that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""
        return 1


def decode(raw: bytes, path: str) -> str:
    """UTF-8 text (a BOM is dropped); other encodings are refused with the line and byte.

    Every reader of user files (glossary YAML, imports, documents) decodes here.
    """
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SourceError.at(path, line, None,
                             f"not valid UTF-8 (byte {exc.start}); save the file as UTF-8") from None
    return text


def read(path: Path, shown: str | None = None) -> str:
    """A glossary file's text, refused unread when it is over the size budget."""
    shown = shown or str(path)
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise SourceError.at(shown, None, None, f"{size} bytes is more than a glossary file may "
                             f"hold ({MAX_BYTES}); split the concept or shorten it")
    return decode(path.read_bytes(), shown)


def parse(text: str, path: str) -> Document:
    if len(text) > MAX_BYTES:  # characters: a cheap bound on the UTF-8 size from below
        raise SourceError.at(path, None, None, f"{len(text)} characters is more than a glossary "
                             f"file may hold ({MAX_BYTES}); split the concept or shorten it")
    loader = _Loader(text)
    try:
        if "&" in text or "*" in text:
            _refuse_aliases(text, path)
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = " ".join(str(x) for x in (exc.context, exc.problem) if x)
        raise SourceError.at(path, line, None, f"malformed YAML: {problem}") from None
    except yaml.YAMLError as exc:
        raise SourceError.at(path, None, None, f"malformed YAML: {exc}") from None
    finally:
        loader.dispose()
    doc = Document(path, data)
    if node is not None:
        _walk(node, "", doc)
    return doc


def _refuse_aliases(text: str, path: str) -> None:
    """Raise at the first anchor or alias: only the event stream is read, nothing is built."""
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            mark = event.start_mark
            raise SourceError.at(path, mark.line + 1 if mark else None, None,
                                 "YAML anchors and aliases (&name, *name) are not allowed in "
                                 "glossary files; write the value out")


def _walk(node: yaml.Node, prefix: str, doc: Document) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            path = f"{prefix}.{key}" if prefix else key
            line = key_node.start_mark.line + 1
            if key in seen:
                doc.duplicates.append(Problem(doc.path, line, path, "key given twice"))
            seen.add(key)
            doc.lines.setdefault(path, line)
            _walk(value_node, path, doc)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            path = f"{prefix}[{index}]"
            doc.lines.setdefault(path, item.start_mark.line + 1)
            _walk(item, path, doc)

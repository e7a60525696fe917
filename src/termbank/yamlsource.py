"""Parse YAML while remembering the line of every key, so errors can name it.

PyYAML builds the values; we walk its node tree alongside them and record a
line number for each path (``terms.es[0].term``). Duplicate keys, which
PyYAML accepts silently, are reported here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from .errors import Problem, SourceError

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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


def parse(text: str, path: str) -> Document:
    loader = _Loader(text)
    try:
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

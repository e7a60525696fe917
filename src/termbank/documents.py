"""Read a document for annotation, keeping every character at its file offset.

Markup is blanked with spaces rather than removed, so an occurrence's offsets
and line number point into the file as it is on disk: HTML tags, comments,
scripts and styles; in PO/POT files everything but the msgid and
msgid_plural strings.
"""

from __future__ import annotations

import re
from pathlib import Path

import polib

from .errors import SourceError
from .yamlsource import decode

KINDS = ("text", "markdown", "html", "po")
_SUFFIXES = {".txt": "text", ".md": "markdown", ".markdown": "markdown", ".rst": "text",
             ".html": "html", ".htm": "html", ".xhtml": "html", ".po": "po", ".pot": "po"}
_HTML_HIDDEN = re.compile(r"<!--.*?-->|<(script|style)\b.*?</\1\s*>|<[^>]*>",
                          re.DOTALL | re.IGNORECASE)
_PO_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+"')


def kind_of(path: Path) -> str:
    return _SUFFIXES.get(path.suffix.lower(), "text")


def read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SourceError.at(str(path), None, None, "no such file") from None
    return decode(raw, str(path))


def _blank(match: re.Match) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def visible_text(text: str, kind: str, name: str = "<text>") -> str:
    """``text`` with everything that is not prose to translate replaced by spaces."""
    if kind == "html":
        return _HTML_HIDDEN.sub(_blank, text)
    if kind == "po":
        return _po_sources(text, name)
    return text


def _po_sources(text: str, name: str) -> str:
    try:
        polib.pofile(text)
    except (OSError, ValueError) as exc:
        raise SourceError.at(name, line_in(str(exc)), None, f"not a valid PO file: {exc}") from None
    out, keep = [], False
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\n")
        keyword = _PO_KEYWORD.match(body)
        if keyword:
            keep = keyword.group(1) in ("msgid", "msgid_plural")
            first = keyword.end()
        elif body.startswith('"'):
            first = 1
        else:
            keep, first = False, 0
        if keep and body.endswith('"') and len(body) > first:
            inner = body[first:-1]
            out.append(" " * first + inner + " " + line[len(body):])
        else:
            out.append(re.sub(r"[^\n]", " ", line))
    return "".join(out)


def line_in(message: str) -> int | None:
    found = re.search(r"line (\d+)", message)
    return int(found.group(1)) if found else None

"""Glossaries for an LLM translation prompt: a Markdown table and a JSON list.

There is no standard; models follow a compact, explicit list best. Each entry: the
source term, the term to use in the target dialect (by its fallback chain), its status,
the forms not to use (deprecated and forbidden, with the reason), and a short note: the
first sentence of the English definition, so that homonyms ("objective": the lens, or an
aim) are both listed and told apart instead of one being dropped.

Keep prompts small: narrow the export with ``--concept`` to the concepts a document
needs, and check afterwards that the terms were used, since models often ignore
glossaries. Checklist: one line per entry (line breaks and control characters become
spaces), Markdown's ``|`` escaped in cells, JSON written entry by entry (UTF-8, not
ASCII-escaped), do-not-translate names map to themselves.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import BinaryIO

from ..exporting import ExportOptions
from ..model import Glossary
from ..renderings import renderings

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_SENTENCE = re.compile(r"^(.+?[.!?])(\s|$)")


def entries(glossary: Glossary, options: ExportOptions, target: str) -> Iterator[dict]:
    for concept in renderings(glossary, options, (target,)):
        named = concept.named
        accepted, refused = concept.answers[0]
        if named is None or not accepted:
            continue
        status = "do not translate" if concept.do_not_translate else accepted[0].status
        yield {"source": _line(named.text), "target": _line(accepted[0].text), "status": status,
               "do_not_use": [_line(f"{t.text} ({t.status_reason or t.status})") for t in refused],
               "note": _first_sentence(concept.definition or "")}


def write_markdown(fp: BinaryIO, glossary: Glossary, options: ExportOptions) -> None:
    target = options.single_target(glossary, "llm")
    fp.write((f"Use these terms when translating from {options.source} to {target}.\n\n"
              f"| {options.source} | {target} | status | do not use | note |\n"
              "| --- | --- | --- | --- | --- |\n").encode())
    for entry in entries(glossary, options, target):
        cells = (entry["source"], entry["target"], entry["status"],
                 ", ".join(entry["do_not_use"]), entry["note"])
        fp.write(("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |\n").encode())


def write_json(fp: BinaryIO, glossary: Glossary, options: ExportOptions) -> None:
    target = options.single_target(glossary, "llm-json")
    fp.write(b"[")
    separator = b"\n"
    for entry in entries(glossary, options, target):
        fp.write(separator + json.dumps(entry, ensure_ascii=False).encode())
        separator = b",\n"
    fp.write(b"\n]\n")


def _line(text: str) -> str:
    return _CONTROL.sub(" ", text).strip()


def _first_sentence(text: str) -> str:
    text = _line(text)
    found = _SENTENCE.match(text)
    return found.group(1) if found else text

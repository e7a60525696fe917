"""UI strings as plain text: mnemonic marks dropped, markup flattened, spaces collapsed.

Translators keep the program's mnemonic mark (``_Open``, ``&Save``,
LibreOffice's ``~Export``) and markup (``<b>``, ``&amp;``); neither is
wording, and both would hide a term from a word matcher.
"""

from __future__ import annotations

import html
import re

_TAG = re.compile(r"</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>")
_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#x[0-9A-Fa-f]+);")
_HIDDEN = "\0"


def plain(text: str, mnemonics: str = "") -> str:
    """``'Save _As…'`` -> ``'Save As…'``; ``'<b>Zoom</b> &amp; pan'`` -> ``'Zoom & pan'``.

    ``mnemonics`` lists the marks the project uses (LibreOffice: ``~`` in
    its old resources, ``_`` in its dialog files).
    """
    for mark in mnemonics:
        if mark in text:
            text = drop_mnemonic(text, mark)
    if "<" in text:
        text = _TAG.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    return " ".join(text.split())


def drop_mnemonic(text: str, mark: str) -> str:
    """Remove the mnemonic mark before a letter or digit; a doubled mark is a literal one.

    A string with several single marks is left alone: a label has one
    mnemonic, so several marks mean the character is part of the text
    (``file_name_%d``).
    """
    hidden = text.replace(mark * 2, _HIDDEN)
    marks = [i for i, char in enumerate(hidden) if char == mark
             and not (mark == "&" and _ENTITY.match(hidden, i))]
    if len(marks) == 1 and hidden[marks[0] + 1:marks[0] + 2].isalnum():
        hidden = hidden[:marks[0]] + hidden[marks[0] + 1:]
    return hidden.replace(_HIDDEN, mark)

"""The Spanish and French interfaces speak to the reader formally (usted, vous) in every message.

A familiar form slipped into one message reads as a different voice. The forms checked are
those only the familiar register uses: possessives, present-tense second-person forms and
imperatives that cannot be read as a third person ("vuelve a intentarlo" can: "la página
vuelve", so it is checked as the whole request)."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from termbank.web.interface import LOCALES

FAMILIAR = {
    "es": [r"\btus?\b", r"\btú\b", r"\b(puedes|quieres|tienes|revisas|propones|eliges|escribes)\b",
           r"\binténtalo\b", r"\bhaz\b", r"\bvuelve a intentarlo\b",
           r"\bespera \{seconds\}"],
    "fr": [r"\b(tu|ton|ta|tes|toi)\b", r"\b(peux|veux|choisis|réessaie)\b"],
}


def familiar_messages(language: str) -> list[tuple[str, str]]:
    with (LOCALES / language / "LC_MESSAGES" / "termbank_web.po").open("rb") as fp:
        catalogue = read_po(fp)
    return [(str(message.id), pattern) for message in catalogue if message.id
            for pattern in FAMILIAR[language]
            if re.search(pattern, str(message.string), re.IGNORECASE)]


@pytest.mark.parametrize("language", sorted(FAMILIAR))
def test_the_interface_keeps_one_formal_register(language):
    assert familiar_messages(language) == []

"""Google Cloud Translation: the unidirectional CSV and the equivalent term sets."""

from __future__ import annotations

import csv
import io


def test_google_unidirectional_has_no_header(render, glossary):
    table = list(csv.reader(io.StringIO(render("google", glossary, targets=("fr-CA",)).decode())))
    assert table[0] != ["en", "fr-CA"] and ["3D rendering", "rendu 3D"] in table
    assert ["file", "fichier"] in table          # fr-CA falls back to fr


def test_google_sets_header_codes_pos_and_description(render, glossary):
    table = list(csv.reader(io.StringIO(render("google-sets", glossary,
                                               targets=("fr", "fr-CA", "pt-PT")).decode())))
    assert table[0] == ["en", "fr", "fr-CA", "pt-PT", "pos", "description"]
    camera = next(r for r in table if r[0] == "camera")
    assert camera[1:4] == ["", "caméra", ""] and camera[4] == "noun"
    assert camera[5].startswith("The device that records")

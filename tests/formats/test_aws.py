"""Amazon Translate custom terminology: header codes, no gaps, the ten-language limit."""

from __future__ import annotations

import csv
import io

import pytest

from termbank.errors import TermbankError


def test_aws_header_and_brazilian_pt(render, glossary):
    table = list(csv.reader(io.StringIO(render("aws", glossary,
                                               targets=("es-MX", "pt-BR")).decode())))
    assert table[0] == ["en", "es-MX", "pt"]
    assert ["file", "archivo", "arquivo"] in table
    assert not any(r[0] == "camera" for r in table)   # no pt-BR term: no gap left in a row


def test_aws_at_most_ten_target_languages(render, glossary):
    tags = ("es", "fr", "pt", "ar", "he", "de", "it", "nl", "sv", "da", "fi")
    with pytest.raises(TermbankError, match="at most 10"):
        render("aws", glossary, targets=tags)

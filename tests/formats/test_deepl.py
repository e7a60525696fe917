"""DeepL glossary entries: two-column TSV, one dialect, the language pair named."""

from __future__ import annotations


def test_deepl_is_two_column_tsv_without_header(render, glossary):
    lines = render("deepl", glossary, targets=("pt-PT",)).decode().splitlines()
    assert all(len(line.split("\t")) == 2 for line in lines)
    assert "file\tficheiro" in lines and "stage\tplatina" in lines


def test_deepl_names_the_language_pair(render, glossary):
    notes: list[str] = []
    render("deepl", glossary, targets=("pt-PT",), notice=notes.append)
    assert notes[-1] == ("DeepL glossary languages: source en, target pt "
                         "(this file holds the pt-PT terms)")

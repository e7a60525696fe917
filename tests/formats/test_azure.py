"""Azure Custom Translator phrase dictionary: a deterministic zip of aligned files."""

from __future__ import annotations

import io
import zipfile


def test_azure_zip_of_aligned_files(render, glossary):
    data = render("azure", glossary, targets=("es-419",))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist() == ["termbank_en.txt", "termbank_es.txt"]
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        english = archive.read("termbank_en.txt").decode().splitlines()
        spanish = archive.read("termbank_es.txt").decode().splitlines()
    assert len(english) == len(spanish)
    assert spanish[english.index("pixel")] == "pixel"

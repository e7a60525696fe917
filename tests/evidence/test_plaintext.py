import pytest

from termbank.evidence.plaintext import plain


@pytest.mark.parametrize(("text", "marks", "expected"), [
    ("Save _As…", "_", "Save As…"),
    ("_Open", "_", "Open"),
    ("file_name_%d", "_", "file_name_%d"),  # several marks: part of the text
    ("Snake__case", "_", "Snake_case"),
    ("&Zoom", "&", "Zoom"),
    ("Zoom && pan", "&", "Zoom & pan"),
    ("Brightness &amp; contrast", "&", "Brightness & contrast"),
    ("~Export as PDF", "~_", "Export as PDF"),
    ("_Cancel", "~_", "Cancel"),
    ("<b>Focal</b> length", "&", "Focal length"),
    ("Use <a href='x'>deconvolution</a>\n now", "", "Use deconvolution now"),
    ("a < b and c > d", "", "a < b and c > d"),
    ("  Field   of\tview ", "", "Field of view"),
    ("Keep_this", "", "Keep_this"),
])
def test_plain(text, marks, expected):
    assert plain(text, marks) == expected

"""OmegaT glossary lines: every accepted term, comments with field, fallback and forms to avoid."""

from __future__ import annotations


def test_omegat_lines_and_comments(render, glossary):
    lines = render("omegat", glossary, targets=("es-MX",)).decode().splitlines()
    assert lines[0].startswith("#")
    assert ("magnification\taumento\tpreferred; optics; from es; avoid: amplificación "
            "(false friend); avoid: magnificación (calque)") in lines   # es-MX's forms first
    assert "objective\tobjetivo del estudio\tpreferred; data-management; from es" in lines

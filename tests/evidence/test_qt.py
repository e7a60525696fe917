import pytest
from tests.evidence.conftest import qm_bytes
from translate.storage.qm import qmfile

from termbank.evidence.readers import CatalogueError, qt

MESSAGES = [
    ("Field of view", "", ["Campo de visión"]),
    ("Eyepiece", "telescope part", ["Ocular"]),
    ("%n star(s)", "", ["%n estrella", "%n estrellas"]),
    ("Not yet", "", [None]),
    ("Empty", "", [""]),
]


def test_reads_sources_and_first_translation(tmp_path):
    path = tmp_path / "es.qm"
    path.write_bytes(qm_bytes(MESSAGES))
    assert list(qt.read(path)) == [
        ("Field of view", "Campo de visión"), ("Eyepiece", "Ocular"), ("%n star(s)", "%n estrella")]


def test_agrees_with_translate_toolkit(tmp_path):
    """An independent parser of the same bytes finds the same sources and translations."""
    data = qm_bytes(MESSAGES[:2])
    path = tmp_path / "fr.qm"
    path.write_bytes(data)
    theirs = [(unit.source, str(unit.target)) for unit in qmfile.parsestring(data).units]
    assert len(theirs) == 2
    assert list(qt.read(path)) == theirs


@pytest.mark.parametrize("damage", [
    lambda data: b"\0" * 16 + data[16:],  # magic
    lambda data: data[:-20],  # a section runs past the end
    lambda data: data.replace(b"\x01\x88", b"\x0e\x88"),  # unknown field tag / no end marker
], ids=["magic", "truncated", "field"])
def test_corrupt_qm_names_the_file(tmp_path, damage):
    path = tmp_path / "es.qm"
    path.write_bytes(damage(qm_bytes(MESSAGES)))
    with pytest.raises(CatalogueError, match=f"{path}: not a readable Qt .qm catalogue"):
        list(qt.read(path))

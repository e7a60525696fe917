import zipfile

import pytest
from tests.evidence.conftest import ENGLISH_OMNI, ENGLISH_OMNI_TOOLKIT, langpack, write_zip

from termbank.evidence.readers import CatalogueError, mozilla


def _messages(path, locale):
    errors = []
    return mozilla.messages(path, locale, errors.append), errors


def test_keys_meet_across_pack_and_omni_ja(tmp_path):
    pack, _ = _messages(write_zip(tmp_path / "langpack-es-MX@x.xpi", langpack("es-MX")), "es-MX")
    omni, _ = _messages(write_zip(tmp_path / "omni.ja", ENGLISH_OMNI | ENGLISH_OMNI_TOOLKIT), "en-US")
    pairs = dict(mozilla.align(omni, pack))
    assert pairs == {
        "Zoom In": "Acercar",
        "Zoom in on the image": "Acercar la imagen",
        "Open {$name} in {-brand-short-name}": "Abrir {$name} en {-brand-short-name}",
        "{$count} pixels": "{$count} píxeles",
        "Firefox": "Firefox",
        "Exposure time": "Tiempo de exposición",
        "Gain": "Ganancia",
        "Z-stack": "Pila en Z",
    }


def test_access_keys_and_terms_are_not_messages(tmp_path):
    pack, _ = _messages(write_zip(tmp_path / "p.xpi", langpack("fr")), "fr")
    ids = {message_id for _path, message_id in pack}
    assert "zoom-in.tooltip" in ids
    assert not {"zoom-in.accesskey", "exposure.accesskey", "stack.accesskey", "-brand-short-name"} & ids


def test_a_broken_file_inside_the_pack_is_reported_and_the_rest_read(tmp_path):
    path = write_zip(tmp_path / "langpack-pt-PT@x.xpi", langpack("pt-PT", broken_ftl=True))
    pack, errors = _messages(path, "pt-PT")
    assert len(pack) == 9
    assert errors == [f"{path}!localization/pt-PT/toolkit/bad.ftl: not UTF-8 "
                      "(invalid start byte at byte 7)"]


@pytest.mark.parametrize("content", [b"not a zip", b"PK\x03\x04 truncated"])
def test_an_xpi_that_is_not_a_zip(tmp_path, content):
    path = tmp_path / "langpack-es-AR@x.xpi"
    path.write_bytes(content)
    with pytest.raises(CatalogueError, match=f"{path}: not a readable zip"):
        _messages(path, "es-AR")


def test_paths_outside_localization_are_ignored(tmp_path):
    path = tmp_path / "omni.ja"
    with zipfile.ZipFile(path, "w") as zipped:
        zipped.writestr("res/locale/en-US/x.properties", "a=Focus\n")
    assert _messages(path, "en-US") == ({}, [])

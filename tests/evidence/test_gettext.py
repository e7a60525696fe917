import pytest
from tests.evidence.conftest import write_mo

from termbank.evidence.readers import CatalogueError, gettext

ENTRIES = [
    {"msgid": "Exposure", "msgstr": "Exposición"},
    {"msgid": "Gain", "msgstr": ""},  # untranslated
    {"msgid": "Aperture", "msgstr": "Apertura", "flags": ["fuzzy"]},
    {"msgid": "Old", "msgstr": "Viejo", "obsolete": True},
    {"msgid": "%d frame", "msgid_plural": "%d frames", "msgstr_plural": {0: "%d cuadro", 1: "%d cuadros"}},
    {"msgid": "Your names", "msgstr": "Ana", "msgctxt": "NAME OF TRANSLATORS"},
    {"msgid": "Open", "msgstr": "Abrir", "msgctxt": "STR_OPEN"},
]


@pytest.mark.parametrize("suffix", [".mo", ".po"])
def test_reads_translated_entries_only(tmp_path, suffix):
    path = write_mo(tmp_path / f"es/LC_MESSAGES/x{suffix}", ENTRIES, po=suffix == ".po")
    expected = [("Exposure", "Exposición"), ("%d frame", "%d cuadro"), ("Open", "Abrir")]
    if suffix == ".mo":  # msgfmt-like output: polib writes neither fuzzy nor obsolete entries
        expected = sorted(expected)
    assert sorted(gettext.read(path)) == sorted(expected)


@pytest.mark.parametrize("damage", [
    lambda data: b"not a catalogue at all",
    lambda data: data[:20],
    lambda data: data[:28] + b"\xff\xff\xff\x7f" + data[32:],  # a string's length overwritten
    lambda data: data[:12] + b"\xff\xff\x00\x00" + data[16:],  # the table's offset overwritten
    lambda data: data[:-5],  # truncated inside the last string
], ids=["garbage", "header only", "length", "offset", "truncated"])
def test_corrupt_mo_names_the_file(tmp_path, damage):
    good = write_mo(tmp_path / "good.mo", ENTRIES[:1])
    bad = tmp_path / "es" / "LC_MESSAGES" / "bad.mo"
    bad.parent.mkdir(parents=True)
    bad.write_bytes(damage(good.read_bytes()))
    with pytest.raises(CatalogueError, match=str(bad)):
        list(gettext.read(bad))

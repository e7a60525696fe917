import pytest
from tests.evidence.conftest import (
    ENGLISH_OMNI,
    ENGLISH_OMNI_TOOLKIT,
    langpack,
    qm_bytes,
    write_mo,
    write_zip,
)

from termbank.errors import LanguageTagError
from termbank.evidence.catalogues import Pair, catalogue_of, read_pairs, tag_of, tree
from termbank.evidence.manifest import Manifest, Source


@pytest.mark.parametrize(("path", "expected"), [
    ("./usr/share/locale/es_MX/LC_MESSAGES/siril.mo", ("gettext", "es_MX")),
    ("usr/lib/libreoffice/program/resource/pt/LC_MESSAGES/sc.mo", ("gettext", "pt")),
    ("usr/share/stellarium/translations/stellarium/es_419.qm", ("qt", "es_419")),
    ("usr/lib/thunderbird/extensions/langpack-pt-BR@thunderbird.mozilla.org.xpi",
     ("langpack", "pt-BR")),
    ("usr/lib/firefox-esr/browser/omni.ja", ("english", "en-US")),
    ("usr/share/locale/es/LC_MESSAGES/", None),
    ("usr/share/doc/siril/changelog.gz", None),
    ("usr/share/locale/es/x.mo", None),
])
def test_catalogue_of(path, expected):
    assert catalogue_of(path) == expected


@pytest.mark.parametrize(("locale", "tag"), [
    ("es_MX", "es-MX"), ("es-MX", "es-MX"), ("es_419", "es-419"), ("es", "es"),
    ("pt", "pt-PT"), ("pt_BR", "pt-BR"), ("pt-PT", "pt-PT"), ("fr_CA", "fr-CA"), ("es_ES", "es-ES"),
])
def test_tag_of(locale, tag):
    assert tag_of(locale) == tag


@pytest.mark.parametrize("locale", ["es_XX", "pt@nonsense", "de", "fr_"])
def test_unknown_or_foreign_locales(locale):
    with pytest.raises(LanguageTagError):
        tag_of(locale)


def _row(package, version="1.0-1"):
    return Source(package, version, status="ok")


@pytest.fixture
def filled(cache):
    """A cache with one package of each kind, a corrupt .mo and an unknown locale."""
    mo = [{"msgid": "_Exposure", "msgstr": "_Exposición"}, {"msgid": "Gain", "msgstr": "Gain"},
          {"msgid": "Deconvolution", "msgstr": "Deconvolución", "flags": ["fuzzy"]}]
    siril = tree(cache, "siril-common", "1.0-1") / "usr/share/locale"
    write_mo(siril / "es_ES/LC_MESSAGES/siril.mo", mo)
    write_mo(siril / "pt_BR/LC_MESSAGES/siril.mo", [{"msgid": "Stacking", "msgstr": "Empilhamento"}])
    write_mo(siril / "es_XX/LC_MESSAGES/siril.mo", mo)
    write_mo(siril / "de/LC_MESSAGES/siril.mo", [{"msgid": "Stacking", "msgstr": "Stapeln"}])
    (siril / "fr/LC_MESSAGES").mkdir(parents=True)
    (siril / "fr/LC_MESSAGES/siril.mo").write_bytes(b"\xde\x12\x04\x95 broken")
    stellarium = tree(cache, "stellarium-data", "0.22-1") / "translations/stellarium"
    stellarium.mkdir(parents=True)
    (stellarium / "pt.qm").write_bytes(qm_bytes([("&Eyepiece", "", ["&Ocular"])]))
    firefox = tree(cache, "firefox-esr", "1:2.0") / "usr/lib/firefox-esr"
    write_zip(firefox / "browser/omni.ja", ENGLISH_OMNI)
    write_zip(firefox / "omni.ja", ENGLISH_OMNI_TOOLKIT)
    pack = tree(cache, "firefox-esr-l10n-es-mx", "1:2.0") / "usr/lib/firefox-esr/browser/extensions"
    write_zip(pack / "langpack-es-MX@firefox-esr.mozilla.org.xpi", langpack("es-MX"))
    bad_pack = tree(cache, "firefox-esr-l10n-es-ar", "1:2.0") / "usr/lib/firefox-esr/browser/extensions"
    bad_pack.mkdir(parents=True)
    (bad_pack / "langpack-es-AR@firefox-esr.mozilla.org.xpi").write_bytes(b"not a zip")
    return Manifest({r.package: r for r in [
        _row("siril-common"), _row("stellarium-data", "0.22-1"), _row("firefox-esr", "1:2.0"),
        _row("firefox-esr-l10n-es-mx", "1:2.0"), _row("firefox-esr-l10n-es-ar", "1:2.0")]})


def test_read_pairs_reads_every_kind_and_reports_bad_files(cache, filled):
    errors = []
    pairs = list(read_pairs(cache, filled, on_error=errors.append))
    by_package = {}
    for pair in pairs:
        by_package.setdefault((pair.package, pair.tag), []).append((pair.source, pair.target))
    assert by_package[("siril-common", "es-ES")] == [("Exposure", "Exposición")]
    assert by_package[("siril-common", "pt-BR")] == [("Stacking", "Empilhamento")]
    assert by_package[("stellarium-data", "pt-PT")] == [("Eyepiece", "Ocular")]
    assert ("Z-stack", "Pila en Z") in by_package[("firefox-esr-l10n-es-mx", "es-MX")]
    assert len(by_package[("firefox-esr-l10n-es-mx", "es-MX")]) == 7  # "Firefox" = "Firefox" dropped
    assert set(by_package) == {("siril-common", "es-ES"), ("siril-common", "pt-BR"),
                               ("stellarium-data", "pt-PT"), ("firefox-esr-l10n-es-mx", "es-MX")}
    assert pairs[0] == Pair("Firefox", "firefox-esr-l10n-es-mx", "1:2.0", "es-MX",
                            "Exposure time", "Tiempo de exposición")
    assert len(errors) == 3
    assert any("langpack-es-AR@" in e and "not a readable zip" in e for e in errors)
    assert any("es_XX/LC_MESSAGES/siril.mo: unknown locale" in e for e in errors)
    assert any("fr/LC_MESSAGES/siril.mo: not a readable gettext catalogue" in e for e in errors)


def test_without_a_manifest_the_cache_is_read(cache, filled):
    assert list(read_pairs(cache, on_error=[].append)) == list(
        read_pairs(cache, filled, on_error=[].append))


def test_a_pack_without_its_english_source_is_reported(cache, filled):
    del filled.sources["firefox-esr"]
    for omni in tree(cache, "firefox-esr", "1:2.0").rglob("omni.ja"):
        omni.unlink()
    errors = []
    pairs = list(read_pairs(cache, filled, on_error=errors.append))
    assert {p.package for p in pairs} == {"siril-common", "stellarium-data"}
    assert any("langpack-es-MX@firefox-esr.mozilla.org.xpi: no English source to align with "
               "(firefox-esr not fetched)" in e for e in errors)


def test_a_package_the_manifest_skipped_is_not_read(cache, filled):
    filled.sources["siril-common"] = filled.sources["siril-common"].but(status="skipped: gone")
    assert "siril-common" not in {p.package for p in read_pairs(cache, filled, on_error=[].append)}

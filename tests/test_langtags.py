import pytest

from termbank import langtags
from termbank.errors import LanguageTagError


@pytest.mark.parametrize("raw, expected", [
    ("es_MX", "es-MX"), ("es-mx", "es-MX"), ("ES-mx", "es-MX"), ("es-419", "es-419"),
    ("pt_PT", "pt-PT"), ("fr-CA", "fr-CA"), ("en", "en"), ("zh-Hant-TW", "zh-Hant-TW"),
])
def test_normalize(raw, expected):
    assert langtags.normalize(raw) == expected


@pytest.mark.parametrize("bad", ["es-XX", "und", "root", "x", "", "es--MX", "español", "es-MX-x-foo"])
def test_unknown_or_malformed_tags_are_refused(bad):
    with pytest.raises(LanguageTagError):
        langtags.normalize(bad)


@pytest.mark.parametrize("tag, chain", [
    ("es-MX", ("es-MX", "es-419", "es")),
    ("es-AR", ("es-AR", "es-419", "es")),
    ("es-ES", ("es-ES", "es")),
    ("fr-CA", ("fr-CA", "fr")),
    ("pt-PT", ("pt-PT", "pt")),
    ("pt-AO", ("pt-AO", "pt-PT", "pt")),
    ("pt-BR", ("pt-BR", "pt")),
    ("es", ("es",)),
])
def test_fallback_chain_follows_cldr(tag, chain):
    assert langtags.fallback_chain(tag) == chain


def test_names_come_from_cldr_unchanged():
    assert langtags.native_name("es-MX") == "español (México)"
    assert langtags.display_name("pt-PT") == "Portuguese (Portugal)"
    assert langtags.to_gettext("es-419") == "es_419"


def test_related_tags():
    assert langtags.is_related("es", "es-MX")
    assert langtags.is_related("es-MX", "es-419")
    assert not langtags.is_related("es-MX", "es-ES")


@pytest.mark.parametrize(("tag", "language", "territory", "regional"), [
    ("es-MX", "es", "MX", True), ("es_419", "es", "419", True), ("EN-us", "en", "US", True),
    ("sr-Latn", "sr", None, True), ("fr", "fr", None, False),
])
def test_parts_of_a_tag(tag, language, territory, regional):
    assert langtags.language_or_none(tag) == language
    assert langtags.territory(tag) == territory
    assert langtags.is_regional(tag) is regional


@pytest.mark.parametrize("outside", ["xx", "", None, "en-", "*"])
def test_a_tag_from_outside_that_is_no_tag_has_no_language(outside):
    assert langtags.language_or_none(outside) is None

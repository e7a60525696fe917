"""gettext plural rules for the bank's languages, as GNU gettext writes them.

The ``Plural-Forms`` header of every catalogue we generate comes from this
table, not from the installed babel: CLDR's plural data changes between babel
releases (babel 2.19 gives es, fr and pt three forms, for "millions"), and a
committed catalogue must have the same bytes on every machine. The rules are
those of the GNU gettext manual ("Plural forms"): most languages use the
singular for one only; French and Brazilian Portuguese use it for zero too.
A language outside this table (a glossary may hold Arabic or Polish terms too)
takes babel's CLDR rule: its catalogues are exports on demand, never committed,
so their header may follow the installed babel.
"""

from __future__ import annotations

from . import langtags

ONE_ONLY = "nplurals=2; plural=(n != 1);"
ZERO_AND_ONE = "nplurals=2; plural=(n > 1);"

RULES: dict[str, str] = {
    **dict.fromkeys(
        ("bg", "ca", "da", "de", "el", "en", "eo", "es", "et", "eu", "fi", "fo", "gl",
         "he", "hu", "it", "nb", "nl", "nn", "no", "pt", "sv", "tr"), ONE_ONLY),
    **dict.fromkeys(("fr", "pt-BR"), ZERO_AND_ONE),
}


def plural_forms(tag: str) -> str:
    """The ``Plural-Forms`` value for ``tag``: the most specific entry on its chain.

    ``pt-BR`` has its own rule; ``fr-CA`` takes French's, ``es-MX`` Spanish's;
    a language outside the table takes babel's.
    """
    for candidate in langtags.fallback_chain(tag):
        if candidate in RULES:
            return RULES[candidate]
    # imported here: babel's catalogue package (dates, time zones) costs every export of a
    # tabled language a fifth of its start-up
    from babel.messages.plurals import get_plural

    return get_plural(langtags.to_gettext(tag)).plural_forms

"""BCP 47 language tags: parsing, CLDR fallback chains and display names.

Inside termbank every tag is BCP 47 (``es-MX``); gettext's ``es_MX`` and
providers' codes are converted only at the edges. Validation and the data
come from babel's CLDR tables; nothing here hard-codes a region list.
"""

from __future__ import annotations

import re
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.core import get_global

from .errors import LanguageTagError

_SHAPE = re.compile(r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$")


@lru_cache(maxsize=4096)
def _locale(tag: str) -> Locale:
    if not isinstance(tag, str) or not _SHAPE.match(tag):
        raise LanguageTagError(f"{tag!r} is not a language tag (expected e.g. 'es' or 'es-MX')")
    if tag.lower() in ("und", "root"):
        raise LanguageTagError(f"{tag!r} names no language; use a tag such as 'en' or 'es-MX'")
    try:
        return Locale.parse(tag.replace("_", "-"), sep="-")
    except UnknownLocaleError:
        raise LanguageTagError(f"{tag!r} is not a language or region known to CLDR") from None
    except ValueError as exc:
        raise LanguageTagError(f"{tag!r} is not a supported language tag ({exc})") from None


def _tag_of(locale: Locale) -> str:
    parts = [locale.language, locale.script, locale.territory, locale.variant]
    return "-".join(p for p in parts if p)


def normalize(tag: str) -> str:
    """``'es_mx'`` -> ``'es-MX'``; raises LanguageTagError for unknown tags."""
    return _tag_of(_locale(tag))


def language(tag: str) -> str:
    """The primary language subtag: ``'es-MX'`` -> ``'es'``."""
    return _locale(tag).language


def language_or_none(tag: str | None) -> str | None:
    """``language`` for tags from outside (a file's ``xml:lang``, a header, a cookie):
    None instead of an error when the tag is malformed or unknown."""
    try:
        return language(tag or "")
    except LanguageTagError:
        return None


def territory(tag: str) -> str | None:
    """The region subtag, as CLDR reads it: ``'es-MX'`` -> ``'MX'``, ``'es-419'`` -> ``'419'``."""
    return _locale(tag).territory


def is_regional(tag: str) -> bool:
    """True for a tag more specific than its language (``es-MX``, ``es-419``, ``sr-Latn``)."""
    return len(fallback_chain(tag)) > 1


@lru_cache(maxsize=4096)
def fallback_chain(tag: str) -> tuple[str, ...]:
    """The tags that may answer for ``tag``, most specific first.

    CLDR's parent exceptions come first (``es-MX -> es-419``,
    ``pt-AO -> pt-PT``); otherwise the last subtag is dropped
    (``es-419 -> es``, ``fr-CA -> fr``).
    """
    chain = [normalize(tag)]
    while "-" in chain[-1]:
        underscored = chain[-1].replace("-", "_")
        # read here, not above: a bare language ("es") needs no CLDR global data at all
        parent = get_global("parent_exceptions").get(underscored)
        if parent is None or parent == "root":
            parent = underscored.rsplit("_", 1)[0]
        chain.append(normalize(parent))
    return tuple(chain)


def is_related(tag: str, other: str) -> bool:
    """True when one tag lies on the other's fallback chain (``es`` and ``es-MX``)."""
    return other in fallback_chain(tag) or tag in fallback_chain(other)


def display_name(tag: str, in_tag: str = "en") -> str:
    """The tag's name in another language, as CLDR writes it (not re-capitalised)."""
    return _locale(tag).get_display_name(_locale(in_tag)) or tag


def native_name(tag: str) -> str:
    """The tag's name in its own language: ``'español (México)'``."""
    return _locale(tag).get_display_name() or tag


def to_gettext(tag: str) -> str:
    """``'es-MX'`` -> ``'es_MX'``, the form gettext uses for folder names."""
    return normalize(tag).replace("-", "_")

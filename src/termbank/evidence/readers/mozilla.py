"""Firefox and Thunderbird language packs, aligned with the English of the program itself.

A language pack (``langpack-es-MX@firefox-esr.mozilla.org.xpi``, a zip)
holds only translations, keyed by file and message id: Fluent ``.ftl``
(parsed with ``fluent.syntax``), ``.properties`` (``javaproperties``; Mozilla
writes them in UTF-8, so we decode before parsing) and, in Thunderbird,
XML ``.dtd`` entity files (lxml). The English text sits in the same files of
the program's ``omni.ja`` zips under ``en-US``. A message's key is its path
with the locale folders replaced and a leading ``browser/`` dropped (the
pack nests the browser's files there), plus its id (and Fluent attribute),
so ``browser/localization/es-MX/browser/x.ftl`` meets
``localization/en-US/browser/x.ftl``.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import javaproperties
from fluent.syntax import FluentParser, ast
from lxml import etree

from . import CatalogueError

ENGLISH = "en-US"
# Keyboard shortcuts and access keys are single letters, not wording.
_KEYS = re.compile(r"(?i)(access-?key|command-?key|\.key|\.shortcut)$")
_KINDS = (".ftl", ".properties", ".dtd")

Key = tuple[str, str]


def messages(archive: Path, locale: str, on_error: Callable[[str], None]) -> dict[Key, str]:
    """Every message of one zip (language pack or omni.ja) for ``locale``, by key.

    A zip that cannot be opened raises CatalogueError; a file inside it that
    cannot be parsed is reported through ``on_error`` and skipped.
    """
    found: dict[Key, str] = {}
    try:
        with zipfile.ZipFile(archive) as zipped:
            for name in sorted(zipped.namelist()):
                path = _key_path(name, locale)
                if path is None:
                    continue
                try:
                    entries = _parse(name, zipped.read(name))
                    for message_id, text in entries:
                        if not _KEYS.search(message_id):
                            found.setdefault((path, message_id), text)
                except CatalogueError as exc:
                    on_error(f"{archive}!{name}: {exc}")
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise CatalogueError(f"{archive}: not a readable zip ({exc})") from None
    return found


def align(english: dict[Key, str], translated: dict[Key, str]) -> Iterator[tuple[str, str]]:
    """(English, translation) for every key both sides have, in key order."""
    for key in sorted(translated.keys() & english.keys()):
        yield english[key], translated[key]


def _key_path(name: str, locale: str) -> str | None:
    if not name.endswith(_KINDS):
        return None
    parts = name.split("/")
    if parts[0] == "browser":
        parts = parts[1:]
    if locale not in parts or parts[0] not in ("localization", "chrome"):
        return None
    return "/".join("@" if part == locale else part for part in parts)


def _parse(name: str, data: bytes) -> Iterable[tuple[str, str]]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CatalogueError(f"not UTF-8 ({exc.reason} at byte {exc.start})") from None
    if name.endswith(".ftl"):
        return _fluent(text)
    if name.endswith(".properties"):
        try:
            return javaproperties.loads(text).items()
        except (ValueError, javaproperties.InvalidUEscapeError) as exc:
            raise CatalogueError(str(exc)) from None
    return _dtd(data)


def _fluent(text: str) -> list[tuple[str, str]]:
    found = []
    for entry in FluentParser(with_spans=False).parse(text).body:
        if not isinstance(entry, ast.Message):
            continue  # terms are brand names; comments and junk carry no translation
        if entry.value is not None:
            found.append((entry.id.name, flatten(entry.value)))
        found.extend((f"{entry.id.name}.{a.id.name}", flatten(a.value)) for a in entry.attributes)
    return found


def flatten(pattern: ast.Pattern) -> str:
    """A Fluent pattern as plain text: references become ``{$name}`` / ``{-term}``
    placeholders, select expressions their default variant."""
    return "".join(_element(element) for element in pattern.elements)


def _element(element) -> str:
    if isinstance(element, ast.TextElement):
        return element.value
    return _expression(element.expression)


def _expression(expression) -> str:
    if isinstance(expression, ast.StringLiteral):
        return expression.parse()["value"]
    if isinstance(expression, ast.NumberLiteral):
        return expression.value
    if isinstance(expression, ast.VariableReference):
        return "{$" + expression.id.name + "}"
    if isinstance(expression, ast.TermReference):
        return "{-" + expression.id.name + "}"
    if isinstance(expression, (ast.MessageReference, ast.FunctionReference)):
        return "{" + expression.id.name + "}"
    if isinstance(expression, ast.SelectExpression):
        default = next(v for v in expression.variants if v.default)
        return flatten(default.value)
    if isinstance(expression, ast.Placeable):
        return _expression(expression.expression)
    return ""


def _dtd(data: bytes) -> list[tuple[str, str]]:
    try:
        dtd = etree.DTD(io.BytesIO(data))
    except etree.DTDParseError as exc:
        raise CatalogueError(f"not a readable DTD ({exc})") from None
    return [(entity.name, entity.content or "") for entity in dtd.entities()]

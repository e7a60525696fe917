"""Every catalogue in the fetched packages, read as English -> translation pairs.

The cache holds each package unpacked under ``tree/<package>/<version>/``
(only its catalogue files, see ``sources.fetch``). A catalogue is known by
its path: gettext ``<locale>/LC_MESSAGES/*.mo|.po``, Qt ``<locale>.qm``,
Mozilla ``langpack-<locale>@*.xpi`` (English in the program's ``omni.ja``).
Each catalogue's locale becomes a BCP 47 tag through ``langtags``; a
catalogue that cannot be read is reported in one line and skipped.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .. import langtags
from ..errors import LanguageTagError
from .manifest import Manifest, Source
from .packages import LANGUAGES, PACKAGES, Package
from .plaintext import plain
from .readers import CatalogueError, gettext, mozilla, qt

__all__ = ["Catalogue", "Manifest", "Pair", "catalogue_of", "catalogues", "read_pairs"]


@dataclass(frozen=True, slots=True)
class Pair:
    """One human translation of one English source string."""

    project: str  # human name of the translated project: "Firefox", "LibreOffice", ...
    package: str  # Debian package the translation came from, e.g. "firefox-esr-l10n-es-mx"
    version: str  # that package's Debian version
    tag: str  # BCP 47 tag of the catalogue, through termbank.langtags
    source: str  # the English source string, plain text (mnemonics and markup removed)
    target: str  # the human translation, cleaned the same way


@dataclass(frozen=True, slots=True)
class Catalogue:
    """One catalogue file: ``kind`` is gettext, qt, langpack or english (omni.ja)."""

    path: Path
    kind: str
    locale: str


def print_to_stderr(message: str) -> None:
    print(message, file=sys.stderr)


def tree(cache: Path, package: str, version: str) -> Path:
    """Where a package version's catalogue files are unpacked in the cache."""
    return cache / "tree" / package / version.replace(":", "%3a")


_LANGPACK = re.compile(r"^langpack-(?P<locale>[^@]+)@.*\.xpi$")


def catalogue_of(path: str) -> tuple[str, str] | None:
    """(kind, locale) when the path inside a package is a catalogue, else None."""
    parts = path.strip("./").split("/")
    name = parts[-1]
    if name.endswith((".mo", ".po")) and len(parts) >= 3 and parts[-2] == "LC_MESSAGES":
        return "gettext", parts[-3]
    if name.endswith(".qm"):
        return "qt", name[:-3]
    if name == "omni.ja":
        return "english", mozilla.ENGLISH
    match = _LANGPACK.match(name)
    if match:
        return "langpack", match["locale"]
    return None


def in_bank_language(locale: str) -> bool:
    """True for es, fr, pt and any locale of theirs (``es_419``, ``pt@x``), judged by the
    first subtag only: whether the rest is valid is ``tag_of``'s question."""
    return re.split(r"[-_@.]", locale, maxsplit=1)[0] in LANGUAGES


def tag_of(locale: str) -> str:
    """A catalogue locale as a BCP 47 tag; LanguageTagError when it is unknown.

    Plain ``pt`` is European Portuguese in every allowed project: each ships a
    separate ``pt_BR``; LibreOffice, KDE (kstars), GNOME (gthumb, shotwell,
    gnome-photos) and Blender (its language menu lists ``pt`` as ``pt_PT``)
    name it so, and the catalogues themselves write "ficheiro"/"ecrã", not
    "arquivo"/"tela" (checked in kstars, shotwell, gthumb, gnome-photos,
    blender, invesalius, stellarium, Debian bookworm). A plain ``es`` stays
    ``es``: the issue's rule, although gthumb's and shotwell's headers name
    the Spain-based GNOME team.
    """
    if locale == "pt":
        return "pt-PT"
    tag = langtags.normalize(locale)
    if langtags.language(tag) not in LANGUAGES:
        raise LanguageTagError(f"{locale!r} is not in the bank's languages")
    return tag


def catalogues(root: Path) -> list[Catalogue]:
    """Catalogue files under an unpacked package, in path order, bank languages only."""
    found = []
    for folder, _dirs, files in os.walk(root):
        for name in files:
            path = Path(folder, name)
            kind_locale = catalogue_of(path.relative_to(root).as_posix())
            if kind_locale is None:
                continue
            kind, locale = kind_locale
            if kind == "english" or in_bank_language(locale):
                found.append(Catalogue(path, kind, locale))
    return sorted(found, key=lambda c: c.path.as_posix())


def read_pairs(cache: Path, manifest: Manifest | None = None, *,
               on_error: Callable[[str], None] = print_to_stderr) -> Iterator[Pair]:
    """Every usable pair of every package in the manifest (default: whatever is unpacked
    in the cache), package by package in name order."""
    manifest = manifest or unpacked(cache)
    english = EnglishSources(cache, manifest, on_error)
    for source in manifest:
        yield from package_pairs(cache, source, english, on_error)


def unpacked(cache: Path) -> Manifest:
    """A manifest of the allowed packages found unpacked in the cache (one version each)."""
    sources = {}
    for name in PACKAGES:
        folder = cache / "tree" / name
        found = folder.iterdir() if folder.is_dir() else []
        versions = sorted(p.name for p in found if not p.name.startswith("."))  # not a partial unpack
        if versions:
            version = versions[-1].replace("%3a", ":")
            sources[name] = Source(name, version, project=PACKAGES[name].project, status="ok")
    return Manifest(sources)


def package_pairs(cache: Path, source: Source, english: EnglishSources,
                  on_error: Callable[[str], None]) -> Iterator[Pair]:
    """The pairs of one package; nothing for packages skipped or never unpacked."""
    package = PACKAGES.get(source.package)
    root = tree(cache, source.package, source.version)
    if package is None or source.status.startswith("skipped") or not root.is_dir():
        return
    for catalogue in catalogues(root):
        if catalogue.kind == "english":
            continue
        try:
            tag = tag_of(catalogue.locale)
            raw = _raw_pairs(catalogue, package, english, on_error)
            for source_text, target_text in raw:
                pair = _pair(package, source.version, tag, source_text, target_text)
                if pair is not None:
                    yield pair
        except LanguageTagError as exc:
            on_error(f"{catalogue.path}: unknown locale ({exc})")
        except CatalogueError as exc:
            on_error(str(exc))


def _raw_pairs(catalogue: Catalogue, package: Package, english: EnglishSources,
               on_error: Callable[[str], None]) -> Iterator[tuple[str, str]]:
    if catalogue.kind == "gettext":
        return gettext.read(catalogue.path)
    if catalogue.kind == "qt":
        return qt.read(catalogue.path)
    translated = mozilla.messages(catalogue.path, catalogue.locale, on_error)
    return mozilla.align(english.of(package, catalogue.path), translated)


def _pair(package: Package, version: str, tag: str, source: str, target: str) -> Pair | None:
    """The cleaned pair, or None when it carries no wording: empty, no letter in the
    source, or the same text on both sides (an untranslated string)."""
    source = plain(source, package.mnemonic)
    target = plain(target, package.mnemonic)
    if not source or not target or not any(c.isalpha() for c in source):
        return None
    if source.casefold() == target.casefold():
        return None
    return Pair(package.project, package.name, version, tag, source, target)


class EnglishSources:
    """The English messages of each program (all its omni.ja zips), read once."""

    def __init__(self, cache: Path, manifest: Manifest, on_error: Callable[[str], None]):
        self.cache, self.manifest, self.on_error = cache, manifest, on_error
        self.read: dict[str, dict[mozilla.Key, str]] = {}

    def of(self, package: Package, langpack: Path) -> dict[mozilla.Key, str]:
        name = package.english or ""
        if name not in self.read:
            self.read[name] = self._load(name)
        if not self.read[name]:
            raise CatalogueError(f"{langpack}: no English source to align with ({name} not fetched)")
        return self.read[name]

    def _load(self, name: str) -> dict[mozilla.Key, str]:
        source = self.manifest.get(name) or unpacked(self.cache).get(name)
        if source is None or not source.version:
            return {}
        root = tree(self.cache, name, source.version)
        messages: dict[mozilla.Key, str] = {}
        for catalogue in catalogues(root) if root.is_dir() else []:
            if catalogue.kind == "english":
                try:
                    found = mozilla.messages(catalogue.path, mozilla.ENGLISH, self.on_error)
                except CatalogueError as exc:
                    self.on_error(str(exc))
                    continue
                for key, text in found.items():
                    messages.setdefault(key, text)
        return messages

"""Fetch the allowed packages, pinned, into a cache outside the repository.

``fetch`` downloads each package with ``apt-get download NAME=VERSION`` (the
version pinned in ``evidence/sources.tsv``, or apt's candidate on the first
run and with ``update``), checks its sha256 against the archive index and
the pin, unpacks only its catalogue files with ``dpkg-deb --fsys-tarfile``,
reads every catalogue, and rewrites the manifest. Everything lands in the
cache through a temporary name and a rename, so an interrupted run leaves
either the old file or the new one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from ..atomic import digest as file_sha256
from ..errors import LanguageTagError, TermbankError
from . import catalogues as cat
from . import manifest as manifest_file
from .manifest import Manifest, Source
from .packages import ENGLISH_SOURCES, PACKAGES

CACHE_VARIABLE = "TERMBANK_EVIDENCE_CACHE"


class FetchError(TermbankError):
    """One package cannot be fetched; the run goes on without it."""


def default_cache() -> Path:
    """``$TERMBANK_EVIDENCE_CACHE``, else the user's cache folder (``~/.cache/termbank/evidence``)."""
    if os.environ.get(CACHE_VARIABLE):
        return Path(os.environ[CACHE_VARIABLE])
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("termbank")) / "evidence"


def fetch(cache: Path, manifest_path: Path = manifest_file.DEFAULT_PATH, *, update: bool = False,
          packages: list[str] | None = None, on_error: Callable[[str], None] = cat.print_to_stderr,
          progress: Callable[[str], None] = lambda _: None) -> Manifest:
    """Fetch, unpack and read every allowed package (or ``packages``); write and return
    the manifest. A package that fails is recorded as skipped, the others go on."""
    pins = manifest_file.read(manifest_path) if manifest_path.is_file() else Manifest({})
    names = sorted(packages or PACKAGES)
    unknown = [n for n in names if n not in PACKAGES]
    if unknown:
        raise TermbankError(f"not an allowed evidence package: {', '.join(unknown)}")
    cache.mkdir(parents=True, exist_ok=True)
    sources, apt = dict(pins.sources), Apt()
    for name in names:
        progress(name)
        pinned = None if update else pins.get(name)
        try:
            sources[name] = _fetch_one(cache, apt, name, pinned)
        except FetchError as exc:
            on_error(str(exc))
            sources[name] = Source(name, pinned.version if pinned else "",
                                   pinned.sha256 if pinned else "", PACKAGES[name].project,
                                   status=f"skipped: {str(exc).replace(f'{cache}/', '')}")
    manifest = Manifest({n: s for n, s in sources.items() if n in PACKAGES})
    manifest = _read_catalogues(cache, manifest, names, on_error)
    manifest_file.write(manifest, manifest_path)
    return manifest


class Apt:
    """apt's view of the archive; ``apt-get update`` runs once, and only when apt knows
    no version of ``firefox-esr`` (a run from pinned, cached .debs never asks apt)."""

    def __init__(self) -> None:
        self.ready = False

    def candidate(self, name: str) -> str | None:
        self._prepare()
        return self._policy_candidate(name)

    def archive_sha256(self, name: str, version: str) -> str | None:
        self._prepare()
        result = subprocess.run(["apt-cache", "show", f"{name}={version}"],
                                capture_output=True, text=True)
        for line in result.stdout.splitlines():
            if line.startswith("SHA256:"):
                return line.split(":", 1)[1].strip()
        return None

    def _prepare(self) -> None:
        if not self.ready:
            self.ready = True
            if self._policy_candidate(ENGLISH_SOURCES[0]) is None:
                subprocess.run(["apt-get", "update"], check=False, capture_output=True)

    @staticmethod
    def _policy_candidate(name: str) -> str | None:
        result = subprocess.run(["apt-cache", "policy", name], capture_output=True, text=True)
        for line in result.stdout.splitlines():
            key, _, value = line.strip().partition(":")
            if key == "Candidate" and value.strip() and value.strip() != "(none)":
                return value.strip()
        return None


def _fetch_one(cache: Path, apt: Apt, name: str, pinned: Source | None) -> Source:
    version = pinned.version if pinned and pinned.version else apt.candidate(name)
    if not version:
        raise FetchError(f"{name}: apt knows no version of this package (check the apt sources)")
    deb = cache / "debs" / f"{name}_{version.replace(':', '%3a')}.deb"
    expected = pinned.sha256 if pinned and pinned.version == version else ""
    digest = file_sha256(deb) or ""   # "" when it is not in the cache yet
    if not digest or (expected and digest != expected):
        _download(cache, apt, name, version, deb, expected)
        digest = file_sha256(deb) or ""
    if expected and digest != expected:
        raise FetchError(f"{deb}: sha256 {digest} differs from the pinned {expected}")
    _unpack(cache, name, version, deb)
    _drop_other_versions(cache, name, version)
    return Source(name, version, digest, PACKAGES[name].project, status="ok")


def _download(cache: Path, apt: Apt, name: str, version: str, deb: Path, expected: str) -> None:
    archive = apt.archive_sha256(name, version)
    if archive is None:
        hint = " (pinned version gone from the archive? re-pin with --update)" if expected else ""
        raise FetchError(f"{name}={version}: not downloadable{hint}")
    if expected and archive != expected:
        raise FetchError(f"{name}={version}: archive sha256 {archive} differs from the pinned {expected}")
    with tempfile.TemporaryDirectory(prefix=".download-", dir=cache) as tmp:
        result = subprocess.run(["apt-get", "download", f"{name}={version}"], cwd=tmp,
                                capture_output=True, text=True)
        got = list(Path(tmp).glob("*.deb"))
        if result.returncode != 0 or len(got) != 1:
            reason = (result.stderr.strip().splitlines() or ["no .deb written"])[-1]
            raise FetchError(f"{name}={version}: cannot download ({reason})")
        digest = file_sha256(got[0]) or ""
        if digest != archive:
            raise FetchError(f"{got[0].name}: sha256 {digest} differs from the archive's {archive}")
        deb.parent.mkdir(parents=True, exist_ok=True)
        os.replace(got[0], deb)


def _unpack(cache: Path, name: str, version: str, deb: Path) -> None:
    """Extract the catalogue files (bank languages, and omni.ja) of one .deb, once."""
    target = cat.tree(cache, name, version)
    if target.is_dir():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".unpack-", dir=target.parent) as tmp:
        staging = Path(tmp) / "tree"
        staging.mkdir()
        with subprocess.Popen(["dpkg-deb", "--fsys-tarfile", str(deb)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE) as dpkg:
            assert dpkg.stdout is not None and dpkg.stderr is not None  # both are PIPEs
            try:
                _extract(dpkg.stdout, staging)
                dpkg.stdout.read()  # the archive's padding, so dpkg-deb can finish writing
            except (tarfile.TarError, OSError) as exc:
                dpkg.kill()
                raise FetchError(f"{deb}: cannot unpack ({exc})") from None
            stderr = dpkg.stderr.read().decode(errors="replace").strip()
        if dpkg.returncode != 0:
            raise FetchError(f"{deb}: dpkg-deb failed ({stderr.splitlines()[-1] if stderr else dpkg.returncode})")
        os.replace(staging, target)


def _extract(stream, staging: Path) -> None:
    with tarfile.open(fileobj=stream, mode="r|") as tar:
        for member in tar:
            kind_locale = cat.catalogue_of(member.name)
            if not member.isfile() or kind_locale is None:
                continue
            kind, locale = kind_locale
            if kind == "english" or cat.in_bank_language(locale):
                tar.extract(member, staging, filter="data")


def _drop_other_versions(cache: Path, name: str, version: str) -> None:
    keep = cat.tree(cache, name, version)
    for folder in (keep.parent.iterdir() if keep.parent.is_dir() else []):
        if folder != keep and not folder.name.startswith("."):
            shutil.rmtree(folder)
    for deb in (cache / "debs").glob(f"{name}_*.deb"):
        if deb.name != f"{name}_{version.replace(':', '%3a')}.deb":
            deb.unlink()


def _read_catalogues(cache: Path, manifest: Manifest, names: list[str],
                     on_error: Callable[[str], None]) -> Manifest:
    """Fill each fetched package's catalogues, pair counts and skips into its row."""
    english = cat.EnglishSources(cache, manifest, on_error)
    sources = dict(manifest.sources)
    for name in names:
        source = sources[name]
        if source.status.startswith("skipped"):
            continue
        sources[name] = _described(cache, source, english, on_error)
    return Manifest(sources)


def _described(cache: Path, source: Source, english, on_error: Callable[[str], None]) -> Source:
    root = cat.tree(cache, source.package, source.version)
    found = cat.catalogues(root)
    if source.package in ENGLISH_SOURCES:
        files = sum(1 for c in found if c.kind == "english")
        return source.but(catalogues=f"en-US omni.ja({files})", status="english source")
    skipped: list[str] = []
    reported: list[str] = []

    def note(message: str) -> None:
        on_error(message)
        reported.append(message)
        skipped.append(message.replace(f"{root}/", "").replace(f"{cache}/", ""))

    per_tag = Counter(pair.tag for pair in cat.package_pairs(cache, source, english, note))
    status = "ok" if per_tag else "no catalogues in es/fr/pt"
    if found and not per_tag:
        status = "no pairs read"
    read = [c for c in found if not any(str(c.path) in message for message in reported)]
    empty = sorted({_tag_or_unknown(c.locale) for c in read} - set(per_tag) - {"unknown"})
    if per_tag and empty:
        status += f"; no pairs for {', '.join(empty)} (no translated entries)"
    if skipped:
        status += f"; skipped {len(skipped)}: " + " | ".join(skipped)
    return source.but(catalogues=_locales(found), status=status,
                      pairs=" ".join(f"{tag}:{n}" for tag, n in sorted(per_tag.items())))


def _locales(found: list[cat.Catalogue]) -> str:
    counts = Counter(c.locale for c in found if c.kind != "english")
    return " ".join(f"{loc}={_tag_or_unknown(loc)}({n})" for loc, n in sorted(counts.items()))


def _tag_or_unknown(locale: str) -> str:
    try:
        return cat.tag_of(locale)
    except LanguageTagError:
        return "unknown"

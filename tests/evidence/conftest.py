"""Small catalogues written here, byte by byte or with polib, and fixture pairs attested
against the fixture glossary and built into a real bank: never the real packages."""

from __future__ import annotations

import hashlib
import struct
import subprocess
import zipfile
from pathlib import Path

import polib
import pytest

from termbank import build, read_glossary
from termbank.evidence.attest import attest
from termbank.evidence.catalogues import Pair
from termbank.evidence.facts import write_tsv
from termbank.evidence.readers.qt import MAGIC


def write_mo(path: Path, entries: list[dict], *, po: bool = False) -> Path:
    """A gettext catalogue from polib entry keyword arguments."""
    catalogue = polib.POFile()
    catalogue.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    for fields in entries:
        catalogue.append(polib.POEntry(**fields))
    path.parent.mkdir(parents=True, exist_ok=True)
    (catalogue.save if po else catalogue.save_as_mofile)(str(path))
    return path


def _field(tag: int, data: bytes) -> bytes:
    return bytes([tag]) + struct.pack(">I", len(data)) + data


def qm_bytes(messages: list[tuple[str, str, list[str | None]]], *, language: str = "es") -> bytes:
    """A .qm file of (source, comment, translations) as lrelease lays them out."""
    body = b""
    for source, comment, translations in messages:
        for text in translations:
            body += (b"\x03\xff\xff\xff\xff" if text is None
                     else _field(3, text.encode("utf-16-be")))
        body += _field(8, comment.encode()) + _field(6, source.encode()) + _field(7, b"") + b"\x01"
    return (MAGIC + _field(0xA7, language.encode()) + _field(0x42, b"\0" * 8)
            + _field(0x69, body) + _field(0x88, b"\x01"))


def write_zip(path: Path, files: dict[str, str | bytes]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as zipped:
        for name, text in files.items():
            zipped.writestr(name, text)
    return path


ENGLISH_FTL = """\
-brand-short-name = Firefox
zoom-in = Zoom In
    .tooltip = Zoom in on the image
    .accesskey = I
open-file = Open { $name } in { -brand-short-name }
pixels = { $count ->
    [one] One pixel
   *[other] { $count } pixels
}
same = Firefox
"""
SPANISH_FTL = """\
-brand-short-name = Firefox
zoom-in = Acercar
    .tooltip = Acercar la imagen
    .accesskey = A
open-file = Abrir { $name } en { -brand-short-name }
pixels = { $count ->
    [one] Un píxel
   *[other] { $count } píxeles
}
same = Firefox
only-here = Solo en el paquete de idioma
"""
ENGLISH_PROPERTIES = "exposure=Exposure time\nexposure.accesskey=E\ngain=Gain\n"
SPANISH_PROPERTIES = "exposure=Tiempo de exposici\\u00f3n\nexposure.accesskey=T\ngain=Ganancia\n"
ENGLISH_DTD = '<!ENTITY stack.label "Z-stack">\n<!ENTITY stack.accesskey "Z">\n'
SPANISH_DTD = '<!ENTITY stack.label "Pila en Z">\n<!ENTITY stack.accesskey "P">\n'


def langpack(locale: str, *, broken_ftl: bool = False) -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {
        f"browser/localization/{locale}/browser/viewer.ftl": SPANISH_FTL,
        f"chrome/{locale}/locale/{locale}/global/camera.properties": SPANISH_PROPERTIES,
        f"chrome/{locale}/locale/{locale}/messenger/stack.dtd": SPANISH_DTD,
        "manifest.json": "{}",
    }
    if broken_ftl:
        files[f"localization/{locale}/toolkit/bad.ftl"] = b"zoom = \xff\xfe"
    return files


ENGLISH_OMNI = {
    "localization/en-US/browser/viewer.ftl": ENGLISH_FTL,
    "chrome/en-US/locale/en-US/global/camera.properties": ENGLISH_PROPERTIES,
}
ENGLISH_OMNI_TOOLKIT = {"chrome/en-US/locale/en-US/messenger/stack.dtd": ENGLISH_DTD}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build_deb(root: Path, package: str, version: str, files: dict[str, bytes], out: Path) -> Path:
    """A real .deb (dpkg-deb --build) holding ``files``; the shape fetch reads."""
    staging = root / f"{package}-staging"
    (staging / "DEBIAN").mkdir(parents=True)
    (staging / "DEBIAN" / "control").write_text(
        f"Package: {package}\nVersion: {version}\nArchitecture: all\n"
        "Maintainer: termbank tests <tests@example.org>\nDescription: test fixture\n")
    for name, data in files.items():
        path = staging / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    out.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["dpkg-deb", "--root-owner-group", "--build", str(staging), str(out)],
                   check=True, capture_output=True)
    return out


@pytest.fixture
def cache(tmp_path) -> Path:
    return tmp_path / "cache"

# Attestations ----------------------------------------------------------------------------

GLOSSARY = Path(__file__).resolve().parents[1] / "data" / "glossary"



FIREFOX_MX = ("Firefox", "firefox-esr-l10n-es-mx", "128.5.0esr-1")
FIREFOX_ES = ("Firefox", "firefox-esr-l10n-es-es", "128.5.0esr-1")
THUNDERBIRD_MX = ("Thunderbird", "thunderbird-l10n-es-mx", "1:128.5.0esr-1")
THUNDERBIRD_ES = ("Thunderbird", "thunderbird-l10n-es-es", "1:128.5.0esr-1")
LIBREOFFICE_ES = ("LibreOffice", "libreoffice-l10n-es", "4:7.4.7-1")
STELLARIUM = ("Stellarium", "stellarium-data", "0.22.2-1")
SIRIL = ("Siril", "siril-common", "1.0.6-1")


def pairs_of(origin: tuple[str, str, str], tag: str, *texts: tuple[str, str]) -> list[Pair]:
    return [Pair(*origin, tag, source, target) for source, target in texts]


PAIRS = [
    # "archivo" (es): labels in Mozilla (Firefox, Thunderbird) and LibreOffice: two communities
    *pairs_of(FIREFOX_MX, "es-MX", ("File", "Archivo"), ("File", "Archivo"), ("Files", "Archivos")),
    *pairs_of(THUNDERBIRD_MX, "es-MX", ("&File", "&Archivo"), ("File:", "Archivo:")),
    *pairs_of(LIBREOFFICE_ES, "es", ("~File", "~Archivo")),
    # "fichero" (es-ES): Firefox and Thunderbird only, one community
    *pairs_of(FIREFOX_ES, "es-ES", ("File", "Fichero"), ("File", "Fichero")),
    *pairs_of(THUNDERBIRD_ES, "es-ES", ("File", "Fichero")),
    # "deconvolución": one project's label, and another's sentence (support does not count)
    *pairs_of(SIRIL, "es", ("Deconvolution", "Deconvolución"),
              ("Apply the deconvolution to the image", "Aplicar la deconvolución a la imagen")),
    *pairs_of(STELLARIUM, "es", ("Run a deconvolution", "Ejecutar una deconvolución")),
    # Mexican translators say "zoom" for magnification: "aumento" is contradicted in es-MX
    *pairs_of(FIREFOX_MX, "es-MX", ("Magnification", "Zoom"), ("Magnification", "Zoom"),
              ("Magnification…", "Zoom…")),
    # labels of a synonym say how "picture element" is rendered, not "pixel": no contradiction
    *pairs_of(FIREFOX_MX, "es-MX", *[("Picture elements", "Elementos de imagen")] * 3),
    # sentences: one supports "aumento", one uses none of the bank's terms
    *pairs_of(STELLARIUM, "es", ("Change the magnification of the eyepiece",
                                 "Cambiar el aumento del ocular"),
              ("The magnification is too high", "La ampliación es demasiado alta")),
    # a string with no term, a label translated by a sentence, a tag outside the bank
    *pairs_of(STELLARIUM, "es", ("Sky culture", "Cultura del cielo"),
              ("Pixel", "Cada uno de los puntos que forman la imagen en la pantalla del equipo")),
    Pair("Stellarium", "stellarium-data", "0.22.2-1", "de", "Pixel", "Pixel"),
    # do-not-translate names are left out
    *pairs_of(SIRIL, "es", ("Fiji", "Fiji")),
]


@pytest.fixture(scope="session")
def concepts():
    return list(read_glossary(GLOSSARY))


@pytest.fixture(scope="session")
def attested(concepts):
    return attest(concepts, PAIRS)


@pytest.fixture(scope="session")
def attestations_file(attested, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("evidence") / "attestations.tsv"
    write_tsv(path, attested[0])
    return path


@pytest.fixture(scope="session")
def evidence_bank_path(attestations_file, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("evidence-bank") / "termbank.db"
    build(GLOSSARY, path, evidence=attestations_file)
    return path


@pytest.fixture
def evidence_bank(evidence_bank_path):
    from termbank import Bank

    with Bank(evidence_bank_path) as bank:
        yield bank

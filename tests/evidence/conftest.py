"""Fixture pairs written for these tests (not the real packages), attested against the
fixture glossary and built into a real bank."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from termbank import build, read_glossary
from termbank.evidence.attest import attest
from termbank.evidence.facts import write_tsv

GLOSSARY = Path(__file__).resolve().parents[1] / "data" / "glossary"


@dataclass(frozen=True, slots=True)
class Pair:
    project: str
    package: str
    version: str
    tag: str
    source: str
    target: str


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


@pytest.fixture(scope="session")
def tbx_schema():
    """TBX-Basic's RELAX NG schema ($TERMBANK_TBX_RNG); a missing schema fails, never skips."""
    import os

    from lxml import etree

    default = GLOSSARY.parents[3] / "shared" / "reference" / "tbx-basic" / "TBX-Basic_integrated.rng"
    path = Path(os.environ.get("TERMBANK_TBX_RNG") or default)
    assert path.is_file(), f"TBX-Basic schema not found at {path}: set TERMBANK_TBX_RNG"
    return etree.RelaxNG(etree.parse(str(path)))

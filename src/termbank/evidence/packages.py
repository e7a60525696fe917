"""The Debian packages evidence may come from, and only these.

Issue 12 names them; other software catalogues are kept aside to evaluate
the bank independently, so adding a package here is a decision, not a
convenience. ``english`` names the package holding the English text a
language pack is aligned with; ``mnemonic`` lists the marks the project's UI
strings use for keyboard mnemonics (GTK ``_``, Qt/KDE/wx ``&``, LibreOffice
``~`` and ``_``; Mozilla keeps access keys in separate messages).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Package:
    name: str
    project: str
    mnemonic: str = ""
    english: str | None = None


def _mozilla(app: str, project: str, locales: str) -> list[Package]:
    return [Package(f"{app}-l10n-{locale}", project, english=app) for locale in locales.split()]


ENGLISH_SOURCES = ("firefox-esr", "thunderbird")

PACKAGES: dict[str, Package] = {
    p.name: p
    for p in [
        Package("firefox-esr", "Firefox"),
        *_mozilla("firefox-esr", "Firefox", "es-ar es-cl es-es es-mx fr pt-br pt-pt"),
        Package("thunderbird", "Thunderbird"),
        *_mozilla("thunderbird", "Thunderbird", "es-ar es-es es-mx fr pt-br pt-pt"),
        *(Package(f"libreoffice-l10n-{x}", "LibreOffice", "~_") for x in ("es", "fr", "pt", "pt-br")),
        Package("stellarium-data", "Stellarium", "&"),
        Package("kstars-data", "KStars", "&"),
        Package("siril-common", "Siril", "_"),
        Package("invesalius", "InVesalius", "&"),
        Package("labplot", "LabPlot", "&"),
        Package("pspp", "PSPP", "_"),
        Package("libgphoto2-l10n", "libgphoto2"),
        Package("blender-data", "Blender"),
        Package("veusz", "Veusz", "&"),
        Package("amide", "AMIDE", "_"),
        Package("gthumb-data", "gThumb", "_"),
        Package("shotwell-common", "Shotwell", "_"),
        Package("gnome-photos", "GNOME Photos", "_"),
    ]
}

# The bank's languages: catalogues in any other language are not unpacked.
LANGUAGES = ("es", "fr", "pt")

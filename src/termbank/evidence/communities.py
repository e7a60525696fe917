"""Which projects share their translators, so that they count once as evidence.

A term reaches reliability 2 only when two *independent* translation
communities use it (``model.Term.evidenced``). Projects translated by one
community (the same per-language team, its shared glossary and often shared
strings) repeat one decision rather than confirm it:

- Firefox and Thunderbird are both Mozilla: the same locale teams translate
  them in one tool (Pontoon), with shared string files;
- KStars and LabPlot are KDE applications, translated by KDE's teams;
- gThumb, Shotwell and GNOME Photos are translated by GNOME's teams;
- PSPP and libgphoto2 are translated through the Translation Project.

Every other project is its own community.
"""

from __future__ import annotations

FAMILIES = {
    "Mozilla": ("firefox", "thunderbird"),
    "KDE": ("kstars", "labplot"),
    "GNOME": ("gthumb", "shotwell", "gnome photos", "gnome-photos"),
    "Translation Project": ("pspp", "libgphoto2"),
}
_FAMILY_OF = {name: family for family, names in FAMILIES.items() for name in names}


def family(project: str) -> str:
    """The translation community of ``project`` (the project itself when it has its own)."""
    return _FAMILY_OF.get(project.strip().casefold(), project)

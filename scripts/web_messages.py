"""Update the web interface's gettext catalogues from the code, and compile them.

Extracts every ``_()``, ``N_()`` and ``ngettext()`` string of
``src/termbank/web`` (Python and templates), merges them into
``src/termbank/web/locales/<ll>/LC_MESSAGES/termbank_web.po`` for en, es, fr
and pt (new strings arrive untranslated, vanished ones are dropped), and
writes the ``.mo`` beside each. Dates are pinned so the files change only
when the messages do. ``--check`` writes nothing and exits 1 when a catalogue
is out of date or a string lacks its translation (tests/web run the same check).

    python scripts/web_messages.py [--check]
"""

from __future__ import annotations

import argparse
import io
import sys
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

WEB = Path(__file__).resolve().parent.parent / "src" / "termbank" / "web"
LOCALES = WEB / "locales"
DOMAIN = "termbank_web"
LANGUAGES = ("en", "es", "fr", "pt")
PINNED = datetime(2026, 1, 1, tzinfo=UTC)
METHODS = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def template() -> Catalog:
    """Every message of the interface, as the code has it now."""
    catalog = Catalog(domain=DOMAIN, project="termbank", creation_date=PINNED, fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
            WEB, METHODS, keywords=KEYWORDS, strip_comment_tags=True):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def merged(language: str, messages: Catalog) -> Catalog:
    path = LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if path.exists():
        with path.open("rb") as fp:
            catalog = read_po(fp, locale=language, domain=DOMAIN)
    else:
        catalog = Catalog(locale=language, domain=DOMAIN, project="termbank", fuzzy=False)
    catalog.update(messages, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    if language == "en":  # the messages are English: the catalogue says so, for every one
        for message in catalog:
            if message.id:
                message.string = message.id
    catalog.creation_date = catalog.revision_date = PINNED
    catalog.fuzzy = False
    catalog.header_comment = (f"# The termbank web interface in {language}.\n"
                              "# Updated by scripts/web_messages.py: translate the msgstr lines.")
    catalog.copyright_holder = catalog.last_translator = "termbank contributors"
    catalog.msgid_bugs_address = ""
    catalog.language_team = f"{language} <termbank contributors>"
    return catalog


def entries(catalog: Catalog) -> dict:
    """The translations a catalogue holds, ignoring its header (which names the babel version)."""
    def flat(value):
        return tuple(value) if isinstance(value, (list, tuple)) else value

    return {(flat(m.id), m.context): flat(m.string) for m in catalog
            if m.id and all(flat(m.string) if isinstance(flat(m.string), tuple) else [m.string])}


def po_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=100, sort_output=True, include_lineno=False)
    return out.getvalue()


def mo_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def stale(folder: Path, catalog: Catalog) -> list[str]:
    """The committed .po and .mo that differ from what the code and the .po say."""
    wanted = entries(catalog)
    problems = []
    for name, reader in ((f"{DOMAIN}.po", read_po), (f"{DOMAIN}.mo", read_mo)):
        path = folder / name
        if not path.exists():
            problems.append(f"{path}: missing; run scripts/web_messages.py")
            continue
        with path.open("rb") as fp:
            if entries(reader(fp)) != wanted:
                problems.append(f"{path}: out of date; run scripts/web_messages.py")
    return problems


def untranslated(language: str, catalog: Catalog) -> list[str]:
    """Messages without a translation."""
    missing = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    problems = []
    for language in LANGUAGES:
        catalog = merged(language, template())  # a fresh template: merging adopts its messages
        folder = LOCALES / language / "LC_MESSAGES"
        if args.check:
            problems += stale(folder, catalog)
            continue
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{DOMAIN}.po").write_bytes(po_bytes(catalog))
        (folder / f"{DOMAIN}.mo").write_bytes(mo_bytes(catalog))
        problems += [f"{language}: no translation for {m!r}" for m in untranslated(language, catalog)]
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

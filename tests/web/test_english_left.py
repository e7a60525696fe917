"""No English left on a Spanish, French or Portuguese page, except terms and data.

The words that betray English are those of the interface's English messages (the UI
catalogues) that no Spanish, French or Portuguese message uses. Each page's visible text is
scanned for them, leaving out what the page marks as another language (``lang="en"`` on an
English term or note) and code; glossary text (terms, definitions, notes in any language) is
data, so its words are not counted either."""

from __future__ import annotations

import re
import sqlite3

import pytest
from babel.messages.pofile import read_po

from termbank.web.interface import LOCALES

from .conftest import actor_cookie, propose
from .pages import parse

pytestmark = pytest.mark.asyncio
WORD = re.compile(r"[^\W\d_]{3,}")
PAGES = ["/-/lookup", "/-/lookup?q=umbralización&to={dialect}", "/-/lookup?q=xyzzyq",
         "/-/concept/point-spread-function?to={dialect}", "/-/concept/objective-lens?to={dialect}",
         "/-/concept/image-file?to={dialect}", "/-/dialects?family={family}",
         "/-/dialects?family={family}&field=acquisition", "/-/propose",
         "/-/propose?concept=pixel&to={dialect}", "/-/signin", "/-/review", "/-/proposal/1",
         "/-/discuss/pixel/{dialect}", "/-/export/deepl", "/-/concept/no-such-concept"]


def words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(text)}


def catalogue_words(language: str, side: str) -> set[str]:
    with (LOCALES / language / "LC_MESSAGES" / "termbank_web.po").open("rb") as fp:
        catalogue = read_po(fp)
    found: set[str] = set()
    for message in catalogue:
        texts = message.id if side == "id" else message.string
        for text in (texts if isinstance(texts, tuple | list) else [texts]):
            found |= words(re.sub(r"\{\w+\}|%\(\w+\)[sd]", " ", text or ""))
    return found


@pytest.fixture(scope="module")
def english_only() -> set[str]:
    """Words of the English messages that no translated message uses."""
    translated = set().union(*(catalogue_words(code, "string") for code in ("es", "fr", "pt")))
    return catalogue_words("en", "id") - translated


def glossary_words(bank_path) -> set[str]:
    conn = sqlite3.connect(bank_path)
    found: set[str] = set()
    for sql in ("SELECT text FROM terms", "SELECT note FROM terms", "SELECT text FROM definitions",
                "SELECT text FROM notes"):
        for (text,) in conn.execute(sql):
            found |= words(text or "")
    conn.close()
    return found


def visible_text(html: str, ui: str) -> str:
    root = parse(html)
    for element in root.xpath("//script | //style | //code | //*[@lang]"):
        other = not (element.get("lang") or "").startswith(ui)
        if element is not root and (element.tag in ("script", "style", "code") or other):
            element.drop_tree()
    for title in root.xpath("//*[@title]"):      # tooltips are read too
        title.tail = f" {title.get('title')} {title.tail or ''}"
    return root.text_content()


@pytest.mark.parametrize("ui, dialect", [("es", "es-MX"), ("fr", "fr-CA"), ("pt", "pt-PT")])
async def test_no_english_words_outside_terms_and_data(ds, bank_path, english_only, ui, dialect):
    assert len(english_only) > 200            # the scan has words to look for
    await propose(ds, concept="pixel", tag=dialect, term="píxel de prueba")
    data = glossary_words(bank_path)
    cookies = {**actor_cookie(ds, "ana"), "termbank_lang": ui}
    leaks = {}
    for path in PAGES:
        url = path.format(dialect=dialect, family=dialect.split("-")[0])
        html = (await ds.client.get(url, cookies=cookies)).text
        found = (words(visible_text(html, ui)) & english_only) - data
        if found:
            leaks[url] = sorted(found)
    assert leaks == {}, "\n".join(f"{url}: {found}" for url, found in leaks.items())


async def test_the_scan_finds_english_when_it_is_there(english_only):
    """The same scan on an English page finds the interface's words (so it can fail)."""
    page = '<html lang="es"><body><p>Propose a term in this dialect</p></body></html>'
    assert {"propose", "dialect"} <= words(visible_text(page, "es")) & english_only

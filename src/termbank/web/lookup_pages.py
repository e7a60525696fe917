"""The pages everyone reads: the lookup page and its JSON, concept cards, downloads.

Matching is the library's (``Bank.lookup``): the page and ``/-/lookup.json``
answer exactly what ``termbank lookup`` does, plus approved proposals.
"""

from __future__ import annotations

from datasette.utils.asgi import AsgiFileDownload

from .. import langtags
from ..bank import OpenBank
from ..errors import TermbankError
from ..lookup import Answer, Match
from .interface import (
    DIALECTS,
    Refusal,
    default_dialect,
    json_response,
    page,
    render,
    translator,
    ui_language,
)
from .site import Site


def tag_argument(value: str | None, name: str) -> str | None:
    """A language tag from the query string, normalised; a malformed one is a 400."""
    if not value:
        return None
    try:
        return langtags.normalize(value)
    except TermbankError as exc:
        raise Refusal(400, f"{name}: {exc}", name) from None


def reliability_argument(request) -> int:
    raw = request.args.get("min_reliability") or "1"
    if raw not in ("1", "2", "3", "4"):
        raise Refusal(400, "min_reliability: give 1, 2, 3 or 4 (IATE's scale)", "min_reliability")
    return int(raw)


@page
async def lookup_json(request, datasette):
    """``/-/lookup.json?q=TEXT&to=TAG``: byte for byte what ``termbank lookup --json`` prints."""
    text = request.args.get("q", "")
    if not text.strip():
        raise Refusal(400, "q: give the text to look up, e.g. ?q=PSF&to=es-MX", "q")
    source = tag_argument(request.args.get("from"), "from")
    targets = [tag_argument(t, "to") for t in request.args.getlist("to") if t] or None
    minimum = reliability_argument(request)
    matches = await Site.of(datasette).read(lambda bank: bank.lookup(text, source, targets, minimum))
    return json_response([m.to_json() for m in matches],
                         headers={"access-control-allow-origin": "*"})


@page
async def lookup_page(request, datasette):
    """``/-/lookup?q=TEXT&to=TAG``: a search box, a dialect picker and a card per concept."""
    site = Site.of(datasette)
    text = request.args.get("q", "").strip()
    dialect = tag_argument(request.args.get("to"), "to") or default_dialect(request)
    minimum = reliability_argument(request)

    def search(bank):
        dialects = dialect_choices(bank, dialect)
        if not text:
            return dialects, [], []
        found = bank.lookup(text, None, dialects, minimum)
        return dialects, found, ([] if found else bank.suggest(text))

    dialects, matches, suggestions = await site.read(search)
    return await render(datasette, request, "termbank_lookup.html", {
        "q": text, "dialect": dialect, "dialects": dialects, "min_reliability": minimum,
        "cards": [card(m, dialect, dialects, ui_language(request)) for m in matches],
        "suggestions": suggestions, "downloads": downloads(dialect),
        "proposals_open": site.proposals_path is not None, "writer": site.writer or ""})


@page
async def concept_page(request, datasette):
    """``/-/concept/ID?to=TAG``: one concept's card, every dialect side by side."""
    site = Site.of(datasette)
    concept_id = request.url_vars["concept"]
    dialect = tag_argument(request.args.get("to"), "to") or default_dialect(request)

    def find(bank):
        dialects = dialect_choices(bank, dialect)
        if not bank.concept_exists(concept_id):
            return dialects, None
        term = bank.english_term(concept_id) or concept_id
        match = next((m for m in bank.lookup(term, "en", dialects) if m.concept == concept_id),
                     None)
        return dialects, match

    dialects, match = await site.read(find)
    if match is None:
        _ = translator(request)
        raise Refusal(404, _("There is no concept with the id {id}.").format(id=concept_id))
    return await render(datasette, request, "termbank_concept.html", {
        "card": card(match, dialect, dialects, ui_language(request)), "dialect": dialect,
        "dialects": dialects, "downloads": downloads(dialect), "q": "",
        "min_reliability": 1, "proposals_open": site.proposals_path is not None,
        "writer": site.writer or ""})


def dialect_choices(bank: OpenBank, chosen: str) -> list[str]:
    """The chosen dialect, the usual ones and every tag of the bank, each once, sorted."""
    return sorted(set(DIALECTS) | set(bank.tags) | {chosen})


def card(match: Match, dialect: str, dialects: list[str], ui: str) -> dict:
    """What a concept card shows, from a lookup match: the chosen dialect's answer first, then
    every other dialect's answer (own or inherited) side by side, grouped by language."""
    language = langtags.language(dialect)
    others: dict[str, list[tuple[str, list[Answer]]]] = {}
    for tag in dialects:
        if tag != dialect and tag != "en":
            others.setdefault(langtags.language(tag), []).append((tag, match.translations[tag]))
    definitions = [(tag, match.definitions[tag]) for tag in dict.fromkeys(("en", language, ui))
                   if tag in match.definitions]
    return {"match": match, "english": match.english, "answers": match.translations.get(dialect, []),
            "others": sorted(others.items(), key=lambda item: item[0] != language),
            "definitions": definitions, "notes": sorted(match.notes.items())}


def downloads(dialect: str) -> list[dict]:
    """Download links for the chosen dialect, one per export format (when exports exist)."""
    try:
        from ..formats import FORMATS
    except ImportError:
        return []
    return [{"name": f.name, "title": f.title, "extension": f.extension,
             "href": f"/-/export/{f.name}?to={dialect}"}
            for f in FORMATS.values() if f.write is not None]


@page
async def export_download(request, datasette):
    """``/-/export/FORMAT?to=TAG``: the bank in an export format, built once per bank version."""
    from ..atomic import write_atomically
    from ..exporting import ExportOptions
    from ..formats import FORMATS

    site = Site.of(datasette)
    fmt = FORMATS.get(request.url_vars["format"])
    writer = fmt.write if fmt is not None else None
    if fmt is None or writer is None:
        raise Refusal(404, f"no export format {request.url_vars['format']!r}")
    tags = tuple(tag for t in request.args.getlist("to") if (tag := tag_argument(t, "to")))
    options = ExportOptions(targets=tags)

    def build(bank):
        path = site.export_path(fmt.name, options.targets, fmt.extension, bank.decisions_seen())
        if not path.exists():
            glossary = bank.glossary()
            if fmt.bilingual:
                options.single_target(glossary, fmt.name)  # refuses before writing anything
            write_atomically(path, lambda fp: writer(fp, glossary, options))
            site.exports.added(path)
        return path

    path = await site.read(build)
    name = "termbank" + "".join(f"-{t}" for t in options.targets) + f".{fmt.extension}"
    return AsgiFileDownload(str(path), filename=name, content_type=fmt.media_type)

"""The pages everyone reads: the lookup page and its JSON, concept cards, downloads.

Matching is the library's (``Bank.lookup``): the page and ``/-/lookup.json``
answer exactly what ``termbank lookup`` does, plus approved proposals.
"""

from __future__ import annotations

from datasette.utils.asgi import AsgiFileDownload

from .. import langtags
from ..bank import OpenBank
from ..errors import TermbankError
from ..lookup import Match, translations
from .cards import card, title
from .interface import (
    DIALECTS,
    Refusal,
    default_dialect,
    json_response,
    page,
    render,
    translator,
    ui_language,
    wants_json,
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


SUGGESTIONS = 10


def suggestions(bank: OpenBank, text: str, limit: int = SUGGESTIONS) -> list[dict]:
    """Terms of any language whose words start like the typed ones, from the FTS index
    (diacritics ignored), shortest first: what the lookup box offers while typing."""
    words = [w.replace('"', "") for w in text.split()]
    query = " ".join(f'"{w}"*' for w in words if w)
    if not query:
        return []
    rows = bank.conn.execute(
        "SELECT t.text, t.tag, t.concept_id FROM terms_fts JOIN terms t ON t.rowid = terms_fts.rowid "
        "WHERE terms_fts MATCH ? AND t.status IN ('preferred', 'admitted') "
        "ORDER BY length(t.text), t.text, t.tag LIMIT ?", [query, limit * 3]).fetchall()
    seen: dict[str, dict] = {}
    for text_, tag, concept in rows:
        seen.setdefault(text_, {"term": text_, "tag": tag, "concept": concept})
    return list(seen.values())[:limit]


@page
async def suggest_json(request, datasette):
    """``/-/suggest.json?q=TEXT``: up to ten terms for the lookup box's search as you type."""
    text = request.args.get("q", "").strip()
    if len(text) > 200:
        raise Refusal(400, "q: at most 200 characters", "q")
    found = await Site.of(datasette).read(lambda bank: suggestions(bank, text))
    return json_response(found, headers={"cache-control": "public, max-age=300"})


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
            return dialects, [], [], {}
        found = bank.lookup(text, None, dialects, minimum)
        return (dialects, found, ([] if found else bank.suggest(text)),
                related_names(bank, found, dialect))

    dialects, matches, suggestions, names = await site.read(search)
    ui = ui_language(request)
    return await render(datasette, request, "termbank_lookup.html", {
        "q": text, "dialect": dialect, "dialects": dialects, "min_reliability": minimum,
        "cards": [card(m, dialect, dialects, ui, names) for m in matches],
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
            return dialects, None, {}
        term = bank.english_term(concept_id) or concept_id
        match = next((m for m in bank.lookup(term, "en", dialects) if m.concept == concept_id),
                     None)
        return dialects, match, related_names(bank, [match] if match else [], dialect)

    dialects, match, names = await site.read(find)
    if match is None:
        _ = translator(request)
        raise Refusal(404, _("There is no concept with the id {id}.").format(id=concept_id))
    return await render(datasette, request, "termbank_concept.html", {
        "card": card(match, dialect, dialects, ui_language(request), names), "dialect": dialect,
        "dialects": dialects, "downloads": downloads(dialect), "q": "",
        "min_reliability": 1, "proposals_open": site.proposals_path is not None,
        "writer": site.writer or ""})


def dialect_choices(bank: OpenBank, chosen: str) -> list[str]:
    """The chosen dialect, the usual ones and every tag of the bank, each once, sorted."""
    return sorted(set(DIALECTS) | set(bank.tags) | {chosen})


def related_names(bank: OpenBank, matches: list[Match], dialect: str) -> dict[str, str]:
    """Each related concept's term in the dialect, for the cards' links (one query for all)."""
    ids = sorted({r["concept"] for m in matches for r in m.related})
    if not ids:
        return {}
    answers = translations(bank, ids, [dialect])
    return {cid: name for cid in ids if (name := title(answers[cid][dialect]))}


def downloads(dialect: str) -> list[dict]:
    """Download links for the chosen dialect, one per export format (when exports exist)."""
    try:
        from ..formats import FORMATS
    except ImportError:
        return []
    return [{"name": f.name, "title": f.title, "extension": f.extension,
             "href": f"/-/export/{f.name}?to={dialect}"}
            for f in FORMATS.values() if f.write is not None]


async def choose_a_dialect(request, datasette, site, fmt):
    """A bilingual export asked for without one dialect: say so in the interface's language and
    link the download in each dialect (a script asking for JSON gets the refusal as JSON)."""
    _ = translator(request)
    message = _("The {format} download holds one dialect: choose which.").format(format=fmt.name)
    if wants_json(request):
        raise Refusal(400, message, "to")
    dialects = await site.read(lambda bank: [t for t in dialect_choices(bank, "en") if t != "en"])
    return await render(datasette, request, "termbank_export.html", {
        "format": fmt, "message": message, "dialects": dialects,
        "links": [(t, f"/-/export/{fmt.name}?to={t}") for t in dialects]}, status=400)


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
    if fmt.bilingual and len(tags) != 1:
        return await choose_a_dialect(request, datasette, site, fmt)
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

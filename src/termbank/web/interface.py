"""The pages' own language, and how a page or a refusal reaches the browser or a script.

The interface speaks English, Spanish, French and Portuguese from gettext
catalogues in ``locales/`` (domain ``termbank_web``), chosen by ``?ui=``
(remembered in a cookie), else the browser's Accept-Language. Translations
are passed to each template as ``_`` rather than installed globally, because
Datasette renders templates concurrently for visitors in different languages.
"""

from __future__ import annotations

import functools
import gettext
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from datasette.utils.asgi import Response

from .. import langtags
from ..errors import TermbankError
from ..proposals import ProposalError

UI_LANGUAGES = ("en", "es", "fr", "pt")
DOMAIN = "termbank_web"
LOCALES = Path(__file__).parent / "locales"
LANG_COOKIE = "termbank_lang"
UI_PARAMETER = "ui"   # the interface's language; ``to`` is always a dialect of the bank


def N_(message: str) -> str:
    """Marks a string for the catalogues where it is defined; translated where it is shown."""
    return message


STATUS_LABELS = {"preferred": N_("preferred"), "admitted": N_("admitted"),
                 "deprecated": N_("deprecated"), "forbidden": N_("forbidden")}
RELIABILITY_LABELS = {1: N_("not verified"), 2: N_("minimum reliability"), 3: N_("reliable"),
                      4: N_("very reliable")}
REVIEW_LABELS = {"draft": N_("draft"), "reviewed": N_("reviewed")}
STATE_LABELS = {"pending": N_("pending"), "approved": N_("approved"), "rejected": N_("rejected"),
                "submitted": N_("submitted"), "confirmed": N_("confirmed")}
REASON_LABELS = {"calque": N_("calque"), "false friend": N_("false friend"),
                 "obsolete": N_("obsolete"), "regional only": N_("regional only"),
                 "nonstandard": N_("nonstandard"), "misspelling": N_("misspelling")}
# The subject fields' titles (termbank.fields) for the catalogues: the glossary has no
# translations of its own for them; tests check these keys and titles against fields.py.
FIELD_LABELS = {
    "optics": N_("Optics and microscope hardware"),
    "modalities": N_("Contrast methods and modalities"),
    "fluorescence": N_("Fluorescence and labelling"),
    "sample-preparation": N_("Sample preparation"),
    "acquisition": N_("Detectors, cameras and acquisition"),
    "image-data": N_("Image data, metadata and file formats"),
    "processing": N_("Image processing and filtering"),
    "segmentation": N_("Segmentation"),
    "measurement": N_("Measurement, quantification and statistics"),
    "tracking": N_("Time-lapse and tracking"),
    "machine-learning": N_("Machine learning for images"),
    "software": N_("Software, scripting and workflows"),
    "data-management": N_("Data management, FAIR and quality control"),
}
# The download formats' titles (termbank.formats) for the catalogues; a format missing here is
# described in English, marked as such. Tests check these against the formats' own titles.
FORMAT_TITLES = {
    "po": N_("gettext PO catalogue: msgid English term, msgstr the dialect's term"),
    "mo": N_("gettext MO binary catalogue, for programs"),
    "tbx": N_("TBX 2019 (ISO 30042, TBX-Basic): every language, status and note"),
    "tbx2008": N_("TBX 2008 <martif> for older CAT tools"),
    "tmx": N_("TMX 1.4b translation memory: one unit per concept and dialect"),
    "csv": N_("CSV for spreadsheets: one row per term, every field"),
    "tsv": N_("TSV for spreadsheets: one row per term, every field"),
    "omegat": N_("OmegaT glossary: source, target, comment"),
    "deepl": N_("DeepL glossary entries (TSV), one dialect per glossary"),
    "google": N_("Google Cloud Translation unidirectional glossary (CSV)"),
    "google-sets": N_("Google Cloud Translation equivalent term sets (CSV)"),
    "aws": N_("Amazon Translate custom terminology (CSV, language-code header)"),
    "azure": N_("Azure Custom Translator phrase dictionary (zip of aligned files)"),
    "llm": N_("Markdown glossary table for an LLM translation prompt"),
    "llm-json": N_("JSON glossary list for an LLM translation prompt"),
}
# The mark each status gets in a term's trust marker (its words are in the tooltip and legend).
STATUS_MARKS = {"preferred": "★", "admitted": "☆", "deprecated": "⚠", "forbidden": "⛔"}
LANGUAGE_NAMES = {"en": "English", "es": "español", "fr": "français", "pt": "português"}
# Offered in the dialect picker and compared side by side on every card, besides
# the bank's own tags; each is answered through its CLDR fallback chain.
DIALECTS = ("es", "es-419", "es-MX", "es-AR", "es-CO", "es-ES", "fr", "fr-FR", "fr-CA", "fr-BE",
            "pt", "pt-BR", "pt-PT", "en")


class Refusal(Exception):
    """A request refused with an HTTP status and a message meant for the person who sent it."""

    def __init__(self, status: int, message: str, field: str | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field

    @classmethod
    def of(cls, exc: TermbankError) -> Refusal:
        if isinstance(exc, ProposalError):
            return cls(exc.status, str(exc), exc.field)
        return cls(400, str(exc))


@functools.lru_cache(maxsize=len(UI_LANGUAGES))
def translations(language: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, LOCALES, languages=[language], fallback=True)


def accepted(request) -> list[str]:
    """The Accept-Language tags, most wanted first (q-values honoured, malformed ones dropped)."""
    ranked = []
    for position, part in enumerate(request.headers.get("accept-language", "").split(",")):
        tag, _, params = part.strip().partition(";")
        try:
            quality = float(params.strip()[2:]) if params.strip().startswith("q=") else 1.0
        except ValueError:
            continue
        if tag and tag != "*":
            ranked.append((-quality, position, tag))
    return [tag for _, _, tag in sorted(ranked)]


def ui_language(request) -> str:
    """``?ui=``, else the remembered choice, else Accept-Language, else English."""
    for candidate in (request.args.get(UI_PARAMETER), request.cookies.get(LANG_COOKIE),
                      *accepted(request)):
        primary = langtags.language_or_none(candidate)
        if primary in UI_LANGUAGES:
            return primary
    return "en"


def default_dialect(request) -> str:
    """The dialect a lookup page highlights when none is chosen: the visitor's first
    non-English Accept-Language tag (``es-MX``), else general Spanish."""
    for tag in accepted(request):
        try:
            normal = langtags.normalize(tag)
        except TermbankError:
            continue
        if langtags.language(normal) != "en":
            return normal
    return "es"


def translator(request) -> Callable[[str], str]:
    """The visitor's ``gettext``, for messages a view writes itself."""
    return translations(ui_language(request)).gettext


def wants_json(request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def context(request) -> dict:
    """What every termbank template receives: the translator and the label tables."""
    language = ui_language(request)
    catalogue = translations(language)
    return {"_": catalogue.gettext, "ngettext": catalogue.ngettext, "ui_language": language,
            "language_links": language_links(request), "status_labels": STATUS_LABELS,
            "reliability_labels": RELIABILITY_LABELS, "review_labels": REVIEW_LABELS,
            "state_labels": STATE_LABELS, "reason_labels": REASON_LABELS,
            "tag_name": tag_name, "language_name": functools.partial(language_name, in_tag=language),
            "field_labels": FIELD_LABELS, "format_titles": FORMAT_TITLES,
            "status_marks": STATUS_MARKS,
            "text_direction": text_direction(language),
            "dialects": DIALECTS, "dialect": default_dialect(request),
            "q": ""}


@functools.cache
def text_direction(language: str) -> str:
    """``ltr`` or ``rtl`` for a language of the interface, as CLDR writes it."""
    from babel import Locale

    return "rtl" if Locale(language).character_order == "right-to-left" else "ltr"


def language_links(request) -> list[tuple[str, str, str]]:
    """(code, name, URL) per interface language: this page again, in that language."""
    links = []
    for code, name in LANGUAGE_NAMES.items():
        params = [(k, v) for k, v in parse_qsl(request.query_string, keep_blank_values=True)
                  if k != UI_PARAMETER]
        links.append((code, name, f"{request.path}?{urlencode([*params, (UI_PARAMETER, code)])}"))
    return links


def tag_name(tag: str) -> str:
    """A dialect's own name as CLDR writes it (``español (México)``), else the tag."""
    try:
        return langtags.native_name(tag)
    except TermbankError:
        return tag


def language_name(tag: str, in_tag: str) -> str:
    """A language's name in the interface's language (``inglés`` on a Spanish page)."""
    try:
        return langtags.display_name(tag, in_tag)
    except TermbankError:
        return tag


async def render(datasette, request, template: str, data: dict, status: int = 200) -> Response:
    """A termbank page in the visitor's language; a ``?ui=`` choice is remembered."""
    html = await datasette.render_template(template, {**context(request), **data}, request=request)
    # the page's language, which the ``html_language`` wrapper writes into ``<html lang dir>``
    response = Response.html(html, status=status,
                             headers={"content-language": ui_language(request)})
    if request.args.get(UI_PARAMETER) in UI_LANGUAGES:
        response.set_cookie(LANG_COOKIE, request.args[UI_PARAMETER], max_age=365 * 24 * 3600)
    return response


def json_response(data, status: int = 200, headers: dict | None = None) -> Response:
    """JSON laid out as the CLI prints it (``termbank lookup --json``), so the two compare equal."""
    return Response(json.dumps(data, ensure_ascii=False, indent=2) + "\n", status=status,
                    headers=headers, content_type="application/json; charset=utf-8")


async def refusal_response(datasette, request, refusal: Refusal) -> Response:
    if wants_json(request) or request.path.endswith(".json"):
        return json_response({"error": refusal.message, "field": refusal.field,
                              "status": refusal.status}, refusal.status)
    return await render(datasette, request, "termbank_error.html",
                        {"status": refusal.status, "message": refusal.message}, refusal.status)


def page(view: Callable[..., Awaitable[Response]]) -> Callable[..., Awaitable[Response]]:
    """A view whose refusals (and the library's errors) become a page or JSON with their status."""

    @functools.wraps(view)
    async def guarded(request, datasette):
        try:  # bodies are limited before they reach a view (safety.limit_bodies)
            return await view(request, datasette)
        except TermbankError as exc:
            return await refusal_response(datasette, request, Refusal.of(exc))
        except Refusal as refusal:
            return await refusal_response(datasette, request, refusal)

    return guarded


async def form_data(request) -> dict[str, str]:
    """The posted fields, from a form or a JSON object."""
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            data = json.loads(await request.post_body() or b"{}")
        except (ValueError, RecursionError):  # RecursionError: nested a thousand deep
            raise Refusal(400, "The body is not valid JSON (or is nested too deep).") from None
        if not isinstance(data, dict):
            raise Refusal(400, "Send a JSON object of fields.")
        if any(isinstance(v, (dict, list)) for v in data.values()):
            raise Refusal(400, "Every field is text: send a flat JSON object.")
        return {k: "" if v is None else str(v) for k, v in data.items()}
    try:
        return await request.post_vars()
    except UnicodeDecodeError:
        raise Refusal(400, "The form is not valid UTF-8.") from None

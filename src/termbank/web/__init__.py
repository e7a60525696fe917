"""The termbank Datasette plugin: lookup pages, proposals, review and discussion.

Hook implementations only; the views are in ``lookup_pages``,
``proposal_pages`` and ``review_pages``, the site's state in ``site``. It is
registered through the ``datasette`` entry point, and ``ensure_registered``
does it by hand where the package is not installed with its entry points.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode

from datasette import hookimpl
from datasette.utils.asgi import Response
from datasette.views.special import JsonDataView

from .. import langtags, lookup
from ..bank import OpenBank
from ..errors import TermbankError
from ..inflection import fold
from . import dialect_pages, lookup_pages, proposal_pages, review_pages
from .interface import UI_LANGUAGES, text_direction, translator
from .safety import content_policy, limit_bodies, local_target, secure_headers
from .signin import end_stale_sessions
from .site import Site

STATIC = Path(__file__).parent / "static"
PLUGIN_NAME = "termbank"
# The plugin's pages (see register_routes) where ``lang`` meant something, wherever Datasette
# is mounted; /-/lookup.json never read it, so API calls that send it are not redirected.
OUR_PAGES = re.compile(r"/-/(lookup|concept/[^/]+|dialects|export/[a-z0-9-]+|propose|"
                       r"proposal/[0-9]+(?:/decide)?|discuss/[^/]+/[^/]+|signin|review)$")


def ensure_registered() -> None:
    """Register this module with Datasette unless its entry point already did."""
    from datasette.plugins import pm

    plugin = sys.modules[__name__]
    if not pm.is_registered(plugin):
        pm.register(plugin, name=PLUGIN_NAME)


@hookimpl
def startup(datasette):
    async def open_site():
        site = Site.find(datasette)
        if site is not None:
            site.open()

    return open_site


@hookimpl
def register_routes(datasette):
    return [
        # Datasette's own lists, without the server's file paths
        (r"^/-/databases(\.(?P<format>json))?$",
         JsonDataView.as_view(datasette, "databases.json", lambda: served_databases(datasette))),
        (r"^/-/metadata(\.(?P<format>json))?$",
         JsonDataView.as_view(datasette, "metadata.json", lambda: public_metadata(datasette))),
        (r"^/-/lookup$", lookup_pages.lookup_page),
        (r"^/-/lookup\.json$", lookup_pages.lookup_json),
        (r"^/-/concept/(?P<concept>[^/]+)$", lookup_pages.concept_page),
        (r"^/-/dialects$", dialect_pages.dialects_page),
        (r"^/-/export/(?P<format>[a-z0-9-]+)$", lookup_pages.export_download),
        (r"^/-/propose$", proposal_pages.propose),
        (r"^/-/proposal/(?P<id>[0-9]+)$", proposal_pages.proposal_page),
        (r"^/-/discuss/(?P<concept>[^/]+)/(?P<tag>[^/]+)$", proposal_pages.discussion_page),
        (r"^/-/signin$", review_pages.sign_in),
        (r"^/-/review$", review_pages.review_queue),
        (r"^/-/proposal/(?P<id>[0-9]+)/decide$", review_pages.decide),
        (r"^/-/termbank\.css$", stylesheet),
        (r"^/-/termbank\.js$", script),
        (r"^/-/suggest\.json$", lookup_pages.suggest_json),
    ]


def served_databases(datasette) -> list[dict]:
    """``/-/databases.json`` as Datasette has it, less each file's absolute path."""
    return [{k: v for k, v in db.items() if k != "path"}
            for db in datasette._connected_databases()]


def public_metadata(datasette) -> dict:
    """``/-/metadata.json`` less the proposals database's path (``termbank serve`` sets it)."""
    metadata = json.loads(json.dumps(datasette.metadata()))
    plugin = metadata.get("plugins", {}).get(PLUGIN_NAME, {})
    if plugin.get("proposals"):
        plugin["proposals"] = Path(plugin["proposals"]).name
    return metadata


async def script():
    """The pages' only script, a file (the Content-Security-Policy refuses inline ones)."""
    return Response((STATIC / "termbank.js").read_text(encoding="utf-8"),
                    content_type="text/javascript; charset=utf-8",
                    headers={"cache-control": "public, max-age=3600"})


async def stylesheet():
    """The pages' stylesheet, from package data (a route of our own: its URL does not
    depend on how the plugin was registered)."""
    return Response((STATIC / "termbank.css").read_text(encoding="utf-8"),
                    content_type="text/css; charset=utf-8",
                    headers={"cache-control": "public, max-age=3600"})


@hookimpl
def prepare_connection(conn, datasette):
    """The library's answers in SQL, for the canned queries, so no query re-implements a rule:
    ``termbank_answers(text, tag)`` and ``termbank_unanswered(tag)`` give JSON arrays that
    ``json_each`` turns into rows (the dialect rule and the approved proposals included);
    ``termbank_fold(text)`` gives the match key and ``termbank_fallback(tag)`` the chain."""
    conn.create_function("termbank_fold", 1, lambda text: fold(text or ""), deterministic=True)
    conn.create_function("termbank_fallback", 1, _fallback_json, deterministic=True)
    conn.create_function("termbank_answers", 2,
                         lambda text, tag: _from_bank(datasette, _answers, text, tag))
    conn.create_function("termbank_unanswered", 1,
                         lambda tag: _from_bank(datasette, lookup.unanswered, tag))


def _from_bank(datasette, read, *args) -> str:
    """``read(bank, *args)`` on this thread's bank, as JSON; [] for a bad tag or no bank."""
    site = Site.find(datasette)
    if site is None or not all(args):
        return "[]"
    try:
        return json.dumps(read(site.bank(), *args), ensure_ascii=False)
    except TermbankError:
        return "[]"


def _answers(bank: OpenBank, text: str, tag: str) -> list[dict]:
    """One row per answer of ``termbank lookup TEXT --to TAG``, concept by concept."""
    tag = langtags.normalize(tag)
    return [{"concept": m.concept, **a.to_json()}
            for m in bank.lookup(text, None, [tag]) for a in m.translations[tag]]


def _fallback_json(tag: str | None) -> str:
    try:
        return json.dumps(list(langtags.fallback_chain(tag or "")))
    except TermbankError:
        return "[]"


@hookimpl
def permission_allowed(datasette, actor, action, resource):
    """Password hashes are never served: no table view of ``reviewers`` and no arbitrary SQL
    against the proposals database (its canned queries still run). Tables that name
    reviewer accounts (``events.actor_id``...) are for signed-in reviewers only."""
    site = Site.find(datasette)
    proposals = site.proposals_database if site else None
    if site is None or proposals is None:
        return None
    if action == "view-table" and resource == (proposals, "reviewers"):
        return False
    if (action == "view-table" and isinstance(resource, tuple) and resource[0] == proposals
            and resource[1] in site.private_tables
            and "reviewer" not in ((actor or {}).get("roles") or [])):
        return False
    if action == "execute-sql" and resource == proposals:
        return False
    return None


@hookimpl
def asgi_wrapper(datasette):
    """Outermost first: security headers on every response; request bodies limited before
    anything reads them (Datasette's CSRF check included); stale reviewer sessions ended;
    old links moved to the new parameter names; failed CSRF checks explained; the pages'
    language declared."""
    def policy() -> str:
        site = Site.find(datasette)
        return content_policy(site.writer if site else None)

    return lambda app: secure_headers(limit_bodies(end_stale_sessions(
        redirect_renamed_parameters(explain_csrf_failures(html_language(app))), datasette)),
        policy)


def renamed_parameters(path: str) -> dict[str, str]:
    """{old name: new name} of the query parameters on a termbank page. ``lang`` meant the
    interface's language on every page but the downloads, where it meant the dialect; now
    ``ui`` is the interface's language and ``to`` always a dialect."""
    page = OUR_PAGES.search(path)
    if page is None:
        return {}
    return {"lang": "to" if page.group(1).startswith("export/") else "ui"}


def moved_to(scope) -> str | None:
    """Where a request that uses an old parameter name should go instead (None: nowhere)."""
    names = renamed_parameters(scope.get("path", ""))
    query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
    if not any(key in names for key, _ in query):
        return None
    path = scope.get("raw_path") or quote(scope["path"]).encode()
    target = f"{path.decode('latin-1')}?{urlencode([(names.get(k, k), v) for k, v in query])}"
    return local_target(target, "/-/lookup")


def redirect_renamed_parameters(app):
    """A permanent redirect (301; 308 for a POST, which must keep its body) for old links."""
    async def redirect(scope, receive, send):
        target = moved_to(scope) if scope["type"] == "http" else None
        if target is None:
            await app(scope, receive, send)
            return
        status = 301 if scope.get("method") in ("GET", "HEAD") else 308
        await send({"type": "http.response.start", "status": status, "headers": [
            [b"location", target.encode("latin-1")],
            [b"content-type", b"text/plain; charset=utf-8"]]})
        await send({"type": "http.response.body", "body": f"Moved to {target}\n".encode()})

    return redirect


def html_tag(headers) -> bytes | None:
    """``<html lang dir>`` for an HTML response: the language its ``content-language`` names
    (the termbank pages), else English (Datasette's own pages speak English). None: not HTML."""
    found = {bytes(k).lower(): bytes(v).decode("latin-1") for k, v in headers}
    if not found.get(b"content-type", "").startswith("text/html"):
        return None
    language = found.get(b"content-language", "en").split(",")[0].strip() or "en"
    if language not in UI_LANGUAGES:
        language = "en"
    return f'<html lang="{language}" dir="{text_direction(language)}">'.encode()


def html_language(app):
    """Every HTML page says its language and direction: Datasette's base template opens with a
    bare ``<html>``, which this fills in (and drops a content-length that no longer holds)."""
    async def marked(scope, receive, send):
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        tag: bytes | None = None

        async def watch(message):
            nonlocal tag
            if message["type"] == "http.response.start":
                tag = html_tag(message.get("headers", []))
                if tag is not None:
                    message = {**message, "headers": [
                        h for h in message.get("headers", [])
                        if bytes(h[0]).lower() != b"content-length"]}
            elif message["type"] == "http.response.body" and tag is not None:
                body = message.get("body", b"")
                head, found, rest = body.partition(b"<html>")
                if found and len(head) < 512:
                    message = {**message, "body": head + tag + rest}
                tag = None
            await send(message)

        await app(scope, receive, watch)

    return marked


def explain_csrf_failures(app):
    """Say what a failed CSRF check means, in words a visitor can act on (asgi-csrf's own
    403 bodies are terse developer messages such as "form-urlencoded POST field did not
    match cookie"); every other response passes through untouched."""
    import asgi_csrf

    known = {message.encode() for message in asgi_csrf.error_messages.values()}
    explained = ("The form could not be checked (its security token is missing or expired, "
                 "or it was sent from another site): reload the page and send it again.")

    async def explain(scope, receive, send):
        held = None

        async def watch(message):
            nonlocal held
            if message["type"] == "http.response.start" and message["status"] == 403:
                held = message
                return
            if held is not None and message["type"] == "http.response.body":
                start, held = held, None
                if message.get("body") in known and not message.get("more_body"):
                    body = f"403: {explained}".encode()
                    headers = [h for h in start.get("headers", [])
                               if bytes(h[0]).lower() != b"content-type"]
                    await send({**start, "headers": [
                        *headers, [b"content-type", b"text/plain; charset=utf-8"]]})
                    await send({"type": "http.response.body", "body": body})
                    return
                await send(start)
            await send(message)

        await app(scope, receive, watch)

    return explain


@hookimpl
def menu_links(datasette, actor, request):
    if Site.find(datasette) is None:
        return None
    _ = translator(request) if request else (lambda text: text)
    links = [{"href": datasette.urls.path("/-/lookup"), "label": _("Look up a term")},
             {"href": datasette.urls.path("/-/propose"), "label": _("Propose a term")}]
    if actor and "reviewer" in (actor.get("roles") or []):
        links.append({"href": datasette.urls.path("/-/review"), "label": _("Review proposals")})
    elif not actor:
        links.append({"href": datasette.urls.path("/-/signin"), "label": _("Reviewer sign-in")})
    return links

"""What anyone may write: proposals (``/-/propose``), and the discussion of a concept in a tag.

Both answer HTML to a browser and JSON to a client that sends
``Accept: application/json``. A refused post keeps what was typed and says
which field is wrong, with the status that fits (400, 404, 413).
"""

from __future__ import annotations

from dataclasses import asdict, replace

from datasette.utils.asgi import Response

from .. import discussion, langtags, reviewers
from ..bank import OpenBank
from ..errors import TermbankError
from .cards import card, concept_name
from .interface import (
    N_,
    Refusal,
    form_data,
    json_response,
    page,
    refusal_response,
    render,
    translator,
    ui_language,
    wants_json,
)
from .lookup_pages import dialect_choices
from .site import Site, on_the_writer

PROPOSAL_FIELDS = ("concept", "find", "tag", "term", "note", "name")
LARGEST_ID = 2**63 - 1  # SQLite's largest integer: a longer number names no proposal
FORMER_REVIEWER = "former reviewer"
# What a refused field means, said to a person beside that field (the JSON keeps the library's
# exact message for scripts).
FIELD_ERRORS = {
    "concept": N_("Choose the concept: type one of its terms, then pick it from the list."),
    "tag": N_("Choose a dialect from the list."),
    "term": N_("Write the term on one line, in at most 200 characters, without control "
               "characters."),
    "note": N_("The note may have at most 2,000 characters, without control characters."),
    "name": N_("The name may have at most 100 characters, without control characters."),
}


def proposal_number(text: str) -> int:
    """The proposal id of a URL; one SQLite cannot hold is simply not there (404)."""
    if not text.isdigit() or len(text) > 19 or int(text) > LARGEST_ID:
        raise Refusal(404, f"proposal: no proposal {text}", "proposal")
    return int(text)


class PublicNames:
    """Reviewers as the public sees them: by their display name, never their account id,
    which is half of what signing in takes. A closed account shows as a former reviewer."""

    def __init__(self, store):
        self.names = {r.id: r.name for r in reviewers.everyone(store)}

    def __call__(self, account: str | None) -> str | None:
        return None if account is None else self.names.get(account, FORMER_REVIEWER)

    def proposal(self, proposal):
        return replace(proposal, decided_by=self(proposal.decided_by))

    def history(self, events: list[dict]) -> list[dict]:
        return [{**event, "actor_id": self(event["actor_id"])} for event in events]

    def comment(self, comment):
        return replace(comment, actor_id=self(comment.actor_id))


def proposal_json(proposal, history: list | None = None) -> dict:
    data = {**asdict(proposal), "url": f"/-/proposal/{proposal.id}",
            "discussion": f"/-/discuss/{proposal.concept_id}/{proposal.tag}"}
    if history is not None:
        data["history"] = history
    return data


@page
@on_the_writer
async def propose(request, datasette):
    """``/-/propose``: the form (GET, fields pre-filled from the query) and its POST."""
    site = Site.of(datasette)
    if request.method != "POST":
        values = {f: request.args.get(f, "") for f in PROPOSAL_FIELDS}
        values["tag"] = values["tag"] or request.args.get("to", "")  # links say to=, as lookups
        return await proposal_form(datasette, request, values)
    values = await form_data(request)
    actor = request.actor or {}
    try:
        concept = await chosen_concept(site, request, values)
        proposal = await site.in_store(lambda store, bank: store.submit(
            concept=concept, tag=values.get("tag", ""),
            term=values.get("term", ""), note=values.get("note"), name=values.get("name"),
            origin="web", actor_id=actor.get("id"), bank=bank))
    except (Refusal, TermbankError) as exc:
        refusal = exc if isinstance(exc, Refusal) else Refusal.of(exc)
        if wants_json(request):
            return await refusal_response(datasette, request, refusal)
        return await proposal_form(datasette, request, values, refusal,
                                   exc.candidates if isinstance(exc, Ambiguous) else [])
    if wants_json(request):
        return json_response({"proposal": proposal_json(proposal)}, 201)
    _ = translator(request)
    datasette.add_message(request, _("Thank you! Your proposal is stored and waits for a "
                                     "reviewer of its language."))
    return Response.redirect(f"/-/proposal/{proposal.id}", status=303)


def dialect_of(values: dict) -> str:
    """The dialect the form is about, for naming things in it; English while none is valid."""
    try:
        return langtags.normalize(values.get("tag") or "en")
    except TermbankError:
        return "en"


class Ambiguous(Refusal):
    """A typed term names several concepts: the form offers them to choose from."""

    def __init__(self, message: str, candidates: list):
        super().__init__(400, message, "concept")
        self.candidates = candidates


async def chosen_concept(site, request, values: dict) -> str:
    """The concept id the proposal is for: the one picked, else the one concept whose term was
    typed in ``find`` (several such concepts: ``Ambiguous``)."""
    _ = translator(request)
    concept = (values.get("concept") or "").strip()
    typed = (values.get("find") or "").strip()
    if concept:
        return concept
    if not typed:
        raise Refusal(400, _("concept: choose the concept you propose a term for"), "concept")
    dialect, ui = dialect_of(values), ui_language(request)
    matches = await site.read(lambda bank: bank.lookup(typed, None, [dialect]))
    if len(matches) == 1:
        return matches[0].concept
    if not matches:
        raise Refusal(404, _("concept: no concept has the term “{text}”").format(text=typed),
                      "concept")
    raise Ambiguous(_("concept: several concepts have the term “{text}”: choose one").format(
        text=typed), [card(m, dialect, [dialect], ui) for m in matches])


async def proposal_form(datasette, request, values: dict, refusal: Refusal | None = None,
                        candidates: list | None = None):
    """The form: the concept it is about named in the dialect (or a box to find it by any of
    its terms), the dialects by name, and a refusal's message beside its field."""
    concept = (values.get("concept") or "").strip()
    dialect, ui = dialect_of(values), ui_language(request)

    def about(bank: OpenBank):
        dialects = dialect_choices(bank, dialect)
        if not (concept and bank.concept_exists(concept)):
            return None, dialects
        term = bank.english_term(concept) or concept
        match = next((m for m in bank.lookup(term, "en", [dialect]) if m.concept == concept), None)
        return (card(match, dialect, [dialect], ui) if match else None), dialects

    chosen, dialects = await Site.of(datasette).read(about)
    if refusal is not None and refusal.field == "concept":
        chosen = None   # a refused concept is chosen again
    field = refusal.field if refusal else None
    _ = translator(request)
    return await render(datasette, request, "termbank_propose.html", {
        "values": values, "concept": chosen, "candidates": candidates or [],
        "dialects": dialects, "dialect": dialect if values.get("tag") else "",
        "error_field": field,
        "field_error": _(FIELD_ERRORS[field]) if field in FIELD_ERRORS else None,
        "error": refusal.message if refusal and field not in FIELD_ERRORS else None},
        status=refusal.status if refusal else 200)


@page
@on_the_writer
async def proposal_page(request, datasette):
    """``/-/proposal/ID``: a proposal, its language check, its history; decision forms for a
    reviewer of its language."""
    site = Site.of(datasette)
    proposal_id = proposal_number(request.url_vars["id"])
    actor = request.actor or {}

    def read(store, bank):
        proposal = store.get(proposal_id)
        reviewer = reviewers.get(store, actor["id"]) if actor.get("id") else None
        may = reviewer is not None and reviewer.may_review(proposal.tag)
        votes = reviewer is not None and may and reviewer.id not in store.voters(proposal_id)
        names = PublicNames(store)
        return (names.proposal(proposal), names.history(store.history(proposal_id)),
                concept_name(bank, proposal.concept_id, proposal.tag), may, votes)

    proposal, history, english, may_decide, may_vote = await site.in_store(read)
    if wants_json(request):
        return json_response({"proposal": proposal_json(proposal, history)})
    return await render(datasette, request, "termbank_proposal.html", {
        "proposal": proposal, "history": history, "english": english,
        "may_decide": may_decide and proposal.state == "pending",
        "may_confirm": may_vote and proposal.state == "approved"})


@page
@on_the_writer
async def discussion_page(request, datasette):
    """``/-/discuss/CONCEPT/TAG``: the thread on a concept in one language tag, and its form."""
    site = Site.of(datasette)
    key = await site.read(lambda bank: discussion.thread_key(
        bank, request.url_vars["concept"], request.url_vars["tag"]))
    error = None
    values: dict = {}
    if request.method == "POST":
        values = await form_data(request)
        number = _proposal_number(values.get("proposal"))
        try:
            comment = await site.in_store(lambda store, bank: discussion.post(
                store, concept=key[0], tag=key[1], text=values.get("text", ""),
                author=values.get("name"), actor_id=reviewer_id(request), proposal_id=number,
                bank=bank))
        except TermbankError as exc:
            refusal = Refusal.of(exc)
            if wants_json(request):
                return await refusal_response(datasette, request, refusal)
            error = refusal
        else:
            if wants_json(request):
                shown = await site.in_store(lambda store, bank: PublicNames(store).comment(comment))
                return json_response({"comment": shown.to_json()}, 201)
            return Response.redirect(f"/-/discuss/{key[0]}/{key[1]}#comment-{comment.id}",
                                     status=303)
    def read(store, bank):
        names = PublicNames(store)
        return ([names.comment(c) for c in discussion.thread(store, *key)],
                [names.proposal(p) for p in store.list(concept=key[0]) if p.tag == key[1]],
                bank.english_term(key[0]))

    comments, proposals, english = await site.in_store(read)
    if wants_json(request):
        return json_response({"concept": key[0], "tag": key[1],
                              "comments": [c.to_json() for c in comments],
                              "proposals": [proposal_json(p) for p in proposals]})
    return await render(datasette, request, "termbank_discuss.html", {
        "concept": key[0], "tag": key[1], "english": english, "comments": comments,
        "proposals": proposals, "values": values,
        "error": error.message if error else None}, status=error.status if error else 200)


def reviewer_id(request) -> str | None:
    """The signed-in reviewer's account, so their comments show as a reviewer's."""
    actor = request.actor or {}
    return actor.get("id") if "reviewer" in (actor.get("roles") or []) else None


def _proposal_number(value: str | None) -> int | None:
    if not value:
        return None
    if not value.isdigit():
        raise Refusal(400, "proposal: give a proposal number", "proposal")
    return proposal_number(value)

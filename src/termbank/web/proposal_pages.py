"""What anyone may write: proposals (``/-/propose``), and the discussion of a concept in a tag.

Both answer HTML to a browser and JSON to a client that sends
``Accept: application/json``. A refused post keeps what was typed and says
which field is wrong, with the status that fits (400, 404, 413).
"""

from __future__ import annotations

from dataclasses import asdict, replace

from datasette.utils.asgi import Response

from .. import discussion, reviewers
from ..errors import TermbankError
from .interface import (
    DIALECTS,
    Refusal,
    form_data,
    json_response,
    page,
    refusal_response,
    render,
    translator,
    wants_json,
)
from .site import Site, on_the_writer

PROPOSAL_FIELDS = ("concept", "tag", "term", "note", "name")
LARGEST_ID = 2**63 - 1  # SQLite's largest integer: a longer number names no proposal
FORMER_REVIEWER = "former reviewer"


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
        if not (values.get("concept") or "").strip():
            raise Refusal(400, translator(request)("concept: choose the concept you propose a term "
                                                   "for"), "concept")
        proposal = await site.in_store(lambda store, bank: store.submit(
            concept=values["concept"].strip(), tag=values.get("tag", ""),
            term=values.get("term", ""), note=values.get("note"), name=values.get("name"),
            origin="web", actor_id=actor.get("id"), bank=bank))
    except (Refusal, TermbankError) as exc:
        refusal = exc if isinstance(exc, Refusal) else Refusal.of(exc)
        if wants_json(request):
            return await refusal_response(datasette, request, refusal)
        return await proposal_form(datasette, request, values, refusal)
    if wants_json(request):
        return json_response({"proposal": proposal_json(proposal)}, 201)
    _ = translator(request)
    datasette.add_message(request, _("Thank you! Your proposal is stored and waits for a "
                                     "reviewer of its language."))
    return Response.redirect(f"/-/proposal/{proposal.id}", status=303)


async def proposal_form(datasette, request, values: dict, refusal: Refusal | None = None):
    """The form, with the concept it is about when one is named, and any refusal above it."""
    concept = (values.get("concept") or "").strip()

    def about(bank):
        if concept and bank.concept_exists(concept):
            return {"id": concept, "term": bank.english_term(concept)}
        return None

    return await render(datasette, request, "termbank_propose.html", {
        "values": values, "concept": await Site.of(datasette).read(about),
        "dialects": DIALECTS, "error": refusal.message if refusal else None,
        "error_field": refusal.field if refusal else None},
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
                bank.english_term(proposal.concept_id), may, votes)

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

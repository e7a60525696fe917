"""What reviewers do: sign in, see the proposals in their languages, approve or reject.

A signed-in reviewer is a Datasette actor (``{"id", "name", "roles":
["reviewer"]}``) in the signed ``ds_actor`` cookie; their languages are read
from the proposals database at every decision, so a changed or closed
account takes effect at once. Signing out is Datasette's own ``/-/logout``.
"""

from __future__ import annotations

import math
import time

from datasette.utils import baseconv
from datasette.utils.asgi import Response

from .. import reviewers
from ..errors import TermbankError
from ..evidence.answers import uses
from .cards import concept_name
from .interface import (
    Refusal,
    form_data,
    json_response,
    page,
    render,
    translator,
    wants_json,
)
from .proposal_pages import proposal_json, proposal_number
from .safety import local_target
from .signin import client_address
from .site import Site, on_the_writer

SESSION_SECONDS = 12 * 3600
BUSY_SECONDS = 5  # how long a sign-in refused for a full password queue is held, then told to wait
DECISIONS = {"approve": "approved", "approved": "approved",
             "reject": "rejected", "rejected": "rejected",
             "confirm": "confirmed", "confirmed": "confirmed"}


@page
@on_the_writer
async def sign_in(request, datasette):
    """``/-/signin``: the form, and on POST the check of account and password.

    Guesses are throttled per account and per client address before any hash
    is computed (``signin.SignInGuard``), and the password is checked on a
    thread of its own, so a flood of wrong passwords never slows the lookups.
    """
    site = Site.of(datasette)
    _ = translator(request)
    data = {"next": local_target(request.args.get("next"), "/-/review"), "account": "",
            "error": None}
    if request.method != "POST":
        return await render(datasette, request, "termbank_signin.html", data)
    form = await form_data(request)
    account, password = form.get("account", "").strip(), form.get("password", "")
    data.update(account=account, next=local_target(form.get("next"), "/-/review"))
    guard, address = site.sign_in_guard, client_address(request)
    wait = guard.admit(account, address)
    if wait > 0:
        wait -= await guard.hold(wait)
        return await refused_sign_in(datasette, request, data, 429, wait, _(
            "Too many failed sign-ins for this account or from this address: wait {seconds} "
            "seconds, then try again.").format(seconds=math.ceil(wait)))
    encoded = await site.in_store(lambda store, bank: reviewers.account_hash(store, account))
    matches = await guard.password_matches(password, encoded)
    if matches is None:
        await guard.hold(BUSY_SECONDS)
        return await refused_sign_in(datasette, request, data, 503, BUSY_SECONDS, _(
            "Too many sign-ins at once: try again in a few seconds."))
    if not matches:
        data.update(error=_("Wrong account name or password."))
        return await render(datasette, request, "termbank_signin.html", data, status=403)
    guard.succeeded(account, address)
    reviewer = await site.in_store(lambda store, bank: reviewers.get(store, account))
    response = Response.redirect(data["next"], status=303)
    expires = baseconv.base62.encode(int(time.time()) + SESSION_SECONDS)
    actor = reviewer.actor(reviewers.session_version(encoded) or "")
    response.set_cookie("ds_actor", datasette.sign({"a": actor, "e": expires}, "actor"),
                        httponly=True, samesite="lax")
    return response


async def refused_sign_in(datasette, request, data: dict, status: int, wait: float,
                          message: str) -> Response:
    """The form again with why it was not checked, and when to come back (Retry-After)."""
    response = await render(datasette, request, "termbank_signin.html",
                            {**data, "error": message}, status=status)
    response.headers["Retry-After"] = str(max(1, math.ceil(wait)))
    return response


async def signed_in_reviewer(site, request) -> reviewers.Reviewer:
    """The reviewer behind the request, re-read from the database; 403 for anyone else."""
    _ = translator(request)
    actor = request.actor or {}
    if "reviewer" not in (actor.get("roles") or []):
        raise Refusal(403, _("Sign in as a reviewer to do this."))
    reviewer = await site.in_store(lambda store, bank: reviewers.get(store, actor["id"]))
    if reviewer is None:
        raise Refusal(403, _("This reviewer account no longer exists."))
    return reviewer


@page
@on_the_writer
async def review_queue(request, datasette):
    """``/-/review``: the pending proposals a reviewer may decide, oldest first."""
    site = Site.of(datasette)
    reviewer = await signed_in_reviewer(site, request)

    def pending(store, bank):
        return [(p, concept_name(bank, p.concept_id, p.tag), uses(bank, p.concept_id, p.tag, p.term))
                for p in store.list(state="pending") if reviewer.may_review(p.tag)]

    items = await site.in_store(pending)
    if wants_json(request):
        return json_response({"reviewer": reviewer.id, "languages": list(reviewer.languages),
                              "pending": [dict(proposal_json(p), attested=[u.to_json() for u in e])
                                          for p, _, e in items]})
    return await render(datasette, request, "termbank_review.html",
                        {"reviewer": reviewer, "items": items})


@page
async def decide(request, datasette):
    """``POST /-/proposal/ID/decide``: approve or reject, with a comment, as a reviewer of its tag."""
    site = Site.of(datasette)
    _ = translator(request)
    if site.writer:
        raise Refusal(403, _("This server is a read-only copy; decide on the main server."))
    if request.method != "POST":
        raise Refusal(405, _("Decide with a POST from the proposal's page."))
    proposal_id = proposal_number(request.url_vars["id"])
    form = await form_data(request)
    decision = DECISIONS.get(form.get("decision", ""))
    if decision is None:
        raise Refusal(400, "decision: approve, reject or confirm", "decision")
    reviewer = await signed_in_reviewer(site, request)
    try:
        decided = await site.in_store(lambda store, bank: reviewers.decide(
            store, proposal_id, decision, reviewer.id, form.get("comment")))
    except reviewers.NotTheirLanguage as exc:
        raise Refusal(403, _("You review {languages}; this proposal is in {tag}.").format(
            languages=", ".join(exc.languages), tag=exc.tag)) from None
    except TermbankError as exc:
        raise Refusal.of(exc) from None
    if wants_json(request):
        return json_response({"proposal": proposal_json(decided)})
    message = {"approved": _("Proposal {id} approved: it shows in lookups now."),
               "rejected": _("Proposal {id} rejected."),
               "confirmed": _("Proposal {id} confirmed by a second reviewer.")}[decision]
    datasette.add_message(request, message.format(id=proposal_id))
    return Response.redirect(local_target(form.get("next"), "/-/review"), status=303)

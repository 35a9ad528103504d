"""The programme: a lead's choice to share an assessment with it (and to be named), and the operator's page.

A lead shares a round's assessment with the programme on the round's page (the round's choice
passes to its kept assessment), or any kept assessment of theirs on its own small page; naming
the partnership needs sharing. Both are off by default, and can be changed or withdrawn at any
time. The operator's page (``/programme``) shows the programme view across the assessments the
leads have shared, and says how many kept assessments were left out because they were not
shared. It is for an operator (``partnership-health lead operator EMAIL --on``, and the local lead
of a local set-up); to anyone else it is the same "no such page" as an address no page has.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from ...store.sqlite import Lead, Round
from .. import csrf
from ..shared import Web
from .account import LEAD_COOKIE
from .lead import lead_action, lead_session, owner


def routes(web: Web) -> list[Route]:
    return [
        web.route("/lead/rounds/{round_id:int}/programme", round_choice, methods=["POST"]),
        web.route("/lead/assessments/{assessment_id:int}/programme", assessment_choice, methods=["GET", "POST"]),
        web.route("/programme", programme_page),
    ]


# --- the lead's choice -------------------------------------------------------------------


def chosen(fields: dict[str, str]) -> tuple[bool, bool, str]:
    """Shared, named, and what the page then says: "saved", or "unnamed" when naming was ticked without sharing."""
    shared, named = fields.get("share") == "yes", fields.get("named") == "yes"
    return shared, named and shared, "unnamed" if named and not shared else "saved"


async def round_choice(web: Web, request: Request) -> Response:
    """Share a round's assessment with the programme (now, or once it is kept), named or not."""
    found, fields, _ = await lead_action(web, request)
    shared, named, said = chosen(fields)
    await run_in_threadpool(lambda: web.store.set_round_programme_consent(found.id, shared=shared, named=named))
    return RedirectResponse(f"/lead/rounds/{found.id}?programme={said}#programme", status_code=303)


def from_round(web: Web, request: Request) -> Round | None:
    """The round the lead came from (``?round=N``), when it is theirs: the page links back to it."""
    found = web.store.find_round(request.query_params.get("round", ""))
    return found if found is not None and found.lead_id == owner(request) else None


async def assessment_choice(web: Web, request: Request) -> Response:
    """GET: a kept assessment's choice, to change. POST: save it (the same choice twice changes nothing)."""
    session = await run_in_threadpool(lead_session, web, request)
    assessment_id = int(request.path_params["assessment_id"])
    came_from = await run_in_threadpool(from_round, web, request)
    back = f"?round={came_from.id}" if came_from else ""
    if request.method == "POST":
        fields = await csrf.read_form(request, web.key, "lead:" + session)
        shared, named, said = chosen(fields)
        await run_in_threadpool(lambda: web.store.set_programme_consent(assessment_id, shared=shared, named=named))
        joiner = "&" if back else "?"
        return RedirectResponse(
            f"/lead/assessments/{assessment_id}/programme{back}{joiner}programme={said}", status_code=303
        )
    stored = await run_in_threadpool(web.store.get_assessment, assessment_id)
    said = request.query_params.get("programme", "")
    return web.page(
        "lead_assessment_programme.html",
        assessment=stored,
        came_from=came_from,
        action=f"/lead/assessments/{assessment_id}/programme{back}",
        saved=said if said in ("saved", "unnamed") else "",
        csrf=csrf.token(web.key, "lead:" + session),
    )


# --- the operator's page -----------------------------------------------------------------


def operator(web: Web, request: Request) -> tuple[Lead, str]:
    """The signed-in operator and their session; to anyone else, the page an address no page has gets (404)."""
    session = request.cookies.get(LEAD_COOKIE, "")
    lead = web.store.session_lead(session)
    if lead is None or not lead.operator:
        raise HTTPException(404)
    return lead, session


def programme_page(web: Web, request: Request) -> Response:
    """The programme view across the assessments the leads have shared, and how many were left out."""
    _, session = operator(web, request)
    shared, left_out = web.store.programme_assessments()
    return web.page(
        "programme.html",
        shared=shared,
        left_out=left_out,
        partnerships=len({each.partnership for each in shared}),
        csrf=csrf.token(web.key, "lead:" + session),
    )

"""The lead's pages: rounds, invitations, the room link, closing a round, the report downloads.

They need a signed-in lead (:mod:`.account`) and show only that lead's rounds: every
route with a round (or a stored assessment) in its path answers 404 for another lead's.
"""

from __future__ import annotations

import datetime
import re
import secrets
import shlex
from collections.abc import Mapping
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from ...errors import printable
from ...models import ROLES, Assessment, QuestionnaireRef, Since
from ...reporting.render import FORMATS, contract
from ...store.history import compare_saved, overall_of
from ...store.sqlite import ANYONE, Round, RoundClosedError, StoredAssessment
from ...surveys.invitees import email_problem
from ...surveys.values import whole_number
from .. import csrf, forms
from ..cache import digest
from ..shared import Refused, Web, summary
from .account import signed_in

MAX_ID = 2**63 - 1  # SQLite's largest integer: a longer id in a path is not found, not an error
MAX_MIN_GROUP = 1000  # the tool's judgement: a smallest group beyond any partnership's size would hide everything
MEDIA_TYPES = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "pdf": "application/pdf",
}


def routes(web: Web) -> list[Route]:
    return [
        web.route("/lead", lead_home),
        web.route("/lead/rounds", lead_create, methods=["POST"]),
        web.route("/lead/rounds/{round_id:int}", lead_round),
        web.route("/lead/rounds/{round_id:int}/invite", lead_invite, methods=["POST"]),
        web.route("/lead/rounds/{round_id:int}/room", lead_room, methods=["POST"]),
        web.route("/lead/rounds/{round_id:int}/close", lead_close, methods=["POST"]),  # GET: invites.close_confirm
        web.route("/lead/rounds/{round_id:int}/report.{fmt}", lead_report),
    ]


def lead_session(web: Web, request: Request) -> str:
    """The signed-in lead's session token (a 403 page otherwise), once the round and stored assessment the
    path names, if any, are checked to be the lead's: another lead's is not found (404), as if it did not exist."""
    lead, session = signed_in(web, request)
    request.state.lead = lead
    round_id = path_id(request, "round_id")
    if round_id is not None:
        found = web.store.find_round(round_id) if round_id >= 0 else None
        if found is None or found.lead_id != lead.id:
            known = ", ".join(str(each.id) for each in web.store.rounds(lead.id)) or "none yet"
            raise Refused(404, "Not found", f"You have no round {request.path_params['round_id']} (rounds: {known}).")
    assessment_id = path_id(request, "assessment_id")
    if assessment_id is not None:
        owner = web.store.owner_of_assessment(assessment_id) if assessment_id >= 0 else ANYONE
        if owner != lead.id:
            raise Refused(404, "Not found", f"There is no assessment {request.path_params['assessment_id']} of yours.")
    return session


def path_id(request: Request, name: str) -> int | None:
    """The id ``name`` in the path (None when there is none; -1 when it is no id SQLite can hold)."""
    value = request.path_params.get(name)
    if value is None:
        return None
    text = str(value)
    return int(text) if text.isascii() and text.isdigit() and int(text) <= MAX_ID else -1


def owner(request: Request) -> int | None:
    """The signed-in lead's id (None: the local lead); :func:`lead_session` has checked them."""
    lead_id: int | None = request.state.lead.id
    return lead_id


def lead_round(web: Web, request: Request) -> Response:
    session = lead_session(web, request)
    found = web.store.get_round(request.path_params["round_id"])
    return round_page(web, request, found, session)


def round_page(
    web: Web,
    request: Request,
    found: Round,
    session: str,
    *,
    code: int = 200,
    errors: Mapping[str, str] | None = None,
    typed: Mapping[str, str] | None = None,
    summary: list[tuple[str, str]] | None = None,
) -> Response:
    """The lead's page of a round: progress, invitees, room, reports, the partnership's stored assessments."""
    kept = web.store.round_assessment(found.id)
    stored = web.store.assessments(found.partnership, full=True, owner=found.lead_id)
    return web.page(
        "lead_round.html",
        code=code,
        round=found,
        people=web.store.respondents(found.id),
        status=web.store.status(found.id),
        base=web.base_url(request),
        db=shlex.quote(str(web.store.path.resolve())),  # the command-line hint names the database this app uses
        csrf=csrf.token(web.key, "lead:" + session),
        batch=secrets.token_urlsafe(12),  # the invitation form's: sent twice (a double click), it adds one person
        errors=errors or {},
        typed=typed or {},
        summary=summary or [],
        kept=kept,
        kept_exists=any(each.id == kept for each in stored),
        history=[
            (each, len((each.report or {}).get("findings") or ()), overall_of(each.report or {})) for each in stored
        ],
        previous=previous_of(stored, found),
        sessions=web.store.live_sessions(found.id),  # the live sessions, to go back to one
        programme=programme_choice(found, stored, kept),
        programme_saved=saved_choice(request),
    )


def programme_choice(found: Round, stored: list[StoredAssessment], kept: int | None) -> tuple[bool, bool]:
    """Whether the round is shared with the programme, and named in it: its kept assessment's choice once kept."""
    for each in stored:
        if each.id == kept:
            return each.shared_with_programme, each.named_in_programme
    return found.shared_with_programme, found.named_in_programme


def saved_choice(request: Request) -> str:
    """What the page says of a choice to share just saved: "saved", "unnamed" (naming without sharing) or ""."""
    said = request.query_params.get("programme", "")
    return said if said in ("saved", "unnamed") else ""


def lead_home(web: Web, request: Request) -> Response:
    session = lead_session(web, request)
    rounds = [(found, web.store.status(found.id)) for found in web.store.rounds(owner(request))]
    return web.page(
        "lead_home.html",
        rounds=rounds,
        operator=request.state.lead.operator,  # links to the operator's page
        csrf=csrf.token(web.key, "lead:" + session),
        today=datetime.date.today().isoformat(),
        errors={},
        typed={},
        summary=[],
    )


async def lead_create(web: Web, request: Request) -> Response:
    session = await run_in_threadpool(lead_session, web, request)
    fields = await csrf.read_form(request, web.key, "lead:" + session)
    typed = {name: fields.get(name, "").strip() for name in ("partnership", "date", "min_group", "show_names")}
    errors: dict[str, str] = {}
    if not typed["partnership"]:
        errors["partnership"] = "Write the partnership's name"
    try:
        date = datetime.date.fromisoformat(typed["date"])
    except ValueError:
        errors["date"] = f"Write the date as year-month-day, such as {datetime.date.today().isoformat()}"
    min_group = whole_number(typed["min_group"])  # ASCII digits only: '²' or '٤' is no number
    if min_group is None or not 1 <= min_group <= MAX_MIN_GROUP:
        errors["min_group"] = f"Write a whole number from 1 to {MAX_MIN_GROUP}, such as 3"
    errors.update(forms.control_errors(typed, ("partnership",)))
    typed = {name: printable(value) for name, value in typed.items()}  # shown back: never a control character
    if errors or min_group is None:
        rounds = [(found, web.store.status(found.id)) for found in web.store.rounds(owner(request))]
        return web.page(
            "lead_home.html",
            code=400,
            rounds=rounds,
            operator=request.state.lead.operator,
            csrf=csrf.token(web.key, "lead:" + session),
            today=datetime.date.today().isoformat(),
            errors=errors,
            typed=typed,
            summary=summary(errors, {"partnership": "Partnership name", "date": "Date", "min_group": "Smallest group"}),
        )
    ref = QuestionnaireRef(id=web.questionnaire.id, version=web.questionnaire.version)
    made = await run_in_threadpool(
        web.store.create_round,
        typed["partnership"],
        date,
        ref,
        min_group,
        typed["show_names"] == "yes",
        owner(request),
    )
    return RedirectResponse(f"/lead/rounds/{made.id}", status_code=303)


async def lead_action(web: Web, request: Request) -> tuple[Round, dict[str, str], str]:
    session = await run_in_threadpool(lead_session, web, request)
    found = await run_in_threadpool(web.store.get_round, request.path_params["round_id"])
    return found, await csrf.read_form(request, web.key, "lead:" + session), session


async def lead_invite(web: Web, request: Request) -> Response:
    found, fields, session = await lead_action(web, request)
    typed = {name: fields.get(name, "").strip() for name in ("organisation", "role", "name", "email")}
    errors: dict[str, str] = {}
    if not typed["organisation"]:
        errors["organisation"] = "'organisation' is required"
    if typed["role"] not in ROLES:
        errors["role"] = f"must be one of {', '.join(ROLES)} (got {typed['role']!r})"
    wrong_email = email_problem(typed["email"]) if typed["email"] else None
    if wrong_email:
        errors["email"] = wrong_email
    errors.update(forms.control_errors(typed, ("organisation", "name", "email")))
    for name in ("organisation", "name"):  # one line each: an email's header is written from them
        if name not in errors and ("\n" in typed[name] or "\r" in typed[name]):
            errors[name] = "must be on one line"
    typed = {name: printable(value) for name, value in typed.items()}
    if errors:
        return round_page(
            web,
            request,
            found,
            session,
            code=400,
            errors=errors,
            typed=typed,
            summary=summary(
                errors,
                {"organisation": "Organisation", "role": "Role in the partnership", "name": "Name", "email": "Email"},
            ),
        )
    row = (typed["organisation"], typed["role"], typed["name"] or None, typed["email"] or None)
    batch = fields.get("batch", "")
    once = batch if batch.isascii() and 8 <= len(batch) <= 40 else None  # a page from before has none
    try:
        await run_in_threadpool(lambda: web.store.invite(found.id, [row], batch=once))
    except RoundClosedError:
        raise Refused(409, "This round has closed", "A closed round takes no new respondents.") from None
    return RedirectResponse(f"/lead/rounds/{found.id}#invitees", status_code=303)


async def lead_room(web: Web, request: Request) -> Response:
    found, fields, _ = await lead_action(web, request)
    try:
        await run_in_threadpool(web.store.set_room, found.id, fields.get("open") == "yes")
    except RoundClosedError:
        raise Refused(409, "This round has closed", "A closed round's room cannot open.") from None
    return RedirectResponse(f"/lead/rounds/{found.id}#room", status_code=303)


async def lead_close(web: Web, request: Request) -> Response:
    """Close the round and keep its assessment once: closing it again keeps it only if it is not kept yet."""
    found, _, _ = await lead_action(web, request)
    web.check_questionnaire(found)
    closed = await run_in_threadpool(web.store.close_round, found.id)
    await run_in_threadpool(keep, web, closed)
    return RedirectResponse(f"/lead/rounds/{found.id}#year", status_code=303)


def keep(web: Web, found: Round) -> int | None:
    """Save a closed round's assessment for next year's comparison; None when nobody answered."""
    result = web.assessment(found)
    answers = web.store.round_answers(found.id)
    if result is None or answers is None:
        return None
    options: dict[str, Any] = found.options.changed()
    previous = previous_of(web.store.assessments(found.partnership, owner=found.lead_id), found)
    if previous is not None:  # what its reports compare with: history show compares with it again
        options["compared_with"] = {"id": previous.id, "assessed_on": previous.assessed_on.isoformat()}
    kept, _ = web.store.keep_round_assessment(
        found.id, answers, contract(result), rulebase_version=result.rulebase_version, options=options
    )
    return kept


def since(web: Web, found: Round, result: Assessment) -> dict[str, Any] | None:
    """What changed since the partnership's latest stored assessment before this round (None when none is)."""
    compared = changed(web, found, result)
    return compared.model_dump(mode="json") if compared else None


def changed(web: Web, found: Round, result: Assessment) -> Since | None:
    stored = web.store.assessments(found.partnership, full=True, owner=found.lead_id)
    previous = previous_of(stored, found)
    if previous is None or previous.report is None:
        return None
    return compare_saved(stored, previous, result, web.store.actions_of(previous.id))


def lead_report(web: Web, request: Request) -> Response:
    lead_session(web, request)
    found = web.store.get_round(request.path_params["round_id"])
    fmt = request.path_params["fmt"]
    if fmt not in FORMATS:
        raise Refused(404, "No such report format", f"The formats are {', '.join(sorted(FORMATS))}.")
    web.check_questionnaire(found)
    names = request.query_params.get("names") == "yes"
    if names and not found.show_names:
        raise Refused(
            403,
            "This round's reports do not list names",
            "Its respondents were told that their names would not be shown: that was chosen when the round started.",
        )
    state = web.store.changes(found.id)  # before assessing: an answer arriving meanwhile renders again next time
    result = web.assessment(found, show_respondents=names)
    if result is None:
        raise Refused(409, "Nobody has answered yet", "The report can be made once someone has answered.")
    comparison = None if request.query_params.get("since") == "no" else since(web, found, result)
    agreed = [action.plan_row() for action in web.store.round_actions(found.id)]  # in its live sessions
    # kept per round state (answers, respondents, status) and per everything else the report shows;
    # looked up only now that lead_session has found the round to be this lead's
    shows = digest(comparison, agreed)
    key = (request.state.lead.id, found.id, state, fmt, names, shows)
    content = web.reports.get(key, result, fmt, comparison, agreed)
    name = re.sub(r"[^a-z0-9]+", "-", found.partnership.lower()).strip("-") or "partnership"
    filename = f"{name}-{found.assessed_on.isoformat()}{'-since' if comparison else ''}.{fmt}"
    return Response(
        content,
        media_type=MEDIA_TYPES[fmt],
        headers={"content-disposition": f'attachment; filename="{filename}"', "cache-control": "no-store"},
    )


def previous_of(stored: list[StoredAssessment], found: Round) -> StoredAssessment | None:
    """The latest of ``stored`` (oldest first) dated before the round: what its reports compare with."""
    before = [each for each in stored if each.assessed_on < found.assessed_on]
    return before[-1] if before else None

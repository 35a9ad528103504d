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

import datetime
from dataclasses import dataclass
from typing import cast

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from ...models import Programme
from ...programme.render import ProgrammeFormat, render_programme
from ...programme.sources import Skipped, partnership_key, records_of_store
from ...programme.view import MIN_PARTNERSHIPS, TooFewError, build_programme
from ...store.sqlite import Lead, Round
from .. import csrf
from ..cache import digest, programme_pdf
from ..middleware import REPORT_POLICY
from ..shared import Refused, Web
from .account import LEAD_COOKIE
from .lead import MEDIA_TYPES, lead_action, lead_session, owner

DOWNLOADS = {"html": "HTML page", "pdf": "PDF", "md": "Markdown", "json": "JSON", "csv": "Every figure (CSV)"}


def routes(web: Web) -> list[Route]:
    return [
        web.route("/lead/rounds/{round_id:int}/programme", round_choice, methods=["POST"]),
        web.route("/lead/assessments/{assessment_id:int}/programme", assessment_choice, methods=["GET", "POST"]),
        web.route("/programme", programme_page),
        web.route("/programme/report.{fmt}", programme_report),
        web.route("/programme/view", programme_view),
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


@dataclass(frozen=True)
class Shared:
    """What the leads have shared, read from the store, and the programme view of it (None: too few to show)."""

    state: str  # a digest of everything the view depends on: the reports' cache key
    partnerships: int  # that shared an assessment showing figures
    left_out: int
    withheld: bool  # some shared assessments show no figure (too few answered): how many is not said
    unread: tuple[Skipped, ...]
    programme: Programme | None  # None: fewer partnerships than MIN_PARTNERSHIPS show figures


def shared(web: Web) -> Shared:
    """The programme view across the assessments the leads have shared, built once for each state of them."""
    records, unread, left_out = records_of_store(web.store, web.rulebase, "this app's database")
    state = digest([repr(record) for record in records], left_out)  # the app's questionnaire and rules are fixed
    try:
        text = web.reports.kept_or_made(
            ("programme", state, "json"),
            lambda: render_programme(
                build_programme(records, web.questionnaire, web.rulebase, left_out=left_out), "json"
            ),
        )
        programme: Programme | None = Programme.model_validate_json(text)
    except TooFewError:
        programme = None
    partnerships = len({partnership_key(record.partnership) for record in records if not record.withheld})
    withheld = any(record.withheld for record in records)
    return Shared(state, partnerships, left_out, withheld, tuple(unread), programme)


def too_few(partnerships: int) -> str:
    """Why there is no programme view: too few partnerships' shared assessments show figures."""
    return (
        f"It needs at least {MIN_PARTNERSHIPS} partnerships whose shared assessments show figures, so that no figure "
        f"rests on fewer; {partnerships} {'has' if partnerships == 1 else 'have'} shared so far."
    )


def programme_page(web: Web, request: Request) -> Response:
    """The programme view across the assessments the leads have shared, and how many were left out."""
    _, session = operator(web, request)
    return web.page(
        "programme.html",
        shared=shared(web),
        formats=DOWNLOADS,
        too_few=too_few,
        csrf=csrf.token(web.key, "lead:" + session),
    )


def programme_view(web: Web, request: Request) -> Response:
    """The whole programme view, the HTML download's own page, shown in the browser (no script runs in it)."""
    operator(web, request)
    found = shared(web)
    if found.programme is None:
        raise Refused(409, "There is no programme view yet", too_few(found.partnerships))
    programme, levels = found.programme, web.rulebase.settings.levels
    content = web.reports.kept_or_made(
        ("programme", found.state, "html"), lambda: render_programme(programme, "html", levels=levels)
    )
    return Response(
        with_back(content if isinstance(content, str) else content.decode("utf-8")),
        media_type=MEDIA_TYPES["html"],
        headers={"content-security-policy": REPORT_POLICY, "cache-control": "no-store"},
    )


BACK = '<nav class="back" aria-label="Back"><p><a href="/programme">Back to the programme page</a></p></nav>\n'


def with_back(page: str) -> str:
    """The HTML download, shown in the browser, with a way back to the operator's page before its heading.

    The download itself is a file complete in itself and links nowhere; the link goes in only here.
    """
    at = page.find('<header class="report-header">')
    if at < 0:  # a template of the operator's own: straight after <body>
        at = page.find(">", page.find("<body")) + 1
    return page[:at] + BACK + page[at:]


def programme_report(web: Web, request: Request) -> Response:
    """The programme view to download, in any of its formats (the PDF laid out by the reports' worker)."""
    operator(web, request)
    fmt = request.path_params["fmt"]
    if fmt not in DOWNLOADS:
        raise HTTPException(404)
    found = shared(web)
    if found.programme is None:
        raise Refused(409, "There is no programme view yet", too_few(found.partnerships))
    programme, levels, as_fmt = found.programme, web.rulebase.settings.levels, cast(ProgrammeFormat, fmt)
    if fmt == "pdf":
        content = web.reports.kept_or_made(
            ("programme", found.state, fmt), lambda: web.reports.in_worker(programme_pdf, programme, levels)
        )
    else:
        content = web.reports.kept_or_made(
            ("programme", found.state, fmt), lambda: render_programme(programme, as_fmt, levels=levels)
        )
    return Response(
        content,
        media_type=MEDIA_TYPES[fmt],
        headers={
            "content-disposition": f'attachment; filename="programme-{datetime.date.today().isoformat()}.{fmt}"',
            "cache-control": "no-store",
        },
    )

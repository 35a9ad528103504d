"""The lead's year on year pages: what changed since last time, and the action plan edited in the browser.

"Since last time" compares the round with the partnership's latest stored assessment before it
(as the reports do). The action plan is attached to the round's kept assessment (kept when the
round closes), so that next year's round follows it up; its rows are checked by the same
function as ``history actions PLAN.csv`` (:func:`~partnership_health.surveys.plans.plan_row_problems`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from ...errors import InputError, printable
from ...models.since import STATUSES
from ...reporting.render import plan_csv
from ...store.history import plan_remedies
from ...store.sqlite import Round
from ...surveys.plans import PLAN_KEYS, plan_from_table, plan_row_problems
from ...surveys.table import read_table_data
from .. import csrf, forms
from ..shared import Web
from .invites import lead_round
from .lead import changed, lead_action

EDITED = ("remedy", "owner", "due", "status")  # what the form edits; the other keys are kept as they are
LABELS = {"remedy": "Action", "owner": "Owner", "due": "Due date", "status": "Status", "remedy_id": "Remedy id"}
MAX_CELL = 1_000  # characters of one cell of the plan
NEW_ROWS = 3  # blank rows the form offers for actions of the lead's own


def routes(web: Web) -> list[Route]:
    return [
        web.route("/lead/rounds/{round_id:int}/since", since_page),
        web.route("/lead/rounds/{round_id:int}/actions", actions_page, methods=["GET", "POST"]),
    ]


def since_page(web: Web, request: Request) -> Response:
    found, _ = lead_round(web, request)
    web.check_questionnaire(found)
    result = web.assessment(found)
    compared = changed(web, found, result) if result is not None else None
    titles = {section.id: section.title for section in web.questionnaire.sections}
    return web.page("lead_since.html", round=found, answered=result is not None, since=compared, titles=titles)


def kept_assessment(web: Web, found: Round) -> int | None:
    """The id of the round's kept assessment, when it is kept and still stored."""
    kept = web.store.round_assessment(found.id)
    stored = {each.id for each in web.store.assessments(found.partnership, owner=found.lead_id)}
    return kept if kept in stored else None


def first_plan(web: Web, found: Round) -> list[dict[str, str]]:
    """The plan the report proposes (its CSV read back as ``history actions`` reads it), before any is attached."""
    result = web.assessment(found)
    if result is None:
        return []
    try:
        return plan_from_table(read_table_data(plan_csv(result).encode("utf-8"), "the report's plan"))
    except InputError:
        return []


async def actions_page(web: Web, request: Request) -> Response:
    if request.method == "POST":
        found, fields, session = await lead_action(web, request)
        return await run_in_threadpool(save_plan, web, found, session, fields)
    found, session = await run_in_threadpool(lead_round, web, request)
    return await run_in_threadpool(plan_page, web, found, session, None, saved=request.query_params.get("saved") == "1")


def plan_page(
    web: Web,
    found: Round,
    session: str,
    rows: list[dict[str, str]] | None,
    *,
    errors: Mapping[str, str] | None = None,
    saved: bool = False,
) -> Response:
    kept = kept_assessment(web, found)
    attached = web.store.actions_of(kept) if kept is not None else None
    if rows is None:
        rows = attached if attached is not None else (first_plan(web, found) if kept is not None else [])
    errors = errors or {}
    summary = [
        (f"f-{key}-{index}", f"Action {int(index) + 1}, {LABELS[key].lower()} – {message}")
        for name, message in errors.items()
        for key, index in [name.rsplit("-", 1)]
    ]
    return web.page(
        "lead_actions.html",
        code=400 if errors else 200,
        round=found,
        kept=kept,
        attached=attached is not None,
        rows=rows,
        blank=NEW_ROWS,
        statuses=STATUSES,
        errors=errors,
        summary=summary,
        saved=saved,
        csrf=csrf.token(web.key, "lead:" + session),
    )


def save_plan(web: Web, found: Round, session: str, fields: Mapping[str, str]) -> Response:
    kept = kept_assessment(web, found)
    if kept is None:
        return plan_page(web, found, session, None)
    stored = web.store.get_assessment(kept)
    remedies = plan_remedies(stored.report or {})
    count = int(fields["rows"]) if fields.get("rows", "").isascii() and fields.get("rows", "").isdigit() else 0
    rows: list[dict[str, str]] = []
    shown: list[dict[str, str]] = []  # every row but those deleted, as typed: shown back when there are errors
    errors: dict[str, str] = {}
    for index in range(min(count, 500)):
        row: dict[str, Any] = {key: fields.get(f"{key}-{index}", "").strip() for key in PLAN_KEYS.values()}
        if fields.get(f"delete-{index}") == "yes" or not any(row.values()):
            continue  # deleted, or a blank row left blank
        number = len(shown)
        problems = list(plan_row_problems(row, remedies))
        problems += [(key, problem) for key, problem in forms.control_errors(row, tuple(row)).items()]
        problems += [(key, f"is longer than {MAX_CELL:,} characters") for key in row if len(row[key]) > MAX_CELL]
        for key, message in problems:
            errors.setdefault(f"{key if key in LABELS else 'remedy'}-{number}", message)
        shown.append({key: printable(value) for key, value in row.items()})
        rows.append(row)
    if errors:
        return plan_page(web, found, session, shown, errors=errors)
    web.store.attach_actions(kept, rows)
    return RedirectResponse(f"/lead/rounds/{found.id}/actions?saved=1", status_code=303)

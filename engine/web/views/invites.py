"""The lead's pages for the people of a round: inviting from a list, the links, withdrawing one, closing.

* a list pasted or uploaded (CSV with , or ; headers in any order and case, roles as people write
  them) is read by the survey exports' reader and previewed, every row accepted or refused with
  its row number and why; nothing is written until the lead confirms, and a confirmation sent
  twice invites once;
* every link at once, to copy or to download as a formula-safe CSV;
* a link withdrawn opens a page that says so; a new one can be issued;
* closing a round asks first, saying what it does and how many have answered.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import secrets

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from ...errors import InputError
from ...store.sqlite import Invitee, Round
from ...surveys.invitees import InviteeRow, invitee_columns, invitee_rows
from ...surveys.sheets import rows_csv
from ...surveys.table import read_table_data
from ...wording import ROLE_LABELS
from .. import csrf
from ..shared import Refused, Web
from .lead import lead_action, lead_session
from .session import link_base  # the public URL where the app has one

MAX_LIST = 60_000  # bytes of a pasted or uploaded list (the app's request limit is 100 kB)


def routes(web: Web) -> list[Route]:
    web.templates.globals["LINK_UNKNOWN"] = LINK_UNKNOWN
    return [
        web.route("/lead/rounds/{round_id:int}/invite/list", invite_list, methods=["GET", "POST"]),
        web.route("/lead/rounds/{round_id:int}/invite/confirm", invite_confirm, methods=["POST"]),
        web.route("/lead/rounds/{round_id:int}/links", links_page),
        web.route("/lead/rounds/{round_id:int}/links.csv", links_csv),
        web.route("/lead/rounds/{round_id:int}/people/{person:int}/withdraw", withdraw, methods=["POST"]),
        web.route("/lead/rounds/{round_id:int}/people/{person:int}/new-link", new_link, methods=["POST"]),
        web.route("/lead/rounds/{round_id:int}/close", close_confirm, methods=["GET"]),
    ]


def lead_round(web: Web, request: Request) -> tuple[Round, str]:
    """The round of the path, for the lead signed in (the page is refused to anyone else)."""
    session = lead_session(web, request)
    return web.store.get_round(request.path_params["round_id"]), session


LINK_UNKNOWN = (
    "The link cannot be shown: the key file beside the database is missing or another one. "
    "It still works for its holder; withdraw it and issue a new one to see a link."
)


def link_of(base: str, person: Invitee) -> str:
    """A respondent's private link ("" when it cannot be shown, see :data:`LINK_UNKNOWN`)."""
    return f"{base}/r/{person.token}" if person.token else ""


def who(person: Invitee) -> str:
    """A respondent in a line: "Library, Lead partner, Alex"."""
    return ", ".join(part for part in (person.organisation, ROLE_LABELS[person.role], person.name or "") if part)


# --- inviting from a list --------------------------------------------------------------


async def invite_list(web: Web, request: Request) -> Response:
    """GET: the form to paste or upload a list. POST: its preview; nothing is written."""
    if request.method == "GET":
        found, session = await run_in_threadpool(lead_round, web, request)
        return web.page("lead_invite_list.html", round=found, csrf=csrf.token(web.key, "lead:" + session), error="")
    form = await request.form()
    try:
        found, fields, session = await lead_action(web, request)  # the same form, its CSRF token checked
        upload = form.get("file")
        data = b""
        if isinstance(upload, UploadFile) and upload.filename:
            data = await upload.read(MAX_LIST + 1)
    finally:
        await form.close()  # an uploaded file's temporary copy
    if not data.strip():
        data = fields.get("text", "").encode("utf-8")
    token = csrf.token(web.key, "lead:" + session)
    if not data.strip():
        error = "Paste the list, or choose a CSV file"
        return web.page("lead_invite_list.html", code=400, round=found, csrf=token, error=error)
    if len(data) > MAX_LIST:
        error = f"The list is larger than {MAX_LIST // 1000} kB: invite at most a few hundred people at once"
        return web.page("lead_invite_list.html", code=400, round=found, csrf=token, error=error)
    return await run_in_threadpool(preview, web, found, token, data)


def preview(web: Web, found: Round, token: str, data: bytes) -> Response:
    rows, problems, blank = read_list(web, found, data)
    return web.page(
        "lead_invite_preview.html",
        code=200 if not problems else 400,
        round=found,
        csrf=token,
        accepted=[row for row in rows if not row.problems],
        refused=[row for row in rows if row.problems],
        problems=problems,
        blank=blank,
        data=base64.urlsafe_b64encode(data).decode("ascii"),  # no character a form escapes
        batch=secrets.token_urlsafe(12),
    )


def read_list(web: Web, found: Round, data: bytes) -> tuple[list[InviteeRow], list[str], list[int]]:
    """The rows of the list (a duplicate email refused), the problems of the list itself, the blank rows."""
    shown = "the list"
    try:
        table = read_table_data(data, shown)
        rows = invitee_rows(table, invitee_columns(table))
    except InputError as error:
        return [], [str(issue).removeprefix(shown + ":").strip() for issue in error.issues], []
    blank = [number for number, _ in table.skipped]
    invited = web.store.respondents(found.id)
    seen = {person.email.casefold(): "already invited to this round" for person in invited if person.email}
    checked = []
    for row in rows:
        address = (row.email or "").casefold()
        if address and not row.problems:
            before = seen.get(address)
            if before:
                row = dataclasses.replace(row, problems=(("email", before),))
            else:
                seen[address] = f"the same as row {row.number}'s"
        checked.append(row)
    return checked, [], blank


async def invite_confirm(web: Web, request: Request) -> Response:
    """Invite the accepted rows of the list previewed (sent again, the same batch invites nobody twice)."""
    found, fields, _ = await lead_action(web, request)
    try:
        data = base64.b64decode(fields.get("data", ""), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError):
        raise Refused(400, "This list cannot be read", "Go back to the list and preview it again.") from None
    batch = fields.get("batch", "")
    if not data or not batch.isascii() or not 8 <= len(batch) <= 40:
        raise Refused(400, "This list cannot be read", "Go back to the list and preview it again.")
    rows, problems, _ = await run_in_threadpool(read_list, web, found, data)
    accepted = [(row.organisation, row.role, row.name, row.email) for row in rows if not row.problems]
    if problems or not accepted:
        raise Refused(
            400, "Nobody on this list can be invited", "Go back to the list, correct it and preview it again."
        )
    await run_in_threadpool(lambda: web.store.invite(found.id, accepted, batch=batch))
    return RedirectResponse(f"/lead/rounds/{found.id}/links", status_code=303)


# --- every link --------------------------------------------------------------------------


def links_page(web: Web, request: Request) -> Response:
    found, session = lead_round(web, request)
    base = link_base(web, request)
    people = [person for person in web.store.respondents(found.id) if not person.withdrawn]
    lines = "\n".join(f"{who(person)}: {link_of(base, person) or LINK_UNKNOWN}" for person in people)
    return web.page(
        "lead_links.html",
        round=found,
        people=people,
        lines=lines,
        base=base,
        csrf=csrf.token(web.key, "lead:" + session),
    )


def links_csv(web: Web, request: Request) -> Response:
    """The links as CSV: one row a person; no cell can run as a formula in a spreadsheet."""
    found, _ = lead_round(web, request)
    base = link_base(web, request)
    rows: list[list[str | int | float]] = [["organisation", "role", "name", "email", "progress", "link"]]
    for person in web.store.respondents(found.id):
        if not person.withdrawn:
            rows.append(
                [
                    person.organisation,
                    person.role,
                    person.name or "",
                    person.email or "",
                    person.progress,
                    link_of(base, person),
                ]
            )
    return Response(
        rows_csv(rows),
        media_type="text/csv; charset=utf-8",
        headers={
            "content-disposition": f'attachment; filename="round-{found.id}-links.csv"',
            "cache-control": "no-store",
        },
    )


# --- withdrawing a link, issuing a new one -------------------------------------------------


async def withdraw(web: Web, request: Request) -> Response:
    found, _, _ = await lead_action(web, request)
    await run_in_threadpool(web.store.withdraw_link, found.id, request.path_params["person"])
    return RedirectResponse(f"/lead/rounds/{found.id}#invitees", status_code=303)


async def new_link(web: Web, request: Request) -> Response:
    found, _, _ = await lead_action(web, request)
    await run_in_threadpool(web.store.new_link, found.id, request.path_params["person"])
    return RedirectResponse(f"/lead/rounds/{found.id}#invitees", status_code=303)


# --- closing, after asking ---------------------------------------------------------------


def close_confirm(web: Web, request: Request) -> Response:
    """What closing does and how many have answered; its button posts to the close action."""
    found, session = lead_round(web, request)
    return web.page(
        "lead_close.html",
        round=found,
        status=web.store.status(found.id),
        csrf=csrf.token(web.key, "lead:" + session),
    )

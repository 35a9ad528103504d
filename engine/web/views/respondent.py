"""The respondents' pages: the home page, a respondent's private link (``/r/TOKEN``), the room link (``/room/TOKEN``).

A private link opens that respondent's answers only, one section of the form a page; an
open room link lets people in the room add themselves, then sends each to a private link.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from ...errors import printable
from ...models import ROLES, Section
from ...store.sqlite import Invitee, Round, RoundClosedError
from .. import csrf, forms
from ..shared import Refused, Web, summary


def routes(web: Web) -> list[Route]:
    return [
        web.route("/", home),
        web.route("/r/{token}", respondent_start),
        web.route("/r/{token}/section/{number:int}", section, methods=["GET", "POST"]),
        web.route("/r/{token}/check", check),
        web.route("/r/{token}/send", send, methods=["POST"]),
        web.route("/r/{token}/thanks", thanks),
        web.route("/room/{token}", room, methods=["GET", "POST"]),
    ]


def home(web: Web, request: Request) -> Response:
    return web.page("home.html")


def respondent(web: Web, request: Request) -> tuple[Invitee, Round]:
    person = web.store.respondent(request.path_params["token"])
    if person is None and web.store.link_withdrawn(request.path_params["token"]):
        raise Refused(410, "This link was withdrawn", "The lead withdrew this link. Ask your lead for a new one.")
    if person is None:
        raise Refused(
            404, "This link does not work", "Check that you copied the whole link, or ask the lead for a new one."
        )
    found = web.store.get_round(person.round_id)
    web.check_questionnaire(found)
    return person, found


def respondent_start(web: Web, request: Request) -> Response:
    person, found = respondent(web, request)
    saved = web.store.saved_sections(person.id)
    sections = forms.sections_for(web.questionnaire, person.role)
    return web.page(
        "start.html",
        person=person,
        round=found,
        token=person.token,
        saved=saved,
        resume=resume_at(sections, saved),
        sections=sections,
        minutes=forms.minutes_to_answer(sections),
    )


def resume_at(sections: list[Section], saved: set[str]) -> int | None:
    """The number of the first section not yet saved (None when every one is)."""
    for number, section in enumerate(sections, 1):
        if section.id not in saved:
            return number
    return None


async def section(web: Web, request: Request) -> Response:
    person, found = await run_in_threadpool(respondent, web, request)
    number = request.path_params["number"]
    sections = forms.sections_for(web.questionnaire, person.role)
    if not 1 <= number <= len(sections):
        raise Refused(404, "There is no such page", "Go back to the start of the form with your link.")
    section = sections[number - 1]
    returning = request.query_params.get("return") == "check"
    answers = await run_in_threadpool(web.store.answers_of, person.id)
    errors: dict[str, str] = {}
    typed: dict[str, str] = {}
    if request.method == "POST":
        if not found.open:
            raise Refused(409, "This round has closed", "Your answers were kept; they can no longer change.")
        fields = await csrf.read_form(request, web.key, "respondent:" + person.token)
        submitted = forms.read_section(section, fields)
        if not submitted.errors:
            try:
                await run_in_threadpool(web.store.save_section, person.id, section.id, submitted.answers)
            except RoundClosedError:
                raise Refused(
                    409, "This round has closed", "Your answers were kept; they can no longer change."
                ) from None
            following = resume_at(sections, await run_in_threadpool(web.store.saved_sections, person.id))
            if returning or number == len(sections) or following is None:
                target = f"/r/{person.token}/check"
            else:
                target = f"/r/{person.token}/section/{number + 1}"
            return RedirectResponse(target, status_code=303)
        errors, typed = submitted.errors, submitted.typed
    return web.page(
        "section.html",
        code=400 if errors else 200,
        person=person,
        round=found,
        token=person.token,
        section=section,
        number=number,
        total=len(sections),
        answers=answers,
        errors=errors,
        typed=typed,
        summary=[
            (forms.field_id(q), f"{q.text.strip()} – {errors[q.id]}") for q in section.questions if q.id in errors
        ],
        returning=returning,
        csrf=csrf.token(web.key, "respondent:" + person.token),
    )


def check(web: Web, request: Request) -> Response:
    person, found = respondent(web, request)
    return check_page(web, person, found)


def check_page(web: Web, person: Invitee, found: Round, refused: str = "") -> Response:
    """The 'check your answers' page: every answer, and how many are not answered, by section and in all.

    ``refused``: why sending was refused, shown as the page's error.
    """
    sections = forms.sections_for(web.questionnaire, person.role)
    answers = web.store.answers_of(person.id)
    unanswered = {s.id: sum(1 for q in s.questions if q.id not in answers) for s in sections}
    return web.page(
        "check.html",
        code=400 if refused else 200,
        sections=sections,
        person=person,
        round=found,
        token=person.token,
        answers=answers,
        saved=web.store.saved_sections(person.id),
        unanswered=unanswered,
        questions=sum(len(s.questions) for s in sections),
        summary=[("section-1", refused)] if refused else [],
        csrf=csrf.token(web.key, "respondent:" + person.token),
    )


async def send(web: Web, request: Request) -> Response:
    person, found = await run_in_threadpool(respondent, web, request)
    await csrf.read_form(request, web.key, "respondent:" + person.token)
    if not await run_in_threadpool(web.store.answers_of, person.id):
        refused = "You have not answered any question yet: answer at least one before you send your answers"
        return await run_in_threadpool(check_page, web, person, found, refused)
    try:
        await run_in_threadpool(web.store.finish, person.id)
    except RoundClosedError:
        raise Refused(409, "This round has closed", "Your answers were kept; they can no longer change.") from None
    return RedirectResponse(f"/r/{person.token}/thanks", status_code=303)


def thanks(web: Web, request: Request) -> Response:
    person, found = respondent(web, request)
    return web.page("thanks.html", person=person, round=found, token=person.token)


async def room(web: Web, request: Request) -> Response:
    found = await run_in_threadpool(web.store.round_by_room, request.path_params["token"])
    if found is None or not found.room_open or not found.open:
        raise Refused(
            404, "This room link is not open", "Ask the lead to open the room, or for a private link of your own."
        )
    web.check_questionnaire(found)
    purpose = "room:" + found.room_token
    errors: dict[str, str] = {}
    typed: dict[str, str] = {}
    if request.method == "POST":
        fields = await csrf.read_form(request, web.key, purpose)
        typed = {name: fields.get(name, "").strip() for name in ("organisation", "role", "name")}
        if not typed["organisation"]:
            errors["organisation"] = "Write the name of the organisation you answer for"
        if not typed["role"]:
            errors["role"] = "Choose your organisation's role in the partnership"
        elif typed["role"] not in ROLES:
            errors["role"] = f"must be one of {', '.join(ROLES)} (got {typed['role']!r})"
        errors.update(forms.control_errors(typed, ("organisation", "name")))
        typed = {name: printable(value) for name, value in typed.items()}  # shown back: never a control character
        if not errors:
            (person,) = await run_in_threadpool(
                web.store.invite,
                found.id,
                [(typed["organisation"], typed["role"], typed["name"] or None)],
                "room",
            )
            return RedirectResponse(f"/r/{person.token}", status_code=303)
    return web.page(
        "room.html",
        code=400 if errors else 200,
        round=found,
        errors=errors,
        typed=typed,
        summary=summary(
            errors, {"organisation": "Your organisation", "role": "Role in the partnership", "name": "Your name"}
        ),
        csrf=csrf.token(web.key, purpose),
    )

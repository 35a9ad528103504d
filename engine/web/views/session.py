"""The live session in the room: the facilitator's session screen, and the phones that join it.

The lead starts a session for a round (open or closed) from the round's page. The screen
shows a short join code and a QR code of the join link (``/s/CODE``); each phone joins
without an account or a name, giving only its role (and its organisation, when the lead
asked for it). A cookie holds the phone's random token; the store keeps only its hash.

The facilitator puts a statement to the room (the round's top disagreements first); the
phones vote on the questionnaire's scale with "don't know"; the screen shows how many
have voted. Results are shown when the facilitator closes the vote and at least the
round's smallest group voted: a distribution that changed with every vote would tell the
room how the person who just voted answered (one lead and four core partners: the lead
votes last). They are counted as the reports count a statement (agree, neither, disagree,
don't know), overall and by role, the roles merged as the reports merge them
(:func:`partnership_health.core.facts.grouped`). A second vote after the discussion is
open to the phones that voted the first time, and a phone that does not vote again keeps
its first answer: before and after are the same people in the same groups, so subtracting
one from the other gives only how many changed their minds, never who.

The facilitator records the actions agreed for a finding (from its remedy's steps): they
are kept in the store, given as the action plan of the round's kept assessment (so next
year's "since last time" follows them up) and exported with the votes in the session
record (Markdown or PDF).

Live updates: the screen and the phones poll ``state.json`` every 2 seconds (plain
Starlette under uvicorn; a small JSON answer survives proxies that buffer server-sent
events). Without JavaScript everything is a plain form and a "refresh" button; nothing
reloads on a timer.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import segno
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import escape
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from ...core.facts import OTHERS, grouped
from ...errors import printable
from ...models import DONT_KNOW, ROLES, Assessment, Respondent
from ...reporting.environment import md_text
from ...reporting.pdf import html_to_pdf
from ...store.sqlite import CODE_ALPHABET, CODE_LENGTH, LiveAction, LiveSession, Participant, Poll, Round, StoreError
from ...wording import GROUP_LABELS
from .. import csrf, forms
from ..shared import HERE, Refused, Web, summary
from . import lead

PHONE_COOKIE = "ph_phone"
TOP_GAPS = 5  # the disagreements offered first, as the facilitator's screen shows them
BUCKETS = (("agree", "Agree"), ("neither", "Neither"), ("disagree", "Disagree"), (DONT_KNOW, "Don't know"))
VIEWS = ("vote", "actions")


def routes(web: Web) -> list[Route]:
    return [
        web.route("/lead/rounds/{round_id:int}/sessions", session_start, methods=["POST"]),
        web.route("/lead/sessions/{session_id:int}", session_screen),
        web.route("/lead/sessions/{session_id:int}/state.json", session_state),
        web.route("/lead/sessions/{session_id:int}/{verb:str}", session_post, methods=["POST"]),
        web.route("/lead/sessions/{session_id:int}/record.{fmt}", session_record),
        web.route("/join", join_page),
        web.route("/s/{code:str}", phone_page),
        web.route("/s/{code:str}/state.json", phone_state),
        web.route("/s/{code:str}/{verb:str}", phone_post, methods=["POST"]),
    ]


def link_base(web: Web, request: Request) -> str:
    """Where the app's links start, as on the lead's page: ``Web.base_url``.

    That is ``serve --public-url``, else the address the app listens on; never the request's ``Host``.
    """
    return web.base_url(request)


# --- what the room may see of a vote -------------------------------------------------


def bucket(value: str) -> str:
    """A vote as the reports count a statement: agree (4-5), neither (3), disagree (1-2), or don't know."""
    if value == DONT_KNOW:
        return DONT_KNOW
    number = int(value)
    return "agree" if number >= 4 else "disagree" if number <= 2 else "neither"


@dataclass(frozen=True)
class Distribution:
    """One vote's results as the room may see them: counts of each answer, overall and by group."""

    people: int
    total: dict[str, int]
    groups: tuple[tuple[str, int, dict[str, int]], ...]  # (group label, people, counts)

    def sentence(self) -> str:
        """The results in words, for a screen reader and the session record."""
        counts = ", ".join(f"{self.total[key]} {label.lower()}" for key, label in BUCKETS)
        return f"{self.people} voted: {counts}."


@dataclass(frozen=True)
class Tally:
    """Where a statement's vote stands: how many voted, how many more are needed, and what may be shown."""

    stage: int
    open: bool
    voted: int
    needed: int
    before: Distribution | None
    after: Distribution | None
    too_few: bool  # closed with fewer votes than the smallest group

    def phase(self, poll: Poll | None) -> str:
        return f"{poll.id}.{poll.stage}.{int(poll.open)}" if poll else "none"


def tally(poll: Poll, votes: Mapping[int, Mapping[int, str]], people: Mapping[int, str], min_group: int) -> Tally:
    """What the room may see of ``poll`` (``votes``: stage -> phone -> answer; ``people``: phone -> role).

    Nothing before at least ``min_group`` phones voted the first time and the vote closed.
    The groups by role are made once, from the first vote's phones, as the reports make
    them; the second vote counts the same phones (a phone that did not vote again keeps its
    first answer), so before and after differ only by how many changed their answer.
    """
    first = dict(votes.get(1, {}))
    again = votes.get(2, {})
    second = {phone: again.get(phone, value) for phone, value in first.items()}
    voted = len(first) if poll.stage == 1 else len(again)
    enough = len(first) >= min_group
    members = [Respondent.model_validate({"id": str(p), "organisation": "room", "role": people[p]}) for p in first]
    groups = grouped(members, lambda r: r.role, min_group)
    order = [*ROLES, OTHERS]
    named = sorted(groups.items(), key=lambda item: order.index(item[0]))

    def shown(answers: Mapping[int, str]) -> Distribution:
        def count(phones: Sequence[int]) -> dict[str, int]:
            buckets = [bucket(answers[phone]) for phone in phones]
            return {key: buckets.count(key) for key, _ in BUCKETS}

        return Distribution(
            people=len(answers),
            total=count(list(answers)),
            groups=tuple(
                (GROUP_LABELS.get(name, name), len(who), count([int(r.id) for r in who])) for name, who in named
            ),
        )

    first_shown = enough and (poll.stage == 2 or not poll.open)
    return Tally(
        stage=poll.stage,
        open=poll.open,
        voted=voted,
        needed=max(0, min_group - len(first)) if poll.stage == 1 else 0,
        before=shown(first) if first_shown else None,
        after=shown(second) if first_shown and poll.stage == 2 and not poll.open else None,
        too_few=not poll.open and not enough,
    )


def poll_tally(web: Web, found: Round, poll: Poll) -> Tally:
    roles = {p.id: p.role for p in web.store.participants(poll.session_id)}
    return tally(poll, web.store.votes(poll.id), roles, found.min_group)


# --- the facilitator's session screen -----------------------------------------------


def lead_session_of(web: Web, request: Request) -> tuple[LiveSession, Round, str]:
    """The live session the path names, its round and the lead's session, once the round is checked to be
    the signed-in lead's: another lead's session is not found (404), as their rounds are not."""
    secret = lead.lead_session(web, request)
    live = web.store.get_live_session(request.path_params["session_id"])
    found = web.store.get_round(live.round_id)
    if found.lead_id != lead.owner(request):
        raise Refused(404, "Not found", f"You have no live session {request.path_params['session_id']}.")
    return live, found, secret


async def session_start(web: Web, request: Request) -> Response:
    found, fields, _ = await lead.lead_action(web, request)
    made = await run_in_threadpool(
        web.store.start_live_session, found.id, ask_organisation=fields.get("ask_organisation") == "yes"
    )
    return RedirectResponse(f"/lead/sessions/{made.id}", status_code=303)


def disputed(result: Assessment | None) -> list[str]:
    """The statements the round's assessment found most disputed (its perception gaps), most first."""
    return [gap.question for gap in (result.gaps if result else ())[:TOP_GAPS]]


def qr_svg(link: str) -> str:
    """The QR code of ``link`` as inline SVG, drawn here (segno): nothing is fetched."""
    code = segno.make(link, error="m")
    svg: str = code.svg_inline(scale=4, omitsize=True, svgclass="qr", dark="#000", light="#fff", border=2)
    return svg.replace("<svg ", f'<svg role="img" aria-label="QR code of {escape(link)}" ', 1)


def session_screen(web: Web, request: Request) -> Response:
    live, found, secret = lead_session_of(web, request)
    view = request.query_params.get("view", "vote")
    return screen_page(web, request, live, found, secret, view=view if view in VIEWS else "vote")


def screen_page(
    web: Web,
    request: Request,
    live: LiveSession,
    found: Round,
    secret: str,
    *,
    view: str = "vote",
    code: int = 200,
    errors: Mapping[str, str] | None = None,
    typed: Mapping[str, str] | None = None,
) -> Response:
    web.check_questionnaire(found)  # the statements and findings are this questionnaire's
    result = web.assessment(found)
    poll = web.store.current_poll(live.id)
    current = poll_tally(web, found, poll) if poll else None
    join = f"{link_base(web, request)}/s/{live.code}"
    chosen = request.query_params.get("finding", "") if view == "actions" else ""
    finding, remedy = chosen_remedy(result, chosen)
    field_labels = {"action": "Agreed action", "owner": "Owning organisation", "due": "Due date", "note": "Note"}
    prefill = {
        "action": " ".join(f"{n}. {step.text.strip()}" for n, step in enumerate(remedy.steps, 1)) if remedy else "",
        "owner": "",
        "due": "",
        "note": "",
    }
    return web.page(
        "session_screen.html",
        code=code,
        live=live,
        round=found,
        view=view,
        join=join,
        join_code=spaced(live.code),
        qr=qr_svg(join),
        joined=len(web.store.participants(live.id)),
        poll=poll,
        question=web.questionnaire.questions.get(poll.question_id) if poll else None,
        tally=current,
        phase=current.phase(poll) if current else "none",
        changes=web.store.session_changes(live.id),
        disputed=[web.questionnaire.questions[q] for q in disputed(result) if q in web.questionnaire.questions],
        voted_on=voted_on(web, live),
        sections=[
            (s.title, [q for q in s.questions if q.type == "scale"])
            for s in web.questionnaire.sections
            if any(q.type == "scale" for q in s.questions)
        ],
        findings=result.findings if result else (),
        finding=finding,
        remedy=remedy,
        chosen=chosen,
        actions=web.store.session_actions(live.id),
        organisations=sorted({p.organisation for p in web.store.respondents(found.id)}),
        csrf=csrf.token(web.key, "lead:" + secret),
        errors=errors or {},
        typed=typed or prefill,
        summary=summary(errors or {}, field_labels),
        buckets=BUCKETS,
    )


def chosen_remedy(result: Assessment | None, chosen: str) -> tuple[Any, Any]:
    """The finding and remedy picked for an action (``FINDING:REMEDY`` ids), or (None, None)."""
    finding_id, _, remedy_id = chosen.partition(":")
    for finding in result.findings if result else ():
        if finding.id == finding_id:
            for remedy in finding.remedies:
                if remedy.id == remedy_id or not remedy_id:
                    return finding, remedy
    return None, None


def spaced(code: str) -> str:
    """A join code as it is read out: two groups of three."""
    return f"{code[:3]} {code[3:]}"


def session_state(web: Web, request: Request) -> Response:
    live, found, _ = lead_session_of(web, request)
    return JSONResponse(state_of(web, live, found), headers={"cache-control": "no-store"})


def state_of(web: Web, live: LiveSession, found: Round) -> dict[str, Any]:
    """What a screen or a phone needs to follow the session: counts and shown results, never a person's vote."""
    poll = web.store.current_poll(live.id)
    current = poll_tally(web, found, poll) if poll else None
    said = ""
    if current and current.after and current.before:
        said = f"Results after the discussion. Before: {current.before.sentence()} After: {current.after.sentence()}"
    elif current and current.before:
        said = f"Results: {current.before.sentence()}"
    return {
        "phase": current.phase(poll) if current else "none",
        "live": live.live,
        "joined": len(web.store.participants(live.id)),
        "voted": current.voted if current else 0,
        "needed": current.needed if current else found.min_group,
        "results": said,
    }


async def session_post(web: Web, request: Request) -> Response:
    """The facilitator's buttons: put a statement, close the vote, vote again, reopen, note, action, end."""
    live, found, secret = await run_in_threadpool(lead_session_of, web, request)
    fields = await csrf.read_form(request, web.key, "lead:" + secret)
    verb = request.path_params["verb"]
    back = f"/lead/sessions/{live.id}"
    poll = await run_in_threadpool(web.store.current_poll, live.id)
    try:
        if verb == "poll":
            question = web.questionnaire.questions.get(fields.get("question", ""))
            if question is None or question.type != "scale":
                raise Refused(400, "Choose a statement", "Pick one of the statements listed, then put it to the room.")
            if poll is not None and poll.open:  # putting another would end this vote with what it has
                raise Refused(409, "A vote is still open", STILL_OPEN)
            voted = await run_in_threadpool(voted_on, web, live)
            if question.id in voted:
                raise Refused(409, "The room has voted on this statement", ONCE)
            await run_in_threadpool(web.store.open_poll, live.id, question.id)
        elif verb in ("close", "again", "reopen") and poll is not None:
            current = await run_in_threadpool(poll_tally, web, found, poll)
            if verb == "close":
                await run_in_threadpool(web.store.close_poll, poll.id)
            elif verb == "again" and poll.stage == 1 and current.before is not None:
                await run_in_threadpool(web.store.vote_again, poll.id)
            elif verb == "reopen" and current.too_few:
                await run_in_threadpool(web.store.reopen_poll, poll.id)
            else:  # once results are shown, more votes would show what the late ones changed
                raise Refused(409, "This cannot be done now", AFTER_RESULTS)
        elif verb == "note" and poll is not None:
            note = fields.get("note", "").replace("\r\n", "\n")
            problem = forms.control_errors({"note": note}, ("note",))
            if problem:
                raise Refused(
                    400, "The note was not saved", f"{problem['note']}. Go back, change it and save it again."
                )
            await run_in_threadpool(web.store.note_poll, poll.id, note)
        elif verb == "actions":
            return await add_action(web, request, live, found, secret, fields)
        elif verb == "end":
            await run_in_threadpool(web.store.end_live_session, live.id)
        else:
            raise Refused(404, "Not found", "No such button on this screen.")
    except StoreError as error:
        raise Refused(409, "This cannot be done now", error.message) from None
    return RedirectResponse(back + "#statement", status_code=303)


async def add_action(
    web: Web, request: Request, live: LiveSession, found: Round, secret: str, fields: Mapping[str, str]
) -> Response:
    result = await run_in_threadpool(web.assessment, found)
    finding, remedy = chosen_remedy(result, fields.get("finding", ""))
    if finding is None:
        raise Refused(400, "Choose a finding", "Pick the finding the action is for, then record it.")
    typed = {name: fields.get(name, "").strip().replace("\r\n", "\n") for name in ("action", "owner", "due", "note")}
    errors: dict[str, str] = {}
    for name in ("action", "owner"):
        if not typed[name]:
            errors[name] = BLANK_ACTION[name]
    try:
        due = datetime.date.fromisoformat(typed["due"])
        typed["due"] = due.isoformat()
    except ValueError:
        errors["due"] = f"must be a date YYYY-MM-DD (got {typed['due']!r})" if typed["due"] else BLANK_ACTION["due"]
    errors.update(forms.control_errors(typed, ("action", "owner", "note")))
    if errors:
        shown = {name: printable(value) for name, value in typed.items()}
        request.scope["query_string"] = f"view=actions&finding={fields.get('finding', '')}".encode()
        return await run_in_threadpool(
            screen_page, web, request, live, found, secret, view="actions", code=400, errors=errors, typed=shown
        )
    action = LiveAction(
        0, finding.title, remedy.id, remedy.title, typed["action"], typed["owner"], typed["due"], typed["note"]
    )
    await run_in_threadpool(web.store.add_action, live.id, action)
    return RedirectResponse(f"/lead/sessions/{live.id}?view=actions#recorded", status_code=303)


BLANK_ACTION = {  # what the facilitator is told for a field left blank
    "action": "Write the action the room agreed",
    "owner": "Write the organisation that owns the action",
    "due": "Give the date it is due, as YYYY-MM-DD (for example 2027-03-31)",
}
ONCE = (
    "A statement is put to the room once a session, so that two results cannot be compared to find the vote of "
    "someone who voted only once; its second vote, after the discussion, is the way to vote on it again."
)
STILL_OPEN = (
    "Close the vote on the statement the room has now before you put another: the room's votes on it would "
    "otherwise end where they are, and the statement could not be put to the room again in this session."
)
AFTER_RESULTS = (
    "A vote whose results are shown is not opened again, nor voted on again before its results are shown: "
    "the results before and after would give away how the last voters answered."
)


def voted_on(web: Web, live: LiveSession) -> set[str]:
    """The statements put to the room in this session."""
    return {poll.question_id for poll in web.store.polls(live.id)}


# --- the session record ---------------------------------------------------------------


def record_context(web: Web, live: LiveSession, found: Round) -> dict[str, Any]:
    polls = []
    for poll in web.store.polls(live.id):
        question = web.questionnaire.questions.get(poll.question_id)
        polls.append((poll, question.text.strip() if question else poll.question_id, poll_tally(web, found, poll)))
    people = web.store.participants(live.id)
    return {
        "live": live,
        "round": found,
        "polls": polls,
        "actions": web.store.session_actions(live.id),
        "joined": len(people),
        "buckets": BUCKETS,
    }


def session_record(web: Web, request: Request) -> Response:
    live, found, _ = lead_session_of(web, request)
    fmt = request.path_params["fmt"]
    if fmt not in ("md", "pdf"):
        raise Refused(404, "No such format", "The session record is given as Markdown (record.md) or PDF (record.pdf).")
    context = record_context(web, live, found)
    name = re.sub(r"[^a-z0-9]+", "-", found.partnership.lower()).strip("-") or "partnership"
    filename = f"{name}-session-{live.id}.{fmt}"
    content: str | bytes
    if fmt == "md":
        content = record_templates().get_template("session_record.md").render(**context)
        media = "text/markdown; charset=utf-8"
    else:
        content = html_to_pdf(web.templates.get_template("session_record.html").render(**context))
        media = "application/pdf"
    return Response(
        content,
        media_type=media,
        headers={"content-disposition": f'attachment; filename="{filename}"', "cache-control": "no-store"},
    )


def record_templates() -> Environment:
    """The Markdown record's templates: not HTML-escaped; every value written goes through the ``md`` filter."""
    env = Environment(  # autoescape for HTML only: Markdown values go through the ``md`` filter instead
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        loader=FileSystemLoader(str(HERE / "templates")),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = md_text
    return env


# --- the phones -------------------------------------------------------------------------


def clean_code(text: str) -> str:
    """A join code as typed: capitals, without spaces or dashes."""
    return re.sub(r"[\s-]", "", text).upper()


def join_page(web: Web, request: Request) -> Response:
    typed = request.query_params.get("code", "")
    if not typed:
        return web.page("session_join.html", error="", typed="")
    code = clean_code(typed)
    if len(code) == CODE_LENGTH and all(c in CODE_ALPHABET for c in code) and web.store.live_session_by_code(code):
        return RedirectResponse(f"/s/{code}", status_code=303)
    error = f"No session has the code {printable(typed)[:20]!r}: check the code on the screen (6 letters and digits)."
    return web.page("session_join.html", code=404, error=error, typed=printable(typed)[:20])  # counted as a guess


def phone_session(web: Web, request: Request) -> tuple[LiveSession, Round, Participant | None]:
    code = clean_code(request.path_params["code"])
    live = web.store.live_session_by_code(code) if code.isalnum() else None
    if live is None:
        raise Refused(404, "No such session", "Check the code on the screen, or type it on the join page (/join).")
    participant = web.store.participant(live.id, request.cookies.get(PHONE_COOKIE, ""))
    return live, web.store.get_round(live.round_id), participant


def phone_page(web: Web, request: Request, *, code: int = 200, error: str = "") -> Response:
    live, found, participant = phone_session(web, request)
    if request.path_params["code"] != live.code:  # the code as typed: the phone's cookie is kept for /s/CODE
        return RedirectResponse(f"/s/{live.code}", status_code=303)
    if participant is None:
        return web.page(
            "session_phone_join.html",
            code=code,
            live=live,
            round=found,
            error=error,
            organisations=sorted({p.organisation for p in web.store.respondents(found.id)}),
            csrf=csrf.token(web.key, "join:" + live.code),
        )
    poll = web.store.current_poll(live.id)
    question = web.questionnaire.questions.get(poll.question_id) if poll else None
    mine = web.store.votes(poll.id) if poll else {1: {}, 2: {}}
    current = poll_tally(web, found, poll) if poll else None
    return web.page(
        "session_phone.html",
        code=code,
        live=live,
        round=found,
        participant=participant,
        poll=poll,
        question=question,
        asked=question is not None and question.asks(participant.role),
        voted=poll is not None and participant.id in mine[poll.stage],
        voted_first=poll is not None and participant.id in mine[1],
        tally=current,
        phase=current.phase(poll) if current else "none",
        error=error,
        csrf=csrf.token(web.key, "phone:" + request.cookies.get(PHONE_COOKIE, "")),
        buckets=BUCKETS,
    )


def phone_state(web: Web, request: Request) -> Response:
    live, found, participant = phone_session(web, request)
    if participant is None:
        raise Refused(403, "Join first", "This phone has not joined the session.")
    return JSONResponse(state_of(web, live, found), headers={"cache-control": "no-store"})


async def phone_post(web: Web, request: Request) -> Response:
    live, found, participant = await run_in_threadpool(phone_session, web, request)
    verb = request.path_params["verb"]
    back = RedirectResponse(f"/s/{live.code}", status_code=303)
    if verb == "join":
        fields = await csrf.read_form(request, web.key, "join:" + live.code)
        if participant is not None:
            return back  # joined already: one phone, one vote
        if not live.live:
            raise Refused(409, "This session has ended", "Thank you for taking part.")
        role = fields.get("role", "")
        organisation = fields.get("organisation", "").strip() if live.ask_organisation else ""
        known = {p.organisation for p in web.store.respondents(found.id)}
        if role not in ROLES:
            return phone_page(web, request, code=400, error="Choose your role in the partnership.")
        if organisation and organisation not in known:
            organisation = ""  # only the round's organisations: a typed name could single someone out
        token = await run_in_threadpool(web.store.join_live_session, live.id, role, organisation or None)
        back.set_cookie(PHONE_COOKIE, token, httponly=True, samesite="lax", max_age=12 * 3600, path=f"/s/{live.code}")
        return back
    if participant is None:
        return back  # the join page
    fields = await csrf.read_form(request, web.key, "phone:" + request.cookies.get(PHONE_COOKIE, ""))
    if verb != "vote":
        raise Refused(404, "Not found", "No such button on this page.")
    poll = await run_in_threadpool(web.store.current_poll, live.id)
    value = fields.get("answer", "")
    if poll is None or fields.get("poll") != str(poll.id) or not poll.open:
        return phone_page(web, request, code=409, error="Voting on that statement has closed; here is where it stands.")
    question = web.questionnaire.questions.get(poll.question_id)
    if value not in ("1", "2", "3", "4", "5", DONT_KNOW):
        return phone_page(web, request, code=400, error="Choose an answer, or “Don't know”, then send it.")
    if question is None or not question.asks(participant.role):
        return back
    try:
        await run_in_threadpool(web.store.vote, poll.id, participant.id, value)
    except StoreError:
        return phone_page(web, request, code=409, error="Voting on that statement has closed; here is where it stands.")
    return back

"""The web app for assessment rounds: respondents' forms, the lead's pages, the facilitator's screen.

Starlette (the toolkit FastAPI is built on) serves server-rendered Jinja2 pages and
plain HTML forms, so every page works without JavaScript; uvicorn runs it. Everything
the app knows is in a :class:`~partnership_health.store.sqlite.Store`; the reports come from the engine's
public verbs (:func:`partnership_health.assess`, :func:`partnership_health.render`).

Who may see what:

* a respondent's private link (``/r/TOKEN``) opens that respondent's answers only;
* the lead's pages (``/lead/...``) need the lead's secret: its private link
  (``/lead/enter/SECRET``) starts a session kept in an HttpOnly cookie;
* an open room link (``/room/TOKEN``, opened by the lead) lets people in the room add
  themselves, and then sends each to a private link of their own.

Every form carries a CSRF token (an HMAC of the caller's secret under the app's key);
a POST from another origin is refused; request bodies are limited in size.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import re
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp

from ..core.assessment import assess
from ..core.explain import shown
from ..core.loading import load_questionnaire, load_rulebase
from ..errors import InputError
from ..models import ROLES, Assessment, Questionnaire, QuestionnaireRef, RuleBase, Section, Since
from ..options import AssessOptions
from ..reporting.render import FORMATS, contract, render
from ..store.history import compare_saved, overall_of
from ..store.sqlite import Invitee, Round, RoundClosedError, Store, StoredAssessment, StoreError
from . import forms
from .middleware import Guard

HERE = Path(__file__).resolve().parent
LEAD_COOKIE = "ph_lead"
MAX_BODY = 100_000  # bytes: a page of answers is a few kilobytes
ROLE_LABELS = {"lead": "Lead partner", "core": "Core partner", "wider": "Wider partner", "others": "Others"}
GROUP_LABELS = {"lead": "Lead partner", "core": "Core partners", "wider": "Wider partners", "others": "Others"}
MEDIA_TYPES = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "pdf": "application/pdf",
}
TOP_GAPS = 5


def create_app(
    store: Store | Path | str,
    *,
    questionnaire: Questionnaire | Path | str | None = None,
    rules: RuleBase | Path | str | None = None,
    max_body: int = MAX_BODY,
) -> ASGIApp:
    """The ASGI app over ``store``, with the questionnaire and rule base it assesses with."""
    web = WebApp(store if isinstance(store, Store) else Store(store), questionnaire, rules)
    return Guard(web.starlette(), max_body)


class Refused(Exception):
    """A request the app turns down with a page saying why."""

    def __init__(self, status: int, title: str, message: str) -> None:
        super().__init__(message)
        self.status, self.title, self.message = status, title, message


class WebApp:
    def __init__(
        self, store: Store, questionnaire: Questionnaire | Path | str | None, rules: RuleBase | Path | str | None
    ) -> None:
        self.store = store
        self.questionnaire = (
            questionnaire if isinstance(questionnaire, Questionnaire) else load_questionnaire(questionnaire)
        )
        self.rulebase = rules if isinstance(rules, RuleBase) else load_rulebase(rules, self.questionnaire)
        self.key = store.app_key().encode()
        self.templates = Environment(  # autoescape: every value a user wrote is escaped
            autoescape=True,
            loader=FileSystemLoader(str(HERE / "templates")),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.templates.globals.update(
            ROLES=ROLES,
            ROLE_LABELS=ROLE_LABELS,
            GROUP_LABELS=GROUP_LABELS,
            DONT_KNOW=forms.DONT_KNOW,
            DONT_KNOW_LABEL=forms.DONT_KNOW_LABEL,
            field_id=forms.field_id,
            allows_dont_know=forms.allows_dont_know,
            form_value=forms.form_value,
            shown_answer=forms.shown_answer,
            FORMATS=sorted(FORMATS),
        )
        self.templates.filters["number"] = lambda value: "–" if value is None else shown(value)
        self._assessments: dict[int, tuple[str, Assessment | None]] = {}
        self._lock = threading.Lock()

    def starlette(self) -> Starlette:
        routes = [
            Route("/", self.home),
            Route("/r/{token}", self.respondent_start),
            Route("/r/{token}/section/{number:int}", self.section, methods=["GET", "POST"]),
            Route("/r/{token}/check", self.check),
            Route("/r/{token}/send", self.send, methods=["POST"]),
            Route("/r/{token}/thanks", self.thanks),
            Route("/room/{token}", self.room, methods=["GET", "POST"]),
            Route("/lead/enter/{secret}", self.lead_enter),
            Route("/lead", self.lead_home),
            Route("/lead/rounds", self.lead_create, methods=["POST"]),
            Route("/lead/rounds/{round_id:int}", self.lead_round),
            Route("/lead/rounds/{round_id:int}/invite", self.lead_invite, methods=["POST"]),
            Route("/lead/rounds/{round_id:int}/room", self.lead_room, methods=["POST"]),
            Route("/lead/rounds/{round_id:int}/close", self.lead_close, methods=["POST"]),
            Route("/lead/rounds/{round_id:int}/report.{fmt}", self.lead_report),
            Route("/lead/rounds/{round_id:int}/screen", self.screen),
            Route("/lead/rounds/{round_id:int}/screen.json", self.screen_changes),
            Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
        ]
        return Starlette(routes=routes, exception_handlers={Refused: self.refused, StoreError: self.store_error})

    # --- helpers ------------------------------------------------------------------------

    def page(self, template: str, code: int = 200, **context: Any) -> HTMLResponse:
        html = self.templates.get_template(template).render(questionnaire=self.questionnaire, **context)
        return HTMLResponse(html, status_code=code, headers={"cache-control": "no-store"})

    async def refused(self, request: Request, error: Exception) -> Response:
        assert isinstance(error, Refused)
        return self.page("refused.html", code=error.status, title=error.title, message=error.message)

    async def store_error(self, request: Request, error: Exception) -> Response:
        assert isinstance(error, StoreError)
        if isinstance(error, RoundClosedError):
            return self.page("refused.html", code=409, title="This round has closed", message=error.message)
        return self.page("refused.html", code=404, title="Not found", message=error.message)

    def csrf(self, purpose: str) -> str:
        return hmac.new(self.key, purpose.encode(), hashlib.sha256).hexdigest()

    async def form(self, request: Request, purpose: str) -> dict[str, str]:
        """The submitted form, once its CSRF token is checked."""
        data = await request.form()
        fields = {name: value for name, value in data.items() if isinstance(value, str)}
        if not hmac.compare_digest(fields.get("csrf", ""), self.csrf(purpose)):
            raise Refused(403, "This form has expired", "Go back, reload the page and send it again.")
        return fields

    def check_questionnaire(self, found: Round) -> None:
        mine = QuestionnaireRef(id=self.questionnaire.id, version=self.questionnaire.version)
        if found.questionnaire != mine:
            raise Refused(
                409,
                "This round uses another questionnaire",
                f"The round was started with questionnaire '{found.questionnaire.id}' version "
                f"{found.questionnaire.version}; this server has '{mine.id}' version {mine.version}.",
            )

    def assessment(self, found: Round, *, show_respondents: bool = False) -> Assessment | None:
        """The round assessed as its report shows it (None before anyone has answered); cached."""
        changes = self.store.changes(found.id)
        if not show_respondents:
            with self._lock:
                cached = self._assessments.get(found.id)
            if cached and cached[0] == changes:
                return cached[1]
        answers = self.store.round_answers(found.id)
        try:
            result = (
                assess(
                    answers,
                    self.questionnaire,
                    self.rulebase,
                    AssessOptions(min_group=found.min_group, show_respondents=show_respondents),
                )
                if answers
                else None
            )
        except InputError as error:  # e.g. answers this engine cannot assess
            raise Refused(409, "The answers cannot be assessed", error.message) from None
        if not show_respondents:
            with self._lock:
                self._assessments[found.id] = (changes, result)
        return result

    # --- respondents --------------------------------------------------------------------

    def respondent(self, request: Request) -> tuple[Invitee, Round]:
        person = self.store.respondent(request.path_params["token"])
        if person is None:
            raise Refused(
                404, "This link does not work", "Check that you copied the whole link, or ask the lead for a new one."
            )
        found = self.store.get_round(person.round_id)
        self.check_questionnaire(found)
        return person, found

    def home(self, request: Request) -> Response:
        return self.page("home.html")

    def respondent_start(self, request: Request) -> Response:
        person, found = self.respondent(request)
        saved = self.store.saved_sections(person.id)
        sections = forms.sections_for(self.questionnaire, person.role)
        return self.page(
            "start.html",
            person=person,
            round=found,
            token=person.token,
            saved=saved,
            resume=self.resume_at(sections, saved),
            sections=sections,
        )

    @staticmethod
    def resume_at(sections: list[Section], saved: set[str]) -> int | None:
        """The number of the first section not yet saved (None when every one is)."""
        for number, section in enumerate(sections, 1):
            if section.id not in saved:
                return number
        return None

    async def section(self, request: Request) -> Response:
        person, found = await run_in_threadpool(self.respondent, request)
        number = request.path_params["number"]
        sections = forms.sections_for(self.questionnaire, person.role)
        if not 1 <= number <= len(sections):
            raise Refused(404, "There is no such page", "Go back to the start of the form with your link.")
        section = sections[number - 1]
        returning = request.query_params.get("return") == "check"
        answers = await run_in_threadpool(self.store.answers_of, person.id)
        errors: dict[str, str] = {}
        typed: dict[str, str] = {}
        if request.method == "POST":
            if not found.open:
                raise Refused(409, "This round has closed", "Your answers were kept; they can no longer change.")
            fields = await self.form(request, "respondent:" + person.token)
            submitted = forms.read_section(section, fields)
            if not submitted.errors:
                try:
                    await run_in_threadpool(self.store.save_section, person.id, section.id, submitted.answers)
                except RoundClosedError:
                    raise Refused(
                        409, "This round has closed", "Your answers were kept; they can no longer change."
                    ) from None
                following = self.resume_at(sections, await run_in_threadpool(self.store.saved_sections, person.id))
                if returning or number == len(sections) or following is None:
                    target = f"/r/{person.token}/check"
                else:
                    target = f"/r/{person.token}/section/{number + 1}"
                return RedirectResponse(target, status_code=303)
            errors, typed = submitted.errors, submitted.typed
        return self.page(
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
            csrf=self.csrf("respondent:" + person.token),
        )

    def check(self, request: Request) -> Response:
        person, found = self.respondent(request)
        return self.page(
            "check.html",
            sections=forms.sections_for(self.questionnaire, person.role),
            person=person,
            round=found,
            token=person.token,
            answers=self.store.answers_of(person.id),
            saved=self.store.saved_sections(person.id),
            csrf=self.csrf("respondent:" + person.token),
        )

    async def send(self, request: Request) -> Response:
        person, found = await run_in_threadpool(self.respondent, request)
        await self.form(request, "respondent:" + person.token)
        try:
            await run_in_threadpool(self.store.finish, person.id)
        except RoundClosedError:
            raise Refused(409, "This round has closed", "Your answers were kept; they can no longer change.") from None
        return RedirectResponse(f"/r/{person.token}/thanks", status_code=303)

    def thanks(self, request: Request) -> Response:
        person, found = self.respondent(request)
        return self.page("thanks.html", person=person, round=found, token=person.token)

    async def room(self, request: Request) -> Response:
        found = await run_in_threadpool(self.store.round_by_room, request.path_params["token"])
        if found is None or not found.room_open or not found.open:
            raise Refused(
                404, "This room link is not open", "Ask the lead to open the room, or for a private link of your own."
            )
        self.check_questionnaire(found)
        purpose = "room:" + found.room_token
        errors: dict[str, str] = {}
        typed: dict[str, str] = {}
        if request.method == "POST":
            fields = await self.form(request, purpose)
            typed = {name: fields.get(name, "").strip() for name in ("organisation", "role", "name")}
            if not typed["organisation"]:
                errors["organisation"] = "'organisation' is required"
            if typed["role"] not in ROLES:
                errors["role"] = f"must be one of {', '.join(ROLES)} (got {typed['role']!r})"
            if not errors:
                (person,) = await run_in_threadpool(
                    self.store.invite,
                    found.id,
                    [(typed["organisation"], typed["role"], typed["name"] or None)],
                    "room",
                )
                return RedirectResponse(f"/r/{person.token}", status_code=303)
        return self.page(
            "room.html",
            code=400 if errors else 200,
            round=found,
            errors=errors,
            typed=typed,
            summary=summary(errors, {"organisation": "Your organisation", "role": "Role in the partnership"}),
            csrf=self.csrf(purpose),
        )

    # --- the lead -----------------------------------------------------------------------

    def lead_session(self, request: Request) -> str:
        session = request.cookies.get(LEAD_COOKIE, "")
        if not session or not self.store.lead_session_exists(session):
            raise Refused(
                403,
                "This page is for the partnership lead",
                "It opens with the lead's private link, which 'partnership-health serve' prints when it starts.",
            )
        return session

    def lead_round(self, request: Request) -> Response:
        session = self.lead_session(request)
        found = self.store.get_round(request.path_params["round_id"])
        return self.round_page(request, found, session)

    def round_page(
        self,
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
        kept = self.store.round_assessment(found.id)
        stored = self.store.assessments(found.partnership, full=True)
        return self.page(
            "lead_round.html",
            code=code,
            round=found,
            people=self.store.respondents(found.id),
            status=self.store.status(found.id),
            base=str(request.base_url).rstrip("/"),
            csrf=self.csrf("lead:" + session),
            errors=errors or {},
            typed=typed or {},
            summary=summary or [],
            kept=kept,
            kept_exists=any(each.id == kept for each in stored),
            history=[
                (each, len((each.report or {}).get("findings") or ()), overall_of(each.report or {})) for each in stored
            ],
            previous=previous_of(stored, found),
        )

    def lead_enter(self, request: Request) -> Response:
        if not hmac.compare_digest(request.path_params["secret"], self.store.lead_secret()):
            raise Refused(403, "This link does not work", "Check that you copied the lead's whole private link.")
        target = "/lead"
        wanted = request.query_params.get("round", "")
        if wanted.isdigit():
            target = f"/lead/rounds/{int(wanted)}"
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(
            LEAD_COOKIE, self.store.new_lead_session(), httponly=True, samesite="lax", max_age=30 * 24 * 3600
        )
        return response

    def lead_home(self, request: Request) -> Response:
        session = self.lead_session(request)
        rounds = [(found, self.store.status(found.id)) for found in self.store.rounds()]
        return self.page(
            "lead_home.html",
            rounds=rounds,
            csrf=self.csrf("lead:" + session),
            today=datetime.date.today().isoformat(),
            errors={},
            typed={},
            summary=[],
        )

    async def lead_create(self, request: Request) -> Response:
        session = await run_in_threadpool(self.lead_session, request)
        fields = await self.form(request, "lead:" + session)
        typed = {name: fields.get(name, "").strip() for name in ("partnership", "date", "min_group")}
        errors: dict[str, str] = {}
        if not typed["partnership"]:
            errors["partnership"] = "'partnership' is required"
        try:
            date = datetime.date.fromisoformat(typed["date"])
        except ValueError:
            errors["date"] = f"must be a date YYYY-MM-DD (got {typed['date']!r})"
        if not typed["min_group"].isdigit() or int(typed["min_group"]) < 1:
            errors["min_group"] = f"must be a whole number of at least 1 (got {typed['min_group']!r})"
        if errors:
            rounds = [(found, self.store.status(found.id)) for found in self.store.rounds()]
            return self.page(
                "lead_home.html",
                code=400,
                rounds=rounds,
                csrf=self.csrf("lead:" + session),
                today=datetime.date.today().isoformat(),
                errors=errors,
                typed=typed,
                summary=summary(
                    errors, {"partnership": "Partnership name", "date": "Date", "min_group": "Smallest group"}
                ),
            )
        ref = QuestionnaireRef(id=self.questionnaire.id, version=self.questionnaire.version)
        made = await run_in_threadpool(
            self.store.create_round, typed["partnership"], date, ref, int(typed["min_group"])
        )
        return RedirectResponse(f"/lead/rounds/{made.id}", status_code=303)

    async def lead_action(self, request: Request) -> tuple[Round, dict[str, str], str]:
        session = await run_in_threadpool(self.lead_session, request)
        found = await run_in_threadpool(self.store.get_round, request.path_params["round_id"])
        return found, await self.form(request, "lead:" + session), session

    async def lead_invite(self, request: Request) -> Response:
        found, fields, session = await self.lead_action(request)
        typed = {name: fields.get(name, "").strip() for name in ("organisation", "role", "name")}
        errors: dict[str, str] = {}
        if not typed["organisation"]:
            errors["organisation"] = "'organisation' is required"
        if typed["role"] not in ROLES:
            errors["role"] = f"must be one of {', '.join(ROLES)} (got {typed['role']!r})"
        if errors:
            return self.round_page(
                request,
                found,
                session,
                code=400,
                errors=errors,
                typed=typed,
                summary=summary(errors, {"organisation": "Organisation", "role": "Role in the partnership"}),
            )
        try:
            await run_in_threadpool(
                self.store.invite, found.id, [(typed["organisation"], typed["role"], typed["name"] or None)]
            )
        except RoundClosedError:
            raise Refused(409, "This round has closed", "A closed round takes no new respondents.") from None
        return RedirectResponse(f"/lead/rounds/{found.id}#invitees", status_code=303)

    async def lead_room(self, request: Request) -> Response:
        found, fields, _ = await self.lead_action(request)
        try:
            await run_in_threadpool(self.store.set_room, found.id, fields.get("open") == "yes")
        except RoundClosedError:
            raise Refused(409, "This round has closed", "A closed round's room cannot open.") from None
        return RedirectResponse(f"/lead/rounds/{found.id}#room", status_code=303)

    async def lead_close(self, request: Request) -> Response:
        """Close the round and keep its assessment once: closing it again keeps it only if it is not kept yet."""
        found, _, _ = await self.lead_action(request)
        self.check_questionnaire(found)
        closed = await run_in_threadpool(self.store.close_round, found.id)
        await run_in_threadpool(self.keep, closed)
        return RedirectResponse(f"/lead/rounds/{found.id}#year", status_code=303)

    def keep(self, found: Round) -> int | None:
        """Save a closed round's assessment for next year's comparison; None when nobody answered."""
        result = self.assessment(found)
        answers = self.store.round_answers(found.id)
        if result is None or answers is None:
            return None
        options: dict[str, Any] = {"min_group": found.min_group}
        previous = previous_of(self.store.assessments(found.partnership), found)
        if previous is not None:  # what its reports compare with: history show compares with it again
            options["compared_with"] = {"id": previous.id, "assessed_on": previous.assessed_on.isoformat()}
        kept, _ = self.store.keep_round_assessment(
            found.id, answers, contract(result), rulebase_version=result.rulebase_version, options=options
        )
        return kept

    def since(self, found: Round, result: Assessment) -> dict[str, Any] | None:
        """What changed since the partnership's latest stored assessment before this round (None when none is)."""
        changed = self.changed(found, result)
        return changed.model_dump(mode="json") if changed else None

    def changed(self, found: Round, result: Assessment) -> Since | None:
        stored = self.store.assessments(found.partnership, full=True)
        previous = previous_of(stored, found)
        if previous is None or previous.report is None:
            return None
        return compare_saved(stored, previous, result, self.store.actions_of(previous.id))

    def lead_report(self, request: Request) -> Response:
        self.lead_session(request)
        found = self.store.get_round(request.path_params["round_id"])
        fmt = request.path_params["fmt"]
        if fmt not in FORMATS:
            raise Refused(404, "No such report format", f"The formats are {', '.join(sorted(FORMATS))}.")
        self.check_questionnaire(found)
        result = self.assessment(found, show_respondents=request.query_params.get("names") == "yes")
        if result is None:
            raise Refused(409, "Nobody has answered yet", "The report can be made once someone has answered.")
        since = None if request.query_params.get("since") == "no" else self.since(found, result)
        content = render(result, self.questionnaire, fmt, since=since)  # type: ignore[arg-type]
        name = re.sub(r"[^a-z0-9]+", "-", found.partnership.lower()).strip("-") or "partnership"
        filename = f"{name}-{found.assessed_on.isoformat()}{'-since' if since else ''}.{fmt}"
        return Response(
            content,
            media_type=MEDIA_TYPES[fmt],
            headers={"content-disposition": f'attachment; filename="{filename}"', "cache-control": "no-store"},
        )

    # --- the facilitator's screen ---------------------------------------------------------

    def screens(self, found: Round) -> tuple[list[dict[str, Any]], Assessment | None]:
        """The screens for the room: the count, then the top disagreements, then the findings."""
        result = self.assessment(found)
        screens: list[dict[str, Any]] = [{"kind": "count"}]
        notes: dict[str, str] = {}
        if result:
            changed = self.changed(found, result)
            notes = year_notes(changed) if changed else {}
            screens += [
                {"kind": "gap", "gap": gap, "rank": n, "since": notes.get(f"question:{gap.question}", "")}
                for n, gap in enumerate(result.gaps[:TOP_GAPS], 1)
            ]
            screens += [
                {"kind": "finding", "finding": finding, "rank": n, "since": notes.get(f"finding:{finding.title}", "")}
                for n, finding in enumerate(result.findings, 1)
            ]
        screens.append({"kind": "end", "since": notes.get("resolved", "")})
        return screens, result

    def screen(self, request: Request) -> Response:
        self.lead_session(request)
        found = self.store.get_round(request.path_params["round_id"])
        self.check_questionnaire(found)
        screens, result = self.screens(found)
        wanted = request.query_params.get("step", "1")
        step = min(max(int(wanted) if wanted.isdigit() else 1, 1), len(screens))
        return self.page(
            "screen.html",
            round=found,
            status=self.store.status(found.id),
            screens=screens,
            current=screens[step - 1],
            step=step,
            result=result,
            changes=self.store.changes(found.id),
            gap_count=sum(s["kind"] == "gap" for s in screens),
            finding_count=sum(s["kind"] == "finding" for s in screens),
        )

    def screen_changes(self, request: Request) -> Response:
        self.lead_session(request)
        found = self.store.get_round(request.path_params["round_id"])
        status = self.store.status(found.id)
        return JSONResponse(
            {"changes": self.store.changes(found.id), "started": status.started, "finished": status.finished},
            headers={"cache-control": "no-store"},
        )


def year_notes(changed: Since) -> dict[str, str]:
    """What the facilitator's screens say about last time, in words to say aloud.

    Keyed ``finding:TITLE`` (new, or found last time too, with what was done about it),
    ``question:ID`` (seen differently last time too, or not) and ``resolved``.
    """
    on = changed.previous.assessed_on.isoformat() if changed.previous.assessed_on else "last time"
    notes = {f"finding:{f.title}": f"New since {on}." for f in changed.findings.new}
    done = {follow.finding: follow.actions for follow in changed.actions.follow_up} if changed.actions else {}
    for f in changed.findings.persisting:
        then = f" (then {f.previous_severity})" if f.severity_change != "same" else ""
        actions = "; ".join(f"{a.remedy}: {a.status or 'no status given'}" for a in done.get(f.title, ()))
        planned = f" What was planned: {actions}." if actions else ""
        notes[f"finding:{f.title}"] = f"Also found on {on}{then}.{planned}"
    if changed.disagreement:
        before = set(changed.disagreement.then)
        for question in changed.disagreement.now:
            notes[f"question:{question}"] = (
                f"Also seen differently on {on}." if question in before else f"Not seen differently on {on}."
            )
    if changed.findings.resolved:
        titles = "; ".join(f.title for f in changed.findings.resolved)
        notes["resolved"] = f"Found on {on} and not this time: {titles}."
    return notes


def previous_of(stored: list[StoredAssessment], found: Round) -> StoredAssessment | None:
    """The latest of ``stored`` (oldest first) dated before the round: what its reports compare with."""
    before = [each for each in stored if each.assessed_on < found.assessed_on]
    return before[-1] if before else None


def summary(errors: Mapping[str, str], labels: Mapping[str, str]) -> list[tuple[str, str]]:
    """The error summary's links: each field's id and its problem, in the form's order."""
    return [(f"f-{name}", f"{label} – {errors[name]}") for name, label in labels.items() if name in errors]

"""What every page of the web app shares: the :class:`Web` state, :class:`Refused`, and small helpers.

The views (:mod:`.views`) are functions of a :class:`Web` and a request; :func:`.app.create_app`
makes the one :class:`Web` of an app and joins the views' routes.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from ..core.assessment import assess, too_few_note
from ..core.loading import load_questionnaire, load_rulebase
from ..errors import InputError
from ..links import origin
from ..models import DONT_KNOW, ROLES, Assessment, Questionnaire, QuestionnaireRef, RuleBase
from ..reporting.render import FORMATS
from ..store import ROUND_MIN_GROUP
from ..store.sqlite import Round, RoundClosedError, Store, StoreError, StoreFault, TooLongError
from ..wording import DONT_KNOW_LABEL, GROUP_LABELS, ROLE_LABELS, shown
from . import forms
from .cache import Reports
from .limits import Limiter

HERE = Path(__file__).resolve().parent

View = Callable[["Web", Request], Response] | Callable[["Web", Request], Awaitable[Response]]


class Refused(Exception):
    """A request the app turns down with a page saying why."""

    def __init__(self, status: int, title: str, message: str) -> None:
        super().__init__(message)
        self.status, self.title, self.message = status, title, message


class Web:
    """What every page shares: the store, the questionnaire and rule base, the templates, the assessments."""

    def __init__(
        self,
        store: Store,
        questionnaire: Questionnaire | Path | str | None,
        rules: RuleBase | Path | str | None,
        *,
        public_url: str | None = None,
        secure_cookies: bool = False,
        limiter: Limiter | None = None,
    ) -> None:
        self.store = store
        store.hold()  # reading goes on when the disk fills
        self.public_url = public_url  # the address links are built on (None: the socket a request came in on)
        self.secure_cookies = secure_cookies  # cookies only over HTTPS: the app's public URL is https://
        self.limiter = limiter  # None: no rate limits (the tests of other things)
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
            ROUND_MIN_GROUP=ROUND_MIN_GROUP,
            ROLE_LABELS=ROLE_LABELS,
            GROUP_LABELS=GROUP_LABELS,
            DONT_KNOW=DONT_KNOW,
            DONT_KNOW_LABEL=DONT_KNOW_LABEL,
            field_id=forms.field_id,
            allows_dont_know=forms.allows_dont_know,
            form_value=forms.form_value,
            shown_answer=forms.shown_answer,
            FORMATS=sorted(FORMATS),
        )
        self.templates.filters["number"] = lambda value: "–" if value is None else shown(value)
        self._assessments: dict[int, tuple[str, Assessment | None]] = {}
        self.reports = Reports(self.questionnaire)  # the lead's downloads, and the PDF worker
        self._lock = threading.Lock()

    def base_url(self, request: Request) -> str:
        """The address every link on a page is built on: the public URL, else the socket the request came in on.

        Never the request's ``Host`` header, which the sender chooses.
        """
        if self.public_url:
            return self.public_url
        server = request.scope.get("server") or ("127.0.0.1", None)
        return origin(request.scope.get("scheme", "http"), server[0], server[1])

    def route(self, path: str, view: View, *, methods: list[str] | None = None) -> Route:
        """The route of ``path`` to ``view``, called with this and the request."""
        return Route(path, functools.partial(view, self), methods=methods, name=view.__name__)

    def page(self, template: str, code: int = 200, **context: Any) -> HTMLResponse:
        html = self.templates.get_template(template).render(questionnaire=self.questionnaire, **context)
        return HTMLResponse(html, status_code=code, headers={"cache-control": "no-store"})

    async def refused(self, request: Request, error: Exception) -> Response:
        assert isinstance(error, Refused)
        return self.page("refused.html", code=error.status, title=error.title, message=error.message)

    async def not_found(self, request: Request, error: Exception) -> Response:
        """An address no page has (``/lead/rounds/-1``, a mistyped link): the app's page, not a bare 'Not Found'."""
        return self.page(
            "refused.html",
            code=404,
            title="There is no such page",
            message="Check that you copied the whole link; the lead can send it again.",
        )

    async def failed(self, request: Request, error: Exception) -> Response:
        """Any other error: a page saying so, never a bare "Internal Server Error" (the traceback goes to the log)."""
        return self.page(
            "refused.html",
            code=500,
            title="Something went wrong",
            message="The app could not show this page. What you saved before is kept: go back and try again, "
            "and if it happens again, tell the lead which page it was.",
        )

    async def store_error(self, request: Request, error: Exception) -> Response:
        assert isinstance(error, StoreError)
        if isinstance(error, RoundClosedError):
            return self.page("refused.html", code=409, title="This round has closed", message=error.message)
        if isinstance(error, TooLongError):
            return self.page("refused.html", code=400, title="Too long", message=error.message)
        if isinstance(error, StoreFault):  # a full disk, a lock, a read-only file: what is wrong, what to do
            page = self.page("refused.html", code=error.status, title=error.title, message=error.message)
            if error.retry_after:
                page.headers["retry-after"] = str(error.retry_after)
            return page
        return self.page("refused.html", code=404, title="Not found", message=error.message)

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
                    found.options.model_copy(update={"show_respondents": show_respondents}),
                )
                if answers
                else None
            )
        except InputError as error:  # e.g. answers this engine cannot assess
            raise Refused(409, "The answers cannot be assessed", error.message) from None
        if answers and result is not None and result.withheld:  # a round's smallest group is fixed at its start
            note = too_few_note(len(answers.respondents), found.options.min_group, ROUND_ADVICE)
            privacy = result.privacy_note.replace(result.withheld, note)
            result = result.model_copy(update={"withheld": note, "privacy_note": privacy})
        if not show_respondents:
            with self._lock:
                self._assessments[found.id] = (changes, result)
        return result


ROUND_ADVICE = (
    "This round promised its respondents that nothing is shown before then, so its smallest group cannot change: "
    "ask more partners to answer, or leave the round open until they have."
)
"""What a round's lead is told to do while too few have answered (not the command line's ``--min-group 1``)."""


def summary(errors: Mapping[str, str], labels: Mapping[str, str]) -> list[tuple[str, str]]:
    """The error summary's links: each field's id and its problem, in the form's order."""
    return [(f"f-{name}", f"{label} – {errors[name]}") for name, label in labels.items() if name in errors]

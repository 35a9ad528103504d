"""The web app for assessment rounds: respondents' forms, the lead's pages, the facilitator's screen.

Starlette (the toolkit FastAPI is built on) serves server-rendered Jinja2 pages and
plain HTML forms, so every page works without JavaScript; uvicorn runs it. Everything
the app knows is in a :class:`~partnership_health.store.sqlite.Store`; the reports come from the engine's
public verbs (:func:`partnership_health.assess`, :func:`partnership_health.render`).

Who may see what:

* a respondent's private link (``/r/TOKEN``) opens that respondent's answers only;
* the lead's pages (``/lead/...``) need a signed-in lead (:mod:`.views.account`: an account's
  password, or the local lead's private link ``/lead/enter/SECRET``), and show only that lead's
  rounds: another lead's round is "not found";
* an open room link (``/room/TOKEN``, opened by the lead) lets people in the room add
  themselves, and then sends each to a private link of their own.

Every form carries a CSRF token (an HMAC of the caller's secret under the app's key,
:mod:`.csrf`); a POST from another origin is refused; request bodies are limited in
size (:mod:`.middleware`); sign-in, the room sign-up and the token routes are rate-limited
(:mod:`.limits`).

The pages are in :mod:`.views`, one module per family (``respondent``, ``lead``,
``screen``); each view is a function of the :class:`~.shared.Web` every page shares and the request.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp

from ..links import LOOPBACK_NAMES, host_of
from ..models import Questionnaire, RuleBase
from ..store.sqlite import Store, StoreError
from .limits import Limiter, Limits, Throttle
from .middleware import Guard, behind_proxies
from .shared import HERE, Refused, Web
from .views import account, invites, lead, mailing, programme, respondent, screen, session, yearly

# Bytes. A page of answers is a few kilobytes, but the longest free-text answer allowed, 10,000
# characters of 4 bytes each in UTF-8, is 120,000 once form-encoded (%F0%9D%94%B8 for one).
MAX_BODY = 150_000


def create_app(
    store: Store | Path | str,
    *,
    questionnaire: Questionnaire | Path | str | None = None,
    rules: RuleBase | Path | str | None = None,
    max_body: int = MAX_BODY,
    public_url: str | None = None,
    allowed_hosts: Collection[str] | None = None,
    proxies: Collection[str] = (),
    secure_cookies: bool = False,
    limits: Limits | None = None,
) -> ASGIApp:
    """The ASGI app over ``store``, with the questionnaire and rule base it assesses with.

    ``public_url``: the address every link is built on (:func:`partnership_health.links.origin`
    form); None builds them on the address a request came in on, never on its ``Host`` header.
    ``allowed_hosts``: the names a request's ``Host`` may give; None: the public URL's host and
    this computer's names, or any when there is no public URL. ``proxies``: the addresses whose
    ``X-Forwarded-For`` and ``X-Forwarded-Proto`` are believed (anyone else's are ignored).
    ``secure_cookies``: the lead's cookie is sent only over HTTPS (give it when the public URL is https://);
    an HTTPS public URL adds HSTS.
    ``limits``: the rate limits (:mod:`.limits`; ``serve`` gives the defaults); None applies none.
    """
    limiter = Limiter(limits) if limits is not None else None
    web = Web(
        store if isinstance(store, Store) else Store(store),
        questionnaire,
        rules,
        public_url=public_url,
        secure_cookies=secure_cookies,
        limiter=limiter,
    )
    routes = [
        *respondent.routes(web),
        *account.routes(web),
        *lead.routes(web),
        *invites.routes(web),
        *mailing.routes(web),
        *yearly.routes(web),
        *programme.routes(web),
        *screen.routes(web),
        *session.routes(web),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        web.reports.close()  # the PDF worker, if a PDF was asked for

    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        exception_handlers={Refused: web.refused, StoreError: web.store_error, 404: web.not_found, 500: web.failed},
    )
    if allowed_hosts is None and public_url is not None:
        allowed_hosts = (host_of(public_url), *LOOPBACK_NAMES)
    https = public_url is not None and public_url.startswith("https://")
    guarded = Guard(Throttle(app, limiter) if limiter else app, max_body, hosts=allowed_hosts, hsts=https)
    return behind_proxies(guarded, proxies)

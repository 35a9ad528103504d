"""The lead's sign-in and sign-out, the session cookie, and how passwords are hashed.

An operator makes lead accounts on the command line (``partnership-health lead add``);
a lead signs in at ``/lead/sign-in`` with their email address and password. Passwords
are hashed with argon2id (argon2-cffi's defaults); the session token is new at every
sign-in, kept in an HttpOnly, SameSite=Lax cookie (``Secure`` when the app is served over
HTTPS) and stored only as a SHA-256 hash; it ends after two idle hours or twelve in all
(:data:`~partnership_health.store.sqlite.SESSION_IDLE`), or at sign-out.
The operator's local lead signs in with the private link ``serve`` prints (``/lead/enter/SECRET``).
"""

from __future__ import annotations

import functools
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from ...store.sqlite import LOCAL_LEAD, SESSION_ABSOLUTE, Lead, Store
from .. import csrf
from ..limits import too_many
from ..shared import Refused, Web

LEAD_COOKIE = "ph_lead"
MIN_PASSWORD = 12  # characters: NIST SP 800-63B's minimum for a password used alone
MAX_PASSWORD = 1024  # characters: long passphrases welcome, megabytes of hashing input not
MAX_EMAIL = 254  # characters: the longest address SMTP carries
SIGN_IN = "sign-in"  # the CSRF purpose of the sign-in form
WRONG = "The email address or the password is not right."

hasher = PasswordHasher()


def routes(web: Web) -> list[Route]:
    return [
        web.route("/lead/sign-in", sign_in, methods=["GET", "POST"]),
        web.route("/lead/sign-out", sign_out, methods=["POST"]),
        web.route("/lead/enter/{secret}", lead_enter),
    ]


def password_problem(password: str) -> str | None:
    """Why ``password`` cannot be a lead's password, or None."""
    if len(password) < MIN_PASSWORD:
        return f"a password needs at least {MIN_PASSWORD} characters (got {len(password)})"
    if len(password) > MAX_PASSWORD:
        return f"a password has at most {MAX_PASSWORD} characters (got {len(password)})"
    return None


def email_problem(email: str) -> str | None:
    """Why ``email`` cannot be a lead's address, or None."""
    local, at, domain = email.strip().rpartition("@")
    if not at or not local or "." not in domain or any(c.isspace() or not c.isprintable() for c in email.strip()):
        return f"not an email address: {email.strip()!r}"
    if len(email.strip()) > MAX_EMAIL:
        return f"an email address has at most {MAX_EMAIL} characters"
    return None


def hash_password(password: str) -> str:
    return hasher.hash(password)


@functools.cache
def dummy_hash() -> str:
    """A hash to verify against when the email is unknown, so that both failures take as long."""
    return hasher.hash(secrets.token_urlsafe(16))


def check_password(store: Store, email: str, password: str) -> Lead | None:
    """The lead whose email and password these are, or None; rehashes a hash made with older parameters."""
    found = store.find_lead(email) if email_problem(email) is None else None
    try:
        hasher.verify(found[1] if found else dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return None
    if found is None or found[0].id is None:
        return None
    lead, stored = found
    if lead.id is not None and hasher.check_needs_rehash(stored):
        store.set_password(lead.id, hasher.hash(password), sign_out=False)
    return lead


def signed_in(web: Web, request: Request) -> tuple[Lead, str]:
    """The signed-in lead and their session token; a 403 page otherwise."""
    session = request.cookies.get(LEAD_COOKIE, "")
    lead = web.store.session_lead(session)
    if lead is None:
        raise Refused(
            403,
            "This page is for the partnership lead",
            "Sign in at /lead/sign-in, or open the lead's private link that 'partnership-health serve' prints. "
            "A session ends after two idle hours or twelve in all.",
        )
    return lead, session


def start_session(web: Web, lead: Lead, target: str) -> Response:
    """Redirect to ``target`` with a new session of ``lead`` (a new token at every sign-in: no fixation)."""
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        LEAD_COOKIE,
        web.store.new_session(lead.id),
        max_age=int(SESSION_ABSOLUTE.total_seconds()),
        path="/",
        secure=web.secure_cookies,
        httponly=True,
        samesite="lax",
    )
    return response


async def sign_in(web: Web, request: Request) -> Response:
    typed = {"email": ""}
    error = ""
    code = 200
    if request.method == "POST":
        fields = await csrf.read_form(request, web.key, SIGN_IN)
        email, password = fields.get("email", "").strip(), fields.get("password", "")
        typed["email"] = email if email.isprintable() and len(email) <= MAX_EMAIL else ""
        if web.limiter is not None:
            retry = web.limiter.hit(web.limiter.limits.sign_in, "sign-in:" + email.lower())
            if retry is not None:
                return too_many(retry)
        lead = None
        if len(password) <= MAX_PASSWORD:
            lead = await run_in_threadpool(check_password, web.store, email, password)
        if lead is not None:
            old = request.cookies.get(LEAD_COOKIE, "")
            if old:  # an earlier session in this browser ends: one session a sign-in
                await run_in_threadpool(web.store.end_session, old)
            return await run_in_threadpool(start_session, web, lead, "/lead")
        error, code = WRONG, 400
    return web.page(
        "sign_in.html",
        code=code,
        csrf=csrf.token(web.key, SIGN_IN),
        typed=typed,
        error=error,
        signed_out=request.query_params.get("signed-out") == "yes",
    )


async def sign_out(web: Web, request: Request) -> Response:
    """End the session on the server (its cookie no longer works anywhere) and clear the cookie."""
    _, session = await run_in_threadpool(signed_in, web, request)
    await csrf.read_form(request, web.key, "lead:" + session)
    await run_in_threadpool(web.store.end_session, session)
    response = RedirectResponse("/lead/sign-in?signed-out=yes", status_code=303)
    response.delete_cookie(LEAD_COOKIE, path="/", secure=web.secure_cookies, httponly=True, samesite="lax")
    return response


def lead_enter(web: Web, request: Request) -> Response:
    """The local lead's private link: signs in as the operator's local lead (who owns the command line's rounds)."""
    if not web.store.lead_secret_valid(request.path_params["secret"]):
        raise Refused(
            403,
            "This link does not work",
            "Check that you copied the lead's whole private link; a link stops working when the secret is rotated "
            "('partnership-health lead rotate-secret').",
        )
    target = "/lead"
    wanted = request.query_params.get("round", "")
    if wanted.isascii() and wanted.isdigit() and len(wanted) < 19:
        target = f"/lead/rounds/{int(wanted)}"
    old = request.cookies.get(LEAD_COOKIE, "")
    if old:
        web.store.end_session(old)
    return start_session(web, LOCAL_LEAD, target)

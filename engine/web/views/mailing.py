"""The lead's invitations and reminders by email: previewed, then sent once each.

The preview shows one message as it will be sent and how many will go; its form carries a
batch id, and the outbox (one row per respondent, kind and batch) lets each message of a
batch be claimed once: a second click, or the form sent again, sends nothing new, and a
message whose send failed is tried again with the same form. A reminder goes only to those
who have not sent their answers. Without an SMTP server configured, the page says so and
offers the links instead.
"""

from __future__ import annotations

import secrets
from email.message import EmailMessage

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ...store.sqlite import Invitee, Round
from .. import csrf, mail
from ..shared import Refused, Web
from .invites import lead_round, link_of, who
from .lead import lead_action
from .session import link_base


def routes(web: Web) -> list[Route]:
    return [web.route("/lead/rounds/{round_id:int}/email/{kind}", email, methods=["GET", "POST"])]


def recipients(web: Web, found: Round, kind: str, batch: str = "") -> tuple[list[Invitee], list[Invitee]]:
    """Who the ``kind`` message (of ``batch``) goes to, and who it would go to but has no email address.

    An invitation goes to those not sent one by another batch; a reminder to those who have not finished.
    """
    sent = web.store.messages(found.id, other_than=batch)
    wanted = []
    for person in web.store.respondents(found.id):
        if person.withdrawn:
            continue
        if kind == "invitation" and sent.get(person.id, {}).get("invitation") != "sent":
            wanted.append(person)
        elif kind == "reminder" and not person.finished:
            wanted.append(person)
    return [p for p in wanted if p.email], [p for p in wanted if not p.email]


async def email(web: Web, request: Request) -> Response:
    kind = request.path_params["kind"]
    if request.method == "POST":
        found, fields, session = await lead_action(web, request)
    else:
        (found, session), fields = await run_in_threadpool(lead_round, web, request), {}
    if kind not in mail.KINDS:
        raise Refused(404, "No such message", "The lead sends invitations and reminders.")
    if request.method == "POST":
        return await run_in_threadpool(send, web, request, found, session, kind, fields.get("batch", ""))
    return await run_in_threadpool(preview, web, request, found, session, kind)


def settings_or_page(web: Web, found: Round, session: str, kind: str) -> mail.SmtpSettings | Response:
    try:
        settings = mail.smtp_settings()
    except mail.MailError as error:
        settings, problem = None, error.message
    else:
        problem = ""
    if settings is None:
        return web.page(
            "lead_email.html",
            round=found,
            kind=kind,
            configured=False,
            problem=problem,
            csrf=csrf.token(web.key, "lead:" + session),
        )
    return settings


def preview(web: Web, request: Request, found: Round, session: str, kind: str) -> Response:
    settings = settings_or_page(web, found, session, kind)
    if isinstance(settings, Response):
        return settings
    people, without = recipients(web, found, kind)
    sample = None
    shown = [person for person in people if person.token]
    if shown:
        sample = mail.compose(kind, shown[0], found, link_of(link_base(web, request), shown[0]), settings.sender)
    return web.page(
        "lead_email.html",
        round=found,
        kind=kind,
        configured=True,
        problem="",
        people=[who(person) for person in people],
        without=[who(person) for person in without],
        sample=sample,
        server=str(settings),
        batch=secrets.token_urlsafe(12),
        csrf=csrf.token(web.key, "lead:" + session),
    )


def send(web: Web, request: Request, found: Round, session: str, kind: str, batch: str) -> Response:
    if not found.open:
        raise Refused(409, "This round has closed", "Its respondents can no longer answer: no message was sent.")
    if not (batch.isascii() and 8 <= len(batch) <= 40):
        raise Refused(400, "This form has expired", "Go back to the preview, reload it and send again.")
    settings = settings_or_page(web, found, session, kind)
    if isinstance(settings, Response):
        return settings
    people, _ = recipients(web, found, kind, batch)
    by_id = {person.id: person for person in people}
    claimed = web.store.claim_messages(kind, batch, list(by_id))
    base = link_base(web, request)
    messages: list[tuple[int, EmailMessage]] = []
    failed: dict[int, str] = {}
    for person_id in claimed:
        try:
            messages.append(
                (
                    person_id,
                    mail.compose(kind, by_id[person_id], found, link_of(base, by_id[person_id]), settings.sender),
                )
            )
        except mail.MailError as refused:
            failed[person_id] = refused.message
    results = mail.send(settings, messages) if messages else {}
    for person_id, problem in {**results, **failed}.items():
        web.store.message_sent(person_id, kind, batch, problem)
    return web.page(
        "lead_email_sent.html",
        code=200 if not any(results.values()) and not failed else 502,
        round=found,
        kind=kind,
        sent=[who(by_id[i]) for i, error in results.items() if error is None],
        failed=[(who(by_id[i]), error) for i, error in {**results, **failed}.items() if error],
        claimed=len(claimed),
        batch=batch,
        csrf=csrf.token(web.key, "lead:" + session),
    )

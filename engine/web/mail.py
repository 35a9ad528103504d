"""Invitations and reminders by email, through the SMTP server the environment names.

The settings come from the environment only, never from the database:
``PARTNERSHIP_HEALTH_SMTP_HOST`` (unset: no email, the lead's pages offer the links instead),
``_PORT`` (587), ``_STARTTLS`` (``1``: upgrade the connection with STARTTLS, checking the
server's certificate), ``_USER`` and ``_PASSWORD`` (sign in when given), ``_FROM`` (the
sender's address, required). Each partner gets a message of their own with their own
private link; a name or address with a line break is refused, so no header can be added.
Only the web app uses this module; the engine's pipeline never sends anything.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from ..store.sqlite import Invitee, Round
from .shared import HERE

ENV = "PARTNERSHIP_HEALTH_SMTP_"
KINDS = ("invitation", "reminder")
TIMEOUT = 20  # seconds to wait for the mail server


class MailError(Exception):
    """Email cannot be sent as configured, or to this person; ``message`` says why plainly."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    starttls: bool
    user: str
    password: str
    sender: str

    def __str__(self) -> str:
        return f"{self.host}:{self.port}"


def smtp_settings(environ: Mapping[str, str] | None = None) -> SmtpSettings | None:
    """The SMTP server of the environment; None when none is set, :class:`MailError` when it is set wrongly."""
    env = os.environ if environ is None else environ
    host = env.get(ENV + "HOST", "").strip()
    if not host:
        return None
    port = env.get(ENV + "PORT", "587").strip()
    if not (port.isascii() and port.isdigit() and 0 < int(port) < 65536):
        raise MailError(f"{ENV}PORT must be a port number from 1 to 65535 (got {port!r})")
    sender = env.get(ENV + "FROM", "").strip()
    if not sender or has_line_break(sender) or "@" not in sender:
        raise MailError(f"{ENV}FROM must be the address the messages come from (got {sender!r})")
    return SmtpSettings(
        host=host,
        port=int(port),
        starttls=env.get(ENV + "STARTTLS", "").strip() in ("1", "yes", "true"),
        user=env.get(ENV + "USER", ""),
        password=env.get(ENV + "PASSWORD", ""),
        sender=sender,
    )


def has_line_break(text: str) -> bool:
    return any(char in text for char in "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


_TEXTS = Environment(  # autoescape for HTML only: a text/plain message has nothing to escape
    autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
    loader=FileSystemLoader(str(HERE / "templates" / "mail")),
    undefined=StrictUndefined,
    keep_trailing_newline=True,
)


def compose(kind: str, person: Invitee, found: Round, link: str, sender: str) -> EmailMessage:
    """The ``kind`` message to ``person`` with their own ``link``; :class:`MailError` when it cannot be written."""
    if kind not in KINDS:
        raise MailError(f"no such message: {kind!r}")
    if not person.email:
        raise MailError("has no email address")
    if not link:
        raise MailError(
            "the link cannot be shown (the key file beside the database is missing): withdraw it and issue a new one"
        )
    if any(has_line_break(text) for text in (person.email, person.name or "", person.organisation)):
        raise MailError("a name or an address with a line break cannot be written to")
    partnership = " ".join(found.partnership.split())
    message = EmailMessage()
    message["From"] = sender
    message["To"] = formataddr((person.name or "", person.email))
    subject = "Your private link" if kind == "invitation" else "A reminder: your private link"
    message["Subject"] = f"{subject}: {partnership} partnership health check"
    message["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1].strip(">") or None)
    body = _TEXTS.get_template(f"{kind}.txt").render(person=person, round=found, link=link, partnership=partnership)
    message.set_content(body)
    return message


def send(settings: SmtpSettings, messages: Sequence[tuple[int, EmailMessage]]) -> dict[int, str | None]:
    """Send each message in its own transaction over one connection: per key, None or why it failed."""
    results: dict[int, str | None] = {}
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT) as server:
            if settings.starttls:
                server.starttls(context=ssl.create_default_context())
            if settings.user:
                server.login(settings.user, settings.password)
            for key, message in messages:
                try:
                    server.send_message(message)
                    results[key] = None
                except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as error:
                    results[key] = f"the mail server refused it ({_said(error)})"
    except smtplib.SMTPAuthenticationError as error:
        reason = f"the mail server at {settings} refused the user name or password ({_said(error)})"
        return {key: results.get(key, reason) for key, _ in messages}
    except (OSError, smtplib.SMTPException) as error:
        reason = f"the mail server at {settings} cannot be reached or stopped answering ({_said(error)})"
        return {key: results[key] if key in results else reason for key, _ in messages}
    return results


def _said(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPResponseException):
        said = error.smtp_error
        return f"{error.smtp_code} {said.decode('utf-8', 'replace') if isinstance(said, bytes) else said}"
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{code} {text.decode('utf-8', 'replace')}" for code, text in error.recipients.values())
    return str(error) or type(error).__name__

"""Invitations and reminders by email, read back from a real SMTP server on 127.0.0.1 (aiosmtpd).

Each partner's message holds their own link and nobody else's; a preview comes first; the
same form sent twice sends once; a mail server that is down is said plainly and the send can
be tried again; without a mail server the page offers the links.
"""

from __future__ import annotations

import email
import email.policy
import re
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest

from partnership_health.store.sqlite import Store

from . import test_web
from .test_web import BASE, Lead, Respondent
from .test_wheel import free_port

store, app, lead = test_web.store, test_web.app, test_web.lead  # the same fixtures: a fresh file, the app, its lead


class Inbox:
    """What arrived at the local SMTP server: one entry a message, with its envelope's recipients."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:  # noqa: N802 (aiosmtpd's name)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)  # type: ignore[attr-defined]
        self.received.append((list(envelope.rcpt_tos), message))  # type: ignore[attr-defined,arg-type]
        return "250 OK"


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    try:
        from aiosmtpd.controller import Controller
    except ImportError:
        pytest.fail("aiosmtpd is not installed (pip install -e '.[test]')")
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("PARTNERSHIP_HEALTH_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("PARTNERSHIP_HEALTH_SMTP_PORT", str(port))
    monkeypatch.setenv("PARTNERSHIP_HEALTH_SMTP_FROM", "Partnership Health <lead@partnership.example>")
    monkeypatch.delenv("PARTNERSHIP_HEALTH_SMTP_STARTTLS", raising=False)
    yield inbox
    controller.stop()


def invite(lead: Lead, round_id: int, organisation: str, role: str, name: str, address: str) -> str:
    before = set(lead.links(round_id))
    page = lead.client.post(
        f"/lead/rounds/{round_id}/invite",
        data={"csrf": lead.token, "organisation": organisation, "role": role, "name": name, "email": address},
    )
    assert page.status_code == 200, page.text
    (link,) = set(lead.links(round_id)) - before
    return link


def preview(lead: Lead, round_id: int, kind: str) -> tuple[str, dict[str, str]]:
    page = lead.client.get(f"/lead/rounds/{round_id}/email/{kind}")
    assert page.status_code == 200, page.text
    return page.text, dict(re.findall(r'name="(csrf|batch)" value="([^"]*)"', page.text))


def test_each_partner_receives_their_own_link_once_after_a_preview(
    app: object, lead: Lead, store: Store, smtp: Inbox
) -> None:
    round_id = lead.create_round()
    links = {
        "alex@library.example": invite(lead, round_id, "Library", "lead", "Alex", "alex@library.example"),
        "sam@youth.example": invite(lead, round_id, "Youth Trust", "core", "Sam", "sam@youth.example"),
    }
    invite(lead, round_id, "School", "wider", "Kim", "")  # no address: named on the preview, sent nothing

    text, form = preview(lead, round_id, "invitation")
    assert "2 messages will be sent through 127.0.0.1:" in text
    assert f"{BASE}{links['alex@library.example']}" in text  # the first message, as it will be sent
    assert "School, Wider partner, Kim" in text.split('id="without"')[1]
    assert smtp.received == []  # the preview sends nothing

    first = lead.client.post(f"/lead/rounds/{round_id}/email/invitation", data=form)
    again = lead.client.post(f"/lead/rounds/{round_id}/email/invitation", data=form)  # a double click
    assert first.status_code == 200 and "2 sent" in first.text
    assert again.status_code == 200 and "nothing was sent again" in again.text
    assert sorted(to for to, _ in smtp.received) == [["alex@library.example"], ["sam@youth.example"]]
    for (to,), message in smtp.received:
        body = message.get_content()
        assert message["To"].addresses[0].addr_spec == to
        assert "Mini partnership" in message["Subject"]
        found = re.findall(r"http://\S+/r/\S+", body)
        assert found == [f"{BASE}{links[to]}"]  # their own link, and no one else's
        person = Respondent(app, found[0].removeprefix(BASE))
        start = person.client.get(person.link)
        assert start.status_code == 200
        own = next(p for p in store.respondents(round_id) if p.email == to)
        assert own.organisation in start.text
    # a new preview: everyone with an address has had their invitation
    text, _ = preview(lead, round_id, "invitation")
    assert "Nobody to send invitations to" in text


def test_a_reminder_goes_only_to_those_who_have_not_finished(app: object, lead: Lead, smtp: Inbox) -> None:
    round_id = lead.create_round()
    done = Respondent(app, invite(lead, round_id, "Library", "lead", "Alex", "alex@library.example"))
    invite(lead, round_id, "Youth Trust", "core", "Sam", "sam@youth.example")
    done.section(1, {"delivery.actions_have_owners": "2"})
    done.send()
    text, form = preview(lead, round_id, "reminder")
    assert "1 message will be sent" in text
    page = lead.client.post(f"/lead/rounds/{round_id}/email/reminder", data=form)
    assert "1 sent" in page.text
    assert [to for to, _ in smtp.received] == [["sam@youth.example"]]
    assert "A reminder" in smtp.received[0][1]["Subject"]


def test_a_mail_server_that_is_down_is_said_plainly_and_the_send_can_be_tried_again(
    lead: Lead, monkeypatch: pytest.MonkeyPatch
) -> None:
    round_id = lead.create_round()
    invite(lead, round_id, "Library", "lead", "Alex", "alex@library.example")
    port = free_port()  # nothing listens there yet
    monkeypatch.setenv("PARTNERSHIP_HEALTH_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("PARTNERSHIP_HEALTH_SMTP_PORT", str(port))
    monkeypatch.setenv("PARTNERSHIP_HEALTH_SMTP_FROM", "lead@partnership.example")
    _, form = preview(lead, round_id, "invitation")
    failed = lead.client.post(f"/lead/rounds/{round_id}/email/invitation", data=form)
    assert failed.status_code == 502
    assert f"the mail server at 127.0.0.1:{port} cannot be reached" in failed.text
    assert "Try again" in failed.text

    from aiosmtpd.controller import Controller

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        retried = lead.client.post(f"/lead/rounds/{round_id}/email/invitation", data=form)
    finally:
        controller.stop()
    assert retried.status_code == 200 and "1 sent" in retried.text
    assert [to for to, _ in inbox.received] == [["alex@library.example"]]


def test_without_a_mail_server_the_page_says_so_and_offers_the_links(
    lead: Lead, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PARTNERSHIP_HEALTH_SMTP_HOST", raising=False)
    round_id = lead.create_round()
    invite(lead, round_id, "Library", "lead", "Alex", "alex@library.example")
    page = lead.client.get(f"/lead/rounds/{round_id}/email/invitation")
    assert "This server has no mail server set up" in page.text
    assert f'href="/lead/rounds/{round_id}/links"' in page.text
    monkeypatch.setenv("PARTNERSHIP_HEALTH_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("PARTNERSHIP_HEALTH_SMTP_PORT", "smtp")
    wrong = lead.client.get(f"/lead/rounds/{round_id}/email/invitation")
    assert "PARTNERSHIP_HEALTH_SMTP_PORT must be a port number" in wrong.text


@pytest.mark.parametrize(
    ("field", "value"),
    [("email", "a@b.example\r\nBcc: all@example.org"), ("email", "not an address"), ("name", "Alex\r\nBcc: x@y.z")],
)
def test_an_address_or_name_with_a_line_break_is_refused_at_the_invitation(
    lead: Lead, store: Store, tmp_path: Path, field: str, value: str
) -> None:
    round_id = lead.create_round()
    data = {"csrf": lead.token, "organisation": "Library", "role": "lead", "name": "", "email": "", field: value}
    page = lead.client.post(f"/lead/rounds/{round_id}/invite", data=data)
    assert page.status_code == 400
    assert store.respondents(round_id) == []


def test_a_new_link_after_one_is_withdrawn_can_be_sent_and_the_old_one_is_in_no_message(
    lead: Lead, store: Store, smtp: Inbox
) -> None:
    round_id = lead.create_round()
    old = invite(lead, round_id, "Library", "lead", "Alex", "alex@library.example")
    _, form = preview(lead, round_id, "invitation")
    lead.client.post(f"/lead/rounds/{round_id}/email/invitation", data=form)
    (person,) = store.respondents(round_id)
    lead.client.post(f"/lead/rounds/{round_id}/people/{person.id}/withdraw", data={"csrf": lead.token})
    text, _ = preview(lead, round_id, "invitation")
    assert "Nobody to send invitations to" in text  # a withdrawn link is sent to nobody
    lead.client.post(f"/lead/rounds/{round_id}/people/{person.id}/new-link", data={"csrf": lead.token})
    (new,) = lead.links(round_id)
    text, form = preview(lead, round_id, "invitation")
    assert "1 message will be sent" in text
    lead.client.post(f"/lead/rounds/{round_id}/email/invitation", data=form)
    bodies = [message.get_content() for _, message in smtp.received]
    assert old in bodies[0] and new in bodies[1] and old not in bodies[1]


def test_starttls_checks_the_mail_servers_certificate(
    lead: Lead, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ssl
    import subprocess

    from aiosmtpd.controller import Controller

    from .conftest import tool

    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        [tool("openssl"), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True)
    controller.start()
    try:
        for name, value in (("HOST", "127.0.0.1"), ("PORT", str(port)), ("STARTTLS", "1"), ("FROM", "l@p.example")):
            monkeypatch.setenv(f"PARTNERSHIP_HEALTH_SMTP_{name}", value)
        round_id = lead.create_round()
        invite(lead, round_id, "Library", "lead", "Alex", "alex@library.example")
        _, form = preview(lead, round_id, "invitation")
        untrusted = lead.client.post(f"/lead/rounds/{round_id}/email/invitation", data=form)
        assert untrusted.status_code == 502 and "CERTIFICATE_VERIFY_FAILED" in untrusted.text
        assert inbox.received == []
        monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # the operator's system trusts the server's certificate
        trusted = lead.client.post(f"/lead/rounds/{round_id}/email/invitation", data=form)
        assert trusted.status_code == 200 and "1 sent" in trusted.text
    finally:
        controller.stop()
    assert [to for to, _ in inbox.received] == [["alex@library.example"]]

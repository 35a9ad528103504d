"""Hosting for real: the app behind Caddy over HTTPS, its links, hosts, proxy headers, cookies and timeouts.

The proxy is Debian's Caddy configured by ``docs/deploy/Caddyfile`` (tests/proxied.py); the
server is ``partnership-health serve`` on free ports of 127.0.0.1; the browser is Debian's
Chromium, trusting the test's certificate authority through its NSS database.
"""

from __future__ import annotations

import datetime
import re
import shlex
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from starlette.requests import Request
from starlette.types import Receive, Scope, Send

import partnership_health as ph
from partnership_health.cli.program import _parser
from partnership_health.cli.rounds import who_can_reach
from partnership_health.models import QuestionnaireRef
from partnership_health.store.sqlite import Store
from partnership_health.web.middleware import behind_proxies, client_ip
from partnership_health.web.server import reachable

from . import proxied, test_mail
from .conftest import REPO, tool
from .proxied import Proxied, fetch, trusting_browser
from .test_browser import DESKTOP, MINI_INPUTS, PHONE, Server, answer_section
from .test_mail import Inbox
from .test_wheel import free_port

UNIT = REPO / "docs" / "deploy" / "partnership-health.service"
behind_proxy = proxied.behind_proxy  # the fixture: serve behind Caddy over HTTPS
smtp = test_mail.smtp  # the fixture: a local mail server (aiosmtpd), set in the environment serve inherits
LEAD_EMAIL, LEAD_PASSWORD = "ada@riverside.example", "correct horse battery staple"


def a_round(db: Path, people: int = 1) -> tuple[int, list[str]]:
    """A round of the mini questionnaire in ``db`` and the tokens of its ``people`` invitees."""
    store = Store(db)
    made = store.create_round("Riverside", datetime.date(2026, 11, 30), QuestionnaireRef(id="mini", version="1"))
    invited = store.invite(made.id, [(f"Organisation {n}", "core", None) for n in range(people)])
    return made.id, [person.token for person in invited]


def links_on(page: str) -> list[str]:
    """The private links a lead's round page offers to copy."""
    return re.findall(r'value="([^"]+/(?:r|room)/[^"]+)"', page)


# --- links, hosts -------------------------------------------------------------------


def test_a_request_naming_another_host_is_refused_and_no_link_follows_a_host_header(
    behind_proxy: Proxied,
) -> None:
    round_id, (token,) = a_round(behind_proxy.db)
    secret = Store(behind_proxy.db).lead_secret()
    direct = behind_proxy.direct
    for path in (f"/lead/enter/{secret}?round={round_id}", f"/lead/rounds/{round_id}", f"/r/{token}", "/lead"):
        status, _, body = fetch(direct + path, headers={"Host": "evil.example"})
        assert status == 400, path
        assert "evil" not in body and "/r/" not in body

    # A host the app does answer to (this computer's name): the links still name the public address.
    status, headers, _ = fetch(direct + f"/lead/enter/{secret}?round={round_id}", headers={"Host": "localhost"})
    assert status == 303
    assert headers["location"] == f"/lead/rounds/{round_id}"  # relative: the browser keeps the address it used
    cookie = headers["set-cookie"].split(";", 1)[0]
    status, _, page = fetch(direct + f"/lead/rounds/{round_id}", headers={"Host": "localhost", "Cookie": cookie})
    assert status == 200
    links = links_on(page)
    assert links and all(link.startswith(behind_proxy.url + "/") for link in links)
    status, _, page = behind_proxy.open(f"/lead/rounds/{round_id}", headers={"Cookie": cookie})
    assert links_on(page) == links


def test_without_a_public_url_links_use_the_address_served_and_other_hosts_are_refused(tmp_path: Path) -> None:
    db = tmp_path / "rounds.db"
    round_id, _ = a_round(db)
    server = Server(db, *MINI_INPUTS, "--allowed-host", "partners.example")
    try:
        secret = Store(db).lead_secret()
        status, headers, _ = fetch(f"{server.url}/lead/enter/{secret}")
        cookie = headers["set-cookie"].split(";", 1)[0]
        assert "secure" not in headers["set-cookie"].lower() and "strict-transport-security" not in headers
        assert fetch(f"{server.url}/lead", headers={"Host": "evil.example", "Cookie": cookie})[0] == 400
        for host in (f"localhost:{server.port}", "partners.example", f"[::1]:{server.port}"):
            # uvicorn alone believes X-Forwarded-* from 127.0.0.1: without --proxy they are ignored
            forged = {"Host": host, "Cookie": cookie, "X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
            status, _, page = fetch(f"{server.url}/lead/rounds/{round_id}", headers=forged)
            assert status == 200, host
            assert links_on(page) and all(link.startswith(f"{server.url}/r/") for link in links_on(page)), host
    finally:
        server.stop()
    # The round commands build their links on the address serve gave.
    out = subprocess.run(
        [sys.executable, "-m", "partnership_health.cli", "round", "invite", "--db", str(db), str(round_id)]
        + ["--organisation", "School", "--role", "core"],
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    assert out.startswith(f"{server.url}/r/")


def test_the_public_url_must_be_an_address_alone() -> None:
    parser = _parser()
    assert parser.parse_args(["serve", "--public-url", "HTTPS://Health.Example.org/"]).public_url == (
        "https://health.example.org"
    )
    for wrong in ("health.example.org", "ftp://health.example.org", "https://health.example.org/ph", "https://"):
        with pytest.raises(SystemExit):
            parser.parse_args(["serve", "--public-url", wrong])
    with pytest.raises(SystemExit):
        parser.parse_args(["serve", "--proxy", "the-proxy"])


def test_an_allowed_host_must_be_a_host_name() -> None:
    parser = _parser()
    allowed = parser.parse_args(["serve", "--allowed-host", "Partners.Example.org", "--allowed-host", "[::1]"])
    assert allowed.allowed_host == ["partners.example.org", "::1"]
    for wrong in ("", " ", "https://partners.example.org", "partners.example.org:8443", "a/b", "-x.example"):
        with pytest.raises(SystemExit):
            parser.parse_args(["serve", "--allowed-host", wrong])


# --- proxy headers ------------------------------------------------------------------


def seen_by_app(proxies: list[str], peer: str, headers: list[tuple[bytes, bytes]]) -> tuple[str, str]:
    """The client address and scheme an app behind ``behind_proxies(proxies)`` sees for a request from ``peer``."""
    import asyncio

    seen: list[tuple[str, str]] = []

    async def probe(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append((client_ip(Request(scope)), scope["scheme"]))

    scope = {"type": "http", "scheme": "http", "client": (peer, 50123), "headers": headers, "method": "GET"}
    asyncio.run(behind_proxies(probe, proxies)(scope, None, None))  # type: ignore[arg-type]
    return seen[0]


def test_forwarded_headers_are_believed_only_from_the_configured_proxy() -> None:
    forwarded = [(b"x-forwarded-for", b"203.0.113.9"), (b"x-forwarded-proto", b"https")]
    assert seen_by_app(["127.0.0.1"], "127.0.0.1", forwarded) == ("203.0.113.9", "https")
    assert seen_by_app(["10.0.0.0/8"], "10.1.2.3", forwarded) == ("203.0.113.9", "https")
    assert seen_by_app(["127.0.0.1"], "198.51.100.7", forwarded) == ("198.51.100.7", "http")  # not the proxy
    assert seen_by_app([], "127.0.0.1", forwarded) == ("127.0.0.1", "http")  # no --proxy: nobody's
    # A client's own X-Forwarded-For, passed on by the proxy, is not taken for the client.
    chained = [(b"x-forwarded-for", b"192.0.2.66, 203.0.113.9")]
    assert seen_by_app(["127.0.0.1"], "127.0.0.1", chained)[0] == "203.0.113.9"


def test_the_rate_limits_count_the_client_a_trusted_proxy_names_and_only_then(
    store_and_inputs: tuple[Store, ph.Questionnaire, ph.RuleBase],
) -> None:
    from starlette.testclient import TestClient

    from partnership_health.web import create_app
    from partnership_health.web.limits import Limits, Rule

    store, questionnaire, rules = store_and_inputs

    def refusals_before_429(proxies: list[str], addresses: list[str]) -> list[int]:
        app = create_app(
            store, questionnaire=questionnaire, rules=rules, limits=Limits(token=Rule(3, 600)), proxies=proxies
        )
        client = TestClient(app, base_url="http://127.0.0.1:8000")  # its peer is "testclient"
        return [
            client.get("/r/no-such-token", headers={"X-Forwarded-For": address}).status_code for address in addresses
        ]

    partners = ["203.0.113.1"] * 4 + ["203.0.113.2"]
    # Behind the proxy, each partner is counted on their own address: the second is not held up by the first.
    assert refusals_before_429(["testclient"], partners) == [404, 404, 404, 429, 404]
    # Without --proxy the header is anyone's to write: it does not buy a new count.
    assert refusals_before_429([], partners) == [404, 404, 404, 429, 429]


@pytest.fixture
def store_and_inputs(
    tmp_path: Path, mini_questionnaire: ph.Questionnaire, mini_rulebase: ph.RuleBase
) -> tuple[Store, ph.Questionnaire, ph.RuleBase]:
    return Store(tmp_path / "rounds.db"), mini_questionnaire, mini_rulebase


def test_through_caddy_cookies_are_secure_and_hsts_is_sent(behind_proxy: Proxied) -> None:
    secret = Store(behind_proxy.db).lead_secret()
    status, headers, _ = behind_proxy.open(f"/lead/enter/{secret}", headers={"X-Forwarded-For": "192.0.2.66"})
    assert status == 303
    cookie = [part.strip().lower() for part in headers["set-cookie"].split(";")]
    assert "secure" in cookie and "httponly" in cookie and "samesite=lax" in cookie
    assert headers["strict-transport-security"] == "max-age=31536000"
    status, headers, _ = behind_proxy.open("/no/such/page")
    assert status == 404 and headers["strict-transport-security"] == "max-age=31536000"


# --- serve before it prints ---------------------------------------------------------


def serve(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "partnership_health.cli", "serve", *MINI_INPUTS, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_serve_on_a_busy_port_says_which_and_prints_no_link(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = serve("--db", str(tmp_path / "rounds.db"), "--port", str(port))
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and f"port {port} is taken" in result.stderr and "--port" in result.stderr
    assert not (tmp_path / "rounds.db").exists()


def test_serve_on_a_file_that_is_not_its_database_prints_no_link_and_leaves_it(tmp_path: Path) -> None:
    other = tmp_path / "notes.db"
    other.write_bytes(b"Minutes of the partnership board\n" * 100)
    result = serve("--db", str(other), "--port", str(free_port()))
    assert result.returncode == 1
    assert result.stdout == "" and "/lead/" not in result.stderr
    assert "not a partnership-health database" in result.stderr
    assert other.read_bytes() == b"Minutes of the partnership board\n" * 100


def test_serve_beyond_this_computer_names_the_rooms_addresses_and_warns() -> None:
    addresses = reachable("0.0.0.0")
    for address in addresses:  # each is an address of this computer (it can listen there), not loopback
        with socket.socket() as probe:
            probe.bind((address, 0))
        assert not address.startswith("127.")
    assert reachable("192.0.2.10") == ["192.0.2.10"]
    told = who_can_reach("0.0.0.0")
    assert told.startswith("Warning:") and "not encrypted" in told and "docs/hosting.md" in told
    assert "listen on 127.0.0.1" in who_can_reach("0.0.0.0", public="https://health.example.org")
    assert who_can_reach("127.0.0.1", public="https://health.example.org").endswith(
        "through https://health.example.org."
    )


# --- slow clients -------------------------------------------------------------------


def closed_within(port: int, sent: bytes, limit: float) -> bool:
    """Whether the server closes a connection that sent ``sent`` and then nothing, before ``limit`` seconds."""
    with socket.create_connection(("127.0.0.1", port), timeout=limit) as connection:
        connection.sendall(sent)
        deadline = time.monotonic() + limit
        try:
            while time.monotonic() < deadline:
                if connection.recv(4096) == b"":
                    return True
        except ConnectionResetError:
            return True
        except TimeoutError:
            return False
    return False


def test_a_client_that_sends_half_a_header_or_nothing_is_dropped(tmp_path: Path) -> None:
    server = Server(tmp_path / "rounds.db", *MINI_INPUTS, "--request-timeout", "2")
    try:
        assert closed_within(server.port, b"GET /static/app.css HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ", 30)
        assert closed_within(server.port, b"", 30)
        partial_body = b"POST /lead/rounds HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\ncsrf="
        assert closed_within(server.port, partial_body, 30)
        # A whole request is answered, and the idle connection after it is closed too.
        with socket.create_connection(("127.0.0.1", server.port), timeout=30) as connection:
            connection.sendall(b"GET /static/app.css HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            assert connection.recv(64).startswith(b"HTTP/1.1 200")
    finally:
        server.stop()


# --- the deployment guide's files ---------------------------------------------------


def test_the_systemd_unit_starts_serve_with_options_it_accepts() -> None:
    unit = UNIT.read_text()
    (start,) = [line for line in unit.replace("\\\n", " ").splitlines() if line.startswith("ExecStart=")]
    command = shlex.split(start.removeprefix("ExecStart="))
    assert command[0].endswith("/partnership-health") and command[1] == "serve"
    args = _parser().parse_args(command[1:])
    assert args.public_url.startswith("https://") and args.proxy == ["127.0.0.1/32"] and args.host == "127.0.0.1"
    assert args.db.startswith("/var/lib/partnership-health/")
    for setting in ("User=partnership-health", "StateDirectory=partnership-health", "NoNewPrivileges=yes"):
        assert setting in unit.splitlines()
    analyze = tool("systemd-analyze")
    checked = subprocess.run([analyze, "verify", "--man=no", str(UNIT)], capture_output=True, text=True, timeout=60)
    problems = [
        line for line in checked.stderr.splitlines() if "Command /opt/partnership-health" not in line and line
    ]  # the program is not installed on the test machine; anything else is a mistake in the unit
    assert not problems, checked.stderr


# --- a round over HTTPS in Chromium -------------------------------------------------


def test_a_round_run_through_caddy_over_https_in_chromium(
    smtp: Inbox, behind_proxy: Proxied, mini_questionnaire: ph.Questionnaire, tmp_path: Path
) -> None:
    """The issue's round, end to end: sign in, create, invite by email (read back from the local mail
    server), three partners answer from their emails (one on a phone), a reminder to the fourth,
    close after confirming, a report, sign out. ``smtp`` comes first: ``serve`` inherits its settings."""
    from playwright.sync_api import expect, sync_playwright

    tool("chromium")
    questionnaire = mini_questionnaire
    public = behind_proxy.url
    elsewhere: list[str] = []

    def only_the_public_address(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        if url.startswith(public + "/"):
            route.continue_()  # type: ignore[attr-defined]
        else:
            elsewhere.append(url)
            route.abort()  # type: ignore[attr-defined]

    with sync_playwright() as playwright:
        browser = trusting_browser(playwright, behind_proxy.authority)
        contexts = []

        def context(**options: object) -> object:
            made = browser.new_context(accept_downloads=True, **options)  # type: ignore[attr-defined]
            made.route("**/*", only_the_public_address)
            contexts.append(made)
            return made

        try:
            lead_context = context(**DESKTOP)
            lead = lead_context.new_page()  # type: ignore[attr-defined]
            # The operator made the lead's account on the server; the lead signs in over HTTPS.
            added = subprocess.run(
                [sys.executable, "-m", "partnership_health.cli", "lead", "add", LEAD_EMAIL, "--password-stdin"]
                + ["--db", str(behind_proxy.db)],
                input=LEAD_PASSWORD + "\n",
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert added.returncode == 0, added.stderr
            signing_in = lead.goto(f"{public}/lead/sign-in")
            assert signing_in.headers["strict-transport-security"] == "max-age=31536000"
            lead.get_by_label("Email address").fill(LEAD_EMAIL)
            lead.get_by_label("Password").fill(LEAD_PASSWORD)
            lead.get_by_role("button", name="Sign in").click()
            expect(lead).to_have_url(f"{public}/lead")
            (cookie,) = lead_context.cookies()  # type: ignore[attr-defined]
            assert cookie["secure"] and cookie["httpOnly"]

            lead.get_by_label("Partnership name").fill("Riverside over HTTPS")
            lead.get_by_label("Smallest group shown on its own").fill("1")
            lead.get_by_role("button", name="Start the round").click()
            partners = [
                ("Library", "Lead partner", "alex@library.example"),
                ("Youth Trust", "Core partner", "sam@youth.example"),
                ("School", "Core partner", "kim@school.example"),
                ("Council", "Wider partner", "jo@council.example"),
            ]
            for organisation, role, address in partners:
                lead.get_by_label("Organisation", exact=True).fill(organisation)
                lead.get_by_label(role, exact=True).check()
                lead.get_by_label("Email address (optional)").fill(address)
                lead.get_by_role("button", name="Add and make a link").click()
            round_page = lead.url.split("#")[0]
            assert round_page.startswith(f"{public}/lead/rounds/")

            # Invitations by email: previewed, then each partner's own link in their own message.
            lead.get_by_role("link", name="Send invitations by email").click()
            assert smtp.received == []  # the preview sends nothing
            lead.get_by_role("button", name="Send 4 invitations").click()
            expect(lead.get_by_text("4 sent")).to_be_visible()
            mailed: dict[str, str] = {}
            for (to,), message in smtp.received:
                (link,) = re.findall(r"https://\S+/r/\S+", message.get_content())
                mailed[to] = link
            assert sorted(mailed) == sorted(address for _, _, address in partners)
            assert len(set(mailed.values())) == 4 and all(link.startswith(f"{public}/r/") for link in mailed.values())
            links = [mailed[address] for _, _, address in partners[:3]]  # three answer; the council does not

            answers = [
                (
                    {"delivery.actions_have_owners": "2", "delivery.talk_only": "2"},
                    {"authority.decisions_shared": "5", "authority.meeting_weeks": "6", "authority.agreement": "no"},
                ),
                (
                    {"delivery.actions_have_owners": "3", "delivery.talk_only": "dont_know"},
                    {"authority.decisions_shared": "1", "authority.type": "cooperative"},
                ),
                ({"delivery.actions_have_owners": "4", "delivery.talk_only": "5"}, {"authority.decisions_shared": "2"}),
            ]
            for number, (link, (first, second)) in enumerate(zip(links, answers, strict=True)):
                person = context(**(PHONE if number == 0 else DESKTOP)).new_page()  # type: ignore[attr-defined]
                person.goto(link)
                person.get_by_role("link", name="Start now").click()
                answer_section(person, first, questionnaire)
                answer_section(person, second, questionnaire)
                expect(person.get_by_role("heading", name="Check your answers")).to_be_visible()
                if number == 0:
                    assert person.viewport_size == {"width": 390, "height": 844}
                    assert person.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
                person.get_by_role("button", name="Send my answers").click()
                expect(person.get_by_text("What happens next")).to_be_visible()
                assert person.url.startswith(f"{public}/r/")

            # A reminder goes to the one partner who has not answered, and only to them.
            lead.goto(round_page)
            lead.get_by_role("link", name="Send reminders by email").click()
            lead.get_by_role("button", name="Send 1 reminder").click()
            expect(lead.get_by_text("1 sent")).to_be_visible()
            (to,), reminder = smtp.received[-1]
            assert len(smtp.received) == 5 and to == "jo@council.example" and "reminder" in reminder["Subject"].lower()
            assert re.findall(r"https://\S+/r/\S+", reminder.get_content()) == [mailed["jo@council.example"]]

            # A live session for the room: its join link and QR code name the public address, and work there.
            lead.goto(round_page)
            lead.get_by_role("button", name="Start a live session").click()
            code = lead.locator(".live-code").inner_text().replace(" ", "")
            label = lead.locator(".live-qr svg").get_attribute("aria-label")
            assert label == f"QR code of {public}/s/{code}"
            phone = context(**PHONE).new_page()  # type: ignore[attr-defined]
            assert phone.goto(f"{public}/s/{code}").status == 200

            lead.goto(round_page)
            lead.get_by_role("link", name="Close the round…").click()  # a page asks first
            lead.get_by_role("button", name="Yes, close the round").click()
            expect(lead.locator(".tag")).to_have_text("Closed")
            with lead.expect_download() as download:
                lead.get_by_role("link", name="Download the report: HTML page").click()
            saved = tmp_path / download.value.suggested_filename
            download.value.save_as(saved)
            report = saved.read_text(encoding="utf-8")
            assert "Riverside over HTTPS" in report and "<html" in report

            lead.get_by_role("button", name="Sign out").click()
            expect(lead).to_have_url(f"{public}/lead/sign-in?signed-out=yes")
            assert lead.goto(round_page).status == 403  # the session ended on the server
        finally:
            for made in contexts:
                made.close()  # type: ignore[attr-defined]
            browser.close()  # type: ignore[attr-defined]
    assert elsewhere == [], f"the browser went elsewhere than {public}: {elsewhere}"
    assert Store(behind_proxy.db).status(1).finished == 3

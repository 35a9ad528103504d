"""A round run in a real browser against the real server.

The server is ``partnership-health serve`` in a subprocess on a free port of 127.0.0.1,
stopped by the test; the browser is Debian's Chromium driven by Playwright (as in
test_reports.py), with every request outside 127.0.0.1 blocked and recorded.
"""

from __future__ import annotations

import io
import json
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

import partnership_health as ph
from partnership_health.cli import main
from partnership_health.core.checks import answer_problem
from partnership_health.store.sqlite import Store
from partnership_health.web.forms import field_id

from .conftest import MINI
from .test_wheel import free_port, wait_for

MINI_INPUTS = ["--questionnaire", str(MINI / "questionnaire.yaml"), "--rules", str(MINI / "rules")]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


class Server:
    """``partnership-health serve`` in a subprocess, on a free port of 127.0.0.1."""

    def __init__(self, db: Path, *extra: str) -> None:
        self.db = db
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [
            sys.executable,
            "-m",
            "partnership_health.cli",
            "serve",
            "--db",
            str(db),
            "--port",
            str(self.port),
            *extra,
        ]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        wait_for(self.url + "/")

    def stop(self, sig: int = signal.SIGTERM) -> str:
        """Stop the server; returns what it printed."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
        out, err = self.process.communicate(timeout=30)
        return out + err


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    running = Server(tmp_path / "rounds.db", *MINI_INPUTS)
    yield running
    running.stop()


class Browsing:
    """Browser contexts whose requests may go to 127.0.0.1 only; anything else is blocked and recorded."""

    def __init__(self, browser: object) -> None:
        self.browser = browser
        self.outside: list[str] = []
        self.contexts: list[object] = []

    def context(self, **options: object) -> object:
        context = self.browser.new_context(accept_downloads=True, **options)  # type: ignore[attr-defined]
        context.route("**/*", self._route)
        self.contexts.append(context)
        return context

    def _route(self, route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        if urlsplit(url).hostname == "127.0.0.1":
            route.continue_()  # type: ignore[attr-defined]
        else:
            self.outside.append(url)
            route.abort()  # type: ignore[attr-defined]

    def close(self) -> None:
        for context in self.contexts:
            context.close()  # type: ignore[attr-defined]


@pytest.fixture
def browsing(browser: object) -> Iterator[Browsing]:
    opened = Browsing(browser)
    yield opened
    opened.close()


def answer_section(page: object, answers: dict[str, str], questionnaire: ph.Questionnaire) -> None:
    """Fill one page of the form as a person does: click the labels, type the numbers and text."""
    for question_id, value in answers.items():
        question = questionnaire.questions[question_id]
        fid = field_id(question)
        if question.type in ("scale", "yesno", "choice"):
            radios = page.locator(f'input[name="{question_id}"][value="{value}"]')  # type: ignore[attr-defined]
            page.locator(f'label[for="{radios.get_attribute("id")}"]').click()  # type: ignore[attr-defined]
        else:
            page.locator(f"#{fid}").fill(value)  # type: ignore[attr-defined]
    page.get_by_role("button", name="Save and continue").click()  # type: ignore[attr-defined]


def start_and_invite(lead: object, partnership: str) -> list[str]:
    """On the lead's home page: start a round showing every group, invite three partners; their private links."""
    from playwright.sync_api import expect

    lead.get_by_label("Partnership name").fill(partnership)  # type: ignore[attr-defined]
    lead.get_by_label("Smallest group shown on its own").fill("1")  # type: ignore[attr-defined]
    lead.get_by_role("button", name="Start the round").click()  # type: ignore[attr-defined]
    expect(lead.get_by_role("heading", level=1)).to_have_text(partnership)  # type: ignore[attr-defined]
    for organisation, role in (
        ("Library", "Lead partner"),
        ("Youth Trust", "Core partner"),
        ("School", "Core partner"),
    ):
        lead.get_by_label("Organisation", exact=True).fill(organisation)  # type: ignore[attr-defined]
        lead.get_by_label(role, exact=True).check()  # type: ignore[attr-defined]
        lead.get_by_role("button", name="Add and make a link").click()  # type: ignore[attr-defined]
    fields = lead.locator("table.invitees input.link-copy").all()  # type: ignore[attr-defined]
    return [field.input_value() for field in fields]


def test_a_round_in_the_browser_from_invitations_to_the_facilitators_screen_and_the_reports(
    server: Server,
    browsing: Browsing,
    mini_questionnaire: ph.Questionnaire,
    mini_rulebase: ph.RuleBase,
    tmp_path: Path,
) -> None:
    from playwright.sync_api import expect

    questionnaire = mini_questionnaire
    lead_link = f"{server.url}/lead/enter/{Store(server.db).lead_secret()}"

    # The lead starts a round and invites three respondents.
    lead = browsing.context(**DESKTOP).new_page()  # type: ignore[attr-defined]
    lead.goto(lead_link)
    links = start_and_invite(lead, "Riverside <Mini> Partnership")
    round_page = lead.url.split("#")[0]
    assert len(links) == 3 and len(set(links)) == 3
    assert all(link.startswith(f"{server.url}/r/") for link in links)

    # The facilitator's screen is open on the projector before anyone answers.
    screen = browsing.context(**DESKTOP).new_page()  # type: ignore[attr-defined]
    screen.goto(lead_link)
    screen.goto(round_page + "/screen")
    expect(screen.locator("#answered")).to_have_text("0")

    # One answers on a phone, and first types a number out of range.
    phone = browsing.context(**PHONE).new_page()  # type: ignore[attr-defined]
    phone.goto(links[0])
    phone.get_by_role("link", name="Start now").click()
    expect(phone.locator("#progress-label")).to_have_text("Section 1 of 2")
    answer_section(phone, {"delivery.actions_have_owners": "2", "delivery.talk_only": "2"}, questionnaire)
    weeks = questionnaire.questions["authority.meeting_weeks"]
    answer_section(phone, {"authority.decisions_shared": "5", "authority.meeting_weeks": "60"}, questionnaire)
    assert answer_problem(weeks, 60) is not None
    message = "Write a number from 0 to 52 weeks (you wrote 60), or choose “Don't know / not applicable”"
    field_error = phone.locator(f"#{field_id(weeks)}-error")
    expect(field_error).to_be_visible()
    expect(field_error).to_contain_text(str(message))
    expect(phone.locator(".error-summary")).to_contain_text(str(message))
    assert "aria-describedby" in phone.locator(f"#{field_id(weeks)}").evaluate("e => e.outerHTML")
    no_sideways = phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert no_sideways, "the form scrolls sideways on a phone"
    phone.locator(".error-summary a").first.click()
    expect(phone.locator(f"#{field_id(weeks)}")).to_be_focused()
    answer_section(phone, {"authority.meeting_weeks": "6", "authority.agreement": "no"}, questionnaire)
    expect(phone.get_by_role("heading", name="Check your answers")).to_be_visible()
    phone.get_by_role("button", name="Send my answers").click()
    expect(phone.get_by_text("What happens next")).to_be_visible()

    # The screen counts the first answers without anyone reloading it.
    expect(screen.locator("#answered")).to_have_text("1", timeout=15_000)

    # One answers on a desktop.
    desk = browsing.context(**DESKTOP).new_page()  # type: ignore[attr-defined]
    desk.goto(links[1])
    desk.get_by_role("link", name="Start now").click()
    answer_section(desk, {"delivery.actions_have_owners": "3", "delivery.talk_only": "dont_know"}, questionnaire)
    answer_section(desk, {"authority.decisions_shared": "1", "authority.type": "cooperative"}, questionnaire)
    desk.get_by_role("button", name="Send my answers").click()
    expect(desk.get_by_text("What happens next")).to_be_visible()

    # One closes the tab halfway and comes back with the same link.
    halfway = browsing.context(**DESKTOP)
    tab = halfway.new_page()  # type: ignore[attr-defined]
    tab.goto(links[2])
    tab.get_by_role("link", name="Start now").click()
    answer_section(tab, {"delivery.actions_have_owners": "4", "delivery.talk_only": "5"}, questionnaire)
    expect(tab.locator("#progress-label")).to_have_text("Section 2 of 2")
    halfway.close()  # type: ignore[attr-defined]
    back = browsing.context(**DESKTOP).new_page()  # type: ignore[attr-defined]
    back.goto(links[2])
    back.get_by_role("link", name="Continue where you stopped").click()
    expect(back.locator("#progress-label")).to_have_text("Section 2 of 2")
    back.get_by_role("link", name="Back").click()
    expect(back.locator(f"#{field_id(questionnaire.questions['delivery.talk_only'])}-5")).to_be_checked()
    back.go_back()
    answer_section(back, {"authority.decisions_shared": "2"}, questionnaire)
    back.get_by_role("button", name="Send my answers").click()
    expect(back.get_by_text("What happens next")).to_be_visible()
    expect(screen.locator("#answered")).to_have_text("3", timeout=15_000)

    # The facilitator's screen shows the top disagreement.
    store = Store(server.db)
    round_id = int(round_page.rsplit("/", 1)[1])
    answers = store.round_answers(round_id)
    expected = ph.assess(answers, questionnaire, mini_rulebase, store.get_round(round_id).options)  # type: ignore[arg-type]
    assert expected.gaps
    screen.get_by_role("link", name="Next →").click()
    expect(screen.locator(".screen-kicker")).to_have_text("What matters most")
    expect(screen.locator(".screen-top")).to_contain_text(expected.findings[0].title)
    screen.get_by_role("link", name="Next →").click()
    expect(screen.get_by_role("heading", level=1)).to_have_text(expected.gaps[0].text)
    expect(screen.locator(".screen-prompts")).to_be_visible()
    screen.wait_for_load_state("load")  # screen.js listens for the keys once it has run
    screen.keyboard.press("ArrowRight")  # the arrow keys step through the screens too
    expect(screen.locator(".screen-caption")).to_contain_text("screen 4 of")

    # The lead downloads the HTML and PDF reports.
    lead.goto(round_page)
    downloaded = {}
    for fmt, label in (("html", "HTML page"), ("pdf", "PDF")):
        with lead.expect_download() as download:
            lead.get_by_role("link", name=f"Download the report: {label}").click()
        target = tmp_path / download.value.suggested_filename
        download.value.save_as(target)
        downloaded[fmt] = target
    html = downloaded["html"].read_text(encoding="utf-8")
    assert downloaded["html"].name.endswith(".html")
    assert all(finding.title in html for finding in expected.findings)
    assert "Riverside &lt;Mini&gt; Partnership" in html
    assert downloaded["pdf"].read_bytes().startswith(b"%PDF")

    assert browsing.outside == [], f"requests left 127.0.0.1: {browsing.outside}"

    # The exported round, assessed on the command line, gives the web app's findings.
    exported = tmp_path / "answers.yaml"
    round_id = round_page.rsplit("/", 1)[1]
    assert main(["round", "export", "--db", str(server.db), round_id, "--output", str(exported)], io.StringIO()) == 0
    out = io.StringIO()
    assert main(["assess", str(exported), "--format", "json", "--min-group", "1", *MINI_INPUTS], stdout=out) == 0
    web = json.loads(lead.request.get(f"{round_page}/report.json").text())
    assert json.loads(out.getvalue())["findings"] == web["findings"]


def test_the_lead_closes_this_years_round_and_its_report_shows_what_changed_since_last_year(
    tmp_path: Path,
    browsing: Browsing,
    questionnaire: ph.Questionnaire,
    rulebase: ph.RuleBase,
) -> None:
    from playwright.sync_api import expect

    from .test_web_year import answered_round, save_last_year

    db = tmp_path / "rounds.db"
    store = Store(db)
    last_year = save_last_year(store, questionnaire, rulebase)  # examples/riverside.yaml, kept last year
    round_id = answered_round(store, questionnaire, "riverside-2027.yaml")  # this year's answers, not yet closed
    server = Server(db)  # the bundled questionnaire and rules
    try:
        lead = browsing.context(**DESKTOP).new_page()  # type: ignore[attr-defined]
        lead.goto(f"{server.url}/lead/enter/{store.lead_secret()}?round={round_id}")
        lead.get_by_role("link", name="Close the round…").click()  # a page asks first
        lead.get_by_role("button", name="Yes, close the round").click()
        expect(lead.locator(".tag")).to_have_text("Closed")
        expect(lead.locator("#compared")).to_contain_text(f"2026-10-05 (assessment {last_year})")
        expect(lead.locator("table.assessments tbody tr")).to_have_count(2)
        lead.screenshot(path=str(tmp_path / "round.png"), full_page=True)

        with lead.expect_download() as download:
            lead.get_by_role("link", name="Download the report: HTML page").click()
        saved = tmp_path / download.value.suggested_filename
        download.value.save_as(saved)

        report = browsing.context(**DESKTOP).new_page()  # type: ignore[attr-defined]
        report.set_content(saved.read_text(encoding="utf-8"))
        since = report.locator("#since")
        expect(since).to_be_visible()
        expect(since.locator(".since-new")).to_contain_text("No agreed timetable")
        expect(since.locator(".since-resolved")).to_contain_text("Partnership meetings take hours")
        expect(since.locator(".since-persisting")).to_contain_text("The lead sees shared decisions")
        chart = since.locator("svg.trend-chart")  # the overall score over the years
        expect(chart).to_be_visible()
        box = chart.bounding_box()
        assert box and box["width"] > 200 and box["height"] > 100
        shot = tmp_path / "since.png"
        since.screenshot(path=str(shot))
        assert shot.read_bytes().startswith(b"\x89PNG")
        assert browsing.outside == [], f"requests left 127.0.0.1: {browsing.outside}"
    finally:
        server.stop()

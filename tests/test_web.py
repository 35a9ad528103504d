"""The web app in-process: respondents' forms, the lead's pages, the facilitator's screen.

The app is built by ``create_app`` over a fresh SQLite file and driven with Starlette's
test client, as a browser would drive it: links, forms with their CSRF tokens, cookies.
The same journeys in a real browser against the real server are in test_browser.py.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from starlette.testclient import TestClient

import partnership_health as ph
from partnership_health.cli import main
from partnership_health.cli.rounds import who_can_reach
from partnership_health.core.checks import answer_problem
from partnership_health.models import DONT_KNOW
from partnership_health.store.sqlite import Store
from partnership_health.web import create_app
from partnership_health.web.forms import field_id

from .conftest import MINI

BASE = "http://127.0.0.1:8000"


def csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html)[1]  # type: ignore[index]


class Lead:
    """The lead's browser: signed in with the lead's private link."""

    def __init__(self, client: TestClient, store: Store) -> None:
        self.client = client
        page = client.get(f"/lead/enter/{store.lead_secret()}")
        assert page.status_code == 200 and page.url.path == "/lead"
        self.token = csrf(page.text)

    def create_round(self, partnership: str = "Mini partnership", min_group: str = "1", show_names: str = "") -> int:
        data = {"csrf": self.token, "partnership": partnership, "date": "2026-11-30", "min_group": min_group}
        page = self.client.post("/lead/rounds", data={**data, **({"show_names": show_names} if show_names else {})})
        assert page.status_code == 200, page.text
        return int(page.url.path.rsplit("/", 1)[1])

    def invite(self, round_id: int, organisation: str, role: str, name: str = "") -> str:
        before = set(self.links(round_id))
        page = self.client.post(
            f"/lead/rounds/{round_id}/invite",
            data={"csrf": self.token, "organisation": organisation, "role": role, "name": name},
        )
        assert page.status_code == 200, page.text
        (link,) = set(self.links(round_id)) - before
        return link

    def links(self, round_id: int) -> list[str]:
        page = self.client.get(f"/lead/rounds/{round_id}")
        return [link.removeprefix(BASE) for link in re.findall(r'value="(http://[^"]+/r/[^"]+)"', page.text)]


class Respondent:
    """A respondent's browser: their private link and nothing else."""

    def __init__(self, app: object, link: str) -> None:
        self.client = TestClient(app, base_url=BASE)  # type: ignore[arg-type]
        self.link = link

    def section(self, number: int, answers: dict[str, str]) -> object:
        page = self.client.get(f"{self.link}/section/{number}")
        assert page.status_code == 200
        return self.client.post(f"{self.link}/section/{number}", data={"csrf": csrf(page.text), **answers})

    def send(self) -> object:
        page = self.client.get(f"{self.link}/check")
        return self.client.post(f"{self.link}/send", data={"csrf": csrf(page.text)})


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "rounds.db")


@pytest.fixture
def app(store: Store, mini_questionnaire: ph.Questionnaire, mini_rulebase: ph.RuleBase) -> object:
    return create_app(store, questionnaire=mini_questionnaire, rules=mini_rulebase)


@pytest.fixture
def lead(app: object, store: Store) -> Iterator[Lead]:
    with TestClient(app, base_url=BASE) as client:  # type: ignore[arg-type]
        yield Lead(client, store)


MINI_ANSWERS = [
    # (organisation, role, name, answers by section number)
    (
        "Library",
        "lead",
        "Alex Lead",
        {
            1: {"delivery.actions_have_owners": "2"},
            2: {
                "authority.decisions_shared": "5",
                "authority.agreement": "no",
                "authority.type": "collaborative",
                "authority.comments": "<script>alert(1)</script>",
            },
        },
    ),
    (
        "Youth Trust",
        "core",
        "",
        {
            1: {"delivery.actions_have_owners": "3", "delivery.talk_only": DONT_KNOW},
            2: {
                "authority.decisions_shared": "1",
                "authority.type": "cooperative",
                "authority.agreement": DONT_KNOW,
                "authority.meeting_weeks.dont_know": DONT_KNOW,
            },
        },
    ),
    (
        "School",
        "core",
        "Sam Secret",
        {1: {"delivery.talk_only": "5"}, 2: {"authority.decisions_shared": "2", "authority.meeting_weeks": "6"}},
    ),
]


def answered_round(app: object, lead: Lead, **choices: str) -> int:
    round_id = lead.create_round(**choices)
    for organisation, role, name, sections in MINI_ANSWERS:
        person = Respondent(app, lead.invite(round_id, organisation, role, name))
        for number, answers in sections.items():
            assert person.section(number, answers).status_code == 200  # type: ignore[attr-defined]
        assert person.send().url.path.endswith("/thanks")  # type: ignore[attr-defined]
    return round_id


# --- the respondent's form --------------------------------------------------------------


def test_a_respondent_answers_one_section_per_page_and_their_answers_are_saved(
    app: object, lead: Lead, store: Store, mini_questionnaire: ph.Questionnaire
) -> None:
    round_id = lead.create_round()
    person = Respondent(app, lead.invite(round_id, "Library", "lead"))

    start = person.client.get(person.link)
    assert "Start now" in start.text and "Library" in start.text
    first = person.client.get(f"{person.link}/section/1")
    assert "Section 1 of 2" in first.text and mini_questionnaire.sections[0].title in first.text
    after = person.section(1, {"delivery.actions_have_owners": "4", "delivery.talk_only": DONT_KNOW})
    assert after.url.path == f"{person.link}/section/2"  # type: ignore[attr-defined]
    after = person.section(
        2, {"authority.meeting_weeks": "2.5", "authority.agreement": "yes", "authority.type": "cooperative"}
    )
    assert after.url.path == f"{person.link}/check"  # type: ignore[attr-defined]

    (invitee,) = store.respondents(round_id)
    assert store.answers_of(invitee.id) == {
        "delivery.actions_have_owners": 4,
        "delivery.talk_only": DONT_KNOW,
        "authority.meeting_weeks": 2.5,
        "authority.agreement": True,
        "authority.type": "cooperative",
    }
    thanks = person.send()
    assert "What happens next" in thanks.text  # type: ignore[attr-defined]
    assert store.respondents(round_id)[0].finished


def test_the_same_link_resumes_where_the_respondent_stopped(app: object, lead: Lead) -> None:
    round_id = lead.create_round()
    link = lead.invite(round_id, "Library", "lead")
    Respondent(app, link).section(1, {"delivery.actions_have_owners": "4"})

    later = Respondent(app, link)  # a new browser: no cookie, only the link
    start = later.client.get(link)

    assert "Continue where you stopped" in start.text
    assert f'href="{link}/section/2"' in start.text
    again = later.client.get(f"{link}/section/1")
    assert re.search(r'value="4" checked', again.text), "the saved answer is not shown again"


def test_an_out_of_range_number_is_shown_at_its_field_in_the_respondents_words(
    app: object, lead: Lead, store: Store, mini_questionnaire: ph.Questionnaire
) -> None:
    round_id = lead.create_round()
    person = Respondent(app, lead.invite(round_id, "Library", "lead"))
    question = mini_questionnaire.questions["authority.meeting_weeks"]

    page = person.section(2, {"authority.meeting_weeks": "60", "authority.decisions_shared": "4"})

    assert page.status_code == 400  # type: ignore[attr-defined]
    assert answer_problem(question, 60) is not None  # the engine refuses it; the respondent reads what to do
    message = "Write a number from 0 to 52 weeks (you wrote 60), or choose “Don&#39;t know / not applicable”"
    fid = field_id(question)
    html = page.text  # type: ignore[attr-defined]
    assert (
        f'<p class="error-message" id="{fid}-error"><span class="visually-hidden">Error:</span> {message}</p>' in html
    )
    assert re.search(rf'id="{fid}"[^>]*aria-describedby="[^"]*{fid}-error', html)
    summary = html[html.index('class="error-summary"') : html.index("</div>", html.index('class="error-summary"'))]
    assert f'href="#{fid}"' in summary and message in summary
    assert 'value="60"' in html, "what the respondent typed is kept"
    assert store.answers_of(store.respondents(round_id)[0].id) == {}, "a page with an error saves nothing"


@pytest.mark.parametrize(
    ("question_id", "typed", "told"),
    [
        ("authority.meeting_weeks", "many", "Write a number, such as 12 or 12.5, or choose"),
        ("authority.decisions_shared", "7", "Choose how much you agree, or"),
        ("authority.type", "anarchic", "Choose one of the answers, or"),
    ],
)
def test_every_refused_answer_says_what_to_do_in_the_respondents_words(
    app: object, lead: Lead, mini_questionnaire: ph.Questionnaire, question_id: str, typed: str, told: str
) -> None:
    person = Respondent(app, lead.invite(lead.create_round(), "Library", "lead"))
    question = mini_questionnaire.questions[question_id]
    raw: object = int(typed) if typed.isdigit() else typed
    assert answer_problem(question, raw) is not None

    page = person.section(2, {question_id: typed})

    assert page.status_code == 400  # type: ignore[attr-defined]
    assert f"{told} “Don&#39;t know / not applicable”" in page.text  # type: ignore[attr-defined]
    assert "dont_know" not in page.text.split("<form")[0]  # type: ignore[attr-defined]


def test_answers_can_be_changed_until_the_round_closes_and_not_after(app: object, lead: Lead, store: Store) -> None:
    round_id = lead.create_round()
    person = Respondent(app, lead.invite(round_id, "Library", "lead"))
    person.section(1, {"delivery.actions_have_owners": "2"})
    person.send()
    person.section(1, {"delivery.actions_have_owners": "5"})
    (invitee,) = store.respondents(round_id)
    assert store.answers_of(invitee.id) == {"delivery.actions_have_owners": 5}

    page = lead.client.get(f"/lead/rounds/{round_id}")
    lead.client.post(f"/lead/rounds/{round_id}/close", data={"csrf": csrf(page.text)})

    form = person.client.get(f"{person.link}/section/1")
    assert "This round has closed" in form.text and "Save and continue" not in form.text
    refused = person.client.post(
        f"{person.link}/section/1", data={"csrf": csrf(form.text), "delivery.actions_have_owners": "1"}
    )
    assert refused.status_code == 409
    assert store.answers_of(invitee.id) == {"delivery.actions_have_owners": 5}


def test_a_number_and_dont_know_together_are_refused(app: object, lead: Lead) -> None:
    person = Respondent(app, lead.invite(lead.create_round(), "Library", "lead"))

    page = person.section(2, {"authority.meeting_weeks": "4", "authority.meeting_weeks.dont_know": DONT_KNOW})

    assert page.status_code == 400  # type: ignore[attr-defined]
    assert "not both" in page.text  # type: ignore[attr-defined]


def test_a_respondent_is_asked_only_the_questions_for_their_role(
    store: Store, tmp_path: Path, mini_questionnaire: ph.Questionnaire
) -> None:
    text = (MINI / "questionnaire.yaml").read_text(encoding="utf-8")
    marked = text.replace("      - id: delivery.talk_only\n", "      - id: delivery.talk_only\n        roles: [lead]\n")
    assert marked != text
    (tmp_path / "questionnaire.yaml").write_text(marked, encoding="utf-8")
    questionnaire = ph.load_questionnaire(tmp_path / "questionnaire.yaml")
    app = create_app(store, questionnaire=questionnaire, rules=ph.load_rulebase(MINI / "rules", questionnaire))
    with TestClient(app, base_url=BASE) as client:  # type: ignore[arg-type]
        lead = Lead(client, store)
        round_id = lead.create_round()
        core = Respondent(app, lead.invite(round_id, "School", "core"))
        boss = Respondent(app, lead.invite(round_id, "Library", "lead"))
        talk = questionnaire.questions["delivery.talk_only"].text

        assert talk not in core.client.get(f"{core.link}/section/1").text
        assert talk in boss.client.get(f"{boss.link}/section/1").text
        core.section(1, {"delivery.actions_have_owners": "2", "delivery.talk_only": "5"})  # a forged field is ignored
        assert store.answers_of(store.respondents(round_id)[0].id) == {"delivery.actions_have_owners": 2}


# --- who may open what ----------------------------------------------------------------


def test_a_respondents_link_opens_only_their_own_answers(app: object, lead: Lead) -> None:
    round_id = lead.create_round()
    alice = Respondent(app, lead.invite(round_id, "Library", "lead"))
    bob = Respondent(app, lead.invite(round_id, "School", "core"))
    alice.section(2, {"authority.comments": "alice-only words", "authority.meeting_weeks": "17"})

    for path in ("", "/section/2", "/check", "/thanks"):
        page = bob.client.get(bob.link + path)
        assert page.status_code == 200
        assert "alice-only words" not in page.text and 'value="17"' not in page.text
    # Bob's form token does not post into Alice's answers.
    bobs_form = bob.client.get(f"{bob.link}/section/2")
    forged = bob.client.post(f"{alice.link}/section/2", data={"csrf": csrf(bobs_form.text), "authority.comments": "x"})
    assert forged.status_code == 403
    assert bob.client.get("/r/" + "A" * 22).status_code == 404


def test_a_respondent_cannot_open_the_leads_pages(app: object, lead: Lead) -> None:
    round_id = lead.create_round()
    person = Respondent(app, lead.invite(round_id, "Library", "lead"))
    person.client.get(person.link)

    for path in (
        "/lead",
        f"/lead/rounds/{round_id}",
        f"/lead/rounds/{round_id}/screen",
        f"/lead/rounds/{round_id}/report.html",
    ):
        page = person.client.get(path)
        assert page.status_code == 403, path
        assert "private link" in page.text


def test_the_leads_pages_refuse_every_request_without_the_secret(app: object, lead: Lead, store: Store) -> None:
    round_id = answered_round(app, lead)
    stranger = TestClient(app, base_url=BASE)  # type: ignore[arg-type]
    token = lead.token

    gets = [
        "/lead",
        f"/lead/rounds/{round_id}",
        f"/lead/rounds/{round_id}/screen",
        f"/lead/rounds/{round_id}/screen.json",
    ]
    gets += [f"/lead/rounds/{round_id}/report.{fmt}" for fmt in ("html", "pdf", "md", "json", "csv")]
    for path in gets:
        assert stranger.get(path).status_code == 403, path
    for path in (
        "/lead/rounds",
        f"/lead/rounds/{round_id}/invite",
        f"/lead/rounds/{round_id}/room",
        f"/lead/rounds/{round_id}/close",
    ):
        assert (
            stranger.post(
                path, data={"csrf": token, "partnership": "x", "organisation": "x", "role": "core"}
            ).status_code
            == 403
        )
    assert stranger.get("/lead/enter/not-the-secret").status_code == 403
    stranger.cookies.set("ph_lead", "made-up")
    assert stranger.get("/lead").status_code == 403
    assert store.get_round(round_id).open and len(store.rounds()) == 1 and len(store.respondents(round_id)) == 3


def test_a_form_without_its_csrf_token_or_from_another_site_is_refused(app: object, lead: Lead, store: Store) -> None:
    round_id = lead.create_round()

    missing = lead.client.post(f"/lead/rounds/{round_id}/close", data={})
    wrong = lead.client.post(f"/lead/rounds/{round_id}/close", data={"csrf": "0" * 64})
    elsewhere = lead.client.post(
        f"/lead/rounds/{round_id}/close", data={"csrf": lead.token}, headers={"origin": "http://evil.example"}
    )

    assert (missing.status_code, wrong.status_code, elsewhere.status_code) == (403, 403, 403)
    assert store.get_round(round_id).open


def test_a_request_body_over_the_limit_is_refused(app: object, lead: Lead, store: Store) -> None:
    round_id = lead.create_round()
    person = Respondent(app, lead.invite(round_id, "Library", "lead"))
    form = person.client.get(f"{person.link}/section/2")
    huge = {"csrf": csrf(form.text), "authority.comments": "x" * 200_000}

    page = person.client.post(f"{person.link}/section/2", data=huge)

    def chunks() -> Iterator[bytes]:
        for _ in range(30):
            yield b"authority.comments=" + b"x" * 10_000

    streamed = person.client.post(
        f"{person.link}/section/2", content=chunks(), headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert (page.status_code, streamed.status_code) == (413, 413)
    assert store.answers_of(store.respondents(round_id)[0].id) == {}


def test_everything_people_write_is_escaped(app: object, lead: Lead) -> None:
    round_id = lead.create_round(partnership="<script>alert('p')</script>")
    link = lead.invite(round_id, "<img src=x onerror=alert(1)>", "core", name="<b>bold</b>")
    person = Respondent(app, link)
    person.section(2, {"authority.comments": "<script>alert(2)</script>"})

    pages = [lead.client.get(f"/lead/rounds/{round_id}").text, person.client.get(link).text]
    pages.append(person.client.get(f"{link}/check").text)
    for html in pages:
        assert "<script>alert" not in html and "<img src=x" not in html and "<b>bold" not in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in pages[2]


# --- the room link ---------------------------------------------------------------------


def test_an_open_room_link_lets_people_add_themselves_and_gives_each_a_private_link(
    app: object, lead: Lead, store: Store
) -> None:
    round_id = lead.create_round()
    room = store.get_round(round_id).room_token
    guest = TestClient(app, base_url=BASE)  # type: ignore[arg-type]
    assert guest.get(f"/room/{room}").status_code == 404, "the room link works only once the lead opens it"

    page = lead.client.get(f"/lead/rounds/{round_id}")
    lead.client.post(f"/lead/rounds/{round_id}/room", data={"csrf": csrf(page.text), "open": "yes"})
    form = guest.get(f"/room/{room}")
    bad = guest.post(f"/room/{room}", data={"csrf": csrf(form.text), "organisation": "", "role": "boss"})
    joined = guest.post(f"/room/{room}", data={"csrf": csrf(form.text), "organisation": "Clinic", "role": "wider"})

    assert bad.status_code == 400 and "must be one of lead, core, wider (got &#39;boss&#39;)" in bad.text
    (person,) = store.respondents(round_id)
    assert (person.organisation, person.role, person.via) == ("Clinic", "wider", "room")
    assert joined.url.path == f"/r/{person.token}"


# --- reports and the facilitator's screen ------------------------------------------------


def test_the_lead_downloads_the_report_in_every_format(app: object, lead: Lead) -> None:
    round_id = answered_round(app, lead)

    for fmt, media in (
        ("html", "text/html"),
        ("md", "text/markdown"),
        ("json", "application/json"),
        ("csv", "text/csv"),
        ("pdf", "application/pdf"),
    ):
        page = lead.client.get(f"/lead/rounds/{round_id}/report.{fmt}")
        assert page.status_code == 200, fmt
        assert page.headers["content-type"].startswith(media)
        assert page.headers["content-disposition"] == f'attachment; filename="mini-partnership-2026-11-30.{fmt}"'
    assert page.content.startswith(b"%PDF")


def test_round_export_through_assess_gives_the_same_findings_as_the_web_apps_report(
    app: object, lead: Lead, store: Store, tmp_path: Path
) -> None:
    round_id = answered_round(app, lead)
    web = lead.client.get(f"/lead/rounds/{round_id}/report.json").json()
    exported = tmp_path / "answers.yaml"
    assert (
        main(
            ["round", "export", "--db", str(store.path), str(round_id), "--output", str(exported)], stdout=io.StringIO()
        )
        == 0
    )
    out = io.StringIO()
    mini = ["--questionnaire", str(MINI / "questionnaire.yaml"), "--rules", str(MINI / "rules")]

    assert main(["assess", str(exported), "--format", "json", "--min-group", "1", *mini], stdout=out) == 0

    cli = json.loads(out.getvalue())
    assert web["findings"] and cli["findings"] == web["findings"]
    assert cli == web


def test_reports_show_no_names_unless_the_lead_asks(app: object, lead: Lead) -> None:
    round_id = answered_round(app, lead, show_names="yes")  # chosen with the round: respondents were told

    plain = lead.client.get(f"/lead/rounds/{round_id}/report.html").text
    named = lead.client.get(f"/lead/rounds/{round_id}/report.html?names=yes").text

    assert "Sam Secret" not in plain and "Alex Lead" not in plain
    assert "Sam Secret" in named


def test_the_facilitators_screen_shows_the_count_then_disagreements_and_findings_without_names(
    app: object, lead: Lead, store: Store, mini_questionnaire: ph.Questionnaire, mini_rulebase: ph.RuleBase
) -> None:
    round_id = answered_round(app, lead)
    answers = store.round_answers(round_id)
    assert answers is not None
    expected = ph.assess(answers, mini_questionnaire, mini_rulebase, store.get_round(round_id).options)
    assert expected.gaps and expected.findings

    screens = []
    step = 1
    while True:
        page = lead.client.get(f"/lead/rounds/{round_id}/screen?step={step}")
        assert page.status_code == 200
        screens.append(page.text)
        if 'rel="next"' not in page.text:
            break
        step += 1

    # the count, what matters most, the disagreements, the findings (the mini rule base tells
    # no stories), the actions that come first, the end
    assert "3</span> of 3 have sent their answers" in screens[0]
    assert len(screens) == 1 + 1 + len(expected.gaps) + len(expected.findings) + 1 + 1
    assert "What matters most" in screens[1] and expected.findings[0].title in screens[1]
    assert expected.gaps[0].text in screens[2]
    for number, finding in enumerate(expected.findings, 2 + len(expected.gaps)):
        assert finding.title in screens[number]
        assert all(str(prompt) in screens[number] for prompt in finding.prompts)
    assert expected.findings[0].remedies[0].title in screens[-2]
    for html in screens:
        for secret in ("Alex Lead", "Sam Secret", "Library", "Youth Trust", "School"):
            assert secret not in html


def test_the_screen_learns_of_new_answers_without_a_reload_by_hand(app: object, lead: Lead) -> None:
    round_id = lead.create_round()
    person = Respondent(app, lead.invite(round_id, "Library", "lead"))
    screen = lead.client.get(f"/lead/rounds/{round_id}/screen")
    shown = re.search(r'data-changes="([^"]+)"', screen.text)[1]  # type: ignore[index]
    assert '<script src="/static/screen.js"></script>' in screen.text
    assert lead.client.get("/static/screen.js").status_code == 200

    before = lead.client.get(f"/lead/rounds/{round_id}/screen.json").json()
    person.section(1, {"delivery.actions_have_owners": "3"})
    after = lead.client.get(f"/lead/rounds/{round_id}/screen.json").json()

    assert before["changes"] == shown
    assert after["changes"] != shown and after["started"] == 1


# --- pages in general -------------------------------------------------------------------


class Addresses(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [v for k, v in attrs if k in ("src", "href", "action") and v is not None]


def test_no_page_loads_anything_from_elsewhere(app: object, lead: Lead) -> None:
    round_id = answered_round(app, lead)
    link = lead.links(round_id)[0]
    paths = [
        "/lead",
        f"/lead/rounds/{round_id}",
        f"/lead/rounds/{round_id}/screen",
        link,
        f"{link}/section/1",
        f"{link}/check",
    ]

    for path in paths:
        page = lead.client.get(path)
        assert "default-src 'none'" in page.headers["content-security-policy"]
        parser = Addresses()
        parser.feed(page.text)
        outside = [a for a in parser.found if not a.startswith(("/", "#", "?"))]
        assert not outside, f"{path} refers to {outside}"
    assert "http" not in lead.client.get("/static/app.css").text.replace("http-equiv", "")


def test_serve_listens_on_this_computer_only_unless_told_and_then_says_who_can_reach_it() -> None:
    from partnership_health.cli.program import _parser

    args = _parser().parse_args(["serve"])

    assert (args.host, args.port, args.db) == ("127.0.0.1", 8000, "partnership-health.db")
    assert who_can_reach("127.0.0.1").startswith("Only this computer")
    assert "every network this computer is on" in who_can_reach("0.0.0.0")
    assert "the network of 192.0.2.10" in who_can_reach("192.0.2.10")


def test_a_round_of_another_questionnaire_version_is_refused_with_a_clear_message(app: object, store: Store) -> None:
    import datetime

    from partnership_health.models import QuestionnaireRef

    made = store.create_round("Old round", datetime.date(2025, 1, 1), QuestionnaireRef(id="mini", version="0.9"))
    (person,) = store.invite(made.id, [("Library", "lead", None)])
    client = TestClient(app, base_url=BASE)  # type: ignore[arg-type]

    page = client.get(f"/r/{person.token}/section/1")

    assert page.status_code == 409
    assert "questionnaire &#39;mini&#39; version 0.9; this server has &#39;mini&#39; version 1" in page.text


def test_two_respondents_saving_at_the_same_moment_both_land(app: object, lead: Lead, store: Store) -> None:
    import threading

    round_id = lead.create_round()
    people = [Respondent(app, lead.invite(round_id, f"Organisation {n}", "core")) for n in range(6)]
    forms = [person.client.get(f"{person.link}/section/1") for person in people]
    start = threading.Barrier(len(people))
    codes: list[int] = []

    def save(person: Respondent, form: object, value: int) -> None:
        start.wait()
        page = person.client.post(
            f"{person.link}/section/1",
            data={"csrf": csrf(form.text), "delivery.actions_have_owners": str(value)},  # type: ignore[attr-defined]
            follow_redirects=False,
        )
        codes.append(page.status_code)

    threads = [
        threading.Thread(target=save, args=(person, form, 1 + n % 5))
        for n, (person, form) in enumerate(zip(people, forms, strict=True))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert codes == [303] * len(people)
    saved = [store.answers_of(invitee.id) for invitee in store.respondents(round_id)]
    assert saved == [{"delivery.actions_have_owners": 1 + n % 5} for n in range(len(people))]


def test_every_page_of_the_bundled_questionnaire_shows_each_role_its_questions(
    tmp_path: Path, questionnaire: ph.Questionnaire, rulebase: ph.RuleBase
) -> None:
    from markupsafe import escape

    store = Store(tmp_path / "bundled.db")
    app = create_app(store, questionnaire=questionnaire, rules=rulebase)
    with TestClient(app, base_url=BASE) as client:  # type: ignore[arg-type]
        lead = Lead(client, store)
        round_id = lead.create_round()
        for role in ("lead", "core", "wider"):
            person = Respondent(app, lead.invite(round_id, f"{role} organisation", role))
            asked = [q for q in questionnaire.questions.values() if q.asks(role)]
            shown: list[str] = []
            number = 1
            while True:
                page = person.client.get(f"{person.link}/section/{number}")
                if page.status_code == 404:
                    break
                assert page.status_code == 200
                shown += [q.id for q in asked if f'name="{q.id}"' in page.text]
                number += 1
            assert shown == [q.id for q in asked], role
            assert all(str(escape(q.text.strip())) in person.client.get(f"{person.link}/check").text for q in asked)


def test_an_unknown_round_is_a_page_saying_so_not_a_server_error(lead: Lead) -> None:
    round_id = lead.create_round()

    page = lead.client.get(f"/lead/rounds/{round_id + 41}")

    assert page.status_code == 404
    assert f"no round {round_id + 41} (rounds: {round_id})" in page.text

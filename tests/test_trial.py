"""Defects found by trying the product as a new lead, respondent and facilitator would (a trial run).

Each test failed before its fix: what a person saw that was wrong, said in their words.
"""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

import partnership_health as ph
from partnership_health.cli import main
from partnership_health.store.sqlite import Store
from partnership_health.web import create_app

from .test_session_store import STATEMENT, Room
from .test_web import BASE, Lead, Respondent, app, csrf, lead, store

__all__ = ["app", "lead", "store"]  # test_web's fixtures, used here


def test_no_page_tells_a_partner_their_answers_stay_on_the_leads_computer_when_the_app_is_hosted(
    tmp_path: Path, mini_questionnaire: ph.Questionnaire, mini_rulebase: ph.RuleBase
) -> None:
    hosted = create_app(
        Store(tmp_path / "rounds.db"),
        questionnaire=mini_questionnaire,
        rules=mini_rulebase,
        public_url="https://health.example.org",
    )
    with TestClient(hosted, base_url="https://health.example.org") as client:  # type: ignore[arg-type]
        page = client.get("/lead/sign-in")

    assert page.status_code == 200
    assert "lead's own computer" not in page.text
    assert "Answers are kept only on the computer that runs this app" in page.text


def cli(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), stdout=out), out.getvalue()


def test_round_list_of_a_database_with_no_rounds_says_so(tmp_path: Path) -> None:
    Store(tmp_path / "rounds.db")  # a database a lead account was added to, say, and no round yet

    code, out = cli("round", "list", "--db", str(tmp_path / "rounds.db"))

    assert code == 0
    assert out == "No rounds yet: start one with 'partnership-health round create' or on the lead's pages.\n"


@pytest.mark.parametrize("given", ["0", "-5", "3601", "nan", "٤"])
def test_a_request_timeout_out_of_range_says_the_range_it_must_be_in(
    given: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["serve", "--request-timeout", given, "--port", "0"])  # a port refused too: nothing serves

    assert code == 2
    said = capsys.readouterr().err.splitlines()[-1]
    assert said.endswith(f"must be a number of seconds more than 0 and at most 3600 (got {given!r})")


def test_an_action_left_blank_and_a_note_too_long_are_refused_in_the_facilitators_words(
    tmp_path: Path, mini_questionnaire: ph.Questionnaire, mini_rulebase: ph.RuleBase
) -> None:
    room = Room(tmp_path / "s.db", mini_questionnaire, mini_rulebase)
    session_url = room.post(f"/lead/rounds/{room.round_id}/sessions").url.path  # type: ignore[attr-defined]

    blank = room.post(f"{session_url}/actions", finding="power.lead-core-gap:share-decisions", action="", owner="")
    assert blank.status_code == 400  # type: ignore[attr-defined]
    said = html.unescape(blank.text)  # type: ignore[attr-defined]
    assert "Write the action the room agreed" in said
    assert "Write the organisation that owns the action" in said
    assert "Give the date it is due, as YYYY-MM-DD (for example 2027-03-31)" in said
    assert "is required" not in said and "(got '')" not in said

    room.post(f"{session_url}/poll", question=STATEMENT)
    long = room.post(f"{session_url}/note", note="n" * 9_000)
    assert long.status_code == 400  # type: ignore[attr-defined]
    said = html.unescape(long.text)  # type: ignore[attr-defined]
    assert "The note was not saved" in said and "control character" not in said
    assert "must be at most 5,000 characters (got 9,000)" in said


def test_the_longest_free_text_answer_in_any_script_is_saved_not_refused_as_too_large(app: object, lead: Lead) -> None:
    round_id = lead.create_round()
    person = Respondent(app, lead.invite(round_id, "Library", "lead"))
    longest = "𝔸" * 10_000  # the 10,000 characters allowed, each 4 bytes in UTF-8 and 12 once form-encoded

    page = person.section(2, {"authority.comments": longest})

    assert page.status_code == 200, page.text  # type: ignore[attr-defined]
    assert "/section/3" in page.url.path or "/check" in page.url.path  # type: ignore[attr-defined]


def test_an_empty_room_sign_up_says_what_to_fill_in(app: object, lead: Lead, store: Store) -> None:
    round_id = lead.create_round()
    page = lead.client.get(f"/lead/rounds/{round_id}")
    lead.client.post(f"/lead/rounds/{round_id}/room", data={"csrf": csrf(page.text), "open": "yes"})
    guest = TestClient(app, base_url=BASE)  # type: ignore[arg-type]
    room = f"/room/{store.get_round(round_id).room_token}"

    empty = guest.post(room, data={"csrf": csrf(guest.get(room).text), "organisation": " ", "name": ""})

    assert empty.status_code == 400
    said = html.unescape(empty.text)
    assert "Write the name of the organisation you answer for" in said
    assert "Choose your organisation's role in the partnership" in said
    assert "is required" not in said and "lead, core, wider" not in said
    assert store.respondents(round_id) == []


@pytest.mark.parametrize("typed", ["²", "٤", "99999999999999999999999", "0", "1001", "2.5", ""])
def test_a_smallest_group_that_is_no_whole_number_from_1_to_1000_is_refused_on_the_form(
    app: object, lead: Lead, store: Store, typed: str
) -> None:
    data = {"csrf": lead.token, "partnership": "Riverside", "date": "2026-11-30", "min_group": typed}
    page = lead.client.post("/lead/rounds", data=data)

    assert page.status_code == 400  # the form again, not "Something went wrong"
    assert "Write a whole number from 1 to 1000, such as 3" in page.text
    assert store.rounds() == []


def test_the_start_of_a_round_says_what_is_missing_in_the_leads_words(app: object, lead: Lead) -> None:
    page = lead.client.post("/lead/rounds", data={"csrf": lead.token, "partnership": "", "date": "", "min_group": "3"})

    assert page.status_code == 400
    assert "Write the partnership&#39;s name" in page.text and "is required" not in page.text
    assert "Write the date as year-month-day" in page.text


def test_a_double_click_on_add_and_make_a_link_invites_the_person_once(app: object, lead: Lead, store: Store) -> None:
    round_id = lead.create_round()
    page = lead.client.get(f"/lead/rounds/{round_id}")
    (batch,) = re.findall(r'name="batch" value="([^"]+)"', page.text)
    form = {"csrf": lead.token, "batch": batch, "organisation": "Library", "role": "lead", "name": "Alex"}

    first = lead.client.post(f"/lead/rounds/{round_id}/invite", data=form)
    again = lead.client.post(f"/lead/rounds/{round_id}/invite", data=form)  # the second click of a double click

    assert first.status_code == again.status_code == 200
    assert [(p.organisation, p.name) for p in store.respondents(round_id)] == [("Library", "Alex")]
    # The page after it carries a new form: the next person is invited as usual.
    (fresh,) = re.findall(r'name="batch" value="([^"]+)"', again.text)
    assert fresh != batch
    lead.client.post(f"/lead/rounds/{round_id}/invite", data={**form, "batch": fresh, "name": "Sam"})
    assert [p.name for p in store.respondents(round_id)] == ["Alex", "Sam"]


def test_a_statement_is_not_put_to_the_room_over_a_vote_still_open(
    tmp_path: Path, mini_questionnaire: ph.Questionnaire, mini_rulebase: ph.RuleBase
) -> None:
    room = Room(tmp_path / "s.db", mini_questionnaire, mini_rulebase)
    session_url = room.post(f"/lead/rounds/{room.round_id}/sessions").url.path  # type: ignore[attr-defined]
    assert room.post(f"{session_url}/poll", question=STATEMENT).status_code == 200  # type: ignore[attr-defined]

    over = room.post(f"{session_url}/poll", question="delivery.actions_have_owners")

    assert over.status_code == 409 and "Close the vote on the statement" in over.text  # type: ignore[attr-defined]
    poll = room.store.current_poll(int(session_url.rsplit("/", 1)[1]))
    assert poll is not None and (poll.question_id, poll.open) == (STATEMENT, True)  # the room's vote goes on

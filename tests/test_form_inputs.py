"""What a browser or a file may send, read safely: numbers, ids and the length of every text.

The probe of issue 20 found ``²`` and ``①`` on a scale answer a 500, ``٤`` and ``４`` taken
as 4 by the form (``import`` refuses them), ``12,5`` read as 125 by the form (``import``
reads 12.5), ``/lead/rounds/99999999999999999999`` a 500, and names, organisations and
partnership names of 90,000 characters kept. One parser (``surveys.values``) reads a number
for both; the store and the forms hold every text to ``TEXT_LIMITS``.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

import partnership_health as ph
from partnership_health.cli import main
from partnership_health.store.sqlite import TEXT_LIMITS, Store
from partnership_health.surveys.values import parse_number, read_value, whole_number

from . import test_web
from .test_web import BASE, Lead, Respondent, csrf

# The web app's fixtures: a fresh store, the app over it, and its lead signed in.
store, app, lead = test_web.store, test_web.app, test_web.lead

HUGE = "x" * 90_000


@pytest.fixture
def person(app: object, lead: Lead) -> Respondent:
    return Respondent(app, lead.invite(lead.create_round(), "Library", "lead"))


# --- one number parser -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number"),
    [("12", 12), ("12,5", 12.5), ("12.5", 12.5), ("-3", -3), ("+4", 4), ("12.0", 12), (" 7 ", 7)],
)
def test_a_number_is_read_with_ascii_digits_and_a_decimal_point_or_comma(text: str, number: float) -> None:
    assert parse_number(text) == number


@pytest.mark.parametrize("text", ["²", "①", "٤", "４", "1²", "12,,5", "1e3", "", "9" * 21, "twelve"])
def test_what_is_not_a_number_of_ascii_digits_is_no_number(text: str) -> None:
    assert parse_number(text) is None
    assert whole_number(text) is None


@pytest.mark.parametrize("typed", ["²", "①"])
def test_a_superscript_or_circled_digit_on_a_scale_is_a_plain_error_on_the_form(
    person: Respondent, store: Store, typed: str
) -> None:
    page = person.section(1, {"delivery.actions_have_owners": typed})

    assert page.status_code == 400  # type: ignore[attr-defined]
    assert "Choose how much you agree, or “Don&#39;t know / not applicable”" in page.text  # type: ignore[attr-defined]
    assert store.answers_of(store.respondents(1)[0].id) == {}


@pytest.mark.parametrize("typed", ["٤", "４"])
def test_arabic_indic_and_fullwidth_digits_are_refused_by_the_form_as_by_import(
    person: Respondent, store: Store, mini_questionnaire: ph.Questionnaire, typed: str
) -> None:
    weeks = mini_questionnaire.questions["authority.meeting_weeks"]
    agreement = mini_questionnaire.questions["delivery.actions_have_owners"]
    assert read_value(weeks, typed, mini_questionnaire)[0] is None  # import refuses them
    assert read_value(agreement, typed, mini_questionnaire)[0] is None

    on_scale = person.section(1, {"delivery.actions_have_owners": typed})
    as_number = person.section(2, {"authority.meeting_weeks": typed})

    assert on_scale.status_code == 400 and as_number.status_code == 400  # type: ignore[attr-defined]
    assert "Write a number, such as 12 or 12.5, or choose" in as_number.text  # type: ignore[attr-defined]
    assert store.answers_of(store.respondents(1)[0].id) == {}


def test_twelve_comma_five_is_twelve_and_a_half_on_the_form_as_in_import(
    person: Respondent, store: Store, mini_questionnaire: ph.Questionnaire
) -> None:
    weeks = mini_questionnaire.questions["authority.meeting_weeks"]
    assert read_value(weeks, "12,5", mini_questionnaire) == (12.5, None)

    page = person.section(2, {"authority.meeting_weeks": "12,5"})

    assert page.status_code == 200  # type: ignore[attr-defined]
    assert store.answers_of(store.respondents(1)[0].id) == {"authority.meeting_weeks": 12.5}


@pytest.mark.parametrize("length", ["²".encode("latin-1"), "¹³".encode("latin-1"), "٤".encode(), b"1" * 30])
def test_a_content_length_of_other_digits_is_refused_plainly(app: object, length: bytes) -> None:
    sent: list[dict[str, object]] = []
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/lead/rounds",
        "headers": [(b"host", b"127.0.0.1:8000"), (b"content-length", length)],
    }

    async def receive() -> dict[str, object]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))  # type: ignore[operator]

    assert sent[0]["status"] == 413 and sent[1]["body"] == b"The request is too large."


# --- ids no SQLite integer can be ---------------------------------------------------------


@pytest.mark.parametrize("round_id", ["99999999999999999999", str(2**63), "0", "-1", "²"])
@pytest.mark.parametrize("tail", ["", "/screen", "/screen.json", "/report.html"])
def test_a_huge_or_negative_round_id_is_a_not_found_page_on_every_lead_route(
    lead: Lead, round_id: str, tail: str
) -> None:
    page = lead.client.get(f"/lead/rounds/{round_id}{tail}")
    assert page.status_code == 404 and "<h1" in page.text, "the app's own page, not a bare 'Not Found'"
    assert "Internal Server Error" not in page.text


@pytest.mark.parametrize("action", ["invite", "room", "close"])
def test_a_huge_round_id_in_a_posted_form_is_not_found(lead: Lead, action: str) -> None:
    page = lead.client.post(f"/lead/rounds/99999999999999999999/{action}", data={"csrf": lead.token})
    assert page.status_code == 404


def test_a_huge_section_number_is_not_found(person: Respondent) -> None:
    assert person.client.get(f"{person.link}/section/99999999999999999999").status_code == 404


@pytest.mark.parametrize("given", ["99999999999999999999", "²"])
def test_the_command_line_says_there_is_no_such_round_for_a_huge_id(
    store: Store, given: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["round", "status", given, "--db", str(store.path)]) == 1
    assert f"no round '{given}'" in capsys.readouterr().err


# --- length limits ----------------------------------------------------------------------


def test_every_limit_is_one_constant_and_a_name_of_90000_characters_passes_none() -> None:
    assert set(TEXT_LIMITS) >= {"partnership", "organisation", "name", "answer"}
    assert all(len(HUGE) > limit for limit in TEXT_LIMITS.values())


def test_the_lead_cannot_create_a_round_with_a_partnership_name_of_90000_characters(lead: Lead, store: Store) -> None:
    page = lead.client.get("/lead")
    sent = lead.client.post(
        "/lead/rounds",
        data={"csrf": csrf(page.text), "partnership": HUGE, "date": "2026-11-30", "min_group": "1"},
    )
    assert sent.status_code == 400
    assert f"&#39;partnership&#39; must be at most {TEXT_LIMITS['partnership']} characters (got 90,000)" in sent.text
    assert store.rounds() == []


@pytest.mark.parametrize("field", ["organisation", "name"])
def test_the_lead_cannot_invite_with_a_name_or_organisation_of_90000_characters(
    lead: Lead, store: Store, field: str
) -> None:
    round_id = lead.create_round()
    data = {"csrf": lead.token, "organisation": "Library", "role": "core", "name": "", field: HUGE}
    sent = lead.client.post(f"/lead/rounds/{round_id}/invite", data=data)
    assert sent.status_code == 400
    assert f"&#39;{field}&#39; must be at most {TEXT_LIMITS[field]} characters (got 90,000)" in sent.text
    assert store.respondents(round_id) == []


@pytest.mark.parametrize("field", ["organisation", "name"])
def test_the_room_refuses_a_name_or_organisation_of_90000_characters_at_its_field(
    app: object, lead: Lead, store: Store, field: str
) -> None:
    round_id = lead.create_round()
    store.set_room(round_id, True)
    room = store.get_round(round_id).room_token
    guest = TestClient(app, base_url=BASE)  # type: ignore[arg-type]
    form = guest.get(f"/room/{room}")
    data = {"csrf": csrf(form.text), "organisation": "Clinic", "role": "wider", "name": "", field: HUGE}

    page = guest.post(f"/room/{room}", data=data)

    assert page.status_code == 400
    assert re.search(rf'id="f-{field}-error".*must be at most {TEXT_LIMITS[field]} characters', page.text, re.S)
    assert store.respondents(round_id) == []


def test_a_free_text_answer_past_its_limit_is_refused_in_the_respondents_words(
    person: Respondent, store: Store
) -> None:
    page = person.section(2, {"authority.comments": "y" * (TEXT_LIMITS["answer"] + 1)})
    assert page.status_code == 400  # type: ignore[attr-defined]
    assert f"Write at most {TEXT_LIMITS['answer']:,} characters (you wrote 10,001)" in page.text  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("argv", "field"),
    [
        (["round", "create", "--partnership", HUGE], "partnership"),
        (["round", "invite", "1", "--organisation", HUGE, "--role", "core"], "organisation"),
        (["round", "invite", "1", "--organisation", "Library", "--role", "core", "--name", HUGE], "name"),
    ],
)
def test_the_command_line_refuses_a_text_of_90000_characters_naming_the_field_and_limit(
    tmp_path: Path, argv: list[str], field: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "rounds.db"
    assert main(["round", "create", "--partnership", "Riverside", "--db", str(db)]) == 0
    capsys.readouterr()
    before = Store(db).rounds(), Store(db).respondents(1)

    assert main([*argv, "--db", str(db)]) == 1

    err = capsys.readouterr().err
    assert err.strip() == f"error: '{field}' must be at most {TEXT_LIMITS[field]} characters (got 90,000)"
    assert (Store(db).rounds(), Store(db).respondents(1)) == before


def test_the_store_refuses_a_saved_assessment_whose_partnership_is_past_its_limit(
    store: Store, hand_written: ph.Answers
) -> None:
    from partnership_health.store.sqlite import TooLongError

    answers = hand_written.model_copy(update={"partnership": HUGE})
    with pytest.raises(TooLongError, match="'partnership' must be at most"):
        store.save_assessment(answers, {}, rulebase_version="1")
    assert store.assessments() == []


# --- the respondent's form: what is left, an empty form, the time it takes -----------------


def test_the_check_page_totals_what_is_unanswered_by_section_and_overall(person: Respondent) -> None:
    person.section(1, {"delivery.actions_have_owners": "4", "delivery.talk_only": "dont_know"})
    person.section(2, {"authority.decisions_shared": "2"})

    page = person.client.get(f"{person.link}/check").text

    assert "You have answered 3 of 7 questions: 4 are not answered." in page
    assert "All 2 answered." in page
    assert "4 of 5 not answered." in page


def test_sending_a_form_with_nothing_answered_is_refused_plainly(person: Respondent, store: Store) -> None:
    check = person.client.get(f"{person.link}/check")
    assert "You have not answered any of the 7 questions yet." in check.text

    sent = person.client.post(f"{person.link}/send", data={"csrf": csrf(check.text)})

    assert sent.status_code == 400
    assert "There is a problem" in sent.text
    assert "You have not answered any question yet: answer at least one before you send your answers" in sent.text
    assert sent.text.count('href="#section-1"') == 1 and 'id="section-1"' in sent.text
    assert not store.respondents(1)[0].finished
    person.section(1, {"delivery.actions_have_owners": "4"})
    assert person.send().url.path.endswith("/thanks")  # type: ignore[attr-defined]
    assert store.respondents(1)[0].finished


def test_the_start_page_says_how_long_answering_takes_as_the_readme_reckons_it(
    person: Respondent, questionnaire: ph.Questionnaire, mini_questionnaire: ph.Questionnaire
) -> None:
    from partnership_health.web.forms import SECONDS_TO_ANSWER, minutes_to_answer, sections_for

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    every = sections_for(questionnaire, "lead")
    seconds = sum(SECONDS_TO_ANSWER[q.type] for section in every for q in section.questions)
    said = re.search(r"about (\d+) of\s+answering .*?: ([\d,]+) seconds\)", readme, re.S)
    wider = re.search(r"take about (\d+) minutes\s+of answering", readme)
    assert said and wider
    assert (minutes_to_answer(every), seconds) == (int(said[1]), int(said[2].replace(",", "")))
    assert minutes_to_answer(sections_for(questionnaire, "wider")) == int(wider[1])

    start = person.client.get(person.link).text
    mini = minutes_to_answer(sections_for(mini_questionnaire, "lead"))
    assert mini == 2  # 3 statements, a number, a choice, a yes/no and a free-text box: 138 seconds
    assert (
        "There are 7 questions in 2 short sections, one section per page: answering them takes about 2 minutes" in start
    )

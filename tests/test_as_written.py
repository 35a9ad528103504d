"""Answers as people write them: yes/no words, numbers in any JSON form, versions, dates, empty values."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

import partnership_health as ph
from partnership_health.core.checks import as_written

from .conftest import EVERY_ANSWER, MINI

HEAD = """\
partnership: P
assessed_on: 2026-10-01
questionnaire: {id: mini, version: "1"}
respondents:
"""


def one_respondent(answers: str, head: str = HEAD) -> str:
    return head + f"  - {{id: a, organisation: Library, role: lead, answers: {{{answers}}}}}\n"


def load(write, text: str, questionnaire: ph.Questionnaire, name: str = "answers.yaml") -> ph.Answers:
    folder = write({name: text})
    return ph.load_answers(folder / name, questionnaire)


def problems(write, text: str, questionnaire: ph.Questionnaire, name: str = "answers.yaml") -> list[str]:
    with pytest.raises(ph.InputError) as error:
        load(write, text, questionnaire, name)
    return [str(issue).split(f"{name}:", 1)[1] for issue in error.value.issues]


@pytest.mark.parametrize(
    ("written", "meant"),
    [("yes", True), ("Yes", True), ("NO", False), ("true", True), ("False", False), ('"yes"', True), ("'No'", False)],
)
def test_yes_no_answers_take_yes_no_true_false_in_any_case(write, mini_questionnaire, written, meant) -> None:
    answers = load(write, one_respondent(f"authority.agreement: {written}"), mini_questionnaire)

    assert answers.respondents[0].answers["authority.agreement"] is meant


def test_json_yes_no_strings_and_numbers_in_any_json_form_are_read(write, mini_questionnaire) -> None:
    forms = ["6e0", "6.0", "6", "6E+0", "0.6e1", '"6"']
    people = ", ".join(
        f'{{"id": "r{n}", "organisation": "Org {n}", "role": "core", '
        f'"answers": {{"authority.meeting_weeks": {weeks}, "authority.agreement": "yes"}}}}'
        for n, weeks in enumerate(forms)
    )
    text = (
        '{"partnership": "P", "assessed_on": "2026-10-01", "questionnaire": {"id": "mini", "version": "1"},\n'
        f' "respondents": [{people}]}}'
    )
    json.loads(text)  # it is JSON

    answers = load(write, text, mini_questionnaire, "answers.json")

    assert [r.answers["authority.meeting_weeks"] for r in answers.respondents] == [6] * len(forms)
    assert all(r.answers["authority.agreement"] is True for r in answers.respondents)
    assessment = ph.assess(answers, mini_questionnaire, ph.load_rulebase(MINI / "rules", mini_questionnaire))
    assert assessment.answers["authority.meeting_weeks"].values["mean"] == 6
    assert assessment.answers["authority.agreement"].values["share"] == 1


def test_numbers_written_with_an_exponent_are_numbers_in_yaml_too(write, mini_questionnaire) -> None:
    answers = load(write, one_respondent("authority.meeting_weeks: 1e-05"), mini_questionnaire)

    assert answers.respondents[0].answers["authority.meeting_weeks"] == pytest.approx(0.00001)


def test_a_whole_number_on_the_scale_may_be_written_with_a_point(write, mini_questionnaire) -> None:
    text = one_respondent("delivery.talk_only: 3.0, authority.decisions_shared: '4'")

    answers = load(write, text, mini_questionnaire)

    assert answers.respondents[0].answers == {"delivery.talk_only": 3, "authority.decisions_shared": 4}
    assert type(answers.respondents[0].answers["delivery.talk_only"]) is int


def test_a_scale_answer_between_points_is_still_refused(write, mini_questionnaire) -> None:
    assert problems(write, one_respondent("delivery.talk_only: 3.5"), mini_questionnaire) == [
        "5:78: respondent 'a': delivery.talk_only: must be a whole number from 1 to 5, or dont_know (got 3.5)"
    ]


def test_a_choice_may_be_written_in_any_case(write, mini_questionnaire) -> None:
    answers = load(write, one_respondent("authority.type: Cooperative"), mini_questionnaire)

    assert answers.respondents[0].answers["authority.type"] == "cooperative"


def test_free_text_written_as_a_number_or_a_yes_keeps_the_text_as_written(write, mini_questionnaire) -> None:
    first = load(write, one_respondent("authority.comments: 1.50"), mini_questionnaire)
    second = load(write, one_respondent("authority.comments: Yes"), mini_questionnaire)

    assert first.respondents[0].answers["authority.comments"] == "1.50"
    assert second.respondents[0].answers["authority.comments"] == "Yes"


def test_dont_know_is_left_alone_by_every_reading(mini_questionnaire) -> None:
    for question in mini_questionnaire.questions.values():
        assert as_written(question, "dont_know") == "dont_know"


@pytest.mark.parametrize(("written", "shown"), [("1.0", "1.0"), ("2", "2"), ("1.10", "1.10"), ("yes", "yes")])
def test_a_version_written_as_a_number_is_read_as_its_text(write, mini_questionnaire, written, shown) -> None:
    head = HEAD.replace('version: "1"', f"version: {written}")

    assert problems(write, one_respondent("delivery.talk_only: 2", head), mini_questionnaire) == [
        f"3:16: questionnaire: answers are for questionnaire {shown}, this is 1; see README 'Upgrading answers'"
    ]


def test_a_version_written_as_a_whole_number_matches(write, mini_questionnaire) -> None:
    head = HEAD.replace('version: "1"', "version: 1")

    answers = load(write, one_respondent("delivery.talk_only: 2", head), mini_questionnaire)

    assert answers.questionnaire.version == "1"


def test_a_questionnaire_version_written_as_a_number_keeps_its_text(write) -> None:
    text = (MINI / "questionnaire.yaml").read_text().replace('version: "1"', "version: 2.10")
    folder = write({"questionnaire.yaml": text})

    assert ph.load_questionnaire(folder / "questionnaire.yaml").version == "2.10"


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("14/03/2026", "(did you mean 2026-03-14?) (got '14/03/2026')"),
        ("2026/03/14", "(did you mean 2026-03-14?) (got '2026/03/14')"),
        ("March 14 2026", "(did you mean 2026-03-14?) (got 'March 14 2026')"),
        ("14 Mar 2026", "(did you mean 2026-03-14?) (got '14 Mar 2026')"),
        ("03/04/2026", "(did you mean 2026-04-03 or 2026-03-04?) (got '03/04/2026')"),
        ("20260314", "(got 20260314)"),
        ("last Tuesday", "(got 'last Tuesday')"),
    ],
)
def test_a_date_written_another_way_gets_one_message_naming_yyyy_mm_dd(
    write, mini_questionnaire, written, message
) -> None:
    head = HEAD.replace("2026-10-01", written)

    assert problems(write, one_respondent("delivery.talk_only: 2", head), mini_questionnaire) == [
        f"2:14: assessed_on: must be a date written YYYY-MM-DD {message}"
    ]


def test_an_empty_answer_is_one_line(write, mini_questionnaire) -> None:
    text = HEAD + "  - id: a\n    organisation: Library\n    role: lead\n    answers:\n      delivery.talk_only:\n"

    assert problems(write, text, mini_questionnaire) == [
        "9:26: respondent 'a': delivery.talk_only: has no answer (write one, or leave the question out)"
    ]


def test_an_answer_of_the_wrong_shape_is_one_line_not_one_per_type(write, mini_questionnaire) -> None:
    assert problems(write, one_respondent("delivery.talk_only: [2, 3]"), mini_questionnaire) == [
        "5:78: respondent 'a': delivery.talk_only: must be a single value, not a list"
    ]


def test_an_empty_field_is_one_line(write, mini_questionnaire) -> None:
    text = HEAD + "  - id: a\n    organisation:\n    role: lead\n"

    assert problems(write, text, mini_questionnaire) == [
        "6:18: respondent 'a': organisation: has no value (write one, or leave the field out where it is optional)"
    ]


# --- the same from code: a mapping, text, or Answers(...) ----------------------------

GOOD = {
    "partnership": "P",
    "assessed_on": "2026-10-01",
    "questionnaire": {"id": "mini", "version": 1},
    "respondents": [{"id": "a", "organisation": "Library", "role": "lead", "answers": {"authority.agreement": "Yes"}}],
}


def test_answers_load_from_a_mapping_read_as_people_write_them(mini_questionnaire) -> None:
    answers = ph.load_answers(GOOD, mini_questionnaire)

    assert answers.questionnaire.version == "1"
    assert answers.respondents[0].answers == {"authority.agreement": True}
    assert GOOD["respondents"][0]["answers"] == {"authority.agreement": "Yes"}  # the caller's data is left alone


def test_problems_in_a_mapping_name_the_respondent_and_field(mini_questionnaire) -> None:
    bad = {**GOOD, "respondents": [{"id": "a", "organisation": "Library", "role": "partner", "answers": {"x.y": 1}}]}

    with pytest.raises(ph.InputError) as error:
        ph.load_answers(bad, mini_questionnaire)

    assert [str(issue) for issue in error.value.issues] == [
        "<mapping>: respondent 'a': role: Input should be 'lead', 'core' or 'wider' (got 'partner')",
        "<mapping>: respondent 'a': x.y: unknown question",
    ]


def test_answers_load_from_text_with_problems_located_in_it(mini_questionnaire) -> None:
    text = one_respondent("delivery.talk_only: 9")

    with pytest.raises(ph.InputError) as error:
        ph.load_answers(text, mini_questionnaire)

    assert [str(issue) for issue in error.value.issues] == [
        "<text>:5:78: respondent 'a': delivery.talk_only: must be from 1 to 5 (got 9)"
    ]


def test_json_text_loads_too(mini_questionnaire) -> None:
    answers = ph.load_answers(json.dumps(GOOD), mini_questionnaire)

    assert answers.partnership == "P"


def test_answers_built_in_code_validate_as_any_pydantic_model_and_load_answers_names_each_problem(
    mini_questionnaire,
) -> None:
    data = {
        "partnership": "P",
        "assessed_on": "14/03/2026",
        "questionnaire": {"id": "mini", "version": "1"},
        "respondents": [{"id": "a", "organisation": "", "role": "lead", "answers": {"delivery.talk_only": None}}],
    }

    with pytest.raises(ValidationError) as built:
        ph.Answers(**data)
    with pytest.raises(ph.InputError) as loaded:
        ph.load_answers(data, mini_questionnaire)

    assert {".".join(map(str, e["loc"][:3])) for e in built.value.errors()} >= {
        "assessed_on",
        "respondents.0.organisation",
    }
    assert [str(issue) for issue in loaded.value.issues] == [
        "<mapping>: assessed_on: must be a date written YYYY-MM-DD (did you mean 2026-03-14?) (got '14/03/2026')",
        "<mapping>: respondent 'a': delivery.talk_only: has no answer (write one, or leave the question out)",
        "<mapping>: respondent 'a': organisation: is blank (write it out)",
    ]


def test_answers_built_in_code_are_checked_against_the_questionnaire_when_assessed(
    mini_questionnaire, mini_rulebase
) -> None:
    answers = ph.Answers(**{**GOOD, "questionnaire": {"id": "mini", "version": "1"}})
    wrong = answers.model_copy(
        update={"respondents": [answers.respondents[0].model_copy(update={"answers": {"delivery.talk_only": 9}})]}
    )

    with pytest.raises(ph.InputError) as error:
        ph.assess(wrong, mini_questionnaire, mini_rulebase)

    assert "respondent 'a': delivery.talk_only: must be from 1 to 5 (got 9)" in str(error.value)


def test_answers_built_in_code_are_read_as_people_write_them_when_assessed(mini_questionnaire, mini_rulebase) -> None:
    answers = ph.Answers(**{**GOOD, "questionnaire": {"id": "mini", "version": "1"}})

    assessment = ph.assess(answers, mini_questionnaire, mini_rulebase, EVERY_ANSWER)  # one person's answers

    assert assessment.answers["authority.agreement"].distribution == {"yes": 1, "no": 0}

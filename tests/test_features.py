"""Step definitions for the failure-mode features in features/ (one .feature per failure mode).

Every scenario starts from examples/healthy.yaml (one lead whose answers fire no rule);
each respondent a scenario adds starts from the same healthy answers (those its role is
asked) and changes only the ones its table lists. A cell may be ``dont_know``, or ``-``
for no answer.
"""

from __future__ import annotations

import copy

import pytest
import yaml
from pytest_bdd import given, parsers, scenarios, then, when

import partnership_health as ph
from partnership_health.core.reader import bundled_path

from .conftest import EVERY_ANSWER

scenarios(".")


def _typed(question: ph.models.Question, cell: str) -> object:
    if cell == "dont_know":
        return cell
    if question.type == "scale":
        return int(cell)
    if question.type == "number":
        number = float(cell)
        return int(number) if number.is_integer() else number
    if question.type == "yesno":
        assert cell in ("yes", "no"), f"{question.id}: yes/no answer expected, got {cell!r}"
        return cell == "yes"
    return cell


def _apply(respondent: dict, table: list[list[str]], questionnaire: ph.Questionnaire) -> None:
    header, *rows = table
    assert header == ["question", "answer"], f"table header must be | question | answer |, got {header}"
    for question_id, cell in rows:
        assert question_id in questionnaire.questions, f"unknown question {question_id!r} in a feature"
        if cell == "-":
            respondent["answers"].pop(question_id, None)
        else:
            respondent["answers"][question_id] = _typed(questionnaire.questions[question_id], cell)


@given("a healthy partnership", target_fixture="partnership")
def healthy_partnership() -> dict:
    with open(bundled_path("examples") / "healthy.yaml", encoding="utf-8") as file:
        return yaml.safe_load(file)


@given(parsers.parse('the example "{name}"'), target_fixture="partnership")
def example_partnership(name: str) -> dict:
    with open(bundled_path("examples") / name, encoding="utf-8") as file:
        return yaml.safe_load(file)


@given(
    parsers.re(r'an? (?P<role>lead|core|wider)(?: partner)? from "(?P<organisation>[^"]+)" answers neutral throughout')
)
def a_neutral_respondent(partnership: dict, role: str, organisation: str, questionnaire: ph.Questionnaire) -> None:
    """Someone new who neither agrees nor disagrees, and does not know the history or the numbers."""
    answers = {
        qid: 3 if question.type == "scale" else "dont_know"
        for qid, question in questionnaire.questions.items()
        if question.type != "text" and question.asks(role)
    }
    partnership["respondents"].append(
        {
            "id": f"r{len(partnership['respondents']) + 1}",
            "organisation": organisation,
            "role": role,
            "answers": answers,
        }
    )


@given("the lead answers")
def the_lead_answers(partnership: dict, datatable: list[list[str]], questionnaire: ph.Questionnaire) -> None:
    _apply(partnership["respondents"][0], datatable, questionnaire)


@given(parsers.re(r'(?:an?|another) (?P<role>lead|core|wider)(?: partner)? from "(?P<organisation>[^"]+)" answers'))
def another_respondent_answers(
    partnership: dict, role: str, organisation: str, datatable: list[list[str]], questionnaire: ph.Questionnaire
) -> None:
    respondent = copy.deepcopy(partnership["respondents"][0])
    respondent.update(id=f"r{len(partnership['respondents']) + 1}", role=role, organisation=organisation)
    respondent.pop("name", None)
    # the healthy lead answered everything; a respondent in another role keeps only what that role is asked
    respondent["answers"] = {
        qid: value for qid, value in respondent["answers"].items() if questionnaire.questions[qid].asks(role)
    }
    _apply(respondent, datatable, questionnaire)
    partnership["respondents"].append(respondent)


@given(parsers.re(r'the (?P<role>lead|core|wider) partner from "(?P<organisation>[^"]+)" answers'))
def that_respondent_answers(
    partnership: dict, role: str, organisation: str, datatable: list[list[str]], questionnaire: ph.Questionnaire
) -> None:
    """Change the answers of the respondent already in the partnership for that organisation."""
    found = [r for r in partnership["respondents"] if r["organisation"] == organisation and r["role"] == role]
    assert len(found) == 1, f"the example has {len(found)} {role} respondents from {organisation!r}"
    _apply(found[0], datatable, questionnaire)


@given("everyone answers")
def everyone_answers(partnership: dict, datatable: list[list[str]], questionnaire: ph.Questionnaire) -> None:
    """Each respondent changes the answers listed that their role is asked."""
    header, *rows = datatable
    for respondent in partnership["respondents"]:
        asked = [row for row in rows if questionnaire.questions[row[0]].asks(respondent["role"])]
        _apply(respondent, [header, *asked], questionnaire)


@given(parsers.parse('the core partners all say the partnership is "{kind}"'))
def core_partners_say(partnership: dict, kind: str) -> None:
    for respondent in partnership["respondents"]:
        if respondent["role"] == "core":
            respondent["answers"]["governance.partnership_type"] = kind


@when("the partnership is assessed", target_fixture="assessment")
def assessed(partnership: dict, questionnaire: ph.Questionnaire, rulebase: ph.RuleBase) -> ph.Assessment:
    # The scenarios are about what one partner answers: the lead has chosen to show every answer.
    return ph.assess(ph.Answers.model_validate(partnership), questionnaire, rulebase, EVERY_ANSWER)


def _finding(assessment: ph.Assessment, rulebase: ph.RuleBase, rule_id: str) -> ph.Finding | None:
    assert rule_id in rulebase.rule, f"the feature names a rule that does not exist: {rule_id!r}"
    return next((f for f in assessment.findings if rule_id in f.rules), None)


@then(parsers.parse('the finding "{rule_id}" is reported'))
def finding_reported(assessment: ph.Assessment, rulebase: ph.RuleBase, rule_id: str) -> None:
    fired = [rule for f in assessment.findings for rule in f.rules]
    assert _finding(assessment, rulebase, rule_id), f"{rule_id} did not fire; fired: {fired}"


@then(parsers.parse('the finding "{rule_id}" is not reported'))
def finding_not_reported(assessment: ph.Assessment, rulebase: ph.RuleBase, rule_id: str) -> None:
    assert _finding(assessment, rulebase, rule_id) is None, f"{rule_id} fired"


@then(parsers.parse('the finding "{rule_id}" prescribes "{remedy_id}"'))
def finding_prescribes(assessment: ph.Assessment, rulebase: ph.RuleBase, rule_id: str, remedy_id: str) -> None:
    finding = _finding(assessment, rulebase, rule_id)
    assert finding, f"{rule_id} did not fire"
    assert remedy_id in [r.id for r in finding.remedies]


@then(parsers.parse('the finding "{rule_id}" does not prescribe "{remedy_id}"'))
def finding_does_not_prescribe(assessment: ph.Assessment, rulebase: ph.RuleBase, rule_id: str, remedy_id: str) -> None:
    finding = _finding(assessment, rulebase, rule_id)
    assert finding, f"{rule_id} did not fire"
    assert remedy_id not in [r.id for r in finding.remedies]


@then(parsers.parse('no finding prescribes "{remedy_id}"'))
def no_finding_prescribes(assessment: ph.Assessment, remedy_id: str) -> None:
    assert [f.id for f in assessment.findings if remedy_id in [r.id for r in f.remedies]] == []


@then(parsers.parse('the finding "{rule_id}" is filed under "{failure_mode}" at "{severity}"'))
def finding_filed_under(
    assessment: ph.Assessment, rulebase: ph.RuleBase, rule_id: str, failure_mode: str, severity: str
) -> None:
    finding = _finding(assessment, rulebase, rule_id)
    assert finding, f"{rule_id} did not fire"
    assert finding.failure_mode == failure_mode
    assert [s.severity for s in finding.signals if s.rule == rule_id] == [severity]


@then(parsers.parse('the finding "{rule_id}" has evidence on "{question_id}"'))
def finding_has_evidence(assessment: ph.Assessment, rulebase: ph.RuleBase, rule_id: str, question_id: str) -> None:
    finding = _finding(assessment, rulebase, rule_id)
    assert finding, f"{rule_id} did not fire"
    assert any(e.fact.split(":")[0] == question_id or e.fact == f"fact:{question_id}" for e in finding.evidence), [
        e.fact for e in finding.evidence
    ]


@then("no high or critical finding is reported")
def no_serious_finding(assessment: ph.Assessment) -> None:
    serious = [f.id for f in assessment.findings if f.severity in ("high", "critical")]
    assert serious == [], serious


@then("no perception gap is reported")
def no_gap(assessment: ph.Assessment) -> None:
    assert [gap.question for gap in assessment.gaps] == []


@then("no finding is reported")
def no_finding(assessment: ph.Assessment) -> None:
    assert [f.id for f in assessment.findings] == []


@pytest.fixture
def partnership() -> dict:
    pytest.fail("a scenario must start with 'Given a healthy partnership' or 'Given the example \"...\"'")


def _strength_ids(assessment: ph.Assessment, rulebase: ph.RuleBase, strength_id: str) -> list[str]:
    assert strength_id in {s.id for s in rulebase.strengths}, (
        f"the feature names a strength that does not exist: {strength_id!r}"
    )
    return [s.id for s in assessment.strengths]


@then(parsers.parse('no finding names "{organisation}"'))
def no_finding_names(assessment: ph.Assessment, organisation: str) -> None:
    words = assessment.model_dump_json(include={"findings", "gaps", "strengths"})
    assert assessment.findings, "the scenario expects findings to search"
    assert organisation.casefold() not in words.casefold()


@then(parsers.parse('the strength "{strength_id}" is reported'))
def strength_reported(assessment: ph.Assessment, rulebase: ph.RuleBase, strength_id: str) -> None:
    shown = _strength_ids(assessment, rulebase, strength_id)
    assert strength_id in shown, f"{strength_id} not shown; shown: {shown}"


@then(parsers.parse('the strength "{strength_id}" is not reported'))
def strength_not_reported(assessment: ph.Assessment, rulebase: ph.RuleBase, strength_id: str) -> None:
    assert strength_id not in _strength_ids(assessment, rulebase, strength_id)


@then(parsers.parse('the partnership type is reported as "{kind}"'))
def partnership_type_is(assessment: ph.Assessment, kind: str) -> None:
    assert assessment.partnership_type is not None
    assert assessment.partnership_type.chosen == kind


@then(parsers.parse('a perception gap is reported on "{question_id}"'))
def gap_reported(assessment: ph.Assessment, question_id: str) -> None:
    assert question_id in [gap.question for gap in assessment.gaps]

"""One finding per failure mode: its rules as signals, evidence once, strengths that do not
contradict it, and wording a facilitator can read aloud."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import partnership_health as ph
from partnership_health.models import SEVERITY_RANK

from .conftest import EVERY_ANSWER, examples


@pytest.fixture(scope="module")
def assessed(questionnaire: ph.Questionnaire, rulebase: ph.RuleBase) -> dict[str, ph.Assessment]:
    return {path.name: ph.assess(ph.load_answers(path, questionnaire), questionnaire, rulebase) for path in examples()}


@pytest.mark.parametrize("example", [path.name for path in examples()])
def test_no_json_report_has_two_findings_of_one_failure_mode(
    example: str, assessed: dict[str, ph.Assessment], questionnaire: ph.Questionnaire
) -> None:
    report = json.loads(ph.render(assessed[example], questionnaire, "json"))

    modes = [finding["failure_mode"] for finding in report["findings"]]
    assert len(modes) == len(set(modes)), modes
    for finding in report["findings"]:
        assert finding["rules"][0] == finding["id"]
        assert [signal["rule"] for signal in finding["signals"]] == finding["rules"]
        assert finding["severity"] == min((s["severity"] for s in finding["signals"]), key=SEVERITY_RANK.get)
        remedies = [remedy["id"] for remedy in finding["remedies"]]
        assert len(remedies) == len(set(remedies))


def test_the_rules_of_a_failure_mode_that_fire_together_are_one_finding(
    assessed: dict[str, ph.Assessment], rulebase: ph.RuleBase
) -> None:
    riverside = assessed["riverside.yaml"]
    communication = [f for f in riverside.findings if f.failure_mode == "poor_communication"]

    assert len(communication) == 1
    finding = communication[0]
    assert len(finding.rules) >= 2, "the demo's communication rules fire together"
    wanted = {e for rule in finding.rules for e in rulebase.rule[rule].remedies}
    assert {r.id for r in finding.remedies} == wanted
    facts = [e.fact for e in finding.evidence]
    assert len(facts) == len(set(facts))


@pytest.mark.parametrize("example", [path.name for path in examples()])
def test_findings_are_ranked_by_severity_then_signals_then_respondents(
    example: str, assessed: dict[str, ph.Assessment]
) -> None:
    keys = [(SEVERITY_RANK[f.severity], -len(f.signals), -f.respondents) for f in assessed[example].findings]
    assert keys == sorted(keys)


def every_answer(name: str, questionnaire: ph.Questionnaire, rulebase: ph.RuleBase) -> ph.Assessment:
    """An example assessed as a lead who chose to show every group, however small, sees it."""
    path = next(path for path in examples() if path.name == name)
    return ph.assess(ph.load_answers(path, questionnaire), questionnaire, rulebase, EVERY_ANSWER)


def test_evidence_for_the_roles_is_not_shown_again_for_everyone(
    questionnaire: ph.Questionnaire, rulebase: ph.RuleBase
) -> None:
    shown = every_answer("power-imbalance.yaml", questionnaire, rulebase)
    finding = next(f for f in shown.findings if f.failure_mode == "power_imbalance")

    facts = [e.fact for e in finding.evidence]
    assert "authority.decisions_shared:mean@lead" in facts and "authority.decisions_shared:mean@core" in facts
    assert "authority.decisions_shared:mean" not in facts, "the same answers shown again from the other side"


@pytest.mark.parametrize("example", [path.name for path in examples()])
def test_no_strength_is_shown_beside_a_finding_it_contradicts(
    example: str, assessed: dict[str, ph.Assessment], rulebase: ph.RuleBase
) -> None:
    assessment = assessed[example]
    modes = {f.failure_mode for f in assessment.findings}
    questions = {e.fact.split(":")[0] for f in assessment.findings for e in f.evidence}
    for strength in assessment.strengths:
        contradicts = next(s for s in rulebase.strengths if s.id == strength.id).contradicts
        assert not modes & set(contradicts), f"{strength.id} shown beside a finding of {modes & set(contradicts)}"
        assert not questions & {e.fact.split(":")[0] for e in strength.evidence}


def test_a_strength_naming_a_reported_failure_mode_is_not_shown(
    questionnaire: ph.Questionnaire, rulebase: ph.RuleBase
) -> None:
    answers = ph.load_answers(Path(__file__).parent.parent / "examples" / "power-imbalance.yaml", questionnaire)
    shown = {s.id for s in ph.assess(answers, questionnaire, rulebase).strengths}
    assert "strength.trust" in shown

    trust_contradicts_power = rulebase.model_copy(
        update={
            "strengths": tuple(
                s.model_copy(update={"contradicts": ["power_imbalance"]}) if s.id == "strength.trust" else s
                for s in rulebase.strengths
            )
        }
    )
    assessment = ph.assess(answers, questionnaire, trust_contradicts_power)

    assert "strength.trust" not in {s.id for s in assessment.strengths}
    assert shown - {s.id for s in assessment.strengths} == {"strength.trust"}


def test_a_strength_naming_an_unknown_failure_mode_is_a_located_error(tmp_path: Path) -> None:
    from .conftest import MINI

    rules = tmp_path / "rules"
    rules.mkdir()
    for file in (MINI / "rules").iterdir():
        (rules / file.name).write_text(file.read_text(encoding="utf-8"), encoding="utf-8")
    (rules / "strengths.yaml").write_text(
        "strengths:\n"
        "  - id: strength.owners\n"
        "    title: Actions have owners\n"
        "    factor: Delivery\n"
        "    contradicts: [all_talk_no_actoin]\n"
        '    source: {guide: Participate, section: "a) All talk no action"}\n'
        "    explanation: Every action has an owner.\n"
        '    when: {question: delivery.actions_have_owners, op: ">=", value: 4}\n',
        encoding="utf-8",
    )

    with pytest.raises(ph.InputError) as raised:
        ph.load_rulebase(rules, ph.load_questionnaire(MINI / "questionnaire.yaml"))

    message = str(raised.value)
    assert re.search(r"strengths\.yaml:5:\d+: strength 'strength\.owners': unknown failure mode", message), message
    assert "did you mean 'all_talk_no_action'" in message


@pytest.mark.parametrize("example", [path.name for path in examples()])
def test_reports_show_whole_numbers_as_whole_numbers(
    example: str, assessed: dict[str, ph.Assessment], questionnaire: ph.Questionnaire
) -> None:
    for finding in assessed[example].findings:
        for evidence in finding.evidence:
            assert not re.search(r"\b\d+\.0\b", evidence.text), evidence.text


def test_one_person_is_not_said_to_answer_on_average(questionnaire: ph.Questionnaire, rulebase: ph.RuleBase) -> None:
    one = every_answer("one-respondent.yaml", questionnaire, rulebase)
    texts = [e.text for f in one.findings for e in f.evidence]

    assert texts and not [t for t in texts if "average" in t or "partners answered" in t]
    assert any(t.startswith("The one respondent answered") for t in texts)
    lead = every_answer("power-imbalance.yaml", questionnaire, rulebase).findings[0].evidence
    assert any(e.text.startswith("The lead partner answered") for e in lead), [e.text for e in lead]


def test_a_tie_on_a_choice_is_not_called_most(questionnaire: ph.Questionnaire) -> None:
    from partnership_health.core.explain import _mode_words
    from partnership_health.models import QuestionStats

    kind = next(q for q in questionnaire.questions.values() if q.type == "choice")
    first, second, third = (choice.id for choice in kind.choices[:3])
    tie = QuestionStats(count=3, values={"mode": first}, distribution={first: 1, second: 1, third: 1})
    majority = QuestionStats(count=3, values={"mode": first}, distribution={first: 2, second: 1})

    text = _mode_words(kind, first, "partners", "the type", tie)

    assert "Most" not in text and "split" in text, text
    assert "Most partners (2 of 3)" in _mode_words(kind, first, "partners", "the type", majority)

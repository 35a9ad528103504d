"""Many respondents: per-role and per-organisation views, perception gaps, privacy."""

from __future__ import annotations

import json
import re

import pytest

import partnership_health as ph
from partnership_health.cli import main

from .conftest import EVERY_ANSWER, MINI, examples


def example(name: str) -> str:
    path = next((p for p in examples() if p.name == name), None)
    assert path, f"examples/{name} is missing"
    return str(path)


def assess_example(name: str, questionnaire, rulebase, **options) -> ph.Assessment:
    return ph.assess(
        ph.load_answers(example(name), questionnaire), questionnaire, rulebase, ph.AssessOptions(**options)
    )


def test_a_lead_who_sees_shared_decisions_against_core_partners_who_do_not(questionnaire, rulebase) -> None:
    # The lead has chosen to show every group, however small (see test_privacy for the default).
    assessment = assess_example("power-imbalance.yaml", questionnaire, rulebase, min_group=1)

    finding = next(f for f in assessment.findings if "power.lead-core-gap" in f.rules)
    facts = {e.fact: e.value for e in finding.evidence}
    question = next(iter(facts)).split(":")[0]
    assert facts[f"{question}:mean@lead"] == 5
    assert facts[f"{question}:mean@core"] <= 2
    gap = next(g for g in assessment.gaps if g.question == question)
    assert gap.by_role["lead"] == 5 and gap.by_role["core"] <= 2
    assert gap.prompts, "a gap comes with questions for the room"


def test_respondents_who_pick_different_types_get_the_type_mismatch_finding(questionnaire, rulebase) -> None:
    assessment = assess_example("type-mismatch.yaml", questionnaire, rulebase)

    assert any(f.failure_mode == "partnership_type_mismatch" for f in assessment.findings)
    assert assessment.partnership_type is not None and not assessment.partnership_type.agreed
    assert sum(assessment.partnership_type.distribution.values()) == assessment.respondents


def test_one_respondent_works_and_the_gaps_say_they_need_more(questionnaire, rulebase, capsys) -> None:
    assessment = assess_example("one-respondent.yaml", questionnaire, rulebase, min_group=1)

    assert assessment.gaps == ()
    assert "at least 2 respondents" in assessment.gaps_note
    assert main(["assess", example("one-respondent.yaml"), "--min-group", "1"]) == 0
    assert "at least 2 respondents" in capsys.readouterr().out
    assert main(["assess", example("one-respondent.yaml")]) == 0
    assert "at least 3 respondents" in capsys.readouterr().out, "at the default settings, the smallest group shown"


def test_gaps_are_disputed_questions_least_agreed_first(questionnaire, rulebase) -> None:
    # A gap is a question the room is split on (issue 9), judged since issue 18 by rwg, which
    # also catches one partner far from the rest; the least agreed come first. (Every figure shown:
    # at the default settings a gap's rwg is not shown beside a split of a few, test_no_exact_answer.)
    assessment = assess_example("riverside.yaml", questionnaire, rulebase, min_group=1)
    settings = rulebase.settings.gaps

    assert assessment.gaps
    for gap in assessment.gaps:
        both_sides = gap.agree and gap.disagree
        assert (both_sides and gap.rwg is not None and gap.rwg <= settings.agreement) or gap.sides, gap
    order = [(g.rwg, -(g.role_gap or 0)) for g in assessment.gaps]
    assert order == sorted(order)
    assert assessment.gaps_shown == settings.show == 5


def names_in(answers: ph.Answers) -> list[str]:
    return [r.name for r in answers.respondents if r.name]


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_no_respondent_name_appears_without_show_respondents(fmt, questionnaire, capsys) -> None:
    answers = ph.load_answers(example("riverside.yaml"), questionnaire)
    assert names_in(answers), "the example must name its respondents for this test to mean anything"

    assert main(["assess", example("riverside.yaml"), "--format", fmt]) == 0
    hidden = capsys.readouterr().out
    assert main(["assess", example("riverside.yaml"), "--format", fmt, "--show-respondents"]) == 0
    shown = capsys.readouterr().out

    for name in names_in(answers):
        assert name not in hidden
        assert name in shown


def test_min_group_leaves_no_breakdown_of_fewer_respondents(questionnaire, rulebase) -> None:
    assessment = assess_example("riverside.yaml", questionnaire, rulebase, min_group=3)

    for group in [*assessment.by_role.values(), *assessment.by_organisation.values()]:
        assert group.respondents >= 3
    assert assessment.privacy_note
    for finding in assessment.findings:
        for evidence in finding.evidence:
            group = evidence.fact.partition("@")[2]
            if group and any(role not in assessment.by_role for role in group.split("-")):
                assert evidence.value is None


def test_min_group_keeps_small_groups_out_of_every_report_format(questionnaire, capsys) -> None:
    assert main(["assess", example("riverside.yaml"), "--format", "json", "--min-group", "3"]) == 0
    report = json.loads(capsys.readouterr().out)

    for gap in report.get("gaps", []):
        assert set(gap["by_role"]) <= {"core", "others"}


def test_people_of_one_organisation_count_once_when_asked(mini_questionnaire, mini_rulebase) -> None:
    data = ph.load_answers(MINI / "answers.yaml", mini_questionnaire).model_dump()
    twin = dict(data["respondents"][2], id="core3")  # a second person from the School
    twin["answers"] = {"authority.decisions_shared": 4}
    data["respondents"].append(twin)
    answers = ph.Answers.model_validate(data)

    # Every figure shown: at the default settings the means of splits of two and one are not (test_no_exact_answer).
    every = ph.AssessOptions(min_group=1)
    per_person = ph.assess(answers, mini_questionnaire, mini_rulebase, every)
    per_organisation = ph.assess(
        answers, mini_questionnaire, mini_rulebase, every.model_copy(update={"by": "organisation"})
    )

    assert per_person.answers["authority.decisions_shared"].values["mean"] == pytest.approx((5 + 1 + 2 + 4) / 4)
    assert per_organisation.answers["authority.decisions_shared"].values["mean"] == pytest.approx((5 + 1 + 3) / 3)
    assert per_organisation.answers["authority.decisions_shared"].count == 3
    assert per_organisation.counted_by == "organisation"


def test_a_rule_can_match_the_gap_between_two_roles(tmp_path, mini_questionnaire) -> None:
    import shutil

    rules = shutil.copytree(MINI / "rules", tmp_path / "rules")
    core = rules / "core.yaml"
    core.write_text(
        core.read_text().replace(
            """        - {question: authority.decisions_shared, role: lead, op: ">=", value: 4}
        - {question: authority.decisions_shared, role: core, op: "<=", value: 2.5}""",
            """        - {question: authority.decisions_shared, stat: gap, roles: [lead, core], op: ">=", value: 2}""",
        )
    )
    rulebase = ph.load_rulebase(rules, mini_questionnaire)

    answers = ph.load_answers(MINI / "answers.yaml", mini_questionnaire)
    assessment = ph.assess(answers, mini_questionnaire, rulebase, EVERY_ANSWER)

    finding = next(f for f in assessment.findings if "power.lead-core-gap" in f.rules)
    assert [(e.fact, e.value) for e in finding.evidence] == [("authority.decisions_shared:gap@lead-core", 3.5)]
    assert "3.5 points higher than core partners" in finding.evidence[0].text


def test_facilitator_prompts_show_in_every_format(questionnaire, rulebase, capsys) -> None:
    assessment = assess_example("riverside.yaml", questionnaire, rulebase)
    prompts = [p for f in assessment.findings for p in f.prompts]
    assert prompts, "the demo's findings carry prompts"

    for fmt in ("md", "html", "json"):
        assert main(["assess", example("riverside.yaml"), "--format", fmt]) == 0
        out = capsys.readouterr().out
        text = json.loads(out) if fmt == "json" else out
        assert prompts[0] in (json.dumps(text, ensure_ascii=False) if fmt == "json" else re.sub(r"&#39;", "'", text))


def test_the_json_report_carries_every_aggregate_per_role_and_organisation(capsys) -> None:
    assert main(["assess", example("riverside.yaml"), "--format", "json", "--min-group", "1"]) == 0
    aggregates = json.loads(capsys.readouterr().out)["aggregates"]

    question = "authority.decisions_shared"
    overall = aggregates["answers"][question]
    assert set(overall["values"]) >= {"mean", "median", "min", "max", "spread", "count"}
    assert sum(group["respondents"] for group in aggregates["by_role"].values()) == 5
    assert (
        sum(group["answers"][question]["count"] for group in aggregates["by_organisation"].values()) == overall["count"]
    )


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_report_names_the_partnership_type_and_the_strengths(fmt, questionnaire, rulebase, capsys) -> None:
    assessment = assess_example("riverside.yaml", questionnaire, rulebase)
    assert assessment.partnership_type and assessment.strengths

    assert main(["assess", example("riverside.yaml"), "--format", fmt]) == 0
    out = capsys.readouterr().out

    assert assessment.partnership_type.label and assessment.partnership_type.label.split(":")[0][:30] in out.replace(
        "&#39;", "'"
    )
    for strength in assessment.strengths:
        assert strength.title.replace("'", "&#39;" if fmt == "html" else "'") in out

"""What the rules know of a partnership's situation, and remedies chosen to fit it.

The partnership's age holds back what a young partnership cannot have done yet
(``not_age: [young]``), and still lets it through when the age is not known; a remedy's
``not_with`` keeps it out of a plan that already asks the partners to consider ending.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

import partnership_health as ph
from partnership_health.cli import main
from partnership_health.core.assessment import remedies_for_the_situation
from partnership_health.core.facts import partnership_age
from partnership_health.reporting.render import action_plan

from .conftest import EVERY_ANSWER, REPO

YOUNG = ("under_6_months", "under_1_year")


@pytest.mark.parametrize(
    ("answers", "age"),
    [
        (["under_6_months"], "young"),
        (["under_6_months", "under_1_year", "over_3_years"], "young"),
        (["one_to_3_years", "over_3_years", "under_1_year"], "established"),
        (["under_6_months", "over_3_years"], "unknown"),
        ([], "unknown"),
    ],
    ids=["one young answer", "most say young", "most say older", "an even split", "no answer"],
)
def test_the_age_is_what_most_lead_and_core_answers_say_and_unknown_otherwise(answers, age) -> None:
    assert partnership_age(answers, YOUNG) == age


def test_a_rule_held_back_while_young_is_not_evidence_and_applies_to_an_older_partnership(
    questionnaire, rulebase
) -> None:
    data = yaml.safe_load((REPO / "examples" / "young-partnership.yaml").read_text(encoding="utf-8"))
    young = ph.assess(ph.Answers.model_validate(data), questionnaire, rulebase, EVERY_ANSWER)
    for respondent in data["respondents"]:
        if respondent["role"] != "wider":
            respondent["answers"]["governance.partnership_age"] = "one_to_3_years"
    older = ph.assess(ph.Answers.model_validate(data), questionnaire, rulebase, EVERY_ANSWER)

    held_back = {rule.id for rule in rulebase.rules if rule.not_age == ["young"]}
    assert not held_back & {rule for f in young.findings for rule in f.rules}
    assert {"agreement.not-reviewed", "evaluation.no-review"} <= {rule for f in older.findings for rule in f.rules}
    assert not any(e.fact.startswith("age:") for f in older.findings for e in f.evidence), "context, not evidence"


def test_ending_the_partnership_is_not_planned_beside_building_trust_informally(questionnaire, rulebase) -> None:
    data = yaml.safe_load((REPO / "examples" / "healthy.yaml").read_text(encoding="utf-8"))
    lead = data["respondents"][0]
    lead["answers"].update({"relationships.long_running_dispute": 4, "relationships.trust": 2})
    core = {
        **lead,
        "id": "core",
        "name": None,
        "organisation": "Northside Youth Trust",
        "role": "core",
        "answers": {**lead["answers"], "relationships.sustained_commitment": 1},
    }
    data["respondents"].append({k: v for k, v in core.items() if v is not None})

    plan = [
        action.remedy.id
        for action in action_plan(ph.assess(ph.Answers.model_validate(data), questionnaire, rulebase, EVERY_ANSWER))
    ]

    assert "end-partnership-well" in plan
    assert "build-trust-informally" not in plan and "manage-a-partner-leaving" not in plan
    assert "agree-dispute-procedure" in plan, "the other findings keep their remedies"


def test_a_finding_whose_every_remedy_is_displaced_points_to_what_displaced_it(rulebase) -> None:
    riverside = ph.assess(ph.load_answers(REPO / "examples" / "riverside.yaml"), rulebase=rulebase).findings[0]
    findings = tuple(
        riverside.model_copy(update={"id": f"f{n}", "remedies": tuple(rulebase.remedy[r] for r in ids)})
        for n, ids in enumerate(
            [["build-trust-informally"], ["end-partnership-well"], ["build-trust-informally", "review-goals"]]
        )
    )

    chosen = remedies_for_the_situation(findings)

    assert [[r.id for r in f.remedies] for f in chosen] == [
        ["end-partnership-well"],
        ["end-partnership-well"],
        ["review-goals"],
    ]
    assert remedies_for_the_situation(findings[2:]) == findings[2:], "nothing to leave out: the findings as they were"


def test_lint_names_a_not_with_that_names_no_remedy_and_an_age_guard_without_its_question(tmp_path, capsys) -> None:
    rules = Path(shutil.copytree(REPO / "rules", tmp_path / "rules"))
    shutil.copytree(REPO / "features", tmp_path / "features")
    remedies = rules / "remedies.yaml"
    remedies.write_text(
        remedies.read_text().replace("not_with: [end-partnership-well]", "not_with: [end-partnership]", 1)
    )
    settings = rules / "rulebase.yaml"
    text = settings.read_text()
    settings.write_text("\n".join(line for line in text.splitlines() if "partnership_age:" not in line) + "\n")

    assert main(["rules", "lint", str(rules)]) == 1

    err = capsys.readouterr().err
    assert (
        "remedy 'manage-a-partner-leaving': unknown remedy 'end-partnership' (did you mean 'end-partnership-well'?)"
        in err
    )
    assert "rule 'agreement.not-reviewed': not_age: needs 'partnership_age: " in err

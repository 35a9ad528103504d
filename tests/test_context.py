"""What the rules know of a partnership's situation: its age.

The partnership's age holds back what a young partnership cannot have done yet
(``not_age: [young]``), and still lets it through when the age is not known.
"""

from __future__ import annotations

import pytest
import yaml

import partnership_health as ph
from partnership_health.core.facts import partnership_age

from .conftest import REPO

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
    young = ph.assess(ph.Answers.model_validate(data), questionnaire, rulebase)
    for respondent in data["respondents"]:
        if respondent["role"] != "wider":
            respondent["answers"]["governance.partnership_age"] = "one_to_3_years"
    older = ph.assess(ph.Answers.model_validate(data), questionnaire, rulebase)

    held_back = {rule.id for rule in rulebase.rules if rule.not_age == ["young"]}
    assert not held_back & {rule for f in young.findings for rule in f.rules}
    assert {"agreement.not-reviewed", "evaluation.no-review"} <= {rule for f in older.findings for rule in f.rules}
    assert not any(e.fact.startswith("age:") for f in older.findings for e in f.evidence), "context, not evidence"

"""Each partner beside the rest, and perception gaps on rwg: what a whole-partnership mean averages away."""

from __future__ import annotations

import copy

import pytest
import yaml

import partnership_health as ph
from partnership_health.core.facts import within_agreement
from partnership_health.core.partners import modified_z, signals
from partnership_health.core.reader import bundled_path
from partnership_health.models import PartnerSettings

SETTINGS = PartnerSettings(
    own_side=[
        "authority.trustees_support",
        "authority.chief_exec_support",
        "relationships.sustained_commitment",
        "funding.partnership_central",
    ]
)
TYPES = ("governance.type_signed_up", "governance.partnership_type")


def example(name: str) -> dict:
    return yaml.safe_load((bundled_path("examples") / name).read_text(encoding="utf-8"))


def answers(data: dict, questionnaire: ph.Questionnaire) -> ph.Answers:
    return ph.load_answers(data, questionnaire)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([4, 4, 4, 4], 1.0),  # all the same
        ([3, 4, 4, 5, 5], 0.65),  # the usual spread of a healthy room
        ([1, 4, 4, 5, 5], 0.0),  # one partner far from the rest: below zero counts as none
        ([1, 5], 0.0),  # an even split
        ([2, 4, 4, 5, 5], 0.25),
    ],
)
def test_rwg_is_one_minus_the_variance_over_that_of_an_even_spread(values: list[int], expected: float) -> None:
    assert within_agreement(values) == pytest.approx(expected)


def test_rwg_of_one_answer_is_unknown() -> None:
    assert within_agreement([4]) is None


def test_the_modified_z_score_of_iglewicz_and_hoaglin() -> None:
    # median 3, absolute deviations 2, 1, 0, 1, 97: MAD 1, so M = 0.6745 (x - 3)
    assert modified_z([1, 2, 3, 4, 100]) == pytest.approx([-1.349, -0.6745, 0, 0.6745, 65.4265])
    # MAD 0 (most values alike): the mean absolute deviation times 1.253314 takes its place
    assert modified_z([4, 4, 4, 4, 1])[-1] == pytest.approx(-3 / (1.253314 * 0.6))
    assert modified_z([4, 4, 4]) == [0, 0, 0]


def test_the_quiet_partner_shows_every_signal_and_only_it(questionnaire: ph.Questionnaire) -> None:
    found = signals(answers(example("quiet-partner.yaml"), questionnaire).respondents, questionnaire, SETTINGS, TYPES)

    assert found == {
        "below_rest": 1,
        "dont_know_high": 1,
        "neutral_high": 1,
        "own_side_low": 1,
        "withdrawing": 1,
        "type_drift": 0,
    }


def test_without_the_quiet_partner_no_one_stands_out(questionnaire: ph.Questionnaire) -> None:
    data = example("quiet-partner.yaml")
    data["respondents"] = [r for r in data["respondents"] if r["organisation"] != "Westbank Housing"]

    found = signals(answers(data, questionnaire).respondents, questionnaire, SETTINGS, TYPES)

    assert set(found.values()) == {0}


def test_a_newcomer_answering_neutral_throughout_is_guarded_but_not_withdrawing(
    questionnaire: ph.Questionnaire,
) -> None:
    data = example("quiet-partner.yaml")
    newcomer = data["respondents"][-1]
    newcomer["answers"] = {
        qid: 3 if q.type == "scale" else "dont_know"
        for qid, q in questionnaire.questions.items()
        if q.type != "text" and q.asks("core")
    }

    found = signals(answers(data, questionnaire).respondents, questionnaire, SETTINGS, TYPES)

    assert found["neutral_high"] == 1 and found["dont_know_high"] == 1
    assert found["own_side_low"] == 0 and found["withdrawing"] == 0


def test_two_people_of_one_organisation_are_one_partner(questionnaire: ph.Questionnaire) -> None:
    data = example("quiet-partner.yaml")
    second = copy.deepcopy(data["respondents"][-1])
    second.update(id="dev2", organisation=" Westbank Housing ")
    data["respondents"].append(second)

    found = signals(answers(data, questionnaire).respondents, questionnaire, SETTINGS, TYPES)

    assert found["withdrawing"] == 1


def test_a_partner_that_signed_up_for_another_type_has_drifted(questionnaire: ph.Questionnaire) -> None:
    data = example("quiet-partner.yaml")
    data["respondents"][1]["answers"]["governance.type_signed_up"] = "cooperative"

    found = signals(answers(data, questionnaire).respondents, questionnaire, SETTINGS, TYPES)

    assert found["type_drift"] == 1


def test_the_finding_and_its_evidence_never_name_the_partner(questionnaire: ph.Questionnaire) -> None:
    assessment = ph.assess(answers(example("quiet-partner.yaml"), questionnaire), questionnaire)

    finding = next(f for f in assessment.findings if "commitment.partner-withdrawing" in f.rules)
    words = finding.model_dump_json()
    assert "One partner organisation doubts its own organisation's backing" in words
    for organisation in ("Westbank", "Northside", "Riverside College", "Eastfield"):
        assert organisation not in words


def test_one_partner_far_from_the_rest_is_a_perception_gap(questionnaire: ph.Questionnaire) -> None:
    found = answers(example("quiet-partner.yaml"), questionnaire)
    assessment = ph.assess(found, questionnaire)

    gap = next(g for g in assessment.gaps if g.question == "authority.decisions_shared")
    assert gap.disagree == 1 and gap.agree == 4
    assert gap.rwg is None  # beside the counts, the rwg would pin the one who disagrees (test_no_exact_answer)
    every = ph.assess(found, questionnaire, options=ph.AssessOptions(min_group=1))
    shown = next(g for g in every.gaps if g.question == "authority.decisions_shared")
    assert shown.rwg is not None and shown.rwg <= 0.5

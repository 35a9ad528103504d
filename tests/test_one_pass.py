"""What the assessment gathers in one pass, or counts in bulk, is what each part worked out on its own gives.

The partner profiles are added up in the tally's pass over the answers; which questions a
breakdown leaves out is counted cell by cell; the organisations' agreement counts are read
without their other aggregates. Each is checked here against the plain way of working it
out, on every example and on generated partnerships with "don't know" answers, unanswered
questions and organisations of every size.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import partnership_health as ph
from benchmarks.bench_assess import generated
from partnership_health.core.assessment import prepare
from partnership_health.core.facts import (
    Tally,
    agreement_over,
    by_organisation,
    grouped,
    question_stats,
    stats_over,
    withheld,
)
from partnership_health.core.partners import organisations, profile
from partnership_health.core.quality import data_quality
from partnership_health.models import DONT_KNOW, Respondent

from .conftest import examples
from .test_differential import QUESTIONNAIRE

RULEBASE = ph.load_rulebase(questionnaire=QUESTIONNAIRE)
TYPES = ("governance.type_signed_up", "governance.partnership_type")


def partnerships() -> dict[str, ph.Answers]:
    """Every example, and generated partnerships with answers left out or "don't know", in organisations of any size."""
    cases = {f.name: ph.load_answers(f, QUESTIONNAIRE) for f in examples()}
    riverside = cases["riverside.yaml"]
    rng = random.Random(7)
    for seed in range(12):
        size = rng.choice([2, 3, 5, 8, 13, 40])
        data = generated(riverside, QUESTIONNAIRE, size, seed).model_dump()
        for respondent in data["respondents"]:
            respondent["organisation"] = f"Organisation {rng.randint(0, max(1, size // 3))}" + " " * rng.randint(0, 1)
            for qid in list(respondent["answers"]):
                if rng.random() < 0.1:
                    del respondent["answers"][qid]
                elif rng.random() < 0.15 and QUESTIONNAIRE.questions[qid].type != "text":
                    respondent["answers"][qid] = DONT_KNOW
        cases[f"{size} respondents, seed {seed}"] = ph.load_answers(data, QUESTIONNAIRE)
    return cases


CASES = partnerships()


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("by", ["respondent", "organisation"])
def test_the_partner_profiles_added_up_in_the_tally_s_pass_are_each_organisation_s(name: str, by: str) -> None:
    answers = CASES[name]
    counted = by_organisation(answers, QUESTIONNAIRE) if by == "organisation" else answers
    tally = Tally(counted, prepare(RULEBASE, QUESTIONNAIRE).facts)
    own_side = RULEBASE.settings.partners.own_side
    expected = {
        organisation: profile(people, QUESTIONNAIRE, own_side, TYPES)
        for organisation, people in organisations(counted.respondents).items()
    }
    assert tally.profiles(TYPES) == expected


def withheld_one_group_at_a_time(
    people: list[Respondent],
    by_role: dict[str, list[Respondent]],
    by_organisation: dict[str, list[Respondent]],
    min_group: int,
    unit_of: Callable[[Respondent], str],
) -> tuple[set[str], set[str]]:
    """:func:`withheld` worked out plainly: every question, every group and every role-in-organisation counted apart."""
    if min_group <= 1:
        return set(), set()
    units = {name: {unit.id for unit in members} for name, members in by_role.items()}
    roles: set[str] = set()
    organisations: set[str] = set()
    for qid in QUESTIONNAIRE.questions:
        answering = [p for p in people if p.answers.get(qid, DONT_KNOW) != DONT_KNOW]
        in_role = {name: [p for p in answering if unit_of(p) in ids] for name, ids in units.items()}
        in_organisation = {
            name: [p for p in answering if any(p is m for m in members)] for name, members in by_organisation.items()
        }
        if by_role and any(0 < len(found) < min_group for found in in_role.values()):
            roles.add(qid)
        if by_organisation and any(0 < len(found) < min_group for found in in_organisation.values()):
            organisations.add(qid)
        if by_role and by_organisation and qid not in roles and qid not in organisations:
            both = [
                [p for p in found if any(p is q for q in in_organisation[organisation])]
                for found in in_role.values()
                for organisation in in_organisation
            ]
            if any(0 < len(found) < min_group for found in both):
                organisations.add(qid)
    return roles, organisations


@pytest.mark.parametrize("name", CASES)
def test_the_questions_a_breakdown_leaves_out_are_those_counted_one_group_at_a_time(name: str) -> None:
    answers = CASES[name]
    for min_group in (1, 2, 3, 5):
        for by in ("respondent", "organisation"):
            counted = by_organisation(answers, QUESTIONNAIRE) if by == "organisation" else answers
            by_role = grouped(counted.respondents, lambda r: r.role, min_group)
            by_org = grouped(answers.respondents, lambda r: r.organisation.strip(), min_group)
            unit_of = (lambda r: r.organisation.strip()) if by == "organisation" else (lambda r: r.id)
            for roles, orgs in ((by_role, by_org), ({}, by_org), (by_role, {})):
                people = list(answers.respondents)
                found = withheld(people, QUESTIONNAIRE, roles, orgs, min_group, unit_of)
                assert found == withheld_one_group_at_a_time(people, roles, orgs, min_group, unit_of)


@pytest.mark.parametrize("name", CASES)
def test_an_organisation_s_agreement_counts_are_those_of_its_aggregates(name: str) -> None:
    for people in organisations(CASES[name].respondents).values():
        shown = stats_over(people, QUESTIONNAIRE)
        counts = agreement_over(people, QUESTIONNAIRE, withheld=["governance.final_decisions_clear"])
        for qid, stats in shown.items():
            scale = QUESTIONNAIRE.questions[qid].type == "scale"
            if not scale or qid == "governance.final_decisions_clear" or not stats.count:
                assert qid not in counts
            else:
                assert (counts[qid].count, counts[qid].agree, counts[qid].disagree) == (
                    stats.count,
                    stats.agree,
                    stats.disagree,
                )


@pytest.mark.parametrize("name", CASES)
def test_the_data_quality_counts_are_those_of_every_question_asked_of_every_respondent(name: str) -> None:
    answers = CASES[name]
    asked = unanswered = dont_know = 0
    for respondent in answers.respondents:
        for question in QUESTIONNAIRE.questions.values():
            if question.type != "text" and question.asks(respondent.role):
                asked += 1
                value = respondent.answers.get(question.id)
                unanswered += value is None
                dont_know += value == DONT_KNOW
    quality = data_quality(answers, QUESTIONNAIRE)
    assert (quality.asked, quality.unanswered, quality.dont_know) == (asked, unanswered, dont_know)


@pytest.mark.parametrize("name", CASES)
def test_a_role_s_answers_gathered_in_one_pass_are_its_people_s_in_file_order(name: str) -> None:
    answers = CASES[name]
    tally = Tally(answers, prepare(RULEBASE, QUESTIONNAIRE).facts)
    for role in ("lead", "core", "wider"):
        people = [r for r in answers.respondents if r.role == role]
        for qid, question in QUESTIONNAIRE.questions.items():
            expected = [r.answers[qid] for r in people if qid in r.answers and question.asks(role)]
            assert tally.values(role, qid) == expected


SCALE = QUESTIONNAIRE.questions[next(q for q, x in QUESTIONNAIRE.questions.items() if x.type == "scale")]
NUMBER = QUESTIONNAIRE.questions[next(q for q, x in QUESTIONNAIRE.questions.items() if x.type == "number")]


ANSWERS = st.one_of(
    st.lists(st.one_of(st.integers(1, 5), st.just(DONT_KNOW)), min_size=64, max_size=300),  # as answers are
    st.lists(st.integers(-(2**53) + 1, 2**53 - 1), min_size=64, max_size=100),
    st.lists(
        st.one_of(st.integers(1, 5), st.integers(-(2**60), 2**60), st.sampled_from([2.5, 3.0, True, DONT_KNOW])),
        min_size=64,
        max_size=100,
    ),
)


@settings(max_examples=300, deadline=None)
@given(question=st.sampled_from([SCALE, NUMBER]), values=ANSWERS)
def test_many_whole_numbers_have_the_stats_of_their_answers_one_by_one(question, values) -> None:
    """Read off how many gave each value, the stats of 64 or more whole numbers are those worked out one by one."""
    import partnership_health.core.facts as facts

    quick = question_stats(question, values)
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(facts, "_MANY", 10**9)
        assert question_stats(question, values) == quick

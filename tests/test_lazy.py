"""What the rules read is computed in one plain pass; what reports read is built when asked.

The facts come from :class:`partnership_health.core.facts.Tally` as plain numbers; the report's
aggregates are :class:`QuestionStats` models built only when an assessment's
``answers``, ``by_role``, ``by_organisation``, ``gaps`` or ``quality`` is read. These
tests hold the two to each other: the facts equal what the report's aggregates say, on
every example and on generated partnerships, and an assessment shows the same whatever
is read first.
"""

from __future__ import annotations

import json
import pickle
from collections.abc import Collection, Mapping
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import partnership_health as ph
from partnership_health.core.assessment import prepare
from partnership_health.core.checks import answers_fit, check_answers, read_as_written
from partnership_health.core.facts import (
    AGREED_TYPE,
    NO_AGREED_TYPE,
    PARTNERSHIP_AGE,
    Tally,
    agreed_type,
    by_organisation,
    disputed,
    partnership_age,
    question_stats,
)
from partnership_health.core.reader import Document, bundled_path
from partnership_health.models import ROLES, GapSettings, Question, QuestionStats, SectionScore

from .conftest import EVERY_ANSWER, examples
from .test_differential import QUESTIONNAIRE, partnerships

RULEBASE = ph.load_rulebase(questionnaire=QUESTIONNAIRE)
PREPARED = prepare(RULEBASE, QUESTIONNAIRE)
COMPILED = PREPARED.compiled
SETTINGS = RULEBASE.settings
KIND = QUESTIONNAIRE.questions[SETTINGS.partnership_type.question] if SETTINGS.partnership_type else None
AGE = (
    (QUESTIONNAIRE.questions[SETTINGS.partnership_age.question], frozenset(SETTINGS.partnership_age.young))
    if SETTINGS.partnership_age
    else None
)
LAZY = (
    "findings",
    "strengths",
    "answers",
    "by_role",
    "by_organisation",
    "gaps",
    "quality",
    "scores",
    "overall",
    "partnership_type",
    "privacy_note",
)
FEW = settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


def facts_from_stats(
    needed: Collection[str],
    groups: Mapping[str, Mapping[str, QuestionStats]],
    scores: Mapping[str, SectionScore],
    gaps: GapSettings,
    kind: Question | None,
    age: tuple[Question, frozenset[str]] | None = None,
) -> dict[str, Any]:
    """The fact keys read off the report's aggregates (``""`` is everyone, then roles and groups of roles)."""
    known: dict[str, Any] = {}
    for key in needed:
        if key.startswith("score:"):
            value: Any = scores[key[6:]].score if key[6:] in scores else None
        elif key.startswith(("fact:", "partners:")):  # partner signals: tests/test_partners.py
            continue
        elif key == AGREED_TYPE:
            value = agreed_type(kind, groups) if kind else NO_AGREED_TYPE
        elif key == PARTNERSHIP_AGE:
            chosen = [c for r in ("lead", "core") if r in groups for c, n in _chosen(groups[r], age) for _ in range(n)]
            value = partnership_age(chosen, age[1]) if age else None
        else:
            question, _, rest = key.partition(":")
            stat, _, group = rest.partition("@")
            if stat == "gap":
                first, _, second = group.partition("-")
                means = [groups[r][question].values.get("mean") if r in groups else None for r in (first, second)]
                value = means[0] - means[1] if all(isinstance(m, float) for m in means) else None  # type: ignore[operator]
            elif stat == "disputed":
                members = group.split("+") if group else ROLES
                value = disputed(
                    question,
                    groups[group][question] if group in groups else None,
                    [groups[r] for r in members if r in groups],
                    gaps,
                )
            elif group not in groups:
                value = 0 if stat == "count" else None
            else:
                stats = groups[group][question]
                value = stats.count if stat == "count" else stats.values.get(stat)
        if value is not None:
            known[key] = value
    return known


def _chosen(group: Mapping[str, QuestionStats], age: tuple[Question, frozenset[str]] | None) -> list[tuple[str, int]]:
    """How many in a group chose each answer to the age question, as the report's aggregates count them."""
    return list(group[age[0].id].distribution.items()) if age else []


def typed(facts: Mapping[str, Any]) -> dict[str, tuple[str, Any]]:
    """Facts with their types: 3 and 3.0 show differently in a report, so they must not be mixed up."""
    return {key: (type(value).__name__, value) for key, value in facts.items()}


def same_facts_both_ways(answers: ph.Answers) -> None:
    tally = Tally(answers, PREPARED.facts)
    scores = tally.scores(SETTINGS.levels)
    plain = {
        k: v for k, v in tally.facts(scores, SETTINGS.gaps, KIND, age=AGE).items() if not k.startswith("partners:")
    }
    from_stats = facts_from_stats(COMPILED.needed, tally.groups(), scores, SETTINGS.gaps, KIND, AGE)
    assert typed(plain) == typed(from_stats)


@pytest.mark.parametrize("path", examples(), ids=lambda p: p.name)
def test_the_facts_the_rules_read_are_what_the_report_aggregates_say_on_every_example(path) -> None:
    answers = ph.load_answers(path, QUESTIONNAIRE)
    same_facts_both_ways(answers)
    same_facts_both_ways(by_organisation(answers, QUESTIONNAIRE))


@FEW
@given(data=partnerships())
def test_the_facts_the_rules_read_are_what_the_report_aggregates_say_on_generated_partnerships(data) -> None:
    answers = ph.Answers.model_validate(data)
    same_facts_both_ways(answers)
    same_facts_both_ways(by_organisation(answers, QUESTIONNAIRE))


@FEW
@given(data=partnerships())
def test_aggregates_built_without_validation_are_what_validation_would_build(data) -> None:
    answers = ph.Answers.model_validate(data)
    for question in QUESTIONNAIRE.questions.values():
        values = [r.answers[question.id] for r in answers.respondents if question.id in r.answers]
        built = question_stats(question, values)
        validated = QuestionStats.model_validate(built.model_dump())
        assert json.dumps(built.model_dump(mode="json")) == json.dumps(validated.model_dump(mode="json"))


@pytest.fixture(scope="module")
def riverside() -> ph.Answers:
    return ph.load_answers(bundled_path("examples") / "riverside.yaml", QUESTIONNAIRE)


@pytest.mark.parametrize("first", LAZY)
def test_an_assessment_shows_the_same_whichever_aggregate_is_read_first(riverside, first) -> None:
    reference = ph.assess(riverside, QUESTIONNAIRE, RULEBASE, ph.AssessOptions(min_group=2))
    expected = {name: getattr(reference, name) for name in LAZY}
    assessment = ph.assess(riverside, QUESTIONNAIRE, RULEBASE, ph.AssessOptions(min_group=2))
    getattr(assessment, first)
    assert {name: getattr(assessment, name) for name in LAZY} == expected
    assert assessment == reference
    assert ph.render(assessment, QUESTIONNAIRE, "json") == ph.render(reference, QUESTIONNAIRE, "json")


def test_the_aggregates_are_in_the_dump_and_survive_pickling(riverside) -> None:
    assessment = ph.assess(riverside, QUESTIONNAIRE, RULEBASE, EVERY_ANSWER)
    dump = assessment.model_dump()
    assert set(LAZY) <= set(dump)
    assert dump["by_role"]["core"]["respondents"] == 3
    assert dump["answers"].keys() == QUESTIONNAIRE.questions.keys()
    copy = pickle.loads(pickle.dumps(assessment))
    assert copy == assessment and copy.model_dump() == dump


def test_assessments_of_different_answers_are_not_equal(riverside) -> None:
    one = ph.assess(riverside, QUESTIONNAIRE, RULEBASE)
    fewer = riverside.model_copy(update={"respondents": riverside.respondents[:-1]})
    assert ph.assess(fewer, QUESTIONNAIRE, RULEBASE) != one


LOOSE = st.one_of(
    st.sampled_from(["Yes", "no", " 3", "3", "3.0", 3.0, "dont know", "Don't know", "", "x" * 10_001, "other"]),
    st.sampled_from([0, 6, 2.5, -1.0, 1e300, float("inf"), True, False, "dont_know"]),
    st.integers(-2, 7),
)


@FEW
@given(data=partnerships(), loose=st.lists(st.tuples(st.integers(0, 49), st.integers(0, 200), LOOSE), max_size=4))
def test_answers_pass_unchecked_only_when_the_full_checks_would_change_and_refuse_nothing(data, loose) -> None:
    ids = list(QUESTIONNAIRE.questions)
    for who, which, value in loose:  # answers people might write, in code: some fine, some loose, some wrong
        respondent = data["respondents"][who % len(data["respondents"])]
        respondent["answers"][ids[which % len(ids)]] = value
    answers = ph.Answers.model_validate(data)
    dumped = answers.model_dump()
    before = json.dumps(dumped, default=str)
    document = Document("<answers>", dumped, None)
    issues = read_as_written(document, QUESTIONNAIRE) + check_answers(document, QUESTIONNAIRE)
    full_checks_pass = not issues and json.dumps(dumped, default=str) == before
    if answers_fit(answers, QUESTIONNAIRE):
        assert full_checks_pass
    if not loose:
        assert answers_fit(answers, QUESTIONNAIRE)  # as the loaders give them: no second reading


def test_answers_that_name_one_person_twice_are_still_refused_when_assessed(riverside) -> None:
    twice = riverside.model_dump()
    twice["respondents"].append({**twice["respondents"][0], "id": "again"})
    answers = ph.Answers.model_validate(twice)
    assert not answers_fit(answers, QUESTIONNAIRE)
    with pytest.raises(ph.InputError, match="one person answers twice"):
        ph.assess(answers, QUESTIONNAIRE, RULEBASE)


def test_answers_the_loader_checked_are_not_checked_again_but_a_changed_copy_is(monkeypatch) -> None:
    path = bundled_path("examples") / "riverside.yaml"
    loaded = ph.load_answers(path, QUESTIONNAIRE)
    expected = ph.render(ph.assess(loaded, QUESTIONNAIRE, RULEBASE), QUESTIONNAIRE, "md")
    data = loaded.model_dump()
    first = data["respondents"][0]
    scale = next(qid for qid in first["answers"] if QUESTIONNAIRE.questions[qid].type == "scale")
    first["answers"][scale] = 9
    wrong = loaded.model_copy(update={"respondents": [ph.Answers.model_validate(data).respondents[0]]})
    with pytest.raises(ph.InputError, match="9"):  # a copy of loaded answers is checked (the note is not copied)
        ph.assess(wrong, QUESTIONNAIRE, RULEBASE)
    with pytest.raises(ph.InputError, match="9"):  # and so are answers built in code
        ph.assess(ph.Answers.model_validate(data), QUESTIONNAIRE, RULEBASE)

    def refused(*args: object) -> bool:
        raise AssertionError("loaded answers checked again")

    monkeypatch.setattr("partnership_health.core.assessment.answers_fit", refused)
    assert ph.render(ph.assess(loaded, QUESTIONNAIRE, RULEBASE), QUESTIONNAIRE, "md") == expected
    other = ph.load_questionnaire()  # the note is for the questionnaire they were checked against
    with pytest.raises(AssertionError, match="checked again"):
        ph.assess(loaded, other, ph.load_rulebase(questionnaire=other))


def test_answers_built_in_code_are_checked_by_their_first_assessment_only(monkeypatch) -> None:
    data = ph.load_answers(bundled_path("examples") / "riverside.yaml", QUESTIONNAIRE).model_dump()
    built = ph.Answers.model_validate(data)
    checked: list[int] = []

    def counted(answers: ph.Answers, *args: object) -> bool:
        checked.append(id(answers))
        return answers_fit(answers, *args)  # type: ignore[arg-type]

    monkeypatch.setattr("partnership_health.core.assessment.answers_fit", counted)
    first = ph.render(ph.assess(built, QUESTIONNAIRE, RULEBASE), QUESTIONNAIRE, "md")
    assert ph.render(ph.assess(built, QUESTIONNAIRE, RULEBASE), QUESTIONNAIRE, "md") == first
    assert checked == [id(built)]  # the second assessment of the same answers did not check them again
    other = ph.Answers.model_validate(data)  # equal answers, another object: checked
    ph.assess(other, QUESTIONNAIRE, RULEBASE)
    assert checked == [id(built), id(other)]
    first_answers = data["respondents"][0]["answers"]
    first_answers[next(q for q in first_answers if QUESTIONNAIRE.questions[q].type == "scale")] = 9
    with pytest.raises(ph.InputError, match="9"):  # and a wrong one refused, as before
        ph.assess(ph.Answers.model_validate(data), QUESTIONNAIRE, RULEBASE)


def test_a_copy_with_findings_or_aggregates_replaced_shows_the_replacement(riverside) -> None:
    assessment = ph.assess(riverside, QUESTIONNAIRE, RULEBASE)
    kept = assessment.findings[:1]

    changed = assessment.model_copy(update={"findings": kept, "gaps": (), "partnership": "Renamed"})

    assert changed.findings == kept and changed.gaps == () and changed.partnership == "Renamed"
    assert len(assessment.findings) > 1 and assessment.gaps and assessment.partnership != "Renamed"
    report = json.loads(ph.render(changed, QUESTIONNAIRE, "json"))
    assert [finding["id"] for finding in report["findings"]] == [kept[0].id]


def test_a_copy_with_its_privacy_note_or_scores_replaced_shows_the_replacement(riverside) -> None:
    assessment = ph.assess(riverside, QUESTIONNAIRE, RULEBASE)
    first = next(iter(assessment.scores))

    changed = assessment.model_copy(
        update={"privacy_note": "Told otherwise.", "scores": {first: assessment.scores[first]}}
    )

    assert changed.privacy_note == "Told otherwise." and list(changed.scores) == [first]
    assert assessment.privacy_note.startswith("No figure in this report") and len(assessment.scores) > 1
    report = json.loads(ph.render(changed, QUESTIONNAIRE, "json"))
    assert report["aggregates"]["privacy_note"] == "Told otherwise." and list(report["scores"]) == [first]


def test_a_copy_with_its_findings_replaced_is_not_equal_to_the_original(riverside) -> None:
    assessment = ph.assess(riverside, QUESTIONNAIRE, RULEBASE)

    assert assessment.model_copy(update={"findings": ()}) != assessment
    assert assessment.model_copy() == assessment

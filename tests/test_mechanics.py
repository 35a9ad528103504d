"""The rule language's type and role awareness: "don't know", questions asked of some roles,
comparisons over some roles, the partnership-type guard, disputed questions, and traced
thresholds."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import partnership_health as ph
from partnership_health.cli import main

from .conftest import EVERY_ANSWER, MINI

RULEBASE = """\
rulebase:
  version: "0.1"
  partnership_type: {question: authority.type}
  gaps: {agreement: 0.5, low: 2.5, high: 3.5, show: 1}
failure_modes:
  - id: all_talk_no_action
    title: All talk, no action
    sources: [{guide: Participate, section: "a) All talk no action"}]
  - id: power_imbalance
    title: Power imbalance
    sources: [{guide: Participate, section: "g) Lack of authority"}]
"""

RULES = """\
rules:
  - id: typed.collaborative-only
    title: Only for an agreed collaborative partnership
    failure_mode: power_imbalance
    severity: low
    source: {guide: Participate, section: "g) Lack of authority"}
    explanation: Planted.
    type: [collaborative]
    when: {question: authority.decisions_shared, op: "<=", value: 5}
    remedies: [share-decisions]
  - id: typed.not-cooperative
    title: Not for an agreed co-operative partnership
    failure_mode: power_imbalance
    severity: low
    source: {guide: Participate, section: "g) Lack of authority"}
    explanation: Planted.
    not_type: [cooperative]
    when: {question: authority.decisions_shared, op: "<=", value: 5}
    remedies: [share-decisions]
  - id: roles.lead-and-core-disagree
    title: Lead and core partners say decisions are not shared
    failure_mode: power_imbalance
    severity: medium
    source: {guide: Participate, section: "g) Lack of authority"}
    explanation: Planted.
    when: {question: authority.decisions_shared, roles: [lead, core], op: "<=", value: 2}
    remedies: [share-decisions]
  - id: split.decisions-disputed
    title: Partners are split on shared decisions
    failure_mode: power_imbalance
    severity: medium
    source: {guide: Participate, section: "g) Lack of authority"}
    explanation: Planted.
    when: {question: authority.decisions_shared, stat: disputed, op: "==", value: true}
    remedies: [share-decisions]
  - id: split.decisions-not-disputed
    title: Partners are not split on shared decisions
    failure_mode: power_imbalance
    severity: low
    source: {guide: Participate, section: "g) Lack of authority"}
    explanation: Planted.
    when:
      not: {question: authority.decisions_shared, stat: disputed, op: "==", value: true}
    remedies: [share-decisions]
  - id: gap.lead-above-core
    title: The lead answers higher than the core
    failure_mode: power_imbalance
    severity: low
    source: {guide: Participate, section: "g) Lack of authority"}
    explanation: Planted.
    when:
      question: authority.decisions_shared
      stat: gap
      roles: [lead, core]
      op: ">="
      value: 2
      judgement: true
      reason: Two points is a partner on the other side of neutral
    remedies: [share-decisions]
  - id: weeks.too-rare
    title: Meetings are rare
    failure_mode: all_talk_no_action
    severity: low
    source: {guide: Participate, section: "a) All talk no action"}
    explanation: Planted.
    when:
      question: authority.meeting_weeks
      op: ">"
      value: 8
      source: {guide: Participate, section: "g) Lack of authority"}
    remedies: [name-action-owners]
"""


@pytest.fixture(scope="module")
def mechanics(tmp_path_factory) -> tuple[ph.Questionnaire, ph.RuleBase, Path]:
    folder = tmp_path_factory.mktemp("mechanics")
    text = (MINI / "questionnaire.yaml").read_text()
    text = text.replace(
        "        text: How many weeks pass between core meetings?\n",
        "        text: How many weeks pass between core meetings?\n        roles: [lead, core]\n",
    )
    (folder / "questionnaire.yaml").write_text(text)
    rules = Path(shutil.copytree(MINI / "rules", folder / "rules"))
    (rules / "rulebase.yaml").write_text(RULEBASE)
    (rules / "typed.yaml").write_text(RULES)
    questionnaire = ph.load_questionnaire(folder / "questionnaire.yaml")
    return questionnaire, ph.load_rulebase(rules, questionnaire), folder


def answers(*people: tuple[str, dict]) -> ph.Answers:
    return ph.Answers.model_validate(
        {
            "partnership": "P",
            "assessed_on": "2026-10-01",
            "questionnaire": {"id": "mini", "version": "1"},
            "respondents": [
                {"id": f"r{n}", "organisation": f"Org {n}", "role": role, "answers": given}
                for n, (role, given) in enumerate(people)
            ],
        }
    )


def fired(mechanics, *people: tuple[str, dict]) -> set[str]:
    questionnaire, rulebase, _ = mechanics
    return {
        rule for f in ph.assess(answers(*people), questionnaire, rulebase, EVERY_ANSWER).findings for rule in f.rules
    }


# --- don't know ----------------------------------------------------------------------


def test_dont_know_is_counted_but_in_no_stat(mechanics) -> None:
    questionnaire, rulebase, _ = mechanics
    assessment = ph.assess(
        answers(
            ("lead", {"authority.decisions_shared": "dont_know", "authority.agreement": "dont_know"}),
            ("core", {"authority.decisions_shared": 2, "authority.type": "dont_know"}),
        ),
        questionnaire,
        rulebase,
        EVERY_ANSWER,
    )

    stats = assessment.answers["authority.decisions_shared"]
    assert (stats.count, stats.dont_know, stats.values["mean"]) == (1, 1, 2.0)
    assert assessment.by_role["lead"].answers["authority.decisions_shared"].dont_know == 1
    assert assessment.answers["authority.agreement"].values["share"] is None
    assert assessment.answers["authority.type"].distribution == {}


def test_a_question_answered_only_dont_know_fires_nothing_negated_or_not(mechanics) -> None:
    found = fired(mechanics, ("lead", {"authority.decisions_shared": "dont_know"}), ("core", {}))

    assert not found & {"split.decisions-disputed", "split.decisions-not-disputed", "roles.lead-and-core-disagree"}
    assert "typed.not-cooperative" not in found


def test_dont_know_is_refused_for_free_text_only_as_a_value_not_as_words(mechanics) -> None:
    questionnaire, _, folder = mechanics
    (folder / "answers.yaml").write_text(
        (MINI / "answers.yaml")
        .read_text()
        .replace("authority.agreement: no", "authority.agreement: dont_know")
        .replace("authority.type: collaborative", "authority.type: dont_know")
    )

    loaded = ph.load_answers(folder / "answers.yaml", questionnaire)

    assert loaded.respondents[0].answers["authority.agreement"] == "dont_know"


# --- roles ---------------------------------------------------------------------------


def test_an_answer_from_a_role_not_asked_is_a_located_error(mechanics) -> None:
    questionnaire, _, folder = mechanics
    text = (MINI / "answers.yaml").read_text() + "  - id: w1\n    organisation: Club\n    role: wider\n"
    text += "    answers:\n      authority.meeting_weeks: 4\n"
    (folder / "wider.yaml").write_text(text)

    with pytest.raises(ph.InputError) as error:
        ph.load_answers(folder / "wider.yaml", questionnaire)

    assert str(error.value.issues[0]).endswith(
        "wider.yaml:32:32: respondent 'w1': authority.meeting_weeks: "
        "is not asked of the wider role (only of lead, core)"
    )


def test_a_comparison_over_some_roles_ignores_the_others(mechanics) -> None:
    lead_and_core_low = [("lead", {"authority.decisions_shared": 1}), ("core", {"authority.decisions_shared": 2})]
    wider_high = [("wider", {"authority.decisions_shared": 5})] * 3

    assert "roles.lead-and-core-disagree" in fired(mechanics, *lead_and_core_low, *wider_high)
    assert "roles.lead-and-core-disagree" not in fired(mechanics, ("lead", {"authority.decisions_shared": 3}))


def test_a_gap_still_takes_an_ordered_pair_of_roles(mechanics) -> None:
    questionnaire, rulebase, _ = mechanics
    people = [("lead", {"authority.decisions_shared": 5}), ("core", {"authority.decisions_shared": 3})]
    assessment = ph.assess(answers(*people), questionnaire, rulebase, EVERY_ANSWER)

    finding = next(f for f in assessment.findings if "gap.lead-above-core" in f.rules)
    assert ("authority.decisions_shared:gap@lead-core", 2.0) in [(e.fact, e.value) for e in finding.evidence]
    swapped = [("lead", {"authority.decisions_shared": 3}), ("core", {"authority.decisions_shared": 5})]
    assert "gap.lead-above-core" not in fired(mechanics, *swapped)


def test_a_comparison_naming_a_role_the_question_does_not_ask_is_refused(mechanics, tmp_path) -> None:
    questionnaire, _, folder = mechanics
    rules = Path(shutil.copytree(folder / "rules", tmp_path / "rules"))
    text = (rules / "typed.yaml").read_text()
    text = text.replace("question: authority.meeting_weeks\n", "question: authority.meeting_weeks\n      role: wider\n")
    (rules / "typed.yaml").write_text(text)

    with pytest.raises(ph.InputError, match="authority.meeting_weeks is not asked of the wider role"):
        ph.load_rulebase(rules, questionnaire)


# --- partnership type ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("types", "expected"),
    [
        ({"lead": "collaborative", "core": "collaborative"}, {"typed.collaborative-only", "typed.not-cooperative"}),
        ({"lead": "cooperative", "core": "cooperative"}, set()),
        ({"lead": "collaborative", "core": "cooperative"}, {"typed.not-cooperative"}),
        ({"lead": None, "core": "dont_know"}, {"typed.not-cooperative"}),
        (
            {"lead": "collaborative", "core": "collaborative", "wider": "cooperative"},
            {"typed.collaborative-only", "typed.not-cooperative"},
        ),
    ],
    ids=["agreed: in type", "agreed: in not_type", "disputed", "unanswered", "wider partners do not count"],
)
def test_a_type_guard_needs_the_type_the_lead_and_core_agree_on(mechanics, types, expected) -> None:
    people = [
        (role, {"authority.decisions_shared": 3, **({"authority.type": chosen} if chosen else {})})
        for role, chosen in types.items()
    ]

    assert fired(mechanics, *people) & {"typed.collaborative-only", "typed.not-cooperative"} == expected


def test_a_type_guard_is_context_not_evidence(mechanics) -> None:
    questionnaire, rulebase, _ = mechanics
    people = [("lead", {"authority.decisions_shared": 3, "authority.type": "collaborative"})]
    assessment = ph.assess(answers(*people), questionnaire, rulebase, EVERY_ANSWER)

    finding = next(f for f in assessment.findings if "typed.collaborative-only" in f.rules)
    facts = [e.fact for e in finding.evidence]
    assert "authority.decisions_shared:mean" in facts
    assert not any(fact.startswith("type:") for fact in facts)
    assert assessment.partnership_type is not None and assessment.partnership_type.lead_and_core == "collaborative"


def test_a_type_guard_naming_no_choice_is_refused(mechanics, tmp_path) -> None:
    questionnaire, _, folder = mechanics
    rules = Path(shutil.copytree(folder / "rules", tmp_path / "rules"))
    (rules / "typed.yaml").write_text(RULES.replace("type: [collaborative]", "type: [colaborative]"))

    with pytest.raises(ph.InputError, match="'colaborative' is not a choice of authority.type.*did you mean"):
        ph.load_rulebase(rules, questionnaire)


# --- disputed ------------------------------------------------------------------------


def scale(*values: object, role: str = "core") -> list[tuple[str, dict]]:
    return [(role, {"authority.decisions_shared": value}) for value in values]


@pytest.mark.parametrize(
    ("people", "disputed"),
    [
        (scale(5, 4, 2, 1), True),
        (scale(5, 3, 4, 4, 5), False),
        (scale(5, 5, 5, 5, 5, 5, 1), True),
        (scale(4, 4, 4, 5, 3), False),
        (scale(3, 3, 3, 3, 5), False),
        ([*scale(5, 4, role="lead"), *scale(2, 3, 2, 2, 2, 3, 3)], True),
        ([*scale(4, 4, 4, 4), *scale("dont_know", "dont_know", "dont_know", 2)], False),
    ],
    ids=[
        "half agree, half disagree",
        "one neutral beside strong agreement",
        "one partner far from the six others",
        "one neutral beside agreement",
        "a newcomer answering neutral",
        "lead agrees, core disagrees",
        "don't know is not disagreement",
    ],
)
def test_a_question_is_disputed_when_the_room_is_split(mechanics, people, disputed) -> None:
    found = fired(mechanics, *people)

    assert ("split.decisions-disputed" in found) is disputed
    assert ("split.decisions-not-disputed" in found) is not disputed


def test_perception_gaps_are_disputed_questions_ranked_mixed_first(mechanics) -> None:
    questionnaire, rulebase, _ = mechanics
    people = [
        ("lead", {"authority.decisions_shared": 5, "delivery.actions_have_owners": 5}),
        ("core", {"authority.decisions_shared": 1, "delivery.actions_have_owners": 4}),
        ("core", {"authority.decisions_shared": 4, "delivery.actions_have_owners": 5}),
        ("core", {"authority.decisions_shared": 2, "delivery.actions_have_owners": 1}),
        ("core", {"delivery.talk_only": 3}),
    ]
    assessment = ph.assess(answers(*people), questionnaire, rulebase, EVERY_ANSWER)

    assert [(g.question, g.agree, g.disagree, g.split) for g in assessment.gaps] == [
        ("authority.decisions_shared", 2, 2, 0.5),
        ("delivery.actions_have_owners", 3, 1, 0.25),
    ]
    assert assessment.gaps_shown == 1
    assert ph.assess(answers(*people), questionnaire, rulebase, ph.AssessOptions(gaps=7, min_group=1)).gaps_shown == 7


# --- traced thresholds ---------------------------------------------------------------


def test_judgement_thresholds_are_listed_on_the_rule_base(mechanics) -> None:
    _, rulebase, _ = mechanics

    assert [(j.rule, j.fact, j.op, j.value) for j in rulebase.judgements] == [
        ("gap.lead-above-core", "authority.decisions_shared:gap@lead-core", ">=", 2)
    ]
    assert rulebase.judgements[0].reason == "Two points is a partner on the other side of neutral"


def test_the_linter_rejects_an_uncited_threshold_and_accepts_a_cited_or_judged_one(mechanics, tmp_path, capsys) -> None:
    _, _, folder = mechanics
    rules = Path(shutil.copytree(folder / "rules", tmp_path / "rules"))
    (rules / "planted.yaml").write_text(
        RULES.replace("id: ", "id: planted.", 7)
        .replace('      source: {guide: Participate, section: "g) Lack of authority"}\n    remedies', "    remedies")
        .replace("      judgement: true\n      reason: Two points is a partner on the other side of neutral\n", "")
    )

    code = main(["rules", "lint", str(rules), "--questionnaire", str(folder / "questionnaire.yaml")])

    err = capsys.readouterr().err
    uncited = [line for line in err.splitlines() if "cites no guide" in line]
    assert code == 1
    assert len(uncited) == 2, uncited
    assert "planted.yaml:52:7: rule 'planted.gap.lead-above-core': when: the threshold 2 cites no guide" in err
    assert "planted.yaml:65:7: rule 'planted.weeks.too-rare': when: the threshold 8 cites no guide" in err


def test_judgement_needs_a_reason(mechanics, tmp_path) -> None:
    questionnaire, _, folder = mechanics
    rules = Path(shutil.copytree(folder / "rules", tmp_path / "rules"))
    (rules / "typed.yaml").write_text(
        RULES.replace("      reason: Two points is a partner on the other side of neutral\n", "")
    )

    with pytest.raises(ph.InputError, match="'judgement: true' needs a one-line 'reason'"):
        ph.load_rulebase(rules, questionnaire)


# --- at least n of several -----------------------------------------------------------

SERIOUS = """\
rules:
  - id: serious.not-shared
    title: Decisions are not shared
    failure_mode: all_talk_no_action
    severity: low
    source: {guide: Participate, section: "a) All talk no action"}
    explanation: Planted.
    when: {question: authority.decisions_shared, op: "<=", value: 2}
    asserts: [serious_a]
    remedies: [name-action-owners]
  - id: serious.no-owners
    title: Nobody owns the actions
    failure_mode: all_talk_no_action
    severity: low
    source: {guide: Participate, section: "a) All talk no action"}
    explanation: Planted.
    when: {question: delivery.actions_have_owners, op: "<=", value: 2}
    asserts: [serious_b]
    remedies: [name-action-owners]
  - id: serious.only-talk
    title: Meetings are only talk
    failure_mode: all_talk_no_action
    severity: low
    source: {guide: Participate, section: "a) All talk no action"}
    explanation: Planted.
    when: {question: delivery.talk_only, op: ">=", value: 4}
    asserts: [serious_c]
    remedies: [name-action-owners]
  - id: ending.two-of-three
    title: Two serious problems at once
    failure_mode: power_imbalance
    severity: critical
    source: {guide: Participate, section: "g) Lack of authority"}
    explanation: Planted.
    when:
      all:
        - at_least: 2
          of: [{fact: serious_a}, {fact: serious_b}, {fact: serious_c}]
        - {question: authority.agreement, op: ">=", value: 0.5}
    remedies: [share-decisions]
  - id: calm.at-most-one
    title: At most one statement is unfavourable
    failure_mode: all_talk_no_action
    severity: low
    source: {guide: Participate, section: "a) All talk no action"}
    explanation: Planted.
    when:
      not:
        at_least: 2
        of:
          - {question: authority.decisions_shared, op: "<=", value: 2}
          - {question: delivery.actions_have_owners, op: "<=", value: 2}
          - {question: delivery.talk_only, op: ">=", value: 4}
    remedies: [name-action-owners]
"""


@pytest.fixture(scope="module")
def serious(tmp_path_factory) -> tuple[ph.Questionnaire, ph.RuleBase]:
    rules = Path(shutil.copytree(MINI / "rules", tmp_path_factory.mktemp("serious") / "rules"))
    (rules / "serious.yaml").write_text(SERIOUS)
    questionnaire = ph.load_questionnaire(MINI / "questionnaire.yaml")
    return questionnaire, ph.load_rulebase(rules, questionnaire)


def test_at_least_n_of_fires_and_its_evidence_names_only_what_held(serious) -> None:
    questionnaire, rulebase = serious
    given = {"authority.decisions_shared": 1, "delivery.actions_have_owners": 5, "delivery.talk_only": 5}
    assessment = ph.assess(
        answers(("lead", {**given, "authority.agreement": True})), questionnaire, rulebase, EVERY_ANSWER
    )

    ending = next(f for f in assessment.findings if "ending.two-of-three" in f.rules)
    facts = [e.fact for e in ending.evidence]
    assert "fact:serious_a" in facts and "fact:serious_c" in facts and "fact:serious_b" not in facts
    texts = {e.fact: e.text for e in ending.evidence}
    assert texts["fact:serious_a"] == "This follows from another finding: Decisions are not shared."


@pytest.mark.parametrize(
    ("decisions", "owners", "talk", "ending", "calm"),
    [(1, 1, 1, True, False), (1, 5, 1, False, True), (5, 5, 1, False, True), (1, 1, 5, True, False)],
    ids=["two of three", "one of three", "none", "all three"],
)
def test_at_least_n_of_and_its_negation(serious, decisions, owners, talk, ending, calm) -> None:
    questionnaire, rulebase = serious
    given = {
        "authority.decisions_shared": decisions,
        "delivery.actions_have_owners": owners,
        "delivery.talk_only": talk,
        "authority.agreement": True,
    }
    found = {
        r for f in ph.assess(answers(("lead", given)), questionnaire, rulebase, EVERY_ANSWER).findings for r in f.rules
    }

    assert ("ending.two-of-three" in found) is ending
    assert ("calm.at-most-one" in found) is calm


def test_at_least_more_than_there_are_is_refused(tmp_path) -> None:
    rules = Path(shutil.copytree(MINI / "rules", tmp_path / "rules"))
    (rules / "serious.yaml").write_text(SERIOUS.replace("at_least: 2\n          of", "at_least: 4\n          of"))

    with pytest.raises(ph.InputError, match="'at_least' is 4 but 'of' has only 3 conditions"):
        ph.load_rulebase(rules, ph.load_questionnaire(MINI / "questionnaire.yaml"))


# --- a healthy partnership of seven --------------------------------------------------


def healthy_seven(questionnaire: ph.Questionnaire) -> ph.Answers:
    """Seven people who mostly agree with every healthy statement, some of them unsure on a
    few, and a newcomer who answers neutral throughout (the issue's healthy story)."""
    roles = ["lead", "core", "core", "core", "wider", "wider", "wider"]
    people = []
    for n, role in enumerate(roles):
        given: dict[str, object] = {}
        for q, question in enumerate(questionnaire.questions.values()):
            if question.type != "scale" or not question.asks(role):
                continue
            if n == 6:
                given[question.id] = 3  # the newcomer
                continue
            favourable = 4 + (n + q) % 2
            if (n * 7 + q) % 9 == 0:
                favourable = 3  # unsure on some
            given[question.id] = 6 - favourable if question.reverse else favourable
        people.append({"id": f"p{n}", "organisation": f"Org {n}", "role": role, "answers": given})
    return ph.Answers.model_validate(
        {
            "partnership": "Healthy",
            "assessed_on": "2026-10-01",
            "questionnaire": {"id": questionnaire.id, "version": questionnaire.version},
            "respondents": people,
        }
    )


def test_a_healthy_partnership_of_seven_with_a_neutral_newcomer_has_at_most_five_gaps(questionnaire, rulebase) -> None:
    assessment = ph.assess(healthy_seven(questionnaire), questionnaire, rulebase, EVERY_ANSWER)

    assert len(assessment.gaps) <= 5, [g.question for g in assessment.gaps]
    assert all(g.disagree for g in assessment.gaps), "neutral answers alone are never a gap"

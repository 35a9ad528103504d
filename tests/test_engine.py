"""The engine's behaviour on a small rule base: matching, chaining, negation, and the
durable-rules sharp edges the runner must contain (memory, threads, swallowed errors)."""

from __future__ import annotations

import copy
import threading
from pathlib import Path

import pytest

import partnership_health as ph
from partnership_health.core import runner

from .conftest import EVERY_ANSWER, MINI


@pytest.fixture
def mini_answers(mini_questionnaire) -> ph.Answers:
    return ph.load_answers(MINI / "answers.yaml", mini_questionnaire)


def assess_with(answers: dict, questionnaire, rulebase) -> list[str]:
    assessment = ph.assess(ph.Answers.model_validate(answers), questionnaire, rulebase, EVERY_ANSWER)
    return [rule for finding in assessment.findings for rule in finding.rules]


def one_respondent(**answers: object) -> dict:
    return {
        "partnership": "P",
        "assessed_on": "2026-10-01",
        "questionnaire": {"id": "mini", "version": "1"},
        "respondents": [{"id": "a", "organisation": "Library", "role": "lead", "answers": answers}],
    }


def test_findings_come_most_severe_first_one_per_failure_mode_with_chained_rules_as_signals(
    mini_answers, mini_questionnaire, mini_rulebase
) -> None:
    assessment = ph.assess(mini_answers, mini_questionnaire, mini_rulebase, EVERY_ANSWER)

    assert [f.id for f in assessment.findings] == ["power.lead-core-gap", "talk.no-owners"]
    assert [f.severity for f in assessment.findings] == ["critical", "high"]
    talk = assessment.findings[1]
    assert talk.rules == ("talk.no-owners", "talk.chained")
    assert [(s.rule, s.severity) for s in talk.signals] == [("talk.no-owners", "high"), ("talk.chained", "medium")]
    assert [r.id for r in talk.remedies] == ["name-action-owners"]  # prescribed by both signals, listed once
    facts = [e.fact for e in talk.evidence]
    assert "fact:meetings_without_actions" in facts and "authority.agreement:share" in facts
    assert len(facts) == len(set(facts))


def test_a_role_gap_shows_both_means_as_evidence(mini_answers, mini_questionnaire, mini_rulebase) -> None:
    finding = ph.assess(mini_answers, mini_questionnaire, mini_rulebase, EVERY_ANSWER).findings[0]

    assert [(e.fact, e.value, e.op, e.threshold) for e in finding.evidence] == [
        ("authority.decisions_shared:mean@lead", 5.0, ">=", 4),
        ("authority.decisions_shared:mean@core", 1.5, "<=", 2.5),
    ]
    assert finding.evidence[1].text == (
        "On average, core partners answered “Decisions are shared between the partners.” with 1.5 out of 5: "
        "2 of 2 disagree, 0 agree."
    )
    # The rule's threshold is for the technical appendix and the JSON, not for the words read aloud.
    assert finding.evidence[1].comparison == "at or below 2.5"


def test_an_any_with_both_alternatives_true_is_one_finding_with_both_as_evidence(
    mini_questionnaire, mini_rulebase
) -> None:
    answers = one_respondent(
        **{"delivery.actions_have_owners": 1, "delivery.talk_only": 5, "authority.agreement": True}
    )
    assessment = ph.assess(ph.Answers.model_validate(answers), mini_questionnaire, mini_rulebase, EVERY_ANSWER)

    assert [f.id for f in assessment.findings] == ["talk.no-owners"]
    assert {e.fact for e in assessment.findings[0].evidence} == {
        "delivery.actions_have_owners:mean",
        "delivery.talk_only:mean",
    }


@pytest.mark.parametrize(
    ("agreement", "fires"),
    [(False, True), (True, False), (None, False)],
    ids=["no agreement: fires", "agreement: near miss", "unanswered: no evidence, no diagnosis"],
)
def test_not_holds_only_on_an_answer_that_contradicts_it(agreement, fires, mini_questionnaire, mini_rulebase) -> None:
    answers = {"delivery.actions_have_owners": 1}
    if agreement is not None:
        answers["authority.agreement"] = agreement

    found = assess_with(one_respondent(**answers), mini_questionnaire, mini_rulebase)

    assert ("talk.chained" in found) is fires
    assert "talk.no-owners" in found


def test_a_threshold_is_inclusive_as_written(mini_questionnaire, mini_rulebase) -> None:
    assert "talk.no-owners" in assess_with(
        one_respondent(**{"delivery.actions_have_owners": 2}), mini_questionnaire, mini_rulebase
    )
    assert assess_with(one_respondent(**{"delivery.actions_have_owners": 3}), mini_questionnaire, mini_rulebase) == []


def test_a_failure_inside_durable_reaches_the_caller_as_a_rule_engine_error(
    monkeypatch, mini_answers, mini_questionnaire, mini_rulebase
) -> None:
    def broken(*args: object) -> None:
        raise ValueError("disk on fire")

    monkeypatch.setattr(runner._core, "complete_and_start_action", broken)

    with pytest.raises(ph.RuleEngineError, match="durable-rules failed: disk on fire"):
        ph.assess(mini_answers, mini_questionnaire, mini_rulebase, EVERY_ANSWER)


def test_the_next_assessment_after_a_failed_one_is_clean(
    monkeypatch, mini_answers, mini_questionnaire, mini_rulebase
) -> None:
    expected = ph.assess(mini_answers, mini_questionnaire, mini_rulebase, EVERY_ANSWER)
    with monkeypatch.context() as patch:
        patch.setattr(runner._core, "complete_and_start_action", lambda *args: 1 / 0)
        with pytest.raises(ph.RuleEngineError):
            ph.assess(mini_answers, mini_questionnaire, mini_rulebase, EVERY_ANSWER)

    assert ph.assess(mini_answers, mini_questionnaire, mini_rulebase, EVERY_ANSWER) == expected


def test_a_rule_base_wider_than_a_durable_fact_and_ruleset_fires_like_the_plain_evaluation(
    mini_questionnaire, mini_rulebase, monkeypatch
) -> None:
    # durable takes at most 255 properties per fact and ~60 rules per ruleset: with limits
    # of 2 and 1 the mini rule base spreads over several facts and rulesets, chaining included.
    from partnership_health.core.assessment import prepare

    from .oracle import evaluate

    compiled = prepare(mini_rulebase, mini_questionnaire).compiled
    monkeypatch.setattr(runner, "MAX_PROPERTIES", 2)
    monkeypatch.setattr(runner, "MAX_RULES", 1)
    narrow = runner.Runner()
    fired = set()
    for weeks in (0, 6):
        for owners in (1, 2, 3):
            facts = {
                "delivery.actions_have_owners:mean": owners,
                "authority.decisions_shared:mean@lead": 5,
                "authority.decisions_shared:mean@core": 1.5,
                "authority.agreement:share": 0,
                "authority.meeting_weeks:mean": weeks,
            }
            known = {key: value for key, value in facts.items() if key in compiled.needed}
            assert len(narrow._layout(compiled).rulesets) > 2
            firings = narrow.run(compiled, known)
            assert firings == evaluate(compiled.branches, known)
            fired |= {firing.branch for firing in firings}
    assert "rule:talk.chained#0" in fired


def resident_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def varied(answers: ph.Answers, n: int) -> ph.Answers:
    """A copy of ``answers`` whose core partners answer differently for each ``n``."""
    data = copy.deepcopy(answers.model_dump())
    data["respondents"][1]["answers"]["authority.decisions_shared"] = 1 + n % 5
    data["respondents"][0]["answers"]["delivery.actions_have_owners"] = 1 + (n // 5) % 5
    return ph.Answers.model_validate(data)


def test_ten_thousand_assessments_keep_resident_memory_flat(mini_answers, mini_questionnaire, mini_rulebase) -> None:
    inputs = [varied(mini_answers, n) for n in range(25)]
    for n in range(1_000):  # warm up: caches, allocator pools
        ph.assess(inputs[n % 25], mini_questionnaire, mini_rulebase)
    before = resident_kib()

    for n in range(10_000):
        ph.assess(inputs[n % 25], mini_questionnaire, mini_rulebase)

    grown = resident_kib() - before
    # a leaked durable session costs 0.5-1 MB; 10,000 of them would be gigabytes
    assert grown < 8 * 1024, f"resident memory grew by {grown} KiB"


def test_four_threads_give_exactly_the_serial_results(mini_answers, mini_questionnaire, mini_rulebase) -> None:
    inputs = [varied(mini_answers, n) for n in range(25)]
    serial = [ph.assess(inputs[n % 25], mini_questionnaire, mini_rulebase) for n in range(1_000)]
    results: dict[int, list[ph.Assessment]] = {}

    def work(thread: int) -> None:
        results[thread] = [ph.assess(inputs[n % 25], mini_questionnaire, mini_rulebase) for n in range(1_000)]

    threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert len({rule for a in serial for f in a.findings for rule in f.rules}) == 3  # the inputs exercise every rule
    assert all(results[t] == serial for t in range(4))


def test_the_rule_base_is_compiled_and_registered_once(mini_answers, mini_questionnaire, mini_rulebase) -> None:
    ph.assess(mini_answers, mini_questionnaire, mini_rulebase, EVERY_ANSWER)
    registered = set(runner._PROCESS_RUNNER._registered)

    ph.assess(mini_answers, mini_questionnaire, mini_rulebase, EVERY_ANSWER)
    ph.assess(mini_answers, mini_questionnaire, ph.load_rulebase(MINI / "rules", mini_questionnaire))

    assert set(runner._PROCESS_RUNNER._registered) == registered


def test_facts_that_only_partly_match_a_rule_give_no_finding_and_no_crash(mini_questionnaire, mini_rulebase) -> None:
    # durable-rules segfaults deleting a session in which no action ran; this is that session
    answers = one_respondent(**{"authority.decisions_shared": 5})

    assert assess_with(answers, mini_questionnaire, mini_rulebase) == []
    assert assess_with(one_respondent(), mini_questionnaire, mini_rulebase) == []

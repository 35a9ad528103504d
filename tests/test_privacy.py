"""Small groups stay private: no free text by group, nothing recoverable by subtraction."""

from __future__ import annotations

import json
import re
from fractions import Fraction

import pytest

import partnership_health as ph
from partnership_health.cli import main

from .conftest import MINI, examples


def partnership(*people: tuple[str, str, str, dict]) -> ph.Answers:
    """Answers of the mini questionnaire: (id, organisation, role, answers) per person."""
    return ph.Answers(
        partnership="P",
        assessed_on="2026-10-01",
        questionnaire={"id": "mini", "version": "1"},
        respondents=[
            {"id": pid, "organisation": organisation, "role": role, "answers": answers}
            for pid, organisation, role, answers in people
        ],
    )


def q(shared: int, weeks: float | None = None, **more: object) -> dict:
    answers: dict[str, object] = {"authority.decisions_shared": shared, **more}
    if weeks is not None:
        answers["authority.meeting_weeks"] = weeks
    return answers


# The lead is alone; core and wider have 3 and 2 people; organisations have 2 each, and
# the lead shares an organisation with one core partner.
ACROSS = partnership(
    ("a", "Org 1", "lead", q(5, 1, **{"authority.comments": "Only I see this"})),
    ("b", "Org 1", "core", q(1, 8)),
    ("c", "Org 2", "core", q(2, 4)),
    ("d", "Org 2", "core", q(2, 6)),
    ("e", "Org 3", "wider", q(4, 2)),
    ("f", "Org 3", "wider", q(3, 3)),
)
# One lead, three core partners, each in their own organisation.
LONE_LEAD = partnership(
    ("a", "Library", "lead", q(5)),
    ("b", "School", "core", q(1)),
    ("c", "Trust", "core", q(2)),
    ("d", "College", "core", q(2)),
)
# Three core partners, of whom one answered the number question.
ONE_ANSWER = partnership(
    ("a", "Org 1", "lead", q(5, 4)),
    ("b", "Org 1", "lead", q(4, 6)),
    ("c", "Org 2", "core", q(1, 12)),
    ("d", "Org 2", "core", q(2)),
    ("e", "Org 2", "core", q(2)),
)


def rank(rows: list[list[Fraction]]) -> int:
    rows = [row[:] for row in rows]
    rank = 0
    for column in range(len(rows[0]) if rows else 0):
        pivot = next((r for r in range(rank, len(rows)) if rows[r][column]), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for r in range(len(rows)):
            if r != rank and rows[r][column]:
                factor = rows[r][column] / rows[rank][column]
                rows[r] = [x - factor * y for x, y in zip(rows[r], rows[rank], strict=True)]
        rank += 1
    return rank


def recoverable(answers: ph.Answers, report: dict) -> list[tuple[str, str]]:
    """(question, respondent) pairs whose answer an insider can work out from the JSON report.

    The insider knows who is in which role and organisation; the report gives each shown
    group's count and mean of a question, i.e. the sum of its members' answers. A
    person's answer is recoverable when their indicator is a linear combination of the
    shown groups' (everyone's included), and not already by everyone's figures alone
    (when only one person answered at all).
    """
    aggregates = report["aggregates"]
    found = []
    for qid in aggregates["answers"]:
        answered = [r for r in answers.respondents if isinstance(r.answers.get(qid), (int, float))]
        if not answered or aggregates["answers"][qid]["values"].get("mean") is None:
            continue
        rows = [[Fraction(1)] * len(answered)]
        for breakdown, key in (("by_role", lambda r: r.role), ("by_organisation", lambda r: r.organisation)):
            named = set(aggregates[breakdown]) - {"others"}
            for name, group in aggregates[breakdown].items():
                if qid in group["answers"] and group["answers"][qid]["values"].get("mean") is not None:
                    members = [(key(r) == name) if name != "others" else (key(r) not in named) for r in answered]
                    rows.append([Fraction(int(m)) for m in members])
        for n, person in enumerate(answered):
            alone = [Fraction(int(i == n)) for i in range(len(answered))]
            if len(answered) > 1 and rank([*rows, alone]) == rank(rows):
                found.append((qid, person.id))
    return found


def report_of(answers: ph.Answers, min_group: int, questionnaire, rulebase) -> tuple[ph.Assessment, dict]:
    assessment = ph.assess(answers, questionnaire, rulebase, ph.AssessOptions(min_group=min_group))
    return assessment, json.loads(str(ph.render(assessment, questionnaire, "json")))


@pytest.mark.parametrize("answers", [ACROSS, LONE_LEAD, ONE_ANSWER], ids=["across", "lone-lead", "one-answer"])
@pytest.mark.parametrize("min_group", [2, 3])
def test_no_answer_can_be_worked_out_by_subtraction(answers, min_group, mini_questionnaire, mini_rulebase) -> None:
    _, report = report_of(answers, min_group, mini_questionnaire, mini_rulebase)

    assert recoverable(answers, report) == []


@pytest.mark.parametrize("min_group", [2, 3])
def test_no_answer_in_the_example_partnerships_can_be_worked_out(min_group, questionnaire, rulebase) -> None:
    for path in examples():
        answers = ph.load_answers(path, questionnaire)
        _, report = report_of(answers, min_group, questionnaire, rulebase)

        assert recoverable(answers, report) == [], path.name


def test_the_attack_works_when_small_groups_are_shown(mini_questionnaire, mini_rulebase) -> None:
    _, report = report_of(LONE_LEAD, 1, mini_questionnaire, mini_rulebase)

    assert ("authority.decisions_shared", "a") in recoverable(LONE_LEAD, report)


def test_the_groups_shown_are_each_big_enough_and_cover_everyone(mini_questionnaire, mini_rulebase) -> None:
    assessment, _ = report_of(ACROSS, 2, mini_questionnaire, mini_rulebase)

    assert {name: group.respondents for name, group in assessment.by_role.items()} == {"core": 3, "others": 3}
    assert {name: group.respondents for name, group in assessment.by_organisation.items()} == {
        "Org 1": 2,
        "Org 2": 2,
        "Org 3": 2,
    }
    assert "merged into 'others'" in assessment.privacy_note


def test_a_lone_lead_leaves_no_role_breakdown_and_no_evidence_to_subtract(mini_questionnaire, mini_rulebase) -> None:
    assessment, report = report_of(LONE_LEAD, 2, mini_questionnaire, mini_rulebase)

    assert assessment.by_role == {}
    finding = next(f for f in assessment.findings if "power.lead-core-gap" in f.rules)
    # Neither the value nor the comparison of a role's figure: "the lead at or above 4" would bound its answer.
    assert not [e for e in finding.evidence if "@" in e.fact or e.threshold is not None]
    assert [e.text for e in finding.evidence] == [
        "Partners see “Decisions are shared between the partners.” very differently: of the 4 who answered, "
        "1 agrees and 3 disagree."
    ]
    evidence = json.dumps(report["findings"])
    assert "mean@lead" not in evidence and "5 out of 5" not in evidence


def test_a_finding_about_a_group_too_small_to_show_is_told_without_naming_it(mini_questionnaire, mini_rulebase) -> None:
    shown, _ = report_of(LONE_LEAD, 1, mini_questionnaire, mini_rulebase)
    protected, _ = report_of(LONE_LEAD, 2, mini_questionnaire, mini_rulebase)

    assert shown.findings[0].title == "The lead sees shared decisions, core partners do not"
    # Still diagnosed, at the level that can be shown: this rule has no words of its own for
    # that, so its failure mode's title and description speak for it.
    assert protected.findings[0].severity == shown.findings[0].severity
    assert (protected.findings[0].title, protected.findings[0].signals[0].title) == ("Power imbalance",) * 2
    assert "lead" not in protected.findings[0].explanation.lower()


def test_the_bundled_lead_versus_core_split_is_told_as_partners_seeing_decisions_differently(
    questionnaire, rulebase
) -> None:
    answers = ph.load_answers(next(p for p in examples() if p.name == "power-imbalance.yaml"), questionnaire)
    finding = next(f for f in ph.assess(answers, questionnaire, rulebase).findings if "power.lead-core-gap" in f.rules)

    signal = next(s for s in finding.signals if s.rule == "power.lead-core-gap")
    assert signal.title == "Partners see how decisions are shared very differently"
    told = " ".join([finding.title, finding.explanation, *(s.title for s in finding.signals)])
    told += " ".join(e.text for e in finding.evidence)
    assert "The lead sees" not in told and "lead partner believes" not in told
    assert "very differently: of the 5 who answered, 1 agrees and 4 disagree" in told


def test_a_question_few_of_a_group_answered_is_left_out_of_its_breakdown(mini_questionnaire, mini_rulebase) -> None:
    assessment, _ = report_of(ONE_ANSWER, 2, mini_questionnaire, mini_rulebase)

    assert "authority.meeting_weeks" not in assessment.by_role["core"].answers
    assert "authority.meeting_weeks" not in assessment.by_role["lead"].answers
    assert assessment.by_role["core"].answers["authority.decisions_shared"].values["mean"] == pytest.approx(5 / 3)
    assert "1 question is left out of the breakdowns" in assessment.privacy_note


@pytest.mark.parametrize("min_group", [1, 3])
def test_free_text_is_never_listed_by_role_or_organisation(min_group, mini_questionnaire, mini_rulebase) -> None:
    people = [(f"x{n}", "Org 4", "wider", q(3, **{"authority.comments": f"Comment {n}"})) for n in range(3)]
    answers = ACROSS.model_copy(update={"respondents": [*ACROSS.respondents, *partnership(*people).respondents]})
    assessment, report = report_of(answers, min_group, mini_questionnaire, mini_rulebase)

    texts = ["Only I see this", "Comment 0", "Comment 1", "Comment 2"]
    assert report["aggregates"]["answers"]["authority.comments"]["texts"] == texts
    for breakdown in ("by_role", "by_organisation"):
        for group in report["aggregates"][breakdown].values():
            assert all(stats["texts"] == [] for stats in group["answers"].values())
    markdown = str(ph.render(assessment, mini_questionnaire, "md"))
    assert markdown.count("Only I see this") == 1


def test_a_comment_too_few_people_wrote_is_not_shown(mini_questionnaire, mini_rulebase) -> None:
    assessment, report = report_of(ACROSS, 2, mini_questionnaire, mini_rulebase)

    comments = report["aggregates"]["answers"]["authority.comments"]
    assert comments["withheld"] and comments["texts"] == [] and comments["count"] == 0
    for fmt in ("md", "html", "csv"):
        assert "Only I see this" not in str(ph.render(assessment, mini_questionnaire, fmt))
    assert "1 question fewer than 2 people answered is shown without its answers" in assessment.privacy_note


def test_min_group_in_every_report_format_leaves_no_small_group(capsys) -> None:
    args = ["--rules", str(MINI / "rules"), "--questionnaire", str(MINI / "questionnaire.yaml"), "--min-group", "2"]
    assert main(["assess", str(MINI / "answers.yaml"), "--format", "json", *args]) == 0
    report = json.loads(capsys.readouterr().out)

    # One lead and two core partners, in three organisations: 'others' would be the lead
    # alone, so the core partners join it, and then it is everyone: no breakdown at all.
    assert report["aggregates"]["by_organisation"] == {}
    assert report["aggregates"]["by_role"] == {}
    assert all(gap["by_role"] == {} for gap in report["gaps"])


def test_the_html_and_markdown_reports_show_only_the_groups_big_enough(mini_questionnaire, mini_rulebase) -> None:
    lone_lead, _ = report_of(LONE_LEAD, 1, mini_questionnaire, mini_rulebase)
    protected, _ = report_of(LONE_LEAD, 2, mini_questionnaire, mini_rulebase)

    html = str(ph.render(lone_lead, mini_questionnaire, "html"))
    assert "Lead" in re.findall(r'<span class="role-stat">(\w+) ', html)  # without --min-group the lead is shown
    assert "5 out of 5" in html  # and the evidence gives the lead's answer
    html = str(ph.render(protected, mini_questionnaire, "html"))
    assert re.findall(r'<span class="role-stat">(\w+) ', html) == []
    assert "5 out of 5" not in html and "5 out of 5" not in str(ph.render(protected, mini_questionnaire, "md"))

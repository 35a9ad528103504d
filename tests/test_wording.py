"""Words a facilitator reads aloud: counts with the right noun, names in capitals, nothing untrue of the partnership."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

import partnership_health as ph
from partnership_health.cli import main
from partnership_health.options import DEFAULT_OPTIONS
from partnership_health.reporting.room import BODY_ACTIONS, TOP_THINGS, for_the_room

from .conftest import EVERY_ANSWER, REPO
from .test_migrate import OLD

EXAMPLES = REPO / "examples"


def report(
    name: str,
    questionnaire: ph.Questionnaire,
    rulebase: ph.RuleBase,
    fmt: str = "md",
    options: ph.AssessOptions = DEFAULT_OPTIONS,
) -> str:
    answers = ph.load_answers(EXAMPLES / f"{name}.yaml", questionnaire)
    return str(ph.render(ph.assess(answers, questionnaire, rulebase, options), questionnaire, fmt))


def test_two_lead_partners_are_called_lead_partners(questionnaire: ph.Questionnaire, rulebase: ph.RuleBase) -> None:
    assert "(2 lead partners, 6 core partners, 3 wider partners)" in report("eight-partners", questionnaire, rulebase)
    html = report("eight-partners", questionnaire, rulebase, "html")
    assert "11 respondents: 2 lead partners, 6 core partners, 3 wider partners." in html
    assert "2 lead partner," not in html


def test_a_failure_mode_named_with_an_abbreviation_keeps_its_capitals(
    questionnaire: ph.Questionnaire, rulebase: ph.RuleBase
) -> None:
    assert "Failure mode: unclear funds and IP." in report("type-mismatch-money", questionnaire, rulebase)
    assert ">Unclear funds and IP</span>" in report("type-mismatch-money", questionnaire, rulebase, "html")


def test_a_median_is_said_as_the_middle_answer(questionnaire: ph.Questionnaire, rulebase: ph.RuleBase) -> None:
    # a median is one person's answer: only a lead who chose to show every group sees it
    md = report("eight-partners", questionnaire, rulebase, options=EVERY_ANSWER)
    assert "The middle answer of partners to “How many weeks usually pass between meetings" in md
    assert "is 26 weeks" in md
    assert "In the middle of the answers" not in md


def test_one_action_is_not_the_most_important_of_one(questionnaire: ph.Questionnaire, rulebase: ph.RuleBase) -> None:
    md = report("young-partnership", questionnaire, rulebase)
    assert "the action plan has 1 action." in md and "most important of" not in md
    html = report("young-partnership", questionnaire, rulebase, "html")
    assert "action plan</a> has 1 action." in html


def test_one_other_topic_and_one_other_action_are_said_in_the_singular(
    questionnaire: ph.Questionnaire, rulebase: ph.RuleBase
) -> None:
    riverside = ph.assess(ph.load_answers(EXAMPLES / "riverside.yaml", questionnaire), questionnaire, rulebase)
    wanted = {"topic": None, "action": None}
    for n in range(1, len(riverside.findings) + 1):
        for chosen in itertools.combinations(riverside.findings, n):
            some = riverside.model_copy(update={"findings": chosen})
            room = for_the_room(some, questionnaire)
            if len(room.topics) == TOP_THINGS + 1:
                wanted["topic"] = wanted["topic"] or some
            if len(room.actions) == BODY_ACTIONS + 1:
                wanted["action"] = wanted["action"] or some
    assert wanted["topic"] and wanted["action"]
    for fmt in ("md", "html"):
        text = str(ph.render(wanted["topic"], questionnaire, fmt))
        assert "the other topic is" in text and "the other 1 topic" not in text, fmt
        text = str(ph.render(wanted["action"], questionnaire, fmt))
        assert "(the other one is in the" in text and "the other 1 are" not in text, fmt


def test_migrate_counts_one_respondent_in_the_singular(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    one = OLD.split("  - id: jobcentre", 1)[0]
    (tmp_path / "old.yaml").write_text(one, encoding="utf-8")
    assert main(["migrate", str(tmp_path / "old.yaml"), "--output", str(tmp_path / "m.yaml")]) == 0
    said = capsys.readouterr().out
    assert "1 respondent written to" in said and "1 respondents" not in said and "1 notes" not in said


def test_no_rule_explains_itself_by_a_partnership_type_it_is_not_applied_to(rulebase: ph.RuleBase) -> None:
    # A rule left out for some types fires only for the others: its explanation, read to a
    # partnership of another type, must not speak of the types it leaves out.
    named = {"cooperative": "cooperative network", "secondment": "secondment"}
    for rule in rulebase.rules:
        for kind in rule.not_type or ():
            assert named.get(kind, kind) not in rule.explanation.lower(), rule.id


def test_the_young_partnerships_report_does_not_call_it_a_cooperative_network(
    questionnaire: ph.Questionnaire, rulebase: ph.RuleBase
) -> None:
    for fmt in ("md", "html"):
        assert "cooperative network" not in report("young-partnership", questionnaire, rulebase, fmt).lower()


def test_the_disagreements_say_role_means_only_where_they_show_them(
    questionnaire: ph.Questionnaire, rulebase: ph.RuleBase
) -> None:
    import re

    from .troubled import troubled_answers

    troubled = ph.assess(troubled_answers(questionnaire), questionnaire, rulebase)
    assert troubled.gaps and not any(g.by_role for g in troubled.gaps)  # each role too small to show
    md = str(ph.render(troubled, questionnaire, "md"))
    said = md.split("## Where partners see things differently", 1)[1].split("\n1. ", 1)[0]
    assert "how many agree, neither agree nor disagree and disagree" in said and "mean" not in said
    html = str(ph.render(troubled, questionnaire, "html"))
    caption = html.split('id="gaps"', 1)[1].split("</caption>", 1)[0]
    assert "mean" not in caption.split("<caption", 1)[1] and "mean" not in caption.split('class="note">', 1)[1]

    # role means are shown only to a lead who chose to show every group
    md = report("eight-partners", questionnaire, rulebase, options=EVERY_ANSWER)
    said, shown = md.split("## Where partners see things differently", 1)[1].split("\n1. ", 1)
    assert "each role's mean answer" in said
    assert re.search(r"\(\d+ agree, \d+ neither, \d+ disagree; (lead|core partners) [\d.]+", shown)
    html = report("eight-partners", questionnaire, rulebase, "html", EVERY_ANSWER)
    caption = html.split('id="gaps"', 1)[1].split("</caption>", 1)[0]
    assert "and the mean answer of each role" in caption

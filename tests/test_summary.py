"""What a reader meets first: the summary, the data caveats, and each thing said once."""

from __future__ import annotations

import copy
import json
import re

import pytest
import yaml
from markupsafe import escape

import partnership_health as ph
from partnership_health.core.reader import bundled_path
from partnership_health.reporting.render import SUMMARY_STRENGTHS, action_plan

from .conftest import EVERY_ANSWER, examples


@pytest.fixture(scope="module")
def assessed(questionnaire: ph.Questionnaire, rulebase: ph.RuleBase) -> dict[str, ph.Assessment]:
    return {path.name: ph.assess(ph.load_answers(path, questionnaire), questionnaire, rulebase) for path in examples()}


def every_answer(questionnaire: ph.Questionnaire, name: str = "riverside.yaml") -> ph.Assessment:
    """An example as a lead who chose to show every group, however small, sees it."""
    answers = ph.load_answers(bundled_path("examples") / name, questionnaire)
    return ph.assess(answers, questionnaire, ph.load_rulebase(questionnaire=questionnaire), EVERY_ANSWER)


def summary_of(report: str, fmt: str) -> str:
    """The summary section of a Markdown or HTML report."""
    if fmt == "md":
        return report.split("## Summary", 1)[1].split("\n## ", 1)[0]
    return report.split('id="summary"', 1)[1].split('id="findings"', 1)[0] if fmt == "html" else report


def answers_of(name: str) -> dict:
    with open(bundled_path("examples") / name, encoding="utf-8") as file:
        return yaml.safe_load(file)


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("example", [path.name for path in examples()])
def test_every_remedy_step_is_printed_once(
    example: str, fmt: str, assessed: dict[str, ph.Assessment], questionnaire: ph.Questionnaire
) -> None:
    report = str(ph.render(assessed[example], questionnaire, fmt))
    for action in action_plan(assessed[example]):
        for step in action.remedy.steps:
            printed = step.text.strip() if fmt == "md" else str(escape(step.text.strip()))
            assert report.count(printed) == 1, f"{action.remedy.id}: step printed {report.count(printed)} times"


def test_the_scores_are_shown_once_as_a_chart_in_html_and_a_table_in_markdown(
    assessed: dict[str, ph.Assessment], questionnaire: ph.Questionnaire
) -> None:
    riverside = assessed["riverside.yaml"]
    html = str(ph.render(riverside, questionnaire, "html"))
    markdown = str(ph.render(riverside, questionnaire, "md"))

    assert html.count('<svg class="chart"') == 1
    assert 'class="scores"' not in html, "the scores table repeats the chart"
    assert markdown.count("| Section | Score | Level |") == 1


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("example", [path.name for path in examples()])
def test_the_summary_names_at_most_five_strengths_and_no_section_below_strength_as_strong(
    example: str, fmt: str, assessed: dict[str, ph.Assessment], questionnaire: ph.Questionnaire
) -> None:
    assessment = assessed[example]
    summary = summary_of(str(ph.render(assessment, questionnaire, fmt)), fmt)

    named = [s for s in assessment.strengths if str(escape(s.title)) in summary or s.title in summary]
    assert len(named) == min(len(assessment.strengths), SUMMARY_STRENGTHS)
    strong = summary.split("At strength level:", 1)[1].split(".", 1)[0] if "At strength level:" in summary else ""
    for section in questionnaire.sections:
        score = assessment.scores.get(section.id)
        if score and score.level != "strength":
            assert str(escape(section.title)) not in strong and section.title not in strong, section.id


def test_the_summary_opens_with_the_three_things_that_matter_and_names_the_top_disagreements(
    assessed: dict[str, ph.Assessment], questionnaire: ph.Questionnaire
) -> None:
    riverside = assessed["riverside.yaml"]
    for fmt in ("md", "html"):
        summary = summary_of(str(ph.render(riverside, questionnaire, fmt)), fmt)
        opening = summary.split("What matters most", 1)[1].split("Overall health", 1)[0]
        things = (
            re.findall(r"^\d+\. ", opening, re.M)
            if fmt == "md"
            else re.findall(r"<li><p class=\"matter-title\">", opening)
        )
        assert len(things) == 3, f"{fmt}: page 1 opens with {len(things)} things"
        assert str(escape(riverside.findings[0].title)) in opening  # the most serious finding comes first
        # the two findings on work that has no owner and no target are one story, told once
        assert "Agreed work does not turn into results" in opening
        assert riverside.gaps and str(escape(riverside.gaps[0].text.strip())) in summary


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_one_respondent_gets_a_caveat_in_every_format(
    fmt: str, assessed: dict[str, ph.Assessment], questionnaire: ph.Questionnaire
) -> None:
    one = every_answer(questionnaire, "one-respondent.yaml")
    report = str(ph.render(one, questionnaire, fmt))

    assert one.quality is not None and one.quality.respondents == 1
    caveat = one.quality.caveats[0]
    assert caveat.startswith("Only one person answered")
    if fmt == "json":
        assert json.loads(report)["data_quality"]["caveats"][0] == caveat
    else:
        assert caveat in summary_of(report, fmt) or str(escape(caveat)) in summary_of(report, fmt)


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_one_respondent_at_the_default_settings_is_told_why_nothing_is_shown(
    fmt: str, assessed: dict[str, ph.Assessment], questionnaire: ph.Questionnaire
) -> None:
    one = assessed["one-respondent.yaml"]
    report = str(ph.render(one, questionnaire, fmt))

    assert (one.findings, one.strengths, one.scores, one.overall) == ((), (), {}, None)
    said = "Only 1 person has answered. Results are held back until at least 3 people have answered"
    if fmt == "json":
        assert json.loads(report)["aggregates"]["privacy_note"].startswith(said)
    else:
        assert said in summary_of(report, fmt) or str(escape(said)) in summary_of(report, fmt), "said on page 1"
    assert "--min-group 1" in report


def test_a_role_with_one_person_gets_a_caveat(questionnaire: ph.Questionnaire) -> None:
    mismatch = every_answer(questionnaire, "type-mismatch.yaml")  # the lead chose to show every group
    assert mismatch.quality is not None
    assert mismatch.quality.by_role == {"lead": 1, "core": 2}
    assert any("as the lead partner" in caveat for caveat in mismatch.quality.caveats)
    assert not any("core partner" in caveat for caveat in mismatch.quality.caveats)


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_one_person_in_each_of_two_roles_is_not_said_as_one_person_in_both(
    fmt: str, assessed: dict[str, ph.Assessment], questionnaire: ph.Questionnaire
) -> None:
    riverside = every_answer(questionnaire)  # one lead, three core partners, one wider partner: all shown
    summary = summary_of(str(ph.render(riverside, questionnaire, fmt)), fmt)

    said = (
        "Only one person answered as the lead partner, and only one as the wider partner: "
        "what the report says about each of those roles is one person's view."
    )
    assert said in summary or str(escape(said)) in summary
    assert "as the lead partner and the wider partner" not in summary


def test_one_person_in_each_of_three_roles_is_said_role_by_role(
    questionnaire: ph.Questionnaire, rulebase: ph.RuleBase
) -> None:
    data = answers_of("riverside.yaml")
    data["respondents"] = [r for r in data["respondents"] if r["role"] != "core"] + [
        next(r for r in data["respondents"] if r["role"] == "core")
    ]
    shown = ph.assess(ph.Answers.model_validate(data), questionnaire, rulebase, EVERY_ANSWER)
    report = str(ph.render(shown, questionnaire, "md"))

    assert (
        "Only one person answered as the lead partner, only one as the core partner, "
        "and only one as the wider partner: what the report says about each of those roles is one person's view."
    ) in summary_of(report, "md")


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_at_the_default_settings_roles_too_small_to_show_are_not_called_one_persons_view(
    fmt: str, assessed: dict[str, ph.Assessment], questionnaire: ph.Questionnaire
) -> None:
    # the report shows no role apart, so "what it says about that role" would promise what it hides
    summary = summary_of(str(ph.render(assessed["riverside.yaml"], questionnaire, fmt)), fmt)

    said = (
        "Answers are not shown by role for the lead partner (1), core partners (3) and wider partners (1): too few "
        "answered in some roles to show them without singling someone out."
    )
    assert said in summary
    assert "one person's view" not in summary and "one person&#39;s view" not in summary


def test_a_third_left_blank_gets_a_caveat_and_the_shares_are_counted(
    questionnaire: ph.Questionnaire, rulebase: ph.RuleBase
) -> None:
    data = answers_of("riverside.yaml")
    sparse = copy.deepcopy(data)
    kept = [q.id for q in questionnaire.questions.values() if q.type != "text"][:30]
    for respondent in sparse["respondents"]:
        respondent["answers"] = {k: v for k, v in respondent["answers"].items() if k in kept}

    full = ph.assess(ph.Answers.model_validate(data), questionnaire, rulebase).quality
    half = ph.assess(ph.Answers.model_validate(sparse), questionnaire, rulebase).quality

    assert full is not None and half is not None
    assert not any("unanswered" in caveat for caveat in full.caveats)
    assert half.unanswered_share >= 0.5
    percent = f"{round(100 * half.unanswered_share)}%"
    assert any(caveat.startswith(f"{percent} of the questions") for caveat in half.caveats), half.caveats
    questions = [q for q in questionnaire.questions.values() if q.type != "text"]
    expected = sum(1 for r in data["respondents"] for q in questions if not q.roles or r["role"] in q.roles)
    assert half.asked == full.asked == expected  # each respondent is asked the questions of their role


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_three_way_tie_on_the_type_is_not_called_most(
    fmt: str, assessed: dict[str, ph.Assessment], questionnaire: ph.Questionnaire
) -> None:
    mismatch = assessed["type-mismatch.yaml"]
    assert mismatch.partnership_type and set(mismatch.partnership_type.distribution.values()) == {1}

    report = str(ph.render(mismatch, questionnaire, fmt))

    assert "Most respondents" not in report and "most respondents" not in report
    assert "split on which type" in report


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_body_shows_the_top_gaps_with_prompts_and_the_appendix_the_rest(
    fmt: str, assessed: dict[str, ph.Assessment], questionnaire: ph.Questionnaire
) -> None:
    shown = 2
    riverside = every_answer(questionnaire).model_copy(update={"gaps_shown": shown})  # as with --gaps 2
    assert len(riverside.gaps) > shown, "the demo has more gaps than the body shows"

    report = str(ph.render(riverside, questionnaire, fmt))
    body, appendix = re.split(r"## Appendix|id=\"appendix\"", report, maxsplit=1)
    if fmt == "md":
        gaps = body.split("\n## Where partners see things differently", 1)[1].split("\n## ", 1)[0]
    else:
        gaps = body.split('id="gaps"', 1)[1].split('id="plan"', 1)[0]

    for number, gap in enumerate(riverside.gaps):
        text = gap.text.strip() if fmt == "md" else str(escape(gap.text.strip()))
        if number < shown:
            assert text in gaps, f"gap {number} is not in the body"
        else:
            assert text not in gaps and text in appendix, f"gap {number} should be in the appendix only"
    assert riverside.gaps[0].prompts[0] in gaps or str(escape(riverside.gaps[0].prompts[0])) in gaps


NUMBER_WORDS = {w: n for n, w in enumerate("no one two three four five six seven eight nine ten".split())}


@pytest.mark.parametrize("example", [path.name for path in examples()])
def test_an_examples_header_counts_the_findings_and_strengths_its_report_shows(
    example: str, assessed: dict[str, ph.Assessment], questionnaire: ph.Questionnaire
) -> None:
    text = (bundled_path("examples") / example).read_text(encoding="utf-8")
    header = " ".join(line.lstrip("# ") for line in text.splitlines() if line.startswith("#"))
    # An example of one respondent says what it shows when the lead chooses to show every answer.
    options = EVERY_ANSWER if "--min-group 1" in header else ph.AssessOptions()
    path = bundled_path("examples") / example
    assessment = ph.assess(ph.load_answers(path, questionnaire), questionnaire, None, options)
    report = str(ph.render(assessment, questionnaire, "md"))

    for kind, heading in (("findings", "## Findings"), ("strengths", "## What is going well")):
        for said in re.findall(rf"\b(\d+|{'|'.join(NUMBER_WORDS)}) {kind}\b", header):
            count = int(said) if said.isdigit() else NUMBER_WORDS[said]
            assert f"\n{heading} ({count})\n" in report, f"the header says {said} {kind}"


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_sections_prompts_are_shown_for_all_its_statements_not_only_the_first(
    fmt: str, assessed: dict[str, ph.Assessment], questionnaire: ph.Questionnaire
) -> None:
    # the quiet partner's 1st and 2nd statements (decisions shared, board's backing) share their
    # section's prompts; one is about decisions, so under the 1st alone they would read as its own
    example = assessed["quiet-partner.yaml"]
    gaps = example.gaps
    shared = [n for n, g in enumerate(gaps, 1) if g.prompts == gaps[0].prompts]
    assert shared == [1, 2]
    section = next(s.title for s in questionnaire.sections if any(q.id == gaps[0].question for q in s.questions))
    report = str(ph.render(example, questionnaire, fmt))
    if fmt == "md":
        part = report.split("## Where partners see things differently", 1)[1].split("\n## ", 1)[0]
        first, second = part.split("\n1. ", 1)[1].split("\n2. ", 1)[0], part.split("\n2. ", 1)[1].split("\n3. ")[0]
        assert f"Questions for the room on statements 1 and 2, both from “{section}”:" in first
        assert f"Questions for the room: under statement 1, also from “{section}”." in second
    else:
        part = report.split('id="gaps"', 1)[1].split("</section>", 1)[0]
        first = part.split(f'id="gap-{gaps[0].question}"', 1)[1].split("</tr>", 1)[0]
        second = part.split(f'id="gap-{gaps[1].question}"', 1)[1].split("</tr>", 1)[0]
        section = str(escape(section))
        assert f"Questions for the room on this statement and the one below from “{section}”:" in first
        assert f"Questions for the room: with the first statement from “{section}”, above." in second
    for prompt in gaps[0].prompts:
        prompt = prompt if fmt == "md" else str(escape(prompt))
        assert prompt in first and prompt not in second and part.count(prompt) == 1

"""A report for the room: stories, the three things that matter, five actions, no ids in the body, word limits.

Word counts follow :mod:`tests.wordcount`: the text of the HTML report's ``<body>``
without its appendix, scripts, styles and the chart's text alternative.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markupsafe import escape

import partnership_health as ph
from partnership_health.cli import main
from partnership_health.reporting.room import BODY_ACTIONS, TOP_THINGS, for_the_room

from .conftest import REPO
from .wordcount import body_words

RIVERSIDE = REPO / "examples" / "riverside.yaml"
EIGHT = REPO / "examples" / "eight-partners.yaml"


@pytest.fixture(scope="module")
def riverside(questionnaire: ph.Questionnaire, rulebase: ph.RuleBase) -> ph.Assessment:
    return ph.assess(ph.load_answers(RIVERSIDE, questionnaire), questionnaire, rulebase)


@pytest.fixture(scope="module")
def eight(questionnaire: ph.Questionnaire, rulebase: ph.RuleBase) -> ph.Assessment:
    return ph.assess(ph.load_answers(EIGHT, questionnaire), questionnaire, rulebase)


def body_of(html: str) -> str:
    """The HTML report up to its appendix."""
    return html.split('<section id="appendix"', 1)[0]


def visible_text(html: str) -> str:
    return " ".join(body_words(html))


def test_a_failure_mode_in_no_story_is_told_on_its_own(
    riverside: ph.Assessment, questionnaire: ph.Questionnaire
) -> None:
    unstoried = riverside.model_copy(update={"stories": ()})
    room = for_the_room(unstoried, questionnaire)
    assert [t.findings for t in room.topics] == [(f,) for f in riverside.findings]
    assert all(t.story is None for t in room.topics)


# --- the room's content ---------------------------------------------------------------


def test_findings_of_one_story_are_told_together_under_its_title(
    riverside: ph.Assessment, questionnaire: ph.Questionnaire
) -> None:
    html = str(ph.render(riverside, questionnaire, "html"))
    findings = body_of(html).split('id="findings"', 1)[1].split("</section>\n<section", 1)[0]
    story = findings.split('id="story-work-without-results"', 1)[1].split("</section>", 1)[0]

    assert "Agreed work does not turn into results" in story
    for mode in ("all_talk_no_action", "unclear_targets"):
        (finding,) = [f for f in riverside.findings if f.failure_mode == mode]
        assert str(escape(finding.title)) in story
    assert "power imbalance" not in story.lower()


def test_page_one_names_the_weakest_sections_as_well_as_the_strongest(
    riverside: ph.Assessment, questionnaire: ph.Questionnaire
) -> None:
    html = str(ph.render(riverside, questionnaire, "html"))
    summary = html.split('id="summary"', 1)[1].split('id="findings"', 1)[0]
    weakest = summary.split("Weakest:", 1)[1].split("</p>", 1)[0]

    lowest = min(riverside.scores, key=lambda s: riverside.scores[s].score)
    title = next(s.title for s in questionnaire.sections if s.id == lowest)
    assert f"{escape(title)} ({riverside.scores[lowest].score})" in weakest
    assert "Strongest:" in summary


def test_a_section_with_a_high_finding_in_it_is_not_called_a_strength(
    riverside: ph.Assessment, questionnaire: ph.Questionnaire
) -> None:
    # the lead and the core partners see decisions differently (high), in a section scored 72
    assert riverside.scores["authority"].level == "strength" and riverside.findings[0].severity == "high"
    for fmt in ("html", "md"):
        report = str(ph.render(riverside, questionnaire, fmt))
        summary = report.split("Summary", 1)[1].split("Findings (", 1)[0]
        strongest = summary.split("Strongest:", 1)[1].split(".", 1)[0]
        assert "Authority" not in strongest, fmt
        assert "Authority, decisions and leadership scores 72 but is not called a strength" in summary
    chart = str(ph.render(riverside, questionnaire, "html")).split('<svg class="chart"', 1)[1].split("</svg>", 1)[0]
    assert "Authority, decisions and leadership: 72 watch." in chart
    assert "Authority, decisions and leadership: 72 strength" not in chart


def test_the_body_plan_holds_the_five_most_important_actions_and_the_appendix_the_rest(
    eight: ph.Assessment, questionnaire: ph.Questionnaire
) -> None:
    room = for_the_room(eight, questionnaire)
    assert len(room.actions) > BODY_ACTIONS
    html = str(ph.render(eight, questionnaire, "html"))
    body, appendix = body_of(html), html.split('<section id="appendix"', 1)[1]
    plan = body.split('id="plan"', 1)[1]

    assert plan.count('<tr id="action-') == BODY_ACTIONS
    for number, action in enumerate(room.actions, 1):
        title = f"<strong>{escape(action.remedy.title)}</strong>"
        assert (title in plan, title in appendix) == (number <= BODY_ACTIONS, number > BODY_ACTIONS), number
    # each of the three things on page 1 has its first step among the five
    for topic in room.top:
        assert room.number[topic.remedies[0].id] <= BODY_ACTIONS


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_no_rule_id_or_fact_key_outside_the_technical_appendix(
    fmt: str, eight: ph.Assessment, riverside: ph.Assessment, questionnaire: ph.Questionnaire
) -> None:
    for assessment in (riverside, eight):
        report = str(ph.render(assessment, questionnaire, fmt))
        body = visible_text(report) if fmt == "html" else report.split("\n## Appendix", 1)[0]
        ids = {rule for f in assessment.findings for rule in (*f.rules, f.id)}
        keys = {e.fact for f in assessment.findings for e in f.evidence}
        assert ids and keys
        for text in ids | keys:
            assert text not in body, f"{text!r} in the body of the {fmt} report"
        assert not re.search(r"\b[a-z]+\.[a-z_]+:(mean|median|max|min|share|gap)\b", body)
        # the appendix keeps them, for whoever keeps the rule base
        appendix = report.split('id="appendix"', 1)[1] if fmt == "html" else report.split("\n## Appendix", 1)[1]
        assert all(rule in appendix for rule in ids) and all(key in appendix for key in keys)


def test_the_demo_body_is_at_most_2500_words_and_the_eight_partner_body_at_most_3500(
    tmp_path: Path, eight: ph.Assessment, questionnaire: ph.Questionnaire
) -> None:
    demo = tmp_path / "demo.html"
    assert main(["demo", "--output", str(demo)]) == 0
    words = len(body_words(demo.read_text(encoding="utf-8")))
    assert 1000 < words <= 2500, f"the demo's body has {words} words"

    words = len(body_words(str(ph.render(eight, questionnaire, "html"))))
    assert 1500 < words <= 3500, f"the eight-partner example's body has {words} words"


def test_the_word_count_leaves_out_the_appendix_and_the_charts_text_alternative() -> None:
    html = (
        "<html><head><title>Four words in title</title><style>p { x: 1 }</style></head><body>"
        "<p>One two — ▲ three.</p><svg><title>chart</title><desc>long text alternative</desc><text>4 watch</text></svg>"
        '<section id="appendix"><p>not these words</p><section><p>nor these</p></section></section>'
        "<footer>Last word</footer></body></html>"
    )
    assert body_words(html) == ["One", "two", "three.", "4", "watch", "Last", "word"]


def test_the_eight_partner_example_is_eight_organisations_with_many_findings_in_stories(
    eight: ph.Assessment, questionnaire: ph.Questionnaire
) -> None:
    assert eight.organisations == 8 and eight.respondents > 8
    assert len(eight.findings) >= 10
    room = for_the_room(eight, questionnaire)
    assert len(room.top) == TOP_THINGS
    assert any(len(topic.findings) >= 3 for topic in room.topics), "one story joins three findings or more"
    assert room.top[0].title == "Decisions and their benefits are not shared evenly"


def test_a_very_troubled_partnership_tells_the_most_serious_topics_in_full_and_the_rest_in_the_appendix(
    questionnaire: ph.Questionnaire, rulebase: ph.RuleBase
) -> None:
    from partnership_health.reporting.room import BODY_FINDINGS

    from .troubled import troubled_answers

    troubled = ph.assess(troubled_answers(questionnaire), questionnaire, rulebase)
    room = for_the_room(troubled, questionnaire)
    assert len(troubled.findings) > 20 and len(room.actions) > 30  # more than a session can hear
    html = str(ph.render(troubled, questionnaire, "html"))
    words = len(body_words(html))
    assert words <= 3500, f"the troubled partnership's body has {words} words"

    told = [f for t in room.told for f in t.findings]
    assert room.told and room.more_topics and len(told) <= BODY_FINDINGS
    body, appendix = body_of(html), html.split('<section id="appendix"', 1)[1]
    findings = body.split('id="findings"', 1)[1]
    for topic in room.more_topics:  # named by title in the body, with a link to where it is told in full
        assert f'<a href="#{topic.anchor}">{escape(topic.title)}</a>' in findings
        assert f'id="{topic.anchor}"' in appendix and f'id="{topic.anchor}"' not in body
        assert all(str(escape(f.explanation)) in appendix for f in topic.findings)
    markdown = str(ph.render(troubled, questionnaire, "md"))
    md_body, md_appendix = markdown.split("\n## Appendix", 1)
    assert all(
        f.explanation not in md_body and f.explanation in md_appendix for t in room.more_topics for f in t.findings
    )
    assert all(f.explanation in md_body for f in told)

"""Evidence in words a facilitator can say aloud; the rule's thresholds kept for the appendix and the JSON."""

from __future__ import annotations

import json
import re

import pytest

import partnership_health as ph

from .conftest import EVERY_ANSWER, examples

FACT_KEY = re.compile(r"\b[a-z_]+\.[a-z_]+:[a-z]+|\bscore:[a-z_]+|\bfact:[a-z_]+|@[a-z+-]+")


@pytest.mark.parametrize("options", [ph.AssessOptions(), EVERY_ANSWER], ids=["default", "every-answer"])
def test_no_evidence_sentence_reads_out_a_threshold_or_a_fact_key(options, questionnaire, rulebase) -> None:
    said = []
    for path in examples():
        assessment = ph.assess(ph.load_answers(path, questionnaire), questionnaire, rulebase, options)
        said += [e.text for found in (*assessment.findings, *assessment.strengths) for e in found.evidence]

    assert said
    assert not [text for text in said if "rule looks for" in text or FACT_KEY.search(text) or "_" in text]


def test_the_threshold_stays_in_the_json_beside_the_words(questionnaire, rulebase) -> None:
    path = next(p for p in examples() if p.name == "riverside.yaml")
    assessment = ph.assess(ph.load_answers(path, questionnaire), questionnaire, rulebase, EVERY_ANSWER)
    report = json.loads(str(ph.render(assessment, questionnaire, "json")))

    evidence = [e for f in report["findings"] for e in f["evidence"] if e["threshold"] is not None]
    assert evidence and all(e["op"] and e["comparison"] for e in evidence)
    assert any(re.fullmatch(r"(at or )?(above|below) [\d.]+%?", e["comparison"]) for e in evidence)


def test_a_finding_about_a_group_too_small_to_show_says_what_everyone_answered(questionnaire, rulebase) -> None:
    path = next(p for p in examples() if p.name == "riverside.yaml")  # one lead, three core, one wider partner
    assessment = ph.assess(ph.load_answers(path, questionnaire), questionnaire, rulebase)

    finding = next(f for f in assessment.findings if "overload.meeting-hours" in f.rules)
    said = [e.text for e in finding.evidence]
    # the rule reads the highest answer of core and wider partners: "someone answered 16 or more" holds
    # of everyone, so it is said of the partners, without the group and without the value
    hours = "At least one of the partners answered “Roughly how many hours a month do you spend in meetings"
    assert any(text.startswith(hours) and text.endswith("with 16 hours a month or higher.") for text in said), said
    assert not any("core partner" in t or "wider partner" in t or "18" in t for t in said)
    assert all(e.value is None for e in finding.evidence)
    assert not [e for e in finding.evidence if "@" in e.fact]

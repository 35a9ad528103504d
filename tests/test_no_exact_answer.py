"""No report shows one person's exact answer through a group's figures, at the default settings.

Attacks on every bundled example (and the demo):

- **Extremes**: the lowest, highest and middle answer of a group, and its spread, are
  one or two people's answers. No evidence, aggregate, gap or appendix line shows them.
- **Buckets**: an attacker who reads a scale question's counts (agree 4-5, neither 3,
  disagree 1-2) and its mean (to the precision printed) tries every assignment of 4 or
  5 to the agreeing and 1 or 2 to the disagreeing that matches. A side of 1 to
  ``min_group - 1`` people pinned to one value is a leak. (The neutral count is a count
  of one answer, as yes/no counts are: it says someone answered 3, not who.)
"""

from __future__ import annotations

import itertools
import json
import re
import statistics
from pathlib import Path  # noqa: TC003

import pytest

import partnership_health as ph

from .conftest import examples

MIN_GROUP = 3
EXAMPLES = examples()
EXACT = ("min", "max", "spread", "median")


def _report(path: Path, questionnaire, rulebase, fmt: str, min_group: int = MIN_GROUP) -> str:
    answers = ph.load_answers(path, questionnaire)
    assessment = ph.assess(answers, questionnaire, rulebase, ph.AssessOptions(min_group=min_group))
    return str(ph.render(assessment, questionnaire, fmt))


def pinned(
    count: int, agree: int, disagree: int, mean: float | None, rwg: float | None = None, places: int = 6
) -> list[str]:
    """The sides (agree, disagree) of 1 to MIN_GROUP - 1 people whose values every assignment pins that
    matches the mean and the rwg (each where shown; the rwg to ``places`` decimals)."""
    neither = count - agree - disagree
    close = 1e-6
    half = 0.5 * 10**-places + 1e-9
    sums = set()
    for high in range(agree + 1):  # how many of the agreeing answered 5
        for low in range(disagree + 1):  # how many of the disagreeing answered 1
            values = [5] * high + [4] * (agree - high) + [3] * neither + [1] * low + [2] * (disagree - low)
            if mean is not None and abs(statistics.mean(values) - mean) > close:
                continue
            if rwg is not None and len(values) > 1:
                found = max(0.0, 1 - statistics.variance(values) / 2)
                if abs(found - rwg) > half:
                    continue
            sums.add((high, low))
    found = []
    if 0 < agree < MIN_GROUP and len({h for h, _ in sums}) == 1:
        found.append("agree")
    if 0 < disagree < MIN_GROUP and len({lo for _, lo in sums}) == 1:
        found.append("disagree")
    return found


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_no_figure_is_one_persons_lowest_highest_or_middle_answer(path, questionnaire, rulebase) -> None:
    report = json.loads(_report(path, questionnaire, rulebase, "json"))
    aggregates = report["aggregates"]
    groups = [
        aggregates["answers"],
        *(g["answers"] for key in ("by_role", "by_organisation") for g in aggregates[key].values()),
    ]
    for stats in (s for group in groups for s in group.values()):
        assert all(stats["values"].get(stat) is None for stat in EXACT), stats
    assert all(gap["spread"] is None for gap in report["gaps"])
    for item in [*report["findings"], *report["strengths"]]:
        for evidence in item["evidence"]:
            if evidence["fact"].split("@")[0].rsplit(":", 1)[-1] in EXACT:
                assert evidence["value"] is None, evidence
                assert not re.search(r"(lowest|highest|middle) answer", evidence["text"]), evidence

    for fmt in ("md", "html"):
        text = _report(path, questionnaire, rulebase, fmt)
        assert not re.search(r"(lowest|highest) answer of", text), fmt
        assert not re.search(r"range -?\d", text), fmt
        assert not re.search(r"\d: [\d.]+( [a-z ]+)? \(\d+(\.\d+)?–", text), fmt  # the appendix's "5: 8 hours (2–18)"
        assert "points apart on the scale" not in text


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_no_mean_beside_the_counts_pins_a_small_side(path, questionnaire, rulebase) -> None:
    report = json.loads(_report(path, questionnaire, rulebase, "json"))
    aggregates = report["aggregates"]
    groups = {"everyone": aggregates["answers"]}
    for key in ("by_role", "by_organisation"):
        groups.update({f"{key}:{name}": g["answers"] for name, g in aggregates[key].items()})
    gaps = {gap["question"]: gap["rwg"] for gap in report["gaps"]}
    found = []
    for name, answers in groups.items():
        for qid, stats in answers.items():
            if stats.get("withheld") or "rwg" not in stats["values"] or not stats["count"]:
                continue  # only scale questions have an agree/disagree split
            mean, rwg, places = stats["values"].get("mean"), stats["values"].get("rwg"), 6
            if name == "everyone" and rwg is None and gaps.get(qid) is not None:
                rwg, places = gaps[qid], 3  # the gaps give rwg to three decimals
            sides = pinned(stats["count"], stats["agree"], stats["disagree"], mean, rwg, places)
            found += [(name, qid, side) for side in sides]
    assert found == []


def test_the_attack_finds_the_demos_lead_when_every_answer_is_shown(questionnaire, rulebase) -> None:
    """At a smallest group of 1 (the lead's choice), the demo's mean and counts pin the one who agrees."""
    path = next(p for p in EXAMPLES if p.name == "riverside.yaml")
    report = json.loads(_report(path, questionnaire, rulebase, "json", min_group=1))
    found = [
        qid
        for qid, s in report["aggregates"]["answers"].items()
        if s["values"].get("mean") is not None
        and "rwg" in s["values"]
        and pinned(s["count"], s["agree"], s["disagree"], float(s["values"]["mean"]), s["values"].get("rwg"))
    ]
    assert "authority.decisions_shared" in found


def test_the_evidence_still_says_in_words_what_the_answers_show(questionnaire, rulebase) -> None:
    path = next(p for p in EXAMPLES if p.name == "quiet-partner.yaml")
    text = _report(path, questionnaire, rulebase, "md")
    assert "At least one of the partners answered “My organisation intends to stay" in text
    assert "with 2 or lower: 1 of 5 disagree, 4 agree." in text


def test_a_report_too_few_answered_says_results_are_held_back(questionnaire, rulebase) -> None:
    path = next(p for p in EXAMPLES if p.name == "one-respondent.yaml")
    for fmt in ("md", "html"):
        text = " ".join(_report(path, questionnaire, rulebase, fmt).split())
        assert "Results are held back until at least 3 people have answered" in text, fmt
        assert "No failure mode was diagnosed" not in text and "Nothing to do" not in text, fmt
        assert "No success factor" not in text, fmt


def _options(stats: dict) -> dict[tuple[int, int], int]:
    """(how many agreeing answered 5, how many disagreeing answered 1) -> the sum of the answers."""
    agree, disagree = stats["agree"], stats["disagree"]
    neither = stats["count"] - agree - disagree
    return {
        (high, low): 5 * high + 4 * (agree - high) + 3 * neither + low + 2 * (disagree - low)
        for high in range(agree + 1)
        for low in range(disagree + 1)
    }


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_no_mean_left_out_of_one_group_comes_back_by_subtraction(path, questionnaire, rulebase) -> None:
    """A breakdown's groups add up to everyone: a mean left out of one group only would be everyone's minus
    the others'."""
    report = json.loads(_report(path, questionnaire, rulebase, "json"))
    aggregates = report["aggregates"]
    groups = [
        aggregates["answers"],
        *(g["answers"] for k in ("by_role", "by_organisation") for g in aggregates[k].values()),
    ]
    for qid, question in questionnaire.questions.items():
        if question.type == "scale":
            shown = {g[qid]["values"].get("mean") is None for g in groups if qid in g and g[qid]["count"]}
            assert len(shown) <= 1, f"{qid}: a mean left out of one group only"


_SCORE_AT_THE_EDGE = pytest.mark.xfail(
    strict=True,
    reason="known leak, not yet closed: a section score at the edge of what its counts allow pins them all "
    "(riverside's culture: 65 is only reached with every agreeing answer 4 and every disagreeing one 2)",
)
"""The examples where it still leaks: strict, so closing the leak turns these into failures to remove."""
_LEAKING = {"eight-partners.yaml", "riverside.yaml", "riverside-2027.yaml"}


@pytest.mark.parametrize(
    "path",
    [pytest.param(p, marks=_SCORE_AT_THE_EDGE) if p.name in _LEAKING else p for p in EXAMPLES],
    ids=[p.name for p in EXAMPLES],
)
def test_no_mean_left_out_comes_back_from_the_section_score(path, questionnaire, rulebase) -> None:
    """A section's score is the mean of its answers: an attacker subtracts the means shown and tries every
    assignment of those left out that gives the score."""
    report = json.loads(_report(path, questionnaire, rulebase, "json"))
    everyone, found = report["aggregates"]["answers"], []
    for section in questionnaire.sections:
        scale = [q for q in section.questions if q.type == "scale"]
        score = report["scores"].get(section.id)
        if score is None or any(everyone[q.id].get("withheld") for q in scale):
            continue  # answers not shown at all: an attacker does not know how many
        count, known, hidden = 0, 0.0, []
        for q in scale:
            stats = everyone[q.id]
            n, mean = stats["count"], stats["values"].get("mean")
            count += n
            if n and mean is None:
                hidden.append(q)
            elif n:
                known += (5 * n - mean * n) if q.reverse else (mean * n - n)
        if not hidden or len(hidden) > 4:
            continue
        choices = [list(_options(everyone[q.id]).items()) for q in hidden]
        fits = []
        for combo in itertools.product(*choices):
            points = sum(
                (5 * everyone[q.id]["count"] - total) if q.reverse else (total - everyone[q.id]["count"])
                for q, (_, total) in zip(hidden, combo, strict=True)
            )
            if round(100 * (known + points) / 4 / count) == score["score"]:
                fits.append([key for key, _ in combo])
        for n, q in enumerate(hidden):
            stats = everyone[q.id]
            if 0 < stats["agree"] < MIN_GROUP and len({fit[n][0] for fit in fits}) == 1:
                found.append((q.id, "agree"))
            if 0 < stats["disagree"] < MIN_GROUP and len({fit[n][1] for fit in fits}) == 1:
                found.append((q.id, "disagree"))
    assert found == []

"""No one's answer is shown by default: every example, every report format, attacked.

Two attacks on each report of each bundled example, at the default settings:

- **Searching**: for each group of one person (a role, an organisation, or the whole
  partnership when only one person answered) and for each question only 1 to
  ``min_group - 1`` people answered at all, the report is searched for their raw answers
  next to the question (and the group's name): a number, yes or no, a choice, a comment.
- **Solving**: an insider knows who is in which role and organisation, and their own
  answers; each figure the JSON report gives (a group's count and mean) is one equation.
  No other person's answer may be a combination of them.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import pytest

import partnership_health as ph
from partnership_health.cli import main
from partnership_health.models import DONT_KNOW

from .conftest import examples, tool
from .test_privacy import rank

MIN_GROUP = 3  # the smallest group the reports promise, unless the lead chooses otherwise (options.MIN_GROUP)
FORMATS = ("md", "html", "json", "csv", "pdf")


# --- what a report says, one unit of text at a time ------------------------------------


def units(report: str, fmt: str) -> list[str]:
    """The report cut into the pieces a reader takes in at once: a line, a table row, a list item, a JSON leaf."""
    if fmt == "json":
        return list(_leaves(json.loads(report), ""))
    if fmt == "html":
        report = re.sub(r"<(style|script)\b.*?</\1>", " ", report, flags=re.S)
        pieces = re.split(r"</tr>|</li>|</p>|<br>|</h\d>|</caption>|\n", report)
        return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", piece)).split()) for piece in pieces]
    return [" ".join(line.split()) for line in report.splitlines()]


def _leaves(data: object, path: str) -> Iterator[str]:
    """Each value with the path to it; an evidence item (or any object with a 'fact') as one unit."""
    if isinstance(data, dict):
        if "fact" in data:
            yield " ".join(f"{key}={value}" for key, value in data.items())
            return
        for key, value in data.items():
            yield from _leaves(value, f"{path}.{key}")
    elif isinstance(data, list):
        for value in data:
            yield from _leaves(value, path)
    elif not path.endswith(COUNTS):  # how many answered: see test_every_figure_in_the_json_rests_on_enough_people
        yield f"{path} {data}"


COUNTS = (".count", ".agree", ".disagree", ".neutral", ".dont_know", ".respondents", ".organisations")


def says(unit: str, question: ph.Question, label: str, answer: object) -> bool:
    """Whether ``unit`` puts ``answer`` beside ``question`` (and beside ``label``, when one is given)."""
    text = " ".join(question.text.split())
    if text in unit:
        rest = unit.replace(text, " ")
    elif question.id in unit:
        rest = unit.replace(question.id, " ")
    else:
        return False
    if label and not re.search(rf"\b{re.escape(label)}\b", rest, re.I):
        return False
    if isinstance(answer, bool) or answer in ("yes", "no"):
        return bool(re.search(rf"\b{'yes' if answer in (True, 'yes') else 'no'}\b", rest, re.I))
    if isinstance(answer, (int, float)):
        numbers = re.findall(r"(?<![\w.])-?\d+(?:\.\d+)?(?![\w.])", rest)
        return any(float(n) == float(answer) for n in numbers)
    words = {str(answer), *(c.label for c in question.choices if c.id == answer)}
    return any(word and word in rest for word in words)


def secrets(answers: ph.Answers, questionnaire: ph.Questionnaire) -> list[tuple[str, ph.Question, object]]:
    """(label, question, answer) a report must not show: each one-person group's answers, labelled with its
    name ('' for the whole partnership), and the answers to a question fewer than MIN_GROUP people answered."""
    found = []
    people = answers.respondents
    groups: dict[str, list[ph.Respondent]] = {}
    for person in people:
        groups.setdefault(person.role, []).append(person)
        groups.setdefault(person.organisation.strip(), []).append(person)
    if len(people) == 1:
        groups[""] = list(people)
    for label, members in groups.items():
        if len(members) == 1:
            for qid, value in members[0].answers.items():
                # Free text is shown over everyone only, never beside a group's name: see below.
                if (
                    value != DONT_KNOW
                    and qid in questionnaire.questions
                    and questionnaire.questions[qid].type != "text"
                ):
                    found.append((label, questionnaire.questions[qid], value))
    for qid, question in questionnaire.questions.items():
        given = [p.answers[qid] for p in people if p.answers.get(qid, DONT_KNOW) != DONT_KNOW]
        if 0 < len(given) < MIN_GROUP:
            found += [("", question, value) for value in given]
            numbers = [v for v in given if isinstance(v, (int, float)) and not isinstance(v, bool)]
            if len(numbers) > 1:
                found.append(("", question, sum(numbers) / len(numbers)))
    return found


def leaks(
    answers: ph.Answers, questionnaire: ph.Questionnaire, rulebase: ph.RuleBase, report: str, fmt: str
) -> list[str]:
    """Each piece of ``report`` that shows a secret (see :func:`secrets`), with the secret.

    The rule base's own words (the judgement thresholds the appendix lists, rule ids) are not answers: they are
    left out.
    """
    pieces = units(report, fmt)
    for judgement in rulebase.judgements:
        pieces = [piece.replace(judgement.reason, " ").replace(judgement.fact, " ") for piece in pieces]
    for rule in rulebase.rules:  # a rule id (`power.lead-core-gap`) names a role, not an answer
        pieces = [piece.replace(rule.id, " ") for piece in pieces]
    found = []
    for label, question, answer in secrets(answers, questionnaire):
        if question.type == "text":
            found += [f"{question.id}: {answer!r}" for piece in pieces if str(answer) in piece]
            continue
        for piece in pieces:
            if says(piece, question, label, answer):
                found.append(f"{label or 'everyone'} {question.id}={answer!r}: {piece[:160]}")
    return found


def reports(path: Path, questionnaire: ph.Questionnaire, rulebase: ph.RuleBase, tmp_path: Path) -> dict[str, str]:
    """Every format of the report of the example at ``path``, at the default settings (the PDF as its text)."""
    assessment = ph.assess(ph.load_answers(path, questionnaire), questionnaire, rulebase)
    made = {fmt: str(ph.render(assessment, questionnaire, fmt)) for fmt in FORMATS if fmt != "pdf"}
    pdf = tmp_path / f"{path.stem}.pdf"
    assert main(["assess", str(path), "--format", "pdf", "--output", str(pdf)]) == 0
    made["pdf"] = subprocess.run(
        [tool("pdftotext"), "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return made


EXAMPLES = examples()


def test_the_default_smallest_group_is_the_one_promised() -> None:
    assert ph.AssessOptions().min_group == MIN_GROUP


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_no_report_of_an_example_shows_one_persons_answers(path, questionnaire, rulebase, tmp_path) -> None:
    answers = ph.load_answers(path, questionnaire)
    assert secrets(answers, questionnaire), "every example has a group of one to protect"

    for fmt, report in reports(path, questionnaire, rulebase, tmp_path).items():
        assert leaks(answers, questionnaire, rulebase, report, fmt) == [], fmt


def test_the_search_finds_one_persons_answers_when_the_lead_chooses_to_show_them(questionnaire, rulebase) -> None:
    path = next(p for p in EXAMPLES if p.name == "power-imbalance.yaml")
    answers = ph.load_answers(path, questionnaire)
    shown = ph.assess(answers, questionnaire, rulebase, ph.AssessOptions(min_group=1))

    for fmt in ("md", "html", "json"):
        found = leaks(answers, questionnaire, rulebase, str(ph.render(shown, questionnaire, fmt)), fmt)
        assert any(f.startswith("lead authority.decisions_shared=5") for f in found), fmt


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_every_figure_in_the_json_rests_on_enough_people(path, questionnaire, rulebase) -> None:
    answers = ph.load_answers(path, questionnaire)
    report = json.loads(str(ph.render(ph.assess(answers, questionnaire, rulebase), questionnaire, "json")))
    aggregates = report["aggregates"]

    groups = [*aggregates["by_role"].values(), *aggregates["by_organisation"].values()]
    assert all(group["respondents"] >= MIN_GROUP for group in groups)
    for stats in [*aggregates["answers"].values(), *(s for g in groups for s in g["answers"].values())]:
        if not stats.get("withheld"):  # a mean of two answers is the other's answer to either of the two
            assert stats["count"] == 0 or stats["count"] >= MIN_GROUP, stats
    assert all(len(gap["by_role"]) != 1 for gap in report["gaps"])


# --- solving for a person's answer from the figures shown ------------------------------


def solvable(answers: ph.Answers, report: dict) -> list[tuple[str, str, str]]:
    """(question, insider, person): answers an insider can work out from the JSON report's figures.

    Each group the report shows a count and a mean of (everyone, each role and
    organisation shown, 'others') gives the sum of its members' answers; the insider adds
    their own answer. A person's answer is solved when their indicator is a linear
    combination of those rows.
    """
    aggregates = report["aggregates"]
    found = []
    for qid, stats in aggregates["answers"].items():
        answered = [
            r
            for r in answers.respondents
            if isinstance(r.answers.get(qid), (int, float)) and r.answers[qid] is not True
        ]
        if not answered:
            continue
        rows = []
        if stats["values"].get("mean") is not None:
            rows.append([Fraction(1)] * len(answered))
        for breakdown, key in (("by_role", lambda r: r.role), ("by_organisation", lambda r: r.organisation.strip())):
            named = set(aggregates[breakdown]) - {"others"}
            for name, group in aggregates[breakdown].items():
                shown = group["answers"].get(qid)
                if shown and shown["values"].get("mean") is not None:
                    members = [(key(r) == name) if name != "others" else (key(r) not in named) for r in answered]
                    rows.append([Fraction(int(m)) for m in members])
        for i, insider in enumerate(answered):
            known = [*rows, [Fraction(int(n == i)) for n in range(len(answered))]]
            for n, person in enumerate(answered):
                alone = [Fraction(int(m == n)) for m in range(len(answered))]
                if n != i and rows and rank([*known, alone]) == rank(known):
                    found.append((qid, insider.id, person.id))
    return found


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_no_insider_can_solve_for_another_persons_answer_in_an_example(path, questionnaire, rulebase) -> None:
    answers = ph.load_answers(path, questionnaire)
    report = json.loads(str(ph.render(ph.assess(answers, questionnaire, rulebase), questionnaire, "json")))

    assert solvable(answers, report) == []


def test_an_insider_solves_for_the_lead_when_every_group_is_shown(questionnaire, rulebase) -> None:
    path = next(p for p in EXAMPLES if p.name == "power-imbalance.yaml")
    answers = ph.load_answers(path, questionnaire)
    shown = ph.assess(answers, questionnaire, rulebase, ph.AssessOptions(min_group=1))
    report = json.loads(str(ph.render(shown, questionnaire, "json")))

    lead = next(r.id for r in answers.respondents if r.role == "lead")
    assert any(person == lead for _, _, person in solvable(answers, report))

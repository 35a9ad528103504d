"""The floor: the same decisions as ``ph.assess``, in one lean pass of plain Python.

It reads the answers once, computes exactly the facts the compiled rule base tests
(plain floats, no models), and evaluates the compiled branches with plain comparisons
(``tests/oracle.py``). No durable-rules, no report aggregates, no explanations: the
least work that decides which rules and strengths fire. The benchmark divides the
engine's time by this one's.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Collection, Mapping
from typing import Any

from partnership_health.core.compiler import CompiledRuleBase
from partnership_health.models import ROLES, Answers, Questionnaire, RuleBase, RulebaseSettings
from tests.oracle import evaluate

SKIP = "dont_know"


def parse_keys(needed: Collection[str]) -> list[tuple[str, str, str, str]]:
    """``question:stat@group`` and ``score:section`` keys as (key, kind or question, stat, group)."""
    parsed = []
    for key in needed:
        head, _, rest = key.partition(":")
        if head == "score":
            parsed.append((key, "score", rest, ""))
        elif head != "fact":
            stat, _, group = rest.partition("@")
            parsed.append((key, head, stat, group))
    return parsed


Keys = list[tuple[str, str, str, str]]


def plain_facts(
    answers: Answers, questionnaire: Questionnaire, keys: Keys, settings: RulebaseSettings
) -> dict[str, Any]:
    questions = questionnaire.questions
    wanted = {question for _, question, _, _ in keys if question not in ("score", "type")}
    kind = settings.partnership_type.question if settings.partnership_type else None
    wanted |= {kind} if kind else set()
    groups_of = {
        role: [g for g in {group for *_, group in keys if "+" in group} if role in g.split("+")] for role in ROLES
    }
    values: dict[tuple[str, str], list[Any]] = {}
    points: dict[str, list[float]] = {}
    section_of = {q.id: s.id for s in questionnaire.sections for q in s.questions}
    for respondent in answers.respondents:
        for qid, value in respondent.answers.items():
            if value == SKIP:
                continue
            question = questions[qid]
            if question.type == "scale" and not isinstance(value, bool):
                points.setdefault(section_of[qid], []).append((5 - value if question.reverse else value - 1) / 4)
            if qid in wanted:
                for group in ("", respondent.role, *groups_of[respondent.role]):
                    values.setdefault((qid, group), []).append(value)
    facts: dict[str, Any] = {}
    for key, question, stat, group in keys:
        if question == "score":
            if stat in points:
                facts[key] = round(100 * statistics.fmean(points[stat]))
            continue
        if question == "type":
            chosen = set(values.get((kind, "lead"), [])) | set(values.get((kind, "core"), [])) if kind else set()
            facts[key] = chosen.pop() if len(chosen) == 1 else "none"
            continue
        if stat == "gap":
            first, _, second = group.partition("-")
            a, b = values.get((question, first)), values.get((question, second))
            if a and b:
                facts[key] = statistics.fmean(a) - statistics.fmean(b)
            continue
        found = values.get((question, group), [])
        if stat == "count":
            facts[key] = len(found)
        elif stat == "disputed":
            if found:
                gaps = settings.gaps
                split = min(sum(v >= 4 for v in found), sum(v <= 2 for v in found)) / len(found)
                members = group.split("+") if group else ROLES
                means = [statistics.fmean(v) for r in members if (v := values.get((question, r)))]
                facts[key] = split >= gaps.share or (bool(means) and min(means) <= gaps.low and max(means) >= gaps.high)
        elif found:
            value = _stat(stat, found, questions[question].choice_ids)
            if value is not None:
                facts[key] = value
    return facts


def _stat(stat: str, found: list[Any], choices: tuple[str, ...]) -> Any:
    if stat == "mean":
        return statistics.fmean(found)
    if stat == "median":
        return float(statistics.median(found))
    if stat == "min":
        return float(min(found))
    if stat == "max":
        return float(max(found))
    if stat == "spread":
        return float(max(found) - min(found))
    if stat == "share":
        return sum(v is True for v in found) / len(found)
    counts = Counter(found)
    if stat == "distinct":
        return len(counts)
    if stat == "mode":
        top = max(counts.values())
        return next(choice for choice in choices if counts[choice] == top)
    return None


def decide(
    answers: Answers, questionnaire: Questionnaire, rulebase: RuleBase, compiled: CompiledRuleBase, keys: Keys
) -> tuple[frozenset[str], Mapping[str, Any]]:
    """The ids of the rules and strengths that fire, and the facts they were decided on."""
    facts = plain_facts(answers, questionnaire, keys, rulebase.settings)
    fired = evaluate(compiled.branches, facts)
    return frozenset(compiled.branches[firing.branch].rule_id for firing in fired), facts

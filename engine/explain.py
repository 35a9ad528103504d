"""Firings -> findings: each with the evidence that made it fire and its remedies."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any

from .compiler import CompiledRuleBase
from .models import SEVERITY_RANK, Evidence, Finding, Question, Questionnaire, QuestionStats, RuleBase, StrengthFound
from .runner import Firing


def explain(
    firings: Iterable[Firing],
    compiled: CompiledRuleBase,
    rulebase: RuleBase,
    questionnaire: Questionnaire,
    hidden: Collection[str] = (),
    groups: Mapping[str, Mapping[str, QuestionStats]] | None = None,
) -> tuple[tuple[Finding, ...], tuple[StrengthFound, ...]]:
    """The findings (most severe first, then in rule-base order) and the strengths shown.

    Evidence about a role in ``hidden`` (a group too small to show) keeps its comparison
    but not its value. ``groups`` (``""`` for everyone, else a role -> question id ->
    aggregates) lets the plain-words evidence say how many agreed and disagreed.
    """
    firings = list(firings)

    def evidence(kind: str, rule_id: str) -> tuple[Evidence, ...]:
        return _evidence(fired[kind][rule_id], compiled, questionnaire, hidden, groups or {})

    fired = {kind: _by_rule(firings, compiled, kind) for kind in ("rule", "strength")}
    found = [
        Finding(
            id=rule.id,
            title=rule.title,
            failure_mode=rule.failure_mode,
            severity=rule.severity,
            explanation=rule.explanation.strip(),
            evidence=evidence("rule", rule.id),
            remedies=tuple(rulebase.remedy[remedy] for remedy in rule.remedies),
            prompts=tuple(rule.prompts),
        )
        for rule in rulebase.rules
        if rule.id in fired["rule"]
    ]
    order = {rule.id: n for n, rule in enumerate(rulebase.rules)}
    shown = tuple(
        StrengthFound(
            id=strength.id,
            title=strength.title,
            factor=strength.factor,
            explanation=strength.explanation.strip(),
            evidence=evidence("strength", strength.id),
            source=strength.source,
        )
        for strength in rulebase.strengths
        if strength.id in fired["strength"]
    )
    return tuple(sorted(found, key=lambda f: (SEVERITY_RANK[f.severity], order[f.id]))), shown


def _by_rule(firings: Iterable[Firing], compiled: CompiledRuleBase, kind: str) -> dict[str, list[Firing]]:
    fired: dict[str, list[Firing]] = {}
    for firing in sorted(firings, key=lambda f: f.branch):
        branch = compiled.branches[firing.branch]
        if branch.kind == kind:
            fired.setdefault(branch.rule_id, []).append(firing)
    return fired


def _evidence(
    fired: list[Firing],
    compiled: CompiledRuleBase,
    questionnaire: Questionnaire,
    hidden: Collection[str],
    groups: Mapping[str, Mapping[str, QuestionStats]],
) -> tuple[Evidence, ...]:
    """Every comparison that held, once each, in plain words too."""
    evidence: dict[tuple[str, str, str], Evidence] = {}
    for firing in fired:
        matched = dict(firing.matched)
        for test in compiled.branches[firing.branch].tests:
            op, threshold = ("==", True) if test.op == "present" else (test.op, test.value)
            item = Evidence(fact=test.key, value=matched[test.key], op=op, threshold=threshold)
            group = test.key.partition("@")[2]
            if group and set(group.split("-")) & set(hidden):
                text = (
                    f"A group too small to show answered this (the rule looks for {_OP_WORDS[op]} {shown(threshold)})."
                )
                item = item.model_copy(update={"value": None, "text": text})
            else:
                stats = groups.get(group, {}).get(test.key.partition(":")[0])
                item = item.model_copy(update={"text": describe(item, questionnaire, stats)})
            evidence.setdefault((test.key, op, repr(threshold)), item)
    return tuple(evidence.values())


_OP_WORDS = {
    "<": "below",
    "<=": "at or below",
    ">": "above",
    ">=": "at or above",
    "==": "exactly",
    "!=": "anything but",
    "in": "one of",
    "not in": "none of",
}
_ROLE_WORDS = {None: "partners", "lead": "the lead partner", "core": "core partners", "wider": "wider partners"}


def describe(evidence: Evidence, questionnaire: Questionnaire, stats: QuestionStats | None = None) -> str:
    """One evidence item in words a facilitator can say aloud.

    With the group's ``stats``, an average of agreement answers also says how many
    agreed and disagreed ("3 of 4 partners disagree").
    """
    key, value = evidence.fact, evidence.value
    threshold = shown(evidence.threshold)
    if key.partition(":")[2].startswith("share"):
        threshold = f"{round(100 * float(evidence.threshold))}%"
    looked_for = f"the rule looks for {_OP_WORDS.get(evidence.op, evidence.op)} {threshold}"
    if key.startswith("fact:"):
        return f"An earlier finding established: {key[5:].replace('_', ' ')}."
    if key.startswith("score:"):
        return f"The {key[6:]} score is {value} out of 100 ({looked_for})."
    question_id, _, rest = key.partition(":")
    stat, _, role = rest.partition("@")
    question = questionnaire.questions.get(question_id)
    text = f"“{question.text.strip()}”" if question else question_id
    if stat == "gap":
        first, _, second = role.partition("-")
        direction = "higher" if float(value) >= 0 else "lower"
        return (
            f"On average, {_ROLE_WORDS[first]} answered {text} {shown(abs(float(value)))} points {direction} "
            f"than {_ROLE_WORDS[second]} ({looked_for})."
        )
    who = _ROLE_WORDS[role or None]
    if stat in ("mean", "median"):
        unit = ""
        if question and question.type == "scale":
            unit = " out of 5"
        elif question and question.unit:
            unit = f" {question.unit}"
        average = "On average" if stat == "mean" else "In the middle of the answers"
        counts = ""
        if stats and question and question.type == "scale" and stats.count > 1:
            counts = (
                f": {stats.disagree} of {stats.count} disagree, {stats.agree} agree{'s' if stats.agree == 1 else ''}"
            )
        return f"{average}, {who} answered {text} with {shown(value)}{unit}{counts} ({looked_for})."
    if stat in ("min", "max"):
        extreme = "lowest" if stat == "min" else "highest"
        return f"The {extreme} answer of {who} to {text} is {shown(value)} ({looked_for})."
    if stat == "spread":
        return f"Answers of {who} to {text} lie {shown(value)} points apart ({looked_for})."
    if stat == "share":
        return f"{round(100 * float(value))}% of {who} answered yes to {text} ({looked_for})."
    if stat == "distinct":
        return f"{who.capitalize()} chose {value} different answers to {text} ({looked_for})."
    if stat == "mode":
        label = _choice_label(question, value)
        return f"Most {who} chose “{label}” for {text}."
    if stat == "count":
        return f"{value} of {who} answered {text} ({looked_for})."
    return f"{key} is {shown(value)} ({looked_for})."


def shown(value: Any) -> str:
    """A value as a person reads it: 2.5, 3 (not 3.0), lists joined with commas."""
    if isinstance(value, float):
        return f"{value:.1f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    if isinstance(value, (list, tuple)):
        return ", ".join(shown(v) for v in value)
    return str(value)


def _choice_label(question: Question | None, value: Any) -> str:
    if question:
        for choice in question.choices:
            if choice.id == value:
                return choice.label
    return str(value)

"""Firings -> findings: each with the evidence that made it fire and its remedies."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from typing import Any, NamedTuple

from .compiler import CompiledRuleBase
from .models import (
    SEVERITY_RANK,
    Evidence,
    Finding,
    Question,
    Questionnaire,
    QuestionStats,
    Rule,
    RuleBase,
    Signal,
    StrengthFound,
)
from .runner import Firing


def explain(
    firings: Iterable[Firing],
    compiled: CompiledRuleBase,
    rulebase: RuleBase,
    questionnaire: Questionnaire,
    hidden: Collection[str] = (),
    groups: Mapping[str, Mapping[str, QuestionStats]] | None = None,
) -> tuple[tuple[Finding, ...], tuple[StrengthFound, ...]]:
    """One finding per failure mode diagnosed, ranked, and the strengths no finding contradicts.

    The rules of a failure mode that fired are the finding's signals: it takes the
    highest severity among them, the leading signal's title and explanation, every
    comparison that held (each fact once) and every remedy and prompt (each once).
    Findings are ranked by severity, then by how many signals and how many respondents
    support them, then in rule-base order.

    Evidence about a role in ``hidden`` (a group too small to show), or about a question
    and role hidden together (``question@role``), keeps its comparison but not its value.
    ``groups`` (``""`` for everyone, else a role -> question id -> aggregates) lets the
    plain-words evidence say how many agreed and disagreed.
    """
    groups = groups or {}
    fired = {kind: _by_rule(firings, compiled, kind) for kind in ("rule", "strength")}
    order = {rule.id: n for n, rule in enumerate(rulebase.rules)}
    # Which rules that fired established each derived fact, so evidence names what held.
    because: dict[str, list[str]] = {}
    for rule in rulebase.rules:
        if rule.id in fired["rule"]:
            for fact in rule.asserts:
                because.setdefault(f"fact:{fact}", []).append(rule.title)
    by_mode: dict[str, list[Rule]] = {}
    for rule in sorted(
        (rule for rule in rulebase.rules if rule.id in fired["rule"]),
        key=lambda rule: (SEVERITY_RANK[rule.severity], order[rule.id]),
    ):
        by_mode.setdefault(rule.failure_mode, []).append(rule)

    found = []
    for mode, rules in by_mode.items():
        lead = rules[0]
        items = [item for rule in rules for item in fired["rule"][rule.id]]
        evidence = _described(_compared(items, compiled), questionnaire, hidden, groups, because)
        found.append(
            Finding(
                id=lead.id,
                title=lead.title,
                failure_mode=mode,
                severity=lead.severity,
                explanation=lead.explanation.strip(),
                evidence=evidence,
                remedies=tuple(rulebase.remedy[r] for r in dict.fromkeys(r for rule in rules for r in rule.remedies)),
                prompts=tuple(dict.fromkeys(p for rule in rules for p in rule.prompts)),
                rules=tuple(rule.id for rule in rules),
                signals=tuple(Signal(rule=rule.id, title=rule.title, severity=rule.severity) for rule in rules),
                respondents=max((_respondents(e.fact, groups) for e in evidence), default=0),
            )
        )
    found.sort(key=lambda f: (SEVERITY_RANK[f.severity], -len(f.signals), -f.respondents, order[f.id]))

    modes = {finding.failure_mode for finding in found}
    questions = {_question_of(e.fact) for finding in found for e in finding.evidence} - {None}
    shown = []
    for strength in rulebase.strengths:
        if strength.id not in fired["strength"] or modes & set(strength.contradicts):
            continue
        compared = _compared(fired["strength"][strength.id], compiled)
        if questions & {_question_of(fact) for fact in compared}:
            continue  # the same answers cannot be a strength and a finding at once
        evidence = _described(compared, questionnaire, hidden, groups, because)
        shown.append(
            StrengthFound(
                id=strength.id,
                title=strength.title,
                factor=strength.factor,
                explanation=strength.explanation.strip(),
                evidence=evidence,
                source=strength.source,
            )
        )
    return tuple(found), tuple(shown)


def _by_rule(firings: Iterable[Firing], compiled: CompiledRuleBase, kind: str) -> dict[str, list[Firing]]:
    fired: dict[str, list[Firing]] = {}
    for firing in sorted(firings, key=lambda f: f.branch):
        branch = compiled.branches[firing.branch]
        if branch.kind == kind:
            fired.setdefault(branch.rule_id, []).append(firing)
    return fired


def _question_of(fact: str) -> str | None:
    """The question a fact key is about (None for a score or a derived fact)."""
    if fact.startswith(("score:", "fact:")):
        return None
    return fact.partition(":")[0]


def _respondents(fact: str, groups: Mapping[str, Mapping[str, QuestionStats]]) -> int:
    """How many respondents answered the question a fact is about, in the fact's group(s)."""
    question = _question_of(fact)
    if question is None:
        return 0
    group = fact.partition("@")[2]
    names = re.split(r"[-+]", group) if group and group not in groups else [group]
    return sum(stats.count for name in names if (stats := groups.get(name, {}).get(question)))


class Comparison(NamedTuple):
    """A comparison that held: what :class:`Evidence` says, before it is put into words."""

    fact: str
    value: Any
    op: str
    threshold: Any


def _compared(fired: list[Firing], compiled: CompiledRuleBase) -> dict[str, Comparison]:
    """Every comparison that held, each fact once.

    A fact shown for the roles separately is not shown again for everyone together
    (the same answers from two sides): a question's mean over everyone is left out
    when the evidence has that question's mean (or gap) for a role; a gap between two
    roles is left out when the evidence has both roles' means.
    """
    compared: dict[str, Comparison] = {}
    for firing in fired:
        matched = dict(firing.matched)
        for test in compiled.branches[firing.branch].tests:
            if test.guard or test.key in compared:
                continue
            op, threshold = ("==", True) if test.op == "present" else (test.op, test.value)
            compared[test.key] = Comparison(test.key, matched[test.key], op, threshold)
    sides: dict[str, list[tuple[str, str]]] = {}  # question -> the (stat, group) of each of its facts
    for key in compared:
        question, _, rest = key.partition(":")
        stat, _, group = rest.partition("@")
        sides.setdefault(question, []).append((stat, group))
    return {key: held for key, held in compared.items() if not _seen_from_another_side(key, sides)}


def _described(
    compared: Mapping[str, Comparison],
    questionnaire: Questionnaire,
    hidden: Collection[str],
    groups: Mapping[str, Mapping[str, QuestionStats]],
    because: Mapping[str, list[str]] | None = None,
) -> tuple[Evidence, ...]:
    """The comparisons as evidence, in plain words too.

    Evidence about a group too small to show keeps its comparison but not its value.
    """
    evidence = []
    for key, comparison in compared.items():
        _, value, op, threshold = comparison
        question, group = key.partition(":")[0], key.partition("@")[2]
        if group and any(role in hidden or f"{question}@{role}" in hidden for role in re.split(r"[-+]", group)):
            value = None
            text = f"A group too small to show answered this (the rule looks for {OP_WORDS[op]} {shown(threshold)})."
        elif key in (because or {}):
            titles = "; ".join(dict.fromkeys((because or {})[key]))
            text = f"An earlier finding established: {key[5:].replace('_', ' ')} ({titles})."
        else:
            text = describe(comparison, questionnaire, groups=groups)
        evidence.append(Evidence(fact=key, value=value, op=op, threshold=threshold, text=text))
    return tuple(evidence)


def _seen_from_another_side(key: str, sides: Mapping[str, list[tuple[str, str]]]) -> bool:
    """Whether the evidence shows ``key``'s answers from another side (``sides``: see :func:`_compared`)."""
    question, _, rest = key.partition(":")
    stat, _, group = rest.partition("@")
    if key.startswith(("score:", "fact:")) or not stat:
        return False
    others = sides.get(question, [])
    if not group:
        return any(g and (s == stat or (stat == "mean" and s == "gap")) for s, g in others)
    if stat == "gap" and "-" in group:
        means = {g for s, g in others if s == "mean" and g}
        return set(group.split("-")) <= means
    return False


OP_WORDS = {
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


def describe(
    evidence: Evidence | Comparison,
    questionnaire: Questionnaire,
    stats: QuestionStats | None = None,
    *,
    groups: Mapping[str, Mapping[str, QuestionStats]] | None = None,
) -> str:
    """One evidence item in words a facilitator can say aloud.

    With the aggregates of the fact's group (``stats``, or looked up in ``groups``), an
    average of agreement answers also says how many agreed and disagreed ("3 of 4
    partners disagree"), and a group of one person is not said to answer "on average".
    """
    key, value = evidence.fact, evidence.value
    threshold = shown(evidence.threshold)
    if key.partition(":")[2].startswith("share"):
        threshold = f"{round(100 * float(evidence.threshold))}%"
    looked_for = f"the rule looks for {OP_WORDS.get(evidence.op, evidence.op)} {threshold}"
    if key.startswith("fact:"):
        return f"An earlier finding established: {key[5:].replace('_', ' ')}."
    if key.startswith("score:"):
        return f"The {key[6:]} score is {shown(value)} out of 100 ({looked_for})."
    question_id, _, rest = key.partition(":")
    stat, _, role = rest.partition("@")
    question = questionnaire.questions.get(question_id)
    text = f"“{question.text.strip()}”" if question else question_id
    groups = groups or {}

    def count(group: str) -> int | None:
        found = groups.get(group, {}).get(question_id)
        return found.count if found else None

    if stats is None and role in groups:
        stats = groups[role].get(question_id)
    if stat == "gap" and "-" in role:
        first, _, second = role.partition("-")
        direction = "higher" if float(value) >= 0 else "lower"
        return (
            f"{_who(first, count(first), average=True).capitalize()} answered {text} {shown(abs(float(value)))} "
            f"points {direction} than {_who(second, count(second), average=True)} ({looked_for})."
        )
    people = stats.count if stats else None
    who = _who(role or None, people)
    if stat in ("mean", "median"):
        unit = ""
        if question and question.type == "scale":
            unit = " out of 5"
        elif question and question.unit:
            unit = f" {question.unit}"
        counts = ""
        if stats and question and question.type == "scale" and stats.count > 1:
            counts = (
                f": {stats.disagree} of {stats.count} disagree, {stats.agree} agree{'s' if stats.agree == 1 else ''}"
            )
        if people == 1:
            return f"{who.capitalize()} answered {text} with {shown(value)}{unit} ({looked_for})."
        average = "On average" if stat == "mean" else "In the middle of the answers"
        return f"{average}, {who} answered {text} with {shown(value)}{unit}{counts} ({looked_for})."
    if stat in ("min", "max"):
        if people == 1:
            return f"{who.capitalize()} answered {text} with {shown(value)} ({looked_for})."
        extreme = "lowest" if stat == "min" else "highest"
        return f"The {extreme} answer of {who} to {text} is {shown(value)} ({looked_for})."
    if stat == "disputed":
        counts = ""
        if stats and stats.count:
            counts = f": {stats.agree} of {stats.count} agree, {stats.disagree} disagree"
        if value is True:
            return f"{who.capitalize()} are split on {text}{counts}."
        return f"{who.capitalize()} are not split on {text}{counts}."
    if stat == "split":
        counts = f" ({stats.agree} agree, {stats.disagree} disagree of {stats.count})" if stats and stats.count else ""
        return (
            f"{round(100 * float(value))}% of {who} are on the smaller side of {text}{counts} "
            f"(the rule looks for {OP_WORDS.get(evidence.op, evidence.op)} {round(100 * float(evidence.threshold))}%)."
        )
    if stat == "spread":
        return f"Answers of {who} to {text} lie {shown(value)} points apart ({looked_for})."
    if stat == "share":
        if people == 1:
            answer = "yes" if float(value) >= 0.5 else "no"
            return f"{who.capitalize()} answered {answer} to {text} ({looked_for})."
        return f"{round(100 * float(value))}% of {who} answered yes to {text} ({looked_for})."
    if stat == "distinct":
        return f"{who.capitalize()} chose {shown(value)} different answers to {text} ({looked_for})."
    if stat == "mode":
        return _mode_words(question, value, who, text, stats)
    if stat == "count":
        return f"{shown(value)} of {who} answered {text} ({looked_for})."
    return f"{key} is {shown(value)} ({looked_for})."


_ONE = {
    None: "the one respondent",
    "lead": "the lead partner",
    "core": "the one core partner",
    "wider": "the one wider partner",
}


def _who(role: str | None, people: int | None, *, average: bool = False) -> str:
    """Who answered, in words: "core partners", or "the one core partner" for a group of one."""
    if people == 1:
        return _ONE.get(role, f"the one respondent of {_group_words(role)}")
    words = _group_words(role)
    return f"{words} on average" if average and role != "lead" else words


def _mode_words(question: Question | None, value: Any, who: str, text: str, stats: QuestionStats | None) -> str:
    """The most common choice, without calling a tie or a minority "most"."""
    label = _choice_label(question, value)
    if not stats or not stats.distribution:
        return f"The most common choice of {who} for {text} is “{label}”."
    total, top = stats.count, stats.distribution.get(str(value), 0)
    tied = [choice for choice, n in stats.distribution.items() if n == top]
    if total == 1:
        return f"{who.capitalize()} chose “{label}” for {text}."
    if len(tied) > 1:
        split = ", ".join(f"{n} chose “{_choice_label(question, c)}”" for c, n in stats.distribution.items())
        return f"{who.capitalize()} are split on {text}: {split}."
    if 2 * top > total:
        return f"Most {who} ({top} of {total}) chose “{label}” for {text}."
    return f"The most common choice of {who} for {text} is “{label}” ({top} of {total})."


def _group_words(group: str | None) -> str:
    """``lead+core`` -> "the lead and core partners"."""
    if group is None or "+" not in group:
        return _ROLE_WORDS.get(group, f"{group} respondents")
    names = [{"lead": "lead", "core": "core", "wider": "wider"}[role] for role in group.split("+")]
    return "the " + " and ".join(names) + " partners"


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

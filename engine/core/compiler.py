"""A checked rule base -> branches: conjunctions of simple tests, ready for a rule engine.

Each rule's condition tree is brought into disjunctive normal form with ``not`` pushed
down to the comparisons, so every branch is one conjunction of tests on named facts
(``question:stat@group``, ``score:section``, ``fact:derived``): no ``any``/``$or``
(which durable fires once per alternative) and no negation across facts (which depends
on the order facts arrive in). The runner lays the branches out in durable-rules'
format; nothing here imports durable, so the output can be inspected and tested.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from dataclasses import dataclass
from typing import Any, Literal

from ..models import (
    AllCondition,
    AnyCondition,
    AtLeastCondition,
    Condition,
    FactCondition,
    NotCondition,
    QuestionCondition,
    Questionnaire,
    RuleBase,
    ScoreCondition,
)
from .checks import NEGATED_OP, stat_of
from .facts import AGREED_TYPE, derived_key, fact_key, score_key


@dataclass(frozen=True)
class Test:
    """One comparison that must hold: ``key op value`` (``op`` 'present' for a derived fact).

    A ``guard`` is a rule's partnership-type condition: it must hold, but it is context,
    not evidence.
    """

    key: str
    op: str
    value: Any = None
    guard: bool = False


@dataclass(frozen=True)
class Branch:
    """One conjunction of a rule's (or a strength's) condition, compiled into one durable rule."""

    rule_id: str
    tests: tuple[Test, ...]
    asserts: tuple[str, ...]
    kind: Literal["rule", "strength"] = "rule"


@dataclass(frozen=True)
class CompiledRuleBase:
    """The branches of every rule and strength, named ``kind:rule_id#n``, and the fact keys they test."""

    name: str
    branches: dict[str, Branch]
    needed: frozenset[str]
    groups: frozenset[str] = frozenset()
    """Groups of several roles (``lead+core``) whose aggregates the rules compare."""


def compile_rulebase(rulebase: RuleBase, questionnaire: Questionnaire) -> CompiledRuleBase:
    """Compile every rule; the result is named by a hash of its content."""
    branches: dict[str, Branch] = {}
    sources = [(rule, rule.asserts, "rule") for rule in rulebase.rules]
    sources += [(strength, [], "strength") for strength in rulebase.strengths]
    for item, asserts, kind in sources:
        rule_id, guard = item.id, _guard(item.type, item.not_type)
        for n, tests in enumerate(_unique(dnf(item.when, questionnaire))):
            tests = (*tests, *guard)
            name = f"{kind}:{rule_id}#{n}"
            branches[name] = Branch(rule_id, tests, tuple(derived_key(fact) for fact in asserts), kind)  # type: ignore[arg-type]
    content = [[name, repr(branch)] for name, branch in branches.items()]
    digest = hashlib.sha256(json.dumps(content).encode()).hexdigest()[:16]
    needed = frozenset(test.key for branch in branches.values() for test in branch.tests if test.op != "present")
    groups = frozenset(group for key in needed if "+" in (group := key.partition("@")[2]))
    return CompiledRuleBase(f"ph_{digest}", branches, needed, groups)


def _guard(types: list[str] | None, not_types: list[str] | None) -> tuple[Test, ...]:
    """A rule's partnership-type condition, as tests on the agreed-type fact.

    The fact always exists (``none`` when the lead and core left the type unanswered or
    disagree), so ``type`` does not hold without an agreed type and ``not_type`` does.
    """
    guard = []
    if types:
        guard.append(Test(AGREED_TYPE, "in", tuple(types), guard=True))
    if not_types:
        guard.append(Test(AGREED_TYPE, "not in", tuple(not_types), guard=True))
    return tuple(guard)


def dnf(condition: Condition, questionnaire: Questionnaire, negated: bool = False) -> list[tuple[Test, ...]]:
    """The condition as a list of alternatives, each a conjunction of tests."""
    if isinstance(condition, (AllCondition, AnyCondition)):
        children = [
            dnf(c, questionnaire, negated)
            for c in (condition.all if isinstance(condition, AllCondition) else condition.any)
        ]
        conjoin = isinstance(condition, AllCondition) != negated  # De Morgan
        if conjoin:
            return [tuple(itertools.chain.from_iterable(parts)) for parts in itertools.product(*children)]
        return [alternative for child in children for alternative in child]
    if isinstance(condition, AtLeastCondition):
        # At least n of k hold; negated: at most n-1 hold, i.e. at least k-n+1 of them fail.
        children = [dnf(c, questionnaire, negated) for c in condition.of]
        size = len(children) - condition.at_least + 1 if negated else condition.at_least
        return [
            tuple(itertools.chain.from_iterable(parts))
            for chosen in itertools.combinations(children, size)
            for parts in itertools.product(*chosen)
        ]
    if isinstance(condition, NotCondition):
        return dnf(condition.negated, questionnaire, not negated)
    return [(_test(condition, questionnaire, negated),)]


def _test(
    leaf: QuestionCondition | ScoreCondition | FactCondition, questionnaire: Questionnaire, negated: bool
) -> Test:
    if isinstance(leaf, FactCondition):
        return Test(derived_key(leaf.fact), "present")
    op = NEGATED_OP[leaf.op] if negated else leaf.op
    if isinstance(leaf, ScoreCondition):
        return Test(score_key(leaf.score), op, leaf.value)
    if op in ("answered", "unanswered"):
        return Test(fact_key(leaf.question, "count", leaf.group), ">" if op == "answered" else "==", 0)
    stat = stat_of(questionnaire.questions[leaf.question], leaf)
    value = tuple(leaf.value) if isinstance(leaf.value, list) else leaf.value
    return Test(fact_key(leaf.question, stat, leaf.group), op, value)


def _unique(conjunctions: list[tuple[Test, ...]]) -> list[tuple[Test, ...]]:
    seen: dict[frozenset[Test], tuple[Test, ...]] = {}
    for tests in conjunctions:
        deduplicated = tuple(dict.fromkeys(tests))
        seen.setdefault(frozenset(deduplicated), deduplicated)
    return list(seen.values())

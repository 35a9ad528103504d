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
    PartnerCondition,
    QuestionCondition,
    Questionnaire,
    Rule,
    RuleBase,
    ScoreCondition,
    Strength,
)
from .checks import NEGATED_OP, stat_of

FactKind = Literal["question", "score", "fact", "type", "partners"]


def roles_in(group: str) -> tuple[str, ...]:
    """The roles of a group as fact keys and tallies name it (``lead+core``, ``lead-core``; empty: none)."""
    return tuple(group.replace("-", "+").split("+")) if group else ()


class FactKey(str):
    """The name of a fact a rule compares, taken apart once, when the rule base is compiled.

    The key is the name evidence shows (it is that string, so it serves as a dict key and
    prints as itself): ``question:stat`` or ``question:stat@group`` for an aggregate of a
    question's answers, ``score:section`` for a section score, ``fact:name`` for a derived
    fact, ``partners:signal`` for how many partner organisations show a signal and
    ``type:agreed`` for the partnership type the lead and core agree on. A
    ``group`` is one role (``core``), several roles joined by ``+`` (``lead+core``) or,
    for the stat ``gap``, the two roles compared, joined by ``-`` (``lead-core``).
    """

    kind: FactKind
    name: str
    """The question id, the section id, the derived fact's name, or ``agreed``."""
    stat: str
    """A question fact's stat (``mean``, ``share`` ...); empty for the other kinds."""
    group: str
    """Whose answers count: empty for everyone, else as in the key."""
    roles: tuple[str, ...]
    """The roles of ``group``, in the key's order (empty for everyone)."""

    def __new__(cls, text: str) -> FactKey:
        key = super().__new__(cls, text)
        head, _, rest = text.partition(":")
        if head in ("score", "fact", "type", "partners"):
            key.kind, key.name, key.stat, key.group = head, rest, "", ""  # type: ignore[assignment]
        else:
            key.kind, key.name = "question", head
            key.stat, _, key.group = rest.partition("@")
        key.roles = roles_in(key.group)
        return key

    @classmethod
    def of_question(cls, question_id: str, stat: str, group: str | None = None) -> FactKey:
        """``question:stat``, or ``question:stat@group``."""
        return cls(f"{question_id}:{stat}" + (f"@{group}" if group else ""))

    @classmethod
    def of_score(cls, section_id: str) -> FactKey:
        return cls(f"score:{section_id}")

    @classmethod
    def of_partners(cls, signal: str) -> FactKey:
        """``partners:signal``: how many partner organisations show ``signal``."""
        return cls(f"partners:{signal}")

    @classmethod
    def of_derived(cls, name: str) -> FactKey:
        return cls(f"fact:{name}")

    @property
    def question_id(self) -> str | None:
        """The question a fact is about (None for a score, a derived fact or the agreed type)."""
        return self.name if self.kind == "question" else None

    @property
    def pair(self) -> bool:
        """A gap between two roles (``lead-core``)."""
        return "-" in self.group


AGREED_TYPE = FactKey("type:agreed")
"""The partnership type every lead and core respondent who answered chose, or :data:`NO_AGREED_TYPE`."""
NO_AGREED_TYPE = "none"
"""The value of the agreed-type fact when the lead and core respondents left the type unanswered or disagree."""


@dataclass(frozen=True)
class Test:
    """One comparison that must hold: ``key op value`` (``op`` 'present' for a derived fact).

    A ``guard`` is a rule's partnership-type condition: it must hold, but it is context,
    not evidence.
    """

    key: FactKey
    op: str
    value: Any = None
    guard: bool = False


@dataclass(frozen=True)
class Branch:
    """One conjunction of a rule's (or a strength's) condition, compiled into one durable rule."""

    rule_id: str
    tests: tuple[Test, ...]
    asserts: tuple[FactKey, ...]
    kind: Literal["rule", "strength"] = "rule"


@dataclass(frozen=True)
class CompiledRuleBase:
    """The branches of every rule and strength, named ``kind:rule_id#n``, and the fact keys they test."""

    name: str
    branches: dict[str, Branch]
    needed: frozenset[FactKey]
    groups: frozenset[str] = frozenset()
    """Groups of several roles (``lead+core``) whose aggregates the rules compare."""


def compile_rulebase(rulebase: RuleBase, questionnaire: Questionnaire) -> CompiledRuleBase:
    """Compile every rule; the result is named by a hash of its content."""
    branches: dict[str, Branch] = {}
    sources: list[tuple[Rule | Strength, list[str], str]] = [(rule, rule.asserts, "rule") for rule in rulebase.rules]
    sources += [(strength, [], "strength") for strength in rulebase.strengths]
    for item, asserts, kind in sources:
        rule_id, guard = item.id, _guard(item.type, item.not_type)
        for n, tests in enumerate(_unique(dnf(item.when, questionnaire))):
            tests = (*tests, *guard)
            name = f"{kind}:{rule_id}#{n}"
            branches[name] = Branch(rule_id, tests, tuple(FactKey.of_derived(fact) for fact in asserts), kind)  # type: ignore[arg-type]
    content = [[name, repr(branch)] for name, branch in branches.items()]
    digest = hashlib.sha256(json.dumps(content).encode()).hexdigest()[:16]
    needed = frozenset(test.key for branch in branches.values() for test in branch.tests if test.op != "present")
    groups = frozenset(key.group for key in needed if "+" in key.group)
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
    leaf: QuestionCondition | ScoreCondition | PartnerCondition | FactCondition,
    questionnaire: Questionnaire,
    negated: bool,
) -> Test:
    if isinstance(leaf, FactCondition):
        return Test(FactKey.of_derived(leaf.fact), "present")
    op = NEGATED_OP[leaf.op] if negated else leaf.op
    if isinstance(leaf, ScoreCondition):
        return Test(FactKey.of_score(leaf.score), op, leaf.value)
    if isinstance(leaf, PartnerCondition):
        return Test(FactKey.of_partners(leaf.partners), op, leaf.value)
    if op in ("answered", "unanswered"):
        return Test(FactKey.of_question(leaf.question, "count", leaf.group), ">" if op == "answered" else "==", 0)
    stat = stat_of(questionnaire.questions[leaf.question], leaf)
    value = tuple(leaf.value) if isinstance(leaf.value, list) else leaf.value
    return Test(FactKey.of_question(leaf.question, stat, leaf.group), op, value)


def _unique(conjunctions: list[tuple[Test, ...]]) -> list[tuple[Test, ...]]:
    seen: dict[frozenset[Test], tuple[Test, ...]] = {}
    for tests in conjunctions:
        deduplicated = tuple(dict.fromkeys(tests))
        seen.setdefault(frozenset(deduplicated), deduplicated)
    return list(seen.values())

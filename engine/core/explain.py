"""Firings -> findings: each with the evidence that made it fire and its remedies."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Collection, Iterable, Mapping
from functools import cached_property, lru_cache
from typing import Any, NamedTuple

from ..models import (
    DONT_KNOW,
    SEVERITY_RANK,
    AnswerValue,
    Evidence,
    Finding,
    Question,
    Questionnaire,
    QuestionStats,
    Remedy,
    Rule,
    RuleBase,
    Signal,
    StrengthFound,
)
from .compiler import CompiledRuleBase
from .facts import GroupStats
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
    plain-words evidence say how many agreed and disagreed; of a group the tally holds
    (:class:`~partnership_health.core.facts.GroupStats`), only the counts are taken from its answers,
    without building its aggregates.
    """
    plan = _plan(compiled, rulebase, questionnaire)
    stats = _Lookup(groups or {}, questionnaire)
    hidden = frozenset(hidden)
    fired: dict[str, dict[str, list[Firing]]] = {"rule": {}, "strength": {}}
    for firing in sorted(firings, key=_branch_of):
        branch = plan.branches[firing.branch]
        fired[branch.kind].setdefault(branch.rule_id, []).append(firing)
    fired_rules, fired_strengths = fired["rule"], fired["strength"]
    # Which rules that fired established each derived fact, so evidence names what held.
    because: dict[str, list[str]] = {}
    if plan.asserting.keys() & fired_rules.keys():
        for rule_id in sorted(fired_rules, key=plan.order.__getitem__):
            for fact, title in plan.asserting.get(rule_id, ()):
                because.setdefault(fact, []).append(title)
    by_mode: dict[str, list[Rule]] = {}
    for rule_id in sorted(fired_rules, key=plan.rank.__getitem__):
        rule = plan.rule[rule_id]
        by_mode.setdefault(rule.failure_mode, []).append(rule)

    ranks = []
    questions: set[str | None] = set()  # the questions the findings' evidence is about
    for mode, rules in by_mode.items():
        lead = rules[0]
        if len(rules) == 1:
            compared = _compared(fired_rules[lead.id], plan)
            remedies, prompts, ids, signals = plan.alone(lead)
        else:
            compared = _compared([item for rule in rules for item in fired_rules[rule.id]], plan)
            remedies = tuple(rulebase.remedy[r] for r in dict.fromkeys(r for rule in rules for r in rule.remedies))
            prompts = tuple(dict.fromkeys(p for rule in rules for p in rule.prompts))
            ids = tuple(rule.id for rule in rules)
            signals = tuple(plan.signal[rule.id] for rule in rules)
        respondents = 0
        for test, _ in compared.values():
            fact = test.fact
            questions.add(fact.question_id)
            if fact.question_id is not None:
                respondents = max(respondents, _respondents(fact, stats))
        finding = Finding.model_validate(
            {
                "id": lead.id,
                "title": lead.title,
                "failure_mode": mode,
                "severity": lead.severity,
                "explanation": plan.explanation[lead.id],
                "evidence": _described(compared, hidden, stats, because),
                "remedies": remedies,
                "prompts": prompts,
                "rules": ids,
                "signals": signals,
                "respondents": respondents,
            },
        )
        ranks.append(((SEVERITY_RANK[lead.severity], -len(rules), -respondents, plan.order[lead.id]), finding))
    ranks.sort(key=_first)
    found = tuple(finding for _, finding in ranks)

    modes = set(by_mode)
    questions.discard(None)
    shown = []
    for strength in plan.strengths:
        if strength.id not in fired_strengths or modes & plan.contradicts[strength.id]:
            continue
        compared = _compared(fired_strengths[strength.id], plan)
        if questions and any(test.fact.question_id in questions for test, _ in compared.values()):
            continue  # the same answers cannot be a strength and a finding at once
        shown.append(
            StrengthFound.model_validate(
                {
                    "id": strength.id,
                    "title": strength.title,
                    "factor": strength.factor,
                    "explanation": plan.strength_explanation[strength.id],
                    "evidence": _described(compared, hidden, stats, because),
                    "source": strength.source,
                },
            )
        )
    return found, tuple(shown)


def _branch_of(firing: Firing) -> str:
    return firing.branch


def _first(pair: tuple[Any, Any]) -> Any:
    return pair[0]


def _question_of(fact: str) -> str | None:
    """The question a fact key is about (None for a score or a derived fact)."""
    if fact.startswith(("score:", "fact:")):
        return None
    return fact.partition(":")[0]


class _Fact(NamedTuple):
    """A fact key taken apart once per rule base: ``question:stat@group``."""

    key: str
    head: str  # before the first ":": a question id, "score" or "fact"
    stat: str
    group: str
    names: tuple[str, ...]  # the roles of ``group`` ("lead-core", "lead+core")
    question_id: str | None  # see _question_of
    question: Question | None
    text: str  # the question's text in quotes, else its id
    derived: bool  # fact:...
    score: bool  # score:...
    scale: bool  # about a scale question
    unit: str  # after a mean or median: " out of 5", " hours"


def _fact(key: str, questionnaire: Questionnaire) -> _Fact:
    head, _, rest = key.partition(":")
    stat, _, group = rest.partition("@")
    question = questionnaire.questions.get(head)
    return _Fact(
        key,
        head,
        stat,
        group,
        tuple(re.split(r"[-+]", group)) if group else (),
        _question_of(key),
        question,
        f"“{question.text.strip()}”" if question else head,
        key.startswith("fact:"),
        key.startswith("score:"),
        bool(question and question.type == "scale"),
        _unit(question),
    )


def _unit(question: Question | None) -> str:
    """What follows an average of a question's answers: " out of 5" on a scale, else its unit."""
    if question and question.type == "scale":
        return " out of 5"
    return f" {question.unit}" if question and question.unit else ""


class _Test:
    """One comparison of a branch, as its evidence shows it (a derived fact is ``== True``)."""

    def __init__(self, fact: _Fact, op: str, threshold: Any) -> None:
        self.fact, self.op, self.threshold = fact, op, threshold

    @cached_property
    def looked_for(self) -> str:
        threshold = shown(self.threshold)
        if self.fact.key.partition(":")[2].startswith("share"):
            threshold = f"{round(100 * float(self.threshold))}%"
        return f"the rule looks for {OP_WORDS.get(self.op, self.op)} {threshold}"

    @cached_property
    def hidden_words(self) -> str:
        return (
            f"A group too small to show answered this (the rule looks for {OP_WORDS[self.op]} {shown(self.threshold)})."
        )


_Held = tuple[_Test, Any]  # a comparison that held, with the value it held for


class _Plan:
    """What putting firings into words needs of a rule base, worked out once per compiled rule base."""

    def __init__(self, compiled: CompiledRuleBase, rulebase: RuleBase, questionnaire: Questionnaire) -> None:
        self.branches = compiled.branches
        facts: dict[str, _Fact] = {}
        self.tests: dict[str, tuple[_Test, ...]] = {}  # branch -> its comparisons, guards left out
        self._shown: dict[tuple[str, ...], tuple[tuple[int, _Test], ...]] = {}
        for name, branch in compiled.branches.items():
            tests = []
            for test in branch.tests:
                if test.guard:
                    continue
                fact = facts.get(test.key) or facts.setdefault(test.key, _fact(test.key, questionnaire))
                op, threshold = ("==", True) if test.op == "present" else (test.op, test.value)
                tests.append(_Test(fact, op, threshold))
            self.tests[name] = tuple(tests)
        order = {rule.id: n for n, rule in enumerate(rulebase.rules)}
        self.order = order
        ranked = sorted(rulebase.rules, key=lambda rule: (SEVERITY_RANK[rule.severity], order[rule.id]))
        self.rank = {rule.id: n for n, rule in enumerate(ranked)}  # by severity, then in rule-base order
        self.rule = {rule.id: rule for rule in rulebase.rules}
        # Rule id -> the derived facts it establishes, each with the rule's title.
        self.asserting = {
            rule.id: tuple((f"fact:{fact}", rule.title) for fact in rule.asserts)
            for rule in rulebase.rules
            if rule.asserts
        }
        self.signal = {
            rule.id: Signal(rule=rule.id, title=rule.title, severity=rule.severity) for rule in rulebase.rules
        }
        self.explanation = {rule.id: rule.explanation.strip() for rule in rulebase.rules}
        self._remedy = rulebase.remedy
        self._alone: dict[str, tuple[tuple[Remedy, ...], tuple[str, ...], tuple[str, ...], tuple[Signal, ...]]] = {}
        self.contradicts = {strength.id: frozenset(strength.contradicts) for strength in rulebase.strengths}
        self.strengths = rulebase.strengths
        self.strength_explanation = {strength.id: strength.explanation.strip() for strength in rulebase.strengths}

    def shown(self, branches: tuple[str, ...]) -> tuple[tuple[int, _Test], ...]:
        """The comparisons the evidence of ``branches`` (that fired, in this order) shows, see
        :func:`_compared`: each with the index of the branch whose test (the first of its fact) it is."""
        found = self._shown.get(branches)
        if found is None:
            once: dict[str, tuple[int, _Test]] = {}
            for n, branch in enumerate(branches):
                for test in self.tests[branch]:
                    once.setdefault(test.fact.key, (n, test))
            kept = _kept([test for _, test in once.values()])
            found = tuple(pair for key, pair in once.items() if key in kept)
            if len(self._shown) < _SHOWN:
                self._shown[branches] = found
        return found

    def alone(self, rule: Rule) -> tuple[tuple[Remedy, ...], tuple[str, ...], tuple[str, ...], tuple[Signal, ...]]:
        """A rule alone in its finding: the finding's remedies, prompts, rule ids and signals."""
        found = self._alone.get(rule.id)
        if found is None:
            remedies = tuple(self._remedy[r] for r in dict.fromkeys(rule.remedies))
            found = (remedies, tuple(dict.fromkeys(rule.prompts)), (rule.id,), (self.signal[rule.id],))
            self._alone[rule.id] = found
        return found


_PLANS = 8
_SHOWN = 4096  # combinations of branches kept per plan
_plans: OrderedDict[tuple[int, int, int], tuple[CompiledRuleBase, RuleBase, Questionnaire, _Plan]] = OrderedDict()
_plans_lock = threading.Lock()


def _plan(compiled: CompiledRuleBase, rulebase: RuleBase, questionnaire: Questionnaire) -> _Plan:
    """The plan of a compiled rule base, kept for the last few (each held with what it was made from)."""
    key = (id(compiled), id(rulebase), id(questionnaire))
    with _plans_lock:
        hit = _plans.get(key)
        if hit and hit[0] is compiled and hit[1] is rulebase and hit[2] is questionnaire:
            _plans.move_to_end(key)
            return hit[3]
    plan = _Plan(compiled, rulebase, questionnaire)
    with _plans_lock:
        _plans[key] = (compiled, rulebase, questionnaire, plan)
        if len(_plans) > _PLANS:
            _plans.popitem(last=False)
    return plan


class _Counts(NamedTuple):
    """What the words say of a group's answers to a question, counted as :class:`QuestionStats` counts them."""

    count: int
    agree: int
    disagree: int
    distribution: dict[str, int]


def _counted(question: Question, values: list[AnswerValue]) -> _Counts:
    """The counts :func:`~partnership_health.core.facts.question_stats` gives, without its other stats or a model."""
    kind = question.type
    if kind != "text" and DONT_KNOW in values:
        values = [v for v in values if v != DONT_KNOW]
    agree = disagree = 0
    distribution: dict[str, int] = {}
    if kind == "scale":
        for v in values:
            n = float(v)  # type: ignore[arg-type]
            if n >= 4:
                agree += 1
            elif n <= 2:
                disagree += 1
    elif kind == "yesno":
        distribution = {"yes": sum(v is True for v in values), "no": sum(v is False for v in values)}
    elif kind == "choice":
        counts: dict[str, int] = {}
        for v in values:
            counts[str(v)] = counts.get(str(v), 0) + 1
        distribution = {choice: counts[choice] for choice in question.choice_ids if counts.get(choice)}
    return _Counts(len(values), agree, disagree, distribution)


_Stats = QuestionStats | _Counts


class _Lookup(dict[tuple[str, str], "_Stats | None"]):
    """``lookup[group, question_id]``: that group's aggregates of a question (``groups``: see
    :func:`explain`), each looked up once.

    Of a group the tally holds, only the counts the words need are taken from its answers.
    """

    def __init__(self, groups: Mapping[str, Mapping[str, QuestionStats]], questionnaire: Questionnaire) -> None:
        super().__init__()
        self.groups, self._questions = groups, questionnaire.questions

    def __missing__(self, key: tuple[str, str]) -> _Stats | None:
        name, question_id = key
        group = self.groups.get(name)
        found: _Stats | None = None
        if group is not None:
            question = self._questions.get(question_id)
            if isinstance(group, GroupStats) and question is not None:
                found = _counted(question, group.answers(question_id))
            else:
                found = group.get(question_id)
        self[key] = found
        return found


def _respondents(fact: _Fact, stats: _Lookup) -> int:
    """How many respondents answered the question a fact is about, in the fact's group(s)."""
    question = fact.question_id
    if question is None:
        return 0
    group = fact.group
    names = fact.names if group and group not in stats.groups else (group,)
    return sum(found.count for name in names if (found := stats[name, question]))


class Comparison(NamedTuple):
    """A comparison that held: what :class:`Evidence` says, before it is put into words."""

    fact: str
    value: Any
    op: str
    threshold: Any


def _compared(fired: list[Firing], plan: _Plan) -> dict[str, _Held]:
    """Every comparison that held, each fact once.

    A fact shown for the roles separately is not shown again for everyone together
    (the same answers from two sides): a question's mean over everyone is left out
    when the evidence has that question's mean (or gap) for a role; a gap between two
    roles is left out when the evidence has both roles' means. Which comparisons
    are shown depends only on which branches fired (see :meth:`_Plan.shown`).
    """
    if len(fired) == 1:
        matched = dict(fired[0].matched)
        return {test.fact.key: (test, matched[test.fact.key]) for _, test in plan.shown((fired[0].branch,))}
    each = [dict(firing.matched) for firing in fired]
    return {test.fact.key: (test, each[n][test.fact.key]) for n, test in plan.shown(tuple(f.branch for f in fired))}


def _kept(tests: list[_Test]) -> set[str]:
    """The fact keys of ``tests`` (each fact once) not seen from another side among them."""
    sides: dict[str, list[tuple[str, str]]] = {}  # question -> the (stat, group) of each of its facts
    for test in tests:
        fact = test.fact
        sides.setdefault(fact.head, []).append((fact.stat, fact.group))
    return {test.fact.key for test in tests if not _seen_from_another_side(test.fact, sides)}


def _described(
    compared: Mapping[str, _Held], hidden: Collection[str], stats: _Lookup, because: Mapping[str, list[str]]
) -> tuple[Evidence, ...]:
    """The comparisons as evidence, in plain words too.

    Evidence about a group too small to show keeps its comparison but not its value.
    """
    evidence = []
    for key, (test, value) in compared.items():
        fact, op, threshold = test.fact, test.op, test.threshold
        if hidden and fact.group and any(role in hidden or f"{fact.head}@{role}" in hidden for role in fact.names):
            value = None
            text = test.hidden_words
        elif key in because:
            titles = "; ".join(dict.fromkeys(because[key]))
            text = f"An earlier finding established: {key[5:].replace('_', ' ')} ({titles})."
        else:
            text = _words(fact, value, op, threshold, test.looked_for, stats)
        evidence.append(Evidence(fact=key, value=value, op=op, threshold=threshold, text=text))
    return tuple(evidence)


def _seen_from_another_side(fact: _Fact, sides: Mapping[str, list[tuple[str, str]]]) -> bool:
    """Whether the evidence shows ``fact``'s answers from another side (``sides``: see :func:`_compared`)."""
    stat, group = fact.stat, fact.group
    if fact.key.startswith(("score:", "fact:")) or not stat:
        return False
    others = sides.get(fact.head, [])
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
    fact = _fact(evidence.fact, questionnaire)
    looked_for = _Test(fact, evidence.op, evidence.threshold).looked_for
    lookup = _Lookup(groups or {}, questionnaire)
    return _words(fact, evidence.value, evidence.op, evidence.threshold, looked_for, lookup, stats)


def _words(
    fact: _Fact,
    value: Any,
    op: str,
    threshold: Any,
    looked_for: str,
    lookup: _Lookup,
    stats: _Stats | None = None,
) -> str:
    """See :func:`describe`; ``looked_for`` is the comparison in words, ``lookup`` a group's aggregates."""
    key = fact.key
    if fact.derived:
        return f"An earlier finding established: {key[5:].replace('_', ' ')}."
    if fact.score:
        return f"The {key[6:]} score is {shown(value)} out of 100 ({looked_for})."
    question_id, stat, role, question, text = fact.head, fact.stat, fact.group, fact.question, fact.text
    if stats is None:
        stats = lookup[role, question_id]
    if stat == "gap" and "-" in role:

        def count(group: str) -> int | None:
            found = lookup[group, question_id]
            return found.count if found else None

        first, _, second = role.partition("-")
        direction = "higher" if float(value) >= 0 else "lower"
        return (
            f"{_who(first, count(first), average=True).capitalize()} answered {text} {shown(abs(float(value)))} "
            f"points {direction} than {_who(second, count(second), average=True)} ({looked_for})."
        )
    people = stats.count if stats else None
    who = _who(role or None, people)
    if stat in ("mean", "median"):
        unit = fact.unit
        counts = ""
        if stats and fact.scale and stats.count > 1:
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
            f"(the rule looks for {OP_WORDS.get(op, op)} {round(100 * float(threshold))}%)."
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


def _mode_words(question: Question | None, value: Any, who: str, text: str, stats: _Stats | None) -> str:
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


@lru_cache(maxsize=64)
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

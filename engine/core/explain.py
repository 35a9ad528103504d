"""Firings -> findings: each with the evidence that made it fire, its remedies, and words to say aloud."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any, NamedTuple

from ..models import (
    SEVERITY_RANK,
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
from ..wording import OP_WORDS, shown, who
from .compiler import CompiledRuleBase, FactKey
from .facts import EXACT_STATS, Counts, GroupStats, answered, counts
from .partners import partner_words
from .runner import Firing


@dataclass(frozen=True)
class Hidden:
    """What the evidence may not show: roles too small to show, a role's answers to a question left out,
    and questions too few people answered at all."""

    roles: frozenset[str] = frozenset()
    answers: frozenset[tuple[str, str]] = frozenset()
    """(question id, role): questions 1 to min_group - 1 people of a shown role answered."""
    few: frozenset[str] = frozenset()
    """Questions 1 to min_group - 1 people answered in all: not even everyone's figures are shown."""
    min_group: int = 1
    """The smallest group shown: above 1, no one person's answer (a lowest, highest or middle one) is shown."""
    means: frozenset[str] = frozenset()
    """Scale questions whose mean no group shows: beside the counts it would pin someone's answer."""

    def of(self, question_id: str, role: str) -> bool:
        """Whether the evidence may not show the answers of ``role`` to ``question_id``."""
        return role in self.roles or (question_id, role) in self.answers or question_id in self.few

    def about(self, fact: _Fact) -> bool:
        """Whether the evidence may not show ``fact`` (nor its comparison: it would bound the hidden answers)."""
        if fact.name in self.few and fact.kind == "question":
            return True
        return bool(fact.group) and any(self.of(fact.name, role) for role in fact.roles)

    def __bool__(self) -> bool:
        return bool(self.roles or self.answers or self.few)


def explain(
    firings: Iterable[Firing],
    plan: ExplainPlan,
    hidden: Hidden = Hidden(),
    groups: Mapping[str, Mapping[str, QuestionStats]] | None = None,
) -> tuple[tuple[Finding, ...], tuple[StrengthFound, ...]]:
    """One finding per failure mode diagnosed, ranked, and the strengths no finding contradicts.

    The rules of a failure mode that fired are the finding's signals: it takes the
    highest severity among them, the leading signal's title and explanation, every
    comparison that held (each fact once) and every remedy and prompt (each once).
    Findings are ranked by severity, then by how many signals and how many respondents
    support them, then in rule-base order.

    Evidence about what is ``hidden`` (a role too small to show, a role's answers to a
    question left out, a question too few answered) is not shown: in its place, what
    everyone's answers to the same question show, where those can be shown. A rule whose
    evidence is hidden so is told at that level: its ``unattributed`` title and explanation
    (else its failure mode's), which say what the answers show without saying whose view
    is whose; a strength resting on such evidence is not shown.
    ``groups`` (``""`` for everyone, else a role -> question id -> aggregates) lets the
    plain-words evidence say how many agreed and disagreed; of a group the tally holds
    (:class:`~partnership_health.core.facts.GroupStats`), only the counts are taken from
    its answers, without building its aggregates.
    """
    stats = _Lookup(groups or {}, plan.questionnaire)
    hiding = hidden if hidden else None  # with no small groups there is nothing to look up
    fired: dict[str, dict[str, list[Firing]]] = {"rule": {}, "strength": {}}
    for firing in sorted(firings, key=_branch_of):
        branch = plan.branches[firing.branch]
        fired[branch.kind].setdefault(branch.rule_id, []).append(firing)
    fired_rules, fired_strengths = fired["rule"], fired["strength"]
    # Which rules that fired established each derived fact, so evidence names what held.
    because: dict[str, list[str]] = {}
    if plan.asserting.keys() & fired_rules.keys():
        for rule_id in sorted(fired_rules, key=plan.order.__getitem__):
            for fact in plan.asserting.get(rule_id, ()):
                because.setdefault(fact, []).append(rule_id)
    # Rules whose evidence rests on a group too small to show are told without attributing a view.
    veiled = {
        rule_id
        for rule_id, items in fired_rules.items()
        if hiding is not None and any(hiding.about(test.fact) for f in items for test in plan.tests[f.branch])
    }
    if plan.asserting.keys() & fired_rules.keys():
        because = {fact: [plan.title(rule_id, rule_id in veiled) for rule_id in ids] for fact, ids in because.items()}
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
            remedies = tuple(plan.remedy[r] for r in dict.fromkeys(r for rule in rules for r in rule.remedies))
            prompts = tuple(dict.fromkeys(p for rule in rules for p in rule.prompts))
            ids = tuple(rule.id for rule in rules)
            signals = tuple(plan.signal[rule.id] for rule in rules)
        if veiled and veiled.intersection(ids):
            signals = tuple(
                s.model_copy(update={"title": plan.title(s.rule, True)}) if s.rule in veiled else s for s in signals
            )
        respondents = 0
        for test, _ in compared.values():
            question_id = test.fact.key.question_id
            questions.add(question_id)
            if question_id is not None:
                respondents = max(respondents, _respondents(test.fact.key, stats))
        finding = Finding.model_validate(
            {
                "id": lead.id,
                "title": plan.title(lead.id, lead.id in veiled),
                "failure_mode": mode,
                "severity": lead.severity,
                "explanation": plan.explain(lead.id, lead.id in veiled),
                "evidence": _described(compared, hiding, stats, because, hidden.min_group, hidden.means),
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
    shown_strengths = []
    for strength in plan.strengths:
        if strength.id not in fired_strengths or modes & plan.contradicts[strength.id]:
            continue
        compared = _compared(fired_strengths[strength.id], plan)
        if questions and any(test.fact.key.question_id in questions for test, _ in compared.values()):
            continue  # the same answers cannot be a strength and a finding at once
        if hiding is not None and any(hiding.about(test.fact) for test, _ in compared.values()):
            continue  # praise for a group too small to show would say what its few people answered
        shown_strengths.append(
            StrengthFound.model_validate(
                {
                    "id": strength.id,
                    "title": strength.title,
                    "factor": strength.factor,
                    "explanation": plan.strength_explanation[strength.id],
                    "evidence": _described(compared, hiding, stats, because, hidden.min_group, hidden.means),
                    "source": strength.source,
                },
            )
        )
    return found, tuple(shown_strengths)


def _branch_of(firing: Firing) -> str:
    return firing.branch


def _first(pair: tuple[Any, Any]) -> Any:
    return pair[0]


class _Fact(NamedTuple):
    """A fact as its evidence words it, worked out once per rule base (the key's parts copied, read often)."""

    key: FactKey
    kind: str
    name: str
    stat: str
    group: str
    roles: tuple[str, ...]
    question: Question | None
    text: str  # the question's text in quotes, else the key's name
    scale: bool  # about a scale question
    unit: str  # after a mean or median: " out of 5", " hours"


def _fact(key: FactKey, questionnaire: Questionnaire) -> _Fact:
    question = questionnaire.questions.get(key.name) if key.kind == "question" else None
    if key.kind == "score":
        titles = {section.id: section.title for section in questionnaire.sections}
        title = titles.get(key.name, key.name)
        return _Fact(key, key.kind, key.name, key.stat, key.group, key.roles, None, title, False, "")
    return _Fact(
        key,
        key.kind,
        key.name,
        key.stat,
        key.group,
        key.roles,
        question,
        f"“{question.text.strip()}”" if question else key.name,
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
    def comparison(self) -> str:
        """What the rule compares the fact with, in words ("at or above 4"): for the technical appendix."""
        if self.fact.kind == "fact":
            return ""
        threshold = shown(self.threshold)
        if self.fact.key.stat in ("share", "split"):
            threshold = f"{round(100 * float(self.threshold))}%"
        return f"{OP_WORDS.get(self.op, self.op)} {threshold}"


_Held = tuple[_Test, Any]  # a comparison that held, with the value it held for
_SHOWN = 4096  # combinations of branches whose evidence is kept worked out, per plan


class ExplainPlan:
    """What putting firings into words needs of a compiled rule base, worked out once (kept with it)."""

    def __init__(self, compiled: CompiledRuleBase, rulebase: RuleBase, questionnaire: Questionnaire) -> None:
        self.questionnaire = questionnaire
        self.branches = compiled.branches
        facts: dict[FactKey, _Fact] = {}
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
        self.remedy = rulebase.remedy
        # Rule id -> the derived facts it establishes.
        self.asserting = {
            rule.id: tuple(str(FactKey.of_derived(fact)) for fact in rule.asserts)
            for rule in rulebase.rules
            if rule.asserts
        }
        modes = rulebase.failure_mode
        # Rule id -> (title, explanation) when its evidence rests on a group too small to show.
        self.unattributed = {
            rule.id: (
                (rule.unattributed.title, rule.unattributed.explanation.strip())
                if rule.unattributed
                else (modes[rule.failure_mode].title, _UNATTRIBUTED.format(modes[rule.failure_mode].title.lower()))
            )
            for rule in rulebase.rules
            if rule.failure_mode in modes or rule.unattributed
        }
        self.signal = {
            rule.id: Signal(rule=rule.id, title=rule.title, severity=rule.severity) for rule in rulebase.rules
        }
        self.explanation = {rule.id: rule.explanation.strip() for rule in rulebase.rules}
        self._alone: dict[str, tuple[tuple[Remedy, ...], tuple[str, ...], tuple[str, ...], tuple[Signal, ...]]] = {}
        self.contradicts = {strength.id: frozenset(strength.contradicts) for strength in rulebase.strengths}
        self.strengths = rulebase.strengths
        self.strength_explanation = {strength.id: strength.explanation.strip() for strength in rulebase.strengths}

    def title(self, rule_id: str, veiled: bool) -> str:
        """A rule's title; ``veiled``: the one that does not say which group holds which view."""
        return self.unattributed[rule_id][0] if veiled and rule_id in self.unattributed else self.rule[rule_id].title

    def explain(self, rule_id: str, veiled: bool) -> str:
        """A rule's explanation; ``veiled``: see :meth:`title`."""
        if veiled and rule_id in self.unattributed and self.unattributed[rule_id][1]:
            return self.unattributed[rule_id][1]
        return self.explanation[rule_id]

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
            remedies = tuple(self.remedy[r] for r in dict.fromkeys(rule.remedies))
            found = (remedies, tuple(dict.fromkeys(rule.prompts)), (rule.id,), (self.signal[rule.id],))
            self._alone[rule.id] = found
        return found


class _Lookup(dict[tuple[str, str], "Counts | QuestionStats | None"]):
    """``lookup[group, question_id]``: that group's aggregates of a question (``groups``: see
    :func:`explain`), each looked up once.

    Of a group the tally holds, only the counts the words need are taken from its answers.
    """

    def __init__(self, groups: Mapping[str, Mapping[str, QuestionStats]], questionnaire: Questionnaire) -> None:
        super().__init__()
        self.groups, self._questions = groups, questionnaire.questions

    def everyone(self, question_id: str) -> QuestionStats | None:
        """Everyone's aggregates of a question, every stat of them (not only the counts)."""
        group = self.groups.get("")
        return group.get(question_id) if group is not None else None

    def __missing__(self, key: tuple[str, str]) -> Counts | QuestionStats | None:
        name, question_id = key
        group = self.groups.get(name)
        found: Counts | QuestionStats | None = None
        if group is not None:
            question = self._questions.get(question_id)
            if isinstance(group, GroupStats) and question is not None:
                found = counts(question, answered(question, group.answers(question_id)))
            else:
                found = group.get(question_id)
        self[key] = found
        return found


def _respondents(key: FactKey, stats: _Lookup) -> int:
    """How many respondents answered the question a fact is about, in the fact's group(s)."""
    question = key.question_id
    if question is None:
        return 0
    group = key.group
    names = key.roles if group and group not in stats.groups else (group,)
    return sum(found.count for name in names if (found := stats[name, question]))


def _compared(fired: list[Firing], plan: ExplainPlan) -> dict[str, _Held]:
    """Every comparison that held, each fact once.

    A fact shown for the roles separately is not shown again for everyone together
    (the same answers from two sides): a question's mean over everyone is left out
    when the evidence has that question's mean (or gap) for a role; a gap between two
    roles is left out when the evidence has both roles' means. Which comparisons
    are shown depends only on which branches fired (see :meth:`ExplainPlan.shown`).
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
        key = test.fact.key
        sides.setdefault(key.name, []).append((key.stat, key.group))
    return {test.fact.key for test in tests if not _seen_from_another_side(test.fact.key, sides)}


def _described(
    compared: Mapping[str, _Held],
    hidden: Hidden | None,
    stats: _Lookup,
    because: Mapping[str, list[str]],
    least: int = 1,
    means: frozenset[str] = frozenset(),
) -> tuple[Evidence, ...]:
    """The comparisons as evidence, in plain words too.

    Evidence about a group too small to show is left out, fact, value and comparison
    alike (the comparison would bound the few answers): in its place, once per
    question, what everyone's answers show, or, where not even those can be shown, one
    line saying that answers too few to show lie behind it.

    With a smallest group ``least`` above 1, no evidence shows one person's answer: a
    lowest, highest or middle answer or a spread is told by the bound the rule tested
    ("at least one partner answered 2 or lower"), without its value; a scale mean that
    would pin someone's answer beside the counts (see :func:`mean_pins`), or a gap
    between two means one of which is not shown, is told by the counts, without value
    or threshold.
    """
    evidence = []
    veiled: dict[str, _Fact] = {}
    for name, (test, value) in compared.items():
        fact, op, threshold = test.fact, test.op, test.threshold
        if hidden is not None and hidden.about(fact):
            if (fact.stat, op) in _SOMEONE and isinstance(threshold, (int, float)):
                # "someone in a small group answered 16 or more" is true of everyone: said without the group
                evidence.append(_someone(fact, op, threshold))
            else:
                veiled.setdefault(fact.name, fact)
            continue
        comparison = test.comparison
        if name in because:
            titles = "; ".join(dict.fromkeys(because[name]))
            text = f"This follows from another finding: {titles}."
        elif least > 1 and fact.kind == "question" and fact.stat in EXACT_STATS:
            text, value = _bound_words(fact, op, threshold, stats), None
        elif least > 1 and fact.kind == "question" and fact.scale and _pinned(fact, means):
            text, value, op, threshold, comparison = _counted_words(fact, stats), None, "", None, ""
        else:
            text = _words(fact, value, op, stats)
        evidence.append(Evidence(fact=name, value=value, op=op, threshold=threshold, text=text, comparison=comparison))
    if veiled:
        assert hidden is not None
        too_few = False
        for question_id, fact in veiled.items():
            found = stats.everyone(question_id) if question_id not in hidden.few else None
            if found is None or not found.count or fact.question is None:
                too_few = True
                continue
            evidence.append(_everyone(fact, found))
        if too_few:
            evidence.append(Evidence(fact="", value=None, op="", threshold=None, text=_TOO_FEW))
    return tuple(evidence)


_UNATTRIBUTED = (
    "The answers point to {}. What shows it rests on groups too small to show on their own, so this report "
    "does not say whose view is whose."
)
_TOO_FEW = "Some of what lies behind this comes from groups too small to show on their own."


_SOMEONE = {("max", ">"), ("max", ">="), ("min", "<"), ("min", "<=")}
"""A lowest or highest answer past a bound: what holds of a group holds of everyone (at least one answered so)."""


def _someone(fact: _Fact, op: str, threshold: float) -> Evidence:
    """A small group's lowest or highest answer past a bound, told of all partners: no group, no value."""
    unit = "" if fact.scale else fact.unit
    text = _BOUNDS[fact.stat, op].format(
        whom="partners", the="the partners", text=fact.text, t=f"{shown(threshold)}{unit}"
    )
    return Evidence(fact=f"{fact.name}:{fact.stat}", value=None, op=op, threshold=threshold, text=f"{text}.")


def _everyone(fact: _Fact, stats: QuestionStats) -> Evidence:
    """What everyone's answers to a question show, in place of a group's too small to show."""
    question = fact.question
    assert question is not None
    n = stats.count
    partners = f"{n} partner{'s' if n != 1 else ''} who answered"
    values = stats.values
    key = f"{question.id}:mean"
    if question.type == "scale":
        value = values.get("mean")
        agree = f"{stats.agree} agree{'s' if stats.agree == 1 else ''}"
        disagree = f"{stats.disagree} disagree{'s' if stats.disagree == 1 else ''}"
        if stats.agree and stats.disagree:
            text = f"Partners see {fact.text} very differently: of the {n} who answered, {agree} and {disagree}."
        else:
            text = f"Of the {partners} {fact.text}, {agree} and {disagree}."
    elif question.type == "yesno":
        key = f"{question.id}:share"
        yes = stats.distribution.get("yes", 0)
        value = yes / n
        text = f"Of the {partners} {fact.text}, {yes} said yes and {n - yes} said no."
    elif question.type == "number":  # the mean: the middle answer of an odd count is one person's
        value = values.get("mean")
        text = f"On average, the {partners} {fact.text} answered {shown(value)}{fact.unit}."
    else:
        value = values.get("mode")
        key = f"{question.id}:mode"
        text = _mode_words(question, value, "partners", fact.text, stats)
    return Evidence(fact=key, value=value, op="", threshold=None, text=text)


def _pinned(fact: _Fact, means: frozenset[str]) -> bool:
    """Whether ``fact`` is a scale mean (or a gap between two roles' means) the report does not show
    (``means``: see :func:`~partnership_health.core.facts.means_not_shown`)."""
    return fact.name in means and (fact.stat == "mean" or (fact.stat == "gap" and "-" in fact.group))


def _counted_words(fact: _Fact, lookup: _Lookup) -> str:
    """A scale mean told by how many agree and disagree (where the mean would pin someone's answer)."""
    parts = []
    for group in fact.roles if fact.stat == "gap" and "-" in fact.group else (fact.group,):
        found = lookup[group, fact.name]
        if found is None or not found.count:
            continue
        whom = who(group or None, found.count)
        agree = f"{found.agree} agree{'s' if found.agree == 1 else ''}"
        disagree = f"{found.disagree} disagree{'s' if found.disagree == 1 else ''}"
        parts.append(f"of the {found.count} {whom} who answered, {agree} and {disagree}")
    if not parts:
        return f"Partners answered {fact.text} in a way that meets this rule's test."
    said = "; ".join(parts)
    return f"On {fact.text}, {said}."


_BOUNDS = {
    ("min", "<"): "At least one of {the} answered {text} below {t}",
    ("min", "<="): "At least one of {the} answered {text} with {t} or lower",
    ("min", ">"): "All {whom} answered {text} above {t}",
    ("min", ">="): "All {whom} answered {text} with {t} or higher",
    ("max", ">"): "At least one of {the} answered {text} above {t}",
    ("max", ">="): "At least one of {the} answered {text} with {t} or higher",
    ("max", "<"): "All {whom} answered {text} below {t}",
    ("max", "<="): "All {whom} answered {text} with {t} or lower",
    ("median", "<"): "More than half of {the} answered {text} below {t}",
    ("median", "<="): "At least half of {the} answered {text} with {t} or lower",
    ("median", ">"): "More than half of {the} answered {text} above {t}",
    ("median", ">="): "At least half of {the} answered {text} with {t} or higher",
    ("spread", ">"): "Answers of {whom} to {text} lie more than {t} points apart",
    ("spread", ">="): "Answers of {whom} to {text} lie at least {t} points apart",
    ("spread", "<"): "Answers of {whom} to {text} lie less than {t} points apart",
    ("spread", "<="): "Answers of {whom} to {text} lie at most {t} points apart",
}


def _bound_words(fact: _Fact, op: str, threshold: Any, lookup: _Lookup) -> str:
    """A lowest, highest or middle answer, or a spread, told by the bound the rule tested, without its value
    (each is one or two people's answers), with how many agree and disagree on a scale."""
    found = lookup[fact.group, fact.name]
    whom = who(fact.group or None, found.count if found else None)
    pattern = _BOUNDS.get((fact.stat, op))
    if pattern is None or not isinstance(threshold, (int, float)):
        return f"The answers of {whom} to {fact.text} meet this rule's test."
    unit = fact.unit if fact.stat != "spread" and not fact.scale else ""
    the = whom if whom.startswith("the ") else f"the {whom}"
    text = pattern.format(whom=whom, the=the, text=fact.text, t=f"{shown(threshold)}{unit}")
    if found is not None and fact.scale and found.count:
        text += f": {found.disagree} of {found.count} disagree, {found.agree} agree{'s' if found.agree == 1 else ''}"
    return f"{text}."


def _seen_from_another_side(key: FactKey, sides: Mapping[str, list[tuple[str, str]]]) -> bool:
    """Whether the evidence shows ``key``'s answers from another side (``sides``: see :func:`_kept`)."""
    stat, group = key.stat, key.group
    if key.kind != "question" or not stat:
        return False
    others = sides.get(key.name, [])
    if not group:
        return any(g and (s == stat or (stat == "mean" and s == "gap")) for s, g in others)
    if stat == "gap" and key.pair:
        means = {g for s, g in others if s == "mean" and g}
        return set(key.roles) <= means
    return False


def _words(fact: _Fact, value: Any, op: str, lookup: _Lookup) -> str:
    """One evidence item in words a facilitator can say aloud.

    With the counts of the fact's group (from ``lookup``), an average of agreement answers
    also says how many agreed and disagreed ("3 of 4 partners disagree"), and a group of
    one person is not said to answer "on average".
    """
    kind = fact.kind
    if kind == "fact":
        return "This follows from another finding."
    if kind == "partners":
        return partner_words(fact.name, value)
    if kind == "score":
        return f"The score of “{fact.text}” is {shown(value)} out of 100."
    question_id, stat, role, question, text = fact.name, fact.stat, fact.group, fact.question, fact.text
    stats = lookup[role, question_id]
    if stat == "gap" and "-" in role:

        def count(group: str) -> int | None:
            found = lookup[group, question_id]
            return found.count if found else None

        first, second = fact.roles
        direction = "higher" if float(value) >= 0 else "lower"
        return (
            f"{who(first, count(first), average=True).capitalize()} answered {text} {shown(abs(float(value)))} "
            f"points {direction} than {who(second, count(second), average=True)}."
        )
    people = stats.count if stats else None
    whom = who(role or None, people)
    if stat in ("mean", "median"):
        unit = fact.unit
        agreement = ""
        if stats and fact.scale and stats.count > 1:
            agreement = (
                f": {stats.disagree} of {stats.count} disagree, {stats.agree} agree{'s' if stats.agree == 1 else ''}"
            )
        if people == 1:
            return f"{whom.capitalize()} answered {text} with {shown(value)}{unit}."
        if stat == "median":  # said as the middle answer: "in the middle of the answers, partners answered" misleads
            return f"The middle answer of {whom} to {text} is {shown(value)}{unit}{agreement}."
        return f"On average, {whom} answered {text} with {shown(value)}{unit}{agreement}."
    if stat in ("min", "max"):
        if people == 1:
            return f"{whom.capitalize()} answered {text} with {shown(value)}."
        extreme = "lowest" if stat == "min" else "highest"
        return f"The {extreme} answer of {whom} to {text} is {shown(value)}."
    if stat == "disputed":
        agreement = ""
        if stats and stats.count:
            agreement = f": {stats.agree} of {stats.count} agree, {stats.disagree} disagree"
        if value is True:
            return f"{whom.capitalize()} are split on {text}{agreement}."
        return f"{whom.capitalize()} are not split on {text}{agreement}."
    if stat == "split":
        sides = f" ({stats.agree} agree, {stats.disagree} disagree of {stats.count})" if stats and stats.count else ""
        return f"{round(100 * float(value))}% of {whom} are on the smaller side of {text}{sides}."
    if stat == "spread":
        return f"Answers of {whom} to {text} lie {shown(value)} points apart."
    if stat == "share":
        if people == 1:
            answer = "yes" if float(value) >= 0.5 else "no"
            return f"{whom.capitalize()} answered {answer} to {text}."
        return f"{round(100 * float(value))}% of {whom} answered yes to {text}."
    if stat == "distinct":
        return f"{whom.capitalize()} chose {shown(value)} different answers to {text}."
    if stat == "mode":
        return _mode_words(question, value, whom, text, stats)
    if stat == "count":
        return f"{shown(value)} of {whom} answered {text}."
    return f"{text[:1].upper()}{text[1:]}: {shown(value)}."


def _mode_words(
    question: Question | None, value: Any, whom: str, text: str, stats: Counts | QuestionStats | None
) -> str:
    """The most common choice, without calling a tie or a minority "most"."""
    label = _choice_label(question, value)
    if not stats or not stats.distribution:
        return f"The most common choice of {whom} for {text} is “{label}”."
    total, top = stats.count, stats.distribution.get(str(value), 0)
    tied = [choice for choice, n in stats.distribution.items() if n == top]
    if total == 1:
        return f"{whom.capitalize()} chose “{label}” for {text}."
    if len(tied) > 1:
        split = ", ".join(f"{n} chose “{_choice_label(question, c)}”" for c, n in stats.distribution.items())
        return f"{whom.capitalize()} are split on {text}: {split}."
    if 2 * top > total:
        return f"Most {whom} ({top} of {total}) chose “{label}” for {text}."
    return f"The most common choice of {whom} for {text} is “{label}” ({top} of {total})."


def _choice_label(question: Question | None, value: Any) -> str:
    if question:
        for choice in question.choices:
            if choice.id == value:
                return choice.label
    return str(value)

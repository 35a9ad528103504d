"""The floor: the same decisions as ``ph.assess``, in the least plain Python that makes them.

A benchmark floor and a test oracle only: nothing in the engine imports it (durable-rules
stays the engine's matcher). :class:`Floor` is set up once per questionnaire and rule base:

- where each answer the rules read goes: for each role, each question the compiled rule
  base reads maps to the lists (one per question and group of respondents, and per
  scored section) its answers are appended to; every other answer is passed over;
- the compiled branches as the source of one Python function, generated and compiled
  once, testing each fact with plain comparisons, the branches that assert derived facts
  (``fact:...``) first, in the order their facts are read, so one pass fires all.

:meth:`Floor.decide` is then one pass over the respondents' answers, each statistic
computed from its list, and one call of the generated function. The partner signals
(``partners:...``: how many partner organisations stand out from the rest) are the
engine's own :func:`partners.signals`, a per-organisation comparison with no plain
shortcut; they cost little beside the rest (measured: see README.md).
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

from partnership_health.core.compiler import AGREED_TYPE, NO_AGREED_TYPE, PARTNERSHIP_AGE, CompiledRuleBase, Test
from partnership_health.core.partners import modified_z
from partnership_health.models import DONT_KNOW, ROLES, STATS_BY_TYPE, Answers, Question, Questionnaire, RuleBase

_STATS = {"mean", "median", "min", "max", "spread", "count", "share", "distinct", "mode", "split", "rwg"}
NULL_VARIANCE = 2.0  # the variance of answers spread evenly over five points: (5^2 - 1) / 12


class Floor:
    """The facts a compiled rule base reads and the branches that fire, for one questionnaire and rule base."""

    def __init__(self, questionnaire: Questionnaire, rulebase: RuleBase, compiled: CompiledRuleBase) -> None:
        self.compiled = compiled
        self.questionnaire = questionnaire
        self.rulebase = rulebase
        settings = rulebase.settings
        self.gap_settings = settings.gaps
        self.partner_settings = settings.partners
        questions = questionnaire.questions
        kind = settings.partnership_type
        self.kind = questions[kind.question] if kind and AGREED_TYPE in compiled.needed else None
        self.type_pair = (kind.signed_up, kind.question) if kind and kind.signed_up else None
        age = settings.partnership_age
        self.age = (age.question, frozenset(age.young)) if age else None
        # The lists answers go to: (question, group) cells, then each scored section's two lists.
        cells: dict[tuple[str, str], int] = {}

        def cell(qid: str, group: str) -> int:
            return cells.setdefault((qid, group), len(cells))

        self.stat_keys: list[tuple[str, int, str, Question]] = []  # (key, cell, stat, question)
        self.disputes: list[tuple[str, int, list[tuple[str, int]]]] = []  # (key, cell, [(role, cell)])
        self.partners: list[tuple[str, str]] = []
        scored: list[str] = []
        for key in sorted(self.compiled.needed):
            if key.kind == "question":
                question = questions[key.name]
                if key.stat == "disputed":
                    members = key.roles or ROLES
                    self.disputes.append((key, cell(key.name, key.group), [(r, cell(key.name, r)) for r in members]))
                elif key.stat == "count" or (key.stat in _STATS and key.stat in STATS_BY_TYPE[question.type]):
                    self.stat_keys.append((key, cell(key.name, key.group), key.stat, question))
                elif key.stat == "gap":
                    raise NotImplementedError(f"{key}: no rule compares a gap; add it to the floor when one does")
            elif key.kind == "score":
                scored.append(key.name)
            elif key.kind == "partners":
                if key.name not in ("withdrawing", "type_drift"):
                    raise NotImplementedError(f"{key}: a partner signal the floor does not compute")
                self.partners.append((key, key.name))
            elif key.kind not in ("type", "age"):
                raise NotImplementedError(f"{key}: a fact the floor does not compute")
        if self.kind:
            self.type_cells = (cell(self.kind.id, "lead"), cell(self.kind.id, "core"))
        if self.age:
            self.age_cells = (cell(self.age[0], "lead"), cell(self.age[0], "core"))
        self.scores: list[tuple[str, int, int]] = []  # (key, straight list, reverse list)
        section_lists: dict[str, tuple[int, int]] = {}
        for section in questionnaire.sections:
            if section.id in scored:
                n = len(cells) + 2 * len(section_lists)
                section_lists[section.id] = (n, n + 1)
                self.scores.append((f"score:{section.id}", n, n + 1))
        self.lists = len(cells) + 2 * len(section_lists)
        # For each role, question id -> (skip "don't know", the lists its answers go to).
        self.route: dict[str, dict[str, Any]] = {}
        asked = questionnaire.asked
        section_of = {q.id: s.id for s in questionnaire.sections for q in s.questions}
        for role in ROLES:
            routes: dict[str, list[int]] = {}
            for (qid, group), n in cells.items():
                if role in asked[qid] and (not group or role in group.split("+")):
                    routes.setdefault(qid, []).append(n)
            for qid, question in questions.items():
                lists = section_lists.get(section_of[qid])
                if lists and question.type == "scale" and role in asked[qid]:
                    routes.setdefault(qid, []).append(lists[1] if question.reverse else lists[0])
            self.route[role] = {qid: (questions[qid].type != "text", tuple(found)) for qid, found in routes.items()}
        # For each role, question id -> how it counts in a partner organisation's profile:
        # (is an agreement statement, reverse-scored, about the organisation's own side).
        own = set(self.partner_settings.own_side)
        self.profile_route = {
            role: {
                qid: (q.type == "scale", q.reverse, qid in own)
                for qid, q in questions.items()
                if q.type != "text" and role in asked[qid]
            }
            for role in ROLES
        }
        # One route per role: question id -> (skip "don't know", the lists, how it counts in a profile).
        for role in ROLES:
            profile_route = self.profile_route[role] if self.partners else {}
            lists_of = self.route[role]
            self.route[role] = {
                qid: (*lists_of.get(qid, (questions[qid].type != "text", ())), profile_route.get(qid))
                for qid in {**lists_of, **profile_route}
            }
        self.fire, self.source = compile_branches(compiled)

    def facts(self, answers: Answers) -> dict[str, Any]:
        """The facts the rules read, from one pass over the answers."""
        lists: list[list[Any]] = [[] for _ in range(self.lists)]
        present = set()
        route = self.route
        partners = bool(self.partners)
        # Each organisation's profile: [points, answers asked, "don't know", neutral, own side, respondents].
        profiles: dict[str, list[Any]] = {}
        for respondent in answers.respondents:
            role = respondent.role
            present.add(role)
            mine = route[role]
            if partners:
                name = respondent.organisation.strip()
                org = profiles.get(name)
                if org is None:
                    org = profiles[name] = [[], 0, 0, 0, [], []]
                org[5].append(respondent)
                points, own = org[0], org[4]
            counted = dont_know = neutral = 0
            for qid, value in respondent.answers.items():
                found = mine.get(qid)
                if found is None:
                    continue
                skip, to, how = found
                if how is not None:
                    counted += 1
                    if value == DONT_KNOW:
                        dont_know += 1
                        continue
                    if how[0] and (type(value) is int or type(value) is float):
                        points.append(6 - value if how[1] else value)
                        neutral += value == 3
                        if how[2]:
                            own.append(float(value))
                elif skip and value == DONT_KNOW:
                    continue
                for n in to:
                    lists[n].append(value)
            if partners:
                org[1] += counted
                org[2] += dont_know
                org[3] += neutral
        known: dict[str, Any] = {}
        for key, n, stat, question in self.stat_keys:
            values = lists[n]
            if values:
                value = _stat(stat, values, question)
                if value is not None:
                    known[key] = value
            elif stat == "count":
                known[key] = 0
        for key, straight, reverse in self.scores:
            forward, backward = lists[straight], lists[reverse]
            count = len(forward) + len(backward)
            if count:
                if all(type(v) is int for v in forward) and all(type(v) is int for v in backward):
                    mean = (sum(forward) - len(forward) + 5 * len(backward) - sum(backward)) / 4 / count
                else:
                    mean = statistics.fmean([(v - 1) / 4 for v in forward] + [(5 - v) / 4 for v in backward])
                known[key] = round(100 * mean)
        if self.kind is not None:
            choices = set(self.kind.choice_ids)
            chosen = {str(v) for n in self.type_cells for v in lists[n]} & choices
            known[AGREED_TYPE] = next(iter(chosen)) if len(chosen) == 1 else NO_AGREED_TYPE
        if self.age:
            young = self.age[1]
            chosen_ages = [v for n in self.age_cells for v in lists[n]]
            under = sum(v in young for v in chosen_ages)
            known[PARTNERSHIP_AGE] = (
                "young"
                if 2 * under > len(chosen_ages)
                else "established"
                if 2 * under < len(chosen_ages)
                else "unknown"
            )
        if self.partners:
            showing = self._signals(profiles)
            for key, signal in self.partners:
                known[key] = showing[signal]
        gaps = self.gap_settings
        for key, n, members in self.disputes:
            values = lists[n]
            if not values:
                continue
            rwg = _rwg(values)
            split = rwg is not None and rwg <= gaps.agreement and min(_sides(values)) > 0
            means = [math.fsum(found) / len(found) for role, m in members if role in present and (found := lists[m])]
            known[key] = split or (bool(means) and min(means) <= gaps.low and max(means) >= gaps.high)
        return known

    def _signals(self, profiles: dict[str, list[Any]]) -> dict[str, int]:
        """How many organisations show each partner signal (as :func:`partners.signals`)."""
        settings = self.partner_settings
        means, dont_knows, neutrals = {}, {}, {}
        own_low, drifted = set(), set()
        for name, (points, counted, dont_know, neutral, own, people) in profiles.items():
            if own and min(own) <= 2:
                own_low.add(name)
            if self.type_pair and _drifted(people, *self.type_pair):
                drifted.add(name)
            if len(points) >= settings.min_answers:
                means[name] = math.fsum(points) / len(points)
                dont_knows[name] = dont_know / counted if counted else 0.0
                neutrals[name] = neutral / len(points)
        below = _standing_out(means, settings, True, settings.below)
        guarded = below | {
            n for n in _standing_out(dont_knows, settings, False, 0) if dont_knows[n] >= settings.dont_know
        }
        guarded |= {n for n in _standing_out(neutrals, settings, False, 0) if neutrals[n] >= settings.neutral}
        return {"withdrawing": len(own_low & guarded), "type_drift": len(drifted)}

    def decide(self, answers: Answers) -> tuple[frozenset[str], dict[str, Any]]:
        """The names of the branches that fire, and the facts they were decided on."""
        facts = self.facts(answers)
        return frozenset(self.fire(facts)), facts


def _drifted(people: list[Any], signed_up: str, today: str) -> bool:
    firsts = [
        (Counter(str(v) for p in people if (v := p.answers.get(q)) is not None and v != DONT_KNOW))
        for q in (signed_up, today)
    ]
    if not firsts[0] or not firsts[1]:
        return False
    return bool(firsts[0].most_common(1)[0][0] != firsts[1].most_common(1)[0][0])


def _standing_out(figures: dict[str, float], settings: Any, low: bool, apart: float) -> set[str]:
    if len(figures) < settings.min_organisations:
        return set()
    values = list(figures.values())
    middle = statistics.median(values)
    return {
        name
        for (name, value), z in zip(figures.items(), modified_z(values), strict=True)
        if (-z if low else z) > settings.outlier and (middle - value if low else value - middle) >= apart
    }


def _sides(values: list[Any]) -> tuple[int, int]:
    return sum(v >= 4 for v in values), sum(v <= 2 for v in values)


def _rwg(values: list[Any]) -> float | None:
    n = len(values)
    if n < 2:
        return None
    if all(type(v) is int for v in values):  # the exact variance, rounded once, as statistics.variance
        total = sum(values)
        variance = (n * sum(v * v for v in values) - total * total) / (n * (n - 1))
    else:
        variance = statistics.variance(values)
    return max(0.0, 1 - variance / NULL_VARIANCE)


def _stat(stat: str, values: list[Any], question: Question) -> Any:
    if stat == "mean":
        return math.fsum(values) / len(values)
    if stat == "share":
        return sum(v is True for v in values) / len(values)
    if stat == "min":
        return float(min(values))
    if stat == "max":
        return float(max(values))
    if stat == "count":
        return len(values)
    if stat == "median":
        return float(statistics.median(values))
    if stat == "spread":
        return float(max(values)) - float(min(values))
    if stat == "split":
        agree, disagree = _sides(values)
        return min(agree, disagree) / len(values)
    if stat == "rwg":
        return _rwg(values)
    made = Counter(str(v) for v in values)
    chosen = {choice: made[choice] for choice in question.choice_ids if made[choice]}
    if stat == "distinct":
        return float(len(chosen))
    top = max(chosen.values())  # mode: of several made as often, the one listed first
    return next(choice for choice, n in chosen.items() if n == top)


_OPS = {"<": "<", "<=": "<=", "==": "==", "!=": "!=", ">=": ">=", ">": ">", "in": "in", "not in": "not in"}


def compile_branches(compiled: CompiledRuleBase) -> tuple[Callable[[Mapping[str, Any]], list[str]], str]:
    """The branches as one generated function: known facts -> the names of the branches that fire.

    Each fact is read once into a local; a branch is one ``if`` of its tests (a fact not
    known fails every test of it). Branches that assert derived facts come first, each
    after the branches asserting the facts it tests, so every derived fact is set before
    it is read and one pass is the fixpoint. The source is returned beside it, to read.
    """
    branches = compiled.branches
    asserting: dict[str, list[str]] = {}
    for name, branch in branches.items():
        for key in branch.asserts:
            asserting.setdefault(key, []).append(name)
    ordered: list[str] = []
    state: dict[str, int] = {}

    def visit(name: str) -> None:
        if state.get(name) == 2:
            return
        if state.get(name) == 1:
            raise ValueError(f"derived facts depend on each other in a cycle at {name}")
        state[name] = 1
        for test in branches[name].tests:
            if test.op == "present":
                for source in asserting.get(test.key, ()):
                    visit(source)
        state[name] = 2
        ordered.append(name)

    for name in sorted(branches, key=lambda n: not branches[n].asserts):
        visit(name)
    local: dict[str, str] = {}
    derived: dict[str, str] = {}
    for branch in branches.values():
        for test in branch.tests:
            if test.op == "present":
                derived.setdefault(test.key, f"d{len(derived)}")
            else:
                local.setdefault(test.key, f"v{len(local)}")
        for key in branch.asserts:
            derived.setdefault(key, f"d{len(derived)}")
    lines = ["def fire(known):", "    get = known.get", "    out = []", "    add = out.append"]
    lines += [f"    {var} = get({key!r})" for key, var in local.items()]
    lines += [f"    {var} = False" for var in derived.values()]
    for name in ordered:
        branch = branches[name]
        conditions = [_condition(test, local, derived) for test in branch.tests]
        lines.append(f"    if {' and '.join(conditions) or 'True'}:")
        lines.append(f"        add({name!r})")
        lines += [f"        {derived[key]} = True" for key in branch.asserts]
    lines.append("    return out")
    source = "\n".join(lines) + "\n"
    namespace: dict[str, Any] = {}
    exec(compile(source, f"<floor {compiled.name}>", "exec"), namespace)  # noqa: S102 - our own generated code
    return namespace["fire"], source


def _condition(test: Test, local: Mapping[str, str], derived: Mapping[str, str]) -> str:
    if test.op == "present":
        return derived[test.key]
    var = local[test.key]
    value = tuple(test.value) if isinstance(test.value, (list, tuple)) else test.value
    if test.op in ("in", "not in") and isinstance(value, tuple) and all(isinstance(v, str) for v in value):
        value = frozenset(value)
    return f"({var} is not None and {var} {_OPS[test.op]} {value!r})"

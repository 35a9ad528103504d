"""Answers -> the facts rules match, section scores, and aggregates per question, role and organisation.

Every statistic is computed one way, by the functions of :data:`STATS` over a plain
list of answers ("don't know" left out): the facts the rules read (:meth:`Tally.facts`),
the report's aggregates (:func:`question_stats`) and the counts the findings' words
give (:func:`counts`) all call them.
"""

from __future__ import annotations

import functools
import math
import statistics
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import NamedTuple

from ..models import (
    DONT_KNOW,
    ROLES,
    STATS_BY_TYPE,
    Answers,
    AnswerValue,
    Gap,
    GapSettings,
    Group,
    Levels,
    PartnerSettings,
    PartnershipType,
    Question,
    Questionnaire,
    QuestionStats,
    Respondent,
    Role,
    SectionScore,
)
from .compiler import AGREED_TYPE, NO_AGREED_TYPE, PARTNERSHIP_AGE, FactKey, roles_in
from .partners import REVERSED, Profile, profile_kinds, profile_of, showing

FactValue = float | int | str | bool
OTHERS = "others"


# --- the statistics: one function each, over the answers that count ---------------------


def answered(question: Question, values: list[AnswerValue]) -> list[AnswerValue]:
    """The answers that count for a statistic: all but "don't know" (free text has none)."""
    if question.type != "text" and DONT_KNOW in values:
        return [v for v in values if v != DONT_KNOW]
    return values


def _mean(values: list[AnswerValue], question: Question) -> float:
    return math.fsum(values) / len(values)  # type: ignore[arg-type]  # as statistics.fmean


def _median(values: list[AnswerValue], question: Question) -> float:
    return float(statistics.median(values))  # type: ignore[type-var]  # of whole numbers too: the same float


def _min(values: list[AnswerValue], question: Question) -> float:
    return float(min(values))


def _max(values: list[AnswerValue], question: Question) -> float:
    return float(max(values))


def spread_of(low: float, high: float) -> float:
    """How far apart the lowest and the highest answer lie."""
    return high - low


def _spread(values: list[AnswerValue], question: Question) -> float:
    return spread_of(_min(values, question), _max(values, question))


def _count(values: list[AnswerValue], question: Question) -> int:
    return len(values)


def _share(values: list[AnswerValue], question: Question) -> float:
    """The share of yes answers."""
    return sum([v is True for v in values]) / len(values)


def agreement(values: list[AnswerValue]) -> tuple[int, int]:
    """How many agree (4-5) and how many disagree (1-2)."""
    return sum([n >= 4 for n in values]), sum([n <= 2 for n in values])  # type: ignore[operator]


def split_of(agree: int, disagree: int, count: int) -> float:
    """How split the answers are: the smaller of the shares agreeing and disagreeing, 0 to 0.5."""
    return min(agree, disagree) / count


def _split(values: list[AnswerValue], question: Question | None = None) -> float:
    return split_of(*agreement(values), len(values))


def _rwg(values: list[AnswerValue], question: Question | None = None) -> float | None:
    return within_agreement(values)


def _chosen(values: list[AnswerValue], question: Question) -> dict[str, int]:
    """How many made each choice, in the question's order, choices nobody made left out."""
    made = Counter([str(v) for v in values])
    return {choice: made[choice] for choice in question.choice_ids if made[choice]}


def mode_of(chosen: Mapping[str, int]) -> str:
    """The choice most made; of several made as often, the one listed first."""
    top = max(chosen.values())
    return next(choice for choice, n in chosen.items() if n == top)


def _distinct(values: list[AnswerValue], question: Question) -> float:
    return float(len(_chosen(values, question)))


def _mode(values: list[AnswerValue], question: Question) -> str:
    return mode_of(_chosen(values, question))


Statistic = Callable[[list[AnswerValue], Question], FactValue | None]
STATS: dict[str, Statistic] = {
    "count": _count,
    "mean": _mean,
    "median": _median,
    "min": _min,
    "max": _max,
    "spread": _spread,
    "share": _share,
    "split": _split,
    "rwg": _rwg,
    "distinct": _distinct,
    "mode": _mode,
}
"""Each statistic of a list of answers, by name (all but ``count`` need at least one answer, ``rwg`` two)."""
STATS_SHOWN = {kind: tuple(s for s in stats if s not in ("gap", "disputed")) for kind, stats in STATS_BY_TYPE.items()}
"""The statistics a question's aggregates hold, by answer type (``gap`` and ``disputed`` compare groups)."""
_OF_NUMBERS = tuple((stat, STATS[stat]) for stat in ("mean", "median", "min", "max"))


@dataclass(slots=True)
class _Sums:
    """What one organisation's answers add up to for its partner profile (see :func:`.partners.profile_of`)."""

    people: list[Respondent]
    points: list[float]
    own: list[float]
    asked: int = 0
    dont_know: int = 0


@dataclass(slots=True)  # not frozen: a frozen dataclass takes 3x as long to make (0.56 against 0.16 us)
class Counts:
    """How many answered, agreed (4-5), disagreed (1-2) and made each choice (yes/no too)."""

    count: int
    agree: int
    disagree: int
    distribution: dict[str, int]


def counts(question: Question, values: list[AnswerValue]) -> Counts:
    """The counts of the answers that count (see :func:`answered`)."""
    return Counts(len(values), *_counted(question, values))


def _counted(question: Question, values: list[AnswerValue]) -> tuple[int, int, dict[str, int]]:
    """How many agree and disagree, and how many made each choice (see :class:`Counts`)."""
    kind = question.type
    if kind == "scale":
        return (*agreement(values), {})
    if kind == "yesno":
        return 0, 0, {"yes": sum([v is True for v in values]), "no": sum([v is False for v in values])}
    if kind == "choice":
        return 0, 0, _chosen(values, question)
    return 0, 0, {}


def question_stats(question: Question, values: list[AnswerValue]) -> QuestionStats:
    """Every stat of ``question``'s answer type over ``values`` (None where there are no answers).

    "Don't know" answers are counted apart and left out of every stat, ``count`` included.
    Every stat is a float or a choice id (``count`` and ``distinct`` too, as the
    model's ``values`` holds them). The stats are those of :data:`STATS`; the ones the
    counts or other stats already give (split, mode, distinct; spread) are read off them.
    """
    kind = question.type
    found = answered(question, values)
    count = len(found)
    stats: dict[str, float | str | None] = dict.fromkeys(STATS_SHOWN[kind])
    stats["count"] = float(count)
    numbers = _whole_numbers(found, kind == "scale") if count >= _MANY and kind in ("scale", "number") else None
    distribution: dict[str, int]
    if numbers is not None:  # many whole numbers: read off how many gave each
        stats.update(numbers[0])
        agree, disagree, distribution = numbers[1], numbers[2], {}
    else:
        agree, disagree, distribution = _counted(question, found)
    if numbers is None and found:
        if kind == "scale" or kind == "number":
            for stat, statistic in _OF_NUMBERS:
                stats[stat] = statistic(found, question)
            stats["spread"] = spread_of(stats["min"], stats["max"])  # type: ignore[arg-type]
            if kind == "scale":
                stats["split"] = split_of(agree, disagree, count)
                stats["rwg"] = within_agreement(found)
        elif kind == "yesno":
            stats["share"] = _share(found, question)
        elif kind == "choice":
            stats["mode"] = mode_of(distribution)
            stats["distinct"] = float(len(distribution))
    return QuestionStats(
        count=count,
        values=stats,
        distribution=distribution,
        texts=tuple([str(v) for v in found]) if kind == "text" else (),
        agree=agree,
        disagree=disagree,
        dont_know=len(values) - count,
    )


_MANY = 64
"""From how many whole-number answers their stats are read off how many gave each value."""
_EXACT = 2**53  # whole numbers below this are floats exactly: their fsum is their sum, rounded once


def _whole_numbers(found: list[AnswerValue], scale: bool) -> tuple[dict[str, float | None], int, int] | None:
    """The number stats of ``found`` (and how many agree and disagree), read off how many gave each value.

    The same floats as the stats of the answers one by one (:data:`STATS`): the sum and the
    sum of squares are exact integers, the median is the middle answer (or the mean of the
    two middle ones) in sorted order. None unless every answer is a whole number below 2**53
    (then the stats are worked out one by one).
    """
    if set(map(type, found)) != _INT_ONLY:
        return None
    counts: Counter[int] = Counter(found)  # type: ignore[arg-type]  # every one an int, as checked
    values = sorted(counts)
    if not (-_EXACT < values[0] and values[-1] < _EXACT):
        return None
    n = len(found)
    total = sum(v * counts[v] for v in values)

    def nth(index: int) -> int:  # the answer at ``index`` in sorted order
        for value in values:
            index -= counts[value]
            if index < 0:
                return value
        raise IndexError(index)

    middle = n // 2
    low, high = float(values[0]), float(values[-1])
    stats: dict[str, float | None] = {
        "mean": float(total) / n,
        "median": float(nth(middle)) if n % 2 else float((nth(middle - 1) + nth(middle)) / 2),
        "min": low,
        "max": high,
        "spread": spread_of(low, high),
    }
    if not scale:
        return stats, 0, 0
    agree = sum(counts[v] for v in values if v >= 4)
    disagree = sum(counts[v] for v in values if v <= 2)
    stats["split"] = split_of(agree, disagree, n)
    if n > 1:
        squares = sum(v * v * counts[v] for v in values)
        stats["rwg"] = max(0.0, 1 - (n * squares - total * total) / (n * (n - 1)) / NULL_VARIANCE)
    else:
        stats["rwg"] = None
    return stats, agree, disagree


NULL_VARIANCE = (5**2 - 1) / 12
"""The variance of answers spread evenly over the five points of the agreement scale: rwg's null distribution."""


def within_agreement(values: Sequence[AnswerValue]) -> float | None:
    """rwg (James, Demaree and Wolf 1984): how far the answers agree, from 0 (no more than at random) to 1.

    rwg = 1 - s^2 / sigma^2, where s^2 is the answers' sample variance and sigma^2 = (5^2 - 1) / 12 = 2
    that of answers spread evenly over the five points (the rectangular null distribution);
    values below 0 count as 0. None with fewer than two answers. One answer far from the
    rest lowers it as much as an even split does: ``[1, 4, 4, 5, 5]`` gives 0, ``[3, 4, 4, 5, 5]`` 0.65.
    """
    n = len(values)
    if n < 2:
        return None
    if set(map(type, values)) == _INT_ONLY:
        # The exact sample variance as one fraction of integers, rounded once: the float statistics.variance gives.
        numbers: Sequence[int] = values  # type: ignore[assignment]  # every one an int, as checked
        total = sum(numbers)
        variance: float = (n * sum([v * v for v in numbers]) - total * total) / (n * (n - 1))
    else:
        variance = statistics.variance(values)  # type: ignore[type-var,assignment]
    return max(0.0, 1 - variance / NULL_VARIANCE)


def is_disputed(rwg: float | None, sides: tuple[int, int], means: Sequence[float], settings: GapSettings) -> bool:
    """A question is disputed when someone agrees and someone disagrees (``sides``: how many of each)
    and the answers' agreement (rwg) is at or below ``settings.agreement``, or when one group's mean
    is at or below ``settings.low`` while another's is at or above ``settings.high``.

    Neutral answers are not disagreement: answers of 3 beside 5 lower rwg but dispute nothing.
    """
    split = rwg is not None and rwg <= settings.agreement and min(sides) > 0
    return split or opposite_sides(means, settings)


def opposite_sides(means: Collection[float], settings: GapSettings) -> bool:
    """Whether one group's mean is at or below ``settings.low`` and another's at or above ``settings.high``."""
    return bool(means) and min(means) <= settings.low and max(means) >= settings.high


def agreed(chosen: Collection[str]) -> str:
    """The one type chosen, or :data:`NO_AGREED_TYPE` when none or several were."""
    return next(iter(chosen)) if len(chosen) == 1 else NO_AGREED_TYPE


def stats_over(respondents: Iterable[Respondent], questionnaire: Questionnaire) -> dict[str, QuestionStats]:
    """Every question's aggregates over ``respondents`` (only the roles each question asks)."""
    asked = questionnaire.asked
    columns: dict[str, list[AnswerValue]] = {qid: [] for qid in questionnaire.questions}
    for respondent in respondents:  # one pass: each answer to its question's column, in file order
        role = respondent.role
        for qid, value in respondent.answers.items():
            column = columns.get(qid)
            if column is not None and role in asked[qid]:
                column.append(value)
    return {qid: question_stats(question, columns[qid]) for qid, question in questionnaire.questions.items()}


def agreement_over(
    respondents: Iterable[Respondent], questionnaire: Questionnaire, withheld: Collection[str] = ()
) -> dict[str, Counts]:
    """The counts of each scale question over ``respondents`` (only the roles it asks), but the ``withheld`` ones.

    The counts :func:`stats_over` would give each, without the rest of their aggregates:
    what :func:`means_not_shown` reads of a group (a question nobody in it answered is left out).
    """
    asked = questionnaire.asked
    columns: dict[str, list[AnswerValue]] = {
        qid: [] for qid, question in questionnaire.questions.items() if question.type == "scale" and qid not in withheld
    }
    for respondent in respondents:
        role = respondent.role
        for qid, value in respondent.answers.items():
            column = columns.get(qid)
            if column is not None and value != DONT_KNOW and role in asked[qid]:
                column.append(value)
    return {qid: Counts(len(found), *agreement(found), {}) for qid, found in columns.items() if found}


@functools.cache
def section_score(score: int, level: str) -> SectionScore:
    """A section score (one model per score and level: scores are compared and shown, never changed)."""
    return SectionScore(score=score, level=level)  # type: ignore[arg-type]


# --- what the facts of a rule base need, worked out once ---------------------------------


class _Cell(NamedTuple):
    """A question's answers in one group, and the stats the rules read of them."""

    question: Question
    group: str
    slot: int
    wanted: tuple[tuple[FactKey, Statistic], ...]


class FactPlan:
    """What computing the facts of a compiled rule base needs of a questionnaire, worked out once.

    Where each question's answers go in a tally (its slot), which questions each role is
    asked, each section's scale questions, and the fact keys the rules read: each stat key
    under its question and group (a cell: its answers are gathered once and every stat of
    the cell computed from them), the other keys (scores, the agreed type, gaps, disputes)
    apart. A stat the question's type does not have is never known, and left out.
    When the rules read partner signals, each role's questions also say how an answer
    counts in its organisation's profile (``own_side``: the questions about its own side).
    """

    def __init__(
        self,
        questionnaire: Questionnaire,
        needed: Collection[FactKey],
        groups: Collection[str],
        own_side: Collection[str] = (),
    ) -> None:
        self.questionnaire = questionnaire
        self.groups = frozenset(groups)
        """Groups of several roles (``lead+core``) whose aggregates the rules compare."""
        self.slot = {qid: n for n, qid in enumerate(questionnaire.questions)}
        self.asked = {
            role: {qid: self.slot[qid] for qid, roles in questionnaire.asked.items() if role in roles} for role in ROLES
        }
        self.sections = tuple(
            (
                section.id,
                tuple(self.slot[q.id] for q in section.questions if q.type == "scale" and not q.reverse),
                tuple(self.slot[q.id] for q in section.questions if q.type == "scale" and q.reverse),
            )
            for section in questionnaire.sections
        )
        questions = questionnaire.questions
        cells: dict[tuple[str, str], list[tuple[FactKey, Statistic]]] = {}
        self.scores: list[FactKey] = []
        self.gaps: list[tuple[FactKey, Question]] = []
        self.disputes: list[tuple[FactKey, Question]] = []
        self.agreed = AGREED_TYPE in needed
        self.scored = frozenset(key.name for key in needed if key.kind == "score")
        """The sections whose scores the rules read."""
        self.partners = sorted(key for key in needed if key.kind == "partners")
        """``partners:`` keys: how many organisations show a signal (see :mod:`.partners`)."""
        counts_as = profile_kinds(questionnaire)
        self.profiled: dict[str, dict[str, tuple[int, int | None, bool]]] = {
            role: {qid: (slot, counts_as[role].get(qid), qid in own_side) for qid, slot in slots.items()}
            for role, slots in self.asked.items()
        }
        """For each role, each question it is asked: (its slot, how it counts in a profile, None for free text, and
        whether it is about the organisation's own side), for the pass that also adds up the partner profiles."""
        for key in needed:
            if key.kind == "score":
                self.scores.append(key)
            elif key.kind == "question":
                question = questions[key.name]
                if key.stat == "gap":
                    self.gaps.append((key, question))
                elif key.stat == "disputed":
                    self.disputes.append((key, question))
                elif key.stat == "count" or key.stat in STATS_SHOWN[question.type]:
                    cells.setdefault((key.name, key.group), []).append((key, STATS[key.stat]))
        self.cells = [
            _Cell(questions[qid], group, self.slot[qid], tuple(wanted)) for (qid, group), wanted in cells.items()
        ]


class Tally:
    """Each question's answers per group of respondents, as plain values, gathered when first needed.

    The groups are everyone (``""``), each role, and the groups of roles the plan names
    (``lead+core``); a respondent's answers count only for the questions their role is
    asked. Everyone's answers to every question are gathered in one pass over the answers
    (the section scores need most of them); a smaller group's when first read. From the
    tally come the facts the rules read (:meth:`facts`, plain numbers, no models), the
    section scores, and, only when asked, a group's aggregates as :class:`QuestionStats`
    (:meth:`stats`, :meth:`group`).
    """

    def __init__(self, answers: Answers, plan: FactPlan) -> None:
        self.plan = plan
        self.questionnaire = plan.questionnaire
        respondents = answers.respondents
        self._respondents = respondents
        present = {r.role for r in respondents}
        self.roles = [role for role in ROLES if role in present]
        self._extra = [group for group in sorted(plan.groups) if group not in ROLES]
        self.names: tuple[str, ...] = ("", *self.roles, *self._extra)
        # Everyone's answers to each question (in questionnaire order), from the roles asked it, in file order.
        columns: list[list[AnswerValue]] = [[] for _ in plan.slot]
        self._sums: dict[str, _Sums] = {}
        if plan.partners:  # the same pass adds up each organisation's profile
            self._gather_and_add_up(respondents, columns)
        else:
            for respondent in respondents:
                slots = plan.asked[respondent.role]
                for question_id, value in respondent.answers.items():
                    slot = slots.get(question_id)
                    if slot is not None:
                        columns[slot].append(value)
        self._everyone = columns
        self._members_cache: dict[str, list[Respondent]] | None = None
        self._role_columns: dict[str, list[list[AnswerValue]]] | None = None
        self._dicts: dict[tuple[str, frozenset[str] | None], list[dict[str, AnswerValue]]] = {}
        self._values: dict[tuple[str, str], list[AnswerValue]] = {}
        self._plain: dict[tuple[str, str], list[AnswerValue]] = {}
        self._stats: dict[tuple[str, str], QuestionStats] = {}

    def _gather_and_add_up(self, respondents: Sequence[Respondent], columns: list[list[AnswerValue]]) -> None:
        """Everyone's answers into ``columns`` and, in the same pass, what each organisation's answers add up to
        for its partner profile (as :func:`.partners.profile` adds them up, organisation by organisation)."""
        profiled, sums = self.plan.profiled, self._sums
        for respondent in respondents:
            name = respondent.organisation.strip()
            mine = sums.get(name)
            if mine is None:
                mine = sums[name] = _Sums([], [], [])
            mine.people.append(respondent)
            points, own = mine.points, mine.own
            asked = dont_know = 0
            route = profiled[respondent.role]
            for question_id, value in respondent.answers.items():
                found = route.get(question_id)
                if found is None:
                    continue
                slot, counts_as, own_side = found
                columns[slot].append(value)
                if counts_as is None:  # free text
                    continue
                asked += 1
                if type(value) is int:  # most answers: neither "don't know" nor a bool
                    if counts_as:
                        points.append(6 - value if counts_as == REVERSED else value)
                        if own_side:
                            own.append(float(value))
                elif value == DONT_KNOW:
                    dont_know += 1
                elif counts_as and isinstance(value, (int, float)) and not isinstance(value, bool):
                    points.append(6 - value if counts_as == REVERSED else value)
                    if own_side:
                        own.append(float(value))
            mine.asked += asked
            mine.dont_know += dont_know

    def profiles(self, type_questions: tuple[str, str]) -> dict[str, Profile]:
        """Each organisation's partner profile (:func:`.partners.profile`), from the pass that gathered the answers."""
        # Neutral answers are the 3s among the points (turning a 3 round leaves it a 3).
        return {
            name: profile_of(m.people, m.points, m.asked, m.dont_know, m.points.count(3), m.own, type_questions)
            for name, m in self._sums.items()
        }

    def answered_by_few(self, min_group: int) -> set[str]:
        """The questions 1 to ``min_group - 1`` people answered, or answered or said "don't know" to.

        From everyone's answers as gathered: checked answers hold only questions their
        respondent's role is asked, so these are all the answers.
        """
        if min_group <= 1:
            return set()
        few = set()
        for qid, slot in self.plan.slot.items():
            found = self._everyone[slot]
            replied = len(found)
            if 0 < replied < min_group or 0 < replied - found.count(DONT_KNOW) < min_group:
                few.add(qid)
        return few

    @property
    def _members(self) -> dict[str, list[Respondent]]:
        """Everyone (``""``), each role and each group of roles: their respondents, in file order."""
        if self._members_cache is None:
            respondents = self._respondents
            members = {"": list(respondents)}
            for name in (*ROLES, *self._extra):
                roles = roles_in(name)
                members[name] = [r for r in respondents if r.role in roles]
            self._members_cache = members
        return self._members_cache

    def values(self, name: str, question_id: str) -> list[AnswerValue]:
        """The answers to one question in one group, in file order (gathered once)."""
        if not name:
            return self._everyone[self.plan.slot[question_id]]
        if name in ROLES:
            return self._by_role()[name][self.plan.slot[question_id]]
        key = (name, question_id)
        found = self._values.get(key)
        if found is None:
            roles = self.questionnaire.asked[question_id]
            found = self._values[key] = [
                answers[question_id]
                for r in self._members.get(name, ())
                if question_id in (answers := r.answers) and r.role in roles
            ]
        return found

    def _by_role(self) -> dict[str, list[list[AnswerValue]]]:
        """Each role's answers to each question, in file order: gathered in one pass when a role's are first read."""
        if self._role_columns is None:
            plan = self.plan
            columns: dict[str, list[list[AnswerValue]]] = {role: [[] for _ in plan.slot] for role in ROLES}
            for respondent in self._respondents:
                role = respondent.role
                slots, mine = plan.asked[role], columns[role]
                for question_id, value in respondent.answers.items():
                    slot = slots.get(question_id)
                    if slot is not None:
                        mine[slot].append(value)
            self._role_columns = columns
        return self._role_columns

    def stats(self, name: str, question_id: str) -> QuestionStats:
        """The aggregates of one question over one group, built once."""
        key = (name, question_id)
        found = self._stats.get(key)
        if found is None:
            question = self.questionnaire.questions[question_id]
            found = self._stats[key] = question_stats(question, self.values(name, question_id))
        return found

    def group(self, name: str) -> GroupStats:
        """One group's aggregates as a mapping of question id -> stats, each built when first read."""
        return GroupStats(self, name)

    def groups(self) -> dict[str, GroupStats]:
        """Everyone (``""``), each role present and each group of roles, as lazy mappings."""
        return {name: self.group(name) for name in self.names}

    def scores(self, levels: Levels, sections: Collection[str] | None = None) -> dict[str, SectionScore]:
        """A 0-100 score per section from its scale answers, reverse-scored ones inverted
        (of the ``sections`` named only, when named).

        Each answer counts as (answer - 1) / 4, or (5 - answer) / 4 when reverse-scored;
        the score is their mean over all respondents and questions, times 100. A section
        with no scale answers gets no score.
        """
        scores = {}
        for section_id, straight, reverse in self.plan.sections:
            if sections is not None and section_id not in sections:
                continue
            mean = _section_mean(
                [self._everyone[slot] for slot in straight], [self._everyone[slot] for slot in reverse]
            )
            if mean is not None:
                score = round(100 * mean)
                scores[section_id] = section_score(score, levels.level(score))
        return scores

    def facts(
        self,
        scores: Mapping[str, SectionScore],
        settings: GapSettings,
        kind: Question | None = None,
        partners: PartnerSettings | None = None,
        signed_up: str | None = None,
        age: tuple[Question, Collection[str]] | None = None,
    ) -> dict[FactKey, FactValue]:
        """The values of the plan's fact keys that are known; unknown ones are left out.

        Computed from the answers as plain numbers, each the same value (and type) as the
        stat of that name in :func:`question_stats` (both call :data:`STATS`). ``kind`` is
        the partnership-type question, for the agreed-type fact; ``age`` the partnership-age
        question and its young choices, for the age fact. Each question's answers
        in a group are gathered once, and every stat the rules read of them computed
        from them. ``partners`` settings (and the question ``signed_up``, asking the type
        each organisation signed up for) give the ``partners:`` facts.
        """
        plan = self.plan
        known: dict[FactKey, FactValue] = {}
        gathered, everyone = self._answered, self._everyone
        for question, group, slot, wanted in plan.cells:
            if group:
                found = gathered(question, group)
            else:
                found = everyone[slot]
                if DONT_KNOW in found and question.type != "text":
                    found = [v for v in found if v != DONT_KNOW]
            if not found:  # no statistic but the count is known of no answers
                for key, statistic in wanted:
                    if statistic is _count:
                        known[key] = 0
                continue
            for key, statistic in wanted:
                value = statistic(found, question)
                if value is not None:  # rwg of one answer
                    known[key] = value
        for key in plan.scores:
            score = scores.get(key.name)
            if score:
                known[key] = score.score
        if plan.agreed:
            known[AGREED_TYPE] = self._agreed_type(kind) if kind else NO_AGREED_TYPE
        if plan.partners:
            pair = (signed_up, kind.id) if kind and signed_up else None
            signals = showing(self.profiles(pair or ("", "")), partners or PartnerSettings(), drift=bool(pair))
            for key in plan.partners:
                known[key] = signals[key.name]
        if age:  # always known, so that a rule held back while young applies when the age is unanswered
            known[PARTNERSHIP_AGE] = partnership_age(
                [v for r in ("lead", "core") for v in self._answered(age[0], r)], age[1]
            )
        for key, question in plan.gaps:
            first, second = self._mean(question, key.roles[0]), self._mean(question, key.roles[1])
            if first is not None and second is not None:
                known[key] = first - second
        for key, question in plan.disputes:
            value = self._disputed(question, key.group, settings)
            if value is not None:
                known[key] = value
        return known

    def answered(self, question: Question, name: str) -> list[AnswerValue]:
        """The answers of the group ``name`` (everyone when empty) that count for stats ("don't know" left out,
        but for free text), as the facts read them: gathered once, never to be changed."""
        return self._answered(question, name)

    def _answered(self, question: Question, name: str) -> list[AnswerValue]:
        """The answers that count for stats ("don't know" left out, but for free text), gathered once."""
        key = (name, question.id)
        found = self._plain.get(key)
        if found is None:
            text = question.type == "text"
            if not name:
                found = answered(question, self._everyone[self.plan.slot[question.id]])
            elif name in self.names:
                asked = frozenset(question.roles) if question.roles else None
                dicts = self._dicts.get((name, asked))
                if dicts is None:
                    members = roles_in(name)
                    dicts = self._dicts[name, asked] = [
                        r.answers for r in self._respondents if r.role in members and (not asked or r.role in asked)
                    ]
                qid = question.id
                if text:
                    found = [v for answers in dicts if (v := answers.get(qid, _ABSENT)) is not _ABSENT]  # type: ignore[misc]
                else:
                    found = [v for answers in dicts if (v := answers.get(qid, DONT_KNOW)) != DONT_KNOW]
            else:
                found = []
            self._plain[key] = found
        return found

    def _mean(self, question: Question, name: str) -> float | None:
        found = self._answered(question, name)
        return _mean(found, question) if found else None

    def _disputed(self, question: Question, name: str, settings: GapSettings) -> bool | None:
        """Whether ``question`` is disputed in the group ``name`` (everyone when empty) and among its roles."""
        found = self._answered(question, name)
        if not found:
            return None
        scale = question.type == "scale"
        rwg = within_agreement(found) if scale else None
        members = roles_in(name) or ROLES
        means = [m for role in members if role in self.roles and (m := self._mean(question, role)) is not None]
        return is_disputed(rwg, agreement(found) if scale else (0, 0), means, settings)

    def _agreed_type(self, question: Question) -> str:
        """As :func:`agreed_type`, from the answers as the tally holds them."""
        choices = set(question.choice_ids)
        return agreed({str(v) for role in ("lead", "core") for v in self._answered(question, role)} & choices)


def _section_mean(straight: list[list[AnswerValue]], reverse: list[list[AnswerValue]]) -> float | None:
    """The mean of the points of a section's scale answers (numbers only), or None when it has none.

    The same float as ``statistics.fmean`` of the points one by one: when every answer
    is an integer, each point is a multiple of 1/4 and their exact sum is an integer
    over 4, which ``fsum`` returns exactly, so it is computed from the integers.
    """
    forward = list(chain.from_iterable(straight))
    backward = list(chain.from_iterable(reverse))
    forward_types, backward_types = set(map(type, forward)), set(map(type, backward))
    if forward_types <= _INT_OR_TEXT and backward_types <= _INT_OR_TEXT:
        forward = [v for v in forward if type(v) is int] if str in forward_types else forward
        backward = [v for v in backward if type(v) is int] if str in backward_types else backward
        count = len(forward) + len(backward)
        if not count:
            return None
        total: int = sum(forward) - len(forward) + 5 * len(backward) - sum(backward)  # type: ignore[arg-type]
        return total / 4 / count
    numbers = [v for v in forward if isinstance(v, (int, float)) and not isinstance(v, bool)]
    reversed_numbers = [v for v in backward if isinstance(v, (int, float)) and not isinstance(v, bool)]
    points = [(v - 1) / 4 for v in numbers] + [(5 - v) / 4 for v in reversed_numbers]
    return statistics.fmean(points) if points else None


_ABSENT = object()
_INT_ONLY = {int}
_INT_OR_TEXT = {int, str}


class GroupStats(Mapping[str, QuestionStats]):
    """One group's aggregates of every question, each built the first time it is read."""

    def __init__(self, tally: Tally, name: str) -> None:
        self._tally, self._name = tally, name

    def __getitem__(self, question_id: str) -> QuestionStats:
        if question_id not in self._tally.questionnaire.questions:
            raise KeyError(question_id)
        return self._tally.stats(self._name, question_id)

    def __iter__(self) -> Iterator[str]:
        return iter(self._tally.questionnaire.questions)

    def __len__(self) -> int:
        return len(self._tally.questionnaire.questions)

    def answers(self, question_id: str) -> list[AnswerValue]:
        """The group's answers to one question as the tally holds them, without building its aggregates."""
        return self._tally.values(self._name, question_id)


def grouped(
    respondents: Iterable[Respondent], key: Callable[[Respondent], str], min_group: int
) -> dict[str, list[Respondent]]:
    """Respondents by ``key``, every group shown having at least ``min_group`` of them.

    Smaller groups merge into "others". While "others" is itself too small, the smallest
    group shown joins it: else "others" would be everyone minus the groups shown, and
    what it hides could be worked out by subtraction. When "others" would be everyone,
    there is no breakdown at all (an empty dict).
    """
    members: dict[str, list[Respondent]] = {}
    for respondent in respondents:
        members.setdefault(key(respondent), []).append(respondent)
    shown = {name: people for name, people in members.items() if len(people) >= min_group}
    others = [person for name, people in members.items() if name not in shown for person in people]
    while others and len(others) < min_group and shown:
        others += shown.pop(min(shown, key=lambda name: len(shown[name])))
    if others and shown:
        shown[OTHERS] = others
    return shown


def withheld(
    people: Sequence[Respondent],
    questionnaire: Questionnaire,
    by_role: Mapping[str, Sequence[Respondent]],
    by_organisation: Mapping[str, Sequence[Respondent]],
    min_group: int,
    unit_of: Callable[[Respondent], str],
) -> tuple[set[str], set[str]]:
    """The questions left out of the role breakdown and of the organisation breakdown.

    No figure shown may rest on fewer than ``min_group`` people's answers, directly or by
    subtraction. So a breakdown leaves a question out when one of its groups has 1 to
    ``min_group - 1`` answers to it (that group's figures, and everyone's minus the other
    groups', would be those few answers). When both breakdowns show a question, the
    people of one role in one organisation are what the two can single out between
    them (a role minus the organisations' other members); if 1 to ``min_group - 1`` of
    them answered it, the organisations leave it out. ``unit_of`` names the unit a
    person is counted in by the role breakdown (themselves, or their organisation).
    Answers of ``dont_know`` count as no answer.
    """
    if min_group <= 1:
        return set(), set()
    role_of_unit = {unit.id: name for name, units in by_role.items() for unit in units}
    organisation_of = {id(person): name for name, members in by_organisation.items() for person in members}
    # How many answered each question in each (role group, organisation group) cell: the cells
    # add up to each role group and each organisation group.
    members: dict[tuple[str | None, str | None], list[Respondent]] = {}
    for person in people:
        members.setdefault((role_of_unit.get(unit_of(person)), organisation_of.get(id(person))), []).append(person)
    cells: dict[tuple[str | None, str | None], Counter[str]] = {}
    for cell, persons in members.items():
        counted: Counter[str] = Counter()
        cells[cell] = counted
        for person in persons:
            answers = person.answers
            if DONT_KNOW in answers.values():
                counted.update([qid for qid, value in answers.items() if value != DONT_KNOW])
            else:
                counted.update(answers.keys())
    # A question whose every cell has min_group answers or more has as many in every group of a
    # breakdown: only those with a smaller cell need their groups added up.
    questions = questionnaire.questions
    smaller = {qid for counted in cells.values() for qid, n in counted.items() if n < min_group and qid in questions}
    roles: set[str] = set()
    organisations: set[str] = set()
    for qid in smaller:
        role_counts: dict[str, int] = {}
        organisation_counts: dict[str, int] = {}
        for (role, organisation), counted in cells.items():
            n = counted.get(qid, 0)
            if n and role is not None:
                role_counts[role] = role_counts.get(role, 0) + n
            if n and organisation is not None:
                organisation_counts[organisation] = organisation_counts.get(organisation, 0) + n
        if by_role and any(n < min_group for n in role_counts.values()):
            roles.add(qid)
        if by_organisation and any(n < min_group for n in organisation_counts.values()):
            organisations.add(qid)
        # Both breakdowns shown: one role in one organisation is what the two single out between them.
        if by_role and by_organisation and qid not in roles and qid not in organisations:
            organisations.add(qid)  # a cell of it is smaller than min_group
    return roles, organisations


def groups_shown(
    members: Mapping[str, Sequence[Respondent]],
    questionnaire: Questionnaire,
    withheld: Collection[str] = (),
    known: Mapping[str, Mapping[str, QuestionStats]] | None = None,
) -> dict[str, Group]:
    """Each group's aggregates, without the ``withheld`` questions and without free text.

    Free-text answers are shown over everyone only, never by group: a comment in a
    group's list would be attributed to that group. ``known`` aggregates of a group (by
    its name) are used instead of being computed again.
    """
    known = known or {}
    shown = {}
    for name, people in members.items():
        stats = known.get(name) or stats_over(people, questionnaire)
        answers = {
            qid: s.model_copy(update={"texts": ()}) if s.texts else s for qid, s in stats.items() if qid not in withheld
        }
        shown[name] = Group(respondents=len(people), answers=answers)
    return shown


def by_organisation(answers: Answers, questionnaire: Questionnaire) -> Answers:
    """The answers with several people from one organisation counted once.

    Each organisation becomes one respondent: the mean of its people's scale and number
    answers, the majority of their yes/no answers (a tie counts as unanswered), the choice
    most of them made (a tie goes to the choice listed first), all their free text. Its
    role is the role most of them hold (a tie goes to lead, then core).
    """
    people: dict[str, list[Respondent]] = {}
    for respondent in answers.respondents:
        people.setdefault(respondent.organisation.strip(), []).append(respondent)
    merged = []
    for organisation, members in people.items():
        roles = Counter(member.role for member in members)
        role: Role = max(ROLES, key=lambda r: (roles[r], -ROLES.index(r)))
        combined: dict[str, AnswerValue] = {}
        for qid, question in questionnaire.questions.items():
            values = [member.answers[qid] for member in members if qid in member.answers and question.asks(member.role)]
            if values and question.type != "text" and all(v == DONT_KNOW for v in values):
                combined[qid] = DONT_KNOW
                continue
            values = [v for v in values if v != DONT_KNOW or question.type == "text"]
            if values:
                value = _combine(question, values)
                if value is not None:
                    combined[qid] = value
        merged.append(Respondent(id=organisation, organisation=organisation, role=role, answers=combined))
    return answers.model_copy(update={"respondents": merged})


def _combine(question: Question, values: list[AnswerValue]) -> AnswerValue | None:
    if question.type in ("scale", "number"):
        return statistics.fmean(float(v) for v in values)
    if question.type == "yesno":
        yes = sum(v is True for v in values)
        return None if 2 * yes == len(values) else 2 * yes > len(values)
    if question.type == "choice":
        return _mode(values, question)
    return "\n\n".join(str(v) for v in values)


def overall_score(scores: dict[str, SectionScore], levels: Levels) -> SectionScore | None:
    """The mean of the section scores."""
    if not scores:
        return None
    score = round(statistics.fmean([s.score for s in scores.values()]))
    return section_score(score, levels.level(score))


def partnership_type(
    question: Question, everyone: list[AnswerValue], by_role: Mapping[str, list[AnswerValue]] | None = None
) -> PartnershipType:
    """The type most respondents chose, whether they all chose it, and the type the lead and core agree on.

    ``everyone``: everyone's answers that count (no "don't know"); ``by_role``: each role's, of the roles whose
    choices may be shown.
    """
    distribution = _chosen(everyone, question)
    chosen = mode_of(distribution) if everyone else None
    labels = {choice.id: choice.label for choice in question.choices}
    roles = by_role or {}
    agreed_on = agreed({str(v) for role in ("lead", "core") for v in roles.get(role, ())} & set(question.choice_ids))
    return PartnershipType(
        question=question.id,
        chosen=chosen,
        label=labels.get(chosen) if chosen else None,
        distribution=distribution,
        labels=labels,
        agreed=len(distribution) == 1,
        lead_and_core=None if agreed_on == NO_AGREED_TYPE else agreed_on,
    )


def partnership_age(chosen: Iterable[AnswerValue], young: Collection[str]) -> str:
    """``young`` when more than half the answers chose one of ``young``, ``established`` when fewer than half did.

    ``unknown`` when there are no answers or they split evenly: the rules then apply as
    if no age had been asked. The answers are the lead and core respondents' ("don't
    know" left out); wider partners often know less of the partnership's history.
    """
    answers = list(chosen)
    under = sum(answer in young for answer in answers)
    if 2 * under > len(answers):
        return "young"
    return "established" if 2 * under < len(answers) else "unknown"


def agreed_type(question: Question, by_role: Mapping[str, Mapping[str, QuestionStats]]) -> str:
    """The type every lead and core respondent who answered chose, or ``none``.

    ``none`` when no lead or core respondent chose a type (unanswered or "don't know"),
    or when they chose different types. Wider partners' answers do not count.
    """
    chosen: set[str] = set()
    for role in ("lead", "core"):
        stats = by_role.get(role, {}).get(question.id)
        chosen.update(choice for choice, n in (stats.distribution if stats else {}).items() if n)
    return agreed(chosen)


def disputed(
    qid: str, stats: QuestionStats | None, role_groups: Iterable[Mapping[str, QuestionStats]], settings: GapSettings
) -> bool | None:
    """Whether a scale question is disputed among the respondents of ``stats`` (None: unanswered).

    See :func:`is_disputed`; the means are those of ``role_groups``.
    """
    if not stats or not stats.count:
        return None
    rwg = stats.values.get("rwg")
    means = [m for group in role_groups if qid in group and isinstance(m := group[qid].values.get("mean"), float)]
    return is_disputed(rwg if isinstance(rwg, float) else None, (stats.agree, stats.disagree), means, settings)


EXACT_STATS = ("min", "max", "spread", "median")
"""Stats that are one person's answer (the lowest, the highest, the middle of an odd count) or two
people's (the spread): never shown while a smallest group above 1 is kept."""


def mean_pins(agree: int, disagree: int, min_group: int) -> bool:
    """Whether a scale question's mean, beside its agree/neither/disagree counts, could pin someone's answer.

    Agreeing is a 4 or a 5, disagreeing a 1 or a 2: with 1 to ``min_group - 1`` people on
    a side, the mean (the sum of the answers) together with the counts can leave one
    value for each of them. Such a question is shown by its counts, without its mean.
    (The neutral count is a count of one answer, 3, as yes/no counts are: it says that
    someone answered it, not who.)
    """
    return min_group > 1 and (0 < agree < min_group or 0 < disagree < min_group)


def private(question: Question, stats: QuestionStats, min_group: int, no_mean: Collection[str] = ()) -> QuestionStats:
    """``stats`` as a report with a smallest group of ``min_group`` may show them.

    Above 1: no lowest, highest, middle answer or spread (:data:`EXACT_STATS`), and no
    mean or rwg of the scale questions in ``no_mean`` (see :func:`means_not_shown`).
    """
    if min_group <= 1 or stats.withheld or question.type not in ("scale", "number"):
        return stats
    values = dict(stats.values)
    for stat in EXACT_STATS:
        if stat in values:
            values[stat] = None
    if question.id in no_mean:
        values["mean"] = values["rwg"] = None  # rwg is the variance: with the counts, it pins as the mean does
    return stats if values == stats.values else stats.model_copy(update={"values": values})


def means_not_shown(
    questionnaire: Questionnaire,
    everyone: Mapping[str, QuestionStats],
    groups: Iterable[Mapping[str, QuestionStats | Counts]],
    min_group: int,
) -> frozenset[str]:
    """The scale questions whose mean (and rwg) no group shows: where any group's would pin someone's answer.

    A question's mean is hidden for everyone and every group at once where :func:`mean_pins`
    holds for any of them: the groups of a breakdown add up to everyone, so one mean left
    out alone would be everyone's minus the others'. Likewise a section's score is the mean
    of its answers: with one question's mean left out of a section, the score minus the
    others' would give it, so a second one (the one with the most answers that could be
    4 or 5, or 1 or 2) is left out with it.
    """
    if min_group <= 1:
        return frozenset()
    every = [everyone, *groups]
    hidden = {
        qid
        for qid, question in questionnaire.questions.items()
        if question.type == "scale"
        and any(
            (found := group.get(qid)) is not None and mean_pins(found.agree, found.disagree, min_group)
            for group in every
        )
    }
    for section in questionnaire.sections:
        scale = [q for q in section.questions if q.type == "scale" and q.id in everyone and everyone[q.id].count]
        left_out = [q for q in scale if q.id in hidden]
        others = sorted(
            (q for q in scale if q.id not in hidden), key=lambda q: -(everyone[q.id].agree + everyone[q.id].disagree)
        )
        while left_out and others and _score_pins(scale, left_out, everyone, min_group):
            left_out.append(others.pop(0))
            hidden.add(left_out[-1].id)
    return frozenset(hidden)


def _points(question: Question, stats: QuestionStats) -> dict[tuple[int, int], int] | None:
    """A scale question's possible section points given its counts: (how many of those agreeing answered
    5, how many disagreeing answered 1) -> the points (answer - 1, or 5 - answer reverse-scored, summed).
    None when its answers are not whole numbers (organisations' means)."""
    mean = stats.values.get("mean")
    if not isinstance(mean, float) or abs(mean * stats.count - round(mean * stats.count)) > 1e-6:
        return None
    n, agree, disagree = stats.count, stats.agree, stats.disagree
    neither = n - agree - disagree
    found = {}
    for high in range(agree + 1):
        for low in range(disagree + 1):
            total = 5 * high + 4 * (agree - high) + 3 * neither + low + 2 * (disagree - low)
            found[high, low] = 5 * n - total if question.reverse else total - n
    return found


def _actual(question: Question, stats: QuestionStats) -> int:
    """A scale question's section points, from its mean and count."""
    total = round(float(stats.values.get("mean") or 0) * stats.count)
    return 5 * stats.count - total if question.reverse else total - stats.count


def _score_pins(
    scale: list[Question], left_out: list[Question], everyone: Mapping[str, QuestionStats], min_group: int
) -> bool:
    """Whether the section's score, less the points of the means shown, pins a side of 1 to
    ``min_group - 1`` people of a question left out (every assignment an attacker can try agrees on it)."""
    options: dict[str, set[int]] = {}
    choices: dict[str, dict[tuple[int, int], int]] = {}
    for q in left_out:
        found = _points(q, everyone[q.id])
        if found is None:
            return False
        choices[q.id], options[q.id] = found, set(found.values())
    count = sum(everyone[q.id].count for q in scale)
    known = sum(_actual(q, everyone[q.id]) for q in scale if q not in left_out)
    score = round(100 * ((known + sum(_actual(q, everyone[q.id]) for q in left_out)) / 4 / count))
    for q in left_out:
        stats = everyone[q.id]
        small = [side for side, n in ((0, stats.agree), (1, stats.disagree)) if 0 < n < min_group]
        if not small:
            continue
        rest = {0}  # what the other questions left out can add up to
        for other in left_out:
            if other is not q:
                rest = {r + p for r in rest for p in options[other.id]}
        fits = [
            key
            for key, p in choices[q.id].items()
            if any(round(100 * ((known + p + r) / 4 / count)) == score for r in rest)
        ]
        if any(len({key[side] for key in fits}) == 1 for side in small):
            return True
    return False


def private_gap(gap: Gap, everyone: QuestionStats, by_role: Mapping[str, Group], min_group: int) -> Gap:
    """A perception gap as a report with a smallest group of ``min_group`` may show it: no spread, only
    the role means :func:`private` shows, and its rwg only where everyone's mean is shown."""
    if min_group <= 1:
        return gap
    rwg = gap.rwg if everyone.values.get("rwg") is not None else None
    means = {
        role: mean
        for role, mean in gap.by_role.items()
        if role in by_role
        and gap.question in by_role[role].answers
        and by_role[role].answers[gap.question].values.get("mean") is not None
    }
    if len(means) < 2:  # one role's mean beside everyone's would give the other roles'
        means = {}
    role_gap = max(means.values()) - min(means.values()) if means else None
    return gap.model_copy(update={"spread": None, "by_role": means, "role_gap": role_gap, "rwg": rwg})


def perception_gaps(
    overall: dict[str, QuestionStats],
    by_role: dict[str, Group],
    questionnaire: Questionnaire,
    settings: GapSettings,
) -> tuple[Gap, ...]:
    """Scale questions the room is split on (see :func:`disputed`), least agreed first.

    Ranked by the answers' agreement (rwg, lowest first), then by how far apart the role
    groups' means are.
    """
    gaps = []
    prompts = {q.id: tuple(s.prompts[:2]) for s in questionnaire.sections for q in s.questions}
    for qid, question in questionnaire.questions.items():
        stats = overall[qid]
        if question.type != "scale" or not disputed(qid, stats, (g.answers for g in by_role.values()), settings):
            continue
        means = {
            role: float(mean)
            for role, group in by_role.items()
            if qid in group.answers and isinstance(mean := group.answers[qid].values.get("mean"), float)
        }
        role_gap = max(means.values()) - min(means.values()) if len(means) > 1 else None
        rwg = stats.values.get("rwg")
        agreement = round(float(rwg), 3) if isinstance(rwg, float) else None
        gap = Gap(
            question=qid,
            text=question.text.strip(),
            split=round(float(stats.values.get("split") or 0), 3),
            rwg=agreement,
            sides=opposite_sides(means.values(), settings),
            agree=stats.agree,
            neutral=stats.count - stats.agree - stats.disagree,
            disagree=stats.disagree,
            dont_know=stats.dont_know,
            spread=float(stats.values.get("spread") or 0),
            role_gap=role_gap,
            by_role={role: round(mean, 2) for role, mean in means.items()},
            prompts=prompts[qid],
        )
        gaps.append(((1.0 if agreement is None else agreement, -(role_gap or 0)), gap))
    return tuple(gap for _, gap in sorted(gaps, key=lambda pair: pair[0]))

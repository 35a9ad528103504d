"""Answers -> aggregates per question, role and organisation, scores, gaps, and the facts rules match."""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

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
    PartnershipType,
    Question,
    Questionnaire,
    QuestionStats,
    Respondent,
    Role,
    SectionScore,
)

FactValue = float | int | str | bool
OTHERS = "others"
AGREED_TYPE = "type:agreed"
NO_AGREED_TYPE = "none"
"""The value of the agreed-type fact when the lead and core respondents left the type unanswered or disagree."""


def fact_key(question_id: str, stat: str, role: str | None = None) -> str:
    """The name of an aggregate fact: ``question:stat`` or ``question:stat@role``."""
    return f"{question_id}:{stat}" + (f"@{role}" if role else "")


def score_key(section_id: str) -> str:
    return f"score:{section_id}"


def derived_key(name: str) -> str:
    return f"fact:{name}"


def question_stats(question: Question, values: list[AnswerValue]) -> QuestionStats:
    """Every stat of ``question``'s answer type over ``values`` (None where there are no answers).

    "Don't know" answers are counted apart and left out of every stat, ``count`` included.
    Every stat is a float or a choice id (``count`` and ``distinct`` too, as the
    model's ``values`` holds them).
    """
    kind = question.type
    dont_know = values.count(DONT_KNOW) if kind != "text" else 0
    if dont_know:
        values = [v for v in values if v != DONT_KNOW]
    count = len(values)
    stats: dict[str, float | str | None] = dict.fromkeys(_STATS_SHOWN[kind])
    stats["count"] = float(count)
    distribution: dict[str, int] = {}
    texts: tuple[str, ...] = ()
    agree = disagree = 0
    if kind == "scale" or kind == "number":
        numbers = [float(v) for v in values]  # type: ignore[arg-type]
        if numbers:
            low, high = min(numbers), max(numbers)
            stats.update(
                mean=math.fsum(numbers) / count,  # as statistics.fmean
                median=float(statistics.median(numbers)),
                min=low,
                max=high,
                spread=high - low,
            )
        if kind == "scale":
            agree, disagree = sum([n >= 4 for n in numbers]), sum([n <= 2 for n in numbers])
            if numbers:
                stats["split"] = min(agree, disagree) / count
    elif kind == "yesno":
        distribution = {"yes": sum([v is True for v in values]), "no": sum([v is False for v in values])}
        if values:
            stats["share"] = distribution["yes"] / count
    elif kind == "choice":
        counts = Counter([str(v) for v in values])
        distribution = {choice: counts[choice] for choice in question.choice_ids if counts[choice]}
        if values:
            top = max(distribution.values())
            stats["mode"] = next(choice for choice, n in distribution.items() if n == top)
            stats["distinct"] = float(len(distribution))
    else:
        texts = tuple([str(v) for v in values])
    return QuestionStats(
        count=count,
        values=stats,
        distribution=distribution,
        texts=texts,
        agree=agree,
        disagree=disagree,
        dont_know=dont_know,
    )


_STATS_SHOWN = {kind: tuple(s for s in stats if s not in ("gap", "disputed")) for kind, stats in STATS_BY_TYPE.items()}


def stats_over(respondents: Iterable[Respondent], questionnaire: Questionnaire) -> dict[str, QuestionStats]:
    """Every question's aggregates over ``respondents`` (only the roles each question asks)."""
    chosen = list(respondents)
    return {
        qid: question_stats(question, [r.answers[qid] for r in chosen if qid in r.answers and question.asks(r.role)])
        for qid, question in questionnaire.questions.items()
    }


class Tally:
    """Each question's answers per group of respondents, as plain values, gathered when first needed.

    The groups are everyone (``""``), each role, and the groups of roles ``groups`` names
    (``lead+core``); a respondent's answers count only for the questions their role is
    asked. Everyone's answers to every question are gathered in one pass over the answers
    (the section scores need most of them); a smaller group's when first read. From the
    tally come the facts the rules read (:meth:`facts`, plain numbers, no models), the
    section scores, and, only when asked, a group's aggregates as :class:`QuestionStats`
    (:meth:`stats`, :meth:`group`).
    """

    def __init__(self, answers: Answers, questionnaire: Questionnaire, groups: Collection[str] = ()) -> None:
        self.questionnaire = questionnaire
        respondents = answers.respondents
        self._respondents = respondents
        present = {r.role for r in respondents}
        self.roles = [role for role in ROLES if role in present]
        self._extra = [group for group in sorted(groups) if group not in ROLES]
        self.names: tuple[str, ...] = ("", *self.roles, *self._extra)
        layout = _layout(questionnaire)
        self._layout = layout
        # Everyone's answers to each question (in questionnaire order), from the roles asked it, in file order.
        columns: list[list[AnswerValue]] = [[] for _ in layout.slot]
        for respondent in respondents:
            slots = layout.asked[respondent.role]
            for question_id, value in respondent.answers.items():
                slot = slots.get(question_id)
                if slot is not None:
                    columns[slot].append(value)
        self._everyone = columns
        self._members_cache: dict[str, list[Respondent]] | None = None
        self._dicts: dict[tuple[str, frozenset[str] | None], list[dict[str, AnswerValue]]] = {}
        self._values: dict[tuple[str, str], list[AnswerValue]] = {}
        self._plain: dict[tuple[str, str], list[AnswerValue]] = {}
        self._stats: dict[tuple[str, str], QuestionStats] = {}

    @property
    def _members(self) -> dict[str, list[Respondent]]:
        """Everyone (``""``), each role and each group of roles: their respondents, in file order."""
        if self._members_cache is None:
            respondents = self._respondents
            members = {"": list(respondents)}
            for name in (*ROLES, *self._extra):
                roles = name.split("+")
                members[name] = [r for r in respondents if r.role in roles]
            self._members_cache = members
        return self._members_cache

    def values(self, name: str, question_id: str) -> list[AnswerValue]:
        """The answers to one question in one group, in file order (gathered once)."""
        if not name:
            return self._everyone[self._layout.slot[question_id]]
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

    def scores(self, levels: Levels) -> dict[str, SectionScore]:
        """A 0-100 score per section from its scale answers, reverse-scored ones inverted.

        Each answer counts as (answer - 1) / 4, or (5 - answer) / 4 when reverse-scored;
        the score is their mean over all respondents and questions, times 100. A section
        with no scale answers gets no score.
        """
        scores = {}
        for section_id, straight, reverse in self._layout.sections:
            mean = _section_mean(
                [self._everyone[slot] for slot in straight], [self._everyone[slot] for slot in reverse]
            )
            if mean is not None:
                score = round(100 * mean)
                level = levels.level(score)
                found = _section_scores.get((score, level))
                if found is None:
                    found = _section_scores[score, level] = SectionScore(score=score, level=level)
                scores[section_id] = found
        return scores

    def facts(
        self,
        needed: Collection[str],
        scores: Mapping[str, SectionScore],
        settings: GapSettings | None = None,
        kind: Question | None = None,
    ) -> dict[str, FactValue]:
        """The values of the ``needed`` fact keys that are known; unknown ones are left out.

        Computed from the answers as plain numbers, each the same value (and type) as the
        stat of that name in :func:`question_stats`. ``kind`` is the partnership-type
        question, for the agreed-type fact. The keys are read once per rule base (see
        :func:`_fact_plan`); each question's answers in a group are gathered once, and
        every stat the rules read of them computed from them.
        """
        settings = settings or GapSettings()
        cells, others = _fact_plan(self.questionnaire, needed)
        known: dict[str, FactValue] = {}
        answered, everyone = self._answered, self._everyone
        for question, group, slot, text, wanted in cells:
            if group:
                found = answered(question, group)
            else:
                found = everyone[slot]
                if not text and DONT_KNOW in found:
                    found = [v for v in found if v != DONT_KNOW]
            if not found:
                for key, code, _ in wanted:
                    if code == _COUNT:
                        known[key] = 0
                continue
            for key, code, choices in wanted:
                if code == _MEAN:
                    known[key] = math.fsum(found) / len(found)  # type: ignore[arg-type]
                elif code == _COUNT:
                    known[key] = len(found)
                elif code == _MIN:
                    known[key] = float(min(found))  # type: ignore[type-var,arg-type]
                elif code == _MAX:
                    known[key] = float(max(found))  # type: ignore[type-var,arg-type]
                elif code == _SHARE:
                    known[key] = sum([v is True for v in found]) / len(found)
                elif code == _SPREAD:
                    known[key] = float(max(found)) - float(min(found))  # type: ignore[type-var,arg-type]
                elif code == _MEDIAN:
                    known[key] = float(statistics.median([float(v) for v in found]))  # type: ignore[arg-type]
                elif code == _SPLIT:
                    known[key] = _split(found)
                else:  # _DISTINCT, _MODE
                    counts = Counter(str(v) for v in found)
                    distribution = {choice: counts[choice] for choice in choices if counts[choice]}
                    if code == _DISTINCT:
                        known[key] = float(len(distribution))
                    else:
                        top = max(distribution.values())
                        known[key] = next(choice for choice, n in distribution.items() if n == top)
        for key, code, on, group, second in others:
            value: FactValue | None
            if code == _SCORE:
                score = scores.get(group)
                value = score.score if score else None
            elif code == _AGREED:
                value = self._agreed_type(kind) if kind else NO_AGREED_TYPE
            elif code == _GAP:
                assert on is not None
                first_mean, second_mean = self._mean(on, group), self._mean(on, second)
                value = first_mean - second_mean if first_mean is not None and second_mean is not None else None
            else:  # _DISPUTED
                assert on is not None
                value = self._disputed(on, group, settings)
            if value is not None:
                known[key] = value
        return known

    def _answered(self, question: Question, name: str) -> list[AnswerValue]:
        """The answers that count for stats ("don't know" left out, but for free text), gathered once."""
        key = (name, question.id)
        found = self._plain.get(key)
        if found is None:
            text = question.type == "text"
            if not name:
                found = self._everyone[self._layout.slot[question.id]]
                if not text and DONT_KNOW in found:
                    found = [v for v in found if v != DONT_KNOW]
            elif name in self.names:
                asked = frozenset(question.roles) if question.roles else None
                dicts = self._dicts.get((name, asked))
                if dicts is None:
                    members = name.split("+")
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
        return math.fsum(found) / len(found) if found else None  # type: ignore[arg-type]

    def _disputed(self, question: Question, name: str, settings: GapSettings) -> bool | None:
        """As :func:`disputed`, over the group ``name`` (everyone when empty) and its roles."""
        found = self._answered(question, name)
        if not found:
            return None
        if question.type == "scale" and _split(found) >= settings.share:
            return True
        members = name.split("+") if name else ROLES
        means = [m for role in members if role in self.roles and (m := self._mean(question, role)) is not None]
        return bool(means) and min(means) <= settings.low and max(means) >= settings.high

    def _agreed_type(self, question: Question) -> str:
        """As :func:`agreed_type`: the type every lead and core respondent who answered chose, or ``none``."""
        choices = set(question.choice_ids)
        chosen = {str(v) for role in ("lead", "core") for v in self._answered(question, role)} & choices
        return chosen.pop() if len(chosen) == 1 else NO_AGREED_TYPE


def _split(numbers: list[AnswerValue]) -> float:
    """The smaller of the shares agreeing (4-5) and disagreeing (1-2)."""
    agree = sum([n >= 4 for n in numbers])  # type: ignore[operator]
    disagree = sum([n <= 2 for n in numbers])  # type: ignore[operator]
    return min(agree, disagree) / len(numbers)


def _section_mean(straight: list[list[AnswerValue]], reverse: list[list[AnswerValue]]) -> float | None:
    """The mean of the points of a section's scale answers (numbers only), or None when it has none.

    The same float as ``statistics.fmean`` of the points one by one: when every answer
    is an integer, each point is a multiple of 1/4 and their exact sum is an integer
    over 4, which ``fsum`` returns exactly, so it is computed from the integers.
    """
    forward = [v for found in straight for v in found]
    backward = [v for found in reverse for v in found]
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
_INT_OR_TEXT = {int, str}
_COUNT, _MEAN, _MIN, _MAX, _SHARE, _SPREAD, _MEDIAN, _SPLIT, _DISTINCT, _MODE = range(10)
_SCORE, _AGREED, _GAP, _DISPUTED = range(4)
_CODES = {
    "mean": _MEAN,
    "min": _MIN,
    "max": _MAX,
    "share": _SHARE,
    "spread": _SPREAD,
    "median": _MEDIAN,
    "split": _SPLIT,
    "distinct": _DISTINCT,
    "mode": _MODE,
}
_Cell = tuple[Question, str, int, bool, list[tuple[str, int, tuple[str, ...]]]]
_Other = tuple[str, int, "Question | None", str, str]
_plans: dict[tuple[int, frozenset[str]], tuple[Questionnaire, list[_Cell], list[_Other]]] = {}
_section_scores: dict[tuple[int, str], SectionScore] = {}


def _fact_plan(questionnaire: Questionnaire, needed: Collection[str]) -> tuple[list[_Cell], list[_Other]]:
    """The ``needed`` fact keys, read once per questionnaire and rule base.

    Each stat key goes under its question and group (a cell: its answers are gathered
    once, and every stat of the cell computed from them); the other keys (scores, the
    agreed type, gaps, disputes) apart. A stat the question's type does not have is
    never known, and left out.
    """
    plan_key = (id(questionnaire), needed if isinstance(needed, frozenset) else frozenset(needed))
    hit = _plans.get(plan_key)
    if hit is not None and hit[0] is questionnaire:
        return hit[1], hit[2]
    questions = questionnaire.questions
    cells: dict[tuple[str, str], _Cell] = {}
    others: list[_Other] = []
    for key in needed:
        if key.startswith("score:"):
            others.append((key, _SCORE, None, key[len("score:") :], ""))
        elif key == AGREED_TYPE:
            others.append((key, _AGREED, None, "", ""))
        elif not key.startswith("fact:"):
            question_id, _, rest = key.partition(":")
            stat, _, group = rest.partition("@")
            question = questions[question_id]
            if stat == "gap":
                first, _, second = group.partition("-")
                others.append((key, _GAP, question, first, second))
            elif stat == "disputed":
                others.append((key, _DISPUTED, question, group, ""))
            elif stat == "count" or stat in _STATS_SHOWN[question.type]:
                slot = _layout(questionnaire).slot[question_id]
                cell = cells.setdefault((question_id, group), (question, group, slot, question.type == "text", []))
                cell[4].append((key, _COUNT if stat == "count" else _CODES[stat], question.choice_ids))
    if len(_plans) >= 8:
        _plans.clear()
    _plans[plan_key] = (questionnaire, list(cells.values()), others)
    return _plans[plan_key][1], others


@dataclass(frozen=True)
class _Layout:
    """Where each question's answers go in a tally, read once per questionnaire."""

    slot: dict[str, int]  # question id -> its place
    asked: dict[str, dict[str, int]]  # role -> the places of the questions asked of it
    sections: tuple[tuple[str, tuple[int, ...], tuple[int, ...]], ...]  # section id, its scale questions' places


_layouts: dict[int, tuple[Questionnaire, _Layout]] = {}


def _layout(questionnaire: Questionnaire) -> _Layout:
    hit = _layouts.get(id(questionnaire))
    if hit is not None and hit[0] is questionnaire:
        return hit[1]
    slot = {qid: n for n, qid in enumerate(questionnaire.questions)}
    asked = {role: {qid: slot[qid] for qid, roles in questionnaire.asked.items() if role in roles} for role in ROLES}
    sections = tuple(
        (
            section.id,
            tuple(slot[q.id] for q in section.questions if q.type == "scale" and not q.reverse),
            tuple(slot[q.id] for q in section.questions if q.type == "scale" and q.reverse),
        )
        for section in questionnaire.sections
    )
    layout = _Layout(slot, asked, sections)
    if len(_layouts) >= 8:
        _layouts.clear()
    _layouts[id(questionnaire)] = (questionnaire, layout)
    return layout


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
    too_few = range(1, min_group)
    roles: set[str] = set()
    organisations: set[str] = set()
    for qid in questionnaire.questions:
        answered = [p for p in people if qid in p.answers and p.answers[qid] != DONT_KNOW]
        role_counts = Counter(role_of_unit.get(unit_of(p)) for p in answered)
        organisation_counts = Counter(organisation_of.get(id(p)) for p in answered)
        if by_role and any(n in too_few for name, n in role_counts.items() if name is not None):
            roles.add(qid)
        if by_organisation and any(n in too_few for name, n in organisation_counts.items() if name is not None):
            organisations.add(qid)
        if by_role and by_organisation and qid not in roles | organisations:
            cells = Counter((role_of_unit.get(unit_of(p)), organisation_of.get(id(p))) for p in answered)
            if any(n in too_few for n in cells.values()):
                organisations.add(qid)
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
        return statistics.fmean(float(v) for v in values)  # type: ignore[arg-type]
    if question.type == "yesno":
        yes = sum(v is True for v in values)
        return None if 2 * yes == len(values) else 2 * yes > len(values)
    if question.type == "choice":
        return question_stats(question, values).values["mode"]
    return "\n\n".join(str(v) for v in values)


def overall_score(scores: dict[str, SectionScore], levels: Levels) -> SectionScore | None:
    """The mean of the section scores."""
    if not scores:
        return None
    score = round(statistics.fmean([s.score for s in scores.values()]))
    return SectionScore(score=score, level=levels.level(score))


def partnership_type(
    question: Question, stats: QuestionStats, by_role: Mapping[str, Mapping[str, QuestionStats]] | None = None
) -> PartnershipType:
    """The type most respondents chose, whether they all chose it, and the type the lead and core agree on."""
    chosen = stats.values.get("mode")
    labels = {choice.id: choice.label for choice in question.choices}
    agreed = agreed_type(question, by_role or {})
    return PartnershipType(
        question=question.id,
        chosen=str(chosen) if chosen else None,
        label=labels.get(str(chosen)) if chosen else None,
        distribution=stats.distribution,
        labels=labels,
        agreed=len(stats.distribution) == 1,
        lead_and_core=None if agreed == NO_AGREED_TYPE else agreed,
    )


def agreed_type(question: Question, by_role: Mapping[str, Mapping[str, QuestionStats]]) -> str:
    """The type every lead and core respondent who answered chose, or ``none``.

    ``none`` when no lead or core respondent chose a type (unanswered or "don't know"),
    or when they chose different types. Wider partners' answers do not count.
    """
    chosen: set[str] = set()
    for role in ("lead", "core"):
        stats = by_role.get(role, {}).get(question.id)
        chosen.update(choice for choice, n in (stats.distribution if stats else {}).items() if n)
    return chosen.pop() if len(chosen) == 1 else NO_AGREED_TYPE


def disputed(
    qid: str, stats: QuestionStats | None, role_groups: Iterable[Mapping[str, QuestionStats]], settings: GapSettings
) -> bool | None:
    """Whether a scale question is disputed among the respondents of ``stats`` (None: unanswered).

    Disputed: both the share agreeing (4-5) and the share disagreeing (1-2) reach
    ``settings.share``, or one of ``role_groups`` has a mean at or below ``settings.low``
    while another's is at or above ``settings.high``.
    """
    if not stats or not stats.count:
        return None
    split = stats.values.get("split")
    if isinstance(split, float) and split >= settings.share:
        return True
    means = [m for group in role_groups if qid in group and isinstance(m := group[qid].values.get("mean"), float)]
    return bool(means) and min(means) <= settings.low and max(means) >= settings.high


def perception_gaps(
    overall: dict[str, QuestionStats],
    by_role: dict[str, Group],
    questionnaire: Questionnaire,
    settings: GapSettings,
) -> tuple[Gap, ...]:
    """Scale questions the room is split on (see :func:`disputed`), most split first.

    Ranked "mixed first": by the smaller of the shares agreeing and disagreeing, then by
    how far apart the role groups' means are.
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
        split = float(stats.values.get("split") or 0)
        gap = Gap(
            question=qid,
            text=question.text.strip(),
            split=round(split, 3),
            sides=bool(means) and min(means.values()) <= settings.low and max(means.values()) >= settings.high,
            agree=stats.agree,
            neutral=stats.count - stats.agree - stats.disagree,
            disagree=stats.disagree,
            dont_know=stats.dont_know,
            spread=float(stats.values.get("spread") or 0),
            role_gap=role_gap,
            by_role={role: round(mean, 2) for role, mean in means.items()},
            prompts=prompts[qid],
        )
        gaps.append(((split, role_gap or 0), gap))
    return tuple(gap for _, gap in sorted(gaps, key=lambda pair: (-pair[0][0], -pair[0][1])))

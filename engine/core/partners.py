"""Each partner organisation beside the rest: what a whole-partnership figure averages away.

One partner of five that has gone quiet (guarded neutral answers, far more "don't know"
than anyone else, answers well below the others') moves no mean past a threshold. So
each organisation's figures are compared with the other organisations' by the modified
z-score of Iglewicz and Hoaglin (1993), and the rules read how many organisations show
each signal (``partners:below_rest`` ...), never which: the facts name no organisation.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..models import DONT_KNOW, PARTNER_SIGNALS, ROLES, AnswerValue, PartnerSettings, Questionnaire, Respondent

Z_FACTOR = 0.6745
"""Iglewicz and Hoaglin's constant: 0.6745 MAD is the standard deviation of normal data."""
MEAN_AD_FACTOR = 1.253314
"""When MAD is 0: the mean absolute deviation times this (sqrt(pi / 2)) takes its place."""


def modified_z(values: Sequence[float]) -> list[float]:
    """Each value's modified z-score, M = 0.6745 (x - median) / MAD; all 0 when the values do not vary."""
    middle = statistics.median(values)
    deviations = [abs(v - middle) for v in values]
    mad = statistics.median(deviations)
    if mad > 0:
        return [Z_FACTOR * (v - middle) / mad for v in values]
    mean_ad = statistics.fmean(deviations)
    if mean_ad > 0:
        return [(v - middle) / (MEAN_AD_FACTOR * mean_ad) for v in values]
    return [0.0] * len(values)


@dataclass(frozen=True)
class Profile:
    """One organisation's answers in three figures, over the statements and questions its people were asked."""

    mean: float | None
    """Mean answer on the agreement statements, reverse-scored ones turned round (1 unhealthy to 5 healthy)."""
    statements: int
    """How many statement answers (not "don't know") the mean is over."""
    dont_know: float
    """Share of its answers (statements, yes/no, numbers, choices) that are "don't know"."""
    neutral: float
    """Share of its statement answers that are 3, neither agree nor disagree."""
    own_lowest: float | None
    """Its lowest answer to the questions about its own side (``PartnerSettings.own_side``)."""
    drifted: bool
    """The type it signed up for is not the type it sees today (both answered)."""


def profile(
    people: Sequence[Respondent], questionnaire: Questionnaire, own_side: Iterable[str], type_questions: tuple[str, str]
) -> Profile:
    """The figures of one organisation's people's answers (each person's answers count)."""
    points: list[float] = []
    asked = dont_know = neutral = 0
    own: list[float] = []
    own_ids = set(own_side)
    counted = profile_kinds(questionnaire)
    for person in people:
        kinds = counted[person.role]
        for qid, value in person.answers.items():
            scale = kinds.get(qid)
            if scale is None:  # not in the questionnaire, free text, or not asked of the person's role
                continue
            asked += 1
            if value == DONT_KNOW:
                dont_know += 1
                continue
            if scale and isinstance(value, (int, float)) and not isinstance(value, bool):
                points.append(6 - value if scale == REVERSED else value)
                neutral += value == 3
                if qid in own_ids:
                    own.append(float(value))
    return profile_of(people, points, asked, dont_know, neutral, own, type_questions)


def profile_of(
    people: Sequence[Respondent],
    points: Sequence[float],
    asked: int,
    dont_know: int,
    neutral: int,
    own: Sequence[float],
    type_questions: tuple[str, str],
) -> Profile:
    """An organisation's profile from what its people's answers add up to (see :func:`profile`).

    ``points``: its statement answers, reverse-scored ones turned round; ``asked``: its answers
    to the questions a profile counts (not free text), of which ``dont_know`` were "don't
    know" and ``neutral`` statements answered 3; ``own``: its answers about its own side.
    """
    signed_up, today = type_questions
    return Profile(
        mean=statistics.fmean(points) if points else None,
        statements=len(points),
        dont_know=dont_know / asked if asked else 0.0,
        neutral=neutral / len(points) if points else 0.0,
        own_lowest=min(own) if own else None,
        drifted=_drifted(people, signed_up, today),
    )


NOT_SCALE, STRAIGHT, REVERSED = 0, 1, 2
"""How a question's answers count in a profile: not a statement, a statement, a reverse-scored statement."""
_COUNTED: dict[int, tuple[Questionnaire, dict[str, dict[str, int]]]] = {}


def profile_kinds(questionnaire: Questionnaire) -> dict[str, dict[str, int]]:
    """For each role, the questions whose answers a profile counts (not free text, asked of the role), and
    whether each is an agreement statement, reverse-scored or not: worked out once per questionnaire."""
    kept = _COUNTED.get(id(questionnaire))
    if kept is not None and kept[0] is questionnaire:
        return kept[1]
    kinds: dict[str, dict[str, int]] = {
        role: {
            qid: (REVERSED if question.reverse else STRAIGHT) if question.type == "scale" else NOT_SCALE
            for qid, question in questionnaire.questions.items()
            if question.type != "text" and question.asks(role)
        }
        for role in ROLES
    }
    if len(_COUNTED) >= 8:  # a few questionnaires at a time; each kept alive while here
        _COUNTED.clear()
    _COUNTED[id(questionnaire)] = (questionnaire, kinds)
    return kinds


def _drifted(people: Sequence[Respondent], signed_up: str, today: str) -> bool:
    """Whether the organisation's most common answer to the two type questions differs (both answered)."""

    def most(qid: str) -> str | None:  # of several chosen as often, the first chosen (as Counter.most_common)
        chosen: dict[str, int] = {}
        for person in people:
            value = person.answers.get(qid)
            if value is not None and value != DONT_KNOW:
                text = str(value)
                chosen[text] = chosen.get(text, 0) + 1
        return max(chosen, key=chosen.__getitem__) if chosen else None

    first, second = most(signed_up), most(today)
    return first is not None and second is not None and first != second


def organisations(respondents: Iterable[Respondent]) -> dict[str, list[Respondent]]:
    """Respondents by organisation, in file order: the name without surrounding space, as the report's
    breakdown by organisation and ``--by organisation`` count them."""
    members: dict[str, list[Respondent]] = {}
    for respondent in respondents:
        members.setdefault(respondent.organisation.strip(), []).append(respondent)
    return members


def _standing_out(figures: Mapping[str, float], settings: PartnerSettings, low: bool, apart: float) -> set[str]:
    """The organisations whose figure stands out from the others' (below them when ``low``, else above)."""
    if len(figures) < settings.min_organisations:
        return set()
    names, values = list(figures), list(figures.values())
    middle = statistics.median(values)
    found = set()
    for name, value, z in zip(names, values, modified_z(values), strict=True):
        beyond = -z if low else z
        distance = middle - value if low else value - middle
        if beyond > settings.outlier and distance >= apart:
            found.add(name)
    return found


def signals(
    respondents: Sequence[Respondent],
    questionnaire: Questionnaire,
    settings: PartnerSettings,
    type_questions: tuple[str, str] | None = None,
) -> dict[str, int]:
    """How many partner organisations show each signal of :data:`~partnership_health.models.PARTNER_SIGNALS`."""
    members = organisations(respondents)
    pair = type_questions or ("", "")
    profiles = {name: profile(people, questionnaire, settings.own_side, pair) for name, people in members.items()}
    return showing(profiles, settings, drift=bool(type_questions))


def showing(profiles: Mapping[str, Profile], settings: PartnerSettings, drift: bool = True) -> dict[str, int]:
    """How many of the organisations ``profiles`` describe show each signal (``type_drift`` only with ``drift``)."""
    compared = {name: p for name, p in profiles.items() if p.statements >= settings.min_answers}
    flagged: dict[str, set[str]] = {
        "below_rest": _standing_out(
            {n: p.mean for n, p in compared.items() if p.mean is not None}, settings, True, settings.below
        ),
        "dont_know_high": {
            n
            for n in _standing_out({n: p.dont_know for n, p in compared.items()}, settings, False, 0)
            if compared[n].dont_know >= settings.dont_know
        },
        "neutral_high": {
            n
            for n in _standing_out({n: p.neutral for n, p in compared.items()}, settings, False, 0)
            if compared[n].neutral >= settings.neutral
        },
        "own_side_low": {n for n, p in profiles.items() if p.own_lowest is not None and p.own_lowest <= 2},
        "type_drift": {n for n, p in profiles.items() if p.drifted} if drift else set(),
    }
    # Doubt on its own side (its board's backing, its commitment) and a guarded way of answering
    # together: a newcomer answering neutral or "don't know" throughout shows only the second.
    guarded = flagged["below_rest"] | flagged["dont_know_high"] | flagged["neutral_high"]
    flagged["withdrawing"] = flagged["own_side_low"] & guarded
    return {signal: len(flagged[signal]) for signal in PARTNER_SIGNALS}


PARTNER_WORDS: dict[str, tuple[str, str]] = {
    "below_rest": (
        "partner organisation's answers sit well below the other organisations'",
        "partner organisations' answers sit well below the other organisations'",
    ),
    "dont_know_high": (
        "partner organisation answers “don't know” far more often than the others",
        "partner organisations answer “don't know” far more often than the others",
    ),
    "neutral_high": (
        "partner organisation answers “neither agree nor disagree” far more often than the others",
        "partner organisations answer “neither agree nor disagree” far more often than the others",
    ),
    "own_side_low": (
        "partner organisation disagrees that its own organisation backs or stays committed to the partnership",
        "partner organisations disagree that their own organisations back or stay committed to the partnership",
    ),
    "withdrawing": (
        "partner organisation doubts its own organisation's backing or commitment and answers guardedly "
        "(well below the others, or far more “don't know” or neutral answers than the rest)",
        "partner organisations doubt their own organisation's backing or commitment and answer guardedly "
        "(well below the others, or far more “don't know” or neutral answers than the rest)",
    ),
    "type_drift": (
        "partner organisation sees a different type of partnership today from the one it signed up for",
        "partner organisations see a different type of partnership today from the one they signed up for",
    ),
}
"""What each signal says of one organisation and of several, after the number: never which organisation."""


def partner_words(signal: str, value: AnswerValue | None) -> str:
    """The evidence of a ``partners:`` fact in words: how many organisations, never which."""
    count = int(value) if isinstance(value, (int, float)) else 0
    one, several = PARTNER_WORDS[signal]
    if count == 0:
        return f"No {one}."
    number = {1: "One", 2: "Two", 3: "Three"}.get(count, str(count))
    return f"{number} {one if count == 1 else several}."

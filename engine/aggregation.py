"""Answers -> aggregates per question and role, section scores, and the facts rules match."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Collection, Iterable

from .models import (
    ROLES,
    STATS_BY_TYPE,
    Answers,
    AnswerValue,
    Levels,
    Question,
    Questionnaire,
    QuestionStats,
    SectionScore,
)

FactValue = float | int | str | bool


def fact_key(question_id: str, stat: str, role: str | None = None) -> str:
    """The name of an aggregate fact: ``question:stat`` or ``question:stat@role``."""
    return f"{question_id}:{stat}" + (f"@{role}" if role else "")


def score_key(section_id: str) -> str:
    return f"score:{section_id}"


def derived_key(name: str) -> str:
    return f"fact:{name}"


def question_stats(question: Question, values: list[AnswerValue]) -> QuestionStats:
    """Every stat of ``question``'s answer type over ``values`` (None where there are no answers)."""
    stats: dict[str, float | str | None] = dict.fromkeys(STATS_BY_TYPE[question.type])
    stats["count"] = len(values)
    distribution: dict[str, int] = {}
    texts: tuple[str, ...] = ()
    if question.type in ("scale", "number"):
        numbers = [float(v) for v in values]  # type: ignore[arg-type]
        if numbers:
            stats.update(
                mean=statistics.fmean(numbers),
                median=statistics.median(numbers),
                min=min(numbers),
                max=max(numbers),
                spread=max(numbers) - min(numbers),
            )
    elif question.type == "yesno":
        distribution = {"yes": sum(v is True for v in values), "no": sum(v is False for v in values)}
        if values:
            stats["share"] = distribution["yes"] / len(values)
    elif question.type == "choice":
        counts = Counter(str(v) for v in values)
        distribution = {choice: counts[choice] for choice in question.choice_ids if counts[choice]}
        if values:
            top = max(distribution.values())
            stats["mode"] = next(choice for choice, n in distribution.items() if n == top)
            stats["distinct"] = len(distribution)
    else:
        texts = tuple(str(v) for v in values)
    return QuestionStats(count=len(values), values=stats, distribution=distribution, texts=texts)


def aggregate(
    answers: Answers, questionnaire: Questionnaire
) -> tuple[dict[str, QuestionStats], dict[str, dict[str, QuestionStats]]]:
    """Aggregates of every question over all respondents, and per role present."""

    def over(respondents: Iterable) -> dict[str, QuestionStats]:  # type: ignore[type-arg]
        chosen = list(respondents)
        return {
            qid: question_stats(question, [r.answers[qid] for r in chosen if qid in r.answers])
            for qid, question in questionnaire.questions.items()
        }

    roles = [role for role in ROLES if any(r.role == role for r in answers.respondents)]
    by_role = {role: over(r for r in answers.respondents if r.role == role) for role in roles}
    return over(answers.respondents), by_role


def section_scores(answers: Answers, questionnaire: Questionnaire, levels: Levels) -> dict[str, SectionScore]:
    """A 0-100 score per section from its scale answers, reverse-scored ones inverted.

    Each answer counts as (answer - 1) / 4, or (5 - answer) / 4 when reverse-scored;
    the score is their mean over all respondents and questions, times 100. A section
    with no scale answers gets no score.
    """
    scores = {}
    for section in questionnaire.sections:
        points = [
            (5 - value if question.reverse else value - 1) / 4
            for question in section.questions
            if question.type == "scale"
            for respondent in answers.respondents
            if isinstance(value := respondent.answers.get(question.id), int)
        ]
        if points:
            score = round(100 * statistics.fmean(points))
            scores[section.id] = SectionScore(score=score, level=levels.level(score))
    return scores


def facts(
    needed: Collection[str],
    overall: dict[str, QuestionStats],
    by_role: dict[str, dict[str, QuestionStats]],
    scores: dict[str, SectionScore],
) -> dict[str, FactValue]:
    """The values of the ``needed`` fact keys that are known; unknown ones are left out."""
    known: dict[str, FactValue] = {}
    for key in needed:
        value: FactValue | None
        if key.startswith("score:"):
            score = scores.get(key[len("score:") :])
            value = score.score if score else None
        elif key.startswith("fact:"):
            continue
        else:
            question_id, _, rest = key.partition(":")
            stat, _, role = rest.partition("@")
            group = by_role.get(role, {}) if role else overall
            stats = group.get(question_id)
            value = (stats.values.get(stat) if stats else None) if stat != "count" else (stats.count if stats else 0)
        if value is not None:
            known[key] = value
    return known

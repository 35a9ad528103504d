"""How the questionnaire behaves on many partnerships' answers: pure statistics, no files.

:func:`compute_properties` takes the questionnaire and, per partnership, its respondents'
answers as loaded (question id -> answer; "don't know" is :data:`DONT_KNOW`, a question
left unanswered is absent) and gives, per section, Cronbach's alpha, each statement's
corrected item-rest correlation and alpha without it, the agreement within partnerships
(the reports' rwg) and ICC(1)/ICC(2). Only agreement statements (1-5) enter, reverse-scored
ones recoded 6 - x. docs/questionnaire-properties.md explains each figure and its source.

Sums of squares and cross-products are kept as whole numbers (answers are 1-5), so a
variance of zero is exactly zero: a degenerate case says "not computable" rather than
dividing by a rounding error.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from fractions import Fraction

from ..core.facts import within_agreement
from ..errors import printable
from ..models import (
    DONT_KNOW,
    AnswerValue,
    Figure,
    FlaggedItem,
    ItemProperties,
    Minimums,
    Question,
    Questionnaire,
    QuestionnaireProperties,
    Section,
    SectionProperties,
    Thresholds,
)
from ..models.properties import FigureStatus, Unit

Answers = Mapping[str, AnswerValue]
Row = tuple[int | None, ...]

__all__ = ["compute_properties"]


def compute_properties(
    questionnaire: Questionnaire,
    partnerships: Sequence[Sequence[Answers]],
    *,
    minimums: Minimums | None = None,
    thresholds: Thresholds | None = None,
) -> QuestionnaireProperties:
    """Per section of ``questionnaire`` with agreement statements, how it behaves on ``partnerships``.

    ``partnerships`` holds one entry per partnership: its respondents' answers, each a
    mapping question id -> answer as an answers file holds them once loaded. Answers to
    other types of question are ignored; an agreement statement's answer that is neither
    a whole number 1-5 nor "don't know" is a ``ValueError`` naming where it is.
    """
    minimums = minimums or Minimums()
    thresholds = thresholds or Thresholds()
    sections = []
    for section in questionnaire.sections:
        items = [question for question in section.questions if question.type == "scale"]
        if items:
            rows = [
                [_row(items, answers, p, r) for r, answers in enumerate(people)]
                for p, people in enumerate(partnerships)
            ]
            found = _section(section, items, rows, minimums, thresholds)
            sections.append(_guarded(found, len(partnerships), minimums.partnerships))
    return QuestionnaireProperties(
        questionnaire=questionnaire.id,
        version=questionnaire.version,
        partnerships=len(partnerships),
        respondents=sum(len(people) for people in partnerships),
        minimums=minimums,
        thresholds=thresholds,
        sections=tuple(sections),
    )


# --- reading the answers ---------------------------------------------------------------


def _row(items: Sequence[Question], answers: Answers, partnership: int, respondent: int) -> Row:
    """One respondent's answers to ``items``, reverse-scored ones recoded; None where missing, -1 for "don't know"."""
    row: list[int | None] = []
    for question in items:
        value = answers.get(question.id)
        if value is None:
            row.append(None)
        elif value == DONT_KNOW:
            row.append(-1)
        elif type(value) is int and 1 <= value <= 5:
            row.append(6 - value if question.reverse else value)
        else:
            shown = printable(repr(value)[:40])
            raise ValueError(
                f"partnership {partnership + 1}, respondent {respondent + 1}: '{question.id}' is an agreement "
                f"statement; its answer must be a whole number 1-5 or '{DONT_KNOW}' (got {shown})"
            )
    return tuple(row)


def _answered(value: int | None) -> bool:
    return value is not None and value > 0


# --- one section -----------------------------------------------------------------------


def _section(
    section: Section,
    items: Sequence[Question],
    rows: list[list[Row]],
    minimums: Minimums,
    thresholds: Thresholds,
) -> SectionProperties:
    k = len(items)
    complete: Counter[tuple[int, ...]] = Counter()
    complete_in: set[int] = set()
    for p, people in enumerate(rows):
        for row in people:
            if all(_answered(v) for v in row):
                complete[row] += 1  # type: ignore[index]  # every value an int 1-5, as checked
                complete_in.add(p)
    n = sum(complete.values())
    respondents = sum(1 for people in rows for row in people if any(_answered(v) for v in row))
    shortfall = _shortfall(n, len(complete_in), minimums)
    scatter = _scatter(complete, k)
    alpha = _alpha_figure(scatter, range(k), n, shortfall)
    item_list = tuple(_item(items, i, rows, scatter, n, shortfall, minimums) for i in range(k))
    means = [[m for m in (_section_mean(row) for row in people) if m is not None] for people in rows]
    agreement = _agreement(means, minimums)
    icc1, icc2, size = _iccs(means, k, minimums)
    return SectionProperties(
        section=section.id,
        title=section.title,
        items=k,
        respondents=respondents,
        complete=n,
        complete_partnerships=len(complete_in),
        alpha=alpha,
        item_list=item_list,
        agreement=agreement,
        icc1=icc1,
        icc2=icc2,
        mean_group_size=size,
        flagged=_flagged(items, item_list, alpha, rows, scatter, n, shortfall, minimums, thresholds),
    )


def _shortfall(n: int, partnerships: int, minimums: Minimums) -> str | None:
    """Why the complete respondents are too few for alpha and the item figures, or None."""
    if n < minimums.complete_respondents:
        return (
            f"{n} respondent{_s(n)} answered every statement of the section; "
            f"these figures need {minimums.complete_respondents}"
        )
    if partnerships < minimums.partnerships:
        return (
            f"the {n} respondents who answered every statement come from {partnerships} "
            f"partnership{_s(partnerships)}; a figure needs {minimums.partnerships}"
        )
    return None


def _scatter(rows: Counter[tuple[int, ...]], k: int) -> list[list[int]]:
    """n(n - 1) times the items' covariance matrix, in whole numbers: n * sum(x_i x_j) - sum(x_i) sum(x_j)."""
    n = sum(rows.values())
    sums = [0] * k
    products = [[0] * k for _ in range(k)]
    for row, weight in rows.items():
        for i, x in enumerate(row):
            sums[i] += weight * x
            line, wx = products[i], weight * x
            for j in range(i, k):
                line[j] += wx * row[j]
    return [[n * products[min(i, j)][max(i, j)] - sums[i] * sums[j] for j in range(k)] for i in range(k)]


def _alpha(scatter: list[list[int]], chosen: Sequence[int]) -> float | None:
    """Cronbach's alpha of the items ``chosen``: k / (k - 1) * (1 - sum of item variances / variance of the sum).

    None when the sum does not vary. (The common factor n(n - 1) cancels.)
    """
    k = len(chosen)
    total = sum(scatter[i][j] for i in chosen for j in chosen)
    if total == 0:
        return None
    return k / (k - 1) * (1 - sum(scatter[i][i] for i in chosen) / total)


def _alpha_figure(scatter: list[list[int]], chosen: Sequence[int], n: int, shortfall: str | None) -> Figure:
    if len(chosen) < 2:
        return _not("not computable", n, "respondents", "alpha needs two or more statements; one is left")
    if n == 0:
        return _not("not computable", 0, "respondents", "no respondent answered every statement of the section")
    if shortfall:
        return _not("not enough data", n, "respondents", shortfall)
    alpha = _alpha(scatter, chosen)
    if alpha is None:
        return _not("not computable", n, "respondents", f"every one of the {n} respondents has the same total")
    return _shown(alpha, n, "respondents")


def _item(
    items: Sequence[Question],
    i: int,
    rows: list[list[Row]],
    scatter: list[list[int]],
    n: int,
    shortfall: str | None,
    minimums: Minimums,
) -> ItemProperties:
    """One statement's counts (only from enough partnerships) and figures (on the complete respondents)."""
    question = items[i]
    values = [row[i] for people in rows for row in people]
    rest = [j for j in range(len(items)) if j != i]
    enough = sum(1 for people in rows if any(row[i] is not None for row in people)) >= minimums.partnerships
    return ItemProperties(
        question=question.id,
        text=question.text,
        reverse=question.reverse,
        answered=sum(1 for v in values if _answered(v)) if enough else None,
        dont_know=values.count(-1) if enough else None,
        item_rest=_item_rest(scatter, i, rest, n, shortfall),
        alpha_if_deleted=_alpha_figure(scatter, rest, n, shortfall),
    )


def _item_rest(scatter: list[list[int]], i: int, rest: Sequence[int], n: int, shortfall: str | None) -> Figure:
    """The correlation of an item with the sum of the section's other items (corrected: the item is not in it)."""
    if not rest:
        return _not("not computable", n, "respondents", "the section has no other statement to correlate with")
    if n == 0:
        return _not("not computable", 0, "respondents", "no respondent answered every statement of the section")
    if shortfall:
        return _not("not enough data", n, "respondents", shortfall)
    own = scatter[i][i]
    others = sum(scatter[a][b] for a in rest for b in rest)
    if own == 0:
        return _not("not computable", n, "respondents", f"all {n} respondents gave it the same answer")
    if others == 0:
        return _not("not computable", n, "respondents", f"the other statements add up the same for all {n} respondents")
    r = sum(scatter[i][j] for j in rest) / math.sqrt(own * others)
    return _shown(max(-1.0, min(1.0, r)), n, "respondents")


def _section_mean(row: Row) -> Fraction | None:
    """A respondent's mean answer over the section's statements they answered, if at least half of them."""
    found = [v for v in row if v is not None and v > 0]
    if not found or 2 * len(found) < len(row):
        return None
    return Fraction(sum(found), len(found))


def _agreement(means: list[list[Fraction]], minimums: Minimums) -> Figure:
    """The reports' rwg of respondents' section means, averaged over partnerships with enough respondents."""
    enough = [found for found in means if len(found) >= minimums.agreement_respondents]
    values = [value for value in (within_agreement([float(m) for m in found]) for found in enough) if value is not None]
    j = len(values)
    if j == 0:
        reason = f"no partnership has {minimums.agreement_respondents} respondents with a section mean"
        return _not("not computable", 0, "partnerships", reason)
    if j < minimums.partnerships:
        reason = (
            f"{j} partnership{_s(j)} ha{'s' if j == 1 else 've'} {minimums.agreement_respondents} or more respondents "
            f"with a section mean; the average needs {minimums.partnerships}"
        )
        return _not("not enough data", j, "partnerships", reason)
    return _shown(math.fsum(values) / j, j, "partnerships")


def _iccs(means: list[list[Fraction]], k: int, minimums: Minimums) -> tuple[Figure, Figure, float | None]:
    """ICC(1) and ICC(2) of respondents' section means nested in partnerships, from a one-way ANOVA (Bliese 2000).

    Only partnerships with two or more respondents enter. ICC(1) = (MSB - MSW) / (MSB + (k - 1) MSW) with k
    the mean group size N / J; ICC(2) = (MSB - MSW) / MSB, which is ICC(1) stepped up by Spearman-Brown to k
    respondents. Means are scaled to whole numbers (times lcm(1..items)) so the sums are exact; the ICCs
    do not change with the scale.
    """
    scale = math.lcm(*range(1, k + 1))
    groups = [[int(m * scale) for m in found] for found in means if len(found) >= 2]
    j = len(groups)
    if j == 0:
        reason = "no partnership has two respondents with a section mean"
        none = _not("not computable", 0, "partnerships", reason)
        return none, none, None
    big_n = sum(len(g) for g in groups)
    size = big_n / j
    if j < minimums.icc_partnerships:
        reason = (
            f"{j} partnership{_s(j)} ha{'s' if j == 1 else 've'} two or more respondents with a section mean; "
            f"the ICCs need {minimums.icc_partnerships}"
        )
        few = _not("not enough data", j, "partnerships", reason)
        return few, few, size
    totals = [sum(g) for g in groups]
    of_means = sum(Fraction(t * t, len(g)) for t, g in zip(totals, groups, strict=True))  # sum of n_j * mean_j^2
    between = of_means - Fraction(sum(totals) ** 2, big_n)
    within = sum(sum(x * x for x in g) for g in groups) - of_means
    msb, msw = between / (j - 1), within / (big_n - j)
    denominator = msb + (Fraction(big_n, j) - 1) * msw
    if denominator == 0:
        same = _not("not computable", j, "partnerships", f"all {big_n} respondents have the same section mean")
        return same, same, size
    icc1 = _shown(float((msb - msw) / denominator), j, "partnerships")
    if msb == 0:
        reason = f"all {j} partnerships have the same mean"
        return icc1, _not("not computable", j, "partnerships", reason), size
    return icc1, _shown(float((msb - msw) / msb), j, "partnerships"), size


# --- statements that behave badly --------------------------------------------------------


def _flagged(
    items: Sequence[Question],
    item_list: Sequence[ItemProperties],
    alpha: Figure,
    rows: list[list[Row]],
    scatter: list[list[int]],
    n: int,
    shortfall: str | None,
    minimums: Minimums,
    thresholds: Thresholds,
) -> tuple[FlaggedItem, ...]:
    flagged = []
    for i, item in enumerate(item_list):
        reasons = []
        r = _as_shown(item.item_rest.value)
        if r is not None and r < 0:
            reasons.append(f"its item-rest r is negative ({r:.2f}): it runs against the rest of the section")
        elif r is not None and r < thresholds.item_rest:
            reasons.append(f"its item-rest r ({r:.2f}) is below {thresholds.item_rest:.2f}")
        without, with_it = _as_shown(item.alpha_if_deleted.value), _as_shown(alpha.value)
        if without is not None and with_it is not None and round(without - with_it, 2) >= thresholds.alpha_rise:
            reasons.append(f"alpha rises from {with_it:.2f} to {without:.2f} without it")
        if not shortfall and n and scatter[i][i] == 0:
            reasons.append(f"all {n} respondents who answered the whole section gave it the same answer")
        dont_know = _dont_know(i, rows, minimums)
        if dont_know is not None and dont_know[0] >= thresholds.dont_know * dont_know[1]:
            share = round(100 * dont_know[0] / dont_know[1])
            reasons.append(f"“don't know” is {share}% of its answers ({dont_know[0]} of {dont_know[1]})")
        if reasons:
            flagged.append(FlaggedItem(question=items[i].id, text=items[i].text, reasons=tuple(reasons)))
    return tuple(flagged)


def _dont_know(i: int, rows: list[list[Row]], minimums: Minimums) -> tuple[int, int] | None:
    """How many "don't know" answers item ``i`` has, of how many answers; None with too few to say."""
    dont_know = answers = partnerships = 0
    for people in rows:
        given = [row[i] for row in people if row[i] is not None]
        if given:
            partnerships += 1
            answers += len(given)
            dont_know += given.count(-1)
    if answers < minimums.complete_respondents or partnerships < minimums.partnerships:
        return None
    return dont_know, answers


# --- figures -----------------------------------------------------------------------------


def all_but_few(n: int, total: int, k: int) -> str | None:
    """``n`` of ``total`` partnerships in words when ``total - n`` is 1 to ``k - 1`` (else None).

    The partnerships left out of a figure are a count like any other: ``n`` given exactly beside
    ``total`` would tell a count of 1 to ``k - 1`` by subtraction.
    """
    return f"all but fewer than {k} of the {total}" if 0 < total - n < k else None


def _guarded(section: SectionProperties, total: int, k: int) -> SectionProperties:
    """The section with no count of partnerships that would tell, by subtraction, a count under ``k``."""

    def words_for(text: str | None, n: int, words: str) -> str | None:
        return None if text is None else re.sub(rf"\b(?:all )?{n} partnership", f"{words} partnership", text)

    def figure(f: Figure, n: int | None, words: str | None) -> Figure:
        if f.unit == "partnerships" and f.n is not None and (own := all_but_few(f.n, total, k)) is not None:
            f = f.model_copy(update={"n": None, "n_words": own, "reason": words_for(f.reason, f.n, own)})
        if n is not None and words is not None:
            f = f.model_copy(update={"reason": words_for(f.reason, n, words)})
        return f

    j = section.complete_partnerships
    words = None if j is None else all_but_few(j, total, k)
    items = tuple(
        item.model_copy(
            update={
                "item_rest": figure(item.item_rest, j, words),
                "alpha_if_deleted": figure(item.alpha_if_deleted, j, words),
            }
        )
        for item in section.item_list
    )
    update: dict[str, object] = {
        "alpha": figure(section.alpha, j, words),
        "agreement": figure(section.agreement, None, None),
        "icc1": figure(section.icc1, None, None),
        "icc2": figure(section.icc2, None, None),
        "item_list": items,
    }
    if words is not None:
        update |= {"complete_partnerships": None, "complete_partnerships_words": words}
    return section.model_copy(update=update)


def _shown(value: float, n: int, unit: Unit) -> Figure:
    return Figure(status="shown", value=value, n=n, unit=unit)


def _not(status: FigureStatus, n: int, unit: Unit, reason: str) -> Figure:
    return Figure(status=status, n=n, unit=unit, reason=reason)


def _as_shown(value: float | None) -> float | None:
    """A figure as the reports show it, to two decimals: thresholds are read against what people see."""
    return None if value is None else round(value, 2)


def _s(n: int) -> str:
    return "" if n == 1 else "s"

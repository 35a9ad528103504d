"""The programme view built from the records of many partnerships: counts only, protected, never a ranking.

:func:`build_programme` takes every assessment read (see :mod:`.sources`), keeps each
partnership's latest (and the one before it, for year on year), counts them in groups,
hides the counts that rest on too few partnerships (:mod:`.suppress`) and returns the
:class:`~partnership_health.models.Programme`. Pure: no files.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from ..errors import EngineError
from ..models import (
    Breakdown,
    Count,
    FailureModeFigures,
    FailureModeRow,
    FailureModesBy,
    GroupColumn,
    Programme,
    QualityFigures,
    Questionnaire,
    RemedyFigures,
    RemedyRef,
    RuleBase,
    SectionFigures,
    YearOnYear,
)
from ..models.programme import SEVERITIES
from ..models.properties import Minimums, QuestionnaireProperties
from ..store.history import match_findings
from . import suppress
from .sources import Record, Skipped, partnership_key, records_of_store

__all__ = ["MIN_PARTNERSHIPS", "TooFewError", "build_programme", "latest_and_previous", "programme_of_store"]

MIN_PARTNERSHIPS = 3  # the default, and the least allowed: with two, either one knows the other's from the pair's

SIZE_BANDS = ((2, 3), (4, 6), (7, 10), (11, 20), (21, None))
RESPONDENT_BANDS = ((1, 4), (5, 9), (10, 19), (20, None))
SHARE_BANDS = ((0.0, 0.05), (0.05, 0.10), (0.10, 0.20), (0.20, None))
RATE_BANDS = ((0.0, 0.5), (0.5, 0.75), (0.75, None))
SCORE_BAND = 10
COLUMN_FACTOR = 5  # a column of the failure modes by group: 5k partnerships, so a failure mode in a fifth reaches k
SINCE = (
    ("persisting", "persisting (diagnosed last time and this time)"),
    ("resolved", "resolved (diagnosed last time, not this time)"),
    ("new", "new (not diagnosed last time)"),
    ("neither", "neither time"),
    ("first_diagnosed", "diagnosed at a first assessment"),
    ("first_not", "not diagnosed at a first assessment"),
)
_HISTORY = ("had", "had_not", "first")
_NOW = ("none", *SEVERITIES)


class TooFewError(EngineError):
    """Fewer partnerships than the smallest group a figure may rest on: no view can be shown."""


@dataclass(frozen=True)
class _Partnership:
    latest: Record
    previous: Record | None
    records: tuple[Record, ...]

    @cached_property
    def then(self) -> frozenset[str]:
        """The failure modes found last time (persisting or resolved), as a report's 'since last time' pairs them."""
        if self.previous is None:
            return frozenset()
        since = match_findings(list(self.previous.findings), list(self.latest.findings))
        return frozenset([f.failure_mode for f in since.persisting] + [f.failure_mode for f in since.resolved])


def latest_and_previous(records: Sequence[Record]) -> list[_Partnership]:
    """Each partnership (by name) with its latest assessment and the one before it, in order of name."""
    by_name: dict[str, list[Record]] = {}
    for record in records:
        if not record.withheld:
            by_name.setdefault(partnership_key(record.partnership), []).append(record)
    result = []
    for key in sorted(by_name):
        ordered = sorted(by_name[key], key=lambda r: r.assessed_on)
        result.append(_Partnership(ordered[-1], ordered[-2] if len(ordered) > 1 else None, tuple(ordered)))
    return result


def build_programme(
    records: Sequence[Record],
    questionnaire: Questionnaire,
    rulebase: RuleBase,
    *,
    min_partnerships: int = MIN_PARTNERSHIPS,
    left_out: int = 0,
    properties: Callable[[Questionnaire, Sequence[Sequence[Mapping[str, object]]], Minimums], QuestionnaireProperties]
    | None = None,
    min_column: int | None = None,
) -> Programme:
    """The programme view of ``records`` (every assessment read); :class:`TooFewError` below ``min_partnerships``.

    ``left_out``: assessments not read because their lead has not shared them (said in the
    view). ``properties``: how the questionnaire behaves is computed with it on the pooled
    answers of each partnership's latest assessment that has answers (the default:
    :func:`.properties.compute_properties`). ``min_column``: the fewest partnerships a column of
    the failure modes by type, size and age holds (default ``COLUMN_FACTOR`` times
    ``min_partnerships``; smaller groups are joined, see :func:`_split`).
    """
    k = max(MIN_PARTNERSHIPS, min_partnerships)
    partnerships = latest_and_previous(records)
    n = len(partnerships)
    if n < k:
        raise TooFewError(
            f"the programme has {n} partnership{'s' if n != 1 else ''} with an assessment that shows figures; "
            f"a programme view needs at least {k} (--min-partnerships), so that no figure rests on fewer"
        )
    latest = [p.latest for p in partnerships]
    history = _history(partnerships, k)
    yoy_shown = history[1]
    groupings = (
        _by_choice(questionnaire, rulebase, latest, "type"),
        _banded("size", "By size (organisations taking part)", [r.partner_count for r in latest], SIZE_BANDS, _whole),
        _by_choice(questionnaire, rulebase, latest, "age"),
    )
    profile = {g.key: _one_way(g.key, g.title, g.groups, g.values, k) for g in groupings}
    least = COLUMN_FACTOR * k if min_column is None else min_column
    splits = [split for g in groupings if (split := _split(g, profile[g.key], least)) is not None]
    modes = [_failure_mode(rulebase, mode.id, partnerships, k, yoy_shown, splits) for mode in rulebase.failure_modes]
    order = {mode.id: i for i, mode in enumerate(rulebase.failure_modes)}
    modes.sort(key=lambda f: _shown_first(f[0].diagnosed, order[f[0].id]))
    failure_modes = [figures for figures, _ in modes]
    named = sorted({p.latest.partnership for p in partnerships if p.latest.named}, key=str.casefold)
    withheld = sum(record.withheld for record in records)
    m = sum(p.previous is not None for p in partnerships)
    quality = _quality(latest, k)
    return Programme(
        partnerships=n,
        min_partnerships=k,
        left_out=left_out,
        named=tuple(named),
        not_named=n - len(named),
        profile=(
            *profile.values(),
            history[0],
            _one_way(
                "plans",
                "By action plan",
                [("with_plan", "a filled-in action plan read"), ("without_plan", "no action plan read")],
                [sum(any(r.plan for r in p.records) for p in partnerships), 0],
                k,
                total=n,
            ),
        ),
        failure_modes=tuple(failure_modes),
        failure_modes_by=tuple(_by_group(split, modes) for split in splits),
        year_on_year=YearOnYear(
            shown=yoy_shown,
            partnerships=m if yoy_shown else None,
            note=_yoy_note(yoy_shown, m, n, k),
        ),
        scores=_scores(questionnaire, rulebase, latest, k),
        quality=quality,
        actions=_actions(rulebase, partnerships, k),
        properties=_properties(questionnaire, latest, k, properties, quality.respondents is None),
        notes=_notes(k, left_out, withheld, n, len(named)),
    )


def programme_of_store(
    store: Any, questionnaire: Questionnaire, rulebase: RuleBase, *, min_partnerships: int = MIN_PARTNERSHIPS
) -> tuple[Programme, list[Skipped]]:
    """The programme view of what a store's leads shared (the web app's operator page), and what could not be read.

    ``store`` is a :class:`partnership_health.store.sqlite.Store`, only read. Raises
    :class:`TooFewError` when fewer than ``min_partnerships`` partnerships were shared.
    """
    records, skipped, left_out = records_of_store(store, rulebase, str(getattr(store, "path", "database")))
    view = build_programme(records, questionnaire, rulebase, min_partnerships=min_partnerships, left_out=left_out)
    return view, skipped


# --- counting and protecting ----------------------------------------------------------------


def _counts(system: suppress.System, k: int, labels: Mapping[str, str]) -> dict[str, Count]:
    hidden = suppress.protect(system, k)
    return {
        key: Count(
            key=key,
            label=labels.get(key, key),
            value=None if key in hidden else system.value(key),
            hidden=key in hidden,
        )
        for key in system.cells
    }


def _one_way(
    key: str, title: str, groups: Sequence[tuple[str, str]], values: Sequence[int], k: int, *, total: int | None = None
) -> Breakdown:
    """One breakdown of every partnership; with ``total``, the last group's value is what the others leave."""
    values = list(values)
    if total is not None:
        values[-1] = total - sum(values[:-1])
    keys = [g for g, _ in groups]
    system = suppress.System(
        atoms=values,
        cells={"all": frozenset(range(len(keys))), **{g: frozenset([i]) for i, g in enumerate(keys)}},
        breakdowns=[suppress.Breakdown(None, tuple(keys))],
        fixed=frozenset({"all"}),
    )
    counts = _counts(system, k, dict(groups))
    return Breakdown(key=key, title=title, total=sum(values), counts=tuple(counts[g] for g in keys))


def _shown_first(count: Count, place: int) -> tuple[int, int, int]:
    """Sort key: counts shown first, largest first; then those hidden, in the rule base's order."""
    return (1, 0, place) if count.hidden else (0, -(count.value or 0), place)


# --- who the partnerships are ---------------------------------------------------------------


@dataclass(frozen=True)
class _Grouping:
    """One way of splitting the partnerships (by type, size or age): its groups, and each partnership's."""

    key: str
    title: str
    groups: tuple[tuple[str, str], ...]  # (key, label)
    of: tuple[int, ...]  # each partnership's group, by index

    @property
    def values(self) -> list[int]:
        return [self.of.count(i) for i in range(len(self.groups))]


def _by_choice(questionnaire: Questionnaire, rulebase: RuleBase, latest: Sequence[Record], what: str) -> _Grouping:
    settings = rulebase.settings.partnership_type if what == "type" else rulebase.settings.partnership_age
    question = questionnaire.questions.get(settings.question) if settings else None
    choices = [(c.id, c.label if what == "age" else _words(c.id)) for c in (question.choices if question else ())]
    chosen = [r.partnership_type if what == "type" else r.age for r in latest]
    index = {c: i for i, (c, _) in enumerate(choices)}
    title = (
        "By type (as most of their respondents chose)"
        if what == "type"
        else "By age (how long they have worked together)"
    )
    groups = (*choices, ("not_said", "not said"))
    return _Grouping(what, title, groups, tuple(index.get(c, len(choices)) if c else len(choices) for c in chosen))


def _words(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _whole(low: float, high: float | None) -> str:
    return f"{low:g} to {high:g}" if high is not None else f"{low:g} or more"


def _percent(low: float, high: float | None) -> str:
    if high is None:
        return f"{round(100 * low)}% or more"
    return f"under {round(100 * high)}%" if low == 0 else f"{round(100 * low)}% to under {round(100 * high)}%"


def _banded(
    key: str,
    title: str,
    values: Sequence[float | None],
    bands: Sequence[tuple[float, float | None]],
    label: Callable[[float, float | None], str],
    unknown: str = "not known",
    whole: bool = True,
) -> _Grouping:
    def band(value: float | None) -> int:
        for i, (low, high) in enumerate(bands):
            top = high + 1 if whole and high is not None else high  # whole numbers: 4 to 6 holds 6.4
            if value is not None and value >= low and (top is None or value < top):
                return i
        return len(bands)

    groups = (*((_band_key(low, high, whole), label(low, high)) for low, high in bands), ("unknown", unknown))
    return _Grouping(key, title, groups, tuple(band(v) for v in values))


def _band_key(low: float, high: float | None, whole: bool) -> str:
    """A band's key: '4-6' and '21+' (whole numbers), '5-10%' and '20%+' (shares)."""
    if whole:
        return f"{low:g}+" if high is None else f"{low:g}-{high:g}"
    return f"{round(100 * low)}%+" if high is None else f"{round(100 * low)}-{round(100 * high)}%"


def _history(partnerships: Sequence[_Partnership], k: int) -> tuple[Breakdown, bool]:
    m = sum(p.previous is not None for p in partnerships)
    breakdown = _one_way(
        "history",
        "By history",
        [("earlier", "with an earlier assessment"), ("first", "a first assessment only")],
        [m, len(partnerships) - m],
        k,
    )
    return breakdown, m > 0 and not any(count.hidden for count in breakdown.counts)


def _yoy_note(shown: bool, m: int, n: int, k: int) -> str:
    if shown:
        return (
            f"Year on year compares each partnership's latest assessment with the one before it, as its own report's "
            f"'since last time' does; {m} of the {n} partnerships have an earlier assessment."
        )
    if m == 0:
        return "No partnership has an earlier assessment yet, so nothing can be compared year on year."
    return (
        f"Year on year is not shown: too few partnerships have an earlier assessment, or too few have none, to show "
        f"either without a group of fewer than {k}."
    )


# --- failure modes ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Split:
    """The columns of a failure-mode table by group, and each partnership's column."""

    key: str
    title: str
    columns: tuple[GroupColumn, ...]
    of: tuple[int, ...]
    least: int


_SPLIT_TITLES = {
    "type": "Failure modes by type",
    "size": "Failure modes by size (organisations taking part)",
    "age": "Failure modes by age (how long they have worked together)",
}


def _split(grouping: _Grouping, shown: Breakdown, least: int) -> _Split | None:
    """The columns for failure modes by ``grouping``: a column a group of "Who takes part", or a few joined.

    - Groups of none are left out (their counts are all 0).
    - The groups whose count is hidden there are one column, whose count is what the shown
      counts leave, so a reader learns nothing new of them.
    - A column of fewer than ``least`` partnerships is joined with the column before it (the
      one after, for the first), smallest first: every failure mode would be hidden in it,
      and one of the others beside it in each row (it could be worked out from the
      failure mode's total), for no reading a funder could use.

    None when fewer than two columns are left: a table of one column repeats the totals.
    """
    hidden = [i for i, c in enumerate(shown.counts) if c.hidden]
    units: list[list[int]] = []
    for i, c in enumerate(shown.counts):
        if not c.hidden and c.value:
            units.append([i])
        elif hidden and i == hidden[-1]:
            units.append(hidden)
    size = {i: grouping.of.count(i) for i in range(len(grouping.groups))}

    def total(unit: list[int]) -> int:
        return sum(size[i] for i in unit)

    units = [unit for unit in units if total(unit)]
    while len(units) > 1 and (small := [j for j, unit in enumerate(units) if total(unit) < least]):
        j = min(small, key=lambda j: (total(units[j]), j))
        other = j - 1 if j else 1
        larger, smaller = sorted((units[j], units[other]), key=total, reverse=True)
        units[min(j, other)] = larger + smaller
        del units[max(j, other)]
    if len(units) < 2:
        return None
    column_of = {i: j for j, unit in enumerate(units) for i in unit}
    labels = [" / ".join(shown.counts[i].label for i in unit) for unit in units]
    return _Split(
        key=grouping.key,
        title=_SPLIT_TITLES.get(grouping.key, f"Failure modes by {grouping.key}"),
        columns=tuple(
            GroupColumn(
                key="+".join(shown.counts[i].key for i in unit),
                label=label[:1].upper() + label[1:],
                partnerships=total(unit),
                groups=tuple(shown.counts[i].key for i in unit),
            )
            for unit, label in zip(units, labels, strict=True)
        ),
        of=tuple(column_of[i] for i in grouping.of),
        least=least,
    )


def _by_group(
    split: _Split, modes: Sequence[tuple[FailureModeFigures, Mapping[str, tuple[Count, ...]]]]
) -> FailureModesBy:
    return FailureModesBy(
        key=split.key,
        title=split.title,
        columns=split.columns,
        rows=tuple(
            FailureModeRow(id=f.id, title=f.title, diagnosed=f.diagnosed, counts=cells[split.key]) for f, cells in modes
        ),
        min_column=split.least,
    )


def _failure_mode(
    rulebase: RuleBase,
    mode_id: str,
    partnerships: Sequence[_Partnership],
    k: int,
    yoy: bool,
    splits: Sequence[_Split] = (),
) -> tuple[FailureModeFigures, dict[str, tuple[Count, ...]]]:
    """One failure mode's counts, and its row of each table by group, audited together as linked tables.

    Its own table's atoms are (severity now, history); each table by group is a table of
    its own, (diagnosed or not, column), whose "diagnosed" and "not diagnosed" are the same
    counts as the failure mode's, and whose column totals are shown (see ``suppress``).
    """
    mode = rulebase.failure_mode[mode_id]
    width = len(_HISTORY) if yoy else 1
    atoms = [0] * (len(_NOW) * width)
    found: list[bool] = []  # each partnership: diagnosed with it now
    for p in partnerships:
        now = next((f.severity for f in p.latest.findings if f.failure_mode == mode_id), "none")
        history = (2 if p.previous is None else 0 if mode_id in p.then else 1) if yoy else 0
        atoms[_NOW.index(now) * width + history] += 1
        found.append(now != "none")

    def where(now: Sequence[str], history: Sequence[str] = _HISTORY) -> frozenset[int]:
        return frozenset(_NOW.index(s) * width + (_HISTORY.index(h) if yoy else 0) for s in now for h in history)

    cells: dict[str, frozenset[int]] = {
        "all": where(_NOW),
        "diagnosed": where(SEVERITIES),
        "not_diagnosed": where(("none",)),
        **{s: where((s,)) for s in SEVERITIES},
    }
    breakdowns = [
        suppress.Breakdown(None, ("diagnosed", "not_diagnosed")),
        suppress.Breakdown("diagnosed", SEVERITIES),
    ]
    fixed = {"all"}
    if yoy:
        cells |= {
            "earlier": where(_NOW, ("had", "had_not")),
            "first": where(_NOW, ("first",)),
            "persisting": where(SEVERITIES, ("had",)),
            "resolved": where(("none",), ("had",)),
            "new": where(SEVERITIES, ("had_not",)),
            "neither": where(("none",), ("had_not",)),
            "first_diagnosed": where(SEVERITIES, ("first",)),
            "first_not": where(("none",), ("first",)),
        }
        breakdowns += [
            suppress.Breakdown("diagnosed", ("persisting", "new", "first_diagnosed")),
            suppress.Breakdown("not_diagnosed", ("resolved", "neither", "first_not")),
            suppress.Breakdown("earlier", ("persisting", "resolved", "new", "neither")),
            suppress.Breakdown("first", ("first_diagnosed", "first_not")),
            suppress.Breakdown(None, ("earlier", "first")),
        ]
        fixed |= {"earlier", "first"}
    same: dict[str, list[frozenset[int]]] = {"all": [], "diagnosed": [], "not_diagnosed": []}
    unpublished: set[str] = set()
    labels = {"diagnosed": "diagnosed", "not_diagnosed": "not diagnosed", **dict(SINCE)}
    for split in splits:  # a block of atoms: diagnosed in column 0 .. c-1, then not diagnosed in each
        base, c = len(atoms), len(split.columns)
        atoms += [0] * (2 * c)
        for diagnosed, column in zip(found, split.of, strict=True):
            atoms[base + (0 if diagnosed else c) + column] += 1
        yes = [f"{split.key}:{col.key}" for col in split.columns]
        no = [f"{key}:not" for key in yes]
        for j, col in enumerate(split.columns):
            cells |= {
                yes[j]: frozenset([base + j]),
                no[j]: frozenset([base + c + j]),
                f"{yes[j]}:all": frozenset([base + j, base + c + j]),
            }
            labels[yes[j]] = col.label
            breakdowns.append(suppress.Breakdown(f"{yes[j]}:all", (yes[j], no[j])))
            fixed.add(f"{yes[j]}:all")
        same["all"].append(frozenset(range(base, base + 2 * c)))
        same["diagnosed"].append(frozenset(range(base, base + c)))
        same["not_diagnosed"].append(frozenset(range(base + c, base + 2 * c)))
        breakdowns += [suppress.Breakdown("diagnosed", tuple(yes)), suppress.Breakdown("not_diagnosed", tuple(no))]
        unpublished |= set(no)
    system = suppress.System(
        atoms=atoms,
        cells=cells,
        breakdowns=breakdowns,
        fixed=frozenset(fixed),
        same={key: tuple(sums) for key, sums in same.items() if sums},
        unpublished=frozenset(unpublished),
    )
    counts = _counts(system, k, labels)
    by_group = {
        split.key: tuple(counts[f"{split.key}:{col.key}"].model_copy(update={"key": col.key}) for col in split.columns)
        for split in splits
    }
    remedies = _remedies_of(rulebase, mode_id)
    figures = FailureModeFigures(
        id=mode.id,
        title=mode.title,
        description=" ".join(mode.description.split()),
        sources=tuple(mode.sources),
        remedies=remedies,
        diagnosed=counts["diagnosed"],
        not_diagnosed=counts["not_diagnosed"],
        severity=tuple(counts[s] for s in SEVERITIES),
        since=tuple(counts[key] for key, _ in SINCE) if yoy else None,
    )
    return figures, by_group


def _remedies_of(rulebase: RuleBase, mode_id: str) -> tuple[RemedyRef, ...]:
    """The remedies the rule base's rules for ``mode_id`` prescribe, in the rule base's order, each once."""
    ids = dict.fromkeys(r for rule in rulebase.rules if rule.failure_mode == mode_id for r in rule.remedies)
    return tuple(_remedy_ref(rulebase, r) for r in ids if r in rulebase.remedy)


def _remedy_ref(rulebase: RuleBase, remedy_id: str) -> RemedyRef:
    remedy = rulebase.remedy[remedy_id]
    sources = dict.fromkeys(step.source for step in remedy.steps if step.source is not None)
    return RemedyRef(id=remedy.id, title=remedy.title, sources=tuple(sources))


# --- scores -------------------------------------------------------------------------------------


def _scores(
    questionnaire: Questionnaire, rulebase: RuleBase, latest: Sequence[Record], k: int
) -> tuple[SectionFigures, ...]:
    levels = rulebase.settings.levels
    edges = sorted({*range(0, 100, SCORE_BAND), levels.watch, levels.strength} - {100})
    atoms_of = [(low, edges[i + 1] if i + 1 < len(edges) else 101) for i, low in enumerate(edges)]
    none = len(atoms_of)
    result = []
    scored = {section for record in latest for section in record.scores}
    for section in questionnaire.sections:
        if section.id not in scored:
            continue
        atoms = [0] * (none + 1)
        for record in latest:
            score = record.scores.get(section.id)
            index = none if score is None else next(i for i, (low, high) in enumerate(atoms_of) if low <= score < high)
            atoms[index] += 1

        def within(low: float, high: float) -> frozenset[int]:
            return frozenset(i for i, (a, b) in enumerate(atoms_of) if a >= low and b <= high)

        bands = {
            f"{low}-{top - 1 if top <= 100 else 100}": within(low, top)
            for low in range(0, 100, SCORE_BAND)
            for top in [low + SCORE_BAND if low + SCORE_BAND < 100 else 101]
        }
        level_cells = {
            "concern": within(0, levels.watch),
            "watch": within(levels.watch, levels.strength),
            "strength": within(levels.strength, 101),
        }
        cells = {"all": frozenset(range(none + 1)), **bands, **level_cells, "no_score": frozenset([none])}
        # Bands inside the levels (the bundled thresholds fall on a band's edge): the bands split each level.
        # A band across a threshold would tell, with the levels, what lies on either side: then no levels.
        inside = {
            level: tuple(key for key, band_atoms in bands.items() if band_atoms <= level_atoms)
            for level, level_atoms in level_cells.items()
        }
        nested = sum(map(len, inside.values())) == len(bands)
        if not nested:
            cells = {key: atoms for key, atoms in cells.items() if key not in level_cells}
        system = suppress.System(
            atoms=atoms,
            cells=cells,
            breakdowns=[
                suppress.Breakdown(None, (*level_cells, "no_score")),
                *(suppress.Breakdown(level, children) for level, children in inside.items()),
            ]
            if nested
            else [suppress.Breakdown(None, (*bands, "no_score"))],
            fixed=frozenset({"all"}),
        )
        labels = {key: key.replace("-", " to ") for key in bands} | {"no_score": "no score"}
        counts = _counts(system, k, labels)
        result.append(
            SectionFigures(
                section=section.id,
                title=section.title,
                bands=tuple(counts[key] for key in (*bands, "no_score")),
                levels=tuple(counts[key] for key in (*level_cells, "no_score")) if nested else (),
            )
        )
    return tuple(result)


# --- data quality ---------------------------------------------------------------------------------


def _quality(latest: Sequence[Record], k: int) -> QualityFigures:
    asked = sum(r.asked for r in latest)

    def shares(
        title: str,
        key: str,
        values: Sequence[float | None],
        bands: Sequence[tuple[float, float | None]],
        unknown: str = "not known",
    ) -> Breakdown:
        return counted(_banded(key, title, values, bands, _percent, unknown=unknown, whole=False))

    def counted(g: _Grouping) -> Breakdown:
        return _one_way(g.key, g.title, g.groups, g.values, k)

    by_respondents, by_unanswered, by_dont_know, by_rate = (
        counted(_banded("respondents", "By respondents", [r.respondents for r in latest], RESPONDENT_BANDS, _whole)),
        shares(
            "By share of questions left unanswered",
            "unanswered",
            [_share(r.unanswered, r.asked) for r in latest],
            SHARE_BANDS,
        ),
        shares(
            "By share of “don't know” answers",
            "dont_know",
            [_share(r.dont_know, r.asked) for r in latest],
            SHARE_BANDS,
        ),
        shares(
            "By response rate (those who answered, of those invited)",
            "response_rate",
            [min(_share(r.respondents, r.invited) or 0.0, 1.0) if r.invited else None for r in latest],
            RATE_BANDS,
            unknown="not known (not from a round of the web app)",
        ),
    )
    # A pooled figure set beside its bands bounds what the hidden counts can be (11 people in 3 partnerships
    # with figures, each of 3 or more, leave one way to fill "1 to 4" and "5 to 9"): given only where none is.
    withheld = []
    respondents: int | None = sum(r.respondents for r in latest)
    if _any_hidden(by_respondents):
        respondents = None
        withheld.append(WITHHELD_RESPONDENTS)
    unanswered = round(sum(r.unanswered for r in latest) / asked, 3) if asked else None
    dont_know = round(sum(r.dont_know for r in latest) / asked, 3) if asked else None
    if asked and _any_hidden(by_unanswered):
        unanswered = None
        withheld.append(
            "The share of questions left unanswered, pooled, is not given: with the partnerships by that share, "
            "where a count is hidden, it could tell the hidden counts."
        )
    if asked and _any_hidden(by_dont_know):
        dont_know = None
        withheld.append(
            "The share of “don't know” answers, pooled, is not given: with the partnerships by that share, where "
            "a count is hidden, it could tell the hidden counts."
        )
    return QualityFigures(
        respondents=respondents,
        unanswered_share=unanswered,
        dont_know_share=dont_know,
        withheld=tuple(withheld),
        breakdowns=(by_respondents, by_unanswered, by_dont_know, by_rate),
    )


WITHHELD_RESPONDENTS = (
    "How many people answered in all is not given: with the partnerships by respondents, where a count is "
    "hidden, the total could tell the hidden counts."
)


def _any_hidden(breakdown: Breakdown) -> bool:
    return any(count.hidden for count in breakdown.counts)


def _share(part: int, whole: int | None) -> float | None:
    return part / whole if whole else None


# --- actions planned and done ------------------------------------------------------------------------


def _actions(rulebase: RuleBase, partnerships: Sequence[_Partnership], k: int) -> tuple[RemedyFigures, ...]:
    planned: dict[str, set[int]] = {}
    done: dict[str, set[int]] = {}
    for i, p in enumerate(partnerships):
        for record in p.records:
            for remedy_id, status in record.plan or ():
                planned.setdefault(remedy_id, set()).add(i)
                if status == "done":
                    done.setdefault(remedy_id, set()).add(i)
    n = len(partnerships)
    result = []
    for remedy in rulebase.remedies:
        if remedy.id not in planned:
            continue
        did = len(done.get(remedy.id, ()))
        system = suppress.System(
            atoms=[n - len(planned[remedy.id]), did, len(planned[remedy.id]) - did],
            cells={
                "all": frozenset({0, 1, 2}),
                "planned": frozenset({1, 2}),
                "not_planned": frozenset({0}),
                "done": frozenset({1}),
                "not_done": frozenset({2}),
            },
            breakdowns=[
                suppress.Breakdown(None, ("planned", "not_planned")),
                suppress.Breakdown("planned", ("done", "not_done")),
            ],
            fixed=frozenset({"all"}),
        )
        counts = _counts(system, k, {"not_planned": "not planned", "not_done": "not done"})
        ref = _remedy_ref(rulebase, remedy.id)
        result.append(
            RemedyFigures(
                id=ref.id,
                title=ref.title,
                sources=ref.sources,
                planned=counts["planned"],
                not_planned=counts["not_planned"],
                done=counts["done"],
                not_done=counts["not_done"],
            )
        )
    order = {remedy.id: i for i, remedy in enumerate(rulebase.remedies)}
    result.sort(key=lambda r: _shown_first(r.planned, order[r.id]))
    return tuple(result)


# --- how the questionnaire behaves, and the notes --------------------------------------------------------


def _properties(
    questionnaire: Questionnaire,
    latest: Sequence[Record],
    k: int,
    compute: Callable[[Questionnaire, Sequence[Sequence[Mapping[str, object]]], Minimums], QuestionnaireProperties]
    | None,
    respondents_withheld: bool = False,
) -> QuestionnaireProperties | None:
    asked = (questionnaire.id, questionnaire.version)
    pooled = [r.answers for r in latest if r.answers is not None and r.questionnaire == asked]
    if not pooled:
        return None
    if compute is None:
        from .properties import compute_properties

        def compute(
            q: Questionnaire, p: Sequence[Sequence[Mapping[str, object]]], m: Minimums
        ) -> QuestionnaireProperties:
            return compute_properties(q, p, minimums=m)  # type: ignore[arg-type]

    result = compute(questionnaire, pooled, Minimums(partnerships=k))
    if respondents_withheld:  # the pooled respondents can be the same total, or bound it
        result = result.model_copy(update={"respondents": None, "respondents_note": WITHHELD_RESPONDENTS})
    return result


def _notes(k: int, left_out: int, withheld: int, n: int, named: int) -> tuple[str, ...]:
    notes = [
        "Each partnership is counted once, at its latest assessment. No partnership is ranked, and no partnership's "
        "own score or findings appear anywhere: scores are counted in bands, never shown as one partnership's score, "
        "a lowest, a highest or a middle one.",
        f"No figure rests on fewer than {k} partnerships. A count of 1 to {k - 1} is hidden (shown as “–”), and so "
        "are other counts beside it, wherever it could otherwise be worked out from the totals. A hidden count is "
        "never zero, unless every count of its row is hidden.",
        f"Partnerships are named only where their lead agreed: {named} of the {n} are named, with nothing beside "
        "their names.",
    ]
    if left_out:
        notes.append(
            f"{left_out} assessment{'s were' if left_out != 1 else ' was'} left out: "
            f"{'their leads have' if left_out != 1 else 'its lead has'} not shared {'them' if left_out != 1 else 'it'} "
            "with the programme."
        )
    if withheld:  # how many is not said: it would be a count of a few partnerships
        notes.append("Assessments too few people answered for their reports to show any figure are left out.")
    return tuple(notes)

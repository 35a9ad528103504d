"""The programme view attacked: can a reader work out a hidden count, or one partnership's failure modes?

As ``test_privacy.py`` attacks the partnership report, these tests attack the programme
view with what a reader has: every figure shown, the totals, and how the figures add up
(each breakdown sums to its total, severities to "diagnosed", the year-on-year counts to
theirs, score bands to levels). The attacker here is written independently of the
view's own audit (``programme.suppress`` solves linear programmes; this one searches
whole numbers): for every hidden count it looks for two tables, both consistent with
everything shown, that give it different values. A hidden count is at least 1 unless
every count of its breakdown is hidden (the rule the view states), and the attacker uses
that too.

Then the differencing attack the issue names: a programme of 3 partnerships, and the same
plus one. What a reader learns of the added partnership's failure modes must not come
through a count that was hidden in the first and is shown in the second. What the
shown counts of both tell (all three had it, and all four have it) is a known limit of
suppression, set out in the README.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import math
import random
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

import partnership_health as ph
from partnership_health.models import Count, FindingThen, Minimums, Programme
from partnership_health.programme.properties import compute_properties
from partnership_health.programme.sources import Record
from partnership_health.programme.view import build_programme

from .programme_data import make_programme

SEVERITIES = ("low", "medium", "high", "critical")


# --- the attacker: whole-number tables consistent with everything shown --------------------------------


@dataclass
class Table:
    """What a reader knows of one family of counts: the values shown, and the equations they obey.

    ``unpublished``: counts no table shows but the equations hold (the partnerships of a type
    without a failure mode): unknown, possibly 0, and a disclosure only if worked out as 1 to
    ``k - 1``.
    """

    counts: dict[str, Count]
    equations: list[tuple[dict[str, int], int]]  # sum of coefficient * count = constant
    breakdowns: list[list[str]]
    n: int
    unpublished: frozenset[str] = frozenset()
    k: int = 3

    def hidden(self) -> list[str]:
        return [key for key, count in self.counts.items() if count.hidden]

    def lower(self, key: str) -> int:
        """A hidden count is at least 1 unless every count of (each of) its breakdowns is hidden."""
        return int(any(key in b and any(not self.counts[k].hidden for k in b) for b in self.breakdowns))


def _folded(table: Table) -> list[tuple[dict[str, int], int]]:
    folded = []
    for terms, constant in table.equations:
        unknown = {k: c for k, c in terms.items() if table.counts[k].hidden}
        known = sum(c * (table.counts[k].value or 0) for k, c in terms.items() if not table.counts[k].hidden)
        folded.append((unknown, constant - known))
    return folded


def _narrowed(
    bounds: dict[str, tuple[int, int]], equations: list[tuple[dict[str, int], int]]
) -> dict[str, tuple[int, int]] | None:
    """Each unknown's range cut down by what the others' ranges leave it in each equation (None: no solution)."""
    bounds = dict(bounds)
    changed = True
    while changed:
        changed = False
        for terms, constant in equations:
            for key, c in terms.items():
                rest_low = sum(min(d * bounds[k][0], d * bounds[k][1]) for k, d in terms.items() if k != key)
                rest_high = sum(max(d * bounds[k][0], d * bounds[k][1]) for k, d in terms.items() if k != key)
                a, b = sorted(((constant - rest_high) / c, (constant - rest_low) / c))
                low, high = max(bounds[key][0], math.ceil(a)), min(bounds[key][1], math.floor(b))
                if low > high:
                    return None
                if (low, high) != bounds[key]:
                    bounds[key] = (low, high)
                    changed = True
    return bounds


def find(table: Table, exclude: tuple[str, int] | None = None) -> dict[str, int] | None:
    """One assignment of the hidden counts consistent with everything shown (and not ``exclude``), or None."""
    equations = _folded(table)
    start = _narrowed({k: (table.lower(k), table.n) for k in table.hidden()}, equations)
    if start is None:
        return None
    unknowns = sorted(start, key=lambda k: start[k][1] - start[k][0])  # the narrowest first
    bounds = start
    assigned: dict[str, int] = {}

    def possible() -> bool:
        for terms, constant in equations:
            low = high = 0
            for k, c in terms.items():
                if k in assigned:
                    low += c * assigned[k]
                    high += c * assigned[k]
                else:
                    a, b = bounds[k]
                    low += min(c * a, c * b)
                    high += max(c * a, c * b)
            if not low <= constant <= high:
                return False
        return True

    def search(i: int) -> bool:
        if i == len(unknowns):
            return True
        key = unknowns[i]
        for value in range(bounds[key][0], bounds[key][1] + 1):
            if exclude is not None and exclude == (key, value):
                continue
            assigned[key] = value
            if possible() and search(i + 1):
                return True
            del assigned[key]
        return False

    return dict(assigned) if possible() and search(0) else None


def worked_out(table: Table) -> list[str]:
    """The hidden counts that take one value only in every table consistent with what is shown.

    A count never shown is listed only when the one value it takes is 1 to ``k - 1``.
    """
    first = find(table)
    assert first is not None, "the true table is consistent with what is shown"
    values = {k: {v} for k, v in first.items()}
    for key in table.hidden():
        if len(values[key]) == 1:
            other = find(table, exclude=(key, first[key]))
            if other is not None:
                for k, v in other.items():
                    values[k].add(v)
    return [
        k
        for k, found in values.items()
        if len(found) == 1 and (k not in table.unpublished or 0 < next(iter(found)) < table.k)
    ]


def tables(view: Programme) -> Iterator[tuple[str, Table]]:
    """Every family of counts the view shows, with the equations a reader knows they obey.

    A failure mode's table holds its rows of the tables by type, size and age: they split its
    "diagnosed", each cell with the partnerships of its column without the failure mode
    (never shown) adds up to the column's count. The columns' counts are equations of the
    breakdowns of "Who takes part" they join.
    """
    n = view.partnerships
    columns = {t.key: t.columns for t in view.failure_modes_by}
    for b in (*view.profile, *view.quality.breakdowns):
        counts = {c.key: c for c in b.counts}
        equations = [({k: 1 for k in counts}, b.total)]
        equations += [({k: 1 for k in column.groups}, column.partnerships) for column in columns.get(b.key, ())]
        yield b.key, Table(counts, equations, [list(counts)], n)
    m = view.year_on_year.partnerships
    rows = {(t.key, r.id): r for t in view.failure_modes_by for r in t.rows}
    for f in view.failure_modes:
        counts = {"diagnosed": f.diagnosed, "not_diagnosed": f.not_diagnosed, **{c.key: c for c in f.severity}}
        equations = [
            ({"diagnosed": 1, "not_diagnosed": 1}, n),
            ({**{s: 1 for s in SEVERITIES}, "diagnosed": -1}, 0),
        ]
        breakdowns = [["diagnosed", "not_diagnosed"], list(SEVERITIES)]
        if f.since is not None:
            assert m is not None
            counts |= {c.key: c for c in f.since}
            equations += [
                ({"persisting": 1, "new": 1, "first_diagnosed": 1, "diagnosed": -1}, 0),
                ({"resolved": 1, "neither": 1, "first_not": 1, "not_diagnosed": -1}, 0),
                ({"persisting": 1, "resolved": 1, "new": 1, "neither": 1}, m),
                ({"first_diagnosed": 1, "first_not": 1}, n - m),
            ]
            breakdowns += [
                ["persisting", "new", "first_diagnosed"],
                ["resolved", "neither", "first_not"],
                ["persisting", "resolved", "new", "neither"],
                ["first_diagnosed", "first_not"],
            ]
            if m == n:  # no first assessment: those two are 0 whatever else is shown, and no part of a breakdown
                breakdowns = [[k for k in b if not k.startswith("first_")] for b in breakdowns]
        unpublished = set()
        for by, cols in columns.items():
            row = rows[(by, f.id)]
            assert row.diagnosed == f.diagnosed and [c.key for c in row.counts] == [c.key for c in cols]
            cells = {f"{by}:{c.key}": c for c in row.counts}
            without = {f"{key}:not": Count(key=f"{key}:not", label="", value=None, hidden=True) for key in cells}
            counts |= cells | without
            unpublished |= set(without)
            equations.append(({**{k: 1 for k in cells}, "diagnosed": -1}, 0))
            equations += [({key: 1, f"{key}:not": 1}, c.partnerships) for key, c in zip(cells, cols, strict=True)]
            breakdowns.append(list(cells))
        yield f.id, Table(counts, equations, breakdowns, n, frozenset(unpublished), view.min_partnerships)
    for s in view.scores:  # the levels split every partnership; the bands of ten split each level
        bands = {c.key: c for c in s.bands if c.key != "no_score"}
        levels = {c.key: c for c in s.levels}
        counts = {**bands, **levels}
        low = {key: int(key.split("-")[0]) for key in bands}
        equations = [({k: 1 for k in levels}, n)]
        breakdowns = [list(levels)]
        for level, (a, b) in {"concern": (0, 50), "watch": (50, 70), "strength": (70, 101)}.items():
            inside = [k for k, lo in low.items() if a <= lo < b]
            equations.append(({**{k: 1 for k in inside}, level: -1}, 0))
            breakdowns.append(inside)
        yield s.section, Table(counts, equations, breakdowns, n)
    for r in view.actions:
        counts = {"planned": r.planned, "not_planned": r.not_planned, "done": r.done, "not_done": r.not_done}
        equations = [({"planned": 1, "not_planned": 1}, n), ({"done": 1, "not_done": 1, "planned": -1}, 0)]
        yield r.id, Table(counts, equations, [["planned", "not_planned"], ["done", "not_done"]], n)


def attack(view: Programme) -> dict[str, list[str]]:
    """Every hidden count a reader can work out, by table."""
    return {name: found for name, table in tables(view) if table.hidden() and (found := worked_out(table))}


def test_the_attacker_does_work_out_a_count_hidden_alone() -> None:
    """The attack is not toothless: one count hidden in a breakdown is the total less the others."""
    counts = {k: Count(key=k, label=k, value=v, hidden=False) for k, v in (("a", 5), ("b", 1), ("c", 7))}
    counts["b"] = Count(key="b", label="b", value=None, hidden=True)
    table = Table(counts, [({k: 1 for k in counts}, 13)], [list(counts)], 13)
    assert worked_out(table) == ["b"]
    counts["a"] = Count(key="a", label="a", value=None, hidden=True)
    assert worked_out(table) == []  # b and a: 1 and 5, or 2 and 4 ...


def test_the_attacker_works_out_a_cell_of_a_table_by_group_when_one_hidden_beside_it_is_shown(
    tmp_path: Path, questionnaire: ph.Questionnaire, rulebase: ph.RuleBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The attack on the tables by group is not toothless: of two cells hidden in a row, show one, find the other."""
    from partnership_health.programme import suppress
    from partnership_health.programme.sources import read_sources

    make_programme(tmp_path / "p", 22)
    read = read_sources([tmp_path / "p"], questionnaire, rulebase)
    view = build_programme(read.records, questionnaire, rulebase, min_column=1)
    protect = suppress.protect
    with monkeypatch.context() as patch:  # the true counts: nothing of the failure modes hidden (the columns kept)
        patch.setattr(suppress, "protect", lambda system, k: frozenset() if system.unpublished else protect(system, k))
        truth = build_programme(read.records, questionnaire, rulebase, min_column=1)
    true_rows = {(t.key, r.id): r for t in truth.failure_modes_by for r in t.rows}
    for t in view.failure_modes_by:
        for row in t.rows:
            hidden = [i for i, c in enumerate(row.counts) if c.hidden]
            if len(hidden) != 2 or row.diagnosed.hidden:
                continue
            counts = list(row.counts)
            counts[hidden[0]] = true_rows[(t.key, row.id)].counts[hidden[0]]
            told = t.model_copy(
                update={
                    "rows": tuple(r.model_copy(update={"counts": tuple(counts)}) if r is row else r for r in t.rows)
                }
            )
            leaked = view.model_copy(
                update={"failure_modes_by": tuple(told if other is t else other for other in view.failure_modes_by)}
            )
            assert f"{t.key}:{row.counts[hidden[1]].key}" in attack(leaked)[row.id]
            return
    pytest.fail("no row of a table by group has two hidden cells")


# --- programmes to attack -----------------------------------------------------------------------------


def record(
    i: int,
    year: int,
    found: Mapping[str, str],
    scores: Mapping[str, int] | None = None,
    plan: Sequence[tuple[str, str]] = (),
) -> Record:
    return Record(
        partnership=f"Synthetic {i}",
        assessed_on=datetime.date(year, 6, 1),
        where=f"synthetic {i} {year}",
        named=False,
        findings=tuple(FindingThen(id=f"{m}.r", title=m, failure_mode=m, severity=s) for m, s in found.items()),
        scores=dict(scores or {}),
        partnership_type=None,
        partner_count=None,
        age=None,
        respondents=5,
        asked=100,
        unanswered=0,
        dont_know=0,
        plan=tuple(plan) or None,
    )


MODES = ("power_imbalance", "all_talk_no_action", "poor_evaluation")


def random_programme(rng: random.Random, n: int) -> list[Record]:
    """n partnerships, some with an earlier assessment, failure modes and scores drawn at random."""
    records = []
    for i in range(n):
        for year in (2025, 2026) if rng.random() < 0.7 else (2026,):
            found = {m: rng.choice(SEVERITIES) for m in MODES if rng.random() < 0.45}
            scores = {"communication": rng.randint(20, 95), "goals": rng.randint(40, 80)}
            plan = [
                (r, rng.choice(("done", "in progress")))
                for r in ("share-decision-making", "set-meeting-rhythm")
                if rng.random() < 0.5
            ]
            records.append(record(i, year, found, scores, plan))
    return records


TYPES = ("secondment", "cooperative", "coordinated", "collaborative", None)
SIZES = (2, 3, 5, 6, 8, 12, 25, None)
AGES = ("under_1_year", "one_to_3_years", "over_3_years", None)


def with_profiles(records: Sequence[Record], rng: random.Random) -> list[Record]:
    """The records with a type, size and age drawn for each partnership (the same in each of its years)."""
    drawn: dict[str, tuple[str | None, int | None, str | None]] = {}
    for r in records:
        drawn.setdefault(r.partnership, (rng.choice(TYPES), rng.choice(SIZES), rng.choice(AGES)))
    return [
        dataclasses.replace(r, partnership_type=t, partner_count=size, age=age)
        for r in records
        for t, size, age in [drawn[r.partnership]]
    ]


def by_group_cells(view: Programme) -> tuple[int, int]:
    """How many cells the tables of failure modes by type, size and age have, and how many are hidden."""
    cells = [c for t in view.failure_modes_by for r in t.rows for c in r.counts]
    return len(cells), sum(c.hidden for c in cells)


@pytest.mark.parametrize(
    "n, min_column, by",
    [
        (7, None, set()),  # seven partnerships: no column of the tables by group could hold 5k
        (22, 1, {"type", "size", "age"}),  # columns as small as one partnership: the audit alone protects them
    ],
)
def test_no_hidden_count_of_the_test_programme_can_be_worked_out(
    n: int,
    min_column: int | None,
    by: set[str],
    tmp_path: Path,
    questionnaire: ph.Questionnaire,
    rulebase: ph.RuleBase,
) -> None:
    from partnership_health.programme.sources import read_sources

    make_programme(tmp_path / "p", n)
    read = read_sources([tmp_path / "p"], questionnaire, rulebase)
    for k in (3, 4, 5):
        view = build_programme(read.records, questionnaire, rulebase, min_partnerships=k, min_column=min_column)
        assert {t.key for t in view.failure_modes_by} == by
        assert sum(t.hidden() != [] for _, t in tables(view)) >= 5  # there is something to attack
        assert by_group_cells(view)[1] >= (10 if by else 0)
        assert attack(view) == {}, k


@pytest.mark.parametrize("seed", range(6))
def test_no_hidden_count_of_random_programmes_can_be_worked_out(
    seed: int, questionnaire: ph.Questionnaire, rulebase: ph.RuleBase
) -> None:
    """Random programmes of 3 to 9, and the same with a type, size and age each and columns of any size."""
    rng = random.Random(seed)
    profiles = random.Random(1000 + seed)  # apart, so the programmes are those drawn before tables by group
    attacked = crossed = 0
    for _ in range(15):
        k = rng.choice((3, 3, 4))
        n = rng.randint(k, 9)
        records = random_programme(rng, n)
        view = build_programme(records, questionnaire, rulebase, min_partnerships=k)
        attacked += sum(bool(t.hidden()) for _, t in tables(view))
        assert attack(view) == {}, (seed, n)
        k = profiles.choice((3, 4, 5))
        if n >= k:
            view = build_programme(
                with_profiles(records, profiles), questionnaire, rulebase, min_partnerships=k, min_column=1
            )
            crossed += by_group_cells(view)[1]
            assert attack(view) == {}, (seed, n, k)
    assert attacked > 30
    assert crossed >= 5  # hidden cells of tables by group were attacked


@pytest.mark.parametrize("seed", range(3))
def test_no_hidden_count_of_random_programmes_of_60_to_100_with_their_tables_by_group(
    seed: int, questionnaire: ph.Questionnaire, rulebase: ph.RuleBase
) -> None:
    """Programmes large enough for columns of 5k partnerships (the default), at k = 3, 4 and 5."""
    rng = random.Random(100 + seed)
    for k in (3, 4, 5):
        records = with_profiles(random_programme(rng, rng.randint(60, 100)), rng)
        view = build_programme(records, questionnaire, rulebase, min_partnerships=k)
        assert view.failure_modes_by and all(c.partnerships >= 5 * k for t in view.failure_modes_by for c in t.columns)
        assert attack(view) == {}, (seed, k)


def test_the_shipped_example_programme_keeps_every_hidden_count(
    questionnaire: ph.Questionnaire, rulebase: ph.RuleBase
) -> None:
    from partnership_health.core.reader import bundled_path
    from partnership_health.programme.sources import read_sources

    folder = bundled_path("examples") / "programme" / "answers"
    if not folder.is_dir():
        pytest.skip("the generated programme is not in this tree")
    read = read_sources([folder], questionnaire, rulebase, jobs=2)
    view = build_programme(read.records, questionnaire, rulebase)
    assert any(t.hidden() for _, t in tables(view))
    assert attack(view) == {}


# --- differencing: three partnerships, then the same and one more ------------------------------------------


def _states(view_a: Programme, view_b: Programme, mode: str, ignore: set[str]) -> set[tuple[str, str]]:
    """The (severity now, history) the added partnership can have for ``mode``, given both views.

    ``ignore``: counts of the second view treated as hidden (to see what they add).
    """
    a = next(t for name, t in tables(view_a) if name == mode)
    b = next(t for name, t in tables(view_b) if name == mode)
    b = Table(
        {k: (Count(key=k, label=k, value=None, hidden=True) if k in ignore else c) for k, c in b.counts.items()},
        b.equations,
        b.breakdowns,
        b.n,
    )
    possible = set()
    for now in ("none", *SEVERITIES):
        for history in ("had", "had_not", "first") if "persisting" in b.counts else ("",):
            added = _cells(now, history)
            combined = Table(
                {**{f"a.{k}": c for k, c in a.counts.items()}, **{f"b.{k}": c for k, c in b.counts.items()}},
                [({f"a.{k}": c for k, c in terms.items()}, const) for terms, const in a.equations]
                + [({f"b.{k}": c for k, c in terms.items()}, const) for terms, const in b.equations]
                + [({f"b.{k}": 1, f"a.{k}": -1}, int(k in added)) for k in b.counts if k in a.counts],
                [[f"a.{k}" for k in g] for g in a.breakdowns] + [[f"b.{k}" for k in g] for g in b.breakdowns],
                b.n,
            )
            for k in ignore:  # treated as hidden: nothing known of it, not even that it is at least 1
                combined.breakdowns = [g for g in combined.breakdowns if f"b.{k}" not in g] + [[f"b.{k}"]]
            if find(combined) is not None:
                possible.add((now, history))
    return possible


def _cells(now: str, history: str) -> set[str]:
    cells = {"diagnosed" if now != "none" else "not_diagnosed"} | ({now} if now != "none" else set())
    if history:
        since = {
            ("had", True): "persisting",
            ("had", False): "resolved",
            ("had_not", True): "new",
            ("had_not", False): "neither",
            ("first", True): "first_diagnosed",
            ("first", False): "first_not",
        }
        cells.add(since[(history, now != "none")])
    return cells


def unhidden(view_a: Programme, view_b: Programme, mode: str) -> tuple[set[str], set[str]]:
    """The counts of ``mode`` hidden in the first view and shown in the second: (those of 1 or more, those of 0)."""
    fa = next(t for m, t in tables(view_a) if m == mode)
    fb = next(t for m, t in tables(view_b) if m == mode)
    shown = {k for k in fb.counts if k in fa.counts and fa.counts[k].hidden and not fb.counts[k].hidden}
    return {k for k in shown if fb.counts[k].value}, {k for k in shown if not fb.counts[k].value}


def test_adding_one_partnership_to_three_shows_no_count_that_was_hidden(
    questionnaire: ph.Questionnaire, rulebase: ph.RuleBase
) -> None:
    """Three partnerships, then the same and one more: no count of 1 or more goes from hidden to shown.

    So nothing of the added partnership is told by subtracting a count the first view hid. A
    count hidden then and shown as 0 now says of every partnership of the second view what it
    says of the added one (none has it), which the second view alone tells.
    """
    rng = random.Random(23)
    zeros = 0
    for _ in range(120):
        records = random_programme(rng, 4)
        name = sorted({r.partnership for r in records})[-1]  # the one added
        view_a = build_programme([r for r in records if r.partnership != name], questionnaire, rulebase)
        view_b = build_programme(records, questionnaire, rulebase)
        for mode in MODES:
            some, none = unhidden(view_a, view_b, mode)
            assert not some, (mode, some)
            zeros += bool(none)
            if none:  # and what the two views tell of the added one, the second alone tells of any of its four
                both = _states(view_a, view_b, mode, set())
                assert all(_possible_for_someone(view_b, mode, state) for state in both)
    assert zeros >= 5  # counts did go from hidden to shown (as 0): the test is not empty


def _possible_for_someone(view: Programme, mode: str, state: tuple[str, str]) -> bool:
    """Whether the view alone lets some partnership of it be in ``state``: a table with its counts at least 1."""
    table = next(t for m, t in tables(view) if m == mode)
    for key in _cells(*state):
        count = table.counts[key]
        if not count.hidden and not count.value:
            return False
    return True


# --- pooled totals and the n's of the questionnaire's figures ---------------------------------------------


def _people(i: int, respondents: int, unanswered: int = 0) -> Record:
    return dataclasses.replace(
        record(i, 2026, {}, {"communication": 60}), respondents=respondents, unanswered=unanswered
    )


def test_the_total_of_respondents_is_not_given_beside_hidden_bands_of_respondents() -> None:
    """3, 3 and 5 respondents: "11 people answered" beside "1 to 4: –" and "5 to 9: –" tells them (2 and 1)."""
    from partnership_health.programme.render import render_programme

    view = build_programme([_people(0, 3), _people(1, 3), _people(2, 5)], ph.load_questionnaire(), ph.load_rulebase())
    bands = {c.key: c for c in view.quality.breakdowns[0].counts}
    assert bands["1-4"].hidden and bands["5-9"].hidden
    assert view.quality.respondents is None
    for fmt in ("md", "html", "json"):
        text = str(render_programme(view, fmt))
        assert "11 people answered" not in text and '"respondents": 11' not in text
        assert "How many people answered in all is not given" in text
    assert ",11," not in str(render_programme(view, "csv"))


def test_a_pooled_share_is_not_given_beside_hidden_bands_of_that_share() -> None:
    """One partnership of three leaves 30 of its 100 questions blank: the pooled 10% would tell it is alone."""
    view = build_programme(
        [_people(0, 5), _people(1, 5), _people(2, 5, unanswered=30)], ph.load_questionnaire(), ph.load_rulebase()
    )
    assert any(c.hidden for c in view.quality.breakdowns[1].counts)
    assert view.quality.unanswered_share is None
    assert view.quality.dont_know_share == 0  # its bands: all three under 5%, shown
    assert view.quality.respondents == 15  # all three in "5 to 9", shown: the total tells nothing more
    from partnership_health.programme.render import render_programme

    csv = str(render_programme(view, "csv"))
    assert "unanswered share (pooled),all,suppressed" in csv and "0.1," not in csv


def _section_answers(people: int, complete: bool = True) -> list[dict[str, object]]:
    row = {"s.a": 4, "s.b": 3, "s.c": 5} if complete else {"s.a": 4}
    return [dict(row, **{"s.b": 2 + i % 3}) if complete else dict(row) for i in range(people)]


def test_an_n_of_partnerships_that_would_tell_how_few_lack_a_figure_is_given_in_words() -> None:
    """Of 4 partnerships, 3 have enough respondents for agreement: "n = 3" beside 4 says one has not."""
    from .test_properties import questionnaire_of, rendered

    partnerships = [_section_answers(3) for _ in range(3)] + [_section_answers(1, complete=False)]
    result = compute_properties(
        questionnaire_of({"s": ["a", "b", "c"]}), partnerships, minimums=Minimums(icc_partnerships=3)
    )
    section = result.sections[0]
    for figure in (section.agreement, section.icc1, section.icc2):
        assert figure.n is None and figure.n_words == "all but fewer than 3 of the 4", figure
    assert section.complete_partnerships is None
    assert section.complete_partnerships_words == "all but fewer than 3 of the 4"
    data = json.loads(result.model_dump_json())
    assert '"n": 3' not in json.dumps(data) and "3 partnerships" not in json.dumps(data)
    for kind in ("md", "html"):
        text = rendered(kind, result)
        assert "n = all but fewer than 3 of the 4 partnerships" in text
        assert "n = 3 partnerships" not in text and "in 3 partnerships" not in text
    # All 4 with the figure, or 3 of 7 (4 lack it: a count a reader may see): the n is exact.
    full = compute_properties(questionnaire_of({"s": ["a", "b", "c"]}), [_section_answers(3) for _ in range(4)])
    assert full.sections[0].agreement.n == 4
    few = [_section_answers(3) for _ in range(3)] + [_section_answers(1, complete=False) for _ in range(4)]
    assert compute_properties(questionnaire_of({"s": ["a", "b", "c"]}), few).sections[0].agreement.n == 3

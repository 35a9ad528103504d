"""Which counts of partnerships are hidden, so that none resting on a few partnerships can be worked out.

Statistical disclosure control of frequency tables by cell suppression, as Hundepool et al.,
*Statistical Disclosure Control* (Wiley, 2012), chapter 5, and the ONS's and Eurostat's
guidance for tables describe it:

- **Primary suppression**: a count of 1 to ``k - 1`` partnerships is hidden.
- **Secondary suppression**: other counts are hidden until no hidden count can be worked
  back out of the counts shown and the totals, by subtraction or by any other linear
  reasoning: each time the smallest count beside one that can be worked out (in one of
  its breakdowns, or splitting it) is hidden too.
- **Zeros** rest on no partnership and are shown. So a reader knows a hidden count is at
  least 1, and the audit assumes so, except in a breakdown whose every count is hidden
  (counts inside a total shown as 0 aside: they are 0, and shown, whatever is beside them):
  when even all the non-zero counts beside a count cannot protect it (three counts of 1
  in a breakdown of 3), the breakdown's zeros are hidden too, and a reader then only
  knows its counts are 0 or more.

The counts that hang together are a :class:`System`: its *atoms* are the finest groups
(a partnership is in exactly one), every count shown is a sum of atoms, and its
*breakdowns* say which counts split which. The audit solves, for each hidden count, the
smallest and the largest value it can take given everything shown (a linear programme over
the atoms, each 0 or more); the count is *determined* when the two are equal. The systems
built here (one breakdown, nested breakdowns, two breakdowns of the same total) have
totally unimodular constraints, so the linear programme's bounds are the whole-number
bounds. What it does not protect against (two programme views of overlapping partnerships
compared, a reader who knows partnerships' answers) is set out in the README.

**Linked tables** (Hundepool et al., section 5.5): a count shown in two tables (a failure
mode's "diagnosed", in its own table and as the total of its row in the table by type) is
one key. Each table has its own atoms, a partition of the same partnerships; a count's
atoms in its first table are in ``cells``, and in each other table in ``same``. The audit's
equations say its sums in every table are equal, so a hidden count is audited against all
of them together. A table's counts that are never shown (what a row and a column leave: the
partnerships of a type *without* the failure mode) are ``unpublished``: unknown to a reader,
never chosen to hide, and protected only when they rest on 1 to ``k - 1`` partnerships.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

__all__ = ["Breakdown", "System", "determined", "protect"]

_EPS = 1e-9


@dataclass(frozen=True)
class Breakdown:
    """Counts (``children``) that split ``parent`` (None: every partnership of the system)."""

    parent: str | None
    children: tuple[str, ...]


@dataclass
class System:
    """Counts that hang together: ``atoms`` (each the partnerships in one finest group) and counts over them.

    ``cells`` maps each count's key to the atoms it adds up; ``fixed`` counts are always
    shown (the totals); ``breakdowns`` say which counts split which. For linked tables (see
    the module), ``same`` gives a count's atoms in the other tables it is in, and
    ``unpublished`` the counts no table shows.
    """

    atoms: Sequence[int]
    cells: Mapping[str, frozenset[int]]
    breakdowns: Sequence[Breakdown]
    fixed: frozenset[str] = field(default_factory=frozenset)
    same: Mapping[str, tuple[frozenset[int], ...]] = field(default_factory=dict)
    unpublished: frozenset[str] = field(default_factory=frozenset)

    def value(self, key: str) -> int:
        return sum(self.atoms[a] for a in self.cells[key])

    def sums(self, key: str) -> tuple[frozenset[int], ...]:
        """The count's atoms in each table it is in: its own first, then the linked tables'."""
        return (self.cells[key], *self.same.get(key, ()))


def protect(system: System, k: int) -> frozenset[str]:
    """The keys of the counts to hide: every count of 1 to ``k - 1``, and enough others (see the module)."""
    values = {key: system.value(key) for key in system.cells}
    order = {key: i for i, key in enumerate(system.cells)}
    # A count inside a total shown as 0 is 0 for every reader: shown, like the total, and no part of
    # its breakdowns (a hidden count beside it may still be 0).
    nothing = {a for key in system.fixed if values[key] == 0 for atoms in system.sums(key) for a in atoms}
    zero = {
        key
        for key in system.cells
        if key not in system.fixed | system.unpublished and any(atoms <= nothing for atoms in system.sums(key))
    }
    system = replace(
        system,
        breakdowns=[Breakdown(b.parent, tuple(c for c in b.children if c not in zero)) for b in system.breakdowns],
        fixed=system.fixed | zero,
    )
    kept = system.fixed | system.unpublished  # never chosen to hide: shown always, or never shown
    hidden = {key for key, v in values.items() if 0 < v < k and key not in kept}
    secret = {key for key in system.unpublished if 0 < values[key] < k}
    while True:
        found = determined(system, hidden, secret)
        if not found:
            return frozenset(hidden)
        # Beside each count worked out: the counts of its breakdowns, and those that split it.
        beside = [
            key
            for target in found
            for b in system.breakdowns
            if target in b.children or target == b.parent
            for key in b.children
        ]
        shown_beside = [key for key in dict.fromkeys(beside) if key not in hidden and key not in kept]
        choice = _smallest([key for key in shown_beside if values[key] > 0], values, order)
        if choice is not None:
            hidden.add(choice)
            continue
        zeros = [key for key in shown_beside if values[key] == 0]
        if zeros:
            hidden |= _withheld(system, hidden, zeros, values)
            continue
        anywhere = [key for key in system.cells if key not in hidden and key not in kept]
        choice = _smallest([key for key in anywhere if values[key] > 0], values, order)
        if choice is not None:
            hidden.add(choice)
            continue
        if anywhere:  # only zeros left shown: hide them all
            hidden |= _withheld(system, hidden, anywhere, values)
            continue
        return frozenset(hidden)  # everything but the totals hidden: nothing more can be done


def _smallest(keys: Iterable[str], values: Mapping[str, int], order: Mapping[str, int]) -> str | None:
    return min(keys, key=lambda key: (values[key], order[key]), default=None)


def _withheld(system: System, hidden: set[str], zeros: Sequence[str], values: Mapping[str, int]) -> set[str]:
    """Hide ``zeros`` and every count of the breakdowns they are in, so that each of them is all hidden.

    A reader takes a hidden count for at least 1 while a count of its breakdown is shown:
    so a hidden zero's breakdowns must be hidden whole, and so on for the zeros they hold.
    """
    kept = system.fixed | system.unpublished
    more = set(zeros)
    queue = list(zeros)
    while queue:
        zero = queue.pop()
        for b in system.breakdowns:
            if zero in b.children:
                for key in b.children:
                    if key not in more and key not in hidden and key not in kept:
                        more.add(key)
                        if values[key] == 0:
                            queue.append(key)
    return more


def lower_bound(system: System, hidden: Iterable[str], key: str) -> int:
    """What a reader knows of a hidden count: at least 1 while any count of one of its breakdowns is shown.

    A count never shown (``unpublished``) may be 0 for all a reader knows.
    """
    if key in system.unpublished:
        return 0
    unknown = set(hidden) | system.unpublished
    for b in system.breakdowns:
        if key in b.children and any(other not in unknown for other in b.children):
            return 1
    return 0


def determined(system: System, hidden: Iterable[str], secret: Iterable[str] = ()) -> list[str]:
    """The hidden counts a reader can work out exactly from the counts shown (and the rules above).

    ``secret``: counts never shown (``unpublished``) that must not be worked out either.
    """
    bounds = bounds_of(system, hidden, [*hidden, *secret])
    return [key for key, (low, high) in bounds.items() if high - low < 0.5]


def bounds_of(system: System, hidden: Iterable[str], of: Iterable[str] | None = None) -> dict[str, tuple[float, float]]:
    """For each hidden count (or each of ``of``), the smallest and largest values it can take given what is shown.

    The equations (each count shown is its value, in every table it is in; a linked count
    hidden is the same in each) are first solved as a reader would by subtraction, then the
    atoms still unknown fall into independent groups, and one small linear programme is
    solved for each group a count touches.
    """
    hidden = set(hidden)
    unknown = hidden | system.unpublished
    wanted = [key for key in system.cells if key in set(hidden if of is None else of)]
    if not wanted:
        return {}
    known: dict[int, float] = {}
    equations: list[tuple[dict[int, float], float]] = []
    for key in system.cells:
        if key in unknown:
            first, *others = system.sums(key)
            for other in others:  # the same count in two tables: its sums are equal
                terms = dict.fromkeys(first, 1.0)
                for a in other:
                    terms[a] = terms.get(a, 0.0) - 1.0
                equations.append(({a: c for a, c in terms.items() if c}, 0.0))
        elif (value := system.value(key)) == 0:
            known |= {a: 0.0 for atoms in system.sums(key) for a in atoms}
        else:
            equations += [(dict.fromkeys(atoms, 1.0), float(value)) for atoms in system.sums(key)]
    equations = _substituted(equations, known)
    at_least = []  # sum >= 1, for each hidden count a reader knows is not 0
    for key in system.cells:
        if key in hidden and lower_bound(system, hidden, key):
            rest = [a for a in system.cells[key] if a not in known]
            need = 1.0 - sum(known.get(a, 0.0) for a in system.cells[key])
            if need > _EPS and rest:
                at_least.append((dict.fromkeys(rest, 1.0), need))
    groups = _groups(equations, at_least)
    result: dict[str, tuple[float, float]] = {}
    solved: dict[int, _Tableau | None] = {}
    for key in wanted:
        atoms = system.cells[key]
        low = high = sum(known[a] for a in atoms if a in known)
        touched: dict[int, list[int]] = {}
        for a in atoms:
            if a in groups.of:
                touched.setdefault(groups.of[a], []).append(a)
            elif a not in known:  # in no equation: a reader knows nothing of it
                high = float(sum(system.atoms))
        for g, objective in touched.items():
            if g not in solved:
                solved[g] = groups.tableau(g)
            start = solved[g]
            if start is None:  # cannot happen for counts that add up; say every bound is open
                return {key: (0.0, float(sum(system.atoms))) for key in wanted}
            row = groups.objective(g, objective)
            high += _maximise(start, row)
            low -= _maximise(start, [-c for c in row])
        result[key] = (low, high)
    return result


def _substituted(
    equations: list[tuple[dict[int, float], float]], known: dict[int, float]
) -> list[tuple[dict[int, float], float]]:
    """The equations with every atom a reader can work out by subtraction put in (``known`` grows)."""
    changed = True
    while changed:
        changed = False
        rest = []
        for terms, constant in equations:
            left = {a: c for a, c in terms.items() if a not in known}
            constant -= sum(c * known[a] for a, c in terms.items() if a in known)
            if len(left) == 1:
                ((a, c),) = left.items()
                known[a] = constant / c
                changed = True
            elif left:
                rest.append((left, constant))
        equations = rest
    return [
        (terms, constant) if constant >= 0 else ({a: -c for a, c in terms.items()}, -constant)
        for terms, constant in equations
    ]


@dataclass
class _Groups:
    """The atoms still unknown, in groups no equation joins; each group's equations as a tableau."""

    of: dict[int, int]  # atom -> group
    atoms: dict[int, list[int]]  # group -> its atoms (columns)
    equations: dict[int, list[tuple[dict[int, float], float]]]
    at_least: dict[int, list[tuple[dict[int, float], float]]]

    def tableau(self, g: int) -> _Tableau | None:
        column = {a: j for j, a in enumerate(self.atoms[g])}
        extra = self.at_least.get(g, [])
        width = len(column) + len(extra)
        rows: list[list[float]] = []
        rhs: list[float] = []
        for terms, constant in self.equations.get(g, []):
            row = [0.0] * width
            for a, c in terms.items():
                row[column[a]] = c
            rows.append(row)
            rhs.append(constant)
        for i, (terms, need) in enumerate(extra):  # sum - surplus = need
            row = [0.0] * width
            for a in terms:
                row[column[a]] = 1.0
            row[len(column) + i] = -1.0
            rows.append(row)
            rhs.append(need)
        return _feasible(rows, rhs, width)

    def objective(self, g: int, atoms: Sequence[int]) -> list[float]:
        row = [0.0] * (len(self.atoms[g]) + len(self.at_least.get(g, [])))
        column = {a: j for j, a in enumerate(self.atoms[g])}
        for a in atoms:
            row[column[a]] = 1.0
        return row


def _groups(equations: list[tuple[dict[int, float], float]], at_least: list[tuple[dict[int, float], float]]) -> _Groups:
    parent: dict[int, int] = {}

    def root(a: int) -> int:
        parent.setdefault(a, a)
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for terms, _ in (*equations, *at_least):
        first, *others = terms
        for a in others:
            parent[root(a)] = root(first)
    of = {a: root(a) for a in list(parent)}
    atoms: dict[int, list[int]] = {}
    for a in sorted(of):
        atoms.setdefault(of[a], []).append(a)
    grouped: dict[int, list[tuple[dict[int, float], float]]] = {}
    for terms, constant in equations:
        grouped.setdefault(of[next(iter(terms))], []).append((terms, constant))
    least: dict[int, list[tuple[dict[int, float], float]]] = {}
    for terms, need in at_least:
        least.setdefault(of[next(iter(terms))], []).append((terms, need))
    return _Groups(of, atoms, grouped, least)


# --- a small simplex: maximise c.x subject to A x = b, x >= 0 (b >= 0), Bland's rule --------------


@dataclass
class _Tableau:
    rows: list[list[float]]  # each: coefficients of the columns, then the right-hand side
    basis: list[int]
    columns: int  # the columns a phase-2 objective may use (the artificial ones come after)


def _feasible(a: list[list[float]], b: list[float], n: int) -> _Tableau | None:
    """Phase 1: a feasible basis of A x = b, x >= 0, or None when there is none."""
    m = len(a)
    rows = [row[:n] + [1.0 if i == j else 0.0 for j in range(m)] + [b[i]] for i, row in enumerate(a)]
    basis = [n + i for i in range(m)]
    cost = [0.0] * n + [-1.0] * m
    _run(rows, basis, cost, range(n + m))
    if sum(rows[i][-1] for i in range(m) if basis[i] >= n) > 1e-7:
        return None
    for i in range(m):  # drive artificial columns at zero out of the basis where a real one can take over
        if basis[i] >= n:
            j = next((j for j in range(n) if abs(rows[i][j]) > _EPS), None)
            if j is not None:
                _pivot(rows, i, j)
                basis[i] = j
    return _Tableau(rows, basis, n)


def _maximise(start: _Tableau, objective: Sequence[float]) -> float:
    rows = [row[:] for row in start.rows]
    basis = start.basis[:]
    cost = list(objective) + [0.0] * (len(rows[0]) - 1 - len(objective))
    _run(rows, basis, cost, range(start.columns))
    return sum(cost[basis[i]] * rows[i][-1] for i in range(len(rows)))


def _run(rows: list[list[float]], basis: list[int], cost: Sequence[float], allowed: Iterable[int]) -> None:
    allowed = list(allowed)
    m = len(rows)
    while True:
        in_basis = set(basis)
        enter = None
        for j in allowed:
            if j in in_basis:
                continue
            reduced = cost[j] - sum(cost[basis[i]] * rows[i][j] for i in range(m) if rows[i][j])
            if reduced > _EPS:
                enter = j
                break
        if enter is None:
            return
        leave = None
        best = 0.0
        for i in range(m):
            if rows[i][enter] > _EPS:
                ratio = rows[i][-1] / rows[i][enter]
                if leave is None or ratio < best - _EPS or (abs(ratio - best) <= _EPS and basis[i] < basis[leave]):
                    leave, best = i, ratio
        if leave is None:  # unbounded: counts that add up to a total never are
            raise ArithmeticError("unbounded")
        _pivot(rows, leave, enter)
        basis[leave] = enter


def _pivot(rows: list[list[float]], r: int, c: int) -> None:
    pivot = rows[r][c]
    rows[r] = [v / pivot for v in rows[r]]
    top = rows[r]
    for i, row in enumerate(rows):
        factor = row[c]
        if i != r and abs(factor) > _EPS:
            rows[i] = [v - factor * t for v, t in zip(row, top, strict=True)]

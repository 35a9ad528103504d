"""The only module that imports durable-rules, and everything needed to use it safely.

durable-rules 2.0.28 is unmaintained and has sharp edges (see the README's "durable-rules"
section). This module contains all of them; the rest of the package sees "compiled rule
base and facts in, firings out".

It drives durable's C core (``durable_rules_engine``) directly rather than through its
Python ``Host``, which starts background timer threads (they segfault with overlapping
sessions) and serialises the whole session state to JSON around every firing. Here:

- An assessment is one wide fact: every fact value the rules read, as properties ``p0``,
  ``p1``, ... (durable reads dots in a property name as a path, and a fact holds at
  most 255 properties, so keys are renamed and at most 250 go in one fact; more make
  several facts). A derived fact is a small fact ``{"d": index}``.
- The branches are spread over rulesets of at most 50 rules: durable's alpha-node stack
  holds 64 entries, and a ruleset whose rules all test one wide fact fails past ~60
  (error 303). Branches testing the same fact keys are put together, and each ruleset
  is given only the properties its rules test.
- A ruleset is created once per process and reused (durable cannot remove one).
- One assessment at a time holds the core (it never releases the GIL, so threads gain
  nothing). Each ruleset has one session, used by every assessment: the facts an
  assessment asserted are retracted when it ends, which leaves the session empty.
  Creating and deleting a session per assessment cost more than the matching itself
  (durable allocates and clears about 10 KB per rule for a session). If anything fails,
  or a retraction leaves an action queued, the sessions are deleted in ``finally`` and
  the next assessment starts new ones. So one session per ruleset is alive: durable's
  32-bit session hashes cannot collide, and the 1024-live-session cap and memory
  growth never apply.
- Each ruleset has a rule that takes every fact and never fires, so a fact no rule
  matches does not raise and lose the batch, and a rule that a last fact of every
  session fires: deleting a session in which no action ever ran segfaults.
- Firings are read from durable's action queue by rule name only (nothing parses the
  session state); a derived fact a branch asserts is asserted, once, into every
  ruleset that reads it, and their actions read in turn: durable still does the
  chaining. Firings are collected as a set, so a rule firing twice is one firing.
- durable's C parser misreads numbers written with an exponent (``1e-05``, ``1e+16``:
  aborts, or firings that change with ``PYTHONHASHSEED``) and rejects ``inf`` and
  ``nan``. No number of ours reaches it: every number a rule compares with, and every
  fact value, is replaced by its rank among that fact key's thresholds (see
  :class:`_Ranks`), a small integer. A comparison of ranks gives the same answer as the
  comparison of the numbers, for any finite number, however small or large.
"""

from __future__ import annotations

import bisect
import itertools
import json
import math
import operator
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeGuard

import durable_rules_engine as _core

from ..errors import RuleEngineError
from .compiler import Branch, CompiledRuleBase, FactKey, Test
from .facts import FactValue

MAX_PROPERTIES = 250  # per fact; durable takes at most 255
MAX_RULES = 50  # per ruleset; durable failed past ~60 rules on one wide fact (error 303)
_NEVER = "__every_fact__"
_DONE = "__done__"
_PLAIN_NUMBERS = frozenset((int, float, bool))
_COMPARE = {"<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte", "!=": "$neq"}


@dataclass(frozen=True)
class Firing:
    """A compiled branch that fired, with the fact values it tested."""

    branch: str
    matched: tuple[tuple[str, Any], ...]


def _is_number(value: object) -> TypeGuard[float]:
    """Numbers, and True and False, which Python compares as 1 and 0 (so ranks do too)."""
    return isinstance(value, (int, float))


class _Ranks:
    """Each number replaced by its rank among the numbers the rules compare a fact key with.

    For a key whose rules compare with the thresholds t0 < t1 < ... (its distinct numbers),
    ``t_i`` becomes ``2i + 1``; a value between ``t_{i-1}`` and ``t_i`` becomes ``2i``
    (below t0: 0, above the last: 2n). So for any finite value x and any threshold t,
    ``x op t`` holds exactly when ``rank(x) op rank(t)`` holds, for every op (<, <=, ==,
    !=, >=, >): x == t maps both to the same odd number, and x on either side of t maps
    to an even number on the same side of it. The ranks are small integers, which durable
    reads correctly; no rounding is involved, so nothing near a threshold can flip.
    """

    def __init__(self, branches: Mapping[str, Branch]) -> None:
        thresholds: dict[str, set[float]] = {}
        for branch in branches.values():
            for test in branch.tests:
                for value in test.value if isinstance(test.value, tuple) else (test.value,):
                    if _is_number(value):
                        if not math.isfinite(value):
                            raise RuleEngineError(f"rule {branch.rule_id}: {test.key} {test.op} {value} is not finite")
                        thresholds.setdefault(test.key, set()).add(value)
        self._cuts = {key: sorted(values) for key, values in thresholds.items()}

    def rank(self, key: str, value: Any) -> Any:
        """``value``'s rank for ``key`` if it is a number; any other value as it is."""
        if not _is_number(value):
            return value
        return _rank(key, value, self._cuts.get(key, ()))

    def cuts(self, key: str) -> tuple[float, ...]:
        """The thresholds the rules compare ``key`` with, in order."""
        return tuple(self._cuts.get(key, ()))


def _rank(key: str, value: float, cuts: tuple[float, ...] | list[float]) -> int:
    """A finite number's rank among ``cuts`` (see :class:`_Ranks`)."""
    if not math.isfinite(value):
        raise RuleEngineError(f"{key} is {value}, not a finite number")
    i = bisect.bisect_left(cuts, value)
    return 2 * i + 1 if i < len(cuts) and cuts[i] == value else 2 * i


@dataclass(frozen=True)
class _Ruleset:
    handle: int
    reads: tuple[tuple[int, tuple[str, ...]], ...]  # the wide facts its rules read, with the properties they test
    # The same as getters of the properties' places in what is written of an assessment's facts.
    written: tuple[tuple[int, Callable[[list[str]], tuple[str, ...]]], ...]


def _getter(places: list[int]) -> Callable[[list[str]], tuple[str, ...]]:
    """A function of a list that returns the items at ``places``, always as a tuple."""
    if len(places) == 1:
        only = places[0]
        return lambda items: (items[only],)
    return operator.itemgetter(*places)


class _Layout:
    """A compiled rule base laid out as durable rulesets, and how to turn facts into durable facts."""

    def __init__(self, compiled: CompiledRuleBase) -> None:
        self.compiled = compiled
        self.sid: str | None = None  # the sessions in use, emptied after each assessment
        self.ranks = _Ranks(compiled.branches)
        keys = sorted(compiled.needed)
        self.slots = {key: (i // MAX_PROPERTIES, f"p{i % MAX_PROPERTIES}") for i, key in enumerate(keys)}
        # Each fact key's place among the properties written, its thresholds, and its property as written
        # for each rank.
        self.encode: dict[str, tuple[int, str, tuple[float, ...], tuple[str, ...]]] = {}
        for place, (key, (_, prop)) in enumerate(self.slots.items()):
            cuts = self.ranks.cuts(key)
            self.encode[key] = (place, prop, cuts, tuple(f', "{prop}": {rank}' for rank in range(2 * len(cuts) + 1)))
        self.parts = max(1, math.ceil(len(keys) / MAX_PROPERTIES))
        derived = sorted({t.key for b in compiled.branches.values() for t in b.tests if t.op == "present"})
        self.derived = {key: n for n, key in enumerate(derived)}
        # Branches that test the same fact keys go in the same ruleset: fewer properties to read.
        self.branch_names = sorted(compiled.branches, key=lambda name: sorted(_tested(compiled.branches[name])))
        # The fact keys each branch tests, by branch number, as plain strings: a firing's pairs of
        # plain strings and numbers are left alone by the garbage collector, FactKeys are not.
        self.tested = [tuple(map(str, _tested(compiled.branches[name]))) for name in self.branch_names]
        self.asserts = [compiled.branches[name].asserts for name in self.branch_names]
        self.rulesets: list[_Ruleset] = []
        self.readers: dict[str, list[_Ruleset]] = {}  # derived fact key -> the rulesets that read it
        places = {slot: n for n, slot in enumerate(self.slots.values())}
        for chunk, start in enumerate(range(0, len(self.branch_names), MAX_RULES)):
            names = self.branch_names[start : start + MAX_RULES]
            rules = {f"r{start + n}": self._rule(compiled.branches[name]) for n, name in enumerate(names)}
            # A fact no rule matches makes durable raise: this rule takes every fact and never fires.
            rules[_NEVER] = {"all": [{"m0": {"$ex": {"t": 1}}}, {"m1": {"$ex": {"never": 1}}}]}
            # Deleting a session in which no action ran segfaults: every session ends with this fact.
            rules[_DONE] = {"all": [{"m0": {"t": "done"}}]}
            tests = [test for name in names for test in compiled.branches[name].tests]
            # Each ruleset is given only the properties its rules test: less JSON for durable to read.
            reads: dict[int, set[str]] = {}
            for test in tests:
                if test.op != "present":
                    part, prop = self.slots[test.key]
                    reads.setdefault(part, set()).add(prop)
            handle = _core.create_ruleset(f"{compiled.name}_{chunk}", json.dumps({**rules}))
            ruleset = _Ruleset(
                handle,
                tuple((part, tuple(sorted(props))) for part, props in sorted(reads.items())),
                tuple(
                    (part, _getter([places[part, prop] for prop in sorted(props)]))
                    for part, props in sorted(reads.items())
                ),
            )
            self.rulesets.append(ruleset)
            for key in dict.fromkeys(t.key for t in tests if t.op == "present"):
                self.readers.setdefault(key, []).append(ruleset)

    def _rule(self, branch: Branch) -> dict[str, Any]:
        by_part: dict[int, list[Any]] = {}
        patterns: list[Any] = []
        for test in branch.tests:
            if test.op == "present":
                patterns.append({"$and": [{"t": "d"}, {"d": self.derived[test.key]}]})
            else:
                by_part.setdefault(self.slots[test.key][0], []).extend(self._comparison(test))
        patterns += [{"$and": [{"t": "w"}, {"w": part}, *compare]} for part, compare in sorted(by_part.items())]
        return {"all": [{f"m{i}": pattern} for i, pattern in enumerate(patterns)]}

    def _comparison(self, test: Test) -> list[Any]:
        prop = self.slots[test.key][1]
        values = test.value if isinstance(test.value, tuple) else (test.value,)
        ranked = [self.ranks.rank(test.key, value) for value in values]
        if test.op == "==":
            return [{prop: ranked[0]}]
        if test.op == "in":
            return [{"$or": [{prop: value} for value in ranked]} if len(ranked) > 1 else {prop: ranked[0]}]
        if test.op == "not in":
            return [{"$neq": {prop: value}} for value in ranked]
        return [{_COMPARE[test.op]: {prop: ranked[0]}}]

    def batches(self, sid: str, facts: Mapping[FactKey, FactValue]) -> list[str]:
        """For each ruleset, the JSON of its facts: the properties of the wide facts it reads, and the last fact.

        Written as ``json.dumps`` writes the list of facts, a property at a time: each
        fact value is ranked and written once, whichever rulesets read it.
        """
        written = [""] * len(self.encode)  # a fact not known: no property
        encode, bisect_left, isfinite = self.encode, bisect.bisect_left, math.isfinite
        for key, value in facts.items():
            found = encode.get(key)
            if found is not None:
                place, prop, cuts, texts = found
                if type(value) in _PLAIN_NUMBERS and isfinite(value):  # type: ignore[arg-type]  # as _rank, inline
                    i = bisect_left(cuts, value)
                    written[place] = texts[2 * i + 1 if i < len(cuts) and cuts[i] == value else 2 * i]
                elif _is_number(value):
                    written[place] = texts[_rank(key, value, cuts)]
                else:
                    written[place] = f', "{prop}": {json.dumps(value)}'
        sid_text = json.dumps(sid)
        last = f'{{"sid": {sid_text}, "t": "done"}}]'
        return [
            "["
            + "".join(
                [
                    f'{{"sid": {sid_text}, "t": "w", "w": {part}{"".join(read(written))}}}, '
                    for part, read in ruleset.written
                ]
            )
            + last
            for ruleset in self.rulesets
        ]


class Runner:
    """Runs compiled rule bases on durable-rules' core, one assessment at a time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._registered: dict[str, _Layout] = {}
        self._sessions = itertools.count(1)

    def run(self, compiled: CompiledRuleBase, facts: Mapping[FactKey, FactValue]) -> frozenset[Firing]:
        """Assert ``facts`` into an empty session of ``compiled`` and return what fired."""
        with self._lock:
            layout = self._layout(compiled)
            if layout.sid is None:
                layout.sid = str(next(self._sessions))
            sid = layout.sid
            fired: set[int] = set()
            emptied = False
            try:
                asserted: set[FactKey] = set()
                waiting: list[FactKey] = []
                batches = layout.batches(sid, facts)
                derived: list[tuple[_Ruleset, str]] = []  # (ruleset, fact) in the order asserted
                for ruleset, batch in zip(layout.rulesets, batches, strict=True):
                    self._take_actions(layout, ruleset, _core.assert_facts(ruleset.handle, batch), fired)
                    waiting += self._derived(layout, fired, asserted)
                while waiting:
                    key = waiting.pop()
                    fact = json.dumps({"sid": sid, "t": "d", "d": layout.derived[key]})
                    for ruleset in layout.readers.get(key, ()):
                        derived.append((ruleset, fact))
                        self._take_actions(layout, ruleset, _core.assert_fact(ruleset.handle, fact), fired)
                    waiting += self._derived(layout, fired, asserted)
                emptied = self._empty(layout, batches, derived)
            except RuleEngineError:
                raise
            except Exception as error:  # durable raises bare Exceptions with C error codes
                raise RuleEngineError(f"durable-rules failed: {error}") from error
            finally:
                if not emptied:  # the sessions are deleted, and the next assessment starts new ones
                    layout.sid = None
                    for ruleset in layout.rulesets:
                        try:
                            _core.delete_state(ruleset.handle, sid)
                        except Exception:  # noqa: S110 - a session that was never created
                            pass
        plain: Mapping[str, FactValue] = facts  # type: ignore[assignment]  # a FactKey is the str it names
        get, names, tested = plain.get, layout.branch_names, layout.tested
        return frozenset([Firing(names[n], tuple([(key, get(key, True)) for key in tested[n]])) for n in sorted(fired)])

    @staticmethod
    def _empty(layout: _Layout, batches: list[str], derived: list[tuple[_Ruleset, str]]) -> bool:
        """Retract every fact the assessment asserted, leaving each session empty for the next one.

        True when that left no action queued (none can be: no rule tests that a fact is
        absent); else the caller deletes the sessions.
        """
        for ruleset, fact in reversed(derived):
            _core.retract_fact(ruleset.handle, fact)
        for ruleset, batch in zip(layout.rulesets, batches, strict=True):
            code, state = _core.retract_facts(ruleset.handle, batch)
            if code != 0 or _core.start_action_for_state(ruleset.handle, state):
                return False
        return True

    @staticmethod
    def _take_actions(layout: _Layout, ruleset: _Ruleset, result: tuple[int, int], fired: set[int]) -> None:
        """Read the names of the rules durable queued for this session, until none is left."""
        code, state = result
        if code != 0:
            raise RuleEngineError(f"durable-rules refused the facts (code {code})")
        action = _core.start_action_for_state(ruleset.handle, state)
        message = action[1] if action else None
        while message:
            name = message[2 : message.index('"', 2)]  # '{"r12":{...}}' -> r12
            if name[0] == "r" and name[1:].isdigit():
                fired.add(int(name[1:]))
            message = _core.complete_and_start_action(ruleset.handle, state)

    @staticmethod
    def _derived(layout: _Layout, fired: set[int], asserted: set[FactKey]) -> list[FactKey]:
        """The derived facts the fired branches assert that are not asserted yet."""
        new = []
        for n in fired:
            for key in layout.asserts[n]:
                if key not in asserted:
                    asserted.add(key)
                    new.append(key)
        return new

    def _layout(self, compiled: CompiledRuleBase) -> _Layout:
        layout = self._registered.get(compiled.name)
        if layout is None:
            try:
                layout = _Layout(compiled)
            except RuleEngineError:
                raise
            except Exception as error:
                raise RuleEngineError(f"durable-rules rejected the compiled rule base: {error}") from error
            self._registered[compiled.name] = layout
        return layout


def _tested(branch: Branch) -> tuple[FactKey, ...]:
    return tuple(dict.fromkeys(test.key for test in branch.tests))


_PROCESS_RUNNER = Runner()


def run(compiled: CompiledRuleBase, facts: Mapping[FactKey, FactValue]) -> frozenset[Firing]:
    """Run on the process-wide runner (durable allows one registration per ruleset name)."""
    return _PROCESS_RUNNER.run(compiled, facts)

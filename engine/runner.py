"""The only module that imports durable-rules, and everything needed to use it safely.

durable-rules 2.0.28 is unmaintained and has sharp edges (see the README's "durable-rules"
section). This module contains all of them; the rest of the package sees "compiled rule
base and facts in, firings out":

- One host per process, created on first use, with durable's background timer threads
  switched off (they walk every session and segfault when sessions overlap); everything
  runs synchronously in the calling thread.
- A ruleset is registered once per process under its content hash and reused; durable
  cannot unregister one.
- One assessment at a time holds the session (durable's C core never releases the GIL, so
  threads gain nothing from running it concurrently). Only one session is ever alive,
  so durable's 32-bit session hashes cannot collide, and its state is deleted in
  ``finally``, so the 1024-live-session cap and memory growth never apply.
- Every fact goes in one batch, and the compiler adds a rule that takes every fact, so a
  fact no rule matches does not raise and lose the batch's actions.
- Actions only record firings and assert derived facts (ignoring a repeat of a fact
  already asserted); an exception inside an action, which durable stores in the session
  state instead of raising, is read back and raised as :class:`RuleEngineError`.
- Firings are collected as a set, so a rule firing twice is one firing.
- durable's C parser misreads numbers written with an exponent (``1e-05``, ``1e+16``:
  aborts, or firings that change with ``PYTHONHASHSEED``) and rejects ``inf`` and ``nan``.
  No number of ours reaches it: every number a rule compares with, and every fact value
  it is compared with, is replaced by its rank among that fact key's thresholds (see
  :class:`_Ranks`), a small integer. A comparison of ranks gives the same answer as the
  comparison of the numbers, for any finite number, however small or large.
- Deleting a session in which no action ever ran segfaults (reproduced: a session whose
  facts only partly match a rule). Every session therefore gets a last fact that a
  do-nothing rule matches, so at least one action has run before the session is deleted.
"""

from __future__ import annotations

import bisect
import copy
import itertools
import math
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from durable import engine as durable

from .aggregation import FactValue
from .compiler import DONE, SENTINEL, Branch, CompiledRuleBase
from .errors import RuleEngineError


@dataclass(frozen=True)
class Firing:
    """A compiled branch that fired, with the fact values it matched."""

    branch: str
    matched: tuple[tuple[str, Any], ...]


def _is_number(value: object) -> bool:
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
        if not math.isfinite(value):
            raise RuleEngineError(f"{key} is {value}, not a finite number")
        cuts = self._cuts.get(key, ())
        i = bisect.bisect_left(cuts, value)
        return 2 * i + 1 if i < len(cuts) and cuts[i] == value else 2 * i

    def pattern(self, pattern: Any, key: str | None = None) -> Any:
        """A compiled durable pattern with the numbers under ``v`` replaced by their ranks."""
        if isinstance(pattern, list):
            keys = [item["k"] for item in pattern if isinstance(item, dict) and "k" in item]
            return [self.pattern(item, keys[0] if keys else key) for item in pattern]
        if isinstance(pattern, dict):
            return {
                name: (self.rank(key, value) if name == "v" and key else self.pattern(value, key))
                for name, value in pattern.items()
            }
        return pattern


class _SynchronousHost(durable.Host):  # type: ignore[misc]
    """A durable host without timer threads, whose actions record firings."""

    def __init__(self) -> None:
        self.firings: set[Firing] | None = None
        self.facts: Mapping[str, FactValue] | None = None
        self._binding: CompiledRuleBase | None = None
        super().__init__()

    def _run(self) -> None:
        """Start no background threads: every action runs inside ``assert_facts``."""

    def register(self, compiled: CompiledRuleBase, ranks: _Ranks) -> None:
        self._binding = compiled
        try:
            # durable deletes each rule's "run" key: give it a copy, its numbers ranked.
            self.register_rulesets(ranks.pattern(copy.deepcopy(compiled.definition)))
        finally:
            self._binding = None

    def get_action(self, action_name: str) -> Callable[[Any], None]:
        """Called by durable once per rule while registering: bind the rule's branch."""
        assert self._binding is not None
        if action_name == SENTINEL:
            return _never
        if action_name == DONE:
            return _nothing
        return self._recorder(action_name, self._binding.branches[action_name])

    def _recorder(self, name: str, branch: Branch) -> Callable[[Any], None]:
        keys = tuple(dict.fromkeys(test.key for test in branch.tests))

        def record(c: Any) -> None:
            # durable saw ranks; the firing carries the values themselves.
            assert self.firings is not None and self.facts is not None
            self.firings.add(Firing(name, tuple((key, self.facts.get(key, True)) for key in keys)))
            for key in branch.asserts:
                try:
                    c.assert_fact({"k": key, "v": True})
                except durable.MessageObservedException:
                    pass  # another rule asserted it already

        return record


def _nothing(c: Any) -> None:
    """The action that makes every session run at least one action."""


def _never(c: Any) -> None:
    raise AssertionError("the sentinel rule fired")


class Runner:
    """Runs compiled rule bases on durable-rules, one assessment at a time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._host: _SynchronousHost | None = None
        self._registered: dict[str, _Ranks] = {}
        self._sessions = itertools.count(1)

    def run(self, compiled: CompiledRuleBase, facts: Mapping[str, FactValue]) -> frozenset[Firing]:
        """Assert ``facts`` into a fresh session of ``compiled`` and return what fired."""
        with self._lock:
            host, ranks = self._host_for(compiled)
            sid = str(next(self._sessions))
            batch = [{"sid": sid, "k": key, "v": ranks.rank(key, value)} for key, value in facts.items()]
            host.firings, host.facts = set(), facts
            batch.append({"sid": sid, "k": DONE, "v": True})
            try:
                host.assert_facts(compiled.name, batch)
                state = host.get_state(compiled.name, sid)
                firings = frozenset(host.firings)
            except Exception as error:  # durable raises bare Exceptions and C errors
                raise RuleEngineError(f"durable-rules failed: {getattr(error, 'message', error)}") from error
            finally:
                host.firings = host.facts = None
                host.delete_state(compiled.name, sid)
        if state.get("exception"):
            raise RuleEngineError(f"a rule action failed: {state['exception']}")
        return firings

    def _host_for(self, compiled: CompiledRuleBase) -> tuple[_SynchronousHost, _Ranks]:
        if self._host is None:
            self._host = _SynchronousHost()
        if compiled.name not in self._registered:
            ranks = _Ranks(compiled.branches)
            try:
                self._host.register(compiled, ranks)
            except Exception as error:
                raise RuleEngineError(f"durable-rules rejected the compiled rule base: {error}") from error
            self._registered[compiled.name] = ranks
        return self._host, self._registered[compiled.name]


_PROCESS_RUNNER = Runner()


def run(compiled: CompiledRuleBase, facts: Mapping[str, FactValue]) -> frozenset[Firing]:
    """Run on the process-wide runner (durable allows one registration per ruleset name)."""
    return _PROCESS_RUNNER.run(compiled, facts)

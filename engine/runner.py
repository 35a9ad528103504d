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
- Deleting a session in which no action ever ran segfaults (reproduced: a session whose
  facts only partly match a rule). Every session therefore gets a last fact that a
  do-nothing rule matches, so at least one action has run before the session is deleted.
"""

from __future__ import annotations

import copy
import itertools
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


class _SynchronousHost(durable.Host):  # type: ignore[misc]
    """A durable host without timer threads, whose actions record firings."""

    def __init__(self) -> None:
        self.firings: set[Firing] | None = None
        self._binding: CompiledRuleBase | None = None
        super().__init__()

    def _run(self) -> None:
        """Start no background threads: every action runs inside ``assert_facts``."""

    def register(self, compiled: CompiledRuleBase) -> None:
        self._binding = compiled
        try:
            # durable deletes each rule's "run" key: give it a copy.
            self.register_rulesets(copy.deepcopy(compiled.definition))
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
        aliases = [f"m{i}" for i in range(len({test.key for test in branch.tests}))]

        def record(c: Any) -> None:
            matched = tuple((fact["k"], fact["v"]) for fact in (getattr(c, alias) for alias in aliases))
            assert self.firings is not None
            self.firings.add(Firing(name, matched))
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
        self._registered: set[str] = set()
        self._sessions = itertools.count(1)

    def run(self, compiled: CompiledRuleBase, facts: Mapping[str, FactValue]) -> frozenset[Firing]:
        """Assert ``facts`` into a fresh session of ``compiled`` and return what fired."""
        with self._lock:
            host = self._host_for(compiled)
            sid = str(next(self._sessions))
            host.firings = set()
            batch = [{"sid": sid, "k": key, "v": value} for key, value in facts.items()]
            batch.append({"sid": sid, "k": DONE, "v": True})
            try:
                host.assert_facts(compiled.name, batch)
                state = host.get_state(compiled.name, sid)
                firings = frozenset(host.firings)
            except Exception as error:  # durable raises bare Exceptions and C errors
                raise RuleEngineError(f"durable-rules failed: {getattr(error, 'message', error)}") from error
            finally:
                host.firings = None
                host.delete_state(compiled.name, sid)
        if state.get("exception"):
            raise RuleEngineError(f"a rule action failed: {state['exception']}")
        return firings

    def _host_for(self, compiled: CompiledRuleBase) -> _SynchronousHost:
        if self._host is None:
            self._host = _SynchronousHost()
        if compiled.name not in self._registered:
            try:
                self._host.register(compiled)
            except Exception as error:
                raise RuleEngineError(f"durable-rules rejected the compiled rule base: {error}") from error
            self._registered.add(compiled.name)
        return self._host


_PROCESS_RUNNER = Runner()


def run(compiled: CompiledRuleBase, facts: Mapping[str, FactValue]) -> frozenset[Firing]:
    """Run on the process-wide runner (durable allows one registration per ruleset name)."""
    return _PROCESS_RUNNER.run(compiled, facts)

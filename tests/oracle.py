"""The rules evaluated in plain Python: the test oracle for durable-rules, and the benchmark's floor.

It takes the compiled branches (``ph.compiler``) and a facts dict, tests every branch
with Python comparisons, and loops until no new derived fact (``fact:<name>``) appears.
It returns the same ``runner.Firing`` objects the durable runner does. Nothing in the
engine imports this module: the engine always runs durable-rules.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from typing import Any

from partnership_health.core.compiler import Branch, Test
from partnership_health.core.runner import Firing

_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    "==": operator.eq,
    "!=": operator.ne,
    ">=": operator.ge,
    ">": operator.gt,
    "in": lambda value, allowed: value in allowed,
    "not in": lambda value, allowed: value not in allowed,
}


def holds(test: Test, known: Mapping[str, Any]) -> bool:
    """Whether one test holds; a test on an unknown fact never holds."""
    if test.key not in known:
        return False
    return test.op == "present" or _OPS[test.op](known[test.key], test.value)


def evaluate(branches: Mapping[str, Branch], known: Mapping[str, Any]) -> frozenset[Firing]:
    """Fire every branch whose tests all hold, re-checking until no new derived fact appears.

    Each firing names the branch and the value of each fact key it tested, in the order
    of first use (derived facts as ``True``).
    """
    current = dict(known)
    waiting = dict(branches)
    fired: set[Firing] = set()
    changed = True
    while changed:
        changed = False
        for name, branch in list(waiting.items()):
            if all(holds(test, current) for test in branch.tests):
                keys = dict.fromkeys(test.key for test in branch.tests)
                fired.add(Firing(name, tuple((key, current[key]) for key in keys)))
                del waiting[name]
                for key in branch.asserts:
                    if key not in current:
                        current[key] = True
                        changed = True
    return frozenset(fired)

"""Runs durable-rules for the differential test, in a process of its own.

A crash inside durable-rules (it has aborted and segfaulted on numbers before) then
ends this process, not the test run: the test sees the pipe close and fails with the
input that did it. One JSON request per line on stdin, one JSON answer per line on
stdout:

- ``{"facts": {key: value}}``: the firings of ``runner.run`` on these facts, and of the
  plain oracle on the same facts;
- ``{"answers": {...}}``: ``ph.assess`` of this partnership; the firings its rule
  step reported, the oracle's firings on the facts it computed, and its findings.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import partnership_health as ph  # noqa: E402
from partnership_health.core import runner  # noqa: E402
from partnership_health.core.assessment import prepare  # noqa: E402
from tests.oracle import evaluate  # noqa: E402


def as_data(firings: Iterable[runner.Firing]) -> list[Any]:
    return sorted([firing.branch, [list(pair) for pair in firing.matched]] for firing in firings)


def main() -> None:
    questionnaire = ph.load_questionnaire()
    rulebase = ph.load_rulebase(questionnaire=questionnaire)
    compiled = prepare(rulebase, questionnaire).compiled
    seen: list[tuple[Mapping[str, Any], frozenset[runner.Firing]]] = []
    run = runner.run

    def spy(compiled: Any, facts: Mapping[str, Any]) -> frozenset[runner.Firing]:
        firings = run(compiled, facts)
        seen.append((dict(facts), firings))
        return firings

    runner.run = spy
    for line in sys.stdin:
        request = json.loads(line)
        seen.clear()
        if "facts" in request:
            facts = request["facts"]
            answer = {"durable": as_data(run(compiled, facts)), "plain": as_data(evaluate(compiled.branches, facts))}
        else:
            answers = ph.Answers.model_validate(request["answers"])
            # Every answer shown, however few answered: else one respondent's answers are not assessed at all.
            assessment = ph.assess(answers, questionnaire, rulebase, ph.AssessOptions(min_group=1))
            ((facts, firings),) = seen
            answer = {
                "durable": as_data(firings),
                "plain": as_data(evaluate(compiled.branches, facts)),
                "findings": [finding.id for finding in assessment.findings],
            }
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()

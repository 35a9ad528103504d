"""durable-rules fires exactly what a plain evaluation of the same compiled conditions fires.

Hypothesis generates facts and whole partnerships, edge values included (numbers Python
writes with an exponent, the rules' own thresholds and their nearest neighbours, the
largest and smallest floats), and a worker process runs durable-rules on them
(``tests/durable_worker.py``), so a crash in durable fails the test instead of ending
the run. A few hundred examples run by default; ``pytest -m slow`` runs 5,000 of each.
"""

from __future__ import annotations

import json
import math
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import partnership_health as ph
from partnership_health.core.assessment import prepare
from partnership_health.core.checks import answer_problem
from partnership_health.models import ROLES

WORKER = Path(__file__).resolve().parent / "durable_worker.py"
QUESTIONNAIRE = ph.load_questionnaire()
COMPILED = prepare(ph.load_rulebase(questionnaire=QUESTIONNAIRE), QUESTIONNAIRE).compiled
# Written with an exponent by Python (1e-05, 5e-05, 1e+16, ...), or at the ends of the floats.
EDGES = [0, 0.0, -0.0, 1, 1e-05, 5e-05, 1.5e-05, 0.0001, 1e-300, 5e-324, 2.2250738585072014e-308]
EDGES += [1e16, 1e22, 1e300, 1.7976931348623157e308, -1e-05, -1e16, -1.7976931348623157e308, 0.1 + 0.2, 1 / 3]


def thresholds(key: str) -> list[Any]:
    """Every value the compiled rules compare fact ``key`` with."""
    found = set()
    for branch in COMPILED.branches.values():
        for test in branch.tests:
            if test.key == key and test.value is not None:
                found.update(test.value if isinstance(test.value, tuple) else (test.value,))
    return sorted(found, key=repr)


def around(values: list[Any]) -> list[Any]:
    """The numbers in ``values`` and the floats just below and above each."""
    numbers = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
    return numbers + [math.nextafter(v, d) for v in numbers for d in (-math.inf, math.inf)]


def fact_value(key: str) -> st.SearchStrategy[Any]:
    compared = thresholds(key)
    if any(isinstance(v, str) for v in compared):
        question = QUESTIONNAIRE.questions.get(key.partition(":")[0])
        return st.sampled_from(sorted({*compared, *(question.choice_ids if question else ()), "something-else"}))
    if any(isinstance(v, bool) for v in compared):
        return st.one_of(st.booleans(), st.sampled_from(EDGES))
    near = around(compared)
    return st.one_of(
        *([st.sampled_from(near)] if near else []),
        st.sampled_from(EDGES),
        st.integers(-(10**6), 10**6),
        st.floats(allow_nan=False, allow_infinity=False),
    )


facts_strategy = st.fixed_dictionaries({}, optional={key: fact_value(key) for key in sorted(COMPILED.needed)})


def answer_pool(question: ph.models.Question) -> st.SearchStrategy[list[Any]]:
    """A few answers to ``question`` that respondents pick from: edge values and near misses."""
    if question.type == "scale":
        values: st.SearchStrategy[Any] = st.integers(1, 5)
    elif question.type == "number":
        low, high = question.bounds or (0, 0)
        compared = [v for key in COMPILED.needed if key.startswith(question.id + ":") for v in thresholds(key)]
        special = sorted({v for v in [*EDGES, *around(compared), low, high] if low <= v <= high}, key=repr)
        values = st.one_of(st.sampled_from(special), st.floats(low, high), st.integers(int(low), int(high)))
    elif question.type == "yesno":
        values = st.booleans()
    elif question.type == "choice":
        values = st.sampled_from(question.choice_ids)
    else:
        values = st.sampled_from(["Fine.", "Meetings run late", "x" * 300])
    if question.type != "text" and answer_problem(question, "dont_know") is None:
        values = st.one_of(values, st.just("dont_know"))
    return st.lists(values, min_size=1, max_size=3)


@st.composite
def partnerships(draw: st.DrawFn) -> dict[str, Any]:
    """1 to 50 respondents in any roles and organisations, answering from small pools of values."""
    size = draw(st.integers(1, 50))
    rnd = random.Random(draw(st.integers(0, 2**32)))  # who answers what: cheaper than a draw per answer
    rate = draw(st.sampled_from([0.05, 0.5, 0.9, 1.0]))
    pools = {qid: draw(answer_pool(question)) for qid, question in QUESTIONNAIRE.questions.items()}
    organisations = draw(st.integers(1, size))
    respondents = [
        {
            "id": f"r{n}",
            "organisation": f"Organisation {rnd.randrange(organisations)}",
            "role": rnd.choice(ROLES),
            "answers": {qid: rnd.choice(pool) for qid, pool in pools.items() if rnd.random() < rate},
        }
        for n in range(size)
    ]
    for respondent in respondents:  # only the questions asked of the respondent's role
        asked = {qid for qid in respondent["answers"] if QUESTIONNAIRE.questions[qid].asks(respondent["role"])}
        respondent["answers"] = {qid: value for qid, value in respondent["answers"].items() if qid in asked}
    return {
        "partnership": "Generated",
        "assessed_on": "2026-01-01",
        "questionnaire": {"id": QUESTIONNAIRE.id, "version": QUESTIONNAIRE.version},
        "respondents": respondents,
    }


class Worker:
    """A durable-rules worker process, started again after it dies."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[str] | None = None

    def ask(self, request: dict[str, Any]) -> dict[str, Any]:
        if self.process is None or self.process.poll() is not None:
            self.process = subprocess.Popen(
                [sys.executable, str(WORKER)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        assert self.process.stdin and self.process.stdout
        try:
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
        except BrokenPipeError:
            pass
        line = self.process.stdout.readline()
        if not line:
            code = self.process.wait()
            error = self.process.stderr.read()[-2000:] if self.process.stderr else ""
            self.close()
            raise AssertionError(f"the durable-rules worker died (exit {code}) on {json.dumps(request)}\n{error}")
        return json.loads(line)

    def close(self) -> None:
        if self.process is not None:
            for pipe in (self.process.stdin, self.process.stdout, self.process.stderr):
                try:
                    pipe.close()  # type: ignore[union-attr]
                except BrokenPipeError:
                    pass
            self.process.wait(timeout=30)
            self.process = None


@pytest.fixture(scope="module")
def worker():
    started = Worker()
    yield started
    started.close()


def same_firings(worker: Worker, request: dict[str, Any]) -> None:
    answer = worker.ask(request)
    assert answer["durable"] == answer["plain"]


FEW = settings(
    max_examples=300,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
MANY = settings(
    max_examples=5_000,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@FEW
@given(facts=facts_strategy)
def test_durable_fires_what_plain_evaluation_fires_on_any_facts(worker, facts) -> None:
    same_firings(worker, {"facts": facts})


@settings(FEW, max_examples=150)
@given(answers=partnerships())
def test_durable_fires_what_plain_evaluation_fires_on_generated_partnerships(worker, answers) -> None:
    same_firings(worker, {"answers": answers})


@pytest.mark.slow
@MANY
@given(facts=facts_strategy)
def test_many_facts(worker, facts) -> None:
    same_firings(worker, {"facts": facts})


@pytest.mark.slow
@MANY
@given(answers=partnerships())
def test_many_partnerships(worker, answers) -> None:
    same_firings(worker, {"answers": answers})


def test_the_worker_reports_a_crash_as_a_failure(worker) -> None:
    with pytest.raises(AssertionError, match="worker died"):
        worker.ask({"answers": "not a partnership"})
    assert worker.ask({"facts": {}}) == {"durable": [], "plain": []}

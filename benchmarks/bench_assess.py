"""How fast is an assessment, and what does durable-rules cost?

Run from the repository root (after ``pip install -e .``)::

    python benchmarks/bench_assess.py [--seconds N] [--mini]

It measures, in one run:

1. assessments per second of the full ``engine.assess`` (durable-rules);
2. the same ``engine.assess`` with its durable-rules step swapped for plain Python
   predicates over the same compiled branches and the same facts, with a fixpoint
   loop for derived facts (checks, aggregation and findings are ``assess``'s own);
3. the ratio of the two, and of the rule step alone (``runner.run`` against the plain
   evaluator on the same facts dict);
4. one partnership of 500 respondents against 500 one-respondent assessments.

Each figure is the median of several timed rounds. Before timing, it checks that both
pipelines find the same findings for every example, so the comparison is honest.
Nothing here asserts a speed: the figures are printed as a markdown table.

Inputs: the bundled questionnaire and rule base with the bundled examples
(``examples/*.yaml``), once the demo ``examples/riverside.yaml`` exists; before that,
or with ``--mini``, the small test rule base in ``tests/mini``.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # use this checkout's engine even when it is not installed

import engine  # noqa: E402
from engine import runner  # noqa: E402
from engine.aggregation import aggregate, facts, section_scores  # noqa: E402
from engine.assessment import compiled_rulebase  # noqa: E402
from engine.compiler import CompiledRuleBase  # noqa: E402
from engine.loading import bundled_path  # noqa: E402
from engine.models import Answers, Assessment, Questionnaire, RuleBase  # noqa: E402
from engine.runner import Firing  # noqa: E402
from tests.oracle import evaluate  # noqa: E402

ROUNDS = 9
DEMO = "riverside.yaml"
MINI = REPO / "tests" / "mini"
ORGANISATIONS = 50  # in the generated 500-respondent partnership

# --- the rules as plain Python predicates (tests/oracle.py) --------------------------


_plain_runs = 0


def run_plain(compiled: CompiledRuleBase, known: Mapping[str, Any]) -> frozenset[Firing]:
    """A stand-in for ``runner.run``: the same compiled branches and facts, no durable-rules."""
    global _plain_runs
    _plain_runs += 1
    return evaluate(compiled.branches, known)


def assess_plain(answers: Answers, questionnaire: Questionnaire, rulebase: RuleBase) -> Assessment:
    """``engine.assess`` with its durable-rules step, ``runner.run``, swapped for :func:`run_plain`.

    Everything else is ``assess``'s own code: the answer checks, ``aggregate``,
    ``section_scores``, ``facts``, the findings built by ``engine.explain.explain``
    from the firings, and the ``Assessment``. So the two differ only in the rule step.
    """
    durable_run = runner.run
    runner.run = run_plain
    try:
        return engine.assess(answers, questionnaire, rulebase)
    finally:
        runner.run = durable_run


# --- inputs ----------------------------------------------------------------------------


def load_inputs(mini: bool) -> tuple[str, Questionnaire, RuleBase, dict[str, Answers]]:
    """The bundled inputs and examples, or tests/mini if asked or the demo is not there yet."""
    examples = bundled_path("examples")
    if not mini and (examples / DEMO).exists():
        questionnaire = engine.load_questionnaire()
        rulebase = engine.load_rulebase(questionnaire=questionnaire)
        files = sorted(examples.glob("*.yaml"))
        label = "bundled rule base, examples/*.yaml"
    else:
        questionnaire = engine.load_questionnaire(MINI / "questionnaire.yaml")
        rulebase = engine.load_rulebase(MINI / "rules", questionnaire)
        files = [MINI / "answers.yaml"]
        label = "tests/mini rule base and answers"
    return label, questionnaire, rulebase, {file.name: engine.load_answers(file, questionnaire) for file in files}


def big_partnership(template: Answers, keys: list[str], questionnaire: Questionnaire, size: int = 500) -> Answers:
    """A deterministic partnership of ``size`` respondents answering ``keys`` at random.

    Respondents come from 50 organisations in turn: organisation 0 is the lead, 1-9 are
    core partners, the rest wider partners. Each question is answered nine times in ten,
    with a uniformly random answer of its type.
    """
    rng = random.Random(1)

    def answer(question_id: str) -> bool | int | str:
        question = questionnaire.questions[question_id]
        if question.type == "scale":
            return rng.randint(1, 5)
        if question.type == "number":
            low, high = question.bounds or (0, 0)
            return rng.randint(int(low), int(high))
        if question.type == "yesno":
            return rng.random() < 0.5
        if question.type == "choice":
            return rng.choice(question.choice_ids)
        return f"comment {rng.randint(1, 1000)}"

    respondents = [
        {
            "id": f"r{n}",
            "organisation": f"Organisation {n % ORGANISATIONS}",
            "role": "lead" if n % ORGANISATIONS == 0 else "core" if n % ORGANISATIONS < 10 else "wider",
            "answers": {key: answer(key) for key in keys if rng.random() < 0.9},
        }
        for n in range(size)
    ]
    return Answers.model_validate({**template.model_dump(exclude={"respondents"}), "respondents": respondents})


def one_each(answers: Answers) -> list[Answers]:
    """Each respondent of ``answers`` as a partnership of its own."""
    return [answers.model_copy(update={"respondents": [respondent]}) for respondent in answers.respondents]


# --- timing ------------------------------------------------------------------------------


def per_second(workloads: dict[str, tuple[Callable[[], object], int]], seconds: float) -> dict[str, list[float]]:
    """For each ``name: (work, items)``, the items done per second in each of ``ROUNDS`` rounds.

    The workloads take turns within each round, so a busy moment on a shared machine
    slows all of them alike. One untimed call of each warms up and sizes its rounds so
    that each workload runs for about ``seconds`` in all (at least one call per round).
    """
    repeats = {}
    for name, (work, _) in workloads.items():
        start = time.perf_counter()
        work()
        repeats[name] = max(1, round(seconds / ROUNDS / (time.perf_counter() - start)))
    rates: dict[str, list[float]] = {name: [] for name in workloads}
    for _ in range(ROUNDS):
        for name, (work, items) in workloads.items():
            start = time.perf_counter()
            for _ in range(repeats[name]):
                work()
            rates[name].append(items * repeats[name] / (time.perf_counter() - start))
    return rates


def row(name: str, values: list[float], unit: str) -> tuple[str, str, str]:
    """A table row: the median round and the range of rounds."""
    median = statistics.median(values)
    digits = ",.0f" if median >= 100 else ",.1f"
    return name, f"{median:{digits}} {unit}", f"{min(values):{digits}} - {max(values):{digits}}"


def time_each(rates: list[float], unit: float) -> list[float]:
    """Rates (per second) as the time of one item, in ``unit`` per second (1e6 for us)."""
    return [unit / rate for rate in rates]


def peak_rss_mb() -> float:
    """The process's peak resident memory (VmHWM), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def outcome(assessment: Assessment) -> list[str]:
    """The ids of an assessment's findings and strengths, in report order."""
    return [f.id for f in assessment.findings] + [s.id for s in assessment.strengths]


def check_same_findings(examples: dict[str, Answers], questionnaire: Questionnaire, rulebase: RuleBase) -> int:
    """Both pipelines find the same findings and strengths for every example; returns how many findings."""
    total = 0
    for name, answers in examples.items():
        durable = engine.assess(answers, questionnaire, rulebase)
        runs = _plain_runs
        plain = assess_plain(answers, questionnaire, rulebase)
        assert _plain_runs == runs + 1, "engine.assess no longer calls runner.run: update assess_plain"
        assert outcome(durable) == outcome(plain), f"{name}: durable-rules {outcome(durable)}, plain {outcome(plain)}"
        total += len(durable.findings)
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=8.0, help="time for each measurement (default 8)")
    parser.add_argument("--mini", action="store_true", help="use tests/mini even when the bundled demo exists")
    args = parser.parse_args()

    label, questionnaire, rulebase, examples = load_inputs(args.mini)
    compiled = compiled_rulebase(rulebase, questionnaire)
    found = check_same_findings(examples, questionnaire, rulebase)
    batch = list(examples.values())

    def run_all(assess: Callable[..., Assessment], group: list[Answers]) -> None:
        for answers in group:
            assess(answers, questionnaire, rulebase)

    # The rule step alone, on the facts assess computes.
    fact_sets = []
    for answers in batch:
        overall, by_role = aggregate(answers, questionnaire)
        scores = section_scores(answers, questionnaire, rulebase.settings.levels)
        fact_sets.append(facts(compiled.needed, overall, by_role, scores))

    # One partnership of 500 against 500 partnerships of one.
    keys = sorted({key for answers in batch for respondent in answers.respondents for key in respondent.answers})
    big = big_partnership(examples.get(DEMO, batch[0]), keys, questionnaire)
    singles = one_each(big)
    big_findings = len(engine.assess(big, questionnaire, rulebase).findings)

    load_before = os.getloadavg()[0]
    pipeline = per_second(
        {
            "durable": (lambda: run_all(engine.assess, batch), len(batch)),
            "plain": (lambda: run_all(assess_plain, batch), len(batch)),
        },
        args.seconds,
    )
    rules = per_second(
        {
            "durable_rules": (lambda: [runner.run(compiled, known) for known in fact_sets], len(batch)),
            "plain_rules": (lambda: [evaluate(compiled.branches, known) for known in fact_sets], len(batch)),
        },
        args.seconds / 2,
    )
    size = per_second(
        {
            "one": (lambda: run_all(engine.assess, [big]), 1),
            "separate": (lambda: run_all(engine.assess, singles), 1),
        },
        args.seconds,
    )
    load_after = os.getloadavg()[0]

    median = {name: statistics.median(rates) for name, rates in {**pipeline, **rules, **size}.items()}
    print(f"## Partnership Health: assessment benchmark ({label})\n")
    print(
        f"- inputs: {len(rulebase.rules)} rules and {len(rulebase.strengths)} strengths compiled to "
        f"{len(compiled.branches)} branches testing {len(compiled.needed)} fact keys; "
        f"examples {', '.join(examples)} with {found} findings in all"
    )
    print(
        f"- Python {platform.python_version()}, durable-rules {importlib.metadata.version('durable-rules')}, "
        f"{os.cpu_count()} cores, load average {load_before:.2f} before and {load_after:.2f} after; "
        f"{ROUNDS} rounds, about {args.seconds:g} s per workload\n"
    )
    people = len(singles)
    rows = [
        row("`engine.assess` (durable-rules)", pipeline["durable"], "assessments/s"),
        row("same pipeline, plain Python predicates", pipeline["plain"], "assessments/s"),
        ("durable-rules pipeline time / plain", f"{median['plain'] / median['durable']:.1f}x", ""),
        row("rule step only: `runner.run`", time_each(rules["durable_rules"], 1e6), "us per assessment"),
        row("rule step only: plain `evaluate`", time_each(rules["plain_rules"], 1e6), "us per assessment"),
        ("rule step time: durable-rules / plain", f"{median['plain_rules'] / median['durable_rules']:.1f}x", ""),
        row(f"one partnership of {people} respondents ({big_findings} findings)", time_each(size["one"], 1e3), "ms"),
        row(f"{people} one-respondent assessments", time_each(size["separate"], 1e3), "ms"),
        (f"time of {people} separate / one of {people}", f"{median['one'] / median['separate']:.1f}x", ""),
        ("peak RSS (VmHWM)", f"{peak_rss_mb():,.0f} MB", ""),
    ]
    print("| measurement | median | rounds (range) |")
    print("|---|---:|---:|")
    for cells in rows:
        print(f"| {' | '.join(cells)} |")


if __name__ == "__main__":
    main()

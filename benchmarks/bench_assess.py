"""How fast is an assessment, against the floor of the same decisions in plain Python?

Run from the repository root (after ``pip install -e .``)::

    python benchmarks/bench_assess.py [--quick] [--json] [--release REF]

It measures, in one run (see README.md beside this file):

1. ``ph.assess`` against the floor (``benchmarks/floor.py``: the facts the rules
   need in one plain pass, and the rules as plain predicates) on every example and on
   generated partnerships of 1, 20, 100 and 500 respondents; ``ratio`` is engine time
   over floor time on ``examples/riverside.yaml``;
2. the previous release's ``ph.assess`` on the same example, in the same run (a
   ``git worktree`` of ``--release``, default the commit before this work), so the
   speed-up is measured, not remembered; ``with_findings_per_s`` is this tree's rate
   when the findings are read too (they are put into words when first read);
3. resident memory over many assessments (100,000; 10,000 with ``--quick``);
4. the command line's start to a Markdown report (``demo --format md``), this tree's
   and the release's, side by side;
5. ``assess-many`` of 200 answers files on 1 and on 2 processes.

Before timing it checks that the engine and the floor decide the same rules and
strengths from the same facts, so the comparison is honest. Nothing here asserts a
speed. ``--json`` prints one JSON object (``engine_per_s``, ``floor_per_s``, ``ratio``
and the rest) instead of a table.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import math
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # benchmarks.floor and tests.oracle; the package itself is installed (pip install -e .)

import yaml  # noqa: E402

import partnership_health as ph  # noqa: E402
from benchmarks.floor import Floor  # noqa: E402
from benchmarks.trees import child_env, name_in, path_for  # noqa: E402
from partnership_health.core import runner  # noqa: E402
from partnership_health.core.assessment import prepare  # noqa: E402
from partnership_health.core.reader import bundled_path  # noqa: E402
from partnership_health.models import Answers, Questionnaire  # noqa: E402

RELEASE = "f85f759"  # the last commit before the lean durable step
DEMO = "riverside.yaml"
SIZES = (1, 20, 100, 500, 2000)
ORGANISATIONS = 50


def generated(template: Answers, questionnaire: Questionnaire, size: int, seed: int = 1) -> Answers:
    """A deterministic partnership of ``size`` respondents, each answering nine questions in ten at random."""
    rng = random.Random(seed)

    def answer(question_id: str) -> Any:
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
            "answers": {key: answer(key) for key in questionnaire.questions if rng.random() < 0.9},
        }
        for n in range(size)
    ]
    for respondent in respondents:  # only what each role is asked
        asked = questionnaire.questions
        respondent["answers"] = {k: v for k, v in respondent["answers"].items() if asked[k].asks(respondent["role"])}
    return Answers.model_validate({**template.model_dump(exclude={"respondents"}), "respondents": respondents})


def rate(work: Callable[[], object], seconds: float, rounds: int) -> float:
    """Calls per second: the median of ``rounds`` rounds of about ``seconds / rounds`` each."""
    start = time.perf_counter()
    work()
    once = max(time.perf_counter() - start, 1e-6)
    repeats = max(1, round(seconds / rounds / once))
    rates = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(repeats):
            work()
        rates.append(repeats / (time.perf_counter() - start))
    return statistics.median(rates)


def options_for(answers: Answers) -> ph.AssessOptions:
    """The default options, or ``min_group`` 1 where there are fewer respondents than its default.

    With fewer respondents than ``min_group`` the engine decides nothing (it says there are
    too few), so the floor would not be doing the same work; with ``min_group`` 1 it does.
    """
    few = len(answers.respondents) < ph.AssessOptions().min_group
    return ph.AssessOptions(min_group=1) if few else ph.AssessOptions()


def alternating(works: list[Callable[[], object]], seconds: float, rounds: int) -> list[float]:
    """CPU seconds per call of each of ``works``: they take turns, round after round, and each keeps its fastest round.

    CPU time of this process (``time.process_time``), not wall time, and the fastest
    round, not the median: on a machine shared with other work, the round least
    disturbed by it is the nearest to the work's own cost.
    """
    repeats = []
    for work in works:
        start = time.process_time()
        work()
        once = max(time.process_time() - start, 1e-5)
        repeats.append(max(1, round(seconds / rounds / len(works) / once)))
    best = [math.inf] * len(works)
    for _ in range(rounds):
        for n, work in enumerate(works):
            start = time.process_time()
            for _ in range(repeats[n]):
                work()
            best[n] = min(best[n], (time.process_time() - start) / repeats[n])
    return best


def check_same_decisions(cases: Mapping[str, Answers], floor: Floor) -> int:
    """The engine's facts and fired branches equal the floor's on every case; returns the firings seen."""
    seen: list[tuple[dict[str, Any], frozenset[runner.Firing]]] = []
    run = runner.run
    questionnaire, rulebase = floor.questionnaire, floor.rulebase

    def spy(compiled: Any, facts: Mapping[str, Any]) -> frozenset[runner.Firing]:
        firings = run(compiled, facts)
        seen.append((dict(facts), firings))
        return firings

    runner.run = spy
    try:
        total = 0
        for name, answers in cases.items():
            seen.clear()
            ph.assess(answers, questionnaire, rulebase, options_for(answers))
            ((facts, firings),) = seen
            fired, plain = floor.decide(answers)
            assert plain == facts, f"{name}: the floor computes other facts: {set(plain.items()) ^ set(facts.items())}"
            assert {type(v) for v in plain.values()} == {type(v) for v in facts.values()}, name
            assert all(type(plain[k]) is type(v) for k, v in facts.items()), f"{name}: other types"
            assert fired == {f.branch for f in firings}, f"{name}: {fired ^ {f.branch for f in firings}}"
            total += len(firings)
        return total
    finally:
        runner.run = run


def resident_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def memory(answers: list[Answers], questionnaire: Questionnaire, rulebase: ph.RuleBase, count: int) -> dict:
    for n in range(1000):
        ph.assess(answers[n % len(answers)], questionnaire, rulebase)
    before = resident_mb()
    middle = 0.0
    for n in range(count):
        ph.assess(answers[n % len(answers)], questionnaire, rulebase)
        if n == count // 2:
            middle = resident_mb()
    after = resident_mb()
    return {"assessments": count, "rss_before_mb": before, "rss_half_mb": middle, "rss_after_mb": after}


RELEASE_RATE = """
import sys, time, statistics
sys.path.insert(0, sys.argv[5])
from trees import package_in
ph = package_in(sys.argv[1])
q = ph.load_questionnaire(); rb = ph.load_rulebase(questionnaire=q)
a = ph.load_answers(sys.argv[2], q)
ph.assess(a, q, rb)
rates = []
for _ in range(int(sys.argv[4])):
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < float(sys.argv[3]):
        ph.assess(a, q, rb); n += 1
    rates.append(n / (time.perf_counter() - start))
print(statistics.median(rates))
"""


def release_tree(ref: str) -> Path | None:
    """A worktree of ``ref`` in a temporary folder (None when git cannot make one)."""
    target = Path(tempfile.mkdtemp(prefix="ph-release-")) / "tree"
    result = subprocess.run(
        ["git", "-C", str(REPO), "worktree", "add", "--detach", "-q", str(target), ref], capture_output=True, text=True
    )
    return target if result.returncode == 0 else None


def remove_tree(tree: Path) -> None:
    subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(tree)], capture_output=True)
    shutil.rmtree(tree.parent, ignore_errors=True)


def cli_start(trees: Mapping[str, Path], runs: int) -> dict:
    """Wall and CPU time of ``demo --format md`` started afresh from each tree, medians of ``runs``.

    The trees take turns, run after run, so that a change in the machine's load falls
    on each alike. One run of each first, not counted: it fills the operating system's
    file cache, this tree's caches (compiled templates, the checked inputs) and each
    tree's ``__pycache__``, as any earlier run (or installing the package) would; so
    ``PYTHONDONTWRITEBYTECODE`` is not passed on, else every run would compile the
    tree's modules from source again.
    """
    env = child_env()
    walls: dict[str, list[float]] = {name: [] for name in trees}
    cpus: dict[str, list[float]] = {name: [] for name in trees}
    with tempfile.TemporaryDirectory() as folder:
        for counted in [False] + [True] * runs:
            for name, tree in trees.items():
                code = (
                    f"import sys; sys.path.insert(0, {path_for(tree)!r}); from {name_in(tree)}.cli import main; "
                    "sys.exit(main(['demo', '--format', 'md', '--output', sys.argv[1]]))"
                )
                before = os.times()
                start = time.perf_counter()
                subprocess.run(
                    [sys.executable, "-c", code, f"{folder}/demo.md"], check=True, capture_output=True, env=env
                )
                wall = time.perf_counter() - start
                after = os.times()
                if counted:
                    walls[name].append(wall)
                    cpus[name].append(
                        after.children_user + after.children_system - before.children_user - before.children_system
                    )
    return {name: {"wall_s": statistics.median(walls[name]), "cpu_s": statistics.median(cpus[name])} for name in trees}


def assess_many(files: int, jobs: int, folder: Path) -> tuple[float, float]:
    """Wall and CPU seconds (all processes) of ``assess-many`` of ``files`` answers files on ``jobs`` processes."""
    out = folder / f"out-{jobs}"
    code = "import sys; from partnership_health.cli import main; sys.exit(main(sys.argv[1:]))"
    argv = ["assess-many", str(folder / "answers"), "--output-dir", str(out), "--jobs", str(jobs)]
    before = os.times()
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, *argv], check=True, capture_output=True, cwd=REPO)
    elapsed = time.perf_counter() - start
    after = os.times()
    assert len(list(out.glob("*.md"))) == files
    shutil.rmtree(out)
    return elapsed, after.children_user + after.children_system - before.children_user - before.children_system


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds and assessments (about a minute)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    parser.add_argument(
        "--release", default=RELEASE, help=f"git ref of the release to compare with (default {RELEASE})"
    )
    parser.add_argument("--check", action="store_true", help="only check that the engine and the floor agree")
    args = parser.parse_args()
    seconds, rounds = (0.6, 3) if args.quick else (3.0, 7)

    questionnaire = ph.load_questionnaire()
    rulebase = ph.load_rulebase(questionnaire=questionnaire)
    compiled = prepare(rulebase, questionnaire).compiled
    floor = Floor(questionnaire, rulebase, compiled)
    examples = {f.name: ph.load_answers(f, questionnaire) for f in sorted(bundled_path("examples").glob("*.yaml"))}
    demo = examples[DEMO]
    sized = {size: generated(demo, questionnaire, size) for size in SIZES}
    more = {
        f"{n} respondents, seed {seed}": generated(demo, questionnaire, n, seed)
        for seed in range(2, 12)
        for n in (2, 7, 40)
    }
    firings = check_same_decisions({**examples, **{f"{n} respondents": a for n, a in sized.items()}, **more}, floor)
    if args.check:
        print(f"the engine and the floor agree on {len(examples) + len(sized) + len(more)} cases, {firings} firings")
        return
    load_before = os.getloadavg()[0]

    def pair(answers: Answers) -> dict:
        options = options_for(answers)
        engine_s, floor_s = alternating(
            [lambda: ph.assess(answers, questionnaire, rulebase, options), lambda: floor.decide(answers)],
            seconds,
            rounds * 5,
        )
        return {"engine_per_s": 1 / engine_s, "floor_per_s": 1 / floor_s, "ratio": engine_s / floor_s}

    result: dict[str, Any] = {"examples": {name: pair(answers) for name, answers in examples.items()}}
    result.update(result["examples"][DEMO])
    result["respondents"] = {str(size): pair(answers) for size, answers in sized.items()}
    result["ratio_by_size"] = {size: figures["ratio"] for size, figures in result["respondents"].items()}
    result["load_average_timed"] = os.getloadavg()[0]
    # The findings are put into words when first read: the rate of a program that reads them.
    result["with_findings_per_s"] = rate(lambda: ph.assess(demo, questionnaire, rulebase).findings, seconds, rounds)

    tree = release_tree(args.release)
    if tree is not None:
        try:
            out = subprocess.run(
                [
                    sys.executable,
                    "-c",
                    RELEASE_RATE,
                    str(tree),
                    str(tree / "examples" / DEMO),  # the release reads its own questionnaire version
                    str(seconds),
                    str(rounds),
                    str(Path(__file__).resolve().parent),
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            result["release"] = {"ref": args.release, "per_s": float(out.stdout)}
            result["speedup_over_release"] = result["engine_per_s"] / result["release"]["per_s"]
            result["speedup_with_findings"] = result["with_findings_per_s"] / result["release"]["per_s"]
            runs = 5 if args.quick else 15
            result["cli_start"] = cli_start({"this": REPO, "release": tree}, runs)
            start = result["cli_start"]
            result["cli_start"]["cpu_share"] = start["this"]["cpu_s"] / start["release"]["cpu_s"]
            result["cli_start"]["wall_share"] = start["this"]["wall_s"] / start["release"]["wall_s"]
        finally:
            remove_tree(tree)

    count = 10_000 if args.quick else 100_000
    result["memory"] = memory(list(examples.values()), questionnaire, rulebase, count)

    with tempfile.TemporaryDirectory() as folder:
        answers_dir = Path(folder) / "answers"
        answers_dir.mkdir()
        text = (bundled_path("examples") / DEMO).read_text()
        data = yaml.safe_load(text)
        for n in range(200):
            data["partnership"] = f"Partnership {n}"
            (answers_dir / f"p{n:03}.yaml").write_text(yaml.safe_dump(data))
        load = os.getloadavg()[0]
        (one, one_cpu), (two, two_cpu) = assess_many(200, 1, Path(folder)), assess_many(200, 2, Path(folder))
        result["assess_many"] = {
            "files": 200,
            "jobs_1_s": one,
            "jobs_2_s": two,
            "scaling": one / two,
            "jobs_1_cpu_s": one_cpu,
            "jobs_2_cpu_s": two_cpu,
            "load_average_before": load,
            "load_average_after": os.getloadavg()[0],
        }

    result["machine"] = {
        "python": platform.python_version(),
        "durable_rules": importlib.metadata.version("durable-rules"),
        "cores": os.cpu_count(),
        "processor": platform.processor() or platform.machine(),
        "load_average_before": load_before,
        "load_average_after": os.getloadavg()[0],
        "rules": len(rulebase.rules),
        "strengths": len(rulebase.strengths),
        "branches": len(compiled.branches),
        "fact_keys": len(compiled.needed),
        "firings_checked": firings,
    }
    if args.json:
        print(json.dumps(result, indent=1))
        return
    print("| measurement | engine /s | floor /s | floor/engine |\n|---|---:|---:|---:|")
    for name, figures in [
        *result["examples"].items(),
        *((f"{n} respondents", f) for n, f in result["respondents"].items()),
    ]:
        print(f"| {name} | {figures['engine_per_s']:,.0f} | {figures['floor_per_s']:,.0f} | {figures['ratio']:.1f}x |")
    print()
    print(json.dumps({key: value for key, value in result.items() if key not in ("examples", "respondents")}, indent=1))


if __name__ == "__main__":
    main()

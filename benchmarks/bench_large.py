"""A large round as a command: ``assess`` of a 2,000-respondent JSON answers file to Markdown, and where its time goes.

Run from the repository root (after ``pip install -e .``)::

    python benchmarks/bench_large.py [--respondents 2000] [--runs 7] [--tree DIR] [--json]

It writes the generated partnership of ``--respondents`` (``bench_assess.generated``,
50 organisations, ``random.Random(1)``) as a JSON answers file, then runs
``partnership-health assess FILE --format md`` in a fresh process ``--runs`` times after
one uncounted run (the file cache, the per-user caches of the checked inputs and the
compiled templates, the ``__pycache__``), each run's figure the CPU time of the child (``getrusage``), the
fastest kept. With ``--tree`` another checkout's ``.venv`` runs the same command in the
same turns. Then, in this process, the stages of one run: importing what the command
imports (in a fresh process, ``-X importtime``'s total), loading the cached inputs,
reading the file, assessing, rendering. The load average is printed beside the figures.
Nothing here asserts a speed.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import partnership_health as ph  # noqa: E402
from benchmarks.bench_assess import generated  # noqa: E402
from benchmarks.trees import child_env  # noqa: E402
from partnership_health.core.reader import bundled_path  # noqa: E402


def cpu_of(command: list[str]) -> float:
    """CPU seconds (user and system) of one child process running ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, check=True, capture_output=True, env=child_env())
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def fastest(work: Callable[[], object], rounds: int = 5) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        work()
        best = min(best, time.process_time() - start)
    return best


def import_seconds(python: str, argv: list[str]) -> float:
    """The seconds ``-X importtime`` counts for every module the command imports (its top-level imports' sum)."""
    command = [python, "-X", "importtime", "-m", "partnership_health.cli", *argv]
    result = subprocess.run(command, capture_output=True, text=True, env=child_env())
    total = 0
    for line in result.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            _, cumulative, name = line.removeprefix("import time:").split("|")
            if cumulative.strip().isdigit() and not name.startswith("  "):  # a top-level import
                total += int(cumulative)
    return total / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--respondents", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--tree", help="another checkout with its own .venv, measured in the same turns")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    questionnaire = ph.load_questionnaire()
    rulebase = ph.load_rulebase(questionnaire=questionnaire)
    demo = ph.load_answers(bundled_path("examples") / "riverside.yaml", questionnaire)
    answers = generated(demo, questionnaire, args.respondents)
    pythons = {"this": sys.executable}
    if args.tree:
        pythons["tree"] = str(Path(args.tree) / ".venv" / "bin" / "python")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "large.json"
        path.write_text(json.dumps(answers.model_dump(mode="json"), indent=2, ensure_ascii=False))
        argv = ["assess", str(path), "--format", "md"]
        commands = {name: [python, "-m", "partnership_health.cli", *argv] for name, python in pythons.items()}
        loads = [os.getloadavg()[0]]
        for command in commands.values():
            cpu_of(command)
        runs: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, command in commands.items():
                runs[name].append(cpu_of(command))
        loads.append(os.getloadavg()[0])
        result: dict[str, Any] = {
            "respondents": args.respondents,
            "file_mb": path.stat().st_size / 1e6,
            "command_cpu_s": {name: min(found) for name, found in runs.items()},
            "runs": runs,
            "imports_s": {name: min(import_seconds(py, argv) for _ in range(3)) for name, py in pythons.items()},
        }
        from partnership_health.cli.cache import load_inputs
        from partnership_health.reporting.render import render

        loaded = ph.load_answers(path, questionnaire)
        assessment = ph.assess(loaded, questionnaire, rulebase)
        result["stages_s"] = {
            "inputs (cached)": fastest(load_inputs),
            "reading the file": fastest(lambda: ph.load_answers(path, questionnaire)),
            "assessing": fastest(lambda: ph.assess(loaded, questionnaire, rulebase)),
            "rendering (fresh assessment)": fastest(
                lambda: render(ph.assess(loaded, questionnaire, rulebase), questionnaire, "md")
            )
            - fastest(lambda: ph.assess(loaded, questionnaire, rulebase)),
        }
        del assessment
        loads.append(os.getloadavg()[0])
    result["load"] = [min(loads), max(loads)]
    if args.json:
        print(json.dumps(result, indent=1))
        return
    for name, seconds in result["command_cpu_s"].items():
        print(
            f"{name}: assess of {args.respondents} respondents ({result['file_mb']:.1f} MB JSON) to Markdown: "
            f"{seconds:.3f} s CPU (fastest of {args.runs}); imports {result['imports_s'][name]:.3f} s"
        )
    for stage, seconds in result["stages_s"].items():
        print(f"  {stage}: {seconds * 1000:.0f} ms")
    print(f"load {result['load'][0]:.1f}-{result['load'][1]:.1f}")


if __name__ == "__main__":
    main()

"""Engine time over floor time on one example, as steady as a shared machine allows.

    python benchmarks/min_ratio.py [TREE] [--rounds N] [--example riverside.yaml]

``TREE`` is a checkout of this project (default: this one), e.g. a ``git worktree`` of
an older commit, so two versions can be measured back to back with the same floor
(``benchmarks/floor.py`` of this checkout). The engine and the floor run alternately,
in many short rounds of 5 calls each, timed in CPU time of this process; the figure
kept for each is its fastest round, the one least disturbed by other work on the
machine (the first quartile is printed too). ``bench_assess.py`` gives the medians.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("tree", nargs="?", default=str(HERE))
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--example", default="riverside.yaml")
    args = parser.parse_args()
    tree = str(Path(args.tree).resolve())
    sys.path.insert(0, str(HERE))
    from benchmarks.trees import package_in

    ph = package_in(tree)
    assessment = importlib.import_module(f"{ph.__name__}.{'core.' if ph.__name__ != 'engine' else ''}assessment")

    from benchmarks.floor import Floor

    if not ph.__file__ or not str(Path(ph.__file__).resolve()).startswith(tree):
        raise SystemExit(f"engine imported from {ph.__file__}, not {tree}")
    questionnaire = ph.load_questionnaire()
    rulebase = ph.load_rulebase(questionnaire=questionnaire)
    if hasattr(assessment, "prepare"):  # since the package was renamed
        compiled = assessment.prepare(rulebase, questionnaire).compiled
    else:
        compiled = assessment.compiled_rulebase(rulebase, questionnaire)
    floor = Floor(questionnaire, rulebase, compiled)
    answers = ph.load_answers(Path(tree) / "examples" / args.example, questionnaire)
    runs = {
        "engine": lambda: ph.assess(answers, questionnaire, rulebase),
        "floor": lambda: floor.decide(answers),
    }
    times: dict[str, list[float]] = {name: [] for name in runs}
    for work in runs.values():
        work()
    for _ in range(args.rounds):
        for name, work in runs.items():
            start = time.process_time()
            for _ in range(5):
                work()
            times[name].append((time.process_time() - start) / 5 * 1000)
    best = {name: min(found) for name, found in times.items()}
    q1 = {name: sorted(found)[len(found) // 4] for name, found in times.items()}
    print(
        f"{tree}: engine {best['engine']:.2f} ms (q1 {q1['engine']:.2f}), floor {best['floor']:.2f} ms "
        f"(q1 {q1['floor']:.2f}), ratio {best['engine'] / best['floor']:.2f} (q1 {q1['engine'] / q1['floor']:.2f}), "
        f"load {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()

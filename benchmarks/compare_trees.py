"""Two checkouts of this project measured side by side, in one run: is the new one any slower?

    python benchmarks/compare_trees.py OLD_TREE [NEW_TREE] [--rounds N] [--json]

A tree is a checkout, e.g. ``git worktree add /tmp/old 215be83`` (before or after the
package was renamed: see ``trees.py``); NEW_TREE defaults to this checkout. For each
tree, in turns (old, new, old, new ...) so that a change in the machine's load falls on
both alike, a fresh process measures in CPU time:

- ``assess``: the assessment of ``examples/riverside.yaml`` (what the rules decide);
- ``assess_findings``: the same with its findings read (put into words);
- ``assess_all``: the same with every part a report reads (findings, strengths, gaps,
  the aggregates per question, role and organisation, data quality);
- ``render_md``: the Markdown report of an assessment whose parts were all read;

and, as whole commands, ``demo --format md`` (a command's start to a report) and
``assess-many`` of 40 answers files on one process. In each process a figure is its
fastest round; across the turns the median is kept, in milliseconds (each process has
its own hash seed, and the fastest of many processes is mostly luck). ``new / old`` is
their ratio. Nothing here asserts a speed.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROUNDS_IN_PROCESS = 15

IN_PROCESS = r"""
import json, sys, time
sys.path.insert(0, sys.argv[2])
from trees import package_in
ph = package_in(sys.argv[1])
q = ph.load_questionnaire(); rb = ph.load_rulebase(questionnaire=q)
answers = ph.load_answers(sys.argv[1] + "/examples/riverside.yaml", q)
PARTS = ("findings", "strengths", "gaps", "answers", "by_role", "by_organisation", "quality")

def read_all():
    assessment = ph.assess(answers, q, rb)
    for name in PARTS:
        getattr(assessment, name)
    return assessment

done = read_all()
work = {
    "assess": lambda: ph.assess(answers, q, rb),
    "assess_findings": lambda: ph.assess(answers, q, rb).findings,
    "assess_all": read_all,
    "render_md": lambda: ph.render(done, q, "md"),
}
best = {}
for name, call in work.items():
    for _ in range(20):
        call()
    times = []
    for _ in range(int(sys.argv[3])):
        start = time.process_time()
        for _ in range(10):
            call()
        times.append((time.process_time() - start) / 10 * 1000)
    best[name] = min(times)
print(json.dumps(best))
"""


def command_code(tree: Path) -> str:
    """Python code that runs the command line of ``tree`` with ``sys.argv[1:]``."""
    sys.path.insert(0, str(HERE))
    from trees import name_in, path_for

    return (
        f"import sys; sys.path.insert(0, {path_for(tree)!r}); "
        f"from {name_in(tree)}.cli import main; sys.exit(main(sys.argv[1:]))"
    )


def cpu_of(argv: list[str], cwd: Path | None = None) -> float:
    """The CPU time (user and system) of a child process running ``argv``, in milliseconds (getrusage: to the us)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(argv, check=True, capture_output=True, cwd=cwd)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("old", help="the older checkout")
    parser.add_argument("new", nargs="?", default=str(HERE.parent), help="the newer checkout (default: this one)")
    parser.add_argument("--rounds", type=int, default=5, help="turns of each tree (default 5)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    args = parser.parse_args()
    trees = {"old": Path(args.old).resolve(), "new": Path(args.new).resolve()}
    sys.path.insert(0, str(HERE))
    from trees import child_env

    env = child_env()
    seen: dict[str, dict[str, list[float]]] = {name: {} for name in trees}

    def keep(tree: str, figure: str, value: float) -> None:
        seen[tree].setdefault(figure, []).append(value)

    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        answers = work / "answers"
        answers.mkdir()
        for n in range(40):
            shutil.copy(trees["new"] / "examples" / "riverside.yaml", answers / f"p{n:02}.yaml")
        load_before = os.getloadavg()[0]
        for turn in range(args.rounds + 1):  # the first turn warms caches and is not counted
            for name, tree in trees.items():
                out = subprocess.run(
                    [sys.executable, "-c", IN_PROCESS, str(tree), str(HERE), str(ROUNDS_IN_PROCESS)],
                    check=True,
                    capture_output=True,
                    text=True,
                    env=env,
                )
                code = command_code(tree)
                demo = cpu_of([sys.executable, "-c", code, "demo", "--format", "md", "--output", str(work / "d.md")])
                many = cpu_of(
                    [sys.executable, "-c", code, "assess-many", str(answers), "--output-dir", str(work / f"out-{name}")]
                    + ["--jobs", "1"]
                )
                if turn:
                    for figure, value in json.loads(out.stdout).items():
                        keep(name, figure, value)
                    keep(name, "demo_md_cpu", demo)
                    keep(name, "assess_many_40_cpu", many)
        load_after = os.getloadavg()[0]
    best = {
        name: {figure: statistics.median(values) for figure, values in figures.items()}
        for name, figures in seen.items()
    }
    result = {
        "trees": {name: str(tree) for name, tree in trees.items()},
        "ms": best,
        "new_over_old": {figure: best["new"][figure] / best["old"][figure] for figure in best["old"]},
        "load_average": [load_before, load_after],
        "rounds": args.rounds,
    }
    if args.json:
        print(json.dumps(result, indent=1))
        return
    print("| figure (median of the turns, CPU ms) | old | new | new / old |\n|---|---:|---:|---:|")
    for figure, ratio in result["new_over_old"].items():
        print(f"| {figure} | {best['old'][figure]:.3f} | {best['new'][figure]:.3f} | {ratio:.2f} |")
    print(f"\nload average {load_before:.1f} -> {load_after:.1f}, {args.rounds} turns each")


if __name__ == "__main__":
    main()

"""`demo --format pdf` against `demo --format md`, side by side in one run (issue 22).

Each command runs in a fresh process, the two taking turns (md, pdf, md, pdf ...) so a
change in the machine's load falls on both alike, after one uncounted run of each (it
fills the file cache, the compiled templates and each tree's ``__pycache__``). A run's figure is its CPU time, the
process's and its children's (``getrusage``), so other processes on a shared machine
count little; each format's figure is its fastest run. The load average is printed
beside the figures.

    .venv/bin/python benchmarks/bench_pdf.py --rounds 7 [--json] [--tree DIR]

``--tree DIR``: the commands of another checkout's ``.venv`` (e.g. a ``git worktree`` of
the commit before a change), measured in the same turns as this one's.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(HERE))

from benchmarks.trees import child_env  # noqa: E402


def cpu_of(argv: list[str]) -> float:
    """CPU seconds (user + system) of one run of ``argv`` and the processes it starts."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=child_env())
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--tree", type=Path, help="another checkout with its own .venv, measured alongside")
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args()
    trees = {"this": HERE}
    if options.tree:
        trees["other"] = options.tree.resolve()
    runs: dict[str, list[float]] = {}
    loads = [os.getloadavg()[0]]
    with tempfile.TemporaryDirectory() as out:
        commands = {
            f"{name} {fmt}": [
                str(tree / ".venv/bin/partnership-health"),
                "demo",
                "--format",
                fmt,
                "--output",
                f"{out}/{name}.{fmt}",
            ]
            for name, tree in trees.items()
            for fmt in ("md", "pdf")
        }
        for argv in commands.values():  # uncounted
            cpu_of(argv)
        for _ in range(options.rounds):
            for label, argv in commands.items():
                runs.setdefault(label, []).append(cpu_of(argv))
            loads.append(os.getloadavg()[0])
    fastest = {label: min(times) for label, times in runs.items()}
    result = {
        "cpu_s": {label: round(value, 3) for label, value in fastest.items()},
        "ratio_pdf_md": {name: round(fastest[f"{name} pdf"] / fastest[f"{name} md"], 2) for name in trees},
        "runs": {label: [round(t, 3) for t in times] for label, times in runs.items()},
        "load_average": [round(min(loads), 2), round(max(loads), 2)],
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
    }
    if options.json:
        print(json.dumps(result))
    else:
        for label, value in fastest.items():
            print(f"{label:12} {value * 1000:8.0f} ms CPU (fastest of {options.rounds})")
        for name, ratio in result["ratio_pdf_md"].items():  # type: ignore[union-attr]
            print(f"{name}: pdf / md = {ratio}")
        print(f"load average {result['load_average'][0]}-{result['load_average'][1]}; {result['machine']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

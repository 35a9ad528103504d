"""``assess-many`` on 1 and on 2 processes, taking turns, with the machine's load beside each run.

Run from the repository root (after ``pip install -e .``)::

    python benchmarks/bench_many.py [--files 200] [--rounds 5] [--json]

It writes ``--files`` answers files (the demo under as many names), then runs
``assess-many`` of them as a command in a fresh process, on 1 process and on 2, taking
turns (1, 2, 1, 2 ...) for ``--rounds`` rounds, after one uncounted run of each (it fills
the file cache, the per-user cache of the checked inputs and the ``__pycache__``). Each run records its wall
time, the CPU time of all its processes (``getrusage`` of the children) and the load
average (1 minute) just before it. It also times the same command on one file, which is
what one run costs whatever the number of files (start, imports, the inputs), so the
part that can go on two processes is known.

It prints ``scaling``: the fastest wall time on 1 process over the fastest on 2 (the runs
least disturbed by other work), the medians' ratio, ``expected``: what 2 processes
would give if only the one-file cost stayed serial (Amdahl), and ``cores_had_by_2``: CPU
time over wall time of the 2-process runs at best, the cores they actually had. On a machine with other work
running, 2 processes cannot have 2 cores: read the load beside the figures. Nothing here
asserts a speed.
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
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.trees import child_env  # noqa: E402

CODE = "import sys; from partnership_health.cli import main; sys.exit(main(sys.argv[1:]))"


def one_run(folder: Path, answers: Path, jobs: int) -> dict[str, float]:
    """Wall and CPU seconds of one ``assess-many`` command, and the load average before it."""
    out = folder / f"out-{jobs}"
    argv = ["assess-many", str(answers), "--output-dir", str(out), "--jobs", str(jobs)]
    load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", CODE, *argv], check=True, capture_output=True, cwd=REPO, env=child_env())
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    shutil.rmtree(out)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return {"wall_s": wall, "cpu_s": cpu, "load": load}


def write_files(folder: Path, files: int) -> Path:
    """``files`` copies of the demo's answers, each naming its own partnership."""
    import yaml

    from partnership_health.core.reader import bundled_path

    answers = folder / "answers"
    answers.mkdir()
    data = yaml.safe_load((bundled_path("examples") / "riverside.yaml").read_text())
    for n in range(files):
        data["partnership"] = f"Partnership {n}"
        (answers / f"p{n:03}.yaml").write_text(yaml.safe_dump(data))
    single = folder / "single"
    single.mkdir()
    shutil.copy(answers / "p000.yaml", single)
    return answers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        answers = write_files(folder, args.files)
        single = folder / "single"
        for jobs in (1, 2):  # uncounted: the file cache, the cache of checked inputs
            one_run(folder, answers, jobs)
        runs: dict[str, list[dict[str, float]]] = {"1": [], "2": [], "one_file": []}
        for _ in range(args.rounds):
            runs["1"].append(one_run(folder, answers, 1))
            runs["2"].append(one_run(folder, answers, 2))
            runs["one_file"].append(one_run(folder, single, 1))
    best = {kind: min(r["wall_s"] for r in found) for kind, found in runs.items()}
    median = {kind: statistics.median(r["wall_s"] for r in found) for kind, found in runs.items()}
    serial = best["one_file"]
    loads = [r["load"] for found in runs.values() for r in found]
    result: dict[str, Any] = {
        "files": args.files,
        "cores": os.cpu_count(),
        "runs": runs,
        "fastest_wall_s": best,
        "median_wall_s": median,
        "scaling": best["1"] / best["2"],
        "scaling_of_medians": median["1"] / median["2"],
        "expected": best["1"] / (serial + (best["1"] - serial) / 2),
        "cpu_s": {kind: min(r["cpu_s"] for r in runs[kind]) for kind in ("1", "2")},
        # The cores the 2 processes had on average in their fastest run: CPU time over wall time.
        "cores_had_by_2": max(r["cpu_s"] / r["wall_s"] for r in runs["2"]),
        "load": [min(loads), max(loads)],
    }
    if args.json:
        print(json.dumps(result, indent=1))
        return
    print("| run | jobs 1 wall / CPU (load) | jobs 2 wall / CPU (load) | one file |")
    print("|---|---|---|---|")
    for n, (one, two, single_run) in enumerate(zip(runs["1"], runs["2"], runs["one_file"], strict=True), 1):
        print(
            f"| {n} | {one['wall_s']:.2f} / {one['cpu_s']:.2f} s ({one['load']:.1f}) "
            f"| {two['wall_s']:.2f} / {two['cpu_s']:.2f} s ({two['load']:.1f}) | {single_run['wall_s']:.2f} s |"
        )
    print(
        f"\nscaling (fastest 1 / fastest 2): {result['scaling']:.2f}x;"
        f" of the medians {result['scaling_of_medians']:.2f}x;"
        f" expected with one file's cost serial: {result['expected']:.2f}x;"
        f" the 2 processes had {result['cores_had_by_2']:.2f} cores at best;"
        f" load {result['load'][0]:.1f}-{result['load'][1]:.1f} on {result['cores']} cores"
    )


if __name__ == "__main__":
    main()

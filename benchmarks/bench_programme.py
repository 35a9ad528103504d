"""How long does the programme view of 1,000 partnerships x 3 years take? (issue 23's target: 60 s on 2 cores)

Run from the repository root (after ``pip install -e .``)::

    python benchmarks/bench_programme.py [--partnerships 1000] [--years 3] [--jobs 2] [--json]

It generates the programme with ``examples/programme/generate.py`` (deterministic, seed
23) into a temporary folder, then times, each as a command in a fresh process:

1. ``programme FOLDER --format json`` from the answers files (the costliest source: every
   file is read and assessed), with their filled-in plans beside them;
2. ``programme DB --format json`` from a history database holding the same assessments
   (saved and shared once, before timing; not timed).

Each is wall time and CPU time (the process and its children), with the load average
beside it: the machine is shared. Nothing here asserts a speed.
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
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GENERATE = REPO / "examples" / "programme" / "generate.py"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--partnerships", type=int, default=1000)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--generator", type=Path, default=GENERATE, help="the programme example's generate.py")
    args = parser.parse_args()
    if not args.generator.exists():
        print(f"{args.generator}: not found (the programme example's generator makes the data)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "answers"
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                str(args.generator),
                "--partnerships",
                str(args.partnerships),
                "--years",
                str(args.years),
                "--out",
                str(folder),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        generated = time.perf_counter() - started
        files = sorted(p for p in folder.iterdir() if p.suffix == ".json")
        db = Path(tmp) / "history.db"
        _database(files, db, args.jobs)
        results = {
            "partnerships": args.partnerships,
            "years": args.years,
            "answers_files": len(files),
            "jobs": args.jobs,
            "generated_s": round(generated, 1),
            "from_answers_files": _timed(folder, Path(tmp) / "a.json", args.jobs),
            "from_database": _timed(db, Path(tmp) / "b.json", args.jobs),
            "cpus": os.cpu_count(),
        }
    if args.json:
        print(json.dumps(results))
    else:
        for key, value in results.items():
            print(f"{key:>20}: {value}")
    return 0


def _timed(source: Path, output: Path, jobs: int) -> dict[str, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load = os.getloadavg()[0]
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "partnership_health.cli",
            "programme",
            str(source),
            "--output",
            str(output),
            "--jobs",
            str(jobs),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    partnerships = json.loads(output.read_text())["partnerships"]
    return {
        "wall_s": round(wall, 1),
        "cpu_s": round(cpu, 1),
        "load_before": round(load, 1),
        "load_after": round(os.getloadavg()[0], 1),
        "partnerships": partnerships,
    }


def _report(path: Path) -> tuple[str, dict[str, object], dict[str, object]]:
    import partnership_health as ph
    from partnership_health.reporting.render import contract

    questionnaire = ph.load_questionnaire()
    rulebase = ph.load_rulebase(questionnaire=questionnaire)
    answers = ph.load_answers(path, questionnaire)
    return str(path), answers.model_dump(mode="json"), contract(ph.assess(answers, questionnaire, rulebase))


def _database(files: list[Path], db: Path, jobs: int) -> None:
    """The same assessments kept in a database, each shared with the programme (its lead's consent kept)."""
    from partnership_health.models import Answers
    from partnership_health.store.sqlite import Store
    from partnership_health.surveys.plans import read_plan

    store = Store(db)
    with ProcessPoolExecutor(jobs) as pool:
        for path, answers, report in pool.map(_report, files, chunksize=20):
            loaded = Answers.model_validate(answers)
            kept = store.save_assessment(loaded, report, rulebase_version="2.1")
            store.set_programme_consent(kept, shared=True, named=loaded.named_in_programme)
            plan = Path(path).with_name(f"{Path(path).stem}-plan.csv")
            if plan.exists():
                store.attach_actions(kept, read_plan(plan))


if __name__ == "__main__":
    sys.exit(main())

"""Saves assessments into one SQLite file in a loop, for the store's robustness tests.

``store_worker.py DB N`` saves the example partnership N times, each under another
date, and prints each id on a line of its own as soon as its transaction has committed.
The tests run two at once on one file, or kill one with SIGKILL in the middle. With
``--wait`` it prints ``ready`` once loaded and opens the file only when a line comes on
standard input, so that two workers open a new file at the same moment.
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import partnership_health as ph  # noqa: E402
from partnership_health.core.reader import bundled_path  # noqa: E402
from partnership_health.reporting.render import contract  # noqa: E402
from partnership_health.store.sqlite import Store  # noqa: E402


def main(db: str, count: int, wait: bool) -> None:
    answers = ph.load_answers(bundled_path("examples") / "riverside.yaml")
    report = contract(ph.assess(answers))
    if wait:
        print("ready", flush=True)
        sys.stdin.readline()
    store = Store(db)
    start = datetime.date(2000, 1, 1)
    for day in range(count):
        dated = answers.model_copy(update={"assessed_on": start + datetime.timedelta(days=day)})
        saved = store.save_assessment(
            dated, report | {"assessed_on": dated.assessed_on.isoformat()}, rulebase_version="2.0"
        )
        print(saved, flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), "--wait" in sys.argv[3:])

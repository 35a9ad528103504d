"""Write every report of every example (and a few generated partnerships) into a folder, to diff two trees.

A refactoring of the pipeline should change no report: run this before and after, on the
same machine, and compare the folders (``diff -r before after``)::

    python benchmarks/snapshot_reports.py /tmp/before
    ... change the code ...
    python benchmarks/snapshot_reports.py /tmp/after && diff -r /tmp/before /tmp/after

Each case is assessed with the default options, ``min_group=2``, ``by="organisation"``
and ``show_respondents=True``; each is written as Markdown, HTML, JSON and CSV, with the
facts the rules were decided on and the assessment's own dump.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import partnership_health as ph  # noqa: E402
from benchmarks.bench_assess import generated  # noqa: E402
from partnership_health.core import runner  # noqa: E402
from partnership_health.core.reader import bundled_path  # noqa: E402

OPTIONS: dict[str, dict[str, Any]] = {
    "default": {},
    "min2": {"min_group": 2},
    "by-organisation": {"by": "organisation"},
    "named": {"show_respondents": True, "gaps": 2},
}


def main(folder: Path) -> None:
    questionnaire = ph.load_questionnaire()
    rulebase = ph.load_rulebase(questionnaire=questionnaire)
    cases = {f.stem: ph.load_answers(f, questionnaire) for f in sorted(bundled_path("examples").glob("*.yaml"))}
    for size in (1, 20, 100):
        cases[f"generated-{size}"] = generated(cases["riverside"], questionnaire, size)
    seen: list[dict[str, Any]] = []
    run = runner.run

    def spy(compiled: Any, facts: Any) -> Any:
        seen.append(dict(facts))
        return run(compiled, facts)

    runner.run = spy
    folder.mkdir(parents=True, exist_ok=True)
    for name, answers in cases.items():
        for option, kwargs in OPTIONS.items():
            seen.clear()
            assessment = ph.assess(answers, questionnaire, rulebase, ph.AssessOptions(**kwargs))
            stem = folder / f"{name}.{option}"
            for fmt in ("md", "html", "json", "csv"):
                Path(f"{stem}.{fmt}").write_text(str(ph.render(assessment, questionnaire, fmt)))
            # Too few respondents for the options: no rules are run, so there are no facts.
            decided = seen[0] if seen else {}
            facts = {key: [type(value).__name__, value] for key, value in sorted(decided.items())}
            Path(f"{stem}.facts.json").write_text(json.dumps(facts, indent=1))
            dump = assessment.model_dump(mode="json")
            Path(f"{stem}.dump.json").write_text(json.dumps(dump, indent=1, sort_keys=True))
    runner.run = run


if __name__ == "__main__":
    main(Path(sys.argv[1]))

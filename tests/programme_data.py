"""A small programme for the programme view's tests, made from the bundled examples.

Partnership i (1..n) is two assessments: one in 2025 (the answers of one example) and one
in 2026 (another example's), each renamed "Programme Partnership NN"; so the examples'
failure modes are mixed over the partnerships and change from one year to the next.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from pathlib import Path

import partnership_health as ph
from partnership_health.core.reader import bundled_path
from partnership_health.reporting.render import contract, plan_csv

EXAMPLES = bundled_path("examples")
SOURCES = (
    "riverside.yaml",
    "power-imbalance.yaml",
    "type-drift.yaml",
    "riverside-2027.yaml",
    "quiet-partner.yaml",
    "secondment.yaml",
    "cooperative-network.yaml",
    "eight-partners.yaml",
    "young-partnership.yaml",
    "type-mismatch.yaml",
    "type-mismatch-money.yaml",
)


def name(i: int) -> str:
    return f"Programme Partnership {i:02d}"


def answers_text(example: str, partnership: str, on: str, named: bool = False) -> str:
    text = (EXAMPLES / example).read_text(encoding="utf-8")
    text = re.sub(r"(?m)^partnership: .*$", f"partnership: {partnership}", text, count=1)
    consent = "\nnamed_in_programme: true" if named else ""
    return re.sub(r"(?m)^assessed_on: .*$", f"assessed_on: {on}{consent}", text, count=1)


def make_programme(
    folder: Path, n: int = 10, named: Sequence[int] = (), years: Sequence[int] = (2025, 2026), offset: int = 0
) -> list[Path]:
    """Write partnerships ``offset+1 .. offset+n`` into ``folder``, one answers file per year; returns the files."""
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(offset + 1, offset + n + 1):
        for y, year in enumerate(years):
            example = SOURCES[(i + len(years) - 1 - y) % len(SOURCES)]
            path = folder / f"p{i:02d}-{year}.yaml"
            path.write_text(
                answers_text(example, name(i), f"{year}-10-0{1 + y}", named=i in named and y == len(years) - 1)
            )
            files.append(path)
    return files


def write_reports(
    files: Sequence[Path], folder: Path, questionnaire: ph.Questionnaire, rulebase: ph.RuleBase
) -> list[dict]:
    """The JSON report of each answers file, written into ``folder`` under the same stem; returns them."""
    folder.mkdir(parents=True, exist_ok=True)
    reports = []
    for file in files:
        report = contract(ph.assess(ph.load_answers(file, questionnaire), questionnaire, rulebase))
        (folder / f"{file.stem}.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
        reports.append(report)
    return reports


def latest_reports(reports: Sequence[dict]) -> dict[str, dict]:
    """Each partnership's latest report, by name (and only those that show figures)."""
    latest: dict[str, dict] = {}
    for report in reports:
        if report.get("data_quality") is None:
            continue
        known = latest.get(report["partnership"])
        if known is None or report["assessed_on"] > known["assessed_on"]:
            latest[report["partnership"]] = report
    return latest


STATUSES = ("done", "in progress", "not started", "done", "dropped")


def write_plan(answers_file: Path, questionnaire: ph.Questionnaire, rulebase: ph.RuleBase) -> list[tuple[str, str]]:
    """Fill in the action plan of an answers file (statuses in turn) beside it; returns (remedy id, status) rows."""
    assessment = ph.assess(ph.load_answers(answers_file, questionnaire), questionnaire, rulebase)
    lines = plan_csv(assessment).removeprefix("\ufeff").splitlines()
    rows = list(csv.reader(lines))
    filled = [rows[0]] + [row[:-1] + [STATUSES[i % len(STATUSES)]] for i, row in enumerate(rows[1:])]
    buffer = io.StringIO()
    csv.writer(buffer).writerows(filled)
    answers_file.with_name(f"{answers_file.stem}-plan.csv").write_text(buffer.getvalue(), encoding="utf-8")
    return [(row[0], row[-1]) for row in filled[1:]]

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

from markdown_it import MarkdownIt

import partnership_health as ph
from partnership_health.core.reader import bundled_path
from partnership_health.models import Programme
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


SIZE_BANDS = ((2, 4, "2-3"), (4, 7, "4-6"), (7, 11, "7-10"), (11, 21, "11-20"), (21, 10**9, "21+"))


def groups_of(report: dict) -> dict[str, str]:
    """A JSON report's group in each breakdown of "Who takes part": by type, size and age (counted here)."""
    chosen = (report.get("partnership_type") or {}).get("chosen")
    answers = report["aggregates"]["answers"]
    values = answers.get("governance.partner_count", {}).get("values", {})
    size = values.get("median") if values.get("median") is not None else values.get("mean")
    age = answers.get("governance.partnership_age", {}).get("values", {}).get("mode")
    band = next((key for low, high, key in SIZE_BANDS if size is not None and low <= size < high), "unknown")
    return {"type": chosen or "not_said", "size": band, "age": age or "not_said"}


def by_group_counted(reports: Sequence[dict], key: str) -> tuple[dict[str, int], dict[tuple[str, str], int]]:
    """Partnerships of each group of ``key``, and of each (failure mode, group), counted from the latest reports."""
    groups: dict[str, int] = {}
    found: dict[tuple[str, str], int] = {}
    for report in reports:
        group = groups_of(report)[key]
        groups[group] = groups.get(group, 0) + 1
        for mode in {f["failure_mode"] for f in report["findings"]}:
            found[(mode, group)] = found.get((mode, group), 0) + 1
    return groups, found


def check_by_group(view: Programme, latest: list[dict]) -> int:
    """The tables of failure modes by type, size and age against counts made here; how many cells are shown."""
    k = view.min_partnerships
    shown = 0
    assert [r.id for t in view.failure_modes_by for r in t.rows] == [f.id for f in view.failure_modes] * len(
        view.failure_modes_by
    )
    diagnosed = {f.id: f.diagnosed for f in view.failure_modes}
    for t in view.failure_modes_by:
        groups, found = by_group_counted(latest, t.key)
        profile = next(b for b in view.profile if b.key == t.key)
        assert sorted(g for c in t.columns for g in c.groups) == sorted(
            c.key for c in profile.counts if c.hidden or c.value
        )  # every group with partnerships, each in one column
        for column in t.columns:
            assert column.partnerships == sum(groups.get(g, 0) for g in column.groups), (t.key, column.key)
        for row in t.rows:
            assert row.diagnosed == diagnosed[row.id]
            true = [sum(found.get((row.id, g), 0) for g in column.groups) for column in t.columns]
            assert sum(true) == sum(1 for r in latest if any(f["failure_mode"] == row.id for f in r["findings"]))
            for count, column, value in zip(row.counts, t.columns, true, strict=True):
                assert count.key == column.key
                assert count.hidden or count.value == value, (t.key, row.id, column.key)
                assert not (0 < value < k) or count.hidden, (t.key, row.id, column.key)
                assert not (0 < column.partnerships - value < k) or count.hidden  # those without it, too
                shown += not count.hidden
    return shown


def md_tables(text: str) -> list[list[list[str]]]:
    """Every table of a Markdown text, read back as CommonMark with GFM tables: rows of cells (the header first).

    Checked on the way: each table's lines begin and end with "|", none ends in a space, and
    each has as many cells as the header (a GFM reader would drop or pad them silently).
    """
    blocks: list[list[str]] = [[]]
    for line in text.split("\n"):
        if line.startswith("|"):
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    blocks = [block for block in blocks if block]
    for block in blocks:
        widths = {len(re.split(r"(?<!\\)\|", line)) for line in block}
        assert len(widths) == 1, block[0]
        assert all(line.endswith("|") and line == line.rstrip() for line in block), block[0]
    tables: list[list[list[str]]] = []
    inside = False
    for token in MarkdownIt("commonmark").enable("table").parse(text):
        if token.type in ("table_open", "table_close"):
            inside = token.type == "table_open"
            tables += [[]] if inside else []
        elif inside and token.type == "tr_open":
            tables[-1].append([])
        elif inside and token.type == "inline":
            tables[-1][-1].append(token.content)
    assert len(tables) == len(blocks)
    return tables

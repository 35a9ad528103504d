"""A filled-in action plan read back: the CSV (or XLSX) ``assess --format csv`` wrote, as a spreadsheet saved it."""

from __future__ import annotations

import datetime
import re
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError, Issue, SourceLocation, shorten
from ..models.since import STATUSES

if TYPE_CHECKING:
    from .table import Table


# --- the filled-in action plan ------------------------------------------------------

# The plan's columns (as `assess --format csv` writes them) -> the keys of a plan row.
PLAN_KEYS = {
    "remedy id": "remedy_id",
    "remedy": "remedy",
    "steps": "steps",
    "for findings": "for_findings",
    "sources": "sources",
    "owner": "owner",
    "due date": "due",
    "status": "status",
}
PLAN_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx")
_FORMULA_GUARD = ("'=", "'+", "'-", "'@", "'\t", "'\r")  # the quote the plan put before a formula-like cell


def read_plan(path: Path | str, remedies: Collection[str] | None = None) -> list[dict[str, str]]:
    """The rows of a filled-in action plan (the CSV ``assess --format csv`` writes).

    Forgiving of what a spreadsheet does when it saves the plan again: the byte order mark
    kept or lost, Windows' own encoding (cp1252) instead of UTF-8, ``;`` or tab between
    cells, the columns in another order or with other capitals, columns added, blank rows,
    an XLSX instead of a CSV. The quote the plan put
    before a cell that would read as a formula is taken off. Each row is a dict with the
    keys of :data:`PLAN_KEYS` (text, "" when blank); status is one of :data:`STATUSES` or "".
    A due date written in figures must be a real date (year first, or day and month
    either way round); one in words is kept as written. ``remedies``: the remedy ids of
    the assessment the plan was made for; a Remedy id not among them is a problem (an
    action of the lead's own has its Remedy id left blank).
    Every problem in the file is raised at once, each naming its row and column.
    """
    from .table import read_table  # the survey exports' reader: CSV separators, BOM, XLSX

    shown = str(path)
    if Path(path).suffix.lower() not in PLAN_SUFFIXES:
        raise InputError(
            [Issue(SourceLocation(shown), "--actions", f"is not an action plan (expected {', '.join(PLAN_SUFFIXES)})")]
        )
    table = read_table(path, legacy_encoding="cp1252")  # a plan saved again by Excel on Windows
    return plan_from_table(table, remedies)


def plan_from_table(table: Table, remedies: Collection[str] | None = None) -> list[dict[str, str]]:
    """The rows of a plan already read as a table (see :func:`read_plan`); every problem raised at once."""
    columns = {}
    for column in table.columns:
        key = PLAN_KEYS.get(" ".join(column.shown.lower().split()))
        if key and key not in columns:
            columns[key] = column
    problems = [
        Issue(table.cell(1), "column", f"the plan has no '{name}' column (its header row must name it)")
        for name, key in (("Remedy id", "remedy_id"), ("Status", "status"))
        if key not in columns
    ]
    if problems:
        raise InputError(problems)
    rows = []
    for row in table.rows:
        values = {key: _unguarded(row.get(column)) for key, column in columns.items()}
        plan_row = {key: values.get(key, "") for key in PLAN_KEYS.values()}
        named = plan_row["remedy"] or plan_row["remedy_id"]
        action = f"action {shorten(named)}" if named else "action"  # the cell names the column already
        for key, message in plan_row_problems(plan_row, remedies, due_given="due" in columns):
            problems.append(Issue(table.cell(row.number, columns.get(key, columns["remedy_id"])), action, message))
        rows.append(plan_row)
    if problems:
        raise InputError(problems)
    return rows


def plan_row_problems(
    plan_row: dict[str, str], remedies: Collection[str] | None = None, *, due_given: bool = True
) -> list[tuple[str, str]]:
    """What is wrong with one row of a plan, as (its key, the message); the row's status and due date are
    made canonical in place (status in lower case, a spreadsheet's time after a due date taken off)."""
    problems = []
    status = " ".join(plan_row["status"].lower().replace("-", " ").replace("_", " ").split())
    if status in STATUSES or not status:
        plan_row["status"] = status
    else:
        problems.append(
            ("status", f"status must be one of {', '.join(STATUSES)}, or blank (got {shorten(plan_row['status'])})")
        )
    if not plan_row["remedy_id"] and not plan_row["remedy"]:
        problems.append(("remedy_id", "has no remedy id and no remedy"))
    elif remedies is not None and plan_row["remedy_id"] and plan_row["remedy_id"] not in remedies:
        problems.append(
            (
                "remedy_id",
                f"remedy id {shorten(plan_row['remedy_id'])} is not in the action plan of the assessment it "
                f"follows up ({', '.join(sorted(remedies)) or 'which has no actions'}); "
                "leave it blank for an action of your own",
            )
        )
    plan_row["due"] = plan_row["due"].removesuffix(" 00:00:00")  # a date a spreadsheet saved with its time
    if due_given and not _due_date_ok(plan_row["due"]):
        problems.append(
            (
                "due",
                f"due date is not a real date (got {shorten(plan_row['due'])}); write it as YYYY-MM-DD, or in words",
            )
        )
    return problems


_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})")


def _due_date_ok(due: str) -> bool:
    """A due date in words (or blank) is kept as written; one in figures must be a real date."""
    if not due or any(c.isalpha() for c in due):
        return True
    if iso := _ISO_DATE.fullmatch(due):
        return _real_date(*map(int, iso.groups()))
    if dmy := _DAY_MONTH_YEAR.fullmatch(due):
        first, second, year = map(int, dmy.groups())
        year += 2000 if year < 100 else 0
        return _real_date(year, second, first) or _real_date(year, first, second)  # 31/01 or 01/31
    return False


def _real_date(year: int, month: int, day: int) -> bool:
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


def _unguarded(cell: str) -> str:
    return cell[1:] if cell.startswith(_FORMULA_GUARD) else cell

"""A lead's list of invitees (organisation, role, name) read like any survey export.

The CSV may use , ; or tab, any of the encodings a spreadsheet saves, and the role as
our id or its label ("Lead partner", "Core", "wider partners"); a column given twice,
a quote left open or a control character is a located problem, never a silent choice.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError, Issue
from ..wording import ROLE_LABELS
from .headers import EMAIL, FIELD_BY_TEXT, NAME, ORGANISATION, ROLE
from .importing import ROLE_TEXTS
from .table import Cell, Column, column_letter, read_table
from .values import normalise

_WANTED = (ORGANISATION, ROLE, NAME)


def read_invitees(path: Path | str) -> list[tuple[str, str, str | None]]:
    """``(organisation, role, name or None)`` per row; raises :class:`InputError` listing every problem."""
    table = read_table(path)
    columns: dict[str, Column] = {}
    issues: list[Issue] = []
    for column in table.columns:
        field = FIELD_BY_TEXT.get(normalise(column.shown))
        if field not in _WANTED:
            if field != EMAIL:
                message = "not a column of an invitee list (organisation, role, name)"
                issues.append(Issue(table.cell(column=column), "header", message))
            continue
        if field in columns:
            message = f"a second {field} column (column {column_letter(columns[field].number)} is the first)"
            issues.append(Issue(table.cell(column=column), field, message))
            continue
        columns[field] = column
    for field in (ORGANISATION, ROLE):
        if field not in columns:
            issues.append(Issue(table.cell(1), "header", f"needs a column '{field}'"))
    if issues:
        raise InputError(issues)
    rows: list[tuple[str, str, str | None]] = []
    labels = ", ".join(f"{label} ({role})" for role, label in ROLE_LABELS.items())
    for row in table.rows:
        organisation = " ".join(row.get(columns[ORGANISATION]).split())
        said = row.get(columns[ROLE])
        role = ROLE_TEXTS.get(normalise(said), "")
        name = row.get(columns[NAME]) if NAME in columns else ""
        if not organisation:
            issues.append(Issue(table.cell(row.number, columns[ORGANISATION]), ORGANISATION, "is required"))
        if not role:
            issues.append(Issue(table.cell(row.number, columns[ROLE]), ROLE, f"must be one of {labels} (got {said!r})"))
        rows.append((organisation, role, name or None))
    if not rows and not issues:
        issues.append(Issue(Cell(table.path), "file", "has no invitees"))
    if issues:
        raise InputError(issues)
    return rows

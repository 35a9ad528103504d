"""A lead's list of invitees (name, organisation, role, email) read like any survey export.

The CSV may use , ; or tab, any of the encodings a spreadsheet saves, and the role as
our id or its label ("Lead partner", "Core", "wider partners"); a column given twice,
a quote left open or a control character is a located problem, never a silent choice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, Issue, shorten
from ..wording import ROLE_LABELS
from .headers import EMAIL, FIELD_BY_TEXT, NAME, ORGANISATION, ROLE
from .importing import ROLE_TEXTS
from .table import Cell, Column, Table, column_letter, read_table
from .values import normalise

_WANTED = (ORGANISATION, ROLE, NAME, EMAIL)
_ALIASES = {"org": ORGANISATION, "organisation name": ORGANISATION, "e mail": EMAIL, "email address": EMAIL}
MAX_TEXT = 200  # characters of a name or an organisation
MAX_EMAIL = 254  # characters of an email address (RFC 5321's limit on a path)
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass(frozen=True)
class InviteeRow:
    """One row of a lead's list: accepted (``problems`` empty) or refused, with its row number."""

    number: int
    organisation: str
    role: str
    name: str | None
    email: str | None
    said_role: str
    problems: tuple[tuple[str, str], ...] = ()  # (the column, what is wrong with it)

    @property
    def why(self) -> str:
        """Every problem of the row in one sentence."""
        return "; ".join(f"{field} {message}" for field, message in self.problems)


def read_invitees(path: Path | str) -> list[tuple[str, str, str | None, str | None]]:
    """``(organisation, role, name or None, email or None)`` per row; :class:`InputError` lists every problem."""
    table = read_table(path)
    columns = invitee_columns(table)
    rows = invitee_rows(table, columns)
    issues = [
        Issue(table.cell(row.number, columns[field]), field, message) for row in rows for field, message in row.problems
    ]
    if not rows:
        issues.append(Issue(Cell(table.path), "file", "has no invitees"))
    if issues:
        raise InputError(issues)
    return [(row.organisation, row.role, row.name, row.email) for row in rows]


def invitee_columns(table: Table) -> dict[str, Column]:
    """The column of each field; a column unknown or given twice, or one missing, raises :class:`InputError`."""
    columns: dict[str, Column] = {}
    issues: list[Issue] = []
    for column in table.columns:
        field = FIELD_BY_TEXT.get(normalise(column.shown)) or _ALIASES.get(normalise(column.shown))
        if field not in _WANTED:
            message = "not a column of an invitee list (name, organisation, role, email)"
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
    return columns


def invitee_rows(table: Table, columns: dict[str, Column]) -> list[InviteeRow]:
    """Each row of ``table`` read as an invitee, with its problems."""
    labels = ", ".join(f"{label} ({role})" for role, label in ROLE_LABELS.items())
    rows = []
    for row in table.rows:
        problems: list[tuple[str, str]] = []
        organisation = " ".join(row.get(columns[ORGANISATION]).split())
        said = row.get(columns[ROLE])
        role = ROLE_TEXTS.get(normalise(said), "")
        name = " ".join(row.get(columns[NAME]).split()) if NAME in columns else ""
        email = row.get(columns[EMAIL]) if EMAIL in columns else ""
        if not organisation:
            problems.append((ORGANISATION, "is required"))
        if not role:
            problems.append((ROLE, f"must be one of {labels} (got {shorten(said)})"))
        for what, text in ((ORGANISATION, organisation), (NAME, name)):
            if len(text) > MAX_TEXT:
                problems.append((what, f"is {len(text):,} characters long, more than {MAX_TEXT}"))
        problem = email_problem(email) if email else None
        if problem:
            problems.append((EMAIL, problem))
        rows.append(InviteeRow(row.number, organisation, role, name or None, email or None, said, tuple(problems)))
    return rows


def email_problem(email: str) -> str | None:
    """Why ``email`` cannot be written to (None when it can): one address, no line break, not too long."""
    if "\r" in email or "\n" in email:
        return "must be one address on one line"
    if len(email) > MAX_EMAIL:
        return f"is {len(email):,} characters long, more than {MAX_EMAIL}"
    if not _EMAIL.fullmatch(email):
        return f"must be an address like name@example.org (got {shorten(email)})"
    return None

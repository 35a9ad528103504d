"""A survey tool's export -> an answers file: every problem found at once, with row and column.

The columns are found by their headers (see :mod:`.headers`), each cell is read as the
person answered it (see :mod:`.values`); names and email addresses stay behind unless
``keep_names`` is asked for. Nothing is returned when any problem was found: the caller
writes nothing.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ..core.checks import check_answers, did_you_mean
from ..core.reader import Document, read_document
from ..errors import InputError, Issue
from ..models import ROLES, Answers, Model, Questionnaire
from ..wording import ROLE_LABELS
from .dates import Stamp, latest_date
from .headers import (
    EMAIL,
    FIELDS,
    FIRST_NAME,
    IGNORE,
    LAST_NAME,
    NAME,
    ORGANISATION,
    ROLE,
    SUBMISSION,
    TIME,
    HeaderIndex,
    Target,
)
from .table import Cell, Column, Row, Table, column_letter, read_table
from .values import normalise, read_value

ROLE_HINT = " | ".join(ROLE_LABELS)  # the csv template's second row says this under "role"
ROLE_TEXTS = {
    **{normalise(role): role for role in ROLES},
    **{normalise(label): role for role, label in ROLE_LABELS.items()},
    **{normalise(label + "s"): role for role, label in ROLE_LABELS.items()},
    "lead organisation": "lead",
    "lead organization": "lead",
}
_ANONYMOUS = {"anonymous", ""}
TEMPLATE_ROW = "the csv template's row of allowed answers"


@dataclass(frozen=True)
class Imported:
    """What an import made of a file: the answers, and an account of every row below the header.

    ``rows_read`` = respondents + skipped rows, always; ``warnings`` are printed, not refused
    (answers dropped from roles a question is not asked of, a date that is today's).
    """

    answers: Answers
    path: str
    rows_read: int
    skipped: tuple[tuple[int, str], ...]
    warnings: tuple[Issue, ...]

    def summary(self) -> str:
        """``export.csv: 7 rows read, 5 respondents, 2 rows skipped (row 3: blank; ...)``."""
        people, skipped = len(self.answers.respondents), len(self.skipped)
        text = (
            f"{self.path}: {self.rows_read} row{'s' if self.rows_read != 1 else ''} read, "
            f"{people} respondent{'s' if people != 1 else ''}, {skipped} row{'s' if skipped != 1 else ''} skipped"
        )
        if self.skipped:
            shown = "; ".join(f"row {row}: {why}" for row, why in self.skipped[:10])
            text += f" ({shown}{'; ...' if skipped > 10 else ''})"
        return text


class Mapping(Model):
    """A mapping file: which of our fields each column holds, by the column's header."""

    columns: dict[str, str]


def read_mapping(path: Path | str, questionnaire: Questionnaire) -> dict[str, str]:
    """Read a mapping file (``columns: {header: question id | organisation | role | name | email | ignore}``)."""
    doc, issues = read_document(path, Mapping)
    if doc is None:
        raise InputError(issues)
    known = (*questionnaire.questions, *FIELDS)
    for header, target in doc.model.columns.items():
        if target not in known:
            message = f"'{target}' is neither a question id nor one of {', '.join(FIELDS)}{did_you_mean(target, known)}"
            issues.append(doc.issue(("columns", header), f"columns.{header}", message))
    if issues:
        raise InputError(issues)
    return dict(doc.model.columns)


def import_answers(path: Path | str, questionnaire: Questionnaire, **options: Any) -> Answers:
    """Read a CSV or XLSX export into answers (the options of :func:`import_survey`); raises :class:`InputError`."""
    return import_survey(path, questionnaire, **options).answers


def import_survey(
    path: Path | str,
    questionnaire: Questionnaire,
    *,
    mapping: dict[str, str] | None = None,
    partnership: str | None = None,
    assessed_on: datetime.date | None = None,
    keep_names: bool = False,
    date_format: str | None = None,
    strict: bool = False,
) -> Imported:
    """Read a CSV or XLSX export, accounting for every row; raises :class:`InputError` listing every problem.

    An answer from a respondent whose role a question is not asked of is dropped with one
    warning per question (``strict``: refused). The date is ``assessed_on``, else the latest
    submission time (day and month told apart by the column, or ``date_format``), else
    today with a warning.
    """
    table = read_table(path)
    index = HeaderIndex(questionnaire, mapping)
    targets = [index.target(column) for column in table.columns]
    issues = _header_issues(table, targets) + _headless(table)
    by_field: dict[str, list[Column]] = {}
    for target in targets:
        if target.target:
            by_field.setdefault(target.target, []).append(target.column)
    for field, label in ((ORGANISATION, "Organisation"), (ROLE, "Role")):
        if field not in by_field:
            issues.append(
                Issue(
                    Cell(table.path, table.header_rows),
                    field,
                    f"no {label} column (head one '{label}', or name it in a --mapping file)",
                )
            )
    questions = [(qid, columns[0]) for qid, columns in by_field.items() if qid in questionnaire.questions]
    questions.sort(key=lambda pair: list(questionnaire.questions).index(pair[0]))
    respondents: list[dict[str, Any]] = []
    rows_of: dict[str, Row] = {}
    seen: dict[tuple[str, str], int] = {}
    skipped = list(table.skipped)
    dropped: dict[str, list[int]] = {}
    for row in table.rows:
        if any(row.get(column) == ROLE_HINT for column in by_field.get(ROLE, [])):
            skipped.append((row.number, TEMPLATE_ROW))
            continue
        respondent, problems = _respondent(table, row, by_field, questions, questionnaire, keep_names)
        issues += problems
        issues += _duplicates(table, row, by_field, respondent, questions, seen)
        if not strict:
            for question_id in _not_asked(respondent, questionnaire):
                del respondent["answers"][question_id]
                dropped.setdefault(question_id, []).append(row.number)
        respondents.append(respondent)
        rows_of[respondent["id"]] = row
    if not table.rows:
        issues.append(Issue(Cell(table.path, table.header_rows), "rows", "no submissions below the header"))
    warnings = [
        _dropped_warning(table, qid, rows, dict(questions)[qid], questionnaire) for qid, rows in dropped.items()
    ]
    date = assessed_on
    if date is None:
        stamps = [
            Stamp(row.number, column.number, row.get(column))
            for column in by_field.get(TIME, [])
            for row in table.rows
            if (row.number, TEMPLATE_ROW) not in skipped
        ]
        dated = latest_date(stamps, date_format)
        if dated.problem and dated.at:
            column = next(c for c in by_field[TIME] if c.number == dated.at.column)
            issues.append(Issue(table.cell(dated.at.row, column), TIME, dated.problem))
        date = dated.date
        if date is None:
            date = datetime.date.today()
            warnings.append(
                Issue(
                    Cell(table.path),
                    "assessed_on",
                    f"no submission time in the file: the assessment is dated today, {date.isoformat()} "
                    "(give --date YYYY-MM-DD to date it)",
                    "warning",
                )
            )
    data = {
        "partnership": partnership or Path(path).stem,
        "assessed_on": date.isoformat(),
        "questionnaire": {"id": questionnaire.id, "version": questionnaire.version},
        "respondents": respondents,
    }
    cells = {(issue.location.line, issue.location.column) for issue in issues}
    rows = {issue.location.line for issue in issues}
    issues += [  # the engine's own checks, where ours found nothing at that cell (or row)
        issue
        for issue in _engine_issues(table, data, questionnaire, rows_of, dict(questions))
        if (issue.location.line, issue.location.column) not in cells
        and (issue.location.column is not None or issue.location.line not in rows)
    ]
    if issues:
        raise InputError(issues)
    try:
        answers = Answers.model_validate(data)
    except ValidationError as error:  # a guard: every field was checked above
        raise InputError([Issue(Cell(table.path), "answers", str(error))]) from None
    skipped.sort()
    return Imported(answers, table.path, table.rows_read, tuple(skipped), tuple(warnings))


def _not_asked(respondent: dict[str, Any], questionnaire: Questionnaire) -> list[str]:
    """The questions ``respondent`` answered that the questionnaire does not ask of their role."""
    role = respondent.get("role")
    if role is None:
        return []
    return [qid for qid in respondent["answers"] if not questionnaire.questions[qid].asks(role)]


def _dropped_warning(
    table: Table, question_id: str, rows: list[int], column: Column, questionnaire: Questionnaire
) -> Issue:
    asked = questionnaire.questions[question_id].roles or []
    shown = ", ".join(map(str, rows[:10])) + (", ..." if len(rows) > 10 else "")
    count = len(rows)
    return Issue(
        table.cell(column=column),
        question_id,
        f"{count} answer{'s' if count != 1 else ''} dropped (row{'s' if count != 1 else ''} {shown}): the "
        f"questionnaire asks it of {' and '.join(asked)} partners only (--strict refuses the file instead)",
        "warning",
    )


def _headless(table: Table) -> list[Issue]:
    """Answers in a column without a header would be lost: the first of each such column is a problem."""
    headed = {column.number for column in table.columns}
    found: dict[int, int] = {}
    for row in table.rows:
        for number, cell in enumerate(row.cells, 1):
            if number not in headed and number not in found and cell.strip():
                found[number] = row.number
    return [
        Issue(Cell(table.path, row, number), "column", "holds an answer but the column has no header; head it")
        for number, row in found.items()
    ]


def _header_issues(table: Table, targets: list[Target]) -> list[Issue]:
    issues = []
    first: dict[str, Column] = {}
    for target in targets:
        where = table.cell(column=target.column)
        if target.target is None:
            issues.append(
                Issue(where, "header", f"not a question of the questionnaire, nor a known column{target.hint}")
            )
        elif target.target in first and target.target not in (IGNORE, SUBMISSION, TIME, EMAIL):
            other = first[target.target]
            issues.append(Issue(where, target.target, f"a second column for it (column {_letter(other)} is the first)"))
        else:
            first.setdefault(target.target, target.column)
    return issues


def _letter(column: Column) -> str:
    return column_letter(column.number)


def _respondent(
    table: Table,
    row: Row,
    by_field: dict[str, list[Column]],
    questions: list[tuple[str, Column]],
    questionnaire: Questionnaire,
    keep_names: bool,
) -> tuple[dict[str, Any], list[Issue]]:
    issues: list[Issue] = []
    respondent: dict[str, Any] = {"id": f"row{row.number}"}
    if keep_names:
        name = _name(row, by_field)
        if name:
            respondent["name"] = name
    for column in by_field.get(ORGANISATION, [])[:1]:
        organisation = " ".join(row.get(column).split())
        if organisation:
            respondent["organisation"] = organisation
        else:
            issues.append(Issue(table.cell(row.number, column), ORGANISATION, "missing: every respondent names one"))
    for column in by_field.get(ROLE, [])[:1]:
        text = row.get(column)
        role = ROLE_TEXTS.get(normalise(text))
        if role:
            respondent["role"] = role
        elif not text:
            issues.append(Issue(table.cell(row.number, column), ROLE, "missing: every respondent needs a role"))
        else:
            choices = ", ".join(f"{label} ({role})" for role, label in ROLE_LABELS.items())
            issues.append(Issue(table.cell(row.number, column), ROLE, f"'{text}' is not a role (one of {choices})"))
    answers: dict[str, Any] = {}
    for question_id, column in questions:
        value, problem = read_value(questionnaire.questions[question_id], row.get(column), questionnaire)
        if problem:
            issues.append(Issue(table.cell(row.number, column), question_id, problem))
        elif value is not None:
            answers[question_id] = value
    respondent["answers"] = answers
    return respondent, issues


def _name(row: Row, by_field: dict[str, list[Column]]) -> str:
    parts = [row.get(c) for field in (FIRST_NAME, LAST_NAME) for c in by_field.get(field, [])[:1]]
    for column in by_field.get(NAME, [])[:1]:
        parts = [row.get(column)]
    name = " ".join(part for part in parts if part)
    if name.casefold() in _ANONYMOUS:
        emails = [row.get(column) for column in by_field.get(EMAIL, [])[:1]]
        name = next((email for email in emails if email.casefold() not in _ANONYMOUS), "")
    return name


def _duplicates(
    table: Table,
    row: Row,
    by_field: dict[str, list[Column]],
    respondent: dict[str, Any],
    questions: list[tuple[str, Column]],
    seen: dict[tuple[str, str], int],
) -> list[Issue]:
    """The same submission twice: the same submission id, person, or row of answers."""
    organisation = normalise(respondent.get("organisation", ""))
    keys: list[tuple[tuple[str, str], Column | None, str]] = []
    for column in by_field.get(SUBMISSION, []):
        if row.get(column):
            keys.append((("id " + column.shown, row.get(column)), column, f"the same {column.shown}"))
    for field in (NAME, EMAIL):
        for column in by_field.get(field, [])[:1]:
            who = normalise(row.get(column))
            if who and who not in _ANONYMOUS and organisation:
                keys.append(((field, f"{who}|{organisation}"), column, f"the same {field} and organisation"))
    answers = tuple((qid, row.get(column)) for qid, column in questions)
    if any(value for _, value in answers):
        content = repr((organisation, respondent.get("role"), answers))
        keys.append((("content", content), None, "the same organisation, role and answers"))
    issues = []
    for key, at, why in keys:
        if key in seen:
            where = table.cell(row.number, at) if at else Cell(table.path, row.number)
            issues.append(Issue(where, "submission", f"duplicate of row {seen[key]} ({why}); remove one of them"))
            break
    for key, _, _ in keys:
        seen.setdefault(key, row.number)
    return issues


def _engine_issues(
    table: Table,
    data: dict[str, Any],
    questionnaire: Questionnaire,
    rows_of: dict[str, Row],
    columns: dict[str, Column],
) -> list[Issue]:
    """The engine's own checks of the answers (e.g. a question a role is not asked), located in the sheet."""
    issues = []
    for issue in check_answers(Document(table.path, data, None), questionnaire):
        match = re.match(r"respondent '(row\d+)'(?:: (\S+))?$", issue.subject)
        row = rows_of.get(match[1]) if match else None
        column = columns.get(match[2]) if match and match[2] else None
        where = table.cell(row.number, column) if row and column else Cell(table.path, row.number if row else None)
        issues.append(Issue(where, (match[2] or "respondent") if match else issue.subject, issue.message))
    return issues


def answers_yaml(answers: Answers, source: str) -> str:
    """The answers file ``assess`` reads, with a note of where it came from."""
    data = answers.model_dump(mode="json", exclude_none=True)
    header = (
        f"# Imported from {source} by partnership-health import.\n"
        "# Each respondent's id is the row of the export it came from.\n"
    )
    return header + str(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100))

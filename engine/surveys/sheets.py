"""A round's raw responses as the spreadsheet people want: CSV or XLSX, one row per respondent.

The columns are the plain sheet ``import`` reads back (``id``, ``organisation``, ``role``,
then each question id), the values as stored (1-5, yes/no, numbers, choice ids,
``dont_know``, text). No cell can run as a formula: in the CSV a cell that starts with
= + - @ or a tab gets a ' in front (OWASP's advice on CSV injection); in the XLSX every
text is written as text, never as a formula.
"""

from __future__ import annotations

import csv
import io
import re

from ..models import Answers, Questionnaire

FORMATS = ("yaml", "csv", "xlsx")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")


def response_rows(answers: Answers, questionnaire: Questionnaire | None = None) -> list[list[str | int | float]]:
    """A header row, then one row per respondent; questions in the questionnaire's order (else as first met)."""
    ids: list[str] = list(questionnaire.questions) if questionnaire else []
    for person in answers.respondents:
        ids += [qid for qid in person.answers if qid not in ids]
    rows: list[list[str | int | float]] = [["id", "organisation", "role", *ids]]
    for person in answers.respondents:
        values = [_value(person.answers.get(qid)) for qid in ids]
        rows.append([person.id, person.organisation, person.role, *values])
    return rows


def _value(value: object) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return value
    return str(value)


def safe_cell(value: str | int | float) -> str:
    """The text of a CSV cell a spreadsheet will not run as a formula."""
    text = str(value)
    if isinstance(value, (int, float)) or _NUMBER.match(text):
        return text
    return "'" + text if text.startswith(_FORMULA_START) else text


def rows_csv(rows: list[list[str | int | float]]) -> str:
    """The rows as CSV (UTF-8 with a byte order mark, so that Excel reads the accents), formula-safe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return "\ufeff" + out.getvalue()


def rows_xlsx(rows: list[list[str | int | float]], title: str = "Responses") -> bytes:
    """The rows as one sheet of an XLSX workbook; every text cell is text, never a formula."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # '=HYPERLINK(...)' stays the text it is
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

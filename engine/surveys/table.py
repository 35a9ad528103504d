"""Read a survey tool's export (CSV or XLSX) into a table of text cells, keeping row numbers.

Every cell is text as a person would read it in a spreadsheet; rows are numbered as a
spreadsheet numbers them (the first header row is row 1), so problems can be reported
as ``export.csv:row 4, column C (Role)``.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field
from pathlib import Path

from ..core.reader import read_bytes
from ..errors import InputError, Issue, SourceLocation, shorten
from . import SUFFIXES

# Answers to the columns SurveyMonkey puts in its second header row over a question
# that has one answer column (its first row holds the question's text).
_SURVEYMONKEY_SINGLE = {"response", "open-ended response", "open ended response", ""}
_SURVEYMONKEY_MARKERS = {"respondent id", "collector id"}


@dataclass(frozen=True)
class Cell(SourceLocation):
    """A place in a sheet, printed spreadsheet-style: ``export.csv:row 4, column C (Role)``."""

    header: str = field(default="", compare=False)

    def __str__(self) -> str:
        if self.line is None:
            return self.path
        text = f"{self.path}:row {self.line}"
        if self.column is not None:
            text += f", column {column_letter(self.column)}"
            if self.header:
                text += f" ({shorten(' '.join(self.header.split()), quote=False, width=47)})"
        return text


@dataclass(frozen=True)
class Column:
    """One column: its number (1 = A), the header as shown, and the header texts to match."""

    number: int
    shown: str
    candidates: tuple[str, ...]


@dataclass(frozen=True)
class Row:
    number: int
    cells: tuple[str, ...]

    def get(self, column: Column) -> str:
        index = column.number - 1
        return self.cells[index].strip() if index < len(self.cells) else ""


@dataclass(frozen=True)
class Table:
    path: str
    columns: tuple[Column, ...]
    header_rows: int
    rows: tuple[Row, ...]

    def cell(self, row: int | None = None, column: Column | None = None) -> Cell:
        return Cell(
            self.path,
            row if row is not None else self.header_rows,
            column.number if column else None,
            header=column.shown if column else "",
        )


def column_letter(number: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def read_table(path: Path | str, *, legacy_encoding: str | None = None) -> Table:
    """Read ``path`` (CSV with any of , ; or tab as separator, or the first sheet of an XLSX).

    ``legacy_encoding``: what a CSV that is not UTF-8 is read as instead of refused
    (``cp1252``: what Excel's "CSV (Comma delimited)" writes on Windows).
    """
    shown = str(path)
    file = Path(path)
    if not file.exists():
        raise InputError([Issue(Cell(shown), "file", "no such file")])
    if file.suffix.lower() not in SUFFIXES:
        raise InputError(
            [Issue(Cell(shown), "file", f"is not a survey export (expected one of {', '.join(SUFFIXES)})")]
        )
    data, problems = read_bytes(file)  # a regular file of bounded size, like every input
    if data is None:
        raise InputError(problems)
    try:
        grid = _read_xlsx(data) if file.suffix.lower() in (".xlsx", ".xlsm") else _read_csv(data, legacy_encoding)
    except (OSError, UnicodeDecodeError, csv.Error, ValueError, KeyError) as error:
        raise InputError([Issue(Cell(shown), "file", f"cannot be read ({error})")]) from None
    while grid and not any(cell.strip() for cell in grid[-1]):
        grid.pop()
    if not grid:
        raise InputError([Issue(Cell(shown), "file", "is empty")])
    return _table(shown, grid)


def _read_csv(data: bytes, legacy_encoding: str | None = None) -> list[list[str]]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")  # Excel's "Unicode text" export
    else:
        try:
            text = data.decode("utf-8-sig")  # drops the byte order mark many tools write
        except UnicodeDecodeError:
            if not legacy_encoding:
                raise
            text = data.decode(legacy_encoding)
    text = text.lstrip("\ufeff")
    return [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=_separator(text))]


def _separator(text: str) -> str:
    """The separator of the header line: the most frequent of , ; and tab outside quotes."""
    counts = {",": 0, ";": 0, "\t": 0}
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif char == "\n" and not quoted:
            break
        elif char in counts and not quoted:
            counts[char] += 1
    return max(counts, key=lambda sep: (counts[sep], sep == ","))


def _read_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        return [[_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ")
    return str(value)


def _table(path: str, grid: list[list[str]]) -> Table:
    first = [cell.strip() for cell in grid[0]]
    if _is_surveymonkey(first) and len(grid) > 1:
        columns = _surveymonkey_columns(first, [cell.strip() for cell in grid[1]])
        header_rows = 2
    else:
        columns = tuple(Column(n, text, _candidates(text)) for n, text in enumerate(first, 1) if text)
        header_rows = 1
    rows = tuple(
        Row(number, tuple(cells))
        for number, cells in enumerate(grid[header_rows:], header_rows + 1)
        if any(cell.strip() for cell in cells)
    )
    return Table(path, columns, header_rows, rows)


def _is_surveymonkey(first: list[str]) -> bool:
    return _SURVEYMONKEY_MARKERS <= {cell.casefold() for cell in first}


def _surveymonkey_columns(first: list[str], second: list[str]) -> tuple[Column, ...]:
    """SurveyMonkey: the question's text over its first column, each column's option or row below.

    A question with one answer column has "Response" (or "Open-Ended Response") below it;
    a matrix has its title once and the row labels (our statements) below each column.
    """
    columns = []
    title = ""
    for number in range(1, max(len(first), len(second)) + 1):
        top = first[number - 1] if number <= len(first) else ""
        below = second[number - 1] if number <= len(second) else ""
        title = top or title
        if not top and not below:
            continue
        if below.casefold() in _SURVEYMONKEY_SINGLE:
            columns.append(Column(number, title, (title,)))
        else:
            columns.append(Column(number, f"{title} / {below}", (below, f"{title} [{below}]")))
    return tuple(columns)


def _candidates(header: str) -> tuple[str, ...]:
    """The texts a header may match: itself, and the row of a grid question ``Title [Row]``."""
    text = header.strip()
    if text.endswith("]") and "[" in text:
        inner = text[text.rindex("[") + 1 : -1].strip()
        return (text, inner)
    return (text,)

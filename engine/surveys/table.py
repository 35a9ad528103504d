"""Read a survey tool's export (CSV or XLSX) into a table of text cells, keeping row numbers.

Every cell is text as a person would read it in a spreadsheet; rows are numbered as a
spreadsheet numbers them (the first header row is row 1), so problems can be reported
as ``export.csv:row 4, column C (Role)``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from ..core.reader import read_bytes
from ..errors import CONTROL, InputError, Issue, SourceLocation, control_name, shorten
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
    skipped: tuple[tuple[int, str], ...] = ()  # rows below the header not read, with the reason
    rows_read: int = 0  # every row below the header, up to the last that holds anything

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


# --- limits: an export of one partnership's survey is small; a hostile file must stay cheap ---
MAX_ROWS = 2_000  # rows of submissions (the answers file they make must stay under assess's size cap)
MAX_COLUMNS = 500  # columns a sheet may use
MAX_CELL = 32_767  # characters in a cell: Excel's own limit
# (an XLSX's unpacked size, its parts and its shared strings are capped in .xlsx)


class _Refused(Exception):
    """One problem that stops reading the file, at a row and column of it (or the whole file)."""

    def __init__(self, message: str, row: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.message, self.row, self.column = message, row, column


def read_table(path: Path | str, *, legacy_encoding: str | None = None) -> Table:
    """Read ``path`` (CSV with any of , ; or tab as separator, or the first sheet of an XLSX).

    ``legacy_encoding``: what a CSV that is not UTF-8 is read as instead of refused
    (``cp1252``: what Excel's "CSV (Comma delimited)" writes on Windows). Every limit
    (rows, columns, cell length, an XLSX's unpacked size and shared strings) is applied
    while reading, before anything large is held; every problem with the file itself
    (its encoding, a quote left open, a damaged workbook) is one located issue.
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
    return read_table_data(data, shown, xlsx=file.suffix.lower() in (".xlsx", ".xlsm"), legacy_encoding=legacy_encoding)


def read_table_data(data: bytes, shown: str, *, xlsx: bool = False, legacy_encoding: str | None = None) -> Table:
    """Read a CSV (or, with ``xlsx``, a workbook) already in memory, as :func:`read_table` reads a file.

    ``shown``: what the problems name as the file (say, "the pasted list").
    """
    try:
        if xlsx:
            grid = _read_xlsx(data)
        else:
            grid = _read_csv(data, legacy_encoding)
    except _Refused as refused:
        raise InputError([Issue(Cell(shown, refused.row, refused.column), "file", refused.message)]) from None
    except _Located as located:
        raise InputError(
            [Issue(SourceLocation(shown, located.line, located.column), "file", located.message)]
        ) from None
    except (ValueError, KeyError, IndexError, OverflowError, TypeError, RecursionError) as error:
        # a guard: a workbook malformed in a way no check above foresaw is still one line, not a traceback
        message = f"cannot be read ({shorten(str(error), quote=False)}); save it again as .xlsx or .csv"
        raise InputError([Issue(Cell(shown), "file", message)]) from None
    while grid and not any(cell.strip() for cell in grid[-1]):
        grid.pop()
    if not grid:
        raise InputError([Issue(Cell(shown), "file", "is empty")])
    return _table(shown, grid)


class _Located(Exception):
    """A problem at a line and column of a text file (its encoding), not a row of the sheet."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),  # Excel's "Unicode text" export
    (b"\xfe\xff", "utf-16-be"),
)


def _encoding(data: bytes) -> tuple[str, int] | None:
    """The encoding a byte order mark (or the pattern of zero bytes) shows, and the BOM's length."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, len(bom)
    sample = data[:4000]
    if b"\x00" not in sample:
        return None
    size = len(sample) - len(sample) % 4
    zeros = [sample[i:size:4].count(0) for i in range(4)]
    quarter = max(size // 4, 1)
    if zeros[1] == zeros[2] == zeros[3] == quarter and zeros[0] < quarter:
        return "utf-32-le", 0
    if zeros[0] == zeros[1] == zeros[2] == quarter and zeros[3] < quarter:
        return "utf-32-be", 0
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd > len(sample) // 4 and even < odd // 4:
        return "utf-16-le", 0
    if even > len(sample) // 4 and odd < even // 4:
        return "utf-16-be", 0
    return None


def _decode_csv(data: bytes, legacy_encoding: str | None) -> str:
    found = _encoding(data)
    encoding, skip = found or ("utf-8", 0)
    try:
        text = data[skip:].decode(encoding)
    except UnicodeDecodeError as error:
        if not found and legacy_encoding:
            return data.decode(legacy_encoding, errors="replace")
        before = data[skip : skip + error.start].decode(encoding, errors="replace")
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        saved = "UTF-8" if encoding == "utf-8" else encoding.upper()
        raise _Located(
            f"is not {saved} text (byte 0x{data[skip + error.start]:02x}); save it as CSV UTF-8", line, column
        ) from None
    return text.lstrip("\ufeff")


def _read_csv(data: bytes, legacy_encoding: str | None = None) -> list[list[str]]:
    """Every record of a CSV; a quote left open, a row too long or too many rows is refused, located."""
    text = _decode_csv(data, legacy_encoding)
    separator = _separator(text)
    csv.field_size_limit(max(csv.field_size_limit(), 20_000_000))  # cells are measured below, located
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    grid: list[list[str]] = []
    width = 0
    line = 0
    try:
        for record in reader:
            number = len(grid) + 1
            start, line = line + 1, reader.line_num
            if len(grid) > MAX_ROWS + 2 and any(cell.strip() for cell in record):
                raise _Refused(f"more than {MAX_ROWS:,} rows of submissions; import at most {MAX_ROWS:,}", number)
            if number == 1:
                width = len(record)
            elif line > start:
                _swallowed(record, separator, width, number)
            if len(record) > MAX_COLUMNS and any(cell.strip() for cell in record[MAX_COLUMNS:]):
                raise _Refused(f"more than {MAX_COLUMNS} columns", number, MAX_COLUMNS + 1)
            if number > 1 and len(record) > width and any(cell.strip() for cell in record[width:]):
                raise _Refused(
                    f"has {len(record)} cells, more than the {width} headers: a separator or a quote is out of place",
                    number,
                    width + 1,
                )
            grid.append(record)
    except csv.Error as error:
        number = len(grid) + 1
        if "unexpected end of data" in str(error):
            raise _Refused(
                f"a quote opened in this row (line {line + 1} of the file) is never closed; "
                "close it, or remove the stray quote",
                number,
            ) from None
        lines = text.splitlines()
        at = reader.line_num
        column = _quote_column(lines[at - 1], separator) if at == line + 1 and at <= len(lines) else None
        raise _Refused(
            f'a quote (") is out of place on line {at} of the file: a cell with a quote in it must be quoted '
            'whole, with the quote doubled ("like ""this""")',
            number,
            column,
        ) from None
    return [[_clean_csv_cell(cell) for cell in row] for row in grid]


def _quote_column(line: str, separator: str) -> int | None:
    """The column (from 1) of the first quote out of place on a one-line record, or None if none is found."""
    column, quoted, start, i = 1, False, True, 0
    while i < len(line):
        char = line[i]
        if quoted:
            if char == '"':
                if line[i + 1 : i + 2] == '"':
                    i += 2
                    continue
                quoted = False
                if i + 1 < len(line) and line[i + 1] != separator:
                    return column
        elif char == '"':
            if not start:
                return column
            quoted = True
        elif char == separator:
            column += 1
            start = True
            i += 1
            continue
        start = False
        i += 1
    return None


def _swallowed(record: list[str], separator: str, width: int, number: int) -> None:
    """Refuse a quoted cell whose lines look like whole rows: a quote left open, closed rows later.

    A line looks like a row when it has a separator for every header (and at least three):
    a comment's own lines with a comma or two in a narrow sheet are answers, not rows.
    """
    needed = max(width - 1, 3)
    for index, cell in enumerate(record, 1):
        lines = cell.split("\n")[1:]
        if any(part.count(separator) >= needed for part in lines):
            raise _Refused(
                f"a quote opened in this cell runs over {len(lines)} more lines that look like rows of their "
                "own; close the quote where the answer ends",
                number,
                index,
            )


def _clean_csv_cell(cell: str) -> str:
    return cell.replace("\r\n", "\n") if "\r" in cell else cell


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
    from .xlsx import read_first_sheet

    return read_first_sheet(data, refused=_Refused, max_rows=MAX_ROWS + 2, max_columns=MAX_COLUMNS, max_cell=MAX_CELL)


def _table(path: str, grid: list[list[str]]) -> Table:
    _check_cells(path, grid)
    first = [cell.strip() for cell in grid[0]]
    if _is_surveymonkey(first) and len(grid) > 1:
        columns = _surveymonkey_columns(first, [cell.strip() for cell in grid[1]])
        header_rows = 2
    else:
        columns = tuple(Column(n, text, _candidates(text)) for n, text in enumerate(first, 1) if text)
        header_rows = 1
    rows = []
    skipped = []
    for number, cells in enumerate(grid[header_rows:], header_rows + 1):
        if any(cell.strip() for cell in cells):
            rows.append(Row(number, tuple(cells)))
        else:
            skipped.append((number, "blank"))
    return Table(path, columns, header_rows, tuple(rows), tuple(skipped), max(len(grid) - header_rows, 0))


def _check_cells(path: str, grid: list[list[str]]) -> None:
    """Every cell: no longer than Excel allows, no control character (each problem located)."""
    issues: list[Issue] = []
    for number, cells in enumerate(grid, 1):
        for column, cell in enumerate(cells, 1):
            if len(cell) > MAX_CELL:
                issues.append(
                    Issue(Cell(path, number, column), "cell", f"holds {len(cell):,} characters, more than {MAX_CELL:,}")
                )
            found = CONTROL.search(cell)
            if found:
                issues.append(
                    Issue(
                        Cell(path, number, column),
                        "cell",
                        f"control character {control_name(found.group())} is not allowed; remove it",
                    )
                )
            if len(issues) >= 20:
                raise InputError(issues)
    if issues:
        raise InputError(issues)


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

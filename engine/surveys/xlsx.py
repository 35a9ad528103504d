"""The first sheet of an XLSX workbook as rows of text, read as a stream within fixed limits.

A workbook is a zip of XML parts. Before a part is parsed its unpacked size is checked
(the sizes a zip declares bound what :mod:`zipfile` unpacks); the sheet is parsed one
row at a time and dropped as it goes, the shared strings are counted as they come, and a
row or column past the limits stops the reading at once. A damaged zip, broken XML, a
formula without a saved value or a date Excel cannot hold is one problem, located.
"""

from __future__ import annotations

import datetime
import io
import math
import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from typing import IO, Any
from xml.etree import ElementTree

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CELL_REF = re.compile(r"^([A-Z]{1,3})(\d{1,7})$")
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")  # how OOXML writes a character XML cannot hold
# Excel's built-in number formats that show dates and times (ECMA-376, 18.8.30).
_BUILTIN_DATES = {14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 30, 36, 45, 46, 47, 50, 57}
_DATE_CODE = re.compile(r"(?<![\\\"])[dmyhs]", re.I)

Refuse = Callable[..., Exception]
MAX_UNPACKED = 50_000_000  # bytes an XLSX may unpack to, all parts together
MAX_PART = 40_000_000  # bytes one part of an XLSX (a sheet) may unpack to
MAX_SHARED_STRINGS = 300_000  # distinct texts in an XLSX's shared-strings table


class _Limits:
    def __init__(self, refused: Refuse, max_rows: int, max_columns: int) -> None:
        self.refused, self.max_rows, self.max_columns = refused, max_rows, max_columns


def read_first_sheet(
    data: bytes, *, refused: Refuse, max_rows: int, max_columns: int, max_cell: int
) -> list[list[str]]:
    """The cells of the workbook's first sheet as text, row by row (row 1 first, gaps as empty rows)."""
    limits = _Limits(refused, max_rows, max_columns)
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise refused(
            "is not an XLSX workbook (not a zip archive; an old .xls, a password-protected workbook or a CSV "
            "renamed .xlsx?); save it again as .xlsx or .csv"
        ) from None
    with book:
        infos = book.infolist()
        unpacked = sum(info.file_size for info in infos)
        if len(infos) > 10_000 or unpacked > MAX_UNPACKED:
            raise refused(
                f"unpacks to {unpacked / 1e6:,.0f} MB in {len(infos):,} parts, more than the "
                f"{MAX_UNPACKED / 1e6:g} MB a survey export needs (a zip bomb?)"
            )
        sizes = {info.filename: info.file_size for info in infos}
        try:
            return _read(book, sizes, limits, MAX_PART, MAX_SHARED_STRINGS, max_cell)
        except ElementTree.ParseError as error:
            line, column = getattr(error, "position", (0, 0))
            raise refused(
                f"is damaged: broken XML in one of its parts (line {line}, column {column}); "
                "open it in Excel or LibreOffice and save it again"
            ) from None
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, OSError) as error:
            raise refused(f"is damaged ({error}); open it in Excel or LibreOffice and save it again") from None


def _read(
    book: zipfile.ZipFile, sizes: dict[str, int], limits: _Limits, max_part: int, max_strings: int, max_cell: int
) -> list[list[str]]:
    refused = limits.refused

    def part(name: str, cap: int) -> IO[bytes]:
        if name not in sizes:
            raise refused(f"is not an XLSX workbook (it has no part '{name}'); save it again as .xlsx")
        if sizes[name] > cap:
            raise refused(
                f"has a part ({name}) that unpacks to {sizes[name] / 1e6:,.0f} MB, more than {cap / 1e6:g} MB"
            )
        return book.open(name)

    workbook = _workbook_path(book, sizes, part)
    folder = posixpath.dirname(workbook)
    rels = _relations(part, posixpath.join(folder, "_rels", posixpath.basename(workbook) + ".rels"), sizes)
    root = _parse_small(part(workbook, 2_000_000))
    date1904 = any(el.get("date1904") in ("1", "true") for el in root.iter(f"{{{_MAIN}}}workbookPr"))
    sheet = next(root.iter(f"{{{_MAIN}}}sheet"), None)
    if sheet is None:
        raise refused("has no sheet")
    target = rels.get(sheet.get(f"{{{_REL}}}id", ""), ("", ""))[0]
    sheet_path = _resolve(folder, target or "worksheets/sheet1.xml")
    strings_target = next((t for t, kind in rels.values() if kind.endswith("/sharedStrings")), None)
    styles_target = next((t for t, kind in rels.values() if kind.endswith("/styles")), None)
    strings: list[str] = []
    if strings_target and _resolve(folder, strings_target) in sizes:
        strings = _shared_strings(part(_resolve(folder, strings_target), 16_000_000), max_strings, refused)
    dates: list[bool] = []
    if styles_target and _resolve(folder, styles_target) in sizes:
        dates = _date_styles(part(_resolve(folder, styles_target), 2_000_000))
    epoch = datetime.datetime(1904, 1, 1) if date1904 else None
    return _sheet(part(sheet_path, max_part), strings, dates, epoch, limits, max_cell)


def _workbook_path(book: zipfile.ZipFile, sizes: dict[str, int], part: Callable[[str, int], IO[bytes]]) -> str:
    if "_rels/.rels" in sizes:
        for target, kind in _relations(part, "_rels/.rels", sizes).values():
            if kind.endswith("/officeDocument"):
                return _resolve("", target)
    return "xl/workbook.xml"


def _relations(part: Callable[[str, int], IO[bytes]], name: str, sizes: dict[str, int]) -> dict[str, tuple[str, str]]:
    if name not in sizes:
        return {}
    root = _parse_small(part(name, 2_000_000))
    return {
        el.get("Id", ""): (el.get("Target", ""), el.get("Type", ""))
        for el in root.iter(f"{{{_PACKAGE_REL}}}Relationship")
    }


def _resolve(folder: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(folder, target))


def _parse_small(stream: IO[bytes]) -> ElementTree.Element:
    with stream:
        data = stream.read()
    _no_dtd(data[:4096])
    return ElementTree.fromstring(data)


def _no_dtd(head: bytes) -> None:
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise ElementTree.ParseError("a document type declaration is not allowed")


def _events(stream: IO[bytes]) -> Iterator[tuple[str, ElementTree.Element]]:
    """``start``/``end`` events as a stream is parsed, 64 KB at a time (no DTD allowed)."""
    parser: Any = ElementTree.XMLPullParser(events=("start", "end"))
    first = True
    with stream:
        while True:
            chunk = stream.read(65_536)
            if not chunk:
                break
            if first:
                _no_dtd(chunk)
                first = False
            parser.feed(chunk)
            yield from parser.read_events()
        parser.close()
        yield from parser.read_events()


def _unescape(text: str) -> str:
    return _ESCAPED.sub(lambda m: chr(int(m[1], 16)), text) if "_x" in text else text


def _shared_strings(stream: IO[bytes], max_strings: int, refused: Refuse) -> list[str]:
    strings: list[str] = []
    texts: list[str] = []
    phonetic = 0
    table: Any = None
    for event, element in _events(stream):
        tag = element.tag.rpartition("}")[2]
        if event == "start" and tag == "sst":
            table = element
        elif tag == "rPh":
            phonetic += 1 if event == "start" else -1
        elif event == "end" and tag == "t" and not phonetic:
            texts.append(element.text or "")
        elif event == "end" and tag == "si":
            strings.append(_unescape("".join(texts)))
            texts = []
            if table is not None:
                table.clear()  # the texts read so far are kept in ``strings``
            if len(strings) > max_strings:
                raise refused(f"has more than {max_strings:,} distinct texts in its shared-strings table")
    return strings


def _date_styles(stream: IO[bytes]) -> list[bool]:
    root = _parse_small(stream)
    codes = {int(el.get("numFmtId", "0")): el.get("formatCode", "") for el in root.iter(f"{{{_MAIN}}}numFmt")}
    dates = []
    for xfs in root.iter(f"{{{_MAIN}}}cellXfs"):
        for xf in xfs.iter(f"{{{_MAIN}}}xf"):
            number = int(xf.get("numFmtId", "0") or 0)
            code = re.sub(r"\[[^\]]*\]|\"[^\"]*\"", "", codes.get(number, ""))
            dates.append(number in _BUILTIN_DATES or bool(code and _DATE_CODE.search(code)))
    return dates


def _column_number(letters: str) -> int:
    number = 0
    for char in letters:
        number = number * 26 + ord(char) - 64
    return number


def _sheet(
    stream: IO[bytes],
    strings: list[str],
    dates: list[bool],
    epoch: datetime.datetime | None,
    limits: _Limits,
    max_cell: int,
) -> list[list[str]]:
    refused = limits.refused
    rows: dict[int, list[str]] = {}
    row_number = column = cells_in_row = 0
    data: Any = None
    for event, element in _events(stream):
        tag = element.tag.rpartition("}")[2]
        if event == "start":
            if tag == "sheetData":
                data = element
            elif tag == "row":
                given = element.get("r")
                row_number = int(given) if given and given.isdigit() else row_number + 1
                column = cells_in_row = 0
            continue
        if tag == "c":
            ref = _CELL_REF.match(element.get("r", ""))
            column = _column_number(ref[1]) if ref else column + 1
            if ref:
                row_number = int(ref[2])
            cells_in_row += 1
            if cells_in_row > limits.max_columns:
                raise refused(f"more than {limits.max_columns} columns", row_number, column)
            text = _cell_text(element, strings, dates, epoch, refused, row_number, column)
            element.clear()
            if not text:
                continue
            if len(text) > max_cell:
                raise refused(f"holds {len(text):,} characters, more than {max_cell:,}", row_number, column)
            if row_number > limits.max_rows:
                raise refused(f"more than {limits.max_rows - 2:,} rows of submissions", row_number)
            if column > limits.max_columns:
                raise refused(f"more than {limits.max_columns} columns", row_number, column)
            cells = rows.setdefault(row_number, [])
            if len(cells) < column:
                cells.extend([""] * (column - len(cells)))
            cells[column - 1] = text
        elif tag == "row" and data is not None:
            data.clear()  # the rows read so far: their text is kept in ``rows``
    last = max(rows, default=0)
    return [rows.get(number, []) for number in range(1, last + 1)]


def _cell_text(
    element: ElementTree.Element,
    strings: list[str],
    dates: list[bool],
    epoch: datetime.datetime | None,
    refused: Refuse,
    row: int,
    column: int,
) -> str:
    kind = element.get("t", "n")
    value = formula = None
    inline: list[str] = []
    for child in element:
        tag = child.tag.rpartition("}")[2]
        if tag == "v":
            value = child.text or ""
        elif tag == "f":
            formula = child.text or ""
        elif tag == "is":
            inline += [t.text or "" for t in child.iter() if t.tag.rpartition("}")[2] == "t"]
    if kind == "inlineStr":
        return _unescape("".join(inline))
    if value is None or (formula is not None and value == "" and kind != "str"):
        if formula is not None:
            raise refused(
                "holds a formula with no saved value (the file was not saved by a spreadsheet program); "
                "open it in Excel or LibreOffice and save it, or paste the values",
                row,
                column,
            )
        return ""
    if kind == "s":
        if not value.strip().isdigit() or int(value) >= len(strings):
            raise refused("refers to a shared text the workbook does not have; save it again", row, column)
        return strings[int(value)]
    if kind == "e":
        raise refused(f"holds the spreadsheet error {value[:20]}; correct the formula or clear the cell", row, column)
    if kind in ("str", "d"):
        return _unescape(value)
    if kind == "b":
        return "Yes" if value.strip() in ("1", "true") else "No"
    return _number(value, _is_date(element, dates), epoch, refused, row, column)


def _is_date(element: ElementTree.Element, dates: list[bool]) -> bool:
    style = element.get("s", "0")
    return style.isdigit() and int(style) < len(dates) and dates[int(style)]


def _number(value: str, is_date: bool, epoch: datetime.datetime | None, refused: Refuse, row: int, column: int) -> str:
    text = value.strip()
    if re.fullmatch(r"-?\d{1,15}", text) and not is_date:
        return text
    try:
        number = float(text)
    except ValueError:
        raise refused(f"holds '{text[:40]}' where the workbook says a number is", row, column) from None
    if not math.isfinite(number) or abs(number) >= 1e15:
        if re.fullmatch(r"-?\d+", text):
            return text  # a long row of digits, as typed (a phone number, an id): the answer's check decides
        raise refused("holds a number too large to read", row, column)
    if is_date:
        from openpyxl.utils.datetime import from_excel

        try:
            moment = from_excel(number, epoch) if epoch else from_excel(number)
        except (OverflowError, ValueError):
            raise refused(f"holds {text} as a date, which no calendar has", row, column) from None
        if isinstance(moment, datetime.datetime):
            return moment.replace(microsecond=0).isoformat(sep=" ")
        return moment.isoformat() if isinstance(moment, (datetime.date, datetime.time)) else str(moment)
    return str(int(number)) if number.is_integer() else repr(number)

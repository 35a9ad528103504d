"""Hostile survey exports: each is imported or refused with one located line, within 256 MB and a time limit.

Every file is made here (the zip bombs too) and imported by ``tests/hostile_worker.py``
in a subprocess whose address space is capped at 256 MB (RLIMIT_AS) and whose run is
timed. Exit 0 must come with "N rows read, N respondents, N rows skipped" that add up;
exit 1 with exactly one problem, located in the file; never a traceback.
"""

from __future__ import annotations

import codecs
import io
import json
import os
import re
import resource
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

import partnership_health as ph

MEMORY = 256 * 1024 * 1024
SECONDS_EACH = 20
SUMMARY = re.compile(r": (\d+) rows? read, (\d+) respondents?, (\d+) rows? skipped")


def _ids() -> dict[str, str]:
    q = ph.load_questionnaire()

    def first(kind: str) -> str:
        return next(k for k, v in q.questions.items() if v.type == kind and not v.roles)

    restricted = next(k for k, v in q.questions.items() if v.roles and v.type == "scale")
    return {
        "scale": first("scale"),
        "number": first("number"),
        "text": first("text"),
        "restricted": restricted,
    }


IDS = _ids()
HEADER = ["Timestamp", "Organisation", "Role", IDS["scale"], IDS["number"], IDS["text"]]
ROWS = [
    ["2026-03-05 10:00:00", "Riverside Library", "Lead partner", "Agree", "6", "To keep young people safe"],
    ["2026-03-06 10:00:00", "Youth Trust", "Core partner", "4", "6", ""],
    ["2026-03-07 10:00:00", "Parks Team", "Wider partner", "Strongly agree", "", "More play"],
]


def csv_text(rows: list[list[str]] | None = None, header: list[str] | None = None, sep: str = ",") -> str:
    lines = [header or HEADER, *(ROWS if rows is None else rows)]
    return "\r\n".join(sep.join(_quoted(cell, sep) for cell in line) for line in lines) + "\r\n"


def _quoted(cell: str, sep: str) -> str:
    return '"' + cell.replace('"', '""') + '"' if any(c in cell for c in (sep, '"', "\n", "\r")) else cell


def row(**changes: str) -> list[list[str]]:
    """The three rows with one cell of the first changed (by column name)."""
    first = list(ROWS[0])
    for name, value in changes.items():
        first[HEADER.index(IDS.get(name, name))] = value
    return [first, *ROWS[1:]]


# --- XLSX, written by hand so that every part can be made hostile ------------------------

_CT = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="Form1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_BOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
    'Target="sharedStrings.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
    'Target="styles.xml"/></Relationships>'
)
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="22"/></cellXfs></styleSheet>'
)
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _letters(number: int) -> str:
    text = ""
    while number:
        number, rest = divmod(number - 1, 26)
        text = chr(65 + rest) + text
    return text


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def sheet_xml(rows: list[list[str]], cell: Callable[[int, int, str], str] | None = None) -> str:
    def plain(r: int, c: int, value: str) -> str:
        if value.isdigit():
            return f'<c r="{_letters(c)}{r}"><v>{value}</v></c>'
        return f'<c r="{_letters(c)}{r}" t="inlineStr"><is><t>{_escape(value)}</t></is></c>'

    make = cell or plain
    body = "".join(
        f'<row r="{r}">' + "".join(make(r, c, v) for c, v in enumerate(line, 1) if v) + "</row>"
        for r, line in enumerate(rows, 1)
    )
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}"><sheetData>{body}</sheetData></worksheet>'


def xlsx(
    sheet: str | None = None, strings: str | None = None, drop: tuple[str, ...] = (), stored: bool = False
) -> bytes:
    parts = {
        "[Content_Types].xml": _CT,
        "_rels/.rels": _RELS,
        "xl/workbook.xml": _WORKBOOK,
        "xl/_rels/workbook.xml.rels": _BOOK_RELS,
        "xl/styles.xml": _STYLES,
        "xl/worksheets/sheet1.xml": sheet if sheet is not None else sheet_xml([HEADER, *ROWS]),
        "xl/sharedStrings.xml": strings or f'<sst xmlns="{_MAIN}"></sst>',
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED) as book:
        for name, text in parts.items():
            if name not in drop:
                book.writestr(name, text)
    return out.getvalue()


def big_zip(name_bytes: int, part: str = "xl/worksheets/sheet1.xml", unit: bytes = b" " * 65_536) -> bytes:
    """A workbook whose ``part`` unpacks to ``name_bytes`` (made a block at a time, level 9)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as book:
        for name, text in (
            ("_rels/.rels", _RELS),
            ("xl/workbook.xml", _WORKBOOK),
            ("xl/_rels/workbook.xml.rels", _BOOK_RELS),
        ):
            if name != part:
                book.writestr(name, text)
        with book.open(part, "w", force_zip64=True) as stream:
            written = 0
            while written < name_bytes:
                stream.write(unit)
                written += len(unit)
    return out.getvalue()


def many_rows(count: int) -> bytes:
    rows = "".join(f'<row r="{n}"><c r="B{n}" t="inlineStr"><is><t>Org {n}</t></is></c></row>' for n in range(2, count))
    return xlsx(f'<worksheet xmlns="{_MAIN}"><sheetData>{rows}</sheetData></worksheet>')


def shared(count: int) -> bytes:
    items = "".join(f"<si><t>s{n}</t></si>" for n in range(count))
    return xlsx(strings=f'<sst xmlns="{_MAIN}">{items}</sst>')


def with_cell(r: int, c: int, xml: str) -> bytes:
    def make(row: int, column: int, value: str) -> str:
        if (row, column) == (r, c):
            return xml.replace("REF", f"{_letters(column)}{row}")
        return f'<c r="{_letters(column)}{row}" t="inlineStr"><is><t>{_escape(value)}</t></is></c>'

    return xlsx(sheet_xml([HEADER, *ROWS], make))


def encoded(codec: str, bom: bool = False) -> bytes:
    text = csv_text()
    marks = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE, "utf-32-le": codecs.BOM_UTF32_LE}
    marks["utf-32-be"] = codecs.BOM_UTF32_BE
    return (marks[codec] if bom else b"") + text.encode(codec)


def text(value: str) -> bytes:
    return value.encode("utf-8")


OK, NO = 0, 1
# (name, suffix, content, expected exit code, text the one problem line (or the output) must hold)
CASES: list[tuple[str, str, Callable[[], bytes], int, str]] = [
    # --- CSV: quotes, separators, line ends
    ("plain", ".csv", lambda: text(csv_text()), OK, "3 rows read, 3 respondents, 0 rows skipped"),
    (
        "quote-never-closed",
        ".csv",
        lambda: text(csv_text().replace("To keep", '"To keep', 1)),
        NO,
        ":row 2: file: a quote opened in this row",
    ),
    (
        "quote-closed-rows-later",
        ".csv",
        lambda: text(csv_text()[:-2].replace("To keep", '"To keep', 1).replace("More play", 'More play"', 1)),
        NO,
        ":row 2, column F: file: a quote opened in this cell",
    ),
    (
        "quote-in-the-middle",
        ".csv",
        lambda: text(csv_text().replace("Youth Trust", '"Youth" Trust', 1)),
        NO,
        ':row 3, column B: file: a quote (") is out of place on line 3 of the file',
    ),
    ("quote-at-end-of-file", ".csv", lambda: text(csv_text() + '"'), NO, ":row 5: file: a quote opened in this row"),
    ("semicolons", ".csv", lambda: text(csv_text(sep=";")), OK, "3 respondents"),
    ("tabs", ".tsv", lambda: text(csv_text(sep="\t")), OK, "3 respondents"),
    ("lf-only", ".csv", lambda: text(csv_text().replace("\r\n", "\n")), OK, "3 respondents"),
    ("cr-only", ".csv", lambda: text(csv_text().replace("\r\n", "\r")), OK, "3 respondents"),
    (
        "blank-rows",
        ".csv",
        lambda: text(csv_text([ROWS[0], [""] * 6, ROWS[1], [], ROWS[2], [], []])),
        OK,
        "5 rows read, 3 respondents, 2 rows skipped",
    ),
    (
        "whitespace-row",
        ".csv",
        lambda: text(csv_text([ROWS[0], ["  "] * 6, ROWS[1]])),
        OK,
        "3 rows read, 2 respondents, 1 row skipped",
    ),
    (
        "cells-past-the-header",
        ".csv",
        lambda: text(csv_text([ROWS[0] + ["extra"], ROWS[1]])),
        NO,
        ":row 2, column G: file: has 7 cells, more than the 6 headers",
    ),
    (
        "answer-under-no-header",
        ".csv",
        lambda: text(
            csv_text([ROWS[0], ROWS[1]], HEADER + [""]).replace(
                "Youth Trust,Core partner,4,6,\r\n", "Youth Trust,Core partner,4,6,,lost\r\n"
            )
        ),
        NO,
        ":row 3, column G: column: holds an answer but the column has no header",
    ),
    (
        "duplicate-organisation-column",
        ".csv",
        lambda: text(csv_text([r + ["Other org"] for r in ROWS], HEADER + ["Organisation"])),
        NO,
        "column G (Organisation): organisation: a second column for it",
    ),
    ("empty", ".csv", lambda: b"", NO, ": file: is empty"),
    ("only-a-bom", ".csv", lambda: b"\xef\xbb\xbf", NO, ": file: is empty"),
    ("header-only", ".csv", lambda: text(csv_text([])), NO, ":row 1: rows: no submissions below the header"),
    ("blank-lines-only", ".csv", lambda: b"\r\n\r\n\r\n", NO, ": file: is empty"),
    # --- encodings
    ("utf-8-bom", ".csv", lambda: b"\xef\xbb\xbf" + text(csv_text()), OK, "3 respondents"),
    ("utf-16-le-bom", ".csv", lambda: encoded("utf-16-le", bom=True), OK, "3 respondents"),
    ("utf-16-le-no-bom", ".csv", lambda: encoded("utf-16-le"), OK, "3 respondents"),
    ("utf-16-be-no-bom", ".csv", lambda: encoded("utf-16-be"), OK, "3 respondents"),
    ("utf-32-le-bom", ".csv", lambda: encoded("utf-32-le", bom=True), OK, "3 respondents"),
    ("utf-32-be-bom", ".csv", lambda: encoded("utf-32-be", bom=True), OK, "3 respondents"),
    ("utf-32-le-no-bom", ".csv", lambda: encoded("utf-32-le"), OK, "3 respondents"),
    (
        "latin-1",
        ".csv",
        lambda: csv_text(row(Organisation="Bibliothèque")).encode("latin-1"),
        NO,
        ":2:29: file: is not UTF-8 text (byte 0xe8)",
    ),
    ("utf-16-odd-byte", ".csv", lambda: encoded("utf-16-le", bom=True) + b"\x41", NO, ": file: is not UTF-16-LE text"),
    (
        "png-renamed",
        ".csv",
        lambda: b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
        NO,
        ": file: is not UTF-8 text (byte 0x89)",
    ),
    (
        "nul-in-a-cell",
        ".csv",
        lambda: text(csv_text(row(Organisation="Riverside\x00Library"))),
        NO,
        ":row 2, column B: cell: control character U+0000 (NUL)",
    ),
    # --- control characters
    (
        "esc-in-a-cell",
        ".csv",
        lambda: text(csv_text(row(text="\x1b]0;owned\x07"))),
        NO,
        ":row 2, column F: cell: control character U+001B (ESC)",
    ),
    (
        "esc-c-reset",
        ".csv",
        lambda: text(csv_text(row(Organisation="\x1bc"))),
        NO,
        ":row 2, column B: cell: control character U+001B (ESC)",
    ),
    (
        "csi-c1",
        ".csv",
        lambda: text(csv_text(row(Organisation="Riverside\x9b2J"))),
        NO,
        ":row 2, column B: cell: control character U+009B (CSI)",
    ),
    (
        "bell-in-header",
        ".csv",
        lambda: text(csv_text(None, ["Timestamp\x07", *HEADER[1:]])),
        NO,
        ":row 1, column A: cell: control character U+0007 (BEL)",
    ),
    (
        "backspace",
        ".csv",
        lambda: text(csv_text(row(Role="Lead\x08\x08\x08\x08wider"))),
        NO,
        ":row 2, column C: cell: control character U+0008 (backspace)",
    ),
    (
        "del",
        ".csv",
        lambda: text(csv_text(row(Organisation="Riverside\x7f"))),
        NO,
        ":row 2, column B: cell: control character U+007F (DEL)",
    ),
    (
        "lone-cr-in-a-cell",
        ".csv",
        lambda: text(csv_text(row(text="safe\rrewritten"))),
        NO,
        ":row 2, column F: cell: control character U+000D (carriage return)",
    ),
    ("crlf-in-a-cell", ".csv", lambda: text(csv_text(row(text="two\r\nlines"))), OK, "3 respondents"),
    # --- numbers, sizes, counts
    (
        "400-digits",
        ".csv",
        lambda: text(csv_text(row(number="9" * 400))),
        NO,
        ":row 2, column E (governance.partner_count): governance.partner_count: '99999",
    ),
    ("1e400", ".csv", lambda: text(csv_text(row(number="1e400"))), NO, ":row 2, column E"),
    ("number-out-of-range", ".csv", lambda: text(csv_text(row(number="100000"))), NO, ":row 2, column E"),
    (
        "huge-cell-ignored-column",
        ".csv",
        lambda: text(csv_text([r + ["x" * 200_000] for r in ROWS[:1]], HEADER + ["IP Address"])),
        NO,
        ":row 2, column G: cell: holds 200,000 characters",
    ),
    (
        "huge-free-text",
        ".csv",
        lambda: text(csv_text(row(text="y" * 40_000))),
        NO,
        ":row 2, column F: cell: holds 40,000 characters",
    ),
    (
        "huge-header",
        ".csv",
        lambda: text(csv_text(None, [*HEADER[:5], "h" * 150_000])),
        NO,
        ":row 1, column F: cell: holds 150,000 characters",
    ),
    (
        "100000-rows",
        ".csv",
        lambda: text(csv_text([["2026-03-05", f"Org {n}", "core", "4", "6", ""] for n in range(100_000)])),
        NO,
        ":row 2004: file: more than 2,000 rows of submissions",
    ),
    (
        "600-columns",
        ".csv",
        lambda: text(csv_text([ROWS[0] + ["x"] * 600], HEADER + ["IP Address"] * 600)),
        NO,
        ":row 1, column SG: file: more than 500 columns",
    ),
    ("too-large-file", ".csv", lambda: text(csv_text()) + b" " * 10_000_001, NO, ": file: is larger than 10 MB"),
    # --- dates and roles
    (
        "impossible-date",
        ".csv",
        lambda: text(csv_text(row(Timestamp="2026-02-30 10:00:00"))),
        NO,
        ":row 2, column A (Timestamp): time: '2026-02-30 10:00:00' is not a date",
    ),
    (
        "year-zero",
        ".csv",
        lambda: text(csv_text(row(Timestamp="0000-01-01"))),
        NO,
        ":row 2, column A (Timestamp): time: '0000-01-01' is not a date",
    ),
    (
        "ambiguous-dates",
        ".csv",
        lambda: text(csv_text([[f"3/{d}/2026 10:00", *r[1:]] for d, r in zip((5, 6, 7), ROWS, strict=True)])),
        NO,
        ":row 2, column A (Timestamp): time: '3/5/2026 10:00' may be 3 May 2026 or 5 March 2026",
    ),
    (
        "google-csv-dates",
        ".csv",
        lambda: text(
            csv_text([[f"2026/03/0{d} 1:02:17 PM GMT", *r[1:]] for d, r in zip((5, 6, 7), ROWS, strict=True)])
        ),
        OK,
        "3 respondents",
    ),
    (
        "unreadable-date",
        ".csv",
        lambda: text(csv_text(row(Timestamp="soon"))),
        NO,
        ":row 2, column A (Timestamp): time: 'soon' is not a date the import reads",
    ),
    (
        "wider-answers-restricted",
        ".csv",
        lambda: text(
            csv_text([r + [a] for r, a in zip(ROWS, ("4", "4", "5"), strict=True)], HEADER + [IDS["restricted"]])
        ),
        OK,
        "3 rows read, 3 respondents, 0 rows skipped",
    ),
    (
        "unknown-role",
        ".csv",
        lambda: text(csv_text(row(Role="Chair"))),
        NO,
        ":row 2, column C (Role): role: 'Chair' is not a role",
    ),
    # --- XLSX
    ("xlsx-plain", ".xlsx", lambda: xlsx(), OK, "3 rows read, 3 respondents, 0 rows skipped"),
    ("xlsm-plain", ".xlsm", lambda: xlsx(), OK, "3 respondents"),
    ("csv-renamed-xlsx", ".xlsx", lambda: text(csv_text()), NO, ": file: is not an XLSX workbook (not a zip archive"),
    ("truncated-zip", ".xlsx", lambda: xlsx()[:700], NO, ": file: is not an XLSX workbook (not a zip archive"),
    (
        "damaged-member",
        ".xlsx",
        lambda: xlsx(stored=True).replace(b"Riverside Library", b"Riverside Librarz", 1),
        NO,
        ": file: is damaged (Bad CRC-32",
    ),
    (
        "no-workbook-part",
        ".xlsx",
        lambda: xlsx(drop=("xl/workbook.xml",)),
        NO,
        ": file: is not an XLSX workbook (it has no part 'xl/workbook.xml')",
    ),
    (
        "no-sheet-part",
        ".xlsx",
        lambda: xlsx(drop=("xl/worksheets/sheet1.xml",)),
        NO,
        "it has no part 'xl/worksheets/sheet1.xml'",
    ),
    (
        "malformed-sheet-xml",
        ".xlsx",
        lambda: xlsx(sheet_xml([HEADER, *ROWS]).replace("</row>", "</rwo>", 1)),
        NO,
        ": file: is damaged: broken XML",
    ),
    (
        "entity-bomb",
        ".xlsx",
        lambda: xlsx(
            '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
            f'<worksheet xmlns="{_MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c>'
            "</row></sheetData></worksheet>"
        ),
        NO,
        ": file: is damaged: broken XML",
    ),
    ("zip-bomb-sheet", ".xlsx", lambda: big_zip(60_000_000), NO, ": file: unpacks to 60 MB"),
    (
        "zip-bomb-shared-strings",
        ".xlsx",
        lambda: big_zip(45_000_000, "xl/sharedStrings.xml"),
        NO,
        "(xl/sharedStrings.xml)",
    ),
    ("shared-strings-count", ".xlsx", lambda: shared(310_000), NO, ": file: has more than 300,000 distinct texts"),
    (
        "100000-rows-xlsx",
        ".xlsx",
        lambda: many_rows(100_000),
        NO,
        ":row 2003: file: more than 2,000 rows of submissions",
    ),
    (
        "far-column",
        ".xlsx",
        lambda: with_cell(2, 6, '<c r="ZZ2" t="inlineStr"><is><t>far</t></is></c>'),
        NO,
        ":row 2, column ZZ: file: more than 500 columns",
    ),
    (
        "formula-without-value",
        ".xlsx",
        lambda: with_cell(2, 4, '<c r="REF"><f>1+3</f></c>'),
        NO,
        ":row 2, column D: file: holds a formula with no saved value",
    ),
    ("formula-with-value", ".xlsx", lambda: with_cell(2, 4, '<c r="REF"><f>1+3</f><v>4</v></c>'), OK, "3 respondents"),
    (
        "400-digit-number-cell",
        ".xlsx",
        lambda: with_cell(2, 5, f'<c r="REF"><v>{"9" * 400}</v></c>'),
        NO,
        ":row 2, column E (governance.partner_count): governance.partner_count:",
    ),
    (
        "inf-number-cell",
        ".xlsx",
        lambda: with_cell(2, 5, '<c r="REF"><v>1e400</v></c>'),
        NO,
        ":row 2, column E: file: holds a number too large to read",
    ),
    (
        "date-no-calendar-has",
        ".xlsx",
        lambda: with_cell(2, 1, '<c r="REF" s="1"><v>99999999</v></c>'),
        NO,
        ":row 2, column A: file: holds 99999999 as a date, which no calendar has",
    ),
    ("date-cell", ".xlsx", lambda: with_cell(2, 1, '<c r="REF" s="1"><v>46086.5</v></c>'), OK, "3 respondents"),
    (
        "huge-inline-cell",
        ".xlsx",
        lambda: with_cell(2, 6, f'<c r="REF" t="inlineStr"><is><t>{"z" * 40_000}</t></is></c>'),
        NO,
        ":row 2, column F: file: holds 40,000 characters",
    ),
    (
        "bad-shared-index",
        ".xlsx",
        lambda: with_cell(2, 2, '<c r="REF" t="s"><v>7</v></c>'),
        NO,
        ":row 2, column B: file: refers to a shared text the workbook does not have",
    ),
    (
        "escaped-esc-shared",
        ".xlsx",
        lambda: xlsx(
            sheet_xml(
                [HEADER, *ROWS],
                lambda r, c, v: (
                    f'<c r="{_letters(c)}{r}" t="s"><v>0</v></c>'
                    if (r, c) == (2, 2)
                    else f'<c r="{_letters(c)}{r}" t="inlineStr"><is><t>{_escape(v)}</t></is></c>'
                ),
            ),
            f'<sst xmlns="{_MAIN}"><si><t>Riverside_x001B_c</t></si></sst>',
        ),
        NO,
        ":row 2, column B: cell: control character U+001B (ESC)",
    ),
    ("boolean-cell", ".xlsx", lambda: with_cell(2, 6, '<c r="REF" t="b"><v>1</v></c>'), OK, "3 respondents"),
    (
        "empty-workbook",
        ".xlsx",
        lambda: xlsx(f'<worksheet xmlns="{_MAIN}"><sheetData/></worksheet>'),
        NO,
        ": file: is empty",
    ),
    (
        "error-cell",
        ".xlsx",
        lambda: with_cell(2, 4, '<c r="REF" t="e"><v>#N/A</v></c>'),
        NO,
        ":row 2, column D: file: holds the spreadsheet error #N/A",
    ),
]


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (SECONDS_EACH * len(CASES), SECONDS_EACH * len(CASES)))


def test_the_table_holds_at_least_sixty_hostile_files_csv_and_xlsx() -> None:
    assert len(CASES) >= 60
    assert len({name for name, *_ in CASES}) == len(CASES)
    assert {suffix for _, suffix, *_ in CASES} >= {".csv", ".xlsx"}


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, object]]:
    folder = tmp_path_factory.mktemp("hostile")
    argvs = []
    for name, suffix, make, _, _ in CASES:
        path = folder / f"{name}{suffix}"
        path.write_bytes(make())
        argvs.append(json.dumps(["import", str(path), "--output", str(folder / f"{name}.yaml")]))
    worker = Path(__file__).with_name("hostile_worker.py")
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run(
        [sys.executable, str(worker), *argvs],
        capture_output=True,
        text=True,
        preexec_fn=_limits,
        timeout=SECONDS_EACH * len(CASES),
        env=env,
        check=False,
    )
    lines = done.stdout.splitlines()
    assert len(lines) == len(CASES), done.stderr[-3000:]
    return {name: json.loads(line) for (name, *_), line in zip(CASES, lines, strict=True)}


@pytest.mark.parametrize(("name", "suffix", "make", "code", "expected"), CASES, ids=[case[0] for case in CASES])
def test_a_hostile_file_is_imported_with_rows_that_add_up_or_refused_with_one_located_line(
    results: dict[str, dict[str, object]], name: str, suffix: str, make: object, code: int, expected: str
) -> None:
    result = results[name]
    err = str(result["err"])
    assert "Traceback" not in err
    assert result["code"] == code, err
    assert float(result["seconds"]) < SECONDS_EACH, result["seconds"]
    assert int(result["peak"]) < MEMORY
    if code == OK:
        found = SUMMARY.search(err)
        assert found, err
        read, people, skipped = map(int, found.groups())
        assert read == people + skipped
    else:
        lines = err.strip().splitlines()
        assert lines[0] == "1 problem found:", err
        (problem,) = lines[1:]
        assert problem.startswith(str(Path(name).with_suffix(""))) or f"{name}{suffix}" in problem.split(": ")[0]
    assert expected in err, err


def test_the_worker_stayed_under_256_mb_and_the_time_limit(results: dict[str, dict[str, object]]) -> None:
    peak = max(int(result["peak"]) for result in results.values())
    slowest = max(float(result["seconds"]) for result in results.values())
    print(f"peak memory {peak / 2**20:.0f} MB, slowest file {slowest:.1f} s")  # shown with pytest -s
    assert peak < MEMORY and slowest < SECONDS_EACH

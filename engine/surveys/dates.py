"""Submission times as the survey tools write them -> the date of the latest submission.

- ISO, year first: ``2026-03-05 11:02:17`` (LimeSurvey, a Microsoft Forms or Sheets XLSX
  read by us), ``2026-03-05T11:02:17.123Z`` (ODK Central ``SubmissionDate``, Kobo
  ``_submission_time``, Kobo ``end`` with its offset ``+01:00``), and Google Forms' CSV
  download ``2026/03/05 11:02:17 AM GMT``.
- Day and month in either order, year last: Google Sheets ``3/5/2026 11:02:17``,
  Microsoft Forms' CSV ``3/5/2026 11:02:17 AM``, SurveyMonkey ``03/05/2026 11:02:17 AM``,
  Excel in most of the world ``05/03/2026 11:02``. Which comes first is told by the
  column (a first number above 12 is a day, a second above 12 is a day); where no date
  tells, the file is refused with the first such cell and ``--date-format``.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

DAY_FIRST, MONTH_FIRST = "DD/MM/YYYY", "MM/DD/YYYY"
DATE_FORMATS = {"dd/mm/yyyy": DAY_FIRST, "dmy": DAY_FIRST, "mm/dd/yyyy": MONTH_FIRST, "mdy": MONTH_FIRST}
_YEAR_FIRST = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?=$|[T\s,])")
_YEAR_LAST = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})(?=$|[T\s,])")


def date_format(text: str) -> str:
    """``--date-format``: DD/MM/YYYY (or dmy) or MM/DD/YYYY (or mdy)."""
    found = DATE_FORMATS.get(text.strip().casefold())
    if found is None:
        raise ValueError(f"'{text}' is not a date format (give {DAY_FIRST} or {MONTH_FIRST})")
    return found


@dataclass(frozen=True)
class Stamp:
    """One submission time: where it is (row, column) and its text."""

    row: int
    column: int
    text: str


@dataclass(frozen=True)
class Dated:
    """The latest date found, or the one problem (with the stamp it is about)."""

    date: datetime.date | None
    problem: str | None = None
    at: Stamp | None = None


def latest_date(stamps: list[Stamp], order: str | None = None) -> Dated:
    """The latest submission's date, or the first problem: a date that is no date, day and month unknown."""
    found: list[datetime.date] = []
    numeric: list[tuple[Stamp, int, int, int]] = []
    for stamp in stamps:
        text = stamp.text.strip()
        if not text:
            continue
        match = _YEAR_FIRST.match(text)
        if match:
            date, problem = _date(int(match[1]), int(match[2]), int(match[3]), text)
            if problem:
                return Dated(None, problem, stamp)
            found.append(date)  # type: ignore[arg-type]
            continue
        match = _YEAR_LAST.match(text)
        if not match:
            return Dated(
                None, f"'{text[:60]}' is not a date the import reads (give the assessment's date with --date)", stamp
            )
        year = int(match[3]) + (2000 if len(match[3]) == 2 else 0)
        numeric.append((stamp, int(match[1]), int(match[2]), year))
    if numeric:
        if order is None:
            order, refusal = _order(numeric)
            if refusal:
                return refusal
        for stamp, first, second, year in numeric:
            day, month = (first, second) if order == DAY_FIRST else (second, first)
            date, why = _date(year, month, day, stamp.text.strip())
            if why:
                return Dated(None, f"{why} (read as {order})", stamp)
            found.append(date)  # type: ignore[arg-type]
    return Dated(max(found) if found else None)


def _order(numeric: list[tuple[Stamp, int, int, int]]) -> tuple[str | None, Dated | None]:
    day_first = next((item for item in numeric if item[1] > 12), None)
    month_first = next((item for item in numeric if item[2] > 12), None)
    if day_first and month_first:
        later = max(day_first, month_first, key=lambda item: (item[0].row, item[0].column))
        other = day_first if later is month_first else month_first
        return None, Dated(
            None,
            f"'{later[0].text.strip()}' puts the day {'second' if later is month_first else 'first'}, but row "
            f"{other[0].row} puts it {'first' if later is month_first else 'second'}; correct one of them",
            later[0],
        )
    if day_first:
        return DAY_FIRST, None
    if month_first:
        return MONTH_FIRST, None
    unclear = next((item for item in numeric if item[1] != item[2]), None)
    if unclear is None:
        return DAY_FIRST, None  # 5/5/2026: either way the same date
    stamp, first, second, year = unclear
    return None, Dated(
        None,
        f"'{stamp.text.strip()}' may be {_spoken(first, second, year)} or {_spoken(second, first, year)}, and no "
        f"date in the file tells which: give --date-format {DAY_FIRST} or {MONTH_FIRST} (or --date)",
        stamp,
    )


def _spoken(day: int, month: int, year: int) -> str:
    return f"{day} {calendar.month_name[month]} {year}" if 1 <= month <= 12 else f"{day}/{month}/{year}"


def _date(year: int, month: int, day: int, text: str) -> tuple[datetime.date | None, str | None]:
    try:
        return datetime.date(year, month, day), None
    except ValueError:
        if 1 <= month <= 12 and year >= 1:
            days = calendar.monthrange(year, month)[1]
            return None, f"'{text[:60]}' is not a date: {calendar.month_name[month]} {year} has {days} days"
        return None, f"'{text[:60]}' is not a date (no month {month} of year {year})"

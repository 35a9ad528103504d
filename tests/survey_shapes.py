"""Exports shaped like each survey tool's, written from an answers file of the same people.

Each writer follows the tool's documented export (docs/survey-tools.md cites the
sources): its metadata columns, how it heads a question (text, grid row, group path,
"code. text"), how it writes an answer (label or stored value), its separator and
byte order mark. The people come from a hand-written answers file (an example), so the
fixtures follow the bundled questionnaire whatever its question ids are.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

from partnership_health.models import Answers, Question, Questionnaire, Respondent
from partnership_health.surveys.headers import xlsform_name
from partnership_health.surveys.values import scale_labels
from partnership_health.wording import ROLE_LABELS

BOM = "\ufeff"


def label(question: Question, value: object, questionnaire: Questionnaire) -> str:
    """An answer as a survey tool shows it: the label a person ticked or the text they typed."""
    if value is None:
        return ""
    if value == "dont_know":
        return "Don't know"
    if question.type == "scale":
        return scale_labels(questionnaire)[int(value)]  # type: ignore[call-overload]
    if question.type == "yesno":
        return "Yes" if value else "No"
    if question.type == "choice":
        return next(choice.label for choice in question.choices if choice.id == value)
    if question.type == "number":
        return f"{value:g} {question.unit}" if question.unit else f"{value:g}"
    return str(value)


def stored(question: Question, value: object) -> str:
    """An answer as KoboToolbox and ODK store it: the XLSForm choice name or the number."""
    if value is None or value == "dont_know":
        return "" if value is None else "dont_know"
    if question.type == "yesno":
        return "yes" if value else "no"
    if question.type == "number":
        return f"{value:g}"
    return str(value)


def _csv(rows: list[list[str]], separator: str = ",", bom: bool = True) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=separator, lineterminator="\r\n").writerows(rows)
    return (BOM if bom else "") + out.getvalue()


def _time(number: int) -> str:
    """A submission time, ISO; the tools below write it their own way. The latest is on 2026-10-15."""
    return f"2026-10-1{1 + number % 5} 1{number}:0{number}:00"


def _google_time(number: int) -> str:
    """Google Forms' CSV download: year first with slashes, a 12-hour clock and the zone."""
    return f"2026/10/1{1 + number % 5} {1 + number}:0{number}:17 PM GMT"


def _us_time(number: int) -> str:
    """SurveyMonkey (and a US Excel): month first, a 12-hour clock."""
    return f"10/1{1 + number % 5}/2026 0{1 + number}:0{number}:17 AM"


def _excel_time(number: int) -> object:
    """Microsoft Forms' workbook: a real date-and-time cell."""
    import datetime

    return datetime.datetime.fromisoformat(_time(number))


def google_forms(answers: Answers, q: Questionnaire) -> tuple[str, str]:
    """Google Forms' response sheet: Timestamp, the email it collects, one column per question
    headed by its text; agreement statements as one multiple-choice grid per section,
    headed ``Section [Statement]``."""
    questions = list(q.questions.values())
    section_of = {question.id: section for section in q.sections for question in section.questions}

    def header(question: Question) -> str:
        if question.type == "scale":
            return f"{section_of[question.id].title} [{question.text}]"
        return question.text

    rows = [["Timestamp", "Email Address", "Organisation", "Role", *map(header, questions)]]
    for n, person in enumerate(answers.respondents):
        rows.append(
            [
                _google_time(n),
                f"person{n}@example.org",
                person.organisation,
                ROLE_LABELS[person.role],
                *(label(x, person.answers.get(x.id), q) for x in questions),
            ]
        )
    return "google.csv", _csv(rows)


def microsoft_forms(answers: Answers, q: Questionnaire, path: Path) -> None:
    """Microsoft Forms' Excel workbook: ID, Start time, Completion time, Email, Name, then
    the questions' texts; numbers typed into number cells."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    questions = list(q.questions.values())
    sheet.append(
        ["ID", "Start time", "Completion time", "Email", "Name", "Organisation", "Role"] + [x.text for x in questions]
    )
    for n, person in enumerate(answers.respondents, 1):
        cells: list[object] = [
            n,
            _excel_time(n),
            _excel_time(n),
            "anonymous",
            "anonymous",
            person.organisation,
            ROLE_LABELS[person.role],
        ]
        for question in questions:
            value = person.answers.get(question.id)
            cells.append(
                value if question.type == "number" and value not in (None, "dont_know") else label(question, value, q)
            )
        sheet.append(cells)
    book.save(path)


def surveymonkey(answers: Answers, q: Questionnaire) -> tuple[str, str]:
    """SurveyMonkey's CSV: two header rows; its own columns first; each section's statements
    as one matrix (the section's title over its first column, the statements below), other
    questions with "Response" or "Open-Ended Response" below their text."""
    top = [
        "Respondent ID",
        "Collector ID",
        "Start Date",
        "End Date",
        "IP Address",
        "Email Address",
        "First Name",
        "Last Name",
        "Custom Data 1",
        "Organisation",
        "Role",
    ]
    below = [""] * 9 + ["Open-Ended Response", "Response"]
    order: list[Question] = []
    for section in q.sections:
        first = True
        for question in section.questions:
            if question.type == "scale":
                top.append(section.title if first else "")
                below.append(question.text)
                first = False
            else:
                top.append(question.text)
                below.append("Open-Ended Response" if question.type in ("text", "number") else "Response")
            order.append(question)
    rows = [top, below]
    for n, person in enumerate(answers.respondents):
        first_name, _, last_name = (person.name or "").partition(" ")
        meta = [str(11400000000 + n), "431000000", _us_time(n), _us_time(n), "", "", first_name, last_name, ""]
        rows.append(
            meta
            + [person.organisation, ROLE_LABELS[person.role]]
            + [label(x, person.answers.get(x.id), q) for x in order]
        )
    return "surveymonkey.csv", _csv(rows)


def kobo(answers: Answers, q: Questionnaire, survey: list[dict[str, str]], labels: bool = False) -> tuple[str, str]:
    """KoboToolbox's CSV export of our XLSForm, groups included: ``;`` between fields,
    ``group/name`` headers and stored values ("XML values and headers"), or with
    ``labels`` ``Group label/Question label`` headers and the labels ticked."""
    names, headers, path = [], [], []
    for row in survey:
        if row["type"] == "begin_group":
            path.append(row)
        elif row["type"] == "end_group":
            path.pop()
        elif row["name"]:
            names.append(row["name"])
            key = "label" if labels else "name"
            headers.append("/".join([*(group[key] for group in path), row[key]]))
    meta = [
        "_id",
        "_uuid",
        "_submission_time",
        "_validation_status",
        "_notes",
        "_status",
        "_submitted_by",
        "__version__",
        "_tags",
        "_index",
    ]
    rows = [["start", "end", *headers, *meta]]
    for n, person in enumerate(answers.respondents, 1):
        cells = [_time(n), _time(n)]
        for name in names:
            cells.append(_value(person, name, q, labels))
        cells += [
            str(4000 + n),
            f"5b2c{n:04d}-aaaa-bbbb-cccc-000000000000",
            _time(n).replace(" ", "T"),
            "",
            "",
            "submitted_via_web",
            "",
            "vQ7",
            "",
            str(n),
        ]
        rows.append(cells)
    return "kobo.csv", _csv(rows, separator=";")


def _value(person: Respondent, name: str, q: Questionnaire, labels: bool = False) -> str:
    if name == "organisation":
        return person.organisation
    if name == "role":
        return ROLE_LABELS[person.role] if labels else person.role
    question = next(x for x in q.questions.values() if xlsform_name(x.id) == name)
    value = person.answers.get(question.id)
    return label(question, value, q) if labels else stored(question, value)


def odk_central(answers: Answers, q: Questionnaire) -> tuple[str, str]:
    """ODK Central's CSV: SubmissionDate, the fields with ``group-name`` headers,
    meta-instanceID, KEY and the submitter's columns after."""
    names = ["organisation", "role"]
    for section in q.sections:
        names += [f"{section.id}-{xlsform_name(question.id)}" for question in section.questions]
    tail = [
        "meta-instanceID",
        "KEY",
        "SubmitterID",
        "SubmitterName",
        "AttachmentsPresent",
        "AttachmentsExpected",
        "Status",
        "ReviewState",
        "DeviceID",
        "Edits",
        "FormVersion",
    ]
    rows = [["SubmissionDate", *names, *tail]]
    for n, person in enumerate(answers.respondents, 1):
        uuid = f"uuid:0c1d{n:04d}-1111-2222-3333-444444444444"
        cells = [_time(n).replace(" ", "T") + ".000Z"] + [_value(person, name.split("-")[-1], q) for name in names]
        rows.append(cells + [uuid, uuid, "7", "tablet 1", "0", "0", "", "", "collect:abc", "0", "1.0"])
    return "odk.csv", _csv(rows, bom=False)


def limesurvey(answers: Answers, q: Questionnaire) -> tuple[str, str]:
    """LimeSurvey's CSV with "Question code & question text" headings and full answers:
    ``code. text`` over every column, its own columns first."""
    questions = list(q.questions.values())
    head = [
        "id. Response ID",
        "submitdate. Date submitted",
        "lastpage. Last page",
        "startlanguage. Start language",
        "seed. Seed",
        "G00Q01. Organisation",
        "G00Q02. Role",
    ]
    head += [
        f"G{s:02d}Q{n:02d}. {x.text}"
        for s, section in enumerate(q.sections, 1)
        for n, x in enumerate(section.questions, 1)
    ]
    rows = [head]
    for n, person in enumerate(answers.respondents, 1):
        cells = [str(n), _time(n), "13", "en", str(1000 + n), person.organisation, ROLE_LABELS[person.role]]
        rows.append(cells + [label(x, person.answers.get(x.id), q) for x in questions])
    return "limesurvey.csv", _csv(rows)


def plain(answers: Answers, q: Questionnaire) -> tuple[str, str]:
    """A sheet headed by our ids, filled in by hand: numbers for the scale, yes/no, choice ids."""
    questions = list(q.questions.values())
    rows = [["organisation", "role", *(x.id for x in questions)]]
    for person in answers.respondents:
        cells = [person.organisation, person.role]
        for question in questions:
            value = person.answers.get(question.id)
            cells.append("" if value is None else ("yes" if value is True else "no" if value is False else str(value)))
        rows.append(cells)
    return "sheet.csv", _csv(rows, bom=False)


TEXT_WRITERS: dict[str, Callable[[Answers, Questionnaire], tuple[str, str]]] = {
    "google-forms": google_forms,
    "surveymonkey": surveymonkey,
    "odk-central": odk_central,
    "limesurvey": limesurvey,
    "plain-sheet": plain,
}

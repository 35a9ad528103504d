"""The questionnaire as an XLSForm workbook, for KoboToolbox and ODK.

Sheets ``survey``, ``choices`` and ``settings``; the organisation and role first, then
one group per section. Every question's name is its id with the dot as a double
underscore (XLSForm names take no dots; the import reads both), so a KoboToolbox or ODK
Central export of the form imports back without a mapping file.
"""

from __future__ import annotations

import io
import re

from ..errors import InputError, Issue, SourceLocation
from ..models import DONT_KNOW, Question, Questionnaire
from ..wording import DONT_KNOW_LABEL, ROLE_LABELS
from .headers import NAME_SEPARATOR, ORGANISATION, ORGANISATION_LABEL, ROLE, ROLE_LABEL, xlsform_name
from .values import accepts_dont_know, scale_labels

SURVEY_COLUMNS = ("type", "name", "label", "hint", "required", "constraint", "constraint_message", "relevant")
CHOICE_COLUMNS = ("list_name", "name", "label")
AGREE, YESNO, ROLES_LIST = "agree", "yes_no", "roles"


def xlsform_sheets(questionnaire: Questionnaire) -> dict[str, list[dict[str, str]]]:
    """The three sheets as rows of ``{column: text}``."""
    survey: list[dict[str, str]] = [
        {"type": "text", "name": ORGANISATION, "label": ORGANISATION_LABEL, "required": "yes"},
        {"type": f"select_one {ROLES_LIST}", "name": ROLE, "label": ROLE_LABEL, "required": "yes"},
    ]
    choices: list[dict[str, str]] = [
        {"list_name": ROLES_LIST, "name": r, "label": lab} for r, lab in ROLE_LABELS.items()
    ]
    lists: set[str] = {ROLES_LIST}

    def add_list(name: str, items: list[tuple[str, str]], dont_know: bool) -> str:
        list_name = name + ("_dk" if dont_know else "")
        if list_name not in lists:
            lists.add(list_name)
            items = items + ([(DONT_KNOW, DONT_KNOW_LABEL)] if dont_know else [])
            choices.extend({"list_name": list_name, "name": key, "label": text} for key, text in items)
        return list_name

    for section in questionnaire.sections:
        _check_name(section.id)
        survey.append({"type": "begin_group", "name": section.id, "label": section.title, "hint": section.description})
        for question in section.questions:
            _check_name(question.id)
            row = {"name": xlsform_name(question.id), "label": question.text.strip(), "hint": question.help or ""}
            dont_know = accepts_dont_know(question)
            if question.type == "scale":
                items = [(str(n), text) for n, text in sorted(scale_labels(questionnaire).items())]
                row["type"] = "select_one " + add_list(AGREE, items, dont_know)
            elif question.type == "yesno":
                row["type"] = "select_one " + add_list(YESNO, [("yes", "Yes"), ("no", "No")], dont_know)
            elif question.type == "choice":
                items = [(choice.id, choice.label) for choice in question.choices]
                row["type"] = "select_one " + add_list(xlsform_name(question.id), items, dont_know)
            elif question.type == "number":
                row.update(_number(question))
            else:
                row["type"] = "text"
                row["appearance"] = "multiline"
            if question.roles:  # asked of some roles only
                row["relevant"] = " or ".join(f"${{{ROLE}}} = '{role}'" for role in question.roles)
            survey.append(row)
        survey.append({"type": "end_group", "name": section.id})
    settings = [
        {
            "form_title": questionnaire.title,
            "form_id": re.sub(r"[^A-Za-z0-9_]", "_", questionnaire.id),
            "version": questionnaire.version,
        }
    ]
    return {"survey": survey, "choices": choices, "settings": settings}


def _number(question: Question) -> dict[str, str]:
    low, high = question.bounds or (0, 0)
    unit = f" {question.unit}" if question.unit else ""
    whole = float(low).is_integer() and float(high).is_integer()
    return {
        "type": "integer" if whole else "decimal",
        "label": question.text.strip() + (f" ({question.unit})" if question.unit else ""),
        "constraint": f". >= {low:g} and . <= {high:g}",
        "constraint_message": f"From {low:g} to {high:g}{unit}",
    }


def _check_name(identifier: str) -> None:
    if NAME_SEPARATOR in identifier:
        message = f"contains '{NAME_SEPARATOR}', which XLSForm names use for the dot (rename it)"
        raise InputError([Issue(SourceLocation("questionnaire"), identifier, message)])


def xlsform_bytes(questionnaire: Questionnaire) -> bytes:
    """The XLSForm workbook (.xlsx) of ``questionnaire``."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    sheets = xlsform_sheets(questionnaire)
    columns = {
        "survey": [*SURVEY_COLUMNS, "appearance"],
        "choices": list(CHOICE_COLUMNS),
        "settings": ["form_title", "form_id", "version"],
    }
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        sheet.append(columns[name])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([row.get(column, "") or None for column in columns[name]])
        for letter, width in zip("ABCDEFGHI", (22, 40, 60, 40, 10, 24, 24, 30, 12), strict=False):
            sheet.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
